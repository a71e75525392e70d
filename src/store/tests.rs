use super::*;
use std::fs;

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
    assert!(
        matches!(
            err,
            StoreError::Corrupt { .. } | StoreError::NotADatabase { .. }
        ),
        "{err}"
    );
    assert_eq!(fs::read(&path).unwrap(), bytes);
}

#[test]
fn another_programs_sqlite_file_is_refused() {
    let (_d, path) = temp();
    {
        let conn = rusqlite::Connection::open(&path).unwrap();
        conn.execute_batch("CREATE TABLE contacts (name TEXT); INSERT INTO contacts VALUES ('x');")
            .unwrap();
    }
    let err = Store::open(&path).err().expect("must refuse");
    assert!(
        matches!(
            err,
            StoreError::Invalid {
                field: "database",
                ..
            }
        ),
        "{err}"
    );
    let conn = rusqlite::Connection::open(&path).unwrap();
    let n: i64 = conn
        .query_row("SELECT count(*) FROM contacts", [], |r| r.get(0))
        .unwrap();
    assert_eq!(n, 1);
}
