//! The HTML document: the style sheet, then one function per section.

use super::chart::{
    day_bars, line_chart, wellbeing_chart, Series, BLUE, LIGHT, ORANGE, PURPLE, RED, TEAL,
};
use super::format::{change, escape, num, percent};
use super::labels::{labels, weekday_name, Labels};
use super::model::{has_range, mean};
use super::ReportModel;
use crate::model::{Side, Weekday};
use crate::store::CheckInTiming;
use std::fmt::Write as _;

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

fn card(out: &mut String, test_id: &str, value: &str, key: &str, sub: &str) {
    let _ = write!(
        out,
        "<div class=\"card\"><div class=\"v\" data-test=\"{test_id}\">{value}</div>\
         <div class=\"k\">{key}</div>{sub}</div>",
        key = escape(key),
    );
}

/// Renders the model as one self-contained HTML document, one section after another.
pub fn render_html(model: &ReportModel) -> String {
    let l = labels(model.language);
    let mut out = String::with_capacity(64 * 1024);
    header(&mut out, model, l);
    summary(&mut out, model, l);
    daily_charts(&mut out, model, l);
    wellbeing(&mut out, model, l);
    notes(&mut out, model, l);
    exercises(&mut out, model, l);
    day_table(&mut out, model, l);
    footer(&mut out, l);
    out
}

/// The title, the person, the side and the period.
fn header(out: &mut String, model: &ReportModel, l: &Labels) {
    let lang = model.language;
    let t = &model.totals;
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
}

/// The summary cards: days practised, scheduled days kept, goal days met, totals.
fn summary(out: &mut String, model: &ReportModel, l: &Labels) {
    let lang = model.language;
    let t = &model.totals;
    let _ = write!(out, "<h2>{}</h2><div class=\"cards\">", escape(l.summary));
    card(
        out,
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
                out,
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
            out,
            "scheduled-days-practiced",
            "–",
            l.scheduled_practiced,
            &format!("<div class=\"sub\">{}</div>", escape(l.no_schedule)),
        ),
    }
    if t.goal_days > 0 {
        card(
            out,
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
    card(out, "total-reps", &t.reps.to_string(), l.total_reps, "");
    card(
        out,
        "total-active-minutes",
        &num(t.active_minutes, 0, lang),
        l.active_minutes,
        "",
    );
    card(out, "sessions", &t.sessions.to_string(), l.sessions, "");
    card(out, "attempts", &t.attempts.to_string(), l.attempts, "");
    out.push_str("</div>");
}

/// Reps and active minutes per day, with the schedule legend.
fn daily_charts(out: &mut String, model: &ReportModel, l: &Labels) {
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
}

/// Pain and stiffness next to the reps of each day.
fn wellbeing(out: &mut String, model: &ReportModel, l: &Labels) {
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
}

/// The check-ins' notes, each with its values.
fn notes(out: &mut String, model: &ReportModel, l: &Labels) {
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
}

/// The exercise table and, per exercise, its range and rate charts.
fn exercises(out: &mut String, model: &ReportModel, l: &Labels) {
    let lang = model.language;
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
}

/// One row per day of the range.
fn day_table(out: &mut String, model: &ReportModel, l: &Labels) {
    let lang = model.language;
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
}

/// The closing note.
fn footer(out: &mut String, l: &Labels) {
    let _ = writeln!(
        out,
        "<footer>{}</footer></main></body></html>",
        escape(l.footer)
    );
}
