//! Local calendar days and weekdays.

use chrono::{DateTime, Datelike};

/// A date in the person's local calendar (exported as an ISO `YYYY-MM-DD` string).
pub type LocalDate = chrono::NaiveDate;

/// A day of the week (ISO numbering: Monday is 1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, uniffi::Enum)]
pub enum Weekday {
    /// Monday.
    Monday,
    /// Tuesday.
    Tuesday,
    /// Wednesday.
    Wednesday,
    /// Thursday.
    Thursday,
    /// Friday.
    Friday,
    /// Saturday.
    Saturday,
    /// Sunday.
    Sunday,
}

impl Weekday {
    /// ISO number, Monday = 1 ... Sunday = 7.
    pub fn number(self) -> u8 {
        self.to_chrono().number_from_monday() as u8
    }

    /// From the ISO number (1-7).
    pub fn from_number(n: u8) -> Option<Weekday> {
        use Weekday::*;
        [
            Monday, Tuesday, Wednesday, Thursday, Friday, Saturday, Sunday,
        ]
        .get(usize::from(n).checked_sub(1)?)
        .copied()
    }

    /// The weekday of a date.
    pub fn of(date: LocalDate) -> Weekday {
        Weekday::from_number(date.weekday().number_from_monday() as u8).expect("1..=7")
    }

    pub(crate) fn to_chrono(self) -> chrono::Weekday {
        match self {
            Weekday::Monday => chrono::Weekday::Mon,
            Weekday::Tuesday => chrono::Weekday::Tue,
            Weekday::Wednesday => chrono::Weekday::Wed,
            Weekday::Thursday => chrono::Weekday::Thu,
            Weekday::Friday => chrono::Weekday::Fri,
            Weekday::Saturday => chrono::Weekday::Sat,
            Weekday::Sunday => chrono::Weekday::Sun,
        }
    }
}

/// The local date of a UTC instant seen with a UTC offset in minutes.
pub fn local_date(utc_ms: i64, utc_offset_min: i32) -> LocalDate {
    let local_ms = utc_ms.saturating_add(i64::from(utc_offset_min) * 60_000);
    DateTime::from_timestamp_millis(local_ms)
        .unwrap_or(DateTime::UNIX_EPOCH)
        .date_naive()
}
