//! Backups and FHIR bundles written straight to a file path, and a backup file
//! restored from its path, through the exported API.

use rehab_core::clock::FixedClock;
use rehab_core::ffi::{CompletedBlock, CompletedSession, RehabCore, RehabError, RepRecord};
use rehab_core::model::Side;
use rehab_core::store::NewProfile;
use std::sync::Arc;

/// 2026-03-02 09:00 UTC.
const T0: i64 = 1_772_442_000_000;

fn run<T>(f: impl std::future::Future<Output = T>) -> T {
    tokio::runtime::Builder::new_current_thread()
        .build()
        .unwrap()
        .block_on(f)
}

/// An instant from UTC milliseconds.
fn at(ms: i64) -> std::time::SystemTime {
    std::time::UNIX_EPOCH + std::time::Duration::from_millis(ms as u64)
}

fn session(profile_id: i64, start: i64) -> CompletedSession {
    CompletedSession {
        profile_id,
        started_at: at(start),
        utc_offset_min: 0,
        ended_at: at(start + 600_000),
        active_ms: 300_000,
        plan_json: "{}".into(),
        blocks: vec![CompletedBlock {
            exercise_id: "wrist_flexion".into(),
            side: Side::Left,
            target_reps: Some(10),
            target_range: Some(0.5),
            started_at: at(start),
            ended_at: at(start + 600_000),
            active_ms: 300_000,
            reps: (0..10)
                .map(|i| RepRecord {
                    started_at: at(start + i * 5_000),
                    ended_at: at(start + i * 5_000 + 3_000),
                    amplitude: 0.8,
                    peak_speed: 1.2,
                    target_reached: true,
                })
                .collect(),
            attempts: vec![],
        }],
    }
}

#[test]
fn backups_and_bundles_go_straight_to_files_and_back() {
    let dir = tempfile::tempdir().unwrap();
    let core = RehabCore::open_with_clock(
        dir.path().join("a.db").to_str().unwrap(),
        Arc::new(FixedClock(T0)),
    )
    .unwrap();
    let ana = run(core.create_profile(NewProfile {
        name: "Ana".into(),
        affected_side: Side::Left,
        time_zone: "UTC".into(),
    }))
    .unwrap();
    for day in 0..30 {
        run(core.store_completed_session(session(ana.id, T0 - day * 86_400_000))).unwrap();
    }

    let file = dir.path().join("backup.json");
    let size = run(core.export_backup_to_file(Some(ana.id), file.display().to_string())).unwrap();
    let written = std::fs::read_to_string(&file).unwrap();
    assert_eq!(size, written.len() as u64);
    // The same bytes as the in-memory export (same clock): one format, two ways out.
    assert_eq!(written, run(core.export_backup(Some(ana.id))).unwrap());
    let leftovers = std::fs::read_dir(dir.path())
        .unwrap()
        .filter(|e| {
            e.as_ref()
                .unwrap()
                .file_name()
                .to_string_lossy()
                .ends_with(".tmp")
        })
        .count();
    assert_eq!(leftovers, 0, "no temporary file left");

    let fresh = RehabCore::new(dir.path().join("b.db").display().to_string()).unwrap();
    let summary = run(fresh.import_backup_file(file.display().to_string())).unwrap();
    assert_eq!((summary.sessions, summary.reps), (30, 300));

    let bundle = dir.path().join("bundle.json");
    run(core.export_fhir_to_file(
        ana.id,
        "2026-02-01".parse().unwrap(),
        "2026-03-02".parse().unwrap(),
        bundle.display().to_string(),
    ))
    .unwrap();
    let value: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&bundle).unwrap()).unwrap();
    assert_eq!(value["resourceType"], "Bundle");

    // A folder that does not exist, or a missing file: Storage, with the path.
    let nowhere = dir
        .path()
        .join("missing")
        .join("b.json")
        .display()
        .to_string();
    let err = run(core.export_backup_to_file(None, nowhere.clone())).unwrap_err();
    assert!(
        matches!(&err, RehabError::Storage { reason: m } if m.contains("missing")),
        "{err:?}"
    );
    let err = run(fresh.import_backup_file(nowhere)).unwrap_err();
    assert!(
        matches!(&err, RehabError::Storage { reason: m } if m.contains("cannot read")),
        "{err:?}"
    );
}
