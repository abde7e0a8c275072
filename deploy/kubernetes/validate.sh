#!/usr/bin/env bash
# Offline validation of the manifests here, in two layers (no cluster, no schema download):
#  1. types, required fields, enums: the npm package kubernetes-models (validators compiled from the Kubernetes
#     OpenAPI schema), `new DaemonSet(doc).validate()`. That schema allows unknown keys, so a misspelt key
#     passes this layer...
#  2. ... hence every key is also checked against the attribute maps of Debian's python3-kubernetes (the 1.22
#     API; every field used here is older).
# Each layer must also reject a broken copy (a misspelt key, a string where an integer belongs, a bad enum):
# a validator that passes everything proves nothing.
# Needs npm, python3-kubernetes and python3-yaml (.ci/run installs them); the npm packages go to
# MPTCPSTATE_K8S_TOOLS (default target/k8s-validate). Usage: deploy/kubernetes/validate.sh [FILE.yml...]
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
tools=$(realpath -m "${MPTCPSTATE_K8S_TOOLS:-$here/../../target/k8s-validate}")
if [[ ! -d $tools/node_modules/kubernetes-models ]]; then
    mkdir -p "$tools"
    (cd "$tools" && npm init -y >/dev/null && npm install --no-audit --no-fund --silent kubernetes-models@5.1.0 yaml@2.8.1)
fi
if (($#)); then files=("$@"); else files=("$here"/*.yml); fi
for i in "${!files[@]}"; do files[i]=$(realpath "${files[i]}"); done

schema() { # layer 1
    (cd "$tools" && node --input-type=module - "$@") <<'JS'
import fs from "node:fs";
import { parseAllDocuments } from "yaml";
let bad = 0;
for (const file of process.argv.slice(2)) {
  for (const d of parseAllDocuments(fs.readFileSync(file, "utf8"))) {
    if (d.errors.length) { console.log(`${file}: YAML: ${d.errors[0].message}`); bad++; continue; }
    const doc = d.toJS();
    if (!doc) continue;
    const [group, version] = doc.apiVersion.includes("/") ? doc.apiVersion.split("/") : [null, doc.apiVersion];
    try {
      const { [doc.kind]: Model } = await import(`kubernetes-models/${group ? group + "/" : ""}${version}/${doc.kind}`);
      new Model(doc).validate();
      console.log(`${file}: ${doc.kind} ${doc.metadata?.name}: schema ok`);
    } catch (e) {
      console.log(`${file}: ${doc.kind} ${doc.metadata?.name}: ${e.message.split("\n").slice(0, 4).join("; ")}`);
      bad++;
    }
  }
}
process.exit(bad ? 1 : 0);
JS
}

keys() { # layer 2
    /usr/bin/python3 - "$@" <<'PY'
import re, sys, yaml
import kubernetes.client as k
def walk(value, typ, path, errs):
    if value is None: return
    m = re.fullmatch(r"list\[(.+)\]", typ)
    if m:
        for i, v in enumerate(value): walk(v, m.group(1), f"{path}[{i}]", errs)
        return
    if typ.startswith("dict(") or typ in ("str", "int", "bool", "float", "object", "datetime"): return
    cls = getattr(k, typ)
    keys = {j: p for p, j in cls.attribute_map.items()}
    for key, v in value.items():
        if key not in keys: errs.append(f"{path}: unknown key '{key}' (not in {typ})")
        else: walk(v, cls.openapi_types[keys[key]], f"{path}.{key}", errs)
bad = 0
for f in sys.argv[1:]:
    for doc in yaml.safe_load_all(open(f)):
        if not doc: continue
        errs = []
        walk(doc, doc["apiVersion"].split("/")[-1].capitalize() + doc["kind"], doc["kind"], errs)
        print(f"{f}: {doc['kind']} {doc['metadata']['name']}: " + ("keys ok" if not errs else "; ".join(errs)))
        bad += bool(errs)
sys.exit(1 if bad else 0)
PY
}

rc=0
schema "${files[@]}" || rc=1
keys "${files[@]}" || rc=1

# the validators must see faults: a broken copy of the DaemonSet fails each layer
broken=$(mktemp -d)
trap 'rm -rf "$broken"' EXIT
sed 's/^      hostNetwork: true/      hostNetwrok: true/' "$here/daemonset.yml" >"$broken/misspelt-key.yml"
sed 's/^          periodSeconds: 10/          periodSeconds: "10"/' "$here/daemonset.yml" >"$broken/string-for-integer.yml"
sed 's/type: DirectoryOrCreate/type: DirOrCreate/' "$here/daemonset.yml" >"$broken/bad-enum.yml"
for f in "$broken"/*.yml; do
    cmp -s "$f" "$here/daemonset.yml" && { echo "validate: the broken copy $(basename "$f") is not broken" >&2; rc=1; }
done
if keys "$broken/misspelt-key.yml" >/dev/null; then echo "validate: a misspelt key passed" >&2; rc=1; fi
if schema "$broken/string-for-integer.yml" >/dev/null; then echo "validate: a string for an integer passed" >&2; rc=1; fi
if schema "$broken/bad-enum.yml" >/dev/null; then echo "validate: a bad enum value passed" >&2; rc=1; fi
((rc == 0)) && echo "validate: all manifests valid; the broken copies were rejected"
exit $rc
