// Issue 17, points 3 and 4: the calls that wait on the disk never block the UI thread
// (a single-threaded "UI" dispatcher keeps running while each call is held inside the
// core), and stored-data changes arrive as Flows (bindings/kotlin/.../DataFlows.kt)
// whose cancellation leaves no listener registered.
import kotlinx.coroutines.CoroutineStart
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.asCoroutineDispatcher
import kotlinx.coroutines.async
import kotlinx.coroutines.cancelAndJoin
import kotlinx.coroutines.channels.Channel
import kotlinx.coroutines.coroutineScope
import kotlinx.coroutines.delay
import kotlinx.coroutines.flow.first
import kotlinx.coroutines.launch
import kotlinx.coroutines.runBlocking
import kotlinx.coroutines.withTimeoutOrNull
import kotlinx.coroutines.yield
import org.rehabcore.*
import org.rehabcore.tests.T
import java.io.File
import java.time.Instant
import java.time.ZoneOffset
import java.util.concurrent.CountDownLatch
import java.util.concurrent.Executors
import java.util.concurrent.TimeUnit
import java.time.LocalDate

/**
 * A listener that, while armed, holds the core thread calling it until the test
 * releases it: a call made slow deterministically, with no timing in the assertion.
 */
private class Gate : DataListener, SessionListener {
    @Volatile private var armed = false
    @Volatile private var hold = CountDownLatch(0)
    @Volatile var enteredOn: String? = null
    @Volatile var timedOut = false

    fun arm() {
        enteredOn = null
        timedOut = false
        hold = CountDownLatch(1)
        armed = true
    }

    fun release() = hold.countDown()

    private fun pass() {
        if (!armed) return
        armed = false
        enteredOn = Thread.currentThread().name
        // A call that blocked the UI thread would wait here for ever: give up after 10 s.
        if (!hold.await(10, TimeUnit.SECONDS)) timedOut = true
    }

    override fun onChange(change: DataChange) = pass()
    override fun onEvent(event: SessionEvent) = pass()
}

/**
 * Runs [call] from the UI dispatcher while [gate] holds it inside the core, and checks
 * that the UI thread keeps running meanwhile: it ticks, then releases the gate itself.
 */
private suspend fun <R> heldCall(name: String, gate: Gate, call: suspend () -> R): R = coroutineScope {
    val ui = Thread.currentThread().name
    gate.arm()
    // UNDISPATCHED: the call starts right here on the UI thread, as a click handler's would.
    val result = async(start = CoroutineStart.UNDISPATCHED) { call() }
    val deadline = System.nanoTime() + 20_000_000_000L
    while (gate.enteredOn == null && System.nanoTime() < deadline) delay(1)
    var ticks = 0
    if (gate.enteredOn != null && !gate.timedOut) repeat(5) { yield(); ticks++ }
    gate.release()
    val value = result.await()
    T.check("$name: the UI thread keeps running while the call waits in the core",
        ticks == 5 && !gate.timedOut && gate.enteredOn != null && gate.enteredOn != ui) {
        "(held on ${gate.enteredOn}, UI is $ui, ticks $ticks, timed out ${gate.timedOut})"
    }
    value
}

/** Ticks the UI dispatcher while [call] is in flight; a blocking call leaves no tick. */
private suspend fun <R> ticksDuring(call: suspend () -> R): Pair<R, Int> = coroutineScope {
    val result = async(start = CoroutineStart.UNDISPATCHED) { call() }
    var ticks = 0
    while (!result.isCompleted) { ticks++; yield() }
    result.await() to ticks
}

private fun elbow(reps: UInt, blocks: Int = 1) = DailyPlan(
    List(blocks) { PlannedBlock("elbow_flexion_extension", Side.LEFT, reps, 0.6f, 0u, 200u, 0u, BlockSource.ROUTINE) },
    200u * blocks.toUInt(), reps * blocks.toUInt(), false,
)

private fun pushAll(session: ExerciseSession, t: List<Double>, x: List<Float>) {
    var i = 0
    while (i < t.size) {
        val n = minOf(5, t.size - i)
        session.pushImu(t.subList(i, i + n), x.subList(6 * i, 6 * (i + n)))
        i += n
    }
}

fun liveDataTests() {
    val executor = Executors.newSingleThreadExecutor { r -> Thread(r, "ui") }
    val uiDispatcher = executor.asCoroutineDispatcher()
    try {
        runBlocking(uiDispatcher) { nonBlockingTests() }
        runBlocking { flowTests() }
    } finally {
        uiDispatcher.close()
    }
}

private suspend fun nonBlockingTests() {
    val core = RehabCore(File(T.tempDir(), "ui.db").path)
    val gate = Gate()
    val sub = core.subscribe(gate)
    val ana = core.createProfile(NewProfile("Ana", Side.LEFT, "Europe/Madrid"))

    val session = heldCall("startSessionAsync", gate) { core.startSessionAsync(ana.id, elbow(40u, blocks = 2), 60, "en", gate) }
    heldCall("beginAsync", gate) { session.beginAsync() }
    heldCall("skipAsync", gate) { session.skipAsync() }
    val stopped = heldCall("stopAsync", gate) { session.stopAsync() }
    T.check("stopAsync ends the session", stopped.any { it is SessionEvent.SessionFinished })
    heldCall("recordCheckIn", gate) {
        core.recordCheckIn(NewCheckIn(ana.id, CheckInTiming.AfterSession(session.sessionId()), java.time.Instant.now(), 60, 3u.toUByte(), null, 4u.toUByte(), ""))
    }
    // A session left active (the app killed): resumed, then abandoned.
    val left = core.startSessionAsync(ana.id, elbow(5u), 60, "en", null)
    val leftId = left.sessionId()
    left.close()
    heldCall("resumeSessionAsync", gate) { core.resumeSessionAsync(leftId, "en", null) }.close()
    heldCall("abandonSession", gate) { core.abandonSession(leftId) }

    // Exports have no callback to hold them: a big history keeps them busy instead.
    val day0 = Instant.parse("2025-01-01T09:00:00Z").toEpochMilli()
    repeat(400) { d ->
        core.storeCompletedSession(completedSession(ana.id, Instant.ofEpochMilli(day0 + d * 86_400_000L).atOffset(ZoneOffset.UTC).toLocalDateTime().toString(), 0, 30))
    }
    val (backup, backupTicks) = ticksDuring { core.exportBackup(ana.id) }
    T.check("exportBackup: the UI thread ticks while it runs", backupTicks > 0 && backup.length > 100_000) { "($backupTicks ticks, ${backup.length} chars)" }
    val (fhir, fhirTicks) = ticksDuring { core.exportFhir(ana.id, LocalDate.parse("2025-01-01"), LocalDate.parse("2026-02-04")) }
    T.check("exportFhir: the UI thread ticks while it runs", fhirTicks > 0 && fhir.contains("Bundle")) { "($fhirTicks ticks)" }
    val (csv, csvTicks) = ticksDuring { core.exportCsv(ana.id, LocalDate.parse("2025-01-01"), LocalDate.parse("2026-02-04")) }
    T.check("exportCsv: the UI thread ticks while it runs", csvTicks > 0 && csv.reps.length > 10_000) { "($csvTicks ticks)" }
    sub.cancel()
    core.close()
}

private suspend fun flowTests() = coroutineScope {
    val core = RehabCore(File(T.tempDir(), "flows.db").path)
    val ana = core.createProfile(NewProfile("Ana", Side.LEFT, "UTC"))
    val (t, x) = loadRecording()
    T.equal("no listener registered before collecting", core.activeSubscriptions(), 0u)

    // changes(): a collector on another thread hears the whole session and the rest.
    val heard = Channel<DataChange>(Channel.UNLIMITED)
    val collector = launch(Dispatchers.Default) { core.changes().collect { heard.send(it) } }
    while (core.activeSubscriptions() == 0u) delay(1)
    val session = core.startSessionAsync(ana.id, elbow(40u), 0, "en", null)
    session.beginAsync()
    pushAll(session, t, x)
    val summary = (session.stopAsync().last() as SessionEvent.SessionFinished).summary
    core.recordCheckIn(NewCheckIn(ana.id, CheckInTiming.AfterSession(session.sessionId()), java.time.Instant.now(), 0, 2u.toUByte(), null, null, ""))
    core.setDailyGoal(ana.id, DailyGoal(LocalDate.parse("2026-01-01"), 30u, null))
    val got = ArrayList<DataChange>()
    withTimeoutOrNull(10_000) {
        while (got.lastOrNull() !is DataChange.GoalChanged) got += heard.receive()
    }
    T.check("changes(): the session start comes first", got.firstOrNull() is DataChange.SessionStarted) { "($got)" }
    val repNotes = got.filterIsInstance<DataChange.RepsStored>()
    T.check("changes(): reps arrive coalesced", repNotes.isNotEmpty() && repNotes.size < summary.reps.toInt()) { "(${repNotes.size} for ${summary.reps} reps)" }
    T.check("changes(): the calibration, the block and the session's end", got.any { it is DataChange.CalibrationStored } &&
        got.any { it is DataChange.BlockDone } && got.any { it is DataChange.SessionFinished && it.summary == summary })
    T.check("changes(): the check-in and the goal", got.any { it is DataChange.CheckInRecorded } && got.last() is DataChange.GoalChanged)
    collector.cancelAndJoin()
    T.equal("changes(): cancelling the collector unregisters its listener", core.activeSubscriptions(), 0u)

    // todayTotals(): the figures now, then again after a change.
    val today = java.time.LocalDate.now(ZoneOffset.UTC)
    val totals = Channel<DayTotal>(Channel.UNLIMITED)
    val watcher = launch(Dispatchers.Default) { core.todayTotals(ana.id) { today }.collect { totals.send(it) } }
    val first = withTimeoutOrNull(10_000) { totals.receive() }
    T.equal("todayTotals(): the first emission is today's figures", first?.reps, summary.reps)
    // Ten minutes ago, but today: in the first minutes after midnight UTC, at midnight.
    val midnight = today.atStartOfDay().toInstant(ZoneOffset.UTC)
    val tenMinutesAgo = Instant.now().minusSeconds(600)
    val storedAt = if (tenMinutesAgo.isBefore(midnight)) midnight else tenMinutesAgo
    val nowLocal = storedAt.atOffset(ZoneOffset.UTC).toLocalDateTime().withNano(0).toString()
    core.storeCompletedSession(completedSession(ana.id, nowLocal, 0, 12))
    val after = withTimeoutOrNull(10_000) {
        var e = totals.receive()
        while (e.reps != summary.reps + 12u) e = totals.receive()
        e
    }
    T.equal("todayTotals(): emits again after a session is stored", after?.reps, summary.reps + 12u)
    watcher.cancelAndJoin()
    T.equal("todayTotals(): cancelling unregisters its listener", core.activeSubscriptions(), 0u)
    // first() ends the flow by itself: nothing is left behind either.
    T.equal("todayTotals().first() gives the figures", core.todayTotals(ana.id) { today }.first().reps, summary.reps + 12u)
    T.equal("todayTotals().first() leaves no listener", core.activeSubscriptions(), 0u)
    core.close()
}
