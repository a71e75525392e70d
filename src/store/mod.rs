//! Durable storage: one SQLite file per device, the only module that speaks SQL.
//!
//! Layer 1 (above `model` only): it imports nothing from progress, routine, export,
//! session or ffi (`tests/layers.rs` checks this).
//!
//! Opening follows one path (see [`open`]): checks that only read (a regular,
//! writable file; ours; not newer; `PRAGMA quick_check`), pragmas outside any
//! transaction, then creation or step-by-step upgrade inside one IMMEDIATE
//! transaction, so a failed upgrade leaves the file as it was. A file written by a
//! newer version, a file that is not ours, or a damaged file is refused with a
//! typed error and left untouched; a large file is checked in the background with
//! writes held back until the check passes.

mod calibrations;
mod check_ins;
mod claims;
mod error;
pub mod export_queries;
mod facts;
mod goals;
mod history;
mod ids;
mod integrity;
mod open;
mod profiles;
pub mod schema;
mod sessions;
mod values;

pub use calibrations::{Calibration, NewCalibration};
pub use check_ins::{CheckIn, CheckInTiming, NewCheckIn};
pub use error::StoreError;
pub use ids::{is_uuid, legacy_session_uuid, name_uuid};
pub use open::side_file;
pub use profiles::{NewProfile, Profile};
pub use sessions::{
    AttemptRecord, Block, CompletedBlock, CompletedSession, NewBlock, NewSession, Rep, RepRecord,
    Session, SessionEnd, SessionStatus,
};
pub use values::UnknownValue;

use crate::sync::lock;
use rusqlite::{Connection, Transaction, TransactionBehavior};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

/// Result of store operations.
pub type Result<T, E = StoreError> = std::result::Result<T, E>;

/// How hard a rep's commit works to be durable. Every level keeps every
/// stored rep when the app is killed or crashes; they differ on power loss.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Durability {
    /// Reps and attempts commit with `synchronous = NORMAL` (no fsync, about
    /// 20 µs): safe against an app kill at once, and against power loss from the
    /// next milestone. Every other write (finishing a block or session, a
    /// check-in, ...) commits with `synchronous = FULL`, whose fsync of the log
    /// makes every earlier rep power-safe too.
    #[default]
    Milestones,
    /// Every commit fsynced (`synchronous = FULL`): a rep survives power loss
    /// the moment it is stored, at the cost of one fsync per rep (about 4 ms on
    /// the development machine).
    EveryCommit,
}

/// The write connection and the durability it is set to.
struct Writer {
    conn: Connection,
    durability: Durability,
    /// Whether the connection is at `synchronous = FULL` right now.
    full_sync: bool,
}

/// A handle on the database file: one connection for writes, one for reads.
///
/// In WAL mode the reader never waits for the writer, so a UI thread can read
/// progress while the sensor thread commits reps.
pub struct Store {
    path: PathBuf,
    writer: Mutex<Writer>,
    reader: Mutex<Connection>,
    /// The file's `quick_check`; every write waits for it.
    integrity: Arc<integrity::Integrity>,
    /// The profiles whose live session this store drives.
    claims: claims::Claims,
}

impl Store {
    /// Opens (creating or upgrading) the database at `path`.
    ///
    /// Refuses, leaving the file untouched: a path that is not a regular file
    /// ([`StoreError::NotAFile`]), a read-only file ([`StoreError::ReadOnly`]), a
    /// file that is not ours ([`StoreError::NotADatabase`], [`StoreError::NotOurs`]),
    /// a newer one ([`StoreError::TooNew`]) and a damaged one
    /// ([`StoreError::Corrupt`]). A current file larger than 1 MB is
    /// checked in the background: reads go ahead, writes wait for the check and
    /// fail with [`StoreError::Corrupt`] if it finds damage (see
    /// [`Store::integrity_checked`]).
    pub fn open(path: impl AsRef<Path>) -> Result<Store> {
        Self::open_checking(path.as_ref(), open::SYNC_CHECK_MAX_BYTES)
    }

    /// [`Store::open`], checking files up to `sync_check_max` bytes before it
    /// returns and larger ones in the background.
    pub(crate) fn open_checking(path: &Path, sync_check_max: u64) -> Result<Store> {
        let path = path.to_path_buf();
        let (conn, checked) = open::open_database(&path, sync_check_max)?;
        let reader = open::open_reader(&path)?;
        let integrity = match checked {
            open::Checked::Yes => integrity::Integrity::passed(),
            open::Checked::Deferred => integrity::Integrity::start(&path)?,
        };
        let writer = Writer {
            conn,
            durability: Durability::default(),
            full_sync: true,
        };
        Ok(Store {
            path,
            writer: Mutex::new(writer),
            reader: Mutex::new(reader),
            integrity,
            claims: claims::Claims::default(),
        })
    }

    /// Waits for the file's `quick_check` (run in the background on a large file):
    /// Ok once it has passed, [`StoreError::Corrupt`] if it found damage. Writes
    /// wait for it on their own; call this to learn early.
    pub fn integrity_checked(&self) -> Result<()> {
        self.integrity.wait()
    }

    /// The file this store lives in.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The schema version of the open file (always [`schema::VERSION`] after open).
    pub fn schema_version(&self) -> Result<u32> {
        self.read(|conn| Ok(conn.pragma_query_value(None, "user_version", |r| r.get(0))?))
    }

    /// Changes how reps are committed from now on (default [`Durability::Milestones`]).
    pub fn set_durability(&self, durability: Durability) {
        lock(&self.writer).durability = durability;
    }

    /// Runs `f` on the read connection.
    pub fn read<T>(&self, f: impl FnOnce(&Connection) -> Result<T>) -> Result<T> {
        f(&lock(&self.reader))
    }

    /// Runs `f` in an IMMEDIATE write transaction; commits when `f` returns `Ok`.
    /// The commit is fsynced (`synchronous = FULL`): a milestone.
    pub fn write<T>(&self, f: impl FnOnce(&Transaction<'_>) -> Result<T>) -> Result<T> {
        self.write_with(true, f)
    }

    /// Like [`Store::write`], for the rep and attempt hot path: fsynced only
    /// with [`Durability::EveryCommit`].
    fn write_rep<T>(&self, f: impl FnOnce(&Transaction<'_>) -> Result<T>) -> Result<T> {
        self.write_with(false, f)
    }

    fn write_with<T>(
        &self,
        milestone: bool,
        f: impl FnOnce(&Transaction<'_>) -> Result<T>,
    ) -> Result<T> {
        self.integrity.wait()?;
        let mut writer = lock(&self.writer);
        let full = milestone || writer.durability == Durability::EveryCommit;
        if writer.full_sync != full {
            open::set_full_sync(&writer.conn, full)?;
            writer.full_sync = full;
        }
        let tx = writer
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let value = f(&tx)?;
        tx.commit()?;
        Ok(value)
    }
}

impl Drop for Store {
    fn drop(&mut self) {
        self.integrity.cancel();
        // A damaged file stays as it was: no checkpoint of a log it came with.
        if self.integrity.failed()
            && std::fs::metadata(side_file(&self.path, "-wal")).is_ok_and(|m| m.len() > 0)
        {
            let no_checkpoint = rusqlite::config::DbConfig::SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE;
            let _ = lock(&self.writer).conn.set_db_config(no_checkpoint, true);
            let _ = lock(&self.reader).set_db_config(no_checkpoint, true);
        }
    }
}

#[cfg(test)]
mod tests;
