//! Counting accuracy on the shared recordings with ground-truth counts.
//!
//! `cargo bench --bench accuracy` reads `../shared/data/manifest.csv` (relative to the
//! crate; override the folder with `REHAB_DATA`) and prints, per dataset and per subject
//! group, the exact-count rate, within-one rate, mean absolute error and MAPE. One parameter
//! set (`CounterConfig::default()`) for every file. `REHAB_VERBOSE=1` lists every file (and
//! marks those counted on the accelerometer at the end).
//! `REHAB_RESAMPLE_HZ=100` first resamples every recording to that rate (linear
//! interpolation, jittered timestamps), to check that counts do not depend on the device's
//! sample rate. `REHAB_DUMP=dir` writes, per file, `<name>.pos` (time, counted position after each batch)
//! and `<name>.ev` (start, end, amplitude of each counted movement) for plotting misses.
//! `REHAB_DATA=$(scripts/heldout-data.sh)` runs it on SPAR subjects 7-10 instead, which
//! are not in ../shared/data.
//!
//! SPAR's `true_reps` is the protocol's 20 for every set, not a count of the recording.
//! `benches/recount/spar_recount.csv` holds a blind recount of 36 SPAR sets (the 18 the
//! counter missed at the time and 18 random others, two independent raters per set who saw
//! neither the labels nor the counter's output; see `benches/recount/README.md`): the
//! cycles of movement each recording holds. The bench also scores those 36 sets against
//! that recount (the raters' mean, rounded), next to the manifest on the same sets.

use rehab_core::counting::{CounterConfig, RepCounter, RepEvent};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// Per-group tallies.
#[derive(Default)]
struct Tally {
    files: u32,
    exact: u32,
    within_one: u32,
    abs_err: f64,
    abs_pct: f64,
}

impl Tally {
    fn add(&mut self, got: i64, truth: i64) {
        let err = (got - truth).abs();
        self.files += 1;
        self.exact += u32::from(err == 0);
        self.within_one += u32::from(err <= 1);
        self.abs_err += err as f64;
        self.abs_pct += 100.0 * err as f64 / truth.max(1) as f64;
    }

    fn row(&self, name: &str) -> String {
        let n = f64::from(self.files.max(1));
        format!(
            "{name:<22} {:>5} {:>7.1}% {:>9.1}% {:>6.2} {:>6.2}%",
            self.files,
            100.0 * f64::from(self.exact) / n,
            100.0 * f64::from(self.within_one) / n,
            self.abs_err / n,
            self.abs_pct / n,
        )
    }
}

fn data_dir() -> PathBuf {
    std::env::var_os("REHAB_DATA")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/data"))
}

/// Count one recording as the app would: ~100 ms batches, then `finish`.
/// The events, and whether the counter ended up counting on the accelerometer.
fn count(path: &Path) -> Result<(Vec<RepEvent>, bool), String> {
    let text = std::fs::read_to_string(path).map_err(|e| e.to_string())?;
    let mut lines = text.lines();
    let header = lines.next().unwrap_or_default().trim().to_owned();
    let width = header.split(',').count() - 1;
    let (mut t, mut x) = (Vec::new(), Vec::new());
    for (i, line) in lines.enumerate().filter(|(_, l)| !l.trim().is_empty()) {
        let mut f = line.split(',').map(|v| v.trim().parse::<f64>());
        let bad = || format!("line {}: malformed", i + 2);
        t.push(f.next().ok_or_else(bad)?.map_err(|_| bad())?);
        for v in f {
            x.push(v.map_err(|_| bad())? as f32);
        }
    }
    if let Some(hz) = std::env::var("REHAB_RESAMPLE_HZ")
        .ok()
        .and_then(|v| v.parse::<f64>().ok())
    {
        (t, x) = resample(&t, &x, width, hz);
    }
    let mut counter = RepCounter::new(CounterConfig::default(), None);
    let mut out = Vec::new();
    let mut trace = String::new();
    let dump = std::env::var_os("REHAB_DUMP");
    let batch = 5;
    for (tb, xb) in t.chunks(batch).zip(x.chunks(batch * width)) {
        let r = if width == 6 {
            counter.push_imu(tb, xb, &mut out)
        } else {
            counter.push_scalar(tb, xb, &mut out)
        };
        r.map_err(|e| e.to_string())?;
        if dump.is_some() {
            trace.push_str(&format!("{},{}\n", tb[tb.len() - 1], counter.position()));
        }
    }
    counter.finish(&mut out);
    if let Some(d) = dump {
        let name = path
            .file_stem()
            .unwrap_or_default()
            .to_string_lossy()
            .into_owned();
        let dir = PathBuf::from(d);
        let _ = std::fs::create_dir_all(&dir);
        let ev: String = out
            .iter()
            .map(|e| format!("{},{},{}\n", e.start_s, e.end_s, e.amplitude))
            .collect();
        let _ = std::fs::write(dir.join(format!("{name}.pos")), trace);
        let _ = std::fs::write(dir.join(format!("{name}.ev")), ev);
    }
    Ok((out, counter.counts_travel()))
}

/// The recording as another device would give it: linearly interpolated at `hz`, with
/// timestamps jittered by up to ±10% of a period (deterministic), like phone sensor
/// events. For checking that counts do not depend on the sample rate.
fn resample(t: &[f64], x: &[f32], width: usize, hz: f64) -> (Vec<f64>, Vec<f32>) {
    let (mut rt, mut rx) = (Vec::new(), Vec::new());
    let (Some(&first), Some(&last)) = (t.first(), t.last()) else {
        return (rt, rx);
    };
    let period = 1.0 / hz;
    let mut j = 0;
    let mut k = 0u64;
    loop {
        // A small deterministic jitter (a fixed pseudo-random sequence).
        k = k
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        let jitter = ((k >> 33) as f64 / (1u64 << 31) as f64 - 0.5) * 0.2 * period;
        let ts = first + rt.len() as f64 * period + jitter;
        if ts > last {
            break;
        }
        let ts = ts.max(first).max(rt.last().copied().unwrap_or(first));
        while j + 1 < t.len() && t[j + 1] < ts {
            j += 1;
        }
        let (a, b) = (j, (j + 1).min(t.len() - 1));
        let u = if t[b] > t[a] {
            ((ts - t[a]) / (t[b] - t[a])).clamp(0.0, 1.0)
        } else {
            0.0
        } as f32;
        rt.push(ts);
        for c in 0..width {
            rx.push(x[a * width + c] + u * (x[b * width + c] - x[a * width + c]));
        }
    }
    (rt, rx)
}

/// The blind recount: file (as in the manifest) -> the raters' mean visible cycles. A set
/// counts only with every rater's figure readable.
fn recount() -> BTreeMap<String, f64> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("benches/recount/spar_recount.csv");
    let Ok(text) = std::fs::read_to_string(&path) else {
        eprintln!("accuracy: no blind recount at {}", path.display());
        return BTreeMap::new();
    };
    let mut lines = text.lines();
    let header: Vec<&str> = lines.next().unwrap_or_default().split(',').collect();
    let Some(file) = header.iter().position(|&c| c == "file") else {
        eprintln!("accuracy: {} has no file column", path.display());
        return BTreeMap::new();
    };
    let cycles: Vec<usize> = (0..header.len())
        .filter(|&i| header[i].ends_with("_cycles"))
        .collect();
    let mut sets = BTreeMap::new();
    for line in lines.filter(|l| !l.trim().is_empty()) {
        let cols: Vec<&str> = line.split(',').collect();
        let v: Option<Vec<f64>> = cycles
            .iter()
            .map(|&i| cols.get(i)?.trim().parse().ok())
            .collect();
        match (cols.get(file), v) {
            (Some(f), Some(v)) if !v.is_empty() => {
                sets.insert((*f).to_owned(), v.iter().sum::<f64>() / v.len() as f64);
            }
            _ => eprintln!("accuracy: {}: unreadable row: {line}", path.display()),
        }
    }
    sets
}

fn main() {
    let dir = data_dir();
    let recounted = recount();
    let manifest = match std::fs::read_to_string(dir.join("manifest.csv")) {
        Ok(m) => m,
        Err(e) => {
            eprintln!(
                "accuracy: no data at {} ({e}); set REHAB_DATA",
                dir.display()
            );
            return;
        }
    };
    let verbose = std::env::var_os("REHAB_VERBOSE").is_some();
    let header = manifest.lines().next().unwrap_or_default().split(',');
    let col = |name: &str| header.clone().position(|c| c == name);
    let (Some(c_file), Some(c_set), Some(c_subject), Some(c_truth)) = (
        col("file"),
        col("dataset"),
        col("subject"),
        col("true_reps"),
    ) else {
        eprintln!("accuracy: manifest.csv lacks file/dataset/subject/true_reps columns");
        return;
    };
    let mut tallies: BTreeMap<String, Tally> = BTreeMap::new();
    let started = std::time::Instant::now();
    let mut bytes = 0u64;
    for line in manifest.lines().skip(1).filter(|l| !l.trim().is_empty()) {
        let cols: Vec<&str> = line.split(',').collect();
        let (file, set, subject) = (cols[c_file], cols[c_set], cols[c_subject]);
        let Ok(truth) = cols[c_truth].parse::<i64>() else {
            continue;
        };
        let (events, travel) = match count(&dir.join(file)) {
            Ok(r) => r,
            Err(e) => {
                eprintln!("accuracy: {file}: {e}");
                continue;
            }
        };
        bytes += std::fs::metadata(dir.join(file)).map_or(0, |m| m.len());
        let got = events.len() as i64;
        if verbose || (got - truth).abs() > 1 {
            println!(
                "  {file:<32} truth {truth:>3}  counted {got:>3}  ({:+}){}",
                got - truth,
                if travel { "  on the accelerometer" } else { "" }
            );
        }
        // Held-out view: subjects 1-3 against 4-6 (parameters were never tuned per file).
        let group = match subject.trim_start_matches('s').parse::<u32>() {
            Ok(1..=3) => "subjects 1-3",
            Ok(4..=6) => "subjects 4-6",
            // `scripts/heldout-data.sh`: SPAR subjects outside ../shared/data.
            Ok(_) => "subjects 7+",
            Err(_) => "other",
        };
        tallies.entry(set.to_owned()).or_default().add(got, truth);
        tallies
            .entry(format!("{set} {group}"))
            .or_default()
            .add(got, truth);
        tallies.entry("all".to_owned()).or_default().add(got, truth);
        if let Some(&cycles) = recounted.get(file) {
            let visible = cycles.round() as i64;
            if verbose {
                println!("  {:<32} recount {cycles:>5.2}  counted {got:>3}", "");
            }
            let by_recording = format!("{set} blind: recording");
            tallies.entry(by_recording).or_default().add(got, visible);
            let by_manifest = format!("{set} blind: manifest");
            tallies.entry(by_manifest).or_default().add(got, truth);
        }
    }
    println!();
    println!(
        "{:<22} {:>5} {:>8} {:>10} {:>6} {:>7}",
        "dataset", "files", "exact", "within-1", "MAE", "MAPE"
    );
    for (name, t) in &tallies {
        println!("{}", t.row(name));
    }
    if tallies.keys().any(|k| k.contains("blind")) {
        println!(
            "(blind: the blindly recounted sets, against the cycles the recording holds \
             and against the manifest)"
        );
    }
    println!(
        "\n(one CounterConfig::default() for every file; {:.1} s, {:.1} MB of CSV)",
        started.elapsed().as_secs_f64(),
        bytes as f64 / 1e6
    );
}
