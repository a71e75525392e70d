//! Repetition counting: timestamped sensor samples in, repetition events out.
//!
//! Pure and deterministic: no I/O, no clock (time comes from sample timestamps), no
//! allocation per sample, O(1) time and memory per sample. IMU motion gives two channels:
//! what turns (the gyroscope averaged over steps of ~30 ms, low-passed below tremor,
//! integrated into an orientation whose twist about the movement's own principal axis is
//! read) and what travels (gravity-removed acceleration in a fixed frame, brought to a
//! band-limited displacement along its own principal direction). Counting starts on the
//! rotation and moves to the travel when that shows the repetitions the rotation misses,
//! merges or splits. Scalar signals are low-passed as they are. A repetition is an
//! excursion away and back whose size adapts to the person's recent repetitions, above an
//! absolute floor learned at rest; the movements before a set's repetitions are alike are
//! held, and the set-up before them dropped (`counter/onset.rs`); a movement into a new
//! posture that never comes back gives way to the swings about it (`detector.rs`). Counting
//! moves back to the rotation when the travel loses the movement.
//!
//! Layer 1 (above `model` only): it imports nothing from progress, routine, export,
//! session or ffi (`tests/layers.rs` checks this).

mod config;
mod counter;
mod detector;
mod error;
mod filters;

pub use config::{
    Axis, CounterConfig, CountingHint, Motion, SignalKind, MAX_BATCH_SAMPLES, MIN_AMPLITUDE_RAD,
};
pub use counter::{reference_from_best, RepCounter, RepEvent, RepKind};
pub use error::CountingError;

#[cfg(test)]
mod tests;

#[cfg(test)]
mod body_tests;
