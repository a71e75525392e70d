//! Repetition counting: timestamped sensor samples in, repetition events out.
//!
//! Pure and deterministic: no I/O, no clock (time comes from sample timestamps), no
//! allocation per sample, O(1) time and memory per sample. IMU motion is reduced to one
//! angle: the gyroscope is averaged over steps of ~30 ms (the only per-sample work beyond
//! validation), low-passed below tremor, integrated into an orientation, and the
//! orientation's twist about the movement's own principal axis (found online) is read, so
//! out-and-back paths close even when they are not about one axis. Scalar signals are
//! low-passed as they are. A repetition is an excursion away and back whose size adapts to
//! the person's recent repetitions, above an absolute floor learned at rest.

mod config;
mod counter;
mod detector;
mod error;
mod filters;

pub use config::{Axis, CounterConfig, CountingHint, Motion, SignalKind};
pub use counter::{reference_from_best, RepCounter, RepEvent, RepKind};
pub use error::CountingError;

#[cfg(test)]
mod tests;

#[cfg(test)]
mod body_tests;
