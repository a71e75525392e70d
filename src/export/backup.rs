//! Backup and restore: one versioned JSON file with the whole history of one
//! profile (or of every profile), and its import as new profiles.
//!
//! Format (version 1):
//! `{"format":"rehabcore-backup","version":1,"exported_at_ms":…,"profiles":[
//!   {"profile":{…},"sessions":[{…,"blocks":[{…,"reps":[…],"attempts":[…]}]}],
//!    "check_ins":[…],"calibrations":[…],"daily_goals":[…],"schedule":{…}|null}]}`
//! with the rows of [`crate::store::export_queries`]. Times are UTC milliseconds
//! with the UTC offset (minutes) the phone reported; ids are only unique within
//! the file and are replaced on import.
//!
//! Import refuses, with a [`BackupError`] and without writing anything: files
//! over [`MAX_FILE_BYTES`], malformed or truncated JSON, nesting deeper than
//! serde_json's limit (128), wrong types, unknown fields, duplicate keys, numbers
//! out of range, another format, a newer version, duplicate ids, dangling
//! references and values the app itself would refuse. Valid files are written
//! in one transaction.

use crate::store::export_queries::{self, HistoryWindow, ProfileHistory};
use crate::store::{Store, StoreError};
use serde::{Deserialize, Serialize};
use std::collections::HashSet;

/// The `format` field of every backup file.
pub const FORMAT: &str = "rehabcore-backup";
/// The version this code writes and the newest it reads.
pub const VERSION: u32 = 1;
/// The largest file import accepts (256 MiB; five years of daily use is far below).
pub const MAX_FILE_BYTES: usize = 256 * 1024 * 1024;
/// Latest plausible timestamp (9999-12-31T23:59:59.999Z); earliest is 1970.
const MAX_MS: i64 = 253_402_300_799_999;

/// A backup file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Backup {
    /// Always [`FORMAT`].
    pub format: String,
    /// [`VERSION`] when written by this code.
    pub version: u32,
    /// When the file was written, UTC milliseconds.
    pub exported_at_ms: i64,
    /// One entry per profile.
    pub profiles: Vec<ProfileHistory>,
}

/// Only the header, read first so a newer file is named as such even when
/// its body has fields this version does not know.
#[derive(Deserialize)]
struct Header {
    format: Option<serde_json::Value>,
    version: Option<serde_json::Value>,
}

/// What an import added.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Imported {
    /// The new profiles' ids, in file order.
    pub profile_ids: Vec<i64>,
    /// Sessions added.
    pub sessions: u64,
    /// Reps added.
    pub reps: u64,
    /// Check-ins added.
    pub check_ins: u64,
}

/// Why a backup was refused. Messages name places in the file, never its values.
#[derive(Debug, thiserror::Error)]
pub enum BackupError {
    /// Bigger than [`MAX_FILE_BYTES`].
    #[error("the file is {size} bytes, more than the {limit} a backup may have")]
    TooLarge { size: usize, limit: usize },
    /// Not JSON, cut short, too deeply nested, or of the wrong shape.
    #[error("the file is not a readable backup ({kind} at line {line}, column {column})")]
    Malformed {
        kind: &'static str,
        line: usize,
        column: usize,
    },
    /// JSON, but not a RehabCore backup.
    #[error("the file is not a RehabCore backup")]
    NotABackup,
    /// Written by a newer app.
    #[error(
        "the backup has version {found}, newer than this app reads ({supported}); update the app"
    )]
    TooNew { found: u64, supported: u32 },
    /// A value the app would not have stored.
    #[error("invalid backup: {at}: {reason}")]
    Invalid { at: String, reason: &'static str },
    /// The same id twice where ids must be unique.
    #[error("invalid backup: {what} id {id} appears twice")]
    DuplicateId { what: &'static str, id: i64 },
    /// A profile of the backup is already on this device (the same backup imported
    /// twice, or restored onto the device it came from): nothing was imported.
    #[error("profile {index} of the backup is already on this device (same name and creation time); nothing was imported")]
    AlreadyStored { index: usize },
    /// Reading or writing the database failed (nothing was written).
    #[error(transparent)]
    Store(#[from] StoreError),
    /// Writing the JSON failed.
    #[error("cannot write the backup: {0}")]
    Write(String),
}

fn malformed(e: &serde_json::Error) -> BackupError {
    use serde_json::error::Category;
    BackupError::Malformed {
        kind: match e.classify() {
            Category::Io => "read error",
            Category::Syntax => "syntax error",
            Category::Data => "wrong type or value",
            Category::Eof => "unexpected end of file",
        },
        line: e.line(),
        column: e.column(),
    }
}

/// Writes the backup of one profile (`Some(id)`) or of all profiles.
pub fn export(store: &Store, profile_id: Option<i64>, now_ms: i64) -> Result<String, BackupError> {
    let profiles = store.profile_histories(profile_id, HistoryWindow::ALL)?;
    let backup = Backup {
        format: FORMAT.into(),
        version: VERSION,
        exported_at_ms: now_ms,
        profiles,
    };
    serde_json::to_string(&backup).map_err(|e| BackupError::Write(e.to_string()))
}

/// Parses and checks a backup file without touching any database.
pub fn parse(json: &str) -> Result<Backup, BackupError> {
    if json.len() > MAX_FILE_BYTES {
        return Err(BackupError::TooLarge {
            size: json.len(),
            limit: MAX_FILE_BYTES,
        });
    }
    let header: Header = serde_json::from_str(json).map_err(|e| malformed(&e))?;
    if header.format.as_ref().and_then(|f| f.as_str()) != Some(FORMAT) {
        return Err(BackupError::NotABackup);
    }
    match header.version.as_ref().and_then(|v| v.as_u64()) {
        Some(v) if v == u64::from(VERSION) => {}
        Some(v) if v > u64::from(VERSION) => {
            return Err(BackupError::TooNew {
                found: v,
                supported: VERSION,
            })
        }
        _ => return Err(BackupError::NotABackup),
    }
    let backup: Backup = serde_json::from_str(json).map_err(|e| malformed(&e))?;
    validate(&backup)?;
    Ok(backup)
}

/// Checks and imports a backup file as new profiles, in one transaction.
pub fn import(store: &Store, json: &str) -> Result<Imported, BackupError> {
    let backup = parse(json)?;
    let profile_ids = match store.import_histories(&backup.profiles)? {
        export_queries::Imported::Profiles(ids) => ids,
        export_queries::Imported::AlreadyStored { index } => {
            return Err(BackupError::AlreadyStored { index: index + 1 })
        }
    };
    let sessions = backup.profiles.iter().map(|p| p.sessions.len() as u64);
    let reps = backup
        .profiles
        .iter()
        .flat_map(|p| &p.sessions)
        .flat_map(|s| &s.blocks)
        .map(|b| b.reps.len() as u64);
    Ok(Imported {
        profile_ids,
        sessions: sessions.sum(),
        reps: reps.sum(),
        check_ins: backup
            .profiles
            .iter()
            .map(|p| p.check_ins.len() as u64)
            .sum(),
    })
}

struct Check {
    seen: [HashSet<i64>; 7],
}

fn invalid(at: impl Into<String>, reason: &'static str) -> BackupError {
    BackupError::Invalid {
        at: at.into(),
        reason,
    }
}

fn ensure(ok: bool, at: impl FnOnce() -> String, reason: &'static str) -> Result<(), BackupError> {
    if ok {
        Ok(())
    } else {
        Err(invalid(at(), reason))
    }
}

impl Check {
    fn unique(&mut self, kind: usize, what: &'static str, id: i64) -> Result<(), BackupError> {
        if self.seen[kind].insert(id) {
            Ok(())
        } else {
            Err(BackupError::DuplicateId { what, id })
        }
    }
}

fn time(ms: i64, at: impl FnOnce() -> String) -> Result<(), BackupError> {
    ensure(
        (0..=MAX_MS).contains(&ms),
        at,
        "a time between 1970 and 9999",
    )
}

fn offset(min: i32, at: impl FnOnce() -> String) -> Result<(), BackupError> {
    ensure(min.abs() <= 18 * 60, at, "a UTC offset within ±18 hours")
}

fn exercise_id(id: &str, at: impl FnOnce() -> String) -> Result<(), BackupError> {
    let n = id.chars().count();
    ensure(
        (1..=100).contains(&n),
        at,
        "an exercise id of 1 to 100 characters",
    )
}

fn non_negative(x: f64, at: impl FnOnce() -> String) -> Result<(), BackupError> {
    ensure(x.is_finite() && x >= 0.0, at, "a finite number >= 0")
}

fn date(text: &str, at: impl FnOnce() -> String) -> Result<(), BackupError> {
    let ok = text.len() == 10 && chrono::NaiveDate::parse_from_str(text, "%Y-%m-%d").is_ok();
    ensure(ok, at, "a date like 2026-03-29")
}

fn movement(
    started: i64,
    ended: i64,
    amplitude: f64,
    speed: f64,
    at: &dyn Fn() -> String,
) -> Result<(), BackupError> {
    time(started, at)?;
    time(ended, at)?;
    ensure(ended >= started, at, "ends before it starts")?;
    non_negative(amplitude, || format!("{}.amplitude", at()))?;
    non_negative(speed, || format!("{}.peak_speed", at()))
}

/// Everything the app checks before storing, plus what only a file can get
/// wrong (ids, references). Runs before any write.
pub fn validate(backup: &Backup) -> Result<(), BackupError> {
    let mut c = Check {
        seen: Default::default(),
    };
    for (pi, h) in backup.profiles.iter().enumerate() {
        let p = &h.profile;
        let at_p = || format!("profiles[{pi}]");
        c.unique(0, "profile", p.id)?;
        let n = p.name.chars().count();
        ensure(
            (1..=200).contains(&n) && !p.name.trim().is_empty(),
            || format!("{}.profile.name", at_p()),
            "a name of 1 to 200 characters",
        )?;
        let tz = p.time_zone.chars().count();
        ensure(
            (1..=100).contains(&tz) && !p.time_zone.trim().is_empty(),
            || format!("{}.profile.time_zone", at_p()),
            "a time-zone name of 1 to 100 characters",
        )?;
        time(p.created_at_ms, || {
            format!("{}.profile.created_at_ms", at_p())
        })?;
        let mut sessions_here = HashSet::new();
        let mut active = 0;
        for (si, s) in h.sessions.iter().enumerate() {
            let at_s = || format!("{}.sessions[{si}]", at_p());
            c.unique(1, "session", s.id)?;
            sessions_here.insert(s.id);
            time(s.started_at_ms, at_s)?;
            offset(s.utc_offset_min, at_s)?;
            if let Some(end) = s.ended_at_ms {
                time(end, at_s)?;
                ensure(end >= s.started_at_ms, at_s, "ends before it starts")?;
            }
            ensure(s.active_ms >= 0, at_s, "active time must be >= 0")?;
            match s.status.as_str() {
                "active" => active += 1,
                "finished" | "abandoned" => {}
                _ => return Err(invalid(at_s(), "status is active, finished or abandoned")),
            }
            ensure(active <= 1, at_s, "at most one active session per profile")?;
            let mut positions = HashSet::new();
            for (bi, b) in s.blocks.iter().enumerate() {
                let at_b = || format!("{}.blocks[{bi}]", at_s());
                c.unique(2, "block", b.id)?;
                ensure(
                    positions.insert(b.position),
                    at_b,
                    "two blocks at one position",
                )?;
                exercise_id(&b.exercise_id, at_b)?;
                ensure(b.target_reps != Some(0), at_b, "target reps must be > 0")?;
                if let Some(r) = b.target_range {
                    ensure(r.is_finite() && r > 0.0, at_b, "target range must be > 0")?;
                }
                time(b.started_at_ms, at_b)?;
                if let Some(end) = b.ended_at_ms {
                    time(end, at_b)?;
                    ensure(end >= b.started_at_ms, at_b, "ends before it starts")?;
                }
                ensure(b.active_ms >= 0, at_b, "active time must be >= 0")?;
                for (ri, r) in b.reps.iter().enumerate() {
                    c.unique(3, "rep", r.id)?;
                    let at = || format!("{}.reps[{ri}]", at_b());
                    movement(
                        r.started_at_ms,
                        r.ended_at_ms,
                        r.amplitude,
                        r.peak_speed,
                        &at,
                    )?;
                }
                for (ai, a) in b.attempts.iter().enumerate() {
                    c.unique(4, "attempt", a.id)?;
                    let at = || format!("{}.attempts[{ai}]", at_b());
                    movement(
                        a.started_at_ms,
                        a.ended_at_ms,
                        a.amplitude,
                        a.peak_speed,
                        &at,
                    )?;
                }
            }
        }
        for (ci, k) in h.check_ins.iter().enumerate() {
            let at = || format!("{}.check_ins[{ci}]", at_p());
            c.unique(5, "check-in", k.id)?;
            match (k.timing.as_str(), k.session_id) {
                ("standalone", None) => {}
                ("before" | "after", Some(s)) => ensure(
                    sessions_here.contains(&s),
                    at,
                    "names a session that is not this profile's in the file",
                )?,
                _ => return Err(invalid(at(), "timing and session do not match")),
            }
            time(k.recorded_at_ms, at)?;
            offset(k.utc_offset_min, at)?;
            ensure(!matches!(k.pain, Some(p) if p > 10), at, "pain is 0 to 10")?;
            ensure(
                !matches!(k.effort, Some(e) if e > 10),
                at,
                "effort is 0 to 10",
            )?;
            if let Some(s) = &k.spasticity {
                ensure(
                    crate::store::Spasticity::parse(s).is_some(),
                    at,
                    "spasticity is a Modified Ashworth grade",
                )?;
            }
            ensure(
                k.note.chars().count() <= 2000,
                at,
                "a note has at most 2,000 characters",
            )?;
            ensure(
                k.pain.is_some()
                    || k.effort.is_some()
                    || k.spasticity.is_some()
                    || !k.note.trim().is_empty(),
                at,
                "a check-in needs at least one value",
            )?;
        }
        for (ci, k) in h.calibrations.iter().enumerate() {
            let at = || format!("{}.calibrations[{ci}]", at_p());
            c.unique(6, "calibration", k.id)?;
            exercise_id(&k.exercise_id, at)?;
            time(k.recorded_at_ms, at)?;
            non_negative(k.rest_noise, at)?;
            ensure(
                k.full_range.is_finite() && k.full_range > 0.0,
                at,
                "full range must be > 0",
            )?;
        }
        let mut days = HashSet::new();
        for (gi, g) in h.daily_goals.iter().enumerate() {
            let at = || format!("{}.daily_goals[{gi}]", at_p());
            date(&g.effective_from, at)?;
            ensure(days.insert(&g.effective_from), at, "two goals for one day")?;
            ensure(
                g.reps != Some(0) && g.active_minutes != Some(0),
                at,
                "a goal is more than zero",
            )?;
            time(g.set_at_ms, at)?;
        }
        if let Some(s) = &h.schedule {
            let at = || format!("{}.schedule", at_p());
            date(&s.effective_from, at)?;
            time(s.set_at_ms, at)?;
            let mut slots = HashSet::new();
            for x in &s.slots {
                ensure(
                    (1..=7).contains(&x.weekday),
                    at,
                    "weekday is 1 (Monday) to 7",
                )?;
                ensure(
                    x.reminder_minute < 1440,
                    at,
                    "a reminder minute is 0 to 1439",
                )?;
                ensure(
                    slots.insert((x.weekday, x.reminder_minute)),
                    at,
                    "a slot appears twice",
                )?;
            }
        }
    }
    Ok(())
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::progress::{DailyGoal, ScheduleSlot, Weekday, WeeklySchedule};
    use crate::store::export_queries::*;
    use crate::store::{
        CheckInTiming, CompletedBlock, CompletedSession, NewBlock, NewCalibration, NewCheckIn,
        NewProfile, NewSession, RepRecord, Side, Spasticity,
    };
    use proptest::prelude::*;
    use std::collections::HashMap;

    pub(crate) fn temp_store() -> (tempfile::TempDir, Store) {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path().join("t.db")).unwrap();
        (dir, store)
    }

    pub(crate) const T0: i64 = 1_774_800_000_000; // 2026-03-29T16:00:00Z

    fn rep(t: i64, amplitude: f64) -> RepRecord {
        RepRecord {
            started_at_ms: t,
            ended_at_ms: t + 2_500,
            amplitude,
            peak_speed: 0.9,
            target_reached: amplitude > 0.5,
        }
    }

    /// A profile with two finished sessions, an active one, check-ins, a
    /// calibration, goals and a schedule. Returns the profile id.
    pub(crate) fn seed(store: &Store, name: &str) -> i64 {
        let p = store
            .create_profile(
                &NewProfile {
                    name: name.into(),
                    affected_side: Side::Left,
                    time_zone: "Europe/Madrid".into(),
                },
                T0 - 86_400_000,
            )
            .unwrap();
        let mut sessions = Vec::new();
        for (i, offset) in [(0i64, 60), (1, 120)] {
            let start = T0 + i * 86_400_000;
            let block = |ex: &str, t: i64, n: usize| CompletedBlock {
                exercise_id: ex.into(),
                side: Side::Left,
                target_reps: Some(10),
                target_range: Some(0.5),
                started_at_ms: t,
                ended_at_ms: t + 60_000,
                active_ms: 45_000,
                reps: (0..n)
                    .map(|k| rep(t + k as i64 * 3_000, 0.3 + k as f64 * 0.1))
                    .collect(),
                attempts: vec![crate::store::AttemptRecord {
                    started_at_ms: t + 50_000,
                    ended_at_ms: t + 51_000,
                    amplitude: 0.1,
                    peak_speed: 0.2,
                }],
            };
            let s = store
                .store_completed_session(&CompletedSession {
                    profile_id: p.id,
                    started_at_ms: start,
                    utc_offset_min: offset,
                    ended_at_ms: start + 130_000,
                    active_ms: 90_000,
                    plan_json: r#"{"plan":"wrist"}"#.into(),
                    blocks: vec![
                        block("wrist_flexion", start, 4),
                        block("elbow_flexion", start + 70_000, 3),
                    ],
                })
                .unwrap();
            sessions.push(s);
        }
        store
            .record_check_in(&NewCheckIn {
                profile_id: p.id,
                timing: CheckInTiming::BeforeSession {
                    session_id: sessions[1].id,
                },
                recorded_at_ms: T0 + 86_400_000 - 60_000,
                utc_offset_min: 120,
                pain: Some(6),
                spasticity: Some(Spasticity::OnePlus),
                effort: None,
                note: "dolor, \"rígido\"\nmañana 🙂".into(),
            })
            .unwrap();
        store
            .record_check_in(&NewCheckIn {
                profile_id: p.id,
                timing: CheckInTiming::Standalone,
                recorded_at_ms: T0 + 3 * 3_600_000,
                utc_offset_min: 60,
                pain: Some(3),
                spasticity: None,
                effort: Some(4),
                note: "=SUM(A1)".into(),
            })
            .unwrap();
        store
            .record_calibration(&NewCalibration {
                profile_id: p.id,
                exercise_id: "wrist_flexion".into(),
                side: Side::Left,
                recorded_at_ms: T0 - 1_000,
                rest_noise: 0.01,
                full_range: 0.9,
                params_json: "{}".into(),
            })
            .unwrap();
        let d = |s: &str| s.parse().unwrap();
        for (from, reps) in [("2026-03-01", 100), ("2026-03-20", 150)] {
            let goal = DailyGoal {
                effective_from: d(from),
                reps: Some(reps),
                active_minutes: None,
            };
            store.set_daily_goal(p.id, &goal, T0).unwrap();
        }
        let schedule = WeeklySchedule {
            effective_from: d("2026-03-01"),
            slots: vec![ScheduleSlot {
                weekday: Weekday::Monday,
                hour: 9,
                minute: 30,
            }],
        };
        store.set_weekly_schedule(p.id, &schedule, T0).unwrap();
        // An interrupted session stays active.
        let live = store
            .create_session(&NewSession {
                profile_id: p.id,
                started_at_ms: T0 + 2 * 86_400_000,
                utc_offset_min: 120,
                plan_json: "{}".into(),
            })
            .unwrap();
        let b = store
            .start_block(
                live.id,
                &NewBlock {
                    exercise_id: "wrist_flexion".into(),
                    side: Side::Left,
                    target_reps: None,
                    target_range: None,
                    started_at_ms: T0 + 2 * 86_400_000,
                },
            )
            .unwrap();
        store
            .record_rep(b, &rep(T0 + 2 * 86_400_000 + 1_000, 0.7))
            .unwrap();
        p.id
    }

    /// Histories with every id replaced by its position, so two databases compare.
    fn without_ids(mut hs: Vec<ProfileHistory>) -> Vec<ProfileHistory> {
        for h in &mut hs {
            h.profile.id = 0;
            let index: HashMap<i64, i64> = h
                .sessions
                .iter()
                .enumerate()
                .map(|(i, s)| (s.id, i as i64))
                .collect();
            for s in &mut h.sessions {
                s.id = 0;
                for b in &mut s.blocks {
                    b.id = 0;
                    b.reps.iter_mut().for_each(|r| r.id = 0);
                    b.attempts.iter_mut().for_each(|a| a.id = 0);
                }
            }
            for c in &mut h.check_ins {
                c.id = 0;
                c.session_id = c.session_id.map(|s| index[&s]);
            }
            h.calibrations.iter_mut().for_each(|c| c.id = 0);
        }
        hs
    }

    fn counts(store: &Store) -> Vec<i64> {
        store
            .read(|c| {
                [
                    "profiles",
                    "sessions",
                    "blocks",
                    "reps",
                    "attempts",
                    "check_ins",
                    "calibrations",
                ]
                .iter()
                .map(|t| Ok(c.query_row(&format!("SELECT count(*) FROM {t}"), [], |r| r.get(0))?))
                .collect()
            })
            .unwrap()
    }

    #[test]
    fn a_round_trip_loses_nothing() {
        let (_d1, a) = temp_store();
        seed(&a, "Ana");
        seed(&a, "Bea ✓");
        let json = export(&a, None, T0).unwrap();
        let (_d2, b) = temp_store();
        let imported = import(&b, &json).unwrap();
        assert_eq!(imported.profile_ids.len(), 2);
        assert_eq!(imported.sessions, 6);
        assert_eq!(imported.reps, 2 * (2 * 7 + 1));
        assert_eq!(imported.check_ins, 4);
        let again = export(&b, None, T0).unwrap();
        let first = parse(&json).unwrap().profiles;
        let second = parse(&again).unwrap().profiles;
        assert_eq!(without_ids(first.clone()), without_ids(second));
        // Counters kept by triggers match the original's.
        assert_eq!(counts(&a), counts(&b));
        let facts = |s: &Store, id| s.session_facts(id, i64::MIN, i64::MAX).unwrap();
        assert_eq!(
            facts(&a, first[0].profile.id),
            facts(&b, imported.profile_ids[0])
        );
        // The active session is still active and can be resumed (or abandoned).
        assert!(b
            .unfinished_session(imported.profile_ids[0])
            .unwrap()
            .is_some());
    }

    #[test]
    fn the_same_backup_twice_is_refused_the_second_time() {
        let (_d1, a) = temp_store();
        seed(&a, "Ana");
        seed(&a, "Bea");
        let json = export(&a, None, T0).unwrap();
        let (_d2, b) = temp_store();
        import(&b, &json).unwrap();
        let before = counts(&b);
        let e = import(&b, &json).expect_err("a second import of the same file");
        assert!(matches!(e, BackupError::AlreadyStored { index: 1 }), "{e}");
        assert!(e.to_string().contains("already on this device"), "{e}");
        assert_eq!(counts(&b), before, "nothing was written");
        // Restoring onto the device the backup came from is the same case.
        let before = counts(&a);
        assert!(matches!(
            import(&a, &json),
            Err(BackupError::AlreadyStored { .. })
        ));
        assert_eq!(counts(&a), before);
        // Only Bea's backup into a store holding Ana alone imports.
        let bea = parse(&export(&a, Some(2), T0).unwrap()).unwrap();
        let (_d3, c) = temp_store();
        seed(&c, "Ana");
        assert_eq!(
            c.import_histories(&bea.profiles).unwrap(),
            export_queries::Imported::Profiles(vec![2])
        );
    }

    #[test]
    fn one_profile_exports_alone() {
        let (_d, a) = temp_store();
        seed(&a, "Ana");
        let bea = seed(&a, "Bea");
        let backup = parse(&export(&a, Some(bea), T0).unwrap()).unwrap();
        assert_eq!(backup.profiles.len(), 1);
        assert_eq!(backup.profiles[0].profile.name, "Bea");
        assert!(matches!(
            export(&a, Some(999), T0),
            Err(BackupError::Store(StoreError::NotFound { .. }))
        ));
    }

    /// Imports `json` into a store holding one profile and checks that it was
    /// refused and nothing changed.
    fn refused(json: &str) -> BackupError {
        let (_d, s) = temp_store();
        seed(&s, "Ana");
        let before = counts(&s);
        let e = import(&s, json).expect_err("the file must be refused");
        assert_eq!(counts(&s), before, "a refused import wrote something: {e}");
        e
    }

    fn good() -> serde_json::Value {
        let (_d, s) = temp_store();
        seed(&s, "Ana");
        serde_json::from_str(&export(&s, None, T0).unwrap()).unwrap()
    }

    #[test]
    fn malformed_and_truncated_files_are_refused() {
        let json = good().to_string();
        assert!(matches!(
            refused(&json[..json.len() / 2]),
            BackupError::Malformed { .. }
        ));
        assert!(matches!(refused("not json"), BackupError::Malformed { .. }));
        assert!(matches!(refused(""), BackupError::Malformed { .. }));
        assert!(matches!(refused("[1,2]"), BackupError::NotABackup));
        assert!(matches!(refused(r#"{"a":1}"#), BackupError::NotABackup));
        let mut other = good();
        other["format"] = "something-else".into();
        assert!(matches!(
            refused(&other.to_string()),
            BackupError::NotABackup
        ));
    }

    #[test]
    fn a_newer_version_is_refused_by_name() {
        let mut v = good();
        v["version"] = 2.into();
        v["profiles"][0]["new_field"] = true.into();
        let e = refused(&v.to_string());
        assert!(
            matches!(
                e,
                BackupError::TooNew {
                    found: 2,
                    supported: 1
                }
            ),
            "{e}"
        );
    }

    #[test]
    fn hostile_files_are_refused() {
        // Deep nesting: serde_json stops at 128 levels instead of overflowing the stack.
        let deep = format!(
            r#"{{"format":"rehabcore-backup","version":1,"exported_at_ms":0,"profiles":{}{}}}"#,
            "[".repeat(100_000),
            "]".repeat(100_000)
        );
        assert!(matches!(refused(&deep), BackupError::Malformed { .. }));
        let deep_header = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
        assert!(matches!(
            refused(&deep_header),
            BackupError::Malformed { .. }
        ));

        // Numbers too big for their field, written as text (a JSON library would not produce them).
        let text = good().to_string();
        for (from, to) in [
            ("\"active_ms\":90000", "\"active_ms\":1e400"),
            (
                "\"active_ms\":90000",
                "\"active_ms\":99999999999999999999999",
            ),
            ("\"amplitude\":0.3", "\"amplitude\":1e999"),
            ("\"pain\":6", "\"pain\":6.5"),
        ] {
            assert!(text.contains(from), "{from}");
            let e = refused(&text.replacen(from, to, 1));
            assert!(matches!(e, BackupError::Malformed { .. }), "{to}: {e}");
        }

        type Edit = fn(&mut serde_json::Value);
        let cases: [(&str, Edit); 14] = [
            ("null for a number", |v| {
                v["profiles"][0]["sessions"][0]["started_at_ms"] = serde_json::Value::Null
            }),
            ("i64 overflow", |v| {
                v["profiles"][0]["sessions"][0]["active_ms"] = serde_json::Value::from(u64::MAX)
            }),
            ("time out of range", |v| {
                v["profiles"][0]["sessions"][0]["started_at_ms"] = i64::MAX.into()
            }),
            ("wrong type", |v| {
                v["profiles"][0]["profile"]["name"] = 5.into()
            }),
            ("unknown enum value", |v| {
                v["profiles"][0]["profile"]["affected_side"] = "up".into()
            }),
            ("unknown field", |v| {
                v["profiles"][0]["sessions"][0]["blocks"][0]["extra"] = 1.into()
            }),
            ("negative amplitude", |v| {
                v["profiles"][0]["sessions"][0]["blocks"][0]["reps"][0]["amplitude"] = (-1.0).into()
            }),
            ("pain 11", |v| {
                v["profiles"][0]["check_ins"][0]["pain"] = 11.into()
            }),
            ("pain 300 (u8 overflow)", |v| {
                v["profiles"][0]["check_ins"][0]["pain"] = 300.into()
            }),
            ("bad status", |v| {
                v["profiles"][0]["sessions"][0]["status"] = "paused".into()
            }),
            ("dangling session", |v| {
                v["profiles"][0]["check_ins"][0]["session_id"] = 424242.into()
            }),
            ("bad date", |v| {
                v["profiles"][0]["daily_goals"][0]["effective_from"] = "2026-02-30".into()
            }),
            ("note too long", |v| {
                v["profiles"][0]["check_ins"][0]["note"] = "x".repeat(2001).into()
            }),
            ("offset out of range", |v| {
                v["profiles"][0]["sessions"][0]["utc_offset_min"] = 2000.into()
            }),
        ];
        for (name, edit) in cases {
            let mut v = good();
            edit(&mut v);
            let e = refused(&v.to_string());
            assert!(
                matches!(
                    e,
                    BackupError::Malformed { .. } | BackupError::Invalid { .. }
                ),
                "{name}: {e}"
            );
        }
    }

    #[test]
    fn duplicate_ids_and_keys_are_refused() {
        let mut v = good();
        let s = v["profiles"][0]["sessions"][0].clone();
        v["profiles"][0]["sessions"].as_array_mut().unwrap().push(s);
        assert!(matches!(
            refused(&v.to_string()),
            BackupError::DuplicateId {
                what: "session",
                ..
            }
        ));
        let mut v = good();
        let p = v["profiles"][0].clone();
        v["profiles"].as_array_mut().unwrap().push(p);
        assert!(matches!(
            refused(&v.to_string()),
            BackupError::DuplicateId { .. }
        ));
        let mut v = good();
        let r = v["profiles"][0]["sessions"][0]["blocks"][0]["reps"][0].clone();
        v["profiles"][0]["sessions"][1]["blocks"][0]["reps"]
            .as_array_mut()
            .unwrap()
            .push(r);
        assert!(matches!(
            refused(&v.to_string()),
            BackupError::DuplicateId { what: "rep", .. }
        ));
        // A key given twice in one object.
        let json = good()
            .to_string()
            .replacen(r#""version":1"#, r#""version":1,"version":1"#, 1);
        assert!(matches!(refused(&json), BackupError::Malformed { .. }));
    }

    #[test]
    fn an_error_late_in_the_file_rolls_back_everything() {
        // Two profiles; the second one's goal date is broken after validation,
        // so only the database (its CHECK on dates) refuses it, after the
        // first profile was already inserted in the same transaction.
        let (_d, a) = temp_store();
        seed(&a, "Ana");
        seed(&a, "Bea");
        let mut backup = parse(&export(&a, None, T0).unwrap()).unwrap();
        let (_d2, b) = temp_store();
        seed(&b, "Existing");
        let before = counts(&b);
        backup.profiles[1].daily_goals[0].effective_from = "2026-3-1".into();
        assert!(b.import_histories(&backup.profiles).is_err());
        assert_eq!(counts(&b), before, "the first profile was rolled back too");
        assert_eq!(b.profiles().unwrap().len(), 1);
    }

    #[test]
    fn an_oversized_file_is_refused_before_parsing() {
        let big = " ".repeat(MAX_FILE_BYTES + 1);
        assert!(matches!(parse(&big), Err(BackupError::TooLarge { .. })));
    }

    // ---- property test over generated histories ----

    fn history() -> impl Strategy<Value = ProfileHistory> {
        let rep = (
            0i64..5_000,
            0i64..5_000,
            0.0f64..1e6,
            0.0f64..1e3,
            any::<bool>(),
        );
        let block = (
            prop::sample::select(vec![
                "wrist_flexion",
                "elbow_flexion",
                "ejercicio_ñ",
                "手指",
            ]),
            prop::sample::select(vec![Side::Left, Side::Right, Side::Both, Side::None]),
            prop::option::of(1u32..100),
            prop::option::of(1e-6f64..1e3),
            prop::option::of(0i64..600_000),
            prop::collection::vec(rep.clone(), 0..6),
            prop::collection::vec(rep, 0..3),
        );
        let session = (
            0i64..2_000_000_000_000,
            -1080i32..=1080,
            prop::sample::select(vec!["finished", "abandoned"]),
            "\\PC{0,12}",
            prop::collection::vec(block, 0..4),
        );
        let check_in = (
            0usize..8,
            prop::sample::select(vec!["before", "after", "standalone"]),
            0i64..2_000_000_000_000,
            -1080i32..=1080,
            prop::option::of(0u8..=10),
            prop::option::of(prop::sample::select(vec!["0", "1", "1+", "2", "3", "4"])),
            prop::option::of(0u8..=10),
            "\\PC{0,30}",
        );
        (
            "[A-Za-zÁé 😀]{0,10}",
            prop::collection::vec(session, 0..4),
            prop::collection::vec(check_in, 0..5),
            prop::option::of((0u32..4, 1u8..=7, 0u16..1440)),
            any::<bool>(),
        )
            .prop_map(|(name, sessions, check_ins, goal, last_active)| {
                let mut sessions: Vec<SessionRow> = sessions
                    .into_iter()
                    .map(|(start, offset, status, plan, blocks)| SessionRow {
                        id: 0,
                        started_at_ms: start,
                        utc_offset_min: offset,
                        ended_at_ms: Some(start + 3_600_000),
                        active_ms: 1_000,
                        status: status.into(),
                        plan_json: plan,
                        blocks: blocks
                            .into_iter()
                            .enumerate()
                            .map(|(i, (ex, side, tr, rg, end, reps, attempts))| BlockRow {
                                id: 0,
                                position: i as u32 + 1,
                                exercise_id: ex.into(),
                                side,
                                target_reps: tr,
                                target_range: rg,
                                started_at_ms: start,
                                ended_at_ms: end.map(|e| start + e),
                                active_ms: 500,
                                reps: reps
                                    .iter()
                                    .map(|&(a, d, amp, sp, hit)| RepRow {
                                        id: 0,
                                        started_at_ms: start + a,
                                        ended_at_ms: start + a + d,
                                        amplitude: amp,
                                        peak_speed: sp,
                                        target_reached: hit,
                                    })
                                    .collect(),
                                attempts: attempts
                                    .iter()
                                    .map(|&(a, d, amp, sp, _)| AttemptRow {
                                        id: 0,
                                        started_at_ms: start + a,
                                        ended_at_ms: start + a + d,
                                        amplitude: amp,
                                        peak_speed: sp,
                                    })
                                    .collect(),
                            })
                            .collect(),
                    })
                    .collect();
                sessions.sort_by_key(|s| s.started_at_ms);
                if last_active {
                    if let Some(s) = sessions.last_mut() {
                        s.status = "active".into();
                        s.ended_at_ms = None;
                    }
                }
                let n = sessions.len();
                let check_ins = check_ins
                    .into_iter()
                    .map(|(si, timing, at, offset, pain, spas, effort, note)| {
                        let (timing, session) = if n == 0 || timing == "standalone" {
                            ("standalone", None)
                        } else {
                            (timing, Some(si % n))
                        };
                        let empty = pain.is_none() && spas.is_none() && note.trim().is_empty();
                        CheckInRow {
                            id: 0,
                            session_id: session.map(|i| i as i64),
                            timing: timing.into(),
                            recorded_at_ms: at,
                            utc_offset_min: offset,
                            pain,
                            spasticity: spas.map(Into::into),
                            effort: if empty {
                                Some(effort.unwrap_or(0))
                            } else {
                                effort
                            },
                            note,
                        }
                    })
                    .collect();
                let (daily_goals, schedule) = match goal {
                    None => (vec![], None),
                    Some((k, weekday, minute)) => (
                        (0..k)
                            .map(|i| GoalRow {
                                effective_from: format!("2026-0{}-15", i + 1),
                                reps: Some(10 * (i + 1)),
                                active_minutes: (i % 2 == 0).then_some(20),
                                set_at_ms: T0,
                            })
                            .collect(),
                        Some(ScheduleRow {
                            effective_from: "2026-01-05".into(),
                            set_at_ms: T0,
                            slots: vec![SlotRow {
                                weekday,
                                reminder_minute: minute,
                            }],
                        }),
                    ),
                };
                ProfileHistory {
                    profile: ProfileRow {
                        id: 0,
                        name: format!("P{name}"),
                        affected_side: Side::Right,
                        time_zone: "America/Bogotá".into(),
                        created_at_ms: T0,
                    },
                    sessions,
                    check_ins,
                    calibrations: vec![CalibrationRow {
                        id: 0,
                        exercise_id: "wrist_flexion".into(),
                        side: Side::Left,
                        recorded_at_ms: T0,
                        rest_noise: 0.0125,
                        full_range: 1.0 / 3.0,
                        params_json: r#"{"k":[1,2]}"#.into(),
                    }],
                    daily_goals,
                    schedule,
                }
            })
    }

    /// Gives every row a unique id (sessions first, so check-ins can point at them).
    fn number(mut hs: Vec<ProfileHistory>) -> Vec<ProfileHistory> {
        let mut next = 10i64;
        let mut id = || {
            next += 3;
            next
        };
        for h in &mut hs {
            h.profile.id = id();
            let ids: Vec<i64> = h.sessions.iter().map(|_| id()).collect();
            for (s, sid) in h.sessions.iter_mut().zip(&ids) {
                s.id = *sid;
                for b in &mut s.blocks {
                    b.id = id();
                    b.reps.iter_mut().for_each(|r| r.id = id());
                    b.attempts.iter_mut().for_each(|a| a.id = id());
                }
            }
            for c in &mut h.check_ins {
                c.id = id();
                c.session_id = c.session_id.map(|i| ids[i as usize]);
            }
            h.calibrations.iter_mut().for_each(|c| c.id = id());
        }
        hs
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 32, ..ProptestConfig::default() })]
        #[test]
        fn generated_histories_survive_a_round_trip(
            hs in prop::collection::vec(history(), 1..4)
        ) {
            let original = Backup {
                format: FORMAT.into(),
                version: VERSION,
                exported_at_ms: T0,
                profiles: number(hs),
            };
            let json = serde_json::to_string(&original).unwrap();
            let (_d, store) = temp_store();
            import(&store, &json).unwrap();
            let exported = parse(&export(&store, None, T0 + 1).unwrap()).unwrap();
            prop_assert_eq!(without_ids(exported.profiles.clone()), without_ids(original.profiles));
            // And once more through a second database: export -> import -> export.
            let (_d2, second) = temp_store();
            import(&second, &export(&store, None, T0).unwrap()).unwrap();
            let again = parse(&export(&second, None, T0).unwrap()).unwrap();
            prop_assert_eq!(without_ids(again.profiles), without_ids(exported.profiles));
        }
    }
}
