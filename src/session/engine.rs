//! The session state machine.

use super::events::{ExerciseResult, SessionEvent, SessionState, SessionSummary};
use super::targets::{next_targets, ADAPT_WINDOW_DAYS};
use super::{counter_hint, SessionError};
use crate::clock::Clock;
use crate::counting::{CounterConfig, RepCounter, RepEvent, RepKind};
use crate::routine::{Catalog, DailyPlan, PlannedBlock};
use crate::store::{
    AttemptRecord, NewBlock, NewCalibration, NewSession, RepRecord, Session, SessionEnd,
    SessionStatus, Store,
};
use std::sync::Arc;

/// Calibration reps at the start of a block without a stored calibration.
pub const CALIBRATION_REPS: u32 = 3;
/// Two taps closer than this (s) are one tap (a bounce).
const TAP_REFRACTORY_S: f64 = 0.15;
/// A silence in the samples longer than this (s) is not counted as active time.
const MAX_SAMPLE_GAP_S: f64 = 2.0;
/// Between taps, at most this much (s) counts as active time.
const MAX_TAP_GAP_S: f64 = 5.0;

type Result<T> = std::result::Result<T, SessionError>;

/// A session under way. Drive it with the shell's calls; each returns the
/// events it caused, in order. Every rep is committed to the store before the
/// call that counted it returns.
pub struct LiveSession {
    store: Arc<Store>,
    clock: Arc<dyn Clock>,
    catalog: &'static Catalog,
    lang: String,
    session: Session,
    plan: DailyPlan,
    state: SessionState,
    paused_from: Option<SessionState>,
    paused_at_ms: i64,
    next_block: usize,
    current: Option<ActiveBlock>,
    rest_until_ms: i64,
    /// When the last block ended (UTC ms): the session ends no earlier.
    last_block_end_ms: i64,
    results: Vec<ExerciseResult>,
    reps: u32,
    attempts: u32,
    /// Reused for the counter's output: no allocation per batch once warm.
    buf: Vec<RepEvent>,
}

struct ActiveBlock {
    index: u32,
    block_id: i64,
    planned: PlannedBlock,
    /// `None` for touch exercises (taps are counted directly).
    counter: Option<RepCounter>,
    calibrating: bool,
    reps: u32,
    attempts: u32,
    amplitude_sum: f64,
    /// Sample time and wall time (UTC ms) of the block's first sample.
    anchor: Option<(f64, i64)>,
    started_at_ms: i64,
    /// Time spent moving, from sample (or tap) timestamps, so a replay at any
    /// speed measures the same; pauses and rests add nothing.
    active_ms: i64,
    /// Timestamp of the last sample or tap taken.
    last_input_s: Option<f64>,
    last_tap_s: Option<f64>,
}

impl ActiveBlock {
    fn wall_ms(&self, t_s: f64) -> i64 {
        let (t0, wall0) = self.anchor.unwrap_or((t_s, self.started_at_ms));
        wall0 + ((t_s - t0) * 1000.0).round() as i64
    }

    /// Adds the time from the last input to `last_s` (at most `max_gap_s`, so
    /// a long silence is not counted as movement) to the active time.
    fn take_input(&mut self, first_s: f64, last_s: f64, max_gap_s: f64) {
        let from = match self.last_input_s {
            Some(prev) if first_s - prev <= max_gap_s => prev,
            _ => first_s,
        };
        self.active_ms += ((last_s - from).max(0.0) * 1000.0).round() as i64;
        self.last_input_s = Some(last_s);
    }

    /// When the block's last input happened on the wall clock, if any.
    fn last_input_ms(&self) -> Option<i64> {
        self.last_input_s.map(|t| self.wall_ms(t))
    }
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
            return Err(SessionError::State("the plan has no blocks".into()));
        }
        for b in &plan.blocks {
            catalog.exercise(&b.exercise_id)?;
        }
        let plan_json = serde_json::to_string(&plan).expect("plans serialize");
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
    /// with the next block of its plan (state `Planned`, so call `begin`).
    pub fn recover(
        store: Arc<Store>,
        clock: Arc<dyn Clock>,
        catalog: &'static Catalog,
        session: Session,
        lang: &str,
    ) -> Result<LiveSession> {
        if session.status != SessionStatus::Active {
            return Err(SessionError::State(format!(
                "session {} is over and cannot be resumed",
                session.id
            )));
        }
        let plan: DailyPlan = serde_json::from_str(&session.plan_json)
            .map_err(|e| SessionError::State(format!("the stored plan is unreadable: {e}")))?;
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
            live.results.push(ExerciseResult {
                block_index: i as u32,
                exercise_id: block.exercise_id,
                side: block.side,
                target_reps,
                reps: block.reps,
                attempts: block.attempts,
                mean_amplitude: block.mean_range.map(|m| m as f32),
                active_s: (block.active_ms / 1000) as u32,
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
            state: SessionState::Planned,
            paused_from: None,
            paused_at_ms: 0,
            next_block: 0,
            current: None,
            rest_until_ms: 0,
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
        self.state
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
        self.current.as_ref().map_or(0, |b| b.reps)
    }

    /// Index of the block under way, or of the next one between blocks.
    pub fn block_index(&self) -> u32 {
        self.current
            .as_ref()
            .map_or(self.next_block as u32, |b| b.index)
    }

    /// When the current rest ends (UTC ms), while resting.
    pub fn rest_until_ms(&self) -> Option<i64> {
        (self.state == SessionState::Resting).then_some(self.rest_until_ms)
    }

    /// Starts the next block (from `Planned`, or ends a rest early).
    pub fn begin(&mut self) -> Result<Vec<SessionEvent>> {
        let mut events = Vec::new();
        match self.state {
            SessionState::Planned => {}
            SessionState::Resting => events.push(SessionEvent::RestOver),
            s => return Err(self.wrong_state("begin", s)),
        }
        self.start_next_block(&mut events)?;
        Ok(events)
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
        match self.state {
            SessionState::Calibrating | SessionState::Exercising => {}
            SessionState::Resting | SessionState::Paused => return Ok(Vec::new()),
            s => return Err(self.wrong_state("push samples", s)),
        }
        let now = self.clock.now_ms();
        let block = self.current.as_mut().expect("a block is under way");
        let Some(counter) = block.counter.as_mut() else {
            return Err(SessionError::State(format!(
                "{} is counted from taps, not samples",
                block.planned.exercise_id
            )));
        };
        let mut out = std::mem::take(&mut self.buf);
        out.clear();
        let fed = feed(counter, &mut out);
        if let (Ok(()), Some(&first), Some(&last)) = (&fed, t_s.first(), t_s.last()) {
            if block.anchor.is_none() {
                // The batch arrives as its last sample is taken.
                block.anchor = Some((first, now - ((last - first) * 1000.0).round() as i64));
            }
            block.take_input(first, last, MAX_SAMPLE_GAP_S);
        }
        let result = fed.map_err(SessionError::from).and_then(|()| {
            let mut events = Vec::new();
            for e in &out {
                if self.current.is_none() {
                    break; // the block completed earlier in this batch
                }
                self.on_movement(e, &mut events)?;
            }
            Ok(events)
        });
        self.buf = out;
        result
    }

    /// A tap on the screen, for touch exercises (`t_s` on the same clock as samples).
    pub fn tap(&mut self, t_s: f64) -> Result<Vec<SessionEvent>> {
        if !t_s.is_finite() {
            return Err(SessionError::State(
                "tap time is not a finite number".into(),
            ));
        }
        match self.state {
            SessionState::Calibrating | SessionState::Exercising => {}
            SessionState::Resting | SessionState::Paused => return Ok(Vec::new()),
            s => return Err(self.wrong_state("tap", s)),
        }
        let now = self.clock.now_ms();
        let block = self.current.as_mut().expect("a block is under way");
        if block.counter.is_some() {
            return Err(SessionError::State(format!(
                "{} is counted from sensor samples, not taps",
                block.planned.exercise_id
            )));
        }
        if block.anchor.is_none() {
            block.anchor = Some((t_s, now));
        }
        if let Some(prev) = block.last_tap_s {
            if t_s < prev {
                return Err(SessionError::State(format!(
                    "tap time goes backwards: {t_s} s after {prev} s"
                )));
            }
            if t_s - prev < TAP_REFRACTORY_S {
                return Ok(Vec::new());
            }
        }
        let start = block.last_tap_s.unwrap_or(t_s);
        block.last_tap_s = Some(t_s);
        block.take_input(t_s, t_s, MAX_TAP_GAP_S);
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
        let mut events = Vec::new();
        self.on_movement(&tap, &mut events)?;
        Ok(events)
    }

    /// Pauses (from calibrating, exercising or resting).
    pub fn pause(&mut self) -> Result<Vec<SessionEvent>> {
        match self.state {
            SessionState::Calibrating | SessionState::Exercising | SessionState::Resting => {}
            s => return Err(self.wrong_state("pause", s)),
        }
        let now = self.clock.now_ms();
        if let Some(b) = self.current.as_mut() {
            // Time paused is not active: the next input starts a new stretch.
            b.last_input_s = None;
        }
        self.paused_from = Some(self.state);
        self.paused_at_ms = now;
        Ok(vec![self.set_state(SessionState::Paused)])
    }

    /// Resumes where `pause` left off; a paused rest is extended by the pause.
    pub fn resume(&mut self) -> Result<Vec<SessionEvent>> {
        let Some(previous) = self
            .paused_from
            .take()
            .filter(|_| self.state == SessionState::Paused)
        else {
            return Err(self.wrong_state("resume", self.state));
        };
        let now = self.clock.now_ms();
        if previous == SessionState::Resting {
            self.rest_until_ms += now - self.paused_at_ms;
        }
        Ok(vec![self.set_state(previous)])
    }

    /// Ends the current block before its target (or the rest, early) and moves on.
    pub fn skip(&mut self) -> Result<Vec<SessionEvent>> {
        match self.state {
            SessionState::Calibrating | SessionState::Exercising => {
                let mut events = Vec::new();
                self.flush_counter(&mut events)?;
                if self.current.is_some() {
                    self.complete_block(true, &mut events)?;
                }
                Ok(events)
            }
            SessionState::Resting => self.begin(),
            s => Err(self.wrong_state("skip", s)),
        }
    }

    /// Lets time pass: ends a rest whose time is up and starts the next block.
    pub fn tick(&mut self) -> Result<Vec<SessionEvent>> {
        if self.state == SessionState::Resting && self.clock.now_ms() >= self.rest_until_ms {
            return self.begin();
        }
        Ok(Vec::new())
    }

    /// Ends the session now with what was done (stored as finished).
    pub fn stop(&mut self) -> Result<Vec<SessionEvent>> {
        let mut events = Vec::new();
        match self.state {
            SessionState::Finished => return Err(self.wrong_state("stop", self.state)),
            SessionState::Paused => {
                self.paused_from = None;
            }
            _ => {}
        }
        if self.current.is_some() {
            if matches!(
                self.state,
                SessionState::Calibrating | SessionState::Exercising
            ) {
                self.flush_counter(&mut events)?;
            }
            if self.current.is_some() {
                self.complete_block(true, &mut events)?;
            }
        }
        if self.state != SessionState::Finished {
            self.finish_session(&mut events)?;
        }
        Ok(events)
    }

    /// The summary so far (final once the session is finished).
    pub fn summary(&self) -> SessionSummary {
        let active_ms: i64 = self
            .results
            .iter()
            .map(|r| i64::from(r.active_s) * 1000)
            .sum::<i64>()
            + self.current.as_ref().map_or(0, |b| b.active_ms);
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

    fn wrong_state(&self, what: &str, state: SessionState) -> SessionError {
        SessionError::State(format!("cannot {what} while the session is {state:?}"))
    }

    fn set_state(&mut self, state: SessionState) -> SessionEvent {
        self.state = state;
        SessionEvent::StateChanged { state }
    }

    fn start_next_block(&mut self, events: &mut Vec<SessionEvent>) -> Result<()> {
        let index = self.next_block;
        let planned = self.plan.blocks[index].clone();
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
                ..CounterConfig::default()
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
        self.current = Some(ActiveBlock {
            index: index as u32,
            block_id,
            planned,
            counter,
            calibrating,
            reps: 0,
            attempts: 0,
            amplitude_sum: 0.0,
            anchor: None,
            started_at_ms: now,
            active_ms: 0,
            last_input_s: None,
            last_tap_s: None,
        });
        self.next_block += 1;
        let state = if calibrating {
            SessionState::Calibrating
        } else {
            SessionState::Exercising
        };
        events.push(self.set_state(state));
        Ok(())
    }

    /// One movement from the counter (or a tap): store it, then report it.
    fn on_movement(&mut self, e: &RepEvent, events: &mut Vec<SessionEvent>) -> Result<()> {
        let block = self.current.as_mut().expect("a block is under way");
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
        if block.calibrating && block.reps >= CALIBRATION_REPS {
            self.end_calibration(events)?;
        }
        let block = self.current.as_ref().expect("a block is under way");
        if block.reps >= block.planned.target_reps {
            events.push(SessionEvent::TargetReached {
                block_index: block.index,
                reps: block.reps,
            });
            self.complete_block(false, events)?;
        }
        Ok(())
    }

    fn end_calibration(&mut self, events: &mut Vec<SessionEvent>) -> Result<()> {
        let block = self.current.as_mut().expect("a block is under way");
        block.calibrating = false;
        let counter = block.counter.as_mut().expect("calibration needs a counter");
        if let Some(reference) = counter.end_calibration() {
            let floor = counter.floor();
            self.store.record_calibration(&NewCalibration {
                profile_id: self.session.profile_id,
                exercise_id: block.planned.exercise_id.clone(),
                side: block.planned.side,
                recorded_at_ms: self.clock.now_ms(),
                rest_noise: f64::from(floor),
                full_range: f64::from(reference),
                params_json: "{}".into(),
            })?;
            events.push(SessionEvent::Calibrated {
                exercise_id: block.planned.exercise_id.clone(),
                reference_range: reference,
                target_range: counter.target_range().unwrap_or(reference),
            });
        }
        events.push(self.set_state(SessionState::Exercising));
        Ok(())
    }

    /// Reports a last movement that has come back before a block ends early.
    fn flush_counter(&mut self, events: &mut Vec<SessionEvent>) -> Result<()> {
        let Some(counter) = self.current.as_mut().and_then(|b| b.counter.as_mut()) else {
            return Ok(());
        };
        let mut out = std::mem::take(&mut self.buf);
        out.clear();
        counter.finish(&mut out);
        let mut result = Ok(());
        for e in &out {
            if self.current.is_none() {
                break;
            }
            result = self.on_movement(e, events);
            if result.is_err() {
                break;
            }
        }
        self.buf = out;
        result
    }

    fn complete_block(
        &mut self,
        stopped_early: bool,
        events: &mut Vec<SessionEvent>,
    ) -> Result<()> {
        let block = self.current.take().expect("a block is under way");
        // A replay can run faster than real time: the block lasts at least as
        // long as its samples say.
        let now = self
            .clock
            .now_ms()
            .max(block.last_input_ms().unwrap_or(i64::MIN));
        let ended = now.max(block.started_at_ms);
        let active = block.active_ms.min(ended - block.started_at_ms);
        self.last_block_end_ms = self.last_block_end_ms.max(ended);
        if let Err(e) = self.store.finish_block(block.block_id, ended, active) {
            self.current = Some(block);
            return Err(e.into());
        }
        let result = ExerciseResult {
            block_index: block.index,
            exercise_id: block.planned.exercise_id.clone(),
            side: block.planned.side,
            target_reps: block.planned.target_reps,
            reps: block.reps,
            attempts: block.attempts,
            mean_amplitude: (block.reps > 0 && block.counter.is_some())
                .then(|| (block.amplitude_sum / f64::from(block.reps)) as f32),
            active_s: (active / 1000) as u32,
            stopped_early: stopped_early && block.reps < block.planned.target_reps,
        };
        self.results.push(result.clone());
        events.push(SessionEvent::BlockComplete { result });
        match self.plan.blocks.get(self.next_block) {
            None => self.finish_session(events),
            Some(next) if block.planned.rest_after_s == 0 => {
                let _ = next;
                self.start_next_block(events)
            }
            Some(next) => {
                self.rest_until_ms = now + i64::from(block.planned.rest_after_s) * 1000;
                events.push(SessionEvent::RestStarted {
                    seconds: block.planned.rest_after_s,
                    next_exercise_id: next.exercise_id.clone(),
                });
                events.push(self.set_state(SessionState::Resting));
                Ok(())
            }
        }
    }

    fn finish_session(&mut self, events: &mut Vec<SessionEvent>) -> Result<()> {
        let now = self.clock.now_ms().max(self.last_block_end_ms);
        let summary = self.summary();
        let active_ms = (f64::from(summary.active_minutes) * 60_000.0).round() as i64;
        let ended = now.max(self.session.started_at_ms);
        self.session = self.store.finish_session(
            self.session.id,
            &SessionEnd {
                ended_at_ms: ended,
                active_ms: active_ms.min(ended - self.session.started_at_ms),
                status: SessionStatus::Finished,
            },
        )?;
        self.adapt_targets(events)?;
        events.push(self.set_state(SessionState::Finished));
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
