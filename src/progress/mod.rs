//! Progress: what the progress screens show, computed from stored facts.
//!
//! Layer 2: uses `model` only; nothing above.
//!
//! Pure functions: they take plain slices of facts (loaded by [`crate::store`])
//! and the local dates to cover, and never touch SQL or a clock. Local days come
//! from each fact's own UTC offset (the one the phone reported at that moment),
//! which is what makes days, weeks and streaks right across DST changes and
//! travel without a time-zone database.

mod adherence;
mod streaks;
mod totals;
mod trends;
mod wellbeing;

pub use adherence::{adherence, Adherence, AdherenceDay};
pub use streaks::{streaks, Streaks};
pub use totals::{daily_totals, weekly_totals, DayTotal, WeekTotal};
pub use trends::{exercise_trends, ExerciseTrend, TrendPoint};
pub use wellbeing::{pain_vs_reps, WellbeingDay};

use crate::model::{local_date, BlockFact, CheckInFact, LocalDate, SessionFact, Weekday};
use chrono::{Datelike, Duration};

/// The longest span one query covers (about ten years).
pub const MAX_RANGE_DAYS: i64 = 3_700;

/// A rejected progress query.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ProgressError {
    /// `from` is after `to`, or the span is longer than [`MAX_RANGE_DAYS`].
    #[error("invalid date range {from} to {to}: {reason}")]
    InvalidRange {
        from: LocalDate,
        to: LocalDate,
        reason: &'static str,
    },
}

/// An inclusive range of local dates, checked once.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DateRange {
    /// First day.
    pub from: LocalDate,
    /// Last day (inclusive).
    pub to: LocalDate,
}

impl DateRange {
    /// Checks `from <= to` and the span.
    pub fn new(from: LocalDate, to: LocalDate) -> Result<DateRange, ProgressError> {
        let invalid = |reason| ProgressError::InvalidRange { from, to, reason };
        if from > to {
            return Err(invalid("the first day is after the last"));
        }
        if (to - from).num_days() >= MAX_RANGE_DAYS {
            return Err(invalid("the range is longer than ten years"));
        }
        Ok(DateRange { from, to })
    }

    /// The whole weeks (starting on `first_day`) that cover this range.
    pub fn whole_weeks(self, first_day: Weekday) -> DateRange {
        DateRange {
            from: week_start(self.from, first_day),
            to: week_start(self.to, first_day) + Duration::days(6),
        }
    }

    /// A UTC window sure to hold every instant whose local date is in the range,
    /// whatever the offset (offsets span -18 h to +18 h): `[start, end)` in ms.
    pub fn utc_window(self) -> (i64, i64) {
        let margin = 18 * 3_600_000;
        let start = self.from.and_time(chrono::NaiveTime::MIN).and_utc();
        let end = (self.to + Duration::days(1))
            .and_time(chrono::NaiveTime::MIN)
            .and_utc();
        (
            start.timestamp_millis() - margin,
            end.timestamp_millis() + margin,
        )
    }

    /// Number of days in the range.
    pub fn len(self) -> usize {
        (self.to - self.from).num_days() as usize + 1
    }

    /// Always false: a range holds at least one day.
    pub fn is_empty(self) -> bool {
        false
    }

    /// Index of `date` in the range, if inside.
    pub fn index(self, date: LocalDate) -> Option<usize> {
        (self.from <= date && date <= self.to).then(|| (date - self.from).num_days() as usize)
    }

    /// The days, in order.
    pub fn days(self) -> impl Iterator<Item = LocalDate> {
        self.from.iter_days().take(self.len())
    }
}

/// The first day of the week holding `date`.
pub fn week_start(date: LocalDate, first_day: Weekday) -> LocalDate {
    let back = (7 + date.weekday().num_days_from_monday() as i64
        - first_day.to_chrono().num_days_from_monday() as i64)
        % 7;
    date - Duration::days(back)
}

fn minutes(ms: i64) -> f64 {
    ms as f64 / 60_000.0
}

#[cfg(test)]
pub(crate) mod test_support {
    use super::*;

    /// 2026-03-02 00:00 UTC (a Monday).
    pub const MONDAY_0H_UTC: i64 = 1_772_409_600_000;
    pub const HOUR: i64 = 3_600_000;
    pub const DAY: i64 = 24 * HOUR;

    pub fn d(s: &str) -> LocalDate {
        s.parse().unwrap()
    }

    pub fn session(started_at_ms: i64, utc_offset_min: i32, reps: u32) -> SessionFact {
        SessionFact {
            started_at_ms,
            utc_offset_min,
            active_ms: i64::from(reps) * 3_000,
            reps,
            attempts: 0,
        }
    }

    #[test]
    fn the_test_epoch_is_a_monday() {
        assert_eq!(local_date(MONDAY_0H_UTC, 0), d("2026-03-02"));
        assert_eq!(Weekday::of(d("2026-03-02")), Weekday::Monday);
    }
}

#[cfg(test)]
mod tests {
    use super::test_support::*;
    use super::*;

    #[test]
    fn local_date_uses_the_recorded_offset() {
        // 23:30 UTC on Monday is already Tuesday in Madrid (+1) and still Monday in New York (-5).
        let t = MONDAY_0H_UTC + 23 * HOUR + 30 * 60_000;
        assert_eq!(local_date(t, 60), d("2026-03-03"));
        assert_eq!(local_date(t, -300), d("2026-03-02"));
        assert_eq!(local_date(t, 0), d("2026-03-02"));
    }

    #[test]
    fn ranges_are_checked() {
        assert!(DateRange::new(d("2026-03-05"), d("2026-03-04")).is_err());
        assert!(DateRange::new(d("2016-01-01"), d("2026-03-04")).is_err());
        let r = DateRange::new(d("2026-03-04"), d("2026-03-04")).unwrap();
        assert_eq!(r.len(), 1);
        assert_eq!(r.days().collect::<Vec<_>>(), vec![d("2026-03-04")]);
    }

    #[test]
    fn utc_window_covers_every_offset() {
        let r = DateRange::new(d("2026-03-02"), d("2026-03-02")).unwrap();
        let (start, end) = r.utc_window();
        // The earliest instant of that local day is at +18 h, the latest at -18 h.
        assert!(start <= MONDAY_0H_UTC - 18 * HOUR);
        assert!(end > MONDAY_0H_UTC + DAY + 18 * HOUR - 1);
    }

    #[test]
    fn weeks_start_on_the_chosen_day() {
        // 2026-03-04 is a Wednesday.
        assert_eq!(
            week_start(d("2026-03-04"), Weekday::Monday),
            d("2026-03-02")
        );
        assert_eq!(
            week_start(d("2026-03-04"), Weekday::Sunday),
            d("2026-03-01")
        );
        assert_eq!(
            week_start(d("2026-03-01"), Weekday::Sunday),
            d("2026-03-01")
        );
        let r = DateRange::new(d("2026-03-04"), d("2026-03-10")).unwrap();
        let w = r.whole_weeks(Weekday::Monday);
        assert_eq!((w.from, w.to), (d("2026-03-02"), d("2026-03-15")));
    }

    #[test]
    fn weekday_numbers_round_trip() {
        for n in 1..=7 {
            assert_eq!(Weekday::from_number(n).unwrap().number(), n);
        }
        assert_eq!(Weekday::from_number(0), None);
        assert_eq!(Weekday::from_number(8), None);
    }
}
