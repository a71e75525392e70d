#!/usr/bin/env bash
# Builds and runs the living examples: examples/kotlin (JVM shell) and
# examples/swift (Swift shell), each playing a whole demo session through the
# generated bindings and printing its summary. Fails if either fails.
#
# Reuses the binding-test runners (their caches and toolchains) with
# TESTS_DIR pointed at an example; the library must be built (cargo build).
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd "$here/.." && pwd)

echo "==> Kotlin example (examples/kotlin)"
TESTS_DIR="$repo/examples/kotlin" KOTLIN_MAIN_CLASS=MainKt "$here/test-kotlin.sh"

echo "==> Swift example (examples/swift)"
# No test data: the example makes its own.
TESTS_DIR="$repo/examples/swift" TEST_DATA_DIR="$repo/examples/swift/no-data" "$here/test-swift.sh"
