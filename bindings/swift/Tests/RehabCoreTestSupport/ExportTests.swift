// Data out and back in through the bindings: backup and restore (and its refusal
// of broken files), CSV, FHIR, and the HealthKit / Health Connect records.
import Foundation
import RehabCore

public func exportTests() async throws {
    let core = try RehabCore(path: T.tempDir().appendingPathComponent("export.db").path)
    let ana = try await core.createProfile(profile: NewProfile(name: "Ana ñ", affectedSide: .left, timeZone: "Europe/Madrid"))
    let s = try await core.storeCompletedSession(session: completedSession(ana.id, "2026-03-29T18:00", 120, 12))
    _ = try await core.recordCheckIn(checkIn: NewCheckIn(profileId: ana.id, timing: .afterSession(sessionId: s.id), recordedAt: utcAt("2026-03-29T18:30", 120), utcOffsetMin: 120, pain: 3, spasticity: nil, effort: nil, note: "bien, \"gracias\" 🙂"))

    // Backup to a fresh database and back.
    let backup = try await core.exportBackup(profileId: ana.id)
    T.check("a backup names its format and version", backup.hasPrefix("{\"format\":\"rehabcore-backup\",\"version\":3,"))
    let fresh = try RehabCore(path: T.tempDir().appendingPathComponent("restored.db").path)
    let summary = try await fresh.importBackup(json: backup)
    T.equal("the import adds one profile", summary.profileIds.count, 1)
    T.equal("the import adds every rep", summary.reps, 12)
    let restoredId = summary.profileIds[0]
    T.equal("the restored profile keeps its name", try await fresh.profile(id: restoredId).name, "Ana ñ")
    let days = try await fresh.dailyTotals(profileId: restoredId, from: "2026-03-29", to: "2026-03-29")
    T.equal("restored reps land on the same local day", days[0].reps, 12)

    // Straight to a file and back from it (streamed; the same bytes as the text export).
    let file = T.tempDir().appendingPathComponent("backup.json")
    let size = try await core.exportBackupToFile(profileId: ana.id, path: file.path)
    let onDisk = try Data(contentsOf: file)
    T.equal("exportBackupToFile reports the file's size", size, UInt64(onDisk.count))
    let fromFile = try RehabCore(path: T.tempDir().appendingPathComponent("from-file.db").path)
    T.equal("importBackupFile restores every rep", try await fromFile.importBackupFile(path: file.path).reps, 12)
    do {
        _ = try await core.exportBackupToFile(profileId: ana.id, path: T.tempDir().appendingPathComponent("no/such/dir.json").path)
        T.check("a backup path in a missing folder throws Storage", false)
    } catch RehabError.Storage {
        T.check("a backup path in a missing folder throws Storage", true)
    }

    let broken: [(String, String)] = [
        ("a truncated backup is refused", String(backup.prefix(backup.count / 2))),
        ("a backup from a newer app is refused", backup.replacingOccurrences(of: "\"version\":3,", with: "\"version\":4,")),
        ("an edited backup (pain 3 to 2) is refused by its checksum", backup.replacingOccurrences(of: "\"pain\":3", with: "\"pain\":2")),
    ]
    for (name, json) in broken {
        do {
            _ = try await fresh.importBackup(json: json)
            T.check(name, false, "(nothing thrown)")
        } catch RehabError.ImportRejected {
            T.check(name, true)
        }
    }
    T.equal("refused imports change nothing", try await fresh.profiles().count, 1)

    // CSV for a spreadsheet.
    let csv = try await core.exportCsv(profileId: ana.id, from: "2026-03-29", to: "2026-03-29")
    let lines = { (text: String) in text.components(separatedBy: "\r\n").filter { !$0.isEmpty } }
    T.equal("sessions.csv: a header and one session", lines(csv.sessions).count, 2)
    T.check("sessions.csv shows local time with its offset", csv.sessions.contains("2026-03-29T18:00:00.000+02:00"))
    T.equal("reps.csv: a header and 12 reps", lines(csv.reps).count, 13)
    T.check("check_ins.csv quotes a note with a comma and quotes", csv.checkIns.contains("\"bien, \"\"gracias\"\" 🙂\""))

    // FHIR R4, parsed as JSON.
    let fhir = try await core.exportFhir(profileId: ana.id, from: "2026-03-29", to: "2026-03-29")
    let bundle = try JSONSerialization.jsonObject(with: Data(fhir.utf8)) as! [String: Any]
    T.equal("FHIR: a Bundle", bundle["resourceType"] as? String, "Bundle")
    let entries = bundle["entry"] as! [[String: Any]]
    let urls = entries.map { $0["fullUrl"] as! String }
    T.equal("FHIR: unique fullUrls", Set(urls).count, urls.count)
    let resources = entries.map { $0["resource"] as! [String: Any] }
    let codes = resources.compactMap { (($0["code"] as? [String: Any])?["coding"] as? [[String: Any]])?.first?["code"] as? String }
    T.equal("FHIR: an exercise and a pain Observation", codes.sorted(), ["72514-3", "73985-4"])
    let subjects = resources.compactMap { ($0["subject"] as? [String: Any])?["reference"] as? String }
    T.check("FHIR: subjects resolve inside the bundle", subjects.count == 2 && subjects.allSatisfy { urls.contains($0) })

    // HealthKit.
    let hk = try await core.healthkitWorkouts(profileId: ana.id, from: "2026-03-29", to: "2026-03-29")
    T.equal("HealthKit: one workout", hk.count, 1)
    T.equal("HealthKit: activity type", hk.first?.activityType, "preparationAndRecovery")
    T.equal("HealthKit: start", hk.first?.start, utcAt("2026-03-29T18:00", 120))
    T.equal("HealthKit: reps in metadata", hk.first?.metadata["RehabCoreRepetitions"], "12")
    T.equal("HealthKit: reps per exercise", hk.first?.metadata["RehabCoreRepetitions.wrist_flexion_extension"], "12")
    T.equal("HealthKit: time zone", hk.first?.timeZone, "Europe/Madrid")

    // Health Connect records are plain data on every platform.
    let hc = try await core.healthConnectSessions(profileId: ana.id, from: "2026-03-29", to: "2026-03-29")
    T.equal("Health Connect: segment reps", hc.first?.segments.map { $0.repetitions }, [12])
    T.equal("Health Connect: exercise type", hc.first?.exerciseType, 13)
    T.equal("HealthKit: one workout activity per set, with its reps", hk.first?.activities.map { $0.repetitions }, [12])
    // The restored copy names the same health records (the backup carries each session's uuid).
    let restoredHk = try await fresh.healthkitWorkouts(profileId: restoredId, from: "2026-03-29", to: "2026-03-29")
    T.equal("a restored backup keeps the HealthKit sync identifiers", restoredHk.map { $0.syncIdentifier }, hk.map { $0.syncIdentifier })
}
