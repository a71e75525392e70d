//! Exported value types that need a conversion: local dates travel as ISO strings.

use crate::progress::LocalDate;

uniffi::custom_type!(LocalDate, String, {
    remote,
    lower: |date| date.format("%Y-%m-%d").to_string(),
    try_lift: |text| Ok(LocalDate::parse_from_str(&text, "%Y-%m-%d")?),
});

/// Parses a local date given as "YYYY-MM-DD"; a malformed one is `InvalidInput`
/// naming the argument (dates inside records are checked by uniffi itself).
pub(super) fn parse_date(text: &str, what: &str) -> Result<LocalDate, super::RehabError> {
    LocalDate::parse_from_str(text, "%Y-%m-%d").map_err(|e| {
        super::RehabError::InvalidInput(format!(
            "{what}: {text:?} is not a date like 2026-03-29 ({e})"
        ))
    })
}
