//! RehabCore: the shared core of a home stroke-rehabilitation exercise app.
//!
//! The domain lives in plain Rust modules; [`ffi`] is the one layer that exports
//! it to Kotlin and Swift through uniffi. See `DESIGN.md` in the shared folder and
//! the README for the layering.

pub mod clock;
pub use rehab_motion::counting;
pub mod export;
pub mod ffi;
pub mod model;
pub mod progress;
pub mod recording;
pub mod routine;
pub mod session;
pub use rehab_motion::sim;
pub mod store;
mod sync;

uniffi::setup_scaffolding!();
