// The shared Swift suites (Tests/RehabCoreTestSupport) as XCTest cases: the same
// checks tests/swift/main.swift runs with swiftc, no hand-kept port. Runs with
// `swift test` on a Mac (Package.swift) and on Linux with `XCTEST=1
// scripts/test-swift.sh` (which generates the XCTMain entry).
import Foundation
import RehabCore
import XCTest
#if canImport(RehabCoreTestSupport)
import RehabCoreTestSupport
#endif

final class SuiteXCTests: XCTestCase {
    override func setUp() {
        T.onFailure = { XCTFail($0) }
    }

    override func tearDown() {
        T.onFailure = nil
    }

    /// Runs one suite: each failed check is an XCTest failure; the suite must check something.
    private func run(_ suite: () async throws -> Void) async throws {
        let passed = T.passed
        try await suite()
        XCTAssertGreaterThan(T.passed, passed, "the suite checked nothing")
    }

    func testFoundation() async throws { try await run(foundationTests) }
    func testSession() async throws { try await run(sessionTests) }
    func testStreams() async throws { try await run(streamTests) }
    func testFeeds() async throws { try await run(feedTests) }
    func testProgress() async throws { try await run(progressTests) }
    func testExport() async throws { try await run(exportTests) }
    func testProtection() async throws { try await run(protectionTests) }
}

#if os(Linux)
extension SuiteXCTests {
    static var allTests: [(String, (SuiteXCTests) -> () throws -> Void)] {
        [
            ("testFoundation", asyncTest(testFoundation)),
            ("testSession", asyncTest(testSession)),
            ("testStreams", asyncTest(testStreams)),
            ("testFeeds", asyncTest(testFeeds)),
            ("testProgress", asyncTest(testProgress)),
            ("testExport", asyncTest(testExport)),
            ("testProtection", asyncTest(testProtection)),
        ]
    }
}
#endif
