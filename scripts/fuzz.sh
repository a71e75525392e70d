#!/usr/bin/env bash
# Long fuzz runs (the test command runs a short fixed-seed sample of each).
# Usage: scripts/fuzz.sh [TARGET...]   (no target: all of them)
#   FUZZ_CASES=N (default 1000000)  FUZZ_SEED=S (default 1)
# Each target prints its executions and failures and fails if any case failed.
# Debug build: the figures are about correctness, not speed.
set -euo pipefail
cd "$(dirname "$0")/.."

export FUZZ_CASES="${FUZZ_CASES:-1000000}"
export FUZZ_SEED="${FUZZ_SEED:-1}"

# --- session: the live session's calls with hostile numbers -------------------
# src/session/tests/fuzz.rs: random plans and call sequences (push_imu,
# push_scalar, tap, begin, pause, resume, skip, stop, tick) with NaN, infinities,
# 1e300, jumps, time going backwards and wrong lengths. Checks that nothing
# panics, errors are typed, every session can be stopped, and the database holds
# exactly the reps, attempts and blocks the calls reported.
fuzz_session() {
    cargo test --quiet --lib session::tests::fuzz::session_calls_long_run \
        -- --ignored --exact --nocapture
}

# --- (other targets: add a function and a line in the table below) -----------

targets=(session)
if [ "$#" -gt 0 ]; then targets=("$@"); fi
for target in "${targets[@]}"; do
    printf '\n==> fuzz %s: %s cases, seed %s\n' "$target" "$FUZZ_CASES" "$FUZZ_SEED"
    "fuzz_$target"
done
