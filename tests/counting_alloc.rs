//! The counter allocates nothing per sample: once built, pushing batches (IMU and scalar,
//! with repetitions, tremor, rests, and real upright rows that move counting to the
//! accelerometer) and finishing a set make no heap allocation, given an output vector with
//! room for the events.
//!
//! A counting allocator wraps the system one for this test binary only; it counts the
//! allocations made on the calling thread, so other test threads do not disturb it.

mod common;

use rehab_core::counting::{CounterConfig, RepCounter};
use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;

struct Counting;

thread_local! {
    static ALLOCATIONS: Cell<usize> = const { Cell::new(0) };
}

// SAFETY: forwards to the system allocator; only counts.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        ALLOCATIONS.with(|c| c.set(c.get() + 1));
        // SAFETY: same contract as the caller's.
        unsafe { System.alloc(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: same contract as the caller's.
        unsafe { System.dealloc(ptr, layout) }
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        ALLOCATIONS.with(|c| c.set(c.get() + 1));
        // SAFETY: same contract as the caller's.
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

fn allocations() -> usize {
    ALLOCATIONS.with(Cell::get)
}

/// 40 s at 50 Hz of jittery timestamps: 3 s rest, 2.5 s out-and-back rotations with 6 Hz
/// tremor, then rest again; interleaved `ax..gz`.
fn recording() -> (Vec<f64>, Vec<f32>) {
    let (mut t, mut x) = (Vec::new(), Vec::new());
    for i in 0..2000 {
        let ts = i as f64 / 50.0 + if i % 3 == 0 { 0.002 } else { -0.001 };
        let tremor = 0.2 * (2.0 * std::f64::consts::PI * 6.0 * ts).sin();
        let rate = if (3.0..33.0).contains(&ts) {
            1.2 * (2.0 * std::f64::consts::PI * (ts - 3.0) / 2.5).sin() + tremor
        } else {
            0.0
        };
        t.push(ts);
        x.extend_from_slice(&[0.1, 0.2, 9.81, rate as f32, 0.02, -0.01]);
    }
    (t, x)
}

#[test]
fn pushing_and_finishing_allocate_nothing() {
    let (t, x) = recording();
    // Real upright rows: counting moves to the accelerometer a few reps in.
    let (rt, rx) = common::load_imu_csv(
        &std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/data/spar_s8_ROW_right_1.csv"),
    );
    let mut imu = RepCounter::new(CounterConfig::default(), None);
    let mut rows = RepCounter::new(CounterConfig::default(), None);
    let mut scalar = RepCounter::new(CounterConfig::default(), None);
    let values: Vec<f32> = x.chunks_exact(6).map(|s| 20.0 * s[3]).collect();
    let mut out = Vec::with_capacity(1024);
    let mut events = 0;

    let before = allocations();
    for (tb, xb) in t.chunks(5).zip(x.chunks(30)) {
        imu.push_imu(tb, xb, &mut out).unwrap();
    }
    imu.finish(&mut out);
    events += out.len();
    out.clear();
    for (tb, xb) in rt.chunks(5).zip(rx.chunks(30)) {
        rows.push_imu(tb, xb, &mut out).unwrap();
    }
    rows.finish(&mut out);
    let row_events = out.len();
    out.clear();
    for (tb, vb) in t.chunks(100).zip(values.chunks(100)) {
        scalar.push_scalar(tb, vb, &mut out).unwrap();
    }
    scalar.finish(&mut out);
    events += out.len();
    let made = allocations() - before;

    // The recordings did exercise the counter: reps on both signals and on both channels.
    assert!(events >= 20, "only {events} events");
    assert!(
        rows.counts_travel() && (19..=21).contains(&row_events),
        "{row_events}"
    );
    assert_eq!(made, 0, "{made} allocations while counting");
}
