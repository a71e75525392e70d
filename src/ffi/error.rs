//! The one exported error, and the one place domain errors map to it.

use crate::counting::CountingError;
use crate::export::backup::BackupError;
use crate::progress::ProgressError;
use crate::session::{SessionAction, SessionError, SessionState};
use crate::store::StoreError;

/// An error the core reports to the app. Every variant carries `reason`, one readable
/// sentence without health data (Kotlin: the exception's `message`; Swift: its
/// `errorDescription`); variants a screen branches on also carry their data.
/// Kotlin: `RehabException.<Variant>`, Swift: `RehabError.<variant>`.
#[derive(Debug, thiserror::Error, uniffi::Error)]
pub enum RehabError {
    /// A value passed in was rejected (bad sample batch, empty name, ...).
    #[error("{reason}")]
    InvalidInput {
        /// What was wrong, readable.
        reason: String,
    },
    /// An id did not name anything stored.
    #[error("{reason}")]
    NotFound {
        /// What was looked for, readable.
        reason: String,
        /// The kind of thing looked for: "profile", "session", "block", ...
        what: String,
        /// The id that named nothing.
        id: i64,
    },
    /// The database was written by a newer app version; it was not modified.
    #[error("{reason}")]
    DatabaseTooNew {
        /// Readable: says to update the app.
        reason: String,
        /// The file's schema version.
        found: u32,
        /// The newest schema version this build reads.
        supported: u32,
    },
    /// The file is not a RehabCore database (another program's, not SQLite, not a
    /// regular file), or is damaged; it was not modified. For a damaged file the
    /// reason says how to recover: move it aside and restore the last backup.
    #[error("{reason}")]
    DatabaseUnreadable {
        /// What is wrong with the file, readable.
        reason: String,
    },
    /// Reading or writing the database failed.
    #[error("{reason}")]
    Storage {
        /// What failed, readable.
        reason: String,
    },
    /// The call does not fit the current state (e.g. pushing samples to a finished session).
    #[error("{reason}")]
    InvalidState {
        /// What does not fit, readable.
        reason: String,
        /// What the call asked the live session to do, when a session refused it.
        action: Option<SessionAction>,
        /// The state the live session was in, when a session refused the call.
        state: Option<SessionState>,
    },
    /// A backup file was refused (malformed, truncated, hostile, changed or
    /// damaged after it was written, or from a newer app); nothing was imported.
    #[error("{reason}")]
    ImportRejected {
        /// Why, readable.
        reason: String,
    },
    /// A bug in the core; the reason says where. Nothing was half-written.
    #[error("{reason}")]
    Internal {
        /// Where, readable.
        reason: String,
    },
}

impl RehabError {
    /// `InvalidInput` with the reason "invalid input: {detail}".
    pub(crate) fn invalid_input(detail: impl std::fmt::Display) -> Self {
        RehabError::InvalidInput {
            reason: format!("invalid input: {detail}"),
        }
    }

    /// `InvalidState` not raised by a live session: "invalid state: {detail}".
    pub(crate) fn invalid_state(detail: impl std::fmt::Display) -> Self {
        RehabError::InvalidState {
            reason: format!("invalid state: {detail}"),
            action: None,
            state: None,
        }
    }

    /// `Internal` with the reason "internal error: {detail}".
    pub(crate) fn internal(detail: impl std::fmt::Display) -> Self {
        RehabError::Internal {
            reason: format!("internal error: {detail}"),
        }
    }
}

impl From<StoreError> for RehabError {
    fn from(e: StoreError) -> Self {
        let reason = e.to_string();
        match e {
            StoreError::TooNew { found, supported } => RehabError::DatabaseTooNew {
                reason,
                found,
                supported,
            },
            StoreError::NotADatabase { .. }
            | StoreError::NotOurs { .. }
            | StoreError::NotAFile { .. }
            | StoreError::Corrupt { .. }
            | StoreError::UnknownValue(_) => RehabError::DatabaseUnreadable { reason },
            StoreError::NotFound { what, id } => RehabError::NotFound {
                reason: format!("not found: {reason}"),
                what: what.to_string(),
                id,
            },
            StoreError::Invalid { .. } => RehabError::invalid_input(reason),
            StoreError::State(_) | StoreError::SessionLive => RehabError::invalid_state(reason),
            StoreError::UpgradeFailed { .. }
            | StoreError::ReadOnly { .. }
            | StoreError::Sqlite(_)
            | StoreError::Io(_) => RehabError::Storage { reason },
        }
    }
}

impl From<SessionError> for RehabError {
    fn from(e: SessionError) -> Self {
        let msg = e.to_string();
        match e {
            SessionError::Store(e) => e.into(),
            SessionError::WrongState { action, state } => RehabError::InvalidState {
                reason: format!("invalid state: {msg}"),
                action: Some(action),
                state: Some(state),
            },
            SessionError::Counting(_)
            | SessionError::Routine(_)
            | SessionError::Progress(_)
            | SessionError::UnknownExercise { .. }
            | SessionError::ImplausibleTime { .. }
            | SessionError::BatchTooLong { .. } => RehabError::invalid_input(msg),
            SessionError::EmptyPlan
            | SessionError::UnreadablePlan { .. }
            | SessionError::SessionOver { .. }
            | SessionError::WrongInput { .. }
            | SessionError::TapBackwards { .. } => RehabError::invalid_state(msg),
        }
    }
}

impl From<CountingError> for RehabError {
    fn from(e: CountingError) -> Self {
        RehabError::invalid_input(e)
    }
}

impl From<ProgressError> for RehabError {
    fn from(e: ProgressError) -> Self {
        RehabError::invalid_input(e)
    }
}

impl From<BackupError> for RehabError {
    fn from(e: BackupError) -> Self {
        match e {
            BackupError::Store(e) => e.into(),
            BackupError::Write(_) => RehabError::internal(e),
            BackupError::File(_) => RehabError::Storage {
                reason: e.to_string(),
            },
            _ => RehabError::ImportRejected {
                reason: format!("backup refused: {e}"),
            },
        }
    }
}

impl From<tokio::task::JoinError> for RehabError {
    fn from(e: tokio::task::JoinError) -> Self {
        RehabError::internal(format_args!("background task failed: {e}"))
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::UnknownValue;

    #[test]
    fn an_unknown_stored_value_reaches_the_app_as_an_unreadable_database() {
        let e = RehabError::from(StoreError::UnknownValue(UnknownValue {
            kind: "session status",
            value: "paused".into(),
        }));
        match e {
            RehabError::DatabaseUnreadable { reason } => {
                assert!(
                    reason.contains("unknown session status \"paused\""),
                    "{reason}"
                )
            }
            other => panic!("expected DatabaseUnreadable, got {other:?}"),
        }
    }

    #[test]
    fn errors_a_screen_branches_on_carry_their_data() {
        let e = RehabError::from(StoreError::TooNew {
            found: 9,
            supported: 4,
        });
        assert!(
            matches!(&e, RehabError::DatabaseTooNew { found: 9, supported: 4, reason } if reason.contains("newer")),
            "{e:?}"
        );
        let e = RehabError::from(StoreError::NotFound {
            what: "profile",
            id: 7,
        });
        assert!(
            matches!(&e, RehabError::NotFound { what, id: 7, reason } if what == "profile" && reason == "not found: no profile with id 7"),
            "{e:?}"
        );
        let e = RehabError::from(SessionError::WrongState {
            action: SessionAction::Pause,
            state: SessionState::Finished,
        });
        assert!(
            matches!(
                &e,
                RehabError::InvalidState {
                    action: Some(SessionAction::Pause),
                    state: Some(SessionState::Finished),
                    ..
                }
            ),
            "{e:?}"
        );
        assert_eq!(
            e.to_string(),
            "invalid state: cannot pause while the session is Finished"
        );
    }
}
