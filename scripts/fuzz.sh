#!/usr/bin/env bash
# Long runs of the fuzz targets that `cargo test` runs briefly with fixed seeds.
# Each target is a function below; each prints its executions and failures.
#
#   scripts/fuzz.sh                      every target, 1,000,000 executions each
#   scripts/fuzz.sh recording_reader     one target
#   FUZZ_CASES=200000 FUZZ_SEED=7 scripts/fuzz.sh
#
# Debug builds (overflow checks on); about 1 ms per execution on an idle core.
# Progress lines ("... executions so far") every 100,000, then the total.
set -euo pipefail
cd "$(dirname "$0")/.."

cases=${FUZZ_CASES:-1000000}
seed=${FUZZ_SEED:-$(date +%s)}

# The CSV recording reader (src/recording) on arbitrary and CSV-like bytes: never
# panics, only typed errors, coherent samples.
fuzz_recording_reader() {
  local log status
  log=$(mktemp)
  set +e
  PROPTEST_CASES=$cases REHAB_FUZZ_SEED=$seed cargo test --quiet --lib \
    recording::tests::fuzz_recording_reader_arbitrary_bytes -- --exact --nocapture 2>&1 |
    tee "$log" | grep --line-buffered '^fuzz recording_reader:'
  status=${PIPESTATUS[0]}
  set -e
  [ "$status" -eq 0 ] || sed -n '/panicked/,+6p' "$log"
  rm -f "$log"
  return "$status"
}

targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(recording_reader)
status=0
for target in "${targets[@]}"; do
  "fuzz_$target" || status=1
done
exit $status
