// A living example: a whole 30-minute demo session through the Kotlin bindings, as
// an Android app would drive it (without the screens): open the core, create a
// profile, plan today, start a session whose events arrive as a Flow, feed
// simulated sensor batches from a "sensor thread", end rests with skip(), print
// the summary. Exit 0 only if the session finished with reps > 0.
//
// Run: scripts/run-examples.sh (builds the library and this file).
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.asCoroutineDispatcher
import kotlinx.coroutines.launch
import kotlinx.coroutines.runBlocking
import kotlinx.coroutines.withContext
import org.rehabcore.*
import java.nio.file.Files
import java.time.LocalDate
import java.time.ZonedDateTime
import java.util.Random
import java.util.concurrent.Executors
import kotlin.math.PI
import kotlin.math.cos
import kotlin.math.sin
import kotlin.math.sqrt
import kotlin.system.exitProcess

fun main() {
    val ok = runBlocking { demo() }
    exitProcess(if (ok) 0 else 1)
}

suspend fun demo(): Boolean = kotlinx.coroutines.coroutineScope {
    val started = System.nanoTime()
    val dir = Files.createTempDirectory("rehab-example-kt").toFile().apply { deleteOnExit() }
    val core = RehabCore(dir.resolve("rehab.db").path)
    val profile = core.createProfile(NewProfile("Demo", Side.LEFT, "Europe/Madrid"))
    val request = PlanRequest(
        2u.toUByte(),
        listOf(BodyRegion.HAND, BodyRegion.WRIST, BodyRegion.FOREARM, BodyRegion.ELBOW, BodyRegion.SHOULDER),
        Side.LEFT, PlanGoal.Minutes(30u), listOf(), mapOf(),
    )
    val plan = core.planToday(profile.id, LocalDate.now(), request)
    val catalog = core.catalog("en").associateBy { it.exercise.id }
    println("plan: ${plan.blocks.size} blocks, ${plan.totalReps} reps, ~${plan.estTotalS.toInt() / 60} min")

    val offsetMinutes = ZonedDateTime.now().offset.totalSeconds / 60
    val (session, events) = core.startSessionFlow(profile.id, plan, offsetMinutes, "en")

    // The "UI": collects the flow (an app would collect on Dispatchers.Main).
    var finished: SessionSummary? = null
    val ui = launch(Dispatchers.Default) {
        events.collect { e ->
            when (e) {
                is SessionEvent.BlockStarted -> println("block ${e.blockIndex + 1u}: ${catalog[e.exerciseId]?.text?.name} (${e.targetReps} reps${if (e.calibrating) ", calibrating" else ""})")
                is SessionEvent.RestStarted -> println("  rest ${e.seconds} s")
                is SessionEvent.TargetsChanged -> println("  next time: ${e.reasonText}")
                is SessionEvent.SessionFinished -> finished = e.summary
                else -> {}
            }
        }
    }

    // The "sensor thread": one thread drives the session, as a HandlerThread would.
    val sensorThread = Executors.newSingleThreadExecutor { Thread(it, "sensor") }
    withContext(sensorThread.asCoroutineDispatcher()) { Player(session, plan, catalog).play() }
    sensorThread.shutdown()
    ui.join() // the flow completes after SessionFinished

    val summary = finished ?: session.summary()
    println()
    println("session ${summary.sessionId}: ${summary.reps} reps, ${summary.attempts} attempts, " +
        "%.1f active min, plan completed: %s".format(summary.activeMinutes, summary.completedPlan))
    for (r in summary.exercises) {
        val name = catalog[r.exerciseId]?.text?.name ?: r.exerciseId
        println("  %2d. %-34s %3d/%-3d reps %3d attempts".format(r.blockIndex.toInt() + 1, name, r.reps.toInt(), r.targetReps.toInt(), r.attempts.toInt()))
    }
    val ok = session.state() == SessionState.FINISHED && summary.reps > 0u
    println("kotlin example: ${if (ok) "ok" else "FAILED"} in %.1f s".format((System.nanoTime() - started) / 1e9))
    core.close()
    ok
}

/** Plays simulated movements into a session: 50 Hz samples in 100 ms batches. */
class Player(private val session: ExerciseSession, private val plan: DailyPlan, private val catalog: Map<String, CatalogEntry>) {
    /** Sensor batches go through the fast path: primitive arrays, one native call. */
    private val feed = session.sampleFeed()
    private val rng = Random(7)
    private var t = 0.0 // the sensor clock, seconds
    private var block = -1

    private fun note(events: List<SessionEvent>) {
        for (e in events) if (e is SessionEvent.BlockStarted) block = e.blockIndex.toInt()
    }

    private fun counting() = session.state().let { it == SessionState.CALIBRATING || it == SessionState.EXERCISING }

    private fun range(lo: Double, hi: Double) = lo + (hi - lo) * rng.nextDouble()

    fun play() {
        note(session.begin())
        while (session.state() != SessionState.FINISHED) {
            when (session.state()) {
                // The core times rests on the system clock; an app calls tick() about
                // once a second. The example does not wait: it ends the rest early.
                SessionState.RESTING -> {
                    note(session.tick())
                    if (session.state() == SessionState.RESTING) note(session.skip())
                    t += 30.0
                }
                SessionState.CALIBRATING, SessionState.EXERCISING -> {
                    val hint = catalog.getValue(plan.blocks[block].exerciseId).exercise.hint
                    val n = plan.blocks[block].targetReps.toInt() + 6
                    when (hint.signal) {
                        Signal.TOUCH -> taps(n)
                        Signal.IMU -> rotations(n, hint)
                        Signal.GRIP_FORCE, Signal.JOINT_ANGLE -> scalar(n, hint.minRange * range(3.0, 5.0))
                    }
                    if (counting()) note(session.skip()) // stopped before the target: move on
                }
                SessionState.PLANNED -> note(session.begin())
                SessionState.PAUSED -> note(session.resume())
                SessionState.FINISHED -> {}
            }
        }
        feed.close()
    }

    /** Taps at an uneven pace, for touch exercises. */
    private fun taps(n: Int) {
        val b = block
        repeat(n) {
            t += range(0.5, 2.0)
            note(session.tap(t))
            if (block != b || !counting()) return
        }
    }

    /** Out-and-back rotations about the exercise's axis, with tremor and noise. */
    private fun rotations(n: Int, hint: CountingHint) {
        val axis = when (hint.axis) {
            Axis.X -> doubleArrayOf(0.97, 0.2, 0.1)
            Axis.Y -> doubleArrayOf(0.1, 0.97, 0.2)
            Axis.Z -> doubleArrayOf(0.2, 0.1, 0.97)
            null -> doubleArrayOf(0.2, 0.9, -0.4)
        }.let { a -> val l = sqrt(a.sumOf { it * it }); DoubleArray(3) { a[it] / l } }
        // A travel hint's floor is metres of hand travel, not radians: play the
        // rotation that comes with the travel instead.
        val floor = if (hint.motion == Motion.TRAVEL) 0.1 else hint.minRange.toDouble()
        val amplitude = maxOf(floor * range(2.5, 4.0), 0.35)
        val (lo, hi) = hint.repSMin.toDouble() to (hint.repSMin + 0.5 * (hint.repSMax - hint.repSMin))
        // (start, duration, amplitude) of each movement, after 1.5 s still.
        val moves = ArrayList<Triple<Double, Double, Double>>()
        var s = t + 1.5
        repeat(n) { i ->
            val d = range(lo, hi)
            moves += Triple(s, d, amplitude * (1.0 - 0.25 * i / n) * range(0.85, 1.15))
            s += d + range(0.3, 1.5)
        }
        val end = s + 1.0
        fun angle(at: Double): Double {
            val m = moves.lastOrNull { at >= it.first } ?: return 0.0
            val u = (at - m.first) / m.second
            return if (u > 1.0) 0.0 else m.third * 0.5 * (1.0 - cos(2.0 * PI * u))
        }
        val b = block
        val ts = ArrayList<Double>(8)
        val xs = ArrayList<Float>(48)
        while (t < end) {
            val a = angle(t)
            val rate = (angle(t + 1e-3) - angle(t - 1e-3)) / 2e-3 + 0.06 * sin(2.0 * PI * 5.5 * t)
            // Gravity in the phone's frame after rotating by `a` about `axis` (Rodrigues).
            val (sn, c) = sin(-a) to cos(-a)
            val g = doubleArrayOf(axis[1] * 9.81 * sn + axis[0] * axis[2] * 9.81 * (1 - c),
                -axis[0] * 9.81 * sn + axis[1] * axis[2] * 9.81 * (1 - c),
                9.81 * c + axis[2] * axis[2] * 9.81 * (1 - c))
            ts += t
            for (k in 0..2) xs += (g[k] + 0.03 * range(-1.0, 1.0)).toFloat()
            for (k in 0..2) xs += (axis[k] * rate + 0.01 * range(-1.0, 1.0)).toFloat()
            if (ts.size == 5) { // 100 ms at 50 Hz: one call per batch
                note(feed.pushImu(ts.toDoubleArray(), xs.toFloatArray()))
                ts.clear(); xs.clear()
                if (block != b || !counting()) break
            }
            t += 0.02 * (1.0 + 0.1 * range(-1.0, 1.0))
        }
        t += 0.5
    }

    /** Squeezes (grip force) or a joint angle: one scalar channel, 50 Hz. */
    private fun scalar(n: Int, peak: Double) {
        val b = block
        val ts = ArrayList<Double>(8)
        val vs = ArrayList<Float>(8)
        var s = t + 1.0
        val moves = (0 until n).map { i ->
            val d = range(1.5, 3.5)
            Triple(s, d, peak * (1.0 - 0.3 * i / n) * range(0.8, 1.2)).also { s += d + range(0.3, 1.2) }
        }
        val end = s + 1.5
        while (t < end) {
            val m = moves.lastOrNull { t >= it.first }
            val u = if (m == null) 1.0 else (t - m.first) / m.second
            val shape = if (m == null || u > 1.0) 0.0 else 0.5 * (1.0 - cos(2.0 * PI * u))
            ts += t
            vs += (0.05 * peak + (m?.third ?: 0.0) * shape + 0.01 * peak * range(-1.0, 1.0)).toFloat()
            if (ts.size == 5) {
                note(feed.pushScalar(ts.toDoubleArray(), vs.toFloatArray()))
                ts.clear(); vs.clear()
                if (block != b || !counting()) break
            }
            t += 0.02
        }
        t += 0.5
    }
}
