//! Recorded sensor files, read as `rehab count` and the tests read them: CSV with
//! the header `t_s,ax,ay,az,gx,gy,gz` (IMU: m/s², rad/s) or `t_s,value` (one scalar
//! channel), time in seconds. Streamed a line at a time through the `csv` crate,
//! with every line bounded ([`MAX_LINE_BYTES`]) and only regular files opened, so a
//! device, a pipe or a file of one endless line cannot exhaust memory or hang.
//! Every fault is a typed [`RecordingError`] with the line it was found on.
//!
//! Layer 0 (a leaf, beside `model`): imports nothing of ours.

use std::fs::File;
use std::io::{self, Read};
use std::path::Path;

/// The longest line accepted, in bytes (an IMU line is under 120).
pub const MAX_LINE_BYTES: usize = 1024;
/// The most characters of a bad header or field quoted back in an error.
const QUOTE_MAX: usize = 40;

/// What a recording holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RecordingKind {
    /// `t_s,ax,ay,az,gx,gy,gz`.
    Imu6,
    /// `t_s,<any name>`: one channel (grip force, a joint angle, ...).
    Scalar,
}

impl RecordingKind {
    /// Values per sample after the time.
    pub fn width(self) -> usize {
        match self {
            RecordingKind::Imu6 => 6,
            RecordingKind::Scalar => 1,
        }
    }
}

/// One line of samples.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Sample {
    /// Line number in the file (the header is line 1).
    pub line: u64,
    /// Time, seconds.
    pub t_s: f64,
    /// The values; the first [`RecordingKind::width`] are set.
    pub values: [f64; 6],
}

/// Why a recording could not be read, and where.
#[derive(Debug, thiserror::Error)]
pub enum RecordingError {
    /// The path is a folder, a device, a pipe, ...
    #[error("not a regular file")]
    NotAFile,
    /// The file could not be opened.
    #[error("cannot open: {0}")]
    Open(io::Error),
    /// Reading failed.
    #[error("cannot read: {source}")]
    Read { line: u64, source: io::Error },
    /// A line longer than [`MAX_LINE_BYTES`].
    #[error("line longer than {MAX_LINE_BYTES} bytes")]
    LineTooLong { line: u64 },
    /// Nothing at all in the file.
    #[error("empty file: expected a CSV header")]
    Empty,
    /// The first line is not a known header.
    #[error("unrecognised header `{header}`: expected `t_s,ax,ay,az,gx,gy,gz` or `t_s,value`")]
    Header { header: String },
    /// A line with fewer values than the header.
    #[error("expected {expected} values, found {found}")]
    TooFewValues {
        line: u64,
        expected: usize,
        found: usize,
    },
    /// A line with more values than the header.
    #[error("expected {expected} values, found more")]
    TooManyValues { line: u64, expected: usize },
    /// A field that is not a number.
    #[error("column `{column}`: `{text}` is not a number")]
    NotANumber {
        line: u64,
        column: String,
        text: String,
    },
}

impl RecordingError {
    /// The line the fault is on, when there is one.
    pub fn line(&self) -> Option<u64> {
        match self {
            RecordingError::NotAFile | RecordingError::Open(_) => None,
            RecordingError::Empty | RecordingError::Header { .. } => Some(1),
            RecordingError::Read { line, .. }
            | RecordingError::LineTooLong { line }
            | RecordingError::TooFewValues { line, .. }
            | RecordingError::TooManyValues { line, .. }
            | RecordingError::NotANumber { line, .. } => Some(*line),
        }
    }
}

/// Opens a recording: a regular file (checked before it is opened, so a pipe
/// cannot block), header read.
pub fn open(path: &Path) -> Result<RecordingReader<File>, RecordingError> {
    let meta = std::fs::metadata(path).map_err(RecordingError::Open)?;
    if !meta.is_file() {
        return Err(RecordingError::NotAFile);
    }
    RecordingReader::new(File::open(path).map_err(RecordingError::Open)?)
}

/// A whole recording in memory (tests, tools; the app streams instead).
#[derive(Debug, Clone, PartialEq)]
pub struct Recording {
    /// What the file holds.
    pub kind: RecordingKind,
    /// Timestamps, seconds.
    pub t_s: Vec<f64>,
    /// [`RecordingKind::width`] values per timestamp, interleaved.
    pub values: Vec<f32>,
}

/// Reads a whole recording file (see [`open`]).
pub fn read_file(path: &Path) -> Result<Recording, RecordingError> {
    let mut reader = open(path)?;
    let kind = reader.kind();
    let (mut t_s, mut values) = (Vec::new(), Vec::new());
    while let Some(sample) = reader.next_sample()? {
        t_s.push(sample.t_s);
        values.extend(sample.values[..kind.width()].iter().map(|&v| v as f32));
    }
    Ok(Recording { kind, t_s, values })
}

/// Reads samples one line at a time.
pub struct RecordingReader<R: Read> {
    csv: csv::Reader<LineCap<R>>,
    kind: RecordingKind,
    columns: Vec<String>,
    record: csv::ByteRecord,
}

impl<R: Read> RecordingReader<R> {
    /// Reads the header of `input`.
    pub fn new(input: R) -> Result<Self, RecordingError> {
        let mut csv = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .quoting(false) // numbers only: a quote never spans lines
            .trim(csv::Trim::All) // also takes the `\r` of CRLF line ends
            .terminator(csv::Terminator::Any(b'\n')) // lines counted as LineCap does
            .from_reader(LineCap::new(input));
        let mut record = csv::ByteRecord::new();
        if !read_record(&mut csv, &mut record)? {
            return Err(RecordingError::Empty);
        }
        let columns: Vec<String> = record
            .iter()
            .map(|c| {
                let c = String::from_utf8_lossy(c);
                let c = c.trim_start_matches('\u{feff}').trim().trim_matches('"');
                c.to_ascii_lowercase()
            })
            .collect();
        let kind = match columns.iter().map(String::as_str).collect::<Vec<_>>()[..] {
            ["t_s", "ax", "ay", "az", "gx", "gy", "gz"] => RecordingKind::Imu6,
            ["t_s", _] => RecordingKind::Scalar,
            _ => {
                return Err(RecordingError::Header {
                    header: quote(&columns.join(",")),
                })
            }
        };
        Ok(RecordingReader {
            csv,
            kind,
            columns,
            record,
        })
    }

    /// What the file holds.
    pub fn kind(&self) -> RecordingKind {
        self.kind
    }

    /// The next sample; `None` at the end of the file. Blank lines are skipped.
    pub fn next_sample(&mut self) -> Result<Option<Sample>, RecordingError> {
        loop {
            if !read_record(&mut self.csv, &mut self.record)? {
                return Ok(None);
            }
            let line = self.record.position().map_or(0, |p| p.line());
            if self.record.iter().all(<[u8]>::is_empty) {
                continue; // a blank (or all-whitespace) line
            }
            return self.parse(line).map(Some);
        }
    }

    fn parse(&self, line: u64) -> Result<Sample, RecordingError> {
        let expected = self.kind.width() + 1;
        let found = self.record.len();
        if found < expected {
            return Err(RecordingError::TooFewValues {
                line,
                expected,
                found,
            });
        }
        if found > expected {
            return Err(RecordingError::TooManyValues { line, expected });
        }
        let mut row = [0f64; 7];
        for (c, (slot, field)) in row.iter_mut().zip(self.record.iter()).enumerate() {
            *slot = std::str::from_utf8(field)
                .ok()
                .and_then(|s| s.parse().ok())
                .ok_or_else(|| RecordingError::NotANumber {
                    line,
                    column: self.columns[c].clone(),
                    text: quote(&String::from_utf8_lossy(field)),
                })?;
        }
        let mut values = [0f64; 6];
        values.copy_from_slice(&row[1..]);
        Ok(Sample {
            line,
            t_s: row[0],
            values,
        })
    }
}

/// Reads one record; a line over the cap or a read failure is a typed error.
fn read_record<R: Read>(
    csv: &mut csv::Reader<LineCap<R>>,
    record: &mut csv::ByteRecord,
) -> Result<bool, RecordingError> {
    csv.read_byte_record(record).map_err(|e| {
        let cap = csv.get_ref();
        if let Some(line) = cap.too_long {
            return RecordingError::LineTooLong { line };
        }
        let line = e.position().map_or(cap.line, |p| p.line());
        match e.into_kind() {
            csv::ErrorKind::Io(source) => RecordingError::Read { line, source },
            // Not reachable with a flexible reader on bytes; kept typed all the same.
            other => RecordingError::Read {
                line,
                source: io::Error::new(io::ErrorKind::InvalidData, format!("{other:?}")),
            },
        }
    })
}

/// At most [`QUOTE_MAX`] characters of `text`, for an error message.
fn quote(text: &str) -> String {
    match text.char_indices().nth(QUOTE_MAX) {
        Some((cut, _)) => format!("{}…", &text[..cut]),
        None => text.to_string(),
    }
}

/// Passes bytes through until a line runs past [`MAX_LINE_BYTES`], then fails
/// every read, so the CSV reader never buffers an unbounded record.
struct LineCap<R> {
    inner: R,
    /// Bytes since the last line break.
    run: usize,
    /// Line number of the byte being read (1-based).
    line: u64,
    /// Set once a line was too long: its number.
    too_long: Option<u64>,
}

impl<R> LineCap<R> {
    fn new(inner: R) -> Self {
        LineCap {
            inner,
            run: 0,
            line: 1,
            too_long: None,
        }
    }
}

impl<R: Read> Read for LineCap<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if self.too_long.is_some() {
            return Err(io::Error::new(io::ErrorKind::InvalidData, "line too long"));
        }
        let n = self.inner.read(buf)?;
        for &b in &buf[..n] {
            match b {
                b'\n' => {
                    self.run = 0;
                    self.line += 1;
                }
                _ => {
                    self.run += 1;
                    if self.run > MAX_LINE_BYTES {
                        self.too_long = Some(self.line);
                        return Err(io::Error::new(io::ErrorKind::InvalidData, "line too long"));
                    }
                }
            }
        }
        Ok(n)
    }
}

#[cfg(test)]
mod tests;
