//! `rehab`: the RehabCore command-line tool.
use clap::{Parser, Subcommand};
use std::process::ExitCode;

mod count;
mod demo;
mod report;

/// RehabCore command-line tool: demo sessions, rep counting on recordings, reports.
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
}

fn main() -> ExitCode {
    match Cli::parse().command {
        Command::Demo(args) => demo::run(args),
        Command::Count(args) => count::run(args),
        Command::Report(args) => report::run(args),
    }
}
