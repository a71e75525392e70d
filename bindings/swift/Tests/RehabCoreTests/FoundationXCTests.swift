// XCTest port of tests/swift/FoundationTests.swift: object, records, enums,
// typed errors, async functions, listeners, releasing the object.
// Runs with `swift test` on a Mac (bindings/swift/Package.swift) and on Linux
// with `XCTEST=1 scripts/test-swift.sh` (which generates the XCTMain entry).
import Foundation
import RehabCore
import XCTest

final class RecordingDataListener: DataListener, @unchecked Sendable {
    private let lock = NSLock()
    private var _changes: [DataChange] = []
    var changes: [DataChange] { lock.lock(); defer { lock.unlock() }; return _changes }
    func onChange(change: DataChange) throws {
        lock.lock(); defer { lock.unlock() }
        _changes.append(change)
    }
}

final class ThrowingDataListener: DataListener, @unchecked Sendable {
    func onChange(change: DataChange) throws {
        throw ListenerError.Failed(reason: "boom")
    }
}

/// A fresh folder under the temporary directory.
func makeTempDir() throws -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("rehab-xctest-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
}

final class FoundationXCTests: XCTestCase {
    var dir: URL!

    override func setUpWithError() throws {
        dir = try makeTempDir()
    }

    override func tearDownWithError() throws {
        if let dir { try? FileManager.default.removeItem(at: dir) }
    }

    func testOpenCreatesDatabaseAndReportsSchema() throws {
        let path = dir.appendingPathComponent("rehab.db").path
        let core = try RehabCore(path: path)
        XCTAssertTrue(FileManager.default.fileExists(atPath: path))
        XCTAssertGreaterThanOrEqual(try core.schemaVersion(), 1)
        XCTAssertEqual(core.databasePath(), path)
    }

    func testProfilesAndListeners() async throws {
        let core = try RehabCore(path: dir.appendingPathComponent("rehab.db").path)
        let listener = RecordingDataListener()
        let subscription = core.subscribe(listener: listener)
        let failingSub = core.subscribe(listener: ThrowingDataListener())
        XCTAssertTrue(subscription.isActive())

        let ana = try await core.createProfile(profile: NewProfile(name: "Ana", affectedSide: .left, timeZone: "Europe/Madrid"))
        XCTAssertEqual(ana.name, "Ana")
        XCTAssertEqual(ana.affectedSide, .left)
        XCTAssertGreaterThan(ana.id, 0)
        XCTAssertEqual(listener.changes.count, 1, "a throwing listener must not stop the others")
        XCTAssertEqual(listener.changes.first, .profileAdded(profile: ana))

        let ben = try await core.createProfile(profile: NewProfile(name: "Ben", affectedSide: .right, timeZone: "America/Mexico_City"))
        let names = try await core.profiles().map { $0.name }
        XCTAssertEqual(names, ["Ana", "Ben"])
        let readBack = try await core.profile(id: ben.id)
        XCTAssertEqual(readBack, ben)

        subscription.cancel()
        XCTAssertFalse(subscription.isActive())
        _ = try await core.createProfile(profile: NewProfile(name: "Cy", affectedSide: .both, timeZone: "UTC"))
        XCTAssertEqual(listener.changes.count, 2, "a cancelled listener hears nothing more")
        _ = failingSub
    }

    func testTypedErrors() async throws {
        let core = try RehabCore(path: dir.appendingPathComponent("rehab.db").path)
        do {
            _ = try await core.profile(id: 9999)
            XCTFail("unknown profile id: nothing thrown")
        } catch let error as RehabError {
            guard case let .NotFound(message, what, id) = error else { return XCTFail("expected NotFound, got \(error)") }
            XCTAssertTrue(message.contains("no profile with id 9999"), message)
            XCTAssertEqual(what, "profile")
            XCTAssertEqual(id, 9999)
            XCTAssertEqual(error.errorDescription, "not found: no profile with id 9999")
            XCTAssertEqual((error as Error).localizedDescription, "not found: no profile with id 9999")
        }
        do {
            _ = try await core.createProfile(profile: NewProfile(name: "", affectedSide: .none, timeZone: "UTC"))
            XCTFail("empty name: nothing thrown")
        } catch RehabError.InvalidInput {
            // expected
        }
    }

    func testReleasingTheLastReference() throws {
        var core: RehabCore? = try RehabCore(path: dir.appendingPathComponent("rehab.db").path)
        weak var weakCore = core
        XCTAssertNotNil(weakCore)
        core = nil
        XCTAssertNil(weakCore)
    }

    func testNewerDatabaseIsRefusedAndUntouched() throws {
        let future = dir.appendingPathComponent("future.db")
        let supported = try RehabCore(path: future.path).schemaVersion()
        var bytes = try Data(contentsOf: future)
        bytes.replaceSubrange(60..<64, with: [0, 0, 0x03, 0xE7]) // user_version = 999
        try bytes.write(to: future)
        XCTAssertThrowsError(try RehabCore(path: future.path)) { error in
            guard case let RehabError.DatabaseTooNew(message, found, supportedVersion) = error else {
                return XCTFail("expected DatabaseTooNew, got \(error)")
            }
            XCTAssertTrue(message.contains("newer"), message)
            XCTAssertEqual(found, 999)
            XCTAssertEqual(supportedVersion, supported)
        }
        XCTAssertEqual(try Data(contentsOf: future), bytes)
    }

    func testNonSQLiteFileIsUnreadable() throws {
        let junk = dir.appendingPathComponent("notes.txt")
        try String(repeating: "not a database\n", count: 50).write(to: junk, atomically: true, encoding: .utf8)
        XCTAssertThrowsError(try RehabCore(path: junk.path)) { error in
            guard case RehabError.DatabaseUnreadable = error else {
                return XCTFail("expected DatabaseUnreadable, got \(error)")
            }
        }
    }
}

#if os(Linux)
// swift-corelibs-xctest has no Objective-C runtime to discover tests; the
// XCTMain generated by scripts/test-swift.sh (XCTEST=1) reads these lists.
extension FoundationXCTests {
    static var allTests: [(String, (FoundationXCTests) -> () throws -> Void)] {
        [
            ("testOpenCreatesDatabaseAndReportsSchema", testOpenCreatesDatabaseAndReportsSchema),
            ("testProfilesAndListeners", asyncTest(testProfilesAndListeners)),
            ("testTypedErrors", asyncTest(testTypedErrors)),
            ("testReleasingTheLastReference", testReleasingTheLastReference),
            ("testNewerDatabaseIsRefusedAndUntouched", testNewerDatabaseIsRefusedAndUntouched),
            ("testNonSQLiteFileIsUnreadable", testNonSQLiteFileIsUnreadable),
        ]
    }
}
#endif
