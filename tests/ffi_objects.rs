//! The exported objects as the bindings use them, from Rust: shareable across
//! threads, and safe to release on any thread (the JVM's cleaner and Swift may
//! release them on a thread with, or without, an async runtime).

use rehab_core::ffi::{ExerciseSession, RehabCore, RepCounter, Subscription};
use rehab_core::model::Side;
use rehab_core::store::NewProfile;
use std::sync::Arc;

fn assert_send_sync<T: Send + Sync>() {}

#[test]
fn exported_objects_are_send_and_sync() {
    assert_send_sync::<RehabCore>();
    assert_send_sync::<ExerciseSession>();
    assert_send_sync::<RepCounter>();
    assert_send_sync::<Subscription>();
}

fn open() -> (tempfile::TempDir, Arc<RehabCore>) {
    let dir = tempfile::tempdir().unwrap();
    let core = RehabCore::new(dir.path().join("c.db").display().to_string()).unwrap();
    (dir, core)
}

fn profile() -> NewProfile {
    NewProfile {
        name: "Ana".into(),
        affected_side: Side::Right,
        time_zone: "UTC".into(),
    }
}

#[test]
fn async_calls_run_from_a_foreign_executor() {
    let (_dir, core) = open();
    // Not tokio: the futures must not need the caller to be inside a runtime.
    let created = block_on_foreign(core.create_profile(profile())).unwrap();
    let listed = block_on_foreign(core.profiles()).unwrap();
    assert_eq!(listed, vec![created]);
}

#[test]
fn the_core_can_be_released_on_another_thread() {
    let (_dir, core) = open();
    block_on_foreign(core.create_profile(profile())).unwrap();
    std::thread::spawn(move || drop(core))
        .join()
        .expect("drop on a plain thread");
}

#[test]
fn the_core_can_be_released_inside_an_async_context() {
    let (_dir, core) = open();
    let rt = tokio::runtime::Builder::new_current_thread()
        .build()
        .unwrap();
    rt.block_on(async move {
        core.create_profile(profile()).await.unwrap();
        drop(core); // would panic if Drop blocked on its runtime here
    });
}

#[test]
fn a_released_core_closes_its_file_and_can_be_reopened() {
    let (dir, core) = open();
    let p = block_on_foreign(core.create_profile(profile())).unwrap();
    drop(core);
    let again = RehabCore::new(dir.path().join("c.db").display().to_string()).unwrap();
    assert_eq!(block_on_foreign(again.profile(p.id)).unwrap(), p);
}

#[test]
fn session_refusals_reach_the_app_as_typed_errors_and_a_session_can_always_be_stopped() {
    use rehab_core::ffi::RehabError;
    use rehab_core::routine::{BodyRegion, PlanGoal, PlanRequest};
    use rehab_core::session::{SessionEvent, SessionState};
    let (_dir, core) = open();
    let p = block_on_foreign(core.create_profile(profile())).unwrap();
    let request = PlanRequest {
        level: 2,
        areas: vec![BodyRegion::Elbow],
        affected_side: Side::Right,
        goal: PlanGoal::Minutes { minutes: 10 },
        prescriptions: vec![],
        targets: Default::default(),
    };
    let plan =
        block_on_foreign(core.plan_today(p.id, "2026-12-07".parse().unwrap(), request)).unwrap();
    let session = core
        .start_session(p.id, plan, 0, "en".into(), None)
        .unwrap();
    session.begin().unwrap();
    // Issue 16: after these, stop() failed forever ("invalid active_ms").
    for times in [
        vec![100.0, 100.0 + 1e300],
        vec![1e300],
        vec![f64::NAN],
        vec![0.0, 1e7],
    ] {
        let samples = vec![0.0f32; 6 * times.len()];
        let refused = session.push_imu(times.clone(), samples);
        assert!(
            matches!(refused, Err(RehabError::InvalidInput { .. })),
            "{times:?}: {refused:?}"
        );
    }
    let events = session.stop().unwrap();
    assert!(
        matches!(events.last(), Some(SessionEvent::SessionFinished { .. })),
        "{events:?}"
    );
    assert_eq!(session.state(), SessionState::Finished);
    let again = session.stop();
    assert!(
        matches!(&again, Err(RehabError::InvalidState { reason: m, .. }) if m.contains("cannot stop") && m.contains("Finished")),
        "{again:?}"
    );
}

/// A minimal executor that is not tokio: polls on this thread, parks between wakes.
fn block_on_foreign<F: std::future::Future>(fut: F) -> F::Output {
    use std::task::{Context, Poll, Wake, Waker};
    struct Unpark(std::thread::Thread);
    impl Wake for Unpark {
        fn wake(self: Arc<Self>) {
            self.0.unpark();
        }
    }
    let waker = Waker::from(Arc::new(Unpark(std::thread::current())));
    let mut cx = Context::from_waker(&waker);
    let mut fut = std::pin::pin!(fut);
    loop {
        match fut.as_mut().poll(&mut cx) {
            Poll::Ready(v) => return v,
            Poll::Pending => std::thread::park(),
        }
    }
}
