//! The live session: a state machine driven by the shell's calls (push samples,
//! taps, pause, resume, skip, stop, tick) that returns what happened and stores
//! every rep as it is counted. It owns no threads.
//!
//! ```text
//! Planned -> [Calibrating] -> Exercising -> Resting -> ... -> Finished
//!                  \______________\____________/
//!                           Paused (from any of these, back on resume)
//! ```

mod engine;
mod events;
mod hint;
mod planning;
mod targets;

pub use engine::LiveSession;
pub use events::{ExerciseResult, SessionEvent, SessionState, SessionSummary};
pub use hint::counter_hint;
pub use planning::plan_for_day;
pub use targets::{next_targets, NextTargets, ADAPT_WINDOW_DAYS};

use crate::counting::CountingError;
use crate::routine::RoutineError;
use crate::store::StoreError;

/// Why a session call failed. A failed call changes nothing that was stored.
#[derive(Debug, thiserror::Error)]
pub enum SessionError {
    /// The samples were rejected by the counter.
    #[error(transparent)]
    Counting(#[from] CountingError),
    /// Reading or writing the database failed.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// The plan names something the catalog does not have.
    #[error(transparent)]
    Routine(#[from] RoutineError),
    /// The call does not fit the session's state.
    #[error("{0}")]
    State(String),
}

#[cfg(test)]
mod tests;
