//! Progress of a scan on stderr: a bar when stderr is a terminal, one plain
//! line per finished service and region otherwise, nothing with `--quiet`.
//!
//! This module owns only the display; the scan reports to it.

use std::io::IsTerminal;
use std::sync::Arc;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

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
            let bar = ProgressBar::with_draw_target(Some(0), ProgressDrawTarget::stderr());
            bar.set_style(
                ProgressStyle::with_template(
                    "{spinner} scanning [{bar:30}] {pos}/{len} {wide_msg}",
                )
                .unwrap_or_else(|_| ProgressStyle::default_bar())
                .progress_chars("=> "),
            );
            bar
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

    pub(crate) fn start(&self, units: usize) {
        if self.mode == Mode::Bar {
            self.bar.set_length(units as u64);
            self.bar
                .enable_steady_tick(std::time::Duration::from_millis(120));
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

    pub(crate) fn finish(&self) {
        if self.mode == Mode::Bar {
            self.bar.finish_and_clear();
        }
    }
}
