#!/usr/bin/env bash
# Builds bindings/swift/RehabCoreFFI.xcframework, the binary target of the Swift
# package (Package.swift at the repository root), from the Rust static library:
#   ios-arm64                        aarch64-apple-ios
#   ios-arm64_x86_64-simulator       aarch64-apple-ios-sim + x86_64-apple-ios (lipo)
#   macos-arm64_x86_64               aarch64-apple-darwin + x86_64-apple-darwin (lipo;
#                                    so `swift test` runs on a Mac; MACOS=0 skips it)
# each with a Headers folder holding rehab_coreFFI.h and module.modulemap
# (module rehab_coreFFI, the committed bindings/swift/Sources/rehab_coreFFI files).
#
# then zips it (bindings/swift/RehabCoreFFI.xcframework.zip, the file to upload
# with a release) and prints its SwiftPM checksum and the `url:`/`checksum:` pair to
# paste into Package.swift's `release`.
#   scripts/xcframework.sh --zip-only   zip and checksum an existing framework only
#                                       (any OS with zip and sha256sum/shasum)
#
# Needs macOS with Xcode (xcodebuild, lipo) and the Rust targets:
#   rustup target add aarch64-apple-ios aarch64-apple-ios-sim x86_64-apple-ios \
#                     aarch64-apple-darwin x86_64-apple-darwin
# Env: PROFILE (release), IPHONEOS_DEPLOYMENT_TARGET (15.0),
#      MACOSX_DEPLOYMENT_TARGET (12.0), MACOS (1),
#      RELEASE_BASE_URL (where the release's files will be downloaded from; the
#      printed url is $RELEASE_BASE_URL/<version>/RehabCoreFFI.xcframework.zip).
#
# NOT RUN on the project's Linux build machines (no Xcode, and rustup there
# cannot add Apple targets); on Linux this script stops at once and says so.
set -euo pipefail
cd "$(dirname "$0")/.."

die() { printf 'xcframework: error: %s\n' "$*" >&2; exit 2; }
out=bindings/swift/RehabCoreFFI.xcframework

# Zip the framework (the folder itself at the top of the archive, as SwiftPM
# expects) and print the checksum SwiftPM will verify: the SHA-256 of the zip,
# what `swift package compute-checksum` prints.
zip_and_checksum() {
    [[ -d "$out" ]] || die "$out not found (build it first: scripts/xcframework.sh)"
    local zip=$out.zip sum version
    rm -f "$zip"
    if command -v ditto >/dev/null; then
        (cd "$(dirname "$out")" && ditto -c -k --sequesterRsrc --keepParent "$(basename "$out")" "$(basename "$zip")")
    else
        command -v zip >/dev/null || die "zip not found"
        (cd "$(dirname "$out")" && zip -q -r -X -y "$(basename "$zip")" "$(basename "$out")")
    fi
    if command -v swift >/dev/null && sum=$(swift package compute-checksum "$zip" 2>/dev/null); then :
    elif command -v sha256sum >/dev/null; then sum=$(sha256sum "$zip" | cut -d' ' -f1)
    else sum=$(shasum -a 256 "$zip" | cut -d' ' -f1); fi
    version=$(python3 -c 'import tomllib; print(tomllib.load(open("Cargo.toml","rb"))["package"]["version"])')
    echo "xcframework: wrote $zip ($(wc -c <"$zip" | tr -d ' ') bytes); upload it with release $version, then set in Package.swift:" >&2
    printf '    version: "%s",\n    url: "%s/%s/RehabCoreFFI.xcframework.zip",\n    checksum: "%s"\n' \
        "$version" "${RELEASE_BASE_URL:-<RELEASE_BASE_URL>}" "$version" "$sum"
}
if [[ "${1:-}" == --zip-only ]]; then
    zip_and_checksum
    exit 0
fi

[[ "$(uname -s)" == Darwin ]] ||
    die "needs macOS with Xcode (xcodebuild, lipo); this machine is $(uname -s). Nothing was built. See README.md, 'For mobile developers'."
command -v xcodebuild >/dev/null || die "xcodebuild not found (install Xcode and run xcode-select)"
command -v lipo >/dev/null || die "lipo not found (install the Xcode command-line tools)"

PROFILE=${PROFILE:-release}
MACOS=${MACOS:-1}
export IPHONEOS_DEPLOYMENT_TARGET=${IPHONEOS_DEPLOYMENT_TARGET:-15.0}
export MACOSX_DEPLOYMENT_TARGET=${MACOSX_DEPLOYMENT_TARGET:-12.0}
target_dir=$(cargo metadata --format-version 1 --no-deps | python3 -c 'import json,sys; print(json.load(sys.stdin)["target_directory"])')
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
zip_and_checksum
