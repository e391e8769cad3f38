#!/usr/bin/env python3
"""Counts test results from meson's testlog.json files, one TAP subtest at a time.

Usage: summarize-tests.py BUILD_DIR... [--fuzz RESULTS]

RESULTS is the file tests/fuzz/run.sh writes, one line per fuzz target
("PASS name ..." or "FAIL name ..."); each target counts as one test, and a
missing file as one failure.

Prints "N passed, N failed, N skipped" as the last line; exits 1 if any failed
or if a build ran no test at all.
"""
import json
import re
import sys

args = sys.argv[1:]
fuzz_results = None
if "--fuzz" in args:
    where = args.index("--fuzz")
    fuzz_results = args[where + 1] if where + 1 < len(args) else ""
    del args[where:where + 2]

passed = failed = skipped = 0
for build in args:
    ran = 0
    try:
        with open(f"{build}/meson-logs/testlog.json", encoding="utf-8") as log:
            entries = [json.loads(line) for line in log if line.strip()]
    except OSError as error:
        print(f"{build}: no test log ({error})")
        failed += 1
        continue
    for entry in entries:
        ran += 1
        result = entry.get("result")
        subtests = re.findall(r"^(ok|not ok) \d+[^\n]*", entry.get("stdout") or "", re.M)
        if subtests:
            for line in re.findall(r"^(?:ok|not ok) \d+.*$", entry["stdout"], re.M):
                if line.startswith("not ok"):
                    failed += 1
                elif "# SKIP" in line:
                    skipped += 1
                else:
                    passed += 1
            if result not in ("OK", "SKIP") and not any(s == "not ok" for s in subtests):
                failed += 1  # crashed or timed out after its last "ok"
        elif result == "OK":
            passed += 1
        elif result == "SKIP":
            skipped += 1
        else:
            failed += 1
    if ran == 0:
        print(f"{build}: ran no test")
        failed += 1

if fuzz_results is not None:
    try:
        with open(fuzz_results, encoding="utf-8") as results:
            lines = [line.split() for line in results if line.strip()]
    except OSError as error:
        print(f"fuzz: no results ({error})")
        lines = None
        failed += 1
    if lines is not None:
        fuzz_passed = sum(1 for line in lines if line[0] == "PASS")
        fuzz_failed = sum(1 for line in lines if line[0] != "PASS")
        if not lines:
            print("fuzz: ran no target")
            fuzz_failed = 1
        print(f"fuzz: {fuzz_passed} targets passed, {fuzz_failed} failed")
        passed += fuzz_passed
        failed += fuzz_failed

print(f"{passed} passed, {failed} failed, {skipped} skipped")
sys.exit(1 if failed else 0)
