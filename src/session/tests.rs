use super::*;
use crate::clock::ManualClock;
use crate::model::Side;
use crate::routine::{BlockSource, Catalog, DailyPlan, PlannedBlock};
use crate::sim::{impaired_set, ImuStream, Movement, Performer, Rng};
use crate::store::{NewProfile, Store};
use std::sync::Arc;

const T0: i64 = 1_767_225_600_000; // 2026-01-01T00:00:00Z

struct Fixture {
    _dir: tempfile::TempDir,
    store: Arc<Store>,
    clock: Arc<ManualClock>,
    profile: i64,
}

fn fixture() -> Fixture {
    fixture_in(tempfile::tempdir().unwrap())
}

/// A profile in a new database in `dir`.
fn fixture_in(dir: tempfile::TempDir) -> Fixture {
    let store = Arc::new(Store::open(dir.path().join("s.db")).unwrap());
    let profile = store
        .create_profile(
            &NewProfile {
                name: "Ana".into(),
                affected_side: Side::Left,
                time_zone: "Europe/Madrid".into(),
            },
            T0,
        )
        .unwrap()
        .id;
    Fixture {
        _dir: dir,
        store,
        clock: Arc::new(ManualClock::new(T0)),
        profile,
    }
}

fn block(id: &str, reps: u32, rest: u32) -> PlannedBlock {
    PlannedBlock {
        exercise_id: id.into(),
        side: Side::Left,
        target_reps: reps,
        target_range_fraction: 0.7,
        setup_s: 0,
        est_duration_s: reps * 4,
        rest_after_s: rest,
        source: BlockSource::Generated,
    }
}

fn plan(blocks: Vec<PlannedBlock>) -> DailyPlan {
    let total_reps = blocks.iter().map(|b| b.target_reps).sum();
    DailyPlan {
        est_total_s: blocks
            .iter()
            .map(|b| b.est_duration_s + b.rest_after_s)
            .sum(),
        total_reps,
        blocks,
        over_budget: false,
    }
}

fn start(f: &Fixture, p: DailyPlan) -> LiveSession {
    LiveSession::start(
        f.store.clone(),
        f.clock.clone(),
        Catalog::embedded(),
        f.profile,
        60,
        p,
        "en",
    )
    .unwrap()
}

/// Plays `movements` into the session in 100 ms batches, moving the clock with
/// the samples; stops early when the block under way changes.
fn play(
    f: &Fixture,
    s: &mut LiveSession,
    movements: Vec<Movement>,
    seed: u64,
) -> Vec<SessionEvent> {
    let block = s.block_index();
    let mut stream = ImuStream::new(Performer::default(), seed, movements);
    let (mut t, mut x) = (Vec::new(), Vec::new());
    let mut events = Vec::new();
    let mut last = 0.0;
    while stream.next_batch(0.1, &mut t, &mut x) {
        let now = *t.last().unwrap();
        f.clock.advance(((now - last) * 1000.0) as i64);
        last = now;
        events.extend(s.push_imu(&t, &x).unwrap());
        if s.block_index() != block
            || s.state() != SessionState::Exercising && s.state() != SessionState::Calibrating
        {
            break;
        }
    }
    events
}

/// Picks up the profile's unfinished session, as the app does after a kill.
fn recover(f: &Fixture) -> LiveSession {
    let open = f
        .store
        .unfinished_session(f.profile)
        .unwrap()
        .expect("still active");
    resume(f, open).unwrap()
}

fn resume(f: &Fixture, session: crate::store::Session) -> Result<LiveSession, SessionError> {
    LiveSession::recover(
        f.store.clone(),
        f.clock.clone(),
        Catalog::embedded(),
        session,
        "en",
    )
}

/// What the calls reported, to compare with what the database holds.
#[derive(Debug, Default)]
struct Ledger {
    reps: u32,
    attempts: u32,
    blocks_started: usize,
    blocks_ended: usize,
    calibrations: usize,
    finished: bool,
    errors: usize,
}

impl Ledger {
    /// Notes what one call reported.
    fn take(&mut self, result: &std::result::Result<Vec<SessionEvent>, SessionError>) {
        let Ok(events) = result else {
            self.errors += 1;
            return;
        };
        for e in events {
            match e {
                SessionEvent::Rep { .. } => self.reps += 1,
                SessionEvent::Attempt { .. } => self.attempts += 1,
                SessionEvent::BlockStarted { .. } => self.blocks_started += 1,
                SessionEvent::BlockComplete { .. } => self.blocks_ended += 1,
                SessionEvent::Calibrated { .. } => self.calibrations += 1,
                SessionEvent::SessionFinished { .. } => self.finished = true,
                _ => {}
            }
        }
    }

    /// Panics unless the database holds exactly what the calls reported
    /// (`calibrations_before`: calibrations stored before the session).
    fn check(&self, f: &Fixture, session_id: i64, calibrations_before: usize) {
        let blocks = f.store.blocks(session_id).unwrap();
        let stored_attempts: u32 = blocks.iter().map(|b| b.attempts).sum();
        let ended = blocks.iter().filter(|b| b.ended_at_ms.is_some()).count();
        let status = f.store.session(session_id).unwrap().status;
        assert_eq!(self.reps, stored_reps(f, session_id), "reps: {self:?}");
        assert_eq!(self.attempts, stored_attempts, "attempts: {self:?}");
        assert_eq!(self.blocks_started, blocks.len(), "blocks: {self:?}");
        assert_eq!(self.blocks_ended, ended, "ended blocks: {self:?}");
        assert_eq!(
            self.calibrations,
            stored_calibrations(f) - calibrations_before,
            "calibrations: {self:?}"
        );
        assert_eq!(
            self.finished,
            status == crate::store::SessionStatus::Finished,
            "{self:?}"
        );
    }
}

fn stored_calibrations(f: &Fixture) -> usize {
    f.store
        .read(|c| {
            Ok(c.query_row("SELECT count(*) FROM calibrations", [], |r| {
                r.get::<_, i64>(0)
            })?)
        })
        .unwrap() as usize
}

fn count(events: &[SessionEvent], f: impl Fn(&SessionEvent) -> bool) -> usize {
    events.iter().filter(|e| f(e)).count()
}

fn stored_reps(f: &Fixture, session_id: i64) -> u32 {
    f.store
        .blocks(session_id)
        .unwrap()
        .iter()
        .map(|b| b.reps)
        .sum()
}

#[test]
fn a_two_block_session_counts_stores_rests_and_finishes() {
    let f = fixture();
    let mut s = start(
        &f,
        plan(vec![
            block("elbow_flexion_extension", 8, 30),
            block("index_finger_tap", 5, 0),
        ]),
    );
    assert_eq!(s.state(), SessionState::Planned);
    let ev = s.begin().unwrap();
    assert!(
        matches!(
            &ev[0],
            SessionEvent::BlockStarted {
                calibrating: true,
                target_reps: 8,
                ..
            }
        ),
        "{ev:?}"
    );
    assert_eq!(s.state(), SessionState::Calibrating);

    // Ten clear movements: the first three calibrate, the block ends at its 8th rep.
    let moves = (0..10)
        .map(|_| Movement {
            amplitude: 0.9,
            duration_s: 2.5,
            pause_s: 1.0,
        })
        .collect();
    let ev = play(&f, &mut s, moves, 1);
    assert_eq!(
        count(&ev, |e| matches!(e, SessionEvent::Calibrated { .. })),
        1,
        "{ev:?}"
    );
    assert_eq!(
        count(&ev, |e| matches!(e, SessionEvent::Rep { .. })),
        8,
        "{ev:?}"
    );
    assert_eq!(
        count(&ev, |e| matches!(
            e,
            SessionEvent::TargetReached { reps: 8, .. }
        )),
        1
    );
    assert!(ev.iter().any(|e| matches!(e, SessionEvent::RestStarted { seconds: 30, next_exercise_id } if next_exercise_id == "index_finger_tap")));
    assert_eq!(s.state(), SessionState::Resting);
    assert_eq!(
        stored_reps(&f, s.session_id()),
        8,
        "every rep shown is stored"
    );
    let cal = f
        .store
        .latest_calibration(f.profile, "elbow_flexion_extension", Side::Left)
        .unwrap();
    assert!(cal.is_some_and(|c| (c.values.full_range - 0.9).abs() < 0.3));

    // Samples during the rest are ignored; the rest ends when its time is up.
    assert!(s.tick().unwrap().is_empty());
    f.clock.advance(31_000);
    let ev = s.tick().unwrap();
    assert_eq!(ev[0], SessionEvent::RestOver);
    assert_eq!(
        s.state(),
        SessionState::Exercising,
        "touch needs no calibration"
    );

    // Taps: a bounce within 150 ms is one tap.
    let mut ev = Vec::new();
    for (i, t) in [0.0, 0.6, 0.65, 1.2, 1.9, 2.5].iter().enumerate() {
        f.clock.advance(if i == 0 { 0 } else { 500 });
        ev.extend(s.tap(*t).unwrap());
    }
    assert_eq!(count(&ev, |e| matches!(e, SessionEvent::Rep { .. })), 5);
    let summary = match ev.last() {
        Some(SessionEvent::SessionFinished { summary }) => summary.clone(),
        other => panic!("expected the session to finish, got {other:?}"),
    };
    assert_eq!(s.state(), SessionState::Finished);
    assert_eq!(summary.reps, 13);
    assert!(summary.completed_plan);
    assert_eq!(summary.exercises.len(), 2);
    assert!(summary.active_minutes > 0.3 && summary.active_minutes < summary.total_minutes);
    assert_eq!(stored_reps(&f, s.session_id()), 13);
    let stored = f.store.session(s.session_id()).unwrap();
    assert_eq!(stored.status, crate::store::SessionStatus::Finished);
    assert!(
        s.push_imu(&[0.0], &[0.0; 6]).is_err(),
        "a finished session takes no samples"
    );
}

#[test]
fn realistic_impaired_motion_is_counted_movement_for_movement() {
    let f = fixture();
    let mut rng = Rng::new(11);
    let moves = impaired_set(&mut rng, 25, 1.2);
    let truth = moves.len();
    let floor = f64::from(
        Catalog::embedded()
            .exercise("elbow_flexion_extension")
            .unwrap()
            .hint
            .min_range,
    );
    assert!(
        moves.iter().all(|m| m.amplitude > floor),
        "every movement is above the exercise's floor"
    );
    let mut s = start(&f, plan(vec![block("elbow_flexion_extension", 100, 0)]));
    s.begin().unwrap();
    let ev = play(&f, &mut s, moves, 5);
    let reps = count(&ev, |e| matches!(e, SessionEvent::Rep { .. }));
    let attempts = count(&ev, |e| matches!(e, SessionEvent::Attempt { .. }));
    let stop = s.stop().unwrap();
    let flushed = count(&stop, |e| {
        matches!(e, SessionEvent::Rep { .. } | SessionEvent::Attempt { .. })
    });
    let counted = reps + attempts + flushed;
    assert!(
        counted.abs_diff(truth) <= 1,
        "{reps} reps + {attempts} attempts + {flushed} vs {truth} movements"
    );
    assert!(
        attempts >= 1,
        "clearly short movements are attempts, not reps"
    );
}

#[test]
fn pause_ignores_samples_and_resume_continues() {
    let f = fixture();
    let mut s = start(&f, plan(vec![block("index_finger_tap", 10, 0)]));
    s.begin().unwrap();
    s.tap(0.0).unwrap();
    assert_eq!(
        s.pause().unwrap(),
        vec![SessionEvent::StateChanged {
            state: SessionState::Paused
        }]
    );
    assert!(
        s.tap(1.0).unwrap().is_empty(),
        "taps while paused do not count"
    );
    assert!(s.pause().is_err());
    s.resume().unwrap();
    assert_eq!(s.state(), SessionState::Exercising);
    s.tap(2.0).unwrap();
    assert_eq!(s.block_reps(), 2);
}

#[test]
fn skip_and_stop_close_blocks_early() {
    let f = fixture();
    let mut s = start(
        &f,
        plan(vec![
            block("index_finger_tap", 10, 20),
            block("index_finger_tap", 10, 0),
        ]),
    );
    s.begin().unwrap();
    s.tap(0.0).unwrap();
    let ev = s.skip().unwrap();
    let result = ev.iter().find_map(|e| match e {
        SessionEvent::BlockComplete { result } => Some(result.clone()),
        _ => None,
    });
    assert!(
        result.is_some_and(|r| r.stopped_early && r.reps == 1),
        "{ev:?}"
    );
    assert_eq!(s.state(), SessionState::Resting);
    s.skip().unwrap(); // skips the rest
    assert_eq!(s.state(), SessionState::Exercising);
    let ev = s.stop().unwrap();
    let Some(SessionEvent::SessionFinished { summary }) = ev.last() else {
        panic!("{ev:?}")
    };
    assert!(!summary.completed_plan);
    assert_eq!(summary.reps, 1);
    assert!(s.stop().is_err());
}

#[test]
fn a_crashed_session_is_recovered_with_every_stored_rep() {
    let f = fixture();
    let session_id = {
        let mut s = start(
            &f,
            plan(vec![
                block("index_finger_tap", 3, 0),
                block("index_finger_tap", 10, 0),
                block("index_finger_tap", 4, 0),
            ]),
        );
        s.begin().unwrap();
        for t in 0..3 {
            s.tap(f64::from(t)).unwrap();
        }
        for t in 10..14 {
            s.tap(f64::from(t)).unwrap();
        }
        s.session_id()
        // dropped here without stop(): as if the app was killed
    };
    let mut s = recover(&f);
    assert_eq!(s.session_id(), session_id);
    assert_eq!(s.reps(), 7, "3 + 4 reps survived");
    assert_eq!(s.block_index(), 2, "goes on with the third block");
    s.begin().unwrap();
    for t in 0..4 {
        s.tap(f64::from(t)).unwrap();
    }
    assert_eq!(s.state(), SessionState::Finished);
    let summary = s.summary();
    assert_eq!(summary.reps, 11);
    assert_eq!(summary.exercises[1].reps, 4);
    assert!(summary.exercises[1].stopped_early);
}

#[test]
fn bad_calls_get_typed_errors_and_store_nothing() {
    let f = fixture();
    let mut s = start(&f, plan(vec![block("elbow_flexion_extension", 5, 0)]));
    assert!(
        matches!(
            s.push_imu(&[0.0], &[0.0; 6]),
            Err(SessionError::WrongState {
                action: SessionAction::PushSamples,
                state: SessionState::Planned
            })
        ),
        "before begin"
    );
    s.begin().unwrap();
    assert!(
        matches!(
            s.tap(1.0),
            Err(SessionError::WrongInput {
                expected: Input::Samples,
                given: Input::Taps,
                ..
            })
        ),
        "taps on a motion exercise"
    );
    let nan = [0.0, 0.0, 9.8, f32::NAN, 0.0, 0.0];
    assert!(matches!(
        s.push_imu(&[0.0], &nan),
        Err(SessionError::Counting(_))
    ));
    assert!(matches!(
        s.push_imu(&[0.0, 0.02], &[0.0; 6]),
        Err(SessionError::Counting(_))
    ));
    assert_eq!(stored_reps(&f, s.session_id()), 0);
    let empty = LiveSession::start(
        f.store.clone(),
        f.clock.clone(),
        Catalog::embedded(),
        f.profile,
        0,
        plan(vec![]),
        "en",
    );
    assert!(matches!(empty, Err(SessionError::EmptyPlan)));
    let unknown = LiveSession::start(
        f.store.clone(),
        f.clock.clone(),
        Catalog::embedded(),
        f.profile,
        0,
        plan(vec![block("moonwalk", 5, 0)]),
        "en",
    );
    assert!(matches!(
        unknown,
        Err(SessionError::UnknownExercise { exercise_id }) if exercise_id == "moonwalk"
    ));
}

#[test]
fn each_refusal_is_its_own_typed_error_with_a_readable_message() {
    let f = fixture();
    let mut s = start(&f, plan(vec![block("index_finger_tap", 5, 0)]));
    let e = s.pause().unwrap_err();
    assert!(
        matches!(
            e,
            SessionError::WrongState {
                action: SessionAction::Pause,
                state: SessionState::Planned
            }
        ),
        "{e:?}"
    );
    assert_eq!(e.to_string(), "cannot pause while the session is Planned");
    s.begin().unwrap();
    s.tap(2.0).unwrap();
    let e = s.tap(1.0).unwrap_err();
    assert!(matches!(e, SessionError::TapBackwards { .. }), "{e:?}");
    assert_eq!(e.to_string(), "tap time goes backwards: 1 s after 2 s");
    let e = s.push_scalar(&[3.0], &[1.0]).unwrap_err();
    assert!(
        matches!(
            e,
            SessionError::WrongInput {
                expected: Input::Taps,
                given: Input::Samples,
                ..
            }
        ),
        "{e:?}"
    );
    assert_eq!(
        e.to_string(),
        "index_finger_tap is counted from taps, not sensor samples"
    );
    assert!(matches!(
        s.tap(f64::NAN),
        Err(SessionError::ImplausibleTime { index: 0, .. })
    ));
    s.stop().unwrap();
    let e = resume(&f, f.store.session(s.session_id()).unwrap())
        .err()
        .unwrap();
    assert!(matches!(e, SessionError::SessionOver { .. }), "{e:?}");

    let mut s = start(&f, plan(vec![block("grip_squeeze", 5, 0)]));
    s.begin().unwrap();
    let e = s.push_scalar(&[0.0, 61.0], &[1.0, 1.0]).unwrap_err();
    assert!(matches!(e, SessionError::BatchTooLong { .. }), "{e:?}");
    let e = s.push_scalar(&[-2e10], &[1.0]).unwrap_err();
    assert!(matches!(e, SessionError::ImplausibleTime { .. }), "{e:?}");
    let id = s.session_id();
    drop(s);
    f.store
        .write(|tx| {
            tx.execute("UPDATE sessions SET plan_json = '{' WHERE id = ?1", [id])?;
            Ok(())
        })
        .unwrap();
    let open = f.store.unfinished_session(f.profile).unwrap().unwrap();
    let e = resume(&f, open).err().unwrap();
    assert!(matches!(e, SessionError::UnreadablePlan { .. }), "{e:?}");
}

mod faults;
mod fuzz;
mod regressions;
