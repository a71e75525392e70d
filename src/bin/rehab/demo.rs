//! `rehab demo`: plays a whole 30-minute session for a demo profile through the
//! real engine (plan, calibration, counting on realistic impaired motion, rests,
//! check-ins) into the local database, much faster than real time, then prints
//! the summary and the last 14 days. Each run adds the next day.

use crate::progress::Progress;
use rehab_core::clock::{Clock, ManualClock};
use rehab_core::counting::MIN_AMPLITUDE_RAD;
use rehab_core::model::{local_date, Side, Spasticity};
use rehab_core::progress::{self, DateRange};
use rehab_core::routine::{BodyRegion, Catalog, Motion, PlanGoal, PlanRequest, Signal};
use rehab_core::session::{plan_for_day, LiveSession, SessionEvent, SessionState};
use rehab_core::sim::{impaired_set_paced, ImuStream, Performer, Rng};
use rehab_core::store::{CheckInTiming, NewCheckIn, NewProfile, Store};
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Instant;

/// Options of `rehab demo`.
#[derive(clap::Args)]
pub struct DemoArgs {
    /// Database file (default: the user's data folder, rehab_core/rehab.db).
    #[arg(long)]
    db: Option<PathBuf>,
    /// Minutes of practice to plan.
    #[arg(long, default_value_t = 30)]
    minutes: u32,
    /// No progress bar.
    #[arg(long)]
    quiet: bool,
    /// Print `rep <id>` on stdout as each rep is stored (for crash tests).
    #[arg(long, hide = true)]
    trace_reps: bool,
}

/// The default database: `rehab.db` in the platform's data folder for the app, from
/// `directories` (Linux: `$XDG_DATA_HOME/rehab_core/`, else `~/.local/share/rehab_core/`;
/// macOS: `~/Library/Application Support/org.rehabcore.rehab_core/`); `./rehab_core/`
/// when there is no home folder.
pub fn default_db_path() -> PathBuf {
    directories::ProjectDirs::from("org", "rehabcore", "rehab_core")
        .map(|dirs| dirs.data_dir().to_path_buf())
        .unwrap_or_else(|| PathBuf::from("rehab_core"))
        .join("rehab.db")
}

pub fn run(args: DemoArgs) -> ExitCode {
    let path = args.db.clone().unwrap_or_else(default_db_path);
    if let Some(dir) = path.parent() {
        if let Err(e) = std::fs::create_dir_all(dir) {
            eprintln!("rehab demo: cannot create {}: {e}", dir.display());
            return ExitCode::FAILURE;
        }
    }
    match demo(&path, &args) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("rehab demo: {e}");
            ExitCode::FAILURE
        }
    }
}

type DynError = Box<dyn std::error::Error>;

/// The demo person's UTC offset (Madrid in winter).
const OFFSET_MIN: i32 = 60;

fn demo(path: &std::path::Path, args: &DemoArgs) -> Result<(), DynError> {
    let wall = Instant::now();
    let store = Arc::new(Store::open(path)?);
    let catalog = Catalog::embedded();
    let profile = match store.profiles()?.into_iter().find(|p| p.name == "Demo") {
        Some(p) => p,
        None => store.create_profile(
            &NewProfile {
                name: "Demo".into(),
                affected_side: Side::Left,
                time_zone: "Europe/Madrid".into(),
            },
            chrono::Utc::now().timestamp_millis(),
        )?,
    };
    // A session the last run left open (killed mid-way) is closed with what it had.
    if let Some(open) = store.unfinished_session(profile.id)? {
        store.abandon_session(open.id)?;
        outln!(
            "closed an interrupted session ({}) with the reps it had stored",
            open.id
        );
    }
    // The day after the last practised day, or today: each run adds a day.
    let facts = store.session_facts(profile.id, i64::MIN, i64::MAX)?;
    let today_local = local_date(chrono::Utc::now().timestamp_millis(), OFFSET_MIN);
    let day = facts
        .iter()
        .map(|f| local_date(f.started_at_ms, f.utc_offset_min))
        .max()
        .map_or(today_local, |d| d + chrono::Days::new(1));
    let day_index = facts.len() as u64;
    // 17:30 local on that day.
    let start_ms = day
        .and_hms_opt(17, 30, 0)
        .expect("valid time")
        .and_utc()
        .timestamp_millis()
        - i64::from(OFFSET_MIN) * 60_000;
    let clock = Arc::new(ManualClock::new(start_ms));

    let request = PlanRequest {
        level: 2,
        areas: vec![
            BodyRegion::Hand,
            BodyRegion::Wrist,
            BodyRegion::Forearm,
            BodyRegion::Elbow,
            BodyRegion::Shoulder,
        ],
        affected_side: profile.affected_side,
        goal: PlanGoal::Minutes {
            minutes: args.minutes,
        },
        prescriptions: Vec::new(),
        targets: Default::default(),
    };
    let plan = plan_for_day(&store, catalog, profile.id, day, &request)?;
    outln!(
        "RehabCore demo: {} on {day}, {} blocks, {} reps planned, ~{} min (database {})",
        profile.name,
        plan.blocks.len(),
        plan.total_reps,
        plan.est_total_s / 60,
        path.display()
    );

    let mut rng = Rng::new(0xDE30 + day_index);
    // Pain eases a little over the weeks of practice.
    let pain_before = (6u64.saturating_sub(day_index / 4)).max(2) as u8;
    let mut live = LiveSession::start(
        store.clone(),
        clock.clone(),
        catalog,
        profile.id,
        OFFSET_MIN,
        plan.clone(),
        "en",
    )?;
    store.record_check_in(&NewCheckIn {
        profile_id: profile.id,
        timing: CheckInTiming::BeforeSession {
            session_id: live.session_id(),
        },
        recorded_at_ms: clock.now_ms(),
        utc_offset_min: OFFSET_MIN,
        pain: Some(pain_before),
        spasticity: Some(Spasticity::OnePlus),
        effort: None,
        note: String::new(),
    })?;

    let mut events = live.begin()?;
    let mut tally = Tally {
        trace_reps: args.trace_reps,
        ..Tally::default()
    };
    tally.add(&events);
    let mut sensor_s = 0.0f64; // the phone's monotonic sensor clock
    let mut progress = Progress::new(plan.blocks.len(), args.quiet);
    while live.state() != SessionState::Finished {
        match live.state() {
            SessionState::Resting => {
                let until = live.rest_until_ms().unwrap_or(clock.now_ms());
                clock.set(until);
                sensor_s += 30.0;
                events = live.tick()?;
            }
            SessionState::Calibrating | SessionState::Exercising => {
                let block = &plan.blocks[live.block_index() as usize];
                let exercise = catalog.exercise(&block.exercise_id)?;
                let played_before = tally.movements_played;
                let index = live.block_index() as usize;
                // A few more movements than the target: the block ends at its target.
                let n = block.target_reps as usize + 6;
                match exercise.hint.signal {
                    Signal::Touch => {
                        play_taps(&mut live, &clock, &mut rng, n, &mut sensor_s, &mut tally)?
                    }
                    Signal::Imu => {
                        // The simulation plays rotations: a travel hint's floor is
                        // metres of hand travel, so the counter's own rotation floor
                        // stands in for it.
                        let floor = match exercise.hint.motion {
                            Some(Motion::Travel) => f64::from(MIN_AMPLITUDE_RAD),
                            _ => f64::from(exercise.hint.min_range),
                        };
                        let typical = floor * rng.range(2.5, 4.0);
                        let (lo, hi) = (
                            f64::from(exercise.hint.rep_s_min),
                            f64::from(exercise.hint.rep_s_max),
                        );
                        let movements = impaired_set_paced(
                            &mut rng,
                            n,
                            typical.max(0.35),
                            (lo, lo + 0.5 * (hi - lo)),
                            (0.3, 1.5),
                        );
                        let mut performer = Performer::default();
                        if let Some(axis) = exercise.hint.axis {
                            performer.axis = match axis {
                                rehab_core::routine::Axis::X => [0.97, 0.2, 0.1],
                                rehab_core::routine::Axis::Y => [0.1, 0.97, 0.2],
                                rehab_core::routine::Axis::Z => [0.2, 0.1, 0.97],
                            };
                        }
                        let stream =
                            ImuStream::new(performer, rng.range(0.0, 1e9) as u64, movements);
                        play_imu(&mut live, &clock, stream, &mut sensor_s, &mut tally, floor)?
                    }
                    Signal::GripForce | Signal::JointAngle => {
                        let peak = f64::from(exercise.hint.min_range) * rng.range(3.0, 5.0);
                        play_scalar(
                            &mut live,
                            &clock,
                            &mut rng,
                            n,
                            peak,
                            &mut sensor_s,
                            &mut tally,
                        )?
                    }
                }
                // What the plays returned is tallied as it happened; the person
                // who stopped before the target moves on.
                events = if counting(&live) {
                    live.skip()?
                } else {
                    Vec::new()
                };
                tally.played_per_block.resize(index + 1, 0);
                tally.played_per_block[index] = tally.movements_played - played_before;
            }
            SessionState::Planned => events = live.begin()?,
            SessionState::Paused => events = live.resume()?,
            SessionState::Finished => break,
        }
        tally.add(&events);
        progress.update(live.block_index() as usize, tally.reps, tally.attempts);
    }
    progress.finish();
    store.record_check_in(&NewCheckIn {
        profile_id: profile.id,
        timing: CheckInTiming::AfterSession {
            session_id: live.session_id(),
        },
        recorded_at_ms: clock.now_ms(),
        utc_offset_min: OFFSET_MIN,
        pain: Some(pain_before.saturating_sub(1)),
        spasticity: Some(Spasticity::One),
        effort: Some(5),
        note: "demo".into(),
    })?;

    let summary = live.summary();
    outln!();
    outln!("Session {} summary", summary.session_id);
    outln!(
        "  reps {}   attempts {}   active {:.1} min   total {:.1} min   plan completed: {}",
        summary.reps,
        summary.attempts,
        summary.active_minutes,
        summary.total_minutes,
        if summary.completed_plan { "yes" } else { "no" }
    );
    for r in &summary.exercises {
        let name = catalog
            .exercise_text(&r.exercise_id, "en")
            .map(|t| t.name)
            .unwrap_or_default();
        let played = tally
            .played_per_block
            .get(r.block_index as usize)
            .copied()
            .unwrap_or(0);
        outln!(
            "  {:>2}. {:<34} {:>3}/{:<3} reps {:>3} attempts of {:>3} movements  {:>4}s{}",
            r.block_index + 1,
            name,
            r.reps,
            r.target_reps,
            r.attempts,
            played,
            r.active_s,
            r.mean_amplitude
                .map(|a| format!("  range {a:.2}"))
                .unwrap_or_default()
        );
    }
    for reason in &tally.changes {
        outln!("  next time: {reason}");
    }
    outln!(
        "  counted {} movements (reps + attempts); the simulated person made {} clearly above the exercise's floor and {} within 20% of it (those may rightly not count)",
        tally.reps + tally.attempts,
        tally.movements_played,
        tally.below_floor
    );
    outln!("  {} events", tally.events);

    // The last 14 days.
    let range = DateRange::new(day - chrono::Days::new(13), day)?;
    let (from_ms, to_ms) = range.utc_window();
    let facts = store.session_facts(profile.id, from_ms, to_ms)?;
    let days = progress::daily_totals(&facts, range);
    let all = store.session_facts(profile.id, i64::MIN, i64::MAX)?;
    let streaks = progress::streaks(&all, day);
    outln!();
    outln!("Last 14 days");
    let max = days.iter().map(|d| d.reps).max().unwrap_or(1).max(1);
    for d in &days {
        let bar = "#".repeat((d.reps as usize * 40).div_ceil(max as usize));
        outln!(
            "  {} {:>4} reps {:>5.1} min  {bar}",
            d.date,
            d.reps,
            d.active_minutes
        );
    }
    outln!(
        "  streak: {} day(s) now, longest {} day(s)",
        streaks.current_days,
        streaks.longest_days
    );
    outln!(
        "demo finished in {:.1} s wall time",
        wall.elapsed().as_secs_f64()
    );
    Ok(())
}

#[derive(Default)]
struct Tally {
    trace_reps: bool,
    reps: u32,
    attempts: u32,
    events: usize,
    movements_played: usize,
    played_per_block: Vec<usize>,
    below_floor: usize,
    changes: Vec<String>,
}

impl Tally {
    fn add(&mut self, events: &[SessionEvent]) {
        self.events += events.len();
        for e in events {
            match e {
                SessionEvent::Rep { rep_id, .. } => {
                    self.reps += 1;
                    if self.trace_reps {
                        // Printed only once the rep is on disk; flushed at once.
                        let mut out = std::io::stdout().lock();
                        let _ = writeln!(out, "rep {rep_id}");
                        let _ = out.flush();
                    }
                }
                SessionEvent::Attempt { .. } => self.attempts += 1,
                SessionEvent::TargetsChanged {
                    exercise_id,
                    reason_text,
                    change,
                } => self.changes.push(format!(
                    "{exercise_id}: {} reps at {:.0}% of range ({reason_text})",
                    change.after.reps,
                    change.after.range_fraction * 100.0
                )),
                _ => {}
            }
        }
    }
}

fn advance_to(clock: &ManualClock, sensor_s: &mut f64, t: f64) {
    let dt = t - *sensor_s;
    if dt > 0.0 {
        clock.advance((dt * 1000.0).round() as i64);
        *sensor_s = t;
    }
}

/// Plays an IMU stream in 100 ms batches until the block ends or the stream does;
/// the events each batch returns are tallied as they come.
fn play_imu(
    live: &mut LiveSession,
    clock: &ManualClock,
    mut stream: ImuStream,
    sensor_s: &mut f64,
    tally: &mut Tally,
    floor: f64,
) -> Result<(), DynError> {
    let block = live.block_index();
    let offset = *sensor_s;
    let played = stream.movements().to_vec();
    let (mut t, mut x) = (Vec::with_capacity(32), Vec::with_capacity(192));
    while stream.next_batch(0.1, &mut t, &mut x) {
        for ts in t.iter_mut() {
            *ts += offset;
        }
        advance_to(clock, sensor_s, *t.last().expect("non-empty batch"));
        let ev = live.push_imu(&t, &x)?;
        tally.add(&ev);
        if live.block_index() != block || !counting(live) {
            break;
        }
    }
    // Truth: the movements that had ended by the time the block ended.
    let elapsed = stream.time_s();
    let mut start = 1.5;
    for m in &played {
        // The counter reports a movement once it is most of the way back.
        if start + 0.75 * m.duration_s <= elapsed {
            // Movements within 20% of the exercise's absolute floor are too
            // small to tell from tremor: the counter may rightly ignore them.
            if m.amplitude >= 1.2 * floor {
                tally.movements_played += 1;
            } else {
                tally.below_floor += 1;
            }
        }
        start += m.duration_s + m.pause_s;
    }
    *sensor_s += 0.5;
    Ok(())
}

/// Plays grip squeezes (or a joint angle) as a scalar signal at 50 Hz.
fn play_scalar(
    live: &mut LiveSession,
    clock: &ManualClock,
    rng: &mut Rng,
    n: usize,
    peak: f64,
    sensor_s: &mut f64,
    tally: &mut Tally,
) -> Result<(), DynError> {
    let block = live.block_index();
    let (mut t, mut v) = (Vec::new(), Vec::new());
    let mut time = *sensor_s + 1.0;
    let rest = 0.05 * peak;
    // Lead-in at rest.
    let mut schedule = vec![(time, 0.0, 0.0)];
    for i in 0..n {
        let fatigue = 1.0 - 0.3 * i as f64 / n as f64;
        let dur = rng.range(1.5, 3.5);
        schedule.push((time + 1.0, dur, peak * fatigue * rng.range(0.8, 1.2)));
        time += 1.0 + dur + rng.range(0.3, 1.2);
    }
    let end = time + 1.5;
    let mut s = *sensor_s;
    let mut k = 0;
    let mut done = 0;
    while s < end {
        while k + 1 < schedule.len() && s >= schedule[k + 1].0 {
            k += 1;
        }
        let (start, dur, amp) = schedule[k];
        let u = ((s - start) / dur.max(1e-3)).clamp(0.0, 1.0);
        let shape = if dur > 0.0 {
            0.5 * (1.0 - (2.0 * std::f64::consts::PI * u).cos())
        } else {
            0.0
        };
        let value = rest + amp * shape + 0.01 * peak * rng.range(-1.0, 1.0);
        t.push(s);
        v.push(value as f32);
        if dur > 0.0 && u >= 0.75 && k > done {
            done = k;
            tally.movements_played += 1;
        }
        if t.len() == 5 {
            advance_to(clock, sensor_s, s);
            let ev = live.push_scalar(&t, &v)?;
            tally.add(&ev);
            t.clear();
            v.clear();
            if live.block_index() != block || !counting(live) {
                break;
            }
        }
        s += 0.02 * (1.0 + 0.1 * rng.range(-1.0, 1.0));
    }
    *sensor_s = s + 0.5;
    Ok(())
}

/// Taps at an uneven pace.
fn play_taps(
    live: &mut LiveSession,
    clock: &ManualClock,
    rng: &mut Rng,
    n: usize,
    sensor_s: &mut f64,
    tally: &mut Tally,
) -> Result<(), DynError> {
    let block = live.block_index();
    for _ in 0..n {
        let t = *sensor_s + rng.range(0.5, 2.0);
        advance_to(clock, sensor_s, t);
        let ev = live.tap(t)?;
        tally.movements_played += 1;
        tally.add(&ev);
        if live.block_index() != block || !counting(live) {
            break;
        }
    }
    Ok(())
}

fn counting(live: &LiveSession) -> bool {
    matches!(
        live.state(),
        SessionState::Calibrating | SessionState::Exercising
    )
}
