//! Counter parameters (one set for every person and exercise) and the optional
//! per-exercise hint the catalog supplies.

/// What kind of samples a counter receives.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SignalKind {
    /// 6-axis IMU: accelerometer (m/s², gravity included) and gyroscope (rad/s), interleaved
    /// `ax, ay, az, gx, gy, gz` per sample.
    Imu6,
    /// One scalar channel in any unit: grip force, a joint angle from camera pose, ...
    Scalar,
}

/// A sensor axis. For IMU signals it names the gyroscope axis the movement rotates about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Axis {
    X,
    Y,
    Z,
}

impl Axis {
    pub(crate) fn unit(self) -> [f32; 3] {
        match self {
            Axis::X => [1.0, 0.0, 0.0],
            Axis::Y => [0.0, 1.0, 0.0],
            Axis::Z => [0.0, 0.0, 1.0],
        }
    }
}

/// What an IMU movement mostly does, when the exercise is known to favour one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Motion {
    /// The limb turns (a wrist flexion, a shoulder abduction): counted on the rotation.
    Turn,
    /// The limb travels and hardly turns (a press, wiping a table, sawing, a reach):
    /// counted on the gravity-removed acceleration brought to a displacement.
    Travel,
}

/// What the exercise catalog knows about an exercise. Every field is optional help: the
/// counter works without a hint by finding the movement's own axis and scale online.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct CountingHint {
    /// The signal the exercise is measured with.
    pub signal: SignalKind,
    /// For IMU signals: the gyroscope axis the movement rotates about. `None` = find it online.
    pub axis: Option<Axis>,
    /// Expected duration of one repetition in seconds, `(shortest, longest)`.
    pub expected_rep_s: Option<(f32, f32)>,
    /// Smallest excursion that can be a repetition, in signal units (radians of rotation for
    /// IMU signals, metres of hand travel when `motion` is `Travel`, the channel's own unit
    /// for scalar signals). Raises the absolute floor.
    pub min_range: Option<f32>,
    /// For IMU signals: whether the movement mostly turns or travels. `None` = the counter
    /// follows both and counts on whichever shows the repetitions.
    pub motion: Option<Motion>,
}

impl CountingHint {
    /// A hint that only names the signal kind.
    pub fn signal(signal: SignalKind) -> Self {
        Self {
            signal,
            axis: None,
            expected_rep_s: None,
            min_range: None,
            motion: None,
        }
    }
}

/// Counter parameters. The defaults are meant for everyone (never tuned per person or file);
/// the catalog's [`CountingHint`] and the calibration step personalise the counter instead.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct CounterConfig {
    /// Low-pass cut-off (Hz) applied before counting: below tremor, above voluntary movement.
    pub lowpass_hz: f32,
    /// Absolute floor for IMU signals: a repetition rotates the sensor by at least this (rad).
    pub min_amplitude_rad: f32,
    /// Absolute floor for IMU signals: a repetition reaches at least this angular speed (rad/s).
    pub min_peak_speed_rad_s: f32,
    /// Scalar signals: a repetition is at least this many noise standard deviations.
    pub scalar_noise_factor: f32,
    /// Seconds at the start used to learn the rest floor (sensor noise or resting tremor).
    pub learn_rest_s: f32,
    /// Detection hysteresis as a fraction of the recent repetitions' amplitude.
    pub detect_fraction: f32,
    /// A repetition ends when the movement has come back by this fraction of its excursion.
    pub return_fraction: f32,
    /// Weight of the newest repetition in the running amplitude used by `detect_fraction`.
    pub amplitude_smoothing: f32,
    /// While the sensor is still, the running amplitude relaxes toward the floor with this
    /// time constant (s), so smaller repetitions after a pause are not missed.
    pub amplitude_relax_s: f32,
    /// Shortest repetition (s); also the refractory time between two repetitions.
    pub min_rep_s: f32,
    /// Longest repetition (s); a longer excursion (a phone put down, a long pause) is dropped.
    pub max_rep_s: f32,
    /// Target as a fraction of the calibrated reference range.
    pub target_fraction: f32,
    /// The adapted target never falls below this fraction of the reference range.
    pub min_target_fraction: f32,
    /// How much the target fraction moves per adaptation step.
    pub target_step: f32,
    /// The target adapts after this many consecutive repetitions all below (or all above) it.
    pub adapt_after: u32,
    /// Largest batch accepted by one push call.
    pub max_batch_samples: usize,
    /// Plausible mean sample rates of a batch (Hz).
    pub min_rate_hz: f32,
    pub max_rate_hz: f32,
    /// For one-way exercises only: hold back every lone movement against the direction of
    /// the counted reps until the next one shows whether the direction really changed (a
    /// reach for something between reps is then dropped). Off by default: exercises done
    /// alternately both ways (side bends, weight shifts, wrist side to side) would lose
    /// every other rep, and a held movement is reported one movement late.
    pub hold_opposite_direction: bool,
    /// For every exercise: hold back a lone movement against the direction of a steady run
    /// of repetitions (several in a row one way, in rhythm) when it is also out of that
    /// rhythm (after a pause, or straight after a repetition). The next movement decides:
    /// the same way again means the direction really changed and both count; back the
    /// run's way means it was a stray movement (a reach, shifting position during a rest)
    /// and it is dropped. At the end of the set a held movement counts if it was as large
    /// and as fast as the run's repetitions. Alternating exercises never build a one-way
    /// run, so they are unaffected. Only a held movement is reported one movement late.
    pub hold_stray_opposite: bool,
}

impl Default for CounterConfig {
    fn default() -> Self {
        Self {
            lowpass_hz: 2.0,
            min_amplitude_rad: 0.10,
            min_peak_speed_rad_s: 0.08,
            scalar_noise_factor: 8.0,
            learn_rest_s: 2.0,
            detect_fraction: 0.3,
            return_fraction: 0.4,
            amplitude_smoothing: 0.35,
            amplitude_relax_s: 10.0,
            min_rep_s: 0.2,
            max_rep_s: 15.0,
            target_fraction: 0.8,
            min_target_fraction: 0.5,
            target_step: 0.05,
            adapt_after: 3,
            max_batch_samples: 100_000,
            min_rate_hz: 1.0,
            max_rate_hz: 2000.0,
            hold_opposite_direction: false,
            hold_stray_opposite: true,
        }
    }
}
