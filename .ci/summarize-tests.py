#!/usr/bin/env python3
"""Counts test results from meson's testlog.json files, one TAP subtest at a time.

Prints "N passed, N failed, N skipped" as the last line; exits 1 if any failed
or if a build ran no test at all.
"""
import json
import re
import sys

passed = failed = skipped = 0
for build in sys.argv[1:]:
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

print(f"{passed} passed, {failed} failed, {skipped} skipped")
sys.exit(1 if failed else 0)
