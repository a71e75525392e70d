#!/usr/bin/env bash
# Long runs of the project's fuzz targets (the proptest harnesses that
# `cargo test` runs briefly with a fixed seed). Each target prints
#   fuzz <target>: executions N, failures F
# and the script exits non-zero when any target failed.
#
# Usage: scripts/fuzz.sh [target ...]       (no target: all of them)
# Env:   FUZZ_CASES       executions per target           (1000000)
#        REHAB_FUZZ_SEED  seed, a decimal u64             (each target's fixed seed)
# Progress lines ("... executions so far") come from the targets that print them.
#
# Targets are shell functions named fuzz_<target>; add yours as its own
# function and to TARGETS. Debug builds, like `cargo test`.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

CASES="${FUZZ_CASES:-1000000}"
TARGETS=(session recording_reader backup_import backup_edits)
status=0

# The library's test binary, built once and copied aside: the runs call the
# copy, so cargo's build lock is not held for the whole run and a rebuild
# meanwhile does not replace the binary under it.
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
lib_test_binary() {
    if [[ ! -x "$work/lib-tests" ]]; then
        local built
        built=$(cargo test --lib --no-run 2>&1 | sed -n 's/.*Executable unittests src\/lib.rs (\(.*\))/\1/p' | tail -n 1)
        [[ -x "$built" ]] || { echo "fuzz: cannot build the library's tests" >&2; exit 2; }
        cp "$built" "$work/lib-tests"
    fi
    echo "$work/lib-tests"
}

# Runs one test of the library (extra arguments go to the test binary, e.g.
# --ignored) with PROPTEST_CASES and prints its "fuzz ..." line.
run_lib_target() {
    local name=$1 bin out
    shift
    bin=$(lib_test_binary)
    out=$(PROPTEST_CASES="$CASES" "$bin" "$name" --exact --nocapture "$@" 2>&1) || status=1
    if ! grep -E '^fuzz ' <<<"$out"; then
        printf '%s\n' "$out" | tail -n 40
        echo "fuzz $name: no result line (harness failure)"
        status=1
    fi
    if grep -E '^fuzz .*failures [1-9]' <<<"$out" >/dev/null; then status=1; fi
    return 0
}

# The live session's calls with hostile numbers (src/session/tests/fuzz.rs):
# random plans and call sequences (push_imu, push_scalar, tap, begin, pause,
# resume, skip, stop, tick) with NaN, infinities, 1e300, jumps, time going
# backwards and wrong lengths. Nothing panics, errors are typed, every session
# can be stopped, and the database holds exactly what the calls reported.
# Its harness reads FUZZ_CASES and FUZZ_SEED and prints "session fuzz: ..." lines.
fuzz_session() {
    local bin out
    bin=$(lib_test_binary)
    out=$(FUZZ_CASES="$CASES" FUZZ_SEED="${FUZZ_SEED:-1}" "$bin" \
        session::tests::fuzz::session_calls_long_run --exact --nocapture --ignored 2>&1) || status=1
    grep -E '^session fuzz: [0-9]+ executions, [0-9]+ failures, seed' <<<"$out" | sed 's/^session fuzz:/fuzz session:/' ||
        { printf '%s\n' "$out" | tail -n 40; echo "fuzz session: no result line"; status=1; }
    return 0
}

# The CSV recording reader (src/recording) on arbitrary and CSV-like bytes: never
# panics, only typed errors, coherent samples.
fuzz_recording_reader() {
    run_lib_target recording::tests::fuzz_recording_reader_arbitrary_bytes
}

# Backup import: arbitrary files and valid backups with random byte edits or
# resealed out-of-range numbers (src/export/backup_fuzz.rs).
fuzz_backup_import() {
    run_lib_target export::backup_fuzz::backup_import_fuzz
}

# Backup import, exhaustively: every one-byte edit (255 values at every
# position) of a small valid backup; about 520,000 executions whatever
# FUZZ_CASES says.
fuzz_backup_edits() {
    run_lib_target export::backup_fuzz::every_one_byte_edit_of_a_backup --ignored
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
