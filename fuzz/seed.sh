#!/usr/bin/env bash
# Builds the seed corpora of the fuzz targets under fuzz/corpus/<target>/
# from this repository's own files (rules/, tests/fixtures/, the codegen
# test fixtures, examples/) and, when given, the policies of a
# panther-analysis checkout:
#
#     fuzz/seed.sh [PANTHER_ANALYSIS_POLICIES_DIR]    # e.g. /tmp/pa/policies
#
# fuzz/corpus/ is ignored by git: seeds derived from panther-analysis are
# never committed. Needs python3 with PyYAML. Seeds are named by the SHA-1
# of their contents, as libFuzzer names corpus entries, so re-running adds
# nothing twice.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
repo="$(dirname "$here")"
exec python3 - "$repo" "$here/corpus" "$@" <<'PY'
import hashlib, json, os, re, sys
import yaml

repo, corpus = sys.argv[1], sys.argv[2]
roots = [os.path.join(repo, d) for d in ("rules", "tests/fixtures", "crates/pounce-codegen/tests", "examples/build-rs/rules")]
roots += sys.argv[3:]
counts = {}

def put(target, data):
    if isinstance(data, str):
        data = data.encode()
    d = os.path.join(corpus, target)
    os.makedirs(d, exist_ok=True)
    path = os.path.join(d, hashlib.sha1(data).hexdigest())
    if not os.path.exists(path):
        with open(path, "wb") as f:
            f.write(data)
        counts[target] = counts.get(target, 0) + 1

def files(ext):
    for root in roots:
        for dirpath, _, names in os.walk(root):
            for n in sorted(names):
                if n.endswith(ext):
                    yield os.path.join(dirpath, n)

# Python files, by path, for the resource type of the spec naming them.
py_types = {}
resources = []
for path in files(".yml"):
    text = open(path, encoding="utf-8", errors="replace").read()
    # load_spec: the spec, its `Filename` pointed at the target's policy.py.
    put("load_spec", re.sub(r"(?m)^Filename:.*$", "Filename: policy.py", text))
    try:
        spec = yaml.safe_load(text)
    except yaml.YAMLError:
        continue
    if not isinstance(spec, dict):
        continue
    types = spec.get("ResourceTypes") or []
    if isinstance(spec.get("Filename"), str):
        py = os.path.normpath(os.path.join(os.path.dirname(path), spec["Filename"]))
        py_types[py] = types[0] if types and isinstance(types[0], str) else None
    group = []
    for test in spec.get("Tests") or []:
        if not isinstance(test, dict) or not isinstance(test.get("Resource"), dict):
            continue
        r = dict(test["Resource"])
        rt = test.get("ResourceType") or (types[0] if types else None)
        if "ResourceType" not in r and isinstance(rt, str):
            r["ResourceType"] = rt
        try:
            group.append(json.dumps(r, default=str))
        except (TypeError, ValueError):
            continue
    for r in group:
        put("resource_deser", r)
    # json_loads: every string of a test resource that is itself JSON
    # (policy documents), and the resource's own text.
    for test in spec.get("Tests") or []:
        res = test.get("Resource") if isinstance(test, dict) else None
        if isinstance(res, dict):
            for v in res.values():
                if isinstance(v, str) and v.lstrip()[:1] in ("{", "["):
                    put("json_loads", v)
    for r in group:
        put("json_loads", r)
    if group:
        resources.extend(group)
        # scanner_lines: the spec's resources as JSON Lines and as an array.
        put("scanner_lines", "\n".join(group) + "\n")
        put("scanner_lines", "[\n" + ",\n".join("  " + r for r in group) + "\n]\n")

# python_frontend: each policy, its first line naming its resource type.
for path in files(".py"):
    text = open(path, encoding="utf-8", errors="replace").read()
    rt = py_types.get(os.path.normpath(path))
    put("python_frontend", (f"# pounce-fuzz: {rt}\n" if rt else "") + text)

# scanner_lines: the edge cases of the format, and every resource at once.
for s in [
    "", "\n", "\n\n  \r\n", "{}\n\n{}", "{}\r\n{}\r\n", "[]", "  [ \n ] \n", "[{}, {}]\n", "[{}] trailing",
    '[{"a": "x,]}\\""}, 1, "s", [2, {"b": null}]]', "[{", '{"ResourceType": "AWS.EC2.AMI"', "not json\n{}\n",
]:
    put("scanner_lines", s)
# json_loads: the grammar's corners (CPython's extensions and errors).
for s in [
    "", "NaN", "-Infinity", "[1e400, -0, 12345678901234567890]", '{"a": 1, "a": 2}', '"\\ud800"',
    '{"Statement": {"Effect": "Allow", "Action": "*"}}', "[" * 300, '{"a": ' * 300 + "1", "\ufeff{}",
]:
    put("json_loads", s)
if resources:
    put("scanner_lines", "\n".join(resources) + "\n")
    put("scanner_lines", "[" + ",".join(resources) + "]")

for target in sorted(counts):
    print(f"{target}: {counts[target]} new seeds")
PY
