//! Data out (and back in): backup and restore, spreadsheet CSV, FHIR R4,
//! health-platform records, and the therapist's HTML report.

pub mod backup;
#[cfg(test)]
mod backup_fuzz;
pub mod csv;
pub mod fhir;
pub mod health;
pub mod report;
