//! The session state machine.

use super::counter_hint;
use super::error::{Input, SessionAction, SessionError};
use super::events::{ExerciseResult, SessionEvent, SessionState, SessionSummary};
use super::stage::{check_times, ActiveBlock, Closing, Paused, Stage};
use super::targets::{next_targets, ADAPT_WINDOW_DAYS};
use crate::clock::Clock;
use crate::counting::{CounterConfig, RepCounter, RepEvent, RepKind};
use crate::routine::{Catalog, DailyPlan};
use crate::store::{
    AttemptRecord, NewBlock, NewCalibration, NewSession, RepRecord, Session, SessionEnd,
    SessionStatus, Store, StoreError,
};
use std::sync::Arc;

/// Calibration reps at the start of a block without a stored calibration.
pub const CALIBRATION_REPS: u32 = 3;
/// Two taps closer than this (s) are one tap (a bounce).
const TAP_REFRACTORY_S: f64 = 0.15;
/// A silence in the samples longer than this (s) adds nothing to active time.
const MAX_SAMPLE_GAP_S: f64 = 2.0;
/// Between taps, at most this much (s) counts as active time; a longer wait
/// also starts the next tap's rep afresh.
const MAX_TAP_GAP_S: f64 = 5.0;

type Result<T> = std::result::Result<T, SessionError>;

/// A session under way. Drive it with the shell's calls; each returns the
/// events it caused, in order. Every rep is committed to the store before the
/// call that counted it returns.
///
/// A write that fails (a full disk) never loses what was stored: a call that
/// stored something returns its events even if a later write of the same call
/// failed, and the failed step (the rest of the movements, a block's end, the
/// next block, the session's end) waits in the state and is retried by the
/// next call, which returns the error if it fails again. No call panics.
pub struct LiveSession {
    store: Arc<Store>,
    clock: Arc<dyn Clock>,
    catalog: &'static Catalog,
    lang: String,
    session: Session,
    plan: DailyPlan,
    stage: Stage,
    /// Index in the plan of the next block to start.
    next_block: usize,
    /// `stop` was called: whatever is pending ends the session, not the next block.
    stopping: bool,
    /// When the last block ended (UTC ms): the session ends no earlier.
    last_block_end_ms: i64,
    results: Vec<ExerciseResult>,
    reps: u32,
    attempts: u32,
    /// Reused for the counter's output: no allocation per batch once warm.
    buf: Vec<RepEvent>,
}

impl LiveSession {
    /// Starts a session for `profile_id` with `plan`; stores it as active.
    pub fn start(
        store: Arc<Store>,
        clock: Arc<dyn Clock>,
        catalog: &'static Catalog,
        profile_id: i64,
        utc_offset_min: i32,
        plan: DailyPlan,
        lang: &str,
    ) -> Result<LiveSession> {
        if plan.blocks.is_empty() {
            return Err(SessionError::EmptyPlan);
        }
        for b in &plan.blocks {
            catalog.exercise(&b.exercise_id)?;
        }
        let plan_json = serde_json::to_string(&plan).map_err(|e| SessionError::UnreadablePlan {
            detail: e.to_string(),
        })?;
        let session = store.create_session(&NewSession {
            profile_id,
            started_at_ms: clock.now_ms(),
            utc_offset_min,
            plan_json,
        })?;
        Ok(Self::with_session(
            store, clock, catalog, session, plan, lang,
        ))
    }

    /// Picks up a session a crash left active: finished blocks stay as stored,
    /// an interrupted block is closed with what it had, and the session goes on
    /// with the next block of its plan (state `Planned`, so call `begin`). When
    /// every planned block is stored (the app was killed before the session's
    /// end was), `begin` ends the session.
    pub fn recover(
        store: Arc<Store>,
        clock: Arc<dyn Clock>,
        catalog: &'static Catalog,
        session: Session,
        lang: &str,
    ) -> Result<LiveSession> {
        if session.status != SessionStatus::Active {
            return Err(SessionError::SessionOver {
                session_id: session.id,
            });
        }
        let plan: DailyPlan =
            serde_json::from_str(&session.plan_json).map_err(|e| SessionError::UnreadablePlan {
                detail: e.to_string(),
            })?;
        let mut live =
            Self::with_session(store.clone(), clock.clone(), catalog, session, plan, lang);
        let now = clock.now_ms();
        for (i, block) in store.blocks(live.session.id)?.into_iter().enumerate() {
            let block = match block.ended_at_ms {
                Some(_) => block,
                None => {
                    let last = store
                        .reps(block.id)?
                        .iter()
                        .map(|r| r.record.ended_at_ms)
                        .max()
                        .unwrap_or(block.started_at_ms)
                        .min(now)
                        .max(block.started_at_ms);
                    store.finish_block(block.id, last, last - block.started_at_ms)?
                }
            };
            let planned = live.plan.blocks.get(i);
            let target_reps = planned.map_or(block.target_reps.unwrap_or(0), |p| p.target_reps);
            live.reps += block.reps;
            live.attempts += block.attempts;
            live.last_block_end_ms = live
                .last_block_end_ms
                .max(block.ended_at_ms.unwrap_or(block.started_at_ms));
            live.results.push(ExerciseResult {
                block_index: i as u32,
                exercise_id: block.exercise_id,
                side: block.side,
                target_reps,
                reps: block.reps,
                attempts: block.attempts,
                mean_amplitude: block.mean_range.map(|m| m as f32),
                active_s: u32::try_from(block.active_ms / 1000).unwrap_or(u32::MAX),
                stopped_early: block.reps < target_reps,
            });
        }
        live.next_block = live.results.len();
        Ok(live)
    }

    fn with_session(
        store: Arc<Store>,
        clock: Arc<dyn Clock>,
        catalog: &'static Catalog,
        session: Session,
        plan: DailyPlan,
        lang: &str,
    ) -> LiveSession {
        LiveSession {
            store,
            clock,
            catalog,
            lang: lang.to_string(),
            session,
            plan,
            stage: Stage::Planned,
            next_block: 0,
            stopping: false,
            last_block_end_ms: i64::MIN,
            results: Vec::new(),
            reps: 0,
            attempts: 0,
            buf: Vec::with_capacity(16),
        }
    }

    /// The stored session's id.
    pub fn session_id(&self) -> i64 {
        self.session.id
    }

    /// The current state.
    pub fn state(&self) -> SessionState {
        self.stage.state()
    }

    /// The plan being played.
    pub fn plan(&self) -> &DailyPlan {
        &self.plan
    }

    /// Reps counted so far in the session.
    pub fn reps(&self) -> u32 {
        self.reps
    }

    /// Reps counted so far in the current block (0 between blocks).
    pub fn block_reps(&self) -> u32 {
        self.stage.block().map_or(0, |b| b.reps)
    }

    /// Index of the block under way, or of the next one between blocks.
    pub fn block_index(&self) -> u32 {
        self.stage
            .block()
            .map_or(self.next_block as u32, |b| b.index)
    }

    /// When the current rest ends (UTC ms), while resting.
    pub fn rest_until_ms(&self) -> Option<i64> {
        match self.stage {
            Stage::Resting { until_ms } => Some(until_ms),
            _ => None,
        }
    }

    /// Starts the next block (from `Planned`, or ends a rest early); ends the
    /// session when no planned block is left.
    pub fn begin(&mut self) -> Result<Vec<SessionEvent>> {
        self.run(|s, events| match s.stage {
            Stage::Planned => s.start_next_block(events),
            Stage::Resting { .. } => s.end_rest(events),
            Stage::Ending => s.finish_session(events),
            _ => Err(s.wrong_state(SessionAction::Begin)),
        })
    }

    /// Feeds a batch of 6-axis samples (`ax, ay, az, gx, gy, gz` per sample).
    /// Ignored while resting or paused.
    pub fn push_imu(&mut self, t_s: &[f64], samples: &[f32]) -> Result<Vec<SessionEvent>> {
        self.push(t_s, |c, out| c.push_imu(t_s, samples, out))
    }

    /// Feeds a batch of scalar samples (grip force, joint angle, ...).
    /// Ignored while resting or paused.
    pub fn push_scalar(&mut self, t_s: &[f64], values: &[f32]) -> Result<Vec<SessionEvent>> {
        self.push(t_s, |c, out| c.push_scalar(t_s, values, out))
    }

    fn push(
        &mut self,
        t_s: &[f64],
        feed: impl FnOnce(
            &mut RepCounter,
            &mut Vec<RepEvent>,
        ) -> std::result::Result<(), crate::counting::CountingError>,
    ) -> Result<Vec<SessionEvent>> {
        self.run(|s, events| {
            s.settle(events)?;
            let now = s.clock.now_ms();
            let Some(block) = s.stage.input_block(SessionAction::PushSamples)? else {
                return Ok(()); // resting or paused
            };
            let Some(counter) = block.counter.as_mut() else {
                return Err(SessionError::WrongInput {
                    exercise_id: block.planned.exercise_id.clone(),
                    expected: Input::Taps,
                    given: Input::Samples,
                });
            };
            check_times(t_s)?;
            let mut out = std::mem::take(&mut s.buf);
            out.clear();
            let fed = feed(counter, &mut out);
            if fed.is_ok() {
                block.take_input(t_s, now, MAX_SAMPLE_GAP_S);
                block.keep_unstored(out.drain(..));
            }
            s.buf = out;
            fed?;
            s.settle(events)
        })
    }

    /// A tap on the screen, for touch exercises (`t_s` on the same clock as samples).
    pub fn tap(&mut self, t_s: f64) -> Result<Vec<SessionEvent>> {
        self.run(|s, events| {
            s.settle(events)?;
            let now = s.clock.now_ms();
            let Some(block) = s.stage.input_block(SessionAction::Tap)? else {
                return Ok(()); // resting or paused
            };
            if block.counter.is_some() {
                return Err(SessionError::WrongInput {
                    exercise_id: block.planned.exercise_id.clone(),
                    expected: Input::Samples,
                    given: Input::Taps,
                });
            }
            check_times(std::slice::from_ref(&t_s))?;
            let mut start = t_s;
            if let Some(previous_s) = block.last_tap_s {
                if t_s < previous_s {
                    return Err(SessionError::TapBackwards { t_s, previous_s });
                }
                if t_s - previous_s < TAP_REFRACTORY_S {
                    return Ok(());
                }
                if t_s - previous_s <= MAX_TAP_GAP_S {
                    start = previous_s;
                }
            }
            block.last_tap_s = Some(t_s);
            block.take_input(&[t_s], now, MAX_TAP_GAP_S);
            let tap = RepEvent {
                kind: RepKind::Rep,
                index: block.reps,
                start_s: start,
                end_s: t_s,
                amplitude: 0.0,
                duration_s: (t_s - start) as f32,
                peak_speed: 0.0,
                reached_target: true,
                travel: false,
            };
            block.keep_unstored(std::iter::once(tap));
            s.settle(events)
        })
    }

    /// Pauses (from calibrating, exercising or resting).
    pub fn pause(&mut self) -> Result<Vec<SessionEvent>> {
        match self.stage {
            Stage::Block(_) | Stage::Closing(_) | Stage::Resting { .. } | Stage::Ending => {}
            _ => return Err(self.wrong_state(SessionAction::Pause)),
        }
        let at_ms = self.clock.now_ms();
        let mut from = std::mem::replace(&mut self.stage, Stage::Planned);
        match &mut from {
            // Time paused is not active: the next input starts a new stretch.
            Stage::Block(b) => b.last_input_s = None,
            Stage::Closing(c) => c.block.last_input_s = None,
            _ => {}
        }
        self.stage = Stage::Paused(Box::new(Paused { from, at_ms }));
        Ok(vec![SessionEvent::StateChanged {
            state: SessionState::Paused,
        }])
    }

    /// Resumes where `pause` left off; a paused rest is extended by the pause.
    pub fn resume(&mut self) -> Result<Vec<SessionEvent>> {
        match std::mem::replace(&mut self.stage, Stage::Planned) {
            Stage::Paused(paused) => {
                let Paused { mut from, at_ms } = *paused;
                if let Stage::Resting { until_ms } = &mut from {
                    *until_ms = until_ms.saturating_add(self.clock.now_ms() - at_ms);
                }
                self.stage = from;
                Ok(vec![SessionEvent::StateChanged {
                    state: self.stage.state(),
                }])
            }
            other => {
                self.stage = other;
                Err(self.wrong_state(SessionAction::Resume))
            }
        }
    }

    /// Ends the current block before its target (or the rest, early) and moves on.
    pub fn skip(&mut self) -> Result<Vec<SessionEvent>> {
        self.run(|s, events| match s.stage {
            Stage::Block(_) => s.end_block_early(events),
            Stage::Closing(_) | Stage::Ending => s.settle(events),
            Stage::Resting { .. } => s.end_rest(events),
            _ => Err(s.wrong_state(SessionAction::Skip)),
        })
    }

    /// Lets time pass: ends a rest whose time is up and starts the next block;
    /// retries a write that failed earlier.
    pub fn tick(&mut self) -> Result<Vec<SessionEvent>> {
        self.run(|s, events| {
            s.settle(events)?;
            match s.stage {
                Stage::Resting { until_ms } if s.clock.now_ms() >= until_ms => s.end_rest(events),
                _ => Ok(()),
            }
        })
    }

    /// Ends the session now with what was done (stored as finished). If a
    /// write fails, the state keeps what is left to store and the next call
    /// (another `stop`, or any other) ends the session.
    pub fn stop(&mut self) -> Result<Vec<SessionEvent>> {
        self.run(|s, events| {
            if let Stage::Finished = s.stage {
                return Err(s.wrong_state(SessionAction::Stop));
            }
            s.stopping = true;
            if let Stage::Paused(_) = s.stage {
                if let Stage::Paused(paused) = std::mem::replace(&mut s.stage, Stage::Planned) {
                    s.stage = paused.from;
                }
            }
            match s.stage {
                Stage::Block(_) => s.end_block_early(events),
                Stage::Planned | Stage::Resting { .. } => {
                    s.stage = Stage::Ending;
                    s.finish_session(events)
                }
                _ => s.settle(events),
            }
        })
    }

    /// The summary so far (final once the session is finished).
    pub fn summary(&self) -> SessionSummary {
        let active_ms = self.results_active_ms() + self.stage.block().map_or(0, |b| b.active_ms());
        let end = self
            .session
            .ended_at_ms
            .unwrap_or_else(|| self.clock.now_ms());
        SessionSummary {
            session_id: self.session.id,
            reps: self.reps,
            attempts: self.attempts,
            active_minutes: active_ms as f32 / 60_000.0,
            total_minutes: (end - self.session.started_at_ms).max(0) as f32 / 60_000.0,
            exercises: self.results.clone(),
            completed_plan: self.results.len() == self.plan.blocks.len()
                && self.results.iter().all(|r| !r.stopped_early),
        }
    }

    fn results_active_ms(&self) -> i64 {
        self.results
            .iter()
            .map(|r| i64::from(r.active_s) * 1000)
            .sum()
    }

    /// Runs one call. What was stored is reported even when a later write of
    /// the call fails: the failure then waits in the stage for the next call.
    fn run(
        &mut self,
        call: impl FnOnce(&mut Self, &mut Vec<SessionEvent>) -> Result<()>,
    ) -> Result<Vec<SessionEvent>> {
        let mut events = Vec::new();
        match call(self, &mut events) {
            Ok(()) => Ok(events),
            Err(e) if events.is_empty() => Err(e),
            Err(_) => Ok(events),
        }
    }

    fn wrong_state(&self, action: SessionAction) -> SessionError {
        SessionError::WrongState {
            action,
            state: self.stage.state(),
        }
    }

    /// Stores what an earlier write left behind (movements, a calibration, a
    /// block's end, the session's end) and what follows from it.
    fn settle(&mut self, events: &mut Vec<SessionEvent>) -> Result<()> {
        self.store_movements(events)?;
        match self.stage {
            Stage::Closing(_) => self.close_block(events),
            Stage::Ending => self.finish_session(events),
            _ => Ok(()),
        }
    }

    fn start_next_block(&mut self, events: &mut Vec<SessionEvent>) -> Result<()> {
        let index = self.next_block;
        let Some(planned) = self.plan.blocks.get(index).cloned() else {
            // Every planned block is stored (resumed after the last block's end).
            self.stage = Stage::Ending;
            return self.finish_session(events);
        };
        let exercise = self.catalog.exercise(&planned.exercise_id)?;
        let now = self.clock.now_ms();
        let calibration = self.store.latest_calibration(
            self.session.profile_id,
            &planned.exercise_id,
            planned.side,
        )?;
        let hint = counter_hint(&exercise.hint);
        let mut counter = hint.map(|h| {
            let config = CounterConfig {
                target_fraction: planned.target_range_fraction,
            };
            RepCounter::new(config, Some(h))
        });
        let mut calibrating = false;
        let mut target_range = None;
        if let Some(c) = counter.as_mut() {
            match &calibration {
                Some(cal) if cal.values.full_range > 0.0 => {
                    c.set_reference_range(cal.values.full_range as f32)?;
                    target_range = c.target_range().map(f64::from);
                }
                _ => {
                    c.begin_calibration();
                    calibrating = true;
                }
            }
        }
        let block_id = self.store.start_block(
            self.session.id,
            &NewBlock {
                exercise_id: planned.exercise_id.clone(),
                side: planned.side,
                target_reps: Some(planned.target_reps),
                target_range,
                started_at_ms: now,
            },
        )?;
        events.push(SessionEvent::BlockStarted {
            block_index: index as u32,
            exercise_id: planned.exercise_id.clone(),
            side: planned.side,
            target_reps: planned.target_reps,
            calibrating,
        });
        let block = ActiveBlock::new(index as u32, block_id, planned, counter, calibrating, now);
        let state = block.state();
        self.stage = Stage::Block(Box::new(block));
        self.next_block += 1;
        events.push(SessionEvent::StateChanged { state });
        Ok(())
    }

    /// Ends a rest (or the wait after a block that could not start) with the next block.
    fn end_rest(&mut self, events: &mut Vec<SessionEvent>) -> Result<()> {
        let at = events.len();
        self.start_next_block(events)?;
        events.insert(at, SessionEvent::RestOver);
        Ok(())
    }

    /// Stores the block's movements that are not stored yet, oldest first,
    /// with what follows from each: the end of calibration, the target reached.
    fn store_movements(&mut self, events: &mut Vec<SessionEvent>) -> Result<()> {
        self.store_calibration(events)?;
        while let Some(e) = self
            .stage
            .live_block_mut()
            .and_then(|b| b.unstored.front().copied())
        {
            let stored = self.store_movement(&e, events);
            let Some(block) = self.stage.live_block_mut() else {
                break;
            };
            match stored {
                Ok(()) => {}
                // A movement the store refuses (a number no sensor gives) can
                // never be stored: dropped, neither stored nor reported, so it
                // cannot hold up the session.
                Err(SessionError::Store(StoreError::Invalid { .. })) => {
                    block.unstored.pop_front();
                    continue;
                }
                Err(e) => return Err(e),
            }
            block.unstored.pop_front();
            if block.calibrating && block.reps >= CALIBRATION_REPS {
                self.end_calibration(events)?;
            }
            let Some(block) = self.stage.live_block_mut() else {
                break;
            };
            let target = block.planned.target_reps;
            if block.reps < target {
                continue;
            }
            // Movements after the target are not counted.
            block.unstored.clear();
            let reached = SessionEvent::TargetReached {
                block_index: block.index,
                reps: block.reps,
            };
            match std::mem::replace(&mut self.stage, Stage::Ending) {
                Stage::Block(block) => {
                    events.push(reached);
                    self.stage = Stage::Closing(Box::new(Closing {
                        block: *block,
                        stopped_early: false,
                    }));
                }
                other => {
                    // Already closing: the target was reached by a flushed rep.
                    if e.kind == RepKind::Rep && other.block().is_some_and(|b| b.reps == target) {
                        events.push(reached);
                    }
                    self.stage = other;
                }
            }
        }
        Ok(())
    }

    /// Stores one movement of the block under way, then reports it.
    fn store_movement(&mut self, e: &RepEvent, events: &mut Vec<SessionEvent>) -> Result<()> {
        let Some(block) = self.stage.live_block_mut() else {
            return Ok(());
        };
        let (start_ms, end_ms) = (block.wall_ms(e.start_s), block.wall_ms(e.end_s));
        match e.kind {
            RepKind::Rep => {
                let rep_id = self.store.record_rep(
                    block.block_id,
                    &RepRecord {
                        started_at_ms: start_ms,
                        ended_at_ms: end_ms.max(start_ms),
                        amplitude: f64::from(e.amplitude),
                        peak_speed: f64::from(e.peak_speed),
                        target_reached: e.reached_target,
                    },
                )?;
                block.reps += 1;
                block.amplitude_sum += f64::from(e.amplitude);
                self.reps += 1;
                events.push(SessionEvent::Rep {
                    block_index: block.index,
                    reps_in_block: block.reps,
                    reps_in_session: self.reps,
                    amplitude: e.amplitude,
                    duration_s: e.duration_s,
                    peak_speed: e.peak_speed,
                    rep_id,
                    travel: e.travel,
                });
            }
            RepKind::Attempt => {
                self.store.record_attempt(
                    block.block_id,
                    &AttemptRecord {
                        started_at_ms: start_ms,
                        ended_at_ms: end_ms.max(start_ms),
                        amplitude: f64::from(e.amplitude),
                        peak_speed: f64::from(e.peak_speed),
                    },
                )?;
                block.attempts += 1;
                self.attempts += 1;
                let target_range = block
                    .counter
                    .as_ref()
                    .and_then(|c| c.target_range())
                    .unwrap_or(0.0);
                events.push(SessionEvent::Attempt {
                    block_index: block.index,
                    attempts_in_block: block.attempts,
                    amplitude: e.amplitude,
                    target_range,
                    travel: e.travel,
                });
            }
        }
        Ok(())
    }

    fn end_calibration(&mut self, events: &mut Vec<SessionEvent>) -> Result<()> {
        let profile_id = self.session.profile_id;
        let now = self.clock.now_ms();
        let Some(block) = self.stage.live_block_mut() else {
            return Ok(());
        };
        block.calibrating = false;
        if let Some(counter) = block.counter.as_mut() {
            if let Some(reference) = counter.end_calibration() {
                let calibration = NewCalibration {
                    profile_id,
                    exercise_id: block.planned.exercise_id.clone(),
                    side: block.planned.side,
                    recorded_at_ms: now,
                    rest_noise: f64::from(counter.floor()),
                    full_range: f64::from(reference),
                };
                let target = counter.target_range().unwrap_or(reference);
                block.unstored_calibration = Some((calibration, reference, target));
            }
        }
        let stored = self.store_calibration(events);
        events.push(SessionEvent::StateChanged {
            state: SessionState::Exercising,
        });
        stored
    }

    /// Stores a calibration that is not stored yet, then reports it.
    fn store_calibration(&mut self, events: &mut Vec<SessionEvent>) -> Result<()> {
        let Some(block) = self.stage.live_block_mut() else {
            return Ok(());
        };
        let Some((calibration, reference, target)) = &block.unstored_calibration else {
            return Ok(());
        };
        self.store.record_calibration(calibration)?;
        events.push(SessionEvent::Calibrated {
            exercise_id: calibration.exercise_id.clone(),
            reference_range: *reference,
            target_range: *target,
        });
        block.unstored_calibration = None;
        Ok(())
    }

    /// Skip or stop: the movement in progress is counted, then the block ends.
    fn end_block_early(&mut self, events: &mut Vec<SessionEvent>) -> Result<()> {
        let block = match std::mem::replace(&mut self.stage, Stage::Ending) {
            Stage::Block(block) => block,
            other => {
                self.stage = other;
                return self.settle(events);
            }
        };
        let mut block = *block;
        if let Some(counter) = block.counter.as_mut() {
            let mut out = std::mem::take(&mut self.buf);
            out.clear();
            counter.finish(&mut out);
            block.keep_unstored(out.drain(..));
            self.buf = out;
        }
        self.stage = Stage::Closing(Box::new(Closing {
            block,
            stopped_early: true,
        }));
        self.settle(events)
    }

    /// Stores the end of the closing block, then rests, starts the next block
    /// or ends the session.
    fn close_block(&mut self, events: &mut Vec<SessionEvent>) -> Result<()> {
        let closing = match std::mem::replace(&mut self.stage, Stage::Ending) {
            Stage::Closing(closing) => closing,
            other => {
                self.stage = other;
                return Ok(());
            }
        };
        let block = &closing.block;
        // A replay can run faster than real time: the block lasts at least as
        // long as its samples say.
        let now = self
            .clock
            .now_ms()
            .max(block.last_input_ms().unwrap_or(i64::MIN));
        let ended = now.max(block.started_at_ms);
        let active = block.active_ms().min(ended - block.started_at_ms);
        if let Err(e) = self.store.finish_block(block.block_id, ended, active) {
            self.stage = Stage::Closing(closing);
            return Err(e.into());
        }
        self.last_block_end_ms = self.last_block_end_ms.max(ended);
        let result = ExerciseResult {
            block_index: block.index,
            exercise_id: block.planned.exercise_id.clone(),
            side: block.planned.side,
            target_reps: block.planned.target_reps,
            reps: block.reps,
            attempts: block.attempts,
            mean_amplitude: (block.reps > 0 && block.counter.is_some())
                .then(|| (block.amplitude_sum / f64::from(block.reps)) as f32),
            active_s: u32::try_from(active / 1000).unwrap_or(u32::MAX),
            stopped_early: closing.stopped_early && block.reps < block.planned.target_reps,
        };
        self.results.push(result.clone());
        events.push(SessionEvent::BlockComplete { result });
        let rest_s = block.planned.rest_after_s;
        let next = self
            .plan
            .blocks
            .get(self.next_block)
            .filter(|_| !self.stopping);
        match next {
            None => self.finish_session(events),
            Some(_) if rest_s == 0 => {
                self.stage = Stage::Resting { until_ms: now };
                let started = self.start_next_block(events);
                if started.is_err() {
                    // Waits as a rest that is over: `tick` retries.
                    events.push(SessionEvent::StateChanged {
                        state: SessionState::Resting,
                    });
                }
                started
            }
            Some(next) => {
                let next_exercise_id = next.exercise_id.clone();
                self.stage = Stage::Resting {
                    until_ms: now.saturating_add(i64::from(rest_s) * 1000),
                };
                events.push(SessionEvent::RestStarted {
                    seconds: rest_s,
                    next_exercise_id,
                });
                events.push(SessionEvent::StateChanged {
                    state: SessionState::Resting,
                });
                Ok(())
            }
        }
    }

    /// Stores the session's end (the stage is `Ending`).
    fn finish_session(&mut self, events: &mut Vec<SessionEvent>) -> Result<()> {
        let now = self.clock.now_ms().max(self.last_block_end_ms);
        let ended = now.max(self.session.started_at_ms);
        let active_ms = self.results_active_ms();
        self.session = self.store.finish_session(
            self.session.id,
            &SessionEnd {
                ended_at_ms: ended,
                active_ms: active_ms.min(ended - self.session.started_at_ms),
                status: SessionStatus::Finished,
            },
        )?;
        self.stage = Stage::Finished;
        // Advice for next time: a failed read leaves the targets as they were.
        let _ = self.adapt_targets(events);
        events.push(SessionEvent::StateChanged {
            state: SessionState::Finished,
        });
        events.push(SessionEvent::SessionFinished {
            summary: self.summary(),
        });
        Ok(())
    }

    /// Reports how the targets of this session's exercises change for next
    /// time, adapted from the sets stored over the last weeks (this
    /// session's included), each with its reason in the session's language.
    fn adapt_targets(&self, events: &mut Vec<SessionEvent>) -> Result<()> {
        let since = self.session.started_at_ms - ADAPT_WINDOW_DAYS * 86_400_000;
        let next = next_targets(&self.store, self.catalog, self.session.profile_id, since)?;
        let mut seen: Vec<&str> = Vec::new();
        for r in &self.results {
            if seen.contains(&r.exercise_id.as_str()) {
                continue;
            }
            seen.push(&r.exercise_id);
            if let Some(change) = next.get(&r.exercise_id).and_then(|n| n.change) {
                events.push(SessionEvent::TargetsChanged {
                    exercise_id: r.exercise_id.clone(),
                    change,
                    reason_text: self.catalog.reason_text(change.reason, &self.lang)?,
                });
            }
        }
        Ok(())
    }
}
