//! The live session and the catalog, exported.

use super::fast::fast_push;
use super::listener::SessionChanges;
use super::parked::Parked;
use super::{ListenerError, RehabCore, RehabError};
use crate::model::LocalDate;
use crate::routine::{Catalog, DailyPlan, Exercise, ExerciseText, PlanRequest, Routine};
use crate::session::{LiveSession, SessionError, SessionEvent, SessionState, SessionSummary};
use std::sync::{Arc, Mutex, MutexGuard};

/// Implemented by the app to hear a live session's events as they happen
/// (the same events each call also returns). Called on the thread that made
/// the call, or on a core thread for the `async` calls (`beginAsync`, ...).
#[uniffi::export(foreign)]
pub trait SessionListener: Send + Sync {
    /// One event. An error returned here is ignored by the core.
    fn on_event(&self, event: SessionEvent) -> Result<(), ListenerError>;
}

/// A live exercise session. Drive it from the sensor thread with batches of
/// samples (about one call per 100 ms); every rep is on disk before the call
/// that counted it returns. Sample pushes are cheap and synchronous; the calls
/// that end or start a block or the session wait for the disk (fsync), so from
/// the UI thread use their `async` forms (`beginAsync`, `skipAsync`,
/// `stopAsync`, `tickAsync`), which run on the core's threads.
///
/// When a write fails (a full disk), a call still returns every event it
/// stored; what could not be stored (a block's end, the next block, the
/// session's end) is retried by the next call, which throws `Storage` if it
/// fails again. Nothing shown is missing from the disk, and nothing on the disk
/// was not shown.
#[derive(uniffi::Object)]
pub struct ExerciseSession {
    inner: Mutex<LiveSession>,
    listener: Option<Arc<dyn SessionListener>>,
    /// What the data listeners hear about this session.
    changes: SessionChanges,
    /// The core's thread pool, for the `async` calls (work on it fails cleanly
    /// once the core is gone).
    pool: tokio::runtime::Handle,
    /// What the sample fast path (`SessionFeed`) left for `take_pushed_events`.
    pub(crate) parked: Parked<SessionEvent>,
}

/// An exercise of the catalog with its texts in one language.
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct CatalogEntry {
    /// The exercise (ids, region, placement, hint, targets).
    pub exercise: Exercise,
    /// Name and plain-language steps.
    pub text: ExerciseText,
}

impl ExerciseSession {
    fn new(
        live: LiveSession,
        listener: Option<Arc<dyn SessionListener>>,
        changes: SessionChanges,
        pool: tokio::runtime::Handle,
    ) -> Arc<Self> {
        Arc::new(ExerciseSession {
            inner: Mutex::new(live),
            listener,
            changes,
            parked: Parked::default(),
            pool,
        })
    }

    /// Runs one engine call on the core's pool, off the caller's thread.
    async fn drive_off_thread(
        self: Arc<Self>,
        call: impl FnOnce(&mut LiveSession) -> Result<Vec<SessionEvent>, SessionError> + Send + 'static,
    ) -> Result<Vec<SessionEvent>, RehabError> {
        let pool = self.pool.clone();
        pool.spawn_blocking(move || self.drive(call)).await?
    }

    fn lock(&self) -> MutexGuard<'_, LiveSession> {
        crate::sync::lock(&self.inner)
    }

    /// Runs one engine call and tells the listener what happened.
    fn drive(
        &self,
        call: impl FnOnce(&mut LiveSession) -> Result<Vec<SessionEvent>, SessionError>,
    ) -> Result<Vec<SessionEvent>, RehabError> {
        let events = call(&mut self.lock())?;
        if let Some(listener) = &self.listener {
            for e in &events {
                let _ = listener.on_event(e.clone());
            }
        }
        self.changes.after(&events);
        Ok(events)
    }

    /// `push_imu` on borrowed slices (the sample fast path).
    pub(crate) fn push_imu_slices(
        &self,
        timestamps: &[f64],
        samples: &[f32],
    ) -> Result<Vec<SessionEvent>, RehabError> {
        self.drive(|s| s.push_imu(timestamps, samples))
    }

    /// `push_scalar` on borrowed slices (the sample fast path).
    pub(crate) fn push_scalar_slices(
        &self,
        timestamps: &[f64],
        values: &[f32],
    ) -> Result<Vec<SessionEvent>, RehabError> {
        self.drive(|s| s.push_scalar(timestamps, values))
    }
}

#[uniffi::export]
impl ExerciseSession {
    /// Database id of the session.
    pub fn session_id(&self) -> i64 {
        self.lock().session_id()
    }

    /// Where the session stands.
    pub fn state(&self) -> SessionState {
        self.lock().state()
    }

    /// The plan being played.
    pub fn plan(&self) -> DailyPlan {
        self.lock().plan().clone()
    }

    /// Starts the next block (from `Planned`, or ends a rest early).
    pub fn begin(&self) -> Result<Vec<SessionEvent>, RehabError> {
        self.drive(|s| s.begin())
    }

    /// Feeds a batch of motion samples: `timestamps` in seconds on the sensor's
    /// clock (increasing), `samples` interleaved `ax, ay, az, gx, gy, gz` per
    /// timestamp (m/s² with gravity, rad/s). Ignored while resting or paused.
    /// Throws `InvalidInput` for NaN, wrong lengths, time going backwards, or
    /// times no sensor gives (beyond ±1e10 s, or one batch spanning over 60 s).
    /// A gap of more than 2 s between samples adds nothing to active time.
    pub fn push_imu(
        &self,
        timestamps: Vec<f64>,
        samples: Vec<f32>,
    ) -> Result<Vec<SessionEvent>, RehabError> {
        self.push_imu_slices(&timestamps, &samples)
    }

    /// Events that a `SessionFeed` push could not hand back directly (more than its
    /// buffer holds), or the error of the batch it pushed last; empty when there is
    /// nothing. The feeds call this for you; call it only if you drive the C fast path
    /// yourself.
    pub fn take_pushed_events(&self) -> Result<Vec<SessionEvent>, RehabError> {
        self.parked.take()
    }

    /// Feeds a batch of one-channel samples (grip force, a joint angle, ...).
    pub fn push_scalar(
        &self,
        timestamps: Vec<f64>,
        values: Vec<f32>,
    ) -> Result<Vec<SessionEvent>, RehabError> {
        self.push_scalar_slices(&timestamps, &values)
    }

    /// A tap, for touch exercises; `t_s` on the same clock as the samples.
    /// Throws `InvalidInput` for a time that is not finite or beyond ±1e10 s.
    pub fn tap(&self, t_s: f64) -> Result<Vec<SessionEvent>, RehabError> {
        self.drive(|s| s.tap(t_s))
    }

    /// Pauses (samples are ignored until `resume`).
    pub fn pause(&self) -> Result<Vec<SessionEvent>, RehabError> {
        self.drive(|s| s.pause())
    }

    /// Resumes after `pause`.
    pub fn resume(&self) -> Result<Vec<SessionEvent>, RehabError> {
        self.drive(|s| s.resume())
    }

    /// Ends the current block early, or the rest.
    pub fn skip(&self) -> Result<Vec<SessionEvent>, RehabError> {
        self.drive(|s| s.skip())
    }

    /// Call about once a second while resting: ends the rest when its time is
    /// up, and retries a write that failed.
    pub fn tick(&self) -> Result<Vec<SessionEvent>, RehabError> {
        self.drive(|s| s.tick())
    }

    /// Ends the session now with what was done. If its end cannot be stored
    /// yet, the state stays and calling `stop` again (or any call) retries.
    pub fn stop(&self) -> Result<Vec<SessionEvent>, RehabError> {
        self.drive(|s| s.stop())
    }

    /// Totals so far (final once finished).
    pub fn summary(&self) -> SessionSummary {
        self.lock().summary()
    }

    /// `begin` on the core's threads: the caller's thread never waits for the disk.
    pub async fn begin_async(self: Arc<Self>) -> Result<Vec<SessionEvent>, RehabError> {
        self.drive_off_thread(|s| s.begin()).await
    }

    /// `skip` on the core's threads: the caller's thread never waits for the disk.
    pub async fn skip_async(self: Arc<Self>) -> Result<Vec<SessionEvent>, RehabError> {
        self.drive_off_thread(|s| s.skip()).await
    }

    /// `stop` on the core's threads: the caller's thread never waits for the disk.
    pub async fn stop_async(self: Arc<Self>) -> Result<Vec<SessionEvent>, RehabError> {
        self.drive_off_thread(|s| s.stop()).await
    }

    /// `tick` on the core's threads (ending a rest starts the next block, a write).
    pub async fn tick_async(self: Arc<Self>) -> Result<Vec<SessionEvent>, RehabError> {
        self.drive_off_thread(|s| s.tick()).await
    }
}

#[uniffi::export]
impl RehabCore {
    /// The exercise catalog with texts in `language` ("en", "es"; an unknown
    /// language falls back to English).
    pub fn catalog(&self, language: String) -> Result<Vec<CatalogEntry>, RehabError> {
        let catalog = Catalog::embedded();
        let lang = catalog.resolve_language(&[language]);
        catalog
            .exercises()
            .iter()
            .map(|e| {
                Ok(CatalogEntry {
                    exercise: e.clone(),
                    text: catalog
                        .exercise_text(&e.id, &lang)
                        .map_err(|e| RehabError::internal(e.to_string()))?,
                })
            })
            .collect()
    }

    /// Today's plan for a profile: prescriptions first, then variety from what
    /// was done on earlier days. `today` is the person's local date.
    pub async fn plan_today(
        &self,
        profile_id: i64,
        today: LocalDate,
        request: PlanRequest,
    ) -> Result<DailyPlan, RehabError> {
        self.blocking(move |s| {
            crate::session::plan_for_day(s, Catalog::embedded(), profile_id, today, &request)
        })
        .await
    }

    /// A plan from a routine the person built (the routine's exercises, order
    /// and reps; range targets adapted from their stored sets). Throws
    /// `InvalidInput` for an unknown exercise or an empty routine.
    pub async fn plan_from_routine(
        &self,
        profile_id: i64,
        routine: Routine,
        level: u8,
    ) -> Result<DailyPlan, RehabError> {
        let now = self.clock.now_ms();
        self.blocking(move |s| {
            let catalog = Catalog::embedded();
            let profile = s.profile(profile_id)?;
            let since = now - crate::session::ADAPT_WINDOW_DAYS * 86_400_000;
            let targets = crate::session::next_targets(s, catalog, profile_id, since)?
                .into_iter()
                .map(|(id, next)| (id, next.targets))
                .collect();
            Ok::<_, SessionError>(routine.to_plan(
                catalog,
                level,
                profile.affected_side,
                &targets,
            )?)
        })
        .await
    }

    /// Starts a live session of `plan` for a profile. `utc_offset_minutes` is
    /// the device's current offset (days and streaks are counted in local
    /// time); `language` is for reasons shown to the person. Throws
    /// `InvalidState` while the profile has an active session: one left by a
    /// crash (resume or abandon it first), or one another process or app instance
    /// is driving. It writes to the disk: from the UI thread use `startSessionAsync`.
    pub fn start_session(
        &self,
        profile_id: i64,
        plan: DailyPlan,
        utc_offset_minutes: i32,
        language: String,
        listener: Option<Arc<dyn SessionListener>>,
    ) -> Result<Arc<ExerciseSession>, RehabError> {
        let start = self.session_starter();
        start(profile_id, plan, utc_offset_minutes, language, listener)
    }

    /// `start_session` on the core's threads: the caller's thread never waits for the disk.
    pub async fn start_session_async(
        &self,
        profile_id: i64,
        plan: DailyPlan,
        utc_offset_minutes: i32,
        language: String,
        listener: Option<Arc<dyn SessionListener>>,
    ) -> Result<Arc<ExerciseSession>, RehabError> {
        let start = self.session_starter();
        self.pool()
            .spawn_blocking(move || start(profile_id, plan, utc_offset_minutes, language, listener))
            .await?
    }

    /// Picks up the session a crash or app kill left unfinished (see
    /// `unfinishedSession`): stored reps stay, the interrupted block is closed,
    /// and the session continues with the next block (call `begin`). Throws
    /// `InvalidState` for a session that is over, or that another process or app
    /// instance is still driving. It writes to the disk: from the UI thread use
    /// `resumeSessionAsync`.
    pub fn resume_session(
        &self,
        session_id: i64,
        language: String,
        listener: Option<Arc<dyn SessionListener>>,
    ) -> Result<Arc<ExerciseSession>, RehabError> {
        let resume = self.session_resumer();
        resume(session_id, language, listener)
    }

    /// `resume_session` on the core's threads: the caller's thread never waits for the disk.
    pub async fn resume_session_async(
        &self,
        session_id: i64,
        language: String,
        listener: Option<Arc<dyn SessionListener>>,
    ) -> Result<Arc<ExerciseSession>, RehabError> {
        let resume = self.session_resumer();
        self.pool()
            .spawn_blocking(move || resume(session_id, language, listener))
            .await?
    }
}

type Listener = Option<Arc<dyn SessionListener>>;

impl RehabCore {
    /// What `start_session` does, as a closure that owns what it needs (so it can
    /// run on the pool).
    #[allow(clippy::type_complexity)]
    fn session_starter(
        &self,
    ) -> impl FnOnce(i64, DailyPlan, i32, String, Listener) -> Result<Arc<ExerciseSession>, RehabError>
           + Send
           + 'static {
        let (store, clock) = (self.store.clone(), self.clock.clone());
        let (listeners, pool) = (self.listeners(), self.pool());
        move |profile_id, plan, utc_offset_minutes, language, listener| {
            let catalog = Catalog::embedded();
            let lang = catalog.resolve_language(&[language]);
            let live = LiveSession::start(
                store,
                clock,
                catalog,
                profile_id,
                utc_offset_minutes,
                plan,
                &lang,
            )?;
            let changes = SessionChanges::new(listeners, profile_id, live.session_id());
            changes.started(false);
            Ok(ExerciseSession::new(live, listener, changes, pool))
        }
    }

    /// What `resume_session` does, as a closure that owns what it needs.
    fn session_resumer(
        &self,
    ) -> impl FnOnce(i64, String, Listener) -> Result<Arc<ExerciseSession>, RehabError> + Send + 'static
    {
        let (store, clock) = (self.store.clone(), self.clock.clone());
        let (listeners, pool) = (self.listeners(), self.pool());
        move |session_id, language, listener| {
            let catalog = Catalog::embedded();
            let lang = catalog.resolve_language(&[language]);
            // Refused (InvalidState) while another process or app instance drives it.
            let session = store.claim_session(session_id)?;
            let profile_id = session.profile_id;
            let live = LiveSession::recover(store, clock, catalog, session, &lang)?;
            let changes = SessionChanges::new(listeners, profile_id, session_id);
            changes.started(true);
            Ok(ExerciseSession::new(live, listener, changes, pool))
        }
    }
}

fast_push!(
    /// `ExerciseSession.pushImu` for the Kotlin/Swift `SessionFeed` (the sample fast path, `fast.rs`).
    rehab_core_session_push_imu => ExerciseSession, push_imu_slices
);
fast_push!(
    /// `ExerciseSession.pushScalar` for the Kotlin/Swift `SessionFeed` (the sample fast path, `fast.rs`).
    rehab_core_session_push_scalar => ExerciseSession, push_scalar_slices
);
