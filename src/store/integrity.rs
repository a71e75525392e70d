//! The background `quick_check` of a large file: opening returns at once, reads go
//! ahead, and every write waits until the check has passed (or fails with
//! [`StoreError::Corrupt`] if it did not), so a damaged file is never written to.

use super::{open, Result, StoreError};
use crate::sync::lock;
use rusqlite::InterruptHandle;
use std::path::Path;
use std::sync::{Arc, Condvar, Mutex};

/// Where the check of the open file stands.
#[derive(Debug, Clone)]
enum State {
    Running,
    Passed,
    Failed(String),
}

/// Shared between the store and the checking thread.
pub(super) struct Integrity {
    state: Mutex<State>,
    done: Condvar,
    /// Stops a check still running when the store closes.
    interrupt: Mutex<Option<InterruptHandle>>,
}

impl Integrity {
    /// A file that was checked while opening (or is new).
    pub(super) fn passed() -> Arc<Self> {
        Arc::new(Self::with(State::Passed))
    }

    fn with(state: State) -> Self {
        Integrity {
            state: Mutex::new(state),
            done: Condvar::new(),
            interrupt: Mutex::new(None),
        }
    }

    /// Starts checking `path` on a thread of its own, on a connection of its own.
    pub(super) fn start(path: &Path) -> Result<Arc<Self>> {
        let conn = open::open_reader(path)?;
        let this = Arc::new(Self::with(State::Running));
        *lock(&this.interrupt) = Some(conn.get_interrupt_handle());
        let shared = this.clone();
        std::thread::Builder::new()
            .name("rehab-quick-check".into())
            .spawn(move || {
                let outcome = match open::quick_check(&conn) {
                    Ok(()) => State::Passed,
                    Err(StoreError::Corrupt { detail }) => State::Failed(detail),
                    // Interrupted (the store closed) or I/O trouble: no verdict on
                    // the file; writes report it if it persists.
                    Err(_) => State::Passed,
                };
                drop(conn);
                *lock(&shared.state) = outcome;
                shared.done.notify_all();
            })?;
        Ok(this)
    }

    /// Waits for the check; Ok once it has passed.
    pub(super) fn wait(&self) -> Result<()> {
        let mut state = lock(&self.state);
        loop {
            match &*state {
                State::Running => state = self.done.wait(state).unwrap_or_else(|e| e.into_inner()),
                State::Passed => return Ok(()),
                State::Failed(detail) => {
                    return Err(StoreError::Corrupt {
                        detail: detail.clone(),
                    })
                }
            }
        }
    }

    /// Whether the check found damage (false while it runs).
    pub(super) fn failed(&self) -> bool {
        matches!(*lock(&self.state), State::Failed(_))
    }

    /// Interrupts a check still running (the store is closing).
    pub(super) fn cancel(&self) {
        if let Some(handle) = lock(&self.interrupt).take() {
            handle.interrupt();
        }
    }
}
