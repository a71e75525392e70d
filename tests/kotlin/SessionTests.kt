// A live session end to end through the bindings: plan, calibrate, push a real
// recording, receive events (returned and through the listener), finish, read the summary.
import kotlinx.coroutines.runBlocking
import org.rehabcore.*
import org.rehabcore.tests.T
import java.io.File
import java.util.concurrent.CopyOnWriteArrayList
import java.time.LocalDate

class CollectingSessionListener : SessionListener {
    val events = CopyOnWriteArrayList<SessionEvent>()
    override fun onEvent(event: SessionEvent) {
        events.add(event)
    }
}

/** The shared test recording: 20 shoulder abductions at 50 Hz (tests/data/README.md). */
fun loadRecording(): Pair<List<Double>, List<Float>> =
    loadCsv(listOf(System.getenv("REHAB_TEST_DATA"), "tests/data/spar_s1_ABD_left_1.csv")
        .filterNotNull().map(::File).first { it.exists() })

/** A 6-axis recording in the shared data's CSV format: timestamps and interleaved samples. */
fun loadCsv(file: File): Pair<List<Double>, List<Float>> {
    val t = ArrayList<Double>()
    val x = ArrayList<Float>()
    file.readLines().drop(1).filter { it.isNotBlank() }.forEach { line ->
        val cols = line.split(',')
        t.add(cols[0].toDouble())
        for (i in 1..6) x.add(cols[i].toFloat())
    }
    return t to x
}

fun sessionTests(): Unit = runBlocking {
    val core = RehabCore(File(T.tempDir(), "session.db").path)
    val ana = core.createProfile(NewProfile("Ana", Side.LEFT, "Europe/Madrid"))

    val catalog = core.catalog("es")
    T.check("catalog has at least 40 exercises", catalog.size >= 40) { "(${catalog.size})" }
    val wrist = catalog.first { it.exercise.id == "wrist_flexion_extension" }
    T.check("catalog texts come in Spanish", wrist.text.name.isNotBlank() && wrist.text.name != core.catalog("en").first { it.exercise.id == "wrist_flexion_extension" }.text.name) { "(${wrist.text.name})" }
    val key = catalog.first { it.exercise.id == "turn_key" }.exercise
    val stir = catalog.first { it.exercise.id == "stir_pot" }.exercise
    T.check("task practice is tagged, with how it is counted", key.kind == ExerciseKind.TASK_PRACTICE && key.hint.motion == Motion.TURN && stir.hint.motion == Motion.TRAVEL) { "(${key.kind} ${key.hint.motion} ${stir.hint.motion})" }
    T.check("a travel floor is a few centimetres", stir.hint.minRange in 0.02f..0.5f && wrist.exercise.kind == ExerciseKind.MOVEMENT) { "(${stir.hint.minRange})" }

    val request = PlanRequest(2u.toUByte(), listOf(BodyRegion.SHOULDER, BodyRegion.ELBOW), Side.LEFT, PlanGoal.Minutes(30u), listOf(), mapOf())
    val today = core.planToday(ana.id, LocalDate.parse("2026-11-26"), request)
    T.check("a 30-minute plan has blocks", today.blocks.isNotEmpty())
    T.check("a 30-minute plan lands near 30 minutes", today.estTotalS in 1200u..2100u) { "(${today.estTotalS} s)" }
    T.check("the plan only uses the chosen areas", today.blocks.all { b -> catalog.first { it.exercise.id == b.exerciseId }.exercise.region in listOf(BodyRegion.SHOULDER, BodyRegion.ELBOW) })

    val routine = Routine("Morning", listOf(RoutineBlock("grip_squeeze", 12u, null, 20u), RoutineBlock("ankle_pumps", 15u, null, 0u)))
    val fromRoutine = core.planFromRoutine(ana.id, routine, 1u.toUByte())
    T.equal("a routine becomes a plan in its own order", fromRoutine.blocks.map { it.exerciseId }, listOf("grip_squeeze", "ankle_pumps"))
    T.equal("a routine keeps its reps", fromRoutine.blocks.map { it.targetReps }, listOf(12u, 15u))
    T.throws<RehabException.InvalidInput>("a routine with an unknown exercise throws InvalidInput") {
        runBlocking { core.planFromRoutine(ana.id, Routine("x", listOf(RoutineBlock("moonwalk", 5u, null, 0u))), 1u.toUByte()) }
    }

    val plan = DailyPlan(
        listOf(PlannedBlock("elbow_flexion_extension", Side.LEFT, 40u, 0.6f, 0u, 200u, 0u, BlockSource.ROUTINE)),
        200u, 40u, false,
    )
    val listener = CollectingSessionListener()
    val session = core.startSession(ana.id, plan, 60, "en", listener)
    T.equal("a new session is planned", session.state(), SessionState.PLANNED)
    val started = session.begin()
    T.check("begin starts a calibrating block", started.any { it is SessionEvent.BlockStarted && it.calibrating })
    T.equal("state is calibrating", session.state(), SessionState.CALIBRATING)

    val (t, x) = loadRecording()
    val returned = ArrayList<SessionEvent>()
    var i = 0
    while (i < t.size) {
        val n = minOf(5, t.size - i)
        returned += session.pushImu(t.subList(i, i + n), x.subList(6 * i, 6 * (i + n)))
        i += n
    }
    returned += session.stop()
    val reps = returned.count { it is SessionEvent.Rep }
    val attempts = returned.count { it is SessionEvent.Attempt }
    T.check("every one of the 20 recorded movements is counted (reps + attempts within one)", (reps + attempts) in 19..21) { "($reps reps, $attempts attempts)" }
    T.check("most movements reach the target", reps >= 15) { "($reps)" }
    T.check("calibration happened", returned.any { it is SessionEvent.Calibrated })
    T.equal("the listener got the same events as the calls returned", listener.events.toList(), started + returned)
    T.equal("session is finished", session.state(), SessionState.FINISHED)
    val summary = (returned.last() as? SessionEvent.SessionFinished)?.summary
    T.equal("summary counts the reps", summary?.reps, reps.toUInt())
    T.equal("summary counts the attempts", summary?.attempts, attempts.toUInt())
    T.check("summary has active minutes", (summary?.activeMinutes ?: 0f) > 0f)

    val err = T.throws<RehabException.InvalidState>("a finished session refuses samples") {
        session.pushImu(listOf(0.0), listOf(0f, 0f, 9.8f, 0f, 0f, 0f))
    }
    T.check("the InvalidState message is readable", err?.message?.contains("Finished") == true) { "(${err?.message})" }
    T.equal("InvalidState names the action refused", err?.action, SessionAction.PUSH_SAMPLES)
    T.equal("InvalidState names the session's state", err?.state, SessionState.FINISHED)

    // Bad batches are typed errors, not crashes.
    val counter = RepCounter(CounterSignal.IMU)
    T.throws<RehabException.InvalidInput>("NaN samples throw InvalidInput") {
        counter.pushImu(listOf(0.0), listOf(0f, 0f, 9.8f, Float.NaN, 0f, 0f))
    }
    T.throws<RehabException.InvalidInput>("mismatched lengths throw InvalidInput") {
        counter.pushImu(listOf(0.0, 0.02), listOf(0f, 0f, 9.8f, 0f, 0f, 0f))
    }
    T.throws<RehabException.InvalidInput>("time going backwards throws InvalidInput") {
        counter.pushImu(listOf(1.0, 0.5), List(12) { 0f })
    }
    T.throws<RehabException.InvalidInput>("an empty batch throws InvalidInput") {
        counter.pushImu(listOf(), listOf())
    }
    // The standalone counter counts the same recording.
    val counted = ArrayList<CountedRep>()
    i = 0
    while (i < t.size) {
        val n = minOf(5, t.size - i)
        counted += counter.pushImu(t.subList(i, i + n), x.subList(6 * i, 6 * (i + n)))
        i += n
    }
    counted += counter.finish()
    T.check("the standalone counter counts 20 +- 1", counted.size in 19..21) { "(${counted.size})" }
    core.close()
}
