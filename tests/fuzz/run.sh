#!/usr/bin/env bash
# Fuzzes Printwatch for a while: tests/fuzz/run.sh [SECONDS]
#
# Builds the fuzz targets with clang (libFuzzer, ASan, UBSan) in _build-fuzz, makes their seed
# corpora in a temporary folder (tests/fuzz/make-corpus, from the fixtures and the printer
# walks) and runs each target for SECONDS (default 60). Prints, per target, the executions,
# executions per second, coverage (cov: edges, ft: features), the corpus it grew and any crash;
# a crash's input is kept in _build-fuzz/crashes/. Exits 1 if a target crashed, 2 if it could
# not build. tests/fuzz/README.md says more.
#
# Environment:
#   PRINTWATCH_WALKS      the printer walks (default ../shared/printer-walks; skipped if absent)
#   FUZZ_TARGETS          the targets to run (default all: snmp-response snmp-varbinds
#                         target-spec collector-body report)
#   FUZZ_JOBS             targets run at once (default 1; the machine's cores are shared)
#   FUZZ_CORPUS_DIR       keep the grown corpora there, and start from them next time
#   PRINTWATCH_FUZZ_BUILD_DIR  the build folder (default _build-fuzz)
set -uo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
seconds="${1:-60}"
build="${PRINTWATCH_FUZZ_BUILD_DIR:-$root/_build-fuzz}"
targets="${FUZZ_TARGETS:-snmp-response snmp-varbinds target-spec collector-body report}"
jobs="${FUZZ_JOBS:-1}"
export PRINTWATCH_WALKS="${PRINTWATCH_WALKS:-$root/../shared/printer-walks}"

if ! [[ "$seconds" =~ ^[0-9]+$ ]] || [ "$seconds" -lt 1 ]; then
  echo "usage: tests/fuzz/run.sh [SECONDS]" >&2
  exit 2
fi

# No results from an earlier run count if this one cannot build.
results="$build/fuzz-results.txt"
rm -f "$results"

echo "=== fuzz: build ($build) ==="
if [ ! -f "$build/build.ninja" ]; then
  CC=clang meson setup "$build" "$root" -Dfuzzing=true -Dgui=false -Dtests=false >"$build.setup.log" 2>&1 \
    || { cat "$build.setup.log"; rm -f "$build.setup.log"; exit 2; }
  rm -f "$build.setup.log"
fi
nice -n 10 meson compile -C "$build" -j 2 >/dev/null || { meson compile -C "$build" -j 1; exit 2; }

# Scratch stores on tmpfs: the targets write SQLite files for every input.
scratch_parent=/dev/shm
[ -w "$scratch_parent" ] || scratch_parent="${TMPDIR:-/tmp}"
work="$(mktemp -d "$scratch_parent/printwatch-fuzz.XXXXXX")" || exit 2
trap 'rm -rf "$work"' EXIT
export PW_FUZZ_SCRATCH="$work"
export G_SLICE=always-malloc
# Our own, whatever the caller's (.ci/run exports slower ones for the test suite).
export ASAN_OPTIONS="detect_leaks=1:strict_string_checks=1"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"
export LSAN_OPTIONS="suppressions=$root/tests/lsan.supp:print_suppressions=0"

"$build/tests/fuzz/make-corpus" "$root" "$work/seeds" || exit 2
mkdir -p "$build/crashes"
: >"$results"

run_target() {
  local target="$1" corpus log
  corpus="${FUZZ_CORPUS_DIR:+$FUZZ_CORPUS_DIR/$target}"
  corpus="${corpus:-$work/corpus/$target}"
  log="$work/$target.log"
  mkdir -p "$corpus"
  nice -n 10 "$build/tests/fuzz/fuzz-$target" "$corpus" "$work/seeds/$target" \
    -max_total_time="$seconds" -timeout=30 -rss_limit_mb=2048 -print_final_stats=1 \
    -artifact_prefix="$build/crashes/$target-" >"$log" 2>&1
  echo $? >"$work/$target.status"
  find "$corpus" -type f | wc -l >"$work/$target.corpus"
}

echo "=== fuzz: $seconds s per target, $jobs at a time ==="
running=0
for target in $targets; do
  if [ ! -x "$build/tests/fuzz/fuzz-$target" ]; then
    echo "no such fuzz target: $target" >&2
    exit 2
  fi
  run_target "$target" &
  running=$((running + 1))
  if [ "$running" -ge "$jobs" ]; then
    wait -n
    running=$((running - 1))
  fi
done
wait

status=0
printf '%-15s %12s %9s %7s %7s %8s  %s\n' target executions exec/s cov ft corpus result
for target in $targets; do
  log="$work/$target.log"
  rc="$(cat "$work/$target.status")"
  execs="$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)"
  rate="$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -n 1)"
  # The last status line: "#123 DONE cov: 4567 ft: 8901 corp: 234/56Kb ..."
  line="$(grep -E '^#[0-9]+' "$log" | grep -E ' cov: ' | tail -n 1)"
  cov="$(sed -n 's/.* cov: \([0-9]*\).*/\1/p' <<<"$line")"
  ft="$(sed -n 's/.* ft: \([0-9]*\).*/\1/p' <<<"$line")"
  if [ "$rc" -eq 0 ]; then
    result=ok
    echo "PASS $target executions=${execs:-0} cov=${cov:-0} ft=${ft:-0}" >>"$results"
  else
    result="CRASH (exit $rc)"
    status=1
    echo "FAIL $target exit=$rc" >>"$results"
  fi
  printf '%-15s %12s %9s %7s %7s %8s  %s\n' "$target" "${execs:-?}" "${rate:-?}" "${cov:-?}" "${ft:-?}" \
    "$(cat "$work/$target.corpus")" "$result"
done

for target in $targets; do
  if [ "$(cat "$work/$target.status")" -ne 0 ]; then
    echo "=== fuzz: $target crashed ==="
    grep -E '^(==[0-9]+==ERROR|SUMMARY|\*\* .*ERROR|.*runtime error|artifact_prefix|Test unit written|    #[0-9]+ )' \
      "$work/$target.log" | head -n 40
  fi
done
exit $status
