//! Where a live session stands, as one value: each stage carries what it needs,
//! so a block cannot be missing while reps are counted.

use super::error::{SessionAction, SessionError};
use super::events::SessionState;
use crate::counting::{RepCounter, RepEvent};
use crate::routine::PlannedBlock;
use crate::store::NewCalibration;
use std::collections::VecDeque;

/// Sensor and tap times beyond ± this many seconds are refused. Android and
/// iOS sensor clocks count from boot (~1e7 s after four months), the Unix
/// epoch is ~1.8e9 s: 1e10 s (317 years) holds both, and keeps every
/// conversion to milliseconds exact within `i64`.
pub const MAX_ABS_TIME_S: f64 = 1e10;
/// One batch (about 100 ms of data) may span at most this many seconds.
pub const MAX_BATCH_SPAN_S: f64 = 60.0;
/// Movements counted but not yet stored (a write failed) that a block keeps
/// for the next call to store; later ones are dropped, neither stored nor
/// reported.
const MAX_UNSTORED: usize = 64;

/// The session's stage.
pub(super) enum Stage {
    /// Created; no block started yet.
    Planned,
    /// A block under way.
    Block(Box<ActiveBlock>),
    /// A block that is over (target reached, skipped or stopped) whose end is
    /// not stored yet: a write failed, and the next call retries it.
    Closing(Box<Closing>),
    /// Between blocks until `until_ms`: then the next block starts. Also where
    /// a session waits when the next block could not be stored (`until_ms` is
    /// then the time of the failure, so the next `tick` retries).
    Resting {
        /// When the rest ends (UTC ms).
        until_ms: i64,
    },
    /// Every block is closed; the session's end is not stored yet (a write
    /// failed), and the next call retries it.
    Ending,
    /// Paused by the person; `resume` goes back.
    Paused(Box<Paused>),
    /// Over; the summary is final.
    Finished,
}

/// A block waiting for its end to be stored.
pub(super) struct Closing {
    pub block: ActiveBlock,
    /// Skipped or stopped before its target.
    pub stopped_early: bool,
}

/// What a pause interrupted.
pub(super) struct Paused {
    pub from: Stage,
    /// When the pause began (UTC ms).
    pub at_ms: i64,
}

impl Stage {
    /// The state the shells see.
    pub fn state(&self) -> SessionState {
        match self {
            Stage::Planned => SessionState::Planned,
            Stage::Block(b) => b.state(),
            Stage::Closing(c) => c.block.state(),
            Stage::Resting { .. } | Stage::Ending => SessionState::Resting,
            Stage::Paused(_) => SessionState::Paused,
            Stage::Finished => SessionState::Finished,
        }
    }

    /// The block under way (also while its end waits to be stored, or paused).
    pub fn block(&self) -> Option<&ActiveBlock> {
        match self {
            Stage::Block(b) => Some(b),
            Stage::Closing(c) => Some(&c.block),
            Stage::Paused(p) => p.from.block(),
            _ => None,
        }
    }

    /// The block that takes samples or taps for `action`: `None` while resting
    /// or paused (the input is ignored); an error before the first block or
    /// once the session is over.
    pub fn input_block(
        &mut self,
        action: SessionAction,
    ) -> Result<Option<&mut ActiveBlock>, SessionError> {
        let state = self.state();
        match self {
            Stage::Block(b) => Ok(Some(b)),
            Stage::Planned | Stage::Finished => Err(SessionError::WrongState { action, state }),
            _ => Ok(None),
        }
    }

    /// The block whose movements are stored now (not while paused).
    pub fn live_block_mut(&mut self) -> Option<&mut ActiveBlock> {
        match self {
            Stage::Block(b) => Some(b),
            Stage::Closing(c) => Some(&mut c.block),
            _ => None,
        }
    }
}

/// A block under way.
pub(super) struct ActiveBlock {
    pub index: u32,
    pub block_id: i64,
    pub planned: PlannedBlock,
    /// `None` for touch exercises (taps are counted directly).
    pub counter: Option<RepCounter>,
    pub calibrating: bool,
    pub reps: u32,
    pub attempts: u32,
    pub amplitude_sum: f64,
    /// Sample time and wall time (UTC ms) that map one clock onto the other;
    /// set by the first input and again after every gap.
    anchor: Option<(f64, i64)>,
    pub started_at_ms: i64,
    /// Seconds spent moving, from sample (or tap) timestamps, so a replay at
    /// any speed measures the same; gaps, pauses and rests add nothing.
    active_s: f64,
    /// Timestamp of the last sample or tap taken.
    pub last_input_s: Option<f64>,
    pub last_tap_s: Option<f64>,
    /// Movements counted whose write has not succeeded yet, oldest first.
    pub unstored: VecDeque<RepEvent>,
    /// A calibration whose write has not succeeded yet, with the reference
    /// and target ranges to report once stored.
    pub unstored_calibration: Option<(NewCalibration, f32, f32)>,
}

impl ActiveBlock {
    /// A block that starts now (UTC ms).
    pub fn new(
        index: u32,
        block_id: i64,
        planned: PlannedBlock,
        counter: Option<RepCounter>,
        calibrating: bool,
        started_at_ms: i64,
    ) -> ActiveBlock {
        ActiveBlock {
            index,
            block_id,
            planned,
            counter,
            calibrating,
            reps: 0,
            attempts: 0,
            amplitude_sum: 0.0,
            anchor: None,
            started_at_ms,
            active_s: 0.0,
            last_input_s: None,
            last_tap_s: None,
            unstored: VecDeque::new(),
            unstored_calibration: None,
        }
    }

    /// Calibrating or exercising.
    pub fn state(&self) -> SessionState {
        if self.calibrating {
            SessionState::Calibrating
        } else {
            SessionState::Exercising
        }
    }

    /// Sample time `t_s` on the wall clock (UTC ms), never before the block began.
    pub fn wall_ms(&self, t_s: f64) -> i64 {
        let (t0, wall0) = self.anchor.unwrap_or((t_s, self.started_at_ms));
        // Both times are within ±MAX_ABS_TIME_S: the product fits an i64.
        wall0
            .saturating_add(((t_s - t0) * 1000.0).round() as i64)
            .max(self.started_at_ms)
    }

    /// Takes a batch of input times (sorted, checked by [`check_times`]) that
    /// arrived at `now_ms`: adds every interval between consecutive inputs of
    /// at most `max_gap_s` to the active time, and after a longer gap maps
    /// sample time onto the wall clock afresh, so a sensor clock that jumps
    /// neither counts as movement nor dates anything ahead.
    pub fn take_input(&mut self, t_s: &[f64], now_ms: i64, max_gap_s: f64) {
        let (Some(&first), Some(&last)) = (t_s.first(), t_s.last()) else {
            return;
        };
        let mut previous = self.last_input_s.filter(|&p| first - p <= max_gap_s);
        if previous.is_none() {
            // The batch arrives as its last sample is taken.
            self.anchor = Some((first, now_ms - ((last - first) * 1000.0).round() as i64));
        }
        for &t in t_s {
            if let Some(p) = previous {
                let step = t - p;
                if step <= max_gap_s {
                    self.active_s += step.max(0.0);
                }
            }
            previous = Some(t);
        }
        self.last_input_s = Some(last);
    }

    /// Milliseconds spent moving.
    pub fn active_ms(&self) -> i64 {
        (self.active_s * 1000.0).round() as i64
    }

    /// When the block's last input happened on the wall clock, if any.
    pub fn last_input_ms(&self) -> Option<i64> {
        self.last_input_s.map(|t| self.wall_ms(t))
    }

    /// Keeps movements to store, up to [`MAX_UNSTORED`].
    pub fn keep_unstored(&mut self, movements: impl Iterator<Item = RepEvent>) {
        let room = MAX_UNSTORED.saturating_sub(self.unstored.len());
        self.unstored.extend(movements.take(room));
    }
}

/// Refuses a batch whose times cannot be a sensor's: non-finite, beyond
/// ±[`MAX_ABS_TIME_S`], or spanning more than [`MAX_BATCH_SPAN_S`]. Checks the
/// first and last times only: the counter refuses a batch that is not sorted.
pub fn check_times(t_s: &[f64]) -> Result<(), SessionError> {
    let (Some(&first), Some(&last)) = (t_s.first(), t_s.last()) else {
        return Ok(()); // the counter refuses an empty batch
    };
    for (index, t) in [(0, first), (t_s.len() - 1, last)] {
        if !t.is_finite() || t.abs() > MAX_ABS_TIME_S {
            return Err(SessionError::ImplausibleTime {
                index,
                max_s: MAX_ABS_TIME_S,
            });
        }
    }
    let span_s = last - first;
    if span_s > MAX_BATCH_SPAN_S {
        return Err(SessionError::BatchTooLong {
            span_s,
            max_s: MAX_BATCH_SPAN_S,
        });
    }
    Ok(())
}
