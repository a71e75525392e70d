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
mod error;
mod events;
mod hint;
mod planning;
mod stage;
mod targets;

pub use engine::LiveSession;
pub use error::{Action, Input, SessionError};
pub use events::{ExerciseResult, SessionEvent, SessionState, SessionSummary};
pub use hint::counter_hint;
pub use planning::plan_for_day;
pub use stage::{MAX_ABS_TIME_S, MAX_BATCH_SPAN_S};
pub use targets::{next_targets, NextTargets, ADAPT_WINDOW_DAYS};

#[cfg(test)]
mod tests;
