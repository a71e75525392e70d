//! Many threads and processes open the same new file at the same moment: every
//! one of them gets a usable database, never "database is locked" (SQLite does not
//! always wait on its busy handler while a file is being created and switched to WAL).

use rehab_core::model::Side;
use rehab_core::store::{NewProfile, Store};
use std::path::Path;
use std::process::Command;
use std::sync::{Arc, Barrier};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

const THREAD_TRIES: usize = 100;
const THREADS: usize = 4;
const PROCESS_TRIES: usize = 20;
const PROCESSES: usize = 3;

/// Opens `path` and writes one profile, as an app launch would.
fn open_and_write(path: &Path, who: &str) -> Result<(), String> {
    let store = Store::open(path).map_err(|e| format!("open: {e}"))?;
    store
        .create_profile(
            &NewProfile {
                name: who.into(),
                affected_side: Side::Left,
                time_zone: "UTC".into(),
            },
            0,
        )
        .map_err(|e| format!("write: {e}"))?;
    Ok(())
}

fn profiles(path: &Path) -> usize {
    Store::open(path).unwrap().profiles().unwrap().len()
}

/// The race made deterministic: another connection (a second process creating
/// the same file) holds the write lock of the new, empty file while we open it.
/// The switch to WAL then upgrades a read lock, where SQLite reports "database is
/// locked" at once instead of waiting on the busy handler; the open must wait.
#[test]
fn opening_waits_while_another_opener_holds_the_new_file() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("new.db");
    let other = rusqlite::Connection::open(&path).unwrap();
    other.execute_batch("BEGIN IMMEDIATE").unwrap();
    let opener = {
        let path = path.clone();
        std::thread::spawn(move || {
            let started = std::time::Instant::now();
            let store = open_and_write(&path, "waited");
            (store, started.elapsed())
        })
    };
    std::thread::sleep(Duration::from_millis(300));
    other.execute_batch("COMMIT").unwrap();
    drop(other);
    let (opened, waited) = opener.join().unwrap();
    assert_eq!(opened, Ok(()), "after {waited:?}");
    assert!(waited >= Duration::from_millis(250), "{waited:?}");
    assert_eq!(profiles(&path), 1);
}

/// After a round without failures, every opener's profile is there.
fn check_round(failures: &[String], path: &Path, openers: usize, round: usize) {
    if failures.is_empty() {
        assert_eq!(profiles(path), openers, "round {round}");
    }
}

fn assert_none_failed(failures: &[String], opens: usize) {
    let first = &failures[..failures.len().min(5)];
    assert!(
        failures.is_empty(),
        "{} of {opens} opens failed: {first:?}",
        failures.len()
    );
}

#[test]
fn threads_opening_one_new_file_at_once_all_succeed() {
    let dir = tempfile::tempdir().unwrap();
    let mut failures = Vec::new();
    for round in 0..THREAD_TRIES {
        let path = Arc::new(dir.path().join(format!("t{round}.db")));
        let barrier = Arc::new(Barrier::new(THREADS));
        let handles: Vec<_> = (0..THREADS)
            .map(|i| {
                let (path, barrier) = (path.clone(), barrier.clone());
                std::thread::spawn(move || {
                    barrier.wait();
                    open_and_write(&path, &format!("thread {i}"))
                })
            })
            .collect();
        for h in handles {
            if let Err(e) = h.join().unwrap() {
                failures.push(format!("round {round}: {e}"));
            }
        }
        check_round(&failures, &path, THREADS, round);
    }
    assert_none_failed(&failures, THREAD_TRIES * THREADS);
}

#[test]
fn processes_opening_one_new_file_at_once_all_succeed() {
    let dir = tempfile::tempdir().unwrap();
    let me = std::env::current_exe().unwrap();
    let mut failures = Vec::new();
    for round in 0..PROCESS_TRIES {
        let path = dir.path().join(format!("p{round}.db"));
        // Every child waits for the same instant, then opens.
        let at = SystemTime::now() + Duration::from_millis(150);
        let at_ms = at.duration_since(UNIX_EPOCH).unwrap().as_millis();
        let children: Vec<_> = (0..PROCESSES)
            .map(|_| {
                Command::new(&me)
                    .args(["--ignored", "--exact", "open_race_child", "--nocapture"])
                    .env("REHAB_RACE_DB", &path)
                    .env("REHAB_RACE_AT_MS", at_ms.to_string())
                    .output()
            })
            .map(|out| std::thread::spawn(move || out))
            .collect();
        for child in children {
            let out = child.join().unwrap().unwrap();
            if !out.status.success() {
                let text = String::from_utf8_lossy(&out.stderr);
                let why = text
                    .lines()
                    .find(|l| l.contains("open:") || l.contains("write:"))
                    .unwrap_or("failed")
                    .to_string();
                failures.push(format!("round {round}: {why}"));
            }
        }
        check_round(&failures, &path, PROCESSES, round);
    }
    assert_none_failed(&failures, PROCESS_TRIES * PROCESSES);
}

/// One process of the test above (run by it, with the file and the instant in its
/// environment).
#[test]
#[ignore = "a child process of processes_opening_one_new_file_at_once_all_succeed"]
fn open_race_child() {
    let path = std::env::var_os("REHAB_RACE_DB").expect("run by the race test");
    let at_ms: u128 = std::env::var("REHAB_RACE_AT_MS").unwrap().parse().unwrap();
    let now_ms = || {
        SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .unwrap()
            .as_millis()
    };
    std::thread::sleep(Duration::from_millis(
        at_ms.saturating_sub(now_ms() + 5) as u64
    ));
    while now_ms() < at_ms {
        std::hint::spin_loop(); // the last milliseconds spinning, for a close start
    }
    if let Err(e) = open_and_write(Path::new(&path), &format!("process {}", std::process::id())) {
        panic!("{e}");
    }
}
