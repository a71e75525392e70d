//! Durable storage: one SQLite file per device, the only module that speaks SQL.
//!
//! Opening follows one path (see [`open`]): pragmas outside any transaction, then
//! creation or step-by-step upgrade inside one IMMEDIATE transaction, so a failed
//! upgrade leaves the file as it was. A file written by a newer version, a file
//! that is not SQLite, or a corrupt file is refused with a typed error and left
//! untouched.

mod calibrations;
mod check_ins;
mod error;
pub mod export_queries;
mod facts;
mod goals;
mod history;
mod open;
mod profiles;
pub mod schema;
mod sessions;

pub use calibrations::{Calibration, NewCalibration};
pub use check_ins::{CheckIn, CheckInTiming, NewCheckIn, Spasticity};
pub use error::StoreError;
pub use profiles::{NewProfile, Profile, Side};
pub use sessions::{
    AttemptRecord, Block, CompletedBlock, CompletedSession, NewBlock, NewSession, Rep, RepRecord,
    Session, SessionEnd, SessionStatus,
};

use rusqlite::{Connection, Transaction, TransactionBehavior};
use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard};

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
}

impl Store {
    /// Opens (creating or upgrading) the database at `path`.
    pub fn open(path: impl AsRef<Path>) -> Result<Store> {
        let path = path.as_ref().to_path_buf();
        let conn = open::open_database(&path)?;
        let reader = open::open_reader(&path)?;
        let writer = Writer {
            conn,
            durability: Durability::default(),
            full_sync: true,
        };
        Ok(Store {
            path,
            writer: Mutex::new(writer),
            reader: Mutex::new(reader),
        })
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

/// A poisoned lock only means another thread panicked mid-call; SQLite's own
/// transaction rollback keeps the data consistent, so carry on with the connection.
fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

#[cfg(test)]
mod tests;
