//! The one way to open the database (after application-services' `open_database`).

use super::{schema, Result, StoreError};
use rusqlite::{Connection, ErrorCode, OpenFlags, TransactionBehavior};
use std::io::Read;
use std::path::Path;
use std::time::Duration;

const SQLITE_MAGIC: &[u8; 16] = b"SQLite format 3\0";
/// How long a connection waits for another writer before reporting "busy".
const BUSY_TIMEOUT: Duration = Duration::from_secs(10);

/// Opens the write connection: checks the file, sets pragmas, creates or upgrades.
pub(super) fn open_database(path: &Path) -> Result<Connection> {
    check_existing_file(path)?;
    let conn = Connection::open_with_flags(
        path,
        OpenFlags::SQLITE_OPEN_READ_WRITE
            | OpenFlags::SQLITE_OPEN_CREATE
            | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )
    .map_err(|e| classify(path, e))?;
    conn.busy_timeout(BUSY_TIMEOUT)?;
    // Refuse a newer file before any pragma that could write to it.
    let found = user_version(&conn).map_err(|e| classify(path, e))?;
    if found > schema::VERSION {
        return Err(StoreError::TooNew {
            found,
            supported: schema::VERSION,
        });
    }
    set_pragmas(&conn).map_err(|e| classify(path, e))?;
    if found < schema::VERSION {
        migrate(conn, path)
    } else {
        Ok(conn)
    }
}

/// Opens the read connection on a file already prepared by [`open_database`].
pub(super) fn open_reader(path: &Path) -> Result<Connection> {
    let conn = Connection::open_with_flags(
        path,
        OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )?;
    conn.busy_timeout(BUSY_TIMEOUT)?;
    conn.pragma_update(None, "foreign_keys", true)?;
    conn.pragma_update(None, "query_only", true)?;
    Ok(conn)
}

/// A non-empty file must start with SQLite's magic header; checked before SQLite
/// touches it, so a stray file handed to us is never modified.
fn check_existing_file(path: &Path) -> Result<()> {
    let mut file = match std::fs::File::open(path) {
        Ok(f) => f,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(()),
        Err(e) => return Err(e.into()),
    };
    let mut header = Vec::with_capacity(16);
    file.by_ref().take(16).read_to_end(&mut header)?;
    if header.is_empty() || header.as_slice() == SQLITE_MAGIC {
        Ok(())
    } else {
        Err(StoreError::NotADatabase {
            path: path.to_path_buf(),
        })
    }
}

fn user_version(conn: &Connection) -> rusqlite::Result<u32> {
    conn.pragma_query_value(None, "user_version", |r| r.get(0))
}

fn set_pragmas(conn: &Connection) -> rusqlite::Result<()> {
    let mode: String = conn.pragma_update_and_check(None, "journal_mode", "wal", |r| r.get(0))?;
    debug_assert_eq!(mode.to_ascii_lowercase(), "wal");
    // Creation and upgrades commit fsynced; see `Durability` for reps.
    set_full_sync(conn, true)?;
    conn.pragma_update(None, "foreign_keys", true)?;
    Ok(())
}

/// `synchronous = FULL` (each WAL commit fsynced) or `NORMAL` (fsync only at
/// checkpoints); both keep committed data through an app kill. Outside any transaction.
pub(super) fn set_full_sync(conn: &Connection, full: bool) -> rusqlite::Result<()> {
    conn.pragma_update(None, "synchronous", if full { "FULL" } else { "NORMAL" })
}

/// Creates the schema on an empty file, or upgrades one version at a time, all in
/// one IMMEDIATE transaction: a failing step rolls everything back.
fn migrate(mut conn: Connection, path: &Path) -> Result<Connection> {
    {
        let tx = conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(|e| classify(path, e))?;
        // Re-read inside the transaction: another process may have migrated meanwhile.
        let mut version = user_version(&tx)?;
        if version == 0 && !has_tables(&tx)? {
            schema::create(&tx)?;
            version = schema::VERSION;
        }
        while version < schema::VERSION {
            schema::upgrade_from(&tx, version).map_err(|e| match e {
                StoreError::Sqlite(e) => StoreError::UpgradeFailed {
                    from: version,
                    detail: e.to_string(),
                },
                e => e,
            })?;
            version += 1;
        }
        tx.pragma_update(None, "user_version", schema::VERSION)?;
        tx.commit()?;
    }
    Ok(conn)
}

fn has_tables(conn: &Connection) -> rusqlite::Result<bool> {
    conn.query_row(
        "SELECT EXISTS (SELECT 1 FROM sqlite_master WHERE type = 'table')",
        [],
        |r| r.get(0),
    )
}

/// Maps SQLite's "not a database" and "corrupt" codes to typed errors.
fn classify(path: &Path, e: rusqlite::Error) -> StoreError {
    match e.sqlite_error_code() {
        Some(ErrorCode::NotADatabase) => StoreError::NotADatabase {
            path: path.to_path_buf(),
        },
        Some(ErrorCode::DatabaseCorrupt) => StoreError::Corrupt {
            path: path.to_path_buf(),
            detail: e.to_string(),
        },
        _ => StoreError::Sqlite(e),
    }
}
