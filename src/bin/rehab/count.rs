//! `rehab count`: counts repetitions in recorded sensor files, the way the live session
//! would (streamed in ~100-sample batches through the same counter).

use rehab_core::counting::{
    CounterConfig, CountingError, CountingHint, RepCounter, RepEvent, RepKind, SignalKind,
};
use rehab_core::recording::{self, RecordingError, RecordingKind};
use rehab_core::routine::{self, Catalog};
use serde_json::json;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// Options of `rehab count`.
#[derive(clap::Args)]
pub struct CountArgs {
    /// Print one JSON object per file and line (file, reps, attempts, events with times and
    /// amplitudes) instead of text.
    #[arg(long)]
    pub json: bool,
    /// Catalog exercise id: use its counting hint (signal, axis, rep duration, minimum range).
    #[arg(long, value_name = "ID")]
    pub exercise: Option<String>,
    /// Refuse a recording whose time goes back, instead of skipping the samples that do
    /// (and counting the rest). Either way a skipped sample is reported.
    #[arg(long)]
    pub strict: bool,
    /// Recordings: CSV with header `t_s,ax,ay,az,gx,gy,gz` (IMU: m/s², rad/s) or
    /// `t_s,value` (one scalar channel). Time in seconds.
    #[arg(required = true, value_name = "FILE")]
    pub files: Vec<PathBuf>,
}

/// Samples pushed per call, as the app would (~100 ms to 2 s of data).
const BATCH: usize = 100;

/// Count every file; a bad file is reported and the others are still counted.
pub fn run(args: CountArgs) -> ExitCode {
    let hint = match &args.exercise {
        None => None,
        Some(id) => match Catalog::embedded().exercise(id) {
            Ok(exercise) => Some(exercise.hint),
            Err(e) => {
                eprintln!("rehab count: {e}");
                return ExitCode::FAILURE;
            }
        },
    };
    let mut failed = false;
    for path in &args.files {
        let name = path.display().to_string();
        match count_file(path, hint, args.strict) {
            Ok(result) => {
                if args.json {
                    outln!("{}", result.to_json(&name));
                } else {
                    print_text(&name, &result);
                }
            }
            Err(e) => {
                failed = true;
                let at = e.line.map(|l| format!(":{l}")).unwrap_or_default();
                eprintln!("rehab count: {name}{at}: {}", e.message);
                if args.json {
                    outln!(
                        "{}",
                        json!({ "file": name, "error": e.message, "line": e.line })
                    );
                }
            }
        }
    }
    if failed {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}

fn print_text(name: &str, r: &FileCount) {
    let attempts = r.counter.attempt_count();
    let mut line = format!("{name}: {} reps", r.counter.rep_count());
    if attempts > 0 {
        line.push_str(&format!(", {attempts} attempts"));
    }
    if r.skipped > 0 {
        line.push_str(&format!(
            " ({} samples skipped: their time went back)",
            r.skipped
        ));
    }
    outln!("{line}");
}

/// Why a file could not be counted, and where.
struct FileError {
    line: Option<usize>,
    message: String,
}

impl From<RecordingError> for FileError {
    fn from(e: RecordingError) -> Self {
        FileError {
            line: e.line().map(|l| l as usize),
            message: e.to_string(),
        }
    }
}

impl FileError {
    fn at(line: usize, message: impl Into<String>) -> Self {
        Self {
            line: Some(line),
            message: message.into(),
        }
    }
}

struct FileCount {
    counter: RepCounter,
    kind: SignalKind,
    /// Samples counted, and samples skipped because their time went back.
    samples: usize,
    skipped: usize,
    duration_s: f64,
    events: Vec<RepEvent>,
}

/// One line of `--json` output (field order kept for readers).
#[derive(serde::Serialize)]
struct FileJson<'a> {
    file: &'a str,
    reps: u32,
    attempts: u32,
    signal: &'static str,
    /// Unit of `amplitude` at the end of the file: radians of rotation for IMU files (`m` of
    /// hand travel when the counter ended up counting the limb's travel on the
    /// accelerometer), the file's own unit otherwise. Each event gives its own.
    amplitude_unit: &'static str,
    samples: usize,
    /// Samples skipped because their time went back (a recording merged from streams out of
    /// order); 0 for a clean one.
    skipped: usize,
    duration_s: f64,
    events: Vec<EventJson>,
}

#[derive(serde::Serialize)]
struct EventJson {
    index: u32,
    kind: &'static str,
    start_s: f64,
    end_s: f64,
    duration_s: f64,
    amplitude: f64,
    /// `rad`, `m` (counted on the limb's travel) or `signal`: a set that moves to the
    /// accelerometer has events in both.
    amplitude_unit: &'static str,
    peak_speed: f64,
    reached_target: bool,
}

impl FileCount {
    fn to_json(&self, name: &str) -> String {
        let imu = self.kind == SignalKind::Imu6;
        let line = FileJson {
            file: name,
            reps: self.counter.rep_count(),
            attempts: self.counter.attempt_count(),
            signal: if imu { "imu6" } else { "scalar" },
            amplitude_unit: unit(imu, self.counter.counts_travel()),
            samples: self.samples,
            skipped: self.skipped,
            duration_s: round(self.duration_s, 3),
            events: self
                .events
                .iter()
                .map(|e| EventJson {
                    index: e.index,
                    kind: match e.kind {
                        RepKind::Rep => "rep",
                        RepKind::Attempt => "attempt",
                    },
                    start_s: round(e.start_s, 3),
                    end_s: round(e.end_s, 3),
                    duration_s: round(f64::from(e.duration_s), 3),
                    amplitude: round(f64::from(e.amplitude), 4),
                    amplitude_unit: unit(imu, e.travel),
                    peak_speed: round(f64::from(e.peak_speed), 3),
                    reached_target: e.reached_target,
                })
                .collect(),
        };
        serde_json::to_string(&line).unwrap_or_default()
    }
}

/// Unit of an amplitude: of an IMU file's rotation or travel, or of a scalar signal.
fn unit(imu: bool, travel: bool) -> &'static str {
    match (imu, travel) {
        (true, false) => "rad",
        (true, true) => "m",
        (false, _) => "signal",
    }
}

fn round(x: f64, digits: i32) -> f64 {
    let p = 10f64.powi(digits);
    (x * p).round() / p
}

/// The counter's hint from the catalog's (the session engine's mapping), for a file of `kind`.
fn counting_hint(h: routine::CountingHint, kind: SignalKind) -> Result<CountingHint, String> {
    let hint = rehab_core::session::counter_hint(&h)
        .ok_or_else(|| "touch exercises are not counted from recordings".to_string())?;
    if hint.signal != kind {
        return Err(format!(
            "the exercise is counted from {} but the file holds {} samples",
            h.signal.range_unit_name(),
            match kind {
                SignalKind::Imu6 => "IMU",
                SignalKind::Scalar => "scalar",
            }
        ));
    }
    Ok(hint)
}

/// Describes a catalog signal in messages.
trait SignalName {
    fn range_unit_name(self) -> &'static str;
}

impl SignalName for routine::Signal {
    fn range_unit_name(self) -> &'static str {
        match self {
            routine::Signal::Imu => "IMU motion",
            routine::Signal::GripForce => "grip force",
            routine::Signal::Touch => "touch",
            routine::Signal::JointAngle => "a joint angle",
        }
    }
}

fn count_file(
    path: &Path,
    hint: Option<routine::CountingHint>,
    strict: bool,
) -> Result<FileCount, FileError> {
    let mut reader = recording::open(path).map_err(FileError::from)?;
    let kind = match reader.kind() {
        RecordingKind::Imu6 => SignalKind::Imu6,
        RecordingKind::Scalar => SignalKind::Scalar,
    };
    let hint = match hint {
        Some(h) => Some(counting_hint(h, kind).map_err(|m| FileError::at(1, m))?),
        None => Some(CountingHint::signal(kind)),
    };
    let width = reader.kind().width();
    let mut counter = RepCounter::new(CounterConfig::default(), hint);
    let mut events = Vec::new();
    let mut batch = Batch {
        t: Vec::with_capacity(BATCH),
        values: Vec::with_capacity(BATCH * width),
        line_of: Vec::with_capacity(BATCH),
    };
    let (mut samples, mut skipped, mut first_t, mut last_t) = (0usize, 0usize, None, None);
    while let Some(sample) = reader.next_sample().map_err(FileError::from)? {
        // A sample whose time goes back (streams merged out of order) is skipped, and
        // reported; the counter itself refuses it (`--strict` passes it on, to be refused).
        if !strict && last_t.is_some_and(|last| sample.t_s < last) {
            skipped += 1;
            continue;
        }
        batch.t.push(sample.t_s);
        batch
            .values
            .extend(sample.values[..width].iter().map(|&v| v as f32));
        batch.line_of.push(sample.line as usize);
        first_t.get_or_insert(sample.t_s);
        last_t = Some(sample.t_s);
        samples += 1;
        if batch.t.len() == BATCH {
            batch.push(&mut counter, kind, strict, &mut events)?;
        }
    }
    if !batch.t.is_empty() {
        batch.push(&mut counter, kind, strict, &mut events)?;
    }
    if samples == 0 {
        return Err(FileError::at(2, "no samples after the header"));
    }
    counter.finish(&mut events);
    Ok(FileCount {
        counter,
        kind,
        samples,
        skipped,
        duration_s: last_t.unwrap_or(0.0) - first_t.unwrap_or(0.0),
        events,
    })
}

/// Samples read and not yet pushed, with the file line of each.
struct Batch {
    t: Vec<f64>,
    values: Vec<f32>,
    line_of: Vec<usize>,
}

impl Batch {
    /// Push the batch and clear it. A batch the counter refuses as a whole for its timing
    /// (a burst of samples sharing one timestamp, a pause of many seconds inside it) is
    /// pushed again a sample at a time, which the counter takes: the same samples, in
    /// order. `strict` refuses it instead.
    fn push(
        &mut self,
        counter: &mut RepCounter,
        kind: SignalKind,
        strict: bool,
        events: &mut Vec<RepEvent>,
    ) -> Result<(), FileError> {
        let result = match push(counter, kind, &self.t, &self.values, events) {
            Err(CountingError::AbsurdRate { .. } | CountingError::TimeJump { .. }) if !strict => {
                let width = self.values.len() / self.t.len();
                (0..self.t.len()).try_for_each(|i| {
                    let values = &self.values[i * width..(i + 1) * width];
                    push(counter, kind, &self.t[i..=i], values, events)
                        .map_err(|e| file_error(e, &self.line_of[i..=i]))
                })
            }
            other => other.map_err(|e| file_error(e, &self.line_of)),
        };
        self.t.clear();
        self.values.clear();
        self.line_of.clear();
        result
    }
}

fn push(
    counter: &mut RepCounter,
    kind: SignalKind,
    t: &[f64],
    values: &[f32],
    events: &mut Vec<RepEvent>,
) -> Result<(), CountingError> {
    match kind {
        SignalKind::Imu6 => counter.push_imu(t, values, events),
        SignalKind::Scalar => counter.push_scalar(t, values, events),
    }
}

/// The file's error for a counter error on samples read from `line_of`.
fn file_error(e: CountingError, line_of: &[usize]) -> FileError {
    match e {
        CountingError::NonFiniteTime { index } => {
            FileError::at(line_of[index], "t_s is not a finite number")
        }
        CountingError::NonFiniteValue { index } => {
            FileError::at(line_of[index], "a value is not a finite number")
        }
        CountingError::TimeBackwards {
            index,
            t_s,
            previous_s,
        } => FileError::at(
            line_of[index],
            format!("time goes backwards: {t_s} s comes after {previous_s} s"),
        ),
        other => FileError {
            line: line_of.first().copied(),
            message: other.to_string(),
        },
    }
}
