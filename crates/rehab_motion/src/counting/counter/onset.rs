//! The start of a set: movements before the repetition is established (a reach for the
//! phone, picking a weight up, settling the grip, a walk up to the place) are held back,
//! not reported. Once the newest `ONSET_RUN` movements look alike (as long and as large as
//! one another, with alike rests) the set has begun: they are reported, with the held
//! movements that led into them without a pause, and every later movement is reported as
//! it completes. Movements separated from the set by a pause are the set-up, and dropped.
//!
//! Not yet told apart: walking up to the place. An arm swinging with the steps is as
//! steady as a set, and an exercise's own up-and-down acceleration looks like step impacts
//! (tried, and it held back real repetitions of SPAR's trapezius and rotation sets).

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

#[derive(Debug, Clone, Copy, Default)]
pub(super) struct Onset {
    /// Whether the set has begun: movements are reported as they complete.
    pub(super) begun: bool,
    /// Held movements, oldest first.
    pub(super) held: [Excursion; HELD_LEN],
    pub(super) n: usize,
}

fn alike(a: &Excursion, b: &Excursion) -> bool {
    let (da, db) = (a.end_s - a.start_s, b.end_s - b.start_s);
    da <= ALIKE_DURATION * db
        && db <= ALIKE_DURATION * da
        && a.amplitude <= ALIKE_SIZE * b.amplitude
        && b.amplitude <= ALIKE_SIZE * a.amplitude
}

impl Onset {
    /// Hold `e`; returns how many of the held movements (the newest) begin the set now,
    /// or 0 while it has not begun. The caller reports `held[n - k..n]` and clears.
    pub(super) fn hold(&mut self, e: Excursion) -> usize {
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
        let mut k = ONSET_RUN;
        while k < self.n {
            let (h, next) = (&self.held[self.n - k - 1], &self.held[self.n - k]);
            let rested = next.start_s - h.end_s > gap;
            if rested {
                break;
            }
            k += 1;
        }
        self.begin_with(k)
    }

    fn begin_with(&mut self, k: usize) -> usize {
        self.begun = true;
        k
    }

    /// The end of a set that never began (too few movements, or too unlike one another,
    /// to establish it: a person who managed one or two repetitions): all of them count.
    pub(super) fn at_end(&self) -> &[Excursion] {
        &self.held[..self.n]
    }
}
