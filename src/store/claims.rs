//! Who drives a profile's live session. A store that starts (or resumes) a session
//! holds an OS advisory lock on a small file beside the database,
//! `<database>-session-<profile id>.lock`, until the session ends or the store
//! closes. Another process, or another `Store` in this one, cannot start, resume or
//! close that profile's session meanwhile; a process that crashed holds nothing,
//! so its session stays resumable. The lock files are left in place (removing a
//! lock file others may have open would let two owners lock two files).

use super::{Result, StoreError};
use fs4::{FileExt, TryLockError};
use std::collections::HashMap;
use std::fs::{File, OpenOptions};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

/// The profiles whose live session this store owns, each with its locked file.
#[derive(Default)]
pub(super) struct Claims {
    held: Mutex<HashMap<i64, File>>,
}

impl Claims {
    /// Takes the claim on `profile_id`'s live session; `Ok(true)` if newly taken,
    /// `Ok(false)` if this store holds it already. A claim held elsewhere is
    /// [`StoreError::SessionLive`].
    pub(super) fn take(&self, db: &Path, profile_id: i64) -> Result<bool> {
        let mut held = super::lock(&self.held);
        if held.contains_key(&profile_id) {
            return Ok(false);
        }
        let file = OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .open(lock_path(db, profile_id))?;
        match FileExt::try_lock(&file) {
            Ok(()) => {
                held.insert(profile_id, file);
                Ok(true)
            }
            Err(TryLockError::WouldBlock) => Err(StoreError::SessionLive),
            Err(TryLockError::Error(e)) => Err(e.into()),
        }
    }

    /// Gives the claim up (the session ended); closing the file unlocks it.
    pub(super) fn release(&self, profile_id: i64) {
        super::lock(&self.held).remove(&profile_id);
    }
}

fn lock_path(db: &Path, profile_id: i64) -> PathBuf {
    super::side_file(db, &format!("-session-{profile_id}.lock"))
}
