//! Durable storage: one SQLite file per device, the only module that speaks SQL.
//!
//! Opening follows one path (see [`open`]): pragmas outside any transaction, then
//! creation or step-by-step upgrade inside one IMMEDIATE transaction, so a failed
//! upgrade leaves the file as it was. A file written by a newer version, a file
//! that is not SQLite, or a corrupt file is refused with a typed error and left
//! untouched.

mod error;
mod open;
mod profiles;
pub mod schema;

pub use error::StoreError;
pub use profiles::{NewProfile, Profile, Side};

use rusqlite::{Connection, Transaction, TransactionBehavior};
use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard};

/// Result of store operations.
pub type Result<T, E = StoreError> = std::result::Result<T, E>;

/// A handle on the database file: one connection for writes, one for reads.
///
/// In WAL mode the reader never waits for the writer, so a UI thread can read
/// progress while the sensor thread commits reps.
pub struct Store {
    path: PathBuf,
    writer: Mutex<Connection>,
    reader: Mutex<Connection>,
}

impl Store {
    /// Opens (creating or upgrading) the database at `path`.
    pub fn open(path: impl AsRef<Path>) -> Result<Store> {
        let path = path.as_ref().to_path_buf();
        let writer = open::open_database(&path)?;
        let reader = open::open_reader(&path)?;
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

    /// Runs `f` on the read connection.
    pub fn read<T>(&self, f: impl FnOnce(&Connection) -> Result<T>) -> Result<T> {
        f(&lock(&self.reader))
    }

    /// Runs `f` in an IMMEDIATE write transaction; commits when `f` returns `Ok`.
    pub fn write<T>(&self, f: impl FnOnce(&Transaction<'_>) -> Result<T>) -> Result<T> {
        let mut conn = lock(&self.writer);
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let value = f(&tx)?;
        tx.commit()?;
        Ok(value)
    }
}

/// A poisoned lock only means another thread panicked mid-call; SQLite's own
/// transaction rollback keeps the data consistent, so carry on with the connection.
fn lock(m: &Mutex<Connection>) -> MutexGuard<'_, Connection> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

#[cfg(test)]
mod tests;
