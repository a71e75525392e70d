// Issue 17, points 3 and 4: the calls that wait on the disk never block the main
// actor (it keeps running while each call is held inside the core), and
// stored-data changes arrive as AsyncStreams (bindings/swift/.../DataStreams.swift)
// whose cancellation leaves no listener registered.
import Foundation
import RehabCore

/// A listener that, while armed, holds the core thread calling it until the test
/// releases it: a call made slow deterministically, with no timing in the assertion.
private final class Gate: DataListener, SessionListener, @unchecked Sendable {
    private let lock = NSLock()
    private var armed = false
    private var hold = DispatchSemaphore(value: 0)
    private var _entered = false
    private var _onMain = false
    private var _timedOut = false
    var entered: Bool { lock.lock(); defer { lock.unlock() }; return _entered }
    var onMain: Bool { lock.lock(); defer { lock.unlock() }; return _onMain }
    var timedOut: Bool { lock.lock(); defer { lock.unlock() }; return _timedOut }

    func arm() {
        lock.lock(); defer { lock.unlock() }
        hold = DispatchSemaphore(value: 0)
        (_entered, _onMain, _timedOut, armed) = (false, false, false, true)
    }

    func release() { lock.lock(); let h = hold; lock.unlock(); h.signal() }

    private func pass() {
        lock.lock()
        guard armed else { lock.unlock(); return }
        armed = false
        (_entered, _onMain) = (true, Thread.isMainThread)
        let h = hold
        lock.unlock()
        // A call that blocked the main thread would wait here for ever: give up after 10 s.
        if h.wait(timeout: .now() + 10) == .timedOut { lock.lock(); _timedOut = true; lock.unlock() }
    }

    func onChange(change: DataChange) throws { pass() }
    func onEvent(event: SessionEvent) throws { pass() }
}

/// Runs `call` from the main actor while `gate` holds it inside the core, and checks
/// that the main actor keeps running meanwhile: it ticks, then releases the gate itself.
@MainActor
private func heldCall<R>(_ name: String, _ gate: Gate, _ call: @escaping @MainActor () async throws -> R) async throws -> R {
    gate.arm()
    let task = Task { @MainActor in try await call() }
    let deadline = Date().addingTimeInterval(20)
    while !gate.entered && Date() < deadline { try await Task.sleep(nanoseconds: 1_000_000) }
    var ticks = 0
    if gate.entered && !gate.timedOut {
        for _ in 0..<5 { await Task.yield(); ticks += 1 }
    }
    gate.release()
    let value = try await task.value
    T.check("\(name): the main actor keeps running while the call waits in the core",
            ticks == 5 && !gate.timedOut && gate.entered && !gate.onMain,
            "(ticks \(ticks), timed out \(gate.timedOut), held on main \(gate.onMain))")
    return value
}

/// Ticks the main actor while `call` is in flight; a blocking call leaves no tick.
@MainActor
private func ticksDuring<R>(_ call: @escaping @MainActor () async throws -> R) async throws -> (R, Int) {
    let task = Task { @MainActor in try await call() }
    var ticks = 0
    let done = Flag()
    Task { @MainActor in _ = try? await task.value; done.set() }
    while !done.isSet { ticks += 1; await Task.yield() }
    return (try await task.value, ticks)
}

private final class Flag: @unchecked Sendable {
    private let lock = NSLock()
    private var value = false
    var isSet: Bool { lock.lock(); defer { lock.unlock() }; return value }
    func set() { lock.lock(); value = true; lock.unlock() }
}

private func elbow(_ reps: UInt32, blocks: Int = 1) -> DailyPlan {
    let block = PlannedBlock(exerciseId: "elbow_flexion_extension", side: .left, targetReps: reps, targetRangeFraction: 0.6, setupS: 0, estDurationS: 200, restAfterS: 0, source: .routine)
    return DailyPlan(blocks: Array(repeating: block, count: blocks), estTotalS: 200 * UInt32(blocks), totalReps: reps * UInt32(blocks), overBudget: false)
}

private func utcDay(_ ms: Int64) -> String {
    let f = DateFormatter()
    f.locale = Locale(identifier: "en_US_POSIX")
    f.timeZone = TimeZone(identifier: "UTC")
    f.dateFormat = "yyyy-MM-dd'T'HH:mm"
    return f.string(from: Date(timeIntervalSince1970: Double(ms) / 1000))
}

@MainActor
func liveDataTests() async throws {
    try await nonBlockingTests()
    try await dataStreamTests()
}

@MainActor
private func nonBlockingTests() async throws {
    let core = try RehabCore(path: T.tempDir().appendingPathComponent("ui.db").path)
    let gate = Gate()
    let sub = core.subscribe(listener: gate)
    let ana = try await core.createProfile(profile: NewProfile(name: "Ana", affectedSide: .left, timeZone: "Europe/Madrid"))

    let session = try await heldCall("startSessionAsync", gate) {
        try await core.startSessionAsync(profileId: ana.id, plan: elbow(40, blocks: 2), utcOffsetMinutes: 60, language: "en", listener: gate)
    }
    _ = try await heldCall("beginAsync", gate) { try await session.beginAsync() }
    _ = try await heldCall("skipAsync", gate) { try await session.skipAsync() }
    let stopped = try await heldCall("stopAsync", gate) { try await session.stopAsync() }
    T.check("stopAsync ends the session", stopped.contains { if case .sessionFinished = $0 { return true }; return false })
    let now = Int64(Date().timeIntervalSince1970 * 1000)
    _ = try await heldCall("recordCheckIn", gate) {
        try await core.recordCheckIn(checkIn: NewCheckIn(profileId: ana.id, timing: .afterSession(sessionId: session.sessionId()), recordedAt: Date(timeIntervalSince1970: Double(now) / 1000), utcOffsetMin: 60, pain: 3, spasticity: nil, effort: 4, note: ""))
    }
    // A session left active (the app killed): resumed, then abandoned.
    let leftId = try await core.startSessionAsync(profileId: ana.id, plan: elbow(5), utcOffsetMinutes: 60, language: "en", listener: nil).sessionId()
    _ = try await heldCall("resumeSessionAsync", gate) { try await core.resumeSessionAsync(sessionId: leftId, language: "en", listener: nil) }
    _ = try await heldCall("abandonSession", gate) { try await core.abandonSession(sessionId: leftId) }

    // Exports have no callback to hold them: a big history keeps them busy instead.
    let day0: Int64 = 1_735_722_000_000 // 2025-01-01T09:00Z
    for d in 0..<400 {
        _ = try await core.storeCompletedSession(session: completedSession(ana.id, utcDay(day0 + Int64(d) * 86_400_000), 0, 30))
    }
    let (backup, backupTicks) = try await ticksDuring { try await core.exportBackup(profileId: ana.id) }
    T.check("exportBackup: the main actor ticks while it runs", backupTicks > 0 && backup.count > 100_000, "(\(backupTicks) ticks)")
    let (fhir, fhirTicks) = try await ticksDuring { try await core.exportFhir(profileId: ana.id, from: "2025-01-01", to: "2026-02-04") }
    T.check("exportFhir: the main actor ticks while it runs", fhirTicks > 0 && fhir.contains("Bundle"), "(\(fhirTicks) ticks)")
    sub.cancel()
}

private func waitFor(_ seconds: Double, _ condition: () -> Bool) async -> Bool {
    let deadline = Date().addingTimeInterval(seconds)
    while !condition() {
        if Date() > deadline { return false }
        try? await Task.sleep(nanoseconds: 2_000_000)
    }
    return true
}

/// Changes seen by a consuming task.
private final class Seen: @unchecked Sendable {
    private let lock = NSLock()
    private var items: [DataChange] = []
    var all: [DataChange] { lock.lock(); defer { lock.unlock() }; return items }
    func add(_ c: DataChange) { lock.lock(); items.append(c); lock.unlock() }
}

@MainActor
private func dataStreamTests() async throws {
    let core = try RehabCore(path: T.tempDir().appendingPathComponent("streams.db").path)
    let ana = try await core.createProfile(profile: NewProfile(name: "Ana", affectedSide: .left, timeZone: "UTC"))
    let (t, x) = try loadRecording()
    T.equal("no listener registered before iterating", core.activeSubscriptions(), 0)

    // changes(): a consumer task hears the whole session and the rest.
    let seen = Seen()
    let stream = core.changes()
    let consumer = Task.detached { for await c in stream { seen.add(c) } }
    T.equal("changes() registers one listener", core.activeSubscriptions(), 1)
    let session = try await core.startSessionAsync(profileId: ana.id, plan: elbow(40), utcOffsetMinutes: 0, language: "en", listener: nil)
    _ = try await session.beginAsync()
    _ = try push(session, t, x)
    guard case .sessionFinished(let summary)? = try await session.stopAsync().last else {
        T.check("stopAsync ends with SessionFinished", false); return
    }
    _ = try await core.setDailyGoal(profileId: ana.id, goal: DailyGoal(effectiveFrom: "2026-01-01", reps: 30, activeMinutes: nil))
    let gotGoal = await waitFor(10) { seen.all.contains { if case .goalChanged = $0 { return true }; return false } }
    let got = seen.all
    T.check("changes(): everything up to the goal arrives", gotGoal)
    if case .sessionStarted? = got.first { T.check("changes(): the session start comes first", true) } else {
        T.check("changes(): the session start comes first", false, "(\(got.first as Any))")
    }
    let repNotes = got.filter { if case .repsStored = $0 { return true }; return false }.count
    T.check("changes(): reps arrive coalesced", repNotes > 0 && repNotes < Int(summary.reps), "(\(repNotes) for \(summary.reps) reps)")
    T.check("changes(): the block and the session's end", got.contains { if case .blockDone = $0 { return true }; return false }
        && got.contains(.sessionFinished(profileId: ana.id, summary: summary)))
    consumer.cancel()
    _ = await consumer.value
    T.equal("changes(): cancelling the consumer unregisters its listener", core.activeSubscriptions(), 0)

    // todayTotals(): the figures now, then again after a change.
    let nowMs = Int64(Date().timeIntervalSince1970 * 1000)
    let today = RehabDate(iso: String(utcDay(nowMs).prefix(10)))!
    let totals = Task.detached { () -> [UInt32] in
        var reps: [UInt32] = []
        do {
            for try await total in core.todayTotals(profileId: ana.id, today: { today }) {
                reps.append(total.reps)
                if reps.count == 1 {
                    // Ten minutes ago, but today: in the first minutes after midnight UTC,
                    // at midnight.
                    let midnightMs = nowMs - nowMs % 86_400_000
                    let storedMs = max(nowMs - 600_000, midnightMs)
                    _ = try await core.storeCompletedSession(session: completedSession(ana.id, utcDay(storedMs), 0, 12))
                }
                if total.reps == summary.reps + 12 { break }
            }
        } catch { T.check("todayTotals() throws nothing", false, "(\(error))") }
        return reps
    }
    let reps = await totals.value
    T.equal("todayTotals(): today's figures first", reps.first, summary.reps)
    T.equal("todayTotals(): emits again after a session is stored", reps.last, summary.reps + 12)
    T.check("todayTotals(): leaving the loop unregisters its listener", await waitFor(10) { core.activeSubscriptions() == 0 })

    // Cancelling a task that waits on the stream ends it too.
    let waiting = Task.detached { for try await _ in core.todayTotals(profileId: ana.id, today: { today }) {} }
    T.check("todayTotals() registers a listener", await waitFor(10) { core.activeSubscriptions() == 1 })
    waiting.cancel()
    _ = try? await waiting.value
    T.check("todayTotals(): cancelling unregisters its listener", await waitFor(10) { core.activeSubscriptions() == 0 })
}
