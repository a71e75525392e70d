//! Fault injection at every write of a session: a statement failed by a
//! trigger (`RAISE(ABORT)`), and a full disk (`PRAGMA max_page_count`). After
//! each fault no call panics, the database holds exactly what the calls
//! reported, and once the fault is gone the session ends cleanly.

use super::*;
use crate::store::{CheckInTiming, NewCheckIn, SessionStatus};

/// The writes of a session: a trigger event, and a count that the stored
/// writes of that kind raise (the fault hits the write after the `k`-th).
const WRITES: [(&str, &str); 6] = [
    ("INSERT ON reps", "SELECT count(*) FROM reps"),
    ("INSERT ON attempts", "SELECT count(*) FROM attempts"),
    (
        "INSERT ON calibrations",
        "SELECT count(*) FROM calibrations",
    ),
    ("INSERT ON blocks", "SELECT count(*) FROM blocks"),
    (
        "UPDATE OF ended_at_ms ON blocks",
        "SELECT count(*) FROM blocks WHERE ended_at_ms IS NOT NULL",
    ),
    (
        "UPDATE OF status ON sessions",
        "SELECT count(*) FROM sessions WHERE status != 'active'",
    ),
];

/// Calls the driver makes with the fault in place before it is removed.
const FAULTY_CALLS: usize = 3;
/// Enough calls for the whole session, faults and retries included.
const MAX_CALLS: usize = 2_000;

fn sql(f: &Fixture, sql: &str) {
    f.store
        .write(|tx| {
            tx.execute_batch(sql)?;
            Ok(())
        })
        .unwrap();
}

fn count_rows(f: &Fixture, query: &str) -> usize {
    f.store
        .read(|c| Ok(c.query_row(query, [], |r| r.get::<_, i64>(0))?))
        .unwrap() as usize
}

/// A motion block that calibrates (with two short movements, stored as
/// attempts), a touch block after a rest, and one straight after it.
fn faulty_plan() -> DailyPlan {
    plan(vec![
        block("elbow_flexion_extension", 6, 0),
        block("index_finger_tap", 4, 2),
        block("index_finger_tap", 3, 0),
    ])
}

fn movements() -> Vec<Movement> {
    [0.9, 0.9, 0.9, 0.35, 0.9, 0.35, 0.9, 0.9, 0.9, 0.9, 0.9, 0.9]
        .into_iter()
        .map(|amplitude| Movement {
            amplitude,
            duration_s: 2.5,
            pause_s: 1.0,
        })
        .collect()
}

/// Plays whatever the session's state asks for next, one call at a time.
struct Driver {
    stream: Option<(u32, ImuStream)>,
    tap_s: f64,
    t: Vec<f64>,
    x: Vec<f32>,
}

impl Driver {
    fn new() -> Driver {
        Driver {
            stream: None,
            tap_s: 0.0,
            t: Vec::new(),
            x: Vec::new(),
        }
    }

    fn step(
        &mut self,
        f: &Fixture,
        s: &mut LiveSession,
    ) -> std::result::Result<Vec<SessionEvent>, SessionError> {
        match s.state() {
            SessionState::Planned => s.begin(),
            SessionState::Resting => {
                f.clock.advance(1_000);
                s.tick()
            }
            SessionState::Paused => s.resume(),
            SessionState::Finished => panic!("the driver stops at the end"),
            SessionState::Calibrating | SessionState::Exercising => {
                let index = s.block_index();
                if s.plan().blocks[index as usize].exercise_id == "index_finger_tap" {
                    self.tap_s += 0.5;
                    f.clock.advance(500);
                    return s.tap(self.tap_s);
                }
                if self.stream.as_ref().is_none_or(|(i, _)| *i != index) {
                    let stream = ImuStream::new(Performer::default(), 3, movements());
                    self.stream = Some((index, stream));
                }
                let (_, stream) = self.stream.as_mut().unwrap();
                if stream.next_batch(0.1, &mut self.t, &mut self.x) {
                    f.clock.advance(100);
                    s.push_imu(&self.t, &self.x)
                } else {
                    s.skip()
                }
            }
        }
    }
}

/// What to do once the fault has made a call fail.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Then {
    /// Go on with the session.
    Continue,
    /// Press stop while the fault lasts, then again once it is gone.
    Stop,
}

/// Plays `plan` with `fault` applied before the first call and `heal` applied
/// [`FAULTY_CALLS`] calls after the first failed one; checks after every call
/// that the database holds what was reported. Returns the ledger.
fn play_with_fault(
    f: &Fixture,
    p: DailyPlan,
    then: Then,
    fault: impl FnOnce(&Fixture),
    heal: impl FnOnce(&Fixture),
) -> Ledger {
    let mut s = start(f, p);
    let mut ledger = Ledger::default();
    let mut driver = Driver::new();
    fault(f);
    let mut heal = Some(heal);
    let mut first_error = None;
    for call in 0..MAX_CALLS {
        if s.state() == SessionState::Finished {
            break;
        }
        let result = driver.step(f, &mut s);
        ledger.take(&result);
        if result.is_err() && first_error.is_none() {
            first_error = Some(call);
            if then == Then::Stop {
                let stopped = s.stop();
                ledger.take(&stopped);
                ledger.check(f, s.session_id(), 0);
            }
        }
        if first_error.is_some_and(|e| call >= e + FAULTY_CALLS) {
            if let Some(heal) = heal.take() {
                heal(f);
                if then == Then::Stop && s.state() != SessionState::Finished {
                    let stopped = s.stop();
                    assert!(stopped.is_ok(), "{stopped:?}");
                    ledger.take(&stopped);
                }
            }
        }
        ledger.check(f, s.session_id(), 0);
    }
    if let Some(heal) = heal.take() {
        heal(f);
    }
    assert_eq!(s.state(), SessionState::Finished, "{ledger:?}");
    assert_eq!(
        f.store.session(s.session_id()).unwrap().status,
        SessionStatus::Finished
    );
    ledger.check(f, s.session_id(), 0);
    ledger
}

#[test]
fn a_failed_write_anywhere_in_a_session_loses_nothing_and_the_session_ends() {
    // Without faults: how many writes of each kind the session makes.
    let clean = {
        let f = fixture();
        let ledger = play_with_fault(&f, faulty_plan(), Then::Continue, |_| {}, |_| {});
        assert_eq!(ledger.errors, 0);
        assert!(
            ledger.attempts >= 1 && ledger.calibrations == 1,
            "{ledger:?}"
        );
        WRITES.map(|(_, count)| count_rows(&f, count))
    };
    let mut runs = 0;
    for ((event, count), writes) in WRITES.iter().zip(clean) {
        assert!(writes >= 1, "{event}: the session makes this write");
        for k in 0..writes {
            for then in [Then::Continue, Then::Stop] {
                let f = fixture();
                let ledger = play_with_fault(
                    &f,
                    faulty_plan(),
                    then,
                    |f| {
                        sql(
                            f,
                            &format!(
                                "CREATE TRIGGER fault BEFORE {event} WHEN ({count}) >= {k}
                                 BEGIN SELECT RAISE(ABORT, 'injected fault'); END;"
                            ),
                        )
                    },
                    |f| sql(f, "DROP TRIGGER fault;"),
                );
                assert!(ledger.errors >= 1, "{event} #{k} {then:?}: the fault hit");
                runs += 1;
            }
        }
    }
    assert!(runs >= 20, "{runs} runs");
}

#[test]
fn a_full_disk_loses_nothing_and_the_session_ends_once_there_is_room() {
    let mut hit = 0;
    for extra_pages in 0..4 {
        for then in [Then::Continue, Then::Stop] {
            let f = fixture();
            let ledger = play_with_fault(
                &f,
                plan(vec![
                    block("index_finger_tap", 150, 0),
                    block("index_finger_tap", 150, 1),
                ]),
                then,
                |f| {
                    let pages = count_rows(f, "PRAGMA page_count");
                    sql(
                        f,
                        &format!("PRAGMA max_page_count = {};", pages + extra_pages),
                    );
                },
                |f| sql(f, "PRAGMA max_page_count = 1000000;"),
            );
            hit += usize::from(ledger.errors > 0);
        }
    }
    assert!(hit >= 4, "the disk filled up in {hit} of 8 runs");
}

#[test]
fn a_failed_check_in_stores_nothing_and_the_session_goes_on() {
    let f = fixture();
    let mut s = start(&f, plan(vec![block("index_finger_tap", 3, 0)]));
    let mut ledger = Ledger::default();
    ledger.take(&s.begin());
    let check_in = NewCheckIn {
        profile_id: f.profile,
        timing: CheckInTiming::BeforeSession {
            session_id: s.session_id(),
        },
        recorded_at_ms: T0,
        utc_offset_min: 60,
        pain: Some(3),
        spasticity: None,
        effort: None,
        note: String::new(),
    };
    sql(
        &f,
        "CREATE TRIGGER fault BEFORE INSERT ON check_ins
         BEGIN SELECT RAISE(ABORT, 'injected fault'); END;",
    );
    assert!(f.store.record_check_in(&check_in).is_err());
    assert!(f
        .store
        .session_check_ins(s.session_id())
        .unwrap()
        .is_empty());
    ledger.take(&s.tap(0.0));
    ledger.check(&f, s.session_id(), 0);
    sql(&f, "DROP TRIGGER fault;");
    f.store.record_check_in(&check_in).unwrap();
    assert_eq!(f.store.session_check_ins(s.session_id()).unwrap().len(), 1);
    ledger.take(&s.tap(1.0));
    ledger.take(&s.tap(2.0));
    assert_eq!(s.state(), SessionState::Finished);
    ledger.check(&f, s.session_id(), 0);
    assert_eq!(ledger.reps, 3);
}
