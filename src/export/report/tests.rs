//! The report's tests: the model from facts, and the HTML (escaping, numbers, labels).

use super::chart::nice_axis;
use super::*;
use crate::model::{
    BlockFact, DailyGoal, LocalDate, ScheduleSlot, SessionFact, Side, Spasticity, Weekday,
    WeeklySchedule,
};
use crate::routine::Catalog;
use crate::store::{CheckIn, CheckInTiming, Profile};

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

#[test]
fn injected_markup_in_every_user_text_stays_text() {
    let evil = r#""><img src=x onerror=alert(1)><svg onload=alert(2)>'"#;
    let mut f = facts(evil);
    for c in &mut f.check_ins {
        c.values.note = evil.into();
    }
    // An exercise the catalog does not know shows its stored id.
    for b in &mut f.blocks {
        b.exercise_id = format!("x{evil}");
    }
    for language in [ReportLanguage::English, ReportLanguage::Spanish] {
        let html = render_html(&build_report(&f, week(), d("2026-03-20"), language));
        assert!(
            !html.contains("<img"),
            "{language:?}: an element was injected"
        );
        assert!(
            !html.contains("<svg onload"),
            "{language:?}: an element was injected"
        );
        assert!(html.contains("&quot;&gt;&lt;img src=x onerror=alert(1)&gt;"));
        assert!(
            html.matches("&lt;svg onload=alert(2)&gt;&#39;").count() >= 3,
            "{language:?}: the name, the notes and the exercise all shown as text"
        );
    }
}
