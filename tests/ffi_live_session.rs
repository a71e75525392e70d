//! Two app instances (two `RehabCore`s, as an app and its widget or a second
//! process) on one file: neither takes over the other's live session, and a
//! session whose owner went away is resumable.

use rehab_core::ffi::{RehabCore, RehabError};
use rehab_core::model::Side;
use rehab_core::routine::{BlockSource, DailyPlan, PlannedBlock};
use rehab_core::store::NewProfile;
use std::sync::Arc;

fn core(path: &std::path::Path) -> Arc<RehabCore> {
    RehabCore::new(path.display().to_string()).unwrap()
}

fn plan() -> DailyPlan {
    let block = PlannedBlock {
        exercise_id: "elbow_flexion_extension".into(),
        side: Side::Left,
        target_reps: 5,
        target_range_fraction: 0.6,
        setup_s: 0,
        est_duration_s: 200,
        rest_after_s: 0,
        source: BlockSource::Routine,
    };
    // Two blocks: a resumed session goes on with the second.
    DailyPlan {
        blocks: vec![block.clone(), block],
        est_total_s: 400,
        total_reps: 10,
        over_budget: false,
    }
}

#[test]
fn a_live_session_is_refused_elsewhere_and_resumable_once_its_owner_is_gone() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("rehab.db");
    let rt = tokio::runtime::Builder::new_current_thread()
        .build()
        .unwrap();
    let app = core(&path);
    let ana = rt
        .block_on(app.create_profile(NewProfile {
            name: "Ana".into(),
            affected_side: Side::Left,
            time_zone: "UTC".into(),
        }))
        .unwrap();
    let live = app
        .start_session(ana.id, plan(), 0, "en".into(), None)
        .unwrap();
    live.begin().unwrap();

    let widget = core(&path);
    let second = widget.start_session(ana.id, plan(), 0, "en".into(), None);
    assert!(
        matches!(second, Err(RehabError::InvalidState { .. })),
        "start"
    );
    let resumed = widget.resume_session(live.session_id(), "en".into(), None);
    assert!(
        matches!(resumed, Err(RehabError::InvalidState { .. })),
        "resume"
    );
    let abandoned = rt.block_on(widget.abandon_session(live.session_id()));
    assert!(
        matches!(&abandoned, Err(RehabError::InvalidState { reason: m, .. }) if m.contains("live")),
        "{abandoned:?}"
    );

    // The app goes away mid-session (its objects released, as in a kill).
    let id = live.session_id();
    drop(live);
    drop(app);
    let resumed = widget.resume_session(id, "en".into(), None).unwrap();
    assert_eq!(resumed.session_id(), id);
    resumed.begin().unwrap();
}
