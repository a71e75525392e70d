//! What the data listeners hear: every stored change a screen shows, with reps
//! coalesced, and the `async` session calls running on the core's threads.

use rehab_core::ffi::{
    DataChange, DataListener, ListenerError, NewCheckIn, RehabCore, SessionListener,
};
use rehab_core::model::{DailyGoal, Side, WeeklySchedule};
use rehab_core::routine::{BlockSource, DailyPlan, PlannedBlock};
use rehab_core::session::SessionEvent;
use rehab_core::sim::{impaired_set, ImuStream, Performer, Rng};
use rehab_core::store::{CheckInTiming, NewProfile};
use std::sync::{Arc, Mutex};

#[derive(Default)]
struct Collect(Mutex<Vec<DataChange>>);

impl DataListener for Collect {
    fn on_change(&self, change: DataChange) -> Result<(), ListenerError> {
        self.0.lock().unwrap().push(change);
        Ok(())
    }
}

impl Collect {
    fn take(&self) -> Vec<DataChange> {
        std::mem::take(&mut *self.0.lock().unwrap())
    }
}

/// Remembers the thread each session event arrived on.
#[derive(Default)]
struct Threads(Mutex<Vec<String>>);

impl SessionListener for Threads {
    fn on_event(&self, _: SessionEvent) -> Result<(), ListenerError> {
        let name = std::thread::current().name().unwrap_or("").to_string();
        self.0.lock().unwrap().push(name);
        Ok(())
    }
}

fn plan(blocks: usize, reps: u32) -> DailyPlan {
    let block = PlannedBlock {
        exercise_id: "elbow_flexion_extension".into(),
        side: Side::Left,
        target_reps: reps,
        target_range_fraction: 0.6,
        setup_s: 0,
        est_duration_s: 200,
        rest_after_s: 0,
        source: BlockSource::Routine,
    };
    DailyPlan {
        blocks: vec![block; blocks],
        est_total_s: 200 * blocks as u32,
        total_reps: reps * blocks as u32,
        over_budget: false,
    }
}

fn run<T>(f: impl std::future::Future<Output = T>) -> T {
    tokio::runtime::Builder::new_current_thread()
        .build()
        .unwrap()
        .block_on(f)
}

#[test]
fn every_stored_change_reaches_the_data_listeners_with_reps_coalesced() {
    let dir = tempfile::tempdir().unwrap();
    let core = RehabCore::new(dir.path().join("r.db").display().to_string()).unwrap();
    let heard = Arc::new(Collect::default());
    let sub = core.subscribe(heard.clone());
    assert_eq!(core.active_subscriptions(), 1);
    let ana = run(core.create_profile(NewProfile {
        name: "Ana".into(),
        affected_side: Side::Left,
        time_zone: "UTC".into(),
    }))
    .unwrap();
    assert!(matches!(
        &heard.take()[..],
        [DataChange::ProfileAdded { .. }]
    ));

    // A live session: started, calibrated, reps (coalesced), block done, finished.
    let threads = Arc::new(Threads::default());
    let session =
        run(core.start_session_async(ana.id, plan(1, 30), 0, "en".into(), Some(threads.clone())))
            .unwrap();
    let sid = session.session_id();
    run(session.clone().begin_async()).unwrap();
    let mut rng = Rng::new(7);
    let mut stream = ImuStream::new(Performer::default(), 7, impaired_set(&mut rng, 25, 0.9));
    let (mut t, mut x) = (Vec::new(), Vec::new());
    let mut reps = 0;
    while stream.next_batch(0.1, &mut t, &mut x) {
        let events = session.push_imu(t.clone(), x.clone()).unwrap();
        reps += events
            .iter()
            .filter(|e| matches!(e, SessionEvent::Rep { .. }))
            .count();
    }
    let stopped = run(session.clone().stop_async()).unwrap();
    assert!(reps >= 15, "the simulated set gives reps ({reps})");
    assert!(
        threads.0.lock().unwrap().iter().any(|n| n == "rehab-core"),
        "async calls tell the session listener on a core thread"
    );

    let changes = heard.take();
    assert!(
        matches!(changes.first(), Some(DataChange::SessionStarted { session_id, resumed: false, .. }) if *session_id == sid)
    );
    assert!(changes.iter().any(|c| matches!(c, DataChange::CalibrationStored { exercise_id, .. } if exercise_id == "elbow_flexion_extension")));
    let rep_notes: Vec<u32> = changes
        .iter()
        .filter_map(|c| match c {
            DataChange::RepsStored {
                reps_in_session, ..
            } => Some(*reps_in_session),
            _ => None,
        })
        .collect();
    // The pushes above ran far faster than real time: a few notes, not one per rep.
    assert!(
        !rep_notes.is_empty() && rep_notes.len() < reps / 2,
        "{rep_notes:?} for {reps} reps"
    );
    assert!(rep_notes.windows(2).all(|w| w[0] < w[1]), "{rep_notes:?}");
    let done = changes
        .iter()
        .filter(|c| matches!(c, DataChange::BlockDone { .. }))
        .count();
    assert_eq!(done, 1);
    let finished = changes.iter().find_map(|c| match c {
        DataChange::SessionFinished { summary, .. } => Some(summary.clone()),
        _ => None,
    });
    assert_eq!(finished.as_ref().map(|s| s.reps), Some(reps as u32));
    assert!(stopped
        .iter()
        .any(|e| matches!(e, SessionEvent::SessionFinished { .. })));

    // Check-in, goal, schedule.
    let check_in = run(core.record_check_in(NewCheckIn {
        profile_id: ana.id,
        timing: CheckInTiming::AfterSession { session_id: sid },
        recorded_at: std::time::UNIX_EPOCH + std::time::Duration::from_millis(1_772_442_000_000),
        utc_offset_min: 0,
        pain: Some(3),
        spasticity: None,
        effort: Some(4),
        note: String::new(),
    }))
    .unwrap();
    let goal = DailyGoal {
        effective_from: "2026-03-01".parse().unwrap(),
        reps: Some(40),
        active_minutes: None,
    };
    run(core.set_daily_goal(ana.id, goal.clone())).unwrap();
    let schedule = WeeklySchedule {
        effective_from: "2026-03-01".parse().unwrap(),
        slots: vec![],
    };
    run(core.set_weekly_schedule(ana.id, schedule.clone())).unwrap();
    assert_eq!(
        heard.take(),
        [
            DataChange::CheckInRecorded { check_in },
            DataChange::GoalChanged {
                profile_id: ana.id,
                goal
            },
            DataChange::ScheduleChanged {
                profile_id: ana.id,
                schedule
            },
        ]
    );

    // A crash leaves a session active: resuming and abandoning are announced.
    let left = run(core.start_session_async(ana.id, plan(2, 5), 0, "en".into(), None)).unwrap();
    let left_id = left.session_id();
    drop(left);
    let resumed = run(core.resume_session_async(left_id, "en".into(), None)).unwrap();
    drop(resumed);
    run(core.abandon_session(left_id)).unwrap();
    assert_eq!(
        heard.take(),
        [
            DataChange::SessionStarted {
                profile_id: ana.id,
                session_id: left_id,
                resumed: false
            },
            DataChange::SessionStarted {
                profile_id: ana.id,
                session_id: left_id,
                resumed: true
            },
            DataChange::SessionAbandoned {
                profile_id: ana.id,
                session_id: left_id
            },
        ]
    );

    // An import: the profile, then the summary.
    let backup = run(core.export_backup(Some(ana.id))).unwrap();
    let other = RehabCore::new(dir.path().join("other.db").display().to_string()).unwrap();
    let there = Arc::new(Collect::default());
    let _sub2 = other.subscribe(there.clone());
    let summary = run(other.import_backup(backup)).unwrap();
    let got = there.take();
    assert!(
        matches!(&got[..], [DataChange::ProfileAdded { .. }, DataChange::Imported { summary: s }] if *s == summary),
        "{got:?}"
    );

    sub.cancel();
    assert_eq!(core.active_subscriptions(), 0);
    run(core.set_daily_goal(
        ana.id,
        DailyGoal {
            effective_from: "2026-03-02".parse().unwrap(),
            reps: None,
            active_minutes: None,
        },
    ))
    .unwrap();
    assert!(heard.take().is_empty(), "nothing after cancel");
}

#[test]
fn an_async_session_call_after_the_core_is_gone_is_a_typed_error() {
    let dir = tempfile::tempdir().unwrap();
    let core = RehabCore::new(dir.path().join("r.db").display().to_string()).unwrap();
    let ana = run(core.create_profile(NewProfile {
        name: "Ana".into(),
        affected_side: Side::Left,
        time_zone: "UTC".into(),
    }))
    .unwrap();
    let session = core
        .start_session(ana.id, plan(1, 5), 0, "en".into(), None)
        .unwrap();
    drop(core);
    // The pool is gone with the core: a typed error, no panic, no hang.
    let begun = run(session.clone().begin_async());
    assert!(
        matches!(begun, Err(rehab_core::ffi::RehabError::Internal { .. })),
        "{begun:?}"
    );
    // The synchronous path still works on the caller's thread.
    session.begin().unwrap();
}
