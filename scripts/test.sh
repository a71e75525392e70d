#!/usr/bin/env bash
# Every check, in the order a failure is cheapest to find:
#   toolchains (installed once, cached), rustfmt, clippy -D warnings, cargo test
#   (including the headless-Chromium report test), the exported FHIR bundle
#   validated by PyPI's fhir.resources, bindings drift, Kotlin binding
#   tests (JVM + JNA), Swift binding tests (swiftc), the Kotlin and Swift example
#   shells, the JVM artifact published to a Maven-layout folder and used by a
#   separate consumer project, the Swift package's XCTest cases, and the Rust
#   tests on arm64 under qemu (scripts/test-arm64.sh).
# Debug builds only; the figures that need release live in benches/.
set -euo pipefail
cd "$(dirname "$0")/.."

step() { printf '\n==> %s\n' "$*"; }
start=$(date +%s)

step "toolchains (cached under ${REHAB_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/rehab_core})"
scripts/toolchains.sh kotlin swift chromium

step "cargo fmt --check"
cargo fmt --all -- --check

step "cargo clippy --workspace --all-targets -- -D warnings"
cargo clippy --quiet --workspace --all-targets -- -D warnings

step "cargo test --workspace"
cargo test --quiet --workspace 2>&1 | tee target/cargo-test.log
# Fail loudly if the suite somehow ran nothing.
grep -q "test result: ok. [1-9]" target/cargo-test.log

step "FHIR bundle checked by fhir.resources (PyPI, cached venv)"
scripts/validate-fhir.sh

step "bindings drift"
scripts/bindings.sh --check

step "Kotlin binding tests"
scripts/test-kotlin.sh

step "Swift binding tests"
scripts/test-swift.sh

step "examples (Kotlin and Swift shells play a demo session)"
scripts/run-examples.sh

step "JVM artifact: publish org.rehabcore:rehabcore-jvm to target/maven, consumer project resolves and plays a block"
scripts/test-jvm-consumer.sh

step "Swift XCTest cases (bindings/swift/Tests)"
XCTEST=1 scripts/test-swift.sh

step "Rust tests on arm64 (aarch64, cross-compiled in the trixie root, run under qemu-user)"
scripts/test-arm64.sh

printf '\nall checks passed in %ss\n' "$(($(date +%s) - start))"
