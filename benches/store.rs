//! Storage benchmark on five years of daily use (about 2,000 sessions and one
//! million reps): builds the database once (cached under the target folder),
//! then times each dashboard query, opening (and migrating), and making one
//! rep durable. Run with `cargo bench --bench store`; prints a table.
//! `REHAB_BENCH_REBUILD=1` forces a rebuild of the cached file.

use chrono::{Datelike, Duration, NaiveDate, Weekday as ChronoWeekday};
use rehab_core::clock::SystemClock;
use rehab_core::ffi::RehabCore;
use rehab_core::model::{
    DailyGoal, LocalDate, ScheduleSlot, Side, Spasticity, Weekday, WeeklySchedule,
};
use rehab_core::sim::Rng;
use rehab_core::store::{
    CheckInTiming, CompletedBlock, CompletedSession, Durability, NewBlock, NewCalibration,
    NewCheckIn, NewProfile, NewSession, RepRecord, Store,
};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration as StdDuration, Instant};

const DAYS: i64 = 5 * 365 + 1;
const EXERCISES: [&str; 6] = [
    "wrist_flexion",
    "wrist_extension",
    "elbow_flexion",
    "shoulder_abduction",
    "finger_tapping",
    "sit_to_stand",
];
const SCHEMA_V1: &str = include_str!("../tests/fixtures/schema_v1.sql");

fn first_day() -> NaiveDate {
    NaiveDate::from_ymd_opt(2021, 3, 1).unwrap()
}

fn last_day() -> NaiveDate {
    first_day() + Duration::days(DAYS - 1)
}

/// Madrid's offset on a date: +2 h between the last Sundays of March and
/// October, +1 h otherwise (changes at night, so a day is one or the other).
fn madrid_offset(date: NaiveDate) -> i32 {
    let last_sunday = |month: u32| {
        let mut d = NaiveDate::from_ymd_opt(date.year(), month + 1, 1).unwrap() - Duration::days(1);
        while d.weekday() != ChronoWeekday::Sun {
            d -= Duration::days(1);
        }
        d
    };
    if date >= last_sunday(3) && date < last_sunday(10) {
        120
    } else {
        60
    }
}

fn utc_ms(date: NaiveDate, hour: u32, minute: u32, offset_min: i32) -> i64 {
    date.and_hms_opt(hour, minute, 0)
        .unwrap()
        .and_utc()
        .timestamp_millis()
        - i64::from(offset_min) * 60_000
}

fn session_on(
    rng: &mut Rng,
    profile_id: i64,
    date: NaiveDate,
    hour: u32,
    day: i64,
) -> CompletedSession {
    let offset = madrid_offset(date);
    let start = utc_ms(date, hour, rng.below(60) as u32, offset);
    let progress = day as f64 / DAYS as f64; // slow improvement over the years
    let mut t = start + 60_000;
    let mut blocks = Vec::new();
    for b in 0..6 {
        let exercise = EXERCISES[(b + day as usize) % EXERCISES.len()];
        let n = 55 + rng.below(60) as usize;
        let block_start = t;
        let reps = (0..n)
            .map(|_| {
                let duration = 1_200 + rng.below(1_800) as i64;
                t += duration + 300 + rng.below(900) as i64;
                let amplitude = 20.0 + 25.0 * progress + 10.0 * rng.unit();
                RepRecord {
                    started_at_ms: t - duration,
                    ended_at_ms: t,
                    amplitude,
                    peak_speed: 30.0 + 40.0 * rng.unit(),
                    target_reached: amplitude > 30.0,
                }
            })
            .collect::<Vec<_>>();
        let active = t - block_start;
        blocks.push(CompletedBlock {
            exercise_id: exercise.into(),
            side: Side::Left,
            target_reps: Some(80),
            target_range: Some(30.0),
            started_at_ms: block_start,
            ended_at_ms: t,
            active_ms: active,
            reps,
            attempts: vec![],
        });
        t += 60_000;
    }
    CompletedSession {
        profile_id,
        started_at_ms: start,
        utc_offset_min: offset,
        ended_at_ms: t,
        active_ms: blocks.iter().map(|b| b.active_ms).sum(),
        plan_json: r#"{"plan":"daily"}"#.into(),
        blocks,
    }
}

fn build(path: &Path) -> (usize, usize) {
    let _ = std::fs::remove_file(path);
    let store = Store::open(path).unwrap();
    let p = store
        .create_profile(
            &NewProfile {
                name: "Five years".into(),
                affected_side: Side::Left,
                time_zone: "Europe/Madrid".into(),
            },
            utc_ms(first_day(), 9, 0, 60),
        )
        .unwrap()
        .id;
    let mut rng = Rng::new(0x5eed);
    let (mut sessions, mut reps) = (0, 0);
    for day in 0..DAYS {
        let date = first_day() + Duration::days(day);
        let offset = madrid_offset(date);
        if day % 30 == 0 {
            for exercise in EXERCISES {
                store
                    .record_calibration(&NewCalibration {
                        profile_id: p,
                        exercise_id: exercise.into(),
                        side: Side::Left,
                        recorded_at_ms: utc_ms(date, 8, 0, offset),
                        rest_noise: 0.4,
                        full_range: 30.0 + day as f64 / 100.0,
                    })
                    .unwrap();
            }
        }
        if day % 90 == 0 {
            let goal = DailyGoal {
                effective_from: date,
                reps: Some(400 + (day / 90) as u32 * 10),
                active_minutes: Some(20),
            };
            store
                .set_daily_goal(p, &goal, utc_ms(date, 8, 0, offset))
                .unwrap();
        }
        let practice = rng.below(100) < 92;
        let sittings = if !practice {
            0
        } else if rng.below(100) < 10 {
            2
        } else {
            1
        };
        for (i, hour) in [10u32, 18].into_iter().take(sittings).enumerate() {
            let s = session_on(&mut rng, p, date, hour, day + i as i64);
            reps += s.blocks.iter().map(|b| b.reps.len()).sum::<usize>();
            let stored = store.store_completed_session(&s).unwrap();
            sessions += 1;
            for (timing, at) in [
                (
                    CheckInTiming::BeforeSession {
                        session_id: stored.id,
                    },
                    s.started_at_ms,
                ),
                (
                    CheckInTiming::AfterSession {
                        session_id: stored.id,
                    },
                    s.ended_at_ms,
                ),
            ] {
                store
                    .record_check_in(&NewCheckIn {
                        profile_id: p,
                        timing,
                        recorded_at_ms: at,
                        utc_offset_min: offset,
                        pain: Some(rng.below(7) as u8),
                        spasticity: Some(
                            [Spasticity::One, Spasticity::OnePlus, Spasticity::Two]
                                [rng.below(3) as usize],
                        ),
                        effort: Some(3 + rng.below(5) as u8),
                        note: String::new(),
                    })
                    .unwrap();
            }
        }
    }
    let slot = |weekday| ScheduleSlot {
        weekday,
        hour: 10,
        minute: 0,
    };
    let schedule = WeeklySchedule {
        effective_from: first_day(),
        slots: vec![
            slot(Weekday::Monday),
            slot(Weekday::Wednesday),
            slot(Weekday::Friday),
        ],
    };
    store.set_weekly_schedule(p, &schedule, 0).unwrap();
    store
        .write(|tx| {
            tx.execute_batch("ANALYZE")?;
            Ok(())
        })
        .unwrap();
    drop(store);
    checkpoint(path);
    (sessions, reps)
}

/// Folds the WAL into the main file so the file size is the data size.
fn checkpoint(path: &Path) {
    let conn = rusqlite::Connection::open(path).unwrap();
    conn.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))
        .unwrap();
}

fn cached_database() -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("store-bench");
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(format!(
        "five_years_v{}.db",
        rehab_core::store::schema::VERSION
    ));
    let fresh = std::env::var_os("REHAB_BENCH_REBUILD").is_none()
        && Store::open(&path).ok().is_some_and(|s| {
            s.read(|c| Ok(c.query_row("SELECT count(*) FROM reps", [], |r| r.get::<_, i64>(0))?))
                .is_ok_and(|n| n > 900_000)
        });
    if !fresh {
        let started = Instant::now();
        eprint!("building {} ... ", path.display());
        let (sessions, reps) = build(&path);
        eprintln!(
            "{sessions} sessions, {reps} reps in {:.1} s",
            started.elapsed().as_secs_f64()
        );
    }
    path
}

/// A named dashboard query to time.
type Query<'a> = (&'static str, Box<dyn Fn() + 'a>);

struct Stats {
    median: StdDuration,
    p95: StdDuration,
    max: StdDuration,
}

fn time<T>(runs: usize, mut f: impl FnMut() -> T) -> Stats {
    for _ in 0..runs.div_ceil(10) {
        std::hint::black_box(f()); // warm caches and prepared statements
    }
    time_with_setup(runs, || (), |()| f())
}

/// Times `f` on inputs made by `setup` (not timed); results are dropped after
/// the clock stops.
fn time_with_setup<I, T>(
    runs: usize,
    mut setup: impl FnMut() -> I,
    mut f: impl FnMut(I) -> T,
) -> Stats {
    let mut times: Vec<StdDuration> = (0..runs)
        .map(|_| {
            let input = setup();
            let t = Instant::now();
            let out = std::hint::black_box(f(input));
            let elapsed = t.elapsed();
            drop(out);
            elapsed
        })
        .collect();
    times.sort();
    Stats {
        median: times[runs / 2],
        p95: times[(runs * 95 / 100).min(runs - 1)],
        max: times[runs - 1],
    }
}

fn row(name: &str, target: &str, s: &Stats) {
    let ms = |d: StdDuration| d.as_secs_f64() * 1000.0;
    println!(
        "| {name:<46} | {:>9.3} | {:>9.3} | {:>9.3} | {target:>7} |",
        ms(s.median),
        ms(s.p95),
        ms(s.max)
    );
}

fn main() {
    // `cargo bench` passes `--bench`; `cargo test --benches` runs this too: keep it short then.
    if std::env::args().all(|a| a != "--bench") {
        println!("store bench: run with `cargo bench --bench store`");
        return;
    }
    let path = cached_database();
    let bytes = std::fs::metadata(&path).unwrap().len();
    let store = Store::open(&path).unwrap();
    let (sessions, reps, check_ins): (i64, i64, i64) = store
        .read(|c| {
            Ok(c.query_row(
                "SELECT (SELECT count(*) FROM sessions), (SELECT count(*) FROM reps),
                        (SELECT count(*) FROM check_ins)",
                [],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
            )?)
        })
        .unwrap();
    drop(store);
    println!(
        "\ndatabase: {sessions} sessions, {reps} reps, {check_ins} check-ins over {DAYS} days; \
         {:.1} MB, {:.1} MB per year of daily use\n",
        bytes as f64 / 1e6,
        bytes as f64 / 1e6 / 5.0
    );
    println!(
        "| {:<46} | {:>9} | {:>9} | {:>9} | {:>7} |",
        "operation", "median ms", "p95 ms", "max ms", "target"
    );
    println!(
        "|{:-<48}|{:->11}|{:->11}|{:->11}|{:->9}|",
        "", "", "", "", ""
    );

    // Dashboard queries through the exported async API, as the app calls them.
    let core = Arc::new(
        RehabCore::open_with_clock(path.to_str().unwrap(), Arc::new(SystemClock)).unwrap(),
    );
    let rt = tokio::runtime::Builder::new_current_thread()
        .build()
        .unwrap();
    let today: LocalDate = last_day();
    let back = |days| today - Duration::days(days);
    let today_s = today;
    let p = 1;
    let queries: Vec<Query> = vec![
        (
            "daily totals, 7 days",
            Box::new(|| {
                rt.block_on(core.daily_totals(p, back(6), today_s)).unwrap();
            }),
        ),
        (
            "daily totals, 30 days",
            Box::new(|| {
                rt.block_on(core.daily_totals(p, back(29), today_s))
                    .unwrap();
            }),
        ),
        (
            "daily totals, 365 days",
            Box::new(|| {
                rt.block_on(core.daily_totals(p, back(364), today_s))
                    .unwrap();
            }),
        ),
        (
            "weekly totals, 12 weeks",
            Box::new(|| {
                rt.block_on(core.weekly_totals(p, back(83), today_s, Weekday::Monday))
                    .unwrap();
            }),
        ),
        (
            "weekly totals, 52 weeks",
            Box::new(|| {
                rt.block_on(core.weekly_totals(p, back(363), today_s, Weekday::Monday))
                    .unwrap();
            }),
        ),
        (
            "streaks (all 5 years)",
            Box::new(|| {
                rt.block_on(core.streaks(p, today_s)).unwrap();
            }),
        ),
        (
            "exercise trends, 90 days",
            Box::new(|| {
                rt.block_on(core.exercise_trends(p, back(89), today_s))
                    .unwrap();
            }),
        ),
        (
            "exercise trends, 365 days",
            Box::new(|| {
                rt.block_on(core.exercise_trends(p, back(364), today_s))
                    .unwrap();
            }),
        ),
        (
            "pain vs reps, 90 days",
            Box::new(|| {
                rt.block_on(core.pain_vs_reps(p, back(89), today_s))
                    .unwrap();
            }),
        ),
        (
            "adherence, 30 days",
            Box::new(|| {
                rt.block_on(core.adherence(p, back(29), today_s, today_s))
                    .unwrap();
            }),
        ),
        (
            "adherence, 365 days",
            Box::new(|| {
                rt.block_on(core.adherence(p, back(364), today_s, today_s))
                    .unwrap();
            }),
        ),
        (
            "unfinished session",
            Box::new(|| {
                rt.block_on(core.unfinished_session(p)).unwrap();
            }),
        ),
    ];
    for (name, q) in &queries {
        row(name, "5", &time(200, q));
    }
    drop(queries);
    drop(core);

    // Opening: the 5-year file (already current), and a v1 file upgraded to current.
    row(
        "open 5-year file (check in background)",
        "20",
        &time(30, || Store::open(&path).unwrap()),
    );
    // The integrity check: PRAGMA quick_check reads every page. On a file this
    // size `Store::open` runs it in the background (the row above) and the first
    // write waits for it; this is that wait from a cold start.
    row(
        "open + quick_check 5-year file",
        "20",
        &time(10, || {
            let store = Store::open(&path).unwrap();
            store.integrity_checked().unwrap();
            store
        }),
    );
    row(
        "quick_check alone, 5-year file",
        "-",
        &time(10, || {
            let c = rusqlite::Connection::open(&path).unwrap();
            c.query_row("PRAGMA quick_check(1)", [], |r| r.get::<_, String>(0))
                .unwrap()
        }),
    );
    let scratch = tempfile::tempdir().unwrap();
    let mut n = 0;
    row(
        "open + migrate v1 -> current (1 profile)",
        "20",
        &time_with_setup(
            30,
            || {
                n += 1;
                let v1 = scratch.path().join(format!("v1-{n}.db"));
                let c = rusqlite::Connection::open(&v1).unwrap();
                c.execute_batch(SCHEMA_V1).unwrap();
                // The v1 app left its files in WAL mode (a persistent setting).
                c.pragma_update(None, "journal_mode", "wal").unwrap();
                c.execute(
                    "INSERT INTO profiles (name, affected_side, time_zone, created_at_ms)
                     VALUES ('Ana', 'left', 'Europe/Madrid', 0)",
                    [],
                )
                .unwrap();
                v1
            },
            |v1| Store::open(&v1).unwrap(),
        ),
    );

    // One rep durable, on a copy of the 5-year file, at both durability levels.
    let copy = scratch.path().join("copy.db");
    std::fs::copy(&path, &copy).unwrap();
    let store = Store::open(&copy).unwrap();
    let session = store
        .create_session(&NewSession {
            profile_id: p,
            started_at_ms: utc_ms(today, 20, 0, 60),
            utc_offset_min: 60,
            plan_json: "{}".into(),
        })
        .unwrap();
    let block = store
        .start_block(
            session.id,
            &NewBlock {
                exercise_id: "wrist_flexion".into(),
                side: Side::Left,
                target_reps: Some(10),
                target_range: Some(30.0),
                started_at_ms: session.started_at_ms,
            },
        )
        .unwrap();
    let mut t = session.started_at_ms;
    let mut rep = || {
        t += 2_000;
        let r = RepRecord {
            started_at_ms: t - 1_500,
            ended_at_ms: t,
            amplitude: 31.0,
            peak_speed: 40.0,
            target_reached: true,
        };
        store.record_rep(block, &r).unwrap()
    };
    let milestones = time(500, &mut rep);
    store.set_durability(Durability::EveryCommit);
    let every = time(200, &mut rep);
    store.set_durability(Durability::Milestones);
    let mut t = session.started_at_ms + 10_000_000;
    let milestone = time(100, || {
        t += 1_000;
        let b = NewBlock {
            exercise_id: "wrist_flexion".into(),
            side: Side::Left,
            target_reps: Some(10),
            target_range: Some(30.0),
            started_at_ms: t,
        };
        store.start_block(session.id, &b).unwrap()
    });
    row(
        "record_rep, Durability::Milestones (default)",
        "1",
        &milestones,
    );
    row("record_rep, Durability::EveryCommit", "1", &every);
    row("a milestone commit (start_block, fsync)", "-", &milestone);
    println!();
}
