//! From an excursion on the counted channel to a counted repetition: running amplitude,
//! held strays, emission.

use super::onset::Onset;
use super::*;

/// The running amplitude after an excursion of `amplitude`: smoothed with weight `s`, or
/// the excursion itself when the running one has relaxed to the floor.
#[inline]
pub(super) fn running_amplitude(running: f64, amplitude: f64, floor: f64, s: f64) -> f64 {
    if running <= floor {
        amplitude
    } else {
        running + s * (amplitude - running)
    }
}

/// While the sensor is still, a running amplitude relaxes toward the floor (`rate` = 1/τ).
#[inline]
pub(super) fn relax(amplitude: &mut f64, dt: f32, rate: f32) {
    let k = f64::from(dt * rate).min(1.0);
    *amplitude -= k * *amplitude;
}

impl RepCounter {
    #[inline]
    pub(super) fn detect(
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
            self.history[usize::from(self.imu.use_acc)].add(e);
            self.accept(e, th.floor_amplitude, out);
        }
    }

    /// A valid excursion: count it, unless it is a lone movement against the direction of
    /// a steady run of repetitions (several in a row one way, in rhythm) and out of that
    /// rhythm (after a pause, or straight after a repetition): reaching for something,
    /// shifting position during a rest, a pause halfway back that makes the rest of the
    /// return look like a movement of its own. Such a movement is held back; a second one
    /// the same way means the movement really changed direction, and both count; one back
    /// the usual way means it was a stray movement, and it is dropped. At the end of the set
    /// a held movement counts if it was as large and as fast as the run's repetitions.
    /// Alternating exercises never build a one-way run, so they are unaffected. Only a held
    /// movement is reported one movement late.
    pub(super) fn accept(&mut self, e: Excursion, floor: f64, out: &mut Vec<RepEvent>) {
        if self.settling && self.imu.use_acc && !self.rhythm.sized_like(&e) {
            // The travel channel is band-limited: when the movement stops, its displacement
            // rings back past the rest position once. At the end of a set, a movement on it
            // counts only if it is as large and as fast as the set's repetitions.
            return;
        }
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
    pub(super) fn holds(&self, e: &Excursion) -> bool {
        self.rhythm.strays(e)
    }

    /// A repetition: reported now once the set has begun, else held until it does (see
    /// `onset`).
    pub(super) fn count(&mut self, e: Excursion, floor: f64, out: &mut Vec<RepEvent>) {
        self.onset.pauses_before(&e, self.last_end_s, &self.rhythm);
        self.rhythm.add(&e);
        let s = f64::from(config::AMPLITUDE_SMOOTHING);
        self.running_amplitude = running_amplitude(self.running_amplitude, e.amplitude, floor, s);
        self.shadow.counted_since += 1;
        if self.onset.begun {
            self.emit(e, out);
            return;
        }
        // A scalar channel's "still" is relative to its running amplitude, not a rest of
        // the limb: its far-side rest says nothing of a move into a posture.
        let e = if self.kind == Some(SignalKind::Scalar) {
            Excursion {
                far_rest_s: 0.0,
                ..e
            }
        } else {
            e
        };
        let k = self.onset.hold(e, self.imu.use_acc);
        if k > 0 {
            let Onset { held, n, .. } = self.onset;
            self.onset.n = 0;
            for e in &held[n - k..n] {
                self.emit(*e, out);
            }
        }
    }

    /// Movements seen on the counted channel: reported, and held before the set began.
    pub(super) fn seen(&self) -> u32 {
        self.reps + self.attempts + self.onset.n as u32
    }

    pub(super) fn emit(&mut self, e: Excursion, out: &mut Vec<RepEvent>) {
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
        // A movement reported late (see `missed_run`) ended before the last one reported.
        self.last_end_s = self.last_end_s.max(e.end_s);
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
}
