//! Data out and back in: backup and restore, spreadsheet CSV and FHIR R4.

use super::{DataChange, RehabCore, RehabError};
use crate::export::backup;
use crate::export::{csv, fhir};
use crate::model::LocalDate;
use crate::progress::DateRange;

/// What a restored backup added.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct ImportSummary {
    /// The new profiles' ids, in file order (every imported row gets a new id).
    pub profile_ids: Vec<i64>,
    /// Sessions added.
    pub sessions: u64,
    /// Reps added.
    pub reps: u64,
    /// Check-ins added.
    pub check_ins: u64,
}

/// The four spreadsheet files, as CSV text (RFC 4180, every field quoted, UTF-8
/// with BOM, CRLF; text that a spreadsheet would run as a formula starts with
/// `'`); the shell writes them as `sessions.csv`, `sets.csv`, `reps.csv`,
/// `check_ins.csv`. Columns and units: `src/export/csv.rs`.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct CsvExport {
    /// One row per session.
    pub sessions: String,
    /// One row per set (exercise block).
    pub sets: String,
    /// One row per rep or attempt.
    pub reps: String,
    /// One row per check-in.
    pub check_ins: String,
}

#[uniffi::export]
impl RehabCore {
    /// A backup (versioned JSON) of one profile's whole history, or of every
    /// profile when `profile_id` is null. Restore it with `import_backup`.
    pub async fn export_backup(&self, profile_id: Option<i64>) -> Result<String, RehabError> {
        let now = self.clock.now_ms();
        self.blocking(move |s| backup::export(s, profile_id, now))
            .await
    }

    /// Writes the backup of one profile (or of every profile when `profile_id`
    /// is null) straight to the file at `path`, streamed (never one big string,
    /// however long the history), through a temporary file renamed into place:
    /// a failure leaves no half-written file. Returns the file's size in bytes.
    pub async fn export_backup_to_file(
        &self,
        profile_id: Option<i64>,
        path: String,
    ) -> Result<u64, RehabError> {
        let now = self.clock.now_ms();
        self.blocking(move |s| {
            backup::export_to_file(s, profile_id, now, std::path::Path::new(&path))
        })
        .await
    }

    /// Restores a backup as new profiles, all in one transaction. A malformed,
    /// truncated, hostile or newer-version file throws `ImportRejected` and
    /// changes nothing; so does a file changed or damaged after it was written
    /// (its checksum does not match), one with a value outside the plausible
    /// ranges (docs/backup.md), and a backup whose profile is already on this
    /// device (same name and creation time: the same file imported twice, or
    /// restored onto the phone it came from).
    pub async fn import_backup(&self, json: String) -> Result<ImportSummary, RehabError> {
        self.write_and_tell(move |s| {
            let done = backup::import(s, &json)?;
            // Screens that list profiles hear about the imported ones like about created ones.
            let mut changes = Vec::new();
            for &id in &done.profile_ids {
                changes.push(DataChange::ProfileAdded {
                    profile: s.profile(id)?.into(),
                });
            }
            let summary = ImportSummary {
                profile_ids: done.profile_ids,
                sessions: done.sessions,
                reps: done.reps,
                check_ins: done.check_ins,
            };
            changes.push(DataChange::Imported {
                summary: summary.clone(),
            });
            Ok::<_, RehabError>((summary, changes))
        })
        .await
    }

    /// Restores the backup file at `path` (see `import_backup`); read here, so
    /// the app never holds the file's text.
    pub async fn import_backup_file(&self, path: String) -> Result<ImportSummary, RehabError> {
        let json = self
            .blocking(move |_| backup::read_file(std::path::Path::new(&path)))
            .await?;
        self.import_backup(json).await
    }

    /// Sessions, sets, reps and check-ins on the local days `from` to `to`
    /// (inclusive) as CSV texts for a spreadsheet.
    pub async fn export_csv(
        &self,
        profile_id: i64,
        from: LocalDate,
        to: LocalDate,
    ) -> Result<CsvExport, RehabError> {
        let range = DateRange::new(from, to)?;
        let files = self
            .blocking(move |s| csv::history_in_range(s, profile_id, range).map(|h| csv::export(&h)))
            .await?;
        Ok(CsvExport {
            sessions: files.sessions,
            sets: files.sets,
            reps: files.reps,
            check_ins: files.check_ins,
        })
    }

    /// `export_fhir` written straight to the file at `path` (streamed, whole or
    /// not at all). Returns the file's size in bytes.
    pub async fn export_fhir_to_file(
        &self,
        profile_id: i64,
        from: LocalDate,
        to: LocalDate,
        path: String,
    ) -> Result<u64, RehabError> {
        let range = DateRange::new(from, to)?;
        let now = self.clock.now_ms();
        self.blocking(move |s| {
            let bundle = fhir::bundle(&csv::history_in_range(s, profile_id, range)?, now);
            backup::write_file_atomically(std::path::Path::new(&path), |out| {
                backup::write_json(out, &bundle)
            })
        })
        .await
    }

    /// A FHIR R4 Bundle (JSON) of exercise and pain Observations for the local
    /// days `from` to `to` (inclusive), with the profile as its Patient.
    pub async fn export_fhir(
        &self,
        profile_id: i64,
        from: LocalDate,
        to: LocalDate,
    ) -> Result<String, RehabError> {
        let range = DateRange::new(from, to)?;
        let now = self.clock.now_ms();
        self.blocking(move |s| {
            csv::history_in_range(s, profile_id, range).map(|h| fhir::bundle(&h, now).to_string())
        })
        .await
    }
}
