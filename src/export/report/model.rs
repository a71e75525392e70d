//! The report's plain model: the facts it reads and what [`build_report`] makes of
//! them (pure, reusing [`crate::progress`]).

use crate::model::{
    local_date, BlockFact, CheckInFact, DailyGoal, LocalDate, SessionFact, Side, Spasticity,
    Weekday, WeeklySchedule,
};
use crate::progress::{self, Adherence, DateRange};
use crate::routine::{Catalog, Signal};
use crate::store::{self, CheckIn, CheckInTiming, Profile, Store};

/// Everything the report reads from the store for one profile and range.
#[derive(Debug, Clone)]
pub struct ReportFacts {
    /// Whose report it is.
    pub profile: Profile,
    /// Sessions started in (a UTC window around) the range.
    pub sessions: Vec<SessionFact>,
    /// Their blocks.
    pub blocks: Vec<BlockFact>,
    /// Check-ins recorded in (a UTC window around) the range.
    pub check_ins: Vec<CheckIn>,
    /// Every daily goal the profile had.
    pub goals: Vec<DailyGoal>,
    /// The weekly schedule, if one was set.
    pub schedule: Option<WeeklySchedule>,
}

impl ReportFacts {
    /// Loads the facts for `profile_id` over `range` (days outside the range
    /// are dropped later by the pure functions).
    pub fn load(store: &Store, profile_id: i64, range: DateRange) -> store::Result<ReportFacts> {
        let (start, end) = range.utc_window();
        Ok(ReportFacts {
            profile: store.profile(profile_id)?,
            sessions: store.session_facts(profile_id, start, end)?,
            blocks: store.block_facts(profile_id, start, end)?,
            check_ins: store.check_ins(profile_id, start, end)?,
            goals: store.daily_goals(profile_id)?,
            schedule: store.weekly_schedule(profile_id)?,
        })
    }
}

/// The day the report treats as today: the clock's local day (in the offset of
/// the latest session, else UTC), or the last practised day if that is later,
/// so a phone clock set back never hides practice.
pub fn report_today(now_ms: i64, sessions: &[SessionFact]) -> LocalDate {
    let latest = sessions.iter().max_by_key(|s| s.started_at_ms);
    let offset = latest.map_or(0, |s| s.utc_offset_min);
    let clock_day = local_date(now_ms, offset);
    let last_practice = sessions
        .iter()
        .filter(|s| s.is_practice())
        .map(SessionFact::local_date)
        .max();
    last_practice.map_or(clock_day, |d| d.max(clock_day))
}

/// The language the report's labels are in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReportLanguage {
    /// English.
    English,
    /// Spanish.
    Spanish,
}

impl ReportLanguage {
    /// From a language tag ("es", "es-MX", "en-GB"); anything else is English.
    pub fn from_tag(tag: &str) -> ReportLanguage {
        let primary = tag.split(['-', '_']).next().unwrap_or("");
        if primary.eq_ignore_ascii_case("es") {
            ReportLanguage::Spanish
        } else {
            ReportLanguage::English
        }
    }

    /// The catalog language code.
    pub fn code(self) -> &'static str {
        match self {
            ReportLanguage::English => "en",
            ReportLanguage::Spanish => "es",
        }
    }
}

/// One day of the report.
#[derive(Debug, Clone, PartialEq)]
pub struct ReportDay {
    /// The local day.
    pub date: LocalDate,
    /// Reps counted.
    pub reps: u32,
    /// Attempts that did not count.
    pub attempts: u32,
    /// Sessions started.
    pub sessions: u32,
    /// Minutes spent moving.
    pub active_minutes: f64,
    /// Whether the schedule planned practice that day.
    pub scheduled: bool,
    /// Whether there was practice.
    pub practiced: bool,
    /// Whether the daily goal was met (None without a goal, or after today).
    pub goal_met: Option<bool>,
    /// Highest pain reported (0-10).
    pub pain_max: Option<u8>,
    /// Stiffest Modified Ashworth grade reported.
    pub stiffness_max: Option<Spasticity>,
    /// Mean perceived effort (0-10).
    pub effort_mean: Option<f64>,
}

/// The range's totals and adherence.
#[derive(Debug, Clone, PartialEq)]
pub struct ReportTotals {
    /// Reps counted.
    pub reps: u32,
    /// Attempts that did not count.
    pub attempts: u32,
    /// Sessions started.
    pub sessions: u32,
    /// Minutes spent moving.
    pub active_minutes: f64,
    /// Days in the range.
    pub days: u32,
    /// Days with practice.
    pub days_practiced: u32,
    /// Days the schedule planned practice (up to today; today once practised).
    pub scheduled_days: u32,
    /// Of those, days with practice.
    pub scheduled_days_practiced: u32,
    /// Days with a daily goal (up to today; today once met).
    pub goal_days: u32,
    /// Of those, days the goal was met.
    pub goal_days_met: u32,
}

/// One day of one exercise, ranges in the shown unit.
#[derive(Debug, Clone, PartialEq)]
pub struct ReportTrendPoint {
    /// The local day.
    pub date: LocalDate,
    /// Reps counted.
    pub reps: u32,
    /// Reps per active minute.
    pub reps_per_minute: Option<f64>,
    /// Mean range of motion.
    pub mean_range: Option<f64>,
    /// Largest range of motion.
    pub max_range: Option<f64>,
}

/// One exercise practised in the range.
#[derive(Debug, Clone, PartialEq)]
pub struct ReportExercise {
    /// Catalog id.
    pub id: String,
    /// Name in the report's language (the id for an exercise the catalog lacks).
    pub name: String,
    /// Unit of the ranges as shown ("°", "N", "mm").
    pub unit: &'static str,
    /// Reps counted in the range.
    pub reps: u32,
    /// Days practised, oldest first.
    pub points: Vec<ReportTrendPoint>,
    /// Change of reps per minute per week (least squares).
    pub reps_per_minute_change_per_week: Option<f64>,
    /// Change of the mean range per week, in `unit`.
    pub mean_range_change_per_week: Option<f64>,
}

/// A check-in with a written note.
#[derive(Debug, Clone, PartialEq)]
pub struct ReportNote {
    /// Local day.
    pub date: LocalDate,
    /// Local time, "HH:MM".
    pub time: String,
    /// Before or after a session, or on its own.
    pub timing: CheckInTiming,
    /// Pain 0-10.
    pub pain: Option<u8>,
    /// Stiffness grade.
    pub stiffness: Option<Spasticity>,
    /// Effort 0-10.
    pub effort: Option<u8>,
    /// The note, as written.
    pub text: String,
}

/// What the report shows, computed once from the facts.
#[derive(Debug, Clone, PartialEq)]
pub struct ReportModel {
    /// Label language.
    pub language: ReportLanguage,
    /// The person's name.
    pub name: String,
    /// The affected side.
    pub affected_side: Side,
    /// The days covered.
    pub range: DateRange,
    /// The day treated as today (later days are not judged against the schedule).
    pub today: LocalDate,
    /// Practice days of the weekly schedule, if one is in force.
    pub schedule_days: Option<Vec<Weekday>>,
    /// One entry per day of the range.
    pub days: Vec<ReportDay>,
    /// Totals and adherence.
    pub totals: ReportTotals,
    /// Exercises practised, by name.
    pub exercises: Vec<ReportExercise>,
    /// Check-ins with a note, oldest first.
    pub notes: Vec<ReportNote>,
}

pub(super) fn check_in_fact(c: &CheckIn) -> CheckInFact {
    CheckInFact {
        recorded_at_ms: c.values.recorded_at_ms,
        utc_offset_min: c.values.utc_offset_min,
        pain: c.values.pain,
        spasticity: c.values.spasticity,
        effort: c.values.effort,
    }
}

/// Builds the report model: a pure function of the facts, the range, the day
/// treated as today and the label language.
pub fn build_report(
    facts: &ReportFacts,
    range: DateRange,
    today: LocalDate,
    language: ReportLanguage,
) -> ReportModel {
    let daily = progress::daily_totals(&facts.sessions, range);
    let adherence: Adherence = progress::adherence(
        &facts.sessions,
        &facts.goals,
        facts.schedule.as_ref(),
        range,
        today,
    );
    let check_in_facts: Vec<CheckInFact> = facts.check_ins.iter().map(check_in_fact).collect();
    let wellbeing = progress::pain_vs_reps(&facts.sessions, &check_in_facts, range);
    let days: Vec<ReportDay> = daily
        .iter()
        .zip(&wellbeing)
        .map(|(t, w)| {
            let judged = adherence.days.iter().find(|a| a.date == t.date);
            let scheduled = facts.schedule.as_ref().is_some_and(|s| {
                t.date >= s.effective_from
                    && s.slots
                        .iter()
                        .any(|slot| slot.weekday == Weekday::of(t.date))
            });
            ReportDay {
                date: t.date,
                reps: t.reps,
                attempts: t.attempts,
                sessions: t.sessions,
                active_minutes: t.active_minutes,
                scheduled,
                practiced: t.reps > 0 || t.active_minutes > 0.0,
                goal_met: judged.and_then(|a| a.goal_met),
                pain_max: w.pain_max,
                stiffness_max: w.stiffness_max,
                effort_mean: w.effort_mean,
            }
        })
        .collect();
    let totals = ReportTotals {
        reps: days.iter().map(|d| d.reps).sum(),
        attempts: days.iter().map(|d| d.attempts).sum(),
        sessions: days.iter().map(|d| d.sessions).sum(),
        active_minutes: days.iter().map(|d| d.active_minutes).sum(),
        days: days.len() as u32,
        days_practiced: days.iter().filter(|d| d.practiced).count() as u32,
        scheduled_days: adherence.scheduled_days,
        scheduled_days_practiced: adherence.scheduled_days_practiced,
        goal_days: adherence.goal_days,
        goal_days_met: adherence.goal_days_met,
    };
    let catalog = Catalog::embedded();
    let mut exercises: Vec<ReportExercise> = progress::exercise_trends(&facts.blocks, range)
        .into_iter()
        .map(|trend| {
            let signal = catalog
                .exercise(&trend.exercise_id)
                .map(|e| e.hint.signal)
                .ok();
            let (unit, scale) = match signal {
                Some(Signal::Imu) => ("°", 180.0 / std::f64::consts::PI),
                Some(Signal::JointAngle) => ("°", 1.0),
                Some(Signal::GripForce) => ("N", 1.0),
                Some(Signal::Touch) => ("mm", 1.0),
                None => ("", 1.0),
            };
            let name = catalog
                .exercise_text(&trend.exercise_id, language.code())
                .map(|t| t.name)
                .unwrap_or_else(|_| trend.exercise_id.clone());
            ReportExercise {
                name,
                unit,
                reps: trend.points.iter().map(|p| p.reps).sum(),
                points: trend
                    .points
                    .iter()
                    .map(|p| ReportTrendPoint {
                        date: p.date,
                        reps: p.reps,
                        reps_per_minute: p.reps_per_minute,
                        mean_range: p.mean_range.map(|r| r * scale),
                        max_range: p.max_range.map(|r| r * scale),
                    })
                    .collect(),
                reps_per_minute_change_per_week: trend.reps_per_minute_change_per_week,
                mean_range_change_per_week: trend.mean_range_change_per_week.map(|c| c * scale),
                id: trend.exercise_id,
            }
        })
        .collect();
    exercises.sort_by(|a, b| a.name.cmp(&b.name).then(a.id.cmp(&b.id)));
    let notes = facts
        .check_ins
        .iter()
        .filter(|c| !c.values.note.trim().is_empty())
        .filter_map(|c| {
            let v = &c.values;
            let local_ms = v.recorded_at_ms + i64::from(v.utc_offset_min) * 60_000;
            let local = chrono::DateTime::from_timestamp_millis(local_ms)?.naive_utc();
            range.index(local.date())?;
            Some(ReportNote {
                date: local.date(),
                time: local.format("%H:%M").to_string(),
                timing: v.timing,
                pain: v.pain,
                stiffness: v.spasticity,
                effort: v.effort,
                text: v.note.trim().to_string(),
            })
        })
        .collect();
    let schedule_days = facts.schedule.as_ref().map(|s| {
        let mut days: Vec<Weekday> = s.slots.iter().map(|slot| slot.weekday).collect();
        days.sort();
        days.dedup();
        days
    });
    ReportModel {
        language,
        name: facts.profile.name.clone(),
        affected_side: facts.profile.affected_side,
        range,
        today,
        schedule_days,
        days,
        totals,
        exercises,
        notes,
    }
}

/// Whether the exercise measures a range (taps have none).
pub(super) fn has_range(e: &ReportExercise) -> bool {
    e.points
        .iter()
        .any(|p| p.max_range.is_some_and(|r| r > 0.0))
}

pub(super) fn mean(values: impl Iterator<Item = f64>) -> Option<f64> {
    let (sum, n) = values.fold((0.0, 0u32), |(s, n), v| (s + v, n + 1));
    (n > 0).then(|| sum / f64::from(n))
}
