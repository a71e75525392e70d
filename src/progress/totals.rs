//! Reps and active minutes per local day and per week.

use super::{minutes, week_start, DateRange, LocalDate, SessionFact, Weekday};

/// What one local day held.
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct DayTotal {
    /// The local day.
    pub date: LocalDate,
    /// Reps counted that day.
    pub reps: u32,
    /// Attempts that did not count as a rep.
    pub attempts: u32,
    /// Sessions started that day.
    pub sessions: u32,
    /// Minutes spent moving.
    pub active_minutes: f64,
}

/// What one week held.
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct WeekTotal {
    /// The week's first day.
    pub week_start: LocalDate,
    /// Reps counted in the week.
    pub reps: u32,
    /// Attempts that did not count as a rep.
    pub attempts: u32,
    /// Sessions started in the week.
    pub sessions: u32,
    /// Minutes spent moving.
    pub active_minutes: f64,
    /// Days of the week with practice (0-7).
    pub active_days: u32,
}

/// One entry per day of `range`, days without practice included (as zeros).
pub fn daily_totals(sessions: &[SessionFact], range: DateRange) -> Vec<DayTotal> {
    let mut days: Vec<DayTotal> = range
        .days()
        .map(|date| DayTotal {
            date,
            reps: 0,
            attempts: 0,
            sessions: 0,
            active_minutes: 0.0,
        })
        .collect();
    let mut active_ms = vec![0i64; days.len()];
    for s in sessions {
        if let Some(i) = range.index(s.local_date()) {
            let day = &mut days[i];
            day.reps += s.reps;
            day.attempts += s.attempts;
            day.sessions += 1;
            active_ms[i] += s.active_ms;
        }
    }
    for (day, ms) in days.iter_mut().zip(active_ms) {
        day.active_minutes = minutes(ms);
    }
    days
}

/// One entry per week (starting on `first_day`) touching `range`, whole weeks
/// counted, empty weeks included.
pub fn weekly_totals(
    sessions: &[SessionFact],
    range: DateRange,
    first_day: Weekday,
) -> Vec<WeekTotal> {
    let weeks = range.whole_weeks(first_day);
    let days = daily_totals(sessions, weeks);
    days.chunks(7)
        .map(|week| {
            let active_days = week.iter().filter(|d| d.reps > 0 || d.active_minutes > 0.0);
            WeekTotal {
                week_start: week_start(week[0].date, first_day),
                reps: week.iter().map(|d| d.reps).sum(),
                attempts: week.iter().map(|d| d.attempts).sum(),
                sessions: week.iter().map(|d| d.sessions).sum(),
                active_minutes: week.iter().map(|d| d.active_minutes).sum(),
                active_days: active_days.count() as u32,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::super::test_support::*;
    use super::*;

    fn range(from: &str, to: &str) -> DateRange {
        DateRange::new(d(from), d(to)).unwrap()
    }

    #[test]
    fn sums_sessions_into_their_local_days() {
        let facts = [
            session(MONDAY_0H_UTC + 9 * HOUR, 60, 10),
            session(MONDAY_0H_UTC + 18 * HOUR, 60, 5),
            // 23:30 UTC Monday = 00:30 Tuesday in Madrid.
            session(MONDAY_0H_UTC + 23 * HOUR + 1_800_000, 60, 7),
            // Outside the range.
            session(MONDAY_0H_UTC + 5 * DAY, 60, 99),
        ];
        let days = daily_totals(&facts, range("2026-03-02", "2026-03-04"));
        let reps: Vec<_> = days.iter().map(|d| (d.date, d.reps, d.sessions)).collect();
        assert_eq!(
            reps,
            vec![
                (d("2026-03-02"), 15, 2),
                (d("2026-03-03"), 7, 1),
                (d("2026-03-04"), 0, 0)
            ]
        );
        assert_eq!(days[0].active_minutes, 15.0 * 3.0 / 60.0);
    }

    #[test]
    fn a_session_counts_on_the_day_it_started_in_its_own_offset() {
        // Same UTC instant, two offsets: the day follows the offset recorded with it.
        let t = MONDAY_0H_UTC + 2 * HOUR;
        let days = daily_totals(
            &[session(t, -180, 4), session(t, 120, 6)],
            range("2026-03-01", "2026-03-02"),
        );
        assert_eq!((days[0].reps, days[1].reps), (4, 6));
    }

    #[test]
    fn weeks_are_whole_and_start_on_the_chosen_day() {
        let facts = [
            session(MONDAY_0H_UTC + 10 * HOUR, 0, 10), // Mon 2 Mar
            session(MONDAY_0H_UTC + 6 * DAY + 10 * HOUR, 0, 20), // Sun 8 Mar
            session(MONDAY_0H_UTC + 7 * DAY + 10 * HOUR, 0, 30), // Mon 9 Mar
        ];
        let monday = weekly_totals(&facts, range("2026-03-04", "2026-03-09"), Weekday::Monday);
        let got: Vec<_> = monday
            .iter()
            .map(|w| (w.week_start, w.reps, w.active_days))
            .collect();
        assert_eq!(
            got,
            vec![(d("2026-03-02"), 30, 2), (d("2026-03-09"), 30, 1)]
        );
        let sunday = weekly_totals(&facts, range("2026-03-04", "2026-03-09"), Weekday::Sunday);
        let got: Vec<_> = sunday.iter().map(|w| (w.week_start, w.reps)).collect();
        assert_eq!(got, vec![(d("2026-03-01"), 10), (d("2026-03-08"), 50)]);
    }
}
