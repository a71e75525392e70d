//! The therapist's report, exported.

use super::{RehabCore, RehabError};
use crate::export::report::{self, ReportLanguage};
use crate::model::LocalDate;
use crate::progress::DateRange;

#[uniffi::export]
impl RehabCore {
    /// The therapist's report for the local days `from` to `to`
    /// (inclusive): one self-contained HTML document (inline CSS and SVG
    /// charts, no script, no network) with adherence to the weekly schedule,
    /// reps and active minutes per day, per-exercise range-of-motion and pace
    /// trends, pain and stiffness next to reps, and the check-in notes.
    /// `language` is a tag such as "en" or "es-MX"; other languages get English.
    /// Save it to a file and share it, or show it in a web view.
    pub async fn therapist_report(
        &self,
        profile_id: i64,
        from: LocalDate,
        to: LocalDate,
        language: String,
    ) -> Result<String, RehabError> {
        let range = DateRange::new(from, to)?;
        let language = ReportLanguage::from_tag(&language);
        let now = self.clock.now_ms();
        self.blocking(move |s| report::therapist_report(s, profile_id, range, now, language))
            .await
    }
}
