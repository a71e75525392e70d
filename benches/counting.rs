//! Speed of the repetition counter: ns per 6-axis sample and per 100-sample batch.
//!
//! `cargo bench --bench counting`. The counter sees a realistic stream (repetitions with
//! tremor and jittery 50 Hz timestamps), so every branch of the pipeline is exercised.

use criterion::{black_box, criterion_group, criterion_main, Criterion, Throughput};
use rehab_core::counting::{CounterConfig, RepCounter};
use std::time::Duration;

const RATE_HZ: f64 = 50.0;
/// One minute of samples, replayed cyclically with ever-increasing timestamps.
const LEN: usize = 3000;

/// Interleaved `ax..gz` for a minute of repetitions (3 s each) with 6 Hz tremor.
fn recording() -> Vec<f32> {
    let mut x = Vec::with_capacity(LEN * 6);
    for i in 0..LEN {
        let t = i as f64 / RATE_HZ;
        let phase = 2.0 * std::f64::consts::PI * t / 3.0;
        let angle = 0.4 * (1.0 - phase.cos());
        let rate = (0.4 * phase.sin() * 2.0 * std::f64::consts::PI / 3.0) as f32;
        let tremor = 0.3 * (2.0 * std::f64::consts::PI * 6.0 * t).sin() as f32;
        let (s, c) = angle.sin_cos();
        x.extend_from_slice(&[
            (9.81 * s) as f32,
            0.1,
            (9.81 * c) as f32,
            0.02 + tremor,
            rate + 0.5 * tremor,
            -0.01,
        ]);
    }
    x
}

/// A stream of batches of `n` samples with slightly irregular timestamps.
struct Stream {
    x: Vec<f32>,
    t: Vec<f64>,
    next_t: f64,
    pos: usize,
    n: usize,
}

impl Stream {
    fn new(n: usize) -> Self {
        Self {
            x: recording(),
            t: vec![0.0; n],
            next_t: 0.0,
            pos: 0,
            n,
        }
    }

    /// The next batch: timestamps (written in place) and samples.
    fn batch(&mut self) -> (&[f64], &[f32]) {
        if self.pos + self.n > LEN {
            self.pos = 0;
        }
        for (i, t) in self.t.iter_mut().enumerate() {
            let jitter = if i % 3 == 0 { 0.002 } else { -0.001 };
            *t = self.next_t + jitter;
            self.next_t += 1.0 / RATE_HZ;
        }
        let start = self.pos;
        self.pos += self.n;
        (&self.t, &self.x[6 * start..6 * (start + self.n)])
    }
}

fn bench(c: &mut Criterion) {
    let mut group = c.benchmark_group("push_imu");
    for &n in &[1usize, 100] {
        group.throughput(Throughput::Elements(n as u64));
        group.bench_function(format!("{n}-sample batch"), |b| {
            let mut counter = RepCounter::new(CounterConfig::default(), None);
            let mut stream = Stream::new(n);
            let mut out = Vec::with_capacity(64);
            b.iter(|| {
                let (t, x) = stream.batch();
                counter
                    .push_imu(black_box(t), black_box(x), &mut out)
                    .expect("valid batch");
                out.clear();
            });
        });
    }
    // The batch of scripts/bench-ffi.sh (benches/ffi): a 0.25 Hz abduction at 1.5 rad/s,
    // the same 100 samples every call with time moving on: one movement per batch. The
    // Rust-only cost of what the Kotlin and Swift rows of that table push.
    group.throughput(Throughput::Elements(100));
    group.bench_function("100-sample batch, FFI bench signal", |b| {
        let mut counter = RepCounter::new(CounterConfig::default(), None);
        let n = 100;
        let mut x = vec![0f32; 6 * n];
        for i in 0..n {
            let ph = 2.0 * std::f64::consts::PI * 0.25 * (i as f64 * 0.02);
            x[6 * i] = (9.81 * ph.cos()) as f32;
            x[6 * i + 1] = (9.81 * ph.sin()) as f32;
            x[6 * i + 2] = 0.1;
            x[6 * i + 3] = (1.5 * ph.cos()) as f32;
        }
        let mut t = vec![0f64; n];
        let mut base = 0.0;
        let mut out = Vec::with_capacity(64);
        b.iter(|| {
            for (i, ti) in t.iter_mut().enumerate() {
                *ti = base + i as f64 * 0.02;
            }
            base += n as f64 * 0.02;
            counter
                .push_imu(black_box(&t), black_box(&x), &mut out)
                .expect("valid batch");
            out.clear();
        });
    });
    group.finish();

    let mut group = c.benchmark_group("push_scalar");
    group.throughput(Throughput::Elements(100));
    group.bench_function("100-sample batch", |b| {
        let mut counter = RepCounter::new(CounterConfig::default(), None);
        let mut stream = Stream::new(100);
        let mut values = vec![0f32; 100];
        let mut out = Vec::with_capacity(64);
        b.iter(|| {
            let (t, x) = stream.batch();
            for (v, s) in values.iter_mut().zip(x.chunks_exact(6)) {
                *v = 20.0 * s[0];
            }
            counter
                .push_scalar(black_box(t), black_box(&values), &mut out)
                .expect("valid batch");
            out.clear();
        });
    });
    group.finish();
}

criterion_group! {
    name = benches;
    config = Criterion::default()
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(3))
        .sample_size(30);
    targets = bench
}
criterion_main!(benches);
