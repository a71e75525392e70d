// Storage and progress round trip: a profile, sessions with check-ins across a DST
// change, then totals, streaks and pain next to reps read back through suspend functions.
import kotlinx.coroutines.runBlocking
import org.rehabcore.*
import org.rehabcore.tests.T
import java.io.File
import java.time.Instant
import java.time.LocalDateTime
import java.time.ZoneOffset
import java.time.LocalDate

/** The instant of a local time seen with a UTC offset in minutes. */
fun utcAt(local: String, offsetMin: Int): Instant =
    LocalDateTime.parse(local).toInstant(ZoneOffset.ofTotalSeconds(offsetMin * 60))

fun completedSession(profileId: Long, local: String, offsetMin: Int, reps: Int): CompletedSession {
    val start = utcAt(local, offsetMin)
    val repRecords = List(reps) { i ->
        RepRecord(startedAt = start.plusMillis(4_000L * i), endedAt = start.plusMillis(4_000L * i + 3_000), amplitude = 0.8, peakSpeed = 1.2, targetReached = true)
    }
    val block = CompletedBlock(
        exerciseId = "wrist_flexion_extension", side = Side.LEFT, targetReps = reps.toUInt(), targetRange = 0.5,
        startedAt = start, endedAt = start.plusMillis(4_000L * reps), activeMs = 3_000L * reps,
        reps = repRecords, attempts = listOf(),
    )
    return CompletedSession(
        profileId = profileId, startedAt = start, utcOffsetMin = offsetMin, endedAt = start.plusMillis(4_000L * reps),
        activeMs = 3_000L * reps, planJson = "{}", blocks = listOf(block),
    )
}

fun progressTests(): Unit = runBlocking {
    val core = RehabCore(File(T.tempDir(), "progress.db").path)
    val ana = core.createProfile(NewProfile("Ana", Side.LEFT, "Europe/Madrid"))
    // Madrid moves from +60 to +120 minutes on 2026-03-29.
    val s1 = core.storeCompletedSession(completedSession(ana.id, "2026-03-28T18:00:00", 60, 30))
    val s2 = core.storeCompletedSession(completedSession(ana.id, "2026-03-29T18:00:00", 120, 40))
    // 23:30 local is 21:30 UTC: still the 30th in Madrid.
    val s3 = core.storeCompletedSession(completedSession(ana.id, "2026-03-30T23:30:00", 120, 50))
    T.equal("stored sessions keep their reps", listOf(s1.reps, s2.reps, s3.reps), listOf(30u, 40u, 50u))
    T.equal("a stored session is finished", s3.status, SessionStatus.FINISHED)

    core.recordCheckIn(NewCheckIn(ana.id, CheckInTiming.BeforeSession(s2.id), utcAt("2026-03-29T17:55:00", 120), 120, 6u.toUByte(), Spasticity.ONE_PLUS, null, "stiff morning"))
    core.recordCheckIn(NewCheckIn(ana.id, CheckInTiming.AfterSession(s2.id), utcAt("2026-03-29T18:30:00", 120), 120, 4u.toUByte(), Spasticity.ONE, 5u.toUByte(), ""))
    T.throws<RehabException.InvalidInput>("pain 11 is rejected") {
        runBlocking { core.recordCheckIn(NewCheckIn(ana.id, CheckInTiming.Standalone, utcAt("2026-03-29T19:00:00", 120), 0, 11u.toUByte(), null, null, "")) }
    }
    val early = T.throws<RehabException.InvalidInput>("a check-in Instant before 1970 is rejected") {
        runBlocking { core.recordCheckIn(NewCheckIn(ana.id, CheckInTiming.Standalone, Instant.parse("1969-12-31T23:59:59Z"), 0, 3u.toUByte(), null, null, "")) }
    }
    T.check("the error names the field", early?.message?.contains("recordedAt") == true) { "(${early?.message})" }
    T.check("the created profile carries its creation Instant", ana.createdAt.isAfter(Instant.parse("2020-01-01T00:00:00Z"))) { "(${ana.createdAt})" }
    T.equal("a stored session's start is the Instant passed in", s2.startedAt, utcAt("2026-03-29T18:00:00", 120))

    val days = core.dailyTotals(ana.id, LocalDate.parse("2026-03-27"), LocalDate.parse("2026-03-31"))
    T.equal("daily totals cover every day of the range", days.map { it.date }, listOf(LocalDate.parse("2026-03-27"), LocalDate.parse("2026-03-28"), LocalDate.parse("2026-03-29"), LocalDate.parse("2026-03-30"), LocalDate.parse("2026-03-31")))
    T.equal("reps land on the right local day across the DST change", days.map { it.reps }, listOf(0u, 30u, 40u, 50u, 0u))
    T.check("active minutes are counted", kotlin.math.abs(days[3].activeMinutes - 2.5) < 1e-6) { "(${days[3].activeMinutes})" }

    val streaks = core.streaks(ana.id, LocalDate.parse("2026-03-30"))
    T.equal("current streak spans the DST change", streaks.currentDays, 3u)
    T.equal("longest streak", streaks.longestDays, 3u)
    T.check("practised today", streaks.practicedToday)
    T.equal("two days later the streak is broken", core.streaks(ana.id, LocalDate.parse("2026-04-01")).currentDays, 0u)

    val wellbeing = core.painVsReps(ana.id, LocalDate.parse("2026-03-28"), LocalDate.parse("2026-03-30"))
    val sunday = wellbeing.first { it.date == LocalDate.parse("2026-03-29") }
    T.equal("pain is reported next to the day's reps", sunday.reps, 40u)
    T.equal("worst pain of the day", sunday.painMax, 6u.toUByte())
    T.check("mean pain of the day", sunday.painMean == 5.0) { "(${sunday.painMean})" }
    T.equal("stiffness of the day", sunday.stiffnessMax, Spasticity.ONE_PLUS)
    T.equal("a day without check-ins has no pain", wellbeing.first { it.date == LocalDate.parse("2026-03-28") }.painMax, null)

    T.throws<RehabException.InvalidInput>("a range ending before it starts is rejected") {
        runBlocking { core.dailyTotals(ana.id, LocalDate.parse("2026-03-31"), LocalDate.parse("2026-03-27")) }
    }
    // Dates are java.time.LocalDate: a day that does not exist cannot even be written
    // here; the Swift tests check the core refuses one (InvalidInput).
    T.equal("nothing was stored for the refused goal", core.dailyGoal(ana.id, LocalDate.parse("2026-03-30")), null)
    core.close()
}
