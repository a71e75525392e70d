//! Adaptation across sessions: targets step up when most reps succeed and ease
//! off when the person struggles, aiming at a high but not perfect success rate
//! (about 70-85 %).
//!
//! Rules, applied to the sets done at the *current* targets only (so one set
//! never drives two changes):
//! - pain rose by [`PAIN_RISE`] points or reached [`PAIN_HIGH`] in the latest
//!   set: ease off range and reps at once (safety is not an outlier);
//! - otherwise nothing changes until [`WINDOW`] sets exist at these targets;
//! - both of the last two sets stopped early: fewer reps;
//! - success >= [`STEP_UP_AT`] over the last two sets, and no set below
//!   [`STEP_UP_FLOOR`]: larger range and more reps;
//! - success < [`EASE_OFF_BELOW`] over the last two sets, and no set above
//!   [`EASE_OFF_CEILING`]: smaller range;
//! - anything else holds. Changes stay inside the exercise's bounds.

use super::catalog::Exercise;
use serde::{Deserialize, Serialize};

/// Sets at the current targets needed before success can change them.
pub const WINDOW: usize = 2;
/// Pooled success rate at or above which targets step up.
pub const STEP_UP_AT: f32 = 0.90;
/// Every set in the window must reach this for a step up (no single lucky set).
pub const STEP_UP_FLOOR: f32 = 0.80;
/// Pooled success rate below which targets ease off.
pub const EASE_OFF_BELOW: f32 = 0.60;
/// No set in the window may exceed this for an ease-off (no single bad set).
pub const EASE_OFF_CEILING: f32 = 0.70;
/// A rise in pain (0-10) of this many points eases off at once.
pub const PAIN_RISE: u8 = 2;
/// Pain at or above this after a set eases off at once.
pub const PAIN_HIGH: u8 = 7;
/// Range-fraction step for a normal change.
pub const RANGE_STEP: f32 = 0.05;
/// Fewest attempts for a set to say anything about success.
pub const MIN_ATTEMPTS: u32 = 3;

/// The targets of one exercise for one person.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, uniffi::Record)]
pub struct Targets {
    /// Repetitions per block.
    pub reps: u32,
    /// Range to reach, as a fraction of the person's calibrated range.
    pub range_fraction: f32,
}

impl Targets {
    /// The catalog's starting targets for an exercise.
    pub fn defaults(exercise: &Exercise) -> Targets {
        Targets {
            reps: exercise.target.reps,
            range_fraction: exercise.target.range_fraction,
        }
    }

    /// These targets moved inside the exercise's bounds.
    pub fn clamped(self, exercise: &Exercise) -> Targets {
        let t = &exercise.target;
        let range_fraction = if self.range_fraction.is_finite() {
            self.range_fraction
                .clamp(t.range_fraction_min, t.range_fraction_max)
        } else {
            t.range_fraction
        };
        Targets {
            reps: self.reps.clamp(t.reps_min, t.reps_max),
            range_fraction,
        }
    }

    fn same_as(&self, other: &Targets) -> bool {
        self.reps == other.reps && (self.range_fraction - other.range_fraction).abs() < 1e-3
    }
}

/// What happened in one set (block) of an exercise.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, uniffi::Record)]
pub struct SetOutcome {
    /// The targets the set was done at.
    pub targets: Targets,
    /// Repetitions attempted (full and partial).
    pub attempts: u32,
    /// Repetitions that reached the target range.
    pub successful: u32,
    /// The person ended the set before the target reps.
    pub stopped_early: bool,
    /// Pain (0-10) logged before the set, if any.
    pub pain_before: Option<u8>,
    /// Pain (0-10) logged after the set, if any.
    pub pain_after: Option<u8>,
}

impl SetOutcome {
    /// Successful attempts as a fraction (0 when nothing was attempted).
    pub fn success_rate(&self) -> f32 {
        if self.attempts == 0 {
            0.0
        } else {
            self.successful.min(self.attempts) as f32 / self.attempts as f32
        }
    }

    fn pain_rose(&self) -> bool {
        let after = match self.pain_after {
            Some(p) => p,
            None => return false,
        };
        after >= PAIN_HIGH
            || self
                .pain_before
                .is_some_and(|b| after >= b.saturating_add(PAIN_RISE))
    }
}

/// Which way a change goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, uniffi::Enum)]
#[serde(rename_all = "snake_case")]
pub enum ChangeKind {
    /// Targets got harder.
    StepUp,
    /// Targets got easier.
    EaseOff,
}

/// Why targets changed; each has a short text in every language
/// ([`super::Catalog::reason_text`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, uniffi::Enum)]
#[serde(rename_all = "snake_case")]
pub enum AdaptReason {
    /// Nearly every rep succeeded in the last sets.
    HighSuccess,
    /// Many reps fell short of the range in the last sets.
    LowSuccess,
    /// The last sets ended before the target.
    StoppedEarly,
    /// Pain rose during the last set.
    PainRose,
}

impl AdaptReason {
    /// Every reason.
    pub const ALL: [AdaptReason; 4] = [
        AdaptReason::HighSuccess,
        AdaptReason::LowSuccess,
        AdaptReason::StoppedEarly,
        AdaptReason::PainRose,
    ];

    /// The key of its text in the language files.
    pub fn key(self) -> &'static str {
        match self {
            AdaptReason::HighSuccess => "high_success",
            AdaptReason::LowSuccess => "low_success",
            AdaptReason::StoppedEarly => "stopped_early",
            AdaptReason::PainRose => "pain_rose",
        }
    }
}

/// A change of targets and why, for the shell to show.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, uniffi::Record)]
pub struct TargetChange {
    /// Harder or easier.
    pub kind: ChangeKind,
    /// Why; [`super::Catalog::reason_text`] gives the sentence to show.
    pub reason: AdaptReason,
    /// Targets before the change.
    pub before: Targets,
    /// Targets after the change.
    pub after: Targets,
}

/// Next targets for `exercise` after the sets done so far (oldest first, any
/// number; only the trailing sets done at `current` count). Returns the new
/// targets and the change, or `current` (clamped to the exercise's bounds) and
/// `None` when nothing changes.
pub fn adapt(
    exercise: &Exercise,
    current: Targets,
    last_sets: &[SetOutcome],
) -> (Targets, Option<TargetChange>) {
    let current = current.clamped(exercise);
    let at_current: Vec<&SetOutcome> = last_sets
        .iter()
        .rev()
        .take_while(|s| s.targets.clamped(exercise).same_as(&current))
        .collect();

    let decision = decide(&at_current);
    let Some((kind, reason)) = decision else {
        return (current, None);
    };
    let after = apply(exercise, current, reason);
    if after.same_as(&current) {
        // Already at the bound in that direction.
        return (current, None);
    }
    let change = TargetChange {
        kind,
        reason,
        before: current,
        after,
    };
    (after, Some(change))
}

/// `recent` holds the sets at the current targets, newest first.
fn decide(recent: &[&SetOutcome]) -> Option<(ChangeKind, AdaptReason)> {
    let latest = recent.first()?;
    if latest.pain_rose() {
        return Some((ChangeKind::EaseOff, AdaptReason::PainRose));
    }
    if recent.len() < WINDOW {
        return None;
    }
    let window = &recent[..WINDOW];
    if window.iter().all(|s| s.stopped_early) {
        return Some((ChangeKind::EaseOff, AdaptReason::StoppedEarly));
    }
    if window.iter().any(|s| s.attempts < MIN_ATTEMPTS) {
        return None;
    }
    let attempts: u32 = window.iter().map(|s| s.attempts).sum();
    let successful: u32 = window.iter().map(|s| s.successful.min(s.attempts)).sum();
    let pooled = successful as f32 / attempts as f32;
    let rates = window.iter().map(|s| s.success_rate());
    let (lowest, highest) = rates.fold((1.0f32, 0.0f32), |(lo, hi), r| (lo.min(r), hi.max(r)));
    let stopped_any = window.iter().any(|s| s.stopped_early);
    if pooled >= STEP_UP_AT && lowest >= STEP_UP_FLOOR && !stopped_any {
        Some((ChangeKind::StepUp, AdaptReason::HighSuccess))
    } else if pooled < EASE_OFF_BELOW && highest <= EASE_OFF_CEILING {
        Some((ChangeKind::EaseOff, AdaptReason::LowSuccess))
    } else {
        None
    }
}

fn apply(exercise: &Exercise, t: Targets, reason: AdaptReason) -> Targets {
    let more_reps = |r: u32| r + (r / 10).max(2);
    let fewer_reps = |r: u32| r.saturating_sub((r / 5).max(2));
    let next = match reason {
        AdaptReason::HighSuccess => Targets {
            reps: more_reps(t.reps),
            range_fraction: t.range_fraction + RANGE_STEP,
        },
        AdaptReason::LowSuccess => Targets {
            reps: t.reps,
            range_fraction: t.range_fraction - RANGE_STEP,
        },
        AdaptReason::StoppedEarly => Targets {
            reps: fewer_reps(t.reps),
            range_fraction: t.range_fraction,
        },
        AdaptReason::PainRose => Targets {
            reps: fewer_reps(t.reps),
            range_fraction: t.range_fraction - 2.0 * RANGE_STEP,
        },
    };
    let mut next = next.clamped(exercise);
    // Keep fractions tidy (0.85, not 0.8500001) so equality checks stay stable.
    next.range_fraction = (next.range_fraction * 100.0).round() / 100.0;
    next.clamped(exercise)
}
