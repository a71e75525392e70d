//! The therapist's report: one self-contained HTML file for a date range.
//!
//! Two steps: [`build_report`] turns stored facts into a plain [`ReportModel`]
//! (pure, reusing [`crate::progress`]), and [`render_html`] writes it as HTML
//! with inline CSS and inline SVG charts: no script, no external URL, so it
//! opens offline in any browser and prints well. Every user text is escaped.
//! Key numbers carry `data-test` attributes so tests can find them.
//!
//! One job per file: `model` (facts in, plain model out), `labels` (English and
//! Spanish words), `chart` (SVG geometry), `html` (the style sheet and one function
//! per section), `format` (escaping and numbers).
//!
//! Escaping: every text that reaches the HTML goes through [`escape`] where it is
//! written; the tests inject markup into every user text (name, notes, exercise
//! names) and check none survives. A template crate (maud, askama) was weighed and
//! not taken: the document is one page of sections whose numbers and SVG are
//! formatted in Rust either way, and a proc-macro template engine would add a build
//! dependency to the mobile library for no change in what the page shows.

mod chart;
mod format;
mod html;
mod labels;
mod model;
#[cfg(test)]
mod tests;

pub use format::escape;
pub use html::render_html;
pub use model::{
    build_report, report_today, ReportDay, ReportExercise, ReportFacts, ReportLanguage,
    ReportModel, ReportNote, ReportTotals, ReportTrendPoint,
};

use crate::progress::DateRange;
use crate::store::{self, Store};

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
