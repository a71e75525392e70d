//! Task-practice exercises counted as a session counts them: the physically simulated
//! task (`rehab_core::sim::body`) with the catalog's own counting hint for it, mapped by
//! the session engine (`session::counter_hint`). A hint narrows what the counter looks
//! for (a channel, a floor, a pace); these tests check that the catalog's hints do not
//! narrow it past the movement they describe.

use rehab_core::counting::{CounterConfig, RepCounter};
use rehab_core::routine::Catalog;
use rehab_core::session::counter_hint;
use rehab_core::sim::body::{self, Device, Scenario};

/// Count `s` on `device` with the catalog's hint for `exercise`, in ~100 ms batches.
fn count_as_session(exercise: &str, s: &Scenario, device: &Device) -> usize {
    let catalog = Catalog::embedded();
    let hint = counter_hint(&catalog.exercise(exercise).expect("in the catalog").hint);
    s.count(device, RepCounter::new(CounterConfig::default(), hint))
        .len()
}

/// Counts at 10, 25 and 50 Hz (±10% timestamp jitter) and on a ~100 Hz watch (±45%):
/// each within one of the truth.
fn check(exercise: &str, s: &Scenario) {
    let devices =
        [(10.0, 0.1), (25.0, 0.1), (50.0, 0.1), (100.0, 0.45)].map(|(rate_hz, jitter)| Device {
            rate_hz,
            jitter,
            seed: rate_hz as u64,
            ..Device::default()
        });
    let counts: Vec<usize> = devices
        .iter()
        .map(|d| count_as_session(exercise, s, d))
        .collect();
    assert!(
        counts.iter().all(|&n| n.abs_diff(s.reps) <= 1),
        "{exercise}: counted {counts:?} at 10/25/50/100 Hz, truth {}",
        s.reps
    );
}

#[test]
fn combing_is_counted_with_its_catalog_hint() {
    // The strokes move the shoulder and elbow together (~0.4 rad at the shoulder): the
    // turn about the one axis the counter follows stays above the hint's 0.2 rad floor.
    check("comb_hair", &body::combing(20, 1.5, 7));
}

#[test]
fn the_other_simulated_tasks_are_counted_with_their_catalog_hints() {
    check("drink_from_cup", &body::drinking(12, 3.0, 0.3, 5));
    check(
        "reach_to_shelf",
        &body::reach_to_shelf(12, 3.0, 1.0, body::VARY, 6),
    );
    check("table_wipe", &body::table_wipe(20, 0.3));
    check("stir_pot", &body::stirring(60, 1.5, 0.04, 3));
}

#[test]
fn forearm_turns_are_counted_about_the_axis_the_catalog_names() {
    // turn_key, open_jar and pour_from_jug name the device's Y axis: with the phone on the
    // back of the forearm, top toward the hand (their placement), Y runs along the forearm,
    // the axis it turns about.
    let strap = body::forearm_strap();
    check("turn_key", &body::turning_key(20, 1.2, 8).mounted(strap));
    check("open_jar", &body::turning_key(20, 2.0, 9).mounted(strap));
    check(
        "pour_from_jug",
        &body::pouring(10, 5.0, 1.0, 9).mounted(strap),
    );
}
