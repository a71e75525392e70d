//! Check-ins: pain, stiffness and effort, before or after a session or on their own.

use super::sessions::{check_offset, ensure_profile, invalid};
use super::{Result, Store, StoreError};
use crate::model::{CheckInFact, Spasticity};
use rusqlite::{params, OptionalExtension, Row};

/// When a check-in was taken.
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Enum)]
pub enum CheckInTiming {
    /// Just before a session.
    BeforeSession {
        /// The session.
        session_id: i64,
    },
    /// Just after a session.
    AfterSession {
        /// The session.
        session_id: i64,
    },
    /// On its own, not tied to a session.
    Standalone,
}

impl CheckInTiming {
    fn parts(self) -> (&'static str, Option<i64>) {
        match self {
            CheckInTiming::BeforeSession { session_id } => ("before", Some(session_id)),
            CheckInTiming::AfterSession { session_id } => ("after", Some(session_id)),
            CheckInTiming::Standalone => ("standalone", None),
        }
    }

    fn from_parts(timing: &str, session_id: Option<i64>) -> CheckInTiming {
        match (timing, session_id) {
            ("before", Some(session_id)) => CheckInTiming::BeforeSession { session_id },
            ("after", Some(session_id)) => CheckInTiming::AfterSession { session_id },
            _ => CheckInTiming::Standalone,
        }
    }
}

/// What the person reports in a check-in.
#[derive(Debug, Clone, PartialEq)]
pub struct NewCheckIn {
    /// Whose check-in it is.
    pub profile_id: i64,
    /// Before or after a session, or on its own.
    pub timing: CheckInTiming,
    /// When, UTC milliseconds.
    pub recorded_at_ms: i64,
    /// The phone's UTC offset at that moment, minutes.
    pub utc_offset_min: i32,
    /// Pain on the 0-10 numeric rating scale.
    pub pain: Option<u8>,
    /// Stiffness of the affected limb, Modified Ashworth grade.
    pub spasticity: Option<Spasticity>,
    /// Perceived effort, 0-10 (Borg CR10).
    pub effort: Option<u8>,
    /// Free note (up to 2,000 characters; may be empty).
    pub note: String,
}

/// A stored check-in.
#[derive(Debug, Clone, PartialEq)]
pub struct CheckIn {
    /// Database id.
    pub id: i64,
    /// What was reported.
    pub values: NewCheckIn,
}

impl NewCheckIn {
    fn validate(&self) -> Result<()> {
        check_offset(self.utc_offset_min)?;
        if self.pain.is_some_and(|p| p > 10) {
            return Err(invalid("pain", "pain is rated 0 to 10"));
        }
        if self.effort.is_some_and(|e| e > 10) {
            return Err(invalid("effort", "effort is rated 0 to 10"));
        }
        if self.note.chars().count() > 2000 {
            return Err(invalid("note", "a note holds at most 2,000 characters"));
        }
        if self.pain.is_none()
            && self.spasticity.is_none()
            && self.effort.is_none()
            && self.note.trim().is_empty()
        {
            return Err(invalid("check_in", "a check-in needs at least one value"));
        }
        Ok(())
    }
}

const COLUMNS: &str = "id, profile_id, timing, session_id, recorded_at_ms, utc_offset_min, \
                       pain, spasticity, effort, note";

fn from_row(row: &Row<'_>) -> rusqlite::Result<CheckIn> {
    let timing: String = row.get("timing")?;
    Ok(CheckIn {
        id: row.get("id")?,
        values: NewCheckIn {
            profile_id: row.get("profile_id")?,
            timing: CheckInTiming::from_parts(&timing, row.get("session_id")?),
            recorded_at_ms: row.get("recorded_at_ms")?,
            utc_offset_min: row.get("utc_offset_min")?,
            pain: row.get("pain")?,
            spasticity: row.get("spasticity")?,
            effort: row.get("effort")?,
            note: row.get("note")?,
        },
    })
}

impl Store {
    /// Records a check-in; one tied to a session must name a session of the same profile.
    pub fn record_check_in(&self, new: &NewCheckIn) -> Result<CheckIn> {
        new.validate()?;
        let (timing, session_id) = new.timing.parts();
        self.write(|tx| {
            ensure_profile(tx, new.profile_id)?;
            if let Some(session_id) = session_id {
                let owner: Option<i64> = tx
                    .prepare_cached("SELECT profile_id FROM sessions WHERE id = ?1")?
                    .query_row([session_id], |r| r.get(0))
                    .optional()?;
                match owner {
                    None => {
                        return Err(StoreError::NotFound {
                            what: "session",
                            id: session_id,
                        })
                    }
                    Some(p) if p != new.profile_id => {
                        return Err(invalid("session_id", "the session is another profile's"))
                    }
                    Some(_) => {}
                }
            }
            tx.prepare_cached(
                "INSERT INTO check_ins (profile_id, timing, session_id, recorded_at_ms,
                                        utc_offset_min, pain, spasticity, effort, note)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
            )?
            .execute(params![
                new.profile_id,
                timing,
                session_id,
                new.recorded_at_ms,
                new.utc_offset_min,
                new.pain,
                new.spasticity.map(Spasticity::as_str),
                new.effort,
                new.note,
            ])?;
            Ok(CheckIn {
                id: tx.last_insert_rowid(),
                values: new.clone(),
            })
        })
    }

    /// A profile's check-ins recorded in `[from_ms, to_ms)`, oldest first.
    pub fn check_ins(&self, profile_id: i64, from_ms: i64, to_ms: i64) -> Result<Vec<CheckIn>> {
        self.read(|conn| {
            let mut stmt = conn.prepare_cached(&format!(
                "SELECT {COLUMNS} FROM check_ins
                  WHERE profile_id = ?1 AND recorded_at_ms >= ?2 AND recorded_at_ms < ?3
                  ORDER BY recorded_at_ms, id"
            ))?;
            let rows = stmt.query_map(params![profile_id, from_ms, to_ms], from_row)?;
            Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
        })
    }

    /// The check-ins of one session (before and after), oldest first.
    pub fn session_check_ins(&self, session_id: i64) -> Result<Vec<CheckIn>> {
        self.read(|conn| {
            let mut stmt = conn.prepare_cached(&format!(
                "SELECT {COLUMNS} FROM check_ins WHERE session_id = ?1 ORDER BY recorded_at_ms, id"
            ))?;
            let rows = stmt.query_map([session_id], from_row)?;
            Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
        })
    }

    /// Check-ins in `[from_ms, to_ms)` as progress needs them.
    pub fn check_in_facts(
        &self,
        profile_id: i64,
        from_ms: i64,
        to_ms: i64,
    ) -> Result<Vec<CheckInFact>> {
        self.read(|conn| {
            let mut stmt = conn.prepare_cached(
                "SELECT recorded_at_ms, utc_offset_min, pain, spasticity, effort FROM check_ins
                  WHERE profile_id = ?1 AND recorded_at_ms >= ?2 AND recorded_at_ms < ?3",
            )?;
            let rows = stmt.query_map(params![profile_id, from_ms, to_ms], |r| {
                Ok(CheckInFact {
                    recorded_at_ms: r.get("recorded_at_ms")?,
                    utc_offset_min: r.get("utc_offset_min")?,
                    pain: r.get("pain")?,
                    spasticity: r.get("spasticity")?,
                    effort: r.get("effort")?,
                })
            })?;
            Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
        })
    }
}
