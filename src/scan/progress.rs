//! Progress of a scan on stderr, from its first call on: a spinner for the
//! steps before the scan (identifying the account, assuming roles, listing
//! regions) and then a bar when stderr is a terminal; one plain line per step
//! and per finished service and region otherwise; nothing with `--quiet`.
//!
//! This module owns only the display; the commands and the scan report to it.

use std::io::IsTerminal;
use std::sync::Arc;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressFinish, ProgressStyle};

/// How often the spinner turns.
const TICK: std::time::Duration = std::time::Duration::from_millis(120);

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mode {
    Quiet,
    Bar,
    Lines,
}

/// Where a scan reports progress. Cheap to clone.
#[derive(Debug, Clone)]
pub struct Progress {
    mode: Mode,
    bar: Arc<ProgressBar>,
}

impl Progress {
    /// A bar on a terminal, plain lines elsewhere, or nothing when `quiet`.
    pub fn stderr(quiet: bool) -> Progress {
        let mode = if quiet {
            Mode::Quiet
        } else if std::io::stderr().is_terminal() {
            Mode::Bar
        } else {
            Mode::Lines
        };
        let bar = if mode == Mode::Bar {
            // Cleared however the command ends, an error included, so the
            // error's line is not appended to a half-drawn bar.
            ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr())
                .with_style(
                    ProgressStyle::with_template("{spinner} {wide_msg}")
                        .unwrap_or_else(|_| ProgressStyle::default_spinner()),
                )
                .with_finish(ProgressFinish::AndClear)
        } else {
            ProgressBar::hidden()
        };
        Progress {
            mode,
            bar: Arc::new(bar),
        }
    }

    /// No output at all (library use, tests).
    pub fn hidden() -> Progress {
        Progress {
            mode: Mode::Quiet,
            bar: Arc::new(ProgressBar::hidden()),
        }
    }

    /// A step before the scan proper: the spinner's text on a terminal, a
    /// line ending in `…` otherwise.
    pub fn step(&self, what: &str) {
        match self.mode {
            Mode::Quiet => {}
            Mode::Bar => {
                self.bar.set_message(format!("{what}…"));
                self.bar.enable_steady_tick(TICK);
            }
            Mode::Lines => eprintln!("strata: {what}…"),
        }
    }

    pub(crate) fn start(&self, units: usize) {
        if self.mode == Mode::Bar {
            self.bar.set_style(
                ProgressStyle::with_template(
                    "{spinner} scanning [{bar:30}] {pos}/{len} {wide_msg}",
                )
                .unwrap_or_else(|_| ProgressStyle::default_bar())
                .progress_chars("=> "),
            );
            self.bar.set_message("");
            self.bar.set_length(units as u64);
            self.bar.enable_steady_tick(TICK);
        }
    }

    pub(crate) fn service_done(
        &self,
        account: &str,
        region: &str,
        service: &str,
        resources: Option<usize>,
    ) {
        let line = match resources {
            Some(count) => format!("{account} {region} {service}: {count} resources"),
            None => format!("{account} {region} {service}: failed"),
        };
        match self.mode {
            Mode::Quiet => {}
            Mode::Bar => {
                self.bar.set_message(line);
                self.bar.inc(1);
            }
            Mode::Lines => eprintln!("strata: scanned {line}"),
        }
    }

    /// Run `write` (which prints to the terminal) with the spinner hidden.
    pub fn suspend<R>(&self, write: impl FnOnce() -> R) -> R {
        self.bar.suspend(write)
    }

    pub fn finish(&self) {
        if self.mode == Mode::Bar {
            self.bar.finish_and_clear();
        }
    }
}
