// swift-tools-version:5.9
// RehabCore for iOS (and macOS, for `swift test` on a Mac), at the repository
// root as SwiftPM expects: an app adds this repository's URL and a version.
//
// - target `RehabCore`: the uniffi-generated Swift (bindings/swift/Sources/RehabCore,
//   committed, checked by `scripts/bindings.sh --check`) and the hand-written helpers
//   beside it, plus PrivacyInfo.xcprivacy (the privacy manifest, a resource);
// - binary target `rehab_coreFFI`: the Rust static library per platform with
//   rehab_coreFFI.h and module.modulemap, as RehabCoreFFI.xcframework:
//     * releases: downloaded from `release.url`, verified against `release.checksum`
//       (scripts/xcframework.sh zips the framework and prints both lines to paste here);
//     * development: the framework scripts/xcframework.sh builds in
//       bindings/swift/RehabCoreFFI.xcframework, when the environment has
//       REHABCORE_LOCAL_XCFRAMEWORK=1 (e.g. `REHABCORE_LOCAL_XCFRAMEWORK=1 swift test`)
//       or while no release has been published (checksum empty).
//
// NOT RUN on the project's Linux build machines (no Xcode, no Apple Rust targets
// there): `swift build`/`swift test` on this manifest have not been run. The XCTest
// cases in bindings/swift/Tests/RehabCoreTests do run there, against the host
// library: XCTEST=1 scripts/test-swift.sh (a step of scripts/test.sh).
import PackageDescription

/// The XCFramework of the published release this manifest belongs to.
/// `checksum` is `swift package compute-checksum RehabCoreFFI.xcframework.zip`
/// (SHA-256 of the zip); empty while no release has been published. Where releases
/// are hosted is not decided yet: `url` is a placeholder (`.invalid` never resolves)
/// until the first release, when scripts/xcframework.sh (RELEASE_BASE_URL=...) prints
/// the real pair.
let release = (
    version: "0.1.0", // = version in Cargo.toml
    url: "https://releases.rehabcore.invalid/0.1.0/RehabCoreFFI.xcframework.zip",
    checksum: ""
)

let useLocalFramework = Context.environment["REHABCORE_LOCAL_XCFRAMEWORK"] == "1" || release.checksum.isEmpty

let ffiTarget: Target = useLocalFramework
    ? .binaryTarget(name: "rehab_coreFFI", path: "bindings/swift/RehabCoreFFI.xcframework")
    : .binaryTarget(name: "rehab_coreFFI", url: release.url, checksum: release.checksum)

let package = Package(
    name: "RehabCore",
    platforms: [.iOS(.v15), .macOS(.v12)],
    products: [
        .library(name: "RehabCore", targets: ["RehabCore"]),
    ],
    targets: [
        ffiTarget,
        .target(
            name: "RehabCore",
            dependencies: ["rehab_coreFFI"],
            path: "bindings/swift/Sources/RehabCore",
            resources: [
                // Apple's privacy manifest: no tracking, no collected data; the
                // file-timestamp and disk-space API reasons (see docs/ios.md, Privacy).
                .copy("PrivacyInfo.xcprivacy"),
            ],
            linkerSettings: [
                // chrono's local time zone (iana-time-zone) reads it through CoreFoundation;
                // a static library does not carry that link itself.
                .linkedFramework("CoreFoundation"),
            ]
        ),
        // The one Swift test suite, shared: XCTest runs it here (RehabCoreTests), and
        // scripts/test-swift.sh runs it as a plain program too (tests/swift/main.swift).
        .target(
            name: "RehabCoreTestSupport",
            dependencies: ["RehabCore"],
            path: "bindings/swift/Tests/RehabCoreTestSupport"
        ),
        .testTarget(
            name: "RehabCoreTests",
            dependencies: ["RehabCore", "RehabCoreTestSupport"],
            path: "bindings/swift/Tests/RehabCoreTests"
        ),
    ]
)
