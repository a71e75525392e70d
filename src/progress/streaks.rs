//! Streaks: runs of consecutive local days with practice.

use super::{LocalDate, SessionFact};
use chrono::Duration;

/// Current and longest streak, in days of the person's local calendar.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct Streaks {
    /// Consecutive practice days ending today, or yesterday if today has no
    /// practice yet (the day is not over).
    pub current_days: u32,
    /// The longest run ever.
    pub longest_days: u32,
    /// The last day of the longest run (the latest one if several tie).
    pub longest_ended_on: Option<LocalDate>,
    /// The last day with practice, if any.
    pub last_active_day: Option<LocalDate>,
    /// Whether today already has practice.
    pub practiced_today: bool,
}

/// A forward jump of the UTC offset larger than this is travel, not DST.
const TRAVEL_JUMP_MIN: i32 = 120;
const DAY_MS: i64 = 86_400_000;

/// Computes streaks over all `sessions` (any order) as of the local date `today`.
///
/// Each session counts on its local day (its own UTC offset), so DST changes and
/// travel never split or merge days wrongly. A calendar day skipped by travel
/// (the clock jumping forward across many time zones, e.g. over the date line)
/// does not break a run: two practice days with a
/// gap between them still follow each other when the clock jumped forward by
/// more than two hours and less than 24 real hours passed between the practices.
pub fn streaks(sessions: &[SessionFact], today: LocalDate) -> Streaks {
    // (day, first start, its offset, last start, its offset), sorted by day.
    let mut days: Vec<(LocalDate, i64, i32, i64, i32)> = Vec::new();
    let mut practice: Vec<&SessionFact> = sessions
        .iter()
        .filter(|s| s.is_practice() && s.local_date() <= today)
        .collect();
    practice.sort_by_key(|s| (s.local_date(), s.started_at_ms));
    for s in practice {
        let day = s.local_date();
        match days.last_mut() {
            Some(last) if last.0 == day => {
                last.3 = s.started_at_ms;
                last.4 = s.utc_offset_min;
            }
            _ => days.push((
                day,
                s.started_at_ms,
                s.utc_offset_min,
                s.started_at_ms,
                s.utc_offset_min,
            )),
        }
    }

    let mut run = 0u32;
    let mut longest = 0u32;
    let mut longest_ended_on = None;
    for (i, day) in days.iter().enumerate() {
        let follows = i > 0 && {
            let prev = &days[i - 1];
            let gap_days = (day.0 - prev.0).num_days();
            gap_days == 1
                || (day.2 - prev.4 > TRAVEL_JUMP_MIN && day.1 - prev.3 < DAY_MS && gap_days > 1)
        };
        run = if follows { run + 1 } else { 1 };
        if run >= longest {
            longest = run;
            longest_ended_on = Some(day.0);
        }
    }

    let last_active_day = days.last().map(|d| d.0);
    let alive = last_active_day.is_some_and(|d| d >= today - Duration::days(1));
    Streaks {
        current_days: if alive { run } else { 0 },
        longest_days: longest,
        longest_ended_on,
        last_active_day,
        practiced_today: last_active_day == Some(today),
    }
}

#[cfg(test)]
mod tests {
    use super::super::test_support::*;
    use super::*;

    /// Sessions at `hour` local time on consecutive days, all at one offset.
    fn daily(first_day: i64, n: i64, offset_min: i32) -> Vec<SessionFact> {
        (0..n)
            .map(|i| {
                let local = MONDAY_0H_UTC + (first_day + i) * DAY + 10 * HOUR;
                session(local - i64::from(offset_min) * 60_000, offset_min, 10)
            })
            .collect()
    }

    #[test]
    fn no_practice_no_streak() {
        let s = streaks(&[], d("2026-03-02"));
        assert_eq!((s.current_days, s.longest_days), (0, 0));
        assert_eq!(s.last_active_day, None);
        // Sessions with no reps and no active time do not count.
        let empty = SessionFact {
            active_ms: 0,
            ..session(MONDAY_0H_UTC, 0, 0)
        };
        assert_eq!(streaks(&[empty], d("2026-03-02")).longest_days, 0);
    }

    #[test]
    fn current_streak_survives_until_today_ends() {
        let facts = daily(0, 5, 60); // Mon 2 .. Fri 6 March
        let on_friday = streaks(&facts, d("2026-03-06"));
        assert_eq!(
            (on_friday.current_days, on_friday.practiced_today),
            (5, true)
        );
        let on_saturday = streaks(&facts, d("2026-03-07"));
        assert_eq!(
            (on_saturday.current_days, on_saturday.practiced_today),
            (5, false)
        );
        let on_sunday = streaks(&facts, d("2026-03-08"));
        assert_eq!(on_sunday.current_days, 0);
        assert_eq!(on_sunday.longest_days, 5);
        assert_eq!(on_sunday.longest_ended_on, Some(d("2026-03-06")));
    }

    #[test]
    fn longest_and_current_are_separate_runs() {
        let mut facts = daily(0, 6, 0); // 2-7 March
        facts.extend(daily(9, 3, 0)); // 11-13 March
        facts.extend(daily(9, 3, 0)); // two sessions a day change nothing
        let s = streaks(&facts, d("2026-03-13"));
        assert_eq!((s.current_days, s.longest_days), (3, 6));
        assert_eq!(s.longest_ended_on, Some(d("2026-03-07")));
    }

    #[test]
    fn future_sessions_are_ignored() {
        let facts = daily(0, 10, 0);
        let s = streaks(&facts, d("2026-03-04"));
        assert_eq!((s.current_days, s.longest_days), (3, 3));
    }

    #[test]
    fn spring_forward_keeps_days_whole() {
        // Madrid goes +1 -> +2 on Sunday 2026-03-29. Practice at 00:30 local every
        // day; after the switch 00:30 local is 22:30 UTC of the previous day, so
        // only the recorded offset puts it on the right day.
        let mut facts = Vec::new();
        for i in 0..6 {
            let date = d("2026-03-26") + Duration::days(i);
            let offset = if date >= d("2026-03-30") { 120 } else { 60 };
            let local_ms = date
                .and_hms_opt(0, 30, 0)
                .unwrap()
                .and_utc()
                .timestamp_millis();
            facts.push(session(local_ms - i64::from(offset) * 60_000, offset, 8));
        }
        assert_eq!(facts[4].local_date(), d("2026-03-30"));
        let s = streaks(&facts, d("2026-03-31"));
        assert_eq!((s.current_days, s.longest_days), (6, 6));
        assert_eq!(s.longest_ended_on, Some(d("2026-03-31")));
    }

    #[test]
    fn fall_back_night_is_one_day() {
        // Madrid goes +2 -> +1 on Sunday 2026-10-25. Practice at 00:30 local every
        // day: on the 25th at 00:30 (+2), on the 26th at 00:30 (+1).
        let day0 = d("2026-10-22");
        let mut facts = Vec::new();
        for i in 0..6 {
            let date = day0 + Duration::days(i);
            let offset = if date >= d("2026-10-26") { 60 } else { 120 };
            let local_ms = date
                .and_hms_opt(0, 30, 0)
                .unwrap()
                .and_utc()
                .timestamp_millis();
            facts.push(session(local_ms - i64::from(offset) * 60_000, offset, 8));
        }
        let s = streaks(&facts, d("2026-10-27"));
        assert_eq!((s.current_days, s.longest_days), (6, 6));
    }

    #[test]
    fn a_missed_day_on_a_short_dst_day_still_breaks_the_streak() {
        // Practice 23:59 local on 28 March (+1), then 00:01 local on 30 March (+2):
        // 29 March (a 23-hour day) had no practice.
        let sat = d("2026-03-28")
            .and_hms_opt(23, 59, 0)
            .unwrap()
            .and_utc()
            .timestamp_millis();
        let mon = d("2026-03-30")
            .and_hms_opt(0, 1, 0)
            .unwrap()
            .and_utc()
            .timestamp_millis();
        let facts = [
            session(sat - 60 * 60_000, 60, 5),
            session(mon - 120 * 60_000, 120, 5),
        ];
        let s = streaks(&facts, d("2026-03-30"));
        assert_eq!((s.current_days, s.longest_days), (1, 1));
    }

    #[test]
    fn flying_west_makes_a_long_day_without_breaking_anything() {
        // Madrid (+1) morning, then the same date in New York (-5) evening.
        let mut facts = daily(0, 3, 60); // 2-4 March in Madrid
        let ny_evening = d("2026-03-04").and_hms_opt(20, 0, 0).unwrap().and_utc();
        facts.push(session(ny_evening.timestamp_millis() + 5 * HOUR, -300, 6));
        facts.extend(daily(3, 2, -300)); // 5-6 March in New York
        let s = streaks(&facts, d("2026-03-06"));
        assert_eq!((s.current_days, s.longest_days), (5, 5));
    }

    #[test]
    fn a_date_skipped_over_the_date_line_does_not_break_the_streak() {
        // Honolulu (-10) evening of 10 March, fly west over the date line and
        // land in Tokyo (+9) on the morning of 12 March: 11 March never happened
        // for this traveller, and 17 real hours separate the two practices.
        let mut facts = daily(6, 3, -600); // 8-10 March in Honolulu
        let hnl_evening = d("2026-03-10").and_hms_opt(21, 0, 0).unwrap().and_utc();
        facts.push(session(hnl_evening.timestamp_millis() + 10 * HOUR, -600, 5));
        let tokyo_morning = d("2026-03-12").and_hms_opt(9, 0, 0).unwrap().and_utc();
        facts.push(session(tokyo_morning.timestamp_millis() - 9 * HOUR, 540, 5));
        let s = streaks(&facts, d("2026-03-12"));
        assert_eq!((s.current_days, s.longest_days), (4, 4));
    }

    #[test]
    fn a_real_gap_after_travel_still_breaks_the_streak() {
        // Same trip, but the next practice is more than a day after the last one.
        let mut facts = daily(6, 3, -600);
        let tokyo = d("2026-03-12").and_hms_opt(20, 0, 0).unwrap().and_utc();
        facts.push(session(tokyo.timestamp_millis() - 9 * HOUR, 540, 5));
        let s = streaks(&facts, d("2026-03-12"));
        assert_eq!((s.current_days, s.longest_days), (1, 3));
    }
}
