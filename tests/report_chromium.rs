//! The therapist report rendered by a real browser: `rehab demo` fills a
//! database, `rehab report` (and the exported `therapist_report`) write the
//! HTML, headless Chromium renders it, and the numbers it shows are checked
//! against sums computed here straight from the database with SQL.
//!
//! Needs Debian's `chromium` (`scripts/toolchains.sh chromium`; `scripts/test.sh`
//! installs it). Set `REHAB_SKIP_CHROMIUM=1` to skip on a machine without it.

use rehab_core::ffi::{NewCheckIn, RehabCore};
use rehab_core::model::{LocalDate, ScheduleSlot, Side, Weekday, WeeklySchedule};
use rehab_core::store::{CheckInTiming, NewProfile, Store};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const CHROMIUM: &str = "/usr/bin/chromium";

/// The Chromium binary, or None when the test is explicitly skipped.
fn chromium() -> Option<&'static str> {
    if Path::new(CHROMIUM).exists() {
        return Some(CHROMIUM);
    }
    if std::env::var("REHAB_SKIP_CHROMIUM").as_deref() == Ok("1") {
        eprintln!("skipping: {CHROMIUM} is absent and REHAB_SKIP_CHROMIUM=1");
        return None;
    }
    panic!(
        "{CHROMIUM} not found: run `scripts/toolchains.sh chromium` (scripts/test.sh does), \
         or set REHAB_SKIP_CHROMIUM=1 to skip this test"
    );
}

/// Runs headless Chromium offline on `html` with `mode` arguments; returns stdout.
fn run_chromium(bin: &str, html: &Path, mode: &[String]) -> String {
    let scratch = tempfile::tempdir().unwrap();
    // Stdout goes to a file: a pipe nobody reads while we wait would fill up.
    let stdout_path = scratch.path().join("stdout");
    let stdout = std::fs::File::create(&stdout_path).unwrap();
    let mut child = Command::new(bin)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--hide-scrollbars",
        ])
        .arg(format!(
            "--user-data-dir={}",
            scratch.path().join("profile").display()
        ))
        .args(mode)
        .arg(format!("file://{}", html.display()))
        .stdin(Stdio::null())
        .stdout(stdout)
        .stderr(Stdio::null())
        .spawn()
        .expect("start chromium");
    let deadline = Instant::now() + Duration::from_secs(60);
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            let _ = child.wait();
            panic!("chromium did not finish within 60 s");
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    assert!(status.success(), "chromium failed: {status:?}");
    std::fs::read_to_string(&stdout_path).unwrap()
}

/// The text of the first element with `data-test="id"` after `from` in the DOM.
fn shown_after(dom: &str, from: usize, id: &str) -> String {
    let marker = format!("data-test=\"{id}\"");
    let at = dom[from..]
        .find(&marker)
        .unwrap_or_else(|| panic!("no {marker} in the rendered page"))
        + from;
    let start = dom[at..].find('>').unwrap() + at + 1;
    let end = dom[start..].find('<').unwrap() + start;
    dom[start..end].to_string()
}

fn shown(dom: &str, id: &str) -> String {
    shown_after(dom, 0, id)
}

/// Reps and active ms per local day, straight from the sessions table.
fn days_from_sql(db: &Path, profile_id: i64) -> BTreeMap<LocalDate, (i64, i64)> {
    let conn = rusqlite::Connection::open(db).unwrap();
    let mut stmt = conn
        .prepare(
            "SELECT date((started_at_ms + utc_offset_min * 60000) / 1000, 'unixepoch') AS day,
                    sum(rep_count), sum(active_ms)
               FROM sessions WHERE profile_id = ?1 GROUP BY day",
        )
        .unwrap();
    let rows = stmt
        .query_map([profile_id], |r| {
            let day: String = r.get(0)?;
            Ok((day.parse().unwrap(), (r.get(1)?, r.get(2)?)))
        })
        .unwrap();
    rows.collect::<Result<_, _>>().unwrap()
}

#[test]
fn chromium_shows_the_numbers_of_the_demo_history() {
    let Some(bin) = chromium() else { return };
    let t0 = Instant::now();
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("rehab.db");
    let rehab = env!("CARGO_BIN_EXE_rehab");
    for _ in 0..4 {
        let status = Command::new(rehab)
            .args(["demo", "--quiet", "--db"])
            .arg(&db)
            .stdout(Stdio::null())
            .status()
            .unwrap();
        assert!(status.success());
    }
    // A schedule from three days before the first practice: some scheduled days
    // are missed, some practised.
    let days = days_from_sql(&db, 1);
    assert_eq!(days.len(), 4, "one demo day per run");
    let first = *days.keys().next().unwrap();
    let last = *days.keys().last().unwrap();
    let scheduled_weekdays = [
        Weekday::Monday,
        Weekday::Wednesday,
        Weekday::Friday,
        Weekday::Sunday,
    ];
    let schedule_from = first - chrono::Days::new(3);
    {
        let store = Store::open(&db).unwrap();
        let schedule = WeeklySchedule {
            effective_from: schedule_from,
            slots: scheduled_weekdays
                .iter()
                .map(|&weekday| ScheduleSlot {
                    weekday,
                    hour: 10,
                    minute: 0,
                })
                .collect(),
        };
        store.set_weekly_schedule(1, &schedule, 0).unwrap();
    }

    // The CLI with its default range: 28 days ending on the last practised day.
    let html = dir.path().join("report.html");
    let out = Command::new(rehab)
        .args(["report", "--db"])
        .arg(&db)
        .arg("--out")
        .arg(&html)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = std::fs::read_to_string(&html).unwrap();
    assert!(!text.contains("http://") && !text.contains("https://"));

    let dom = run_chromium(bin, &html, &["--dump-dom".into()]);
    assert!(dom.contains("</html>"), "no DOM dumped");
    let from = last - chrono::Days::new(27);
    assert_eq!(shown(&dom, "from"), from.to_string());
    assert_eq!(shown(&dom, "to"), last.to_string());
    assert_eq!(shown(&dom, "name"), "Demo");

    let total_reps: i64 = days.values().map(|d| d.0).sum();
    let total_ms: i64 = days.values().map(|d| d.1).sum();
    assert!(total_reps > 100, "the demo practised");
    assert_eq!(shown(&dom, "total-reps"), total_reps.to_string());
    assert_eq!(
        shown(&dom, "total-active-minutes"),
        format!("{:.0}", total_ms as f64 / 60_000.0)
    );
    assert_eq!(shown(&dom, "days-practiced"), "4");
    assert_eq!(shown(&dom, "days-in-range"), "28");

    // Scheduled days from the schedule's start to the last practised day.
    let (mut scheduled, mut practised) = (0, 0);
    for day in schedule_from.iter_days().take_while(|d| *d <= last) {
        if scheduled_weekdays.contains(&Weekday::of(day)) {
            scheduled += 1;
            practised += u32::from(days.contains_key(&day));
        }
    }
    assert!(
        scheduled > practised && practised > 0,
        "{practised} of {scheduled}"
    );
    assert_eq!(shown(&dom, "scheduled-days"), scheduled.to_string());
    assert_eq!(
        shown(&dom, "scheduled-days-practiced"),
        practised.to_string()
    );

    // Every day of the range in the day table, and its bar in the chart.
    for day in from.iter_days().take(28) {
        let (reps, _) = days.get(&day).copied().unwrap_or((0, 0));
        let row = dom
            .find(&format!("<tr data-date=\"{day}\""))
            .unwrap_or_else(|| panic!("no row for {day}"));
        assert_eq!(
            shown_after(&dom, row, "day-reps"),
            reps.to_string(),
            "{day}"
        );
        let bar = format!("data-test=\"bar-reps\" data-date=\"{day}\" data-value=\"{reps}\"");
        assert!(dom.contains(&bar), "missing {bar}");
    }
    // Per-exercise reps add up to the total.
    let mut exercise_reps = 0i64;
    let mut at = 0;
    while let Some(i) = dom[at..].find("data-test=\"exercise-reps\"") {
        exercise_reps += shown_after(&dom, at + i, "exercise-reps")
            .parse::<i64>()
            .unwrap();
        at += i + 1;
    }
    assert_eq!(exercise_reps, total_reps);

    let png = dir.path().join("report.png");
    run_chromium(
        bin,
        &html,
        &[
            format!("--screenshot={}", png.display()),
            "--window-size=1200,2400".into(),
        ],
    );
    let bytes = std::fs::read(&png).expect("a screenshot");
    assert!(bytes.starts_with(b"\x89PNG\r\n\x1a\n") && bytes.len() > 20_000);
    eprintln!(
        "chromium report test took {:.1} s",
        t0.elapsed().as_secs_f64()
    );
}

#[test]
fn chromium_shows_user_text_as_text_in_spanish() {
    let Some(bin) = chromium() else { return };
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("rehab.db");
    let core = RehabCore::new(db.display().to_string()).unwrap();
    let runtime = tokio::runtime::Builder::new_current_thread()
        .build()
        .unwrap();
    let name = "<script>document.title='x'</script> Ana";
    let note = "<img src=x onerror=alert(1)> me dolió & paré";
    let (profile, html) = runtime.block_on(async {
        let profile = core
            .create_profile(NewProfile {
                name: name.into(),
                affected_side: Side::Right,
                time_zone: "Europe/Madrid".into(),
            })
            .await
            .unwrap();
        core.record_check_in(NewCheckIn {
            profile_id: profile.id,
            timing: CheckInTiming::Standalone,
            // 2026-03-03 10:00 UTC.
            recorded_at: std::time::UNIX_EPOCH + Duration::from_millis(1_772_532_000_000),
            utc_offset_min: 60,
            pain: Some(4),
            spasticity: None,
            effort: None,
            note: note.into(),
        })
        .await
        .unwrap();
        let html = core
            .therapist_report(
                profile.id,
                "2026-03-01".parse().unwrap(),
                "2026-03-07".parse().unwrap(),
                "es-ES".into(),
            )
            .await
            .unwrap();
        (profile, html)
    });
    assert!(profile.id > 0);
    let file: PathBuf = dir.path().join("report.html");
    std::fs::write(&file, &html).unwrap();
    let dom = run_chromium(bin, &file, &["--dump-dom".into()]);
    // The browser saw text, not elements: no script ran, no image was made.
    assert!(
        !dom.contains("<script") && !dom.contains("<img"),
        "markup from user text"
    );
    assert_eq!(
        shown(&dom, "name"),
        "&lt;script&gt;document.title='x'&lt;/script&gt; Ana"
    );
    assert_eq!(
        shown(&dom, "note"),
        "&lt;img src=x onerror=alert(1)&gt; me dolió &amp; paré"
    );
    assert!(dom.contains("<title>Informe de práctica en casa"));
    assert!(dom.contains("Días con práctica"));
    assert_eq!(shown(&dom, "total-reps"), "0");
    assert_eq!(shown(&dom, "days-in-range"), "7");
    let row = dom.find("<tr data-date=\"2026-03-03\"").unwrap();
    assert_eq!(shown_after(&dom, row, "day-pain"), "4");
}
