//! Routines: the exercise catalog, daily plans, therapist prescriptions,
//! routines a person builds, and target adaptation across sessions.
//!
//! Layer 2: uses `model` only; nothing above.
//!
//! Pure functions over plain values: no SQL, no clock, no I/O except the
//! catalog data embedded at build time (`catalog/` at the repository top).
//! "Today" and the history are passed in, so every result is reproducible.

#![warn(missing_docs)]

mod adapt;
mod catalog;
mod custom;
mod error;
mod i18n;
mod plan;
mod prescription;
mod validate;

pub use adapt::{
    adapt, AdaptReason, ChangeKind, SetOutcome, TargetChange, Targets, EASE_OFF_BELOW,
    EASE_OFF_CEILING, MIN_ATTEMPTS, PAIN_HIGH, PAIN_RISE, RANGE_STEP, STEP_UP_AT, STEP_UP_FLOOR,
    WINDOW,
};
pub use catalog::{
    Axis, BodyRegion, Catalog, CountingHint, Exercise, ExerciseKind, Laterality, Motion, Placement,
    Position, Signal, TargetDefaults,
};
pub use custom::{
    Routine, RoutineBlock, MAX_ROUTINE_BLOCKS, MAX_ROUTINE_NAME_CHARS, MAX_ROUTINE_REPS,
    MAX_ROUTINE_REST_S,
};
pub use error::RoutineError;
pub use i18n::{ExerciseText, LanguageInfo, MAX_NAME_CHARS, MAX_STEPS, MAX_WORDS_PER_STEP};
pub use plan::{
    generate_plan, rest_between_blocks_s, BlockSource, DailyPlan, PlanGoal, PlanRequest,
    PlannedBlock, BUDGET_MINUTES, MAX_BLOCKS, MAX_SETS_PER_EXERCISE, MIN_BLOCK_REPS, REP_GOAL,
};
pub use prescription::{PastExercise, PrescribedAmount, Prescription};

#[cfg(test)]
mod tests;
