//! What the `rehab` tool writes and prints: `report --out` never overwrites the
//! database or its side files and writes whole files; output into a closed pipe
//! ends the tool quietly.

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Command, Output, Stdio};

fn rehab(args: &[&str], db: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_rehab"))
        .args(args)
        .arg("--db")
        .arg(db)
        .output()
        .expect("run rehab")
}

fn demo_db(dir: &Path) -> std::path::PathBuf {
    let db = dir.join("p.db");
    let out = rehab(&["demo", "--quiet", "--minutes", "5"], &db);
    assert!(out.status.success(), "{out:?}");
    db
}

#[test]
fn report_refuses_to_write_over_the_database_or_its_side_files() {
    let dir = tempfile::tempdir().unwrap();
    let db = demo_db(dir.path());
    let before = std::fs::read(&db).unwrap();
    let sub = dir.path().join("sub");
    std::fs::create_dir(&sub).unwrap();
    let link = dir.path().join("alias.db");
    std::fs::hard_link(&db, &link).unwrap();
    let outs = [
        db.clone(),
        dir.path().join("p.db-wal"),
        dir.path().join("p.db-shm"),
        dir.path().join("p.db-journal"),
        sub.join("../p.db"),
        link,
    ];
    for out in outs {
        let run = rehab(&["report", "--out", out.to_str().unwrap()], &db);
        let err = String::from_utf8_lossy(&run.stderr);
        assert!(!run.status.success(), "{}: exit 0", out.display());
        assert!(err.contains("is the database"), "{}: {err}", out.display());
        assert_eq!(std::fs::read(&db).unwrap(), before, "{}", out.display());
    }
    assert!(!dir.path().join("p.db-journal").exists());

    // An ordinary output is written whole, with no temporary file left.
    let html = dir.path().join("report.html");
    let run = rehab(&["report", "--out", html.to_str().unwrap()], &db);
    assert!(run.status.success(), "{run:?}");
    assert!(std::fs::read_to_string(&html).unwrap().contains("</html>"));
    let names: Vec<String> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".tmp"))
        .collect();
    assert!(names.is_empty(), "{names:?}");
}

#[test]
fn a_closed_pipe_ends_the_demo_quietly() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("pipe.db");
    // As `rehab demo | head -1`: read one line, then close the pipe.
    let mut child = Command::new(env!("CARGO_BIN_EXE_rehab"))
        .args(["demo", "--quiet", "--minutes", "5", "--db"])
        .arg(&db)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut first = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut first)
        .unwrap();
    assert!(first.starts_with("RehabCore demo"), "{first}");
    let out = child.wait_with_output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(!err.contains("panicked"), "{err}");
    assert!(out.status.success(), "{:?}: {err}", out.status);
}
