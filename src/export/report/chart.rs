//! Chart geometry: inline SVG bar and line charts (axes, ticks, bars, lines).

use super::format::{escape, short_date};
use super::labels::Labels;
use super::{ReportDay, ReportModel};
use crate::model::LocalDate;
use std::fmt::Write as _;

pub(super) const BLUE: &str = "#2f6fb0";
pub(super) const TEAL: &str = "#2a9d8f";
pub(super) const RED: &str = "#c4472b";
pub(super) const ORANGE: &str = "#d9822b";
pub(super) const LIGHT: &str = "#e9f0f7";
pub(super) const PURPLE: &str = "#6a4c93";

/// A "nice" axis top and tick step covering `max`.
pub(super) fn nice_axis(max: f64) -> (f64, f64) {
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
pub(super) struct Plot {
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
pub(super) fn day_bars(
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
pub(super) struct Series<'a> {
    pub(super) points: Vec<(LocalDate, f64)>,
    pub(super) color: &'a str,
    pub(super) dashed: bool,
}

/// A line chart over the report's days with its own y axis (labelled `unit`).
pub(super) fn line_chart(
    model: &ReportModel,
    label: &str,
    unit: &str,
    series: &[Series<'_>],
) -> String {
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
pub(super) fn wellbeing_chart(model: &ReportModel, l: &Labels) -> String {
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
