// XCTest port of tests/swift/SessionTests.swift: a live session end to end
// (plan, begin, push a real recording, listener events, stop, summary) and the
// standalone RepCounter.
import Foundation
import RehabCore
import XCTest

final class CollectingEventListener: SessionListener, @unchecked Sendable {
    private let lock = NSLock()
    private var _events: [SessionEvent] = []
    var events: [SessionEvent] { lock.lock(); defer { lock.unlock() }; return _events }
    func onEvent(event: SessionEvent) throws {
        lock.lock(); defer { lock.unlock() }
        _events.append(event)
    }
}

/// The shared test recording (tests/data/README.md): 20 shoulder abductions at
/// 50 Hz. Found through $REHAB_TEST_DATA, ./data (scripts/test-swift.sh copies
/// tests/data there), ./tests/data, or relative to this file (`swift test`).
func loadTestRecording(file: String = #filePath) throws -> ([Double], [Float]) {
    let name = "spar_s1_ABD_left_1.csv"
    let repoRoot = URL(fileURLWithPath: file).deletingLastPathComponent() // RehabCoreTests
        .deletingLastPathComponent().deletingLastPathComponent() // bindings/swift
        .deletingLastPathComponent().deletingLastPathComponent() // repo root
    let candidates: [String?] = [
        ProcessInfo.processInfo.environment["REHAB_TEST_DATA"],
        "data/\(name)",
        "tests/data/\(name)",
        repoRoot.appendingPathComponent("tests/data/\(name)").path,
    ]
    guard let path = candidates.compactMap({ $0 }).first(where: { FileManager.default.fileExists(atPath: $0) }) else {
        throw XCTSkip("test recording \(name) not found")
    }
    var t: [Double] = []
    var x: [Float] = []
    for line in try String(contentsOfFile: path, encoding: .utf8).split(whereSeparator: \.isNewline).dropFirst() {
        let cols = line.split(separator: ",")
        guard cols.count == 7 else { continue }
        t.append(Double(cols[0])!)
        for i in 1...6 { x.append(Float(cols[i])!) }
    }
    return (t, x)
}

final class SessionXCTests: XCTestCase {
    var dir: URL!

    override func setUpWithError() throws {
        dir = try makeTempDir()
    }

    override func tearDownWithError() throws {
        if let dir { try? FileManager.default.removeItem(at: dir) }
    }

    func testCatalogAndPlan() async throws {
        let core = try RehabCore(path: dir.appendingPathComponent("session.db").path)
        let ana = try await core.createProfile(profile: NewProfile(name: "Ana", affectedSide: .left, timeZone: "Europe/Madrid"))
        let catalog = try core.catalog(language: "es")
        XCTAssertGreaterThanOrEqual(catalog.count, 40)
        let request = PlanRequest(level: 2, areas: [.shoulder, .elbow], affectedSide: .left, goal: .minutes(minutes: 30), prescriptions: [], targets: [:])
        let today = try await core.planToday(profileId: ana.id, today: "2026-11-26", request: request)
        XCTAssertFalse(today.blocks.isEmpty)
        XCTAssertTrue((1200...2100).contains(today.estTotalS), "\(today.estTotalS) s")
    }

    func testLiveSessionCountsTheRecording() async throws {
        let core = try RehabCore(path: dir.appendingPathComponent("session.db").path)
        let ana = try await core.createProfile(profile: NewProfile(name: "Ana", affectedSide: .left, timeZone: "Europe/Madrid"))
        let plan = DailyPlan(blocks: [PlannedBlock(exerciseId: "elbow_flexion_extension", side: .left, targetReps: 40, targetRangeFraction: 0.6, setupS: 0, estDurationS: 200, restAfterS: 0, source: .routine)], estTotalS: 200, totalReps: 40, overBudget: false)
        let listener = CollectingEventListener()
        let session = try core.startSession(profileId: ana.id, plan: plan, utcOffsetMinutes: 60, language: "en", listener: listener)
        XCTAssertEqual(session.state(), .planned)
        let started = try session.begin()
        XCTAssertEqual(session.state(), .calibrating)

        let (t, x) = try loadTestRecording()
        var returned: [SessionEvent] = []
        var i = 0
        while i < t.count {
            let n = min(5, t.count - i)
            returned += try session.pushImu(timestamps: Array(t[i..<i + n]), samples: Array(x[6 * i..<6 * (i + n)]))
            i += n
        }
        returned += try session.stop()
        let reps = returned.filter { if case .rep = $0 { return true }; return false }.count
        let attempts = returned.filter { if case .attempt = $0 { return true }; return false }.count
        XCTAssertTrue((19...21).contains(reps + attempts), "\(reps) reps, \(attempts) attempts")
        XCTAssertGreaterThanOrEqual(reps, 15)
        XCTAssertEqual(listener.events, started + returned)
        XCTAssertEqual(session.state(), .finished)
        guard case let .sessionFinished(summary) = returned.last else {
            return XCTFail("the last event is not SessionFinished: \(String(describing: returned.last))")
        }
        XCTAssertEqual(summary.reps, UInt32(reps))
        XCTAssertGreaterThan(summary.activeMinutes, 0)
        XCTAssertThrowsError(try session.pushImu(timestamps: [0], samples: [0, 0, 9.8, 0, 0, 0])) { error in
            guard case let RehabError.InvalidState(_, action, state) = error else { return XCTFail("expected InvalidState, got \(error)") }
            XCTAssertEqual(action, .pushSamples)
            XCTAssertEqual(state, .finished)
        }
    }

    func testRepCounterRejectsBadInput() throws {
        let counter = RepCounter(signal: .imu)
        XCTAssertThrowsError(try counter.pushImu(timestamps: [0], samples: [0, 0, 9.8, .nan, 0, 0])) { error in
            guard case let RehabError.InvalidInput(message) = error else { return XCTFail("expected InvalidInput, got \(error)") }
            XCTAssertTrue(message.contains("finite"), message)
        }
        XCTAssertThrowsError(try counter.pushImu(timestamps: [1.0, 0.5], samples: [Float](repeating: 0, count: 12))) { error in
            guard case RehabError.InvalidInput = error else { return XCTFail("expected InvalidInput, got \(error)") }
        }
        XCTAssertEqual(counter.reps(), 0)
    }

    func testRepCounterCountsTheRecording() throws {
        let (t, x) = try loadTestRecording()
        let counter = RepCounter(signal: .imu)
        var counted: [CountedRep] = []
        var i = 0
        while i < t.count {
            let n = min(5, t.count - i)
            counted += try counter.pushImu(timestamps: Array(t[i..<i + n]), samples: Array(x[6 * i..<6 * (i + n)]))
            i += n
        }
        counted += counter.finish()
        XCTAssertTrue((19...21).contains(counted.count), "\(counted.count)")
    }

    func testCounterFeedMatchesPushImu() throws {
        let (t, x) = try loadTestRecording()
        let viaArrays = RepCounter(signal: .imu)
        let feed = RepCounter(signal: .imu).sampleFeed()
        var expected: [CountedRep] = []
        var got: [CountedRep] = []
        var i = 0
        while i < t.count {
            let n = min(100, t.count - i)
            let ts = Array(t[i..<i + n])
            let xs = Array(x[6 * i..<6 * (i + n)])
            expected += try viaArrays.pushImu(timestamps: ts, samples: xs)
            got += try feed.pushImu(timestamps: ts, samples: xs)
            i += n
        }
        XCTAssertGreaterThanOrEqual(expected.count, 19)
        XCTAssertEqual(got, expected)
        XCTAssertThrowsError(try feed.pushImu(timestamps: [1e6], samples: [0, 0, 9.8, .nan, 0, 0])) { error in
            guard case RehabError.InvalidInput = error else { return XCTFail("expected InvalidInput, got \(error)") }
        }
    }
}

#if os(Linux)
extension SessionXCTests {
    static var allTests: [(String, (SessionXCTests) -> () throws -> Void)] {
        [
            ("testCatalogAndPlan", asyncTest(testCatalogAndPlan)),
            ("testLiveSessionCountsTheRecording", asyncTest(testLiveSessionCountsTheRecording)),
            ("testRepCounterRejectsBadInput", testRepCounterRejectsBadInput),
            ("testRepCounterCountsTheRecording", testRepCounterCountsTheRecording),
            ("testCounterFeedMatchesPushImu", testCounterFeedMatchesPushImu),
        ]
    }
}
#endif
