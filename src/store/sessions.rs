//! Practice: sessions, exercise blocks (sets), reps and attempts.
//!
//! The live engine drives one session at a time per profile:
//! [`Store::create_session`] -> [`Store::start_block`] -> [`Store::record_rep`] /
//! [`Store::record_attempt`] (each its own committed transaction: a rep shown is
//! a rep stored) -> [`Store::finish_block`] -> [`Store::finish_session`]. After a
//! crash, [`Store::unfinished_session`] finds the session to resume or
//! [`Store::abandon_session`].

use super::{Result, Store, StoreError};
use crate::model::Side;
use rusqlite::{params, OptionalExtension, Row, Transaction};

/// Where a session stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Enum)]
pub enum SessionStatus {
    /// Under way (or interrupted by a crash and not yet closed).
    Active,
    /// Completed normally.
    Finished,
    /// Stopped early, or closed after a crash.
    Abandoned,
}

impl SessionStatus {
    fn as_str(self) -> &'static str {
        match self {
            SessionStatus::Active => "active",
            SessionStatus::Finished => "finished",
            SessionStatus::Abandoned => "abandoned",
        }
    }

    /// The stored value's status; None for a value this version does not know.
    pub(super) fn parse(s: &str) -> Option<SessionStatus> {
        Some(match s {
            "active" => SessionStatus::Active,
            "finished" => SessionStatus::Finished,
            "abandoned" => SessionStatus::Abandoned,
            _ => return None,
        })
    }
}

/// What the engine supplies to start a session.
#[derive(Debug, Clone, PartialEq)]
pub struct NewSession {
    /// Whose session it is.
    pub profile_id: i64,
    /// Start, UTC milliseconds.
    pub started_at_ms: i64,
    /// The phone's UTC offset at the start, minutes (decides the local day).
    pub utc_offset_min: i32,
    /// The plan the session follows, as JSON (opaque to the store).
    pub plan_json: String,
}

/// A stored session with its counters. Exported as `ffi::Session`, without
/// its plan JSON (a storage detail).
#[derive(Debug, Clone, PartialEq)]
pub struct Session {
    /// Database id.
    pub id: i64,
    /// Whose session it is.
    pub profile_id: i64,
    /// Start, UTC milliseconds.
    pub started_at_ms: i64,
    /// UTC offset at the start, minutes.
    pub utc_offset_min: i32,
    /// End, UTC milliseconds (None while active).
    pub ended_at_ms: Option<i64>,
    /// Time spent moving, milliseconds.
    pub active_ms: i64,
    /// Where the session stands.
    pub status: SessionStatus,
    /// The plan, as JSON.
    pub plan_json: String,
    /// Reps counted.
    pub reps: u32,
    /// Attempts that did not count as a rep.
    pub attempts: u32,
    /// Stable identifier, kept by backups: the health store's record id comes from it.
    pub uuid: String,
}

/// How a session ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SessionEnd {
    /// End, UTC milliseconds.
    pub ended_at_ms: i64,
    /// Time spent moving, milliseconds.
    pub active_ms: i64,
    /// `Finished` or `Abandoned`.
    pub status: SessionStatus,
}

/// What the engine supplies to start an exercise block (a set).
#[derive(Debug, Clone, PartialEq)]
pub struct NewBlock {
    /// Catalog id of the exercise, e.g. "wrist_flexion".
    pub exercise_id: String,
    /// The side being exercised.
    pub side: Side,
    /// Reps to aim for.
    pub target_reps: Option<u32>,
    /// Amplitude that counts as reaching the target range.
    pub target_range: Option<f64>,
    /// Start, UTC milliseconds.
    pub started_at_ms: i64,
}

/// A stored block with its counters.
#[derive(Debug, Clone, PartialEq)]
pub struct Block {
    /// Database id.
    pub id: i64,
    /// The session it belongs to.
    pub session_id: i64,
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
    /// Reps counted.
    pub reps: u32,
    /// Reps that reached the target range.
    pub reps_reached: u32,
    /// Attempts.
    pub attempts: u32,
    /// Mean amplitude of the reps.
    pub mean_range: Option<f64>,
}

/// One counted repetition, as the counter reports it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RepRecord {
    /// Start of the movement, UTC milliseconds.
    pub started_at_ms: i64,
    /// End of the movement, UTC milliseconds.
    pub ended_at_ms: i64,
    /// Amplitude (range of motion proxy), in the exercise's unit, >= 0.
    pub amplitude: f64,
    /// Peak speed, in the exercise's unit per second, >= 0.
    pub peak_speed: f64,
    /// Whether the rep reached the target range (full rather than partial).
    pub target_reached: bool,
}

/// A movement that started like a rep but did not count.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct AttemptRecord {
    /// Start, UTC milliseconds.
    pub started_at_ms: i64,
    /// End, UTC milliseconds.
    pub ended_at_ms: i64,
    /// Amplitude reached, >= 0.
    pub amplitude: f64,
    /// Peak speed, >= 0.
    pub peak_speed: f64,
}

/// A stored rep.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Rep {
    /// Database id.
    pub id: i64,
    /// The block it belongs to.
    pub block_id: i64,
    /// What was recorded.
    pub record: RepRecord,
}

impl Rep {
    /// How long the movement took, milliseconds.
    pub fn duration_ms(&self) -> i64 {
        self.record.ended_at_ms - self.record.started_at_ms
    }
}

/// A whole session recorded at once (imports, demos, tests); the live engine
/// uses the step-by-step calls instead.
#[derive(Debug, Clone, PartialEq)]
pub struct CompletedSession {
    /// Whose session it is.
    pub profile_id: i64,
    /// Start, UTC milliseconds.
    pub started_at_ms: i64,
    /// UTC offset at the start, minutes.
    pub utc_offset_min: i32,
    /// End, UTC milliseconds.
    pub ended_at_ms: i64,
    /// Time spent moving, milliseconds.
    pub active_ms: i64,
    /// The plan, as JSON ("{}" if none).
    pub plan_json: String,
    /// The blocks, in order.
    pub blocks: Vec<CompletedBlock>,
}

/// One block of a [`CompletedSession`].
#[derive(Debug, Clone, PartialEq)]
pub struct CompletedBlock {
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
    /// End, UTC milliseconds.
    pub ended_at_ms: i64,
    /// Time spent moving, milliseconds.
    pub active_ms: i64,
    /// The reps, in order.
    pub reps: Vec<RepRecord>,
    /// The attempts, in order.
    pub attempts: Vec<AttemptRecord>,
}

pub(super) fn invalid(field: &'static str, reason: impl Into<String>) -> StoreError {
    StoreError::Invalid {
        field,
        reason: reason.into(),
    }
}

pub(super) fn check_offset(utc_offset_min: i32) -> Result<()> {
    if utc_offset_min.abs() > 18 * 60 {
        return Err(invalid(
            "utc_offset_min",
            "a UTC offset is within ±18 hours",
        ));
    }
    Ok(())
}

fn check_movement(started: i64, ended: i64, amplitude: f64, peak_speed: f64) -> Result<()> {
    if ended < started {
        return Err(invalid("ended_at_ms", "a movement ends after it starts"));
    }
    if !(amplitude.is_finite() && amplitude >= 0.0) {
        return Err(invalid("amplitude", "must be a finite number >= 0"));
    }
    if !(peak_speed.is_finite() && peak_speed >= 0.0) {
        return Err(invalid("peak_speed", "must be a finite number >= 0"));
    }
    Ok(())
}

fn check_end(started: i64, ended: i64, active_ms: i64) -> Result<()> {
    if ended < started {
        return Err(invalid("ended_at_ms", "the end is before the start"));
    }
    if active_ms < 0 {
        return Err(invalid("active_ms", "must be >= 0"));
    }
    Ok(())
}

impl RepRecord {
    fn validate(&self) -> Result<()> {
        check_movement(
            self.started_at_ms,
            self.ended_at_ms,
            self.amplitude,
            self.peak_speed,
        )
    }
}

impl AttemptRecord {
    fn validate(&self) -> Result<()> {
        check_movement(
            self.started_at_ms,
            self.ended_at_ms,
            self.amplitude,
            self.peak_speed,
        )
    }
}

impl NewBlock {
    fn validate(&self) -> Result<()> {
        let len = self.exercise_id.chars().count();
        if len == 0 || len > 100 {
            return Err(invalid("exercise_id", "needs 1 to 100 characters"));
        }
        if self.target_reps == Some(0) {
            return Err(invalid("target_reps", "must be > 0"));
        }
        if let Some(r) = self.target_range {
            if !(r.is_finite() && r > 0.0) {
                return Err(invalid("target_range", "must be a finite number > 0"));
            }
        }
        Ok(())
    }
}

pub(super) const SESSION_COLUMNS: &str =
    "id, profile_id, started_at_ms, utc_offset_min, ended_at_ms, \
                               active_ms, status, plan_json, rep_count, attempt_count, uuid";

pub(super) fn session_from_row(row: &Row<'_>) -> rusqlite::Result<Session> {
    Ok(Session {
        id: row.get("id")?,
        profile_id: row.get("profile_id")?,
        started_at_ms: row.get("started_at_ms")?,
        utc_offset_min: row.get("utc_offset_min")?,
        ended_at_ms: row.get("ended_at_ms")?,
        active_ms: row.get("active_ms")?,
        status: row.get("status")?,
        plan_json: row.get("plan_json")?,
        reps: row.get("rep_count")?,
        attempts: row.get("attempt_count")?,
        uuid: row.get::<_, Option<String>>("uuid")?.unwrap_or_default(),
    })
}

pub(super) const BLOCK_COLUMNS: &str = "id, session_id, position, exercise_id, side, target_reps, \
    target_range, started_at_ms, ended_at_ms, active_ms, rep_count, reached_count, \
    attempt_count, amplitude_sum";

pub(super) fn block_from_row(row: &Row<'_>) -> rusqlite::Result<Block> {
    let reps: u32 = row.get("rep_count")?;
    let amplitude_sum: f64 = row.get("amplitude_sum")?;
    Ok(Block {
        id: row.get("id")?,
        session_id: row.get("session_id")?,
        position: row.get("position")?,
        exercise_id: row.get("exercise_id")?,
        side: row.get("side")?,
        target_reps: row.get("target_reps")?,
        target_range: row.get("target_range")?,
        started_at_ms: row.get("started_at_ms")?,
        ended_at_ms: row.get("ended_at_ms")?,
        active_ms: row.get("active_ms")?,
        reps,
        reps_reached: row.get("reached_count")?,
        attempts: row.get("attempt_count")?,
        mean_range: (reps > 0).then(|| amplitude_sum / f64::from(reps)),
    })
}

fn not_found(what: &'static str, id: i64) -> impl FnOnce(rusqlite::Error) -> StoreError {
    move |e| match e {
        rusqlite::Error::QueryReturnedNoRows => StoreError::NotFound { what, id },
        e => e.into(),
    }
}

pub(super) fn ensure_profile(tx: &Transaction<'_>, profile_id: i64) -> Result<()> {
    tx.prepare_cached("SELECT 1 FROM profiles WHERE id = ?1")?
        .query_row([profile_id], |_| Ok(()))
        .map_err(not_found("profile", profile_id))
}

fn session_in(conn: &rusqlite::Connection, id: i64) -> Result<Session> {
    conn.prepare_cached(&format!(
        "SELECT {SESSION_COLUMNS} FROM sessions WHERE id = ?1"
    ))?
    .query_row([id], session_from_row)
    .map_err(not_found("session", id))
}

/// Why a rep or attempt could not be added to `block_id`.
fn closed_block_error(tx: &Transaction<'_>, block_id: i64) -> StoreError {
    let state = tx
        .query_row(
            "SELECT b.ended_at_ms IS NOT NULL, s.status FROM blocks b
             JOIN sessions s ON s.id = b.session_id WHERE b.id = ?1",
            [block_id],
            |r| Ok((r.get::<_, bool>(0)?, r.get::<_, String>(1)?)),
        )
        .optional();
    match state {
        Ok(None) => StoreError::NotFound {
            what: "block",
            id: block_id,
        },
        Ok(Some((true, _))) => StoreError::State(format!("block {block_id} is finished")),
        Ok(Some((false, status))) => {
            StoreError::State(format!("the session of block {block_id} is {status}"))
        }
        Err(e) => e.into(),
    }
}

fn insert_session(
    tx: &Transaction<'_>,
    new: &NewSession,
    status: SessionStatus,
    end: Option<(i64, i64)>,
) -> Result<i64> {
    tx.prepare_cached(
        "INSERT INTO sessions (profile_id, started_at_ms, utc_offset_min, plan_json, status,
                               ended_at_ms, active_ms, uuid)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
    )?
    .execute(params![
        new.profile_id,
        new.started_at_ms,
        new.utc_offset_min,
        new.plan_json,
        status.as_str(),
        end.map(|e| e.0),
        end.map_or(0, |e| e.1),
        super::ids::random_uuid(tx)?,
    ])?;
    Ok(tx.last_insert_rowid())
}

fn insert_block(tx: &Transaction<'_>, session_id: i64, block: &NewBlock) -> Result<i64> {
    tx.prepare_cached(
        "INSERT INTO blocks (session_id, position, exercise_id, side, target_reps,
                             target_range, started_at_ms)
         VALUES (?1, (SELECT coalesce(max(position), 0) + 1 FROM blocks WHERE session_id = ?1),
                 ?2, ?3, ?4, ?5, ?6)",
    )?
    .execute(params![
        session_id,
        block.exercise_id,
        block.side.as_str(),
        block.target_reps,
        block.target_range,
        block.started_at_ms,
    ])?;
    Ok(tx.last_insert_rowid())
}

/// Which blocks a rep or attempt may go into.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Destination {
    /// Only a block still open in an active session (the live path).
    OpenBlock,
    /// Any existing block (a completed session or an import, written whole).
    AnyBlock,
}

/// The one INSERT of a rep: into `block_id` if `into` allows it; Ok(None) otherwise.
pub(super) fn insert_rep(
    tx: &Transaction<'_>,
    block_id: i64,
    rep: &RepRecord,
    into: Destination,
) -> Result<Option<i64>> {
    let n = tx
        .prepare_cached(
            "INSERT INTO reps (block_id, started_at_ms, ended_at_ms, amplitude, peak_speed,
                               target_reached)
             SELECT b.id, ?2, ?3, ?4, ?5, ?6 FROM blocks b JOIN sessions s ON s.id = b.session_id
              WHERE b.id = ?1 AND (?7 OR (b.ended_at_ms IS NULL AND s.status = 'active'))",
        )?
        .execute(params![
            block_id,
            rep.started_at_ms,
            rep.ended_at_ms,
            rep.amplitude,
            rep.peak_speed,
            rep.target_reached,
            into == Destination::AnyBlock,
        ])?;
    Ok((n == 1).then(|| tx.last_insert_rowid()))
}

/// The one INSERT of an attempt: into `block_id` if `into` allows it; Ok(None) otherwise.
pub(super) fn insert_attempt(
    tx: &Transaction<'_>,
    block_id: i64,
    a: &AttemptRecord,
    into: Destination,
) -> Result<Option<i64>> {
    let n = tx
        .prepare_cached(
            "INSERT INTO attempts (block_id, started_at_ms, ended_at_ms, amplitude, peak_speed)
             SELECT b.id, ?2, ?3, ?4, ?5 FROM blocks b JOIN sessions s ON s.id = b.session_id
              WHERE b.id = ?1 AND (?6 OR (b.ended_at_ms IS NULL AND s.status = 'active'))",
        )?
        .execute(params![
            block_id,
            a.started_at_ms,
            a.ended_at_ms,
            a.amplitude,
            a.peak_speed,
            into == Destination::AnyBlock,
        ])?;
    Ok((n == 1).then(|| tx.last_insert_rowid()))
}

/// [`insert_rep`]/[`insert_attempt`] into a block the caller just wrote: it exists.
pub(super) fn inserted(id: Option<i64>, block_id: i64) -> Result<i64> {
    id.ok_or(StoreError::NotFound {
        what: "block",
        id: block_id,
    })
}

fn close_block(
    tx: &Transaction<'_>,
    block_id: i64,
    ended_at_ms: i64,
    active_ms: i64,
) -> Result<()> {
    tx.prepare_cached("UPDATE blocks SET ended_at_ms = ?2, active_ms = ?3 WHERE id = ?1")?
        .execute(params![block_id, ended_at_ms, active_ms])?;
    Ok(())
}

impl Store {
    /// Starts a session. A profile has at most one active session: close the
    /// previous one first (see [`Store::unfinished_session`]).
    ///
    /// The store takes the profile's session claim (see [`Store::claim_session`])
    /// and keeps it until the session ends: while it lives, another process or
    /// store gets [`StoreError::SessionLive`] instead of taking it over.
    pub fn create_session(&self, new: &NewSession) -> Result<Session> {
        check_offset(new.utc_offset_min)?;
        let newly = self.claims.take(&self.path, new.profile_id)?;
        let created = self.write(|tx| {
            ensure_profile(tx, new.profile_id)?;
            let active: Option<i64> = tx
                .prepare_cached(
                    "SELECT id FROM sessions WHERE profile_id = ?1 AND status = 'active'",
                )?
                .query_row([new.profile_id], |r| r.get(0))
                .optional()?;
            if let Some(id) = active {
                return Err(StoreError::State(format!(
                    "session {id} of this profile is still active; finish or abandon it first"
                )));
            }
            let id = insert_session(tx, new, SessionStatus::Active, None)?;
            session_in(tx, id)
        });
        if created.is_err() && newly {
            self.claims.release(new.profile_id);
        }
        created
    }

    /// Takes the claim on an active session's profile before resuming it (after a
    /// crash or app kill): [`StoreError::SessionLive`] if another process or store
    /// is still driving it. Ending the session gives the claim up.
    pub fn claim_session(&self, session_id: i64) -> Result<Session> {
        let session = self.session(session_id)?;
        if session.status != SessionStatus::Active {
            return Err(StoreError::State(format!("session {session_id} is over")));
        }
        self.claims.take(&self.path, session.profile_id)?;
        Ok(session)
    }

    /// One session by id.
    pub fn session(&self, id: i64) -> Result<Session> {
        self.read(|conn| session_in(conn, id))
    }

    /// The profile's active session, if any: after a crash, resume it or
    /// [`Store::abandon_session`] it.
    pub fn unfinished_session(&self, profile_id: i64) -> Result<Option<Session>> {
        self.read(|conn| {
            Ok(conn
                .prepare_cached(&format!(
                    "SELECT {SESSION_COLUMNS} FROM sessions
                      WHERE profile_id = ?1 AND status = 'active'"
                ))?
                .query_row([profile_id], session_from_row)
                .optional()?)
        })
    }

    /// Starts the next block of an active session; returns the block id.
    pub fn start_block(&self, session_id: i64, block: &NewBlock) -> Result<i64> {
        block.validate()?;
        self.write(|tx| {
            let session = session_in(tx, session_id)?;
            if session.status != SessionStatus::Active {
                return Err(StoreError::State(format!("session {session_id} is over")));
            }
            insert_block(tx, session_id, block)
        })
    }

    /// Stores one rep in its own committed transaction; returns the rep id.
    /// When this returns, the rep survives an app kill; see
    /// [`Durability`](super::Durability) for power loss.
    pub fn record_rep(&self, block_id: i64, rep: &RepRecord) -> Result<i64> {
        rep.validate()?;
        self.write_rep(
            |tx| match insert_rep(tx, block_id, rep, Destination::OpenBlock)? {
                Some(id) => Ok(id),
                None => Err(closed_block_error(tx, block_id)),
            },
        )
    }

    /// Stores one attempt (a movement that did not count) in its own transaction.
    pub fn record_attempt(&self, block_id: i64, attempt: &AttemptRecord) -> Result<i64> {
        attempt.validate()?;
        self.write_rep(
            |tx| match insert_attempt(tx, block_id, attempt, Destination::OpenBlock)? {
                Some(id) => Ok(id),
                None => Err(closed_block_error(tx, block_id)),
            },
        )
    }

    /// Closes a block; no reps can be added to it afterwards.
    pub fn finish_block(&self, block_id: i64, ended_at_ms: i64, active_ms: i64) -> Result<Block> {
        self.write(|tx| {
            let block = self::block_in(tx, block_id)?;
            if block.ended_at_ms.is_some() {
                return Err(StoreError::State(format!("block {block_id} is finished")));
            }
            check_end(block.started_at_ms, ended_at_ms, active_ms)?;
            close_block(tx, block_id, ended_at_ms, active_ms)?;
            block_in(tx, block_id)
        })
    }

    /// Ends an active session as `Finished` or `Abandoned`, closing any open block.
    pub fn finish_session(&self, session_id: i64, end: &SessionEnd) -> Result<Session> {
        if end.status == SessionStatus::Active {
            return Err(invalid("status", "a session ends as finished or abandoned"));
        }
        let ended = self.write(|tx| {
            let session = session_in(tx, session_id)?;
            if session.status != SessionStatus::Active {
                return Err(StoreError::State(format!("session {session_id} is over")));
            }
            check_end(session.started_at_ms, end.ended_at_ms, end.active_ms)?;
            tx.execute(
                "UPDATE blocks SET ended_at_ms = max(?2, started_at_ms)
                  WHERE session_id = ?1 AND ended_at_ms IS NULL",
                params![session_id, end.ended_at_ms],
            )?;
            tx.execute(
                "UPDATE sessions SET ended_at_ms = ?2, active_ms = ?3, status = ?4 WHERE id = ?1",
                params![
                    session_id,
                    end.ended_at_ms,
                    end.active_ms,
                    end.status.as_str()
                ],
            )?;
            session_in(tx, session_id)
        })?;
        self.claims.release(ended.profile_id);
        Ok(ended)
    }

    /// Closes a session a crash left active, as `Abandoned`, from what was
    /// stored: an open block ends at its last movement, and the session's active
    /// time is the sum of its blocks'. A session another process or store is
    /// still driving is refused with [`StoreError::SessionLive`].
    pub fn abandon_session(&self, session_id: i64) -> Result<Session> {
        let profile_id = self.session(session_id)?.profile_id;
        let newly = self.claims.take(&self.path, profile_id)?;
        let abandoned = self.write(|tx| {
            let session = session_in(tx, session_id)?;
            if session.status != SessionStatus::Active {
                return Err(StoreError::State(format!("session {session_id} is over")));
            }
            tx.execute(
                "UPDATE blocks SET
                    ended_at_ms = max(started_at_ms, coalesce(
                        (SELECT max(ended_at_ms) FROM reps WHERE block_id = blocks.id),
                        started_at_ms),
                        coalesce((SELECT max(ended_at_ms) FROM attempts WHERE block_id = blocks.id),
                        started_at_ms)),
                    active_ms = 0
                  WHERE session_id = ?1 AND ended_at_ms IS NULL",
                [session_id],
            )?;
            // An interrupted block's active time: from its start to its last movement.
            tx.execute(
                "UPDATE blocks SET active_ms = ended_at_ms - started_at_ms
                  WHERE session_id = ?1 AND active_ms = 0",
                [session_id],
            )?;
            tx.execute(
                "UPDATE sessions SET status = 'abandoned',
                    active_ms = (SELECT coalesce(sum(active_ms), 0) FROM blocks WHERE session_id = ?1),
                    ended_at_ms = max(started_at_ms, coalesce(
                        (SELECT max(ended_at_ms) FROM blocks WHERE session_id = ?1), started_at_ms))
                  WHERE id = ?1",
                [session_id],
            )?;
            session_in(tx, session_id)
        });
        if abandoned.is_ok() || newly {
            self.claims.release(profile_id);
        }
        abandoned
    }

    /// Stores a whole finished session in one transaction.
    pub fn store_completed_session(&self, s: &CompletedSession) -> Result<Session> {
        check_offset(s.utc_offset_min)?;
        check_end(s.started_at_ms, s.ended_at_ms, s.active_ms)?;
        for b in &s.blocks {
            check_end(b.started_at_ms, b.ended_at_ms, b.active_ms)?;
            for r in &b.reps {
                r.validate()?;
            }
            for a in &b.attempts {
                a.validate()?;
            }
        }
        let blocks: Vec<NewBlock> = s
            .blocks
            .iter()
            .map(|b| NewBlock {
                exercise_id: b.exercise_id.clone(),
                side: b.side,
                target_reps: b.target_reps,
                target_range: b.target_range,
                started_at_ms: b.started_at_ms,
            })
            .collect();
        for b in &blocks {
            b.validate()?;
        }
        self.write(|tx| {
            ensure_profile(tx, s.profile_id)?;
            let new = NewSession {
                profile_id: s.profile_id,
                started_at_ms: s.started_at_ms,
                utc_offset_min: s.utc_offset_min,
                plan_json: s.plan_json.clone(),
            };
            let end = Some((s.ended_at_ms, s.active_ms));
            let session_id = insert_session(tx, &new, SessionStatus::Finished, end)?;
            for (b, new_block) in s.blocks.iter().zip(&blocks) {
                let block_id = insert_block(tx, session_id, new_block)?;
                close_block(tx, block_id, b.ended_at_ms, b.active_ms)?;
                for r in &b.reps {
                    inserted(
                        insert_rep(tx, block_id, r, Destination::AnyBlock)?,
                        block_id,
                    )?;
                }
                for a in &b.attempts {
                    inserted(
                        insert_attempt(tx, block_id, a, Destination::AnyBlock)?,
                        block_id,
                    )?;
                }
            }
            session_in(tx, session_id)
        })
    }

    /// The blocks of a session, in order.
    pub fn blocks(&self, session_id: i64) -> Result<Vec<Block>> {
        self.read(|conn| {
            let mut stmt = conn.prepare_cached(&format!(
                "SELECT {BLOCK_COLUMNS} FROM blocks WHERE session_id = ?1 ORDER BY position"
            ))?;
            let rows = stmt.query_map([session_id], block_from_row)?;
            Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
        })
    }

    /// The reps of a block, in order.
    pub fn reps(&self, block_id: i64) -> Result<Vec<Rep>> {
        self.read(|conn| {
            let mut stmt = conn.prepare_cached(
                "SELECT id, block_id, started_at_ms, ended_at_ms, amplitude, peak_speed,
                        target_reached
                   FROM reps WHERE block_id = ?1 ORDER BY id",
            )?;
            let rows = stmt.query_map([block_id], |r| {
                Ok(Rep {
                    id: r.get("id")?,
                    block_id: r.get("block_id")?,
                    record: RepRecord {
                        started_at_ms: r.get("started_at_ms")?,
                        ended_at_ms: r.get("ended_at_ms")?,
                        amplitude: r.get("amplitude")?,
                        peak_speed: r.get("peak_speed")?,
                        target_reached: r.get("target_reached")?,
                    },
                })
            })?;
            Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
        })
    }
}

fn block_in(conn: &rusqlite::Connection, id: i64) -> Result<Block> {
    conn.prepare_cached(&format!("SELECT {BLOCK_COLUMNS} FROM blocks WHERE id = ?1"))?
        .query_row([id], block_from_row)
        .map_err(not_found("block", id))
}
