//! Tests of the routine module: the shipped catalog, plans, prescriptions,
//! user routines and adaptation.

use super::*;
use crate::model::Side;
use chrono::{Datelike, NaiveDate};
use std::collections::{HashMap, HashSet};

fn catalog() -> &'static Catalog {
    Catalog::embedded()
}

/// Monday 23 November 2026.
fn monday() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 23).unwrap()
}

fn day(offset: i64) -> NaiveDate {
    monday() + chrono::Duration::days(offset)
}

fn upper_limb_request(minutes: u32) -> PlanRequest {
    PlanRequest {
        level: 2,
        areas: BodyRegion::UPPER_LIMB.to_vec(),
        affected_side: Side::Right,
        goal: PlanGoal::Minutes { minutes },
        prescriptions: vec![],
        targets: HashMap::new(),
    }
}

fn history_of(plan: &DailyPlan, date: NaiveDate) -> Vec<PastExercise> {
    plan.blocks
        .iter()
        .map(|b| PastExercise {
            date,
            exercise_id: b.exercise_id.clone(),
            reps: b.target_reps,
        })
        .collect()
}

fn ids(plan: &DailyPlan, source: BlockSource) -> HashSet<String> {
    plan.blocks
        .iter()
        .filter(|b| b.source == source)
        .map(|b| b.exercise_id.clone())
        .collect()
}

// ---------------------------------------------------------------- catalog

#[test]
fn embedded_catalog_loads_and_is_large_enough() {
    let c = catalog();
    assert!(c.version() >= 1);
    assert!(
        c.exercises().len() >= 40,
        "{} exercises",
        c.exercises().len()
    );
    let unique: HashSet<&str> = c.exercises().iter().map(|e| e.id.as_str()).collect();
    assert_eq!(unique.len(), c.exercises().len(), "ids must be unique");
    for level in 1..=3 {
        assert!(
            c.exercises().iter().any(|e| e.level == level),
            "level {level}"
        );
    }
}

#[test]
fn every_region_is_covered_with_an_easy_exercise() {
    for region in BodyRegion::ALL {
        let of_region: Vec<&Exercise> = catalog()
            .exercises()
            .iter()
            .filter(|e| e.region == region)
            .collect();
        assert!(of_region.len() >= 3, "{region:?} has {}", of_region.len());
        assert!(
            of_region.iter().any(|e| e.level == 1),
            "{region:?} needs a level-1 exercise"
        );
    }
}

#[test]
fn the_movements_the_issue_lists_are_in_the_catalog() {
    let required = [
        ("grip_squeeze", BodyRegion::Hand),
        ("pinch_thumb_index", BodyRegion::Hand),
        ("index_finger_tap", BodyRegion::Hand),
        ("finger_taps_each", BodyRegion::Hand),
        ("thumb_opposition", BodyRegion::Hand),
        ("wrist_flexion_extension", BodyRegion::Wrist),
        ("wrist_radial_ulnar_deviation", BodyRegion::Wrist),
        ("forearm_pronation_supination", BodyRegion::Forearm),
        ("elbow_flexion_extension", BodyRegion::Elbow),
        ("shoulder_flexion", BodyRegion::Shoulder),
        ("shoulder_abduction", BodyRegion::Shoulder),
        ("shoulder_rotation", BodyRegion::Shoulder),
        ("trunk_forward_lean", BodyRegion::Trunk),
        ("seated_knee_extension", BodyRegion::Leg),
        ("ankle_pumps", BodyRegion::Leg),
        ("sit_to_stand", BodyRegion::Leg),
        ("seated_marching", BodyRegion::Leg),
    ];
    for (id, region) in required {
        let e = catalog().exercise(id).unwrap();
        assert_eq!(e.region, region, "{id}");
    }
    let signals: HashSet<Signal> = catalog()
        .exercises()
        .iter()
        .map(|e| e.hint.signal)
        .collect();
    assert_eq!(signals.len(), 4, "every signal kind is used: {signals:?}");
}

#[test]
fn targets_are_sane() {
    for e in catalog().exercises() {
        let t = &e.target;
        assert!(
            t.reps_min >= 1 && t.reps_min <= t.reps && t.reps <= t.reps_max,
            "{}",
            e.id
        );
        assert!(t.reps_max <= 100, "{}", e.id);
        assert!(
            (0.3..=1.0).contains(&t.range_fraction_min)
                && t.range_fraction_min <= t.range_fraction
                && t.range_fraction <= t.range_fraction_max
                && t.range_fraction_max <= 1.0,
            "{}",
            e.id
        );
        // One default block takes between 10 s and 4 minutes.
        let s = t.reps as f32 * e.hint.estimated_rep_s(2);
        assert!((10.0..=240.0).contains(&s), "{}: {s} s", e.id);
    }
}

#[test]
fn hints_are_consistent_with_the_signal() {
    for e in catalog().exercises() {
        let h = &e.hint;
        assert!(h.rep_s_min >= 0.3 && h.rep_s_max <= 15.0, "{}", e.id);
        assert!(h.rep_s_max >= 3.0, "{}: allow slow impaired reps", e.id);
        match h.signal {
            Signal::Imu => {
                if h.motion == Some(Motion::Travel) {
                    assert!((0.02..=0.5).contains(&h.min_range), "{}: m", e.id);
                } else {
                    assert!((0.05..=1.5).contains(&h.min_range), "{}: rad", e.id);
                }
                assert!(
                    !matches!(
                        e.placement,
                        Placement::GripSensor | Placement::PhoneOnTable | Placement::CameraFacing
                    ),
                    "{}",
                    e.id
                );
            }
            Signal::GripForce | Signal::Touch | Signal::JointAngle if h.motion.is_some() => {
                panic!("{}: only IMU hints have a motion", e.id)
            }
            Signal::GripForce => {
                assert_eq!(e.placement, Placement::GripSensor, "{}", e.id);
                assert!(h.axis.is_none() && h.min_range >= 1.0, "{}", e.id);
            }
            Signal::Touch => {
                assert!(
                    matches!(e.placement, Placement::PhoneOnTable | Placement::HandHeld),
                    "{}",
                    e.id
                );
                assert!(h.axis.is_none(), "{}", e.id);
            }
            Signal::JointAngle => {
                assert_eq!(e.placement, Placement::CameraFacing, "{}", e.id);
                assert!(h.axis.is_none() && h.min_range >= 3.0, "{}", e.id);
            }
        }
    }
    // Typical placements name the axis of the movement.
    let axis = |id: &str| catalog().exercise(id).unwrap().hint.axis;
    assert_eq!(axis("wrist_flexion_extension"), Some(Axis::X));
    assert_eq!(axis("wrist_radial_ulnar_deviation"), Some(Axis::Z));
    assert_eq!(axis("forearm_pronation_supination"), Some(Axis::Y));
}

#[test]
fn every_exercise_has_short_texts_in_every_language() {
    let c = catalog();
    let codes: Vec<String> = c.languages().into_iter().map(|l| l.code).collect();
    assert_eq!(codes, ["en", "es"]);
    for e in c.exercises() {
        let en = c.exercise_text(&e.id, "en").unwrap();
        let es = c.exercise_text(&e.id, "es").unwrap();
        assert_ne!(en.name, es.name, "{} is not translated", e.id);
        for text in [&en, &es] {
            assert!((1..=MAX_STEPS).contains(&text.steps.len()), "{}", e.id);
            for step in &text.steps {
                let words = step.split_whitespace().count();
                assert!(
                    (1..=MAX_WORDS_PER_STEP).contains(&words),
                    "{}: {step}",
                    e.id
                );
            }
        }
    }
    for code in &codes {
        for r in BodyRegion::ALL {
            assert!(!c.region_name(r, code).unwrap().is_empty());
        }
        for p in Placement::ALL {
            assert!(!c.placement_text(p, code).unwrap().is_empty());
        }
        for r in AdaptReason::ALL {
            assert!(!c.reason_text(r, code).unwrap().is_empty());
        }
    }
    assert_eq!(c.region_name(BodyRegion::Wrist, "es").unwrap(), "Muñeca");
}

#[test]
fn unknown_ids_and_languages_are_typed_errors() {
    let c = catalog();
    assert_eq!(
        c.exercise("juggling").unwrap_err(),
        RoutineError::UnknownExercise {
            id: "juggling".into()
        }
    );
    let err = c.exercise_text("ankle_pumps", "fr").unwrap_err();
    assert!(matches!(err, RoutineError::UnknownLanguage { ref code, .. } if code == "fr"));
    assert!(err.to_string().contains("en, es"), "{err}");
}

#[test]
fn language_is_resolved_from_device_locales() {
    let c = catalog();
    let pick =
        |tags: &[&str]| c.resolve_language(&tags.iter().map(|s| s.to_string()).collect::<Vec<_>>());
    assert_eq!(pick(&["es-MX", "en-US"]), "es");
    assert_eq!(pick(&["fr-FR", "es_ES"]), "es");
    assert_eq!(pick(&["de"]), "en");
    assert_eq!(pick(&[]), "en");
}

/// The embedded data as JSON values, to break on purpose.
fn raw() -> (serde_json::Value, serde_json::Value, serde_json::Value) {
    let parse = |s: &str| serde_json::from_str::<serde_json::Value>(s).unwrap();
    (
        parse(include_str!("../../catalog/exercises.json")),
        parse(include_str!("../../catalog/i18n/en.json")),
        parse(include_str!("../../catalog/i18n/es.json")),
    )
}

fn load(
    ex: &serde_json::Value,
    en: &serde_json::Value,
    es: &serde_json::Value,
) -> Result<Catalog, RoutineError> {
    let (ex, en, es) = (ex.to_string(), en.to_string(), es.to_string());
    Catalog::from_json(&ex, &[("en", &en), ("es", &es)])
}

fn catalog_error(result: Result<Catalog, RoutineError>) -> String {
    match result {
        Err(RoutineError::InvalidCatalog { detail }) => detail,
        other => panic!("expected InvalidCatalog, got {other:?}"),
    }
}

#[test]
fn validation_rejects_broken_catalogs() {
    let (ex, en, es) = raw();
    assert!(load(&ex, &en, &es).is_ok());

    let mut dup = ex.clone();
    let first = dup["exercises"][0].clone();
    dup["exercises"].as_array_mut().unwrap().push(first);
    assert!(catalog_error(load(&dup, &en, &es)).contains("appears twice"));

    let mut missing = es.clone();
    missing["exercises"]
        .as_object_mut()
        .unwrap()
        .remove("ankle_pumps");
    assert!(
        catalog_error(load(&ex, &en, &missing)).contains("es: no text for exercise ankle_pumps")
    );

    let mut long = en.clone();
    long["exercises"]["ankle_pumps"]["steps"][0] =
        "Sit on a chair with both feet flat on the floor.".into();
    assert!(catalog_error(load(&ex, &long, &es)).contains("words"));

    let mut mismatch = ex.clone();
    mismatch["exercises"][0]["hint"]["signal"] = "imu".into(); // grip sensor gives force
    assert!(catalog_error(load(&mismatch, &en, &es)).contains("cannot give"));

    let mut targets = ex.clone();
    targets["exercises"][0]["target"]["reps_min"] = 500.into();
    assert!(catalog_error(load(&targets, &en, &es)).contains("reps need"));

    let mut bad_id = ex.clone();
    bad_id["exercises"][0]["id"] = "Grip Squeeze".into();
    assert!(catalog_error(load(&bad_id, &en, &es)).contains("snake_case"));

    let mut no_reason = en.clone();
    no_reason["reasons"]
        .as_object_mut()
        .unwrap()
        .remove("pain_rose");
    assert!(catalog_error(load(&ex, &no_reason, &es)).contains("reason pain_rose"));

    let en_text = en.to_string();
    let err = Catalog::from_json(&ex.to_string(), &[("fr", &en_text)]);
    assert!(catalog_error(err).contains("registered as fr"));
}

/// Index of an exercise in the raw `exercises.json` value.
fn raw_index(ex: &serde_json::Value, id: &str) -> usize {
    ex["exercises"]
        .as_array()
        .unwrap()
        .iter()
        .position(|e| e["id"] == id)
        .unwrap()
}

#[test]
fn catalog_data_without_motion_or_kind_still_loads() {
    let (mut ex, en, es) = raw();
    for e in ex["exercises"].as_array_mut().unwrap() {
        e.as_object_mut().unwrap().remove("kind");
        e["hint"].as_object_mut().unwrap().remove("motion");
        // A travel floor in metres would not be a plausible rotation floor.
        if e["hint"]["signal"] == "imu" {
            e["hint"]["min_range"] = 0.2.into();
        }
    }
    let old = load(&ex, &en, &es).unwrap();
    assert_eq!(old.exercises().len(), catalog().exercises().len());
    assert!(old.exercises().iter().all(|e| e.hint.motion.is_none()));
    assert!(old
        .exercises()
        .iter()
        .all(|e| e.kind == ExerciseKind::Movement));
    assert_eq!(
        old.exercise("wrist_flexion_extension")
            .unwrap()
            .hint
            .range_unit(),
        "rad"
    );
}

#[test]
fn travel_floors_are_metres_and_turn_floors_radians() {
    let (ex, en, es) = raw();
    let i = raw_index(&ex, "elbow_flexion_extension");
    let with = |motion: &str, min_range: f64| {
        let mut changed = ex.clone();
        changed["exercises"][i]["hint"]["motion"] = motion.into();
        changed["exercises"][i]["hint"]["min_range"] = min_range.into();
        load(&changed, &en, &es)
    };
    // 5 cm of hand travel, a long 45 cm reach: plausible.
    assert!(with("travel", 0.05).is_ok());
    assert!(with("travel", 0.45).is_ok());
    // A metre of travel as a floor, or 1 cm (tremor): refused, in metres.
    let err = catalog_error(with("travel", 1.0));
    assert!(
        err.contains("elbow_flexion_extension: min_range 1 m is outside 0.02-0.5"),
        "{err}"
    );
    assert!(catalog_error(with("travel", 0.01)).contains("0.01 m"));
    // The same 1.0 is a plausible rotation (57 degrees) for a turn.
    assert!(with("turn", 1.0).is_ok());
    assert!(catalog_error(with("turn", 0.02)).contains("0.02 rad"));

    let mut grip = ex.clone();
    grip["exercises"][raw_index(&ex, "grip_squeeze")]["hint"]["motion"] = "travel".into();
    assert!(catalog_error(load(&grip, &en, &es)).contains("only IMU hints say"));

    let mut unknown = ex.clone();
    unknown["exercises"][i]["hint"]["motion"] = "sideways".into();
    assert!(catalog_error(load(&unknown, &en, &es)).contains("unknown variant"));
}

// ---------------------------------------------------------------- plans

#[test]
fn thirty_minutes_for_a_typical_upper_limb_profile() {
    let request = upper_limb_request(30);
    let plan = generate_plan(catalog(), monday(), &request, &[]).unwrap();
    assert!(
        (1500..=1800).contains(&plan.est_total_s),
        "est {} s",
        plan.est_total_s
    );
    assert!(
        (300..=450).contains(&plan.total_reps),
        "{} reps",
        plan.total_reps
    );
    assert!(plan.blocks.len() >= 8, "{} blocks", plan.blocks.len());
    assert!(!plan.over_budget);
    let regions: HashSet<BodyRegion> = plan
        .blocks
        .iter()
        .map(|b| catalog().exercise(&b.exercise_id).unwrap().region)
        .collect();
    assert!(regions.len() >= 4, "regions {regions:?}");
    for b in &plan.blocks {
        let e = catalog().exercise(&b.exercise_id).unwrap();
        assert!(e.level <= 2 && BodyRegion::UPPER_LIMB.contains(&e.region));
        let expected = match e.laterality {
            Laterality::PerSide => Side::Right,
            Laterality::Bilateral => Side::Both,
        };
        assert_eq!(b.side, expected, "{}", b.exercise_id);
        assert_eq!(b.source, BlockSource::Generated);
        assert!(b.target_reps <= e.target.reps, "{}", b.exercise_id);
    }
    // Catalog default reps, except at most one block trimmed to fit the budget.
    let trimmed = plan
        .blocks
        .iter()
        .filter(|b| b.target_reps < catalog().exercise(&b.exercise_id).unwrap().target.reps)
        .count();
    assert!(trimmed <= 1);
    // Each exercise gets more than one set.
    let distinct = ids(&plan, BlockSource::Generated).len();
    assert!(
        distinct >= 6 && distinct * 3 <= plan.blocks.len() * 2,
        "{distinct} distinct"
    );
    assert_eq!(plan.blocks.last().unwrap().rest_after_s, 0);
    let sum: u32 = plan
        .blocks
        .iter()
        .map(|b| b.setup_s + b.est_duration_s + b.rest_after_s)
        .sum();
    assert_eq!(sum, plan.est_total_s);
    // Setup only where the placement changes; each placement set up once.
    let mut placements_set_up = Vec::new();
    for (i, b) in plan.blocks.iter().enumerate() {
        let p = catalog().exercise(&b.exercise_id).unwrap().placement;
        if b.setup_s > 0 {
            assert!(!placements_set_up.contains(&p), "{p:?} set up twice");
            placements_set_up.push(p);
        } else {
            let prev = catalog()
                .exercise(&plan.blocks[i - 1].exercise_id)
                .unwrap()
                .placement;
            assert_eq!(prev, p);
        }
    }
    // Deterministic.
    assert_eq!(
        plan,
        generate_plan(catalog(), monday(), &request, &[]).unwrap()
    );
}

#[test]
fn print_a_thirty_minute_plan() {
    // `cargo test routine::tests::print_a_thirty_minute_plan -- --nocapture`
    let plan = generate_plan(catalog(), monday(), &upper_limb_request(30), &[]).unwrap();
    for b in &plan.blocks {
        println!(
            "{:<30} {:?} reps {:>3} range {:.2} setup {:>2}s move {:>3}s rest {:>2}s",
            b.exercise_id,
            b.side,
            b.target_reps,
            b.target_range_fraction,
            b.setup_s,
            b.est_duration_s,
            b.rest_after_s
        );
    }
    println!(
        "{} blocks, {} reps, {:.1} min",
        plan.blocks.len(),
        plan.total_reps,
        plan.est_total_s as f32 / 60.0
    );
}

#[test]
fn budgets_scale_the_plan() {
    let short = generate_plan(catalog(), monday(), &upper_limb_request(10), &[]).unwrap();
    let long = generate_plan(catalog(), monday(), &upper_limb_request(60), &[]).unwrap();
    assert!(
        short.est_total_s <= 600 && short.est_total_s >= 450,
        "{}",
        short.est_total_s
    );
    assert!(
        long.est_total_s <= 3600 && long.est_total_s >= 3300,
        "{}",
        long.est_total_s
    );
    assert!(short.total_reps < long.total_reps);
    let longest = generate_plan(catalog(), monday(), &upper_limb_request(120), &[]).unwrap();
    assert!(longest.est_total_s >= 6500 && longest.est_total_s <= 7200);
    assert!(longest.blocks.len() <= MAX_BLOCKS);
}

#[test]
fn a_rep_goal_is_met_exactly() {
    for goal in [50, 137, 300, 600] {
        let mut request = upper_limb_request(30);
        request.goal = PlanGoal::Reps { reps: goal };
        let plan = generate_plan(catalog(), monday(), &request, &[]).unwrap();
        assert_eq!(plan.total_reps, goal);
        assert!(plan.blocks.iter().all(|b| b.target_reps >= 1));
    }
}

#[test]
fn both_sides_affected_gives_left_and_right_blocks() {
    let mut request = upper_limb_request(30);
    request.affected_side = Side::Both;
    request.goal = PlanGoal::Reps { reps: 200 };
    let plan = generate_plan(catalog(), monday(), &request, &[]).unwrap();
    for b in &plan.blocks {
        let e = catalog().exercise(&b.exercise_id).unwrap();
        if e.laterality == Laterality::PerSide {
            assert!(matches!(b.side, Side::Left | Side::Right));
            let other = if b.side == Side::Left {
                Side::Right
            } else {
                Side::Left
            };
            assert!(
                plan.blocks
                    .iter()
                    .any(|o| o.exercise_id == b.exercise_id && o.side == other),
                "{} lacks the other side",
                b.exercise_id
            );
        }
    }
    assert!(plan.total_reps >= 200 && plan.total_reps <= 201);

    request.affected_side = Side::None;
    let plan = generate_plan(catalog(), monday(), &request, &[]).unwrap();
    assert!(plan
        .blocks
        .iter()
        .all(|b| matches!(b.side, Side::None | Side::Both)));
}

#[test]
fn level_one_gets_only_easy_exercises_and_longer_rests() {
    let mut request = upper_limb_request(30);
    request.level = 1;
    let plan = generate_plan(catalog(), monday(), &request, &[]).unwrap();
    assert!(!plan.blocks.is_empty());
    for b in &plan.blocks {
        assert_eq!(catalog().exercise(&b.exercise_id).unwrap().level, 1);
    }
    assert!(plan.blocks[0].rest_after_s > rest_between_blocks_s(2));
    assert!(plan.est_total_s <= 1800);
}

#[test]
fn a_small_area_repeats_exercises_within_the_budget() {
    let mut request = upper_limb_request(30);
    request.areas = vec![BodyRegion::Trunk];
    let plan = generate_plan(catalog(), monday(), &request, &[]).unwrap();
    assert!(
        plan.est_total_s <= 1800 && plan.est_total_s >= 1200,
        "{}",
        plan.est_total_s
    );
    let mut count: HashMap<&str, usize> = HashMap::new();
    for b in &plan.blocks {
        *count.entry(&b.exercise_id).or_default() += 1;
    }
    assert!(
        count.values().all(|&n| n <= MAX_SETS_PER_EXERCISE),
        "{count:?}"
    );
}

#[test]
fn adapted_targets_are_used_and_clamped() {
    let mut request = upper_limb_request(30);
    request.areas = vec![BodyRegion::Wrist];
    request.targets.insert(
        "wrist_flexion_extension".into(),
        Targets {
            reps: 44,
            range_fraction: 0.85,
        },
    );
    request.targets.insert(
        "wrist_extension_lift".into(),
        Targets {
            reps: 5000,
            range_fraction: 7.0,
        },
    );
    request.targets.insert(
        "no_longer_in_catalog".into(),
        Targets {
            reps: 10,
            range_fraction: 0.5,
        },
    );
    let plan = generate_plan(catalog(), monday(), &request, &[]).unwrap();
    let first = |id: &str| plan.blocks.iter().find(|b| b.exercise_id == id).unwrap();
    assert_eq!(first("wrist_flexion_extension").target_reps, 44);
    assert!((first("wrist_flexion_extension").target_range_fraction - 0.85).abs() < 1e-6);
    let lift = catalog().exercise("wrist_extension_lift").unwrap();
    assert_eq!(
        first("wrist_extension_lift").target_reps,
        lift.target.reps_max
    );
    assert_eq!(
        first("wrist_extension_lift").target_range_fraction,
        lift.target.range_fraction_max
    );
}

#[test]
fn variety_across_consecutive_days() {
    let request = upper_limb_request(30);
    let mut history = Vec::new();
    let mut days: Vec<HashSet<String>> = Vec::new();
    for d in 0..6 {
        let plan = generate_plan(catalog(), day(d), &request, &history).unwrap();
        history.extend(history_of(&plan, day(d)));
        days.push(ids(&plan, BlockSource::Generated));
    }
    for pair in days.windows(2) {
        let repeated = pair[1].intersection(&pair[0]).count();
        assert!(
            repeated * 2 <= pair[1].len(),
            "{repeated} of {} repeated from the day before",
            pair[1].len()
        );
    }
    let all: HashSet<&String> = days.iter().flatten().collect();
    let level2_upper = catalog()
        .exercises()
        .iter()
        .filter(|e| e.level <= 2 && BodyRegion::UPPER_LIMB.contains(&e.region))
        .count();
    assert!(
        all.len() * 10 >= level2_upper * 9,
        "{} of {level2_upper} exercises used over 6 days",
        all.len()
    );
}

#[test]
fn different_days_without_history_still_differ() {
    let request = upper_limb_request(20);
    let a = generate_plan(catalog(), day(0), &request, &[]).unwrap();
    let differs = (1..7).any(|d| {
        ids(
            &generate_plan(catalog(), day(d), &request, &[]).unwrap(),
            BlockSource::Generated,
        ) != ids(&a, BlockSource::Generated)
    });
    assert!(differs);
}

#[test]
fn due_prescriptions_come_first_and_are_never_trimmed() {
    let mut request = upper_limb_request(30);
    request.prescriptions = vec![
        Prescription {
            exercise_id: "sit_to_stand".into(), // outside the chosen areas
            amount: PrescribedAmount::Reps { reps: 10 },
            days_per_week: 7,
            side: None,
        },
        Prescription {
            exercise_id: "grip_squeeze".into(),
            amount: PrescribedAmount::Reps { reps: 100 },
            days_per_week: 7,
            side: None,
        },
    ];
    request.targets.insert(
        "grip_squeeze".into(),
        Targets {
            reps: 12,
            range_fraction: 0.6,
        },
    );
    let plan = generate_plan(catalog(), monday(), &request, &[]).unwrap();
    let b = &plan.blocks;
    assert_eq!(b[0].exercise_id, "sit_to_stand");
    assert_eq!(b[0].side, Side::Both);
    assert_eq!(b[0].target_reps, 10);
    // 100 grip reps split into blocks of at most reps_max (60), therapist's amount kept.
    assert_eq!((b[1].target_reps, b[2].target_reps), (50, 50));
    assert!((b[1].target_range_fraction - 0.6).abs() < 1e-6);
    assert!(b[..3].iter().all(|b| b.source == BlockSource::Prescription));
    assert!(b[3..].iter().all(|b| b.source == BlockSource::Generated));
    assert!(!ids(&plan, BlockSource::Generated).contains("grip_squeeze"));
    assert!(plan.est_total_s <= 1800);

    // A budget smaller than the prescriptions keeps them all and says so.
    request.goal = PlanGoal::Minutes { minutes: 5 };
    let plan = generate_plan(catalog(), monday(), &request, &[]).unwrap();
    assert!(plan.over_budget);
    assert_eq!(plan.blocks.len(), 3);
    assert!(plan
        .blocks
        .iter()
        .all(|b| b.source == BlockSource::Prescription));
}

#[test]
fn minute_prescriptions_become_reps() {
    let mut request = upper_limb_request(30);
    request.prescriptions = vec![Prescription {
        exercise_id: "ankle_pumps".into(),
        amount: PrescribedAmount::Minutes { minutes: 3 },
        days_per_week: 7,
        side: Some(Side::Left),
    }];
    let plan = generate_plan(catalog(), monday(), &request, &[]).unwrap();
    let rx: Vec<&PlannedBlock> = plan
        .blocks
        .iter()
        .filter(|b| b.source == BlockSource::Prescription)
        .collect();
    assert!(rx
        .iter()
        .all(|b| b.exercise_id == "ankle_pumps" && b.side == Side::Left));
    let secs: u32 = rx.iter().map(|b| b.est_duration_s).sum();
    assert!((170..=190).contains(&secs), "{secs} s");
}

#[test]
fn days_per_week_are_spread_and_caught_up() {
    let rx = |days_per_week| Prescription {
        exercise_id: "ankle_pumps".into(),
        amount: PrescribedAmount::Reps { reps: 20 },
        days_per_week,
        side: None,
    };
    // Following the plan every day it is due.
    let due_days = |p: &Prescription| {
        let mut history = Vec::new();
        let mut due = Vec::new();
        for d in 0..7 {
            if p.is_due(day(d), &history) {
                due.push(day(d).weekday().to_string());
                history.push(PastExercise {
                    date: day(d),
                    exercise_id: p.exercise_id.clone(),
                    reps: 20,
                });
            }
        }
        due
    };
    assert_eq!(due_days(&rx(3)), ["Mon", "Thu", "Sat"]);
    assert_eq!(due_days(&rx(7)).len(), 7);
    assert_eq!(due_days(&rx(1)), ["Mon"]);
    assert_eq!(due_days(&rx(5)).len(), 5);

    // Nothing done Monday to Thursday: 3 a week is due every remaining day.
    let p = rx(3);
    for d in 4..7 {
        assert!(p.is_due(day(d), &[]), "day {d}");
    }
    // Done three times already this week: not due; last week's do not count.
    let done: Vec<PastExercise> = [0, 1, 2, -3, -2]
        .iter()
        .map(|&d| PastExercise {
            date: day(d),
            exercise_id: "ankle_pumps".into(),
            reps: 20,
        })
        .collect();
    assert!(!p.is_due(day(3), &done));
    assert!(p.is_due(day(0), &done[3..]));

    // Through the generator: not due → not first, and the exercise may still
    // appear as a generated block only if its area was chosen.
    let mut request = upper_limb_request(30);
    request.prescriptions = vec![p];
    let plan = generate_plan(catalog(), day(3), &request, &done).unwrap();
    assert!(plan.blocks.iter().all(|b| b.exercise_id != "ankle_pumps"));
}

#[test]
fn invalid_requests_are_rejected() {
    let plan = |r: &PlanRequest| generate_plan(catalog(), monday(), r, &[]);
    let mut r = upper_limb_request(30);
    r.level = 4;
    assert!(matches!(
        plan(&r),
        Err(RoutineError::InvalidInput { field: "level", .. })
    ));

    for goal in [
        PlanGoal::Minutes { minutes: 0 },
        PlanGoal::Minutes { minutes: 600 },
        PlanGoal::Reps { reps: 0 },
        PlanGoal::Reps { reps: 100_000 },
    ] {
        let mut r = upper_limb_request(30);
        r.goal = goal;
        assert!(
            matches!(plan(&r), Err(RoutineError::InvalidBudget { .. })),
            "{goal:?}"
        );
    }

    let mut r = upper_limb_request(30);
    r.areas.clear();
    assert_eq!(plan(&r), Err(RoutineError::NoExercises));

    let mut r = upper_limb_request(30);
    r.prescriptions.push(Prescription {
        exercise_id: "moonwalk".into(),
        amount: PrescribedAmount::Reps { reps: 10 },
        days_per_week: 3,
        side: None,
    });
    assert_eq!(
        plan(&r),
        Err(RoutineError::UnknownExercise {
            id: "moonwalk".into()
        })
    );

    let mut r = upper_limb_request(30);
    r.prescriptions.push(Prescription {
        exercise_id: "ankle_pumps".into(),
        amount: PrescribedAmount::Reps { reps: 10 },
        days_per_week: 8,
        side: None,
    });
    assert!(matches!(
        plan(&r),
        Err(RoutineError::InvalidInput {
            field: "days_per_week",
            ..
        })
    ));
}

// ---------------------------------------------------------------- routines

fn my_routine() -> Routine {
    Routine {
        name: "Morning hand".into(),
        blocks: vec![
            RoutineBlock {
                exercise_id: "grip_squeeze".into(),
                reps: 20,
                side: None,
                rest_after_s: 30,
            },
            RoutineBlock {
                exercise_id: "trunk_rotation".into(),
                reps: 10,
                side: None,
                rest_after_s: 20,
            },
            RoutineBlock {
                exercise_id: "wrist_flexion_extension".into(),
                reps: 25,
                side: Some(Side::Both),
                rest_after_s: 40,
            },
        ],
    }
}

#[test]
fn a_user_routine_becomes_a_plan_in_its_order() {
    let plan = my_routine()
        .to_plan(catalog(), 2, Side::Left, &HashMap::new())
        .unwrap();
    let got: Vec<(&str, Side, u32)> = plan
        .blocks
        .iter()
        .map(|b| (b.exercise_id.as_str(), b.side, b.target_reps))
        .collect();
    assert_eq!(
        got,
        [
            ("grip_squeeze", Side::Left, 20),
            ("trunk_rotation", Side::Both, 10),
            ("wrist_flexion_extension", Side::Left, 25),
            ("wrist_flexion_extension", Side::Right, 25),
        ]
    );
    assert!(plan.blocks.iter().all(|b| b.source == BlockSource::Routine));
    assert_eq!(plan.blocks[0].rest_after_s, 30);
    assert_eq!(plan.blocks[3].rest_after_s, 0);
    assert_eq!(plan.total_reps, 80);
}

#[test]
fn invalid_routines_are_typed_errors() {
    let c = catalog();
    assert!(my_routine().validate(c).is_ok());

    let mut r = my_routine();
    r.blocks[1].exercise_id = "cartwheel".into();
    assert_eq!(
        r.validate(c),
        Err(RoutineError::UnknownExercise {
            id: "cartwheel".into()
        })
    );
    assert!(r.to_plan(c, 2, Side::Left, &HashMap::new()).is_err());

    let mut r = my_routine();
    r.name = "   ".into();
    assert!(matches!(
        r.validate(c),
        Err(RoutineError::InvalidRoutine { .. })
    ));

    let mut r = my_routine();
    r.blocks.clear();
    assert!(matches!(
        r.validate(c),
        Err(RoutineError::InvalidRoutine { .. })
    ));

    let mut r = my_routine();
    r.blocks[0].reps = 0;
    let err = r.validate(c).unwrap_err();
    assert!(err.to_string().contains("block 1"), "{err}");

    let mut r = my_routine();
    r.blocks[2].rest_after_s = 3600;
    assert!(matches!(
        r.validate(c),
        Err(RoutineError::InvalidRoutine { .. })
    ));
}

// ---------------------------------------------------------------- adaptation

fn wrist() -> &'static Exercise {
    catalog().exercise("wrist_flexion_extension").unwrap()
}

fn start() -> Targets {
    Targets {
        reps: 30,
        range_fraction: 0.7,
    }
}

fn set(targets: Targets, attempts: u32, successful: u32) -> SetOutcome {
    SetOutcome {
        targets,
        attempts,
        successful,
        stopped_early: false,
        pain_before: None,
        pain_after: None,
    }
}

#[test]
fn two_good_sets_step_up_with_a_reason() {
    let t = start();
    let (next, change) = adapt(wrist(), t, &[set(t, 30, 29), set(t, 30, 28)]);
    let change = change.expect("step up");
    assert_eq!(change.kind, ChangeKind::StepUp);
    assert_eq!(change.reason, AdaptReason::HighSuccess);
    assert_eq!(change.before, t);
    assert_eq!(change.after, next);
    assert_eq!(next.reps, 33);
    assert!((next.range_fraction - 0.75).abs() < 1e-6);
    let en = catalog().reason_text(change.reason, "en").unwrap();
    let es = catalog().reason_text(change.reason, "es").unwrap();
    assert!(!en.is_empty() && !es.is_empty() && en != es);
}

#[test]
fn one_set_or_one_outlier_never_changes_targets() {
    let t = start();
    assert_eq!(adapt(wrist(), t, &[]), (t, None));
    assert_eq!(adapt(wrist(), t, &[set(t, 30, 30)]), (t, None));
    assert_eq!(adapt(wrist(), t, &[set(t, 30, 10)]), (t, None));
    // A perfect set next to a poor one: pooled 67 %, held.
    assert_eq!(
        adapt(wrist(), t, &[set(t, 30, 30), set(t, 30, 10)]),
        (t, None)
    );
    // A lucky set next to an ordinary one (pooled 90 %, but one set at 80 %-).
    assert_eq!(
        adapt(wrist(), t, &[set(t, 30, 23), set(t, 30, 30)]),
        (t, None)
    );
    // A bad set next to an ordinary one (pooled < 60 %, but one set at 73 %).
    assert_eq!(
        adapt(wrist(), t, &[set(t, 30, 22), set(t, 30, 12)]),
        (t, None)
    );
    // Too few attempts to judge.
    assert_eq!(adapt(wrist(), t, &[set(t, 2, 2), set(t, 2, 2)]), (t, None));
}

#[test]
fn the_target_band_holds() {
    let t = start();
    for (a, b) in [(21, 24), (25, 25), (18, 20), (26, 27)] {
        assert_eq!(
            adapt(wrist(), t, &[set(t, 30, a), set(t, 30, b)]),
            (t, None),
            "{a} and {b} of 30"
        );
    }
}

#[test]
fn struggling_eases_off_the_range() {
    let t = start();
    let (next, change) = adapt(wrist(), t, &[set(t, 30, 15), set(t, 30, 12)]);
    let change = change.unwrap();
    assert_eq!(change.kind, ChangeKind::EaseOff);
    assert_eq!(change.reason, AdaptReason::LowSuccess);
    assert_eq!(next.reps, 30);
    assert!((next.range_fraction - 0.65).abs() < 1e-6);
}

#[test]
fn stopping_early_twice_means_fewer_reps() {
    let t = start();
    let mut a = set(t, 18, 16);
    a.stopped_early = true;
    let mut b = set(t, 15, 14);
    b.stopped_early = true;
    let (next, change) = adapt(wrist(), t, &[a, b]);
    assert_eq!(change.unwrap().reason, AdaptReason::StoppedEarly);
    assert_eq!(next.reps, 24);
    assert_eq!(next.range_fraction, t.range_fraction);
    // Stopping early once does not step up even with every rep good.
    let (_, change) = adapt(wrist(), t, &[set(t, 30, 30), a]);
    assert_eq!(change, None);
}

#[test]
fn rising_pain_eases_off_at_once() {
    let t = start();
    let mut s = set(t, 30, 30);
    s.pain_before = Some(2);
    s.pain_after = Some(5);
    let (next, change) = adapt(wrist(), t, &[s]);
    let change = change.unwrap();
    assert_eq!(
        (change.kind, change.reason),
        (ChangeKind::EaseOff, AdaptReason::PainRose)
    );
    assert!(next.reps < t.reps && next.range_fraction < t.range_fraction);
    // The same painful set does not ease off twice.
    assert_eq!(adapt(wrist(), next, &[s]), (next, None));
    // High pain without a "before" value also counts; a one-point rise does not.
    let mut high = set(t, 30, 25);
    high.pain_after = Some(8);
    assert_eq!(
        adapt(wrist(), t, &[high]).1.unwrap().reason,
        AdaptReason::PainRose
    );
    let mut mild = set(t, 30, 25);
    mild.pain_before = Some(3);
    mild.pain_after = Some(4);
    assert_eq!(adapt(wrist(), t, &[mild]).1, None);
}

#[test]
fn only_sets_at_the_current_targets_count() {
    let t = start();
    let history = [set(t, 30, 30), set(t, 30, 30)];
    let (next, change) = adapt(wrist(), t, &history);
    assert!(change.is_some());
    // The same two sets cannot step up again from the new targets.
    assert_eq!(adapt(wrist(), next, &history), (next, None));
    let mut more = history.to_vec();
    more.push(set(next, 33, 33));
    assert_eq!(adapt(wrist(), next, &more), (next, None));
    more.push(set(next, 33, 32));
    assert_eq!(
        adapt(wrist(), next, &more).1.unwrap().kind,
        ChangeKind::StepUp
    );
}

#[test]
fn changes_stay_within_bounds() {
    let e = wrist();
    let top = Targets {
        reps: e.target.reps_max,
        range_fraction: e.target.range_fraction_max,
    };
    assert_eq!(
        adapt(e, top, &[set(top, 60, 60), set(top, 60, 60)]),
        (top, None)
    );
    let bottom = Targets {
        reps: e.target.reps_min,
        range_fraction: e.target.range_fraction_min,
    };
    assert_eq!(
        adapt(e, bottom, &[set(bottom, 10, 2), set(bottom, 10, 3)]),
        (bottom, None)
    );
    let mut s = set(bottom, 10, 10);
    s.pain_after = Some(9);
    assert_eq!(adapt(e, bottom, &[s]), (bottom, None));
    // Out-of-range input is clamped; near the top only what can move moves.
    let wild = Targets {
        reps: 1000,
        range_fraction: 0.98,
    };
    let clamped = wild.clamped(e);
    let (next, change) = adapt(e, wild, &[set(clamped, 60, 60), set(clamped, 60, 60)]);
    assert_eq!(next.reps, e.target.reps_max);
    assert!((next.range_fraction - 1.0).abs() < 1e-6);
    assert!(change.is_some());
}

#[test]
fn a_simulated_person_settles_in_the_target_band() {
    // Every rep succeeds up to 80 % of their range, then success falls 2 % per
    // 1 % of range.
    let success = |rf: f32| (1.0 - (rf - 0.8).max(0.0) * 2.0).clamp(0.0, 1.0);
    let e = wrist();
    let mut targets = Targets::defaults(e);
    let mut sets = Vec::new();
    let mut rates = Vec::new();
    for _ in 0..40 {
        let attempts = targets.reps;
        let ok = (attempts as f32 * success(targets.range_fraction)).round() as u32;
        sets.push(set(targets, attempts, ok));
        rates.push(ok as f32 / attempts as f32);
        targets = adapt(e, targets, &sets).0;
    }
    let late = &rates[20..];
    let mean = late.iter().sum::<f32>() / late.len() as f32;
    assert!((0.6..=0.9).contains(&mean), "mean success {mean}");
    assert!(
        targets.reps > e.target.reps,
        "reps grew to {}",
        targets.reps
    );
}

// ---------------------------------------------------------------- task practice

/// Task-practice exercises whose motion is left open, and why.
const OPEN_MOTION: [(&str, &str); 2] = [
    (
        "comb_hair",
        "a stroke carries the hand over the head and turns the forearm about as much",
    ),
    (
        "fold_towel",
        "a fold lifts, carries and turns the hand over in one movement",
    ),
];

fn task_practice() -> Vec<&'static Exercise> {
    catalog()
        .exercises()
        .iter()
        .filter(|e| e.kind == ExerciseKind::TaskPractice)
        .collect()
}

#[test]
fn task_practice_is_in_the_catalog_in_every_language() {
    let tasks = task_practice();
    assert!(tasks.len() >= 11, "{} task-practice exercises", tasks.len());
    for id in [
        "drink_from_cup",
        "table_wipe",
        "wipe_table_circles",
        "reach_to_shelf",
        "comb_hair",
        "stir_pot",
        "pour_from_jug",
        "turn_key",
        "brush_teeth",
        "open_jar",
        "fold_towel",
        "slide_cup_across",
        "pick_and_place",
    ] {
        let e = catalog().exercise(id).unwrap();
        assert_eq!(e.kind, ExerciseKind::TaskPractice, "{id}");
    }
    assert_eq!(
        catalog().exercise("wrist_hammer").unwrap().kind,
        ExerciseKind::Movement
    );
    for e in tasks {
        let en = catalog().exercise_text(&e.id, "en").unwrap();
        let es = catalog().exercise_text(&e.id, "es").unwrap();
        assert_ne!(en.name, es.name, "{} is not translated", e.id);
        assert_eq!(en.steps.len(), es.steps.len(), "{}", e.id);
        for step in en.steps.iter().chain(&es.steps) {
            let words = step.split_whitespace().count();
            assert!(
                (1..=MAX_WORDS_PER_STEP).contains(&words),
                "{}: {step}",
                e.id
            );
        }
        // The hand holds the cup, key or cloth: the phone is strapped on.
        assert_eq!(e.placement, Placement::ForearmStrap, "{}", e.id);
        assert_eq!(e.hint.signal, Signal::Imu, "{}", e.id);
    }
}

#[test]
fn task_practice_hints_say_how_the_movement_is_counted() {
    for e in task_practice() {
        let h = &e.hint;
        let open = OPEN_MOTION.iter().find(|(id, _)| *id == e.id);
        match (h.motion, open) {
            (Some(_), None) | (None, Some(_)) => {}
            (Some(m), Some(_)) => panic!("{}: has motion {m:?} but is listed as open", e.id),
            (None, None) => panic!("{}: needs a motion, or a reason in OPEN_MOTION", e.id),
        }
        // Floors a weak, slow hand still clears: 2-20 cm of travel, or
        // 6-34 degrees of turning.
        if h.motion == Some(Motion::Travel) {
            assert_eq!(h.range_unit(), "m", "{}", e.id);
            assert!(
                (0.02..=0.2).contains(&h.min_range),
                "{}: {} m",
                e.id,
                h.min_range
            );
        } else {
            assert_eq!(h.range_unit(), "rad", "{}", e.id);
            assert!(
                (0.1..=0.6).contains(&h.min_range),
                "{}: {} rad",
                e.id,
                h.min_range
            );
        }
        // Slow reps are allowed: the longest is 3 s or more and at least three
        // times the shortest.
        assert!(
            h.rep_s_max >= 3.0 && h.rep_s_max >= 3.0 * h.rep_s_min,
            "{}: {}-{} s",
            e.id,
            h.rep_s_min,
            h.rep_s_max
        );
    }
    let motion = |id: &str| catalog().exercise(id).unwrap().hint.motion;
    for id in [
        "table_wipe",
        "wipe_table_circles",
        "slide_cup_across",
        "reach_to_shelf",
        "stir_pot",
        "open_close_drawer",
        "brush_teeth",
        "pick_and_place",
    ] {
        assert_eq!(motion(id), Some(Motion::Travel), "{id}");
    }
    for id in [
        "turn_key",
        "pour_from_jug",
        "open_jar",
        "drink_from_cup",
        "wrist_flexion_extension",
    ] {
        assert_eq!(motion(id), Some(Motion::Turn), "{id}");
    }
}

#[test]
fn task_practice_comes_up_in_plans_for_its_region() {
    for e in task_practice() {
        let request = PlanRequest {
            level: e.level,
            areas: vec![e.region],
            affected_side: Side::Left,
            goal: PlanGoal::Minutes { minutes: 20 },
            prescriptions: vec![],
            targets: HashMap::new(),
        };
        let mut history = Vec::new();
        let first_day = (0..7).find(|&d| {
            let plan = generate_plan(catalog(), day(d), &request, &history).unwrap();
            history.extend(history_of(&plan, day(d)));
            plan.blocks.iter().any(|b| b.exercise_id == e.id)
        });
        assert!(
            first_day.is_some(),
            "{} is never planned in a week of {:?} at level {}",
            e.id,
            e.region,
            e.level
        );
    }
    // A person working on the whole arm meets several tasks in a week.
    let request = upper_limb_request(30);
    let mut history = Vec::new();
    let mut seen = HashSet::new();
    for d in 0..7 {
        let plan = generate_plan(catalog(), day(d), &request, &history).unwrap();
        history.extend(history_of(&plan, day(d)));
        for b in &plan.blocks {
            if catalog().exercise(&b.exercise_id).unwrap().kind == ExerciseKind::TaskPractice {
                seen.insert(b.exercise_id.clone());
            }
        }
    }
    assert!(seen.len() >= 5, "tasks in a week: {seen:?}");
}
