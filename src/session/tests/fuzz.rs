//! Fuzzing the session's calls with hostile numbers (NaN, infinities, 1e300,
//! huge jumps, time going backwards, wrong lengths) in random orders: no call
//! panics, every failure is a typed error, a session can always be stopped,
//! and the database holds exactly the reps, attempts and blocks reported.
//!
//! `cargo test` runs a fixed-seed sample; `scripts/fuzz.sh session` runs the
//! ignored [`session_calls_long_run`] for as many cases as asked.

use super::*;
use crate::clock::Clock;
use proptest::prelude::*;
use proptest::strategy::ValueTree;
use proptest::test_runner::{Config, RngAlgorithm, TestCaseError, TestRng, TestRunner};

/// One timestamp, relative to the case's sample clock.
#[derive(Debug, Clone, Copy)]
enum Time {
    /// The next sample: the clock moves on by this many seconds.
    Next(f64),
    /// The clock jumps ahead by this many seconds.
    Jump(f64),
    /// This many seconds before the last time given.
    Back(f64),
    /// An absolute value (NaN, infinities, 1e300, limits).
    Abs(f64),
}

#[derive(Debug, Clone)]
enum Op {
    Imu {
        times: Vec<Time>,
        values: Vec<f32>,
        right_length: bool,
    },
    Scalar {
        times: Vec<Time>,
        values: Vec<f32>,
        right_length: bool,
    },
    Tap(Time),
    /// Plausible input for the block under way (a slow sine of this amplitude
    /// for this many samples at 50 Hz, or a tap), so that cases count reps.
    Wave(usize, f32),
    Begin,
    Pause,
    Resume,
    Skip,
    Stop,
    Tick(u32),
}

#[derive(Debug, Clone)]
struct Case {
    blocks: Vec<(usize, u32, u32)>,
    ops: Vec<Op>,
}

const EXERCISES: [&str; 3] = [
    "index_finger_tap",
    "grip_squeeze",
    "elbow_flexion_extension",
];

fn time() -> impl Strategy<Value = Time> {
    prop_oneof![
        12 => (0.001..0.03f64).prop_map(Time::Next),
        1 => (2.0..1e8f64).prop_map(Time::Jump),
        1 => (0.0..5.0f64).prop_map(Time::Back),
        1 => prop::sample::select(vec![
            f64::NAN,
            f64::INFINITY,
            f64::NEG_INFINITY,
            1e300,
            -1e300,
            f64::MAX,
            f64::MIN,
            1e10,
            1e10 + 1.0,
            -1e10,
            9.3e15,
            0.0,
            -0.0,
        ])
        .prop_map(Time::Abs),
    ]
}

fn value() -> impl Strategy<Value = f32> {
    prop_oneof![
        20 => -20.0..20.0f32,
        1 => prop::sample::select(vec![
            f32::NAN,
            f32::INFINITY,
            f32::NEG_INFINITY,
            3e38,
            -3e38,
            1e30,
            f32::MIN_POSITIVE,
        ]),
    ]
}

fn op() -> impl Strategy<Value = Op> {
    let batch = || {
        (
            prop::collection::vec(time(), 0..12),
            prop::collection::vec(value(), 0..72),
            prop::bool::weighted(0.9),
        )
    };
    prop_oneof![
        8 => batch().prop_map(|(times, values, right_length)| Op::Imu { times, values, right_length }),
        8 => batch().prop_map(|(times, values, right_length)| Op::Scalar { times, values, right_length }),
        6 => time().prop_map(Op::Tap),
        12 => (5usize..25, 0.1f32..2.0).prop_map(|(n, a)| Op::Wave(n, a)),
        2 => Just(Op::Begin),
        1 => Just(Op::Pause),
        1 => Just(Op::Resume),
        1 => Just(Op::Skip),
        1 => Just(Op::Stop),
        2 => (0u32..5_000).prop_map(Op::Tick),
    ]
}

fn case() -> impl Strategy<Value = Case> {
    (
        prop::collection::vec((0..EXERCISES.len(), 1u32..4, 0u32..3), 1..4),
        prop::collection::vec(op(), 0..64),
    )
        .prop_map(|(blocks, ops)| Case { blocks, ops })
}

/// A store on a RAM disk where there is one: a case commits a dozen fsyncs.
fn fuzz_fixture() -> Fixture {
    let dir = std::path::Path::new("/dev/shm");
    let dir = if dir.is_dir() {
        tempfile::tempdir_in(dir).unwrap()
    } else {
        tempfile::tempdir().unwrap()
    };
    fixture_in(dir)
}

/// Turns generated times into timestamps on a sample clock that starts at `t`.
fn resolve(times: &[Time], t: &mut f64) -> Vec<f64> {
    times
        .iter()
        .map(|&time| match time {
            Time::Next(dt) => {
                *t += dt;
                *t
            }
            Time::Jump(dt) => {
                *t += dt;
                *t
            }
            Time::Back(dt) => *t - dt,
            Time::Abs(x) => x,
        })
        .collect()
}

fn fit(values: &[f32], n: usize, right_length: bool) -> Vec<f32> {
    if !right_length || values.is_empty() {
        return values.to_vec();
    }
    values.iter().copied().cycle().take(n).collect()
}

/// Plays one case on the fixture's profile; `Err` says what broke.
fn run_case(f: &Fixture, case: &Case) -> std::result::Result<Ledger, TestCaseError> {
    let blocks = case
        .blocks
        .iter()
        .map(|&(e, reps, rest)| block(EXERCISES[e], reps, rest))
        .collect();
    // A day per case keeps the weeks that target adaptation reads short.
    f.clock.advance(86_400_000);
    let calibrations_before = stored_calibrations(f);
    let mut s = start(f, plan(blocks));
    let id = s.session_id();
    let mut ledger = Ledger::default();
    let mut t = 100.0;
    // How far sample time may carry the session past the wall clock: steps
    // between inputs closer than a gap are trusted (a replay may run faster
    // than real time, and each block starts a new sample timeline), each
    // counting at most one batch's span.
    let (mut ahead_s, mut last_s) = (0.0, f64::NAN);
    let mut note = |ts: &[f64]| {
        for &x in ts
            .iter()
            .filter(|x| x.abs() <= crate::session::MAX_ABS_TIME_S)
        {
            if x > last_s {
                ahead_s += (x - last_s).min(crate::session::MAX_BATCH_SPAN_S);
            }
            last_s = x;
        }
    };
    for op in &case.ops {
        let result = match op {
            Op::Imu {
                times,
                values,
                right_length,
            }
            | Op::Scalar {
                times,
                values,
                right_length,
            } => {
                let ts = resolve(times, &mut t);
                note(&ts);
                f.clock.advance(100);
                if matches!(op, Op::Imu { .. }) {
                    s.push_imu(&ts, &fit(values, ts.len() * 6, *right_length))
                } else {
                    s.push_scalar(&ts, &fit(values, ts.len(), *right_length))
                }
            }
            Op::Tap(time) => {
                let ts = resolve(std::slice::from_ref(time), &mut t);
                note(&ts);
                f.clock.advance(300);
                s.tap(ts[0])
            }
            Op::Wave(n, amplitude) => {
                let exercise = s
                    .plan()
                    .blocks
                    .get(s.block_index() as usize)
                    .map_or("", |b| b.exercise_id.as_str());
                let ts: Vec<f64> = (0..*n)
                    .map(|_| {
                        t += 0.02;
                        t
                    })
                    .collect();
                note(&ts);
                f.clock.advance(20 * *n as i64);
                // An angle (or force) of amplitude * (1 - cos) / 2 at 0.4 Hz.
                let w = 2.0 * std::f64::consts::PI * 0.4;
                match exercise {
                    "index_finger_tap" => s.tap(t),
                    "grip_squeeze" => {
                        let v: Vec<f32> = ts
                            .iter()
                            .map(|&x| 20.0 * amplitude * (1.0 - (w * x).cos() as f32) / 2.0)
                            .collect();
                        s.push_scalar(&ts, &v)
                    }
                    _ => {
                        let x: Vec<f32> = ts
                            .iter()
                            .flat_map(|&x| {
                                let speed =
                                    (f64::from(*amplitude) * w / 2.0 * (w * x).sin()) as f32;
                                [0.0, 0.0, 9.81, speed, 0.0, 0.0]
                            })
                            .collect();
                        s.push_imu(&ts, &x)
                    }
                }
            }
            Op::Begin => s.begin(),
            Op::Pause => s.pause(),
            Op::Resume => s.resume(),
            Op::Skip => s.skip(),
            Op::Stop => s.stop(),
            Op::Tick(ms) => {
                f.clock.advance(i64::from(*ms));
                s.tick()
            }
        };
        if let Err(e) = &result {
            // A typed error with a readable message.
            prop_assert!(!e.to_string().is_empty(), "{e:?}");
            prop_assert!(
                !matches!(e, SessionError::Store(_)),
                "{op:?}: a store error without any fault: {e}"
            );
        }
        ledger.take(&result);
        prop_assert_eq!(
            ledger.reps,
            stored_reps(f, id),
            "{:?} after {:?}",
            ledger,
            op
        );
    }
    if s.state() != SessionState::Finished {
        let stopped = s.stop();
        prop_assert!(stopped.is_ok(), "stop failed: {:?}", stopped);
        ledger.take(&stopped);
    }
    prop_assert_eq!(s.state(), SessionState::Finished);
    let stored = f.store.session(id).unwrap();
    let latest = f.clock.now_ms() + (ahead_s * 1000.0).ceil() as i64;
    prop_assert!(
        stored.ended_at_ms.unwrap() <= latest,
        "the session ends after {} (sample time allows {} s ahead): {:?}",
        latest,
        ahead_s,
        stored
    );
    prop_assert!(stored.active_ms <= stored.ended_at_ms.unwrap() - stored.started_at_ms);
    ledger.check(f, id, calibrations_before);
    Ok(ledger)
}

/// A runner whose cases follow from `seed` alone. XorShift: ChaCha,
/// unoptimized in a debug build, took a third of the time.
fn runner(cases: u32, seed: u64) -> TestRunner {
    let mut bytes = [0u8; 16];
    bytes[..8].copy_from_slice(&seed.to_le_bytes());
    bytes[8] = 1;
    runner_with(cases, TestRng::from_seed(RngAlgorithm::XorShift, &bytes))
}

fn runner_with(cases: u32, rng: TestRng) -> TestRunner {
    let config = Config {
        cases,
        failure_persistence: None,
        ..Config::default()
    };
    TestRunner::new_with_rng(config, rng)
}

fn env_u64(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

#[test]
fn session_calls_survive_hostile_input() {
    let cases = env_u64("PROPTEST_CASES", 150) as u32;
    let f = fuzz_fixture();
    let result = runner(cases, 16).run(&case(), |case| {
        // A failed case may leave its session active: close it for the next.
        let outcome = run_case(&f, &case).map(drop);
        if let Some(open) = f.store.unfinished_session(f.profile).unwrap() {
            f.store.abandon_session(open.id).unwrap();
        }
        outcome
    });
    if let Err(e) = result {
        panic!("{e}");
    }
}

/// Case 184 of ChaCha seed 1 (found by the long run): a counter movement with an
/// infinite peak speed, which the store refuses (issue 16, defect 8, fixed in
/// the counter apart). Retrying it held up every later call, `stop` included.
#[test]
fn a_movement_the_store_refuses_is_dropped_and_the_session_can_be_stopped() {
    let mut seed = [0u8; 32];
    seed[0] = 1;
    let mut runner = runner_with(1, TestRng::from_seed(RngAlgorithm::ChaCha, &seed));
    let strategy = case();
    let mut found = None;
    for _ in 0..=184 {
        found = Some(strategy.new_tree(&mut runner).unwrap().current());
    }
    let f = fuzz_fixture();
    if let Err(e) = run_case(&f, &found.unwrap()) {
        panic!("{e}");
    }
}

/// The long run: `FUZZ_CASES` cases (default 1,000,000) from `FUZZ_SEED`, every
/// case played to the end; prints executions and failures.
#[test]
#[ignore = "long: run by scripts/fuzz.sh session"]
fn session_calls_long_run() {
    let cases = env_u64("FUZZ_CASES", 1_000_000);
    let seed = env_u64("FUZZ_SEED", 1);
    let mut runner = runner(1, seed);
    let strategy = case();
    let started = std::time::Instant::now();
    let (mut failures, mut f) = (0u64, fuzz_fixture());
    // What the cases reached: reps and attempts stored, typed errors returned.
    let (mut reps, mut attempts, mut errors) = (0u64, 0u64, 0u64);
    std::panic::set_hook(Box::new(|_| {})); // failures are counted, not printed twice
    for n in 0..cases {
        if n % 2_000 == 0 {
            f = fuzz_fixture(); // a fresh, small file now and then
        }
        let case = strategy.new_tree(&mut runner).unwrap().current();
        let outcome =
            std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| run_case(&f, &case)));
        let failure = match outcome {
            Ok(Ok(ledger)) => {
                reps += u64::from(ledger.reps);
                attempts += u64::from(ledger.attempts);
                errors += ledger.errors as u64;
                None
            }
            Ok(Err(e)) => Some(e.to_string()),
            Err(panic) => Some(format!(
                "panic: {}",
                panic
                    .downcast_ref::<String>()
                    .map(String::as_str)
                    .or_else(|| panic.downcast_ref::<&str>().copied())
                    .unwrap_or("?")
            )),
        };
        if let Some(why) = failure {
            failures += 1;
            if failures <= 5 {
                println!("failure {failures} (case {n}): {why}\n  {case:?}");
            }
            f = fuzz_fixture();
        }
        if (n + 1) % 10_000 == 0 {
            println!(
                "session fuzz: {} executions, {failures} failures, {:.0} s",
                n + 1,
                started.elapsed().as_secs_f64()
            );
        }
    }
    let _ = std::panic::take_hook();
    println!(
        "session fuzz: {cases} executions, {failures} failures, seed {seed}, {:.0} s \
         ({reps} reps and {attempts} attempts stored, {errors} typed errors returned)",
        started.elapsed().as_secs_f64()
    );
    assert_eq!(failures, 0);
}
