//! The schema: the current version's DDL and one upgrade step per earlier version.
//!
//! To change the schema: bump [`VERSION`], edit [`CREATE`] to the new shape, add
//! an `upgrade_from` arm for the previous version, and add a snapshot of the
//! previous schema under `tests/fixtures/schema_vN.sql` with a migration test.

use super::{Result, StoreError};
use rusqlite::Transaction;

/// The schema version this code writes (`PRAGMA user_version`).
pub const VERSION: u32 = 1;

/// The whole current schema, for a new file.
const CREATE: &str = "
CREATE TABLE profiles (
    id              INTEGER PRIMARY KEY,
    name            TEXT    NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    affected_side   TEXT    NOT NULL CHECK (affected_side IN ('left', 'right', 'both', 'none')),
    time_zone       TEXT    NOT NULL,
    created_at_ms   INTEGER NOT NULL
);
";

/// Creates the current schema on an empty database.
pub(super) fn create(tx: &Transaction<'_>) -> Result<()> {
    tx.execute_batch(CREATE)?;
    Ok(())
}

/// Upgrades a database from `version` to `version + 1`.
pub(super) fn upgrade_from(_tx: &Transaction<'_>, version: u32) -> Result<()> {
    match version {
        // Version 0 with tables in it is some other program's SQLite file.
        0 => Err(StoreError::Invalid {
            field: "database",
            reason: "the file is an SQLite database of another program".into(),
        }),
        _ => unreachable!("no upgrade from version {version}; VERSION is {VERSION}"),
    }
}
