//! Whole histories in and out, row for row: what backups, CSV, FHIR and the
//! health-platform records are built from.
//!
//! The row types carry the database ids so references inside one history
//! (a check-in's session) can be followed; [`Store::import_histories`] gives
//! every row a new id. They derive serde because the backup file (versions 1 and 2,
//! `crate::export::backup`) is exactly these rows: a change here is a change of
//! the backup format and needs a new version there.

use super::sessions::{
    insert_attempt, insert_rep, inserted, AttemptRecord, Destination, RepRecord,
};
use super::{Result, Store};
use crate::model::Side;
use rusqlite::{params, Connection, OptionalExtension, Transaction};
use serde::{Deserialize, Serialize};

/// A profile as stored.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProfileRow {
    /// Database id (in the file: an id unique within the file).
    pub id: i64,
    /// Display name.
    pub name: String,
    /// The side the stroke affected.
    pub affected_side: Side,
    /// IANA time-zone name.
    pub time_zone: String,
    /// Creation time, UTC milliseconds.
    pub created_at_ms: i64,
}

/// A session with its blocks.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SessionRow {
    /// Database id.
    pub id: i64,
    /// The session's stable UUID (from backup version 3; absent in older files,
    /// whose sessions get [`crate::store::legacy_session_uuid`] on import).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub uuid: Option<String>,
    /// Start, UTC milliseconds.
    pub started_at_ms: i64,
    /// UTC offset at the start, minutes.
    pub utc_offset_min: i32,
    /// End, UTC milliseconds (None while active).
    pub ended_at_ms: Option<i64>,
    /// Time spent moving, milliseconds.
    pub active_ms: i64,
    /// "active", "finished" or "abandoned".
    pub status: String,
    /// The plan, as JSON text (opaque).
    pub plan_json: String,
    /// The blocks (sets), in order.
    pub blocks: Vec<BlockRow>,
}

/// An exercise block (set) with its reps and attempts.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BlockRow {
    /// Database id.
    pub id: i64,
    /// 1 for the session's first block, and so on.
    pub position: u32,
    /// Catalog id of the exercise.
    pub exercise_id: String,
    /// The side exercised.
    pub side: Side,
    /// Reps aimed for.
    pub target_reps: Option<u32>,
    /// Target amplitude.
    pub target_range: Option<f64>,
    /// Start, UTC milliseconds.
    pub started_at_ms: i64,
    /// End, UTC milliseconds (None while open).
    pub ended_at_ms: Option<i64>,
    /// Time spent moving, milliseconds.
    pub active_ms: i64,
    /// Counted reps, in order.
    pub reps: Vec<RepRow>,
    /// Attempts (movements that did not count), in order.
    pub attempts: Vec<AttemptRow>,
}

/// One counted rep.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RepRow {
    /// Database id.
    pub id: i64,
    /// Start, UTC milliseconds.
    pub started_at_ms: i64,
    /// End, UTC milliseconds.
    pub ended_at_ms: i64,
    /// Amplitude, in the exercise's signal unit.
    pub amplitude: f64,
    /// Peak speed, the exercise's unit per second.
    pub peak_speed: f64,
    /// Whether the rep reached the target range.
    pub target_reached: bool,
}

/// One attempt.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AttemptRow {
    /// Database id.
    pub id: i64,
    /// Start, UTC milliseconds.
    pub started_at_ms: i64,
    /// End, UTC milliseconds.
    pub ended_at_ms: i64,
    /// Amplitude reached.
    pub amplitude: f64,
    /// Peak speed.
    pub peak_speed: f64,
}

/// A check-in as stored.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CheckInRow {
    /// Database id.
    pub id: i64,
    /// The session it belongs to (None for a standalone check-in).
    pub session_id: Option<i64>,
    /// "before", "after" or "standalone".
    pub timing: String,
    /// When, UTC milliseconds.
    pub recorded_at_ms: i64,
    /// UTC offset then, minutes.
    pub utc_offset_min: i32,
    /// Pain, 0-10.
    pub pain: Option<u8>,
    /// Modified Ashworth grade ("0", "1", "1+", "2", "3", "4").
    pub spasticity: Option<String>,
    /// Effort, 0-10.
    pub effort: Option<u8>,
    /// Free note.
    pub note: String,
}

/// A calibration as stored.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CalibrationRow {
    /// Database id.
    pub id: i64,
    /// Catalog id of the exercise.
    pub exercise_id: String,
    /// The side calibrated.
    pub side: Side,
    /// When, UTC milliseconds.
    pub recorded_at_ms: i64,
    /// Signal level at rest.
    pub rest_noise: f64,
    /// Amplitude of a full comfortable movement.
    pub full_range: f64,
    /// Counter parameters, JSON text (opaque). Nothing in this version sets them
    /// (new rows get the column's default `{}`); a backup carries what the file holds.
    pub params_json: String,
}

/// One daily goal of the goal history.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GoalRow {
    /// First local day, "YYYY-MM-DD".
    pub effective_from: String,
    /// Reps per day.
    pub reps: Option<u32>,
    /// Active minutes per day.
    pub active_minutes: Option<u32>,
    /// When it was set, UTC milliseconds.
    pub set_at_ms: i64,
}

/// The weekly schedule.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ScheduleRow {
    /// First local day, "YYYY-MM-DD".
    pub effective_from: String,
    /// When it was set, UTC milliseconds.
    pub set_at_ms: i64,
    /// Practice slots.
    pub slots: Vec<SlotRow>,
}

/// One reminder slot.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SlotRow {
    /// ISO weekday, Monday = 1 ... Sunday = 7.
    pub weekday: u8,
    /// Minutes after local midnight, 0-1439.
    pub reminder_minute: u16,
}

/// Everything stored for one profile.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProfileHistory {
    /// The profile.
    pub profile: ProfileRow,
    /// Its sessions, oldest first.
    pub sessions: Vec<SessionRow>,
    /// Its check-ins.
    pub check_ins: Vec<CheckInRow>,
    /// Its calibrations.
    pub calibrations: Vec<CalibrationRow>,
    /// Its goal history.
    pub daily_goals: Vec<GoalRow>,
    /// Its weekly schedule, if one was set.
    pub schedule: Option<ScheduleRow>,
}

/// Which part of a history to load.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HistoryWindow {
    /// Sessions started and check-ins recorded at or after this, UTC ms.
    pub from_ms: i64,
    /// ... and before this, UTC ms.
    pub to_ms: i64,
}

impl HistoryWindow {
    /// Everything.
    pub const ALL: HistoryWindow = HistoryWindow {
        from_ms: i64::MIN,
        to_ms: i64::MAX,
    };
}

fn load_profile(conn: &Connection, p: ProfileRow, w: HistoryWindow) -> Result<ProfileHistory> {
    let mut sessions = conn
        .prepare_cached(
            "SELECT id, started_at_ms, utc_offset_min, ended_at_ms, active_ms, status, plan_json,
                    uuid
               FROM sessions WHERE profile_id = ?1 AND started_at_ms >= ?2 AND started_at_ms < ?3
              ORDER BY started_at_ms, id",
        )?
        .query_map(params![p.id, w.from_ms, w.to_ms], |r| {
            Ok(SessionRow {
                id: r.get("id")?,
                uuid: r.get("uuid")?,
                started_at_ms: r.get("started_at_ms")?,
                utc_offset_min: r.get("utc_offset_min")?,
                ended_at_ms: r.get("ended_at_ms")?,
                active_ms: r.get("active_ms")?,
                status: r.get("status")?,
                plan_json: r.get("plan_json")?,
                blocks: Vec::new(),
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    let mut blocks = conn.prepare_cached(
        "SELECT id, position, exercise_id, side, target_reps, target_range, started_at_ms,
                ended_at_ms, active_ms
           FROM blocks WHERE session_id = ?1 ORDER BY position",
    )?;
    let mut reps = conn.prepare_cached(
        "SELECT id, started_at_ms, ended_at_ms, amplitude, peak_speed, target_reached
           FROM reps WHERE block_id = ?1 ORDER BY id",
    )?;
    let mut attempts = conn.prepare_cached(
        "SELECT id, started_at_ms, ended_at_ms, amplitude, peak_speed
           FROM attempts WHERE block_id = ?1 ORDER BY id",
    )?;
    for s in &mut sessions {
        s.blocks = blocks
            .query_map([s.id], |r| {
                Ok(BlockRow {
                    id: r.get("id")?,
                    position: r.get("position")?,
                    exercise_id: r.get("exercise_id")?,
                    side: r.get("side")?,
                    target_reps: r.get("target_reps")?,
                    target_range: r.get("target_range")?,
                    started_at_ms: r.get("started_at_ms")?,
                    ended_at_ms: r.get("ended_at_ms")?,
                    active_ms: r.get("active_ms")?,
                    reps: Vec::new(),
                    attempts: Vec::new(),
                })
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        for b in &mut s.blocks {
            b.reps = reps
                .query_map([b.id], |r| {
                    Ok(RepRow {
                        id: r.get("id")?,
                        started_at_ms: r.get("started_at_ms")?,
                        ended_at_ms: r.get("ended_at_ms")?,
                        amplitude: r.get("amplitude")?,
                        peak_speed: r.get("peak_speed")?,
                        target_reached: r.get("target_reached")?,
                    })
                })?
                .collect::<rusqlite::Result<Vec<_>>>()?;
            b.attempts = attempts
                .query_map([b.id], |r| {
                    Ok(AttemptRow {
                        id: r.get("id")?,
                        started_at_ms: r.get("started_at_ms")?,
                        ended_at_ms: r.get("ended_at_ms")?,
                        amplitude: r.get("amplitude")?,
                        peak_speed: r.get("peak_speed")?,
                    })
                })?
                .collect::<rusqlite::Result<Vec<_>>>()?;
        }
    }
    let check_ins = conn
        .prepare_cached(
            "SELECT id, session_id, timing, recorded_at_ms, utc_offset_min, pain, spasticity,
                    effort, note
               FROM check_ins
              WHERE profile_id = ?1 AND recorded_at_ms >= ?2 AND recorded_at_ms < ?3
              ORDER BY id",
        )?
        .query_map(params![p.id, w.from_ms, w.to_ms], |r| {
            Ok(CheckInRow {
                id: r.get("id")?,
                session_id: r.get("session_id")?,
                timing: r.get("timing")?,
                recorded_at_ms: r.get("recorded_at_ms")?,
                utc_offset_min: r.get("utc_offset_min")?,
                pain: r.get("pain")?,
                spasticity: r.get("spasticity")?,
                effort: r.get("effort")?,
                note: r.get("note")?,
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    let calibrations = conn
        .prepare_cached(
            "SELECT id, exercise_id, side, recorded_at_ms, rest_noise, full_range, params_json
               FROM calibrations WHERE profile_id = ?1 ORDER BY id",
        )?
        .query_map([p.id], |r| {
            Ok(CalibrationRow {
                id: r.get("id")?,
                exercise_id: r.get("exercise_id")?,
                side: r.get("side")?,
                recorded_at_ms: r.get("recorded_at_ms")?,
                rest_noise: r.get("rest_noise")?,
                full_range: r.get("full_range")?,
                params_json: r.get("params_json")?,
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    let daily_goals = conn
        .prepare_cached(
            "SELECT effective_from, reps, active_minutes, set_at_ms FROM daily_goals
              WHERE profile_id = ?1 ORDER BY effective_from",
        )?
        .query_map([p.id], |r| {
            Ok(GoalRow {
                effective_from: r.get("effective_from")?,
                reps: r.get("reps")?,
                active_minutes: r.get("active_minutes")?,
                set_at_ms: r.get("set_at_ms")?,
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    let schedule = conn
        .prepare_cached("SELECT effective_from, set_at_ms FROM schedules WHERE profile_id = ?1")?
        .query_row([p.id], |r| {
            Ok(ScheduleRow {
                effective_from: r.get("effective_from")?,
                set_at_ms: r.get("set_at_ms")?,
                slots: Vec::new(),
            })
        })
        .optional()?;
    let schedule = match schedule {
        None => None,
        Some(mut s) => {
            s.slots = conn
                .prepare_cached(
                    "SELECT weekday, reminder_minute FROM schedule_slots WHERE profile_id = ?1
                      ORDER BY weekday, reminder_minute",
                )?
                .query_map([p.id], |r| {
                    Ok(SlotRow {
                        weekday: r.get("weekday")?,
                        reminder_minute: r.get("reminder_minute")?,
                    })
                })?
                .collect::<rusqlite::Result<Vec<_>>>()?;
            Some(s)
        }
    };
    Ok(ProfileHistory {
        profile: p,
        sessions,
        check_ins,
        calibrations,
        daily_goals,
        schedule,
    })
}

/// What [`Store::import_histories`] did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Imported {
    /// The new profiles' ids, in order.
    Profiles(Vec<i64>),
    /// Nothing: the history at `index` has a profile that is already stored.
    AlreadyStored {
        /// Position of that history in the import.
        index: usize,
    },
}

/// The UUID a session of a backup is stored with: its own, or for a file older
/// than version 3 the legacy one, derived from the ids in the file (the ids of
/// the database it was written from), so the health records the original phone
/// wrote keep their ids.
fn session_uuid(p: &ProfileRow, s: &SessionRow) -> String {
    s.uuid
        .clone()
        .unwrap_or_else(|| super::legacy_session_uuid(p.id, p.created_at_ms, s.id))
}

fn insert_history(tx: &Transaction<'_>, h: &ProfileHistory) -> Result<i64> {
    let p = &h.profile;
    tx.prepare_cached(
        "INSERT INTO profiles (name, affected_side, time_zone, created_at_ms)
         VALUES (?1, ?2, ?3, ?4)",
    )?
    .execute(params![
        p.name,
        p.affected_side.as_str(),
        p.time_zone,
        p.created_at_ms
    ])?;
    let profile_id = tx.last_insert_rowid();
    let mut session_ids = std::collections::HashMap::new();
    let mut session = tx.prepare_cached(
        "INSERT INTO sessions (profile_id, started_at_ms, utc_offset_min, ended_at_ms, active_ms,
                               status, plan_json, uuid)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
    )?;
    let mut block = tx.prepare_cached(
        "INSERT INTO blocks (session_id, position, exercise_id, side, target_reps, target_range,
                             started_at_ms, ended_at_ms, active_ms)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
    )?;
    for s in &h.sessions {
        session.execute(params![
            profile_id,
            s.started_at_ms,
            s.utc_offset_min,
            s.ended_at_ms,
            s.active_ms,
            s.status,
            s.plan_json,
            session_uuid(p, s)
        ])?;
        let session_id = tx.last_insert_rowid();
        session_ids.insert(s.id, session_id);
        for b in &s.blocks {
            block.execute(params![
                session_id,
                b.position,
                b.exercise_id,
                b.side.as_str(),
                b.target_reps,
                b.target_range,
                b.started_at_ms,
                b.ended_at_ms,
                b.active_ms
            ])?;
            let block_id = tx.last_insert_rowid();
            for r in &b.reps {
                let rep = RepRecord {
                    started_at_ms: r.started_at_ms,
                    ended_at_ms: r.ended_at_ms,
                    amplitude: r.amplitude,
                    peak_speed: r.peak_speed,
                    target_reached: r.target_reached,
                };
                inserted(
                    insert_rep(tx, block_id, &rep, Destination::AnyBlock)?,
                    block_id,
                )?;
            }
            for a in &b.attempts {
                let attempt = AttemptRecord {
                    started_at_ms: a.started_at_ms,
                    ended_at_ms: a.ended_at_ms,
                    amplitude: a.amplitude,
                    peak_speed: a.peak_speed,
                };
                inserted(
                    insert_attempt(tx, block_id, &attempt, Destination::AnyBlock)?,
                    block_id,
                )?;
            }
        }
    }
    let mut check_in = tx.prepare_cached(
        "INSERT INTO check_ins (profile_id, session_id, timing, recorded_at_ms, utc_offset_min,
                                pain, spasticity, effort, note)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
    )?;
    for c in &h.check_ins {
        let session_id = match c.session_id {
            None => None,
            Some(old) => Some(*session_ids.get(&old).ok_or_else(|| {
                super::sessions::invalid("session_id", "a check-in names a session not in the file")
            })?),
        };
        check_in.execute(params![
            profile_id,
            session_id,
            c.timing,
            c.recorded_at_ms,
            c.utc_offset_min,
            c.pain,
            c.spasticity,
            c.effort,
            c.note
        ])?;
    }
    let mut calibration = tx.prepare_cached(
        "INSERT INTO calibrations (profile_id, exercise_id, side, recorded_at_ms, rest_noise,
                                   full_range, params_json)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
    )?;
    for c in &h.calibrations {
        calibration.execute(params![
            profile_id,
            c.exercise_id,
            c.side.as_str(),
            c.recorded_at_ms,
            c.rest_noise,
            c.full_range,
            c.params_json
        ])?;
    }
    let mut goal = tx.prepare_cached(
        "INSERT INTO daily_goals (profile_id, effective_from, reps, active_minutes, set_at_ms)
         VALUES (?1, ?2, ?3, ?4, ?5)",
    )?;
    for g in &h.daily_goals {
        goal.execute(params![
            profile_id,
            g.effective_from,
            g.reps,
            g.active_minutes,
            g.set_at_ms
        ])?;
    }
    if let Some(s) = &h.schedule {
        tx.prepare_cached(
            "INSERT INTO schedules (profile_id, effective_from, set_at_ms) VALUES (?1, ?2, ?3)",
        )?
        .execute(params![profile_id, s.effective_from, s.set_at_ms])?;
        let mut slot = tx.prepare_cached(
            "INSERT INTO schedule_slots (profile_id, weekday, reminder_minute) VALUES (?1, ?2, ?3)",
        )?;
        for x in &s.slots {
            slot.execute(params![profile_id, x.weekday, x.reminder_minute])?;
        }
    }
    Ok(profile_id)
}

impl Store {
    /// Everything stored for one profile (or every profile, oldest first), read
    /// in one snapshot; sessions and check-ins limited to `window`.
    pub fn profile_histories(
        &self,
        profile_id: Option<i64>,
        window: HistoryWindow,
    ) -> Result<Vec<ProfileHistory>> {
        if let Some(id) = profile_id {
            self.profile(id)?; // NotFound for an unknown id
        }
        self.read(|conn| {
            // One read transaction: a consistent snapshot even while reps are written.
            let tx = conn.unchecked_transaction()?;
            let profiles = tx
                .prepare_cached(
                    "SELECT id, name, affected_side, time_zone, created_at_ms FROM profiles
                      WHERE ?1 IS NULL OR id = ?1 ORDER BY id",
                )?
                .query_map([profile_id], |r| {
                    Ok(ProfileRow {
                        id: r.get("id")?,
                        name: r.get("name")?,
                        affected_side: r.get("affected_side")?,
                        time_zone: r.get("time_zone")?,
                        created_at_ms: r.get("created_at_ms")?,
                    })
                })?
                .collect::<rusqlite::Result<Vec<_>>>()?;
            let out = profiles
                .into_iter()
                .map(|p| load_profile(&tx, p, window))
                .collect::<Result<Vec<_>>>()?;
            tx.finish()?;
            Ok(out)
        })
    }

    /// Inserts whole histories as new profiles (every row gets a new id) in ONE
    /// transaction: on any error nothing is written. The caller validates
    /// first; the schema's checks are the second line. Returns the new profile ids,
    /// or, writing nothing, the position of the first history whose profile is
    /// already stored (same name and creation time: the same backup imported twice).
    pub fn import_histories(&self, histories: &[ProfileHistory]) -> Result<Imported> {
        self.write(|tx| {
            let mut present = tx.prepare_cached(
                "SELECT EXISTS (SELECT 1 FROM profiles WHERE name = ?1 AND created_at_ms = ?2)",
            )?;
            let mut session_present =
                tx.prepare_cached("SELECT EXISTS (SELECT 1 FROM sessions WHERE uuid = ?1)")?;
            for (index, h) in histories.iter().enumerate() {
                let p = &h.profile;
                if present.query_row(params![p.name, p.created_at_ms], |r| r.get::<_, bool>(0))? {
                    return Ok(Imported::AlreadyStored { index });
                }
                // A session already here (its profile renamed since): the same data again.
                for s in &h.sessions {
                    let uuid = session_uuid(p, s);
                    if session_present.query_row([uuid], |r| r.get::<_, bool>(0))? {
                        return Ok(Imported::AlreadyStored { index });
                    }
                }
            }
            let ids = histories
                .iter()
                .map(|h| insert_history(tx, h))
                .collect::<Result<_>>()?;
            Ok(Imported::Profiles(ids))
        })
    }
}
