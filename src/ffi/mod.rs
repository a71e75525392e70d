//! The exported surface: thin wrappers that convert, run blocking work off the
//! caller's thread, and map errors. No domain logic lives here.

mod core;
mod error;
mod listener;

pub use self::core::RehabCore;
pub use error::{ListenerError, RehabError};
pub use listener::{DataChange, DataListener, Subscription};
