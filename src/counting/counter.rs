//! The streaming repetition counter: validates batches, turns IMU or scalar samples into one
//! position-like signal, detects repetitions on it and classifies them against the target.
//!
//! IMU samples give two such signals: the rotation about the movement's own axis (the
//! default), and the acceleration along the direction it varies most (for movements that
//! travel and hardly turn, such as an upright row, where the little rotation
//! there is goes back and forth twice per repetition). A second detector watches the signal
//! not counted on, and counting moves to it when the two disagree in that one way.

use std::f32::consts::PI;

use super::config::{CounterConfig, CountingHint, SignalKind};
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
    /// Position among all events of this counter (reps and attempts), from 0.
    pub index: u32,
    /// When the movement left its starting point (s, sample time).
    pub start_s: f64,
    /// When the movement was back (s, sample time); the event is emitted at this sample.
    pub end_s: f64,
    /// Range-of-motion proxy: radians of rotation for IMU signals (g of acceleration when
    /// `travel`: counted on the limb's travel), signal units for scalars.
    pub amplitude: f32,
    pub duration_s: f32,
    /// Highest speed during the movement: rad/s for IMU signals (g/s when `travel`),
    /// units/s for scalars.
    pub peak_speed: f32,
    /// Whether `amplitude` reached the target; always true without a reference range.
    pub reached_target: bool,
    /// Whether this movement was counted on the limb's travel (the accelerometer channel,
    /// see [`RepCounter::counts_travel`]): then `amplitude` is in g and `peak_speed` in g/s.
    /// A set can hold both kinds: counting moves to the accelerometer a few reps in.
    pub travel: bool,
}

/// Gaps longer than this (s) are missing data: filters restart and nothing is integrated.
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
/// The rest floor is this many times the excursion seen at rest.
const REST_FLOOR_FACTOR: f64 = 2.0;
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
/// Two repetitions are in rhythm when the time between their starts is within this factor
/// (either way) of the set's period.
const RHYTHM_TOLERANCE: f64 = 1.33;
/// Weight of the newest repetition in the set's period, amplitude and speed.
const RHYTHM_SMOOTHING: f64 = 0.35;
/// A movement cut off by the end of the set counts only after this many repetitions in
/// rhythm, ...
const CUT_MIN_RUN: u32 = 3;
/// ... and only if it went out by this fraction of the set's amplitude, and not beyond its
/// inverse (reaching further than a repetition is something else)...
const CUT_AMPLITUDE_FRACTION: f64 = 0.8;
/// ... at a peak speed within this factor (either way) of the set's.
const CUT_SPEED_TOLERANCE: f32 = 2.0;

/// ... and a movement under way at the end of a steady set is no repetition once it has
/// lasted this many times as long as the set's repetitions.
const CUT_OUTLAST_FACTOR: f64 = 2.0;
/// `hold_stray_opposite`: a movement against the run's direction is held back only after
/// this many repetitions one way in rhythm (alternating exercises never get there).
const HOLD_MIN_RUN: u32 = 3;
/// The accelerometer channel in rad-equivalent units: a tilt of θ changes gravity's
/// projection by about g·θ, so m/s² / g compares with the gyroscope's radians.
const ACC_RAD_PER_MS2: f32 = 1.0 / 9.81;
/// Absolute floor of the accelerometer channel (rad-equivalent, ~1.5 m/s²): above the
/// low-passed jitter of a hand-held or wrist-worn phone.
const ACC_FLOOR_RAD: f64 = 0.15;
/// Time constant (s) of the accelerometer's running mean, about which its axis is found.
const ACC_MEAN_TAU_S: f32 = 3.0;
/// The accelerometer channel and the shadow detector run every this many steps.
const SHADOW_EVERY: u32 = 4;
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

/// The rhythm of the set: period, size and speed of the latest run of repetitions that
/// followed one another at a steady pace in one direction.
#[derive(Debug, Clone, Copy, Default)]
struct Rhythm {
    /// Repetitions in the current run (0 before the first).
    run: u32,
    dir: f64,
    last_start: f64,
    /// Start-to-start time (s); meaningful once `run >= 2`.
    period: f64,
    amplitude: f64,
    speed: f32,
    /// Time from a repetition's start to its return (s).
    duration: f64,
}

impl Rhythm {
    /// Whether a movement starting at `start_s` in direction `dir` keeps the rhythm.
    fn keeps(&self, start_s: f64, dir: f64) -> bool {
        dir == self.dir && self.on_time(start_s)
    }

    fn add(&mut self, e: &Excursion) {
        let interval = e.start_s - self.last_start;
        let s = RHYTHM_SMOOTHING;
        if self.keeps(e.start_s, e.dir) {
            self.run += 1;
            self.period += s * (interval - self.period);
            self.amplitude += s * (e.amplitude - self.amplitude);
            self.speed += s as f32 * (e.peak_speed - self.speed);
            self.duration += s * (e.end_s - e.start_s - self.duration);
        } else if self.run >= 1 && e.dir == self.dir && self.run < 2 {
            // The second repetition sets the pace.
            self.run = 2;
            self.period = interval;
            self.amplitude += 0.5 * (e.amplitude - self.amplitude);
            self.speed += 0.5 * (e.peak_speed - self.speed);
            self.duration += 0.5 * (e.end_s - e.start_s - self.duration);
        } else if self.run >= 2 && e.dir == self.dir {
            // Out of rhythm (a pause, a hesitation): a new run starts with the last two.
            self.run = 2;
            self.period = interval;
            self.amplitude = e.amplitude;
            self.speed = e.peak_speed;
            self.duration = e.end_s - e.start_s;
        } else {
            self.run = 1;
            self.dir = e.dir;
            self.amplitude = e.amplitude;
            self.speed = e.peak_speed;
            self.duration = e.end_s - e.start_s;
        }
        self.last_start = e.start_s;
    }

    /// Whether a movement starting at `start_s` comes when the next repetition of the run
    /// would, whichever way it goes.
    fn on_time(&self, start_s: f64) -> bool {
        let interval = start_s - self.last_start;
        self.run >= 2
            && interval * RHYTHM_TOLERANCE >= self.period
            && interval <= self.period * RHYTHM_TOLERANCE
    }

    /// Whether a completed movement is a stray one to hold back: it goes against a steady
    /// one-way run, out of the run's rhythm (after a pause or straight after a repetition).
    fn strays(&self, e: &Excursion) -> bool {
        self.run >= HOLD_MIN_RUN && e.dir != self.dir && !self.on_time(e.start_s)
    }

    /// Whether a movement is as large and as fast as the run's repetitions (either way).
    fn sized_like(&self, e: &Excursion) -> bool {
        let a = CUT_AMPLITUDE_FRACTION;
        let k = CUT_SPEED_TOLERANCE;
        self.run >= 2
            && e.amplitude >= a * self.amplitude
            && e.amplitude * a <= self.amplitude
            && e.peak_speed * k >= self.speed
            && e.peak_speed <= k * self.speed
    }

    /// Whether a movement cut off by the end of the set is, beyond reasonable doubt, the
    /// next repetition of this run: same direction, on time, as far out and as fast.
    fn continues_with(&self, e: &Excursion) -> bool {
        self.run >= CUT_MIN_RUN && self.keeps(e.start_s, e.dir) && self.sized_like(e)
    }

    /// Whether a movement still under way at the end of the set, `elapsed_s` after it
    /// started, has gone on far longer than the set's repetitions do: the set was over and
    /// this is something else (lowering the arm to stop the app, putting the phone away).
    fn outlasted_by(&self, elapsed_s: f64) -> bool {
        self.run >= CUT_MIN_RUN && elapsed_s > CUT_OUTLAST_FACTOR * self.duration
    }
}

#[derive(Debug, Clone, Copy)]
struct ImuFront {
    gyro_raw: LowPass2<3>,
    gyro_slow: [f32; 3],
    acc: LowPass2<3>,
    acc_slow: [f32; 3],
    slow_primed: bool,
    steady_n: u32,
    steady_dt: f32,
    bias: [f32; 3],
    steady_s: f32,
    axis: PrincipalAxis,
    moving_s: f32,
    axis_n: u32,
    axis_dt: f32,
    orientation: Orientation,
    twist: f32,
    twist_position: f64,
    since_twist: u32,
    rest_s: f32,
    free_fall_s: f32,
    hold_until: f64,
    last_acc: [f32; 3],
    /// Time (s) and integrated gyroscope rate (rad) since the last processed step.
    step_dt: f32,
    step_angle: [f32; 3],
    /// Rotation about the movement axis (rad): the gyroscope channel's position.
    gyro_pos: f64,
    /// The accelerometer channel: low-passed acceleration, its running mean and principal
    /// axis of variation, and the position along that axis (rad-equivalent).
    acc_lp: LowPass2<3>,
    /// Its low-pass factor (see `StepAlpha`).
    acc_alpha: StepAlpha,
    acc_primed: bool,
    acc_mean: [f32; 3],
    acc_axis: PrincipalAxis,
    acc_axis_n: u32,
    acc_pos: f64,
    acc_speed: f32,
    /// Whether repetitions are counted on the accelerometer channel (see `shadow_step`).
    use_acc: bool,
    /// Steps, time (s) and integrated acceleration (m/s) since the shadow last ran.
    shadow_n: u32,
    shadow_dt: f32,
    shadow_acc: [f32; 3],
}

impl ImuFront {
    /// The sensor is at rest when neither gravity's direction nor the rotation rate changes
    /// (each within a threshold of its ~1 s average); then the rotation rate it reports is
    /// its bias. `raw` is the low-passed gyroscope, `step` the time since the last call.
    fn track_rest(&mut self, acc: [f32; 3], raw: [f32; 3], step: f32) {
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
    /// The accelerometer channel, each time it runs: low-pass the mean acceleration,
    /// learn the direction it varies along while moving, and move the position along it.
    #[inline]
    fn acc_step(&mut self, acc: [f32; 3], dt: f32, inv_dt: f32, still: bool, alpha: f32) {
        let a = self.acc_lp.update(acc, alpha);
        if !self.acc_primed {
            self.acc_primed = true;
            self.acc_mean = a;
        }
        let k = (dt * (1.0 / ACC_MEAN_TAU_S)).min(1.0);
        let mut d = [0.0; 3];
        for i in 0..3 {
            self.acc_mean[i] += k * (a[i] - self.acc_mean[i]);
            d[i] = a[i] - self.acc_mean[i];
        }
        if !still {
            // Same weighting as the rotation axis: equal over the first seconds of
            // movement, then forgetting.
            self.acc_axis_n = self.acc_axis_n.saturating_add(1);
            let w = (1.0 / self.acc_axis_n as f32).max(dt * (1.0 / AXIS_TAU_S));
            self.acc_axis.update(d, w);
        }
        let axis = self.acc_axis.axis();
        // About the running mean: the axis settles over the first movements, and a change
        // of axis must not move the position by the whole of gravity.
        let p = f64::from((d[0] * axis[0] + d[1] * axis[1] + d[2] * axis[2]) * ACC_RAD_PER_MS2);
        self.acc_speed = (p - self.acc_pos) as f32 * inv_dt;
        self.acc_pos = p;
    }

    /// Position and speed of the accelerometer channel (`acc`) or of the rotation (whose
    /// speed along the axis, `w`, the step computed).
    #[inline]
    fn channel(&self, acc: bool, w: f32) -> (f64, f32) {
        if acc {
            (self.acc_pos, self.acc_speed)
        } else {
            (self.gyro_pos, w)
        }
    }
}

/// The channel the counter does not count on: its own detector and running amplitude,
/// kept so that the counter can tell which channel shows the repetitions.
#[derive(Debug, Clone, Copy, Default)]
struct Shadow {
    detector: Detector,
    amplitude: f64,
    /// Excursions so far.
    excursions: u32,
    /// Movements the counted channel reported since the shadow's last excursion.
    counted_since: u32,
    /// How many movements the counted channel reported during each of the shadow's last
    /// `ACC_SWITCH_WINDOW` excursions (newest first).
    split: [u32; ACC_SWITCH_WINDOW],
}

/// The running amplitude after an excursion of `amplitude`: smoothed with weight `s`, or
/// the excursion itself when the running one has relaxed to the floor.
#[inline]
fn running_amplitude(running: f64, amplitude: f64, floor: f64, s: f64) -> f64 {
    if running <= floor {
        amplitude
    } else {
        running + s * (amplitude - running)
    }
}

/// While the sensor is still, a running amplitude relaxes toward the floor (`rate` = 1/τ).
#[inline]
fn relax(amplitude: &mut f64, dt: f32, rate: f32) {
    let k = f64::from(dt * rate).min(1.0);
    *amplitude -= k * *amplitude;
}

/// The time step (s) from `prev` to `t`, clamped so that a gap is not integrated over, and
/// whether it was a gap.
#[inline]
fn time_step(prev: f64, t: f64) -> (f64, bool) {
    let d = t - prev;
    (d.min(MAX_GAP_S), d > MAX_GAP_S)
}

/// Steps buffered between the two halves of the IMU pipeline (see `feed_imu`).
const STEP_BUFFER: usize = 32;

/// One step from the first half of the IMU pipeline to the second.
#[derive(Debug, Clone, Copy, Default)]
struct ImuStep {
    /// Time of the step's last sample (s).
    t: f64,
    /// Low-passed, bias-corrected rotation rate over the step (rad/s).
    rate: [f32; 3],
    /// Acceleration at the step's last sample (m/s²).
    acc: [f32; 3],
    /// Length of the step (s).
    dt: f32,
    /// Whether counting is on hold after a drop: read at the step, as the first half may
    /// move `hold_until` on at later samples of the buffer.
    held: bool,
}

#[derive(Debug, Clone, Copy)]
struct ScalarFront {
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
struct RestLearner {
    until: f64,
    lo: f64,
    hi: f64,
    max_speed: f32,
    active: bool,
    floor: f64,
    speed_floor: f32,
}

/// Thresholds that change only when the signal kind is known or the rest floor is learned;
/// cached so the per-sample path does not recompute them.
#[derive(Debug, Clone, Copy)]
struct Limits {
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
                gyro_raw: LowPass2::from_zero(),
                gyro_slow: [0.0; 3],
                acc: LowPass2::default(),
                acc_slow: [0.0; 3],
                slow_primed: false,
                steady_n: 0,
                steady_dt: 0.0,
                bias: [0.0; 3],
                steady_s: 0.0,
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
                last_acc: [0.0; 3],
                step_dt: 0.0,
                step_angle: [0.0; 3],
                gyro_pos: 0.0,
                acc_lp: LowPass2::default(),
                acc_alpha: StepAlpha::default(),
                acc_primed: false,
                acc_mean: [0.0; 3],
                acc_axis: PrincipalAxis::default(),
                acc_axis_n: 0,
                acc_pos: 0.0,
                acc_speed: 0.0,
                use_acc: false,
                shadow_n: 0,
                shadow_dt: 0.0,
                shadow_acc: [0.0; 3],
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
                speed_floor: 0.0,
            },
            detector: Detector::default(),
            shadow: Shadow::default(),
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
        for i in 1..=steps {
            let t = t_last + f64::from(i) * dt;
            match kind {
                SignalKind::Imu6 => {
                    let (acc, bias) = (self.imu.last_acc, self.imu.bias);
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
    }

    /// Start a new set with the same person and sensor: counts, the excursion in progress,
    /// the movement axis and the adapted target fraction are reset; the learned rest floor,
    /// gyroscope bias and reference range are kept.
    pub fn reset(&mut self) {
        let mut fresh = Self::new(self.config, self.hint);
        fresh.kind = self.kind;
        fresh.last_t = self.last_t;
        fresh.imu.bias = self.imu.bias;
        fresh.rest = self.rest;
        fresh.rest.active = false;
        fresh.reference = self.reference;
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

    fn validate(
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
        let max = self.config.max_batch_samples;
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
        // finite: one pass over the times instead of two.
        let times_ok = t_s[0].is_finite()
            && t_s[n - 1].is_finite()
            && t_s.windows(2).fold(true, |ok, w| ok & (w[0] <= w[1]))
            && self.last_t.map_or(true, |p| t_s[0] >= p);
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
        if !values.iter().fold(true, |ok, v| ok & v.is_finite()) {
            let index = values.iter().position(|v| !v.is_finite()).unwrap_or(0);
            return Err(CountingError::NonFiniteValue {
                index: index / width,
            });
        }
        if n >= 4 {
            let rate_hz = (n - 1) as f64 / (t_s[n - 1] - t_s[0]);
            let (min_hz, max_hz) = (self.config.min_rate_hz, self.config.max_rate_hz);
            if !(f64::from(min_hz)..=f64::from(max_hz)).contains(&rate_hz) {
                return Err(CountingError::AbsurdRate {
                    rate_hz,
                    min_hz,
                    max_hz,
                });
            }
        }
        Ok(())
    }

    /// Advance time; returns the step (s), clamped so that a gap is not integrated over.
    #[inline]
    fn advance(&mut self, t: f64) -> (f32, bool) {
        let (dt, gap) = match self.last_t {
            None => {
                self.rest.until = t + f64::from(self.config.learn_rest_s);
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
    fn step_imu(&mut self, t: f64, acc: [f32; 3], gyro: [f32; 3], out: &mut Vec<RepEvent>) {
        let sample = [acc[0], acc[1], acc[2], gyro[0], gyro[1], gyro[2]];
        self.feed_imu(&[t], &sample, out);
    }

    /// The IMU pipeline on a (validated) batch, in two passes over up to `STEP_BUFFER`
    /// steps at a time: `imu_front` turns samples into bias-corrected rates per step, then
    /// `imu_step` runs the rest of the pipeline on each. Nothing in the second half feeds
    /// back into the first, so this is the same arithmetic in the same order per state as
    /// one pass; but apart, the divisions and low-pass of consecutive steps overlap in the
    /// CPU instead of heading each step's long chain of dependent operations.
    fn feed_imu(&mut self, t_s: &[f64], samples: &[f32], out: &mut Vec<RepEvent>) {
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
    /// for free fall, sum the rate over each step; per step, low-pass the mean rate and
    /// track the gyroscope bias. Returns the number of steps and of samples used.
    ///
    /// Same arithmetic as advancing `last_t` sample by sample, but the time, the step's
    /// sums and the free-fall timer live in locals (registers) across the samples and are
    /// written back once at the end: per sample, no loads and stores through `self` and no
    /// `Option` to test.
    #[inline]
    fn imu_front(
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
                self.rest.until = t0 + f64::from(self.config.learn_rest_s);
                t0
            }
        };
        let mut last_dt = self.last_dt;
        let mut last_acc = self.imu.last_acc;
        let mut free_fall_s = self.imu.free_fall_s;
        let mut step_dt = self.imu.step_dt;
        let mut step_angle = self.imu.step_angle;
        let (mut n, mut used) = (0, t_s.len());
        for (i, (&t, s)) in t_s.iter().zip(samples.chunks_exact(6)).enumerate() {
            let (acc, gyro) = ([s[0], s[1], s[2]], [s[3], s[4], s[5]]);
            let (dt, gap) = time_step(prev, t);
            if dt > 0.0 {
                last_dt = dt;
            }
            prev = t;
            let dt = dt as f32;
            if gap {
                self.imu.acc.reset();
            }
            last_acc = acc;
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
            // every 3rd at 100 Hz) on the rate averaged over the step, which integrates to
            // the same angle (the average is itself a first anti-aliasing filter). Per
            // sample: this sum only.
            step_dt += dt;
            for (a, g) in step_angle.iter_mut().zip(gyro) {
                *a += g * dt;
            }
            if step_dt < PROCESS_STEP_S && !gap {
                continue;
            }
            let dt = step_dt;
            let mean = if dt > 0.0 {
                let inv = 1.0 / dt;
                step_angle.map(|a| a * inv)
            } else {
                gyro
            };
            step_dt = 0.0;
            step_angle = [0.0; 3];
            let alpha = self.alpha.get(dt, self.config.lowpass_hz);
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
                acc,
                dt,
                held: t < imu.hold_until,
            };
            n += 1;
            if n == STEP_BUFFER {
                used = i + 1;
                break;
            }
        }
        self.last_t = Some(prev);
        self.last_dt = last_dt;
        self.imu.last_acc = last_acc;
        self.imu.free_fall_s = free_fall_s;
        self.imu.step_dt = step_dt;
        self.imu.step_angle = step_angle;
        (n, used)
    }

    /// The second half of the IMU pipeline, once per step: movement axis, orientation,
    /// position, repetition detection.
    fn imu_step(&mut self, step: &ImuStep, out: &mut Vec<RepEvent>) {
        let &ImuStep {
            t,
            rate: f,
            acc,
            dt,
            held,
        } = step;
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
        // While the accelerometer channel is the shadow, it runs every `SHADOW_EVERY` steps
        // (~120 ms, above twice the low-pass cut-off), on the mean acceleration over them:
        // it only has to tell which channel shows the repetitions. Counted on, every step.
        imu.shadow_dt += dt;
        imu.shadow_n += 1;
        for (s, a) in imu.shadow_acc.iter_mut().zip(acc) {
            *s += a * dt;
        }
        let every = if imu.use_acc { 1 } else { SHADOW_EVERY };
        let shadow_dt = (imu.shadow_n >= every && imu.shadow_dt > 0.0).then_some(imu.shadow_dt);
        if let Some(sdt) = shadow_dt {
            let inv = 1.0 / sdt;
            let mean = imu.shadow_acc.map(|a| a * inv);
            let alpha = imu.acc_alpha.get(sdt, self.config.lowpass_hz);
            imu.acc_step(mean, sdt, inv, still, alpha);
            imu.shadow_n = 0;
            imu.shadow_dt = 0.0;
            imu.shadow_acc = [0.0; 3];
        }
        self.position = imu.channel(imu.use_acc, w).0;
        if self.rest.active {
            self.learn_rest(t, speed2.sqrt(), None);
        }
        if let Some(sdt) = shadow_dt {
            let (p, v) = self.imu.channel(!self.imu.use_acc, w);
            self.shadow_step(t, p, v, still, held, sdt);
        }
        // After the shadow, which may have switched channels.
        let (p, v) = self.imu.channel(self.imu.use_acc, w);
        self.position = p;
        self.detect(t, v, still, held, dt, out);
    }

    #[inline]
    fn step_scalar(&mut self, t: f64, x: f32, out: &mut Vec<RepEvent>) {
        let (dt, gap) = self.advance(t);
        let alpha = self.alpha.get(dt, self.config.lowpass_hz);
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
            r.floor = REST_FLOOR_FACTOR * range;
            r.speed_floor = 1.5 * r.max_speed;
        }
        self.refresh_limits();
    }

    fn refresh_limits(&mut self) {
        let c = &self.config;
        let (min_rep, max_rep) = match self.hint.and_then(|h| h.expected_rep_s) {
            Some((lo, hi)) => (c.min_rep_s.max(0.25 * lo), c.max_rep_s.max(3.0 * hi)),
            None => (c.min_rep_s, c.max_rep_s),
        };
        let scalar = self.kind == Some(SignalKind::Scalar);
        let absolute = if scalar { 0.0 } else { c.min_amplitude_rad };
        let hinted = self.hint.and_then(|h| h.min_range).unwrap_or(0.0);
        let floor_speed = c.min_peak_speed_rad_s.max(self.rest.speed_floor);
        self.limits = Limits {
            floor: f64::from(absolute.max(hinted)).max(self.rest.floor),
            floor_speed: if scalar { 0.0 } else { floor_speed },
            still_speed: 0.5 * floor_speed,
            min_rep_s: f64::from(min_rep),
            max_rep_s: f64::from(max_rep),
            return_fraction: f64::from(c.return_fraction),
            detect_fraction: f64::from(c.detect_fraction),
            relax_rate: 1.0 / c.amplitude_relax_s.max(1e-3),
            axis: self.hint.and_then(|h| h.axis).map(|a| a.unit()),
        };
    }

    #[inline]
    fn floor_amplitude(&self) -> f64 {
        match self.kind {
            Some(SignalKind::Scalar) => {
                let sigma = self.scalar.noise_abs / NOISE_D2_FACTOR;
                let tiny = 1e-6 * (1.0 + self.position.abs());
                let noise = f64::from(self.config.scalar_noise_factor * sigma).max(tiny);
                self.limits.floor.max(noise)
            }
            _ => self.channel_floor(self.imu.use_acc),
        }
    }

    /// IMU: the absolute floor of the accelerometer channel (`acc`) or of the rotation.
    #[inline]
    fn channel_floor(&self, acc: bool) -> f64 {
        if acc {
            ACC_FLOOR_RAD
        } else {
            self.limits.floor
        }
    }

    #[inline]
    fn hysteresis(&self) -> f64 {
        self.floor_amplitude()
            .max(self.limits.detect_fraction * self.running_amplitude)
    }

    #[inline]
    fn thresholds(&self) -> Thresholds {
        let floor = self.floor_amplitude();
        Thresholds {
            hysteresis: floor.max(self.limits.detect_fraction * self.running_amplitude),
            floor_amplitude: floor,
            floor_speed: self.limits.floor_speed,
            return_fraction: self.limits.return_fraction,
            min_rep_s: self.limits.min_rep_s,
            max_rep_s: self.limits.max_rep_s,
        }
    }

    #[inline]
    fn detect(
        &mut self,
        t: f64,
        speed: f32,
        still: bool,
        held: bool,
        dt: f32,
        out: &mut Vec<RepEvent>,
    ) {
        let p = self.position;
        if held {
            self.detector.rest_at(t, p);
            return;
        }
        if still && self.detector.is_idle() {
            relax(&mut self.running_amplitude, dt, self.limits.relax_rate);
        }
        let th = self.thresholds();
        if let Some(e) = self.detector.step(t, p, speed, still, dt, &th) {
            self.accept(e, th.floor_amplitude, out);
        }
    }

    /// The channel not counted on: detect its excursions too, and switch channels when
    /// they show the repetitions better.
    #[inline]
    fn shadow_step(&mut self, t: f64, p: f64, speed: f32, still: bool, held: bool, dt: f32) {
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
    fn switch_channel(&mut self, owed: u32) {
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

    /// A valid excursion: count it, unless it is a lone movement against the direction of
    /// the repetitions (with `hold_opposite_direction`, any; with `hold_stray_opposite`, one
    /// against a steady one-way run and out of its rhythm): reaching for something, shifting
    /// position during a rest, a pause halfway back that makes the rest of the return look
    /// like a movement of its own. Such a movement is held back; a second one the same way
    /// means the movement really changed direction, and both count; one back the usual way
    /// means it was a stray movement, and it is dropped.
    fn accept(&mut self, e: Excursion, floor: f64, out: &mut Vec<RepEvent>) {
        if self.owed > 0 {
            // Reported already, in halves, before counting moved to this channel.
            self.owed -= 1;
            self.rhythm.add(&e);
            return;
        }
        if let Some(first) = self.pending.take() {
            if e.dir == first.dir {
                self.rep_dir = first.dir;
                self.count(first, floor, out);
            }
        } else if self.holds(&e) {
            self.pending = Some(e);
            return;
        }
        self.rep_dir = e.dir;
        self.count(e, floor, out);
    }

    /// Whether `accept` holds `e` back (nothing is held yet).
    fn holds(&self, e: &Excursion) -> bool {
        let c = &self.config;
        (c.hold_opposite_direction && self.rep_dir != 0.0 && e.dir != self.rep_dir)
            || (c.hold_stray_opposite && self.rhythm.strays(e))
    }

    fn count(&mut self, e: Excursion, floor: f64, out: &mut Vec<RepEvent>) {
        self.rhythm.add(&e);
        let s = f64::from(self.config.amplitude_smoothing);
        self.running_amplitude = running_amplitude(self.running_amplitude, e.amplitude, floor, s);
        self.emit(e, out);
    }

    fn emit(&mut self, e: Excursion, out: &mut Vec<RepEvent>) {
        let amplitude = e.amplitude as f32;
        let reached = if self.calibrating {
            self.record_calibration(amplitude);
            true
        } else if let Some(reference) = self.reference {
            let reached = amplitude >= self.fraction * reference;
            self.adapt_target(reached);
            reached
        } else {
            true
        };
        let kind = if reached {
            RepKind::Rep
        } else {
            RepKind::Attempt
        };
        let index = self.reps + self.attempts;
        match kind {
            RepKind::Rep => self.reps += 1,
            RepKind::Attempt => self.attempts += 1,
        }
        self.shadow.counted_since += 1;
        out.push(RepEvent {
            kind,
            index,
            start_s: e.start_s,
            end_s: e.end_s,
            amplitude,
            duration_s: (e.end_s - e.start_s) as f32,
            peak_speed: e.peak_speed,
            reached_target: reached,
            travel: self.imu.use_acc,
        });
    }

    fn record_calibration(&mut self, amplitude: f32) {
        self.calibration_reps += 1;
        // Keep the three largest, in descending order.
        let mut a = amplitude;
        for slot in &mut self.best {
            if a > *slot {
                std::mem::swap(slot, &mut a);
            }
        }
    }

    fn adapt_target(&mut self, reached: bool) {
        let c = &self.config;
        if reached {
            self.above_streak += 1;
            self.below_streak = 0;
            if self.above_streak >= c.adapt_after {
                self.fraction = (self.fraction + c.target_step).min(c.target_fraction);
                self.above_streak = 0;
            }
        } else {
            self.below_streak += 1;
            self.above_streak = 0;
            if self.below_streak >= c.adapt_after {
                self.fraction = (self.fraction - c.target_step).max(c.min_target_fraction);
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
