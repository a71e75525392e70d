// The session listener as an AsyncStream (bindings/swift/.../SessionStreams.swift):
// same events as the calls return, in order, finishing on stop, and early
// cancellation that never blocks or breaks the thread pushing samples.
import Foundation
import RehabCore

private func elbowPlan() -> DailyPlan {
    DailyPlan(blocks: [PlannedBlock(exerciseId: "elbow_flexion_extension", side: .left, targetReps: 40, targetRangeFraction: 0.6, setupS: 0, estDurationS: 200, restAfterS: 0, source: .routine)], estTotalS: 200, totalReps: 40, overBudget: false)
}

/// Shared state between the test, a collecting task and a pushing thread.
private final class Shared: @unchecked Sendable {
    private let lock = NSLock()
    private var _seen = 0
    private var _flags: Set<String> = []
    private var _error: Error?
    var seen: Int { lock.lock(); defer { lock.unlock() }; return _seen }
    var error: Error? { lock.lock(); defer { lock.unlock() }; return _error }
    func see() { lock.lock(); _seen += 1; lock.unlock() }
    func set(_ flag: String) { lock.lock(); _flags.insert(flag); lock.unlock() }
    func has(_ flag: String) -> Bool { lock.lock(); defer { lock.unlock() }; return _flags.contains(flag) }
    func fail(_ e: Error) { lock.lock(); _error = e; lock.unlock() }
}

/// Polls `condition` every 10 ms for up to `seconds`, without blocking a thread.
private func waitUntil(_ seconds: Double, _ condition: () -> Bool) async -> Bool {
    let deadline = Date().addingTimeInterval(seconds)
    while !condition() {
        if Date() > deadline { return false }
        try? await Task.sleep(nanoseconds: 10_000_000)
    }
    return true
}

/// The task's value, cancelling it after `seconds` (a stuck stream fails the test, not the run).
private func value<V>(of task: Task<V, Never>, within seconds: Double) async -> V {
    let watchdog = Task {
        // Cancelled once the value is in: the sleep throws and nothing is cancelled.
        guard (try? await Task.sleep(nanoseconds: UInt64(seconds * 1e9))) != nil else { return }
        task.cancel()
    }
    let v = await task.value
    watchdog.cancel()
    return v
}

private func collect(_ events: AsyncStream<SessionEvent>) -> Task<[SessionEvent], Never> {
    Task.detached {
        var out: [SessionEvent] = []
        for await e in events { out.append(e) }
        return out
    }
}

private func isRep(_ e: SessionEvent) -> Bool { if case .rep = e { return true }; return false }

public func streamTests() async throws {
    let core = try RehabCore(path: T.tempDir().appendingPathComponent("streams.db").path)
    let ana = try await core.createProfile(profile: NewProfile(name: "Ana", affectedSide: .left, timeZone: "Europe/Madrid"))
    let (t, x) = try loadRecording()

    // 1. A consumer task sees exactly what the calls return, in order; the stream
    //    finishes once the session stops.
    do {
        let (session, events) = try await core.startSessionStream(profileId: ana.id, plan: elbowPlan(), utcOffsetMinutes: 60, language: "en")
        let collector = collect(events)
        var returned = try session.begin()
        returned += try push(session, t, x)
        returned += try session.stop()
        let got = await value(of: collector, within: 10)
        T.check("the stream finishes after stop()", !collector.isCancelled)
        T.check("the recording gives reps through the stream", got.filter(isRep).count >= 15, "(\(got.filter(isRep).count))")
        T.equal("the stream delivers the same events as the calls returned, in order", got, returned)
        if case .sessionFinished = got.last {
            T.check("the stream ends with sessionFinished", true)
        } else {
            T.check("the stream ends with sessionFinished", false, "(\(String(describing: got.last)))")
        }
    }

    // 2. A consumer that starts late still gets everything (the buffer keeps it).
    do {
        let (session, events) = try await core.startSessionStream(profileId: ana.id, plan: elbowPlan(), utcOffsetMinutes: 60, language: "en")
        var returned = try session.begin()
        returned += try push(session, Array(t[0..<500]), Array(x[0..<3000]))
        returned += try session.stop()
        let got = await value(of: collect(events), within: 10)
        T.equal("a late consumer gets every buffered event", got, returned)
    }

    // 3. prefix(3): the consumer stops after three events; pushing goes on without
    //    blocking or throwing, and the session still finishes normally.
    do {
        let (session, events) = try await core.startSessionStream(profileId: ana.id, plan: elbowPlan(), utcOffsetMinutes: 60, language: "en")
        let firstThree = Task.detached { () -> [SessionEvent] in
            var out: [SessionEvent] = []
            for await e in events.prefix(3) { out.append(e) }
            return out
        }
        var returned = try session.begin()
        returned += try push(session, Array(t[0..<750]), Array(x[0..<4500]))
        let got = await value(of: firstThree, within: 10)
        T.equal("prefix(3) gets the first three events", got, Array(returned.prefix(3)))
        let started = Date()
        var rest: [SessionEvent] = []
        do {
            rest = try push(session, Array(t[750...]), Array(x[4500...]))
            rest += try session.stop()
            T.check("pushing after the consumer left does not throw", true)
        } catch {
            T.check("pushing after the consumer left does not throw", false, "(\(error))")
        }
        let elapsed = Date().timeIntervalSince(started)
        T.check("pushing after the consumer left does not block", elapsed < 10, "(\(elapsed) s)")
        T.equal("the session still finishes after the consumer left", session.state(), .finished)
        T.check("the calls still return the reps", (returned + rest).filter(isRep).count >= 15)
    }

    // 4. Cancelling the consuming task mid-session while a plain thread pushes (as
    //    a sensor queue would): delivery stops and the thread finishes.
    do {
        let (session, events) = try await core.startSessionStream(profileId: ana.id, plan: elbowPlan(), utcOffsetMinutes: 60, language: "en")
        let shared = Shared()
        let consumer = Task.detached {
            for await e in events {
                shared.see()
                if isRep(e) { shared.set("rep") }
            }
        }
        let sensor = Thread {
            do {
                _ = try session.begin()
                _ = try push(session, Array(t[0..<600]), Array(x[0..<3600]))
                shared.set("halfway")
                // Waits for the consumer to be cancelled (10 s at most).
                let deadline = Date().addingTimeInterval(10)
                while !shared.has("cancelled") && Date() < deadline { usleep(5_000) }
                _ = try push(session, Array(t[600...]), Array(x[3600...]))
                _ = try session.stop()
            } catch {
                shared.fail(error)
            }
            shared.set("done")
        }
        sensor.start()
        let sawRep = await waitUntil(10) { shared.has("rep") && shared.has("halfway") }
        T.check("the consumer sees a rep", sawRep)
        consumer.cancel()
        await consumer.value
        let seenAtCancel = shared.seen
        shared.set("cancelled")
        let done = await waitUntil(10) { shared.has("done") }
        T.check("the pushing thread ends after the consumer is cancelled", done)
        T.check("the pushing thread saw no error", shared.error == nil, "(\(String(describing: shared.error)))")
        T.equal("nothing is delivered after cancellation", shared.seen, seenAtCancel)
        T.equal("the session finished", session.state(), .finished)
    }

    // 5. finish() ends the stream without stopping the session.
    do {
        let listener = SessionEventStream()
        let session = try core.startSession(profileId: ana.id, plan: elbowPlan(), utcOffsetMinutes: 60, language: "en", listener: listener)
        let collector = collect(listener.events)
        let begun = try session.begin()
        listener.finish()
        let got = await value(of: collector, within: 10)
        T.equal("finish() ends the stream with the events so far", got, begun)
        do {
            _ = try session.stop()
            T.check("events after finish() are dropped quietly", true)
        } catch {
            T.check("events after finish() are dropped quietly", false, "(\(error))")
        }
    }
}
