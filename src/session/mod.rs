//! The live session: a state machine driven by the shell's calls (push samples,
//! taps, pause, resume, skip, stop, tick) that returns what happened and stores
//! every rep as it is counted. It owns no threads.
//!
//! Layer 3: drives `counting`, plans with `routine`, stores through `store`; only
//! `ffi` and the CLI use it.
//!
//! ```text
//! Planned -> [Calibrating] -> Exercising -> Resting -> ... -> Finished
//!                  \______________\____________/
//!                           Paused (from any of these, back on resume)
//! ```
//!
//! Inside, the state is one [`stage`] value that carries its data. Two stages
//! exist only after a failed write: a block whose end is not stored yet (shown
//! as exercising) and a session whose end is not stored yet (shown as resting);
//! the next call retries the write. Sample times are checked here before the
//! counter sees them: finite, within ±[`MAX_ABS_TIME_S`], one batch spanning at
//! most [`MAX_BATCH_SPAN_S`]. Active time adds only the intervals between inputs
//! of at most 2 s (samples) or 5 s (taps); after a longer gap sample time is
//! mapped onto the wall clock afresh, so a sensor clock that jumps dates nothing
//! ahead.

mod engine;
mod error;
mod events;
mod hint;
mod planning;
mod stage;
mod targets;

pub use engine::LiveSession;
pub use error::{Input, SessionAction, SessionError};
pub use events::{ExerciseResult, SessionEvent, SessionState, SessionSummary};
pub use hint::counter_hint;
pub use planning::plan_for_day;
pub use stage::{MAX_ABS_TIME_S, MAX_BATCH_SPAN_S};
pub use targets::{next_targets, NextTargets, ADAPT_WINDOW_DAYS};

#[cfg(test)]
mod tests;
