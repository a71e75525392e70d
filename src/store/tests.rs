use super::*;
use crate::model::{Side, Spasticity};
use std::fs;
use std::path::Path;

fn temp() -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("rehab.db");
    (dir, path)
}

fn madrid(name: &str) -> NewProfile {
    NewProfile {
        name: name.into(),
        affected_side: Side::Left,
        time_zone: "Europe/Madrid".into(),
    }
}

#[test]
fn creates_a_new_file_at_the_current_version() {
    let (_d, path) = temp();
    let store = Store::open(&path).unwrap();
    assert!(path.exists());
    assert_eq!(store.schema_version().unwrap(), schema::VERSION);
    let mode: String = store
        .read(|c| Ok(c.pragma_query_value(None, "journal_mode", |r| r.get(0))?))
        .unwrap();
    assert_eq!(mode, "wal");
}

#[test]
fn profiles_round_trip_and_survive_reopen() {
    let (_d, path) = temp();
    let store = Store::open(&path).unwrap();
    let a = store.create_profile(&madrid("Ana"), 1_000).unwrap();
    let b = store.create_profile(&madrid("Ben"), 2_000).unwrap();
    assert_ne!(a.id, b.id);
    drop(store);
    let store = Store::open(&path).unwrap();
    assert_eq!(store.profiles().unwrap(), vec![a.clone(), b]);
    assert_eq!(store.profile(a.id).unwrap(), a);
}

#[test]
fn unknown_profile_is_not_found() {
    let (_d, path) = temp();
    let store = Store::open(&path).unwrap();
    let err = store.profile(42).unwrap_err();
    assert!(
        matches!(
            err,
            StoreError::NotFound {
                what: "profile",
                id: 42
            }
        ),
        "{err}"
    );
}

#[test]
fn empty_profile_name_is_rejected() {
    let (_d, path) = temp();
    let store = Store::open(&path).unwrap();
    let err = store.create_profile(&madrid("  "), 0).unwrap_err();
    assert!(
        matches!(err, StoreError::Invalid { field: "name", .. }),
        "{err}"
    );
    assert!(store.profiles().unwrap().is_empty());
}

#[test]
fn a_current_file_is_not_rewritten_on_open() {
    let (_d, path) = temp();
    drop(Store::open(&path).unwrap());
    let before = fs::read(&path).unwrap();
    drop(Store::open(&path).unwrap());
    assert_eq!(fs::read(&path).unwrap(), before);
}

#[test]
fn a_newer_file_is_refused_and_left_untouched() {
    let (_d, path) = temp();
    {
        let conn = rusqlite::Connection::open(&path).unwrap();
        conn.execute_batch("CREATE TABLE future (x); PRAGMA user_version = 999;")
            .unwrap();
    }
    let before = fs::read(&path).unwrap();
    let err = Store::open(&path).err().expect("must refuse");
    assert!(
        matches!(err, StoreError::TooNew { found: 999, supported } if supported == schema::VERSION),
        "{err}"
    );
    assert!(err.to_string().contains("newer"));
    assert_eq!(fs::read(&path).unwrap(), before);
}

#[test]
fn a_file_that_is_not_sqlite_is_refused_and_left_untouched() {
    let (_d, path) = temp();
    let junk = b"these are not the reps you are looking for\n".repeat(100);
    fs::write(&path, &junk).unwrap();
    let err = Store::open(&path).err().expect("must refuse");
    assert!(matches!(err, StoreError::NotADatabase { .. }), "{err}");
    assert_eq!(fs::read(&path).unwrap(), junk);
}

#[test]
fn a_corrupt_file_is_refused_and_left_untouched() {
    let (_d, path) = temp();
    {
        let store = Store::open(&path).unwrap();
        for i in 0..200 {
            store.create_profile(&madrid(&format!("p{i}")), i).unwrap();
        }
    }
    // Checkpoint the WAL into the main file, then damage the header's page size.
    {
        let conn = rusqlite::Connection::open(&path).unwrap();
        conn.pragma_update(None, "journal_mode", "delete").unwrap();
    }
    let mut bytes = fs::read(&path).unwrap();
    bytes[16] = 0x03; // page size 0x03xx is not a power of two
    bytes[17] = 0x01;
    fs::write(&path, &bytes).unwrap();
    let err = Store::open(&path).err().expect("must refuse");
    assert!(matches!(err, StoreError::Corrupt { .. }), "{err}");
    assert_eq!(fs::read(&path).unwrap(), bytes);
}

/// A database of `profiles` profiles with many rows, closed cleanly (log
/// checkpointed, no side files), as the app leaves it.
fn filled(profiles: i64) -> (tempfile::TempDir, std::path::PathBuf) {
    let (dir, path) = temp();
    let store = Store::open(&path).unwrap();
    for i in 0..profiles {
        store.create_profile(&madrid(&format!("p{i}")), i).unwrap();
    }
    let at = T0;
    let s = store.create_session(&new_session(1, at)).unwrap();
    let b = store.start_block(s.id, &wrist(at)).unwrap();
    for i in 0..2_000 {
        store
            .record_rep(b, &rep(at + i * 1_000, 20.0, true))
            .unwrap();
    }
    drop(store);
    assert!(!side_file(&path, "-wal").exists());
    (dir, path)
}

fn side_files(path: &Path) -> Vec<std::path::PathBuf> {
    ["-wal", "-shm", "-journal"]
        .iter()
        .map(|s| side_file(path, s))
        .filter(|p| p.exists())
        .collect()
}

/// Each damage is refused untouched, as `Corrupt` (the app's `DatabaseUnreadable`),
/// with no side file left, whether the check runs at open or in the background.
fn assert_damage_refused(path: &Path, damaged: &[u8]) {
    fs::write(path, damaged).unwrap();
    let err = Store::open(path)
        .err()
        .expect("a damaged file must be refused");
    assert!(matches!(err, StoreError::Corrupt { .. }), "{err}");
    assert!(
        err.to_string().contains("backup"),
        "says how to recover: {err}"
    );
    assert_eq!(fs::read(path).unwrap(), damaged, "left untouched");
    assert_eq!(side_files(path), Vec::<std::path::PathBuf>::new());

    // Checked in the background: refused at open if damage shows there already,
    // else every write is refused; untouched either way.
    match Store::open_checking(path, 0) {
        Err(err) => assert!(matches!(err, StoreError::Corrupt { .. }), "{err}"),
        Ok(store) => {
            let err = store.create_profile(&madrid("late"), 1).unwrap_err();
            assert!(matches!(err, StoreError::Corrupt { .. }), "{err}");
            let checked = store.integrity_checked();
            assert!(matches!(checked, Err(StoreError::Corrupt { .. })));
        }
    }
    assert_eq!(fs::read(path).unwrap(), damaged, "left untouched");
    assert_eq!(side_files(path), Vec::<std::path::PathBuf>::new());
}

#[test]
fn a_file_truncated_mid_page_is_refused_untouched() {
    let (_d, path) = filled(300);
    let bytes = fs::read(&path).unwrap();
    let page = 4096;
    assert!(bytes.len() > 20 * page);
    let cut = bytes.len() / 2 / page * page + page / 2;
    assert_damage_refused(&path, &bytes[..cut]);
}

#[test]
fn a_file_with_a_byte_flipped_at_90_percent_is_refused_untouched() {
    let (_d, path) = filled(300);
    let mut bytes = fs::read(&path).unwrap();
    // The first byte of the page 90% into the file (its b-tree page type): a
    // byte inside a row's value would be a changed value, which no check sees.
    let page = usize::from(u16::from_be_bytes([bytes[16], bytes[17]]));
    let at = bytes.len() * 9 / 10 / page * page;
    bytes[at] ^= 0xff;
    assert_damage_refused(&path, &bytes);
}

#[test]
fn a_sound_file_checked_in_the_background_takes_writes() {
    let (_d, path) = filled(10);
    let store = Store::open_checking(&path, 0).unwrap();
    store.integrity_checked().unwrap();
    store.create_profile(&madrid("after the check"), 1).unwrap();
    assert_eq!(store.profiles().unwrap().len(), 11);
}

#[test]
fn damage_found_after_opening_is_corrupt_not_a_plain_sqlite_error() {
    let e = rusqlite::Error::SqliteFailure(
        rusqlite::ffi::Error::new(rusqlite::ffi::SQLITE_CORRUPT),
        Some("database disk image is malformed".into()),
    );
    assert!(matches!(StoreError::from(e), StoreError::Corrupt { .. }));
    let e = rusqlite::Error::SqliteFailure(
        rusqlite::ffi::Error::new(rusqlite::ffi::SQLITE_NOTADB),
        None,
    );
    assert!(matches!(StoreError::from(e), StoreError::Corrupt { .. }));
}

#[test]
fn another_programs_sqlite_file_is_refused_byte_for_byte_untouched() {
    let (_d, path) = temp();
    {
        let conn = rusqlite::Connection::open(&path).unwrap();
        conn.execute_batch("CREATE TABLE contacts (name TEXT); INSERT INTO contacts VALUES ('x');")
            .unwrap();
    }
    let before = fs::read(&path).unwrap();
    let err = Store::open(&path).err().expect("must refuse");
    assert!(matches!(err, StoreError::NotOurs { .. }), "{err}");
    assert_eq!(fs::read(&path).unwrap(), before, "header bytes 18-19 too");
    assert_eq!(side_files(&path), Vec::<std::path::PathBuf>::new());
}

#[test]
fn a_newer_file_leaves_no_side_files() {
    let (_d, path) = temp();
    {
        let conn = rusqlite::Connection::open(&path).unwrap();
        conn.execute_batch(
            "PRAGMA journal_mode = wal; CREATE TABLE future (x); PRAGMA user_version = 999;",
        )
        .unwrap();
    }
    let before = fs::read(&path).unwrap();
    assert!(matches!(Store::open(&path), Err(StoreError::TooNew { .. })));
    assert_eq!(fs::read(&path).unwrap(), before);
    assert_eq!(side_files(&path), Vec::<std::path::PathBuf>::new());
}

#[cfg(unix)]
#[test]
fn a_pipe_or_a_folder_is_not_a_database_path() {
    let (dir, path) = temp();
    let status = std::process::Command::new("mkfifo")
        .arg(&path)
        .status()
        .unwrap();
    assert!(status.success());
    // Would block forever in open(2) if the store tried to read it.
    let err = Store::open(&path).err().expect("a FIFO is refused");
    assert!(matches!(err, StoreError::NotAFile { .. }), "{err}");
    let err = Store::open(dir.path()).err().expect("a folder is refused");
    assert!(matches!(err, StoreError::NotAFile { .. }), "{err}");
}

#[test]
fn a_read_only_file_is_refused_at_open() {
    let (_d, path) = temp();
    drop(Store::open(&path).unwrap());
    let before = fs::read(&path).unwrap();
    let mut perms = fs::metadata(&path).unwrap().permissions();
    perms.set_readonly(true);
    fs::set_permissions(&path, perms).unwrap();
    let err = Store::open(&path)
        .err()
        .expect("read-only is refused at open");
    assert!(matches!(err, StoreError::ReadOnly { .. }), "{err}");
    assert!(err.to_string().contains("read-only"), "{err}");
    assert_eq!(fs::read(&path).unwrap(), before);
}

// ---- Practice: sessions, blocks, reps, attempts -------------------------------

const T0: i64 = 1_772_409_600_000; // 2026-03-02 00:00 UTC

fn with_profile() -> (tempfile::TempDir, Store, i64) {
    let (dir, path) = temp();
    let store = Store::open(&path).unwrap();
    let id = store.create_profile(&madrid("Ana"), T0).unwrap().id;
    (dir, store, id)
}

fn new_session(profile_id: i64, at: i64) -> NewSession {
    NewSession {
        profile_id,
        started_at_ms: at,
        utc_offset_min: 60,
        plan_json: r#"{"plan":"morning"}"#.into(),
    }
}

fn wrist(at: i64) -> NewBlock {
    NewBlock {
        exercise_id: "wrist_flexion".into(),
        side: Side::Left,
        target_reps: Some(10),
        target_range: Some(40.0),
        started_at_ms: at,
    }
}

fn rep(at: i64, amplitude: f64, reached: bool) -> RepRecord {
    RepRecord {
        started_at_ms: at,
        ended_at_ms: at + 1_500,
        amplitude,
        peak_speed: 80.0,
        target_reached: reached,
    }
}

#[test]
fn a_session_records_reps_one_by_one_and_keeps_counters() {
    let (_d, store, p) = with_profile();
    let session = store.create_session(&new_session(p, T0)).unwrap();
    assert_eq!(session.status, SessionStatus::Active);
    let b1 = store.start_block(session.id, &wrist(T0 + 1_000)).unwrap();
    let r1 = store.record_rep(b1, &rep(T0 + 2_000, 30.0, false)).unwrap();
    let r2 = store.record_rep(b1, &rep(T0 + 4_000, 50.0, true)).unwrap();
    assert!(r2 > r1);
    store
        .record_attempt(
            b1,
            &AttemptRecord {
                started_at_ms: T0 + 6_000,
                ended_at_ms: T0 + 6_800,
                amplitude: 5.0,
                peak_speed: 10.0,
            },
        )
        .unwrap();
    let block = store.finish_block(b1, T0 + 10_000, 8_000).unwrap();
    assert_eq!((block.position, block.reps, block.reps_reached), (1, 2, 1));
    assert_eq!((block.attempts, block.mean_range), (1, Some(40.0)));
    let err = store
        .record_rep(b1, &rep(T0 + 11_000, 30.0, false))
        .unwrap_err();
    assert!(matches!(err, StoreError::State(_)), "{err}");

    let b2 = store.start_block(session.id, &wrist(T0 + 20_000)).unwrap();
    store.record_rep(b2, &rep(T0 + 21_000, 45.0, true)).unwrap();
    let end = SessionEnd {
        ended_at_ms: T0 + 60_000,
        active_ms: 12_000,
        status: SessionStatus::Finished,
    };
    let done = store.finish_session(session.id, &end).unwrap();
    assert_eq!((done.reps, done.attempts, done.active_ms), (3, 1, 12_000));
    assert_eq!(done.status, SessionStatus::Finished);
    assert_eq!(done.plan_json, r#"{"plan":"morning"}"#);
    // Finishing the session closed the open block; nothing more can be added.
    let blocks = store.blocks(session.id).unwrap();
    assert_eq!(
        blocks.iter().map(|b| b.position).collect::<Vec<_>>(),
        [1, 2]
    );
    assert_eq!(blocks[1].ended_at_ms, Some(T0 + 60_000));
    let err = store
        .record_rep(b2, &rep(T0 + 61_000, 30.0, false))
        .unwrap_err();
    assert!(matches!(err, StoreError::State(_)), "{err}");
    assert!(matches!(
        store.finish_session(session.id, &end).unwrap_err(),
        StoreError::State(_)
    ));

    let reps = store.reps(b1).unwrap();
    assert_eq!(reps.iter().map(|r| r.id).collect::<Vec<_>>(), [r1, r2]);
    assert_eq!(reps[1].record, rep(T0 + 4_000, 50.0, true));
    assert_eq!(reps[1].duration_ms(), 1_500);
}

#[test]
fn bad_reps_and_unknown_blocks_are_refused() {
    let (_d, store, p) = with_profile();
    let session = store.create_session(&new_session(p, T0)).unwrap();
    let b = store.start_block(session.id, &wrist(T0)).unwrap();
    for bad in [
        rep(T0, f64::NAN, false),
        rep(T0, -1.0, false),
        RepRecord {
            ended_at_ms: T0 - 1,
            ..rep(T0, 1.0, false)
        },
        RepRecord {
            peak_speed: f64::INFINITY,
            ..rep(T0, 1.0, false)
        },
    ] {
        let err = store.record_rep(b, &bad).unwrap_err();
        assert!(matches!(err, StoreError::Invalid { .. }), "{err}");
    }
    let err = store.record_rep(9_999, &rep(T0, 1.0, false)).unwrap_err();
    assert!(
        matches!(
            err,
            StoreError::NotFound {
                what: "block",
                id: 9_999
            }
        ),
        "{err}"
    );
    assert!(store.reps(b).unwrap().is_empty());
    let err = store
        .start_block(
            session.id,
            &NewBlock {
                exercise_id: String::new(),
                ..wrist(T0)
            },
        )
        .unwrap_err();
    assert!(
        matches!(
            err,
            StoreError::Invalid {
                field: "exercise_id",
                ..
            }
        ),
        "{err}"
    );
    let err = store.create_session(&new_session(777, T0)).unwrap_err();
    assert!(
        matches!(
            err,
            StoreError::NotFound {
                what: "profile",
                ..
            }
        ),
        "{err}"
    );
}

#[test]
fn one_active_session_per_profile_and_a_crashed_one_can_be_closed() {
    let (_d, store, p) = with_profile();
    let other = store.create_profile(&madrid("Ben"), T0).unwrap().id;
    assert_eq!(store.unfinished_session(p).unwrap(), None);
    let s = store.create_session(&new_session(p, T0)).unwrap();
    let err = store.create_session(&new_session(p, T0 + 1)).unwrap_err();
    assert!(matches!(err, StoreError::State(_)), "{err}");
    // Another profile on the same device is independent.
    store.create_session(&new_session(other, T0)).unwrap();

    let b = store.start_block(s.id, &wrist(T0 + 1_000)).unwrap();
    store.record_rep(b, &rep(T0 + 2_000, 30.0, true)).unwrap();
    store.record_rep(b, &rep(T0 + 5_000, 30.0, true)).unwrap();
    // The app is killed here; at the next launch:
    let found = store.unfinished_session(p).unwrap().expect("left active");
    assert_eq!((found.id, found.reps), (s.id, 2));
    let closed = store.abandon_session(s.id).unwrap();
    assert_eq!(closed.status, SessionStatus::Abandoned);
    assert_eq!(closed.reps, 2);
    // The open block ends at its last rep (T0 + 6500), having started at T0 + 1000.
    assert_eq!(closed.ended_at_ms, Some(T0 + 6_500));
    assert_eq!(closed.active_ms, 5_500);
    assert_eq!(store.unfinished_session(p).unwrap(), None);
    store.create_session(&new_session(p, T0 + 10_000)).unwrap();
}

#[test]
fn a_live_session_is_not_taken_over_and_a_crashed_one_is_resumable() {
    let (_d, path) = temp();
    let owner = Store::open(&path).unwrap();
    let p = owner.create_profile(&madrid("Ana"), T0).unwrap().id;
    let live = owner.create_session(&new_session(p, T0)).unwrap();

    // Another process or app instance on the same file.
    let other = Store::open(&path).unwrap();
    let err = other.abandon_session(live.id).unwrap_err();
    assert!(matches!(err, StoreError::SessionLive), "{err}");
    let err = other.claim_session(live.id).unwrap_err();
    assert!(matches!(err, StoreError::SessionLive), "{err}");
    let err = other.create_session(&new_session(p, T0 + 1)).unwrap_err();
    assert!(matches!(err, StoreError::SessionLive), "{err}");
    assert_eq!(
        other.session(live.id).unwrap().status,
        SessionStatus::Active
    );

    // Once the owner ends it, the profile is free.
    let end = SessionEnd {
        ended_at_ms: T0 + 60_000,
        active_ms: 30_000,
        status: SessionStatus::Finished,
    };
    owner.finish_session(live.id, &end).unwrap();
    let next = other.create_session(&new_session(p, T0 + 120_000)).unwrap();

    // Its owner goes away without ending it (as in a crash): resumable elsewhere.
    drop(other);
    let err = owner
        .create_session(&new_session(p, T0 + 180_000))
        .unwrap_err();
    assert!(matches!(err, StoreError::State(_)), "still active: {err}");
    assert_eq!(owner.claim_session(next.id).unwrap().id, next.id);
    let third = Store::open(&path).unwrap();
    let err = third.abandon_session(next.id).unwrap_err();
    assert!(
        matches!(err, StoreError::SessionLive),
        "resumed here: {err}"
    );
    assert_eq!(
        owner.abandon_session(next.id).unwrap().status,
        SessionStatus::Abandoned
    );
    third.create_session(&new_session(p, T0 + 240_000)).unwrap();
}

fn completed(profile_id: i64, at: i64, reps: usize) -> CompletedSession {
    CompletedSession {
        profile_id,
        started_at_ms: at,
        utc_offset_min: 60,
        ended_at_ms: at + 600_000,
        active_ms: 300_000,
        plan_json: "{}".into(),
        blocks: vec![CompletedBlock {
            exercise_id: "elbow_flexion".into(),
            side: Side::Right,
            target_reps: None,
            target_range: None,
            started_at_ms: at + 1_000,
            ended_at_ms: at + 500_000,
            active_ms: 300_000,
            reps: (0..reps)
                .map(|i| rep(at + 2_000 + i as i64 * 3_000, 20.0 + i as f64, i % 2 == 0))
                .collect(),
            attempts: vec![],
        }],
    }
}

#[test]
fn completed_sessions_and_their_facts() {
    let (_d, store, p) = with_profile();
    // A live session does not stop an import.
    store
        .create_session(&new_session(p, T0 + 86_400_000))
        .unwrap();
    let s = store.store_completed_session(&completed(p, T0, 5)).unwrap();
    assert_eq!(
        (s.status, s.reps, s.active_ms),
        (SessionStatus::Finished, 5, 300_000)
    );
    let blocks = store.blocks(s.id).unwrap();
    assert_eq!((blocks[0].reps, blocks[0].reps_reached), (5, 3));
    assert_eq!(blocks[0].mean_range, Some(22.0));

    let facts = store.session_facts(p, T0, T0 + 2 * 86_400_000).unwrap();
    assert_eq!(facts.len(), 2);
    let done = facts.iter().find(|f| f.started_at_ms == T0).unwrap();
    assert_eq!(
        (done.reps, done.active_ms, done.utc_offset_min),
        (5, 300_000, 60)
    );
    assert!(store
        .session_facts(p, T0 + 1, T0 + 86_400_000)
        .unwrap()
        .is_empty());
    let blocks = store.block_facts(p, T0, T0 + 1).unwrap();
    assert_eq!(blocks.len(), 1);
    assert_eq!(
        (
            blocks[0].reps,
            blocks[0].amplitude_sum,
            blocks[0].amplitude_max
        ),
        (5, 110.0, 24.0)
    );

    // Invalid content leaves nothing behind.
    let mut bad = completed(p, T0 + 1_000_000, 3);
    bad.blocks[0].reps[2].amplitude = f64::NAN;
    assert!(store.store_completed_session(&bad).is_err());
    assert_eq!(store.session_facts(p, i64::MIN, i64::MAX).unwrap().len(), 2);
}

// ---- Check-ins, calibrations, goals, schedule --------------------------------

fn check_in(profile_id: i64, timing: CheckInTiming, pain: Option<u8>) -> NewCheckIn {
    NewCheckIn {
        profile_id,
        timing,
        recorded_at_ms: T0 + 1_000,
        utc_offset_min: 60,
        pain,
        spasticity: Some(Spasticity::OnePlus),
        effort: Some(4),
        note: "shoulder tight".into(),
    }
}

#[test]
fn check_ins_round_trip_and_are_validated() {
    let (_d, store, p) = with_profile();
    let other = store.create_profile(&madrid("Ben"), T0).unwrap().id;
    let s = store.store_completed_session(&completed(p, T0, 2)).unwrap();
    let before = store
        .record_check_in(&check_in(
            p,
            CheckInTiming::BeforeSession { session_id: s.id },
            Some(3),
        ))
        .unwrap();
    let alone = store
        .record_check_in(&check_in(p, CheckInTiming::Standalone, Some(0)))
        .unwrap();
    assert_eq!(store.session_check_ins(s.id).unwrap(), vec![before.clone()]);
    assert_eq!(
        store.check_ins(p, T0, T0 + 2_000).unwrap(),
        vec![before, alone]
    );
    let facts = store.check_in_facts(p, T0, T0 + 2_000).unwrap();
    assert_eq!(facts[0].spasticity, Some(Spasticity::OnePlus));
    assert_eq!(facts[0].pain, Some(3));

    let cases = [
        check_in(p, CheckInTiming::Standalone, Some(11)),
        NewCheckIn {
            effort: Some(12),
            ..check_in(p, CheckInTiming::Standalone, None)
        },
        NewCheckIn {
            spasticity: None,
            effort: None,
            note: " ".into(),
            ..check_in(p, CheckInTiming::Standalone, None)
        },
        check_in(
            other,
            CheckInTiming::AfterSession { session_id: s.id },
            Some(2),
        ),
    ];
    for bad in cases {
        let err = store.record_check_in(&bad).unwrap_err();
        assert!(matches!(err, StoreError::Invalid { .. }), "{err}");
    }
    let err = store
        .record_check_in(&check_in(
            p,
            CheckInTiming::AfterSession { session_id: 404 },
            None,
        ))
        .unwrap_err();
    assert!(
        matches!(
            err,
            StoreError::NotFound {
                what: "session",
                ..
            }
        ),
        "{err}"
    );
    assert_eq!(store.check_ins(p, i64::MIN, i64::MAX).unwrap().len(), 2);
}

#[test]
fn spasticity_grades_round_trip_in_clinical_order() {
    let all = [
        Spasticity::Zero,
        Spasticity::One,
        Spasticity::OnePlus,
        Spasticity::Two,
        Spasticity::Three,
        Spasticity::Four,
    ];
    for g in all {
        assert_eq!(Spasticity::parse(g.as_str()), Some(g));
    }
    assert!(all.windows(2).all(|w| w[0] < w[1]));
    assert_eq!(Spasticity::parse("5"), None);
}

#[test]
fn calibrations_keep_their_history() {
    let (_d, store, p) = with_profile();
    let cal = |at: i64, range: f64, side: Side| NewCalibration {
        profile_id: p,
        exercise_id: "wrist_flexion".into(),
        side,
        recorded_at_ms: at,
        rest_noise: 0.5,
        full_range: range,
    };
    assert_eq!(
        store
            .latest_calibration(p, "wrist_flexion", Side::Left)
            .unwrap(),
        None
    );
    store
        .record_calibration(&cal(T0, 30.0, Side::Left))
        .unwrap();
    store
        .record_calibration(&cal(T0 + 2, 45.0, Side::Left))
        .unwrap();
    store
        .record_calibration(&cal(T0 + 1, 60.0, Side::Right))
        .unwrap();
    let latest = store
        .latest_calibration(p, "wrist_flexion", Side::Left)
        .unwrap()
        .unwrap();
    assert_eq!(latest.values.full_range, 45.0);
    let history = store.calibration_history(p, "wrist_flexion").unwrap();
    let ranges: Vec<_> = history.iter().map(|c| c.values.full_range).collect();
    assert_eq!(ranges, [30.0, 60.0, 45.0]);
    let err = store
        .record_calibration(&cal(T0, 0.0, Side::Left))
        .unwrap_err();
    assert!(
        matches!(
            err,
            StoreError::Invalid {
                field: "full_range",
                ..
            }
        ),
        "{err}"
    );
}

#[test]
fn goals_keep_history_and_schedules_are_replaced() {
    use crate::model::{DailyGoal, ScheduleSlot, Weekday, WeeklySchedule};
    let (_d, store, p) = with_profile();
    let day = |s: &str| s.parse().unwrap();
    let goal = |from: &str, reps| DailyGoal {
        effective_from: day(from),
        reps,
        active_minutes: Some(20),
    };
    store
        .set_daily_goal(p, &goal("2026-03-01", Some(100)), T0)
        .unwrap();
    store
        .set_daily_goal(p, &goal("2026-03-10", Some(150)), T0)
        .unwrap();
    store
        .set_daily_goal(p, &goal("2026-03-10", Some(120)), T0)
        .unwrap();
    assert_eq!(
        store.daily_goals(p).unwrap(),
        vec![goal("2026-03-01", Some(100)), goal("2026-03-10", Some(120))]
    );
    let err = store
        .set_daily_goal(p, &goal("2026-03-11", Some(0)), T0)
        .unwrap_err();
    assert!(matches!(err, StoreError::Invalid { .. }), "{err}");

    assert_eq!(store.weekly_schedule(p).unwrap(), None);
    let slot = |weekday, hour, minute| ScheduleSlot {
        weekday,
        hour,
        minute,
    };
    let first = WeeklySchedule {
        effective_from: day("2026-03-02"),
        slots: vec![slot(Weekday::Friday, 18, 0), slot(Weekday::Monday, 9, 30)],
    };
    store.set_weekly_schedule(p, &first, T0).unwrap();
    let got = store.weekly_schedule(p).unwrap().unwrap();
    assert_eq!(
        got.slots,
        vec![slot(Weekday::Monday, 9, 30), slot(Weekday::Friday, 18, 0)]
    );
    let second = WeeklySchedule {
        effective_from: day("2026-03-09"),
        slots: vec![slot(Weekday::Sunday, 23, 59)],
    };
    store.set_weekly_schedule(p, &second, T0).unwrap();
    assert_eq!(store.weekly_schedule(p).unwrap(), Some(second));
    let bad = WeeklySchedule {
        effective_from: day("2026-03-09"),
        slots: vec![slot(Weekday::Sunday, 24, 0)],
    };
    assert!(store.set_weekly_schedule(p, &bad, T0).is_err());
}

#[test]
fn reps_skip_the_fsync_only_between_milestones() {
    let (_d, store, p) = with_profile();
    let full_sync = |s: &Store| -> bool {
        let w = lock(&s.writer);
        let level: i64 = w
            .conn
            .pragma_query_value(None, "synchronous", |r| r.get(0))
            .unwrap();
        assert_eq!(level == 2, w.full_sync, "tracked level is off");
        level == 2 // FULL; NORMAL is 1
    };
    assert!(full_sync(&store));
    let session = store.create_session(&new_session(p, T0)).unwrap();
    let b = store.start_block(session.id, &wrist(T0)).unwrap();
    assert!(full_sync(&store));
    store.record_rep(b, &rep(T0, 30.0, true)).unwrap();
    assert!(!full_sync(&store), "a rep commits without fsync by default");
    store.finish_block(b, T0 + 5_000, 4_000).unwrap();
    assert!(full_sync(&store), "finishing a block is a milestone");

    store.set_durability(Durability::EveryCommit);
    let b = store.start_block(session.id, &wrist(T0 + 6_000)).unwrap();
    store.record_rep(b, &rep(T0 + 7_000, 30.0, true)).unwrap();
    assert!(full_sync(&store));
    assert_eq!(store.reps(b).unwrap().len(), 1);
}

/// Writes `sql` through a second connection with CHECK constraints off, as
/// another program (or damage) could.
fn write_unchecked(path: &Path, sql: &str) {
    let conn = rusqlite::Connection::open(path).unwrap();
    conn.execute_batch(&format!("PRAGMA ignore_check_constraints = ON; {sql}"))
        .unwrap();
}

#[test]
fn an_unknown_session_status_is_a_typed_error_not_active() {
    let (dir, store, p) = with_profile();
    let session = store.create_session(&new_session(p, T0)).unwrap();
    write_unchecked(
        &dir.path().join("rehab.db"),
        &format!(
            "UPDATE sessions SET status = 'paused' WHERE id = {}",
            session.id
        ),
    );
    let err = store.session(session.id).unwrap_err();
    match &err {
        StoreError::UnknownValue(v) => {
            assert_eq!((v.kind, v.value.as_str()), ("session status", "paused"));
        }
        other => panic!("expected UnknownValue, got {other:?}"),
    }
    assert!(
        err.to_string()
            .contains("unknown session status \"paused\""),
        "{err}"
    );
    assert!(
        store.unfinished_session(p).unwrap().is_none(),
        "not taken for the active session"
    );
}

#[test]
fn an_unknown_side_is_a_typed_error_not_none() {
    let (dir, store, p) = with_profile();
    let session = store.create_session(&new_session(p, T0)).unwrap();
    let b = store.start_block(session.id, &wrist(T0)).unwrap();
    let path = dir.path().join("rehab.db");
    write_unchecked(
        &path,
        &format!("UPDATE profiles SET affected_side = 'up' WHERE id = {p}"),
    );
    write_unchecked(
        &path,
        &format!("UPDATE blocks SET side = 'sideways' WHERE id = {b}"),
    );
    let unknown = |e: StoreError| match e {
        StoreError::UnknownValue(v) => (v.kind, v.value),
        other => panic!("expected UnknownValue, got {other:?}"),
    };
    assert_eq!(
        unknown(store.profile(p).unwrap_err()),
        ("side", "up".to_string())
    );
    assert_eq!(
        unknown(store.blocks(session.id).unwrap_err()),
        ("side", "sideways".to_string())
    );
    assert!(store
        .profile_histories(None, crate::store::export_queries::HistoryWindow::ALL)
        .is_err());
}

#[test]
fn an_unknown_spasticity_grade_is_a_typed_error_not_missing() {
    let (dir, store, p) = with_profile();
    store
        .record_check_in(&NewCheckIn {
            profile_id: p,
            timing: CheckInTiming::Standalone,
            recorded_at_ms: T0,
            utc_offset_min: 60,
            pain: None,
            spasticity: Some(Spasticity::Two),
            effort: None,
            note: String::new(),
        })
        .unwrap();
    write_unchecked(
        &dir.path().join("rehab.db"),
        "UPDATE check_ins SET spasticity = '9'",
    );
    let err = store.check_ins(p, 0, i64::MAX).unwrap_err();
    assert!(
        matches!(&err, StoreError::UnknownValue(v) if v.kind == "spasticity grade"),
        "{err:?}"
    );
    assert!(store.check_in_facts(p, 0, i64::MAX).is_err());
}
