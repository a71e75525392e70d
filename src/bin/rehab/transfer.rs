//! `rehab export` and `rehab import`: every data path from the command line, for
//! therapists, testers and support.

use crate::demo::default_db_path;
use crate::output;
use rehab_core::export::backup::{self, write_file_atomically, BackupError};
use rehab_core::export::{csv, fhir, health};
use rehab_core::model::{local_date, LocalDate};
use rehab_core::progress::DateRange;
use rehab_core::store::{Profile, Store};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// What `rehab export` writes.
#[derive(Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// The backup (versioned JSON with a checksum) of the whole history; `rehab import` restores it.
    Json,
    /// The four spreadsheet files (sessions.csv, sets.csv, reps.csv, check_ins.csv) into the folder --out.
    Csv,
    /// A FHIR R4 Bundle (JSON) of exercise and pain Observations.
    Fhir,
    /// Health Connect ExerciseSessionRecords, as a JSON array.
    HealthConnect,
    /// HealthKit workouts, as a JSON array.
    Healthkit,
}

/// Options of `rehab export`.
#[derive(clap::Args)]
pub struct ExportArgs {
    /// Database file (default: the user's data folder, rehab_core/rehab.db).
    #[arg(long)]
    db: Option<PathBuf>,
    /// What to write.
    #[arg(long, value_enum)]
    format: Format,
    /// The file to write (for csv: a folder, created if missing).
    #[arg(long)]
    out: PathBuf,
    /// First local day, YYYY-MM-DD (default: the first day with data). Not for json.
    #[arg(long)]
    from: Option<LocalDate>,
    /// Last local day, YYYY-MM-DD (default: today, or the last day with data if later). Not for json.
    #[arg(long)]
    to: Option<LocalDate>,
    /// Profile id (default: every profile for json, the first profile otherwise).
    #[arg(long)]
    profile: Option<i64>,
}

/// Options of `rehab import`.
#[derive(clap::Args)]
pub struct ImportArgs {
    /// Database file (default: the user's data folder, rehab_core/rehab.db); created if missing.
    #[arg(long)]
    db: Option<PathBuf>,
    /// A backup written by `rehab export --format json` or the app.
    file: PathBuf,
}

type Failure = Box<dyn std::error::Error>;

pub fn run_export(args: ExportArgs) -> ExitCode {
    finish("export", export(&args))
}

pub fn run_import(args: ImportArgs) -> ExitCode {
    finish("import", import(&args))
}

fn finish(what: &str, result: Result<String, Failure>) -> ExitCode {
    match result {
        Ok(summary) => {
            outln!("{summary}");
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("rehab {what}: {e}");
            ExitCode::FAILURE
        }
    }
}

fn export(args: &ExportArgs) -> Result<String, Failure> {
    let db = args.db.clone().unwrap_or_else(default_db_path);
    if !db.exists() {
        return Err(format!("no database at {} (run `rehab demo` first?)", db.display()).into());
    }
    output::refuse_database_path(&args.out, &db)?;
    let store = Store::open(&db)?;
    let now = chrono::Utc::now().timestamp_millis();
    if args.format == Format::Json {
        if args.from.is_some() || args.to.is_some() {
            return Err(
                "a backup holds the whole history: --from and --to are not for --format json"
                    .into(),
            );
        }
        if let Some(id) = args.profile {
            store.profile(id)?;
        }
        let bytes = backup::export_to_file(&store, args.profile, now, &args.out)?;
        let profiles = match args.profile {
            Some(_) => 1,
            None => store.profiles()?.len(),
        };
        return Ok(format!(
            "wrote {} ({bytes} bytes): backup of {profiles} profile(s)",
            args.out.display()
        ));
    }
    let profile = match args.profile {
        Some(id) => store.profile(id)?,
        None => store
            .profiles()?
            .into_iter()
            .next()
            .ok_or("the database has no profile yet")?,
    };
    let range = range(&store, &profile, args.from, args.to, now)?;
    let history = csv::history_in_range(&store, profile.id, range)?;
    let sessions = history.sessions.len();
    let written = match args.format {
        Format::Json => unreachable!("handled above"),
        Format::Csv => {
            let files = csv::export(&history);
            write_csv_folder(&args.out, &db, &files)?;
            "4 CSV files".to_string()
        }
        Format::Fhir => {
            let bundle = fhir::bundle(&history, now);
            let entries = bundle["entry"].as_array().map_or(0, Vec::len);
            write_json(&args.out, &bundle)?;
            format!("a FHIR Bundle of {entries} entries")
        }
        Format::HealthConnect => {
            let records = health::health_connect_sessions(&history);
            write_json(&args.out, &records)?;
            format!("{} Health Connect sessions", records.len())
        }
        Format::Healthkit => {
            let workouts = health::healthkit_workouts(&history);
            write_json(&args.out, &workouts)?;
            format!("{} HealthKit workouts", workouts.len())
        }
    };
    Ok(format!(
        "wrote {} for {} ({} to {}, sessions: {sessions}): {written}",
        args.out.display(),
        profile.name,
        range.from,
        range.to
    ))
}

/// `--from`/`--to`, defaulting to the profile's first day with data and today
/// (or its last day with data, if later).
fn range(
    store: &Store,
    profile: &Profile,
    from: Option<LocalDate>,
    to: Option<LocalDate>,
    now_ms: i64,
) -> Result<DateRange, Failure> {
    let facts = store.session_facts(profile.id, i64::MIN, i64::MAX)?;
    let days = || facts.iter().map(|s| s.local_date());
    let today = local_date(now_ms, 0);
    let to = to.unwrap_or_else(|| days().max().map_or(today, |last| last.max(today)));
    let from = from.unwrap_or_else(|| days().min().map_or(to, |first| first.min(to)));
    Ok(DateRange::new(from, to)?)
}

/// Writes a JSON value straight to the file (streamed, whole or not at all).
fn write_json(out: &Path, value: &impl serde::Serialize) -> Result<u64, BackupError> {
    write_file_atomically(out, |w| backup::write_json(w, value))
}

fn write_csv_folder(dir: &Path, db: &Path, files: &csv::CsvFiles) -> Result<(), Failure> {
    std::fs::create_dir_all(dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    for (name, text) in [
        ("sessions.csv", &files.sessions),
        ("sets.csv", &files.sets),
        ("reps.csv", &files.reps),
        ("check_ins.csv", &files.check_ins),
    ] {
        output::write_output(&dir.join(name), db, text.as_bytes())?;
    }
    Ok(())
}

fn import(args: &ImportArgs) -> Result<String, Failure> {
    let db = args.db.clone().unwrap_or_else(default_db_path);
    let json = backup::read_file(&args.file)?;
    if let Some(dir) = db.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir)
            .map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    }
    let store = Store::open(&db)?;
    let done = backup::import(&store, &json)?;
    Ok(format!(
        "imported {} into {}: {} profile(s) (ids {:?}), {} sessions, {} reps, {} check-ins",
        args.file.display(),
        db.display(),
        done.profile_ids.len(),
        done.profile_ids,
        done.sessions,
        done.reps,
        done.check_ins
    ))
}
