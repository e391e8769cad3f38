#!/bin/sh
# Every seed make-corpus makes goes through its fuzz target, run by fuzz-replay.c's main: the
# targets' checks hold on the fixtures and on the printer walks ($PRINTWATCH_WALKS) before any
# fuzzing starts from them. TAP, one line per target.
# Usage: test-fuzz-seeds.sh SOURCE_ROOT BUILD_DIR (the build's tests/fuzz)
set -u
root="$1"
build="$2"
targets="snmp-response snmp-varbinds target-spec collector-body report"

work=$(mktemp -d "${TMPDIR:-/tmp}/printwatch-fuzz-seeds.XXXXXX") || exit 1
trap 'rm -rf "$work"' EXIT
export PW_FUZZ_SCRATCH="$work"

if ! "$build/make-corpus" "$root" "$work/corpus" >"$work/make-corpus.log" 2>&1; then
  echo "1..1"
  echo "not ok 1 make-corpus failed"
  sed 's/^/# /' "$work/make-corpus.log"
  exit 0
fi
sed 's/^/# /' "$work/make-corpus.log"

echo "1..5"
n=0
for target in $targets; do
  n=$((n + 1))
  if "$build/fuzz-$target" "$work/corpus/$target" >"$work/$target.log" 2>&1; then
    echo "ok $n - $target: $(grep -c '^ok' "$work/$target.log") seeds"
  else
    echo "not ok $n - $target"
    tail -n 30 "$work/$target.log" | sed 's/^/# /'
  fi
done
