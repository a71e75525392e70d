//! The stored facts progress is computed from: sessions, blocks and check-ins.

use super::{local_date, LocalDate, Spasticity};

/// One practice session, as progress needs it.
#[derive(Debug, Clone, PartialEq)]
pub struct SessionFact {
    /// Start, UTC milliseconds.
    pub started_at_ms: i64,
    /// UTC offset at the start, minutes; the session counts on that local day.
    pub utc_offset_min: i32,
    /// Time spent moving, milliseconds.
    pub active_ms: i64,
    /// Reps counted.
    pub reps: u32,
    /// Attempts (movements that did not count as a rep).
    pub attempts: u32,
}

impl SessionFact {
    /// The local day the session counts on.
    pub fn local_date(&self) -> LocalDate {
        local_date(self.started_at_ms, self.utc_offset_min)
    }

    /// Whether the session is practice (a rep, or time spent moving).
    pub fn is_practice(&self) -> bool {
        self.reps > 0 || self.active_ms > 0
    }
}

/// One exercise block (set), as the trends need it.
#[derive(Debug, Clone, PartialEq)]
pub struct BlockFact {
    /// Catalog id of the exercise, e.g. "wrist_flexion".
    pub exercise_id: String,
    /// Start, UTC milliseconds.
    pub started_at_ms: i64,
    /// UTC offset of the session, minutes.
    pub utc_offset_min: i32,
    /// Time spent moving in the block, milliseconds.
    pub active_ms: i64,
    /// Reps counted.
    pub reps: u32,
    /// Sum of the reps' amplitudes (range of motion proxy).
    pub amplitude_sum: f64,
    /// Largest amplitude of a rep.
    pub amplitude_max: f64,
}

/// One check-in, as progress needs it.
#[derive(Debug, Clone, PartialEq)]
pub struct CheckInFact {
    /// When it was recorded, UTC milliseconds.
    pub recorded_at_ms: i64,
    /// UTC offset at that moment, minutes.
    pub utc_offset_min: i32,
    /// Pain, 0-10.
    pub pain: Option<u8>,
    /// Stiffness, Modified Ashworth grade.
    pub spasticity: Option<Spasticity>,
    /// Perceived effort, 0-10.
    pub effort: Option<u8>,
}
