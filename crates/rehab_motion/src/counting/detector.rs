//! Repetition detection on one position-like signal (a rotation angle, a force, a joint
//! angle): a repetition is an excursion away from where the movement started and back.
//!
//! Three phases. `Idle`: the signal rests (anchors follow it slowly, so drift never starts a
//! repetition); a departure of `hysteresis` in either direction starts an excursion. `Out`:
//! the extreme is tracked; when the signal has come back by `return_fraction` of the
//! excursion the repetition is complete and checked against the floors and durations.
//! `Returning`: the low point is tracked; going out again in the same direction starts the
//! next repetition from it, and stillness returns to `Idle`.
//!
//! A repetition sets off from rest. A movement from rest whose return carries on past the
//! rest level by so much more than the movement itself that the detector would not have
//! seen it beside what followed (`Thresholds::wind_up`) was a wind-up: a small
//! counter-movement before the first repetition. The movement is then the other way, and
//! an excursion that way starts from the rest level. (Counted the first way, the set ran
//! from the far side of its repetitions, each measured from the top of the one before, and
//! the last one, whose return stops at rest, never came back far enough to count.) The
//! detector's first movement of all is reported only when its return has shown it was no
//! wind-up.
//!
//! A movement into a new posture (raising the arm to where the exercise starts, picking a
//! weight up) goes out and never comes back: the repetitions then swing about the new
//! posture. Two swings at the far side (back by `hysteresis` and out again, with no new
//! extreme beyond them by `hysteresis` or more: a swing comes back to where the arm was
//! put, often a little past it) make the far side the new rest: the swings are
//! repetitions, and the movement into the posture is not.

/// Per-sample thresholds, computed by the front end from the floors and recent amplitudes.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Thresholds {
    /// Departure needed to start an excursion (signal units).
    pub hysteresis: f64,
    /// Smallest amplitude that is a repetition (signal units).
    pub floor_amplitude: f64,
    /// Smallest peak speed that is a repetition (signal units per second).
    pub floor_speed: f32,
    /// The smallest amplitude also grows with the repetition's duration `d` as this times
    /// `d²` (signal units per s²; 0 = no such growth): for a channel integrated from an
    /// acceleration, whose errors (a tilt misread as travel, drift) grow as the square of
    /// the time they are integrated over.
    pub floor_per_s2: f64,
    pub return_fraction: f64,
    /// A movement from rest smaller than this fraction of how far its return carries on
    /// past rest was a wind-up (see `Returning` in `Detector::step`); 0: never. The
    /// counter's detection fraction: beside the movement that followed, the detector would
    /// not have seen it. 0 on a band-limited channel (the travel), whose position rings
    /// past rest after every movement from it.
    pub wind_up: f64,
    pub min_rep_s: f64,
    pub max_rep_s: f64,
}

impl Thresholds {
    /// Smallest amplitude of a repetition that lasted `duration_s`.
    #[inline]
    pub fn floor_for(&self, duration_s: f64) -> f64 {
        self.floor_amplitude
            .max(self.floor_per_s2 * duration_s * duration_s)
    }
}

/// A completed repetition as the detector sees it; the counter adds the target logic.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub(crate) struct Excursion {
    pub start_s: f64,
    pub end_s: f64,
    pub amplitude: f64,
    pub peak_speed: f32,
    /// Direction of the excursion: +1 or -1.
    pub dir: f64,
    /// How long the sensor rested at the far side, within `hysteresis` of the extreme,
    /// before coming back (s).
    pub far_rest_s: f32,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Phase {
    Idle,
    Out,
    Returning,
}

/// An excursion completes when it has come back by `return_fraction`: a smooth out-and-back
/// (half a cosine out, the same back) gets there 0.72 of the way through for the 0.4 in use.
/// So the shortest repetition (`min_rep_s`, out and back) is checked at that point against
/// this share of its length: a quick stroke at 3 a second, a third shorter than the rest,
/// is still one.
const COMPLETED_SHARE: f64 = 0.7;
/// While still, `Idle` anchors follow the signal with this time constant (s).
const ANCHOR_FOLLOW_S: f32 = 2.0;
/// In `Idle`, the signal is still at an anchor within this fraction of the hysteresis.
const NEAR_ANCHOR: f64 = 0.15;
/// Stillness that ends the `Returning` phase (s).
const STILL_TO_IDLE_S: f32 = 0.6;

#[derive(Debug, Clone, Copy)]
pub(crate) struct Detector {
    phase: Phase,
    /// Direction of the excursion: +1 or -1.
    dir: f64,
    lo: f64,
    lo_t: f64,
    hi: f64,
    hi_t: f64,
    start: f64,
    start_t: f64,
    peak: f64,
    peak_t: f64,
    peak_speed: f32,
    trough: f64,
    trough_t: f64,
    still_s: f32,
    last_end_t: f64,
    primed: bool,
    /// Far-side swings during `Out` (see the module doc): the highest point since the last
    /// swing and the lowest since it, the fastest speed since it, the swings so far, the
    /// first swing, and a second one to report on the next step.
    local: f64,
    local_t: f64,
    dip: f64,
    swing_speed: f32,
    /// The extreme the swings are about (the peak when the first one began).
    crest: f64,
    swings: u8,
    first_swing: Option<Excursion>,
    queued: Option<Excursion>,
    /// Time still within `hysteresis` of the extreme during `Out` (s).
    far_still_s: f32,
    /// Whether the excursion under way set off from rest (`Idle`); after it completed, the
    /// rest level it set off from, its amplitude, and the last time the signal was on its
    /// side of that level (see `Returning` in `step`).
    from_rest: bool,
    rest_level: f64,
    rest_amplitude: f64,
    rest_side_t: f64,
    /// A completed excursion that set off from rest, not reported until its return shows
    /// it was no wind-up (see `Returning` in `step`).
    tentative: Option<Excursion>,
}

impl Default for Detector {
    fn default() -> Self {
        Self {
            phase: Phase::Idle,
            dir: 1.0,
            lo: 0.0,
            lo_t: 0.0,
            hi: 0.0,
            hi_t: 0.0,
            start: 0.0,
            start_t: 0.0,
            peak: 0.0,
            peak_t: 0.0,
            peak_speed: 0.0,
            trough: 0.0,
            trough_t: 0.0,
            still_s: 0.0,
            last_end_t: f64::NEG_INFINITY,
            primed: false,
            local: 0.0,
            local_t: 0.0,
            dip: 0.0,
            swing_speed: 0.0,
            crest: 0.0,
            swings: 0,
            first_swing: None,
            queued: None,
            far_still_s: 0.0,
            from_rest: false,
            rest_level: 0.0,
            rest_amplitude: 0.0,
            rest_side_t: 0.0,
            tentative: None,
        }
    }
}

impl Detector {
    /// True while no excursion is in progress.
    pub fn is_idle(&self) -> bool {
        self.phase == Phase::Idle
    }

    /// Forget any excursion in progress and rest at `p` (after a disturbance or a set's end).
    pub fn rest_at(&mut self, t: f64, p: f64) {
        if let Some(e) = self.tentative.take() {
            self.queued = Some(e);
        }
        self.phase = Phase::Idle;
        self.anchor(t, p);
        self.still_s = 0.0;
    }

    fn anchor(&mut self, t: f64, p: f64) {
        self.lo = p;
        self.hi = p;
        self.lo_t = t;
        self.hi_t = t;
    }

    /// Go out in `dir` from `start` (at `start_t`). Not from rest: `Idle` says so after.
    fn start_out(&mut self, dir: f64, start: f64, start_t: f64, p: f64) {
        self.phase = Phase::Out;
        self.from_rest = false;
        self.dir = dir;
        self.start = start;
        self.start_t = start_t;
        self.peak = p;
        self.peak_t = start_t;
        self.peak_speed = 0.0;
        self.far_still_s = 0.0;
        self.far_side_at(start_t, p);
        self.crest = p;
        self.swings = 0;
        self.first_swing = None;
    }

    fn far_side_at(&mut self, t: f64, p: f64) {
        self.local = p;
        self.local_t = t;
        self.dip = p;
        self.swing_speed = 0.0;
    }

    /// `Out`: follow swings at the far side; on the second, the far side becomes the rest
    /// and the first swing is returned (the second is queued for the next step).
    fn swing(&mut self, t: f64, p: f64, v: f32, th: &Thresholds) -> Option<Excursion> {
        let d = self.dir;
        if d * (p - self.peak) >= 0.0 && (self.swings == 0 || d * (p - self.crest) >= th.hysteresis)
        {
            // A new extreme: still going out, not swinging about a posture. Once a swing
            // is under way, "new" means beyond the far side by the detector's own
            // resolution (`hysteresis`): repetitions made from a posture come back to it,
            // the far side being where the arm was put, not a level they must stay under.
            self.swings = 0;
            self.first_swing = None;
            self.crest = p;
            self.far_side_at(t, p);
            return None;
        }
        self.swing_speed = self.swing_speed.max(v.abs());
        if d * (p - self.local) > 0.0 {
            self.far_side_at(t, p);
        } else if d * (self.dip - p) > 0.0 {
            self.dip = p;
        }
        let back = d * (self.local - self.dip);
        if back < th.hysteresis || d * (p - self.dip) < th.hysteresis {
            return None;
        }
        // Back from the far side and out again: one swing, a movement the other way.
        let e = Excursion {
            start_s: self.local_t,
            end_s: t,
            amplitude: back,
            peak_speed: self.swing_speed,
            dir: -d,
            far_rest_s: 0.0,
        };
        let valid = e.amplitude >= th.floor_for(e.end_s - e.start_s)
            && e.peak_speed >= th.floor_speed
            && e.end_s - e.start_s >= th.min_rep_s;
        self.far_side_at(t, p);
        self.swings += 1;
        if self.swings < 2 {
            self.first_swing = valid.then_some(e);
            return None;
        }
        // The far side is the new rest: what went out to it was a change of posture. The
        // signal is on its way back there from the swing, as after any repetition.
        self.phase = Phase::Returning;
        self.from_rest = false;
        self.dir = -d;
        self.trough = p;
        self.trough_t = t;
        self.last_end_t = t;
        match self.first_swing.take() {
            Some(first) => {
                self.queued = valid.then_some(e);
                Some(first)
            }
            None => valid.then_some(e),
        }
    }

    /// Complete the excursion if the signal has come back by `fraction` of it.
    fn complete(&mut self, t: f64, p: f64, fraction: f64, th: &Thresholds) -> Option<Excursion> {
        let amplitude = self.dir * (self.peak - self.start);
        let back = self.dir * (self.peak - p);
        if back < fraction * amplitude {
            return None;
        }
        let valid = amplitude >= th.floor_for(t - self.start_t)
            && self.peak_speed >= th.floor_speed
            && t - self.start_t >= COMPLETED_SHARE * th.min_rep_s
            && t - self.last_end_t >= th.min_rep_s;
        if !valid {
            // Not a repetition (a twitch, a wind-up): rest at its extreme, so the movement
            // now under way can start an excursion in either direction.
            self.phase = Phase::Idle;
            self.lo = self.peak.min(p);
            self.hi = self.peak.max(p);
            self.lo_t = self.peak_t;
            self.hi_t = self.peak_t;
            return None;
        }
        let first = self.last_end_t == f64::NEG_INFINITY;
        self.phase = Phase::Returning;
        self.trough = p;
        self.trough_t = t;
        self.last_end_t = t;
        self.rest_level = self.start;
        self.rest_amplitude = amplitude;
        self.rest_side_t = t;
        let e = Excursion {
            start_s: self.start_t,
            end_s: t,
            amplitude,
            peak_speed: self.peak_speed,
            dir: self.dir,
            far_rest_s: self.far_still_s,
        };
        if self.from_rest && th.wind_up > 0.0 && first {
            // The first movement of all: whether it was a wind-up shows on its return, and
            // it is reported when that return ends (or the set does).
            self.tentative = Some(e);
            return None;
        }
        Some(e)
    }

    /// The excursion under way (not yet come back), as it stands: its extreme so far is the
    /// amplitude and `end_s` is when it got there. `None` unless one is in progress.
    pub fn in_progress(&self) -> Option<Excursion> {
        (self.phase == Phase::Out).then_some(Excursion {
            start_s: self.start_t,
            end_s: self.peak_t,
            amplitude: self.dir * (self.peak - self.start),
            peak_speed: self.peak_speed,
            dir: self.dir,
            far_rest_s: self.far_still_s,
        })
    }

    /// End of the set: an excursion that has come back by `fraction` counts; then rest.
    pub fn finish(&mut self, t: f64, p: f64, fraction: f64, th: &Thresholds) -> Option<Excursion> {
        let e = match self.queued.take() {
            Some(e) => Some(e),
            None if self.phase == Phase::Out => self.complete(t, p, fraction, th),
            None => None,
        };
        // A first movement of all, held as `tentative` (completed earlier, or just now):
        // the set is over.
        let e = e.or_else(|| self.tentative.take());
        self.rest_at(t, p);
        e
    }

    /// One sample: time `t`, position `p`, signed speed `v`, whether the sensor is still, and
    /// the time step. Returns a repetition when one has just completed.
    pub fn step(
        &mut self,
        t: f64,
        p: f64,
        v: f32,
        still: bool,
        dt: f32,
        th: &Thresholds,
    ) -> Option<Excursion> {
        if !self.primed {
            self.primed = true;
            self.anchor(t, p);
        }
        self.still_s = if still { self.still_s + dt } else { 0.0 };
        if let Some(e) = self.queued.take() {
            return Some(e);
        }
        match self.phase {
            Phase::Idle => {
                // The anchors' times are the last moment the signal was still near them: a
                // movement starts when it leaves its rest level, not at the lowest dip of
                // the tremor or jitter before it.
                let near = NEAR_ANCHOR * th.hysteresis;
                if p < self.lo {
                    self.lo = p;
                    self.lo_t = t;
                } else if p - self.lo <= near {
                    self.lo_t = t;
                }
                if p > self.hi {
                    self.hi = p;
                    self.hi_t = t;
                } else if self.hi - p <= near {
                    self.hi_t = t;
                }
                if still {
                    // Follow slow drift so that it never accumulates into an excursion.
                    let k = f64::from((dt * (1.0 / ANCHOR_FOLLOW_S)).min(1.0));
                    self.lo += (p - self.lo) * k;
                    self.hi += (p - self.hi) * k;
                    self.lo_t = t;
                    self.hi_t = t;
                }
                if p - self.lo >= th.hysteresis {
                    self.start_out(1.0, self.lo, self.lo_t, p);
                    self.from_rest = true;
                } else if self.hi - p >= th.hysteresis {
                    self.start_out(-1.0, self.hi, self.hi_t, p);
                    self.from_rest = true;
                }
                None
            }
            Phase::Out => {
                self.peak_speed = self.peak_speed.max(v.abs());
                if self.dir * (p - self.peak) > 0.0 {
                    self.peak = p;
                    self.peak_t = t;
                }
                if still && self.dir * (self.peak - p) <= th.hysteresis {
                    self.far_still_s += dt;
                }
                if t - self.start_t > th.max_rep_s {
                    // Too long to be a repetition (a phone put down, a long pause): drop it.
                    self.rest_at(t, p);
                    return None;
                }
                let done = self.complete(t, p, th.return_fraction, th);
                if done.is_some() || self.phase != Phase::Out {
                    return done;
                }
                self.swing(t, p, v, th)
            }
            Phase::Returning => {
                if self.dir * (p - self.trough) < 0.0 {
                    self.trough = p;
                    self.trough_t = t;
                }
                let past_rest = self.dir * (self.rest_level - p);
                if past_rest <= 0.0 {
                    self.rest_side_t = t;
                } else if self.from_rest && th.wind_up * past_rest > self.rest_amplitude {
                    // A repetition sets off from rest. This movement did, and its return
                    // carries on past the rest level by more than the detector would have
                    // seen beside it: it was a wind-up (a small counter-movement before the
                    // first repetition), and the movement is the other way. Without this,
                    // the set was counted from the far side of its repetitions, each from
                    // the top of the one before, and the last, whose return stops at rest,
                    // never came back far enough to count.
                    self.start_out(-self.dir, self.rest_level, self.rest_side_t, p);
                    self.tentative = None;
                    return None;
                }
                if self.dir * (p - self.trough) >= th.hysteresis {
                    self.start_out(self.dir, self.trough, self.trough_t, p);
                    return self.tentative.take();
                } else if self.still_s >= STILL_TO_IDLE_S {
                    self.phase = Phase::Idle;
                    self.anchor(t, p);
                    return self.tentative.take();
                }
                None
            }
        }
    }
}
