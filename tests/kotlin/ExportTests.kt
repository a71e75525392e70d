// Data out and back in through the bindings: backup and restore (and its refusal
// of broken files), CSV, FHIR, and the Health Connect / HealthKit records.
import kotlinx.coroutines.runBlocking
import org.rehabcore.*
import org.rehabcore.tests.T
import java.io.File
import java.time.LocalDate

fun exportTests(): Unit = runBlocking {
    val core = RehabCore(File(T.tempDir(), "export.db").path)
    val ana = core.createProfile(NewProfile("Ana ñ", Side.LEFT, "Europe/Madrid"))
    val s = core.storeCompletedSession(completedSession(ana.id, "2026-03-29T18:00:00", 120, 12))
    core.recordCheckIn(NewCheckIn(ana.id, CheckInTiming.AfterSession(s.id), utcAt("2026-03-29T18:30:00", 120), 120, 3u.toUByte(), null, null, "bien, \"gracias\" 🙂"))

    // Backup to a fresh database and back.
    val backup = core.exportBackup(ana.id)
    T.check("a backup names its format and version", backup.startsWith("{\"format\":\"rehabcore-backup\",\"version\":3,"))
    val fresh = RehabCore(File(T.tempDir(), "restored.db").path)
    val heard = RecordingListener()
    val subscription = fresh.subscribe(heard)
    val summary = fresh.importBackup(backup)
    T.equal("data listeners hear about the imported profile",
        heard.changes.mapNotNull { (it as? DataChange.ProfileAdded)?.profile?.id }, summary.profileIds)
    T.equal("data listeners hear about the import last", heard.changes.last(), DataChange.Imported(summary))
    T.equal("the import adds one profile", summary.profileIds.size, 1)
    T.equal("the import adds every rep", summary.reps, 12uL)
    T.equal("the import adds the check-in", summary.checkIns, 1uL)
    val restored = fresh.profile(summary.profileIds[0])
    T.equal("the restored profile keeps its name", restored.name, "Ana ñ")
    T.equal("restored reps land on the same local day", fresh.dailyTotals(restored.id, LocalDate.parse("2026-03-29"), LocalDate.parse("2026-03-29"))[0].reps, 12u)
    T.equal("the restored check-in keeps its note", fresh.checkIns(restored.id, LocalDate.parse("2026-03-29"), LocalDate.parse("2026-03-29"))[0].values.note, "bien, \"gracias\" 🙂")

    T.throws<RehabException.ImportRejected>("a truncated backup is refused") {
        runBlocking { fresh.importBackup(backup.substring(0, backup.length / 2)) }
    }
    T.throws<RehabException.ImportRejected>("a backup from a newer app is refused") {
        runBlocking { fresh.importBackup(backup.replace("\"version\":3,", "\"version\":4,")) }
    }
    val edited = T.throws<RehabException.ImportRejected>("an edited backup (pain 3 to 2) is refused") {
        runBlocking { fresh.importBackup(backup.replace("\"pain\":3", "\"pain\":2")) }
    }
    T.check("the refusal names the checksum", edited?.message?.contains("checksum") == true) { "(${edited?.message})" }
    val twice = T.throws<RehabException.ImportRejected>("the same backup imported twice is refused") {
        runBlocking { fresh.importBackup(backup) }
    }
    T.check("the refusal says the profile is already here", twice?.message?.contains("already on this device") == true) { "(${twice?.message})" }
    T.equal("refused imports change nothing", fresh.profiles().size, 1)
    T.equal("refused imports tell the listeners nothing", heard.changes.size, 2)
    subscription.cancel()

    // Straight to a file and back from it (streamed; the same bytes as the text export).
    val file = File(T.tempDir(), "backup.json")
    val size = core.exportBackupToFile(ana.id, file.path)
    T.equal("exportBackupToFile reports the file's size", size, file.length().toULong())
    T.check("the file holds a backup", file.readText().startsWith("{\"format\":\"rehabcore-backup\""))
    val fromFile = RehabCore(File(T.tempDir(), "from-file.db").path)
    T.equal("importBackupFile restores every rep", fromFile.importBackupFile(file.path).reps, 12uL)
    T.throws<RehabException.Storage>("a backup path in a missing folder throws Storage") {
        runBlocking { core.exportBackupToFile(ana.id, File(T.tempDir(), "no/such/dir.json").path) }
    }
    fromFile.close()

    // CSV for a spreadsheet.
    val csv = core.exportCsv(ana.id, LocalDate.parse("2026-03-29"), LocalDate.parse("2026-03-29"))
    val sessionLines = csv.sessions.removePrefix("\uFEFF").removeSuffix("\r\n").split("\r\n")
    T.equal("sessions.csv: a header and one session", sessionLines.size, 2)
    T.check("sessions.csv shows local time with its offset", sessionLines[1].contains("2026-03-29T18:00:00.000+02:00"))
    T.equal("reps.csv: a header and 12 reps", csv.reps.removeSuffix("\r\n").split("\r\n").size, 13)
    T.equal("sets.csv: a header and one set", csv.sets.removeSuffix("\r\n").split("\r\n").size, 2)
    T.check("check_ins.csv quotes a note with a comma and quotes", csv.checkIns.contains("\"bien, \"\"gracias\"\" 🙂\""))

    // FHIR R4.
    val fhir = core.exportFhir(ana.id, LocalDate.parse("2026-03-29"), LocalDate.parse("2026-03-29"))
    T.check("FHIR: a collection Bundle", fhir.contains("\"resourceType\":\"Bundle\"") && fhir.contains("\"type\":\"collection\""))
    T.check("FHIR: an exercise activity Observation", fhir.contains("\"73985-4\"") && fhir.contains("\"55411-3\""))
    T.check("FHIR: a pain Observation", fhir.contains("\"72514-3\"") && fhir.contains("\"valueInteger\":3"))

    // Health Connect.
    val hc = core.healthConnectSessions(ana.id, LocalDate.parse("2026-03-29"), LocalDate.parse("2026-03-29"))
    T.equal("Health Connect: one session", hc.size, 1)
    T.equal("Health Connect: EXERCISE_TYPE_CALISTHENICS", hc[0].exerciseType, 13)
    T.equal("Health Connect: session start", hc[0].startTime, utcAt("2026-03-29T18:00:00", 120))
    T.equal("Health Connect: zone offset in seconds", hc[0].zoneOffsetSeconds, 7200)
    T.equal("Health Connect: one segment with the reps", hc[0].segments.map { it.repetitions }, listOf(12))
    T.equal("Health Connect: EXERCISE_SEGMENT_TYPE_OTHER_WORKOUT", hc[0].segments[0].segmentType, 38)
    T.check("Health Connect: the segment lies inside the session",
        hc[0].segments[0].startTime >= hc[0].startTime && hc[0].segments[0].endTime <= hc[0].endTime &&
            hc[0].segments[0].startTime < hc[0].segments[0].endTime)

    // HealthKit records are plain data on every platform.
    val hk = core.healthkitWorkouts(ana.id, LocalDate.parse("2026-03-29"), LocalDate.parse("2026-03-29"))
    T.equal("HealthKit: activity type", hk.map { it.activityType }, listOf("preparationAndRecovery"))
    T.equal("HealthKit: reps in metadata", hk[0].metadata["RehabCoreRepetitions"], "12")
    T.equal("HealthKit: stable sync identifier", core.healthkitWorkouts(ana.id, LocalDate.parse("2026-03-29"), LocalDate.parse("2026-03-29"))[0].syncIdentifier, hk[0].syncIdentifier)
    T.check("HealthKit: sync identifier equals the Health Connect record id", hk[0].syncIdentifier == hc[0].clientRecordId)
    T.equal("HealthKit: one workout activity per set, with its reps", hk[0].activities.map { it.repetitions }, listOf(12))
    // The restored copy names the same health records (the backup carries each session's uuid).
    val restoredHc = fresh.healthConnectSessions(summary.profileIds[0], LocalDate.parse("2026-03-29"), LocalDate.parse("2026-03-29"))
    T.equal("a restored backup keeps the Health Connect record ids", restoredHc.map { it.clientRecordId }, hc.map { it.clientRecordId })
}
