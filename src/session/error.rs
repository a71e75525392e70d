//! Why a session call failed: one typed variant per cause. Messages name
//! states, exercise ids and sensor times, never health data.

use super::events::SessionState;
use crate::counting::CountingError;
use crate::progress::ProgressError;
use crate::routine::RoutineError;
use crate::store::StoreError;

/// Why a session call failed. A failed call reports nothing that was stored:
/// when a write fails after others in the same call were stored, the call
/// returns what was stored and the failed step is retried by the next call.
#[derive(Debug, thiserror::Error)]
pub enum SessionError {
    /// The samples were rejected by the counter.
    #[error(transparent)]
    Counting(#[from] CountingError),
    /// Reading or writing the database failed.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// A plan or catalog request was rejected.
    #[error(transparent)]
    Routine(RoutineError),
    /// A date range was rejected.
    #[error(transparent)]
    Progress(#[from] ProgressError),
    /// The call does not fit the session's state.
    #[error("cannot {action} while the session is {state:?}")]
    WrongState {
        /// What was asked.
        action: SessionAction,
        /// The state the session was in.
        state: SessionState,
    },
    /// The plan names an exercise the catalog does not have.
    #[error("unknown exercise id \"{exercise_id}\"")]
    UnknownExercise {
        /// The id in the plan.
        exercise_id: String,
    },
    /// A session needs at least one block.
    #[error("the plan has no blocks")]
    EmptyPlan,
    /// The stored plan of a session cannot be read back.
    #[error("the stored plan is unreadable: {detail}")]
    UnreadablePlan {
        /// The parser's complaint (positions and field names).
        detail: String,
    },
    /// Only an active session can be resumed.
    #[error("session {session_id} is over and cannot be resumed")]
    SessionOver {
        /// The stored session's id.
        session_id: i64,
    },
    /// Samples for a touch exercise, or taps for a sensor exercise.
    #[error("{exercise_id} is counted from {expected}, not {given}")]
    WrongInput {
        /// The block's exercise.
        exercise_id: String,
        /// What counts it.
        expected: Input,
        /// What was given.
        given: Input,
    },
    /// A tap earlier than the one before it.
    #[error("tap time goes backwards: {t_s} s after {previous_s} s")]
    TapBackwards {
        /// The tap's time.
        t_s: f64,
        /// The previous tap's time.
        previous_s: f64,
    },
    /// A time no sensor or screen gives: not finite, or beyond
    /// ±[`MAX_ABS_TIME_S`](super::MAX_ABS_TIME_S) seconds.
    #[error("timestamp {index} is not a plausible time in seconds (finite, within ±{max_s:e} s)")]
    ImplausibleTime {
        /// Position in the batch (0 for a tap).
        index: usize,
        /// The largest magnitude accepted.
        max_s: f64,
    },
    /// One batch (about 100 ms of data) spanning more time than any sensor
    /// buffers.
    #[error("a batch spans {span_s:e} s, more than {max_s} s")]
    BatchTooLong {
        /// From the first to the last timestamp.
        span_s: f64,
        /// The longest span accepted.
        max_s: f64,
    },
}

impl From<RoutineError> for SessionError {
    fn from(e: RoutineError) -> Self {
        match e {
            RoutineError::UnknownExercise { id } => {
                SessionError::UnknownExercise { exercise_id: id }
            }
            e => SessionError::Routine(e),
        }
    }
}

/// What a call asked the session to do (named in [`SessionError::WrongState`], and
/// carried by `RehabError::InvalidState` so a screen can branch on it).
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Enum)]
pub enum SessionAction {
    /// `begin`.
    Begin,
    /// `push_imu` or `push_scalar`.
    PushSamples,
    /// `tap`.
    Tap,
    /// `pause`.
    Pause,
    /// `resume`.
    Resume,
    /// `skip`.
    Skip,
    /// `stop`.
    Stop,
}

impl std::fmt::Display for SessionAction {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            SessionAction::Begin => "begin",
            SessionAction::PushSamples => "push samples",
            SessionAction::Tap => "tap",
            SessionAction::Pause => "pause",
            SessionAction::Resume => "resume",
            SessionAction::Skip => "skip",
            SessionAction::Stop => "stop",
        })
    }
}

/// How an exercise's reps reach the session.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Input {
    /// Sensor samples (`push_imu`, `push_scalar`).
    Samples,
    /// Taps on the screen.
    Taps,
}

impl std::fmt::Display for Input {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Input::Samples => "sensor samples",
            Input::Taps => "taps",
        })
    }
}
