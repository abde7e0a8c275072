# Regenerates the .yml files of the hostile-input corpus: python3 generate.py src/test/resources/hostile
# (expectations.tsv is kept by hand: check each message and position before recording it there).
import os, sys
out = sys.argv[1]
C = {}
def case(name, text):
    assert name not in C, name
    C[name] = text if isinstance(text, bytes) else text.encode()

# --- YAML syntax
case("syntax-unclosed-flow-list", "mptcp:\n  enabled: true\ninterfaces:\n- name: eth0\n  mptcp:\n    address-flags: [subflow, backup\n")
case("syntax-unclosed-flow-map", "mptcp: {enabled: true\n")
case("syntax-unclosed-double-quote", "interfaces:\n- name: \"eth0\n")
case("syntax-unclosed-single-quote", "interfaces:\n- name: 'eth0\n")
case("syntax-bad-indentation", "mptcp:\n  enabled: true\n   limits:\n    subflows: 2\n")
case("syntax-mapping-in-sequence-item", "interfaces:\n- name: eth0\n mptcp: x\n")
case("syntax-colon-in-plain-scalar", "mptcp:\n  enabled: true\n  limits: subflows: 2\n")
case("syntax-stray-closing-bracket", "mptcp:\n  enabled: true]\n")
case("syntax-block-seq-in-flow", "interfaces: [\n- name: eth0\n]\n")
case("syntax-undefined-alias", "mptcp:\n  limits: *nothing\n")
case("syntax-bad-escape", "interfaces:\n- name: \"eth\\q0\"\n")
case("syntax-directive-after-content", "mptcp:\n  enabled: true\n%YAML 1.2\n---\n")
case("syntax-yaml-version-2", "%YAML 2.0\n---\nmptcp:\n  enabled: true\n")
case("syntax-control-character", "mptcp:\n  enabled: true\x07\n")
case("syntax-key-without-colon", "mptcp:\n  enabled true\n  limits:\n    subflows: 2\n")
case("syntax-anchor-twice", "mptcp: &a &b\n  enabled: true\n")
# --- tabs
case("tab-indentation", "mptcp:\n\tenabled: true\n")
case("tab-indentation-nested", "interfaces:\n- name: eth0\n  mptcp:\n\t  address-flags: [subflow]\n")
case("tab-before-list-item", "interfaces:\n\t- name: eth0\n")
# --- document shape
case("top-level-list", "- mptcp\n- interfaces\n")
case("top-level-scalar", "hello\n")
case("top-level-number", "42\n")
case("interfaces-is-mapping", "interfaces:\n  eth0:\n    mptcp: {}\n")
case("interfaces-is-scalar", "interfaces: eth0\n")
case("mptcp-is-list", "mptcp:\n- enabled\n")
case("mptcp-is-scalar", "mptcp: on\n")
case("interface-item-is-scalar", "interfaces:\n- eth0\n")
case("endpoints-is-mapping", "mptcp:\n  endpoints:\n    address: 192.0.2.1\n")
case("address-list-is-mapping", "interfaces:\n- name: eth0\n  ipv4:\n    address:\n      ip: 192.0.2.1\n")
case("non-scalar-key", "mptcp:\n  ? [enabled]\n  : true\n")
# --- types
case("enabled-yes", "mptcp:\n  enabled: yes\n")
case("enabled-quoted-true", "mptcp:\n  enabled: \"true\"\n")
case("enabled-number", "mptcp:\n  enabled: 1\n")
case("enabled-null", "mptcp:\n  enabled:\n")
case("enabled-list", "mptcp:\n  enabled: [true]\n")
case("limit-float", "mptcp:\n  limits:\n    subflows: 2.0\n")
case("limit-string", "mptcp:\n  limits:\n    subflows: two\n")
case("limit-quoted-number", "mptcp:\n  limits:\n    subflows: \"2\"\n")
case("limit-quoted-with-space", "mptcp:\n  limits:\n    subflows: \" 2\"\n")
case("limit-quoted-fraction", "mptcp:\n  limits:\n    subflows: \"2.0\"\n")
case("limit-quoted-upper-hex", "mptcp:\n  limits:\n    subflows: \"0X2\"\n")
case("enabled-not-a-boolean-word", "mptcp:\n  enabled: \"enable\"\n")
case("limit-bool", "mptcp:\n  limits:\n    add-addr-accepted: true\n")
case("limits-is-list", "mptcp:\n  limits: [2, 2]\n")
case("limit-null", "mptcp:\n  limits:\n    subflows: ~\n")
case("name-number", "interfaces:\n- name: 0\n")
case("name-null", "interfaces:\n- name:\n  state: up\n")
case("name-missing", "interfaces:\n- state: up\n  mptcp:\n    address-flags: [subflow]\n")
case("prefix-length-string", "interfaces:\n- name: eth0\n  ipv4:\n    address:\n    - ip: 192.0.2.1\n      prefix-length: twenty-four\n")
case("prefix-length-float", "interfaces:\n- name: eth0\n  ipv4:\n    address:\n    - ip: 192.0.2.1\n      prefix-length: 24.0\n")
case("flags-scalar", "interfaces:\n- name: eth0\n  mptcp:\n    address-flags: subflow\n")
case("flag-number", "interfaces:\n- name: eth0\n  mptcp:\n    address-flags: [1]\n")
case("flags-null", "interfaces:\n- name: eth0\n  mptcp:\n    address-flags:\n")
case("port-string", "mptcp:\n  endpoints:\n  - address: 192.0.2.9\n    port: https\n    flags: [signal]\n")
case("ip-number", "interfaces:\n- name: eth0\n  ipv4:\n    address:\n    - ip: 3221225985\n      prefix-length: 24\n")
case("endpoints-null", "mptcp:\n  endpoints:\n")
# --- unknown and misspelt keys
case("misspelt-address-flags", "interfaces:\n- name: eth0\n  mptcp:\n    adress-flags: [subflow]\n")
case("misspelt-interfaces", "interface:\n- name: eth0\n")
case("misspelt-enabled", "mptcp:\n  enable: true\n")
case("misspelt-subflows", "mptcp:\n  limits:\n    subflow: 2\n")
case("misspelt-add-addr-accepted", "mptcp:\n  limits:\n    add_addr_accepted: 2\n")
case("misspelt-prefix-length", "interfaces:\n- name: eth0\n  ipv4:\n    address:\n    - ip: 192.0.2.1\n      prefix-len: 24\n")
case("misspelt-mptcp-flags", "interfaces:\n- name: eth0\n  ipv4:\n    address:\n    - ip: 192.0.2.1\n      prefix-length: 24\n      mptcp-flag: [subflow]\n")
case("unknown-top-key", "mptcp:\n  enabled: true\nfirewall: on\n")
case("unknown-endpoint-key", "mptcp:\n  endpoints:\n  - address: 192.0.2.9\n    flags: [signal]\n    weight: 3\n")
case("uppercase-key", "MPTCP:\n  enabled: true\n")
# --- duplicate keys
case("duplicate-top-key", "mptcp:\n  enabled: true\nmptcp:\n  enabled: false\n")
case("duplicate-enabled", "mptcp:\n  enabled: true\n  enabled: false\n")
case("duplicate-name", "interfaces:\n- name: eth0\n  name: eth1\n")
case("duplicate-flow-key", "mptcp: {enabled: true, enabled: true}\n")
case("duplicate-interface", "interfaces:\n- name: eth0\n- name: eth0\n")
case("duplicate-address", "interfaces:\n- name: eth0\n  ipv4:\n    address:\n    - ip: 192.0.2.1\n      prefix-length: 24\n- name: eth1\n  ipv4:\n    address:\n    - ip: 192.0.2.1\n      prefix-length: 24\n")
case("duplicate-endpoint", "mptcp:\n  endpoints:\n  - address: 192.0.2.9\n    flags: [signal]\n  - address: 192.0.2.9\n    flags: [signal]\n")
case("duplicate-flag", "interfaces:\n- name: eth0\n  mptcp:\n    address-flags: [subflow, subflow]\n")
# --- out-of-range limits
case("limit-subflows-9", "mptcp:\n  limits:\n    subflows: 9\n")
case("limit-negative", "mptcp:\n  limits:\n    add-addr-accepted: -1\n")
case("limit-huge", "mptcp:\n  limits:\n    subflows: 99999999999999999999999999\n")
case("limit-hex-too-big", "mptcp:\n  limits:\n    subflows: 0x10\n")
case("too-many-endpoints", "mptcp:\n  endpoints:\n" + "".join("  - address: 192.0.2.%d\n    flags: [signal]\n" % i for i in range(1, 10)))
# --- addresses and prefixes
case("address-bad-octet", "interfaces:\n- name: eth0\n  ipv4:\n    address:\n    - ip: 192.0.2.256\n      prefix-length: 24\n")
case("address-hostname", "mptcp:\n  endpoints:\n  - address: example.com\n    flags: [signal]\n")
case("address-three-octets", "interfaces:\n- name: eth0\n  ipv4:\n    address:\n    - ip: 192.0.2\n      prefix-length: 24\n")
case("address-v6-in-ipv4", "interfaces:\n- name: eth0\n  ipv4:\n    address:\n    - ip: 2001:db8::1\n      prefix-length: 64\n")
case("address-v4-in-ipv6", "interfaces:\n- name: eth0\n  ipv6:\n    address:\n    - ip: 192.0.2.1\n      prefix-length: 24\n")
case("address-with-prefix", "interfaces:\n- name: eth0\n  ipv4:\n    address:\n    - ip: 192.0.2.1/24\n      prefix-length: 24\n")
case("address-v6-double-colon-twice", "interfaces:\n- name: eth0\n  ipv6:\n    address:\n    - ip: 2001:db8::1::2\n      prefix-length: 64\n")
case("address-v6-zone", "interfaces:\n- name: eth0\n  ipv6:\n    address:\n    - ip: fe80::1%eth0\n      prefix-length: 64\n")
case("address-empty", "mptcp:\n  endpoints:\n  - address: ''\n    flags: [signal]\n")
case("address-leading-zero", "interfaces:\n- name: eth0\n  ipv4:\n    address:\n    - ip: 192.0.02.1\n      prefix-length: 24\n")
case("prefix-v4-33", "interfaces:\n- name: eth0\n  ipv4:\n    address:\n    - ip: 192.0.2.1\n      prefix-length: 33\n")
case("prefix-v6-129", "interfaces:\n- name: eth0\n  ipv6:\n    address:\n    - ip: 2001:db8::1\n      prefix-length: 129\n")
case("prefix-negative", "interfaces:\n- name: eth0\n  ipv4:\n    address:\n    - ip: 192.0.2.1\n      prefix-length: -1\n")
# --- interface names
case("ifname-16-bytes", "interfaces:\n- name: abcdefghijklmnop\n")
case("ifname-multibyte-over-15", "interfaces:\n- name: \"\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\"\n")
case("ifname-slash", "interfaces:\n- name: eth/0\n")
case("ifname-space", "interfaces:\n- name: \"eth 0\"\n")
case("ifname-colon", "interfaces:\n- name: \"eth0:1\"\n")
case("ifname-empty", "interfaces:\n- name: ''\n")
case("ifname-dot", "interfaces:\n- name: .\n")
case("ifname-dotdot", "interfaces:\n- name: ..\n")
case("ifname-newline", "interfaces:\n- name: \"eth\\n0\"\n")
case("endpoint-interface-slash", "mptcp:\n  endpoints:\n  - address: 192.0.2.9\n    flags: [signal]\n    interface: a/b\n")
# --- state
case("state-absent", "interfaces:\n- name: eth0\n  state: absent\n")
case("state-Up", "interfaces:\n- name: eth0\n  state: UP\n")
case("state-bool", "interfaces:\n- name: eth0\n  state: true\n")
case("state-ignore", "interfaces:\n- name: eth0\n  state: ignore\n")
case("state-deleted", "interfaces:\n- name: eth0\n  state: deleted\n")
case("nmstate-policy", "capture:\n  default-gw: routes.running.destination==\"0.0.0.0/0\"\ndesiredState:\n  interfaces: []\n")
# --- flags
sf = ["signal", "fullmesh"]
import itertools
others = ["subflow", "backup", "laminar"]
n = 0
for k in range(0, 4):
    for extra in itertools.combinations(others, k):
        for order in ("sf", "fs"):
            fl = (["signal", "fullmesh"] if order == "sf" else ["fullmesh", "signal"]) + list(extra)
            n += 1
            case("flags-signal-fullmesh-%s%s" % (order, "".join("-" + e for e in extra)),
                 "interfaces:\n- name: eth0\n  mptcp:\n    address-flags: [%s]\n" % ", ".join(fl))
case("flags-signal-fullmesh-address", "interfaces:\n- name: eth0\n  ipv4:\n    address:\n    - ip: 192.0.2.1\n      prefix-length: 24\n      mptcp-flags: [fullmesh, signal]\n")
case("flags-signal-fullmesh-endpoint", "mptcp:\n  endpoints:\n  - address: 192.0.2.9\n    flags: [signal, fullmesh]\n")
case("flags-unknown", "interfaces:\n- name: eth0\n  mptcp:\n    address-flags: [subflow, turbo]\n")
case("flags-misspelt-fullmesh", "interfaces:\n- name: eth0\n  mptcp:\n    address-flags: [fulmesh]\n")
case("flags-uppercase", "interfaces:\n- name: eth0\n  mptcp:\n    address-flags: [SUBFLOW]\n")
case("flags-empty-string", "interfaces:\n- name: eth0\n  mptcp:\n    address-flags: ['']\n")
case("flags-kernel-name", "interfaces:\n- name: eth0\n  mptcp:\n    address-flags: [MPTCP_PM_ADDR_FLAG_SUBFLOW]\n")
case("port-without-signal", "mptcp:\n  endpoints:\n  - address: 192.0.2.9\n    port: 8443\n    flags: [backup]\n")
case("port-with-subflow", "mptcp:\n  endpoints:\n  - address: 192.0.2.9\n    port: 8443\n    flags: [signal, subflow]\n")
case("port-no-flags", "mptcp:\n  endpoints:\n  - address: 192.0.2.9\n    port: 8443\n")
case("port-zero", "mptcp:\n  endpoints:\n  - address: 192.0.2.9\n    port: 0\n    flags: [signal]\n")
case("port-65536", "mptcp:\n  endpoints:\n  - address: 192.0.2.9\n    port: 65536\n    flags: [signal]\n")
case("port-negative", "mptcp:\n  endpoints:\n  - address: 192.0.2.9\n    port: -80\n    flags: [signal]\n")
# --- encoding
case("non-utf8-latin1", b"interfaces:\n- name: eth0\n  type: \xe9thernet\n")
case("non-utf8-lone-continuation", b"mptcp:\n  enabled: true\n\x80\n")
case("non-utf8-truncated-sequence", b"interfaces:\n- name: eth\xc3")
case("non-utf8-overlong", b"mptcp:\n  enabled: \xc0\xaf\n")
case("non-utf8-surrogate", b"mptcp:\n  enabled: \xed\xa0\x80\n")
case("nul-byte", b"mptcp:\n  enabled: true\x00\n")
# --- several documents
case("two-documents", "mptcp:\n  enabled: true\n---\nmptcp:\n  enabled: false\n")
case("two-documents-explicit", "---\nmptcp:\n  enabled: true\n...\n---\ninterfaces: []\n")
case("second-document-empty-after-bad", "mptcp:\n  enabled: maybe\n---\n")
# --- anchors and aliases
case("alias-used-as-key-value-type", "base: &b [subflow]\ninterfaces:\n- name: eth0\n  mptcp:\n    address-flags: *b\n")
case("alias-bad-type", "mptcp:\n  limits: &l\n    subflows: 2\n  enabled: *l\n")
case("alias-eleven", "mptcp:\n  endpoints: &e []\ninterfaces:\n" + "".join("- name: eth%d\n  mptcp: &m%d\n    address-flags: *e\n" % (i, i) for i in range(11)) if False else
     "x: &e [subflow]\ninterfaces:\n" + "".join("- name: eth%d\n  mptcp:\n    address-flags: *e\n" % i for i in range(11)))
case("alias-recursive", "mptcp: &a\n  limits: *a\n")
lol = "a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n"
prev = "a"
for lvl in "bcdefghi":
    lol += "%s: &%s [%s]\n" % (lvl, lvl, ",".join(["*" + prev] * 9))
    prev = lvl
case("alias-bomb-billion-laughs", lol)
# --- nesting
case("nesting-33", "mptcp:\n  limits: " + "[" * 31 + "]" * 31 + "\n")

case("recursive-key", "? &a [*a]\n: 1\n")
case("recursive-key-in-mptcp", "mptcp:\n  ? &a {x: *a}\n  : true\n")
case("merge-key-bad-value", "mptcp:\n  <<: {enabled: maybe}\n")
case("tag-python-object", "mptcp: !!python/object/apply:os.system [\"true\"]\n")
case("tag-binary", "mptcp:\n  enabled: !!binary dHJ1ZQ==\n")
case("tag-str-on-bool", "mptcp:\n  enabled: !!str true\n")
case("json-unclosed", '{"mptcp": {"enabled": true}\n')
case("json-enabled-string", '{"mptcp": {"enabled": "true"}}\n')
case("utf16le-odd-length", b"\xff\xfem\x00p\x00t\x00c\x00p\x00:\x00\n")
case("utf16be-lone-surrogate", b"\xfe\xff\x00m\x00:\x00 \xd8\x00\x00\n")
case("bom-then-tab", b"\xef\xbb\xbfmptcp:\n\tenabled: true\n")
case("crlf-error-position", "mptcp:\r\n  enabled: true\r\n  limits:\r\n    subflows: 10\r\n")
case("multibyte-before-error", "# \u00e9\u00e9\u00e9\ninterfaces:\n- name: \u00e9th0\n  state: gone\n")
case("astral-before-error", "interfaces:\n- name: \"\U0001F600\"\n  state: gone\n")

case("inject-newline-in-key", "mptcp:\n  \"a\\nhostile.yml:1:1: forged problem\": true\n")
case("inject-escape-sequence-in-value", "interfaces:\n- name: eth0\n  state: \"\\e[2J\\e[31mup\"\n")
case("inject-line-separator-in-flag", "interfaces:\n- name: eth0\n  mptcp:\n    address-flags: [\"sub\\u2028flow\"]\n")
case("inject-newline-in-tag", "mptcp:\n  enabled: !<tag:x%0Afake.yml:1:1:> true\n")
case("inject-cr-in-ifname", "interfaces:\n- name: \"eth\\r0\"\n")
for name, text in C.items():
    with open(os.path.join(out, name + ".yml"), "wb") as f:
        f.write(text)
print(len(C))
# valid: "no changes" documents
for name, text in {"ok-empty": b"", "ok-comments-only": b"# nothing to change\n\n   # indented comment\n",
                   "ok-document-start-only": b"---\n", "ok-null": b"~\n"}.items():
    with open(os.path.join(out, name + ".yml"), "wb") as f:
        f.write(text)
