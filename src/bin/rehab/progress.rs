//! The demo's progress on stderr, through `indicatif`: a bar redrawn in place on a
//! terminal; piped or redirected, one plain line when a block ends (a log shows each
//! block once, never the bar's redraws).

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use std::io::IsTerminal;

/// Where the demo reports its blocks.
pub enum Progress {
    /// `--quiet`: nothing.
    Quiet,
    /// stderr is a terminal: a bar.
    Bar(ProgressBar),
    /// Not a terminal: one line per block done.
    Lines {
        /// Blocks in the plan.
        total: usize,
        /// Blocks already reported.
        reported: usize,
    },
}

impl Progress {
    /// A reporter for a plan of `total` blocks.
    pub fn new(total: usize, quiet: bool) -> Progress {
        if quiet {
            return Progress::Quiet;
        }
        if !std::io::stderr().is_terminal() {
            return Progress::Lines { total, reported: 0 };
        }
        let bar = ProgressBar::with_draw_target(Some(total as u64), ProgressDrawTarget::stderr());
        bar.set_style(
            ProgressStyle::with_template("  [{bar:30}] block {pos}/{len} {msg}")
                .expect("a valid template")
                .progress_chars("#> "),
        );
        Progress::Bar(bar)
    }

    /// `done` blocks are over, with these totals so far.
    pub fn update(&mut self, done: usize, reps: u32, attempts: u32) {
        match self {
            Progress::Quiet => {}
            Progress::Bar(bar) => {
                bar.set_position(done as u64);
                bar.set_message(format!("{reps:>4} reps {attempts:>3} attempts"));
            }
            Progress::Lines { total, reported } => {
                while *reported < done.min(*total) {
                    *reported += 1;
                    eprintln!(
                        "  block {}/{} done: {reps} reps, {attempts} attempts so far",
                        *reported, *total
                    );
                }
            }
        }
    }

    /// The session is over: the bar stays on screen as it ended.
    pub fn finish(self) {
        if let Progress::Bar(bar) = self {
            bar.finish();
        }
    }
}
