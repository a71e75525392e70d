// swift-tools-version:5.9
// RehabCore for iOS (and macOS, for `swift test` on a Mac): the uniffi-generated
// Swift (Sources/RehabCore, committed and checked by scripts/bindings.sh --check)
// over the Rust static library, shipped as RehabCoreFFI.xcframework next to this
// file. Build the XCFramework first, on a Mac:  scripts/xcframework.sh
// Then:  swift test   (from bindings/swift), or add this package to an app.
//
// NOT RUN on the project's Linux build machines (no Xcode there). The XCTest
// cases in Tests/RehabCoreTests do run there: XCTEST=1 scripts/test-swift.sh.
import PackageDescription

let package = Package(
    name: "RehabCore",
    platforms: [.iOS(.v15), .macOS(.v12)],
    products: [
        .library(name: "RehabCore", targets: ["RehabCore"]),
    ],
    targets: [
        // librehab_core.a per platform + rehab_coreFFI.h + module.modulemap
        // (module rehab_coreFFI, which the generated Swift imports).
        .binaryTarget(name: "rehab_coreFFI", path: "RehabCoreFFI.xcframework"),
        .target(
            name: "RehabCore",
            dependencies: ["rehab_coreFFI"],
            path: "Sources/RehabCore",
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
            path: "Tests/RehabCoreTestSupport"
        ),
        .testTarget(
            name: "RehabCoreTests",
            dependencies: ["RehabCore", "RehabCoreTestSupport"],
            path: "Tests/RehabCoreTests"
        ),
    ]
)
