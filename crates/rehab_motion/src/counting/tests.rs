//! Synthetic-signal tests: each builds a recording whose true count is known and checks the
//! counter against it. Signals are deterministic (seeded), so counts are exact.

use super::*;

/// Small deterministic PRNG (xorshift64*), uniform in [-1, 1).
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> f32 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        let x = self.0.wrapping_mul(0x2545_f491_4f6c_dd1d) >> 40;
        x as f32 / (1u64 << 23) as f32 - 1.0
    }
}

/// A movement script: the angle (rad) about `axis` at time t, plus disturbances.
struct Imu {
    rate_hz: f64,
    jitter: f64,
    gap_every_s: Option<f64>,
    gap_s: f64,
    axis: [f32; 3],
    gyro_noise: f32,
    bias: [f32; 3],
    tremor: Option<(f32, f32)>,
    seed: u64,
}

impl Default for Imu {
    fn default() -> Self {
        Self {
            rate_hz: 50.0,
            jitter: 0.0,
            gap_every_s: None,
            gap_s: 0.2,
            axis: normalize([0.3, 0.8, -0.5]),
            gyro_noise: 0.01,
            bias: [0.0; 3],
            tremor: None,
            seed: 7,
        }
    }
}

fn normalize(v: [f32; 3]) -> [f32; 3] {
    let n = (v[0] * v[0] + v[1] * v[1] + v[2] * v[2]).sqrt();
    [v[0] / n, v[1] / n, v[2] / n]
}

/// Gravity in the sensor frame after rotating by `angle` about unit `u` (Rodrigues).
fn gravity(u: [f32; 3], angle: f32) -> [f32; 3] {
    let g = [0.0, 0.0, 9.81f32];
    let (s, c) = (-angle).sin_cos();
    let dot = u[0] * g[0] + u[1] * g[1] + u[2] * g[2];
    let cross = [
        u[1] * g[2] - u[2] * g[1],
        u[2] * g[0] - u[0] * g[2],
        u[0] * g[1] - u[1] * g[0],
    ];
    [0, 1, 2].map(|i| g[i] * c + cross[i] * s + u[i] * dot * (1.0 - c))
}

impl Imu {
    /// Sample `angle(t)` for `duration_s`: returns timestamps and interleaved samples.
    fn record(&self, duration_s: f64, angle: impl Fn(f64) -> f64) -> (Vec<f64>, Vec<f32>) {
        let mut rng = Rng(self.seed);
        let (mut ts, mut xs) = (Vec::new(), Vec::new());
        let dt = 1.0 / self.rate_hz;
        let mut t = 0.0;
        let mut next_gap = self.gap_every_s.unwrap_or(f64::INFINITY);
        while t < duration_s {
            let h = 1e-3;
            let a = angle(t);
            let rate = ((angle(t + h) - angle(t - h)) / (2.0 * h)) as f32;
            let mut gyro = self.axis.map(|u| u * rate);
            for (i, g) in gyro.iter_mut().enumerate() {
                *g += self.bias[i] + self.gyro_noise * rng.next();
                if let Some((amp, hz)) = self.tremor {
                    let phase = i as f64 * 1.3;
                    *g += amp
                        * ((2.0 * std::f64::consts::PI * f64::from(hz) * t + phase).sin() as f32);
                }
            }
            let acc = gravity(self.axis, a as f32).map(|g| g + 0.03 * rng.next());
            ts.push(t);
            xs.extend_from_slice(&acc);
            xs.extend_from_slice(&gyro);
            t += dt * (1.0 + self.jitter * f64::from(rng.next()));
            if t >= next_gap {
                t += self.gap_s; // a Bluetooth dropout
                next_gap += self.gap_every_s.unwrap_or(f64::INFINITY);
            }
        }
        (ts, xs)
    }
}

/// `n` out-and-back repetitions of `amp` rad lasting `rep_s`, separated by `pause_s`, after
/// `lead_s` of rest. Smooth (raised-cosine) profile.
fn reps(n: usize, amp: f64, rep_s: f64, pause_s: f64, lead_s: f64) -> impl Fn(f64) -> f64 {
    move |t| {
        let t = t - lead_s;
        if t < 0.0 {
            return 0.0;
        }
        let cycle = rep_s + pause_s;
        let k = (t / cycle).floor();
        let u = t - k * cycle;
        if k as usize >= n || u > rep_s {
            return 0.0;
        }
        amp * 0.5 * (1.0 - (2.0 * std::f64::consts::PI * u / rep_s).cos())
    }
}

/// Run a recording through a fresh counter in ~100 ms batches and finish the set.
fn count_imu(rec: &(Vec<f64>, Vec<f32>)) -> Vec<RepEvent> {
    count_imu_with(RepCounter::new(CounterConfig::default(), None), rec)
}

fn count_imu_with(mut c: RepCounter, rec: &(Vec<f64>, Vec<f32>)) -> Vec<RepEvent> {
    push_set(&mut c, rec)
}

/// Run a recording through `c` in ~100 ms batches and finish the set; `c` stays for
/// inspection.
fn push_set(c: &mut RepCounter, rec: &(Vec<f64>, Vec<f32>)) -> Vec<RepEvent> {
    let mut out = Vec::new();
    for (t, x) in rec.0.chunks(5).zip(rec.1.chunks(30)) {
        c.push_imu(t, x, &mut out).expect("valid batch");
    }
    c.finish(&mut out);
    out
}

fn count_scalar(t: &[f64], v: &[f32], hint: Option<CountingHint>) -> Vec<RepEvent> {
    let mut c = RepCounter::new(CounterConfig::default(), hint);
    let mut out = Vec::new();
    for (t, x) in t.chunks(7).zip(v.chunks(7)) {
        c.push_scalar(t, x, &mut out).expect("valid batch");
    }
    c.finish(&mut out);
    out
}

#[test]
fn counts_ordinary_reps() {
    let rec = Imu::default().record(40.0, reps(10, 1.0, 2.5, 1.0, 2.0));
    let ev = count_imu(&rec);
    assert_eq!(ev.len(), 10);
    for (i, e) in ev.iter().enumerate() {
        assert_eq!(e.index, i as u32);
        assert_eq!(e.kind, RepKind::Rep);
        assert!(e.reached_target);
        assert!((e.amplitude - 1.0).abs() < 0.1, "amplitude {}", e.amplitude);
        assert!(e.end_s > e.start_s && e.duration_s > 0.5 && e.duration_s < 3.0);
        assert!(
            e.peak_speed > 1.0 && e.peak_speed < 1.4,
            "peak {}",
            e.peak_speed
        );
    }
}

#[test]
fn counts_slow_reps() {
    // 8 s per repetition, a stroke survivor's pace, with pauses.
    let rec = Imu::default().record(120.0, reps(10, 0.6, 8.0, 3.0, 2.0));
    assert_eq!(count_imu(&rec).len(), 10);
}

#[test]
fn counts_small_reps() {
    // 0.2 rad = 11 degrees.
    let rec = Imu::default().record(50.0, reps(10, 0.2, 3.0, 1.5, 2.0));
    let ev = count_imu(&rec);
    assert_eq!(ev.len(), 10);
    assert!(ev.iter().all(|e| (e.amplitude - 0.2).abs() < 0.05));
}

#[test]
fn counts_fast_reps() {
    // 0.7 s per repetition, back to back.
    let rec = Imu::default().record(10.0, reps(12, 1.0, 0.7, 0.0, 1.0));
    assert_eq!(count_imu(&rec).len(), 12);
}

#[test]
fn counts_shrinking_reps_after_big_ones() {
    // Fatigue: amplitude falls from 1.2 to 0.25 rad within the set.
    let n = 12;
    let f = move |t: f64| {
        let k = ((t - 2.0) / 3.5).floor().clamp(0.0, (n - 1) as f64);
        let amp = 1.2 - 0.95 * k / (n - 1) as f64;
        reps(n, amp, 2.5, 1.0, 2.0)(t)
    };
    let rec = Imu::default().record(48.0, f);
    assert_eq!(count_imu(&rec).len(), n);
}

#[test]
fn counts_low_amplitude_block_after_a_pause() {
    // The PT protocol: normal repetitions, a pause, then much smaller ones.
    let f = |t: f64| {
        if t < 40.0 {
            reps(8, 1.2, 3.0, 1.5, 2.0)(t)
        } else {
            reps(8, 0.3, 3.0, 1.5, 60.0)(t)
        }
    };
    let rec = Imu::default().record(100.0, f);
    assert_eq!(count_imu(&rec).len(), 16);
}

#[test]
fn a_stir_while_the_rest_is_learned_does_not_make_a_speed_floor_over_slow_reps() {
    // The first seconds teach the rest floor. The sensor settling there (0.11 rad and
    // back, peaking at ~0.29 rad/s, just under what makes the rest not quiet; a set-up,
    // dropped) is no measure of the sensor's noise: the slow, small repetitions that follow
    // peak at ~0.37 rad/s (3 s each) or ~0.24 rad/s (4.5 s each, as PT's low-amplitude
    // ones), under 1.5x its speed, and all count.
    for rep_s in [3.0, 4.5] {
        let f = move |t: f64| {
            let shift = if (0.3..1.5).contains(&t) {
                0.055 * (1.0 - (2.0 * std::f64::consts::PI * (t - 0.3) / 1.2).cos())
            } else {
                0.0
            };
            shift + reps(8, 0.35, rep_s, 2.0, 9.0)(t)
        };
        for rate_hz in [10.0, 25.0, 50.0] {
            let rec = Imu {
                rate_hz,
                ..Imu::default()
            }
            .record(12.0 + 8.0 * (rep_s + 2.0), f);
            let out = count_imu(&rec);
            assert_eq!(out.len(), 8, "{rep_s} s reps, {rate_hz} Hz: {out:?}");
        }
    }
}

/// The arm raised by 1.4 rad over `raise_s` from `raise_at` s into the exercise's starting
/// posture, then swinging 0.4 rad down and back about it ten times (1.3 s each from 3 s, no
/// pause), settling `settle` rad higher with each swing, and lowered at the end (17 s).
fn ten_swings_after_a_raise(raise_at: f64, raise_s: f64, settle: f64) -> impl Fn(f64) -> f64 {
    let pi = std::f64::consts::PI;
    move |t: f64| {
        let u = (t - 3.0) / 1.3;
        let posture = 1.4 + settle * u.clamp(0.0, 10.0);
        let raise = posture * ease((t - raise_at) / raise_s) * (1.0 - ease((t - 17.0) / 1.5));
        let swing = if (0.0..10.0).contains(&u) {
            0.4 * 0.5 * (1.0 - (2.0 * pi * u.fract()).cos())
        } else {
            0.0
        };
        raise - swing
    }
}

/// At 10-100 Hz, the ten swings of `f` (see `ten_swings_after_a_raise`) are counted and
/// the raise is not: the first reported movement is the first swing (from 3 s).
fn assert_the_swings_count(f: impl Fn(f64) -> f64) {
    for rate_hz in [10.0, 25.0, 50.0, 100.0] {
        let rec = Imu {
            rate_hz,
            ..Imu::default()
        }
        .record(21.0, &f);
        let out = count_imu(&rec);
        assert_eq!(out.len(), 10, "{rate_hz} Hz: {out:?}");
        assert!(out[0].start_s > 2.5, "{rate_hz} Hz: {:?}", out[0]);
    }
}

#[test]
fn repetitions_about_a_new_posture_are_counted_and_the_move_into_it_is_not() {
    // The raise never comes back while the set goes on: the swings are the repetitions.
    assert_the_swings_count(ten_swings_after_a_raise(1.0, 1.0, 0.0));
}

#[test]
fn swings_that_come_back_a_little_past_the_posture_are_repetitions() {
    // As above, but the raise runs straight into the swings (no still moment at the top),
    // and the arm settles a little higher with each swing (0.025 rad, a quarter of the
    // detector's resolution): every swing comes back just past where the arm was put, a new
    // extreme by a hair. Repetitions made from a posture come back to it; only going past
    // it by the detector's resolution is still going out.
    assert_the_swings_count(ten_swings_after_a_raise(1.5, 1.5, 0.025));
}

/// Smooth 0 -> 1 over `u` in [0, 1], 0 before and 1 after.
fn ease(u: f64) -> f64 {
    let u = u.clamp(0.0, 1.0);
    u * u * (3.0 - 2.0 * u)
}

#[test]
fn tremor_on_top_of_motion_does_not_add_reps() {
    for &hz in &[4.0f32, 6.0, 9.0] {
        let imu = Imu {
            tremor: Some((0.8, hz)),
            ..Imu::default()
        };
        let rec = imu.record(40.0, reps(10, 0.8, 2.5, 1.0, 2.0));
        assert_eq!(count_imu(&rec).len(), 10, "tremor at {hz} Hz");
    }
}

#[test]
fn tremor_alone_counts_nothing() {
    for &(amp, hz) in &[(1.5f32, 4.0f32), (1.0, 6.0), (0.6, 3.0), (2.0, 9.0)] {
        let imu = Imu {
            tremor: Some((amp, hz)),
            ..Imu::default()
        };
        let rec = imu.record(60.0, |_| 0.0);
        let ev = count_imu(&rec);
        assert_eq!(ev.len(), 0, "tremor {amp} rad/s at {hz} Hz: {ev:?}");
    }
}

#[test]
fn still_sensor_counts_nothing() {
    for &noise in &[0.003f32, 0.02, 0.05] {
        let imu = Imu {
            gyro_noise: noise,
            ..Imu::default()
        };
        assert_eq!(count_imu(&imu.record(120.0, |_| 0.0)).len(), 0);
    }
}

#[test]
fn gyro_bias_drift_is_tolerated() {
    let imu = Imu {
        bias: [0.04, -0.03, 0.02],
        ..Imu::default()
    };
    let rec = imu.record(90.0, reps(10, 0.5, 3.0, 3.0, 5.0));
    assert_eq!(count_imu(&rec).len(), 10);
    // Bias alone never turns into repetitions.
    assert_eq!(count_imu(&imu.record(120.0, |_| 0.0)).len(), 0);
}

#[test]
fn small_slow_reps_count_on_a_gyroscope_whose_bias_is_not_yet_learned() {
    // An uncalibrated gyroscope (0.05 rad/s of bias): the first seconds drift by ~0.1 rad
    // before the bias is learned. That drift once set the floor for the whole set, over
    // the small slow repetitions (0.14 rad over 5 s, as PT's low-amplitude ones) that
    // follow a block of large ones.
    let f = |t: f64| reps(5, 0.8, 3.0, 1.5, 4.0)(t) + reps(8, 0.14, 5.0, 1.5, 40.0)(t);
    for bias in [[0.04, -0.03, 0.0], [-0.04, 0.03, 0.0]] {
        for rate_hz in [25.0, 50.0] {
            let imu = Imu {
                rate_hz,
                bias,
                ..Imu::default()
            };
            let out = count_imu(&imu.record(100.0, f));
            assert_eq!(out.len(), 13, "bias {bias:?}, {rate_hz} Hz: {out:?}");
        }
    }
}

#[test]
fn pauses_within_a_set() {
    let f = |t: f64| reps(4, 0.8, 2.5, 1.0, 2.0)(t) + reps(4, 0.8, 2.5, 1.0, 45.0)(t);
    let rec = Imu::default().record(70.0, f);
    assert_eq!(count_imu(&rec).len(), 8);
}

#[test]
fn holds_at_the_top_do_not_split_reps() {
    // Raise, hold 4 s, lower, rest 3 s.
    let f = |t: f64| {
        let u = (t - 2.0).rem_euclid(9.0);
        if !(2.0..=2.0 + 9.0 * 6.0).contains(&t) {
            0.0
        } else if u < 1.0 {
            0.9 * 0.5 * (1.0 - (std::f64::consts::PI * u).cos())
        } else if u < 5.0 {
            0.9
        } else if u < 6.0 {
            0.9 * 0.5 * (1.0 + (std::f64::consts::PI * (u - 5.0)).cos())
        } else {
            0.0
        }
    };
    let rec = Imu::default().record(60.0, f);
    assert_eq!(count_imu(&rec).len(), 6);
}

#[test]
fn irregular_timestamps_and_dropouts() {
    let imu = Imu {
        jitter: 0.4,
        gap_every_s: Some(7.0),
        ..Imu::default()
    };
    let rec = imu.record(40.0, reps(10, 0.8, 2.5, 1.0, 2.0));
    assert!(rec.0.windows(2).all(|w| w[1] >= w[0]));
    assert_eq!(count_imu(&rec).len(), 10);
}

#[test]
fn reps_with_half_second_holes_in_them_still_count() {
    // A watch streaming over Bluetooth drops 0.5-0.7 s of samples every 2-3 s, in the
    // middle of repetitions as often as not. The limb went on turning meanwhile: integrated
    // from the rate before the hole to the rate after, each repetition still comes back and
    // counts (6-11 of 12 when the hole was integrated over 0.25 s only).
    for (gap_s, every, rep_s, pause_s) in [
        (0.7, 3.1, 2.0, 0.0),
        (0.5, 2.3, 1.5, 0.5),
        (0.6, 2.9, 1.6, 0.0),
    ] {
        for rate_hz in [25.0, 50.0, 100.0] {
            let imu = Imu {
                rate_hz,
                gap_every_s: Some(every),
                gap_s,
                ..Imu::default()
            };
            let rec = imu.record(40.0, reps(12, 0.6, rep_s, pause_s, 2.0));
            let out = count_imu(&rec);
            assert_eq!(
                out.len(),
                12,
                "{gap_s} s holes every {every} s, {rate_hz} Hz: {out:?}"
            );
        }
    }
}

#[test]
fn sample_rates_from_20_to_200_hz() {
    for &rate in &[20.0, 25.0, 50.0, 100.0, 200.0] {
        let imu = Imu {
            rate_hz: rate,
            ..Imu::default()
        };
        let rec = imu.record(40.0, reps(10, 0.6, 2.0, 1.5, 2.0));
        assert_eq!(count_imu(&rec).len(), 10, "{rate} Hz");
        let fast = imu.record(12.0, reps(12, 0.8, 0.8, 0.0, 1.0));
        assert_eq!(count_imu(&fast).len(), 12, "fast reps at {rate} Hz");
    }
}

#[test]
fn movement_axis_is_found_and_hint_axis_is_used() {
    let imu = Imu {
        axis: [0.0, 0.0, 1.0],
        ..Imu::default()
    };
    let rec = imu.record(40.0, reps(10, 0.8, 2.5, 1.0, 2.0));
    let mut c = RepCounter::new(CounterConfig::default(), None);
    let mut out = Vec::new();
    c.push_imu(&rec.0[..1000], &rec.1[..6000], &mut out)
        .unwrap();
    assert!(c.axis()[2].abs() > 0.99, "axis {:?}", c.axis());
    let hint = CountingHint {
        axis: Some(Axis::Z),
        expected_rep_s: Some((2.0, 3.0)),
        ..CountingHint::signal(SignalKind::Imu6)
    };
    let hinted = RepCounter::new(CounterConfig::default(), Some(hint));
    assert_eq!(count_imu_with(hinted, &rec).len(), 10);
    // A hinted minimum range above the movement's size rejects it.
    let strict = CountingHint {
        min_range: Some(1.5),
        ..hint
    };
    let strict = RepCounter::new(CounterConfig::default(), Some(strict));
    assert_eq!(count_imu_with(strict, &rec).len(), 0);
}

/// Held in a hand (physiological tremor), then turned face-up onto a table and left there.
fn put_down(t: f64) -> f64 {
    match t {
        t if t < 3.0 => 0.0,
        t if t < 3.8 => 1.4 * 0.5 * (1.0 - (std::f64::consts::PI * (t - 3.0) / 0.8).cos()),
        t if t < 3.95 => 1.4 - 0.08 * ((t - 3.8) / 0.15 * std::f64::consts::PI).sin(),
        _ => 1.4,
    }
}

#[test]
fn phone_put_down_counts_nothing() {
    let imu = Imu {
        tremor: Some((0.05, 9.0)),
        ..Imu::default()
    };
    let rec = imu.record(40.0, put_down);
    assert_eq!(count_imu(&rec).len(), 0);
}

#[test]
fn reps_then_put_down_counts_only_the_reps() {
    let f = |t: f64| {
        if t < 30.0 {
            reps(8, 0.8, 2.5, 1.0, 2.0)(t)
        } else {
            put_down(t - 30.0)
        }
    };
    let rec = Imu::default().record(70.0, f);
    assert_eq!(count_imu(&rec).len(), 8);
}

#[test]
fn dropped_phone_counts_nothing() {
    // Held, then 0.45 s of free fall while tumbling, an impact, bounces, rest on the floor.
    let (t, mut x) = Imu::default().record(20.0, |_| 0.0);
    let mut rng = Rng(3);
    for (i, &ti) in t.iter().enumerate() {
        let s = &mut x[6 * i..6 * i + 6];
        if (5.0..5.45).contains(&ti) {
            s[..3].copy_from_slice(&[0.1, -0.05, 0.08]);
            s[3..].copy_from_slice(&[4.0, -2.5, 6.0]);
        } else if (5.45..5.5).contains(&ti) {
            s[..3].copy_from_slice(&[60.0, -30.0, 90.0]);
        } else if (5.5..6.3).contains(&ti) {
            let w = 3.0 * ((ti - 5.5) * 25.0).sin() as f32;
            s[3..].copy_from_slice(&[w, -w * 0.5, w * rng.next()]);
        }
    }
    assert_eq!(count_imu(&(t, x)).len(), 0);
}

#[test]
fn finish_flushes_a_rep_on_its_way_back() {
    // The recording ends while the third repetition is coming back (60% of the way).
    let f = |t: f64| reps(3, 1.0, 3.0, 1.0, 1.0)(t);
    let end = 1.0 + 2.0 * 4.0 + 3.0 * 0.72;
    let rec = Imu::default().record(end, f);
    let mut c = RepCounter::new(CounterConfig::default(), None);
    let mut out = Vec::new();
    c.push_imu(&rec.0, &rec.1, &mut out).unwrap();
    let before = out.len();
    c.finish(&mut out);
    assert_eq!(out.len(), 3, "{before} before finish");
    // A movement that has not turned back is not a repetition, even at the end (two
    // repetitions are too few to vouch for it as the next one of the set).
    let end = 1.0 + 2.0 * 4.0 + 3.0 * 0.45;
    assert_eq!(count_imu(&Imu::default().record(end, f)).len(), 2);
}

#[test]
fn scalar_grip_force() {
    // Newtons: rest at 5 N with sensor noise, squeezes to ~20 N with a 1 s hold.
    let mut rng = Rng(11);
    let (mut t, mut v) = (Vec::new(), Vec::new());
    let mut ti = 0.0f64;
    while ti < 45.0 {
        let u = (ti - 3.0).rem_euclid(4.0);
        let squeeze = if !(3.0..=3.0 + 4.0 * 10.0).contains(&ti) {
            0.0
        } else if u < 0.8 {
            0.5 * (1.0 - (std::f64::consts::PI * u / 0.8).cos())
        } else if u < 1.8 {
            1.0
        } else if u < 2.6 {
            0.5 * (1.0 + (std::f64::consts::PI * (u - 1.8) / 0.8).cos())
        } else {
            0.0
        };
        t.push(ti);
        v.push(5.0 + 15.0 * squeeze as f32 + 0.3 * rng.next());
        ti += 0.01 * (1.0 + 0.3 * f64::from(rng.next()));
    }
    let ev = count_scalar(&t, &v, None);
    assert_eq!(ev.len(), 10);
    assert!(ev.iter().all(|e| (e.amplitude - 15.0).abs() < 1.5));
    // Noise alone, and tremor alone, count nothing.
    let noise: Vec<f32> = t.iter().map(|_| 5.0 + 0.3 * rng.next()).collect();
    assert_eq!(count_scalar(&t, &noise, None).len(), 0);
    let tremor: Vec<f32> = t
        .iter()
        .map(|&ti| 5.0 + 1.5 * (2.0 * std::f64::consts::PI * 5.0 * ti).sin() as f32)
        .collect();
    let hint = CountingHint {
        min_range: Some(3.0),
        ..CountingHint::signal(SignalKind::Scalar)
    };
    assert_eq!(count_scalar(&t, &tremor, Some(hint)).len(), 0);
}

#[test]
fn scalar_joint_angle_with_drift_at_20_hz() {
    // Camera pose: elbow angle in degrees, 20 Hz, slow baseline drift, small 15-degree reps.
    let (mut t, mut v) = (Vec::new(), Vec::new());
    let mut rng = Rng(5);
    for i in 0..(20 * 50) {
        let ti = f64::from(i) / 20.0;
        let rep = reps(12, 15.0, 3.0, 1.0, 1.0)(ti);
        t.push(ti);
        v.push((90.0 + 0.2 * ti + rep) as f32 + 0.8 * rng.next());
    }
    assert_eq!(count_scalar(&t, &v, None).len(), 12);
}

#[test]
fn calibration_sets_the_reference_and_the_target_adapts() {
    let cfg = CounterConfig::default();
    let mut c = RepCounter::new(cfg, None);
    let mut out = Vec::new();
    // Calibration: three best-effort repetitions of ~1 rad.
    c.begin_calibration();
    let cal = Imu::default().record(14.0, reps(3, 1.0, 2.5, 1.0, 2.0));
    c.push_imu(&cal.0, &cal.1, &mut out).unwrap();
    let reference = c.end_calibration().expect("three calibration reps");
    assert!((reference - 1.0).abs() < 0.1, "reference {reference}");
    assert_eq!(c.target_range(), Some(reference * cfg.target_fraction));
    c.reset();
    out.clear();
    // The set: the person only manages ~0.6 rad. The first ones are attempts; the target
    // eases off, never below the configured minimum, until they reach it (then it hovers
    // around what they can do).
    let t0 = cal.0.last().unwrap() + 0.02;
    let small = Imu::default().record(75.0, reps(20, 0.6, 2.5, 1.0, 2.0));
    let shifted: Vec<f64> = small.0.iter().map(|t| t + t0).collect();
    c.push_imu(&shifted, &small.1, &mut out).unwrap();
    assert_eq!(out.len(), 20);
    assert_eq!(out[0].kind, RepKind::Attempt);
    assert!(!out[0].reached_target);
    let late_reps = out[10..].iter().filter(|e| e.kind == RepKind::Rep).count();
    assert!(late_reps >= 4, "{late_reps} reps reached the eased target");
    assert!(c.target_fraction() < cfg.target_fraction);
    assert!(c.target_fraction() >= crate::counting::config::MIN_TARGET_FRACTION);
    assert_eq!(c.rep_count() + c.attempt_count(), 20);
    // Strong repetitions raise the target back, but never above the configured fraction.
    let t1 = shifted.last().unwrap() + 0.02;
    let big = Imu::default().record(40.0, reps(10, 1.1, 2.5, 1.0, 2.0));
    let shifted: Vec<f64> = big.0.iter().map(|t| t + t1).collect();
    let eased = c.target_fraction();
    c.push_imu(&shifted, &big.1, &mut out).unwrap();
    assert!(c.target_fraction() > eased);
    assert!(c.target_fraction() <= cfg.target_fraction);
}

#[test]
fn calibration_needs_two_reps_and_reference_is_validated() {
    let mut c = RepCounter::new(CounterConfig::default(), None);
    c.begin_calibration();
    assert_eq!(c.end_calibration(), None);
    assert_eq!(c.reference_range(), None);
    assert!(matches!(
        c.set_reference_range(f32::NAN),
        Err(CountingError::InvalidReference { .. })
    ));
    assert!(c.set_reference_range(-1.0).is_err());
    c.set_reference_range(0.9).unwrap();
    assert_eq!(c.reference_range(), Some(0.9));
    c.clear_reference_range();
    assert_eq!(c.target_range(), None);
}

#[test]
fn reference_from_best_takes_mean_of_top_three() {
    assert_eq!(reference_from_best(&[]), None);
    assert_eq!(reference_from_best(&[1.0]), None);
    assert_eq!(reference_from_best(&[1.0, 0.5]), Some(0.75));
    let r = reference_from_best(&[0.2, 1.0, 0.9, f32::NAN, 0.8, 0.1]).unwrap();
    assert!((r - 0.9).abs() < 1e-6);
}

// ---- Bad input: typed errors, never a panic, and the counter is left unchanged. ----

fn good_batch(t0: f64, n: usize) -> (Vec<f64>, Vec<f32>) {
    let t: Vec<f64> = (0..n).map(|i| t0 + i as f64 * 0.02).collect();
    let x = (0..n)
        .flat_map(|_| [0.0, 0.0, 9.81, 0.0, 0.0, 0.0])
        .collect();
    (t, x)
}

#[test]
fn rejects_bad_batches() {
    let mut c = RepCounter::new(CounterConfig::default(), None);
    let mut out = Vec::new();
    let (t, x) = good_batch(0.0, 10);
    c.push_imu(&t, &x, &mut out).unwrap();

    assert_eq!(
        c.push_imu(&[], &[], &mut out),
        Err(CountingError::EmptyBatch)
    );
    assert!(matches!(
        c.push_imu(&t[..2], &x[..11], &mut out),
        Err(CountingError::LengthMismatch {
            timestamps: 2,
            values: 11,
            expected: 12
        })
    ));
    let (mut t2, mut x2) = good_batch(1.0, 5);
    t2[3] = f64::NAN;
    assert_eq!(
        c.push_imu(&t2, &x2, &mut out),
        Err(CountingError::NonFiniteTime { index: 3 })
    );
    t2[3] = 1.06;
    x2[6 * 2 + 4] = f32::INFINITY;
    assert_eq!(
        c.push_imu(&t2, &x2, &mut out),
        Err(CountingError::NonFiniteValue { index: 2 })
    );
    x2[6 * 2 + 4] = f32::NAN;
    assert_eq!(
        c.push_imu(&t2, &x2, &mut out),
        Err(CountingError::NonFiniteValue { index: 2 })
    );
    // Backwards within the batch, and relative to the previous batch.
    let (mut t3, x3) = good_batch(1.0, 5);
    t3[2] = 0.9;
    assert!(matches!(
        c.push_imu(&t3, &x3, &mut out),
        Err(CountingError::TimeBackwards { index: 2, .. })
    ));
    let (t4, x4) = good_batch(0.1, 5);
    assert!(matches!(
        c.push_imu(&t4, &x4, &mut out),
        Err(CountingError::TimeBackwards { index: 0, .. })
    ));
    // Milliseconds instead of seconds, and a burst at an impossible rate.
    let ms: Vec<f64> = (0..10).map(|i| 1000.0 + 20.0 * i as f64).collect();
    assert!(matches!(
        c.push_imu(&ms, &x[..60], &mut out),
        Err(CountingError::AbsurdRate { .. })
    ));
    let burst: Vec<f64> = (0..10).map(|i| 2.0 + 1e-6 * i as f64).collect();
    assert!(matches!(
        c.push_imu(&burst, &x[..60], &mut out),
        Err(CountingError::AbsurdRate { .. })
    ));
    // Scalar samples into an IMU counter.
    assert!(matches!(
        c.push_scalar(&[2.0], &[1.0], &mut out),
        Err(CountingError::WrongSignal {
            expected: SignalKind::Imu6,
            got: SignalKind::Scalar
        })
    ));
    assert!(out.is_empty());
    // Every message is readable.
    for e in [
        CountingError::EmptyBatch,
        CountingError::NonFiniteTime { index: 1 },
    ] {
        assert!(!e.to_string().is_empty());
    }
}

#[test]
fn rejects_huge_batch_without_reading_it() {
    let mut c = RepCounter::new(CounterConfig::default(), None);
    let t = vec![0.0f64; 10_000_000];
    let err = c.push_scalar(&t, &[], &mut Vec::new()).unwrap_err();
    assert_eq!(
        err,
        CountingError::BatchTooLarge {
            len: 10_000_000,
            max: 100_000
        }
    );
    let (t, x) = good_batch(0.0, 100_001);
    assert!(matches!(
        c.push_imu(&t, &x, &mut Vec::new()),
        Err(CountingError::BatchTooLarge { .. })
    ));
}

#[test]
fn rejected_batch_leaves_counter_unchanged() {
    let rec = Imu::default().record(30.0, reps(6, 0.8, 2.5, 1.0, 2.0));
    let mut clean = RepCounter::new(CounterConfig::default(), None);
    let mut dirty = clean.clone();
    let (mut a, mut b) = (Vec::new(), Vec::new());
    for (i, (t, x)) in rec.0.chunks(5).zip(rec.1.chunks(30)).enumerate() {
        clean.push_imu(t, x, &mut a).unwrap();
        if i % 3 == 0 {
            let mut bad = x.to_vec();
            let last = bad.len() - 1;
            bad[last] = f32::NAN;
            assert!(dirty.push_imu(t, &bad, &mut b).is_err());
        }
        dirty.push_imu(t, x, &mut b).unwrap();
    }
    assert_eq!(a, b);
    assert_eq!(format!("{clean:?}"), format!("{dirty:?}"));
    assert_eq!(a.len(), 6);
}

#[test]
fn equal_timestamps_are_accepted() {
    let mut c = RepCounter::new(CounterConfig::default(), None);
    let mut out = Vec::new();
    c.push_scalar(&[0.0, 0.0], &[1.0, 1.0], &mut out).unwrap();
    c.push_scalar(&[0.0, 0.01, 0.01], &[1.0, 1.0, 1.0], &mut out)
        .unwrap();
    assert!(out.is_empty());
}

#[test]
fn reset_starts_a_new_set() {
    let rec = Imu::default().record(30.0, reps(6, 0.8, 2.5, 1.0, 2.0));
    let mut c = RepCounter::new(CounterConfig::default(), None);
    let mut out = Vec::new();
    c.push_imu(&rec.0, &rec.1, &mut out).unwrap();
    c.finish(&mut out);
    assert_eq!(c.rep_count(), 6);
    c.reset();
    assert_eq!(c.rep_count(), 0);
    // Time keeps running: an earlier timestamp is still an error after a reset.
    assert!(c.push_imu(&rec.0[..5], &rec.1[..30], &mut out).is_err());
}

#[test]
fn set_cut_off_on_the_way_out_of_a_rep_counts_it() {
    // The recording stops at the top of the sixth repetition of a steady set: same way,
    // same size, same speed, on time. The person did it; the end of the recording cut off
    // its return. (This used to be read as "reaching up to stop the app": a movement that
    // matches the set's rhythm, direction, size and speed this closely is a repetition;
    // reaches differ in one of them, see `reach_at_the_end_of_a_set_is_not_counted`.)
    let f = |t: f64| reps(6, 1.0, 2.0, 0.0, 1.0)(t);
    let rec = Imu::default().record(1.0 + 5.0 * 2.0 + 1.0, f);
    assert_eq!(count_imu(&rec).len(), 6);
    // Slow, small repetitions with rests between them, cut 80% of the way up.
    let f = |t: f64| reps(6, 0.3, 4.0, 1.5, 2.0)(t);
    let end = 2.0 + 5.0 * 5.5 + 4.0 * 0.35;
    let rec = Imu::default().record(end, f);
    assert_eq!(count_imu(&rec).len(), 6);
    // The same set stopped early on the way up (40% of the way) is not counted.
    let end = 2.0 + 5.0 * 5.5 + 4.0 * 0.22;
    let rec = Imu::default().record(end, f);
    assert_eq!(count_imu(&rec).len(), 5);
}

#[test]
fn reach_at_the_end_of_a_set_is_not_counted() {
    // Five steady repetitions (0.8 rad, 2 s, no rest), then a last movement cut off at its
    // extreme by the end of the recording: a reach for the phone, not a repetition.
    let set = |t: f64| reps(5, 0.8, 2.0, 0.0, 1.0)(t);
    let cases: [(&str, f64, f64, f64); 3] = [
        // After a pause of 2 s (out of rhythm), the same way and size.
        ("after a pause", 0.8, 2.0, 13.0),
        // Straight after the set, but reaching much further than a repetition.
        ("further", 1.6, 2.0, 11.0),
        // Straight after the set, but a quick grab four times as fast.
        ("quick grab", 0.8, 0.5, 11.0),
    ];
    for (name, amp, dur, start) in cases {
        let f = move |t: f64| set(t) + reps(1, amp, dur, 0.0, start)(t);
        let rec = Imu::default().record(start + 0.5 * dur, f);
        assert_eq!(count_imu(&rec).len(), 5, "{name}");
    }
    // Put down on the table straight after the last repetition.
    let f = |t: f64| {
        if t < 11.0 {
            set(t)
        } else {
            put_down(t - 8.0)
        }
    };
    let rec = Imu::default().record(15.0, f);
    assert_eq!(count_imu(&rec).len(), 5);
}

#[test]
fn slow_movement_at_the_end_of_a_steady_set_is_not_flushed() {
    // Five steady repetitions, then the arm goes up slowly (3 s) and partly back (30% of the
    // way, 2 s) as the recording ends: on its way back, but it lasted several times as long
    // as the set's repetitions, so it is not one (putting the phone away, stopping the app).
    let f = |t: f64| {
        let pi = std::f64::consts::PI;
        match t {
            t if t < 11.0 => reps(5, 0.8, 2.0, 0.0, 1.0)(t),
            t if t < 14.0 => 0.9 * 0.5 * (1.0 - (pi * (t - 11.0) / 3.0).cos()),
            t if t < 16.0 => 0.9 - 0.3 * 0.5 * (1.0 - (pi * (t - 14.0) / 2.0).cos()),
            _ => 0.6,
        }
    };
    let rec = Imu::default().record(16.5, f);
    assert_eq!(count_imu(&rec).len(), 5);
}

#[test]
fn lone_movement_the_other_way_is_not_a_rep_for_one_way_exercises() {
    // Five raises, a pause with one full-size movement the other way (reaching for
    // something), five more raises.
    let f = |t: f64| {
        reps(5, 0.9, 2.0, 1.0, 1.0)(t) - reps(1, 0.9, 2.0, 0.0, 18.0)(t)
            + reps(5, 0.9, 2.0, 1.0, 23.0)(t)
    };
    let rec = Imu::default().record(40.0, f);
    // After five raises in rhythm, a movement the other way 5 s after the last one started
    // (the set's pace is 3 s) is held back, and the next raise shows it was a lone one.
    // (This used to count 11, when every movement counted whichever way it went: a
    // movement both against a steady one-way run and out of its rhythm is now held.)
    assert_eq!(count_imu(&rec).len(), 10);
}

/// Single out-and-back movements `(start s, signed amplitude rad, duration s)`, summed.
fn moves(list: Vec<(f64, f64, f64)>) -> impl Fn(f64) -> f64 {
    move |t| {
        list.iter()
            .map(|&(start, amp, dur)| amp * reps(1, 1.0, dur, 0.0, start)(t))
            .sum()
    }
}

#[test]
fn irregular_alternating_movements_all_count() {
    // Side to side, as a stroke survivor might: irregular pauses (0.3-4 s), uneven sizes,
    // slow and fast, sometimes twice in a row to the same side, with tremor. Every movement
    // is a rep: a side never builds a steady run of three, so nothing is held back.
    let dirs = [
        1.0, -1.0, 1.0, 1.0, -1.0, 1.0, -1.0, -1.0, 1.0, -1.0, 1.0, -1.0,
    ];
    let sizes = [0.9, 0.6, 0.8, 0.5, 0.9, 0.4, 0.7, 0.9, 0.6, 0.8, 0.5, 0.7];
    let durs = [2.0, 3.0, 1.5, 2.5, 4.0, 2.0, 1.5, 3.0, 2.0, 2.5, 3.5, 2.0];
    // (At least 1 s at the centre before turning to the other side: straight through
    // from one side to the other is one movement to the detector.)
    let pauses = [1.0, 1.2, 0.4, 1.5, 2.0, 3.0, 0.3, 1.0, 4.0, 1.2, 2.0, 1.0];
    let mut list = Vec::new();
    let mut t = 2.0;
    for i in 0..dirs.len() {
        list.push((t, dirs[i] * sizes[i], durs[i]));
        t += durs[i] + pauses[i];
    }
    let imu = Imu {
        tremor: Some((0.15, 5.0)),
        ..Imu::default()
    };
    let rec = imu.record(t + 1.0, moves(list));
    assert_eq!(count_imu(&rec).len(), 12);
}

#[test]
fn stray_movement_during_a_rest_between_blocks_is_not_counted() {
    // Ten quick raises (1.5 rad), a rest in which the arm swings the other way once (1.7
    // rad, faster than the reps), more rest, then ten slower, smaller raises.
    let f = |t: f64| {
        reps(10, 1.5, 1.6, 0.4, 2.0)(t) - reps(1, 1.7, 1.0, 0.0, 34.0)(t)
            + reps(10, 0.9, 3.0, 1.0, 60.0)(t)
    };
    let rec = Imu::default().record(102.0, f);
    let ev = count_imu(&rec);
    assert_eq!(ev.len(), 20);
    assert!(ev.iter().all(|e| e.start_s < 34.0 || e.start_s > 59.0));
}

#[test]
fn real_change_of_direction_mid_set_is_counted_fully() {
    // Five reps one way, a pause, five the other way: the first of the new way is held
    // until the second confirms it, then both count.
    let f = |t: f64| reps(5, 0.8, 2.0, 0.5, 1.0)(t) - reps(5, 0.8, 2.0, 0.5, 17.0)(t);
    let rec = Imu::default().record(31.0, f);
    let ev = count_imu(&rec);
    assert_eq!(ev.len(), 10);
    // Reported in order, the held one just before the one that confirmed it.
    assert!(ev.windows(2).all(|w| w[0].start_s < w[1].start_s));
    assert!(ev.iter().enumerate().all(|(i, e)| e.index == i as u32));
    // The same without a pause (the next rep on time, the other way): counted at once.
    let f = |t: f64| reps(5, 0.8, 2.0, 0.5, 1.0)(t) - reps(5, 0.8, 2.0, 0.5, 13.5)(t);
    let rec = Imu::default().record(27.0, f);
    assert_eq!(count_imu(&rec).len(), 10);
    // Four one way, then alternating at the same pace: the first movement the other way
    // comes on time, so it counts at once, and so does every one after it.
    let list: Vec<(f64, f64, f64)> = (0..10)
        .map(|i| {
            let sign = if i >= 4 && i % 2 == 0 { -1.0 } else { 1.0 };
            (1.0 + 3.0 * i as f64, sign * 0.8, 2.0)
        })
        .collect();
    let rec = Imu::default().record(33.0, moves(list));
    assert_eq!(count_imu(&rec).len(), 10);
    // Slow, small, tremulous reps with uneven rests, the direction changed after a pause.
    let imu = Imu {
        tremor: Some((0.1, 6.0)),
        ..Imu::default()
    };
    let list: Vec<(f64, f64, f64)> = (0..10)
        .map(|i| {
            let start = 2.0 + 5.0 * i as f64 + if i >= 5 { 6.0 } else { 0.0 };
            let sign = if i >= 5 { -1.0 } else { 1.0 };
            (
                start,
                sign * (0.3 + 0.03 * (i % 3) as f64),
                3.5 + 0.3 * (i % 2) as f64,
            )
        })
        .collect();
    let rec = imu.record(62.0, moves(list));
    assert_eq!(count_imu(&rec).len(), 10);
}

#[test]
fn held_movement_at_the_end_of_a_set_counts_if_it_looks_like_a_rep() {
    // Five reps one way, a pause, then one last rep the other way, the same size and speed:
    // nothing comes after it to confirm it, but it looks like the set's reps: it counts.
    let set = |t: f64| reps(5, 0.8, 2.0, 0.5, 1.0)(t);
    let f = move |t: f64| set(t) - reps(1, 0.8, 2.0, 0.0, 17.0)(t);
    let rec = Imu::default().record(21.0, f);
    assert_eq!(count_imu(&rec).len(), 6);
    // Lowering the arm halfway the other way to end the set: not a rep.
    let f = move |t: f64| set(t) - reps(1, 0.35, 2.0, 0.0, 17.0)(t);
    let rec = Imu::default().record(21.0, f);
    assert_eq!(count_imu(&rec).len(), 5);
}

#[test]
fn alternating_sides_count_every_movement() {
    // Side bends done left, right, left, ...: eight movements, eight reps.
    let f = |t: f64| {
        let k = ((t - 1.0) / 3.0).floor();
        let r = reps(1, 0.9, 2.0, 0.0, 1.0 + 3.0 * k.max(0.0))(t);
        if (k as i64) % 2 == 0 {
            r
        } else {
            -r
        }
    };
    let rec = Imu::default().record(1.0 + 8.0 * 3.0 + 1.0, f);
    assert_eq!(count_imu(&rec).len(), 8);
}

#[test]
fn movement_that_changes_direction_is_counted_throughout() {
    // Four repetitions one way, a pause, then four the other way: all count.
    let f = |t: f64| reps(4, 0.9, 2.0, 1.0, 1.0)(t) - reps(4, 0.9, 2.0, 1.0, 16.0)(t);
    let rec = Imu::default().record(30.0, f);
    assert_eq!(count_imu(&rec).len(), 8);
}

#[test]
fn long_circling_without_rest_keeps_a_continuous_angle() {
    // Eight slow circles of 1 rad about an axis that itself turns (a pendulum): the angle
    // read about the found axis must not slip by a turn as the orientation accumulates.
    let mut c = RepCounter::new(CounterConfig::default(), None);
    let (mut t, mut x) = (Vec::new(), Vec::new());
    let dt = 0.02;
    for i in 0..(40.0 / dt) as usize {
        let s = i as f64 * dt;
        let w = 2.0 * std::f64::consts::PI / 2.5;
        let r = if s < 2.0 {
            0.0
        } else {
            (w * (s - 2.0)).cos() * 1.2
        };
        let q = if s < 2.0 {
            0.0
        } else {
            (w * (s - 2.0)).sin() * 0.6
        };
        t.push(s);
        x.extend_from_slice(&[0.0, 0.0, 9.81, r as f32, q as f32, 0.3 * r as f32]);
    }
    let mut out = Vec::new();
    let mut last = 0.0f64;
    for (tb, xb) in t.chunks(5).zip(x.chunks(30)) {
        c.push_imu(tb, xb, &mut out).unwrap();
        let p = c.position();
        assert!((p - last).abs() < 1.0, "angle jumped from {last} to {p}");
        last = p;
    }
}

#[test]
fn travel_with_little_turn_is_counted_on_the_accelerometer() {
    // An upright row: the hand rises 35 cm and comes back while the wrist turns 0.3 rad there
    // and back twice per repetition.
    let rec = crate::sim::body::upright_row(12, |_| 0.35, 0.3).record(&Default::default());
    let mut c = RepCounter::new(CounterConfig::default(), None);
    let out = push_set(&mut c, &rec);
    // The rotation alone sees two movements per repetition; once the travel channel has
    // shown one movement for every two, counting moves to it, and the halves reported
    // until then are made good: the set's count comes out true.
    assert!(c.counts_travel(), "counting stayed on the rotation");
    assert_eq!(out.len(), 12);
    // Every reported movement is a real one in time: none starts before the set did.
    assert!(out
        .iter()
        .all(|e| e.start_s >= 1.5 && e.end_s <= 2.0 + 12.0 * 1.8 + 1.0));
    // Counted on the travel channel, amplitudes are metres of hand travel.
    let last = out.last().expect("reps");
    assert!(
        last.travel && (0.15..0.4).contains(&last.amplitude),
        "{last:?}"
    );
}

#[test]
fn rotation_reps_stay_on_the_rotation() {
    // Ordinary rotation reps move gravity's projection as much as they turn: the rotation
    // never splits them and the counter never leaves it.
    for amp in [0.3, 1.0, 2.0] {
        let rec = Imu::default().record(40.0, reps(10, amp, 2.5, 0.5, 2.0));
        let mut c = RepCounter::new(CounterConfig::default(), None);
        assert_eq!(push_set(&mut c, &rec).len(), 10, "amplitude {amp}");
        assert!(!c.counts_travel(), "amplitude {amp}");
    }
}

#[test]
fn reference_range_follows_counting_to_the_accelerometer() {
    // A reference set on the rotation keeps its meaning when counting moves to the travel
    // channel: full repetitions stay reps, and the last four, which travel half as far,
    // are attempts (in radians against metres, every movement would pass).
    let rise = |k: usize| if k >= 10 { 0.17 } else { 0.35 };
    let rec = crate::sim::body::upright_row(14, rise, 0.3).record(&Default::default());
    let mut c = RepCounter::new(CounterConfig::default(), None);
    c.set_reference_range(0.25).expect("valid reference");
    let out = push_set(&mut c, &rec);
    assert!(c.counts_travel());
    let reference = c.reference_range().expect("kept");
    assert!(
        reference > 0.25,
        "reference {reference} not moved to metres"
    );
    assert_eq!(out.len(), 14);
    let kinds: Vec<RepKind> = out.iter().map(|e| e.kind).collect();
    assert!(kinds[..10].iter().all(|&k| k == RepKind::Rep), "{out:?}");
    // The first shorter repetition is measured partly from the band-limited displacement's
    // swing after the last full one; the three after it are attempts.
    assert!(
        kinds[11..].iter().all(|&k| k == RepKind::Attempt),
        "{out:?}"
    );
}

#[test]
fn impossible_values_and_time_jumps_are_refused() {
    let mut c = RepCounter::new(CounterConfig::default(), None);
    let mut out = Vec::new();
    // A finite but impossible acceleration (3e38 m/s²) and rotation rate.
    let huge = [0.0, 0.0, 3.0e38, 0.0, 0.0, 0.0];
    assert!(matches!(
        c.push_imu(&[0.0], &huge, &mut out),
        Err(CountingError::ImplausibleValue { index: 0, .. })
    ));
    let spin = [0.0, 0.0, 9.8, 0.0, 150.0, 0.0];
    assert!(matches!(
        c.push_imu(&[0.0], &spin, &mut out),
        Err(CountingError::ImplausibleValue { index: 0, limit }) if limit == 100.0
    ));
    let mut s = RepCounter::new(CounterConfig::default(), None);
    assert!(matches!(
        s.push_scalar(&[0.0], &[2.0e6], &mut out),
        Err(CountingError::ImplausibleValue { .. })
    ));
    // Two samples a day apart in one batch, and t, t + 1e300: refused, whatever the size.
    let two = [0.0, 0.0, 9.8, 0.0, 0.0, 0.0, 0.0, 0.0, 9.8, 0.0, 0.0, 0.0];
    for t in [[0.0, 1.0e7], [5.0, 1.0e300]] {
        let err = c.push_imu(&t, &two, &mut out).unwrap_err();
        assert!(
            matches!(err, CountingError::TimeJump { index: 1, .. }),
            "{err}"
        );
        assert!(err.to_string().contains("time jumps"), "{err}");
    }
    // Nothing was taken in: the counter still starts fresh.
    assert_eq!(c.rep_count(), 0);
    c.push_imu(&[0.0, 0.02], &two, &mut out)
        .expect("a plausible batch");
}

#[test]
fn a_long_gap_ends_the_movement_in_progress() {
    // Out 0.8 rad over 1.25 s; the stream stops for 5 s; then the way back. Joined, the two
    // halves would be one repetition; with a hole between them they are not one movement.
    let imu = Imu::default();
    let (t, x) = imu.record(12.0, reps(1, 0.8, 2.5, 0.0, 2.0));
    let cut = t.iter().position(|&ti| ti > 3.25).unwrap();
    let whole = count_imu(&(t.clone(), x.clone()));
    assert_eq!(whole.len(), 1, "{whole:?}");
    let later: Vec<f64> = t[cut..].iter().map(|ti| ti + 5.0).collect();
    let mut c = RepCounter::new(CounterConfig::default(), None);
    let mut out = Vec::new();
    for (tb, xb) in t[..cut].chunks(5).zip(x[..6 * cut].chunks(30)) {
        c.push_imu(tb, xb, &mut out).unwrap();
    }
    for (tb, xb) in later.chunks(5).zip(x[6 * cut..].chunks(30)) {
        c.push_imu(tb, xb, &mut out).unwrap();
    }
    c.finish(&mut out);
    assert!(out.is_empty(), "{out:?}");
}

/// A single movement of `amp` rad out and back over `dur` s, from `start` s.
fn bump(amp: f64, dur: f64, start: f64) -> impl Fn(f64) -> f64 {
    move |t| {
        let u = (t - start) / dur;
        if (0.0..1.0).contains(&u) {
            amp * 0.5 * (1.0 - (2.0 * std::f64::consts::PI * u).cos())
        } else {
            0.0
        }
    }
}

#[test]
fn fidgets_in_a_pause_do_not_count_and_the_set_goes_on_after_it() {
    // Eight reps, a 20 s rest with three fidgets (a fifth of a rep's size, irregular), then
    // eight reps of another pace and size (the next part of the exercise). The reps after
    // the rest count, the fidgets do not.
    let fidgets =
        |t: f64| bump(0.12, 0.8, 32.0)(t) + bump(0.1, 1.5, 37.0)(t) + bump(0.12, 0.9, 44.0)(t);
    let f =
        move |t: f64| reps(8, 0.6, 3.0, 1.0, 2.0)(t) + fidgets(t) + reps(8, 1.0, 1.6, 0.8, 50.0)(t);
    for rate_hz in [25.0, 50.0, 100.0] {
        let rec = Imu {
            rate_hz,
            ..Imu::default()
        }
        .record(75.0, f);
        let out = count_imu(&rec);
        assert_eq!(out.len(), 16, "{rate_hz} Hz: {out:?}");
        assert!(
            out.iter().all(|e| e.start_s < 31.0 || e.start_s > 49.0),
            "{out:?}"
        );
    }
    // The same rest at the end of the set: the fidgets after it do not count, one more
    // rep like the set's does (a survivor's last effort after a rest).
    let end = move |t: f64| reps(8, 0.6, 3.0, 1.0, 2.0)(t) + fidgets(t);
    let last = move |t: f64| reps(8, 0.6, 3.0, 1.0, 2.0)(t) + bump(0.55, 3.2, 45.0)(t);
    for rate_hz in [25.0, 50.0] {
        let imu = Imu {
            rate_hz,
            ..Imu::default()
        };
        assert_eq!(count_imu(&imu.record(55.0, end)).len(), 8, "{rate_hz} Hz");
        assert_eq!(count_imu(&imu.record(55.0, last)).len(), 9, "{rate_hz} Hz");
    }
}

/// A smooth path through `knots` (time s, angle rad): a half cosine from each to the next,
/// flat before the first and after the last.
fn path(knots: Vec<(f64, f64)>) -> impl Fn(f64) -> f64 {
    move |t| {
        let next = knots.iter().position(|&(kt, _)| kt > t);
        match next {
            None => knots.last().map_or(0.0, |k| k.1),
            Some(0) => knots[0].1,
            Some(i) => {
                let ((t0, a0), (t1, a1)) = (knots[i - 1], knots[i]);
                let u = (t - t0) / (t1 - t0);
                a0 + (a1 - a0) * 0.5 * (1.0 - (std::f64::consts::PI * u).cos())
            }
        }
    }
}

#[test]
fn a_wind_up_before_the_first_repetition_is_none_and_turns_none_inside_out() {
    // Ten repetitions of 1 rad, one after another, each swinging back 0.35 rad past rest
    // before the next, the last coming back to rest; begun with a wind-up, 0.2 rad the
    // other way (a PT recording's second block). Counted from the wind-up's side, the set
    // ran from the top of each repetition to the top of the next: the wind-up was one, and
    // the last repetition, whose return stops at rest, never came back far enough.
    let mut knots = vec![(0.0, 0.0), (2.0, 0.0), (2.6, -0.2)];
    for k in 0..10 {
        let t = 4.1 + 3.0 * f64::from(k);
        knots.extend([(t, 1.0), (t + 1.5, -0.35)]);
    }
    knots.push((34.6, 0.0));
    let f = path(knots);
    for rate_hz in [25.0, 50.0, 100.0] {
        let rec = Imu {
            rate_hz,
            ..Imu::default()
        }
        .record(40.0, &f);
        let out = count_imu(&rec);
        assert_eq!(out.len(), 10, "{rate_hz} Hz: {out:?}");
        assert!(
            out.iter().all(|e| e.amplitude > 0.9),
            "{rate_hz} Hz: {out:?}"
        );
    }
}

#[test]
fn a_fidget_in_the_rhythm_of_the_repetitions_after_a_pause_does_not_lead_into_them() {
    // Eight repetitions, a 24 s rest, eight more. Three seconds before the second eight
    // (one repetition's period) the hand shifts by a fifth of a repetition: in their rhythm
    // by chance, but a movement the detector would not have seen beside them.
    let f = |t: f64| {
        reps(8, 1.0, 2.0, 1.0, 2.0)(t) + bump(0.2, 1.0, 47.0)(t) + reps(8, 1.0, 2.0, 1.0, 50.0)(t)
    };
    for rate_hz in [25.0, 50.0, 100.0] {
        let rec = Imu {
            rate_hz,
            ..Imu::default()
        }
        .record(78.0, f);
        let out = count_imu(&rec);
        assert_eq!(out.len(), 16, "{rate_hz} Hz: {out:?}");
    }
}

#[test]
fn swings_about_a_posture_after_a_raise_are_the_repetitions_whatever_their_number() {
    // The arm raised 1.4 rad, three swings of 0.4 rad down from there, then lowered. The
    // swings make the raised arm the rest; the raise is no repetition. (The swings' path
    // into `Returning` kept the raise's "from rest": the wind-up rule then fired on stale
    // levels, counted the raise and lost the third swing.)
    let f = move |t: f64| {
        let u = (t - 3.0) / 1.3;
        let swing = if (0.0..3.0).contains(&u) {
            0.4 * 0.5 * (1.0 - (2.0 * std::f64::consts::PI * u.fract()).cos())
        } else {
            0.0
        };
        1.4 * ease(t - 1.0) * (1.0 - ease((t - 4.0 - 1.3 * 3.0) / 1.5)) - swing
    };
    for rate_hz in [25.0, 50.0, 100.0] {
        let out = count_imu(
            &Imu {
                rate_hz,
                ..Imu::default()
            }
            .record(15.9, f),
        );
        assert_eq!(out.len(), 3, "{rate_hz} Hz: {out:?}");
        assert!(
            out.iter().all(|e| e.start_s > 2.0 && e.amplitude < 0.6),
            "{rate_hz} Hz: {out:?}"
        );
    }
}

#[test]
fn a_set_of_one_repetition_cut_on_its_way_back_counts_it() {
    // One repetition, the recording ending when it has come 30% of the way back: the
    // detector's first movement of all waits for its return to end, and the end of the set
    // is its end.
    let f = |t: f64| ease(t - 2.0) - 0.3 * ease((t - 3.5) / 0.5);
    for rate_hz in [25.0, 50.0, 100.0] {
        let rec = Imu {
            rate_hz,
            ..Imu::default()
        }
        .record(4.2, f);
        assert_eq!(count_imu(&rec).len(), 1, "{rate_hz} Hz");
    }
    let t: Vec<f64> = (0..420).map(|i| f64::from(i) * 0.01).collect();
    let v: Vec<f32> = t.iter().map(|&t| 10.0 * f(t) as f32).collect();
    assert_eq!(count_scalar(&t, &v, None).len(), 1);
}

#[test]
fn a_reset_keeps_a_scalar_counters_floors() {
    // A scalar stream (a force, in its own units) with repetitions of 0.03: counted before a
    // reset and after it (the limits were rebuilt for radians by the reset: 0 after).
    let f = reps(8, 0.03, 2.0, 1.0, 3.0);
    let t: Vec<f64> = (0..3000).map(|i| f64::from(i) * 0.01).collect();
    let v: Vec<f32> = t.iter().map(|&t| f(t) as f32).collect();
    let mut c = RepCounter::new(CounterConfig::default(), None);
    let mut out = Vec::new();
    c.push_scalar(&t, &v, &mut out).expect("valid");
    c.finish(&mut out);
    assert_eq!(out.len(), 8);
    let floor = c.floor();
    c.reset();
    assert_eq!(c.floor(), floor);
    let later: Vec<f64> = t.iter().map(|t| t + 30.0).collect();
    let mut out = Vec::new();
    c.push_scalar(&later, &v, &mut out).expect("valid");
    c.finish(&mut out);
    assert_eq!(out.len(), 8);
}
