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

/// What a caller may set on a counter: the target. Everything else is one constant for
/// every person, exercise and device (below; never tuned per person or file): the catalog's
/// [`CountingHint`] and the calibration step personalise the counter instead.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct CounterConfig {
    /// Target as a fraction of the calibrated reference range (a session sets the planned
    /// one).
    pub target_fraction: f32,
}

impl Default for CounterConfig {
    fn default() -> Self {
        Self {
            target_fraction: 0.8,
        }
    }
}

/// Low-pass cut-off (Hz) applied before counting: below tremor, above voluntary movement.
pub(crate) const LOWPASS_HZ: f32 = 2.0;
/// Absolute floor for IMU signals: a repetition rotates the sensor by at least this (rad).
pub const MIN_AMPLITUDE_RAD: f32 = 0.10;
/// Absolute floor for IMU signals: a repetition reaches at least this angular speed (rad/s).
pub(crate) const MIN_PEAK_SPEED_RAD_S: f32 = 0.08;
/// Scalar signals: a repetition is at least this many noise standard deviations.
pub(crate) const SCALAR_NOISE_FACTOR: f32 = 8.0;
/// Seconds at the start used to learn the rest floor (sensor noise or resting tremor).
pub(crate) const LEARN_REST_S: f32 = 2.0;
/// Detection hysteresis as a fraction of the recent repetitions' amplitude.
pub(crate) const DETECT_FRACTION: f32 = 0.3;
/// A repetition ends when the movement has come back by this fraction of its excursion.
pub(crate) const RETURN_FRACTION: f32 = 0.4;
/// Weight of the newest repetition in the running amplitude used by `DETECT_FRACTION`.
pub(crate) const AMPLITUDE_SMOOTHING: f32 = 0.35;
/// While the sensor is still, the running amplitude relaxes toward the floor with this
/// time constant (s), so smaller repetitions after a pause are not missed.
pub(crate) const AMPLITUDE_RELAX_S: f32 = 10.0;
/// Shortest repetition (s); also the refractory time between two repetitions.
pub(crate) const MIN_REP_S: f32 = 0.2;
/// Longest repetition (s); a longer excursion (a phone put down, a long pause) is dropped.
pub(crate) const MAX_REP_S: f32 = 15.0;
/// The adapted target never falls below this fraction of the reference range.
pub(crate) const MIN_TARGET_FRACTION: f32 = 0.5;
/// How much the target fraction moves per adaptation step.
pub(crate) const TARGET_STEP: f32 = 0.05;
/// The target adapts after this many consecutive repetitions all below (or all above) it.
pub(crate) const ADAPT_AFTER: u32 = 3;
/// Largest batch accepted by one push call.
pub const MAX_BATCH_SAMPLES: usize = 100_000;
/// Plausible mean sample rates of a batch (Hz).
pub(crate) const MIN_RATE_HZ: f32 = 1.0;
pub(crate) const MAX_RATE_HZ: f32 = 2000.0;
