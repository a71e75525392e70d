//! How text and numbers are written into the HTML: escaping, numbers with the
//! language's decimal separator, changes and percentages.

use super::ReportLanguage;
use crate::model::LocalDate;

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
pub(super) fn num(x: f64, decimals: usize, language: ReportLanguage) -> String {
    let s = format!("{x:.decimals$}");
    match language {
        ReportLanguage::English => s,
        ReportLanguage::Spanish => s.replace('.', ","),
    }
}

/// A signed change, "+1.2" / "−0.4", or "–" when unknown.
pub(super) fn change(x: Option<f64>, decimals: usize, language: ReportLanguage) -> String {
    match x {
        Some(x) if num(x.abs(), decimals, language) == num(0.0, decimals, language) => {
            num(0.0, decimals, language)
        }
        Some(x) if x >= 0.0 => format!("+{}", num(x, decimals, language)),
        Some(x) => format!("−{}", num(-x, decimals, language)),
        None => "–".into(),
    }
}

pub(super) fn percent(n: u32, of: u32) -> String {
    if of == 0 {
        String::new()
    } else {
        format!(" ({:.0} %)", f64::from(n) * 100.0 / f64::from(of))
    }
}

pub(super) fn short_date(date: LocalDate) -> String {
    date.format("%d/%m").to_string()
}
