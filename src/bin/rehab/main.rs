//! `rehab`: the RehabCore command-line tool.
use clap::{Parser, Subcommand};
use std::process::ExitCode;

mod demo;

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
}

fn main() -> ExitCode {
    match Cli::parse().command {
        Command::Demo(args) => demo::run(args),
    }
}
