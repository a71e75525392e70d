//! The exported surface: thin wrappers that convert, run blocking work off the
//! caller's thread, and map errors. No domain logic lives here.
//!
//! Layer 4, the top: it may use every domain module; none of them uses it.

mod core;
mod counter;
mod error;
mod export;
mod fast;
mod health;
mod instants;
mod listener;
mod parked;
mod progress;
mod records;
mod report;
mod session;

pub use self::core::RehabCore;
pub use counter::{CountedRep, CounterSignal, RepCounter};
pub use error::{ListenerError, RehabError};
pub use instants::{
    AttemptRecord, CheckIn, CompletedBlock, CompletedSession, HealthConnectExerciseSegment,
    HealthConnectExerciseSession, HealthKitWorkout, HealthKitWorkoutActivity, NewCheckIn, Profile,
    RepRecord,
};
pub use listener::{DataChange, DataListener, Subscription};
pub use records::Session;
pub use session::{CatalogEntry, ExerciseSession, SessionListener};
