//! Model: the plain value types every layer shares (the bottom layer).
//!
//! The side of the body, stiffness grades, local calendar days and weekdays, daily
//! goals and the weekly schedule, and the fact rows progress is computed from. It
//! imports nothing of ours, so `store`, `progress`, `routine` and the layers above
//! can all use it without reaching up (see `tests/layers.rs`).

mod calendar;
mod facts;
mod goals;
mod side;
mod spasticity;

pub use calendar::{local_date, LocalDate, Weekday};
pub use facts::{BlockFact, CheckInFact, SessionFact};
pub use goals::{DailyGoal, ScheduleSlot, WeeklySchedule};
pub use side::Side;
pub use spasticity::Spasticity;
