//! The IMU channel not counted on, and when counting moves to it.

use super::*;

/// Counting moves to the accelerometer when the rotation splits its movements: during
/// each of the accelerometer's last `ACC_SWITCH_WINDOW` excursions the rotation reported
/// one or two movements, `ACC_SWITCH_COUNTED` in all, i.e. most of them twice (an upright
/// row: the limb travels and turns little, and what it turns goes back and
/// forth within one repetition) ...
const ACC_SWITCH_WINDOW: usize = 3;
const ACC_SWITCH_COUNTED: u32 = 5;
/// ... and the accelerometer's excursion is this many times the rotation's running
/// amplitude (rad-equivalent against radians).
const ACC_SWITCH_ON: f64 = 2.5;
/// Back to the rotation on the same split pattern the other way, with a rotation excursion
/// at least this many times the accelerometer's running amplitude.
const ACC_SWITCH_OFF: f64 = 1.0;

/// The channel the counter does not count on: its own detector and running amplitude,
/// kept so that the counter can tell which channel shows the repetitions.
#[derive(Debug, Clone, Copy, Default)]
pub(super) struct Shadow {
    pub(super) detector: Detector,
    pub(super) amplitude: f64,
    /// Excursions so far.
    pub(super) excursions: u32,
    /// Movements the counted channel reported since the shadow's last excursion.
    pub(super) counted_since: u32,
    /// How many movements the counted channel reported during each of the shadow's last
    /// `ACC_SWITCH_WINDOW` excursions (newest first).
    pub(super) split: [u32; ACC_SWITCH_WINDOW],
}

impl RepCounter {
    /// The channel not counted on: detect its excursions too, and switch channels when
    /// they show the repetitions better.
    #[inline]
    pub(super) fn shadow_step(
        &mut self,
        t: f64,
        p: f64,
        speed: f32,
        still: bool,
        held: bool,
        dt: f32,
    ) {
        let floor = self.channel_floor(!self.imu.use_acc);
        let base = self.thresholds();
        let sh = &mut self.shadow;
        if held {
            sh.detector.rest_at(t, p);
            return;
        }
        if still && sh.detector.is_idle() {
            relax(&mut sh.amplitude, dt, self.limits.relax_rate);
        }
        let th = Thresholds {
            hysteresis: floor.max(self.limits.detect_fraction * sh.amplitude),
            floor_amplitude: floor,
            ..base
        };
        if let Some(e) = sh.detector.step(t, p, speed, still, dt, &th) {
            let s = f64::from(self.config.amplitude_smoothing);
            sh.amplitude = running_amplitude(sh.amplitude, e.amplitude, floor, s);
            sh.excursions += 1;
            sh.split.copy_within(..ACC_SWITCH_WINDOW - 1, 1);
            sh.split[0] = sh.counted_since;
            sh.counted_since = 0;
            // Each of the shadow's movements reported once or twice (more would mean that
            // the shadow misses repetitions), in all at least `ACC_SWITCH_COUNTED` times.
            let split = sh.split.iter().all(|&n| (1..=2).contains(&n))
                && sh.split.iter().sum::<u32>() >= ACC_SWITCH_COUNTED;
            // Rad-equivalent against radians: the accelerometer must move well beyond the
            // rotation to be counted on; the rotation, as much as it, to be counted on again.
            let ratio = if self.imu.use_acc {
                ACC_SWITCH_OFF
            } else {
                ACC_SWITCH_ON
            };
            let big = e.amplitude >= ratio * self.running_amplitude;
            if split && big {
                // Until now the rotation reported halves of repetitions: what it reported
                // beyond the accelerometer's movements so far, as many of the next movements
                // are not reported again, so that the set's count comes out true (the
                // display runs ahead for a few repetitions, then waits).
                let reported = self.reps + self.attempts;
                let extra = reported.saturating_sub(sh.excursions);
                sh.split = [0; ACC_SWITCH_WINDOW];
                let owed = if !self.imu.use_acc { extra } else { 0 };
                self.switch_channel(owed);
            }
        }
    }

    /// Count on the other channel from now on. The shadow movement that decided it is not
    /// reported: the counted channel reported it already (in halves, when switching to the
    /// accelerometer).
    pub(super) fn switch_channel(&mut self, owed: u32) {
        self.imu.use_acc = !self.imu.use_acc;
        std::mem::swap(&mut self.detector, &mut self.shadow.detector);
        std::mem::swap(&mut self.running_amplitude, &mut self.shadow.amplitude);
        // The person's reference range (and the best calibration repetitions so far) move
        // to the new channel's units in proportion to the two channels' running
        // amplitudes, so that the target keeps meaning the same share of their best.
        let (new, old) = (self.running_amplitude, self.shadow.amplitude);
        if new > 0.0 && old > 0.0 {
            let k = (new / old) as f32;
            self.reference = self.reference.map(|r| r * k);
            self.best = self.best.map(|b| b * k);
        }
        self.rhythm = Rhythm::default();
        self.pending = None;
        self.rep_dir = 0.0;
        self.owed = owed;
    }
}
