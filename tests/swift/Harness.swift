// A tiny assertion harness: one line per assertion, a closing "N passed, N failed".
import Foundation

final class T {
    nonisolated(unsafe) static var passed = 0
    nonisolated(unsafe) static var failed = 0

    static func check(_ name: String, _ condition: Bool, _ detail: @autoclosure () -> String = "") {
        if condition {
            passed += 1
            print("ok - \(name)")
        } else {
            failed += 1
            print("FAILED - \(name) \(detail())")
        }
    }

    static func equal<V: Equatable>(_ name: String, _ actual: V, _ expected: V) {
        check(name, actual == expected, "(expected <\(expected)>, got <\(actual)>)")
    }

    static func tempDir() -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("rehab-swift-\(UUID().uuidString)")
        try! FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }
}
