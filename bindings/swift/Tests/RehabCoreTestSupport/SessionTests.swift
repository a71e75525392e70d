// A live session end to end through the bindings: plan, calibrate, push a real
// recording, receive events (returned and through the listener), finish, read the summary.
import Foundation
import RehabCore

final class CollectingSessionListener: SessionListener, @unchecked Sendable {
    private let lock = NSLock()
    private var _events: [SessionEvent] = []
    var events: [SessionEvent] { lock.lock(); defer { lock.unlock() }; return _events }
    func onEvent(event: SessionEvent) throws {
        lock.lock(); defer { lock.unlock() }
        _events.append(event)
    }
}

/// The shared test recording: 20 shoulder abductions at 50 Hz (tests/data/README.md).
func loadRecording() throws -> ([Double], [Float]) {
    try loadRecording(named: "spar_s1_ABD_left_1.csv", env: ProcessInfo.processInfo.environment["REHAB_TEST_DATA"])
}

/// A 6-axis recording from tests/data in the shared data's CSV format: through `env`,
/// ./data (scripts/test-swift.sh copies tests/data there), ./tests/data, or relative to
/// this file (`swift test` on a Mac runs in bindings/swift).
func loadRecording(named name: String, env: String? = nil, file: String = #filePath) throws -> ([Double], [Float]) {
    let repoRoot = URL(fileURLWithPath: file).deletingLastPathComponent() // RehabCoreTestSupport
        .deletingLastPathComponent().deletingLastPathComponent() // bindings/swift
        .deletingLastPathComponent().deletingLastPathComponent() // repo root
    let candidates: [String?] = [env, "data/\(name)", "tests/data/\(name)", repoRoot.appendingPathComponent("tests/data/\(name)").path]
    guard let path = candidates.compactMap({ $0 }).first(where: { FileManager.default.fileExists(atPath: $0) }) else {
        throw NSError(domain: "tests", code: 1, userInfo: [NSLocalizedDescriptionKey: "test recording not found"])
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

func push(_ session: ExerciseSession, _ t: [Double], _ x: [Float]) throws -> [SessionEvent] {
    var events: [SessionEvent] = []
    var i = 0
    while i < t.count {
        let n = min(5, t.count - i)
        events += try session.pushImu(timestamps: Array(t[i..<i + n]), samples: Array(x[6 * i..<6 * (i + n)]))
        i += n
    }
    return events
}

public func sessionTests() async throws {
    let core = try RehabCore(path: T.tempDir().appendingPathComponent("session.db").path)
    let ana = try await core.createProfile(profile: NewProfile(name: "Ana", affectedSide: .left, timeZone: "Europe/Madrid"))

    let catalog = try core.catalog(language: "es")
    T.check("catalog has at least 40 exercises", catalog.count >= 40, "(\(catalog.count))")
    let key = catalog.first { $0.exercise.id == "turn_key" }!.exercise
    let stir = catalog.first { $0.exercise.id == "stir_pot" }!.exercise
    T.check("task practice is tagged, with how it is counted", key.kind == .taskPractice && key.hint.motion == .turn && stir.hint.motion == .travel, "(\(key.kind) \(String(describing: key.hint.motion)) \(String(describing: stir.hint.motion)))")
    T.check("a travel floor is a few centimetres", (0.02...0.5).contains(stir.hint.minRange), "(\(stir.hint.minRange))")
    let request = PlanRequest(level: 2, areas: [.shoulder, .elbow], affectedSide: .left, goal: .minutes(minutes: 30), prescriptions: [], targets: [:])
    let today = try await core.planToday(profileId: ana.id, today: "2026-11-26", request: request)
    T.check("a 30-minute plan has blocks", !today.blocks.isEmpty)
    T.check("a 30-minute plan lands near 30 minutes", (1200...2100).contains(today.estTotalS), "(\(today.estTotalS) s)")

    let plan = DailyPlan(blocks: [PlannedBlock(exerciseId: "elbow_flexion_extension", side: .left, targetReps: 40, targetRangeFraction: 0.6, setupS: 0, estDurationS: 200, restAfterS: 0, source: .routine)], estTotalS: 200, totalReps: 40, overBudget: false)
    let listener = CollectingSessionListener()
    let session = try core.startSession(profileId: ana.id, plan: plan, utcOffsetMinutes: 60, language: "en", listener: listener)
    T.equal("a new session is planned", session.state(), .planned)
    let started = try session.begin()
    T.equal("state is calibrating", session.state(), .calibrating)

    let (t, x) = try loadRecording()
    var returned = try push(session, t, x)
    returned += try session.stop()
    let reps = returned.filter { if case .rep = $0 { return true }; return false }.count
    let attempts = returned.filter { if case .attempt = $0 { return true }; return false }.count
    T.check("every one of the 20 recorded movements is counted (reps + attempts within one)", (19...21).contains(reps + attempts), "(\(reps) reps, \(attempts) attempts)")
    T.check("most movements reach the target", reps >= 15, "(\(reps))")
    T.equal("the listener got the same events as the calls returned", listener.events, started + returned)
    T.equal("session is finished", session.state(), .finished)
    if case let .sessionFinished(summary) = returned.last {
        T.equal("summary counts the reps", summary.reps, UInt32(reps))
        T.check("summary has active minutes", summary.activeMinutes > 0, "(\(summary.activeMinutes))")
    } else {
        T.check("the last event is SessionFinished", false, "(\(String(describing: returned.last)))")
    }
    do {
        _ = try session.pushImu(timestamps: [0], samples: [0, 0, 9.8, 0, 0, 0])
        T.check("a finished session refuses samples", false, "(nothing thrown)")
    } catch let RehabError.InvalidState(message, action, state) {
        T.check("a finished session refuses samples", true)
        T.equal("InvalidState names the action refused", action, .pushSamples)
        T.equal("InvalidState names the session's state", state, .finished)
        T.check("the InvalidState message is readable", message.contains("Finished"), "(\(message))")
    }

    let counter = RepCounter(signal: .imu)
    do {
        _ = try counter.pushImu(timestamps: [0], samples: [0, 0, 9.8, .nan, 0, 0])
        T.check("NaN samples throw InvalidInput", false, "(nothing thrown)")
    } catch RehabError.InvalidInput(let message) {
        T.check("NaN samples throw InvalidInput", message.contains("finite"), "(\(message))")
    }
    do {
        _ = try counter.pushImu(timestamps: [1.0, 0.5], samples: [Float](repeating: 0, count: 12))
        T.check("time going backwards throws InvalidInput", false, "(nothing thrown)")
    } catch RehabError.InvalidInput {
        T.check("time going backwards throws InvalidInput", true)
    }
    var counted: [CountedRep] = []
    var i = 0
    while i < t.count {
        let n = min(5, t.count - i)
        counted += try counter.pushImu(timestamps: Array(t[i..<i + n]), samples: Array(x[6 * i..<6 * (i + n)]))
        i += n
    }
    counted += counter.finish()
    T.check("the standalone counter counts 20 +- 1", (19...21).contains(counted.count), "(\(counted.count))")
}
