#!/usr/bin/env bash
# FFI benchmarks, printed as one table: the cost of a trivial exported method
# (RepCounter.reps) and of a 100-sample IMU batch (RepCounter.pushImu: 100
# timestamps + 600 floats) from Kotlin (JVM + JNA) and from Swift (swiftc -O),
# against the release cdylib, plus the size of that cdylib.
#
#   scripts/bench-ffi.sh [SAMPLES]      (default 20000 timed samples per case)
#
# Env:
#   CARGO_TARGET_DIR  where the release build goes (default: target). Reuse a
#                     warm one: the first release build with LTO takes minutes.
#   SIZES=1           also rebuild the cdylib with symbols (cargo rustc, only
#                     this crate is recompiled) and print what takes the space
#                     (benches/ffi/sizes.py: sections, bytes per crate, largest
#                     functions); adds one LTO link (~3-5 min on 2 cores).
#   BLOAT=1           also print `cargo bloat --release --lib --crates` if
#                     cargo-bloat is installed (cargo install cargo-bloat).
#
# Nothing is regenerated: the committed bindings under bindings/ are used, and
# compiled with the bench sources in benches/ffi by scripts/test-kotlin.sh and
# scripts/test-swift.sh (their toolchains and caches). Figures are per call:
# wall-clock median and 95th percentile over SAMPLES samples after a warm-up,
# and the calling thread's CPU time (mean), which other load on the machine
# disturbs less. On a shared machine compare runs, not single figures.
# LIBSQLITE3_FLAGS (libsqlite3-sys) is honoured like in any cargo build.
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$PWD
samples=${1:-20000}
target=$(realpath -m "${CARGO_TARGET_DIR:-target}")
lib=$target/release/librehab_core.so
log() { printf 'bench-ffi: %s\n' "$*" >&2; }

# Only the cdylib (what apps load), without the cli/bindgen features (the
# library does not use them; the Android and iOS builds leave them out too).
log "cargo rustc --release --lib --crate-type cdylib --no-default-features (target dir $target)"
t0=$(date +%s)
CARGO_TARGET_DIR=$target cargo rustc --quiet --release --lib --crate-type cdylib --no-default-features
log "release build took $(($(date +%s) - t0))s"
[[ -f "$lib" ]] || { log "error: $lib not built"; exit 2; }

rows=$(mktemp)
trap 'rm -f "$rows"' EXIT

log "Kotlin bench (kotlinc + JVM, $samples samples per case)"
LIB_DIR=$target/release TESTS_DIR=$repo/benches/ffi KOTLIN_MAIN_CLASS=BenchKt \
    scripts/test-kotlin.sh "$samples" | grep '^ROW|' >>"$rows"
log "Swift bench (swiftc -O, $samples samples per case)"
LIB_DIR=$target/release TESTS_DIR=$repo/benches/ffi SWIFTC_OPT=-O \
    scripts/test-swift.sh "$samples" | grep '^ROW|' >>"$rows"

size=$(stat -c %s "$lib")
# The release profile strips; strip a copy anyway so the figure is always the stripped one.
stripped=$(mktemp)
strip -o "$stripped" "$lib"
ssize=$(stat -c %s "$stripped")
rm -f "$stripped"

printf '\nFFI cost per call, release cdylib, %s samples per case (%s, load %s)\n' \
    "$samples" "$(uname -m)" "$(cut -d' ' -f1-3 /proc/loadavg)"
{
    printf 'lang\tcase\tcalls\tmedian µs\tp95 µs\tcpu µs\n'
    awk -F'|' '{ printf "%s\t%s\t%s\t%s\t%s\t%s\n", $2, $3, $4, $5, $6, $7 }' "$rows"
} | column -t -s $'\t'
printf '\nlibrehab_core.so (release, x86_64): %s bytes as built, %s bytes stripped (%.2f MB)\n' \
    "$size" "$ssize" "$(awk -v s="$ssize" 'BEGIN { print s / 1e6 }')"

if [[ "${SIZES:-0}" == 1 ]]; then
    log "rebuilding the cdylib with symbols for the size breakdown"
    CARGO_TARGET_DIR=$target cargo rustc --quiet --release --lib --crate-type cdylib --no-default-features -- -C strip=none
    unstripped=$target/release/librehab_core.unstripped.so
    cp "$lib" "$unstripped"
    # ($lib is now the unstripped build; the next cargo build --release relinks it.)
    python3 benches/ffi/sizes.py "$unstripped" "$lib"
fi
if [[ "${BLOAT:-0}" == 1 ]]; then
    if command -v cargo-bloat >/dev/null; then
        CARGO_TARGET_DIR=$target cargo bloat --release --lib --crates -n 20
    else
        log "cargo-bloat not installed (cargo install cargo-bloat); skipped"
    fi
fi
