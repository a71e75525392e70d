//! Two `rehab demo` runs on one file: the second must not close the first's live
//! session as "interrupted" (it did, and the first then failed); it is refused with
//! a clear error while the first finishes its session.

use rehab_core::store::Store;
use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};

fn signal(pid: u32, sig: &str) {
    let ok = Command::new("kill")
        .args([sig, &pid.to_string()])
        .status()
        .unwrap();
    assert!(ok.success(), "kill {sig} {pid}");
}

#[test]
fn a_second_demo_is_refused_while_the_first_is_live() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("demo.db");
    let mut first = Command::new(env!("CARGO_BIN_EXE_rehab"))
        .args(["demo", "--quiet", "--trace-reps", "--minutes", "5", "--db"])
        .arg(&db)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(first.stdout.take().unwrap()).lines();
    // Hold the first run still in the middle of its session, a rep stored.
    loop {
        let line = lines.next().expect("the first demo stores reps").unwrap();
        if line.starts_with("rep ") {
            signal(first.id(), "-STOP");
            break;
        }
    }
    let second = Command::new(env!("CARGO_BIN_EXE_rehab"))
        .args(["demo", "--quiet", "--minutes", "5", "--db"])
        .arg(&db)
        .output()
        .unwrap();
    signal(first.id(), "-CONT");
    for line in lines {
        line.unwrap();
    }
    let first = first.wait_with_output().unwrap();

    let err = String::from_utf8_lossy(&second.stderr);
    assert!(!second.status.success(), "the second run is refused: {err}");
    assert!(err.contains("live in another process"), "{err}");
    assert!(
        first.status.success(),
        "the first run finishes: {}",
        String::from_utf8_lossy(&first.stderr)
    );
    let store = Store::open(&db).unwrap();
    let statuses: Vec<String> = store
        .read(|c| {
            let mut stmt = c.prepare("SELECT status FROM sessions")?;
            let rows = stmt.query_map([], |r| r.get(0))?;
            Ok(rows.collect::<Result<_, _>>()?)
        })
        .unwrap();
    assert_eq!(
        statuses,
        ["finished"],
        "only the first run's session, finished"
    );
}
