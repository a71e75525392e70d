//! The rep counter on its own, for shells that count outside a stored session
//! (a live gauge, a calibration screen, a device test).

use super::fast::fast_push;
use super::parked::Parked;
use super::RehabError;
use crate::counting::{self, CounterConfig, CountingError, RepKind};
use std::sync::{Mutex, MutexGuard};

/// The kind of signal a counter takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Enum)]
pub enum CounterSignal {
    /// 6-axis motion: accelerometer (m/s²) and gyroscope (rad/s).
    Imu,
    /// One channel: grip force, a joint angle, any scalar.
    Scalar,
}

/// One counted movement.
#[derive(Debug, Clone, Copy, PartialEq, uniffi::Record)]
pub struct CountedRep {
    /// True for a rep that reached the target range, false for an attempt.
    pub reached_target: bool,
    /// Position among all movements of this counter, from 0: the order they were counted
    /// in.
    pub index: u32,
    /// When the movement began, seconds on the samples' clock. Movements come in the
    /// order they are counted, not always in time order: one found late (when counting
    /// moves to the hand's travel, the movements the rotation missed) carries its own,
    /// earlier, times.
    pub start_s: f64,
    /// When it was back, seconds.
    pub end_s: f64,
    /// Range-of-motion proxy: radians for motion (metres of hand travel when `travel`), the
    /// signal's unit otherwise.
    pub amplitude: f32,
    /// Seconds it took.
    pub duration_s: f32,
    /// Peak speed (rad/s; m/s when `travel`; or units/s).
    pub peak_speed: f32,
    /// Counted on the limb's travel (gravity-removed acceleration brought to a
    /// displacement) rather than its rotation: a movement that travels and hardly turns,
    /// such as a press, wiping or an upright row. Then `amplitude` is in metres. A set can
    /// hold both kinds: counting moves to the travel a few reps in.
    pub travel: bool,
}

impl From<&counting::RepEvent> for CountedRep {
    fn from(e: &counting::RepEvent) -> Self {
        CountedRep {
            reached_target: e.kind == RepKind::Rep,
            index: e.index,
            start_s: e.start_s,
            end_s: e.end_s,
            amplitude: e.amplitude,
            duration_s: e.duration_s,
            peak_speed: e.peak_speed,
            travel: e.travel,
        }
    }
}

/// A streaming repetition counter. Push batches of samples (about 100 ms
/// each); each call returns the movements it completed.
#[derive(uniffi::Object)]
pub struct RepCounter {
    inner: Mutex<(counting::RepCounter, Vec<counting::RepEvent>)>,
    /// What the sample fast path (`CounterFeed`) left for `take_pushed_events`.
    pub(crate) parked: Parked<CountedRep>,
}

impl RepCounter {
    fn lock(&self) -> MutexGuard<'_, (counting::RepCounter, Vec<counting::RepEvent>)> {
        crate::sync::lock(&self.inner)
    }

    fn run(
        &self,
        f: impl FnOnce(
            &mut counting::RepCounter,
            &mut Vec<counting::RepEvent>,
        ) -> Result<(), CountingError>,
    ) -> Result<Vec<CountedRep>, RehabError> {
        let mut guard = self.lock();
        let (counter, out) = &mut *guard;
        out.clear();
        f(counter, out)?;
        Ok(out.iter().map(CountedRep::from).collect())
    }

    /// `push_imu` on borrowed slices (the sample fast path).
    pub(crate) fn push_imu_slices(
        &self,
        timestamps: &[f64],
        samples: &[f32],
    ) -> Result<Vec<CountedRep>, RehabError> {
        self.run(|c, out| c.push_imu(timestamps, samples, out))
    }

    /// `push_scalar` on borrowed slices (the sample fast path).
    pub(crate) fn push_scalar_slices(
        &self,
        timestamps: &[f64],
        values: &[f32],
    ) -> Result<Vec<CountedRep>, RehabError> {
        self.run(|c, out| c.push_scalar(timestamps, values, out))
    }
}

#[uniffi::export]
impl RepCounter {
    /// A counter for `signal`, with the default parameters (the same for
    /// everyone); it finds the movement's own axis and scale online.
    #[uniffi::constructor]
    pub fn new(signal: CounterSignal) -> Self {
        let kind = match signal {
            CounterSignal::Imu => counting::SignalKind::Imu6,
            CounterSignal::Scalar => counting::SignalKind::Scalar,
        };
        let counter = counting::RepCounter::new(
            CounterConfig::default(),
            Some(counting::CountingHint::signal(kind)),
        );
        RepCounter {
            inner: Mutex::new((counter, Vec::with_capacity(16))),
            parked: Parked::default(),
        }
    }

    /// Feeds motion samples: `timestamps` (s, increasing) and `samples`
    /// interleaved `ax, ay, az, gx, gy, gz` per timestamp. Throws
    /// `InvalidInput` for NaN or infinite values, wrong lengths, time going
    /// backwards, an empty or oversized batch; the counter is then unchanged.
    pub fn push_imu(
        &self,
        timestamps: Vec<f64>,
        samples: Vec<f32>,
    ) -> Result<Vec<CountedRep>, RehabError> {
        self.push_imu_slices(&timestamps, &samples)
    }

    /// Feeds one-channel samples.
    pub fn push_scalar(
        &self,
        timestamps: Vec<f64>,
        values: Vec<f32>,
    ) -> Result<Vec<CountedRep>, RehabError> {
        self.push_scalar_slices(&timestamps, &values)
    }

    /// Movements that a `CounterFeed` push could not hand back directly (more than its
    /// buffer holds), or the error of the batch it pushed last; empty when there is
    /// nothing. The feeds call this for you.
    pub fn take_pushed_events(&self) -> Result<Vec<CountedRep>, RehabError> {
        self.parked.take()
    }

    /// End of the set: reports a last movement that has come back.
    pub fn finish(&self) -> Vec<CountedRep> {
        self.run(|c, out| {
            c.finish(out);
            Ok(())
        })
        .unwrap_or_default()
    }

    /// The next movements are the person's best effort; `end_calibration` sets
    /// the reference range from the best 2-3 of them.
    pub fn begin_calibration(&self) {
        self.lock().0.begin_calibration();
    }

    /// Ends calibration; returns the reference range, or nothing if fewer than
    /// two movements were made.
    pub fn end_calibration(&self) -> Option<f32> {
        self.lock().0.end_calibration()
    }

    /// Sets the reference range (e.g. from an earlier calibration), in the units of
    /// `CountedRep.amplitude`. If the counter moves to counting a movement's travel on
    /// the accelerometer, the reference moves with it, in proportion.
    pub fn set_reference_range(&self, range: f32) -> Result<(), RehabError> {
        Ok(self.lock().0.set_reference_range(range)?)
    }

    /// The range a rep must currently reach, once a reference is set.
    pub fn target_range(&self) -> Option<f32> {
        self.lock().0.target_range()
    }

    /// Reps counted so far.
    pub fn reps(&self) -> u32 {
        self.lock().0.rep_count()
    }

    /// Attempts (movements short of the target) so far.
    pub fn attempts(&self) -> u32 {
        self.lock().0.attempt_count()
    }

    /// Whether reps are being counted on the acceleration rather than the rotation: the
    /// counter moves there by itself for a movement that travels and hardly turns (such
    /// as a press, wiping or an upright row). Then `CountedRep.amplitude` and the
    /// reference range are in metres of hand travel instead of radians.
    pub fn counts_travel(&self) -> bool {
        self.lock().0.counts_travel()
    }
}

fast_push!(
    /// `RepCounter.pushImu` for the Kotlin/Swift `CounterFeed` (the sample fast path, `fast.rs`).
    rehab_core_counter_push_imu => RepCounter, push_imu_slices
);
fast_push!(
    /// `RepCounter.pushScalar` for the Kotlin/Swift `CounterFeed` (the sample fast path, `fast.rs`).
    rehab_core_counter_push_scalar => RepCounter, push_scalar_slices
);
