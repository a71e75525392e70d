//! Typed errors for sample batches rejected at the counter's boundary.

use super::config::SignalKind;

/// Why a batch of samples was rejected. A rejected batch leaves the counter unchanged.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum CountingError {
    /// The batch holds no samples.
    #[error("empty batch: at least one sample is required")]
    EmptyBatch,
    /// The batch is larger than the configured maximum (one call should carry ~100 ms of data).
    #[error("batch too large: {len} samples (at most {max} per call)")]
    BatchTooLarge { len: usize, max: usize },
    /// The value slice does not match the timestamp slice.
    #[error("length mismatch: {timestamps} timestamps need {expected} values, got {values}")]
    LengthMismatch {
        timestamps: usize,
        values: usize,
        expected: usize,
    },
    /// A timestamp is NaN or infinite.
    #[error("timestamp {index} of the batch is not a finite number")]
    NonFiniteTime { index: usize },
    /// A sample value is NaN or infinite.
    #[error("sample {index} of the batch has a value that is not a finite number")]
    NonFiniteValue { index: usize },
    /// A timestamp is earlier than the one before it (in this batch or the previous one).
    #[error("time goes backwards at sample {index}: {t_s} s comes after {previous_s} s")]
    TimeBackwards {
        index: usize,
        t_s: f64,
        previous_s: f64,
    },
    /// The batch's mean sample rate is outside what a motion or force sensor delivers.
    #[error("implausible sample rate {rate_hz:.1} Hz (expected {min_hz}-{max_hz} Hz; are timestamps in seconds?)")]
    AbsurdRate {
        rate_hz: f64,
        min_hz: f32,
        max_hz: f32,
    },
    /// A sample value is beyond what the sensor can physically report (see the limits on
    /// `RepCounter::push_imu` and `RepCounter::push_scalar`).
    #[error("sample {index} of the batch has a value beyond ±{limit}: not a physical reading")]
    ImplausibleValue { index: usize, limit: f32 },
    /// Two consecutive samples of one batch are further apart in time than a sensor
    /// stream's batch can be (a clock jump, or times in the wrong unit).
    #[error("time jumps by {gap_s:.3e} s at sample {index} of the batch (at most {max_s} s within a batch)")]
    TimeJump {
        index: usize,
        gap_s: f64,
        max_s: f64,
    },
    /// A reference range must be a positive, finite amplitude.
    #[error("invalid reference range {range}: it must be a positive, finite amplitude")]
    InvalidReference { range: f32 },
    /// IMU samples were pushed to a scalar counter, or the reverse.
    #[error("this counter counts {expected:?} signals and cannot take {got:?} samples")]
    WrongSignal {
        expected: SignalKind,
        got: SignalKind,
    },
}
