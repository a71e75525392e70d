// A consumer of the published JVM artifact org.rehabcore:rehabcore-jvm (see
// pom.xml): opens a database, plans a short hand routine, plays its first block
// with simulated taps or squeezes, and checks that reps were counted and stored.
// The native library is the one inside the artifact's jar: the JVM runs without
// -Djna.library.path and without LD_LIBRARY_PATH, so JNA finds
// linux-x86-64/librehab_core.so on the classpath by itself.
//
// Run: scripts/test-jvm-consumer.sh (a step of scripts/test.sh). Exit 0 only if
// the block was played with reps > 0 and the library came from the jar.
import com.sun.jna.NativeLibrary
import kotlinx.coroutines.runBlocking
import org.rehabcore.*
import java.io.File
import java.nio.file.Files
import java.time.LocalDate
import java.util.Random
import kotlin.math.PI
import kotlin.math.cos
import kotlin.system.exitProcess

fun main() {
    val ok = runBlocking { playOneBlock() }
    println("jvm-consumer: ${if (ok) "ok" else "FAILED"}")
    exitProcess(if (ok) 0 else 1)
}

suspend fun playOneBlock(): Boolean {
    val dir = Files.createTempDirectory("rehab-jvm-consumer").toFile()
    try {
        val core = RehabCore(File(dir, "rehab.db").path)
        val profile = core.createProfile(NewProfile("Consumer", Side.RIGHT, "UTC"))
        val request = PlanRequest(2u.toUByte(), listOf(BodyRegion.HAND), Side.RIGHT, PlanGoal.Minutes(5u), listOf(), mapOf())
        val plan = core.planToday(profile.id, LocalDate.now(), request)
        val catalog = core.catalog("en").associateBy { it.exercise.id }
        val block = plan.blocks.first()
        val hint = catalog.getValue(block.exerciseId).exercise.hint
        println("jvm-consumer: block 1 of ${plan.blocks.size}: ${catalog.getValue(block.exerciseId).text.name} (${hint.signal}, ${block.targetReps} reps)")

        val session = core.startSession(profile.id, plan, 0, "en", null)
        // The block being played: the index of the last BlockStarted event.
        var current = -1
        fun note(events: List<SessionEvent>) {
            for (e in events) if (e is SessionEvent.BlockStarted) current = e.blockIndex.toInt()
        }
        note(session.begin())
        val rng = Random(11)
        var t = 0.0
        val inFirstBlock = { current == 0 && session.state().let { it == SessionState.CALIBRATING || it == SessionState.EXERCISING } }
        val moves = block.targetReps.toInt() + 6
        when (hint.signal) {
            Signal.TOUCH -> repeat(moves) {
                if (!inFirstBlock()) return@repeat
                t += 0.6 + rng.nextDouble()
                note(session.tap(t))
            }
            Signal.GRIP_FORCE, Signal.JOINT_ANGLE -> session.sampleFeed().use { feed ->
                // Squeezes at 50 Hz in 100 ms batches: rise and fall over 1.5-3 s each.
                val peak = hint.minRange * (3.0 + 2.0 * rng.nextDouble())
                for (i in 0 until moves) {
                    val d = 1.5 + 1.5 * rng.nextDouble()
                    val rest = 0.4 + 0.8 * rng.nextDouble()
                    val n = ((d + rest) / 0.02).toInt()
                    val ts = DoubleArray(n) { t + it * 0.02 }
                    val vs = FloatArray(n) {
                        val u = it * 0.02 / d
                        val shape = if (u > 1.0) 0.0 else 0.5 * (1.0 - cos(2.0 * PI * u))
                        (0.05 * peak + peak * shape + 0.01 * peak * (rng.nextDouble() - 0.5)).toFloat()
                    }
                    for (s in 0 until n step 5) {
                        if (!inFirstBlock()) break
                        val e = minOf(s + 5, n)
                        note(feed.pushScalar(ts.copyOfRange(s, e), vs.copyOfRange(s, e)))
                    }
                    t += n * 0.02
                }
            }
            Signal.IMU -> error("a hand routine planned an IMU exercise first: ${block.exerciseId}")
        }
        val played = session.summary().exercises.first { it.blockIndex == 0u }
        println("jvm-consumer: played ${played.reps}/${played.targetReps} reps, ${played.attempts} attempts; session ${session.state()}")
        session.close()
        core.close()

        val lib = NativeLibrary.getInstance("rehab_core").file
        val fromJar = lib != null && !lib.path.contains("/target/")
        println("jvm-consumer: librehab_core.so loaded from $lib (${if (fromJar) "extracted from the jar" else "NOT from the jar"})")
        return played.reps > 0u && fromJar
    } finally {
        dir.deleteRecursively()
    }
}
