// The sample fast path (SessionFeed / CounterFeed): the same results as the
// generated pushImu, typed errors for bad batches, events that overflow the buffer.
import Foundation
import RehabCore

/// Runs `push` over the recording in batches of `n` samples.
func inBatches<E>(_ t: [Double], _ x: [Float], _ n: Int, _ push: ([Double], [Float]) throws -> [E]) rethrows -> [E] {
    var out: [E] = []
    var i = 0
    while i < t.count {
        let k = min(n, t.count - i)
        out += try push(Array(t[i..<i + k]), Array(x[6 * i..<6 * (i + k)]))
        i += k
    }
    return out
}

/// Whether `body` throws `RehabError.InvalidInput`.
func throwsInvalidInput(_ body: () throws -> Void) -> Bool {
    do {
        try body()
        return false
    } catch RehabError.InvalidInput {
        return true
    } catch {
        return false
    }
}

public func feedTests() async throws {
    let (t, x) = try loadRecording()

    let viaLists = RepCounter(signal: .imu)
    let expected = try inBatches(t, x, 100) { try viaLists.pushImu(timestamps: $0, samples: $1) }
    let counter = RepCounter(signal: .imu)
    let feed = counter.sampleFeed()
    let got = try inBatches(t, x, 100) { try feed.pushImu(timestamps: $0, samples: $1) }
    T.check("the recording has movements", expected.count >= 19, "(\(expected.count))")
    T.equal("CounterFeed returns exactly what pushImu returns", got, expected)
    T.equal("the counter behind the feed holds the count", counter.reps() + counter.attempts(), UInt32(expected.count))
    T.check("abductions are counted on the rotation", !counter.countsTravel())
    T.check("every abduction is marked as rotation", got.allSatisfy { !$0.travel })

    // Upright rows that turn back and forth twice per rep (tests/data/README.md): counted on
    // the acceleration, within one of the 20 done (35 on the rotation alone).
    let (rt, rx) = try loadRecording(named: "spar_s8_ROW_right_1.csv")
    let rows = RepCounter(signal: .imu)
    let rowFeed = rows.sampleFeed()
    let rowReps = try inBatches(rt, rx, 100) { try rowFeed.pushImu(timestamps: $0, samples: $1) } + rows.finish()
    T.check("upright rows are counted on the acceleration", rows.countsTravel())
    T.check("upright rows count within one of 20", (19...21).contains(rowReps.count), "(\(rowReps.count))")
    // Each rep says which it was counted on (the feed's fast reader reads the flag).
    T.check("the first rows are counted on the rotation, the last on the travel",
            rowReps.first?.travel == false && rowReps.last?.travel == true)

    let tiny = CounterFeed(RepCounter(signal: .imu), eventBufferBytes: 1)
    let parked = try inBatches(t, x, 100) { try tiny.pushImu(timestamps: $0, samples: $1) }
    T.equal("events that do not fit the buffer arrive through takePushedEvents", parked, expected)

    let bad = RepCounter(signal: .imu).sampleFeed()
    T.check("a NaN sample throws InvalidInput through the feed",
            throwsInvalidInput { _ = try bad.pushImu(timestamps: [0], samples: [0, 0, 9.8, .nan, 0, 0]) })
    T.check("mismatched lengths throw InvalidInput through the feed",
            throwsInvalidInput { _ = try bad.pushImu(timestamps: [0, 0.02], samples: [0, 0, 9.8, 0, 0, 0]) })
    T.check("an empty batch throws InvalidInput through the feed",
            throwsInvalidInput { _ = try bad.pushImu(timestamps: [], samples: []) })
    T.check("time going backwards throws InvalidInput through the feed",
            throwsInvalidInput { _ = try bad.pushImu(timestamps: [1.0, 0.5], samples: [Float](repeating: 0, count: 12)) })
    T.check("a 200,000-sample batch is refused",
            throwsInvalidInput { _ = try bad.pushImu(timestamps: (0..<200_000).map { Double($0) * 0.01 }, samples: [Float](repeating: 0, count: 1_200_000)) })
    T.equal("after the errors nothing was counted and no error lingers",
            try bad.pushImu(timestamps: [0], samples: [0, 0, 9.8, 0, 0, 0]), [])

    // A live session through its feed: events returned and told to the listener, reps stored.
    let core = try RehabCore(path: T.tempDir().appendingPathComponent("feed.db").path)
    let ana = try await core.createProfile(profile: NewProfile(name: "Ana", affectedSide: .left, timeZone: "Europe/Madrid"))
    let plan = DailyPlan(blocks: [PlannedBlock(exerciseId: "elbow_flexion_extension", side: .left, targetReps: 40, targetRangeFraction: 0.6, setupS: 0, estDurationS: 200, restAfterS: 0, source: .routine)], estTotalS: 200, totalReps: 40, overBudget: false)
    let listener = CollectingSessionListener()
    let session = try core.startSession(profileId: ana.id, plan: plan, utcOffsetMinutes: 60, language: "en", listener: listener)
    var events = try session.begin()
    let sessionFeed = session.sampleFeed()
    events += try inBatches(t, x, 50) { try sessionFeed.pushImu(timestamps: $0, samples: $1) }
    T.check("a session feed refuses NaN with InvalidInput",
            throwsInvalidInput { _ = try sessionFeed.pushImu(timestamps: [1e6], samples: [0, 0, .nan, 0, 0, 0]) })
    events += try session.stop()
    let reps = events.filter { if case .rep = $0 { return true }; return false }.count
    let attempts = events.filter { if case .attempt = $0 { return true }; return false }.count
    T.check("the session feed counts the 20 movements (within one)", (19...21).contains(reps + attempts), "(\(reps) + \(attempts))")
    T.equal("the listener got what the feed returned", listener.events, events)
    var madrid = Calendar(identifier: .gregorian)
    madrid.timeZone = TimeZone(identifier: "Europe/Madrid")!
    let day: (Double) -> RehabDate = { RehabDate(Date().addingTimeInterval($0 * 86400), in: madrid) }
    let stored = try await core.dailyTotals(profileId: ana.id, from: day(-1), to: day(1)).reduce(0) { $0 + Int($1.reps) }
    T.equal("the reps pushed through the feed are on disk", stored, reps)
}
