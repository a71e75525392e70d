//! The IMU front end: gyroscope bias, orientation and the rotation about the movement's
//! axis, the travel channel (gravity-removed displacement), and the per-step pipeline that
//! feeds them.

use super::*;

#[derive(Debug, Clone, Copy)]
pub(super) struct ImuFront {
    /// Time from which the travel channel has settled (see `TRAVEL_SETTLE_S`), and whether
    /// that time has come.
    pub(super) travel_from: f64,
    pub(super) travel_settled: bool,
    pub(super) gyro_raw: LowPass2<3>,
    pub(super) gyro_slow: [f32; 3],
    pub(super) acc: LowPass2<3>,
    pub(super) acc_slow: [f32; 3],
    pub(super) slow_primed: bool,
    pub(super) steady_n: u32,
    pub(super) steady_dt: f32,
    pub(super) bias: [f32; 3],
    pub(super) steady_s: f32,
    /// Seconds the bias has been learned over (see `bias_learned`).
    pub(super) bias_learning_s: f32,
    pub(super) axis: PrincipalAxis,
    pub(super) moving_s: f32,
    pub(super) axis_n: u32,
    pub(super) axis_dt: f32,
    pub(super) orientation: Orientation,
    pub(super) twist: f32,
    pub(super) twist_position: f64,
    pub(super) since_twist: u32,
    pub(super) rest_s: f32,
    pub(super) free_fall_s: f32,
    pub(super) hold_until: f64,
    /// The last sample (`ax..gz`, m/s² and rad/s): a gap is integrated from it to the next.
    pub(super) last: [f32; 6],
    /// Time (s), and the sample integrated over it (acceleration to m/s, rotation rate to
    /// rad), since the last processed step.
    pub(super) step_dt: f32,
    pub(super) step_sum: [f32; 6],
    /// Rotation about the movement axis (rad): the gyroscope channel's position.
    pub(super) gyro_pos: f64,
    /// The travel channel: the sensor's orientation in a fixed frame (never re-referenced),
    /// gravity in that frame, and the gravity-removed acceleration brought to a band-limited
    /// velocity (m/s) and displacement (m); the displacement's principal direction and the
    /// position along it (m).
    pub(super) frame: Orientation,
    pub(super) acc_primed: bool,
    pub(super) gravity: [f32; 3],
    /// Rate of change of `gravity` (m/s³): a steady drift of the frame.
    pub(super) gravity_drift: [f32; 3],
    pub(super) velocity: [f32; 3],
    pub(super) displacement: [f32; 3],
    /// Whether the hand is not travelling (speed below `TRAVEL_STILL_M_S`).
    pub(super) travel_still: bool,
    pub(super) acc_axis: PrincipalAxis,
    pub(super) acc_axis_n: u32,
    pub(super) acc_pos: f64,
    pub(super) acc_speed: f32,
    /// Whether repetitions are counted on the accelerometer channel (see `shadow_step`).
    pub(super) use_acc: bool,
    /// Time (s), integrated acceleration (m/s) and integrated rotation rate (rad)
    /// since the travel channel last ran.
    pub(super) shadow_dt: f32,
    pub(super) shadow_acc: [f32; 3],
    pub(super) shadow_rot: [f32; 3],
    pub(super) recovery: Recovery,
}

/// Holes in the samples (a watch's dropped packets, a busy phone: longer than `MAX_GAP_S`)
/// on the travel channel. The rotation integrates across a hole from the rate before it to
/// the rate after, and comes back with the limb; the travel cannot. What the hand did in
/// the hole is not measured: the two samples either side are single readings carrying the
/// jerk and tremor of a moving hand, and the line between them says nothing of a stroke
/// made in between. Integrated, that line left a velocity error that the band-limiting
/// rang through the displacement for seconds, several times the size of the strokes: it
/// merged them and raised the running amplitude over all that came after (a single 0.3 s
/// hole lost all 24 strokes of a set at 3 per second; one of 0.5 s, all 16 presses at 2 a
/// second).
///
/// So over a hole gravity is not corrected (nothing measured it) and the velocity carries
/// on: for a hole short against the movement, the best guess of its velocity after. From
/// half the movement's period on, the velocity after a hole is unrelated to the velocity
/// before (a stroke has reversed by then): it restarts from zero (the mean of an
/// oscillation), the displacement stays where it was, and the channel is not read for
/// one period (`window_s`; the period of the travel's latest movements, see
/// `History::rhythm`). Over a whole period the true band-limited velocity and displacement
/// of a rhythm average to zero, so their averages over the window show the errors the
/// restart left: a velocity error decaying with the band-limiting, and the displacement it
/// and the restart left. Both are solved for and taken out at the window's end, and the
/// channel is read again from there. Repetitions in the hole and the window are lost to the
/// travel (see `History::blind`): a 0.5 s hole in strokes at 3 per second costs 3-4 of
/// them.
#[derive(Debug, Clone, Copy, Default)]
pub(super) struct Recovery {
    /// Length of the window (s); 0 when not recovering.
    pub(super) window_s: f32,
    /// Time (s) into the window.
    pub(super) elapsed_s: f32,
    /// The velocity (m) and displacement (m·s) integrated over the window so far.
    pub(super) sum_v: [f32; 3],
    pub(super) sum_d: [f32; 3],
}

/// Gains of gravity's critically damped tracker (proportional, integral) for `measured`
/// seconds of samples.
#[inline(always)]
fn gravity_gains(measured: f32) -> (f32, f32) {
    (
        (measured * (2.0 / GRAVITY_TAU_S)).min(1.0),
        measured * (1.0 / (GRAVITY_TAU_S * GRAVITY_TAU_S)),
    )
}

impl ImuFront {
    /// The last sample's acceleration (m/s²).
    pub(super) fn last_acc(&self) -> [f32; 3] {
        [self.last[0], self.last[1], self.last[2]]
    }

    /// Whether the gyroscope's bias has been learned for `BIAS_LEARNED_S`.
    pub(super) fn bias_learned(&self) -> bool {
        self.bias_learning_s >= BIAS_LEARNED_S
    }

    /// The sensor is at rest when neither gravity's direction nor the rotation rate changes
    /// (each within a threshold of its ~1 s average); then the rotation rate it reports is
    /// its bias. `raw` is the low-passed gyroscope, `step` the time since the last call.
    pub(super) fn track_rest(&mut self, acc: [f32; 3], raw: [f32; 3], step: f32) {
        let a = self.acc.update(acc, lowpass_alpha(step, ACC_LOWPASS_HZ));
        if !self.slow_primed {
            self.slow_primed = true;
            self.acc_slow = a;
            self.gyro_slow = raw;
        }
        let slow = slow_alpha(step, STEADY_HZ);
        let mut drift2 = 0.0;
        let mut change2 = 0.0;
        for i in 0..3 {
            self.acc_slow[i] += slow * (a[i] - self.acc_slow[i]);
            self.gyro_slow[i] += slow * (raw[i] - self.gyro_slow[i]);
            let da = a[i] - self.acc_slow[i];
            let dg = raw[i] - self.gyro_slow[i];
            change2 += da * da;
            drift2 += dg * dg;
        }
        if drift2 < GYRO_STEADY * GYRO_STEADY && change2 < ACC_STEADY * ACC_STEADY {
            self.steady_s += step;
            if self.steady_s >= BIAS_SETTLE_S {
                self.bias_learning_s += step;
                let k = step * (1.0 / BIAS_TAU_S);
                for (b, g) in self.bias.iter_mut().zip(self.gyro_slow) {
                    *b = (*b + k * (g - *b)).clamp(-MAX_BIAS, MAX_BIAS);
                }
            }
        } else {
            self.steady_s = 0.0;
        }
    }
}

impl ImuFront {
    /// The travel channel, each time it runs (`acc`: mean acceleration over the step,
    /// m/s²; `turn`: the rotation over it, rad). The orientation in the fixed frame turns
    /// gravity out of the acceleration; what is left is integrated twice, each integral
    /// leaking with time constant `TRAVEL_TAU_S` so that drift and the tilt error never
    /// build up: a displacement band-limited to movements of ~0.15 Hz and faster. Steps
    /// with a hole in them, and those of a recovery from one, take
    /// `acc_step_recovering`.
    #[inline]
    pub(super) fn acc_step(&mut self, acc: [f32; 3], turn: [f32; 3], dt: f32, inv_dt: f32) {
        let a = self.turn_frame(acc, turn, dt, inv_dt);
        let speed2 = self.integrate(a, dt);
        self.read_travel(speed2, dt, inv_dt);
    }

    /// `acc_step` at a step with `hole_s` of it not covered by samples, or in a recovery
    /// window (see `Recovery`); `period_s` is the period of the movement under way (0 if
    /// none). While the channel recovers it shows no movement: its position stays where
    /// the hole found it.
    #[cold]
    #[inline(never)]
    pub(super) fn acc_step_recovering(
        &mut self,
        acc: [f32; 3],
        turn: [f32; 3],
        dt: f32,
        inv_dt: f32,
        hole_s: f32,
        period_s: f32,
    ) {
        let a = self.turn_frame(acc, turn, dt, inv_dt);
        let (speed2, recovering) = if hole_s > 0.0 {
            self.hole_step(a, dt, hole_s, period_s)
        } else {
            (self.integrate(a, dt), self.recover(dt))
        };
        if recovering {
            self.travel_still = true;
            self.acc_speed = 0.0;
        } else {
            self.read_travel(speed2, dt, inv_dt);
        }
    }

    /// Turn the fixed frame by the step's rotation; the step's acceleration in it.
    #[inline(always)]
    fn turn_frame(&mut self, acc: [f32; 3], turn: [f32; 3], dt: f32, inv_dt: f32) -> [f32; 3] {
        self.frame.rotate(turn.map(|a| a * inv_dt), dt);
        let a = self.frame.apply(acc);
        if !self.acc_primed {
            self.acc_primed = true;
            self.gravity = a;
        }
        a
    }

    /// Take gravity out of `a` (fixed frame) and integrate the rest over `dt`; returns the
    /// squared speed. Gravity follows with a critically damped second-order tracker: a drift
    /// of its direction (a gyroscope bias not yet learned turns the frame steadily) is
    /// followed without lag, which a plain low-pass would leave as a steady false
    /// acceleration.
    // One index over the per-axis arrays reads plainer than a many-way zip.
    #[allow(clippy::needless_range_loop)]
    #[inline(always)]
    fn integrate(&mut self, a: [f32; 3], dt: f32) -> f32 {
        let gains = gravity_gains(dt);
        let kv = (dt * (1.0 / TRAVEL_TAU_S)).min(1.0);
        let mut speed2 = 0.0;
        for i in 0..3 {
            let linear = self.track_gravity(i, a[i], gains, dt);
            self.velocity[i] += linear * dt - kv * self.velocity[i];
            self.displacement[i] += self.velocity[i] * dt - kv * self.displacement[i];
            speed2 += self.velocity[i] * self.velocity[i];
        }
        speed2
    }

    /// One axis of gravity's tracker (see `integrate`): corrected toward the acceleration
    /// `a` with `gains` (`gravity_gains`), and carried on by its drift over `dt`. Returns
    /// what is left of `a`: the linear acceleration.
    #[inline(always)]
    fn track_gravity(&mut self, i: usize, a: f32, (kg, ki): (f32, f32), dt: f32) -> f32 {
        let e = a - self.gravity[i];
        self.gravity_drift[i] += ki * e;
        self.gravity[i] += kg * e + self.gravity_drift[i] * dt;
        a - self.gravity[i]
    }

    /// From the integrated velocity (`speed2`, its square) and displacement: whether the
    /// hand travels, the direction it moves, and its position and speed along it.
    #[inline(always)]
    fn read_travel(&mut self, speed2: f32, dt: f32, inv_dt: f32) {
        let d = self.displacement;
        self.travel_still = speed2 < TRAVEL_STILL_M_S * TRAVEL_STILL_M_S;
        if !self.travel_still {
            // The direction the hand moves: the principal direction of its velocity, as the
            // rotation's axis is that of its rate. (The band-limited displacement, which was
            // used here, holds a one-way movement's offset and ringing for seconds after it:
            // a set-up before a set, or a large stroke, held the direction while the
            // repetitions went another way.) Same weighting as the rotation axis: equal over
            // the first seconds of movement, then forgetting.
            self.acc_axis_n = self.acc_axis_n.saturating_add(1);
            let w = (1.0 / self.acc_axis_n as f32).max(dt * (1.0 / AXIS_TAU_S));
            self.acc_axis.update(self.velocity, w);
        }
        let axis = self.acc_axis.axis();
        let p = f64::from(d[0] * axis[0] + d[1] * axis[1] + d[2] * axis[2]);
        self.acc_speed = (p - self.acc_pos) as f32 * inv_dt;
        self.acc_pos = p;
    }

    /// A step with `hole_s` of it not covered by samples (see `Recovery`): gravity is
    /// corrected by what the samples measured, and nothing measured the hole. The velocity
    /// carries on over a hole shorter than half the period of the movement under way
    /// (`period_s`, 0 if none), and restarts after a longer one. Returns the squared speed
    /// and whether the channel recovers at this step.
    #[allow(clippy::needless_range_loop)]
    fn hole_step(&mut self, a: [f32; 3], dt: f32, hole_s: f32, period_s: f32) -> (f32, bool) {
        let gains = gravity_gains((dt - hole_s).max(0.0));
        let kv = (dt * (1.0 / TRAVEL_TAU_S)).min(1.0);
        let restart = period_s > 0.0 && hole_s >= 0.5 * period_s;
        let mut speed2 = 0.0;
        for i in 0..3 {
            self.track_gravity(i, a[i], gains, dt);
            if restart {
                self.velocity[i] = 0.0;
            } else {
                self.velocity[i] -= kv * self.velocity[i];
                self.displacement[i] += self.velocity[i] * dt - kv * self.displacement[i];
            }
            speed2 += self.velocity[i] * self.velocity[i];
        }
        if restart {
            self.recovery = Recovery {
                window_s: period_s.clamp(RECOVER_MIN_S, RECOVER_MAX_S),
                ..Recovery::default()
            };
            (speed2, true)
        } else {
            (speed2, self.recovery.window_s > 0.0 && self.recover(dt))
        }
    }

    /// One step of `dt` into an open recovery window (see `Recovery`): add the velocity and
    /// displacement to their integrals, and at the window's end take out the errors they
    /// show. Returns whether the window is still open.
    #[allow(clippy::needless_range_loop)]
    fn recover(&mut self, dt: f32) -> bool {
        let r = &mut self.recovery;
        r.elapsed_s += dt;
        for i in 0..3 {
            r.sum_v[i] += self.velocity[i] * dt;
            r.sum_d[i] += self.displacement[i] * dt;
        }
        if r.elapsed_s < r.window_s {
            return true;
        }
        // The velocity restarted e0 off its true value and the displacement d0 off. Both
        // integrals leak with τ: from the restart, e0 leaves e0·exp(-t/τ) in the velocity
        // and e0·t·exp(-t/τ) in the displacement, d0 leaves d0·exp(-t/τ). Over the window
        // W their means are e0·A and d0·A + e0·B (A and B the means of exp(-t/τ) and
        // t·exp(-t/τ)); at its end, e0·E and (d0 + e0·W)·E, E = exp(-W/τ).
        let w = r.elapsed_s;
        let tau = TRAVEL_TAU_S;
        let end = (-w / tau).exp();
        let a = tau / w * (1.0 - end);
        let b = tau * tau / w * (1.0 - (1.0 + w / tau) * end);
        for i in 0..3 {
            let e0 = r.sum_v[i] / w / a;
            let d0 = (r.sum_d[i] / w - e0 * b) / a;
            self.velocity[i] -= e0 * end;
            self.displacement[i] -= (d0 + e0 * w) * end;
        }
        *r = Recovery::default();
        false
    }

    /// Position, speed and stillness of the travel channel (`acc`) or of the rotation
    /// (whose speed along the axis, `w`, and stillness the step computed).
    #[inline]
    pub(super) fn channel(&self, acc: bool, w: f32, still: bool) -> (f64, f32, bool) {
        if acc {
            (self.acc_pos, self.acc_speed, self.travel_still)
        } else {
            (self.gyro_pos, w, still)
        }
    }
}

impl RepCounter {
    /// When a floor drops: the detector of the travel channel (`acc`) or of the rotation, if
    /// idle, rests from where that channel is now. Measured from an anchor a drift has left
    /// behind, the lower floor would start an excursion at once.
    fn rest_if_idle(&mut self, acc: bool, t: f64) {
        let p = if acc {
            self.imu.acc_pos
        } else {
            self.imu.gyro_pos
        };
        let detector = if acc == self.imu.use_acc {
            &mut self.detector
        } else {
            &mut self.shadow.detector
        };
        if detector.is_idle() {
            detector.rest_at(t, p);
        }
    }
}

/// Steps buffered between the two halves of the IMU pipeline (see `feed_imu`).
const STEP_BUFFER: usize = 32;

/// One step from the first half of the IMU pipeline to the second.
#[derive(Debug, Clone, Copy, Default)]
pub(super) struct ImuStep {
    /// Time of the step's last sample (s).
    pub(super) t: f64,
    /// Low-passed, bias-corrected rotation rate over the step (rad/s).
    pub(super) rate: [f32; 3],
    /// Bias-corrected rotation rate over the step, not low-passed (rad/s): what turns the
    /// travel channel's frame, which must follow the sensor's orientation as it is.
    pub(super) turn: [f32; 3],
    /// Mean acceleration over the step (m/s²).
    pub(super) acc: [f32; 3],
    /// Length of the step (s).
    pub(super) dt: f32,
    /// Whether counting is on hold after a drop: read at the step, as the first half may
    /// move `hold_until` on at later samples of the buffer.
    pub(super) held: bool,
    /// Whether a gap longer than `GAP_ENDS_REP_S` came before this step: the movement in
    /// progress ends there (on both channels).
    pub(super) long_gap: bool,
    /// Time (s) in the step that no sample covered: the span of a gap longer than
    /// `MAX_GAP_S` (see `Recovery`).
    pub(super) hole_s: f32,
}

impl RepCounter {
    /// One IMU sample (used by `finish`, which feeds the sensor's own bias as its rate).
    pub(super) fn step_imu(
        &mut self,
        t: f64,
        acc: [f32; 3],
        gyro: [f32; 3],
        out: &mut Vec<RepEvent>,
    ) {
        let sample = [acc[0], acc[1], acc[2], gyro[0], gyro[1], gyro[2]];
        self.feed_imu(&[t], &sample, out);
    }

    /// The IMU pipeline on a (validated) batch, in two passes over up to `STEP_BUFFER`
    /// steps at a time: `imu_front` turns samples into steps (the mean acceleration and the
    /// bias-corrected rate over each), then `imu_step` runs the rest of the pipeline on
    /// each. Nothing in the second half feeds back into the first, so this is the same
    /// arithmetic in the same order per state as one pass; but apart, the divisions and
    /// low-pass of consecutive steps overlap in the CPU instead of heading each step's long
    /// chain of dependent operations.
    pub(super) fn feed_imu(&mut self, t_s: &[f64], samples: &[f32], out: &mut Vec<RepEvent>) {
        let mut steps = [ImuStep::default(); STEP_BUFFER];
        let mut done = 0;
        while done < t_s.len() {
            let (n, used) = self.imu_front(&t_s[done..], &samples[6 * done..], &mut steps);
            done += used;
            for step in &steps[..n] {
                self.imu_step(step, out);
            }
        }
    }

    /// The first half of the IMU pipeline, up to a full `steps` buffer: advance time, watch
    /// for free fall, sum the rate and the acceleration over each step; per step, low-pass
    /// the mean rate and track the gyroscope bias. Returns the number of steps and of
    /// samples used.
    ///
    /// Same arithmetic as advancing `last_t` sample by sample, but the time, the step's
    /// sums and the free-fall timer live in locals (registers) across the samples and are
    /// written back once at the end: per sample, no loads and stores through `self` and no
    /// `Option` to test.
    #[inline]
    pub(super) fn imu_front(
        &mut self,
        t_s: &[f64],
        samples: &[f32],
        steps: &mut [ImuStep; STEP_BUFFER],
    ) -> (usize, usize) {
        let Some(&t0) = t_s.first() else {
            return (0, 0);
        };
        // The first sample of a stream has no step: starting from `prev = t0` gives it the
        // step 0 (and no gap), exactly as a missing `last_t` did.
        let mut prev = match self.last_t {
            Some(prev) => prev,
            None => {
                self.rest.until = t0 + f64::from(config::LEARN_REST_S);
                self.imu.travel_from = t0 + TRAVEL_SETTLE_S;
                t0
            }
        };
        let mut last_dt = self.last_dt;
        let mut last = self.imu.last;
        let mut free_fall_s = self.imu.free_fall_s;
        let mut step_dt = self.imu.step_dt;
        let mut step_sum = self.imu.step_sum;
        let mut long_gap = false;
        let mut hole_s = 0.0f32;
        let (mut n, mut used) = (0, t_s.len());
        for (i, (&t, s)) in t_s.iter().zip(samples.chunks_exact(6)).enumerate() {
            let sample: [f32; 6] = std::array::from_fn(|i| s[i]);
            let acc = [s[0], s[1], s[2]];
            let span = t - prev;
            let (dt, gap) = time_step(prev, t);
            long_gap |= span > GAP_ENDS_REP_S;
            // Samples missing for a while short enough to integrate across (`MAX_GAP_S`).
            let hole = gap && span <= GAP_ENDS_REP_S;
            if dt > 0.0 {
                last_dt = dt;
            }
            prev = t;
            let dt = dt as f32;
            if gap {
                self.imu.acc.reset();
            }
            if hole {
                hole_s += span as f32;
            }
            let a2 = acc[0] * acc[0] + acc[1] * acc[1] + acc[2] * acc[2];
            if a2 < FREE_FALL_MS2 * FREE_FALL_MS2 {
                free_fall_s += dt;
                if free_fall_s >= FREE_FALL_S {
                    self.imu.hold_until = t + DROP_HOLD_S;
                }
            } else {
                free_fall_s = 0.0;
            }
            // Below the 2 Hz low-pass nothing changes within a few tens of ms: the pipeline
            // runs once per `PROCESS_STEP_S` (every sample at <= 33 Hz, every 2nd at 50 Hz,
            // every 3rd at 100 Hz) on the rate and the acceleration averaged over the step,
            // which integrate to the same angle and velocity (the average is itself a first
            // anti-aliasing filter; the travel channel, not low-passed, used to take one
            // sample per step and alias quick strokes). Per sample: these sums only.
            if hole {
                // Samples missing (a watch's dropped packets, a busy phone): the limb went on
                // moving meanwhile. Below the 2 Hz low-pass the rate changes smoothly over
                // a gap this short: integrate it (and the acceleration) from the sample
                // before to the sample after, so that an out-and-back movement with a hole
                // in it still comes back.
                let span = span as f32;
                step_dt += span;
                for ((a, x), x0) in step_sum.iter_mut().zip(sample).zip(last) {
                    *a += 0.5 * (x0 + x) * span;
                }
            } else {
                step_dt += dt;
                for (a, x) in step_sum.iter_mut().zip(sample) {
                    *a += x * dt;
                }
            }
            last = sample;
            if step_dt < PROCESS_STEP_S && !gap {
                continue;
            }
            let dt = step_dt;
            let step_mean = if dt > 0.0 {
                let inv = 1.0 / dt;
                step_sum.map(|a| a * inv)
            } else {
                sample
            };
            let (acc_mean, mean) = (
                [step_mean[0], step_mean[1], step_mean[2]],
                [step_mean[3], step_mean[4], step_mean[5]],
            );
            step_dt = 0.0;
            step_sum = [0.0; 6];
            let alpha = self.alpha.get(dt, config::LOWPASS_HZ);
            let imu = &mut self.imu;
            let raw = imu.gyro_raw.update(mean, alpha);
            // Rest detection for the gyroscope bias changes over seconds: checked on every
            // `STEADY_EVERY`-th step only.
            imu.steady_dt += dt;
            imu.steady_n += 1;
            if imu.steady_n >= STEADY_EVERY {
                let step = imu.steady_dt;
                imu.steady_n = 0;
                imu.steady_dt = 0.0;
                imu.track_rest(acc, raw, step);
            }
            steps[n] = ImuStep {
                t,
                rate: [
                    raw[0] - imu.bias[0],
                    raw[1] - imu.bias[1],
                    raw[2] - imu.bias[2],
                ],
                turn: [
                    mean[0] - imu.bias[0],
                    mean[1] - imu.bias[1],
                    mean[2] - imu.bias[2],
                ],
                acc: acc_mean,
                dt,
                held: t < imu.hold_until,
                long_gap,
                hole_s,
            };
            long_gap = false;
            hole_s = 0.0;
            n += 1;
            if n == STEP_BUFFER {
                used = i + 1;
                break;
            }
        }
        self.last_t = Some(prev);
        self.last_dt = last_dt;
        self.imu.last = last;
        self.imu.free_fall_s = free_fall_s;
        self.imu.step_dt = step_dt;
        self.imu.step_sum = step_sum;
        (n, used)
    }

    /// The second half of the IMU pipeline, once per step: movement axis, orientation,
    /// position, repetition detection.
    pub(super) fn imu_step(&mut self, step: &ImuStep, out: &mut Vec<RepEvent>) {
        let &ImuStep {
            t,
            rate: f,
            turn,
            acc,
            dt,
            held,
            long_gap,
            hole_s,
        } = step;
        if self.imu.bias_learned() && !self.rest.drift_released {
            // The bias is learned: the drift the first seconds showed is gone, and the floor
            // it raised with it.
            self.rest.drift_released = true;
            self.refresh_limits();
            self.rest_if_idle(false, t);
        }
        if !self.imu.travel_settled && t >= self.imu.travel_from {
            self.rest_if_idle(true, t);
            self.imu.travel_settled = true;
        }
        if long_gap {
            let (rotation, travel) = (self.imu.gyro_pos, self.imu.acc_pos);
            let (counted, other) = if self.imu.use_acc {
                (travel, rotation)
            } else {
                (rotation, travel)
            };
            self.detector.rest_at(t, counted);
            self.shadow.detector.rest_at(t, other);
        }
        let imu = &mut self.imu;
        let speed2 = f[0] * f[0] + f[1] * f[1] + f[2] * f[2];
        let still_speed = self.limits.still_speed;
        let still = speed2 < still_speed * still_speed;
        let axis = match self.limits.axis {
            Some(a) => a,
            None => {
                if !still {
                    // Every other moving sample is plenty for an axis that moves over
                    // seconds. Equal weights over the first seconds of movement, then
                    // forgetting.
                    imu.moving_s += dt;
                    imu.axis_dt += dt;
                    imu.axis_n += 1;
                    if imu.axis_n >= AXIS_EVERY {
                        let step = imu.axis_dt;
                        let k = if imu.moving_s >= AXIS_TAU_S {
                            step * (1.0 / AXIS_TAU_S)
                        } else {
                            (step / imu.moving_s.max(step)).min(1.0)
                        };
                        imu.axis.update(f, k);
                        imu.axis_n = 0;
                        imu.axis_dt = 0.0;
                    }
                }
                imu.axis.axis()
            }
        };
        let w = f[0] * axis[0] + f[1] * axis[1] + f[2] * axis[2];
        imu.rest_s = if still { imu.rest_s + dt } else { 0.0 };
        // The rotation's detector: the counted one, or the shadow while counting on travel.
        let gyro_detector = if imu.use_acc {
            &mut self.shadow.detector
        } else {
            &mut self.detector
        };
        if imu.rest_s >= REBASE_REST_S && gyro_detector.is_idle() {
            // At rest between repetitions: measure from here on, so that the angle never
            // nears the +-pi wrap however long the session.
            imu.orientation = Orientation::default();
            imu.twist = 0.0;
            imu.twist_position = 0.0;
            imu.rest_s = 0.0;
            imu.gyro_pos = 0.0;
            gyro_detector.rest_at(t, 0.0);
        }
        imu.orientation.rotate(f, dt);
        // Between exact readings of the twist, integrate the projected rate; every few samples
        // re-read it from the orientation, which closes out-and-back paths exactly.
        imu.gyro_pos += f64::from(w * dt);
        imu.since_twist += 1;
        if imu.since_twist >= TWIST_EVERY {
            imu.since_twist = 0;
            let twist = imu.orientation.twist(axis);
            // Unwrap around the integrated estimate: movements beyond half a turn (a full
            // arm raise) stay continuous, even when fast.
            let expected = (imu.gyro_pos - imu.twist_position) as f32;
            let mut step = twist - imu.twist - expected;
            let turns = step * (0.5 / PI);
            // `round` is a libm call on baseline x86-64, and the step is almost always within
            // half a turn, where it rounds to ±0: subtracting that (the sign of `step`) only
            // turns -0 into +0, which `+ 0.0` does without the call.
            step = if turns.abs() < 0.5 {
                step + 0.0
            } else {
                step - 2.0 * PI * turns.round()
            };
            imu.twist = twist;
            imu.twist_position += f64::from(step + expected);
            imu.gyro_pos = imu.twist_position;
            if imu.orientation.far() {
                // Long movement without rest (circles, a pendulum): measure from here on.
                // The position stays continuous; only the orientation's reference moves.
                imu.orientation = Orientation::default();
                imu.twist = 0.0;
            }
        }
        // While the accelerometer channel is the shadow, it runs once per `SHADOW_STEP_S` of
        // samples (every step at 10-16 Hz), on the mean acceleration over them:
        // it only has to tell which channel shows the repetitions. Counted on, every step.
        imu.shadow_dt += dt;
        for i in 0..3 {
            imu.shadow_acc[i] += acc[i] * dt;
            imu.shadow_rot[i] += turn[i] * dt;
        }
        // A hole is the travel's at once (see `Recovery`).
        let due = imu.use_acc || imu.shadow_dt >= SHADOW_STEP_S || hole_s > 0.0;
        let shadow_dt = (due && imu.shadow_dt > 0.0).then_some(imu.shadow_dt);
        if let Some(sdt) = shadow_dt {
            let inv = 1.0 / sdt;
            let mean = imu.shadow_acc.map(|a| a * inv);
            let rot = imu.shadow_rot;
            imu.shadow_dt = 0.0;
            imu.shadow_acc = [0.0; 3];
            imu.shadow_rot = [0.0; 3];
            if hole_s > 0.0 || imu.recovery.window_s > 0.0 {
                self.travel_recovery_step(t, mean, rot, sdt, inv, hole_s);
            } else {
                imu.acc_step(mean, rot, sdt, inv);
            }
        }
        self.position = self.imu.channel(self.imu.use_acc, w, still).0;
        if self.rest.active {
            self.learn_rest(t, speed2.sqrt(), None);
        }
        if let Some(sdt) = shadow_dt {
            let channel = self.imu.channel(!self.imu.use_acc, w, still);
            self.shadow_step(t, channel, held, sdt, out);
        }
        // After the shadow, which may have switched channels.
        let (p, v, s) = self.imu.channel(self.imu.use_acc, w, still);
        self.position = p;
        self.detect(t, v, s, held, dt, out);
    }

    /// The travel channel at a step with a hole (`hole_s` of it) or in a recovery window
    /// (see `Recovery`). When it restarts, what its detector had in progress is forgotten
    /// (the hole cut through it), and the time until the window ends is a blind span of
    /// its history; when the window closes, its position jumps by the errors taken out, and
    /// its detector rests from there.
    #[cold]
    #[inline(never)]
    fn travel_recovery_step(
        &mut self,
        t: f64,
        acc: [f32; 3],
        turn: [f32; 3],
        dt: f32,
        inv_dt: f32,
        hole_s: f32,
    ) {
        // The movement under way as the samples resume: its newest movement ended within two
        // of its periods of now. (Measured from the hole's start instead, more holes restart
        // the travel, and strokes at 3/s lost more to them.)
        let period_s = if hole_s > 0.0 {
            self.history[1].rhythm(t)
        } else {
            0.0
        };
        let was = self.imu.recovery.window_s > 0.0;
        self.imu
            .acc_step_recovering(acc, turn, dt, inv_dt, hole_s, period_s);
        let r = self.imu.recovery;
        let open = r.window_s > 0.0;
        let restarted = hole_s > 0.0 && open && r.elapsed_s == 0.0;
        if restarted {
            // A hole within the last blind span extends it.
            let to = t + f64::from(r.window_s);
            let from = match self.history[1].blind {
                Some((from, end)) if end >= t - f64::from(hole_s) => from,
                _ => t - f64::from(hole_s),
            };
            self.history[1].blind = Some((from, to));
        }
        if restarted || (was && !open) {
            self.imu.acc_speed = 0.0;
            let p = self.imu.acc_pos;
            let detector = if self.imu.use_acc {
                &mut self.detector
            } else {
                &mut self.shadow.detector
            };
            detector.rest_at(t, p);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A hand moving `x = A·sin(ωt)` along the first axis: the acceleration at `t`.
    fn acc(a_m: f32, omega: f32, t: f32) -> [f32; 3] {
        [-a_m * omega * omega * (omega * t).sin(), 0.0, 9.81]
    }

    /// One step of the travel channel, as `imu_step` takes it.
    fn step(imu: &mut ImuFront, acc: [f32; 3], dt: f32, hole_s: f32, period_s: f32) {
        if hole_s > 0.0 || imu.recovery.window_s > 0.0 {
            imu.acc_step_recovering(acc, [0.0; 3], dt, 1.0 / dt, hole_s, period_s);
        } else {
            imu.acc_step(acc, [0.0; 3], dt, 1.0 / dt);
        }
    }

    /// A travel channel that has followed that hand for `settle_s`, sampled every `dt`;
    /// returns it and the time reached.
    fn following(a_m: f32, omega: f32, dt: f32, settle_s: f32) -> (ImuFront, f32) {
        let mut imu = RepCounter::new(CounterConfig::default(), None).imu;
        let mut t = 0.0;
        while t < settle_s {
            t += dt;
            step(&mut imu, acc(a_m, omega, t), dt, 0.0, 0.0);
        }
        (imu, t)
    }

    #[test]
    fn a_hole_of_half_a_period_restarts_the_travel_and_a_shorter_one_carries_it_on() {
        // Strokes of ±5 cm at 1.5 per second (a period of 0.67 s), followed long enough for
        // the band-limiting to forget how they began.
        let (a_m, omega, dt) = (0.05f32, 1.5 * std::f32::consts::TAU, 0.01f32);
        let period = std::f32::consts::TAU / omega;
        let (settled, t0) = following(a_m, omega, dt, 30.0);
        let lose = |imu: &mut ImuFront, hole: f32, period: f32| {
            let (before, after) = (acc(a_m, omega, t0), acc(a_m, omega, t0 + hole));
            let mean = [0.5 * (before[0] + after[0]), 0.0, 9.81];
            step(imu, mean, hole, hole, period);
            // Whether it recovers: its position held where the hole found it.
            let recovering = imu.recovery.window_s > 0.0;
            assert_eq!(recovering, imu.acc_pos == settled.acc_pos);
            recovering
        };
        // 0.2 s lost (0.3 of a period): the velocity carries on (leaking), the
        // displacement with it, and the channel is read on.
        let mut imu = settled;
        assert!(!lose(&mut imu, 0.2, period));
        let kv = 0.2 / TRAVEL_TAU_S;
        assert!((imu.velocity[0] - settled.velocity[0] * (1.0 - kv)).abs() < 1e-6);
        assert_eq!(imu.recovery.window_s, 0.0);
        // 0.4 s lost (0.6 of a period): the velocity restarts from zero, the displacement
        // stays, and the channel is held for a window of one period.
        let mut imu = settled;
        assert!(lose(&mut imu, 0.4, period));
        assert_eq!(imu.velocity, [0.0; 3]);
        assert_eq!(imu.displacement, settled.displacement);
        assert_eq!(imu.recovery.window_s, period);
        // With no movement under way to measure the hole against, it carries on.
        let mut imu = settled;
        assert!(!lose(&mut imu, 0.4, 0.0));
        assert_eq!(imu.recovery.window_s, 0.0);
    }

    #[test]
    fn the_recovery_window_takes_out_the_velocity_and_displacement_errors_it_shows() {
        // The same strokes, followed long enough for the band-limiting and gravity to forget
        // how they began (their means over a period are then zero).
        let (a_m, omega, dt) = (0.05f32, 1.5 * std::f32::consts::TAU, 0.01f32);
        let period = std::f32::consts::TAU / omega;
        let (mut reference, mut t) = following(a_m, omega, dt, 30.0);
        // The same channel with its velocity 0.3 m/s and its displacement 3 cm off (as a
        // restart leaves them: the stroke's peak speed is 0.47 m/s), recovering.
        let mut off = reference;
        off.velocity[0] += 0.3;
        off.displacement[0] -= 0.03;
        off.recovery = Recovery {
            window_s: period,
            ..Recovery::default()
        };
        let gap = |a: &ImuFront, b: &ImuFront| {
            (
                (a.velocity[0] - b.velocity[0]).abs(),
                (a.displacement[0] - b.displacement[0]).abs(),
            )
        };
        // Held through the window, the errors decaying only with the band-limiting...
        let mut before = (0.0, 0.0);
        let held_at = off.acc_pos;
        while off.recovery.window_s > 0.0 {
            assert_eq!(
                off.acc_pos, held_at,
                "the position is held through the window"
            );
            t += dt;
            before = gap(&off, &reference);
            step(&mut reference, acc(a_m, omega, t), dt, 0.0, 0.0);
            step(&mut off, acc(a_m, omega, t), dt, 0.0, 0.0);
        }
        assert!(before.0 > 0.15 && before.1 > a_m, "{before:?}");
        // ... then taken out: read again, within a tenth of the stroke's speed and size of
        // the channel that had no error, and staying there.
        for _ in 0..200 {
            let (dv, dd) = gap(&off, &reference);
            assert!(dv < 0.05 && dd < 0.1 * a_m, "{dv} m/s, {dd} m off at {t} s");
            t += dt;
            step(&mut reference, acc(a_m, omega, t), dt, 0.0, 0.0);
            step(&mut off, acc(a_m, omega, t), dt, 0.0, 0.0);
            assert_eq!(off.recovery.window_s, 0.0);
        }
    }
}
