//! The one way to open the database (after application-services' `open_database`).
//!
//! Nothing is written to a file before it is known to be ours, not newer than this
//! code, and undamaged: the path must name a regular, writable file (or nothing),
//! the header must be SQLite's, `user_version` and the tables must be ours, and
//! `PRAGMA quick_check` must pass. Only then are the pragmas set (the switch to WAL
//! writes the header) and the schema created or upgraded. A large file already at
//! the current version is checked in the background instead (see
//! [`super::integrity`]), with writes held back until the check passes.

use super::error::{short_detail, shorten};
use super::{schema, Result, StoreError};
use rusqlite::config::DbConfig;
use rusqlite::{Connection, ErrorCode, OpenFlags, TransactionBehavior, MAIN_DB};
use std::io::Read;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

const SQLITE_MAGIC: &[u8; 16] = b"SQLite format 3\0";
/// How long a connection waits for another writer before reporting "busy".
pub(super) const BUSY_TIMEOUT: Duration = Duration::from_secs(10);
/// Files up to this size (main file plus log) are checked before `open` returns,
/// larger ones in the background. `quick_check` reads and checks every page: 1.1 s
/// for the 54 MB five-year file (`benches/store.rs`, release, on the shared 2-core
/// machine under load), about 20 ms per MB; so about 20 ms at this size.
pub(super) const SYNC_CHECK_MAX_BYTES: u64 = 1 << 20;

/// How an opened file stands with respect to `quick_check`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Checked {
    /// Checked (or new): writes may go ahead.
    Yes,
    /// A large current file: check it in the background before any write.
    Deferred,
}

/// Opens the write connection: checks the file, then sets pragmas and creates or
/// upgrades. Steps that fail with "busy" because another process is opening the
/// same file (SQLite does not always wait on its busy handler, e.g. for the switch
/// to WAL) start again with a short backoff, for up to [`BUSY_TIMEOUT`].
pub(super) fn open_database(path: &Path, sync_check_max: u64) -> Result<(Connection, Checked)> {
    check_path(path)?;
    let deadline = Instant::now() + BUSY_TIMEOUT;
    let mut backoff = Duration::from_millis(1);
    loop {
        match try_open(path, sync_check_max) {
            Err(StoreError::Sqlite(e)) if is_busy(&e) && Instant::now() < deadline => {
                std::thread::sleep(backoff);
                backoff = (backoff * 2).min(Duration::from_millis(50));
            }
            result => return result,
        }
    }
}

fn is_busy(e: &rusqlite::Error) -> bool {
    matches!(
        e.sqlite_error_code(),
        Some(ErrorCode::DatabaseBusy | ErrorCode::DatabaseLocked)
    )
}

fn try_open(path: &Path, sync_check_max: u64) -> Result<(Connection, Checked)> {
    let had_file = file_len(path) > 0;
    let log_had_frames = file_len(&side_file(path, "-wal")) > 0;
    let conn = Connection::open_with_flags(
        path,
        OpenFlags::SQLITE_OPEN_READ_WRITE
            | OpenFlags::SQLITE_OPEN_CREATE
            | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )?;
    let checked = match inspect(&conn, path, had_file, sync_check_max) {
        Ok(checked) => checked,
        Err(e) => {
            refuse(conn, log_had_frames);
            return Err(e);
        }
    };
    set_pragmas(&conn)?;
    if user_version(&conn)? < schema::VERSION {
        Ok((migrate(conn)?, checked))
    } else {
        Ok((conn, checked))
    }
}

/// Everything decided before the first write; reads only.
fn inspect(conn: &Connection, path: &Path, had_file: bool, sync_check_max: u64) -> Result<Checked> {
    conn.busy_timeout(BUSY_TIMEOUT)?;
    if conn.is_readonly(MAIN_DB)? {
        return Err(StoreError::ReadOnly {
            path: path.to_path_buf(),
        });
    }
    // One statement, so one snapshot: another process may be creating the file.
    let (found, tables): (u32, bool) = conn.query_row(
        "SELECT (SELECT user_version FROM pragma_user_version),
                EXISTS (SELECT 1 FROM sqlite_master WHERE type = 'table')",
        [],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?;
    if found > schema::VERSION {
        return Err(StoreError::TooNew {
            found,
            supported: schema::VERSION,
        });
    }
    if found == 0 && tables {
        return Err(StoreError::NotOurs {
            path: path.to_path_buf(),
        });
    }
    if !had_file {
        return Ok(Checked::Yes); // new (or empty): nothing to check
    }
    let size = file_len(path) + file_len(&side_file(path, "-wal"));
    // An upgrade, or the switch of an old file to WAL, writes: check first.
    let will_write = found < schema::VERSION || !is_wal(conn)?;
    if will_write || size <= sync_check_max {
        quick_check(conn)?;
        Ok(Checked::Yes)
    } else {
        Ok(Checked::Deferred)
    }
}

/// Closes a refused file's connection so it stays as it was: a log that held
/// frames before we came is left in place, not checkpointed into the file (an
/// empty log we created is removed by SQLite as usual on close).
fn refuse(conn: Connection, log_had_frames: bool) {
    if log_had_frames {
        let _ = conn.set_db_config(DbConfig::SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, true);
    }
    drop(conn);
}

/// `PRAGMA quick_check`: Ok, or [`StoreError::Corrupt`] with SQLite's first finding.
pub(super) fn quick_check(conn: &Connection) -> Result<()> {
    let first: String = conn
        .query_row("PRAGMA quick_check(1)", [], |r| r.get(0))
        .map_err(|e| match e.sqlite_error_code() {
            Some(ErrorCode::DatabaseCorrupt | ErrorCode::NotADatabase) | None => {
                StoreError::Corrupt {
                    detail: short_detail(&e),
                }
            }
            _ => StoreError::from(e),
        })?;
    if first == "ok" {
        Ok(())
    } else {
        Err(StoreError::Corrupt {
            detail: shorten(&first),
        })
    }
}

/// Opens a connection on a file already prepared by [`open_database`], for
/// reading only (the store's reader, the background check).
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

/// The path must name a regular file or nothing (a pipe would block the open, a
/// device would be read forever), writable, starting with SQLite's magic header.
/// Checked before SQLite touches it, so a stray file handed to us is never modified.
fn check_path(path: &Path) -> Result<()> {
    let meta = match std::fs::metadata(path) {
        Ok(m) => m,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(()),
        Err(e) => return Err(e.into()),
    };
    if !meta.is_file() {
        return Err(StoreError::NotAFile {
            path: path.to_path_buf(),
        });
    }
    if meta.permissions().readonly() {
        return Err(StoreError::ReadOnly {
            path: path.to_path_buf(),
        });
    }
    let mut header = Vec::with_capacity(16);
    std::fs::File::open(path)?
        .take(16)
        .read_to_end(&mut header)?;
    if header.is_empty() || header.as_slice() == SQLITE_MAGIC {
        Ok(())
    } else {
        Err(StoreError::NotADatabase {
            path: path.to_path_buf(),
        })
    }
}

/// `path` with `suffix` appended to its file name (`-wal`, `-shm`, `-journal`).
pub fn side_file(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(suffix);
    PathBuf::from(name)
}

fn file_len(path: &Path) -> u64 {
    std::fs::metadata(path).map_or(0, |m| m.len())
}

fn user_version(conn: &Connection) -> rusqlite::Result<u32> {
    conn.pragma_query_value(None, "user_version", |r| r.get(0))
}

fn is_wal(conn: &Connection) -> rusqlite::Result<bool> {
    let mode: String = conn.pragma_query_value(None, "journal_mode", |r| r.get(0))?;
    Ok(mode.eq_ignore_ascii_case("wal"))
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
fn migrate(mut conn: Connection) -> Result<Connection> {
    {
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        // Re-read inside the transaction: another process may have migrated
        // meanwhile (then nothing is written).
        let mut version = user_version(&tx)?;
        if version < schema::VERSION {
            if version == 0 && !has_tables(&tx)? {
                schema::create(&tx)?;
                version = schema::VERSION;
            }
            while version < schema::VERSION {
                schema::upgrade_from(&tx, version).map_err(|e| match e {
                    StoreError::Sqlite(e) => StoreError::UpgradeFailed {
                        from: version,
                        detail: short_detail(&e),
                    },
                    e => e,
                })?;
                version += 1;
            }
            tx.pragma_update(None, "user_version", schema::VERSION)?;
            tx.commit()?;
        }
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
