#!/usr/bin/env bash
# Long runs of the project's fuzz targets (the proptest harnesses that
# `cargo test` runs briefly with a fixed seed). Each target prints
#   fuzz <target>: executions N, failures F
# and the script exits non-zero when any target failed.
#
# Usage: scripts/fuzz.sh [target ...]       (no target: all of them)
# Env:   FUZZ_CASES       executions per target           (1000000)
#        REHAB_FUZZ_SEED  seed, a decimal u64             (each target's fixed seed)
#
# Targets are shell functions named fuzz_<target>; add yours as its own
# function and to TARGETS. Debug builds, like `cargo test`.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

CASES="${FUZZ_CASES:-1000000}"
TARGETS=(backup_import)
status=0

# Runs one `cargo test` filter with PROPTEST_CASES and prints its "fuzz ..." line.
run_cargo_target() {
    local filter=$1 out
    out=$(PROPTEST_CASES="$CASES" cargo test --quiet --lib "$filter" -- --exact --nocapture 2>&1) || status=1
    if ! grep -E '^fuzz ' <<<"$out"; then
        printf '%s\n' "$out" | tail -n 40
        echo "fuzz $filter: no result line (build or harness failure)"
        status=1
    fi
    grep -E '^fuzz .*failures [1-9]' <<<"$out" >/dev/null && status=1
    return 0
}

# Backup import: arbitrary files and valid backups with random byte edits or
# resealed out-of-range numbers (src/export/backup_fuzz.rs).
fuzz_backup_import() {
    run_cargo_target export::backup_fuzz::backup_import_fuzz
}

targets=("$@")
[[ ${#targets[@]} -gt 0 ]] || targets=("${TARGETS[@]}")
for t in "${targets[@]}"; do
    declare -F "fuzz_$t" >/dev/null || { echo "unknown target $t (have: ${TARGETS[*]})" >&2; exit 2; }
    start=$(date +%s)
    "fuzz_$t"
    echo "fuzz $t: $(($(date +%s) - start)) s"
done
exit "$status"
