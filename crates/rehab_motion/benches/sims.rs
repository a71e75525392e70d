//! Counts of the physically simulated movements (`sim::body`) on five devices: a table.
//!
//! `cargo bench -p rehab_motion --bench sims` (a few seconds). Each row is one scenario,
//! each column one device: 10, 25 and 50 Hz with ±10% timestamp jitter, and a watch at
//! ~100 Hz with ±45% jitter (two noise seeds). The unit tests (`counting::body_tests`)
//! assert these counts on their own devices; this table shows the whole grid at a glance,
//! with scenarios the tests do not pin (paces and sizes at the edges, bench presses of
//! 1.5-5 s with pauses of 0-2 s), so that a change to the counter can be compared before
//! and after. `REHAB_SIMS=grid` prints only the bench-press grid, `REHAB_SIMS=set` the rest.

use rehab_motion::counting::{CounterConfig, RepCounter};
use rehab_motion::sim::body::{self, Device, Scenario};

/// Count a recording as the app would: ~100 ms batches, then `finish`.
fn count(s: &Scenario, device: &Device) -> usize {
    s.count(device, RepCounter::new(CounterConfig::default(), None))
        .len()
}

fn devices() -> [(&'static str, Device); 5] {
    let dev = |rate_hz: f64, jitter: f64, seed: u64| Device {
        rate_hz,
        jitter,
        seed,
        ..Device::default()
    };
    [
        ("10 Hz", dev(10.0, 0.1, 10)),
        ("25 Hz", dev(25.0, 0.1, 25)),
        ("50 Hz", dev(50.0, 0.1, 50)),
        ("watch 1", dev(100.0, 0.45, 1)),
        ("watch 2", dev(100.0, 0.45, 2)),
    ]
}

fn set_scenarios() -> Vec<(String, Scenario)> {
    let mut rows: Vec<(String, Scenario)> = Vec::new();
    for per_s in [0.3, 1.0, 2.0] {
        rows.push((format!("press {per_s}/s"), body::press(20, per_s)));
        rows.push((format!("table wipe {per_s}/s"), body::table_wipe(20, per_s)));
    }
    rows.push(("sawing".into(), body::sawing(30)));
    for (per_s, cm) in [(1.0, 5.0), (2.0, 5.0), (3.0, 5.0), (2.0, 10.0), (3.0, 10.0)] {
        let s = body::back_and_forth(60, per_s, cm / 100.0, [1.0, 0.2, 0.1], 0.06, body::VARY, 3);
        rows.push((format!("strokes {cm} cm {per_s}/s"), s));
    }
    for (per_s, cm) in [(2.0, 2.0), (2.0, 3.0), (3.0, 3.0)] {
        let s = body::brushing(60, per_s, cm / 100.0, 4);
        rows.push((format!("brushing {cm} cm {per_s}/s"), s));
    }
    for per_s in [1.5, 3.0] {
        rows.push((
            format!("stirring 4 cm {per_s}/s"),
            body::stirring(60, per_s, 0.04, 5),
        ));
    }
    for per_s in [0.1, 0.2] {
        let s = body::back_and_forth(8, per_s, 0.2, [1.0, 0.2, 0.1], 0.06, body::VARY, 3);
        rows.push((format!("strokes 20 cm {per_s}/s"), s));
    }
    rows.push(("slow reps 6-10 s".into(), body::slow_reps(6, 4)));
    // A barbell bench press with the set-up around it: lying back, reaching up, unracking.
    for (rep_s, m) in [(2.0, 0.35), (3.0, 0.3), (1.5, 0.4)] {
        let s = body::bench_press_set(10, rep_s, m, 11);
        rows.push((format!("bench set {rep_s} s {m} m, lying back"), s));
    }
    // The set-up before a set: the hand comes up from the lap to the table first.
    rows.push((
        "from the lap, wipe 1/s".into(),
        body::from_the_lap(body::table_wipe(20, 1.0)),
    ));
    rows.push((
        "from the lap, press 0.3/s".into(),
        body::from_the_lap(body::press(12, 0.3)),
    ));
    rows.push((
        "from the lap, drinking 3 s".into(),
        body::from_the_lap(body::drinking(12, 3.0, 0.3, 5)),
    ));
    // Daily tasks moving several joints at once (a wrist device).
    for (rep_s, pause_s) in [(4.0, 1.0), (3.0, 0.3)] {
        let s = body::drinking(12, rep_s, pause_s, 5);
        rows.push((format!("drinking {rep_s} s, pause {pause_s} s"), s));
    }
    for (rep_s, pause_s) in [(3.0, 1.0), (2.0, 0.0)] {
        let s = body::reach_to_shelf(12, rep_s, pause_s, body::VARY, 6);
        rows.push((format!("reach to shelf {rep_s} s, pause {pause_s} s"), s));
    }
    // A survivor's repetitions vary more than most people's: twice as much.
    let uneven = 2.0 * body::VARY;
    for (per_s, cm) in [(2.0, 5.0), (3.0, 10.0)] {
        let s = body::back_and_forth(60, per_s, cm / 100.0, [1.0, 0.2, 0.1], 0.06, uneven, 3);
        rows.push((format!("strokes {cm} cm {per_s}/s, uneven"), s));
    }
    let s = body::reach_to_shelf(12, 3.0, 1.0, uneven, 6);
    rows.push(("reach to shelf 3 s, pause 1 s, uneven".into(), s));
    for rep_s in [1.5, 0.8] {
        rows.push((format!("combing {rep_s} s"), body::combing(20, rep_s, 7)));
    }
    for rep_s in [1.2, 0.6] {
        rows.push((
            format!("turning a key {rep_s} s"),
            body::turning_key(20, rep_s, 8),
        ));
    }
    for (rep_s, pause_s) in [(5.0, 1.0), (3.5, 0.5)] {
        let s = body::pouring(10, rep_s, pause_s, 9);
        rows.push((format!("pouring {rep_s} s, pause {pause_s} s"), s));
    }
    for per_s in [0.2, 2.0, 3.0] {
        rows.push((
            format!("curls {per_s}/s"),
            body::curls(20, 1.0 / per_s, 0.0, 13),
        ));
    }
    rows.push((
        "squats, arm phone".into(),
        body::arm_phone_squats(12, 2.5, 0.5, 0.35, 7),
    ));
    rows.push((
        "jumping jacks, arm phone".into(),
        body::arm_phone_jumping_jacks(20, 1.0, 9),
    ));
    rows.push((
        "set-up, then curls".into(),
        body::walk_up_and_set(10, false),
    ));
    rows.push((
        "walk-up, then curls".into(),
        body::walk_up_and_set(10, true),
    ));
    let swaying = body::standing(body::curls(0, 2.0, 0.5, 12), 0.008, 40.0, 5);
    rows.push(("swaying, standing".into(), swaying));
    let wipe = body::standing(body::table_wipe(20, 1.0), 0.008, 20.0, 4);
    rows.push(("wipe, standing".into(), wipe));
    rows
}

fn grid_scenarios() -> Vec<(String, Scenario)> {
    let mut rows = Vec::new();
    for pause_s in [0.0, 0.4, 1.0, 2.0] {
        for rep_s in [1.5, 2.0, 2.5, 3.0, 3.5, 4.0, 5.0] {
            for (m, seed) in [(0.25, 11), (0.4, 10), (0.6, 12)] {
                let s = body::bench_press_paused(10, rep_s, pause_s, m, seed);
                rows.push((format!("bench {m} m {rep_s} s, pause {pause_s} s"), s));
            }
        }
    }
    rows
}

fn main() {
    // `cargo bench` passes `--bench`; nothing else is read from the command line.
    let which = std::env::var("REHAB_SIMS").unwrap_or_default();
    let devices = devices();
    let mut rows = Vec::new();
    if which != "grid" {
        rows.extend(set_scenarios());
    }
    if which != "set" {
        rows.extend(grid_scenarios());
    }
    print!("{:<34} {:>5}", "scenario", "truth");
    for (name, _) in &devices {
        print!(" {name:>8}");
    }
    println!();
    let (mut exact, mut within, mut total, mut error) = (0, 0, 0, 0);
    for (name, s) in &rows {
        print!("{name:<34} {:>5}", s.reps);
        for (_, device) in &devices {
            let n = count(s, device);
            let off = n.abs_diff(s.reps);
            exact += usize::from(off == 0);
            within += usize::from(off <= 1);
            error += off.min(3);
            total += 1;
            let mark = if off > 1 { "*" } else { " " };
            print!(" {n:>7}{mark}");
        }
        println!();
    }
    println!(
        "\n{total} counts: exact {exact}, within one {within}, summed |error| (each capped \
         at 3) {error}  (*: off by more than one)"
    );
}
