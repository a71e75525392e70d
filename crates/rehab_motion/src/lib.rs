//! RehabCore's motion code, the per-sample hot path: the streaming repetition counter
//! (`counting`) and the simulated movements its tests and benchmarks use (`sim`).
//!
//! A crate of its own only so that it can be optimised for speed (opt-level 3: the counter
//! has a budget of 50 ns per 6-axis sample) while the rest of the mobile library is
//! optimised for size. `rehab_core` re-exports both modules (`rehab_core::counting`,
//! `rehab_core::sim`); nothing else should depend on this crate. It imports nothing of
//! RehabCore's: it is the bottom layer with `model`.

pub mod counting;
pub mod sim;
