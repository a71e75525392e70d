//! The set's rhythm: period, size and speed of the latest run of repetitions.

use super::super::detector::Excursion;

/// Two repetitions are in rhythm when the time between their starts is within this factor
/// (either way) of the set's period.
pub(super) const RHYTHM_TOLERANCE: f64 = 1.33;
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
/// A stray movement (see `accept`): a movement against the run's direction is held back only after
/// this many repetitions one way in rhythm (alternating exercises never get there).
const HOLD_MIN_RUN: u32 = 3;

/// The rhythm of the set: period, size and speed of the latest run of repetitions that
/// followed one another at a steady pace in one direction.
#[derive(Debug, Clone, Copy, Default)]
pub(super) struct Rhythm {
    /// Repetitions in the current run (0 before the first).
    pub(super) run: u32,
    pub(super) dir: f64,
    pub(super) last_start: f64,
    /// Start-to-start time (s); meaningful once `run >= 2`.
    pub(super) period: f64,
    pub(super) amplitude: f64,
    pub(super) speed: f32,
    /// Time from a repetition's start to its return (s).
    pub(super) duration: f64,
}

impl Rhythm {
    /// Whether a movement starting at `start_s` in direction `dir` keeps the rhythm.
    pub(super) fn keeps(&self, start_s: f64, dir: f64) -> bool {
        dir == self.dir && self.on_time(start_s)
    }

    pub(super) fn add(&mut self, e: &Excursion) {
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
    pub(super) fn on_time(&self, start_s: f64) -> bool {
        let interval = start_s - self.last_start;
        self.run >= 2
            && interval * RHYTHM_TOLERANCE >= self.period
            && interval <= self.period * RHYTHM_TOLERANCE
    }

    /// Whether a completed movement is a stray one to hold back: it goes against a steady
    /// one-way run, out of the run's rhythm (after a pause or straight after a repetition).
    pub(super) fn strays(&self, e: &Excursion) -> bool {
        self.run >= HOLD_MIN_RUN && e.dir != self.dir && !self.on_time(e.start_s)
    }

    /// Whether a movement is as large and as fast as the run's repetitions (either way).
    pub(super) fn sized_like(&self, e: &Excursion) -> bool {
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
    pub(super) fn continues_with(&self, e: &Excursion) -> bool {
        self.run >= CUT_MIN_RUN && self.keeps(e.start_s, e.dir) && self.sized_like(e)
    }

    /// Whether a movement still under way at the end of the set, `elapsed_s` after it
    /// started, has gone on far longer than the set's repetitions do: the set was over and
    /// this is something else (lowering the arm to stop the app, putting the phone away).
    pub(super) fn outlasted_by(&self, elapsed_s: f64) -> bool {
        self.run >= CUT_MIN_RUN && elapsed_s > CUT_OUTLAST_FACTOR * self.duration
    }
}
