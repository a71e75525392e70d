#!/usr/bin/env bash
# Generates the Kotlin and Swift bindings from the built library (uniffi library
# mode, --no-format so the output is deterministic).
#
#   scripts/bindings.sh            regenerate and write them under bindings/
#   scripts/bindings.sh --check    fail if the committed bindings differ from the code
#
# Layout written:
#   bindings/kotlin/src/main/kotlin/org/rehabcore/rehab_core.kt
#   bindings/swift/Sources/RehabCore/RehabCore.swift
#   bindings/swift/Sources/rehab_coreFFI/rehab_coreFFI.h + rehab_coreFFI.modulemap
set -euo pipefail
cd "$(dirname "$0")/.."

mode=${1:-write}
lib=target/debug/librehab_core.so
cargo build --quiet --lib --bin uniffi-bindgen
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
for lang in kotlin swift; do
  target/debug/uniffi-bindgen generate --no-format --library "$lib" \
    --language "$lang" --out-dir "$out/$lang" >/dev/null
done

# Arrange into the committed layout.
mkdir -p "$out/tree/kotlin/src/main/kotlin/org/rehabcore" \
         "$out/tree/swift/Sources/RehabCore" "$out/tree/swift/Sources/rehab_coreFFI"
cp "$out/kotlin/org/rehabcore/rehab_core.kt" "$out/tree/kotlin/src/main/kotlin/org/rehabcore/"
cp "$out/swift/RehabCore.swift" "$out/tree/swift/Sources/RehabCore/"
cp "$out/swift/rehab_coreFFI.h" "$out/swift/rehab_coreFFI.modulemap" "$out/tree/swift/Sources/rehab_coreFFI/"
# Kotlin: uniffi makes a rich error's `message` the list of its fields
# ("reason=..., found=..."); every error of ours carries a readable `reason`, which
# becomes the whole message (Swift's `errorDescription` is the same text, from
# bindings/swift/Sources/RehabCore/Errors.swift). Fails if uniffi's output changed shape.
kt="$out/tree/kotlin/src/main/kotlin/org/rehabcore/rehab_core.kt"
pattern='get() = "reason=${ `reason` }'
count=$(grep -cF "$pattern" "$kt" || true)
if [ "$count" -lt 9 ]; then
  echo "bindings: expected the 9 error message getters with a reason in $kt, found $count" >&2
  exit 1
fi
sed -i 's/^\( *\)get() = "reason=\${ `reason` }.*"$/\1get() = `reason`/' "$kt"
# The C declarations of the sample fast path (src/ffi/fast.rs) join the generated
# header, so that Swift (and the XCFramework) see them in module rehab_coreFFI.
cat src/ffi/fast.h >>"$out/tree/swift/Sources/rehab_coreFFI/rehab_coreFFI.h"

generated=(
  kotlin/src/main/kotlin/org/rehabcore/rehab_core.kt
  swift/Sources/RehabCore/RehabCore.swift
  swift/Sources/rehab_coreFFI/rehab_coreFFI.h
  swift/Sources/rehab_coreFFI/rehab_coreFFI.modulemap
)
case "$mode" in
  write|--write)
    for f in "${generated[@]}"; do
      mkdir -p "bindings/$(dirname "$f")"
      cp "$out/tree/$f" "bindings/$f"
    done
    echo "bindings: regenerated ${#generated[@]} files under bindings/"
    ;;
  --check)
    drift=0
    for f in "${generated[@]}"; do
      if ! diff -q "$out/tree/$f" "bindings/$f" >/dev/null 2>&1; then
        echo "bindings: bindings/$f differs from the Rust code" >&2
        diff -u "bindings/$f" "$out/tree/$f" 2>&1 | head -20 >&2 || true
        drift=1
      fi
    done
    if [ "$drift" -ne 0 ]; then
      echo "bindings: drift found; run scripts/bindings.sh and commit the result" >&2
      exit 1
    fi
    echo "bindings: committed Kotlin and Swift match the Rust code"
    ;;
  *) echo "usage: $0 [--check]" >&2; exit 2 ;;
esac
