//! `rehab export` and `rehab import`: every format is written, and a backup
//! written by `rehab export` restores into a fresh database with identical
//! progress figures.

use rehab_core::model::{LocalDate, Weekday};
use rehab_core::progress::{self, DateRange};
use rehab_core::store::Store;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn rehab(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_rehab"))
        .args(args)
        .output()
        .expect("run rehab")
}

fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

/// `rehab export --format <format> --db <db> --out <out> <extra>`, which must succeed.
fn export(db: &Path, format: &str, out: &Path, extra: &[&str]) -> Output {
    let mut args = vec!["export", "--format", format, "--db", s(db), "--out", s(out)];
    args.extend_from_slice(extra);
    let run = rehab(&args);
    assert!(run.status.success(), "{run:?}");
    run
}

fn read_json(path: &Path) -> serde_json::Value {
    serde_json::from_slice(&std::fs::read(path).unwrap()).unwrap()
}

/// Two demo days: sessions, sets, reps, calibrations and check-ins.
fn demo_db(dir: &Path) -> PathBuf {
    let db = dir.join("p.db");
    for _ in 0..2 {
        let out = rehab(&["demo", "--quiet", "--minutes", "5", "--db", s(&db)]);
        assert!(out.status.success(), "{out:?}");
    }
    db
}

/// Everything the progress screens show for the database's one profile.
fn figures(db: &Path) -> String {
    let store = Store::open(db).unwrap();
    let profiles = store.profiles().unwrap();
    assert_eq!(profiles.len(), 1, "one profile");
    let p = profiles[0].id;
    let sessions = store.session_facts(p, i64::MIN, i64::MAX).unwrap();
    let first: LocalDate = sessions.iter().map(|s| s.local_date()).min().unwrap();
    let last: LocalDate = sessions.iter().map(|s| s.local_date()).max().unwrap();
    let range = DateRange::new(first - chrono::Days::new(3), last + chrono::Days::new(3)).unwrap();
    let (from_ms, to_ms) = range.utc_window();
    let blocks = store.block_facts(p, from_ms, to_ms).unwrap();
    let check_ins = store.check_in_facts(p, from_ms, to_ms).unwrap();
    let goals = store.daily_goals(p).unwrap();
    let schedule = store.weekly_schedule(p).unwrap();
    format!(
        "{:?}\n{:?}\n{:?}\n{:?}\n{:?}\n{:?}",
        progress::daily_totals(&sessions, range),
        progress::streaks(&sessions, last),
        progress::exercise_trends(&blocks, range),
        progress::pain_vs_reps(&sessions, &check_ins, range),
        progress::adherence(&sessions, &goals, schedule.as_ref(), range, last),
        progress::weekly_totals(&sessions, range, Weekday::Monday),
    )
}

#[test]
fn a_backup_from_rehab_export_restores_with_identical_progress() {
    let dir = tempfile::tempdir().unwrap();
    let db = demo_db(dir.path());
    let backup = dir.path().join("backup.json");
    let out = export(&db, "json", &backup, &[]);
    assert!(String::from_utf8_lossy(&out.stdout).contains("backup of 1 profile"));

    let fresh = dir.path().join("fresh").join("restored.db");
    let out = rehab(&["import", "--db", s(&fresh), s(&backup)]);
    assert!(out.status.success(), "{out:?}");
    let said = String::from_utf8_lossy(&out.stdout);
    assert!(
        said.contains("1 profile(s)") && said.contains(" reps"),
        "{said}"
    );
    let before = figures(&db);
    assert!(before.contains("reps: "), "{before}");
    assert_eq!(figures(&fresh), before);

    // The same backup again is refused (already on this device), and changes nothing.
    let bytes = std::fs::read(&fresh).unwrap().len();
    let again = rehab(&["import", "--db", s(&fresh), s(&backup)]);
    assert!(!again.status.success());
    assert!(
        String::from_utf8_lossy(&again.stderr).contains("already on this device"),
        "{again:?}"
    );
    assert_eq!(figures(&fresh), before);
    assert!(std::fs::read(&fresh).unwrap().len() >= bytes);

    // A damaged file is refused with the reason.
    let damaged = dir.path().join("damaged.json");
    let text = std::fs::read_to_string(&backup).unwrap();
    std::fs::write(&damaged, &text[..text.len() / 2]).unwrap();
    let out = rehab(&[
        "import",
        "--db",
        s(&dir.path().join("other.db")),
        s(&damaged),
    ]);
    assert!(!out.status.success());
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("not a readable backup"),
        "{out:?}"
    );
}

#[test]
fn every_format_is_written_for_a_date_range() {
    let dir = tempfile::tempdir().unwrap();
    let db = demo_db(dir.path());
    let store = Store::open(&db).unwrap();
    let p = store.profiles().unwrap()[0].id;
    let ended = store.session_facts(p, i64::MIN, i64::MAX).unwrap().len();
    drop(store);

    let fhir = dir.path().join("bundle.json");
    export(&db, "fhir", &fhir, &[]);
    let bundle = read_json(&fhir);
    assert_eq!(bundle["resourceType"], "Bundle");
    let kinds: Vec<&str> = bundle["entry"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["resource"]["resourceType"].as_str().unwrap())
        .collect();
    assert!(
        kinds.contains(&"Patient") && kinds.contains(&"Observation"),
        "{kinds:?}"
    );

    let hc = dir.path().join("hc.json");
    export(&db, "health-connect", &hc, &[]);
    let records = read_json(&hc);
    assert_eq!(records.as_array().unwrap().len(), ended);
    assert!(records[0]["client_record_id"]
        .as_str()
        .unwrap()
        .starts_with("rehabcore.session."));

    let hk = dir.path().join("hk.json");
    export(&db, "healthkit", &hk, &[]);
    let workouts = read_json(&hk);
    assert_eq!(workouts.as_array().unwrap().len(), ended);

    let csv = dir.path().join("csv");
    export(&db, "csv", &csv, &[]);
    for name in ["sessions.csv", "sets.csv", "reps.csv", "check_ins.csv"] {
        let text = std::fs::read_to_string(csv.join(name)).unwrap();
        assert!(text.lines().count() > 1, "{name} has rows");
    }

    // A range with no practice gives an empty export, not an error.
    let empty = dir.path().join("empty.json");
    export(
        &db,
        "health-connect",
        &empty,
        &["--from", "2001-01-01", "--to", "2001-01-31"],
    );
    assert_eq!(std::fs::read_to_string(&empty).unwrap().trim(), "[]");

    // Refusals: a range for a backup, a reversed range, the database as the output.
    for (args, says) in [
        (
            vec!["--format", "json", "--from", "2026-01-01"],
            "whole history",
        ),
        (
            vec![
                "--format",
                "fhir",
                "--from",
                "2026-02-01",
                "--to",
                "2026-01-01",
            ],
            "after the last",
        ),
        (vec!["--format", "fhir", "--out", s(&db)], "is the database"),
    ] {
        let mut all = vec!["export", "--db", s(&db)];
        if !args.contains(&"--out") {
            all.extend(["--out", s(&empty)]);
        }
        all.extend(args.iter().copied());
        let out = rehab(&all);
        assert!(!out.status.success(), "{all:?}");
        assert!(
            String::from_utf8_lossy(&out.stderr).contains(says),
            "{all:?}: {out:?}"
        );
    }
}
