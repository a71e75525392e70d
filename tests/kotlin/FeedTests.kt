// The sample fast path (SessionFeed / CounterFeed): the same results as the List
// overloads, typed errors for bad batches, events that overflow the buffer, close.
import kotlinx.coroutines.runBlocking
import org.rehabcore.*
import org.rehabcore.tests.T
import java.io.File

/** Runs [push] over the recording in batches of [n] samples as primitive arrays. */
private fun <E> inBatches(t: List<Double>, x: List<Float>, n: Int, push: (DoubleArray, FloatArray) -> List<E>): List<E> {
    val out = ArrayList<E>()
    var i = 0
    while (i < t.size) {
        val k = minOf(n, t.size - i)
        out += push(t.subList(i, i + k).toDoubleArray(), x.subList(6 * i, 6 * (i + k)).toFloatArray())
        i += k
    }
    return out
}

fun feedTests(): Unit = runBlocking {
    val (t, x) = loadRecording()

    // A stand-alone counter: the feed and the List overload agree movement for movement.
    val viaLists = RepCounter(CounterSignal.IMU)
    val expected = ArrayList<CountedRep>()
    var i = 0
    while (i < t.size) {
        val k = minOf(100, t.size - i)
        expected += viaLists.pushImu(t.subList(i, i + k), x.subList(6 * i, 6 * (i + k)))
        i += k
    }
    val counter = RepCounter(CounterSignal.IMU)
    val got = counter.sampleFeed().use { feed -> inBatches(t, x, 100, feed::pushImu) }
    T.check("the recording has movements", expected.size >= 19) { "(${expected.size})" }
    T.equal("CounterFeed returns exactly what pushImu(List) returns", got, expected)
    T.equal("the counter behind the feed holds the count", counter.reps() + counter.attempts(), expected.size.toUInt())
    T.check("abductions are counted on the rotation", !counter.countsTravel())
    T.check("every abduction is marked as rotation", got.none { it.travel })

    // Upright rows that turn back and forth twice per rep (tests/data/README.md): counted on
    // the acceleration, within one of the 20 done (35 on the rotation alone).
    val (rt, rx) = loadCsv(File("tests/data/spar_s8_ROW_right_1.csv"))
    val rows = RepCounter(CounterSignal.IMU)
    val rowReps = rows.sampleFeed().use { feed -> inBatches(rt, rx, 100, feed::pushImu) } + rows.finish()
    T.check("upright rows are counted on the acceleration", rows.countsTravel())
    T.check("upright rows count within one of 20", rowReps.size in 19..21) { "(${rowReps.size})" }
    // Each rep says which it was counted on.
    T.check(
        "the first rows are counted on the rotation, the last on the travel",
        !rowReps.first().travel && rowReps.last().travel,
    )

    // A buffer too small for one event: every event still arrives, in order (parked path).
    val small = RepCounter(CounterSignal.IMU)
    val viaParked = CounterFeed(small, eventBufferBytes = 1).use { feed -> inBatches(t, x, 100, feed::pushImu) }
    T.equal("events that do not fit the buffer arrive through takePushedEvents", viaParked, expected)

    // Bad batches: typed errors, and the counter is unchanged.
    val bad = RepCounter(CounterSignal.IMU)
    bad.sampleFeed().use { feed ->
        T.throws<RehabException.InvalidInput>("a NaN sample throws InvalidInput through the feed") {
            feed.pushImu(doubleArrayOf(0.0), floatArrayOf(0f, 0f, 9.8f, Float.NaN, 0f, 0f))
        }
        T.throws<RehabException.InvalidInput>("mismatched lengths throw InvalidInput through the feed") {
            feed.pushImu(doubleArrayOf(0.0, 0.02), floatArrayOf(0f, 0f, 9.8f, 0f, 0f, 0f))
        }
        T.throws<RehabException.InvalidInput>("an empty batch throws InvalidInput through the feed") {
            feed.pushImu(DoubleArray(0), FloatArray(0))
        }
        T.throws<RehabException.InvalidInput>("time going backwards throws InvalidInput through the feed") {
            feed.pushImu(doubleArrayOf(1.0, 0.5), FloatArray(12))
        }
        val e = T.throws<RehabException.InvalidInput>("a 200,000-sample batch is refused") {
            feed.pushImu(DoubleArray(200_000) { it * 0.01 }, FloatArray(1_200_000))
        }
        T.check("the refusal says why", e?.message?.contains("200000") == true || e?.message?.contains("100000") == true) { "(${e?.message})" }
        T.equal("after the errors nothing was counted and no error lingers", feed.pushImu(doubleArrayOf(0.0), floatArrayOf(0f, 0f, 9.8f, 0f, 0f, 0f)), emptyList<CountedRep>())
    }
    val closed = bad.sampleFeed()
    closed.close()
    closed.close()
    T.throws<IllegalStateException>("a closed feed refuses batches (close is idempotent)") {
        closed.pushImu(doubleArrayOf(10.0), floatArrayOf(0f, 0f, 9.8f, 0f, 0f, 0f))
    }
    T.equal("closing the feed leaves the counter usable", bad.reps(), 0u)
    val gone = RepCounter(CounterSignal.IMU)
    gone.close()
    T.throws<IllegalStateException>("a feed for a closed counter is refused") { gone.sampleFeed() }
    // A feed keeps its object alive: closing the counter first does not break the feed.
    val owner = RepCounter(CounterSignal.IMU)
    val kept = owner.sampleFeed()
    owner.close()
    T.equal("a feed outlives its object's close()", kept.pushImu(doubleArrayOf(0.0, 0.02), FloatArray(12)), emptyList<CountedRep>())
    kept.close()

    // A live session through its feed: events returned and told to the listener, reps stored.
    val core = RehabCore(File(T.tempDir(), "feed.db").path)
    val ana = core.createProfile(NewProfile("Ana", Side.LEFT, "Europe/Madrid"))
    val plan = DailyPlan(
        listOf(PlannedBlock("elbow_flexion_extension", Side.LEFT, 40u, 0.6f, 0u, 200u, 0u, BlockSource.ROUTINE)),
        200u, 40u, false,
    )
    val listener = CollectingSessionListener()
    val session = core.startSession(ana.id, plan, 60, "en", listener)
    val events = ArrayList(session.begin())
    session.sampleFeed().use { feed ->
        events += inBatches(t, x, 50, feed::pushImu)
        T.throws<RehabException.InvalidInput>("a session feed refuses NaN with InvalidInput") {
            feed.pushImu(doubleArrayOf(1e6), floatArrayOf(0f, 0f, Float.NaN, 0f, 0f, 0f))
        }
    }
    events += session.stop()
    val reps = events.count { it is SessionEvent.Rep }
    val attempts = events.count { it is SessionEvent.Attempt }
    T.check("the session feed counts the 20 movements (within one)", (reps + attempts) in 19..21) { "($reps + $attempts)" }
    T.equal("the listener got what the feed returned", listener.events.toList(), events.toList())
    val summary = (events.last() as? SessionEvent.SessionFinished)?.summary
    T.equal("the stored summary counts the feed's reps", summary?.reps, reps.toUInt())
    val today = java.time.LocalDate.now(java.time.ZoneId.of("Europe/Madrid"))
    val stored = core.dailyTotals(ana.id, today.minusDays(1), today.plusDays(1)).sumOf { it.reps.toInt() }
    T.equal("the reps pushed through the feed are on disk", stored, reps)
    core.close()
}
