//! The schema: the current version's DDL and one upgrade step per earlier version.
//!
//! To change the schema: bump [`VERSION`], add the new DDL as its own constant,
//! make [`create`] run it after the earlier ones, add an `upgrade_from` arm for
//! the previous version, and add a snapshot of the previous schema under
//! `tests/fixtures/schema_vN.sql` with a migration test (`tests/migrations.rs`).

use super::{Result, StoreError};
use rusqlite::Transaction;

/// The schema version this code writes (`PRAGMA user_version`).
pub const VERSION: u32 = 3;

/// Version 1: profiles. Kept exactly as shipped; `tests/fixtures/schema_v1.sql`
/// is its snapshot.
const V1_PROFILES: &str = "
CREATE TABLE profiles (
    id              INTEGER PRIMARY KEY,
    name            TEXT    NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    affected_side   TEXT    NOT NULL CHECK (affected_side IN ('left', 'right', 'both', 'none')),
    time_zone       TEXT    NOT NULL,
    created_at_ms   INTEGER NOT NULL
);
";

/// Version 2: practice (sessions, blocks, reps, attempts), calibrations,
/// check-ins, goals and the weekly schedule.
///
/// Times are UTC milliseconds; `utc_offset_min` is the offset the shell reported
/// at that moment, from which local days are computed. Reps and attempts are
/// append-only; triggers keep per-block and per-session counters, so progress
/// screens never scan the reps table.
const V2_PRACTICE: &str = "
CREATE TABLE sessions (
    id              INTEGER PRIMARY KEY,
    profile_id      INTEGER NOT NULL REFERENCES profiles (id) ON DELETE CASCADE,
    started_at_ms   INTEGER NOT NULL,
    utc_offset_min  INTEGER NOT NULL CHECK (utc_offset_min BETWEEN -1080 AND 1080),
    ended_at_ms     INTEGER CHECK (ended_at_ms IS NULL OR ended_at_ms >= started_at_ms),
    active_ms       INTEGER NOT NULL DEFAULT 0 CHECK (active_ms >= 0),
    status          TEXT    NOT NULL DEFAULT 'active'
                            CHECK (status IN ('active', 'finished', 'abandoned')),
    plan_json       TEXT    NOT NULL DEFAULT '{}',
    rep_count       INTEGER NOT NULL DEFAULT 0,
    attempt_count   INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX sessions_by_profile_time ON sessions (profile_id, started_at_ms);
CREATE UNIQUE INDEX sessions_one_active_per_profile ON sessions (profile_id)
    WHERE status = 'active';

CREATE TABLE blocks (
    id              INTEGER PRIMARY KEY,
    session_id      INTEGER NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
    position        INTEGER NOT NULL,
    exercise_id     TEXT    NOT NULL CHECK (length(exercise_id) BETWEEN 1 AND 100),
    side            TEXT    NOT NULL CHECK (side IN ('left', 'right', 'both', 'none')),
    target_reps     INTEGER CHECK (target_reps IS NULL OR target_reps > 0),
    target_range    REAL    CHECK (target_range IS NULL OR target_range > 0),
    started_at_ms   INTEGER NOT NULL,
    ended_at_ms     INTEGER CHECK (ended_at_ms IS NULL OR ended_at_ms >= started_at_ms),
    active_ms       INTEGER NOT NULL DEFAULT 0 CHECK (active_ms >= 0),
    rep_count       INTEGER NOT NULL DEFAULT 0,
    reached_count   INTEGER NOT NULL DEFAULT 0,
    attempt_count   INTEGER NOT NULL DEFAULT 0,
    amplitude_sum   REAL    NOT NULL DEFAULT 0,
    amplitude_max   REAL    NOT NULL DEFAULT 0,
    UNIQUE (session_id, position)
);

CREATE TABLE reps (
    id              INTEGER PRIMARY KEY,
    block_id        INTEGER NOT NULL REFERENCES blocks (id) ON DELETE CASCADE,
    started_at_ms   INTEGER NOT NULL,
    ended_at_ms     INTEGER NOT NULL CHECK (ended_at_ms >= started_at_ms),
    amplitude       REAL    NOT NULL CHECK (amplitude >= 0),
    peak_speed      REAL    NOT NULL CHECK (peak_speed >= 0),
    target_reached  INTEGER NOT NULL CHECK (target_reached IN (0, 1))
);
CREATE INDEX reps_by_block ON reps (block_id);

CREATE TABLE attempts (
    id              INTEGER PRIMARY KEY,
    block_id        INTEGER NOT NULL REFERENCES blocks (id) ON DELETE CASCADE,
    started_at_ms   INTEGER NOT NULL,
    ended_at_ms     INTEGER NOT NULL CHECK (ended_at_ms >= started_at_ms),
    amplitude       REAL    NOT NULL CHECK (amplitude >= 0),
    peak_speed      REAL    NOT NULL CHECK (peak_speed >= 0)
);
CREATE INDEX attempts_by_block ON attempts (block_id);

CREATE TRIGGER reps_counted AFTER INSERT ON reps BEGIN
    UPDATE blocks SET rep_count = rep_count + 1,
                      reached_count = reached_count + NEW.target_reached,
                      amplitude_sum = amplitude_sum + NEW.amplitude,
                      amplitude_max = max(amplitude_max, NEW.amplitude)
     WHERE id = NEW.block_id;
    UPDATE sessions SET rep_count = rep_count + 1
     WHERE id = (SELECT session_id FROM blocks WHERE id = NEW.block_id);
END;

CREATE TRIGGER attempts_counted AFTER INSERT ON attempts BEGIN
    UPDATE blocks SET attempt_count = attempt_count + 1 WHERE id = NEW.block_id;
    UPDATE sessions SET attempt_count = attempt_count + 1
     WHERE id = (SELECT session_id FROM blocks WHERE id = NEW.block_id);
END;

CREATE TABLE calibrations (
    id              INTEGER PRIMARY KEY,
    profile_id      INTEGER NOT NULL REFERENCES profiles (id) ON DELETE CASCADE,
    exercise_id     TEXT    NOT NULL CHECK (length(exercise_id) BETWEEN 1 AND 100),
    side            TEXT    NOT NULL CHECK (side IN ('left', 'right', 'both', 'none')),
    recorded_at_ms  INTEGER NOT NULL,
    rest_noise      REAL    NOT NULL CHECK (rest_noise >= 0),
    full_range      REAL    NOT NULL CHECK (full_range > 0),
    params_json     TEXT    NOT NULL DEFAULT '{}'
);
CREATE INDEX calibrations_by_exercise ON calibrations (profile_id, exercise_id, recorded_at_ms);

CREATE TABLE check_ins (
    id              INTEGER PRIMARY KEY,
    profile_id      INTEGER NOT NULL REFERENCES profiles (id) ON DELETE CASCADE,
    session_id      INTEGER REFERENCES sessions (id) ON DELETE CASCADE,
    timing          TEXT    NOT NULL CHECK (timing IN ('before', 'after', 'standalone')),
    recorded_at_ms  INTEGER NOT NULL,
    utc_offset_min  INTEGER NOT NULL CHECK (utc_offset_min BETWEEN -1080 AND 1080),
    pain            INTEGER CHECK (pain BETWEEN 0 AND 10),
    spasticity      TEXT    CHECK (spasticity IN ('0', '1', '1+', '2', '3', '4')),
    effort          INTEGER CHECK (effort BETWEEN 0 AND 10),
    note            TEXT    NOT NULL DEFAULT '' CHECK (length(note) <= 2000),
    CHECK ((timing = 'standalone') = (session_id IS NULL))
);
CREATE INDEX check_ins_by_profile_time ON check_ins (profile_id, recorded_at_ms);
CREATE INDEX check_ins_by_session ON check_ins (session_id) WHERE session_id IS NOT NULL;

CREATE TABLE daily_goals (
    profile_id      INTEGER NOT NULL REFERENCES profiles (id) ON DELETE CASCADE,
    effective_from  TEXT    NOT NULL CHECK (date(effective_from) IS effective_from),
    reps            INTEGER CHECK (reps IS NULL OR reps > 0),
    active_minutes  INTEGER CHECK (active_minutes IS NULL OR active_minutes > 0),
    set_at_ms       INTEGER NOT NULL,
    PRIMARY KEY (profile_id, effective_from)
) WITHOUT ROWID;

CREATE TABLE schedules (
    profile_id      INTEGER PRIMARY KEY REFERENCES profiles (id) ON DELETE CASCADE,
    effective_from  TEXT    NOT NULL CHECK (date(effective_from) IS effective_from),
    set_at_ms       INTEGER NOT NULL
);

CREATE TABLE schedule_slots (
    profile_id      INTEGER NOT NULL REFERENCES schedules (profile_id) ON DELETE CASCADE,
    weekday         INTEGER NOT NULL CHECK (weekday BETWEEN 1 AND 7),
    reminder_minute INTEGER NOT NULL CHECK (reminder_minute BETWEEN 0 AND 1439),
    PRIMARY KEY (profile_id, weekday, reminder_minute)
) WITHOUT ROWID;
";

/// Version 3: a stable UUID per session (`tests/fixtures/schema_v2.sql` is the
/// snapshot before it). Health Connect's `clientRecordId` and HealthKit's sync
/// identifier come from it, and backups carry it, so a restored backup writes no
/// duplicate records. New sessions get a random (v4) UUID; sessions stored
/// before get the name-based one their health ids were derived from until
/// then ([`super::legacy_session_uuid`]), so records already written keep
/// their ids. Nullable only because `ALTER TABLE` cannot add a NOT NULL column
/// without a default; every insert sets it.
const V3_SESSION_UUID: &str = "
ALTER TABLE sessions ADD COLUMN uuid TEXT;
CREATE UNIQUE INDEX sessions_by_uuid ON sessions (uuid);
";

/// Creates the current schema on an empty database.
pub(super) fn create(tx: &Transaction<'_>) -> Result<()> {
    tx.execute_batch(V1_PROFILES)?;
    tx.execute_batch(V2_PRACTICE)?;
    tx.execute_batch(V3_SESSION_UUID)?;
    Ok(())
}

/// Upgrades a database from `version` to `version + 1`.
pub(super) fn upgrade_from(tx: &Transaction<'_>, version: u32) -> Result<()> {
    match version {
        // Version 0 with tables in it is some other program's SQLite file.
        0 => Err(StoreError::Invalid {
            field: "database",
            reason: "the file is an SQLite database of another program".into(),
        }),
        1 => {
            tx.execute_batch(V2_PRACTICE)?;
            Ok(())
        }
        2 => {
            tx.execute_batch(V3_SESSION_UUID)?;
            super::ids::fill_legacy_session_uuids(tx)?;
            Ok(())
        }
        _ => unreachable!("no upgrade from version {version}; VERSION is {VERSION}"),
    }
}
