//! The counter on real recordings (../shared/data): a few files must count within one of
//! the ground truth, and the whole set must stay within one almost everywhere. Skipped
//! (with a message) when the data folder is absent. Two upright-row sets from outside the
//! shared data live in tests/data and always run.

mod common;

use rehab_core::counting::{CounterConfig, RepCounter};
use std::path::{Path, PathBuf};

fn data_dir() -> Option<PathBuf> {
    let dir = std::env::var_os("REHAB_DATA")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/data"));
    if dir.join("manifest.csv").is_file() {
        Some(dir)
    } else {
        eprintln!("counting_data: {} not found, skipping", dir.display());
        None
    }
}

fn count_imu_file(path: &Path) -> usize {
    count_imu_file_with(path).0
}

/// The count, and whether the counter ended up counting on the accelerometer.
fn count_imu_file_with(path: &Path) -> (usize, bool) {
    let (t, x) = common::load_imu_csv(path);
    let mut counter = RepCounter::new(CounterConfig::default(), None);
    let mut out = Vec::new();
    for (tb, xb) in t.chunks(10).zip(x.chunks(60)) {
        counter.push_imu(tb, xb, &mut out).expect("valid batch");
    }
    counter.finish(&mut out);
    (out.len(), counter.counts_travel())
}

#[test]
fn upright_rows_that_turn_back_and_forth_count_on_the_accelerometer() {
    // In the repository (tests/data), so this runs everywhere. On the rotation alone these
    // sets count 35 and 38.
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data");
    for file in ["spar_s8_ROW_right_1.csv", "spar_s10_ROW_left_1.csv"] {
        let (got, travel) = count_imu_file_with(&dir.join(file));
        assert!(travel, "{file}: still counting on the rotation");
        assert!(got.abs_diff(20) <= 1, "{file}: counted {got}, truth 20");
    }
}

#[test]
fn sample_recordings_count_within_one() {
    let Some(dir) = data_dir() else { return };
    for (file, truth) in [
        ("pt/s1_e1_u2.csv", 30),
        ("pt/s2_e4_u3.csv", 30),
        ("pt/s3_e7_u2.csv", 30),
        ("spar/s1_PEN_left_1.csv", 20),
        ("spar/s4_IR_right_1.csv", 20),
        ("spar/s6_TRAP_left_1.csv", 20),
        ("spar/s5_ROW_left_1.csv", 20),
    ] {
        let path = dir.join(file);
        if !path.is_file() {
            eprintln!("counting_data: {file} missing, skipped");
            continue;
        }
        let got = count_imu_file(&path);
        assert!(
            got.abs_diff(truth) <= 1,
            "{file}: counted {got}, truth {truth}"
        );
    }
}

#[test]
fn whole_manifest_within_one_almost_everywhere() {
    let Some(dir) = data_dir() else { return };
    let manifest = std::fs::read_to_string(dir.join("manifest.csv")).expect("manifest");
    let (mut files, mut within_one) = (0, 0);
    for line in manifest.lines().skip(1) {
        let cols: Vec<&str> = line.split(',').collect();
        let (Some(file), Some(truth)) = (cols.first(), cols.get(6)) else {
            continue;
        };
        let (Ok(truth), path) = (truth.parse::<usize>(), dir.join(file)) else {
            continue;
        };
        if !path.is_file() {
            continue;
        }
        files += 1;
        within_one += usize::from(count_imu_file(&path).abs_diff(truth) <= 1);
    }
    if files == 0 {
        eprintln!("counting_data: no recordings listed, skipping");
        return;
    }
    let rate = within_one as f64 / files as f64;
    assert!(rate >= 0.95, "within one on {within_one}/{files} files");
}

/// `t`, `x` (6 values a sample) linearly interpolated to `hz`, each timestamp jittered by
/// up to ±10% of a period (seeded): a slower, irregular device.
fn resample(t: &[f64], x: &[f32], hz: f64, seed: u64) -> (Vec<f64>, Vec<f32>) {
    let mut state = seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1;
    let mut jitter = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        ((state >> 11) as f64 / (1u64 << 53) as f64 - 0.5) * 0.2 / hz
    };
    let (mut ts, mut xs) = (Vec::new(), Vec::new());
    let mut j = 0;
    for k in 0.. {
        let at = t[0] + k as f64 / hz + if k > 0 { jitter() } else { 0.0 };
        if at > t[t.len() - 1] {
            break;
        }
        while j + 2 < t.len() && t[j + 1] < at {
            j += 1;
        }
        let f = ((at - t[j]) / (t[j + 1] - t[j])).clamp(0.0, 1.0) as f32;
        ts.push(at);
        for i in 0..6 {
            let (a, b) = (x[6 * j + i], x[6 * (j + 1) + i]);
            xs.push(a + f * (b - a));
        }
    }
    (ts, xs)
}

#[test]
fn a_turn_whose_travel_is_lost_at_10_hz_is_counted_on_the_rotation() {
    // External rotations: a fast turn of the forearm. At 10 Hz the orientation between
    // samples is too coarse to remove gravity, and the travel channel shows a few huge
    // movements that look like halves of the rotation's (the split rule moves counting to
    // it), then nothing; the rotation keeps its steady run, and counting comes back to it.
    let Some(dir) = data_dir() else { return };
    let path = dir.join("spar/s2_ER_left_1.csv");
    if !path.is_file() {
        return;
    }
    let (t, x) = common::load_imu_csv(&path);
    let mut counts = Vec::new();
    for seed in 1..=12 {
        let (ts, xs) = resample(&t, &x, 10.0, seed);
        let mut counter = RepCounter::new(CounterConfig::default(), None);
        let mut out = Vec::new();
        for (tb, xb) in ts.chunks(4).zip(xs.chunks(24)) {
            counter.push_imu(tb, xb, &mut out).expect("valid batch");
        }
        counter.finish(&mut out);
        counts.push(out.len());
    }
    assert!(
        counts.iter().all(|&n| n.abs_diff(20) <= 2),
        "counted {counts:?}, truth 20"
    );
}
