//! Daily goals and the weekly practice schedule.

use super::{LocalDate, Weekday};

/// A daily goal, in force from a local date until the next goal.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct DailyGoal {
    /// First local day the goal applies to.
    pub effective_from: LocalDate,
    /// Reps to reach each day (None: no rep goal).
    pub reps: Option<u32>,
    /// Minutes of movement to reach each day (None: no time goal).
    pub active_minutes: Option<u32>,
}

/// One practice day of the week with its reminder time.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, uniffi::Record)]
pub struct ScheduleSlot {
    /// The day of the week.
    pub weekday: Weekday,
    /// Reminder hour, local time (0-23).
    pub hour: u8,
    /// Reminder minute (0-59).
    pub minute: u8,
}

/// The weekly practice plan with reminder times.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct WeeklySchedule {
    /// First local day the schedule applies to (adherence starts counting here).
    pub effective_from: LocalDate,
    /// Practice days and reminder times; a weekday may have several reminders.
    pub slots: Vec<ScheduleSlot>,
}

impl DailyGoal {
    /// Whether a day with these totals meets the goal (a goal with neither part is none).
    pub(crate) fn met(&self, reps: u32, active_minutes: f64) -> Option<bool> {
        if self.reps.is_none() && self.active_minutes.is_none() {
            return None;
        }
        let reps_ok = self.reps.is_none_or(|g| reps >= g);
        let time_ok = self
            .active_minutes
            .is_none_or(|g| active_minutes >= f64::from(g));
        Some(reps_ok && time_ok)
    }
}
