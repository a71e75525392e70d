//! The therapist's report: one self-contained HTML file for a date range.
//!
//! Two steps: [`build_report`] turns stored facts into a plain [`ReportModel`]
//! (pure, reusing [`crate::progress`]), and [`render_html`] writes it as HTML
//! with inline CSS and inline SVG charts: no script, no external URL, so it
//! opens offline in any browser and prints well. Every user text is escaped.
//! Key numbers carry `data-test` attributes so tests can find them.

use crate::model::{
    local_date, BlockFact, CheckInFact, DailyGoal, LocalDate, SessionFact, Weekday, WeeklySchedule,
};
use crate::model::{Side, Spasticity};
use crate::progress::{self, Adherence, DateRange};
use crate::routine::{Catalog, Signal};
use crate::store::{self, CheckIn, CheckInTiming, Profile, Store};
use std::fmt::Write as _;

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

fn check_in_fact(c: &CheckIn) -> CheckInFact {
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

// ---------------------------------------------------------------- labels

struct Labels {
    title: &'static str,
    period: &'static str,
    affected_side: &'static str,
    sides: [&'static str; 4],
    prepared: &'static str,
    summary: &'static str,
    total_reps: &'static str,
    active_minutes: &'static str,
    sessions: &'static str,
    attempts: &'static str,
    days_practiced: &'static str,
    of_days: &'static str,
    scheduled_practiced: &'static str,
    no_schedule: &'static str,
    schedule_is: &'static str,
    goal_met: &'static str,
    reps_per_day: &'static str,
    minutes_per_day: &'static str,
    legend_scheduled: &'static str,
    legend_missed: &'static str,
    exercises: &'static str,
    exercise: &'static str,
    reps: &'static str,
    days: &'static str,
    rom: &'static str,
    rom_change: &'static str,
    rate: &'static str,
    rate_change: &'static str,
    per_week: &'static str,
    mean: &'static str,
    max: &'static str,
    no_exercises: &'static str,
    no_range: &'static str,
    wellbeing: &'static str,
    wellbeing_chart: &'static str,
    pain: &'static str,
    stiffness: &'static str,
    effort: &'static str,
    date: &'static str,
    day_table: &'static str,
    minutes: &'static str,
    notes: &'static str,
    no_notes: &'static str,
    before: &'static str,
    after: &'static str,
    standalone: &'static str,
    weekdays: [&'static str; 7],
    footer: &'static str,
}

const EN: Labels = Labels {
    title: "Home practice report",
    period: "Period",
    affected_side: "Affected side",
    sides: ["left", "right", "both", "not specified"],
    prepared: "Prepared on",
    summary: "Summary",
    total_reps: "Repetitions",
    active_minutes: "Active minutes",
    sessions: "Sessions",
    attempts: "Attempts not counted",
    days_practiced: "Days practised",
    of_days: "of",
    scheduled_practiced: "Scheduled days practised",
    no_schedule: "no weekly schedule set",
    schedule_is: "Schedule",
    goal_met: "Days the daily goal was met",
    reps_per_day: "Repetitions per day",
    minutes_per_day: "Active minutes per day",
    legend_scheduled: "scheduled day",
    legend_missed: "scheduled, not practised",
    exercises: "Exercises",
    exercise: "Exercise",
    reps: "Reps",
    days: "Days",
    rom: "Range of motion",
    rom_change: "Range change",
    rate: "Reps per minute",
    rate_change: "Pace change",
    per_week: "/ week",
    mean: "mean",
    max: "max",
    no_exercises: "No exercise was practised in this period.",
    no_range: "Taps: no range of motion measured.",
    wellbeing: "Pain and stiffness",
    wellbeing_chart: "Highest pain (0-10) over repetitions per day",
    pain: "Pain",
    stiffness: "Stiffness (MAS)",
    effort: "Effort",
    date: "Date",
    day_table: "Day by day",
    minutes: "Minutes",
    notes: "Notes",
    no_notes: "No notes in this period.",
    before: "before session",
    after: "after session",
    standalone: "check-in",
    weekdays: ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"],
    footer: "Generated on the device by RehabCore from the person's own records. \
             Repetitions are counted by the phone's sensors; range of motion is an estimate.",
};

const ES: Labels = Labels {
    title: "Informe de práctica en casa",
    period: "Periodo",
    affected_side: "Lado afectado",
    sides: ["izquierdo", "derecho", "ambos", "sin especificar"],
    prepared: "Preparado el",
    summary: "Resumen",
    total_reps: "Repeticiones",
    active_minutes: "Minutos activos",
    sessions: "Sesiones",
    attempts: "Intentos no contados",
    days_practiced: "Días con práctica",
    of_days: "de",
    scheduled_practiced: "Días programados con práctica",
    no_schedule: "sin horario semanal",
    schedule_is: "Horario",
    goal_met: "Días con el objetivo diario cumplido",
    reps_per_day: "Repeticiones por día",
    minutes_per_day: "Minutos activos por día",
    legend_scheduled: "día programado",
    legend_missed: "programado, sin práctica",
    exercises: "Ejercicios",
    exercise: "Ejercicio",
    reps: "Rep.",
    days: "Días",
    rom: "Amplitud de movimiento",
    rom_change: "Cambio de amplitud",
    rate: "Repeticiones por minuto",
    rate_change: "Cambio de ritmo",
    per_week: "/ semana",
    mean: "media",
    max: "máx.",
    no_exercises: "No se practicó ningún ejercicio en este periodo.",
    no_range: "Toques: sin amplitud de movimiento medida.",
    wellbeing: "Dolor y rigidez",
    wellbeing_chart: "Dolor máximo (0-10) sobre repeticiones por día",
    pain: "Dolor",
    stiffness: "Rigidez (MAS)",
    effort: "Esfuerzo",
    date: "Fecha",
    day_table: "Día a día",
    minutes: "Minutos",
    notes: "Notas",
    no_notes: "Sin notas en este periodo.",
    before: "antes de la sesión",
    after: "después de la sesión",
    standalone: "registro",
    weekdays: ["lun", "mar", "mié", "jue", "vie", "sáb", "dom"],
    footer:
        "Generado en el dispositivo por RehabCore a partir de los registros de la persona. \
             Las repeticiones las cuentan los sensores del teléfono; la amplitud es una estimación.",
};

fn labels(language: ReportLanguage) -> &'static Labels {
    match language {
        ReportLanguage::English => &EN,
        ReportLanguage::Spanish => &ES,
    }
}

// ---------------------------------------------------------------- rendering

/// Escapes text for HTML element content and quoted attribute values.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

/// A number with `decimals` places and the language's decimal separator.
fn num(x: f64, decimals: usize, language: ReportLanguage) -> String {
    let s = format!("{x:.decimals$}");
    match language {
        ReportLanguage::English => s,
        ReportLanguage::Spanish => s.replace('.', ","),
    }
}

/// A signed change, "+1.2" / "−0.4", or "–" when unknown.
fn change(x: Option<f64>, decimals: usize, language: ReportLanguage) -> String {
    match x {
        Some(x) if num(x.abs(), decimals, language) == num(0.0, decimals, language) => {
            num(0.0, decimals, language)
        }
        Some(x) if x >= 0.0 => format!("+{}", num(x, decimals, language)),
        Some(x) => format!("−{}", num(-x, decimals, language)),
        None => "–".into(),
    }
}

fn percent(n: u32, of: u32) -> String {
    if of == 0 {
        String::new()
    } else {
        format!(" ({:.0} %)", f64::from(n) * 100.0 / f64::from(of))
    }
}

fn weekday_name(l: &Labels, day: Weekday) -> &'static str {
    l.weekdays[usize::from(day.number() - 1)]
}

fn short_date(date: LocalDate) -> String {
    date.format("%d/%m").to_string()
}

const CSS: &str = "
body{font-family:'Liberation Sans',Arial,Helvetica,sans-serif;color:#1d2733;margin:0;background:#fff;font-size:15px;line-height:1.4}
main{max-width:1060px;margin:0 auto;padding:24px 32px}
h1{font-size:26px;margin:0 0 4px}
h2{font-size:19px;margin:28px 0 10px;border-bottom:2px solid #d6e2ee;padding-bottom:4px}
h3{font-size:16px;margin:18px 0 6px}
.meta{color:#4a5a6a;margin:0}
.cards{display:flex;flex-wrap:wrap;gap:10px;margin:8px 0}
.card{border:1px solid #cfdbe6;border-radius:8px;padding:8px 14px;min-width:140px;background:#f6f9fc}
.card .v{font-size:24px;font-weight:bold;color:#174a7c}
.card .k{font-size:13px;color:#4a5a6a}
.sub{font-size:13px;color:#4a5a6a}
table{border-collapse:collapse;margin:6px 0;font-size:14px}
th,td{border-bottom:1px solid #e1e8ef;padding:3px 10px;text-align:right}
th:first-child,td:first-child{text-align:left}
th{background:#eef3f8;font-weight:600}
tr.missed td{color:#a03a1c}
svg{display:block;margin:4px 0 10px}
svg text{font-family:'Liberation Sans',Arial,sans-serif;font-size:12px;fill:#3a4654}
.legend span{display:inline-block;margin-right:16px;font-size:13px;color:#3a4654}
.sw{display:inline-block;width:12px;height:12px;vertical-align:-1px;margin-right:5px;border-radius:2px}
.exrow h3{margin:14px 0 0}
.pair{display:flex;gap:24px}
.pair>div{flex:1 1 0;min-width:0}
ul.notes{padding-left:18px}
ul.notes li{margin:4px 0}
.note{white-space:pre-wrap}
footer{margin-top:30px;font-size:12px;color:#66737f}
@media print{main{padding:0}h2{break-after:avoid}}
";

const BLUE: &str = "#2f6fb0";
const TEAL: &str = "#2a9d8f";
const RED: &str = "#c4472b";
const ORANGE: &str = "#d9822b";
const LIGHT: &str = "#e9f0f7";
const PURPLE: &str = "#6a4c93";

/// A "nice" axis top and tick step covering `max`.
fn nice_axis(max: f64) -> (f64, f64) {
    if max.partial_cmp(&0.0) != Some(std::cmp::Ordering::Greater) || !max.is_finite() {
        return (1.0, 1.0);
    }
    let rough = max / 5.0;
    let mag = 10f64.powf(rough.log10().floor());
    let step = [1.0, 2.0, 2.5, 5.0, 10.0]
        .iter()
        .map(|m| m * mag)
        .find(|s| s * 5.0 >= max)
        .unwrap_or(10.0 * mag);
    ((max / step).ceil() * step, step)
}

/// Plot geometry shared by the charts.
struct Plot {
    width: f64,
    height: f64,
    left: f64,
    right: f64,
    top: f64,
    bottom: f64,
}

impl Plot {
    fn new(width: f64, height: f64) -> Plot {
        Plot {
            width,
            height,
            left: 48.0,
            right: 40.0,
            top: 14.0,
            bottom: 40.0,
        }
    }
    fn inner_w(&self) -> f64 {
        self.width - self.left - self.right
    }
    fn inner_h(&self) -> f64 {
        self.height - self.top - self.bottom
    }
    fn y(&self, v: f64, top: f64) -> f64 {
        self.top + self.inner_h() * (1.0 - v / top)
    }
    /// Opens the SVG with a grid, left axis ticks and an axis title.
    fn open(&self, out: &mut String, label: &str, top: f64, step: f64) {
        let decimals = if step.fract() == 0.0 { 0 } else { 1 };
        let _ = write!(
            out,
            "<svg viewBox=\"0 0 {w} {h}\" width=\"100%\" role=\"img\" aria-label=\"{label}\">",
            w = self.width,
            h = self.height,
            label = escape(label)
        );
        let mut v = 0.0;
        while v <= top + step * 1e-9 {
            let y = self.y(v, top);
            let _ = write!(
                out,
                "<line x1=\"{x1}\" y1=\"{y:.1}\" x2=\"{x2}\" y2=\"{y:.1}\" stroke=\"#dfe6ee\"/>\
                 <text x=\"{tx}\" y=\"{ty:.1}\" text-anchor=\"end\">{v:.decimals$}</text>",
                x1 = self.left,
                x2 = self.width - self.right,
                tx = self.left - 6.0,
                ty = y + 4.0,
            );
            v += step;
        }
        let _ = write!(
            out,
            "<line x1=\"{x}\" y1=\"{t}\" x2=\"{x}\" y2=\"{b}\" stroke=\"#8a98a6\"/>",
            x = self.left,
            t = self.top,
            b = self.height - self.bottom
        );
    }
    /// Date labels under the x positions, thinned to fit.
    fn date_labels(&self, out: &mut String, dates: &[(f64, LocalDate)]) {
        let fit = ((self.inner_w() / 56.0) as usize).max(2);
        let every = dates.len().div_ceil(fit).max(1);
        for (i, (x, date)) in dates.iter().enumerate() {
            if i % every == 0 {
                let _ = write!(
                    out,
                    "<text x=\"{x:.1}\" y=\"{y}\" text-anchor=\"middle\">{d}</text>",
                    y = self.height - self.bottom + 16.0,
                    d = short_date(*date)
                );
            }
        }
        let _ = write!(
            out,
            "<line x1=\"{l}\" y1=\"{b}\" x2=\"{r}\" y2=\"{b}\" stroke=\"#8a98a6\"/>",
            l = self.left,
            r = self.width - self.right,
            b = self.height - self.bottom
        );
    }
}

/// A bar per day; scheduled days get a light band and a missed scheduled day a red mark.
fn day_bars(
    model: &ReportModel,
    label: &str,
    value: impl Fn(&ReportDay) -> f64,
    decimals: usize,
    color: &str,
    test_id: &str,
) -> String {
    let plot = Plot::new(1000.0, 230.0);
    let max = model.days.iter().map(&value).fold(0.0, f64::max);
    let (top, step) = nice_axis(max);
    let mut out = String::new();
    plot.open(&mut out, label, top, step);
    let slot = plot.inner_w() / model.days.len() as f64;
    let bar_w = (slot * 0.7).max(1.0);
    let mut xs = Vec::new();
    for day in &model.days {
        let i = (day.date - model.range.from).num_days() as f64;
        let x0 = plot.left + i * slot;
        let cx = x0 + slot / 2.0;
        xs.push((cx, day.date));
        if day.scheduled {
            let _ = write!(
                out,
                "<rect x=\"{x0:.1}\" y=\"{t}\" width=\"{slot:.1}\" height=\"{h:.1}\" fill=\"{LIGHT}\"/>",
                t = plot.top,
                h = plot.inner_h()
            );
        }
        let v = value(day);
        let y = plot.y(v, top);
        let _ = write!(
            out,
            "<rect x=\"{x:.1}\" y=\"{y:.1}\" width=\"{bar_w:.1}\" height=\"{h:.1}\" fill=\"{color}\" \
             data-test=\"{test_id}\" data-date=\"{date}\" data-value=\"{v:.decimals$}\"><title>{date}: {v:.decimals$}</title></rect>",
            x = cx - bar_w / 2.0,
            h = plot.height - plot.bottom - y,
            date = day.date,
        );
        if day.scheduled && !day.practiced && day.date <= model.today {
            let _ = write!(
                out,
                "<rect x=\"{x:.1}\" y=\"{y:.1}\" width=\"{bar_w:.1}\" height=\"4\" fill=\"{RED}\"/>",
                x = cx - bar_w / 2.0,
                y = plot.height - plot.bottom - 4.0,
            );
        }
    }
    plot.date_labels(&mut out, &xs);
    out.push_str("</svg>");
    out
}

/// One line of a line chart: its points and style.
struct Series<'a> {
    points: Vec<(LocalDate, f64)>,
    color: &'a str,
    dashed: bool,
}

/// A line chart over the report's days with its own y axis (labelled `unit`).
fn line_chart(model: &ReportModel, label: &str, unit: &str, series: &[Series<'_>]) -> String {
    let plot = Plot {
        top: 26.0,
        ..Plot::new(480.0, 160.0)
    };
    let max = series
        .iter()
        .flat_map(|s| s.points.iter().map(|p| p.1))
        .fold(0.0, f64::max);
    let (top, step) = nice_axis(max);
    let mut out = String::new();
    plot.open(&mut out, label, top, step);
    let _ = write!(
        out,
        "<text x=\"{x}\" y=\"12\" text-anchor=\"start\" font-weight=\"bold\">{u}</text>",
        x = plot.left - 30.0,
        u = escape(unit)
    );
    let slot = plot.inner_w() / model.days.len() as f64;
    let x_of = |d: LocalDate| plot.left + ((d - model.range.from).num_days() as f64 + 0.5) * slot;
    for s in series {
        let pts: Vec<String> = s
            .points
            .iter()
            .map(|(d, v)| format!("{:.1},{:.1}", x_of(*d), plot.y(*v, top)))
            .collect();
        let dash = if s.dashed {
            " stroke-dasharray=\"5 4\""
        } else {
            ""
        };
        if pts.len() > 1 {
            let _ = write!(
                out,
                "<polyline points=\"{}\" fill=\"none\" stroke=\"{}\" stroke-width=\"2.5\"{dash}/>",
                pts.join(" "),
                s.color
            );
        }
        for (d, v) in &s.points {
            let _ = write!(
                out,
                "<circle cx=\"{:.1}\" cy=\"{:.1}\" r=\"3.5\" fill=\"{}\"><title>{d}: {v:.1}</title></circle>",
                x_of(*d),
                plot.y(*v, top),
                s.color
            );
        }
    }
    let xs: Vec<(f64, LocalDate)> = model.days.iter().map(|d| (x_of(d.date), d.date)).collect();
    plot.date_labels(&mut out, &xs);
    out.push_str("</svg>");
    out
}

/// Reps per day as light bars (left axis) with the day's highest pain as a
/// line on a 0-10 right axis.
fn wellbeing_chart(model: &ReportModel, l: &Labels) -> String {
    let plot = Plot {
        top: 34.0,
        ..Plot::new(1000.0, 250.0)
    };
    let max = model
        .days
        .iter()
        .map(|d| f64::from(d.reps))
        .fold(0.0, f64::max);
    let (top, step) = nice_axis(max);
    let mut out = String::new();
    plot.open(&mut out, l.wellbeing_chart, top, step);
    let slot = plot.inner_w() / model.days.len() as f64;
    let bar_w = (slot * 0.7).max(1.0);
    let pain_y = |p: f64| plot.y(p, 10.0);
    for p in [0u8, 2, 4, 6, 8, 10] {
        let _ = write!(
            out,
            "<text x=\"{x}\" y=\"{y:.1}\" text-anchor=\"start\" fill=\"{RED}\" style=\"fill:{RED}\">{p}</text>",
            x = plot.width - plot.right + 6.0,
            y = pain_y(f64::from(p)) + 4.0
        );
    }
    let mut xs = Vec::new();
    let mut pain_pts = Vec::new();
    for day in &model.days {
        let i = (day.date - model.range.from).num_days() as f64;
        let cx = plot.left + (i + 0.5) * slot;
        xs.push((cx, day.date));
        let y = plot.y(f64::from(day.reps), top);
        let _ = write!(
            out,
            "<rect x=\"{x:.1}\" y=\"{y:.1}\" width=\"{bar_w:.1}\" height=\"{h:.1}\" fill=\"#b9cfe4\"/>",
            x = cx - bar_w / 2.0,
            h = plot.height - plot.bottom - y
        );
        if let Some(p) = day.pain_max {
            pain_pts.push((cx, pain_y(f64::from(p)), day.date, p));
        }
        if let Some(s) = day.stiffness_max {
            let _ = write!(
                out,
                "<text x=\"{cx:.1}\" y=\"18\" text-anchor=\"middle\" style=\"fill:{PURPLE}\" \
                 data-test=\"day-stiffness\" data-date=\"{date}\">{grade}</text>",
                date = day.date,
                grade = s.as_str()
            );
        }
    }
    let _ = write!(
        out,
        "<text x=\"{x}\" y=\"18\" text-anchor=\"end\" style=\"fill:{PURPLE}\">MAS</text>",
        x = plot.left - 6.0
    );
    if pain_pts.len() > 1 {
        let pts: Vec<String> = pain_pts
            .iter()
            .map(|(x, y, _, _)| format!("{x:.1},{y:.1}"))
            .collect();
        let _ = write!(
            out,
            "<polyline points=\"{}\" fill=\"none\" stroke=\"{RED}\" stroke-width=\"2.5\"/>",
            pts.join(" ")
        );
    }
    for (x, y, date, p) in &pain_pts {
        let _ = write!(
            out,
            "<circle cx=\"{x:.1}\" cy=\"{y:.1}\" r=\"4\" fill=\"{RED}\"><title>{date}: {p}</title></circle>"
        );
    }
    plot.date_labels(&mut out, &xs);
    out.push_str("</svg>");
    out
}

fn card(out: &mut String, test_id: &str, value: &str, key: &str, sub: &str) {
    let _ = write!(
        out,
        "<div class=\"card\"><div class=\"v\" data-test=\"{test_id}\">{value}</div>\
         <div class=\"k\">{key}</div>{sub}</div>",
        key = escape(key),
    );
}

/// Renders the model as one self-contained HTML document.
pub fn render_html(model: &ReportModel) -> String {
    let l = labels(model.language);
    let lang = model.language;
    let t = &model.totals;
    let mut out = String::with_capacity(64 * 1024);
    let side = match model.affected_side {
        Side::Left => l.sides[0],
        Side::Right => l.sides[1],
        Side::Both => l.sides[2],
        Side::None => l.sides[3],
    };
    let _ = write!(
        out,
        "<!DOCTYPE html>\n<html lang=\"{code}\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>{title} – {name}</title><style>{CSS}</style></head><body><main>\
         <h1>{title}</h1>\
         <p class=\"meta\"><strong data-test=\"name\">{name}</strong> · {side_k}: {side}</p>\
         <p class=\"meta\">{period}: <span data-test=\"from\">{from}</span> – \
         <span data-test=\"to\">{to}</span> ({n} {days_k}) · {prepared} {today}</p>",
        code = lang.code(),
        title = escape(l.title),
        name = escape(&model.name),
        side_k = escape(l.affected_side),
        period = escape(l.period),
        from = model.range.from,
        to = model.range.to,
        n = t.days,
        days_k = escape(&l.days.to_lowercase()),
        prepared = escape(l.prepared),
        today = model.today,
    );

    // Summary cards.
    let _ = write!(out, "<h2>{}</h2><div class=\"cards\">", escape(l.summary));
    card(
        &mut out,
        "days-practiced",
        &t.days_practiced.to_string(),
        l.days_practiced,
        &format!(
            "<div class=\"sub\">{} <span data-test=\"days-in-range\">{}</span>{}</div>",
            l.of_days,
            t.days,
            percent(t.days_practiced, t.days)
        ),
    );
    match &model.schedule_days {
        Some(days) => {
            let names: Vec<&str> = days.iter().map(|d| weekday_name(l, *d)).collect();
            card(
                &mut out,
                "scheduled-days-practiced",
                &t.scheduled_days_practiced.to_string(),
                l.scheduled_practiced,
                &format!(
                    "<div class=\"sub\">{} <span data-test=\"scheduled-days\">{}</span>{} · {}: {}</div>",
                    l.of_days,
                    t.scheduled_days,
                    percent(t.scheduled_days_practiced, t.scheduled_days),
                    escape(l.schedule_is),
                    escape(&names.join(", "))
                ),
            );
        }
        None => card(
            &mut out,
            "scheduled-days-practiced",
            "–",
            l.scheduled_practiced,
            &format!("<div class=\"sub\">{}</div>", escape(l.no_schedule)),
        ),
    }
    if t.goal_days > 0 {
        card(
            &mut out,
            "goal-days-met",
            &t.goal_days_met.to_string(),
            l.goal_met,
            &format!(
                "<div class=\"sub\">{} {}{}</div>",
                l.of_days,
                t.goal_days,
                percent(t.goal_days_met, t.goal_days)
            ),
        );
    }
    card(
        &mut out,
        "total-reps",
        &t.reps.to_string(),
        l.total_reps,
        "",
    );
    card(
        &mut out,
        "total-active-minutes",
        &num(t.active_minutes, 0, lang),
        l.active_minutes,
        "",
    );
    card(
        &mut out,
        "sessions",
        &t.sessions.to_string(),
        l.sessions,
        "",
    );
    card(
        &mut out,
        "attempts",
        &t.attempts.to_string(),
        l.attempts,
        "",
    );
    out.push_str("</div>");

    // Daily charts.
    let legend = format!(
        "<div class=\"legend\"><span><i class=\"sw\" style=\"background:{LIGHT};border:1px solid #c8d6e4\"></i>{}</span>\
         <span><i class=\"sw\" style=\"background:{RED}\"></i>{}</span></div>",
        escape(l.legend_scheduled),
        escape(l.legend_missed)
    );
    let _ = write!(out, "<h2>{}</h2>", escape(l.reps_per_day));
    out.push_str(&day_bars(
        model,
        l.reps_per_day,
        |d| f64::from(d.reps),
        0,
        BLUE,
        "bar-reps",
    ));
    let _ = write!(out, "<h2>{}</h2>", escape(l.minutes_per_day));
    out.push_str(&day_bars(
        model,
        l.minutes_per_day,
        |d| d.active_minutes,
        1,
        TEAL,
        "bar-minutes",
    ));
    if model.schedule_days.is_some() {
        out.push_str(&legend);
    }

    // Wellbeing.
    let _ = write!(
        out,
        "<h2>{}</h2><div class=\"legend\"><span><i class=\"sw\" style=\"background:#b9cfe4\"></i>{}</span>\
         <span><i class=\"sw\" style=\"background:{RED}\"></i>{} (0-10)</span>\
         <span><b style=\"color:{PURPLE}\">1+</b> {}</span></div>",
        escape(l.wellbeing),
        escape(l.reps_per_day),
        escape(l.pain),
        escape(l.stiffness)
    );
    out.push_str(&wellbeing_chart(model, l));

    // Notes.
    let _ = write!(out, "<h2>{}</h2>", escape(l.notes));
    if model.notes.is_empty() {
        let _ = write!(out, "<p>{}</p>", escape(l.no_notes));
    } else {
        out.push_str("<ul class=\"notes\">");
        for n in &model.notes {
            let timing = match n.timing {
                CheckInTiming::BeforeSession { .. } => l.before,
                CheckInTiming::AfterSession { .. } => l.after,
                CheckInTiming::Standalone => l.standalone,
            };
            let mut values = Vec::new();
            if let Some(p) = n.pain {
                values.push(format!("{} {p}", l.pain));
            }
            if let Some(s) = n.stiffness {
                values.push(format!("{} {}", l.stiffness, s.as_str()));
            }
            if let Some(e) = n.effort {
                values.push(format!("{} {e}", l.effort));
            }
            let values = if values.is_empty() {
                String::new()
            } else {
                format!(" · {}", values.join(", "))
            };
            let _ = write!(
                out,
                "<li><strong>{date} {time}</strong> <span class=\"sub\">({timing}{values})</span><br>\
                 <span class=\"note\" data-test=\"note\">{text}</span></li>",
                date = n.date,
                time = escape(&n.time),
                timing = escape(timing),
                values = escape(&values),
                text = escape(&n.text),
            );
        }
        out.push_str("</ul>");
    }
    // Exercises.
    let _ = write!(out, "<h2>{}</h2>", escape(l.exercises));
    if model.exercises.is_empty() {
        let _ = write!(out, "<p>{}</p>", escape(l.no_exercises));
    } else {
        let _ = write!(
            out,
            "<table><tr><th>{}</th><th>{}</th><th>{}</th><th>{} ({})</th><th>{}</th><th>{}</th><th>{}</th></tr>",
            escape(l.exercise),
            escape(l.reps),
            escape(l.days),
            escape(l.rom),
            escape(l.mean),
            escape(l.rom_change),
            escape(l.rate),
            escape(l.rate_change)
        );
        for e in &model.exercises {
            let mean_rom =
                mean(e.points.iter().filter_map(|p| p.mean_range)).filter(|_| has_range(e));
            let mean_rate = mean(e.points.iter().filter_map(|p| p.reps_per_minute));
            let _ = write!(
                out,
                "<tr data-exercise=\"{id}\"><td>{name}</td><td data-test=\"exercise-reps\">{reps}</td><td>{days}</td>\
                 <td>{rom}</td><td>{romc} {pw}</td><td>{rate}</td><td>{ratec}{rpw}</td></tr>",
                id = escape(&e.id),
                name = escape(&e.name),
                reps = e.reps,
                days = e.points.len(),
                rom = mean_rom.map_or("–".into(), |v| format!("{} {}", num(v, 1, lang), escape(e.unit))),
                romc = match e.mean_range_change_per_week.filter(|_| has_range(e)) {
                    Some(c) => format!("{} {}", change(Some(c), 1, lang), escape(e.unit)),
                    None => "–".into(),
                },
                rate = mean_rate.map_or("–".into(), |v| num(v, 1, lang)),
                ratec = change(e.reps_per_minute_change_per_week, 1, lang),
                rpw = if e.reps_per_minute_change_per_week.is_some() { format!(" {}", escape(l.per_week)) } else { String::new() },
                pw = if has_range(e) && e.mean_range_change_per_week.is_some() { escape(l.per_week) } else { String::new() },
            );
        }
        out.push_str("</table>");
        let _ = write!(
            out,
            "<div class=\"legend\"><span><i class=\"sw\" style=\"background:{BLUE}\"></i>{rom} ({mean})</span>\
             <span><i class=\"sw\" style=\"background:#8fb3d9\"></i>{rom} ({max})</span>\
             <span><i class=\"sw\" style=\"background:{ORANGE}\"></i>{rate}</span></div>",
            rom = escape(l.rom),
            mean = escape(l.mean),
            max = escape(l.max),
            rate = escape(l.rate),
        );
        for e in &model.exercises {
            let rom = Series {
                points: e
                    .points
                    .iter()
                    .filter_map(|p| Some((p.date, p.mean_range?)))
                    .collect(),
                color: BLUE,
                dashed: false,
            };
            let rom_max = Series {
                points: e
                    .points
                    .iter()
                    .filter_map(|p| Some((p.date, p.max_range?)))
                    .collect(),
                color: "#8fb3d9",
                dashed: true,
            };
            let rate = Series {
                points: e
                    .points
                    .iter()
                    .filter_map(|p| Some((p.date, p.reps_per_minute?)))
                    .collect(),
                color: ORANGE,
                dashed: false,
            };
            let _ = write!(
                out,
                "<div class=\"exrow\"><h3>{}</h3><div class=\"pair\"><div>",
                escape(&e.name)
            );
            if has_range(e) {
                out.push_str(&line_chart(
                    model,
                    &format!("{} – {}", e.name, l.rom),
                    &format!("{} ({})", l.rom, e.unit),
                    &[rom_max, rom],
                ));
            } else {
                let _ = write!(out, "<p class=\"sub\">{}</p>", escape(l.no_range));
            }
            out.push_str("</div><div>");
            out.push_str(&line_chart(
                model,
                &format!("{} – {}", e.name, l.rate),
                l.rate,
                &[rate],
            ));
            out.push_str("</div></div></div>");
        }
    }

    // Day table.
    let _ = write!(
        out,
        "<h2>{}</h2><table data-test=\"days\"><tr><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th></tr>",
        escape(l.day_table),
        escape(l.date),
        escape(l.reps),
        escape(l.minutes),
        escape(l.sessions),
        escape(l.pain),
        escape(l.stiffness),
        escape(l.effort),
    );
    for d in &model.days {
        let missed = d.scheduled && !d.practiced && d.date <= model.today;
        let _ = write!(
            out,
            "<tr data-date=\"{date}\"{class}><td>{wd} {date}{mark}</td><td data-test=\"day-reps\">{reps}</td>\
             <td data-test=\"day-minutes\">{min}</td><td>{sessions}</td><td data-test=\"day-pain\">{pain}</td><td>{stiff}</td><td>{effort}</td></tr>",
            date = d.date,
            class = if missed { " class=\"missed\"" } else { "" },
            wd = weekday_name(l, Weekday::of(d.date)),
            mark = if d.scheduled { " •" } else { "" },
            reps = d.reps,
            min = num(d.active_minutes, 1, lang),
            sessions = d.sessions,
            pain = d.pain_max.map_or("–".into(), |p| p.to_string()),
            stiff = d.stiffness_max.map_or("–", |s| s.as_str()),
            effort = d.effort_mean.map_or("–".into(), |e| num(e, 1, lang)),
        );
    }
    out.push_str("</table>");
    if model.schedule_days.is_some() {
        let _ = write!(out, "<p class=\"sub\">• {}</p>", escape(l.legend_scheduled));
    }

    let _ = writeln!(
        out,
        "<footer>{}</footer></main></body></html>",
        escape(l.footer)
    );
    out
}

/// Whether the exercise measures a range (taps have none).
fn has_range(e: &ReportExercise) -> bool {
    e.points
        .iter()
        .any(|p| p.max_range.is_some_and(|r| r > 0.0))
}

fn mean(values: impl Iterator<Item = f64>) -> Option<f64> {
    let (sum, n) = values.fold((0.0, 0u32), |(s, n), v| (s + v, n + 1));
    (n > 0).then(|| sum / f64::from(n))
}

/// Loads, builds and renders in one go: the report of `profile_id` over
/// `range`, with `now_ms` deciding the day treated as today.
pub fn therapist_report(
    store: &Store,
    profile_id: i64,
    range: DateRange,
    now_ms: i64,
    language: ReportLanguage,
) -> store::Result<String> {
    let facts = ReportFacts::load(store, profile_id, range)?;
    let today = report_today(now_ms, &facts.sessions);
    Ok(render_html(&build_report(&facts, range, today, language)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::ScheduleSlot;

    /// 2026-03-02 00:00 UTC, a Monday.
    const MONDAY_0H_UTC: i64 = 1_772_409_600_000;
    const HOUR: i64 = 3_600_000;
    const DAY: i64 = 24 * HOUR;

    fn d(s: &str) -> LocalDate {
        s.parse().unwrap()
    }

    fn session(day: i64, reps: u32) -> SessionFact {
        SessionFact {
            started_at_ms: MONDAY_0H_UTC + day * DAY + 17 * HOUR,
            utc_offset_min: 60,
            active_ms: i64::from(reps) * 3_000,
            reps,
            attempts: 2,
        }
    }

    fn block(day: i64, exercise: &str, reps: u32, amplitude: f64) -> BlockFact {
        BlockFact {
            exercise_id: exercise.into(),
            started_at_ms: MONDAY_0H_UTC + day * DAY + 17 * HOUR,
            utc_offset_min: 60,
            active_ms: i64::from(reps) * 3_000,
            reps,
            amplitude_sum: amplitude * f64::from(reps),
            amplitude_max: amplitude * 1.5,
        }
    }

    fn check_in(day: i64, pain: Option<u8>, note: &str) -> CheckIn {
        CheckIn {
            id: day,
            values: crate::store::NewCheckIn {
                profile_id: 1,
                timing: CheckInTiming::Standalone,
                recorded_at_ms: MONDAY_0H_UTC + day * DAY + 18 * HOUR,
                utc_offset_min: 60,
                pain,
                spasticity: Some(Spasticity::OnePlus),
                effort: None,
                note: note.into(),
            },
        }
    }

    /// Mon 2 .. Sun 8 March 2026; schedule Mon/Wed/Fri from the 2nd.
    fn facts(name: &str) -> ReportFacts {
        let slot = |weekday| ScheduleSlot {
            weekday,
            hour: 10,
            minute: 0,
        };
        ReportFacts {
            profile: Profile {
                id: 1,
                name: name.into(),
                affected_side: Side::Left,
                time_zone: "Europe/Madrid".into(),
                created_at_ms: 0,
            },
            // Mon 40, Tue 10, Fri 0 reps but none practised on Wed; a session outside the range.
            sessions: vec![
                session(0, 30),
                session(0, 10),
                session(1, 10),
                session(4, 25),
                session(9, 99),
            ],
            blocks: vec![
                block(0, "wrist_flexion_extension", 30, 0.5),
                block(0, "grip_squeeze", 10, 20.0),
                block(1, "wrist_flexion_extension", 10, 0.6),
                block(4, "wrist_flexion_extension", 25, 0.7),
                block(9, "wrist_flexion_extension", 99, 1.0),
            ],
            check_ins: vec![
                check_in(0, Some(6), "Hurt a bit <b>after</b>"),
                check_in(1, Some(3), "   "),
                check_in(4, Some(4), "Better today"),
                check_in(10, Some(1), "outside the range"),
            ],
            goals: vec![DailyGoal {
                effective_from: d("2026-03-01"),
                reps: Some(20),
                active_minutes: None,
            }],
            schedule: Some(WeeklySchedule {
                effective_from: d("2026-03-02"),
                slots: vec![
                    slot(Weekday::Monday),
                    slot(Weekday::Wednesday),
                    slot(Weekday::Friday),
                    slot(Weekday::Friday),
                ],
            }),
        }
    }

    fn week() -> DateRange {
        DateRange::new(d("2026-03-02"), d("2026-03-08")).unwrap()
    }

    #[test]
    fn the_model_counts_days_against_the_schedule_and_the_goal() {
        let m = build_report(
            &facts("Ana"),
            week(),
            d("2026-03-20"),
            ReportLanguage::English,
        );
        let t = &m.totals;
        assert_eq!((t.reps, t.sessions, t.attempts), (75, 4, 8));
        assert_eq!(t.active_minutes, 75.0 * 3.0 / 60.0);
        assert_eq!((t.days, t.days_practiced), (7, 3));
        // Mon practised, Wed missed, Fri practised.
        assert_eq!((t.scheduled_days, t.scheduled_days_practiced), (3, 2));
        // Goal 20 reps: Mon (40) and Fri (25) met, the other five days not.
        assert_eq!((t.goal_days, t.goal_days_met), (7, 2));
        let reps: Vec<u32> = m.days.iter().map(|d| d.reps).collect();
        assert_eq!(reps, vec![40, 10, 0, 0, 25, 0, 0]);
        let scheduled: Vec<bool> = m.days.iter().map(|d| d.scheduled).collect();
        assert_eq!(
            scheduled,
            vec![true, false, true, false, true, false, false]
        );
        assert_eq!(
            m.schedule_days,
            Some(vec![Weekday::Monday, Weekday::Wednesday, Weekday::Friday])
        );
        assert_eq!(m.days[0].pain_max, Some(6));
        assert_eq!(m.days[0].stiffness_max, Some(Spasticity::OnePlus));
        assert_eq!(m.days[2].pain_max, None);
    }

    #[test]
    fn days_after_today_are_not_judged() {
        // Today is Wednesday and not yet practised: only Monday counts as scheduled.
        let m = build_report(
            &facts("Ana"),
            week(),
            d("2026-03-04"),
            ReportLanguage::English,
        );
        assert_eq!(
            (m.totals.scheduled_days, m.totals.scheduled_days_practiced),
            (1, 1)
        );
        // The per-day reps still cover the whole range.
        assert_eq!(m.totals.reps, 75);
    }

    #[test]
    fn exercises_carry_catalog_names_and_shown_units() {
        let m = build_report(
            &facts("Ana"),
            week(),
            d("2026-03-20"),
            ReportLanguage::Spanish,
        );
        assert_eq!(m.exercises.len(), 2);
        let wrist = m
            .exercises
            .iter()
            .find(|e| e.id == "wrist_flexion_extension")
            .unwrap();
        let es = Catalog::embedded()
            .exercise_text("wrist_flexion_extension", "es")
            .unwrap();
        assert_eq!(wrist.name, es.name);
        assert_eq!(wrist.unit, "°");
        assert_eq!(wrist.reps, 65);
        assert_eq!(wrist.points.len(), 3);
        // Radians are shown in degrees.
        let mean = wrist.points[0].mean_range.unwrap();
        assert!((mean - 0.5f64.to_degrees()).abs() < 1e-9, "{mean}");
        assert!(wrist.mean_range_change_per_week.unwrap() > 0.0);
        let grip = m.exercises.iter().find(|e| e.id == "grip_squeeze").unwrap();
        assert_eq!((grip.unit, grip.points[0].mean_range), ("N", Some(20.0)));
    }

    #[test]
    fn notes_are_the_check_ins_with_text_in_the_range() {
        let m = build_report(
            &facts("Ana"),
            week(),
            d("2026-03-20"),
            ReportLanguage::English,
        );
        let notes: Vec<(LocalDate, &str, &str)> = m
            .notes
            .iter()
            .map(|n| (n.date, n.time.as_str(), n.text.as_str()))
            .collect();
        assert_eq!(
            notes,
            vec![
                (d("2026-03-02"), "19:00", "Hurt a bit <b>after</b>"),
                (d("2026-03-06"), "19:00", "Better today"),
            ]
        );
    }

    #[test]
    fn report_today_never_hides_practice() {
        let sessions = [session(0, 10), session(4, 10)];
        // A clock set back to before the practice: the last practised day.
        assert_eq!(
            report_today(MONDAY_0H_UTC - 30 * DAY, &sessions),
            d("2026-03-06")
        );
        // A later clock: its local day in the latest session's offset (23:30 UTC = 00:30 +1).
        let later = MONDAY_0H_UTC + 9 * DAY + 23 * HOUR + 30 * 60_000;
        assert_eq!(report_today(later, &sessions), d("2026-03-12"));
        assert_eq!(report_today(MONDAY_0H_UTC, &[]), d("2026-03-02"));
    }

    #[test]
    fn escape_neutralises_markup() {
        assert_eq!(
            escape(r#"<script>alert("x")</script> & 'y'"#),
            "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;y&#39;"
        );
        assert_eq!(escape("Ana María"), "Ana María");
    }

    #[test]
    fn the_html_escapes_user_text_and_shows_the_numbers() {
        let html = render_html(&build_report(
            &facts("<script>alert(1)</script>"),
            week(),
            d("2026-03-20"),
            ReportLanguage::English,
        ));
        assert!(!html.contains("<script"), "user text must be escaped");
        assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
        assert!(html.contains("Hurt a bit &lt;b&gt;after&lt;/b&gt;"));
        assert!(!html.contains("http://") && !html.contains("https://"));
        assert!(
            !html.contains("src=") && !html.contains("href="),
            "nothing loaded"
        );
        for expected in [
            r#"data-test="total-reps">75<"#,
            r#"data-test="days-practiced">3<"#,
            r#"data-test="days-in-range">7<"#,
            r#"data-test="scheduled-days-practiced">2<"#,
            r#"data-test="scheduled-days">3<"#,
            r#"data-test="goal-days-met">2<"#,
            r#"data-test="total-active-minutes">4<"#,
            r#"<tr data-date="2026-03-06"><td>Fri 2026-03-06 •</td><td data-test="day-reps">25<"#,
            r#"<tr data-date="2026-03-04" class="missed">"#,
            r#"data-test="bar-reps" data-date="2026-03-02" data-value="40""#,
            "Wrist up and down",
        ] {
            assert!(html.contains(expected), "missing {expected}");
        }
        assert_eq!(html.matches("data-test=\"note\"").count(), 2);
        assert_eq!(html.matches("<svg").count(), 3 + 2 * 2);
    }

    #[test]
    fn spanish_labels_and_decimal_commas() {
        let html = render_html(&build_report(
            &facts("Ana"),
            week(),
            d("2026-03-20"),
            ReportLanguage::Spanish,
        ));
        assert!(html.starts_with("<!DOCTYPE html>\n<html lang=\"es\">"));
        assert!(html.contains("Repeticiones por día"));
        assert!(html.contains("Días con práctica"));
        // Monday: 40 reps × 3 s = 2 min, shown with a comma.
        assert!(html.contains(r#"<td data-test="day-minutes">2,0</td>"#));
        assert!(!html.contains("Repetitions per day"));
    }

    #[test]
    fn an_empty_range_renders() {
        let mut f = facts("Ana");
        f.sessions.clear();
        f.blocks.clear();
        f.check_ins.clear();
        f.schedule = None;
        let html = render_html(&build_report(
            &f,
            week(),
            d("2026-03-20"),
            ReportLanguage::English,
        ));
        assert!(html.contains(r#"data-test="total-reps">0<"#));
        assert!(html.contains("no weekly schedule set"));
        assert!(html.contains("No exercise was practised"));
        assert!(html.contains("No notes in this period."));
        assert!(!html.contains("NaN") && !html.contains("inf"));
    }

    #[test]
    fn language_tags() {
        assert_eq!(ReportLanguage::from_tag("es-MX"), ReportLanguage::Spanish);
        assert_eq!(ReportLanguage::from_tag("ES"), ReportLanguage::Spanish);
        assert_eq!(ReportLanguage::from_tag("en-GB"), ReportLanguage::English);
        assert_eq!(ReportLanguage::from_tag("fr"), ReportLanguage::English);
    }

    #[test]
    fn axes_are_nice() {
        assert_eq!(nice_axis(0.0), (1.0, 1.0));
        assert_eq!(nice_axis(420.0), (500.0, 100.0));
        let (top, step) = nice_axis(37.0);
        assert!(top >= 37.0 && top / step <= 5.0, "{top} {step}");
        let (top, step) = nice_axis(0.3);
        assert!(top >= 0.3 && top / step <= 5.0, "{top} {step}");
    }
}
