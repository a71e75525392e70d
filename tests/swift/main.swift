// Swift binding tests: run every suite through the generated bindings and the real library.
// The suites live in bindings/swift/Tests/RehabCoreTestSupport, shared with the XCTest
// cases (scripts/test-swift.sh compiles them in with this file).
import Foundation
import RehabCore
#if canImport(RehabCoreTestSupport)
import RehabCoreTestSupport
#endif

let suites: [(String, () async throws -> Void)] = [
    ("foundation", foundationTests),
    ("session", sessionTests),
    ("streams", streamTests),
    ("live data", liveDataTests),
    ("feeds", feedTests),
    ("progress", progressTests),
    ("export", exportTests),
    ("protection", protectionTests),
]
for (name, suite) in suites {
    print("# \(name)")
    do {
        try await suite()
    } catch {
        T.check("\(name) suite ran to the end", false, "(\(error))")
    }
}
print("swift: \(T.passed) passed, \(T.failed) failed")
exit(T.failed == 0 && T.passed > 0 ? 0 : 1)
