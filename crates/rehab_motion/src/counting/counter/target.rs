//! Calibration, the reference range and the adapted target.

use super::*;

impl RepCounter {
    pub(super) fn record_calibration(&mut self, amplitude: f32) {
        self.calibration_reps += 1;
        // Keep the three largest, in descending order.
        let mut a = amplitude;
        for slot in &mut self.best {
            if a > *slot {
                std::mem::swap(slot, &mut a);
            }
        }
    }

    pub(super) fn adapt_target(&mut self, reached: bool) {
        let c = &self.config;
        if reached {
            self.above_streak += 1;
            self.below_streak = 0;
            if self.above_streak >= config::ADAPT_AFTER {
                self.fraction = (self.fraction + config::TARGET_STEP).min(c.target_fraction);
                self.above_streak = 0;
            }
        } else {
            self.below_streak += 1;
            self.above_streak = 0;
            if self.below_streak >= config::ADAPT_AFTER {
                self.fraction =
                    (self.fraction - config::TARGET_STEP).max(config::MIN_TARGET_FRACTION);
                self.below_streak = 0;
            }
        }
    }
}

/// Reference range from a calibration run: the mean of the best 2-3 amplitudes.
/// `None` if fewer than 2 usable (finite, positive) amplitudes are given.
pub fn reference_from_best(amplitudes: &[f32]) -> Option<f32> {
    let mut best = [0.0f32; 3];
    let mut n = 0usize;
    for &a in amplitudes.iter().filter(|a| a.is_finite() && **a > 0.0) {
        n += 1;
        let mut a = a;
        for slot in &mut best {
            if a > *slot {
                std::mem::swap(slot, &mut a);
            }
        }
    }
    if n < 2 {
        return None;
    }
    let k = n.min(3);
    Some(best[..k].iter().sum::<f32>() / k as f32)
}
