// The session listener as a Flow (bindings/kotlin/.../SessionFlows.kt): same events
// as the calls return, in order, completion on stop, and early cancellation that
// never blocks or breaks the thread pushing samples.
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.async
import kotlinx.coroutines.cancelAndJoin
import kotlinx.coroutines.flow.collect
import kotlinx.coroutines.flow.take
import kotlinx.coroutines.flow.toList
import kotlinx.coroutines.launch
import kotlinx.coroutines.runBlocking
import kotlinx.coroutines.withTimeoutOrNull
import org.rehabcore.*
import org.rehabcore.tests.T
import java.io.File
import java.util.concurrent.CountDownLatch
import java.util.concurrent.TimeUnit
import java.util.concurrent.atomic.AtomicInteger

private fun elbowPlan() = DailyPlan(
    listOf(PlannedBlock("elbow_flexion_extension", Side.LEFT, 40u, 0.6f, 0u, 200u, 0u, BlockSource.ROUTINE)),
    200u, 40u, false,
)

/** Pushes the recording in 100 ms batches (5 samples at 50 Hz), as a sensor thread would. */
private fun pushRecording(session: ExerciseSession, t: List<Double>, x: List<Float>, from: Int = 0, to: Int = t.size): List<SessionEvent> {
    val out = ArrayList<SessionEvent>()
    var i = from
    while (i < to) {
        val n = minOf(5, to - i)
        out += session.pushImu(t.subList(i, i + n), x.subList(6 * i, 6 * (i + n)))
        i += n
    }
    return out
}

fun streamTests(): Unit = runBlocking {
    val core = RehabCore(File(T.tempDir(), "streams.db").path)
    val ana = core.createProfile(NewProfile("Ana", Side.LEFT, "Europe/Madrid"))
    val (t, x) = loadRecording()

    // 1. A collector on another thread sees exactly what the calls return, in order,
    //    and its flow completes once the session stops.
    run {
        val (session, events) = core.startSessionFlow(ana.id, elbowPlan(), 60, "en")
        val collected = async(Dispatchers.Default) { events.toList() }
        val returned = ArrayList<SessionEvent>()
        returned += session.begin()
        returned += pushRecording(session, t, x)
        returned += session.stop()
        val got = withTimeoutOrNull(10_000) { collected.await() }
        T.check("the flow completes after stop()", got != null)
        T.check("the recording gives reps through the flow", (got ?: listOf()).count { it is SessionEvent.Rep } >= 15)
        T.equal("the flow delivers the same events as the calls returned, in order", got, returned)
        T.check("the flow ends with SessionFinished", got?.lastOrNull() is SessionEvent.SessionFinished)
        T.throws<IllegalStateException>("the flow can be collected only once") {
            runBlocking { events.collect { } }
        }
    }

    // 2. A collector that starts late still gets everything (the buffer keeps it).
    run {
        val (session, events) = core.startSessionFlow(ana.id, elbowPlan(), 60, "en")
        val returned = session.begin() + pushRecording(session, t, x, 0, 500) + session.stop()
        val got = withTimeoutOrNull(10_000) { events.toList() }
        T.equal("a late collector gets every buffered event", got, returned)
    }

    // 3. take(3): the collector stops after three events; the pushing thread goes on
    //    without blocking or throwing, and the session still finishes normally.
    run {
        val (session, events) = core.startSessionFlow(ana.id, elbowPlan(), 60, "en")
        val firstThree = async(Dispatchers.Default) { events.take(3).toList() }
        val returned = ArrayList<SessionEvent>()
        returned += session.begin()
        returned += pushRecording(session, t, x, 0, 750)
        val got = withTimeoutOrNull(10_000) { firstThree.await() }
        T.equal("take(3) gets the first three events", got, returned.take(3))
        val started = System.nanoTime()
        val rest = runCatching { pushRecording(session, t, x, 750) + session.stop() }
        val ms = (System.nanoTime() - started) / 1_000_000
        T.check("pushing after the collector left does not throw", rest.isSuccess) { "(${rest.exceptionOrNull()})" }
        T.check("pushing after the collector left does not block", ms < 10_000) { "($ms ms)" }
        T.equal("the session still finishes after the collector left", session.state(), SessionState.FINISHED)
        T.check("the calls still return the reps", (returned + rest.getOrDefault(listOf())).count { it is SessionEvent.Rep } >= 15)
    }

    // 4. Cancelling the collecting job mid-session, with events pushed from a plain
    //    thread (as a sensor HandlerThread would): delivery stops, the thread finishes.
    run {
        val (session, events) = core.startSessionFlow(ana.id, elbowPlan(), 60, "en")
        val seen = AtomicInteger()
        val gotSome = CountDownLatch(1)
        val job = launch(Dispatchers.Default) {
            events.collect {
                seen.incrementAndGet()
                if (it is SessionEvent.Rep) gotSome.countDown()
            }
        }
        var pushError: Throwable? = null
        val sensor = Thread {
            try {
                session.begin()
                pushRecording(session, t, x, 0, 600)
                gotSome.await(10, TimeUnit.SECONDS)
                pushRecording(session, t, x, 600)
                session.stop()
            } catch (e: Throwable) {
                pushError = e
            }
        }
        sensor.start()
        T.check("the collector sees a rep", gotSome.await(10, TimeUnit.SECONDS))
        job.cancelAndJoin()
        val seenAtCancel = seen.get()
        sensor.join(10_000)
        T.check("the pushing thread ends after the collector is cancelled", !sensor.isAlive)
        T.check("the pushing thread saw no error", pushError == null) { "($pushError)" }
        T.equal("nothing is delivered after cancellation", seen.get(), seenAtCancel)
        T.equal("the session finished", session.state(), SessionState.FINISHED)
    }

    // 5. close() completes the flow without stopping the session.
    run {
        val listener = SessionEventChannel()
        val session = core.startSession(ana.id, elbowPlan(), 60, "en", listener)
        val collected = async(Dispatchers.Default) { listener.events.toList() }
        val begun = session.begin()
        listener.close()
        val got = withTimeoutOrNull(10_000) { collected.await() }
        T.equal("close() completes the flow with the events so far", got, begun)
        T.check("events after close() are dropped quietly", runCatching { session.stop() }.isSuccess)
    }
    core.close()
}
