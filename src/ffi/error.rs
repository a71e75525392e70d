//! The one exported error, and the one place domain errors map to it.

use crate::progress::ProgressError;
use crate::store::StoreError;

/// An error the core reports to the app. Each variant carries a readable message
/// (Kotlin: `RehabException.<Variant>`, Swift: `RehabError.<variant>`).
#[derive(Debug, thiserror::Error, uniffi::Error)]
#[uniffi(flat_error)]
pub enum RehabError {
    /// A value passed in was rejected (bad sample batch, empty name, ...).
    #[error("invalid input: {0}")]
    InvalidInput(String),
    /// An id did not name anything stored.
    #[error("not found: {0}")]
    NotFound(String),
    /// The database was written by a newer app version; it was not modified.
    #[error("{0}")]
    DatabaseTooNew(String),
    /// The file is not a RehabCore database (another program's, not SQLite, not a
    /// regular file), or is damaged; it was not modified. For a damaged file the
    /// message says how to recover: move it aside and restore the last backup.
    #[error("{0}")]
    DatabaseUnreadable(String),
    /// Reading or writing the database failed.
    #[error("{0}")]
    Storage(String),
    /// The call does not fit the current state (e.g. pushing samples to a finished session).
    #[error("invalid state: {0}")]
    InvalidState(String),
    /// A backup file was refused (malformed, truncated, hostile, changed or
    /// damaged after it was written, or from a newer app); nothing was imported.
    #[error("backup refused: {0}")]
    ImportRejected(String),
    /// A bug in the core; the message says where. Nothing was half-written.
    #[error("internal error: {0}")]
    Internal(String),
}

impl From<StoreError> for RehabError {
    fn from(e: StoreError) -> Self {
        let msg = e.to_string();
        match e {
            StoreError::TooNew { .. } => RehabError::DatabaseTooNew(msg),
            StoreError::NotADatabase { .. }
            | StoreError::NotOurs { .. }
            | StoreError::NotAFile { .. }
            | StoreError::Corrupt { .. } => RehabError::DatabaseUnreadable(msg),
            StoreError::NotFound { .. } => RehabError::NotFound(msg),
            StoreError::Invalid { .. } => RehabError::InvalidInput(msg),
            StoreError::State(_) | StoreError::SessionLive => RehabError::InvalidState(msg),
            StoreError::UpgradeFailed { .. }
            | StoreError::ReadOnly { .. }
            | StoreError::Sqlite(_)
            | StoreError::Io(_) => RehabError::Storage(msg),
        }
    }
}

impl From<ProgressError> for RehabError {
    fn from(e: ProgressError) -> Self {
        RehabError::InvalidInput(e.to_string())
    }
}

impl From<tokio::task::JoinError> for RehabError {
    fn from(e: tokio::task::JoinError) -> Self {
        RehabError::Internal(format!("background task failed: {e}"))
    }
}

/// An error a listener implemented in Kotlin or Swift may report back.
#[derive(Debug, thiserror::Error, uniffi::Error)]
pub enum ListenerError {
    /// The listener failed; the core logs nothing and carries on.
    #[error("listener failed: {reason}")]
    Failed {
        /// What went wrong, in the listener's words.
        reason: String,
    },
}

impl From<uniffi::UnexpectedUniFFICallbackError> for ListenerError {
    fn from(e: uniffi::UnexpectedUniFFICallbackError) -> Self {
        ListenerError::Failed { reason: e.reason }
    }
}
