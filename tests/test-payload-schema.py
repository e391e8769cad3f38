#!/usr/bin/env python3
# data/printwatch-payload.schema.json, checked by an independent validator (python3-jsonschema):
# the schema itself is valid draft 2020-12, tests/fixtures/payload/sample.json passes, and every
# variant in tests/fixtures/payload/variants.json passes or fails as it says. TAP output.
# Usage: test-payload-schema.py SOURCE_ROOT
#        test-payload-schema.py SOURCE_ROOT --validate FILE…   (real payloads: each must pass)
#
# SPDX-License-Identifier: GPL-3.0-or-later
import copy
import json
import os
import sys

root = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), "..")

try:
    import jsonschema
except ImportError:
    print("1..0 # SKIP python3-jsonschema is not installed")
    sys.exit(0)

if not hasattr(jsonschema, "Draft202012Validator"):
    print("1..0 # SKIP this python3-jsonschema does not know draft 2020-12")
    sys.exit(0)


def load(*parts):
    with open(os.path.join(root, *parts), encoding="utf-8") as f:
        return json.load(f)


def apply(payload, variant):
    """sample.json with one change: path names members (str) and elements (int)."""
    path = variant["path"]
    if not path:
        return copy.deepcopy(variant["value"])
    result = copy.deepcopy(payload)
    parent = result
    for step in path[:-1]:
        parent = parent[step]
    if variant.get("delete"):
        del parent[path[-1]]
    else:
        parent[path[-1]] = copy.deepcopy(variant["value"])
    return result


schema = load("data", "printwatch-payload.schema.json")

if len(sys.argv) > 3 and sys.argv[2] == "--validate":
    files = sys.argv[3:]
    print("1..%d" % len(files))
    validator = jsonschema.Draft202012Validator(schema)
    bad = False
    for n, path in enumerate(files, start=1):
        with open(path, encoding="utf-8") as f:
            errors = list(validator.iter_errors(json.load(f)))
        bad = bad or bool(errors)
        print("%s %d %s%s" % ("not ok" if errors else "ok", n, path,
                              (": %s at %s" % (errors[0].message, list(errors[0].path))) if errors else ""))
    sys.exit(1 if bad else 0)

sample = load("tests", "fixtures", "payload", "sample.json")
variants = load("tests", "fixtures", "payload", "variants.json")
cases = [(v, True) for v in variants["valid"]] + [(v, False) for v in variants["invalid"]]

print("1..%d" % (2 + len(cases)))
failed = False


def report(n, ok, text):
    global failed
    print("%s %d %s" % ("ok" if ok else "not ok", n, text))
    failed = failed or not ok


try:
    jsonschema.Draft202012Validator.check_schema(schema)
    report(1, True, "the schema is valid draft 2020-12")
except jsonschema.exceptions.SchemaError as e:
    report(1, False, "the schema is not valid draft 2020-12: %s" % e.message)

validator = jsonschema.Draft202012Validator(schema)
errors = list(validator.iter_errors(sample))
report(2, not errors, "sample.json is valid" + ("" if not errors else ": " + errors[0].message))

for n, (variant, expect_valid) in enumerate(cases, start=3):
    errors = list(validator.iter_errors(apply(sample, variant)))
    valid = not errors
    detail = "" if valid == expect_valid else (": " + errors[0].message if errors else ": accepted")
    report(n, valid == expect_valid,
           "%s: %s%s" % ("valid" if expect_valid else "invalid", variant["name"], detail))

sys.exit(1 if failed else 0)
