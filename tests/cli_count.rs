//! `rehab count` as a user runs it: text and `--json` output, a malformed file reported
//! by name and line while the other files are still counted, scalar recordings, units.

use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn rehab_count(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_rehab"))
        .arg("count")
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("run rehab count")
}

const ABD: &str = "tests/data/spar_s1_ABD_left_1.csv";
const ROW: &str = "tests/data/spar_s8_ROW_right_1.csv";

/// A `t_s,value` recording: `reps` slow squeezes of a grip sensor (0 to 30 N and back,
/// 3 s each) after 2 s at rest, at 50 Hz with a little noise.
fn grip_file(dir: &Path, reps: usize) -> PathBuf {
    let mut csv = String::from("t_s,value\n");
    let n = (2.0 + 3.0 * reps as f64 + 2.0) as usize * 50;
    for i in 0..n {
        let t = i as f64 / 50.0;
        let phase = ((t - 2.0) / 3.0).clamp(0.0, reps as f64);
        let force = 15.0 * (1.0 - (2.0 * std::f64::consts::PI * phase).cos());
        let noise = 0.2 * ((i * 7919 % 13) as f64 / 13.0 - 0.5);
        csv.push_str(&format!("{t:.3},{:.3}\n", force + noise));
    }
    let path = dir.join("grip.csv");
    std::fs::write(&path, csv).unwrap();
    path
}

fn json_lines(out: &Output) -> Vec<Value> {
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("not JSON ({e}): {l}")))
        .collect()
}

#[test]
fn text_output_gives_each_files_count() {
    let out = rehab_count(&[ABD]);
    assert!(out.status.success(), "{out:?}");
    let text = String::from_utf8_lossy(&out.stdout);
    let reps: u32 = text
        .trim()
        .strip_prefix(&format!("{ABD}: "))
        .and_then(|r| r.strip_suffix(" reps"))
        .unwrap_or_else(|| panic!("unexpected output: {text}"))
        .parse()
        .unwrap();
    assert!((19..=21).contains(&reps), "20 abductions, counted {reps}");
}

#[test]
fn json_output_has_one_object_per_file_with_reps_times_and_units() {
    let dir = tempfile::tempdir().unwrap();
    let grip = grip_file(dir.path(), 8);
    let grip = grip.to_str().unwrap();
    let out = rehab_count(&["--json", ABD, ROW, grip]);
    assert!(out.status.success(), "{out:?}");
    let lines = json_lines(&out);
    assert_eq!(lines.len(), 3);
    for (line, file) in lines.iter().zip([ABD, ROW, grip]) {
        assert_eq!(line["file"], file, "file as given");
        let events = line["events"].as_array().unwrap();
        let reps = events.iter().filter(|e| e["kind"] == "rep").count() as u64;
        assert_eq!(
            line["reps"].as_u64(),
            Some(reps),
            "{file}: reps = rep events"
        );
        let mut last_end = f64::NEG_INFINITY;
        for e in events {
            let (start, end) = (e["start_s"].as_f64().unwrap(), e["end_s"].as_f64().unwrap());
            assert!(start < end && start >= last_end - 1e-9, "{file}: times {e}");
            assert!(
                e["amplitude"].as_f64().unwrap() > 0.0,
                "{file}: amplitude {e}"
            );
            last_end = end;
        }
    }
    // Abductions: counted on the rotation, in radians throughout.
    let abd = &lines[0];
    assert_eq!(abd["amplitude_unit"], "rad");
    assert!((19..=21).contains(&abd["reps"].as_u64().unwrap()), "{abd}");
    let rad = |e: &&Value| e["amplitude_unit"] == "rad";
    assert!(abd["events"].as_array().unwrap().iter().all(|e| rad(&e)));
    // Upright rows move to the travel channel a few reps in: the first events are in
    // radians, the later ones in metres, and the file ends in metres.
    let row = &lines[1];
    assert_eq!(row["amplitude_unit"], "m");
    let units: Vec<&str> = row["events"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["amplitude_unit"].as_str().unwrap())
        .collect();
    assert_eq!(units.first(), Some(&"rad"), "{units:?}");
    assert_eq!(units.last(), Some(&"m"), "{units:?}");
    let switch = units.iter().position(|&u| u == "m").unwrap();
    assert!(units[switch..].iter().all(|&u| u == "m"), "{units:?}");
    assert!(
        (19..=21).contains(&units.len()),
        "20 rows, {} events",
        units.len()
    );
    // A scalar signal: eight squeezes, in the signal's own unit.
    let g = &lines[2];
    assert_eq!(g["signal"], "scalar");
    assert_eq!(g["amplitude_unit"], "signal");
    assert_eq!(g["reps"], 8, "{g}");
    let events = g["events"].as_array().unwrap();
    assert!(
        events.iter().all(|e| e["amplitude_unit"] == "signal"),
        "{g}"
    );
}

#[test]
fn a_malformed_file_is_named_with_its_line_and_the_others_still_count() {
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("bad.csv");
    std::fs::write(&bad, "t_s,value\n0.0,1.0\n0.02,oops\n0.04,1.0\n").unwrap();
    let bad = bad.to_str().unwrap();
    let grip = grip_file(dir.path(), 5);
    let grip = grip.to_str().unwrap();

    let out = rehab_count(&[bad, grip]);
    assert!(!out.status.success(), "a bad file fails the run");
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains(&format!("{bad}:3:")),
        "file and line named: {err}"
    );
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains(&format!("{grip}: 5 reps")), "{text}");

    let out = rehab_count(&["--json", bad, grip]);
    assert!(
        !out.status.success(),
        "a bad file fails the run with --json too"
    );
    let lines = json_lines(&out);
    assert_eq!(lines.len(), 2);
    assert_eq!(lines[0]["file"], bad);
    assert_eq!(lines[0]["line"], 3);
    assert!(lines[0]["error"].as_str().is_some_and(|e| !e.is_empty()));
    assert_eq!(lines[1]["reps"], 5);
}

#[test]
fn an_unknown_exercise_or_missing_file_is_a_clear_error() {
    let out = rehab_count(&["--exercise", "no_such_exercise", ABD]);
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("no_such_exercise"), "{err}");

    let out = rehab_count(&["tests/data/does_not_exist.csv", ABD]);
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("does_not_exist.csv"), "{err}");
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains(&format!("{ABD}: ")),
        "the other file still counts: {text}"
    );
}

#[cfg(unix)]
#[test]
fn a_device_or_an_endless_line_is_refused_not_read_into_memory() {
    // /dev/zero was read as one line until memory ran out.
    let out = rehab_count(&["/dev/zero", ABD]);
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("/dev/zero: not a regular file"), "{err}");
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains(&format!("{ABD}: ")),
        "the other file counts: {text}"
    );

    // A regular file of one 4 MB line: refused at the cap, with its line.
    let dir = tempfile::tempdir().unwrap();
    let long = dir.path().join("long.csv");
    let mut bytes = b"t_s,value\n".to_vec();
    bytes.resize(4 << 20, b'0');
    std::fs::write(&long, bytes).unwrap();
    let long = long.to_str().unwrap();
    let out = rehab_count(&[long]);
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains(&format!("{long}:2: line longer than")),
        "{err}"
    );
}

#[test]
fn a_recording_whose_time_goes_back_or_pauses_is_still_counted_and_says_so() {
    // A watch recording merged from streams: one sample's time goes back, and the sensor
    // stopped for 15 s in the middle (a pause inside one ~100-sample batch).
    let clean = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join(ABD)).unwrap();
    let mut lines: Vec<String> = clean.lines().map(str::to_string).collect();
    let time = |l: &str| l.split(',').next().unwrap().parse::<f64>().unwrap();
    let with_time = |l: &str, t: f64| {
        let rest = l.split_once(',').unwrap().1;
        format!("{t:.3},{rest}")
    };
    let (a, b) = (time(&lines[500]), time(&lines[501]));
    lines[500] = with_time(&lines[500], b);
    lines[501] = with_time(&lines[501], a);
    for l in lines.iter_mut().skip(1250) {
        *l = with_time(l, time(l) + 15.0);
    }
    let dir = tempfile::tempdir().unwrap();
    let messy = dir.path().join("messy.csv");
    std::fs::write(&messy, lines.join("\n") + "\n").unwrap();
    let messy = messy.to_str().unwrap();

    let reference = json_lines(&rehab_count(&["--json", ABD]));
    let out = rehab_count(&["--json", messy]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let line = &json_lines(&out)[0];
    assert_eq!(
        line["skipped"], 1,
        "the sample whose time went back: {line}"
    );
    assert_eq!(reference[0]["skipped"], 0);
    assert_eq!(
        line["samples"],
        reference[0]["samples"].as_u64().unwrap() - 1
    );
    // The pause ends the movement under way; each half is counted on its own.
    let (reps, clean_reps) = (
        line["reps"].as_u64().unwrap(),
        reference[0]["reps"].as_u64().unwrap(),
    );
    assert!(
        reps.abs_diff(clean_reps) <= 1,
        "{reps} against {clean_reps}"
    );
    let text = String::from_utf8_lossy(&rehab_count(&[messy]).stdout).to_string();
    assert!(
        text.contains("1 samples skipped: their time went back"),
        "{text}"
    );

    // `--strict` refuses it, naming the line.
    let out = rehab_count(&["--strict", messy]);
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains(&format!("{messy}:502: time goes backwards")),
        "{err}"
    );
}
