//! The IMU channel not counted on, and when counting moves to it: the split rule, the
//! miss rule (rotation to travel) and the lost rule (travel back to rotation).

use super::*;

/// Counting moves to the accelerometer when the rotation splits its movements: during
/// each of the accelerometer's last `ACC_SWITCH_WINDOW` excursions the rotation reported
/// one or two movements, `ACC_SWITCH_COUNTED` in all, i.e. most of them twice (an upright
/// row: the limb travels and turns little, and what it turns goes back and
/// forth within one repetition), those excursions coming at a steady pace (see
/// `History::paced`: a travel channel that merged the first repetitions while it learned
/// their direction shows one long movement, beside which the rotation's one-per-repetition
/// looks like a split) ...
const ACC_SWITCH_WINDOW: usize = 3;
const ACC_SWITCH_COUNTED: u32 = 5;
/// ... and the accelerometer's excursion is this many times the rotation's running
/// amplitude (rad-equivalent against radians).
const ACC_SWITCH_ON: f64 = 2.5;
/// Back to the rotation on the same split pattern the other way (the travel reporting
/// most of the rotation's movements twice, the rotation's last `ACC_SWITCH_WINDOW` at a
/// steady pace: a rotation that merged movements would make the travel look split), with a
/// rotation excursion at least this many times the accelerometer's running amplitude.
const ACC_SWITCH_OFF: f64 = 1.0;
/// Counting also moves to the other channel when that one shows a steady run of `RUN_LEN`
/// repetitions (start-to-start times within `RUN_PACE` of each other, sizes within
/// `RUN_SIZE`, each `RUN_CLEAR` times its floor) over which the counted channel saw at
/// most `RUN_SEEN` movements: it misses them (too small on it) or merges them (they follow
/// one another with no rest, and it never comes back between them); or it skipped some
/// amid others it saw one for one (`History::skipped`). A press or wiping
/// hardly turns the wrist; a forearm turning in place hardly moves the hand.
pub(super) const RUN_LEN: usize = 4;
/// Excursions kept per channel: the run and the movements that led into it.
const HISTORY_LEN: usize = 8;
const RUN_PACE: f64 = 1.6;
const RUN_SIZE: f64 = 2.5;
const RUN_CLEAR: f64 = 1.5;
const RUN_SEEN: usize = 2;
/// What the rotation saw beside a run it missed turned at most this fraction of the run's
/// travel (in radians, see `LEVER_M`).
const LITTLE_TURN: f64 = 0.5;
/// A movement of the counted channel lasting this many of the run's periods merged them.
const MERGED: f64 = 1.5;
/// Movements lasting longer than this (s) lose their shape on the travel channel (see
/// `TRAVEL_TAU_S`): judged by how long a run's movements last (`lasting`), not by its
/// period, since pauses between movements do not change a movement's shape.
const TRAVEL_SLOW_S: f64 = 3.0;

/// The travel channel is band-limited (see `TRAVEL_TAU_S`): in a steady rhythm its
/// displacement swings from one extreme to the other, while a movement from rest shows
/// only its first lobe (the band-limiting then swings it past the rest position, into the
/// next movement). That lobe reads about a quarter of the rhythm's swing (0.24-0.36 for
/// presses of 1.5-4 s): the first repetition of a run that began from rest, compared with
/// the run at this share of its size. Not for runs whose movements last longer than
/// `TRAVEL_SLOW_S` (the channel's shape depends on how long a movement lasts, not on the
/// pauses between): the channel shows those shifted by half a repetition, and the first
/// lobe there is the first half of a repetition that the run goes on to report.
const TRAVEL_FROM_REST: f64 = 0.25;

/// Start-to-start time of a run's repetitions (s).
pub(super) fn period(run: &[Excursion]) -> f64 {
    let n = run.len();
    (run[n - 1].start_s - run[0].start_s) / (n - 1) as f64
}

/// How long a run's movements last, on average (s).
fn lasting(run: &[Excursion]) -> f64 {
    run.iter().map(|e| e.end_s - e.start_s).sum::<f64>() / run.len() as f64
}

/// Whether start-to-start intervals are a steady pace: all positive, the longest within
/// `RUN_PACE` of the shortest.
fn steady_pace(intervals: impl Iterator<Item = f64>) -> bool {
    let (lo, hi) = intervals.fold((f64::INFINITY, 0.0f64), |(lo, hi), i| {
        (lo.min(i), hi.max(i))
    });
    lo > 0.0 && hi <= RUN_PACE * lo
}

/// Whether two excursions share at least half of the shorter one's time.
fn half_shared(a: &Excursion, b: &Excursion) -> bool {
    let shared = a.end_s.min(b.end_s) - a.start_s.max(b.start_s);
    shared >= 0.5 * (a.end_s - a.start_s).min(b.end_s - b.start_s)
}

/// The smallest amplitude of a run.
pub(super) fn smallest(run: &[Excursion]) -> f64 {
    run.iter()
        .map(|e| e.amplitude)
        .fold(f64::INFINITY, f64::min)
}

/// A channel's latest excursions, newest first: enough to tell whether it shows a steady
/// run of repetitions, and to report that run's movements when counting moves to it.
#[derive(Debug, Clone, Copy, Default)]
pub(super) struct History {
    pub(super) recent: [Option<Excursion>; HISTORY_LEN],
    /// The last time span (s) over which the channel saw nothing it could read: a hole in
    /// the samples and the travel's recovery from it (see `Recovery`). Repetitions made
    /// then are lost to it, and not a break in the pace of those before and after.
    pub(super) blind: Option<(f64, f64)>,
}

impl History {
    pub(super) fn add(&mut self, e: Excursion) {
        self.recent.copy_within(..HISTORY_LEN - 1, 1);
        self.recent[0] = Some(e);
    }

    /// Whether the last `n` excursions (`n` >= 2: one interval at least) came at a steady
    /// pace (start-to-start times within `RUN_PACE` of each other).
    pub(super) fn paced(&self, n: usize) -> bool {
        debug_assert!(n >= 2, "a pace needs two movements");
        // Newest first, and filled from the front: `n` kept ones or fewer than asked for.
        let kept = || self.recent[..n].iter().flatten();
        kept().count() == n
            && steady_pace(
                kept()
                    .zip(kept().skip(1))
                    .map(|(l, e)| l.start_s - e.start_s),
            )
    }

    /// The last `RUN_LEN` excursions if they make a steady run: each came when the next
    /// repetition would (start-to-start times within `RUN_PACE` of each other), each about
    /// as large as the others (within `RUN_SIZE`) and clearly above `floor`.
    pub(super) fn steady_run(&self, floor: f64) -> Option<[Excursion; RUN_LEN]> {
        let mut run = [Excursion::default(); RUN_LEN];
        for (slot, e) in run.iter_mut().rev().zip(self.recent.iter().copied()) {
            *slot = e?;
        }
        let lo_a = smallest(&run);
        let hi_a = run.iter().map(|e| e.amplitude).fold(0.0, f64::max);
        let (lo_d, hi_d) = run
            .iter()
            .map(|e| e.end_s - e.start_s)
            .fold((f64::INFINITY, 0.0f64), |(lo, hi), d| {
                (lo.min(d), hi.max(d))
            });
        let steady = steady_pace(run.windows(2).map(|w| w[1].start_s - w[0].start_s))
            && hi_a <= RUN_SIZE * lo_a
            && hi_d <= RUN_SIZE * lo_d
            && lo_a >= RUN_CLEAR * floor;
        steady.then_some(run)
    }

    /// The excursions before a steady `run` that led into it: each at most a paced
    /// interval before the next, at least `1 / RUN_SIZE` of the run's smallest (the first
    /// repetitions of a set are often smaller, and the channel's direction is still being
    /// learned on them). Newest first.
    pub(super) fn lead_in(
        &self,
        run: &[Excursion; RUN_LEN],
        from_rest: f64,
    ) -> [Option<Excursion>; HISTORY_LEN - RUN_LEN] {
        let longest = run
            .windows(2)
            .map(|w| w[1].start_s - w[0].start_s)
            .fold(0.0, f64::max);
        let smallest = smallest(run);
        let mut lead = [None; HISTORY_LEN - RUN_LEN];
        let mut next = run[0];
        // `earlier` came at most a paced interval before `later`, not counting a blind span
        // between them.
        let paced = |earlier: &Excursion, later: &Excursion| {
            let blind = self.blind.map_or(0.0, |(from, to)| {
                (to.min(later.start_s) - from.max(earlier.end_s)).max(0.0)
            });
            later.start_s - earlier.start_s - blind <= RUN_PACE * longest
        };
        let older = self.recent[RUN_LEN + 1..].iter().copied().chain([None]);
        for ((slot, e), before) in lead
            .iter_mut()
            .zip(self.recent[RUN_LEN..].iter().flatten())
            .zip(older)
        {
            // Started from rest: nothing came a paced interval before it.
            let rested = before.is_none_or(|b| !paced(&b, e));
            let least = if rested {
                from_rest * smallest
            } else {
                smallest
            };
            if !paced(e, &next) || e.amplitude * RUN_SIZE < least {
                break;
            }
            *slot = Some(*e);
            next = *e;
        }
        lead
    }

    /// What to report when counting moves to this channel for `run`: its lead-in, then the
    /// run, oldest first, those that `keep` passes.
    pub(super) fn run_report(
        &self,
        run: &[Excursion; RUN_LEN],
        from_rest: f64,
        keep: impl Fn(&Excursion) -> bool,
    ) -> [Option<Excursion>; HISTORY_LEN] {
        // The lead-in is stored newest first.
        let lead = self.lead_in(run, from_rest);
        let mut report = [None; HISTORY_LEN];
        for (slot, e) in report
            .iter_mut()
            .zip(lead.iter().rev().flatten().chain(run.iter()))
        {
            *slot = keep(e).then_some(*e);
        }
        report
    }

    /// How many of the excursions ended at or after `t`.
    pub(super) fn since(&self, t: f64) -> usize {
        self.recent
            .iter()
            .flatten()
            .filter(|e| e.end_s >= t)
            .count()
    }

    /// Whether an excursion shares any time with `e`; also when `e` began before the
    /// oldest one kept (what came then is no longer known, or was nothing this channel
    /// saw: taken as met, so that a movement from before is never reported late).
    pub(super) fn meets(&self, e: &Excursion) -> bool {
        let older = self
            .recent
            .iter()
            .flatten()
            .last()
            .is_none_or(|o| e.start_s < o.start_s);
        older
            || self
                .recent
                .iter()
                .flatten()
                .any(|r| r.start_s < e.end_s && e.start_s < r.end_s)
    }

    /// Whether this channel skipped movements of `run` (the other channel's steady run)
    /// in the midst of movements it saw one for one (reaches that turn the forearm
    /// anywhere from under the rotation's floor to well above it): during one of the run's
    /// movements it met nothing, and it moved again after it; three of its movements in a
    /// row came one run period apart (within `RUN_PACE`), so it keeps the run's pace when
    /// it sees them (two could be a set-up movement that happened to come a period before
    /// the first repetition); and none of its movements over the run overlapped two of the
    /// run's by half.
    /// A channel whose every movement the other shows as two (a slow repetition, whose
    /// travel shows a second out-and-back in the rest after it) moves once every two of the
    /// run's periods, and meets every one of the run's movements that it spans.
    pub(super) fn skipped(&self, run: &[Excursion; RUN_LEN]) -> bool {
        let kept = || self.recent.iter().flatten();
        let p = period(run);
        let paced = |later: &Excursion, earlier: &Excursion| {
            let i = later.start_s - earlier.start_s;
            i * RUN_PACE >= p && i <= RUN_PACE * p
        };
        let in_pace = kept()
            .zip(kept().skip(1))
            .zip(kept().skip(2))
            .any(|((a, b), c)| paced(a, b) && paced(b, c));
        let one_for_one = kept()
            .filter(|e| e.end_s >= run[0].start_s)
            .all(|e| run.iter().filter(|r| half_shared(r, e)).count() <= 1);
        let moved_after = |r: &Excursion| kept().any(|e| e.start_s >= r.end_s);
        in_pace && one_for_one && run.iter().any(|r| !self.meets(r) && moved_after(r))
    }

    /// The period (s) of the movement under way at `t`: the mean start-to-start time of the
    /// latest (up to `RUN_LEN`) excursions, if the newest ended within two of them of `t`;
    /// else 0 (none under way, or too few seen to tell).
    pub(super) fn rhythm(&self, t: f64) -> f32 {
        let kept = self.recent[..RUN_LEN].iter().flatten();
        let (n, newest, oldest) = kept.fold((0, None, None), |(n, newest, _), e| {
            (n + 1, newest.or(Some(*e)), Some(*e))
        });
        let (Some(newest), Some(oldest)) = (newest, oldest) else {
            return 0.0;
        };
        if n < 2 {
            return 0.0;
        }
        let period = (newest.start_s - oldest.start_s) / f64::from(n - 1);
        if newest.end_s >= t - 2.0 * period {
            period as f32
        } else {
            0.0
        }
    }

    /// Whether an excursion overlaps `e` in time by at least half of the shorter.
    pub(super) fn overlaps(&self, e: &Excursion) -> bool {
        self.recent.iter().flatten().any(|r| half_shared(r, e))
    }
}

/// The channel the counter does not count on: its own detector and running amplitude,
/// kept so that the counter can tell which channel shows the repetitions.
#[derive(Debug, Clone, Copy, Default)]
pub(super) struct Shadow {
    pub(super) detector: Detector,
    pub(super) amplitude: f64,
    /// Excursions so far.
    pub(super) excursions: u32,
    /// Movements the counted channel reported since the shadow's last excursion.
    pub(super) counted_since: u32,
    /// How many movements the counted channel reported during each of the shadow's last
    /// `ACC_SWITCH_WINDOW` excursions (newest first).
    pub(super) split: [u32; ACC_SWITCH_WINDOW],
}

impl RepCounter {
    /// The channel not counted on: detect its excursions too, and switch channels when
    /// they show the repetitions better. `channel`: its position, speed and stillness.
    #[inline]
    pub(super) fn shadow_step(
        &mut self,
        t: f64,
        channel: (f64, f32, bool),
        held: bool,
        dt: f32,
        out: &mut Vec<RepEvent>,
    ) {
        let (p, speed, still) = channel;
        let floor = self.channel_floor(!self.imu.use_acc);
        let floor_speed = self.channel_floor_speed(!self.imu.use_acc);
        let base = self.thresholds();
        let wind_up = self.wind_up(!self.imu.use_acc);
        let floor_per_s2 = self.channel_floor_per_s2(!self.imu.use_acc);
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
            floor_speed,
            floor_per_s2,
            wind_up,
            ..base
        };
        if let Some(e) = sh.detector.step(t, p, speed, still, dt, &th) {
            let other = usize::from(!self.imu.use_acc);
            let may = self.may_count_on(!self.imu.use_acc);
            self.history[other].add(e);
            if self.missed_run(floor, out) || self.lost_run(floor, out) {
                return;
            }
            let sh = &mut self.shadow;
            let s = f64::from(config::AMPLITUDE_SMOOTHING);
            sh.amplitude = running_amplitude(sh.amplitude, e.amplitude, floor, s);
            sh.excursions += 1;
            sh.split.copy_within(..ACC_SWITCH_WINDOW - 1, 1);
            sh.split[0] = sh.counted_since;
            sh.counted_since = 0;
            // Each of the shadow's movements reported once or twice (more would mean that
            // the shadow misses repetitions), in all at least `ACC_SWITCH_COUNTED` times.
            let split = sh.split.iter().all(|&n| (1..=2).contains(&n))
                && sh.split.iter().sum::<u32>() >= ACC_SWITCH_COUNTED
                && self.history[other].paced(ACC_SWITCH_WINDOW);
            // In radians (travel over `LEVER_M`): the accelerometer must move well beyond the
            // rotation to be counted on; the rotation, as much as it, to be counted on again.
            let ratio = if self.imu.use_acc {
                ACC_SWITCH_OFF
            } else {
                ACC_SWITCH_ON
            };
            let acc = self.imu.use_acc;
            let big = rad_equivalent(!acc, e.amplitude)
                >= ratio * rad_equivalent(acc, self.running_amplitude);
            if split && big && may {
                // Until now the rotation reported halves of repetitions: what it reported
                // beyond the repetitions made so far, as many of the next movements are not
                // reported again, so that the set's count comes out true (the display runs
                // ahead for a few repetitions, then waits). The repetitions made: the travel
                // channel's movements, or the rotation's reports over the split ratio just
                // seen, whichever is more (the travel channel may have missed the first
                // ones while it learned their direction).
                let excursions = sh.excursions;
                let new = usize::from(!self.imu.use_acc);
                let ratio = f64::from(sh.split.iter().sum::<u32>()) / ACC_SWITCH_WINDOW as f64;
                let reported = self.seen();
                let made = excursions.max((f64::from(reported) / ratio).round() as u32);
                let extra = reported.saturating_sub(made);
                let owed = if !self.imu.use_acc { extra } else { 0 };
                // (A set paused and holding again has reported movements already.)
                if self.onset.begun || self.onset.resumed.is_some() {
                    self.shadow.split = [0; ACC_SWITCH_WINDOW];
                    self.switch_channel(owed);
                } else {
                    // Nothing reported yet: the new channel's own movements instead of the
                    // halves held.
                    let mut report = self.history[new].recent;
                    report.reverse();
                    self.switch_and_count(report, out);
                }
            }
        }
    }

    /// The miss rule (see `RUN_LEN`): when the channel not counted on shows a steady run the
    /// counted one did not see, count on it from now on, and report the run's movements
    /// the counted channel did not report. True if counting moved.
    fn missed_run(&mut self, floor: f64, out: &mut Vec<RepEvent>) -> bool {
        // Only from the rotation to the travel: a rotation that misses movements is the
        // known failure (presses, wiping, sawing), and a rule both ways would undo the split
        // rule, on whose movements the rotation shows a faster, steady rhythm.
        if self.imu.use_acc || !self.may_count_on(true) {
            return false;
        }
        let [counted, other] = &self.history;
        let Some(run) = other.steady_run(floor) else {
            return false;
        };
        // The counted channel keeping a steady rhythm as fast as the run's misses nothing:
        // the other channel only shows more movements around it (the arm lowered as the
        // set ends, a reach). A channel that merges repetitions has a slower rhythm.
        if counted
            .steady_run(self.channel_floor(false))
            .is_some_and(|mine| period(&mine) <= RUN_PACE * period(&run))
        {
            return false;
        }
        // The travel channel is band-limited: a repetition lasting longer than
        // `TRAVEL_SLOW_S` loses its shape on it, and a hold at the far end decays into a
        // return of its own, so that it shows two movements per repetition. A run that
        // slow moves counting to it only if the rotation saw nothing at all.
        // What the counted channel saw over the run: its movements clearly above its own
        // floor. One at the floor (a press's wrist wobble of a few degrees, a wipe's sway)
        // is as much noise as movement, and no view of the repetitions.
        let counted_floor = self.channel_floor(false);
        let clear = |e: &Excursion| e.amplitude >= RUN_CLEAR * counted_floor;
        let seen = counted
            .recent
            .iter()
            .flatten()
            .filter(|e| e.end_s >= run[0].start_s && clear(e))
            .count();
        let all_seen = counted.since(run[0].start_s);
        let slow = lasting(&run) > TRAVEL_SLOW_S;
        // Unless it skipped some of the run's movements in the midst of others it saw one
        // for one (see `History::skipped`): then it is no view of the repetitions, however
        // many it saw and however much they turned.
        let skipped = counted.skipped(&run);
        if !skipped && ((slow && all_seen > 0) || seen > RUN_SEEN) {
            return false;
        }
        // Two movements on the counted channel over the run are a merge only if each
        // lasted as long as two of the run's: else the run splits the counted channel's
        // repetitions (a slow movement's travel shows more than one out-and-back).
        let merged = |e: &Excursion| e.end_s - e.start_s >= MERGED * period(&run);
        // And what the rotation did see there turned little: a press or a wipe turns the
        // wrist a few degrees. A large turn with a steady travel beside it is a movement
        // the rotation counts well and whose travel shows two out-and-backs.
        let least = rad_equivalent(true, smallest(&run));
        let little = |e: &Excursion| rad_equivalent(false, e.amplitude) <= LITTLE_TURN * least;
        let mut in_span = counted
            .recent
            .iter()
            .flatten()
            .filter(|e| e.end_s >= run[0].start_s);
        if !skipped && !in_span.all(|e| little(e) && (seen < 2 || merged(e) || !clear(e))) {
            return false;
        }
        // Never a movement twice: only what the counted channel did not show. After the
        // last reported movement ended, that is a movement it did not overlap by half; before
        // it, one it did not meet at all (the rotation at its floor catches some of a run's
        // movements and not others: those it missed are reported now, late, with their own
        // times; a travel run shifted by half a movement meets every one it saw). Before the
        // set began the counted channel reported nothing: what it held is dropped when
        // counting moves, and only what came after the last report counts.
        let after = self.last_end_s;
        let begun = self.onset.begun;
        let from_rest = if slow { 1.0 } else { TRAVEL_FROM_REST };
        let report = other.run_report(&run, from_rest, |e| {
            (!begun || !counted.overlaps(e)) && (e.start_s >= after || begun && !counted.meets(e))
        });
        self.switch_and_count(report, out);
        true
    }

    /// The way back (the lost rule): counting on the travel, a steady run of the rotation
    /// over which the travel saw no movement at all moves counting back to the rotation,
    /// and reports the run. The travel lost the movement (a fast turn sampled at 10 Hz
    /// leaves the orientation, and so gravity's removal, too far off to integrate). Nothing
    /// seen, not "little": a travel that saw every other movement of the rotation's run is
    /// the split rule's case, whose rotation counting left on purpose. True if counting
    /// moved.
    fn lost_run(&mut self, floor: f64, out: &mut Vec<RepEvent>) -> bool {
        if !self.imu.use_acc || !self.may_count_on(false) {
            return false;
        }
        let [rotation, travel] = &self.history;
        let Some(run) = rotation.steady_run(floor) else {
            return false;
        };
        if travel.since(run[0].start_s) > 0 {
            return false;
        }
        let after = self.last_end_s;
        let report = rotation.run_report(&run, 1.0, |e| e.start_s >= after);
        self.switch_and_count(report, out);
        true
    }

    /// Count on the other channel from now on and count `report` (oldest first) on it: the
    /// run the miss rule found, or before the set began the new channel's own movements.
    /// What the old channel held before the set began is dropped: it was measured in other
    /// units, and `report` shows what the set is.
    fn switch_and_count(
        &mut self,
        report: [Option<Excursion>; HISTORY_LEN],
        out: &mut Vec<RepEvent>,
    ) {
        self.shadow.split = [0; ACC_SWITCH_WINDOW];
        self.switch_channel(0);
        self.onset.n = 0;
        let floor = self.floor_amplitude();
        for e in report.into_iter().flatten() {
            self.count(e, floor, out);
        }
    }

    /// Whether counting may move to the travel channel (`acc`) or the rotation: the hint
    /// may say the exercise turns, or travels.
    pub(super) fn may_count_on(&self, acc: bool) -> bool {
        match self.hint.and_then(|h| h.motion) {
            Some(Motion::Turn) => !acc,
            Some(Motion::Travel) => acc,
            None => true,
        }
    }

    /// Count on the other channel from now on. The shadow movement that decided it is not
    /// reported: the counted channel reported it already (in halves, when switching to the
    /// accelerometer).
    pub(super) fn switch_channel(&mut self, owed: u32) {
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
}

#[cfg(test)]
mod tests {
    use super::*;

    fn excursion(start_s: f64, end_s: f64, amplitude: f64) -> Excursion {
        Excursion {
            start_s,
            end_s,
            amplitude,
            peak_speed: 1.0,
            dir: 1.0,
            far_rest_s: 0.0,
        }
    }

    fn history(spans: &[(f64, f64, f64)]) -> History {
        let mut h = History::default();
        for &(start_s, end_s, amplitude) in spans {
            h.add(excursion(start_s, end_s, amplitude));
        }
        h
    }

    #[test]
    fn a_first_movement_from_rest_leads_into_the_run_at_its_own_share() {
        // From rest, a press 0.09 m on the band-limited travel; then four of ~0.34 m.
        let spans = [
            (7.0, 7.9, 0.09),
            (8.7, 10.6, 0.34),
            (11.1, 13.0, 0.33),
            (13.6, 15.5, 0.37),
            (16.0, 17.8, 0.33),
        ];
        // How many of `spans` lead into the run of their last four.
        let led = |spans: &[(f64, f64, f64)], from_rest| {
            let h = history(spans);
            let run = h.steady_run(0.015).expect("a run");
            h.lead_in(&run, from_rest).iter().flatten().count()
        };
        assert_eq!(led(&spans, TRAVEL_FROM_REST), 1);
        assert_eq!(led(&spans, 1.0), 0);
        // The same small movement straight after another one is no start from rest: a
        // quarter of the run's size does not lead into it.
        let mut after = vec![(5.3, 6.6, 0.1)];
        after.extend(spans);
        assert_eq!(led(&after, TRAVEL_FROM_REST), 0);
    }

    #[test]
    fn movements_before_a_blind_span_still_lead_into_the_run_after_it() {
        // Strokes every 0.5 s; a hole and the travel's recovery from it blinded the channel
        // from 3.6 to 4.65 s, and the two strokes made then were lost to it.
        let spans = [
            (2.0, 2.35, 0.1),
            (2.5, 2.85, 0.1),
            (3.0, 3.35, 0.1),
            (4.7, 5.05, 0.1),
            (5.2, 5.55, 0.1),
            (5.7, 6.05, 0.1),
            (6.2, 6.55, 0.1),
        ];
        let mut h = history(&spans);
        let run = h.steady_run(0.015).expect("a run");
        // Not knowing why, 1.7 s between two strokes is a break in the set.
        assert_eq!(h.lead_in(&run, 1.0).iter().flatten().count(), 0);
        h.blind = Some((3.6, 4.65));
        assert_eq!(h.lead_in(&run, 1.0).iter().flatten().count(), 3);
        // A blind span elsewhere explains nothing.
        h.blind = Some((7.0, 8.0));
        assert_eq!(h.lead_in(&run, 1.0).iter().flatten().count(), 0);
    }

    #[test]
    fn the_rhythm_under_way_is_the_latest_movements_period() {
        let h = history(&[(2.0, 2.35, 0.1), (2.5, 2.85, 0.1), (3.1, 3.4, 0.1)]);
        assert!((h.rhythm(3.6) - 0.55).abs() < 1e-6);
        // Two periods after the newest ended, no movement is under way.
        assert_eq!(h.rhythm(4.6), 0.0);
        // One movement has no period.
        assert_eq!(history(&[(2.0, 2.35, 0.1)]).rhythm(2.5), 0.0);
    }

    #[test]
    fn movements_are_paced_when_their_start_to_start_times_are_alike() {
        // Starts at 0, 1.5, 3 and 4.2 s: alike. At 0, 4.2 and 5.7 s: the channel merged or
        // missed movements before the last two.
        let h = history(&[
            (0.0, 1.0, 0.3),
            (1.5, 2.5, 0.3),
            (3.0, 4.0, 0.3),
            (4.2, 5.2, 0.3),
        ]);
        assert!(h.paced(3) && h.paced(4));
        let h = history(&[(0.0, 1.0, 0.3), (4.2, 5.2, 0.3), (5.7, 6.7, 0.3)]);
        assert!(!h.paced(3));
        assert!(h.paced(2), "two movements are one interval, paced");
        // Fewer movements than asked for: not paced.
        assert!(!history(&[(0.0, 1.0, 0.3), (1.5, 2.5, 0.3)]).paced(3));
    }

    #[test]
    fn a_channel_skipped_a_run_movement_only_amid_movements_it_saw_in_its_pace() {
        // The travel's run: reaches every ~4.3 s.
        let run = [
            excursion(18.8, 21.6, 0.2),
            excursion(22.9, 26.0, 0.2),
            excursion(27.2, 30.3, 0.2),
            excursion(31.8, 34.9, 0.2),
        ];
        // The rotation saw reaches 5 s apart, met nothing during 27.2-30.3 and moved
        // again at 34: it skipped that one.
        let reaches = [
            (2.4, 5.0, 0.2),
            (7.4, 10.0, 0.15),
            (12.2, 14.4, 0.3),
            (20.9, 23.0, 0.3),
            (34.0, 36.1, 0.4),
        ];
        assert!(history(&reaches).skipped(&run));
        // Before it moved again, nothing tells a skip from a movement still under way.
        assert!(!history(&reaches[..4]).skipped(&run));
        // One of the rotation's every two of the run's periods (8.7 s apart against
        // 4.4 s): slow repetitions whose rests the travel shows as movements. It met
        // nothing during 31.8-34.9 and moved again after, but never kept the run's pace.
        let slow = [
            (1.0, 5.6, 0.9),
            (9.7, 14.3, 0.8),
            (18.4, 23.0, 0.8),
            (27.1, 31.7, 0.8),
            (35.8, 40.4, 0.8),
        ];
        assert!(!history(&slow).skipped(&run));
        // The same with a set-up movement (picking up a weight) a run period before the
        // first repetition: one pair in the run's pace is a coincidence, not a pace kept.
        let mut set_up = vec![(-3.3, -1.0, 0.5)];
        set_up.extend(slow);
        assert!(!history(&set_up).skipped(&run));
        // One of the rotation's overlapping two of the run's by half (22-30 s): it merges
        // movements, and one it missed after that is not a skip among ones it saw.
        let merged = [
            (12.2, 16.6, 0.3),
            (16.8, 21.0, 0.3),
            (22.0, 30.0, 0.3),
            (35.0, 37.0, 0.4),
        ];
        assert!(!history(&merged).skipped(&run));
        let unmerged = [merged[0], merged[1], (22.0, 25.0, 0.3), merged[3]];
        assert!(history(&unmerged).skipped(&run));
    }

    #[test]
    fn a_steady_run_is_alike_in_pace_size_and_duration() {
        // Four repetitions every 3 s, 2.4-2.8 s each: a run.
        let reps = [
            (0.0, 2.5, 0.3),
            (3.0, 5.4, 0.25),
            (6.1, 8.9, 0.3),
            (9.0, 11.4, 0.28),
        ];
        assert!(history(&reps).steady_run(0.05).is_some());
        // The same pace and sizes, but short and long movements taking turns (a slow
        // repetition's travel, band-limited, shows a return of its own after its hold):
        // two movements per repetition, not a run of repetitions.
        let halves = [
            (0.0, 2.4, 0.21),
            (3.0, 3.8, 0.15),
            (6.0, 9.2, 0.26),
            (9.4, 10.2, 0.15),
        ];
        assert!(history(&halves).steady_run(0.05).is_none());
    }

    #[test]
    fn a_movement_is_met_when_one_kept_shares_time_with_it_or_it_came_before_them_all() {
        let ex = |start_s: f64, end_s: f64| excursion(start_s, end_s, 0.2);
        // The rotation saw reaches at 2-4 s and 10-12 s, not the one at 6-8 s.
        let seen = history(&[(2.0, 4.0, 0.2), (10.0, 12.0, 0.2)]);
        assert!(!seen.meets(&ex(6.0, 8.0)));
        // Sharing any time, even shifted by most of a movement, is a meeting.
        assert!(seen.meets(&ex(3.8, 6.0)));
        assert!(seen.meets(&ex(11.9, 13.0)));
        // Before the oldest kept: not known to be missed (whether or not the history is
        // full), nor is anything when nothing was kept.
        assert!(seen.meets(&ex(0.5, 1.9)));
        assert!(History::default().meets(&ex(6.0, 8.0)));
        let full: Vec<(f64, f64, f64)> = (0..HISTORY_LEN)
            .map(|k| (20.0 + 3.0 * k as f64, 21.0 + 3.0 * k as f64, 0.2))
            .collect();
        let full = history(&full);
        assert!(full.meets(&ex(15.0, 16.0)));
        assert!(!full.meets(&ex(21.5, 22.5)));
    }
}
