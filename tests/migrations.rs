//! Upgrades from real files made by earlier schema versions (snapshots under
//! `tests/fixtures/`), reopened as an app launch would.

use rehab_core::model::Side;
use rehab_core::store::{schema, NewBlock, NewProfile, NewSession, RepRecord, Store, StoreError};
use rusqlite::Connection;
use std::path::{Path, PathBuf};

const SCHEMA_V1: &str = include_str!("fixtures/schema_v1.sql");

/// A database file made from a schema snapshot, as the old app left it.
fn file_from_snapshot(dir: &Path, sql: &str) -> PathBuf {
    let path = dir.join("old.db");
    let conn = Connection::open(&path).unwrap();
    conn.execute_batch(sql).unwrap();
    path
}

/// `sqlite_master` without root pages, whitespace collapsed, sorted.
fn normalized_schema(path: &Path) -> Vec<(String, String, String)> {
    let conn = Connection::open(path).unwrap();
    let mut stmt = conn
        .prepare("SELECT type, name, coalesce(sql, '') FROM sqlite_master ORDER BY type, name")
        .unwrap();
    let rows = stmt
        .query_map([], |r| {
            let sql: String = r.get(2)?;
            Ok((
                r.get(0)?,
                r.get(1)?,
                sql.split_whitespace().collect::<Vec<_>>().join(" "),
            ))
        })
        .unwrap();
    rows.collect::<Result<_, _>>().unwrap()
}

fn user_version(path: &Path) -> u32 {
    let conn = Connection::open(path).unwrap();
    conn.pragma_query_value(None, "user_version", |r| r.get(0))
        .unwrap()
}

fn fresh_schema(dir: &Path) -> Vec<(String, String, String)> {
    let path = dir.join("fresh.db");
    drop(Store::open(&path).unwrap());
    normalized_schema(&path)
}

#[test]
fn the_v1_snapshot_is_what_v1_created() {
    let dir = tempfile::tempdir().unwrap();
    let v1 = file_from_snapshot(dir.path(), SCHEMA_V1);
    assert_eq!(user_version(&v1), 1);
    let old = normalized_schema(&v1);
    // Version 2 only added tables: the profiles table is unchanged.
    let fresh = fresh_schema(dir.path());
    for entry in &old {
        assert!(fresh.contains(entry), "v1 entry changed: {entry:?}");
    }
}

#[test]
fn v1_upgrades_to_the_current_schema_and_keeps_its_data() {
    let dir = tempfile::tempdir().unwrap();
    let path = file_from_snapshot(dir.path(), SCHEMA_V1);
    {
        let conn = Connection::open(&path).unwrap();
        conn.execute(
            "INSERT INTO profiles (name, affected_side, time_zone, created_at_ms)
             VALUES ('Ana', 'left', 'Europe/Madrid', 1000)",
            [],
        )
        .unwrap();
    }
    // Launch 1: upgrade.
    let store = Store::open(&path).unwrap();
    assert_eq!(store.schema_version().unwrap(), schema::VERSION);
    let profiles = store.profiles().unwrap();
    assert_eq!(profiles.len(), 1);
    assert_eq!(
        (profiles[0].name.as_str(), profiles[0].affected_side),
        ("Ana", Side::Left)
    );
    drop(store);
    assert_eq!(normalized_schema(&path), fresh_schema(dir.path()));

    // Launch 2: the upgraded file works like a new one and keeps what it gets.
    let store = Store::open(&path).unwrap();
    let p = profiles[0].id;
    let session = store
        .create_session(&NewSession {
            profile_id: p,
            started_at_ms: 2_000,
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
                target_reps: None,
                target_range: None,
                started_at_ms: 2_000,
            },
        )
        .unwrap();
    let rep = RepRecord {
        started_at_ms: 3_000,
        ended_at_ms: 4_000,
        amplitude: 20.0,
        peak_speed: 30.0,
        target_reached: true,
    };
    store.record_rep(block, &rep).unwrap();
    store
        .create_profile(
            &NewProfile {
                name: "Ben".into(),
                affected_side: Side::Right,
                time_zone: "Europe/Madrid".into(),
            },
            5_000,
        )
        .unwrap();
    drop(store);

    // Launch 3: everything is there.
    let store = Store::open(&path).unwrap();
    assert_eq!(store.profiles().unwrap().len(), 2);
    assert_eq!(store.reps(block).unwrap()[0].record, rep);
    assert_eq!(store.unfinished_session(p).unwrap().unwrap().reps, 1);
}

#[test]
fn a_failing_upgrade_step_rolls_back_and_leaves_version_1() {
    let dir = tempfile::tempdir().unwrap();
    // The fault: a v1 file that already holds a table the v2 step creates.
    let path = file_from_snapshot(
        dir.path(),
        &format!("{SCHEMA_V1}\nCREATE TABLE check_ins (id INTEGER PRIMARY KEY, mood TEXT);"),
    );
    {
        let conn = Connection::open(&path).unwrap();
        conn.execute(
            "INSERT INTO profiles (name, affected_side, time_zone, created_at_ms)
             VALUES ('Ana', 'left', 'Europe/Madrid', 1000)",
            [],
        )
        .unwrap();
    }
    let before = normalized_schema(&path);
    let err = Store::open(&path).err().expect("the upgrade must fail");
    assert!(
        matches!(err, StoreError::UpgradeFailed { from: 1, .. }),
        "{err}"
    );
    assert!(err.to_string().contains("left at version 1"), "{err}");
    // Short: SQLite's reason, not the kilobytes of schema it was running.
    assert!(
        err.to_string().len() < 300,
        "{} bytes: {err}",
        err.to_string().len()
    );
    assert!(!err.to_string().contains("CREATE"), "{err}");
    // Tables the step created before failing (sessions, blocks, ...) are gone.
    assert_eq!(normalized_schema(&path), before);
    assert_eq!(user_version(&path), 1);
    let conn = Connection::open(&path).unwrap();
    let name: String = conn
        .query_row("SELECT name FROM profiles", [], |r| r.get(0))
        .unwrap();
    assert_eq!(name, "Ana");
    // The same file opens after the fault is fixed.
    conn.execute_batch("DROP TABLE check_ins").unwrap();
    drop(conn);
    let store = Store::open(&path).unwrap();
    assert_eq!(store.schema_version().unwrap(), schema::VERSION);
    assert_eq!(store.profiles().unwrap().len(), 1);
}

#[test]
fn a_file_one_version_ahead_is_refused_and_left_byte_for_byte() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("next.db");
    drop(Store::open(&path).unwrap());
    {
        let conn = Connection::open(&path).unwrap();
        conn.pragma_update(None, "journal_mode", "delete").unwrap();
        conn.pragma_update(None, "user_version", schema::VERSION + 1)
            .unwrap();
    }
    let before = std::fs::read(&path).unwrap();
    let err = Store::open(&path).err().expect("must refuse");
    assert!(matches!(err, StoreError::TooNew { .. }), "{err}");
    assert_eq!(std::fs::read(&path).unwrap(), before);
    assert!(!dir.path().join("next.db-wal").exists());
}

const SCHEMA_V2: &str = include_str!("fixtures/schema_v2.sql");

#[test]
fn the_v2_snapshot_is_the_current_schema_without_session_uuids() {
    let dir = tempfile::tempdir().unwrap();
    let v2 = file_from_snapshot(dir.path(), SCHEMA_V2);
    assert_eq!(user_version(&v2), 2);
    let old = normalized_schema(&v2);
    let fresh = fresh_schema(dir.path());
    // Version 3 added the sessions' uuid column and its index, nothing else.
    let changed: Vec<_> = fresh
        .iter()
        .filter(|e| !old.contains(e))
        .map(|e| e.1.as_str())
        .collect();
    assert_eq!(changed, ["sessions_by_uuid", "sessions"]);
    assert_eq!(old.len() + 1, fresh.len());
}

/// The ids of Health Connect records and HealthKit workouts a v2 app wrote
/// stay the same after the upgrade: the phone's health store sees the same
/// records, not new ones.
#[test]
fn v2_upgrades_keeping_each_sessions_health_record_id() {
    use rehab_core::export::{csv, health};
    use rehab_core::progress::DateRange;
    let dir = tempfile::tempdir().unwrap();
    let path = file_from_snapshot(dir.path(), SCHEMA_V2);
    {
        let conn = Connection::open(&path).unwrap();
        conn.execute_batch(
            "INSERT INTO profiles (id, name, affected_side, time_zone, created_at_ms)
                  VALUES (7, 'Ana', 'left', 'UTC', 1000);
             INSERT INTO sessions (id, profile_id, started_at_ms, utc_offset_min, ended_at_ms,
                                   active_ms, status)
                  VALUES (41, 7, 1772442000000, 0, 1772442600000, 300000, 'finished'),
                         (42, 7, 1772528400000, 0, 1772529000000, 300000, 'finished');
             INSERT INTO blocks (session_id, position, exercise_id, side, started_at_ms,
                                 ended_at_ms, active_ms)
                  VALUES (41, 1, 'wrist_flexion', 'left', 1772442000000, 1772442600000, 300000);
             INSERT INTO reps (block_id, started_at_ms, ended_at_ms, amplitude, peak_speed,
                               target_reached)
                  VALUES (1, 1772442001000, 1772442003000, 0.5, 1.0, 1);",
        )
        .unwrap();
    }
    // What the v2 code used as the record id: the profile's and the session's row ids.
    let legacy = |sid: i64| rehab_core::store::name_uuid(&["session", "7:1000", &sid.to_string()]);

    let store = Store::open(&path).unwrap();
    assert_eq!(store.schema_version().unwrap(), schema::VERSION);
    assert_eq!(store.session(41).unwrap().uuid, legacy(41));
    assert_eq!(store.session(42).unwrap().uuid, legacy(42));
    let range =
        DateRange::new("2026-03-01".parse().unwrap(), "2026-03-31".parse().unwrap()).unwrap();
    let history = csv::history_in_range(&store, 7, range).unwrap();
    let ids: Vec<String> = health::health_connect_sessions(&history)
        .into_iter()
        .map(|r| r.client_record_id)
        .collect();
    assert_eq!(
        ids,
        [
            format!("rehabcore.session.{}", legacy(41)),
            format!("rehabcore.session.{}", legacy(42))
        ]
    );
    // A new session gets a random (v4) uuid of its own.
    let new = store
        .create_session(&NewSession {
            profile_id: 7,
            started_at_ms: 1_772_600_000_000,
            utc_offset_min: 0,
            plan_json: "{}".into(),
        })
        .unwrap();
    assert!(
        rehab_core::store::is_uuid(&new.uuid) && new.uuid.as_bytes()[14] == b'4',
        "{}",
        new.uuid
    );
    drop(store);
    assert_eq!(normalized_schema(&path), fresh_schema(dir.path()));
}
