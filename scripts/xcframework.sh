#!/usr/bin/env bash
# Builds bindings/swift/RehabCoreFFI.xcframework, the binary target of the Swift
# package in bindings/swift (Package.swift), from the Rust static library:
#   ios-arm64                        aarch64-apple-ios
#   ios-arm64_x86_64-simulator       aarch64-apple-ios-sim + x86_64-apple-ios (lipo)
#   macos-arm64_x86_64               aarch64-apple-darwin + x86_64-apple-darwin (lipo;
#                                    so `swift test` runs on a Mac; MACOS=0 skips it)
# each with a Headers folder holding rehab_coreFFI.h and module.modulemap
# (module rehab_coreFFI, the committed bindings/swift/Sources/rehab_coreFFI files).
#
# Needs macOS with Xcode (xcodebuild, lipo) and the Rust targets:
#   rustup target add aarch64-apple-ios aarch64-apple-ios-sim x86_64-apple-ios \
#                     aarch64-apple-darwin x86_64-apple-darwin
# Env: PROFILE (release), IPHONEOS_DEPLOYMENT_TARGET (15.0),
#      MACOSX_DEPLOYMENT_TARGET (12.0), MACOS (1).
#
# NOT RUN on the project's Linux build machines (no Xcode, and rustup there
# cannot add Apple targets); on Linux this script stops at once and says so.
set -euo pipefail
cd "$(dirname "$0")/.."

die() { printf 'xcframework: error: %s\n' "$*" >&2; exit 2; }
[[ "$(uname -s)" == Darwin ]] ||
    die "needs macOS with Xcode (xcodebuild, lipo); this machine is $(uname -s). Nothing was built. See README.md, 'For mobile developers'."
command -v xcodebuild >/dev/null || die "xcodebuild not found (install Xcode and run xcode-select)"
command -v lipo >/dev/null || die "lipo not found (install the Xcode command-line tools)"

PROFILE=${PROFILE:-release}
MACOS=${MACOS:-1}
export IPHONEOS_DEPLOYMENT_TARGET=${IPHONEOS_DEPLOYMENT_TARGET:-15.0}
export MACOSX_DEPLOYMENT_TARGET=${MACOSX_DEPLOYMENT_TARGET:-12.0}
target_dir=$(cargo metadata --format-version 1 --no-deps | python3 -c 'import json,sys; print(json.load(sys.stdin)["target_directory"])')
out=bindings/swift/RehabCoreFFI.xcframework
work=$target_dir/xcframework
ffi=bindings/swift/Sources/rehab_coreFFI

targets=(aarch64-apple-ios aarch64-apple-ios-sim x86_64-apple-ios)
((MACOS)) && targets+=(aarch64-apple-darwin x86_64-apple-darwin)
installed=$(rustup target list --installed)
for t in "${targets[@]}"; do
    grep -qx "$t" <<<"$installed" || die "Rust target $t not installed: rustup target add $t"
done

# --no-default-features: the library needs neither the CLI nor uniffi-bindgen.
for t in "${targets[@]}"; do
    echo "xcframework: cargo build --lib --profile $PROFILE --target $t" >&2
    cargo build --lib --no-default-features --profile "$PROFILE" --target "$t"
done
lib() { echo "$target_dir/$1/$PROFILE/librehab_core.a"; }

rm -rf "$work" "$out"
mkdir -p "$work/headers" "$work/ios-sim" "$work/macos"
cp "$ffi/rehab_coreFFI.h" "$work/headers/"
cp "$ffi/rehab_coreFFI.modulemap" "$work/headers/module.modulemap"

lipo -create "$(lib aarch64-apple-ios-sim)" "$(lib x86_64-apple-ios)" -output "$work/ios-sim/librehab_core.a"
args=(-library "$(lib aarch64-apple-ios)" -headers "$work/headers"
      -library "$work/ios-sim/librehab_core.a" -headers "$work/headers")
if ((MACOS)); then
    lipo -create "$(lib aarch64-apple-darwin)" "$(lib x86_64-apple-darwin)" -output "$work/macos/librehab_core.a"
    args+=(-library "$work/macos/librehab_core.a" -headers "$work/headers")
fi
xcodebuild -create-xcframework "${args[@]}" -output "$out"
echo "xcframework: wrote $out" >&2
