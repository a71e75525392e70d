//! Exported value types that need a conversion: local dates travel as ISO strings
//! ("YYYY-MM-DD") and are `java.time.LocalDate` in Kotlin and `RehabDate` in Swift
//! (`uniffi.toml`).

use crate::model::LocalDate;

// A malformed date inside a record (e.g. `DailyGoal.effectiveFrom`) fails the lift with a
// `RehabError`: uniffi hands that to the caller as the typed `InvalidInput` of any method
// returning `Result<_, RehabError>`, instead of an untyped internal error.
uniffi::custom_type!(LocalDate, String, {
    remote,
    lower: |date| date.format("%Y-%m-%d").to_string(),
    try_lift: |text| parse_date(&text, "date").map_err(uniffi::deps::anyhow::Error::new),
});

/// Parses a local date given as "YYYY-MM-DD"; a malformed one is `InvalidInput`
/// naming the argument.
pub(super) fn parse_date(text: &str, what: &str) -> Result<LocalDate, super::RehabError> {
    LocalDate::parse_from_str(text, "%Y-%m-%d").map_err(|e| {
        super::RehabError::invalid_input(format!(
            "{what}: {text:?} is not a date like 2026-03-29 ({e})"
        ))
    })
}
