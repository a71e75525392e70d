//! What a session reports: its state, events, and the final summary.

use crate::model::Side;
use crate::routine::TargetChange;

/// Where the live session stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Enum)]
pub enum SessionState {
    /// Created; no block started yet.
    Planned,
    /// The first reps of a block set the person's reference range.
    Calibrating,
    /// Counting reps of a block.
    Exercising,
    /// Resting between blocks.
    Resting,
    /// Paused by the person; `resume` goes back to where it was.
    Paused,
    /// Over; the summary is final.
    Finished,
}

/// Something that happened during a session, in order. Also delivered to a
/// `SessionListener` when one is attached.
#[derive(Debug, Clone, PartialEq, uniffi::Enum)]
pub enum SessionEvent {
    /// The state changed.
    StateChanged {
        /// The new state.
        state: SessionState,
    },
    /// A block began.
    BlockStarted {
        /// Position of the block in the plan, from 0.
        block_index: u32,
        /// Catalog id of the exercise.
        exercise_id: String,
        /// The side being trained.
        side: Side,
        /// Reps to do.
        target_reps: u32,
        /// Whether the first reps calibrate the person's range.
        calibrating: bool,
    },
    /// Calibration ended; later reps are judged against this range.
    Calibrated {
        /// Catalog id of the exercise.
        exercise_id: String,
        /// The reference range (the best reps' mean amplitude).
        reference_range: f32,
        /// The range a rep must now reach.
        target_range: f32,
    },
    /// A repetition counted and stored.
    Rep {
        /// Position of the block in the plan, from 0.
        block_index: u32,
        /// Reps so far in this block, including this one.
        reps_in_block: u32,
        /// Reps so far in the session.
        reps_in_session: u32,
        /// Range-of-motion proxy (radians for motion, g when `travel`, the sensor's unit
        /// otherwise).
        amplitude: f32,
        /// Seconds the rep took.
        duration_s: f32,
        /// Peak speed during the rep.
        peak_speed: f32,
        /// Database id of the stored rep.
        rep_id: i64,
        /// Counted on the limb's travel (a press, wiping, an upright row: movements that
        /// hardly turn) rather than its rotation; then `amplitude` is in metres.
        travel: bool,
    },
    /// A movement that fell short of the target range, stored as an attempt.
    Attempt {
        /// Position of the block in the plan, from 0.
        block_index: u32,
        /// Attempts so far in this block.
        attempts_in_block: u32,
        /// Range reached.
        amplitude: f32,
        /// The range that was needed.
        target_range: f32,
        /// Counted on the limb's travel; then both ranges are in metres.
        travel: bool,
    },
    /// The block's target reps were reached.
    TargetReached {
        /// Position of the block in the plan, from 0.
        block_index: u32,
        /// Reps done.
        reps: u32,
    },
    /// A block ended (target reached, skipped, or stopped).
    BlockComplete {
        /// What the block achieved.
        result: ExerciseResult,
    },
    /// A rest began.
    RestStarted {
        /// Length of the rest, seconds.
        seconds: u32,
        /// The exercise that comes next.
        next_exercise_id: String,
    },
    /// The rest is over.
    RestOver,
    /// Targets for an exercise changed for next time, with the reason.
    TargetsChanged {
        /// Catalog id of the exercise.
        exercise_id: String,
        /// Before, after and why.
        change: TargetChange,
        /// The reason, in the session's language, to show as is.
        reason_text: String,
    },
    /// The session ended.
    SessionFinished {
        /// Totals and per-exercise results.
        summary: SessionSummary,
    },
}

/// What one block achieved.
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct ExerciseResult {
    /// Position of the block in the plan, from 0.
    pub block_index: u32,
    /// Catalog id of the exercise.
    pub exercise_id: String,
    /// The side trained.
    pub side: Side,
    /// Reps planned.
    pub target_reps: u32,
    /// Reps counted (reached the target range).
    pub reps: u32,
    /// Movements that fell short.
    pub attempts: u32,
    /// Mean amplitude of the reps, if any.
    pub mean_amplitude: Option<f32>,
    /// Seconds of exercising (pauses excluded).
    pub active_s: u32,
    /// The block was skipped or stopped before its target.
    pub stopped_early: bool,
}

/// The whole session, when it ends.
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct SessionSummary {
    /// Database id of the session.
    pub session_id: i64,
    /// Reps counted.
    pub reps: u32,
    /// Movements that fell short.
    pub attempts: u32,
    /// Minutes of exercising (pauses and rests excluded).
    pub active_minutes: f32,
    /// Wall-clock minutes from start to end.
    pub total_minutes: f32,
    /// Per block, in order.
    pub exercises: Vec<ExerciseResult>,
    /// Whether every planned block was done to its target.
    pub completed_plan: bool,
}
