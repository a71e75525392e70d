//! Structural checks run whenever a catalog is loaded: sane targets and hints,
//! hints consistent with the signal, and complete, short texts in every language.

use super::catalog::{BodyRegion, Catalog, Exercise, Motion, Placement, Signal};
use super::i18n::{MAX_NAME_CHARS, MAX_STEPS, MAX_WORDS_PER_STEP};
use super::{AdaptReason, RoutineError};

/// Hard limits of the catalog data.
const MAX_REPS: u32 = 200;
const MIN_RANGE_FRACTION: f32 = 0.3;
const MAX_REP_S: f32 = 15.0;
const MIN_REP_S: f32 = 0.3;
/// Plausible floor of a travel hint, metres of hand travel: from a short
/// stroke (2 cm) to a long reach (half a metre).
const TRAVEL_MIN_RANGE_M: (f32, f32) = (0.02, 0.5);

/// Checks a loaded catalog; every problem found is listed in one error.
pub(crate) fn validate(catalog: &Catalog) -> Result<(), RoutineError> {
    let mut problems = Vec::new();
    if catalog.version() == 0 {
        problems.push("version must be at least 1".to_owned());
    }
    if catalog.exercises().is_empty() {
        problems.push("no exercises".to_owned());
    }
    for e in catalog.exercises() {
        check_exercise(e, &mut problems);
    }
    check_texts(catalog, &mut problems);
    if problems.is_empty() {
        Ok(())
    } else {
        Err(RoutineError::InvalidCatalog {
            detail: problems.join("; "),
        })
    }
}

fn is_snake_case(id: &str) -> bool {
    (3..=48).contains(&id.len())
        && id.starts_with(|c: char| c.is_ascii_lowercase())
        && !id.ends_with('_')
        && !id.contains("__")
        && id
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
}

fn check_exercise(e: &Exercise, problems: &mut Vec<String>) {
    let id = &e.id;
    let mut bad = |what: String| problems.push(format!("{id}: {what}"));
    if !is_snake_case(id) {
        bad("id must be snake_case, 3-48 characters".into());
    }
    if !(1..=3).contains(&e.level) {
        bad(format!("level {} is not 1-3", e.level));
    }
    let t = &e.target;
    if !(1 <= t.reps_min && t.reps_min <= t.reps && t.reps <= t.reps_max && t.reps_max <= MAX_REPS)
    {
        bad(format!(
            "reps need 1 <= min <= default <= max <= {MAX_REPS} ({} / {} / {})",
            t.reps_min, t.reps, t.reps_max
        ));
    }
    let fractions_ok = MIN_RANGE_FRACTION <= t.range_fraction_min
        && t.range_fraction_min <= t.range_fraction
        && t.range_fraction <= t.range_fraction_max
        && t.range_fraction_max <= 1.0;
    if !fractions_ok {
        bad(format!(
            "range fractions need {MIN_RANGE_FRACTION} <= min <= default <= max <= 1"
        ));
    }

    let h = &e.hint;
    if !(h.rep_s_min.is_finite() && h.rep_s_max.is_finite())
        || h.rep_s_min < MIN_REP_S
        || h.rep_s_max > MAX_REP_S
        || h.rep_s_min * 2.0 > h.rep_s_max
    {
        bad(format!(
            "rep duration {}-{} s must lie in {MIN_REP_S}-{MAX_REP_S} s, longest at least twice the shortest (slow movement)",
            h.rep_s_min, h.rep_s_max
        ));
    }
    if !e.placement.signals().contains(&h.signal) {
        bad(format!(
            "placement {} cannot give a {:?} signal",
            e.placement.key(),
            h.signal
        ));
    }
    if h.axis.is_some() && h.signal != Signal::Imu {
        bad("only IMU hints name a gyroscope axis".into());
    }
    if h.motion.is_some() && h.signal != Signal::Imu {
        bad("only IMU hints say whether the movement turns or travels".into());
    }
    // Plausible absolute floors per unit: radians, metres of hand travel,
    // newtons, millimetres, degrees.
    let (lo, hi) = match (h.signal, h.motion) {
        (Signal::Imu, Some(Motion::Travel)) => TRAVEL_MIN_RANGE_M,
        (Signal::Imu, _) => (0.05, 1.5),
        (Signal::GripForce, _) => (1.0, 50.0),
        (Signal::Touch, _) => (0.0, 100.0),
        (Signal::JointAngle, _) => (3.0, 90.0),
    };
    if !(lo..=hi).contains(&h.min_range) {
        bad(format!(
            "min_range {} {} is outside {lo}-{hi} for {:?}{}",
            h.min_range,
            h.range_unit(),
            h.signal,
            if h.motion == Some(Motion::Travel) {
                " travel"
            } else {
                ""
            }
        ));
    }
    if e.region == BodyRegion::Leg && matches!(e.placement, Placement::GripSensor) {
        bad("a leg exercise cannot use the grip sensor".into());
    }
}

fn check_texts(catalog: &Catalog, problems: &mut Vec<String>) {
    let packs = catalog.language_packs();
    if packs.is_empty() {
        problems.push("no language registered".to_owned());
    }
    for pack in packs {
        let lang = &pack.code;
        if pack.name.trim().is_empty() {
            problems.push(format!("{lang}: empty language name"));
        }
        for r in BodyRegion::ALL {
            if missing(&pack.regions, r.key()) {
                problems.push(format!("{lang}: no text for region {}", r.key()));
            }
        }
        for p in Placement::ALL {
            if missing(&pack.placements, p.key()) {
                problems.push(format!("{lang}: no text for placement {}", p.key()));
            }
        }
        for r in AdaptReason::ALL {
            if missing(&pack.reasons, r.key()) {
                problems.push(format!("{lang}: no text for reason {}", r.key()));
            }
        }
        for id in pack.exercises.keys() {
            if catalog.exercise(id).is_err() {
                problems.push(format!("{lang}: text for unknown exercise {id}"));
            }
        }
        for e in catalog.exercises() {
            let Some(text) = pack.exercises.get(&e.id) else {
                problems.push(format!("{lang}: no text for exercise {}", e.id));
                continue;
            };
            let name_len = text.name.trim().chars().count();
            if name_len == 0 || name_len > MAX_NAME_CHARS {
                problems.push(format!(
                    "{lang}/{}: name needs 1-{MAX_NAME_CHARS} characters",
                    e.id
                ));
            }
            if text.steps.is_empty() || text.steps.len() > MAX_STEPS {
                problems.push(format!("{lang}/{}: needs 1-{MAX_STEPS} steps", e.id));
            }
            for step in &text.steps {
                let words = step.split_whitespace().count();
                if words == 0 || words > MAX_WORDS_PER_STEP {
                    problems.push(format!(
                        "{lang}/{}: step \"{step}\" has {words} words (1-{MAX_WORDS_PER_STEP})",
                        e.id
                    ));
                }
            }
        }
    }
}

fn missing(texts: &std::collections::HashMap<String, String>, key: &str) -> bool {
    texts.get(key).map(|s| s.trim().is_empty()).unwrap_or(true)
}
