//! The start of a set: movements before the repetition is established (a reach for the
//! phone, picking a weight up, settling the grip, a walk up to the place) are held back,
//! not reported. Once the newest `ONSET_RUN` movements look alike (as long and as large as
//! one another, with alike rests) the set has begun: they are reported, with the held
//! movements that led into them without a pause, and every later movement is reported as
//! it completes. Movements separated from the set by a pause are the set-up, and dropped.
//!
//! The same after a pause in a set that began: a movement like the set's repetitions is one
//! of them, and reported at once; one unlike them (a fidget in the rest, putting the phone
//! down, the set going on in another way) is held as at the start. A run of alike movements
//! establishes the set again and is reported, with what led into it in its rhythm or at its
//! size; at the end of the set, what is held counts if it is like the set's repetitions.
//!
//! Not yet told apart: walking up to the place. An arm swinging with the steps is as
//! steady as a set, and an exercise's own up-and-down acceleration looks like step impacts
//! (tried, and it held back real repetitions of SPAR's trapezius and rotation sets).

use super::channels::{period, smallest};
use super::rhythm::{Rhythm, RHYTHM_TOLERANCE};
use super::*;

/// Movements held before the set begins; a set still not begun when this many are held
/// begins with them (so that no real repetition is ever dropped for want of room).
pub(super) const HELD_LEN: usize = 8;
/// Alike movements that establish the repetition.
const ONSET_RUN: usize = 3;
/// Alike: durations within this factor of one another, ...
const ALIKE_DURATION: f64 = 1.8;
/// ... and amplitudes within this one.
const ALIKE_SIZE: f64 = 2.5;
/// A held movement leads into the run only with a rest after it no longer than this factor
/// times the run's longest rest, or this many seconds (picking a weight up, settling, then
/// starting makes a longer pause than those between repetitions).
const LEAD_GAP: (f64, f64) = (2.0, 3.0);
/// A held movement that rested at its far side longer than this factor times the run's
/// longest such rest, or this many seconds, moved into a posture (see `hold`).
const FAR_REST: (f32, f32) = (2.0, 1.0);

#[derive(Debug, Clone, Copy, Default)]
pub(super) struct Onset {
    /// Whether the set has begun: movements are reported as they complete.
    pub(super) begun: bool,
    /// Held movements, oldest first.
    pub(super) held: [Excursion; HELD_LEN],
    pub(super) n: usize,
    /// The set began, then paused, and what came after the pause was unlike its
    /// repetitions (see `pauses_before`): held as at the start, until a run establishes
    /// what the set now is. Set: the set's repetitions then (duration s, amplitude).
    pub(super) resumed: Option<(f64, f64)>,
}

/// A pause in a set that began: a rest longer than this factor times the set's usual rest
/// between repetitions, or this many seconds.
const PAUSE_GAP: (f64, f64) = (3.0, 5.0);

/// Whether `e`, held before `run`, rested at its far side longer than any of the run's
/// movements did (by `FAR_REST`): it went somewhere and stayed, a move into the starting
/// posture (the hand up from the lap to the table), whose "return" was the first
/// repetition setting off. Not a repetition, however it compares in size and duration.
fn moved_into_posture(e: &Excursion, run: &[Excursion]) -> bool {
    let held_far = run.iter().map(|e| e.far_rest_s).fold(0.0f32, f32::max);
    e.far_rest_s > (FAR_REST.0 * held_far).max(FAR_REST.1)
}

fn alike(a: &Excursion, b: &Excursion) -> bool {
    alike_to(a, (b.end_s - b.start_s, b.amplitude))
}

/// Whether `a` is as long and as large as a movement of `(duration s, amplitude)`.
fn alike_to(a: &Excursion, (db, ab): (f64, f64)) -> bool {
    let da = a.end_s - a.start_s;
    da <= ALIKE_DURATION * db
        && db <= ALIKE_DURATION * da
        && a.amplitude <= ALIKE_SIZE * ab
        && ab <= ALIKE_SIZE * a.amplitude
}

impl Onset {
    /// Hold `e` (counted on the travel channel: `travel`); returns how many of the held
    /// movements (the newest) begin the set now, or 0 while it has not begun. The caller
    /// reports `held[n - k..n]` and clears.
    pub(super) fn hold(&mut self, e: Excursion, travel: bool) -> usize {
        self.held[self.n] = e;
        self.n += 1;
        if self.n == HELD_LEN {
            // As many movements as this: the set has begun with them.
            return self.begin_with(HELD_LEN);
        }
        if self.n < ONSET_RUN {
            return 0;
        }
        let run = &self.held[self.n - ONSET_RUN..self.n];
        let rests = run.windows(2).map(|w| w[1].start_s - w[0].end_s);
        let (shortest, longest) = rests.fold((f64::INFINITY, 0.0f64), |(lo, hi), r| {
            (lo.min(r), hi.max(r))
        });
        // Rests between the run's movements are alike too, or all short.
        let gap = |rest: f64| (LEAD_GAP.0 * rest).max(LEAD_GAP.1);
        let steady =
            longest <= gap(shortest) && run.iter().all(|a| run.iter().all(|b| alike(a, b)));
        if !steady {
            return 0;
        }
        // The held movements just before the run lead into it, back to the first rest longer
        // than `LEAD_GAP` allows: the set is one bout of movement, and the set-up before it
        // (a walk up, picking the weight up, settling) ends with a pause to get ready. The
        // first repetitions may be unlike the rest (a partial first one, a warm-up).
        let gap = gap(longest);
        // After a pause in the set, what leads into the new run is as large as its
        // movements, or comes in its rhythm (a fidget in the rest does neither); and, always,
        // no smaller than the detector would see beside them.
        let (smallest, period) = (smallest(run), period(run));
        let leads = |h: &Excursion, next: &Excursion| {
            let interval = next.start_s - h.start_s;
            let paced =
                interval * RHYTHM_TOLERANCE >= period && interval <= period * RHYTHM_TOLERANCE;
            // A lead-in the detector would have seen beside the run's repetitions (the
            // hysteresis is this fraction of their size): a smaller one is a fidget or a
            // wind-up, wherever it falls. Not on the travel channel, which shows a movement
            // from rest at about a quarter of the rhythm's swing (see `TRAVEL_FROM_REST`).
            let seen = travel || h.amplitude >= f64::from(config::DETECT_FRACTION) * smallest;
            seen && (self.resumed.is_none() || paced || h.amplitude * ALIKE_SIZE >= smallest)
        };
        // Nor does a movement into the starting posture (see `moved_into_posture`).
        let posture = |h: &Excursion| moved_into_posture(h, run);
        let mut k = ONSET_RUN;
        while k < self.n {
            let (h, next) = (&self.held[self.n - k - 1], &self.held[self.n - k]);
            let rested = next.start_s - h.end_s > gap;
            if rested || !leads(h, next) || posture(h) {
                break;
            }
            k += 1;
        }
        self.begin_with(k)
    }

    fn begin_with(&mut self, k: usize) -> usize {
        self.begun = true;
        self.resumed = None;
        k
    }

    /// Whether `e`, the first movement after the last reported one ended at `last_end_s`,
    /// comes after a pause in a set that began, and is unlike its repetitions (`rhythm`):
    /// then it is held, and what follows with it, as at the start of a set (a fidget in a
    /// rest, the arm put down, a walk away after the set; or the set going on in a new
    /// way, which a run of alike movements establishes, all of them reported). A movement
    /// like the set's repetitions after a pause is one of them, and reported at once.
    pub(super) fn pauses_before(
        &mut self,
        e: &Excursion,
        last_end_s: f64,
        rhythm: &Rhythm,
    ) -> bool {
        if !self.begun || rhythm.run < 2 {
            return false;
        }
        let rest = (rhythm.period - rhythm.duration).max(0.0);
        let pause = e.start_s - last_end_s > (PAUSE_GAP.0 * rest).max(PAUSE_GAP.1);
        let set = (rhythm.duration, rhythm.amplitude);
        if !pause || alike_to(e, set) {
            return false;
        }
        self.begun = false;
        self.n = 0;
        self.resumed = Some(set);
        true
    }

    /// The end of a set that never began (too few movements, or too unlike one another,
    /// to establish it: a person who managed one or two repetitions): all of them count.
    /// After a pause in a set that began, those like its repetitions.
    pub(super) fn at_end(&self) -> impl Iterator<Item = &Excursion> {
        let resumed = self.resumed;
        self.held[..self.n]
            .iter()
            .filter(move |e| resumed.is_none_or(|set| alike_to(e, set)))
    }
}
