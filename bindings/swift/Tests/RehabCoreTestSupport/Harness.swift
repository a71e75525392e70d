// A tiny assertion harness: one line per assertion, a closing "N passed, N failed".
// The suites in this folder are the one Swift test suite: tests/swift/main.swift runs
// them as a plain program (swiftc), Tests/RehabCoreTests/SuiteXCTests.swift as XCTest
// cases, where every failed check is also an XCTest failure (`onFailure`).
import Foundation

public final class T {
    nonisolated(unsafe) public static var passed = 0
    nonisolated(unsafe) public static var failed = 0
    /// Called with the check's name and detail when a check fails (XCTest sets XCTFail).
    nonisolated(unsafe) public static var onFailure: ((String) -> Void)?

    public static func check(_ name: String, _ condition: Bool, _ detail: @autoclosure () -> String = "") {
        if condition {
            passed += 1
            print("ok - \(name)")
        } else {
            failed += 1
            let line = "\(name) \(detail())"
            print("FAILED - \(line)")
            onFailure?(line)
        }
    }

    public static func equal<V: Equatable>(_ name: String, _ actual: V, _ expected: V) {
        check(name, actual == expected, "(expected <\(expected)>, got <\(actual)>)")
    }

    public static func tempDir() -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("rehab-swift-\(UUID().uuidString)")
        try! FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }
}
