//! What the app sees when `RehabCore(path)` meets a file it must not use: the
//! documented error case, and the file left as it was.

use rehab_core::ffi::{RehabCore, RehabError};
use rehab_core::store::Store;

fn open(path: &std::path::Path) -> Result<std::sync::Arc<RehabCore>, RehabError> {
    RehabCore::new(path.to_str().unwrap().to_string())
}

#[test]
fn another_programs_file_is_database_unreadable_and_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("contacts.db");
    {
        let c = rusqlite::Connection::open(&path).unwrap();
        c.execute_batch("CREATE TABLE contacts (name TEXT); INSERT INTO contacts VALUES ('x');")
            .unwrap();
    }
    let before = std::fs::read(&path).unwrap();
    let err = open(&path).err().expect("refused");
    assert!(
        matches!(err, RehabError::DatabaseUnreadable { .. }),
        "{err:?}"
    );
    assert_eq!(std::fs::read(&path).unwrap(), before);
}

#[test]
fn a_damaged_file_is_database_unreadable_with_a_way_out() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("rehab.db");
    {
        let store = Store::open(&path).unwrap();
        for i in 0..300 {
            let p = rehab_core::store::NewProfile {
                name: format!("p{i}"),
                affected_side: rehab_core::model::Side::Left,
                time_zone: "UTC".into(),
            };
            store.create_profile(&p, i).unwrap();
        }
    }
    // Cut mid-page, half-way through.
    let mut bytes = std::fs::read(&path).unwrap();
    bytes.truncate(bytes.len() / 2 / 4096 * 4096 + 2048);
    std::fs::write(&path, &bytes).unwrap();
    let err = open(&path).err().expect("refused");
    let RehabError::DatabaseUnreadable {
        reason: message, ..
    } = &err
    else {
        panic!("{err:?}")
    };
    assert!(message.contains("restore the last backup"), "{message}");
    assert!(!message.contains("p1"), "no stored data in the message");
    assert_eq!(std::fs::read(&path).unwrap(), bytes);
}

#[test]
fn a_read_only_file_is_refused_at_open_as_storage() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("rehab.db");
    drop(Store::open(&path).unwrap());
    let mut perms = std::fs::metadata(&path).unwrap().permissions();
    perms.set_readonly(true);
    std::fs::set_permissions(&path, perms).unwrap();
    let err = open(&path).err().expect("refused at open");
    assert!(
        matches!(&err, RehabError::Storage { reason: m, .. } if m.contains("read-only")),
        "{err:?}"
    );
}
