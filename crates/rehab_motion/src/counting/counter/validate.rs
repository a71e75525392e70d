//! Batch validation at the counter's boundary: each bad input is a typed error, and a
//! rejected batch leaves the counter unchanged.

use super::*;

impl RepCounter {
    pub(super) fn validate(
        &self,
        kind: SignalKind,
        t_s: &[f64],
        values: &[f32],
        width: usize,
    ) -> Result<(), CountingError> {
        if let Some(expected) = self.kind {
            if expected != kind {
                return Err(CountingError::WrongSignal {
                    expected,
                    got: kind,
                });
            }
        }
        let n = t_s.len();
        if n == 0 {
            return Err(CountingError::EmptyBatch);
        }
        let max = config::MAX_BATCH_SAMPLES;
        if n > max {
            return Err(CountingError::BatchTooLarge { len: n, max });
        }
        if values.len() != n * width {
            return Err(CountingError::LengthMismatch {
                timestamps: n,
                values: values.len(),
                expected: n * width,
            });
        }
        // Branch-free passes that the compiler vectorises; the error path below finds the
        // offending index only when one of them fails.
        // Non-decreasing times (NaN fails every comparison) between two finite ends are all
        // finite: one pass over the times instead of two, which also sees whether two
        // neighbours are too far apart (reported after the rate check, below).
        let (ordered, close) = t_s.windows(2).fold((true, true), |(ok, close), w| {
            (
                ok & (w[0] <= w[1]),
                close & (w[1] - w[0] <= MAX_IN_BATCH_GAP_S),
            )
        });
        let times_ok = t_s[0].is_finite()
            && t_s[n - 1].is_finite()
            && ordered
            && self.last_t.is_none_or(|p| t_s[0] >= p);
        if !times_ok {
            let mut previous = self.last_t;
            for (index, &t) in t_s.iter().enumerate() {
                if !t.is_finite() {
                    return Err(CountingError::NonFiniteTime { index });
                }
                if let Some(previous_s) = previous {
                    if t < previous_s {
                        return Err(CountingError::TimeBackwards {
                            index,
                            t_s: t,
                            previous_s,
                        });
                    }
                }
                previous = Some(t);
            }
        }
        // Physically impossible values (a finite 3e38 would overflow the filters into an
        // infinite speed): refused, so that nothing the counter reports is ever non-finite.
        // The same pass refuses NaN and infinities (both fail `abs() <= limit`); which of
        // the two errors it is, is told only on failure.
        let (limit_a, limit_b) = match kind {
            SignalKind::Imu6 => (MAX_ACC_M_S2, MAX_GYRO_RAD_S),
            SignalKind::Scalar => (MAX_SCALAR, MAX_SCALAR),
        };
        // Branch-free per sample (vectorised); the index is looked for only on failure.
        let half = width.div_ceil(2);
        let within = |row: &[f32]| {
            let (a, b) = row.split_at(half.min(row.len()));
            a.iter().fold(true, |ok, v| ok & (v.abs() <= limit_a))
                & b.iter().fold(true, |ok, v| ok & (v.abs() <= limit_b))
        };
        if !values
            .chunks_exact(width)
            .fold(true, |ok, row| ok & within(row))
        {
            if let Some(index) = values.iter().position(|v| !v.is_finite()) {
                return Err(CountingError::NonFiniteValue {
                    index: index / width,
                });
            }
            let index = values
                .chunks_exact(width)
                .position(|row| !within(row))
                .unwrap_or(0);
            let row = &values[index * width..(index + 1) * width];
            let limit = if row[..half].iter().all(|v| v.abs() <= limit_a) {
                limit_b
            } else {
                limit_a
            };
            return Err(CountingError::ImplausibleValue { index, limit });
        }
        if n >= 4 {
            let rate_hz = (n - 1) as f64 / (t_s[n - 1] - t_s[0]);
            let (min_hz, max_hz) = (config::MIN_RATE_HZ, config::MAX_RATE_HZ);
            if !(f64::from(min_hz)..=f64::from(max_hz)).contains(&rate_hz) {
                return Err(CountingError::AbsurdRate {
                    rate_hz,
                    min_hz,
                    max_hz,
                });
            }
        }
        // A batch carries ~100 ms of samples: two of them far apart in time are not a
        // sensor stream (a clock jump, seconds given in milliseconds). Checked for every
        // batch size; after the rate check, which needs a few samples.
        if let Some(index) = (!close)
            .then(|| {
                t_s.windows(2)
                    .position(|w| w[1] - w[0] > MAX_IN_BATCH_GAP_S)
            })
            .flatten()
        {
            return Err(CountingError::TimeJump {
                index: index + 1,
                gap_s: t_s[index + 1] - t_s[index],
                max_s: MAX_IN_BATCH_GAP_S,
            });
        }
        Ok(())
    }
}
