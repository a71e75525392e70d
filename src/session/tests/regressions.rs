//! Regression tests for issue 16's session defects: each failed before its fix.

use super::*;
use crate::clock::Clock;
use crate::store::SessionStatus;

/// Makes every statement matching `event` (e.g. `INSERT ON reps`) fail, as a
/// full disk or a damaged page would; `heal` removes it.
fn inject_fault(f: &Fixture, name: &str, event: &str) {
    f.store
        .write(|tx| {
            tx.execute_batch(&format!(
                "CREATE TRIGGER fault_{name} BEFORE {event} BEGIN SELECT RAISE(ABORT, 'injected fault'); END;"
            ))?;
            Ok(())
        })
        .unwrap();
}

fn heal(f: &Fixture, name: &str) {
    f.store
        .write(|tx| {
            tx.execute_batch(&format!("DROP TRIGGER fault_{name};"))?;
            Ok(())
        })
        .unwrap();
}

fn reps_reported(events: &[SessionEvent]) -> u32 {
    count(events, |e| matches!(e, SessionEvent::Rep { .. })) as u32
}

#[test]
fn a_failed_block_end_reports_the_stored_rep_and_the_session_goes_on() {
    let f = fixture();
    let mut s = start(
        &f,
        plan(vec![
            block("index_finger_tap", 2, 0),
            block("index_finger_tap", 2, 0),
        ]),
    );
    s.begin().unwrap();
    let mut reported = reps_reported(&s.tap(0.0).unwrap());
    inject_fault(&f, "block_end", "UPDATE OF ended_at_ms ON blocks");
    // The second tap reaches the target: its rep is stored, the block's end is not.
    let ev = s.tap(1.0).expect("the stored rep is reported");
    reported += reps_reported(&ev);
    assert_eq!(reported, stored_reps(&f, s.session_id()), "{ev:?}");
    // Later calls neither panic nor lose anything while the fault lasts.
    for t in 2..5 {
        if let Ok(ev) = s.tap(f64::from(t)) {
            reported += reps_reported(&ev);
        }
        assert_eq!(reported, stored_reps(&f, s.session_id()));
    }
    heal(&f, "block_end");
    // The next call closes the block, starts the next one and counts its tap there.
    let mut ev = s.tap(10.0).unwrap();
    assert!(
        matches!(ev[0], SessionEvent::BlockComplete { .. }),
        "{ev:?}"
    );
    assert!(
        matches!(ev.last(), Some(SessionEvent::Rep { block_index: 1, .. })),
        "{ev:?}"
    );
    ev.extend(s.tap(11.0).unwrap());
    reported += reps_reported(&ev);
    assert!(
        ev.iter()
            .any(|e| matches!(e, SessionEvent::BlockComplete { .. })),
        "{ev:?}"
    );
    assert_eq!(s.state(), SessionState::Finished, "{ev:?}");
    assert_eq!(reported, stored_reps(&f, s.session_id()));
    assert_eq!(reported, 4);
}

#[test]
fn a_failed_session_end_is_retried_and_the_session_can_be_stopped() {
    let f = fixture();
    let mut s = start(&f, plan(vec![block("index_finger_tap", 1, 0)]));
    s.begin().unwrap();
    inject_fault(&f, "session_end", "UPDATE OF status ON sessions");
    let ev = s.tap(0.0).expect("the stored rep is reported");
    assert_eq!(reps_reported(&ev), 1, "{ev:?}");
    assert_ne!(s.state(), SessionState::Finished);
    assert!(s.stop().is_err(), "the end cannot be stored yet");
    assert!(s.tap(1.0).is_err() || s.state() != SessionState::Finished);
    heal(&f, "session_end");
    let ev = s.stop().unwrap();
    assert!(
        matches!(ev.last(), Some(SessionEvent::SessionFinished { .. })),
        "{ev:?}"
    );
    let stored = f.store.session(s.session_id()).unwrap();
    assert_eq!(stored.status, SessionStatus::Finished);
    assert_eq!(stored_reps(&f, s.session_id()), 1);
}

#[test]
fn resuming_a_session_whose_blocks_are_all_stored_finishes_it() {
    let f = fixture();
    let id = {
        let mut s = start(&f, plan(vec![block("index_finger_tap", 1, 0)]));
        s.begin().unwrap();
        inject_fault(&f, "session_end", "UPDATE OF status ON sessions");
        let _ = s.tap(0.0);
        s.session_id()
        // killed here: the block is closed, the session is still active
    };
    heal(&f, "session_end");
    assert!(f
        .store
        .blocks(id)
        .unwrap()
        .iter()
        .all(|b| b.ended_at_ms.is_some()));
    let mut s = recover(&f);
    let ev = s.begin().expect("no panic, no error");
    assert!(
        matches!(ev.last(), Some(SessionEvent::SessionFinished { .. })),
        "{ev:?}"
    );
    assert_eq!(s.state(), SessionState::Finished);
    assert_eq!(f.store.session(id).unwrap().status, SessionStatus::Finished);
    assert_eq!(s.summary().reps, 1);
}

#[test]
fn resuming_with_a_plan_shorter_than_what_was_stored_finishes_it() {
    let f = fixture();
    let id = {
        let mut s = start(
            &f,
            plan(vec![
                block("index_finger_tap", 1, 0),
                block("index_finger_tap", 1, 0),
                block("index_finger_tap", 1, 0),
            ]),
        );
        s.begin().unwrap();
        s.tap(0.0).unwrap();
        s.tap(1.0).unwrap();
        s.session_id()
    };
    // An imported backup may carry a plan with fewer blocks than were stored.
    let short = serde_json::to_string(&plan(vec![block("index_finger_tap", 1, 0)])).unwrap();
    f.store
        .write(|tx| {
            tx.execute(
                "UPDATE sessions SET plan_json = ?1 WHERE id = ?2",
                rusqlite::params![short, id],
            )?;
            Ok(())
        })
        .unwrap();
    let mut s = recover(&f);
    let ev = s.begin().expect("no panic, no error");
    assert!(
        matches!(ev.last(), Some(SessionEvent::SessionFinished { .. })),
        "{ev:?}"
    );
    assert_eq!(s.summary().reps, 2);
}

#[test]
fn a_batch_spanning_1e300_seconds_is_refused_and_the_session_can_be_stopped() {
    let f = fixture();
    let mut s = start(&f, plan(vec![block("grip_squeeze", 10, 0)]));
    s.begin().unwrap();
    let t = 100.0;
    let r = s.push_scalar(&[t, t + 1e300], &[0.0, 0.0]);
    assert!(r.is_err(), "impossible time is refused: {r:?}");
    let r = s.push_scalar(&[1e300], &[0.0]);
    assert!(r.is_err(), "impossible time is refused: {r:?}");
    let ev = s.stop().expect("a session can always be stopped");
    let Some(SessionEvent::SessionFinished { summary }) = ev.last() else {
        panic!("{ev:?}")
    };
    assert!(summary.active_minutes < 1.0, "{summary:?}");
}

#[test]
fn a_jump_in_sample_time_adds_no_active_time_and_dates_nothing_ahead() {
    let f = fixture();
    let mut s = start(&f, plan(vec![block("grip_squeeze", 10, 0)]));
    s.begin().unwrap();
    // 10 s of samples at 50 Hz, then a 2-sample batch that jumps 1e7 s.
    for k in 0..100 {
        let t: Vec<f64> = (0..5).map(|i| f64::from(k * 5 + i) * 0.02).collect();
        f.clock.advance(100);
        s.push_scalar(&t, &[1.0; 5]).unwrap();
    }
    f.clock.advance(100);
    let _ = s.push_scalar(&[10.0, 1e7], &[1.0, 1.0]);
    let _ = s.push_scalar(&[1e7 + 0.02, 1e7 + 0.04], &[1.0, 1.0]);
    let ev = s.stop().expect("a session can always be stopped");
    let Some(SessionEvent::SessionFinished { summary }) = ev.last() else {
        panic!("{ev:?}")
    };
    assert!(summary.active_minutes < 0.5, "{summary:?}");
    let stored = f.store.session(s.session_id()).unwrap();
    let now = f.clock.now_ms();
    assert!(
        stored.ended_at_ms.unwrap() <= now + 1_000,
        "{stored:?} vs {now}"
    );
    for b in f.store.blocks(s.session_id()).unwrap() {
        assert!(b.ended_at_ms.unwrap() <= now + 1_000, "{b:?}");
        assert!(b.active_ms <= 11_000, "{b:?}");
    }
}

#[test]
fn a_hostile_tap_time_is_refused_and_the_session_can_be_stopped() {
    let f = fixture();
    let mut s = start(&f, plan(vec![block("index_finger_tap", 10, 0)]));
    s.begin().unwrap();
    s.tap(0.0).unwrap();
    assert!(s.tap(1e300).is_err());
    assert!(s.tap(f64::INFINITY).is_err());
    s.tap(1.0).unwrap();
    let ev = s.stop().expect("a session can always be stopped");
    assert!(
        matches!(ev.last(), Some(SessionEvent::SessionFinished { .. })),
        "{ev:?}"
    );
}
