//! `rehab report`: writes the therapist's HTML report for a date range.

use crate::demo::default_db_path;
use crate::output;
use rehab_core::export::report::{
    build_report, render_html, report_today, ReportFacts, ReportLanguage,
};
use rehab_core::model::LocalDate;
use rehab_core::progress::DateRange;
use rehab_core::store::Store;
use std::path::PathBuf;
use std::process::ExitCode;

/// Options of `rehab report`.
#[derive(clap::Args)]
pub struct ReportArgs {
    /// Database file (default: the user's data folder, rehab_core/rehab.db).
    #[arg(long)]
    db: Option<PathBuf>,
    /// The HTML file to write.
    #[arg(long)]
    out: PathBuf,
    /// First day, YYYY-MM-DD (default: 27 days before --to).
    #[arg(long)]
    from: Option<LocalDate>,
    /// Last day, YYYY-MM-DD (default: the last practised day, else today).
    #[arg(long)]
    to: Option<LocalDate>,
    /// Profile id (default: the first profile).
    #[arg(long)]
    profile: Option<i64>,
    /// Label language: en or es.
    #[arg(long, default_value = "en")]
    language: String,
}

/// Days covered by default.
const DEFAULT_DAYS: u64 = 28;

pub fn run(args: ReportArgs) -> ExitCode {
    match report(&args) {
        Ok(summary) => {
            outln!("{summary}");
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("rehab report: {e}");
            ExitCode::FAILURE
        }
    }
}

fn report(args: &ReportArgs) -> Result<String, Box<dyn std::error::Error>> {
    let path = args.db.clone().unwrap_or_else(default_db_path);
    if !path.exists() {
        return Err(format!(
            "no database at {} (run `rehab demo` first?)",
            path.display()
        )
        .into());
    }
    // Before anything is read: an --out naming the database would overwrite it.
    output::refuse_database_path(&args.out, &path)?;
    let store = Store::open(&path)?;
    let profile = match args.profile {
        Some(id) => store.profile(id)?,
        None => store
            .profiles()?
            .into_iter()
            .next()
            .ok_or("the database has no profile yet")?,
    };
    let now = chrono::Utc::now().timestamp_millis();
    let all = store.session_facts(profile.id, i64::MIN, i64::MAX)?;
    let today = report_today(now, &all);
    let last_practised = all
        .iter()
        .filter(|s| s.is_practice())
        .map(|s| s.local_date())
        .max();
    let to = args.to.or(last_practised).unwrap_or(today);
    let from = args
        .from
        .unwrap_or_else(|| to - chrono::Days::new(DEFAULT_DAYS - 1));
    let range = DateRange::new(from, to)?;
    let facts = ReportFacts::load(&store, profile.id, range)?;
    let model = build_report(
        &facts,
        range,
        today,
        ReportLanguage::from_tag(&args.language),
    );
    output::write_output(&args.out, &path, render_html(&model).as_bytes())?;
    Ok(format!(
        "wrote {} for {} ({} to {}): {} reps on {} of {} days",
        args.out.display(),
        profile.name,
        range.from,
        range.to,
        model.totals.reps,
        model.totals.days_practiced,
        model.totals.days
    ))
}
