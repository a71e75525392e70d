//! `rehab`: the RehabCore command-line tool.
use clap::{Parser, Subcommand};
use std::process::ExitCode;

/// `println!` for the tool's output: a closed pipe (`rehab demo | head -1`) ends
/// the tool quietly, with success, instead of a panic.
macro_rules! outln {
    () => {
        $crate::out_line(format_args!(""))
    };
    ($($arg:tt)*) => {
        $crate::out_line(format_args!($($arg)*))
    };
}

mod count;
mod demo;
mod output;
mod progress;
mod report;
mod transfer;

/// RehabCore command-line tool: demo sessions, rep counting on recordings, reports, export and import.
#[derive(Parser)]
#[command(name = "rehab", version, about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Play a demo session into the local database and print a summary.
    Demo(demo::DemoArgs),
    /// Count repetitions in sensor recordings (CSV: t_s,ax,ay,az,gx,gy,gz or t_s,value).
    Count(count::CountArgs),
    /// Write the therapist's HTML report (adherence, reps, trends, pain, notes) for a date range.
    Report(report::ReportArgs),
    /// Write the data out: a backup (json), spreadsheets (csv), FHIR, Health Connect or HealthKit records.
    Export(transfer::ExportArgs),
    /// Restore a backup (from `rehab export --format json` or the app) as new profiles.
    Import(transfer::ImportArgs),
}

fn main() -> ExitCode {
    match Cli::parse().command {
        Command::Demo(args) => demo::run(args),
        Command::Count(args) => count::run(args),
        Command::Report(args) => report::run(args),
        Command::Export(args) => transfer::run_export(args),
        Command::Import(args) => transfer::run_import(args),
    }
}

/// Writes one line to stdout. A reader that went away ends the tool quietly
/// (exit 0, as `head` expects); any other write failure ends it with an error.
fn out_line(args: std::fmt::Arguments<'_>) {
    use std::io::Write;
    let mut out = std::io::stdout().lock();
    if let Err(e) = out.write_fmt(args).and_then(|()| out.write_all(b"\n")) {
        if e.kind() == std::io::ErrorKind::BrokenPipe {
            std::process::exit(0);
        }
        eprintln!("rehab: cannot write the output: {e}");
        std::process::exit(1);
    }
}
