//! A UI thread reads while sensor threads write: nothing is lost and "database
//! is locked" never surfaces. A second `Store` on the same file (a widget, a
//! second process) writes and reads at the same time.

use rehab_core::model::Side;
use rehab_core::store::{
    CheckInTiming, NewBlock, NewCheckIn, NewProfile, NewSession, RepRecord, Store,
};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

const RUN_FOR: Duration = Duration::from_secs(3);
const SENSORS: usize = 3;
const T0: i64 = 1_772_409_600_000;

fn profile(store: &Store, name: &str) -> i64 {
    let new = NewProfile {
        name: name.into(),
        affected_side: Side::Right,
        time_zone: "Europe/Madrid".into(),
    };
    store.create_profile(&new, T0).unwrap().id
}

#[test]
fn readers_and_writers_run_together_without_losing_or_locking() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("busy.db");
    let store = Arc::new(Store::open(&path).unwrap());
    let stop = Arc::new(AtomicBool::new(false));
    let errors: Arc<Mutex<Vec<String>>> = Arc::default();
    let started = Instant::now();

    // Sensor threads: one profile each, one rep per transaction.
    let sensors: Vec<_> = (0..SENSORS)
        .map(|i| {
            let (store, stop, errors) = (store.clone(), stop.clone(), errors.clone());
            let p = profile(&store, &format!("sensor {i}"));
            std::thread::spawn(move || {
                let session = store
                    .create_session(&NewSession {
                        profile_id: p,
                        started_at_ms: T0,
                        utc_offset_min: 60,
                        plan_json: "{}".into(),
                    })
                    .unwrap();
                let block = NewBlock {
                    exercise_id: "elbow_flexion".into(),
                    side: Side::Right,
                    target_reps: None,
                    target_range: None,
                    started_at_ms: T0,
                };
                let block = store.start_block(session.id, &block).unwrap();
                let mut ids = Vec::new();
                let mut t = T0;
                while !stop.load(Ordering::Relaxed) {
                    t += 1_000;
                    let rep = RepRecord {
                        started_at_ms: t,
                        ended_at_ms: t + 800,
                        amplitude: 25.0,
                        peak_speed: 40.0,
                        target_reached: true,
                    };
                    match store.record_rep(block, &rep) {
                        Ok(id) => ids.push(id),
                        Err(e) => errors.lock().unwrap().push(format!("sensor: {e}")),
                    }
                    // A person needs a second per rep; 1 ms still leaves the
                    // other handle's SQLite busy handler a chance to get in.
                    std::thread::sleep(Duration::from_millis(1));
                }
                (session.id, block, ids)
            })
        })
        .collect();

    // UI threads: progress queries and consistent snapshots, in a loop.
    let readers: Vec<_> = (0..2)
        .map(|_| {
            let (store, stop, errors) = (store.clone(), stop.clone(), errors.clone());
            std::thread::spawn(move || {
                let mut reads = 0u64;
                let mut last_seen = 0i64;
                while !stop.load(Ordering::Relaxed) {
                    let snapshot = store.read(|c| {
                        Ok(c.query_row(
                            "SELECT (SELECT coalesce(sum(rep_count), 0) FROM sessions),
                                    (SELECT count(*) FROM reps)",
                            [],
                            |r| Ok((r.get::<_, i64>(0)?, r.get::<_, i64>(1)?)),
                        )?)
                    });
                    match snapshot {
                        Ok((counted, rows)) => {
                            // One statement sees one snapshot: counters match rows,
                            // and what was seen once never disappears.
                            assert_eq!(counted, rows, "counters and reps disagree");
                            assert!(rows >= last_seen, "reps went backwards");
                            last_seen = rows;
                        }
                        Err(e) => errors.lock().unwrap().push(format!("reader: {e}")),
                    }
                    for p in 1..=SENSORS as i64 {
                        if let Err(e) = store.session_facts(p, i64::MIN, i64::MAX) {
                            errors.lock().unwrap().push(format!("reader: {e}"));
                        }
                        if let Err(e) = store.block_facts(p, i64::MIN, i64::MAX) {
                            errors.lock().unwrap().push(format!("reader: {e}"));
                        }
                    }
                    reads += 1;
                }
                reads
            })
        })
        .collect();

    // A second handle on the same file: its own connections, writing check-ins.
    let other = {
        let (stop, errors, path) = (stop.clone(), errors.clone(), path.clone());
        std::thread::spawn(move || {
            let other = Store::open(&path).unwrap();
            let mut n = 0;
            while !stop.load(Ordering::Relaxed) {
                let check_in = NewCheckIn {
                    profile_id: 1,
                    timing: CheckInTiming::Standalone,
                    recorded_at_ms: T0 + n,
                    utc_offset_min: 60,
                    pain: Some((n % 11) as u8),
                    spasticity: None,
                    effort: None,
                    note: String::new(),
                };
                match other.record_check_in(&check_in) {
                    Ok(_) => n += 1,
                    Err(e) => errors.lock().unwrap().push(format!("second handle: {e}")),
                }
                if let Err(e) = other.profiles() {
                    errors.lock().unwrap().push(format!("second handle: {e}"));
                }
                std::thread::sleep(Duration::from_millis(1));
            }
            n
        })
    };

    std::thread::sleep(RUN_FOR);
    stop.store(true, Ordering::Relaxed);
    let written: Vec<_> = sensors.into_iter().map(|h| h.join().unwrap()).collect();
    let reads: u64 = readers.into_iter().map(|h| h.join().unwrap()).sum();
    let check_ins = other.join().unwrap();
    let elapsed = started.elapsed();

    let errors = errors.lock().unwrap();
    assert!(
        errors.is_empty(),
        "errors surfaced: {:?}",
        &errors[..errors.len().min(5)]
    );

    // Nothing lost: every rep id a sensor got back is in the file after reopening.
    drop(store);
    let store = Store::open(&path).unwrap();
    let mut total = 0;
    for (session, block, ids) in &written {
        assert!(!ids.is_empty(), "a sensor thread never got to write");
        let stored: Vec<i64> = store.reps(*block).unwrap().iter().map(|r| r.id).collect();
        assert_eq!(&stored, ids);
        assert_eq!(store.session(*session).unwrap().reps as usize, ids.len());
        total += ids.len();
    }
    let stored_check_ins = store.check_ins(1, i64::MIN, i64::MAX).unwrap().len();
    assert_eq!(stored_check_ins, check_ins as usize);
    assert!(reads > 0);
    assert!(
        check_ins >= 10,
        "the second handle was starved: {check_ins} check-ins"
    );
    eprintln!(
        "{:.1} s: {total} reps by {SENSORS} sensor threads, {check_ins} check-ins by a second \
         handle, {reads} reader rounds",
        elapsed.as_secs_f64()
    );
}
