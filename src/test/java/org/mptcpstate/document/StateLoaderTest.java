package org.mptcpstate.document;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.mptcpstate.state.DesiredState;
import org.mptcpstate.state.DesiredState.Address;
import org.mptcpstate.state.DesiredState.Interface;
import org.mptcpstate.state.DesiredState.Mptcp;
import org.mptcpstate.state.DesiredState.StandaloneEndpoint;
import org.mptcpstate.state.Diagnostic;
import org.mptcpstate.state.EndpointFlags;
import org.mptcpstate.state.InvalidStateException;
import org.mptcpstate.state.IpAddresses;
import org.mptcpstate.state.MptcpFlag;
import org.mptcpstate.state.Position;
import org.mptcpstate.state.ShowDocument;
import org.mptcpstate.state.WarningSummary;

import java.io.ByteArrayOutputStream;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Every kind of problem a state file can have, each with the exact {@code file:line:column: message} a user
 * sees. Positions are counted by hand in the documents below (1-based; a text block's lines start at column 1).
 */
class StateLoaderTest {
    private static LoadedState load(String text) {
        return StateLoader.load("state.yml", text.getBytes(StandardCharsets.UTF_8));
    }

    /** The problems loading {@code text} reports, one per line. */
    private static String problems(String text) {
        return problems(text.getBytes(StandardCharsets.UTF_8));
    }

    private static String problems(byte[] content) {
        try {
            LoadedState loaded = StateLoader.load("state.yml", content);
            throw new AssertionError("loaded without a problem: " + loaded);
        } catch (InvalidStateException e) {
            return e.getMessage();
        }
    }

    private static Position at(int line, int column) {
        return new Position("state.yml", line, column);
    }

    private static InetAddress ip(String literal) throws Exception {
        return InetAddress.getByName(literal); // literals only: no lookup
    }

    private static EndpointFlags flags(MptcpFlag... flags) {
        return EndpointFlags.of(flags);
    }

    @Nested
    class WhatLoads {
        @Test
        void theFormatOfTheIssue() throws Exception {
            LoadedState loaded = load("""
                    mptcp:
                      enabled: true
                      limits:
                        subflows: 3
                        add-addr-accepted: 2
                      endpoints:
                      - address: 203.0.113.9
                        port: 8443
                        flags: [signal]
                        interface: eth1
                    interfaces:
                    - name: eth1
                      type: ethernet
                      state: up
                      mptcp:
                        address-flags: [subflow, signal]
                      ipv4:
                        address:
                        - ip: 192.0.2.2
                          prefix-length: 24
                          mptcp-flags: [subflow, backup]
                      ipv6:
                        address:
                        - ip: 2001:db8::2
                          prefix-length: 64
                    """);
            DesiredState expected = new DesiredState(
                    new Mptcp(
                            true,
                            3,
                            2,
                            List.of(new StandaloneEndpoint(
                                    ip("203.0.113.9"), 8443, flags(MptcpFlag.SIGNAL), "eth1", at(7, 5))),
                            at(1, 1)),
                    List.of(new Interface(
                            "eth1",
                            "ethernet",
                            "up",
                            flags(MptcpFlag.SIGNAL, MptcpFlag.SUBFLOW),
                            List.of(
                                    new Address(
                                            ip("192.0.2.2"), 24, flags(MptcpFlag.SUBFLOW, MptcpFlag.BACKUP), at(19, 7)),
                                    new Address(ip("2001:db8::2"), 64, null, at(24, 7))),
                            at(12, 3))));
            assertThat(loaded.state()).isEqualTo(expected);
            assertThat(loaded.warnings()).isEmpty();
        }

        @Test
        void emptyFileCommentsOnlyAndNullAreTheEmptyState() {
            DesiredState empty = new DesiredState(null, List.of());
            assertThat(load("").state()).isEqualTo(empty);
            assertThat(load("# nothing to change\n\n   # really\n").state()).isEqualTo(empty);
            assertThat(load("---\n").state()).isEqualTo(empty);
            assertThat(load("---\n...\n").state()).isEqualTo(empty);
            assertThat(load("null\n").state()).isEqualTo(empty);
            assertThat(load("~").state()).isEqualTo(empty);
        }

        @Test
        void emptyMappingsAndListsAreStatedButEmpty() {
            DesiredState state = load("mptcp: {}\ninterfaces: []\n").state();
            assertThat(state).isEqualTo(new DesiredState(new Mptcp(null, null, null, null, at(1, 1)), List.of()));
            Mptcp endpointsNone = load("mptcp:\n  endpoints: []\n").state().mptcp();
            assertThat(endpointsNone.endpoints()).isEmpty();
        }

        @Test
        void jsonLoadsWithJsonPositions() throws Exception {
            LoadedState loaded = load("""
                    {"mptcp": {"enabled": false, "limits": {"subflows": 0}},
                     "interfaces": [{"name": "eth1", "mptcp": {"address-flags": []}}]}
                    """);
            assertThat(loaded.state())
                    .isEqualTo(new DesiredState(
                            new Mptcp(false, 0, null, null, at(1, 2)),
                            List.of(new Interface("eth1", null, null, EndpointFlags.NONE, List.of(), at(2, 17)))));
        }

        @Test
        void yamlCoreSchemaScalars() {
            // True is a boolean in YAML 1.2, 0x3 and 0o4 are integers, +2 too
            Mptcp mptcp = load("mptcp:\n  enabled: True\n  limits: {subflows: 0x3, add-addr-accepted: 0o4}\n")
                    .state()
                    .mptcp();
            assertThat(mptcp.enabled()).isTrue();
            assertThat(mptcp.subflows()).isEqualTo(3);
            assertThat(mptcp.addAddrAccepted()).isEqualTo(4);
            assertThat(load("mptcp: {limits: {subflows: +2}}").state().mptcp().subflows())
                    .isEqualTo(2);
        }

        @Test
        void quotedNamesThatLookLikeOtherTypesAreNames() {
            List<Interface> interfaces = load("""
                    interfaces:
                    - name: "123"
                    - name: 'true'
                    - name: "0x10"
                    - name: yes
                    - name: "~"
                    """).state().interfaces();
            assertThat(interfaces).extracting(Interface::name).containsExactly("123", "true", "0x10", "yes", "~");
        }

        @Test
        void aMappedIpv4EndpointStaysIpv6() {
            StandaloneEndpoint endpoint = load("mptcp:\n  endpoints:\n  - address: ::ffff:192.0.2.7\n")
                    .state()
                    .mptcp()
                    .endpoints()
                    .get(0);
            assertThat(endpoint.address()).isInstanceOf(Inet6Address.class);
            assertThat(IpAddresses.format(endpoint.address())).isEqualTo("::ffff:192.0.2.7");
            assertThat(endpoint.flags()).isEqualTo(EndpointFlags.NONE);
        }

        @Test
        void portWithSignalAndBackupIsWhatTheKernelTakes() {
            StandaloneEndpoint endpoint =
                    load("mptcp:\n  endpoints:\n  - {address: 192.0.2.9, port: 1, flags: [backup, signal]}\n")
                            .state()
                            .mptcp()
                            .endpoints()
                            .get(0);
            assertThat(endpoint.flags()).isEqualTo(flags(MptcpFlag.SIGNAL, MptcpFlag.BACKUP));
            assertThat(endpoint.port()).isEqualTo(1);
        }

        @Test
        void laminarIsAFlag() {
            assertThat(load("interfaces: [{name: eth1, mptcp: {address-flags: [laminar, subflow]}}]")
                            .state()
                            .interfaces()
                            .get(0)
                            .addressFlags())
                    .isEqualTo(flags(MptcpFlag.SUBFLOW, MptcpFlag.LAMINAR));
        }

        @Test
        void eightEndpointsAreFine() {
            StringBuilder text = new StringBuilder("mptcp:\n  endpoints:\n");
            for (int i = 1; i <= 8; i++) {
                text.append("  - address: 192.0.2.").append(i).append('\n');
            }
            assertThat(load(text.toString()).state().mptcp().endpoints()).hasSize(8);
        }

        @Test
        void theSameAddressWithDifferentPortsIsTwoEndpoints() {
            assertThat(load("""
                    mptcp:
                      endpoints:
                      - {address: 192.0.2.9, port: 80, flags: [signal]}
                      - {address: 192.0.2.9, port: 443, flags: [signal]}
                      - {address: 192.0.2.9}
                    """).state().mptcp().endpoints()).hasSize(3);
        }

        @Test
        void anInterfaceNameAtTheKernelsLimit() {
            assertThat(load("interfaces: [{name: abcdefghijklmno}]")
                            .state()
                            .interfaces()
                            .get(0)
                            .name())
                    .isEqualTo("abcdefghijklmno");
            // 13 bytes in UTF-8
            assertThat(load("interfaces: [{name: ethernet-ü1}]")
                            .state()
                            .interfaces()
                            .get(0)
                            .name())
                    .isEqualTo("ethernet-ü1");
        }

        @Test
        void crlfLineEndings() {
            assertThat(problems("mptcp:\r\n  limits:\r\n    subflows: 9\r\n"))
                    .isEqualTo("state.yml:3:15: subflows must be from 0 to 8, got 9");
        }

        @Test
        void utf16WithAByteOrderMark() {
            byte[] body = "interfaces: [{name: eth1}]\n".getBytes(StandardCharsets.UTF_16LE);
            byte[] content = new byte[body.length + 2];
            content[0] = (byte) 0xff;
            content[1] = (byte) 0xfe;
            System.arraycopy(body, 0, content, 2, body.length);
            assertThat(StateLoader.load("-", content)
                            .state()
                            .interfaces()
                            .get(0)
                            .name())
                    .isEqualTo("eth1");
        }

        @Test
        void utf8ByteOrderMarkIsSkipped() {
            byte[] body = "interfaces: [{name: eth1, state: off}]\n".getBytes(StandardCharsets.UTF_8);
            byte[] content = new byte[body.length + 3];
            content[0] = (byte) 0xef;
            content[1] = (byte) 0xbb;
            content[2] = (byte) 0xbf;
            System.arraycopy(body, 0, content, 3, body.length);
            assertThat(problems(content))
                    .isEqualTo("state.yml:1:34: state 'off': an interface's state is up, down, absent, ignore or"
                            + " unknown (mptcpstate never changes links: see docs/state-file.md)");
        }

        @Test
        void stdinIsNamedDash() {
            assertThatThrownBy(() -> StateLoader.load("-", "mptcp: {enabled: 2}".getBytes(StandardCharsets.UTF_8)))
                    .isInstanceOf(InvalidStateException.class)
                    .hasMessage("-:1:18: expected true or false, got the integer 2");
        }
    }

    private static final String IGNORED =
            "is an nmstate key that mptcpstate does not act on; not read [nmstate-ignored]";

    @Nested
    class NmstateAndShowKeys {
        @Test
        void nmstateKeysAreWarningsInFileOrder() {
            LoadedState loaded = load("""
                    interfaces:
                    - name: eth1
                      mtu: 1500
                      ethernet: {speed: 1000}
                      ipv4:
                        enabled: true
                        dhcp: false
                        address:
                        - {ip: 192.0.2.2, prefix-length: 24, valid-left: forever}
                      ipv6:
                        autoconf: false
                        dhcp-duid: ll
                    routes:
                      config: []
                    hostname: {config: host1}
                    """);
            // enabled is read (type-checked), valid-left is an alias of valid-life-time (read): not ignored
            assertThat(loaded.warnings())
                    .extracting(Diagnostic::toString)
                    .containsExactly(
                            "state.yml:3:3: 'mtu' " + IGNORED,
                            "state.yml:4:3: 'ethernet' " + IGNORED,
                            "state.yml:7:5: 'dhcp' " + IGNORED,
                            "state.yml:11:5: 'autoconf' " + IGNORED,
                            "state.yml:12:5: 'dhcp-duid' " + IGNORED,
                            "state.yml:13:1: 'routes' " + IGNORED,
                            "state.yml:15:1: 'hostname' " + IGNORED);
            assertThat(loaded.warnings())
                    .extracting(Diagnostic::subject)
                    .containsExactly(
                            "interfaces: mtu",
                            "interfaces: ethernet",
                            "ipv4/ipv6: dhcp",
                            "ipv4/ipv6: autoconf",
                            "ipv4/ipv6: dhcp-duid",
                            "top level: routes",
                            "top level: hostname");
            assertThat(loaded.state().interfaces().get(0).addresses()).hasSize(1);
            // one line per file unless --verbose: which sections, how many keys
            assertThat(WarningSummary.of(loaded.warnings(), false))
                    .extracting(Diagnostic::toString)
                    .containsExactly("state.yml: ignoring 7 nmstate keys that mptcpstate does not act on: top level 2"
                            + " (hostname, routes), interfaces 2 (ethernet, mtu), ipv4/ipv6 3 (autoconf, dhcp,"
                            + " dhcp-duid); --verbose lists each [nmstate-ignored]");
        }

        @Test
        void nmstateKeysOfTheOtherFamilyAreUnknown() {
            // nmstate itself refuses autoconf and dhcp-duid for IPv4
            assertThat(problems("interfaces:\n- name: eth1\n  ipv4:\n    autoconf: false\n"))
                    .isEqualTo("state.yml:4:5: 'autoconf' belongs under ipv6 (nmstate refuses it here)");
        }

        @Test
        void aSectionNamedAfterItsTypeIsIgnoredOtherUnknownKeysAreNot() {
            // nmstate checks nothing in an interface of a type it does not know; mptcpstate takes the type's own
            // section and still refuses a typo
            LoadedState loaded = load("interfaces: [{name: wg0, type: wireguard, wireguard: {listen-port: 1}}]\n");
            assertThat(loaded.warnings()).extracting(Diagnostic::subject).containsExactly("interfaces: wireguard");
            assertThat(problems("interfaces: [{name: wg0, type: wireguard, ipv44: {}}]\n"))
                    .isEqualTo("state.yml:1:43: unknown key 'ipv44'; did you mean 'ipv4'?");
            assertThat(problems("interfaces: [{name: eth0, type: ethernet, wireguard: {}}]\n"))
                    .isEqualTo("state.yml:1:43: unknown key 'wireguard'");
            // nmstate's own types have their sections in the vocabulary: bond's is link-aggregation (nmstate's
            // docs once wrote bond:, which nmstate refuses)
            assertThat(problems("interfaces: [{name: bond0, type: bond, bond: {mode: 0}}]\n"))
                    .isEqualTo("state.yml:1:40: unknown key 'bond'");
        }

        @Test
        void nmstatesReferenceToAVirtualFunctionIsNotResolved() {
            assertThat(problems("interfaces: [{name: 'sriov:eth1:1', type: ethernet}]\n"))
                    .isEqualTo("state.yml:1:21: 'sriov:eth1:1' is nmstate's reference to an SR-IOV VF, which"
                            + " mptcpstate does not resolve: name the VF's interface");
        }

        @Test
        void theValuesOfIgnoredKeysAreNotRead() {
            // however odd, an ignored key's value is nmstate's business
            assertThat(load("interfaces: [{name: eth1, mtu: [[[x]]], lldp: ~}]\n")
                            .warnings())
                    .hasSize(2);
        }

        @Test
        void readOnlyShowKeysAreAcceptedWithoutWarning() {
            LoadedState loaded = load("""
                    mptcp:
                      path-manager: kernel
                      endpoints:
                      - {address: 192.0.2.9, id: 3, interface-index: 42}
                    interfaces:
                    - name: eth1
                      oper-state: lower-layer-down
                      ipv4:
                        default-route: true
                        address:
                        - {ip: 192.0.2.2, mptcp-endpoint-id: 1, mptcp-ineligible: loopback, kernel-flags: [dynamic]}
                    """);
            assertThat(loaded.warnings()).isEmpty();
        }

        @Test
        void readOnlyKeysAreTypeChecked() {
            assertThat(problems("""
                    mptcp:
                      path-manager: 1
                      endpoints:
                      - {address: 192.0.2.9, id: 0}
                    interfaces:
                    - name: eth1
                      ipv6:
                        default-route: "maybe"
                        address:
                        - {ip: 2001:db8::1, kernel-flags: dynamic}
                    """)).isEqualTo("""
                    state.yml:2:17: expected a string, got the integer 1 (quote it: "1")
                    state.yml:4:30: id must be from 1 to 255, got 0
                    state.yml:8:20: expected true or false, got the string 'maybe' (as strings: 1, 0, true, false, yes, no, on, off, y, n)
                    state.yml:10:39: expected a list of strings, got the string 'dynamic'""");
        }
    }

    @Nested
    class Keys {
        @Test
        void unknownKeyWithTheNearestKnownOne() {
            assertThat(problems("""
                    interfaces:
                    - name: eth1
                      mptcp:
                        adress-flags: [signal]
                    """))
                    .isEqualTo("state.yml:4:5: unknown key 'adress-flags'; did you mean 'address-flags'?");
        }

        @Test
        void unknownKeysEverywhere() {
            assertThat(problems("""
                    mtpcp: {}
                    mptcp:
                      limit: {subflows: 2}
                      limits: {subflow: 2}
                      endpoints: [{adress: 192.0.2.1}]
                    interfaces:
                    - name: eth1
                      Type: veth
                      ipv4:
                        adresses: []
                        address: [{ip: 192.0.2.2, prefix: 24}]
                      frobnicate: true
                    """)).isEqualTo("""
                    state.yml:1:1: unknown key 'mtpcp'; did you mean 'mptcp'?
                    state.yml:3:3: unknown key 'limit'; did you mean 'limits'?
                    state.yml:4:12: unknown key 'subflow'; did you mean 'subflows'?
                    state.yml:5:15: endpoint without 'address'
                    state.yml:5:16: unknown key 'adress'; did you mean 'address'?
                    state.yml:8:3: unknown key 'Type'; did you mean 'type'?
                    state.yml:10:5: unknown key 'adresses'; did you mean 'address'?
                    state.yml:11:31: unknown key 'prefix'
                    state.yml:12:3: unknown key 'frobnicate'""");
        }

        @Test
        void duplicateKeys() {
            assertThat(problems("""
                    mptcp:
                      enabled: true
                      enabled: false
                    interfaces: [{name: eth1, name: eth2}]
                    """)).isEqualTo("""
                    state.yml:3:3: duplicate key 'enabled' (first at line 2, column 3)
                    state.yml:4:27: duplicate key 'name' (first at line 4, column 15)""");
        }

        @Test
        void aKeyThatIsNotAName() {
            assertThat(problems("? [mptcp]\n: {}\n")).isEqualTo("state.yml:1:3: expected a key name, got a list");
        }

        @Test
        void mergeKeysAreExpandedByTheParser() {
            // snakeyaml-engine's composer merges YAML 1.1 merge keys, the keys written out winning
            List<Interface> interfaces = load("""
                    interfaces:
                    - &base {name: eth1, mptcp: {address-flags: [subflow]}}
                    - <<: *base
                      name: eth2
                    """).state().interfaces();
            assertThat(interfaces).extracting(Interface::name).containsExactly("eth1", "eth2");
            assertThat(interfaces.get(1).addressFlags()).isEqualTo(flags(MptcpFlag.SUBFLOW));
        }

        @Test
        void missingRequiredKeys() {
            assertThat(problems("""
                    mptcp:
                      endpoints:
                      - port: 80
                        flags: [signal]
                    interfaces:
                    - type: veth
                    - name: eth1
                      ipv4:
                        address:
                        - prefix-length: 24
                    """)).isEqualTo("""
                    state.yml:3:5: endpoint without 'address'
                    state.yml:6:3: interface without 'name'
                    state.yml:10:7: address without 'ip'""");
        }
    }

    @Nested
    class Types {
        @Test
        void booleansAsNmstateReadsThem() {
            // nmstate's bool_or_string: a YAML boolean, 0 or 1, or one of ten strings in any case (Ansible)
            for (String yes : List.of("true", "True", "1", "\"1\"", "yes", "\"yes\"", "On", "Y", "\"TRUE\"")) {
                assertThat(load("mptcp:\n  enabled: " + yes + "\n")
                                .state()
                                .mptcp()
                                .enabled())
                        .as(yes)
                        .isTrue();
            }
            for (String no : List.of("false", "FALSE", "0", "\"0\"", "no", "\"off\"", "N", "\"False\"")) {
                assertThat(load("mptcp:\n  enabled: " + no + "\n")
                                .state()
                                .mptcp()
                                .enabled())
                        .as(no)
                        .isFalse();
            }
        }

        @Test
        void ambiguousBooleansAreRefused() {
            assertThat(problems("mptcp:\n  enabled: \"enable\"\n"))
                    .isEqualTo("state.yml:2:12: expected true or false, got the string 'enable' (as strings: 1, 0,"
                            + " true, false, yes, no, on, off, y, n)");
            assertThat(problems("mptcp:\n  enabled: 2\n"))
                    .isEqualTo("state.yml:2:12: expected true or false, got the integer 2");
            assertThat(problems("mptcp:\n  enabled: 1.0\n"))
                    .isEqualTo("state.yml:2:12: expected true or false, got the number 1.0");
            assertThat(problems("interfaces: [{name: eth1, ipv4: {enabled: \" yes\"}}]\n"))
                    .isEqualTo("state.yml:1:43: expected true or false, got the string ' yes' (as strings: 1, 0,"
                            + " true, false, yes, no, on, off, y, n)");
        }

        @Test
        void aFloatLimit() {
            assertThat(problems("mptcp:\n  limits:\n    subflows: 2.0\n"))
                    .isEqualTo("state.yml:3:15: expected an integer, got the number 2.0");
        }

        @Test
        void numbersAsNmstateReadsThem() {
            // nmstate's u8_or_string and kin: a YAML integer, or a string of digits with an optional sign, or 0x hex
            for (String two : List.of("2", "\"2\"", "\"+2\"", "\"02\"", "\"0x2\"", "\"0x02\"", "0x2", "0o2", "+2")) {
                assertThat(load("mptcp:\n  limits:\n    add-addr-accepted: " + two + "\n")
                                .state()
                                .mptcp()
                                .addAddrAccepted())
                        .as(two)
                        .isEqualTo(2);
            }
            assertThat(load("interfaces: [{name: eth1, ipv6: {address: [{ip: '2001:db8::1', prefix-length: '0x40'}]}}]")
                            .state()
                            .interfaces()
                            .get(0)
                            .addresses()
                            .get(0)
                            .prefixLength())
                    .isEqualTo(64);
        }

        @Test
        void ambiguousNumbersAreRefused() {
            assertThat(problems("""
                    mptcp:
                      limits:
                        subflows: " 2"
                        add-addr-accepted: "2.0"
                      endpoints:
                      - {address: 192.0.2.1, port: "0X50", flags: [signal]}
                      - {address: 192.0.2.2, port: "-80", flags: [signal]}
                      - {address: 192.0.2.3, port: "", flags: [signal]}
                      - {address: 192.0.2.4, port: "0x", flags: [signal]}
                      - {address: 192.0.2.5, port: "1e2", flags: [signal]}
                    """)).isEqualTo("""
                    state.yml:3:15: expected an integer, got the string ' 2' (as strings: "24", "+24" or "0x18")
                    state.yml:4:24: expected an integer, got the string '2.0' (as strings: "24", "+24" or "0x18")
                    state.yml:6:32: expected an integer, got the string '0X50' (as strings: "24", "+24" or "0x18")
                    state.yml:7:32: port must be from 1 to 65535, got -80
                    state.yml:8:32: expected an integer, got the string '' (as strings: "24", "+24" or "0x18")
                    state.yml:9:32: expected an integer, got the string '0x' (as strings: "24", "+24" or "0x18")
                    state.yml:10:32: expected an integer, got the string '1e2' (as strings: "24", "+24" or "0x18")""");
        }

        @Test
        void aStringWhereAListOfFlagsIsExpected() {
            assertThat(problems("interfaces:\n- name: eth1\n  mptcp:\n    address-flags: signal\n"))
                    .isEqualTo("state.yml:4:20: expected a list of flags, got the string 'signal' (write [signal])");
        }

        @Test
        void listsAndMappingsInTheWrongPlace() {
            assertThat(problems("""
                    mptcp: [enabled]
                    interfaces:
                      name: eth1
                    """)).isEqualTo("""
                    state.yml:1:8: expected a mapping, got a list
                    state.yml:3:3: expected a list of interfaces, got a mapping""");
            assertThat(problems("interfaces:\n- eth1\n- [eth2]\n")).isEqualTo("""
                    state.yml:2:3: expected an interface (a mapping with name:), got the string 'eth1'
                    state.yml:3:3: expected an interface (a mapping with name:), got a list""");
            assertThat(problems("- mptcp\n"))
                    .isEqualTo("state.yml:1:1: expected a mapping with the keys mptcp and interfaces, got a list");
            assertThat(problems("mptcp\n"))
                    .isEqualTo(
                            "state.yml:1:1: expected a mapping with the keys mptcp and interfaces, got the string 'mptcp'");
        }

        @Test
        void aKeyWithoutAValue() {
            assertThat(problems("""
                    mptcp:
                      enabled:
                      endpoints:
                    interfaces:
                    - name: eth1
                      mptcp:
                        address-flags:
                    """)).isEqualTo("""
                    state.yml:2:11: expected true or false, got no value
                    state.yml:3:13: expected a list of endpoints, got no value
                    state.yml:7:19: expected a list of flags, got no value""");
        }

        @Test
        void anUnquotedNumericName() {
            assertThat(problems("interfaces:\n- name: 123\n- name: 1e3\n")).isEqualTo("""
                    state.yml:2:9: expected an interface name (a string), got the integer 123 (quote it: "123")
                    state.yml:3:9: expected an interface name (a string), got the number 1e3 (quote it: "1e3")""");
        }

        @Test
        void explicitTags() {
            assertThat(load("mptcp: {enabled: !!bool \"false\", limits: {subflows: !!int \"3\"}}")
                            .state()
                            .mptcp())
                    .isEqualTo(new Mptcp(false, 3, null, null, at(1, 1)));
            assertThat(problems("mptcp: {enabled: !!bool yes, limits: {subflows: !!int abc}}"))
                    .isEqualTo("""
                    state.yml:1:18: expected true or false, got 'yes'
                    state.yml:1:49: expected an integer, got 'abc'""");
        }

        @Test
        void aTaggedValue() {
            assertThat(problems("interfaces:\n- name: !mytag eth1\n"))
                    .isEqualTo("state.yml:2:9: expected an interface name (a string), got 'eth1' tagged !mytag");
        }

        @Test
        void aFlagThatIsNotAString() {
            assertThat(problems("interfaces: [{name: eth1, mptcp: {address-flags: [signal, 1, [backup]]}}]"))
                    .isEqualTo("""
                            state.yml:1:59: expected a flag name, got the integer 1
                            state.yml:1:62: expected a flag name, got a list""");
        }
    }

    @Nested
    class Values {
        @Test
        void limitsOutOfRange() {
            assertThat(problems("mptcp:\n  limits:\n    subflows: 9\n    add-addr-accepted: -1\n"))
                    .isEqualTo("""
                    state.yml:3:15: subflows must be from 0 to 8, got 9
                    state.yml:4:24: add-addr-accepted must be from 0 to 8, got -1""");
            assertThat(problems("mptcp: {limits: {subflows: 99999999999999999999999}}"))
                    .isEqualTo("state.yml:1:28: subflows must be from 0 to 8, got 99999999999999999999999");
        }

        @Test
        void unknownFlags() {
            assertThat(problems("interfaces:\n- name: eth1\n  mptcp:\n    address-flags: [sigal, bogus, Backup]\n"))
                    .isEqualTo("""
                            state.yml:4:21: unknown flag 'sigal'; did you mean 'signal'?
                            state.yml:4:28: unknown flag 'bogus' (flags: signal, subflow, backup, fullmesh, laminar)
                            state.yml:4:35: unknown flag 'Backup'; did you mean 'backup'?""");
        }

        @Test
        void implicitLoadsAsShowPrintsIt() {
            assertThat(load("mptcp:\n  endpoints:\n  - address: 192.0.2.1\n    flags: [subflow, implicit]\n")
                            .state()
                            .mptcp()
                            .endpoints()
                            .get(0)
                            .flags())
                    .isEqualTo(EndpointFlags.of(MptcpFlag.SUBFLOW, MptcpFlag.IMPLICIT));
        }

        @Test
        void aFlagTwiceCountsOnceWithAWarning() {
            LoadedState loaded = load(
                    "interfaces: [{name: eth1, ipv4: {address: [{ip: 192.0.2.2, mptcp-flags: [subflow, subflow]}]}}]");
            assertThat(loaded.state().interfaces().get(0).addresses().get(0).mptcpFlags())
                    .isEqualTo(flags(MptcpFlag.SUBFLOW));
            assertThat(loaded.warnings())
                    .extracting(Diagnostic::toString)
                    .containsExactly("state.yml:1:83: flag 'subflow' is listed twice; counted once [flag-duplicate]");
            // not adjacent, as nmstate's dedup() would miss it
            assertThat(load("interfaces: [{name: eth1, mptcp: {address-flags: [subflow, backup, subflow]}}]")
                            .state()
                            .interfaces()
                            .get(0)
                            .addressFlags())
                    .isEqualTo(flags(MptcpFlag.SUBFLOW, MptcpFlag.BACKUP));
        }

        @Test
        void signalWithFullmesh() {
            assertThat(problems("""
                    interfaces:
                    - name: eth1
                      mptcp:
                        address-flags:
                        - fullmesh
                        - signal
                    """)).isEqualTo("state.yml:5:5: MPTCP flags mustn't have both signal and fullmesh");
        }

        @Test
        void aPortNeedsSignalWithoutSubflow() {
            assertThat(problems("""
                    mptcp:
                      endpoints:
                      - address: 192.0.2.1
                        port: 8443
                      - address: 192.0.2.2
                        port: 8443
                        flags: [signal, subflow]
                      - address: 192.0.2.3
                        port: 8443
                        flags: [backup]
                    """)).isEqualTo("""
                    state.yml:4:11: a port needs flags with signal and without subflow (the kernel listens on the port for such endpoints only)
                    state.yml:6:11: a port needs flags with signal and without subflow (the kernel listens on the port for such endpoints only)
                    state.yml:9:11: a port needs flags with signal and without subflow (the kernel listens on the port for such endpoints only)""");
        }

        @Test
        void portOutOfRange() {
            assertThat(problems("""
                    mptcp:
                      endpoints:
                      - {address: 192.0.2.1, port: 0, flags: [signal]}
                      - {address: 192.0.2.2, port: 65536, flags: [signal]}
                      - {address: 192.0.2.3, port: "http", flags: [signal]}
                    """)).isEqualTo("""
                    state.yml:3:32: port must be from 1 to 65535, got 0
                    state.yml:4:32: port must be from 1 to 65535, got 65536
                    state.yml:5:32: expected an integer, got the string 'http' (as strings: "24", "+24" or "0x18")""");
        }

        @Test
        void addressesThatAreNotLiterals() {
            assertThat(problems("""
                    mptcp:
                      endpoints:
                      - address: localhost
                      - address: 203.0.113.9/32
                      - address: 192.0.2.01
                      - address: fe80::1%eth0
                    interfaces:
                    - name: eth1
                      ipv4:
                        address:
                        - ip: 192.0.2.2/24
                        - ip: 192.0.2
                        - ip: 3232235521
                    """)).isEqualTo("""
                    state.yml:3:14: 'localhost' is not an IP address (host names are not resolved)
                    state.yml:4:14: '203.0.113.9/32' is not an IP address: an endpoint takes no prefix length
                    state.yml:5:14: '192.0.2.01' is not an IP address (host names are not resolved)
                    state.yml:6:14: 'fe80::1%eth0' is not an IP address (host names are not resolved)
                    state.yml:11:11: '192.0.2.2/24' is not an IP address: give the prefix length as prefix-length
                    state.yml:12:11: '192.0.2' is not an IP address (host names are not resolved)
                    state.yml:13:11: expected an IP address (a string), got the integer 3232235521 (quote it: "3232235521")""");
        }

        @Test
        void prefixLengthOutOfRangeForTheFamily() {
            assertThat(problems("""
                    interfaces:
                    - name: eth1
                      ipv4:
                        address:
                        - {ip: 192.0.2.2, prefix-length: 33}
                      ipv6:
                        address:
                        - {ip: 2001:db8::2, prefix-length: 129}
                        - {ip: 2001:db8::3, prefix-length: -1}
                    """)).isEqualTo("""
                    state.yml:5:38: prefix-length must be from 0 to 32 for IPv4, got 33
                    state.yml:8:40: prefix-length must be from 0 to 128 for IPv6, got 129
                    state.yml:9:40: prefix-length must be from 0 to 128 for IPv6, got -1""");
        }

        @Test
        void addressesUnderTheWrongFamily() {
            assertThat(problems("""
                    interfaces:
                    - name: eth1
                      ipv4:
                        address:
                        - ip: 2001:db8::2
                      ipv6:
                        address:
                        - ip: 192.0.2.2
                    """)).isEqualTo("""
                    state.yml:5:11: 2001:db8::2 is an IPv6 address; it belongs under ipv6
                    state.yml:8:11: 192.0.2.2 is an IPv4 address; it belongs under ipv4""");
        }

        @Test
        void interfaceNamesTheKernelRefuses() {
            assertThat(problems("""
                    mptcp:
                      endpoints:
                      - {address: 192.0.2.1, interface: "eth 1"}
                    interfaces:
                    - name: ""
                    - name: averyveryverylongname
                    - name: ethernet-ümlaut
                    - name: br/0
                    - name: eth0:1
                    - name: "eth\\t1"
                    - name: .
                    - name: ..
                    """)).isEqualTo("""
                    state.yml:3:37: interface name 'eth 1' contains whitespace, which the kernel refuses
                    state.yml:5:9: an interface name cannot be empty
                    state.yml:6:9: interface name 'averyveryverylongname' is 21 bytes long; the kernel takes at most 15
                    state.yml:7:9: interface name 'ethernet-ümlaut' is 16 bytes long; the kernel takes at most 15
                    state.yml:8:9: interface name 'br/0' contains '/', which the kernel refuses
                    state.yml:9:9: interface name 'eth0:1' contains ':', which the kernel refuses
                    state.yml:10:9: interface name 'eth\\t1' contains whitespace, which the kernel refuses
                    state.yml:11:9: interface name '.' is refused by the kernel
                    state.yml:12:9: interface name '..' is refused by the kernel""");
        }

        @Test
        void onlyNmstatesStates() {
            assertThat(problems("interfaces:\n- name: eth1\n  state: deleted\n- name: eth2\n  state: Up\n"))
                    .isEqualTo("""
                            state.yml:3:10: state 'deleted': an interface's state is up, down, absent, ignore or unknown (mptcpstate never changes links: see docs/state-file.md)
                            state.yml:5:10: state 'Up': an interface's state is up, down, absent, ignore or unknown (mptcpstate never changes links: see docs/state-file.md)""");
        }
    }

    @Nested
    class Duplicates {
        @Test
        void theSameInterfaceTwice() {
            assertThat(problems("interfaces:\n- name: eth1\n- name: eth2\n- name: eth1\n"))
                    .isEqualTo("state.yml:4:9: interface 'eth1' is listed twice (first at line 2, column 9)");
        }

        @Test
        void theSameAddressTwice() {
            assertThat(problems("""
                    interfaces:
                    - name: eth1
                      ipv4:
                        address:
                        - ip: 192.0.2.2
                        - ip: 192.0.2.2
                    - name: eth2
                      ipv4:
                        address:
                        - ip: 192.0.2.2
                      ipv6:
                        address:
                        - ip: 2001:DB8:0::2
                        - ip: 2001:db8::2
                        - ip: ::ffff:192.0.2.2
                    """)).isEqualTo("""
                    state.yml:6:11: address 192.0.2.2 is listed twice (first under 'eth1' at line 5, column 11)
                    state.yml:10:11: address 192.0.2.2 is listed twice (first under 'eth1' at line 5, column 11)
                    state.yml:14:11: address 2001:db8::2 is listed twice (first under 'eth2' at line 13, column 11)
                    state.yml:15:11: address ::ffff:192.0.2.2 is listed twice (first under 'eth1' at line 5, column 11)""");
        }

        @Test
        void theSameEndpointTwice() {
            assertThat(problems("""
                    mptcp:
                      endpoints:
                      - {address: 192.0.2.9}
                      - {address: 192.0.2.9, flags: [signal]}
                      - {address: "::ffff:192.0.2.9"}
                      - {address: 192.0.2.9, port: 80, flags: [signal]}
                      - {address: 192.0.2.9, port: 80, flags: [signal]}
                    """)).isEqualTo("""
                    state.yml:4:15: endpoint 192.0.2.9 is listed twice (first at line 3, column 15)
                    state.yml:5:15: endpoint ::ffff:192.0.2.9 is listed twice (first at line 3, column 15)
                    state.yml:7:15: endpoint 192.0.2.9 port 80 is listed twice (first at line 6, column 15)""");
        }

        @Test
        void anEndpointOnAnAddressThatHasFlags() {
            assertThat(problems("""
                    mptcp:
                      endpoints:
                      - {address: 192.0.2.2, interface: eth0}
                      - {address: 192.0.2.3}
                      - {address: 192.0.2.2, port: 8443, flags: [signal]}
                    interfaces:
                    - name: eth1
                      ipv4:
                        address:
                        - {ip: 192.0.2.2, mptcp-flags: [subflow]}
                        - {ip: 192.0.2.3, mptcp-flags: []}
                    """))
                    .isEqualTo("state.yml:3:15: endpoint 192.0.2.2 is also an address with mptcp-flags under"
                            + " 'eth1' (at line 10, column 12); the kernel holds one endpoint per address");
        }

        @Test
        void moreThanEightEndpoints() {
            StringBuilder text = new StringBuilder("mptcp:\n  endpoints:\n");
            for (int i = 1; i <= 10; i++) {
                text.append("  - address: 192.0.2.").append(i).append('\n');
            }
            assertThat(problems(text.toString()))
                    .isEqualTo(
                            "state.yml:11:5: more than 8 endpoints: the kernel holds at most 8 per network namespace");
        }
    }

    @Nested
    class Syntax {
        @Test
        void aTabInTheIndentation() {
            assertThat(problems("mptcp:\n\tenabled: true\n"))
                    .isEqualTo("state.yml:2:1: a tab character where YAML takes spaces only: indent with spaces");
        }

        @Test
        void anUnclosedList() {
            assertThat(problems("interfaces: [{name: eth1}\n"))
                    .isEqualTo(
                            "state.yml:2:1: YAML syntax: expected"
                                    + " ',' or ']', but got <stream end> (while parsing a flow sequence started at line 1, column 13)");
        }

        @Test
        void aBadIndentation() {
            assertThat(problems("mptcp:\n  enabled: true\n limits: {}\n"))
                    .isEqualTo("state.yml:3:2: YAML syntax:"
                            + " expected <block end>, but found '<block mapping start>' (while parsing a block mapping"
                            + " started at line 1, column 1)");
        }

        @Test
        void anUndefinedAlias() {
            assertThat(problems("interfaces: [*eth]\n"))
                    .isEqualTo("state.yml:1:14: YAML syntax: found undefined alias eth");
        }

        @Test
        void severalDocuments() {
            // the first one is still checked
            assertThat(problems("mptcp: {enabled: 3}\n---\ninterfaces: []\n")).isEqualTo("""
                    state.yml:1:18: expected true or false, got the integer 3
                    state.yml:2:1: a second YAML document starts here; a state file holds one""");
            assertThat(problems("mptcp: {}\n---\n"))
                    .isEqualTo("state.yml:2:1: a second YAML document starts here; a state file holds one");
        }

        @Test
        void anUnsupportedYamlVersion() {
            assertThat(problems("%YAML 2.0\n---\nmptcp: {}\n"))
                    .isEqualTo("state.yml:1:1: %YAML 2.0 is not a YAML version this reader takes (1.x)");
            assertThat(load("%YAML 1.2\n---\nmptcp: {}\n").state().mptcp()).isNotNull();
        }

        @Test
        void aControlCharacter() {
            assertThat(problems("interfaces:\n- name: eth\u00011\n"))
                    .isEqualTo("state.yml:2:12: character U+0001 is not allowed in YAML");
        }

        @Test
        void notUtf8() {
            byte[] content = {'m', 'p', 't', 'c', 'p', ':', '\n', ' ', ' ', (byte) 0xff, ':', ' ', '1', '\n'};
            assertThat(problems(content))
                    .isEqualTo("state.yml:2:3: not valid UTF-8 text (byte 0xff); a state file is UTF-8");
        }
    }

    @Nested
    class SafetyLimits {
        @Test
        void moreThanOneMebibyte() {
            byte[] content = new byte[StateLoader.MAX_BYTES + 1];
            java.util.Arrays.fill(content, (byte) '#');
            assertThat(problems(content))
                    .isEqualTo(
                            "state.yml:1:1: the file is larger than 1 MiB (1048576 bytes); a state file is far smaller");
        }

        @Test
        void exactlyOneMebibyteIsRead() {
            byte[] content = new byte[StateLoader.MAX_BYTES];
            java.util.Arrays.fill(content, (byte) '#');
            assertThat(StateLoader.load("state.yml", content).state()).isEqualTo(new DesiredState(null, List.of()));
        }

        @Test
        void nestingDeeperThan32() {
            String deep = "interfaces: [{name: eth1, mtu: " + "[".repeat(40) + "]".repeat(40) + "}]\n";
            // the 33rd collection: the top mapping, the interfaces list, the interface mapping, then the 30th bracket
            assertThat(problems(deep)).isEqualTo("state.yml:1:61: lists and mappings nested deeper than 32 levels");
        }

        @Test
        void nestingOf32IsFine() {
            String deep = "interfaces: [{name: eth1, mtu: " + "[".repeat(29) + "]".repeat(29) + "}]\n";
            assertThat(load(deep).warnings()).hasSize(1);
        }

        @Test
        void billionLaughsStopsAtTheAliasLimit() {
            String laughs = """
                    a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]
                    b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]
                    c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]
                    """;
            assertThat(problems(laughs))
                    .isEqualTo("state.yml:3:12: more than 10 aliases to lists or mappings (a safety limit)");
        }

        @Test
        void aFewAliasesAreFine() {
            LoadedState loaded = load("""
                    interfaces:
                    - name: eth0
                      mptcp: {address-flags: &wired [subflow, signal]}
                    - name: eth1
                      mptcp: {address-flags: *wired}
                    """);
            assertThat(loaded.state().interfaces().get(1).addressFlags())
                    .isEqualTo(flags(MptcpFlag.SIGNAL, MptcpFlag.SUBFLOW));
        }

        @Test
        void aRecursiveAliasEndsInATypeError() {
            assertThat(problems("interfaces: &x [*x]\n"))
                    .isEqualTo("state.yml:1:13: expected an interface (a mapping with name:), got a list");
        }
    }

    @Test
    void aFileWithManyProblemsReportsThemAllInFileOrder() {
        String text = """
                mptcp:
                  enabled: "maybe"
                  limits:
                    subflows: 9
                    add-addr-accepted: 2.5
                  endpoints:
                  - address: example.com
                    port: 70000
                    flags: [signal, fullmesh]
                interfaces:
                - name: eth1
                  state: gone
                  mptcp:
                    adress-flags: [signal]
                  ipv4:
                    address:
                    - ip: 2001:db8::1
                      prefix-length: 200
                      mptcp-flags: [fulmesh]
                - name: eth1
                - name: averyveryverylongname
                  mtu: 9000
                """;
        InvalidStateException failure = null;
        try {
            load(text);
        } catch (InvalidStateException e) {
            failure = e;
        }
        assertThat(failure).isNotNull();
        assertThat(failure.problems())
                .extracting(Diagnostic::toString)
                .containsExactly(
                        "state.yml:2:12: expected true or false, got the string 'maybe' (as strings: 1, 0, true,"
                                + " false, yes, no, on, off, y, n)",
                        "state.yml:4:15: subflows must be from 0 to 8, got 9",
                        "state.yml:5:24: expected an integer, got the number 2.5",
                        "state.yml:7:14: 'example.com' is not an IP address (host names are not resolved)",
                        "state.yml:8:11: port must be from 1 to 65535, got 70000",
                        "state.yml:9:12: MPTCP flags mustn't have both signal and fullmesh",
                        "state.yml:12:10: state 'gone': an interface's state is up, down, absent, ignore or unknown"
                                + " (mptcpstate never changes links: see docs/state-file.md)",
                        "state.yml:14:5: unknown key 'adress-flags'; did you mean 'address-flags'?",
                        "state.yml:17:11: 2001:db8::1 is an IPv6 address; it belongs under ipv6",
                        "state.yml:18:22: prefix-length must be from 0 to 32 for IPv4, got 200",
                        "state.yml:19:21: unknown flag 'fulmesh'; did you mean 'fullmesh'?",
                        "state.yml:20:9: interface 'eth1' is listed twice (first at line 11, column 9)",
                        "state.yml:21:9: interface name 'averyveryverylongname' is 21 bytes long; the kernel takes at most 15");
        assertThat(failure.getMessage())
                .startsWith("state.yml:2:12: expected true or false, got the string 'maybe' (as strings: 1, 0, true,"
                        + " false, yes, no, on, off, y, n)\n"
                        + "state.yml:4:15: subflows must be from 0 to 8, got 9\n");
        assertThat(failure.getMessage()).doesNotContain("\tat ").doesNotContain("Exception");
    }

    @Test
    void loadsStateWriterOutputOfEveryTrickyButValidName() {
        // names the kernel takes that a YAML reader could take for something else: show quotes them
        List<String> names = List.of(
                "true", "123", "null", "~", "yes", "off", "1e3", "0x1f", "0o17", ".5", "1_000", "-", "#eth", "'q'",
                "\"q\"", "*alias", "&anchor", "!tag", "@at", "`b`", "[x]", "{x}", "%p", ".inf", "-.inf", ".nan", "0",
                "-0", "012", "+12", "${HOME}");
        for (String name : names) {
            ShowDocument document = new ShowDocument(
                    null, List.of(new ShowDocument.Interface(name, null, null, null, null, null, null)));
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ShowWriter.write(document, ShowWriter.Format.YAML, out);
            DesiredState loaded =
                    StateLoader.load("show.yml", out.toByteArray()).state();
            assertThat(loaded.interfaces())
                    .extracting(Interface::name)
                    .as(out.toString())
                    .containsExactly(name);
        }
    }
}
