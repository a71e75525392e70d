//! Data out (and back in): backup and restore, spreadsheet CSV, FHIR R4,
//! health-platform records, and the therapist's HTML report.
//!
//! Layer 3: reads through `store`, computes with `progress` and `routine`, over `model`
//! values; only `ffi` and the CLI use it.

pub mod backup;
#[cfg(test)]
mod backup_fuzz;
pub mod csv;
pub mod fhir;
pub mod health;
pub mod report;
