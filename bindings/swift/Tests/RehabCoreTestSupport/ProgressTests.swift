// Storage and progress round trip: a profile, sessions with check-ins across a DST
// change, then totals, streaks and pain next to reps read back through async functions.
import Foundation
import RehabCore

/// The instant of a local "yyyy-MM-dd'T'HH:mm" time seen with a UTC offset in minutes.
func utcAt(_ local: String, _ offsetMin: Int32) -> Date {
    let f = DateFormatter()
    f.locale = Locale(identifier: "en_US_POSIX")
    f.timeZone = TimeZone(secondsFromGMT: Int(offsetMin) * 60)
    f.dateFormat = "yyyy-MM-dd'T'HH:mm"
    return f.date(from: local)!
}

func completedSession(_ profileId: Int64, _ local: String, _ offsetMin: Int32, _ reps: Int) -> CompletedSession {
    let start = utcAt(local, offsetMin)
    let records = (0..<reps).map { i in
        RepRecord(startedAt: start.addingTimeInterval(4 * Double(i)), endedAt: start.addingTimeInterval(4 * Double(i) + 3), amplitude: 0.8, peakSpeed: 1.2, targetReached: true)
    }
    let block = CompletedBlock(exerciseId: "wrist_flexion_extension", side: .left, targetReps: UInt32(reps), targetRange: 0.5,
                               startedAt: start, endedAt: start.addingTimeInterval(4 * Double(reps)), activeMs: 3_000 * Int64(reps), reps: records, attempts: [])
    return CompletedSession(profileId: profileId, startedAt: start, utcOffsetMin: offsetMin, endedAt: start.addingTimeInterval(4 * Double(reps)),
                            activeMs: 3_000 * Int64(reps), planJson: "{}", blocks: [block])
}

public func progressTests() async throws {
    let core = try RehabCore(path: T.tempDir().appendingPathComponent("progress.db").path)
    let ana = try await core.createProfile(profile: NewProfile(name: "Ana", affectedSide: .left, timeZone: "Europe/Madrid"))
    // Madrid moves from +60 to +120 minutes on 2026-03-29.
    _ = try await core.storeCompletedSession(session: completedSession(ana.id, "2026-03-28T18:00", 60, 30))
    let s2 = try await core.storeCompletedSession(session: completedSession(ana.id, "2026-03-29T18:00", 120, 40))
    // 23:30 local is 21:30 UTC: still the 30th in Madrid.
    let s3 = try await core.storeCompletedSession(session: completedSession(ana.id, "2026-03-30T23:30", 120, 50))
    T.equal("a stored session keeps its reps", s3.reps, 50)

    _ = try await core.recordCheckIn(checkIn: NewCheckIn(profileId: ana.id, timing: .beforeSession(sessionId: s2.id), recordedAt: utcAt("2026-03-29T17:55", 120), utcOffsetMin: 120, pain: 6, spasticity: .onePlus, effort: nil, note: "stiff morning"))
    _ = try await core.recordCheckIn(checkIn: NewCheckIn(profileId: ana.id, timing: .afterSession(sessionId: s2.id), recordedAt: utcAt("2026-03-29T18:30", 120), utcOffsetMin: 120, pain: 4, spasticity: .one, effort: 5, note: ""))
    T.equal("a stored session's start is the Date passed in", s2.startedAt, utcAt("2026-03-29T18:00", 120))
    do {
        _ = try await core.recordCheckIn(checkIn: NewCheckIn(profileId: ana.id, timing: .standalone, recordedAt: Date(timeIntervalSince1970: -1), utcOffsetMin: 0, pain: 3, spasticity: nil, effort: nil, note: ""))
        T.check("a check-in Date before 1970 is rejected", false, "(nothing was thrown)")
    } catch RehabError.InvalidInput(let reason) {
        T.check("a check-in Date before 1970 is rejected, naming the field", reason.contains("recordedAt"), "(\(reason))")
    } catch {
        T.check("a check-in Date before 1970 is rejected", false, "(threw \(error))")
    }

    let days = try await core.dailyTotals(profileId: ana.id, from: "2026-03-27", to: "2026-03-31")
    T.equal("daily totals cover every day of the range", days.map { $0.date }, ["2026-03-27", "2026-03-28", "2026-03-29", "2026-03-30", "2026-03-31"])
    T.equal("reps land on the right local day across the DST change", days.map { $0.reps }, [0, 30, 40, 50, 0])

    let streaks = try await core.streaks(profileId: ana.id, today: "2026-03-30")
    T.equal("current streak spans the DST change", streaks.currentDays, 3)
    T.check("practised today", streaks.practicedToday)

    let wellbeing = try await core.painVsReps(profileId: ana.id, from: "2026-03-28", to: "2026-03-30")
    let sunday = wellbeing.first { $0.date == "2026-03-29" }
    T.equal("pain is reported next to the day's reps", sunday?.reps, 40)
    T.equal("worst pain of the day", sunday?.painMax, 6)
    T.equal("stiffness of the day", sunday?.stiffnessMax, .onePlus)

    // A RehabDate holds any parts; the core refuses a day that does not exist.
    do {
        _ = try await core.dailyTotals(profileId: ana.id, from: RehabDate(year: 2026, month: 2, day: 30), to: "2026-03-27")
        T.check("a day that does not exist throws InvalidInput", false, "(nothing thrown)")
    } catch RehabError.InvalidInput(let message) {
        T.check("a day that does not exist throws InvalidInput", message.contains("2026-02-30"), "(\(message))")
    }
    do {
        _ = try await core.setDailyGoal(profileId: ana.id, goal: DailyGoal(effectiveFrom: RehabDate(year: 2026, month: 13, day: 1), reps: 100, activeMinutes: nil))
        T.check("a bad day inside a record throws InvalidInput", false, "(nothing thrown)")
    } catch RehabError.InvalidInput(let message) {
        T.check("a bad day inside a record throws InvalidInput", message.contains("2026-13-01"), "(\(message))")
    }
    T.equal("RehabDate round trip through Date", RehabDate(RehabDate(year: 2026, month: 3, day: 29).startOfDay()!), "2026-03-29")
    T.check("RehabDate orders by day", RehabDate("2026-03-29") < "2026-04-01" && RehabDate(iso: "29/03/2026") == nil)
}
