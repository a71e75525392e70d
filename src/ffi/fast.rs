//! The sample fast path: four plain C functions that take a batch of samples as raw
//! arrays, for the hand-written `SampleFeed` classes of the Kotlin and Swift bindings.
//!
//! Why: a generated uniffi method serialises a `List<Float>` element by element and, from
//! Kotlin, costs several JNA calls (clone handle, allocate buffers, call, free result), each
//! with a freshly allocated JNA `Structure` for the call status: ~45-75 µs for a 100-sample
//! batch on the CI machine, against a target of 12 µs. One direct-mapped JNA call with
//! primitive arrays costs ~1 µs for the same batch (`scripts/bench-ffi.sh`); from Swift the
//! arrays are passed by pointer without any copy. Everything else stays on the generated
//! API: the feeds call these functions, and the generated `take_pushed_events` only after an
//! error or an unusually large output.
//!
//! Contract (the wrappers keep it; nothing else should call these functions):
//! - `handle` is an owned handle of the right object type, from `uniffiCloneHandle()`,
//!   kept alive (not freed) until every call with it has returned;
//! - `t` points to `n_t` doubles and `x` to `n_x` floats (either may be null when its
//!   length is 0), `out` to `out_cap` writable bytes;
//! - the return value is the number of bytes written to `out`: the events of this batch
//!   in uniffi's own serialisation of a list (`FfiConverterSequenceType...read`), 0 when
//!   the batch produced none; or [`PARKED`]: the events (or the error) are kept in the
//!   object and `take_pushed_events` returns (or throws) them.
//!
//! Every other guarantee of the generated `push_imu`/`push_scalar` holds: the same
//! validation (a rejected batch changes nothing), every rep stored before the call returns,
//! the session listener told. A panic in the push is caught and parked as
//! [`RehabError::Internal`]; one while writing the events out returns -2, which the wrappers
//! throw as `Internal`.

use super::parked::Parked;
use super::RehabError;
use std::panic::{catch_unwind, AssertUnwindSafe};

/// Returned instead of a byte count: call `take_pushed_events` for the events or the error.
pub const PARKED: i32 = -1;

/// Builds the slices of the contract; a length that is negative, or a non-null/null
/// mismatch, is refused as invalid input.
///
/// # Safety
/// `t`/`x` must point to `n_t`/`n_x` readable values when non-null and lengths are > 0.
unsafe fn slices<'a>(
    t: *const f64,
    n_t: i32,
    x: *const f32,
    n_x: i32,
) -> Result<(&'a [f64], &'a [f32]), RehabError> {
    fn slice<'a, T>(p: *const T, n: i32, what: &str) -> Result<&'a [T], RehabError> {
        let n = usize::try_from(n)
            .map_err(|_| RehabError::invalid_input(format!("negative {what} length {n}")))?;
        if n == 0 {
            return Ok(&[]);
        }
        if p.is_null() || !p.is_aligned() {
            return Err(RehabError::invalid_input(format!(
                "{what}: no readable array for {n} values"
            )));
        }
        // SAFETY: the caller guarantees `n` readable values at `p` (contract above).
        Ok(unsafe { std::slice::from_raw_parts(p, n) })
    }
    Ok((slice(t, n_t, "timestamps")?, slice(x, n_x, "samples")?))
}

/// Serialises `events` into `out` the way the generated bindings read a list; parks them
/// when they do not fit.
///
/// # Safety
/// `out` must point to `out_cap` writable bytes when non-null.
unsafe fn deliver<E>(events: Vec<E>, out: *mut u8, out_cap: i32, parked: &Parked<E>) -> i32
where
    Vec<E>: uniffi::Lower<crate::UniFfiTag> + uniffi::Lift<crate::UniFfiTag>,
{
    if events.is_empty() {
        return 0;
    }
    // One allocation for the usual batch (a rep or two, ~40 bytes each) instead of a clone
    // of the events and a buffer grown from empty: a third of this path's cost.
    let mut buf = Vec::with_capacity(4 + 64 * events.len());
    <Vec<E> as uniffi::Lower<crate::UniFfiTag>>::write(events, &mut buf);
    let cap = usize::try_from(out_cap).unwrap_or(0);
    match i32::try_from(buf.len()) {
        Ok(len) if !out.is_null() && buf.len() <= cap => {
            // SAFETY: `out` has `out_cap` >= `buf.len()` writable bytes (contract above).
            unsafe { std::ptr::copy_nonoverlapping(buf.as_ptr(), out, buf.len()) };
            len
        }
        // Rare (dozens of events in one batch): read them back for the generated call.
        _ => {
            let events = <Vec<E> as uniffi::Lift<crate::UniFfiTag>>::try_read(&mut buf.as_slice())
                .map_err(|e| RehabError::internal(format!("events did not read back: {e}")));
            parked.park(events);
            PARKED
        }
    }
}

/// Runs one fast-path push: the panic guard, the slices, and where the result goes.
///
/// # Safety
/// As in the module contract.
#[allow(clippy::too_many_arguments)]
pub(super) unsafe fn push<O, E>(
    handle: u64,
    t: *const f64,
    n_t: i32,
    x: *const f32,
    n_x: i32,
    out: *mut u8,
    out_cap: i32,
    call: impl FnOnce(&O, &[f64], &[f32]) -> Result<Vec<E>, RehabError>,
    parked: impl Fn(&O) -> &Parked<E>,
) -> i32
where
    Vec<E>: uniffi::Lower<crate::UniFfiTag> + uniffi::Lift<crate::UniFfiTag>,
{
    if handle == 0 || handle & 1 == 1 {
        // Not a Rust object handle: nothing to park the error in. The wrappers never pass
        // one; refusing it keeps a wrong call from touching memory.
        return -2;
    }
    // SAFETY: the handle is an owned uniffi handle of an `O` (`Arc::into_raw`), kept alive
    // by the caller for the duration of this call (module contract).
    let object: &O = unsafe { &*uniffi::Handle::from_raw_unchecked(handle).as_pointer::<O>() };
    let result = catch_unwind(AssertUnwindSafe(|| {
        // SAFETY: the caller's arrays, as in the module contract.
        let (t, x) = unsafe { slices(t, n_t, x, n_x) }?;
        call(object, t, x)
    }))
    .unwrap_or_else(|_| Err(RehabError::internal("panic in a sample push")));
    let parked = parked(object);
    match result {
        // SAFETY: `out` as in the module contract.
        Ok(events) => catch_unwind(AssertUnwindSafe(|| unsafe {
            deliver(events, out, out_cap, parked)
        }))
        .unwrap_or(-2),
        Err(e) => {
            parked.park(Err(e));
            PARKED
        }
    }
}

/// Defines one C entry point: `$name(handle, t, n_t, x, n_x, out, out_cap) -> i32` calling
/// `$method` on the `$object` behind the handle. Used beside each object (`counter.rs`,
/// `session.rs`), so this module names none of them.
macro_rules! fast_push {
    ($(#[$doc:meta])* $name:ident => $object:ty, $method:ident) => {
        $(#[$doc])*
        ///
        /// # Safety
        /// See the module documentation: an owned handle of the object, `t`/`x`/`out`
        /// valid for their lengths.
        #[no_mangle]
        pub unsafe extern "C" fn $name(
            handle: u64,
            t: *const f64,
            n_t: i32,
            x: *const f32,
            n_x: i32,
            out: *mut u8,
            out_cap: i32,
        ) -> i32 {
            // SAFETY: forwarded contract.
            unsafe {
                $crate::ffi::fast::push(
                    handle,
                    t,
                    n_t,
                    x,
                    n_x,
                    out,
                    out_cap,
                    |o: &$object, t, x| o.$method(t, x),
                    |o| &o.parked,
                )
            }
        }
    };
}

pub(super) use fast_push;

/// The handle a foreign `uniffiCloneHandle()` would give for `object` (tests only).
#[cfg(test)]
fn handle_of<T>(object: &std::sync::Arc<T>) -> u64 {
    uniffi::Handle::from_arc(object.clone()).as_raw()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ffi::counter::{rehab_core_counter_push_imu, CountedRep, CounterSignal, RepCounter};
    use crate::ffi::session::{rehab_core_session_push_imu, ExerciseSession};
    use crate::session::SessionEvent;
    use std::sync::{Arc, Mutex};

    /// A slow out-and-back rotation about x (4 s a rep) at 50 Hz, after 2 s of rest.
    fn batch(start: usize, n: usize) -> (Vec<f64>, Vec<f32>) {
        let mut t = Vec::new();
        let mut x = Vec::new();
        for i in start..start + n {
            let ts = i as f64 * 0.02;
            let w = if ts < 2.0 {
                0.0
            } else {
                (1.2 * (2.0 * std::f64::consts::PI * (ts - 2.0) / 4.0).sin()) as f32
            };
            t.push(ts);
            x.extend_from_slice(&[0.0, 0.0, 9.81, w, 0.0, 0.0]);
        }
        (t, x)
    }

    /// One counter push through the C entry point, with the slices' own lengths.
    fn push_counter(h: u64, t: &[f64], x: &[f32], out: &mut [u8]) -> i32 {
        // SAFETY: a live RepCounter handle (the tests hold it).
        unsafe { push_via(rehab_core_counter_push_imu, h, t, x, out) }
    }

    type Entry = unsafe extern "C" fn(u64, *const f64, i32, *const f32, i32, *mut u8, i32) -> i32;

    /// One push through `entry` with the slices' own lengths.
    ///
    /// # Safety
    /// `h` is a live handle of the object type `entry` takes.
    unsafe fn push_via(entry: Entry, h: u64, t: &[f64], x: &[f32], out: &mut [u8]) -> i32 {
        // SAFETY: as the caller promises, and valid slices.
        unsafe {
            entry(
                h,
                t.as_ptr(),
                t.len() as i32,
                x.as_ptr(),
                x.len() as i32,
                out.as_mut_ptr(),
                out.len() as i32,
            )
        }
    }

    fn read(out: &[u8], n: i32) -> Vec<CountedRep> {
        if n == 0 {
            return Vec::new();
        }
        let mut r = &out[..usize::try_from(n).unwrap()];
        <Vec<CountedRep> as uniffi::Lift<crate::UniFfiTag>>::try_read(&mut r).unwrap()
    }

    #[test]
    fn fast_path_counts_like_the_generated_method() {
        let fast = Arc::new(RepCounter::new(CounterSignal::Imu));
        let slow = RepCounter::new(CounterSignal::Imu);
        let h = handle_of(&fast);
        let mut out = vec![0u8; 4096];
        let (mut got, mut want) = (Vec::new(), Vec::new());
        for b in 0..20 {
            let (t, x) = batch(b * 50, 50);
            let n = push_counter(h, &t, &x, &mut out);
            assert!(n >= 0, "batch {b}: {n}");
            got.extend(read(&out, n));
            want.extend(slow.push_imu(t, x).unwrap());
        }
        assert!(want.len() >= 3, "the signal has reps: {want:?}");
        assert_eq!(got, want);
        unsafe { drop(uniffi::Handle::from_raw_unchecked(h).into_arc::<RepCounter>()) };
    }

    #[test]
    fn rejected_batch_is_parked_as_a_typed_error_and_changes_nothing() {
        let c = Arc::new(RepCounter::new(CounterSignal::Imu));
        let h = handle_of(&c);
        let mut out = vec![0u8; 256];
        let (t, mut x) = batch(0, 10);
        x[7] = f32::NAN;
        let call = |t: &[f64], x: &[f32], out: &mut [u8]| push_counter(h, t, x, out);
        assert_eq!(call(&t, &x, &mut out), PARKED);
        match c.take_pushed_events() {
            Err(RehabError::InvalidInput { reason: m, .. }) => assert!(m.contains("finite"), "{m}"),
            other => panic!("expected InvalidInput, got {other:?}"),
        }
        // Taken once: the next take is empty.
        assert_eq!(c.take_pushed_events().unwrap(), Vec::new());
        // Wrong lengths and a negative length are typed errors too.
        assert_eq!(call(&t, &x[..59], &mut out), PARKED);
        assert!(matches!(
            c.take_pushed_events(),
            Err(RehabError::InvalidInput { .. })
        ));
        let n = unsafe {
            rehab_core_counter_push_imu(h, t.as_ptr(), -1, x.as_ptr(), 60, out.as_mut_ptr(), 0)
        };
        assert_eq!(n, PARKED);
        assert!(matches!(
            c.take_pushed_events(),
            Err(RehabError::InvalidInput { .. })
        ));
        // Nothing was consumed: the same timestamps are still accepted.
        let (t, x) = batch(0, 10);
        assert_eq!(call(&t, &x, &mut out), 0);
        assert_eq!(c.reps(), 0);
        unsafe { drop(uniffi::Handle::from_raw_unchecked(h).into_arc::<RepCounter>()) };
    }

    #[test]
    fn events_that_do_not_fit_are_parked_in_order() {
        let fast = Arc::new(RepCounter::new(CounterSignal::Imu));
        let slow = RepCounter::new(CounterSignal::Imu);
        let h = handle_of(&fast);
        // A 4-byte buffer holds no event: every batch with events parks them.
        let mut out = [0u8; 4];
        let mut parked_calls = 0;
        let mut want = Vec::new();
        for b in 0..20 {
            let (t, x) = batch(b * 50, 50);
            let n = push_counter(h, &t, &x, &mut out);
            assert!(n == 0 || n == PARKED, "{n}");
            parked_calls += i32::from(n == PARKED);
            want.extend(slow.push_imu(t, x).unwrap());
        }
        assert!(parked_calls >= 2);
        // Never taken in between: they accumulated in order.
        assert_eq!(fast.take_pushed_events().unwrap(), want);
        unsafe { drop(uniffi::Handle::from_raw_unchecked(h).into_arc::<RepCounter>()) };
    }

    /// Session events (strings, options, nested lists and all) that do not fit are read back
    /// and parked intact: `take_pushed_events` returns exactly what the listener was told,
    /// through calibration, reps, the target, the block's end and the session's summary.
    #[test]
    fn session_events_that_do_not_fit_are_parked_intact() {
        use crate::ffi::{ListenerError, RehabCore, SessionListener};
        use crate::model::Side;
        use crate::routine::{BlockSource, DailyPlan, PlannedBlock};
        use crate::store::NewProfile;

        #[derive(Default)]
        struct Collect(Mutex<Vec<SessionEvent>>);
        impl SessionListener for Collect {
            fn on_event(&self, event: SessionEvent) -> Result<(), ListenerError> {
                self.0.lock().unwrap().push(event);
                Ok(())
            }
        }

        let dir = tempfile::tempdir().unwrap();
        let core = RehabCore::new(dir.path().join("c.db").display().to_string()).unwrap();
        let rt = tokio::runtime::Builder::new_current_thread()
            .build()
            .unwrap();
        let ana = rt
            .block_on(core.create_profile(NewProfile {
                name: "Ana".into(),
                affected_side: Side::Left,
                time_zone: "UTC".into(),
            }))
            .unwrap();
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
        let plan = DailyPlan {
            blocks: vec![block],
            est_total_s: 200,
            total_reps: 5,
            over_budget: false,
        };
        let listener = Arc::new(Collect::default());
        let session = core
            .start_session(ana.id, plan, 0, "en".into(), Some(listener.clone()))
            .unwrap();
        session.begin().unwrap();
        let told_before = listener.0.lock().unwrap().len();
        let h = handle_of(&session);
        let mut out = [0u8; 4];
        let mut parked = Vec::new();
        for b in 0..60 {
            let (t, x) = batch(b * 50, 50);
            // SAFETY: a live ExerciseSession handle (the test holds it).
            let n = unsafe { push_via(rehab_core_session_push_imu, h, &t, &x, &mut out) };
            assert!(n == 0 || n == PARKED, "{n}");
            if n == PARKED {
                parked.extend(session.take_pushed_events().unwrap());
            }
            if matches!(parked.last(), Some(SessionEvent::SessionFinished { .. })) {
                break;
            }
        }
        let told = listener.0.lock().unwrap()[told_before..].to_vec();
        let has = |f: fn(&SessionEvent) -> bool| parked.iter().any(f);
        assert!(
            has(
                |e| matches!(e, SessionEvent::Calibrated { exercise_id, .. } if exercise_id == "elbow_flexion_extension")
            ),
            "{parked:?}"
        );
        assert!(has(|e| matches!(e, SessionEvent::Rep { .. })));
        assert!(has(|e| matches!(e, SessionEvent::TargetReached { .. })));
        assert!(has(|e| matches!(e, SessionEvent::BlockComplete { .. })));
        assert!(has(|e| matches!(e, SessionEvent::SessionFinished { .. })));
        assert_eq!(parked, told);
        unsafe { drop(uniffi::Handle::from_raw_unchecked(h).into_arc::<ExerciseSession>()) };
    }

    /// `SampleFeed.swift` reads these records itself (uniffi's Swift reader is slow on
    /// Linux): if this fails, update `fastCountedRep` / `fastSessionEvent` there.
    #[test]
    fn wire_layout_of_the_records_the_swift_feed_reads() {
        fn wire<T: uniffi::Lower<crate::UniFfiTag>>(value: T) -> Vec<u8> {
            let mut buf = Vec::new();
            T::write(value, &mut buf);
            buf
        }
        let rep = CountedRep {
            reached_target: true,
            index: 7,
            start_s: 1.5,
            end_s: 2.25,
            amplitude: 0.5,
            duration_s: 0.75,
            peak_speed: 2.0,
            travel: true,
        };
        let mut want = vec![1u8];
        want.extend(7u32.to_be_bytes());
        want.extend(1.5f64.to_be_bytes());
        want.extend(2.25f64.to_be_bytes());
        want.extend(0.5f32.to_be_bytes());
        want.extend(0.75f32.to_be_bytes());
        want.extend(2.0f32.to_be_bytes());
        want.push(1);
        assert_eq!(wire(rep), want, "CountedRep");

        let rep = SessionEvent::Rep {
            block_index: 1,
            reps_in_block: 2,
            reps_in_session: 3,
            amplitude: 0.5,
            duration_s: 0.75,
            peak_speed: 2.0,
            rep_id: -9,
            travel: true,
        };
        let mut want = 4i32.to_be_bytes().to_vec();
        for v in [1u32, 2, 3] {
            want.extend(v.to_be_bytes());
        }
        for v in [0.5f32, 0.75, 2.0] {
            want.extend(v.to_be_bytes());
        }
        want.extend((-9i64).to_be_bytes());
        want.push(1);
        assert_eq!(wire(rep), want, "SessionEvent::Rep");

        let attempt = SessionEvent::Attempt {
            block_index: 1,
            attempts_in_block: 2,
            amplitude: 0.5,
            target_range: 0.75,
            travel: false,
        };
        let mut want = 5i32.to_be_bytes().to_vec();
        for v in [1u32, 2] {
            want.extend(v.to_be_bytes());
        }
        for v in [0.5f32, 0.75] {
            want.extend(v.to_be_bytes());
        }
        want.push(0);
        assert_eq!(wire(attempt), want, "SessionEvent::Attempt");
    }

    #[test]
    fn foreign_or_null_handles_are_refused_without_touching_memory() {
        let mut out = [0u8; 8];
        for h in [0u64, 1, 0xdead_beef_u64 | 1] {
            let n = unsafe {
                rehab_core_counter_push_imu(
                    h,
                    std::ptr::null(),
                    0,
                    std::ptr::null(),
                    0,
                    out.as_mut_ptr(),
                    8,
                )
            };
            assert_eq!(n, -2);
        }
    }
}
