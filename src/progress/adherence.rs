//! Goal and schedule adherence: did the person do what they planned?

use super::{daily_totals, DateRange, LocalDate, SessionFact, Weekday};
use crate::model::{DailyGoal, WeeklySchedule};

/// How one day measured up.
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct AdherenceDay {
    /// The local day.
    pub date: LocalDate,
    /// Reps counted that day.
    pub reps: u32,
    /// Minutes spent moving.
    pub active_minutes: f64,
    /// The goal in force that day, if any.
    pub goal: Option<DailyGoal>,
    /// Whether the goal was met (None without a goal).
    pub goal_met: Option<bool>,
    /// Whether the schedule planned practice that day.
    pub scheduled: bool,
    /// Whether there was any practice that day.
    pub practiced: bool,
}

/// Adherence over a range of days, up to today.
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct Adherence {
    /// Each day of the range up to today, oldest first.
    pub days: Vec<AdherenceDay>,
    /// Days that had a goal (today only once it is met).
    pub goal_days: u32,
    /// Of those, days on which the goal was met.
    pub goal_days_met: u32,
    /// Days the schedule planned practice (today only once practised).
    pub scheduled_days: u32,
    /// Of those, days with practice.
    pub scheduled_days_practiced: u32,
    /// `goal_days_met / goal_days` (None when no day had a goal).
    pub goal_rate: Option<f64>,
    /// `scheduled_days_practiced / scheduled_days` (None when nothing was scheduled).
    pub schedule_rate: Option<f64>,
}

/// Compares each day of `range` (days after `today` left out) with the goal in
/// force that day (`goals` in any order) and the schedule. Today counts in the
/// rates only once it is met or practised: the day is not over.
pub fn adherence(
    sessions: &[SessionFact],
    goals: &[DailyGoal],
    schedule: Option<&WeeklySchedule>,
    range: DateRange,
    today: LocalDate,
) -> Adherence {
    let mut goals: Vec<&DailyGoal> = goals.iter().collect();
    goals.sort_by_key(|g| g.effective_from);
    let mut result = Adherence {
        days: Vec::new(),
        goal_days: 0,
        goal_days_met: 0,
        scheduled_days: 0,
        scheduled_days_practiced: 0,
        goal_rate: None,
        schedule_rate: None,
    };
    let Ok(range) = DateRange::new(range.from, range.to.min(today)) else {
        return result; // the whole range is in the future
    };
    for total in daily_totals(sessions, range) {
        let date = total.date;
        let goal = goals
            .iter()
            .rev()
            .find(|g| g.effective_from <= date)
            .map(|g| (*g).clone());
        let goal_met = goal
            .as_ref()
            .and_then(|g| g.met(total.reps, total.active_minutes));
        let scheduled = schedule.is_some_and(|s| {
            date >= s.effective_from && s.slots.iter().any(|slot| slot.weekday == Weekday::of(date))
        });
        let practiced = total.reps > 0 || total.active_minutes > 0.0;
        let day_over = date < today;
        if let Some(met) = goal_met {
            if day_over || met {
                result.goal_days += 1;
                result.goal_days_met += u32::from(met);
            }
        }
        if scheduled && (day_over || practiced) {
            result.scheduled_days += 1;
            result.scheduled_days_practiced += u32::from(practiced);
        }
        result.days.push(AdherenceDay {
            date,
            reps: total.reps,
            active_minutes: total.active_minutes,
            goal,
            goal_met,
            scheduled,
            practiced,
        });
    }
    let rate = |n: u32, of: u32| (of > 0).then(|| f64::from(n) / f64::from(of));
    result.goal_rate = rate(result.goal_days_met, result.goal_days);
    result.schedule_rate = rate(result.scheduled_days_practiced, result.scheduled_days);
    result
}

#[cfg(test)]
mod tests {
    use super::super::test_support::*;
    use super::*;
    use crate::model::ScheduleSlot;

    fn goal(from: &str, reps: Option<u32>, minutes: Option<u32>) -> DailyGoal {
        DailyGoal {
            effective_from: d(from),
            reps,
            active_minutes: minutes,
        }
    }

    fn on(day: i64, reps: u32) -> SessionFact {
        session(MONDAY_0H_UTC + day * DAY + 10 * HOUR, 0, reps)
    }

    #[test]
    fn each_day_is_judged_by_the_goal_in_force() {
        // Mon 2 .. Sun 8 March; goal 50 reps from the 1st, 100 reps from Thursday the 5th.
        let sessions = [on(0, 60), on(1, 40), on(3, 100), on(4, 120), on(5, 90)];
        let goals = [
            goal("2026-03-05", Some(100), None),
            goal("2026-03-01", Some(50), None),
        ];
        let range = DateRange::new(d("2026-03-02"), d("2026-03-08")).unwrap();
        let a = adherence(&sessions, &goals, None, range, d("2026-03-09"));
        let met: Vec<_> = a.days.iter().map(|d| d.goal_met).collect();
        let (y, n) = (Some(true), Some(false));
        assert_eq!(met, vec![y, n, n, y, y, n, n]);
        assert_eq!((a.goal_days, a.goal_days_met), (7, 3));
        assert_eq!(a.goal_rate, Some(3.0 / 7.0));
        assert_eq!(a.days[4].goal.as_ref().unwrap().reps, Some(100));
        assert_eq!(a.schedule_rate, None);
    }

    #[test]
    fn time_goals_and_combined_goals() {
        // on(day, reps) gives 3 s of movement per rep.
        let sessions = [on(0, 200), on(1, 100)]; // 10 and 5 minutes
        let goals = [goal("2026-03-01", Some(150), Some(8))];
        let range = DateRange::new(d("2026-03-02"), d("2026-03-03")).unwrap();
        let a = adherence(&sessions, &goals, None, range, d("2026-03-10"));
        assert_eq!(a.days[0].goal_met, Some(true));
        assert_eq!(a.days[1].goal_met, Some(false));
        // A goal with neither part set is no goal.
        let cleared = [goal("2026-03-01", None, None)];
        let a = adherence(&sessions, &cleared, None, range, d("2026-03-10"));
        assert_eq!((a.goal_days, a.goal_rate), (0, None));
    }

    #[test]
    fn schedule_counts_planned_days_from_its_start() {
        let slot = |weekday| ScheduleSlot {
            weekday,
            hour: 9,
            minute: 30,
        };
        let schedule = WeeklySchedule {
            effective_from: d("2026-03-03"),
            slots: vec![
                slot(Weekday::Monday),
                slot(Weekday::Wednesday),
                slot(Weekday::Wednesday),
                slot(Weekday::Friday),
            ],
        };
        // Mon 2 (before the schedule), Wed 4 practised, Fri 6 not, Mon 9 practised.
        let sessions = [on(0, 10), on(2, 10), on(7, 10)];
        let range = DateRange::new(d("2026-03-02"), d("2026-03-15")).unwrap();
        let a = adherence(&sessions, &[], Some(&schedule), range, d("2026-03-11"));
        // Days after today are left out: 2..11 March.
        assert_eq!(a.days.len(), 10);
        assert!(!a.days[0].scheduled);
        // Wed 4, Fri 6, Mon 9 are over; Wed 11 is today and not yet practised.
        assert_eq!((a.scheduled_days, a.scheduled_days_practiced), (3, 2));
        assert!(a.days[9].scheduled && !a.days[9].practiced);
    }

    #[test]
    fn today_counts_once_met_and_a_future_range_is_empty() {
        let goals = [goal("2026-03-01", Some(10), None)];
        let range = DateRange::new(d("2026-03-02"), d("2026-03-03")).unwrap();
        let not_yet = adherence(&[on(1, 5)], &goals, None, range, d("2026-03-03"));
        assert_eq!((not_yet.goal_days, not_yet.goal_days_met), (1, 0));
        let met = adherence(&[on(1, 12)], &goals, None, range, d("2026-03-03"));
        assert_eq!((met.goal_days, met.goal_days_met), (2, 1));
        let future = adherence(&[], &goals, None, range, d("2026-03-01"));
        assert!(future.days.is_empty());
        assert_eq!(future.goal_rate, None);
    }
}
