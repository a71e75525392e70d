#!/usr/bin/env bash
# Instructions per six-axis sample of the counter, counted by valgrind (cachegrind):
# the same on every run, where `cargo bench --bench counting` moves by ±10% on a
# shared machine. Compare builds with it; the ns target itself (≤ 50 ns per sample)
# is measured by `cargo bench --bench counting`.
#
#   scripts/bench-instructions.sh [BATCHES]     (default 2000 batches of 100 samples)
#
# Needs valgrind (Debian: apt-get install valgrind). CARGO_TARGET_DIR is honoured.
# The count includes making the signal before counting (the same in every build):
# compare two builds' figures, do not read one as the counter's alone.
set -euo pipefail
cd "$(dirname "$0")/.."
batches=${1:-2000}
command -v valgrind >/dev/null || { echo "valgrind is not installed" >&2; exit 1; }
cargo build --quiet --release -p rehab_motion --example instructions
bin=$(realpath -m "${CARGO_TARGET_DIR:-target}")/release/examples/instructions
printf '%-8s %14s %14s\n' signal instructions per-sample
for signal in ffi reps; do
  ir=$(valgrind --tool=cachegrind --cache-sim=no --cachegrind-out-file=/dev/null \
    "$bin" "$signal" "$batches" 2>&1 | awk '/I *refs/ {gsub(",", "", $NF); print $NF}')
  printf '%-8s %14s %14.1f\n' "$signal" "$ir" "$(echo "$ir / ($batches * 100)" | bc -l)"
done
