//! Spreadsheet files for a therapist: sessions, sets, reps and check-ins as
//! four CSV texts (the shell writes the files).
//!
//! Format: RFC 4180 (comma separated, CRLF line ends), written by the `csv`
//! crate with every field quoted and inner quotes doubled, UTF-8 starting with
//! a byte-order mark so Excel reads accents and emoji correctly, one header row.
//! Empty field (`""`) = no value.
//!
//! Formula injection (OWASP "CSV Injection"): every text field (notes,
//! exercise ids, which a custom exercise makes free text, and the words this
//! module writes) that a spreadsheet could run as a formula gets a leading `'`,
//! so it is shown as text. That is a field starting with `=`, `+`, `-`, `@`,
//! `|`, `%`, tab, CR, LF or NUL, with any of their full-width forms (`＝`, `＋`,
//! `－`, `＠`, `｜`, `％`), or one of these after leading whitespace or control
//! characters (`" =1+1"`, `"\n=1+1"`). Numbers this module formats itself
//! (times, counts, offsets such as `-300`, amplitudes) stay numbers.
//!
//! Times appear twice: `*_local` is ISO 8601 local time with the UTC offset the
//! phone reported (`2026-03-29T18:00:00.000+02:00`), `*_utc_ms` is UTC
//! milliseconds since 1970. Sets and reps use their session's offset.
//!
//! Columns and units (`docs/csv.md` is owned by the docs writer; this is the
//! reference):
//!
//! `sessions.csv`: `session_id`, `started_local`, `started_utc_ms`,
//! `ended_local`, `ended_utc_ms` (empty while active), `utc_offset_min`
//! (minutes), `status` (active / finished / abandoned), `active_seconds`
//! (seconds spent moving), `sets`, `reps`, `attempts` (counts).
//!
//! `sets.csv` (one exercise block each): `set_id`, `session_id`, `position`
//! (1 = first set of the session), `exercise_id` (catalog id), `side` (left /
//! right / both / none), `started_local`, `started_utc_ms`, `ended_local`,
//! `ended_utc_ms`, `active_seconds`, `target_reps` (count), `target_range`,
//! `reps`, `reps_reaching_target`, `attempts` (counts), `mean_amplitude`,
//! `max_amplitude`. Ranges and amplitudes are in the exercise's signal unit:
//! radians of rotation for phone-motion exercises, degrees for camera joint
//! angles (see the catalog's `Signal::range_unit`); compare them within one
//! exercise only.
//!
//! `reps.csv` (one movement each): `kind` (rep = counted, attempt = started like
//! a rep but did not count), `id` (unique per kind), `set_id`, `session_id`,
//! `exercise_id`, `started_local`, `started_utc_ms`, `ended_utc_ms`,
//! `duration_seconds`, `amplitude` (exercise unit), `peak_speed` (exercise unit
//! per second), `reached_target` (yes / no; empty for attempts).
//!
//! `check_ins.csv`: `check_in_id`, `session_id` (empty when standalone),
//! `timing` (before / after / standalone), `recorded_local`, `recorded_utc_ms`,
//! `utc_offset_min`, `pain_0_10` (numeric rating scale), `spasticity_mas`
//! (Modified Ashworth: 0, 1, 1+, 2, 3, 4), `effort_0_10` (Borg CR10), `note`.

use crate::progress::DateRange;
use crate::store::export_queries::{HistoryWindow, ProfileHistory};
use crate::store::{Result, Store};
use chrono::{DateTime, FixedOffset};
use csv::{QuoteStyle, Terminator, WriterBuilder};
use std::fmt::Write as _;

/// The four CSV texts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CsvFiles {
    /// `sessions.csv`.
    pub sessions: String,
    /// `sets.csv`.
    pub sets: String,
    /// `reps.csv` (reps and attempts).
    pub reps: String,
    /// `check_ins.csv`.
    pub check_ins: String,
}

/// One profile's sessions started, and check-ins recorded, on the local days
/// of `range` (each judged with its own UTC offset), with everything else of
/// the profile (calibrations, goals, schedule).
pub fn history_in_range(
    store: &Store,
    profile_id: i64,
    range: DateRange,
) -> Result<ProfileHistory> {
    let (from_ms, to_ms) = range.utc_window();
    let mut h = store
        .profile_histories(Some(profile_id), HistoryWindow { from_ms, to_ms })?
        .pop()
        .ok_or(crate::store::StoreError::NotFound {
            what: "profile",
            id: profile_id,
        })?;
    h.sessions.retain(|s| {
        range
            .index(crate::model::local_date(s.started_at_ms, s.utc_offset_min))
            .is_some()
    });
    h.check_ins.retain(|c| {
        range
            .index(crate::model::local_date(c.recorded_at_ms, c.utc_offset_min))
            .is_some()
    });
    Ok(h)
}

/// ISO 8601 local time with offset, e.g. `2026-03-29T18:00:00.000+02:00`
/// (empty for a time chrono cannot represent, which validation keeps out).
pub fn local_iso(utc_ms: i64, utc_offset_min: i32) -> String {
    let offset =
        FixedOffset::east_opt(utc_offset_min * 60).unwrap_or(FixedOffset::east_opt(0).expect("0"));
    DateTime::from_timestamp_millis(utc_ms)
        .map(|t| {
            t.with_timezone(&offset)
                .format("%Y-%m-%dT%H:%M:%S%.3f%:z")
                .to_string()
        })
        .unwrap_or_default()
}

/// Characters that make a spreadsheet read a field as a formula (or a DDE
/// command) when they start it: OWASP's list, `|` and `%`, and the full-width
/// forms that East Asian spreadsheets accept as the same operators.
const FORMULA_STARTS: [char; 16] = [
    '=', '+', '-', '@', '|', '%', '\t', '\r', '\n', '\0', '＝', '＋', '－', '＠', '｜', '％',
];

/// Free text, defused against formula injection: a leading `'` when the field
/// starts with a formula character, or has one after leading whitespace or
/// control characters.
fn text(value: &str) -> String {
    let first = value.chars().next();
    let after_blanks = value
        .chars()
        .find(|c| !(c.is_whitespace() || c.is_control()));
    let starts_formula = |c: Option<char>| c.is_some_and(|c| FORMULA_STARTS.contains(&c));
    if starts_formula(first) || starts_formula(after_blanks) {
        format!("'{value}")
    } else {
        value.to_string()
    }
}

/// One CSV file being written: the BOM, then CRLF rows with every field quoted.
struct Table(csv::Writer<Vec<u8>>);

impl Table {
    fn new(header: &[&str]) -> Self {
        let out = "\u{feff}".as_bytes().to_vec();
        let mut table = Table(
            WriterBuilder::new()
                .quote_style(QuoteStyle::Always)
                .terminator(Terminator::CRLF)
                .from_writer(out),
        );
        table.row(&header.iter().map(|h| h.to_string()).collect::<Vec<_>>());
        table
    }

    fn row(&mut self, fields: &[String]) {
        // Writing to memory cannot fail, and every row has the header's width.
        self.0
            .write_record(fields)
            .expect("a CSV row is written to memory");
    }

    fn finish(self) -> String {
        let bytes = self
            .0
            .into_inner()
            .expect("a CSV file is written to memory");
        String::from_utf8(bytes).expect("CSV of UTF-8 fields is UTF-8")
    }
}

fn opt<T: ToString>(v: Option<T>) -> String {
    v.map(|v| v.to_string()).unwrap_or_default()
}

fn seconds(ms: i64) -> String {
    format!("{:.3}", ms as f64 / 1000.0)
}

fn number(x: f64) -> String {
    let mut s = String::new();
    let _ = write!(s, "{:.4}", x);
    s
}

/// The four files for the given history (already limited to a date range).
pub fn export(h: &ProfileHistory) -> CsvFiles {
    let mut sessions = Table::new(&[
        "session_id",
        "started_local",
        "started_utc_ms",
        "ended_local",
        "ended_utc_ms",
        "utc_offset_min",
        "status",
        "active_seconds",
        "sets",
        "reps",
        "attempts",
    ]);
    let mut sets = Table::new(&[
        "set_id",
        "session_id",
        "position",
        "exercise_id",
        "side",
        "started_local",
        "started_utc_ms",
        "ended_local",
        "ended_utc_ms",
        "active_seconds",
        "target_reps",
        "target_range",
        "reps",
        "reps_reaching_target",
        "attempts",
        "mean_amplitude",
        "max_amplitude",
    ]);
    let mut reps = Table::new(&[
        "kind",
        "id",
        "set_id",
        "session_id",
        "exercise_id",
        "started_local",
        "started_utc_ms",
        "ended_utc_ms",
        "duration_seconds",
        "amplitude",
        "peak_speed",
        "reached_target",
    ]);
    let mut check_ins = Table::new(&[
        "check_in_id",
        "session_id",
        "timing",
        "recorded_local",
        "recorded_utc_ms",
        "utc_offset_min",
        "pain_0_10",
        "spasticity_mas",
        "effort_0_10",
        "note",
    ]);
    for s in &h.sessions {
        let off = s.utc_offset_min;
        let rep_count: usize = s.blocks.iter().map(|b| b.reps.len()).sum();
        let attempt_count: usize = s.blocks.iter().map(|b| b.attempts.len()).sum();
        sessions.row(&[
            s.id.to_string(),
            local_iso(s.started_at_ms, off),
            s.started_at_ms.to_string(),
            opt(s.ended_at_ms.map(|t| local_iso(t, off))),
            opt(s.ended_at_ms),
            off.to_string(),
            text(&s.status),
            seconds(s.active_ms),
            s.blocks.len().to_string(),
            rep_count.to_string(),
            attempt_count.to_string(),
        ]);
        for b in &s.blocks {
            let n = b.reps.len();
            let sum: f64 = b.reps.iter().map(|r| r.amplitude).sum();
            let max = b
                .reps
                .iter()
                .map(|r| r.amplitude)
                .fold(None, |m: Option<f64>, a| Some(m.map_or(a, |m| m.max(a))));
            sets.row(&[
                b.id.to_string(),
                s.id.to_string(),
                b.position.to_string(),
                text(&b.exercise_id),
                b.side.as_str().into(),
                local_iso(b.started_at_ms, off),
                b.started_at_ms.to_string(),
                opt(b.ended_at_ms.map(|t| local_iso(t, off))),
                opt(b.ended_at_ms),
                seconds(b.active_ms),
                opt(b.target_reps),
                opt(b.target_range.map(number)),
                n.to_string(),
                b.reps
                    .iter()
                    .filter(|r| r.target_reached)
                    .count()
                    .to_string(),
                b.attempts.len().to_string(),
                opt((n > 0).then(|| number(sum / n as f64))),
                opt(max.map(number)),
            ]);
            let movements = b
                .reps
                .iter()
                .map(|r| {
                    (
                        "rep",
                        r.id,
                        r.started_at_ms,
                        r.ended_at_ms,
                        r.amplitude,
                        r.peak_speed,
                        Some(r.target_reached),
                    )
                })
                .chain(b.attempts.iter().map(|a| {
                    (
                        "attempt",
                        a.id,
                        a.started_at_ms,
                        a.ended_at_ms,
                        a.amplitude,
                        a.peak_speed,
                        None,
                    )
                }));
            for (kind, id, t0, t1, amplitude, speed, reached) in movements {
                reps.row(&[
                    kind.into(),
                    id.to_string(),
                    b.id.to_string(),
                    s.id.to_string(),
                    text(&b.exercise_id),
                    local_iso(t0, off),
                    t0.to_string(),
                    t1.to_string(),
                    seconds(t1 - t0),
                    number(amplitude),
                    number(speed),
                    opt(reached.map(|r| if r { "yes" } else { "no" })),
                ]);
            }
        }
    }
    for c in &h.check_ins {
        check_ins.row(&[
            c.id.to_string(),
            opt(c.session_id),
            text(&c.timing),
            local_iso(c.recorded_at_ms, c.utc_offset_min),
            c.recorded_at_ms.to_string(),
            c.utc_offset_min.to_string(),
            opt(c.pain),
            opt(c.spasticity.as_deref().map(text)),
            opt(c.effort),
            text(&c.note),
        ]);
    }
    CsvFiles {
        sessions: sessions.finish(),
        sets: sets.finish(),
        reps: reps.finish(),
        check_ins: check_ins.finish(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::export::backup::tests::{seed, temp_store};

    /// A minimal RFC 4180 reader, to check the writer against.
    fn parse(text: &str) -> Vec<Vec<String>> {
        let text = text.strip_prefix('\u{feff}').expect("starts with a BOM");
        let (mut rows, mut row, mut f) = (vec![], vec![], String::new());
        let mut chars = text.chars().peekable();
        let mut quoted = false;
        while let Some(c) = chars.next() {
            match (quoted, c) {
                (true, '"') if chars.peek() == Some(&'"') => {
                    chars.next();
                    f.push('"');
                }
                (true, '"') => quoted = false,
                (true, c) => f.push(c),
                (false, '"') if f.is_empty() => quoted = true,
                (false, ',') => row.push(std::mem::take(&mut f)),
                (false, '\r') => {
                    assert_eq!(chars.next(), Some('\n'), "CR is followed by LF");
                    row.push(std::mem::take(&mut f));
                    rows.push(std::mem::take(&mut row));
                }
                (false, '\n') => panic!("bare LF outside quotes"),
                (false, c) => f.push(c),
            }
        }
        assert!(
            f.is_empty() && row.is_empty(),
            "the last line ends with CRLF"
        );
        rows
    }

    fn files() -> CsvFiles {
        let (_d, s) = temp_store();
        let id = seed(&s, "Ana");
        let range =
            DateRange::new("2026-03-29".parse().unwrap(), "2026-04-05".parse().unwrap()).unwrap();
        export(&history_in_range(&s, id, range).unwrap())
    }

    #[test]
    fn every_row_has_the_header_width_and_values_read_back() {
        let f = files();
        for (name, text, rows) in [
            ("sessions", &f.sessions, 4),
            ("sets", &f.sets, 6),
            // header + two sessions of 7 reps and 2 attempts + the active session's rep
            ("reps", &f.reps, 1 + 2 * (7 + 2) + 1),
            ("check_ins", &f.check_ins, 3),
        ] {
            let parsed = parse(text);
            assert_eq!(parsed.len(), rows, "{name} rows");
            assert!(
                parsed.iter().all(|r| r.len() == parsed[0].len()),
                "{name} widths"
            );
        }
        let sessions = parse(&f.sessions);
        assert_eq!(sessions[0][1], "started_local");
        // 2026-03-29T16:00Z seen at +01:00, then the next day at +02:00.
        assert_eq!(sessions[1][1], "2026-03-29T17:00:00.000+01:00");
        assert_eq!(sessions[2][1], "2026-03-30T18:00:00.000+02:00");
        assert_eq!(sessions[1][7], "90.000");
        assert_eq!(sessions[1][9], "7");
        assert_eq!(sessions[3][6], "active");
        assert_eq!(sessions[3][4], "", "an active session has no end");
        let check_ins = parse(&f.check_ins);
        let note = check_ins.iter().find(|r| r[2] == "before").unwrap();
        assert_eq!(
            note[9], "dolor, \"rígido\"\nmañana 🙂",
            "quotes, comma, newline, unicode survive"
        );
        assert_eq!(note[7], "1+");
        let formula = check_ins.iter().find(|r| r[2] == "standalone").unwrap();
        assert_eq!(formula[9], "'=SUM(A1)", "a formula is defused");
        let reps = parse(&f.reps);
        assert!(reps.iter().any(|r| r[0] == "attempt" && r[11].is_empty()));
        assert!(reps.iter().any(|r| r[0] == "rep" && r[11] == "yes"));
        assert_eq!(reps[1][8], "2.500");
    }

    #[test]
    fn the_date_range_limits_sessions_and_check_ins() {
        let (_d, s) = temp_store();
        let id = seed(&s, "Ana");
        let day = "2026-03-29".parse().unwrap();
        let h = history_in_range(&s, id, DateRange::new(day, day).unwrap()).unwrap();
        assert_eq!(h.sessions.len(), 1);
        assert_eq!(
            h.check_ins.len(),
            1,
            "only the standalone check-in is on the 29th"
        );
        let f = export(&h);
        assert_eq!(parse(&f.sessions).len(), 2);
    }

    #[test]
    fn every_field_is_quoted_with_inner_quotes_doubled() {
        let mut t = Table::new(&["a", "b"]);
        t.row(&["b,c".into(), "say \"hi\"".into()]);
        t.row(&["x\ny".into(), "".into()]);
        assert_eq!(
            t.finish(),
            "\u{feff}\"a\",\"b\"\r\n\"b,c\",\"say \"\"hi\"\"\"\r\n\"x\ny\",\"\"\r\n"
        );
        // In the real files too: with every field quoted, a line of n fields
        // has n - 1 `","` separators (lines here hold no quote or comma inside
        // a field, except the note that spans two lines).
        let f = files();
        for text in [&f.sessions, &f.sets, &f.reps, &f.check_ins] {
            let width = parse(text)[0].len();
            let body = text.strip_prefix('\u{feff}').unwrap();
            for line in body
                .split("\r\n")
                .filter(|l| !l.is_empty() && !l.contains('\n'))
            {
                assert!(line.starts_with('"') && line.ends_with('"'), "{line}");
                assert_eq!(line.matches("\",\"").count(), width - 1, "{line}");
            }
        }
    }

    /// Each case OWASP's CSV-injection guidance names, and the variants that
    /// slipped through before: leading whitespace, LF, full-width forms, `|`, `%`.
    #[test]
    fn formula_starts_are_defused_case_by_case() {
        let mut missed = Vec::new();
        for (case, value) in [
            ("=", "=1+1"),
            ("+", "+1+1"),
            ("-", "-1+1"),
            ("@", "@SUM(A1:A2)"),
            ("tab", "\t=1+1"),
            ("CR", "\r=1+1"),
            ("LF", "\n=1+1"),
            ("NUL", "\0=1+1"),
            ("|", "|cmd /c calc"),
            ("%", "%0A=1+1"),
            ("space then =", " =1+1"),
            ("spaces then +", "   +1"),
            ("no-break space then @", "\u{a0}@SUM(A1)"),
            ("LF then =", "\n=HYPERLINK(\"x\")"),
            ("CR LF then -", "\r\n-1"),
            ("full-width =", "＝1+1"),
            ("full-width +", "＋1"),
            ("full-width -", "－1"),
            ("full-width @", "＠SUM(A1)"),
            ("full-width |", "｜cmd"),
            ("full-width %", "％1"),
            ("ideographic space then full-width =", "\u{3000}＝1+1"),
        ] {
            if text(value) != format!("'{value}") {
                missed.push(case);
            }
        }
        assert!(missed.is_empty(), "not defused: {missed:?}");
        for value in ["ok", " ok", "dolor = 3", "3-2", "", "'quoted", "100%"] {
            assert_eq!(text(value), value, "{value:?} is left as it is");
        }
    }

    #[test]
    fn injected_text_is_defused_in_every_file_and_numbers_stay_numbers() {
        let (_d, s) = temp_store();
        let id = seed(&s, "Ana");
        let range =
            DateRange::new("2026-03-29".parse().unwrap(), "2026-04-05".parse().unwrap()).unwrap();
        let mut h = history_in_range(&s, id, range).unwrap();
        for c in &mut h.check_ins {
            c.note = " =HYPERLINK(\"http://x\")".into();
        }
        h.sessions[0].blocks[0].exercise_id = "＝1+1".into();
        h.sessions[0].utc_offset_min = -300;
        let f = export(&h);
        for row in &parse(&f.check_ins)[1..] {
            assert_eq!(row[9], "' =HYPERLINK(\"http://x\")");
        }
        assert_eq!(parse(&f.sets)[1][3], "'＝1+1");
        assert!(parse(&f.reps).iter().any(|r| r[4] == "'＝1+1"));
        let sessions = parse(&f.sessions);
        assert_eq!(sessions[1][5], "-300", "a negative offset stays a number");
        assert!(sessions[1][1].ends_with("-05:00"));
    }
}
