//! A fixed amount of counting work, for `scripts/bench-instructions.sh`: `BATCHES` batches
//! of 100 six-axis samples pushed into one counter, on one of the two signals of
//! `cargo bench --bench counting` (`ffi`: its "FFI bench signal", a 0.25 Hz abduction at
//! 50 Hz; `reps`: its 3 s repetitions with 6 Hz tremor and jittery timestamps). Under
//! valgrind the instructions it takes are the same on every run, where wall-clock time on
//! a shared machine moves by ±10%.
//!
//! `cargo run --release -p rehab_motion --example instructions -- ffi|reps [BATCHES]`

use rehab_motion::counting::{CounterConfig, RepCounter};
use std::f64::consts::PI;
use std::hint::black_box;

const N: usize = 100;

fn main() {
    let mut args = std::env::args().skip(1);
    let signal = args.next().unwrap_or_else(|| "ffi".to_owned());
    let batches: usize = args.next().map_or(2000, |v| v.parse().expect("BATCHES"));
    // Both signals are made before counting, so that only the counter's work differs
    // between builds.
    let (t, x) = match signal.as_str() {
        "ffi" => ffi(batches),
        "reps" => reps(batches),
        other => panic!("unknown signal {other}: ffi or reps"),
    };
    let mut counter = RepCounter::new(CounterConfig::default(), None);
    let mut out = Vec::with_capacity(64);
    let mut reported = 0;
    for (tb, xb) in t.chunks(N).zip(x.chunks(6 * N)) {
        counter
            .push_imu(black_box(tb), black_box(xb), &mut out)
            .expect("valid batch");
        reported += out.len();
        out.clear();
    }
    println!("{signal}: {} samples, {reported} reported", t.len());
}

/// The FFI bench signal: the same 100 samples every batch, time moving on.
fn ffi(batches: usize) -> (Vec<f64>, Vec<f32>) {
    let mut one = vec![0f32; 6 * N];
    for i in 0..N {
        let ph = 2.0 * PI * 0.25 * (i as f64 * 0.02);
        one[6 * i] = (9.81 * ph.cos()) as f32;
        one[6 * i + 1] = (9.81 * ph.sin()) as f32;
        one[6 * i + 2] = 0.1;
        one[6 * i + 3] = (1.5 * ph.cos()) as f32;
    }
    let t = (0..batches * N).map(|i| i as f64 * 0.02).collect();
    (t, one.repeat(batches))
}

/// Repetitions of 3 s (0.8 rad) with 6 Hz tremor at 50 Hz, timestamps jittering by ±2 ms.
fn reps(batches: usize) -> (Vec<f64>, Vec<f32>) {
    let n = batches * N;
    let mut t = Vec::with_capacity(n);
    let mut x = Vec::with_capacity(6 * n);
    for i in 0..n {
        let ti = i as f64 / 50.0;
        let phase = 2.0 * PI * ti / 3.0;
        let angle = 0.4 * (1.0 - phase.cos());
        let rate = (0.4 * phase.sin() * 2.0 * PI / 3.0) as f32;
        let tremor = 0.3 * (2.0 * PI * 6.0 * ti).sin() as f32;
        let (s, c) = angle.sin_cos();
        let row = [(9.81 * s) as f32, 0.1, (9.81 * c) as f32];
        x.extend_from_slice(&row);
        x.extend_from_slice(&[0.02 + tremor, rate + 0.5 * tremor, -0.01]);
        t.push(ti + if i % 3 == 0 { 0.002 } else { -0.001 });
    }
    (t, x)
}
