//! Exported value types that need a conversion: local dates travel as ISO strings.

use crate::progress::LocalDate;

uniffi::custom_type!(LocalDate, String, {
    remote,
    lower: |date| date.format("%Y-%m-%d").to_string(),
    try_lift: |text| Ok(LocalDate::parse_from_str(&text, "%Y-%m-%d")?),
});
