//! Kills the real `rehab demo` process with SIGKILL in the middle of a session,
//! again and again, and checks that every rep it reported as stored is on disk,
//! that the file is intact, and that the next run closes the interrupted
//! session cleanly and carries on.

use rehab_core::sim::Rng;
use rehab_core::store::Store;
use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};

const KILLS: usize = 12;

#[test]
fn killing_the_demo_mid_session_loses_no_shown_rep() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("demo.db");
    let mut rng = Rng::new(0x2545_F491);
    let mut shown: Vec<i64> = Vec::new();
    for round in 0..KILLS {
        // Kill after a pseudo-random number of reps (1..=300).
        let kill_after = 1 + rng.below(300) as usize;
        let mut child = Command::new(env!("CARGO_BIN_EXE_rehab"))
            .args(["demo", "--quiet", "--trace-reps", "--db"])
            .arg(&db)
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("start rehab demo");
        let stdout = BufReader::new(child.stdout.take().unwrap());
        let mut seen = 0;
        for line in stdout.lines() {
            let line = line.unwrap();
            if let Some(id) = line.strip_prefix("rep ") {
                shown.push(id.parse().unwrap());
                seen += 1;
                if seen == kill_after {
                    child.kill().unwrap(); // SIGKILL
                    break;
                }
            }
        }
        let status = child.wait().unwrap();
        assert!(seen > 0, "round {round}: the demo showed no rep");

        let store = Store::open(&db).expect("the file opens after a kill");
        let ok: String = store
            .read(|c| Ok(c.query_row("PRAGMA integrity_check", [], |r| r.get(0))?))
            .unwrap();
        assert_eq!(ok, "ok", "round {round}");
        let stored: Vec<i64> = store
            .read(|c| {
                let mut stmt = c.prepare("SELECT id FROM reps")?;
                let ids = stmt
                    .query_map([], |r| r.get(0))?
                    .collect::<Result<Vec<i64>, _>>()?;
                Ok(ids)
            })
            .unwrap();
        for id in &shown {
            assert!(
                stored.contains(id),
                "round {round}: rep {id} was shown but is not stored"
            );
        }
        if !status.success() {
            let profile = store.profiles().unwrap()[0].id;
            assert!(
                store.unfinished_session(profile).unwrap().is_some(),
                "round {round}: the killed session is still open, to be resumed or closed"
            );
        }
    }
    // A last, complete run closes the interrupted session and finishes its own.
    let out = Command::new(env!("CARGO_BIN_EXE_rehab"))
        .args(["demo", "--quiet", "--db"])
        .arg(&db)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("closed an interrupted session"), "{text}");
    let store = Store::open(&db).unwrap();
    let profile = store.profiles().unwrap()[0].id;
    assert!(store.unfinished_session(profile).unwrap().is_none());
}
