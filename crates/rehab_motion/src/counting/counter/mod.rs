//! The streaming repetition counter: validates batches, turns IMU or scalar samples into
//! position-like signals, detects repetitions on them and classifies them against the target.
//!
//! One job per file:
//! - `validate`: a batch is checked once, at the boundary, with a typed error;
//! - `imu`: the IMU front end (bias, orientation, the rotation channel, the travel channel) and
//!   its per-step pipeline; the scalar front end stays here;
//! - `channels`: the channels not counted on, and when counting moves to one of them;
//! - `segment`: from an excursion to a counted repetition (rhythm, held strays, emission);
//! - `onset`: the start of a set, and its going on after a pause (the set-up before it,
//!   a fidget in a rest, are held back, then dropped);
//! - `rhythm`: the set's pace, size and speed;
//! - `target`: calibration, the reference range and the adapted target.
//!
//! IMU samples give two such signals: the rotation about the movement's own axis (the
//! default), and the travel: the displacement along the direction the hand moves most
//! (for movements that travel and hardly turn: presses, wiping, sawing, an upright row). A
//! second detector watches the signal not counted on, and counting moves to it when the
//! rotation splits the repetitions (the split rule) or misses them (the miss rule), and back
//! when the travel loses them (the lost rule; see
//! `channels.rs`).

mod channels;
mod imu;
mod onset;
mod rhythm;
mod segment;
mod target;
mod validate;

use channels::{History, Shadow};
use imu::{ImuFront, Recovery};
use onset::Onset;
use rhythm::Rhythm;
use segment::{relax, running_amplitude};
pub use target::reference_from_best;

use std::f32::consts::PI;

use super::config::{self, CounterConfig, CountingHint, Motion, SignalKind};
use super::detector::{Detector, Excursion, Thresholds};
use super::error::CountingError;
use super::filters::{lowpass_alpha, slow_alpha, LowPass2, Orientation, PrincipalAxis, StepAlpha};

/// Whether a movement reached the person's target range.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RepKind {
    /// A repetition that reached the target (or any repetition when no target is set).
    Rep,
    /// A real repetition movement that fell short of the target.
    Attempt,
}

/// One counted movement.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RepEvent {
    pub kind: RepKind,
    /// Position among all events of this counter (reps and attempts), from 0: the order
    /// they were counted in.
    pub index: u32,
    /// When the movement left its starting point (s, sample time). Events come in the
    /// order they are counted, not always in time order: one found late (when counting
    /// moves to the travel channel, the movements the rotation missed) carries its own,
    /// earlier, times.
    pub start_s: f64,
    /// When the movement was back (s, sample time); the event is emitted at this sample,
    /// or later: at the end of a run that establishes the set, or, for a movement the
    /// rotation missed, when counting moves to the travel channel (within the last eight
    /// movements of that channel).
    pub end_s: f64,
    /// Range-of-motion proxy: radians of rotation for IMU signals (metres of hand
    /// travel when `travel`: counted on the limb's travel), signal units for scalars.
    pub amplitude: f32,
    pub duration_s: f32,
    /// Highest speed during the movement: rad/s for IMU signals (m/s when `travel`),
    /// units/s for scalars.
    pub peak_speed: f32,
    /// Whether `amplitude` reached the target; always true without a reference range.
    pub reached_target: bool,
    /// Whether this movement was counted on the limb's travel (gravity-removed acceleration
    /// brought to a displacement, see [`RepCounter::counts_travel`]): then `amplitude` is in
    /// metres and `peak_speed` in m/s. A set can hold both kinds: counting moves to the
    /// travel when the rotation misses or splits the repetitions.
    pub travel: bool,
}

/// Plausible sample values: acceleration (m/s², ~100 g: beyond any human movement and any
/// phone accelerometer's range), rotation rate (rad/s, ~5,700 °/s), and scalar signals
/// (any unit: force in N, angles in degrees, millimetres).
pub(super) const MAX_ACC_M_S2: f32 = 1_000.0;
pub(super) const MAX_GYRO_RAD_S: f32 = 100.0;
pub(super) const MAX_SCALAR: f32 = 1.0e6;
/// Two samples of one batch are at most this far apart (s).
pub(super) const MAX_IN_BATCH_GAP_S: f64 = 10.0;
/// A gap in the samples longer than this (s) ends the movement in progress: what came
/// after it is not the same movement's return.
const GAP_ENDS_REP_S: f64 = 2.0;
/// Gaps longer than this (s) are missing data: the accelerometer's filter restarts, and up
/// to `GAP_ENDS_REP_S` the rotation and the acceleration are integrated across the gap from
/// the sample before it to the one after (longer: over this much only).
const MAX_GAP_S: f64 = 0.25;
/// The IMU pipeline after the low-pass runs once per this many seconds of samples (s).
const PROCESS_STEP_S: f32 = 0.03;
/// Time constant (s of movement) of the principal-axis estimate.
const AXIS_TAU_S: f32 = 5.0;
/// Gyroscope bias: learned while the sensor is steady (rotation rate within `GYRO_STEADY`
/// rad/s and acceleration within `ACC_STEADY` m/s² of their 1 s averages) for at least
/// `BIAS_SETTLE_S`, with time constant `BIAS_TAU_S`, never beyond `MAX_BIAS` rad/s.
const STEADY_HZ: f32 = 0.16;
const ACC_LOWPASS_HZ: f32 = 2.0;
const STEADY_EVERY: u32 = 4;
/// The twist angle is read exactly from the orientation every this many samples.
const TWIST_EVERY: u32 = 4;
/// The movement axis is updated on every this many moving samples.
const AXIS_EVERY: u32 = 2;
const GYRO_STEADY: f32 = 0.03;
const ACC_STEADY: f32 = 0.15;
const BIAS_TAU_S: f32 = 2.0;
const BIAS_SETTLE_S: f32 = 1.0;
/// The bias counts as learned after this many seconds of learning (two time constants).
const BIAS_LEARNED_S: f32 = 2.0 * BIAS_TAU_S;
const MAX_BIAS: f32 = 0.15;
/// Free fall (a dropped phone): acceleration below this (m/s²) for `FREE_FALL_S`.
/// Vigorous arm swings reach 0.2 g for up to ~0.16 s; a phone falling 30 cm is weightless
/// for 0.25 s.
const FREE_FALL_MS2: f32 = 1.96;
const FREE_FALL_S: f32 = 0.25;
/// After a drop, nothing is counted for this long (s) and any excursion is forgotten.
const DROP_HOLD_S: f64 = 1.5;
/// The first seconds teach the rest floor only if nothing faster than this moved (rad/s).
const QUIET_SPEED_RAD_S: f32 = 0.3;
/// The rest floor is this many times the excursion seen at rest, ...
const REST_FLOOR_FACTOR: f64 = 2.0;
/// ... when that excursion is a tremor: an oscillation at this frequency (Hz) or faster,
/// whose peak speed is at least π times the frequency times its range. A slower one is a
/// movement or a drift (the sensor settling, the arm sinking, a gyroscope bias not yet
/// learned turning the angle steadily), tells nothing of how far the person's rest
/// wanders, and would lift the floor over small repetitions.
const REST_TREMOR_HZ: f64 = 2.0;
/// Time constant (s) of the scalar noise estimate.
const NOISE_TAU_S: f32 = 5.0;
/// Mean |second difference| of white noise is `NOISE_D2_FACTOR` times its standard deviation.
const NOISE_D2_FACTOR: f32 = 1.954;
/// Stillness for a scalar signal: moving less than this fraction of the hysteresis per second.
const SCALAR_STILL_FRACTION: f32 = 0.25;
/// At the end of a set, a movement that has come back by this fraction counts: the person
/// was on the way back when the set ended.
const FINISH_RETURN_FRACTION: f64 = 0.25;
/// After this long at rest (s) between repetitions, angles are measured from the new pose.
const REBASE_REST_S: f32 = 1.0;
/// `finish` lets the filters settle for this long (s) before deciding on the last movement.
const SETTLE_S: f64 = 0.6;
/// The travel channel: gravity in the fixed frame follows the measured acceleration with
/// this time constant (s), absorbing the orientation's slow drift.
const GRAVITY_TAU_S: f32 = 1.5;
/// Leak time constant (s) of the travel channel's velocity and displacement integrals.
const TRAVEL_TAU_S: f32 = 1.0;
/// The hand is travelling above this speed (m/s).
const TRAVEL_STILL_M_S: f32 = 0.03;
/// Shortest and longest window (s) the travel channel recovers over after a hole (see
/// `Recovery`): a stroke at 3 per second; a repetition as slow as `TRAVEL_SLOW_S`.
const RECOVER_MIN_S: f32 = 0.3;
const RECOVER_MAX_S: f32 = 3.0;
/// Floors of the travel channel: a repetition moves the hand at least this far (m), above
/// the jitter of a hand-held or wrist-worn phone, ...
const TRAVEL_FLOOR_M: f64 = 0.015;
/// ... and at least this times the square of its duration (m/s²): the channel is the
/// acceleration integrated twice, so what it misreads (gravity seen through a small tilt
/// error, the sensor's drift) grows as the square of the time a movement lasts: ½·a·d² for
/// an error `a` held over `d` seconds, here a = 0.01 m/s² (gravity through a 0.06° tilt).
/// A quick stroke of 2 cm is a real movement; 2 cm over 3 s is not told from such an
/// error. The floor is 1.5 cm up to 1.7 s, 2 cm at 2 s, 4.5 cm at 3 s.
const TRAVEL_FLOOR_M_S2: f64 = 0.005;
/// ... at a peak speed of at least this (m/s).
const TRAVEL_FLOOR_M_S: f32 = 0.03;
/// Over the first seconds of a stream the travel channel is not yet to be trusted: the
/// gyroscope's bias is not learned (the frame turns steadily) and the gravity tracker has
/// not caught up with that turning, which the double integral shows as a slow drift of a
/// few centimetres. Until `TRAVEL_SETTLE_S` (s) after the first sample (twice the
/// gravity tracker's time constant), its floor is `TRAVEL_START_FLOOR_M` (m): quick
/// strokes of 2-4 cm made then are not seen.
const TRAVEL_SETTLE_S: f64 = 2.0 * GRAVITY_TAU_S as f64;
const TRAVEL_START_FLOOR_M: f64 = 0.04;
/// An amplitude of the travel channel (`acc`, m) or of the rotation (rad) in radians.
#[inline]
fn rad_equivalent(acc: bool, amplitude: f64) -> f64 {
    if acc {
        amplitude / LEVER_M
    } else {
        amplitude
    }
}

/// Travel compared with rotation: a limb turning θ moves a sensor this far from the joint
/// (m) by about θ times it, so metres over it compare with the gyroscope's radians.
const LEVER_M: f64 = 0.35;
/// While not counted on, the travel channel and the shadow detector run once per this many
/// seconds of samples (s): ~8 samples per cycle of the fastest repetitions (3 per second).
const SHADOW_STEP_S: f32 = 0.04;

/// The time step (s) from `prev` to `t`, clamped to `MAX_GAP_S`, and whether it was a gap
/// (the IMU pipeline integrates a gap of up to `GAP_ENDS_REP_S` itself).
#[inline]
fn time_step(prev: f64, t: f64) -> (f64, bool) {
    let d = t - prev;
    (d.min(MAX_GAP_S), d > MAX_GAP_S)
}

#[derive(Debug, Clone, Copy)]
pub(super) struct ScalarFront {
    lp: LowPass2<1>,
    speed: f32,
    prev_p: f64,
    x1: f32,
    x2: f32,
    n: u32,
    noise_abs: f32,
    last_value: f32,
}

#[derive(Debug, Clone, Copy)]
pub(super) struct RestLearner {
    until: f64,
    lo: f64,
    hi: f64,
    max_speed: f32,
    active: bool,
    /// The floor learned from a tremor at rest (see `REST_TREMOR_HZ`).
    floor: f64,
    /// The floor learned from any quiet rest, a drift included: it holds only until the
    /// gyroscope's bias is learned (see `drift_released`).
    drift_floor: f64,
    /// Whether the bias is learned and `drift_floor` no longer applies.
    drift_released: bool,
}

/// Thresholds that change only when the signal kind is known or the rest floor is learned;
/// cached so the per-sample path does not recompute them.
#[derive(Debug, Clone, Copy)]
pub(super) struct Limits {
    /// Largest of the absolute (IMU), learned and hinted floors.
    floor: f64,
    floor_speed: f32,
    still_speed: f32,
    min_rep_s: f64,
    max_rep_s: f64,
    return_fraction: f64,
    detect_fraction: f64,
    /// `1 / amplitude_relax_s`.
    relax_rate: f32,
    axis: Option<[f32; 3]>,
}

/// Streaming repetition counter for one sensor stream. Plain data, no heap: `Clone` is cheap.
#[derive(Debug, Clone)]
pub struct RepCounter {
    config: CounterConfig,
    hint: Option<CountingHint>,
    kind: Option<SignalKind>,
    last_t: Option<f64>,
    last_dt: f64,
    /// Low-pass factor of the last step (see `StepAlpha`).
    alpha: StepAlpha,
    position: f64,
    imu: ImuFront,
    scalar: ScalarFront,
    rest: RestLearner,
    detector: Detector,
    /// IMU only: each channel's latest excursions, indexed by `use_acc` (0: rotation,
    /// 1: travel); see `missed_run`.
    history: [History; 2],
    /// The start of the set: movements held until the repetition is established.
    onset: Onset,
    /// Inside `finish`: the last movement on the travel channel must look like the set's
    /// (see `accept`).
    settling: bool,
    /// When the last reported movement ended (s); catching up never reports one from before.
    last_end_s: f64,
    /// IMU only: the channel not counted on (see `shadow_step`).
    shadow: Shadow,
    /// Movements not to report after a switch of channel (see `shadow_step`).
    owed: u32,
    limits: Limits,
    running_amplitude: f64,
    /// Direction (+1 / -1) of the counted repetitions; 0 before the first.
    rep_dir: f64,
    rhythm: Rhythm,
    /// A valid excursion against the repetitions' direction, held back (see `accept`) until
    /// the next one shows whether the movement really changed direction (then both count)
    /// or it was a lone movement; `finish` decides on one still held at the end of the set.
    pending: Option<Excursion>,
    reference: Option<f32>,
    fraction: f32,
    below_streak: u32,
    above_streak: u32,
    calibrating: bool,
    best: [f32; 3],
    calibration_reps: u32,
    reps: u32,
    attempts: u32,
}

impl RepCounter {
    /// A counter for one set. Without a hint the signal kind is taken from the first push.
    pub fn new(config: CounterConfig, hint: Option<CountingHint>) -> Self {
        let mut counter = Self {
            config,
            hint,
            kind: hint.map(|h| h.signal),
            last_t: None,
            last_dt: 0.02,
            alpha: StepAlpha::default(),
            position: 0.0,
            imu: ImuFront {
                travel_from: f64::INFINITY,
                travel_settled: false,
                gyro_raw: LowPass2::from_zero(),
                gyro_slow: [0.0; 3],
                acc: LowPass2::default(),
                acc_slow: [0.0; 3],
                slow_primed: false,
                steady_n: 0,
                steady_dt: 0.0,
                bias: [0.0; 3],
                steady_s: 0.0,
                bias_learning_s: 0.0,
                axis: PrincipalAxis::default(),
                moving_s: 0.0,
                axis_n: 0,
                axis_dt: 0.0,
                orientation: Orientation::default(),
                twist: 0.0,
                twist_position: 0.0,
                since_twist: 0,
                rest_s: 0.0,
                free_fall_s: 0.0,
                hold_until: f64::NEG_INFINITY,
                last: [0.0; 6],
                step_dt: 0.0,
                step_sum: [0.0; 6],
                gyro_pos: 0.0,
                frame: Orientation::default(),
                acc_primed: false,
                gravity: [0.0; 3],
                gravity_drift: [0.0; 3],
                velocity: [0.0; 3],
                displacement: [0.0; 3],
                travel_still: true,
                acc_axis: PrincipalAxis::default(),
                acc_axis_n: 0,
                acc_pos: 0.0,
                acc_speed: 0.0,
                use_acc: hint.and_then(|h| h.motion) == Some(Motion::Travel),
                shadow_dt: 0.0,
                shadow_acc: [0.0; 3],
                shadow_rot: [0.0; 3],
                recovery: Recovery::default(),
            },
            scalar: ScalarFront {
                lp: LowPass2::default(),
                speed: 0.0,
                prev_p: 0.0,
                x1: 0.0,
                x2: 0.0,
                n: 0,
                noise_abs: 0.0,
                last_value: 0.0,
            },
            rest: RestLearner {
                until: f64::NAN,
                lo: f64::INFINITY,
                hi: f64::NEG_INFINITY,
                max_speed: 0.0,
                active: true,
                floor: 0.0,
                drift_floor: 0.0,
                drift_released: false,
            },
            detector: Detector::default(),
            shadow: Shadow::default(),
            history: [History::default(); 2],
            onset: Onset::default(),
            settling: false,
            last_end_s: f64::NEG_INFINITY,
            owed: 0,
            limits: Limits {
                floor: 0.0,
                floor_speed: 0.0,
                still_speed: 0.0,
                min_rep_s: 0.0,
                max_rep_s: 0.0,
                return_fraction: 0.0,
                detect_fraction: 0.0,
                relax_rate: 0.0,
                axis: None,
            },
            running_amplitude: 0.0,
            rep_dir: 0.0,
            rhythm: Rhythm::default(),
            pending: None,
            reference: None,
            fraction: config.target_fraction,
            below_streak: 0,
            above_streak: 0,
            calibrating: false,
            best: [0.0; 3],
            calibration_reps: 0,
            reps: 0,
            attempts: 0,
        };
        counter.refresh_limits();
        counter
    }

    /// Feed a batch of IMU samples: `t_s[i]` in seconds, `samples[6*i..6*i+6]` =
    /// `ax, ay, az` (m/s²), `gx, gy, gz` (rad/s). Completed movements are appended to `out`.
    /// A rejected batch leaves the counter unchanged.
    pub fn push_imu(
        &mut self,
        t_s: &[f64],
        samples: &[f32],
        out: &mut Vec<RepEvent>,
    ) -> Result<(), CountingError> {
        self.validate(SignalKind::Imu6, t_s, samples, 6)?;
        if self.kind.is_none() {
            self.kind = Some(SignalKind::Imu6);
            self.refresh_limits();
        }
        self.feed_imu(t_s, samples, out);
        Ok(())
    }

    /// Feed a batch of scalar samples (`values[i]` at `t_s[i]`, any unit).
    pub fn push_scalar(
        &mut self,
        t_s: &[f64],
        values: &[f32],
        out: &mut Vec<RepEvent>,
    ) -> Result<(), CountingError> {
        self.validate(SignalKind::Scalar, t_s, values, 1)?;
        if self.kind.is_none() {
            self.kind = Some(SignalKind::Scalar);
            self.refresh_limits();
        }
        for (&t, &x) in t_s.iter().zip(values) {
            self.step_scalar(t, x, out);
        }
        Ok(())
    }

    /// End of the set: let the filters settle on the last input, report a last movement that
    /// has come back, and forget any excursion still in progress. Counts and the target stay.
    pub fn finish(&mut self, out: &mut Vec<RepEvent>) {
        let (Some(t_last), Some(kind)) = (self.last_t, self.kind) else {
            return;
        };
        let dt = self.last_dt.clamp(0.005, 0.05);
        let steps = (SETTLE_S / dt).ceil() as u32;
        self.settling = true;
        for i in 1..=steps {
            let t = t_last + f64::from(i) * dt;
            match kind {
                SignalKind::Imu6 => {
                    let (acc, bias) = (self.imu.last_acc(), self.imu.bias);
                    self.step_imu(t, acc, bias, out);
                }
                SignalKind::Scalar => self.step_scalar(t, self.scalar.last_value, out),
            }
        }
        self.last_t = Some(t_last);
        let th = self.thresholds();
        let cut = self.detector.in_progress();
        if let Some(e) = self
            .detector
            .finish(t_last, self.position, FINISH_RETURN_FRACTION, &th)
        {
            if !self.rhythm.outlasted_by(e.end_s - e.start_s) {
                self.accept(e, th.floor_amplitude, out);
            }
        } else if let Some(e) = cut.filter(|e| self.rhythm.continues_with(e)) {
            // The set ended on the way out of a repetition in the set's own rhythm, size,
            // speed and direction: the recording cut its return off, the person did it.
            let e = Excursion { end_s: t_last, ..e };
            self.accept(e, th.floor_amplitude, out);
        }
        if let Some(held) = self.pending.take() {
            // No movement came after the held one to tell: count it if it looked like the
            // set's repetitions in all but direction and timing (the person turned round for
            // a last rep); a smaller or much faster or slower one was something else.
            if self.rhythm.sized_like(&held) {
                self.rep_dir = held.dir;
                self.count(held, th.floor_amplitude, out);
            }
        }
        self.settling = false;
        if !self.onset.begun {
            // The set never began: its movements were too few, or too unlike one
            // another, to establish it; count them now (see `Onset::at_end`).
            let onset = self.onset;
            self.onset = Onset {
                begun: true,
                ..Onset::default()
            };
            for e in onset.at_end() {
                self.emit(*e, out);
            }
        }
    }

    /// Start a new set with the same person and sensor: counts, the excursion in progress,
    /// the movement axis and the adapted target fraction are reset; the learned rest floor,
    /// gyroscope bias and reference range are kept, and so is what tracks the sensor itself
    /// (its filters, the last sample, gravity and the travel channel's frame and velocity):
    /// the stream goes on, and a hole or a movement straight after the reset is integrated
    /// as it would have been without one.
    pub fn reset(&mut self) {
        let mut fresh = Self::new(self.config, self.hint);
        fresh.kind = self.kind;
        fresh.last_t = self.last_t;
        fresh.last_dt = self.last_dt;
        // What belongs to the set: the rotation's axis and position, and the travel's
        // principal direction and position along it, are learned anew. The rest is the
        // sensor's state.
        let set = fresh.imu;
        fresh.imu = ImuFront {
            axis: set.axis,
            moving_s: set.moving_s,
            axis_n: set.axis_n,
            axis_dt: set.axis_dt,
            orientation: set.orientation,
            twist: set.twist,
            twist_position: set.twist_position,
            since_twist: set.since_twist,
            gyro_pos: set.gyro_pos,
            acc_axis: set.acc_axis,
            acc_axis_n: set.acc_axis_n,
            acc_pos: set.acc_pos,
            acc_speed: set.acc_speed,
            use_acc: set.use_acc,
            ..self.imu
        };
        fresh.scalar = self.scalar;
        fresh.rest = self.rest;
        fresh.rest.active = false;
        fresh.reference = self.reference;
        // The limits follow the kind and the rest kept (built for neither by `new`: a scalar
        // counter without a hint had radian floors after a reset).
        fresh.refresh_limits();
        *self = fresh;
    }

    /// Following movements are calibration repetitions: the person's best effort. They are
    /// reported as reps; [`RepCounter::end_calibration`] turns the best 2-3 into the reference.
    pub fn begin_calibration(&mut self) {
        self.calibrating = true;
        self.best = [0.0; 3];
        self.calibration_reps = 0;
    }

    /// Stop calibrating; the mean amplitude of the best (up to 3) calibration repetitions
    /// becomes the reference range. `None` (and no change) if fewer than 2 were made.
    pub fn end_calibration(&mut self) -> Option<f32> {
        self.calibrating = false;
        let n = (self.calibration_reps as usize).min(3);
        let reference = reference_from_best(&self.best[..n])?;
        self.set_reference_range(reference).ok()?;
        Some(reference)
    }

    /// Set the person's reference range (signal units, e.g. from an earlier calibration).
    /// Resets the adapted target fraction to the configured one. When counting moves
    /// between the rotation and the accelerometer (see [`RepCounter::counts_travel`]) the
    /// reference moves with it, in proportion to the two channels' running amplitudes.
    pub fn set_reference_range(&mut self, range: f32) -> Result<(), CountingError> {
        if !range.is_finite() || range <= 0.0 {
            return Err(CountingError::InvalidReference { range });
        }
        self.reference = Some(range);
        self.fraction = self.config.target_fraction;
        self.below_streak = 0;
        self.above_streak = 0;
        Ok(())
    }

    /// Forget the reference range: every movement counts as a rep again.
    pub fn clear_reference_range(&mut self) {
        self.reference = None;
    }

    /// The reference range, in the units of the amplitudes currently reported.
    pub fn reference_range(&self) -> Option<f32> {
        self.reference
    }

    /// Current (adapted) target as a fraction of the reference range.
    pub fn target_fraction(&self) -> f32 {
        self.fraction
    }

    /// Current target amplitude, if a reference range is set.
    pub fn target_range(&self) -> Option<f32> {
        self.reference.map(|r| r * self.fraction)
    }

    pub fn rep_count(&self) -> u32 {
        self.reps
    }

    pub fn attempt_count(&self) -> u32 {
        self.attempts
    }

    /// Current position along the movement (radians about the principal axis for IMU
    /// signals, or g along the accelerometer's axis while [`RepCounter::counts_travel`]; the
    /// low-passed value for scalars): for a live gauge and for diagnostics.
    pub fn position(&self) -> f64 {
        self.position
    }

    /// The rotation axis (unit vector, sensor frame) IMU movement is measured about: the
    /// hinted axis or the one found online.
    pub fn axis(&self) -> [f32; 3] {
        match self.hint.and_then(|h| h.axis) {
            Some(a) => a.unit(),
            None => self.imu.axis.axis(),
        }
    }

    /// IMU signals: whether repetitions are counted on the accelerometer (the limb travels
    /// and hardly turns, as in an upright row) rather than on the rotation. For diagnostics.
    pub fn counts_travel(&self) -> bool {
        self.kind == Some(SignalKind::Imu6) && self.imu.use_acc
    }

    pub fn signal_kind(&self) -> Option<SignalKind> {
        self.kind
    }

    /// The smallest amplitude that can currently count (absolute and learned floors).
    pub fn floor(&self) -> f32 {
        self.floor_amplitude() as f32
    }

    /// Advance time; returns the step (s), clamped so that a gap is not integrated over.
    #[inline]
    fn advance(&mut self, t: f64) -> (f32, bool) {
        let (dt, gap) = match self.last_t {
            None => {
                self.rest.until = t + f64::from(config::LEARN_REST_S);
                (0.0, false)
            }
            Some(prev) => time_step(prev, t),
        };
        if dt > 0.0 {
            self.last_dt = dt;
        }
        self.last_t = Some(t);
        (dt as f32, gap)
    }

    /// One IMU sample (used by `finish`, which feeds the sensor's own bias as its rate).
    #[inline]
    fn step_scalar(&mut self, t: f64, x: f32, out: &mut Vec<RepEvent>) {
        let long_gap = self.last_t.is_some_and(|prev| t - prev > GAP_ENDS_REP_S);
        let (dt, gap) = self.advance(t);
        if long_gap {
            self.detector.rest_at(t, self.position);
        }
        let alpha = self.alpha.get(dt, config::LOWPASS_HZ);
        let s = &mut self.scalar;
        if gap {
            s.lp.reset();
        }
        s.last_value = x;
        let p = f64::from(s.lp.update([x], alpha)[0]);
        if s.n >= 2 {
            let d2 = (x - 2.0 * s.x1 + s.x2).abs();
            let k = (1.0 / s.n as f32).max(dt / NOISE_TAU_S).min(1.0);
            s.noise_abs += k * (d2 - s.noise_abs);
        }
        s.x2 = s.x1;
        s.x1 = x;
        s.n = s.n.saturating_add(1);
        let v = if dt > 0.0 && s.n > 1 {
            ((p - s.prev_p) / f64::from(dt)) as f32
        } else {
            0.0
        };
        s.prev_p = p;
        s.speed += alpha * (v - s.speed);
        let w = s.speed;
        self.position = p;
        let h = self.hysteresis() as f32;
        let still = w.abs() < SCALAR_STILL_FRACTION * h;
        if self.rest.active {
            let sigma = f64::from(self.scalar.noise_abs / NOISE_D2_FACTOR);
            self.learn_rest(t, 0.0, Some(sigma));
        }
        self.detect(t, w, still, false, dt, out);
    }

    /// Learn the rest floor from the first seconds, if they were quiet.
    fn learn_rest(&mut self, t: f64, speed: f32, scalar_sigma: Option<f64>) {
        let r = &mut self.rest;
        if t <= r.until {
            r.lo = r.lo.min(self.position);
            r.hi = r.hi.max(self.position);
            r.max_speed = r.max_speed.max(speed);
            return;
        }
        r.active = false;
        let range = r.hi - r.lo;
        let quiet = match scalar_sigma {
            None => r.max_speed < QUIET_SPEED_RAD_S,
            Some(sigma) => range < 12.0 * sigma,
        };
        if quiet && range.is_finite() {
            // No speed floor is learned: a sensor at rest, low-passed, turns at hundredths
            // of a rad/s (under `MIN_PEAK_SPEED_RAD_S`), and what moved faster in the first
            // seconds (a person settling at 0.27 rad/s) is no measure of noise, while slow
            // low-amplitude repetitions peak at 0.15-0.3 rad/s.
            let tremor = scalar_sigma.is_some()
                || f64::from(r.max_speed) >= std::f64::consts::PI * REST_TREMOR_HZ * range;
            if tremor {
                r.floor = REST_FLOOR_FACTOR * range;
            } else {
                // A drift: the gyroscope's bias not yet learned turns the angle steadily,
                // and would start excursions of its own until it is.
                r.drift_floor = REST_FLOOR_FACTOR * range;
            }
        }
        self.refresh_limits();
    }

    fn refresh_limits(&mut self) {
        let (min_rep, max_rep) = match self.hint.and_then(|h| h.expected_rep_s) {
            Some((lo, hi)) => (
                config::MIN_REP_S.max(0.25 * lo),
                config::MAX_REP_S.max(3.0 * hi),
            ),
            None => (config::MIN_REP_S, config::MAX_REP_S),
        };
        let scalar = self.kind == Some(SignalKind::Scalar);
        let absolute = if scalar {
            0.0
        } else {
            config::MIN_AMPLITUDE_RAD
        };
        // A travel hint's floor is metres of hand travel (see `channel_floor`).
        let hinted = self
            .hint
            .filter(|h| h.motion != Some(Motion::Travel))
            .and_then(|h| h.min_range)
            .unwrap_or(0.0);
        let floor_speed = config::MIN_PEAK_SPEED_RAD_S;
        self.limits = Limits {
            floor: f64::from(absolute.max(hinted)).max(self.rest.floor).max(
                if self.rest.drift_released {
                    0.0
                } else {
                    self.rest.drift_floor
                },
            ),
            floor_speed: if scalar { 0.0 } else { floor_speed },
            still_speed: 0.5 * floor_speed,
            min_rep_s: f64::from(min_rep),
            max_rep_s: f64::from(max_rep),
            return_fraction: f64::from(config::RETURN_FRACTION),
            detect_fraction: f64::from(config::DETECT_FRACTION),
            relax_rate: 1.0 / config::AMPLITUDE_RELAX_S,
            axis: self.hint.and_then(|h| h.axis).map(|a| a.unit()),
        };
    }

    #[inline]
    fn floor_amplitude(&self) -> f64 {
        match self.kind {
            Some(SignalKind::Scalar) => {
                let sigma = self.scalar.noise_abs / NOISE_D2_FACTOR;
                let tiny = 1e-6 * (1.0 + self.position.abs());
                let noise = f64::from(config::SCALAR_NOISE_FACTOR * sigma).max(tiny);
                self.limits.floor.max(noise)
            }
            _ => self.channel_floor(self.imu.use_acc),
        }
    }

    /// IMU: the absolute floor of the travel channel (`acc`, m) or of the rotation (rad).
    #[inline]
    fn channel_floor(&self, acc: bool) -> f64 {
        if acc {
            let hinted = self
                .hint
                .filter(|h| h.motion == Some(Motion::Travel))
                .and_then(|h| h.min_range)
                .map_or(0.0, f64::from);
            let settled = if self.imu.travel_settled {
                TRAVEL_FLOOR_M
            } else {
                TRAVEL_START_FLOOR_M
            };
            settled.max(hinted)
        } else {
            self.limits.floor
        }
    }

    /// IMU: the peak-speed floor of the travel channel (`acc`, m/s) or of the rotation.
    #[inline]
    fn channel_floor_speed(&self, acc: bool) -> f32 {
        if acc {
            TRAVEL_FLOOR_M_S
        } else {
            self.limits.floor_speed
        }
    }

    /// IMU: how the smallest amplitude grows with a repetition's duration on the travel
    /// channel (`acc`); 0 on the rotation and scalar signals.
    #[inline]
    fn channel_floor_per_s2(&self, acc: bool) -> f64 {
        if acc && self.kind == Some(SignalKind::Imu6) {
            TRAVEL_FLOOR_M_S2
        } else {
            0.0
        }
    }

    #[inline]
    fn hysteresis(&self) -> f64 {
        self.floor_amplitude()
            .max(self.limits.detect_fraction * self.running_amplitude)
    }

    /// `Thresholds::wind_up` for the travel channel (`acc`) or the rotation (or a scalar).
    #[inline]
    fn wind_up(&self, acc: bool) -> f64 {
        if acc && self.kind != Some(SignalKind::Scalar) {
            0.0
        } else {
            self.limits.detect_fraction
        }
    }

    #[inline]
    fn thresholds(&self) -> Thresholds {
        let floor = self.floor_amplitude();
        Thresholds {
            hysteresis: floor.max(self.limits.detect_fraction * self.running_amplitude),
            floor_amplitude: floor,
            floor_per_s2: self.channel_floor_per_s2(self.imu.use_acc),
            floor_speed: if self.kind == Some(SignalKind::Scalar) {
                self.limits.floor_speed
            } else {
                self.channel_floor_speed(self.imu.use_acc)
            },
            return_fraction: self.limits.return_fraction,
            wind_up: self.wind_up(self.imu.use_acc),
            min_rep_s: self.limits.min_rep_s,
            max_rep_s: self.limits.max_rep_s,
        }
    }
}
