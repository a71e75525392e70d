// A living example: a whole 30-minute demo session through the Swift bindings, as
// an iOS app would drive it (without the screens): open the core, create a
// profile, plan today, start a session whose events arrive as an AsyncStream,
// feed simulated sensor batches from a serial "sensor" queue, end rests with
// skip(), print the summary. Exit 0 only if the session finished with reps > 0.
//
// Run: scripts/run-examples.sh (builds the library and this file).
import Foundation
import RehabCore

/// A small deterministic random source (xorshift), so every run plays the same.
struct Rng {
    var s: UInt64
    mutating func unit() -> Double {
        s ^= s << 13; s ^= s >> 7; s ^= s << 17
        return Double(s >> 11) / Double(1 << 53)
    }
    mutating func range(_ lo: Double, _ hi: Double) -> Double { lo + (hi - lo) * unit() }
}

/// Plays simulated movements into a session: 50 Hz samples in 100 ms batches.
final class Player {
    let session: ExerciseSession
    let feed: SessionFeed
    let plan: DailyPlan
    let catalog: [String: CatalogEntry]
    var rng = Rng(s: 0x5EED_CAFE)
    var t = 0.0 // the sensor clock, seconds
    var block = -1

    init(session: ExerciseSession, plan: DailyPlan, catalog: [String: CatalogEntry]) {
        self.session = session; self.plan = plan; self.catalog = catalog
        self.feed = session.sampleFeed() // sensor batches by pointer, one native call
    }

    func note(_ events: [SessionEvent]) {
        for e in events { if case let .blockStarted(index, _, _, _, _) = e { block = Int(index) } }
    }

    var counting: Bool { [.calibrating, .exercising].contains(session.state()) }

    func play() throws {
        note(try session.begin())
        while session.state() != .finished {
            switch session.state() {
            case .resting:
                // The core times rests on the system clock; an app calls tick() about
                // once a second. The example does not wait: it ends the rest early.
                note(try session.tick())
                if session.state() == .resting { note(try session.skip()) }
                t += 30
            case .calibrating, .exercising:
                let planned = plan.blocks[block]
                let hint = catalog[planned.exerciseId]!.exercise.hint
                let n = Int(planned.targetReps) + 6
                switch hint.signal {
                case .touch: try taps(n)
                case .imu: try rotations(n, hint)
                case .gripForce, .jointAngle: try scalar(n, peak: Double(hint.minRange) * rng.range(3, 5))
                }
                if counting { note(try session.skip()) } // stopped before the target: move on
            case .planned: note(try session.begin())
            case .paused: note(try session.resume())
            case .finished: break
            }
        }
    }

    /// Taps at an uneven pace, for touch exercises.
    func taps(_ n: Int) throws {
        let b = block
        for _ in 0..<n {
            t += rng.range(0.5, 2.0)
            note(try session.tap(tS: t))
            if block != b || !counting { return }
        }
    }

    /// Out-and-back rotations about the exercise's axis, with tremor and noise.
    func rotations(_ n: Int, _ hint: CountingHint) throws {
        var axis: [Double]
        switch hint.axis {
        case .x: axis = [0.97, 0.2, 0.1]
        case .y: axis = [0.1, 0.97, 0.2]
        case .z: axis = [0.2, 0.1, 0.97]
        case nil: axis = [0.2, 0.9, -0.4]
        }
        let len = (axis.map { $0 * $0 }.reduce(0, +)).squareRoot()
        axis = axis.map { $0 / len }
        // A travel hint's floor is metres of hand travel, not radians: play the
        // rotation that comes with the travel instead.
        let floor = hint.motion == .travel ? 0.1 : Double(hint.minRange)
        let amplitude = max(floor * rng.range(2.5, 4.0), 0.35)
        let lo = Double(hint.repSMin), hi = lo + 0.5 * Double(hint.repSMax - hint.repSMin)
        // (start, duration, amplitude) of each movement, after 1.5 s still.
        var moves: [(Double, Double, Double)] = []
        var s = t + 1.5
        for i in 0..<n {
            let d = rng.range(lo, hi)
            moves.append((s, d, amplitude * (1 - 0.25 * Double(i) / Double(n)) * rng.range(0.85, 1.15)))
            s += d + rng.range(0.3, 1.5)
        }
        let end = s + 1.0
        func angle(_ at: Double) -> Double {
            guard let m = moves.last(where: { at >= $0.0 }) else { return 0 }
            let u = (at - m.0) / m.1
            return u > 1 ? 0 : m.2 * 0.5 * (1 - cos(2 * .pi * u))
        }
        let b = block
        var ts: [Double] = [], xs: [Float] = []
        while t < end {
            let a = angle(t)
            let rate = (angle(t + 1e-3) - angle(t - 1e-3)) / 2e-3 + 0.06 * sin(2 * .pi * 5.5 * t)
            // Gravity in the phone's frame after rotating by `a` about `axis` (Rodrigues).
            let sn = sin(-a), c = cos(-a), g0 = 9.81
            let g = [axis[1] * g0 * sn + axis[0] * axis[2] * g0 * (1 - c),
                     -axis[0] * g0 * sn + axis[1] * axis[2] * g0 * (1 - c),
                     g0 * c + axis[2] * axis[2] * g0 * (1 - c)]
            ts.append(t)
            for k in 0..<3 { xs.append(Float(g[k] + 0.03 * rng.range(-1, 1))) }
            for k in 0..<3 { xs.append(Float(axis[k] * rate + 0.01 * rng.range(-1, 1))) }
            if ts.count == 5 { // 100 ms at 50 Hz: one call per batch
                note(try feed.pushImu(timestamps: ts, samples: xs))
                ts.removeAll(keepingCapacity: true); xs.removeAll(keepingCapacity: true)
                if block != b || !counting { break }
            }
            t += 0.02 * (1 + 0.1 * rng.range(-1, 1))
        }
        t += 0.5
    }

    /// Squeezes (grip force) or a joint angle: one scalar channel, 50 Hz.
    func scalar(_ n: Int, peak: Double) throws {
        let b = block
        var ts: [Double] = [], vs: [Float] = []
        var s = t + 1.0
        var moves: [(Double, Double, Double)] = []
        for i in 0..<n {
            let d = rng.range(1.5, 3.5)
            moves.append((s, d, peak * (1 - 0.3 * Double(i) / Double(n)) * rng.range(0.8, 1.2)))
            s += d + rng.range(0.3, 1.2)
        }
        let end = s + 1.5
        while t < end {
            var v = 0.05 * peak + 0.01 * peak * rng.range(-1, 1)
            if let m = moves.last(where: { t >= $0.0 }) {
                let u = (t - m.0) / m.1
                if u <= 1 { v += m.2 * 0.5 * (1 - cos(2 * .pi * u)) }
            }
            ts.append(t); vs.append(Float(v))
            if ts.count == 5 {
                note(try feed.pushScalar(timestamps: ts, values: vs))
                ts.removeAll(keepingCapacity: true); vs.removeAll(keepingCapacity: true)
                if block != b || !counting { break }
            }
            t += 0.02
        }
        t += 0.5
    }
}

func demo() async throws -> Bool {
    let started = Date()
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("rehab-example-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: dir) }
    let core = try RehabCore(path: dir.appendingPathComponent("rehab.db").path)
    let profile = try await core.createProfile(profile: NewProfile(name: "Demo", affectedSide: .left, timeZone: "Europe/Madrid"))
    let request = PlanRequest(level: 2, areas: [.hand, .wrist, .forearm, .elbow, .shoulder], affectedSide: .left, goal: .minutes(minutes: 30), prescriptions: [], targets: [:])
    let plan = try await core.planToday(profileId: profile.id, today: RehabDate(Date()), request: request)
    let catalog = Dictionary(uniqueKeysWithValues: try core.catalog(language: "en").map { ($0.exercise.id, $0) })
    print("plan: \(plan.blocks.count) blocks, \(plan.totalReps) reps, ~\(plan.estTotalS / 60) min")

    let offsetMinutes = Int32(TimeZone.current.secondsFromGMT() / 60)
    let (session, events) = try await core.startSessionStream(profileId: profile.id, plan: plan, utcOffsetMinutes: offsetMinutes, language: "en")

    // The "UI": consumes the stream (an app would do this in a @MainActor task).
    let ui = Task.detached { () -> SessionSummary? in
        var finished: SessionSummary?
        for await e in events {
            switch e {
            case let .blockStarted(index, exerciseId, _, targetReps, calibrating):
                print("block \(index + 1): \(catalog[exerciseId]?.text.name ?? exerciseId) (\(targetReps) reps\(calibrating ? ", calibrating" : ""))")
            case let .restStarted(seconds, _): print("  rest \(seconds) s")
            case let .targetsChanged(_, _, reason): print("  next time: \(reason)")
            case let .sessionFinished(summary): finished = summary
            default: break
            }
        }
        return finished
    }

    // The "sensor queue": one serial queue drives the session, as CoreMotion's
    // OperationQueue would.
    let sensor = DispatchQueue(label: "sensor")
    let player = Player(session: session, plan: plan, catalog: catalog)
    try await withCheckedThrowingContinuation { (k: CheckedContinuation<Void, Error>) in
        sensor.async {
            do { try player.play(); k.resume() } catch { k.resume(throwing: error) }
        }
    }
    let summary = await ui.value ?? session.summary() // the stream finishes after sessionFinished

    print("")
    print(String(format: "session %lld: %u reps, %u attempts, %.1f active min, plan completed: %@",
                 summary.sessionId, summary.reps, summary.attempts, Double(summary.activeMinutes), summary.completedPlan ? "true" : "false"))
    for r in summary.exercises {
        let name = catalog[r.exerciseId]?.text.name ?? r.exerciseId
        print("  \(String(format: "%2d", Int(r.blockIndex) + 1)). \(name.padding(toLength: 34, withPad: " ", startingAt: 0)) \(r.reps)/\(r.targetReps) reps \(r.attempts) attempts")
    }
    let ok = session.state() == .finished && summary.reps > 0
    print(String(format: "swift example: %@ in %.1f s", ok ? "ok" : "FAILED", Date().timeIntervalSince(started)))
    return ok
}

do {
    exit(try await demo() ? 0 : 1)
} catch {
    print("swift example: error \(error)")
    exit(1)
}
