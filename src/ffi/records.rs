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

/// A stored session with its counters, as the app sees it (the plan it
/// followed stays inside the core).
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct Session {
    /// Database id.
    pub id: i64,
    /// Whose session it is.
    pub profile_id: i64,
    /// Start.
    pub started_at: std::time::SystemTime,
    /// UTC offset at the start, minutes.
    pub utc_offset_min: i32,
    /// End (None while active).
    pub ended_at: Option<std::time::SystemTime>,
    /// Time spent moving, milliseconds.
    pub active_ms: i64,
    /// Where the session stands.
    pub status: crate::store::SessionStatus,
    /// Reps counted.
    pub reps: u32,
    /// Attempts that did not count as a rep.
    pub attempts: u32,
    /// Stable identifier, kept by backups: the health store's record id comes from it.
    pub uuid: String,
}

impl From<crate::store::Session> for Session {
    fn from(s: crate::store::Session) -> Self {
        Session {
            id: s.id,
            profile_id: s.profile_id,
            started_at: super::instants::to_time(s.started_at_ms),
            utc_offset_min: s.utc_offset_min,
            ended_at: s.ended_at_ms.map(super::instants::to_time),
            active_ms: s.active_ms,
            status: s.status,
            reps: s.reps,
            attempts: s.attempts,
            uuid: s.uuid,
        }
    }
}
