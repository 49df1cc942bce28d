//! The subcommands: each takes its parsed arguments and returns how the
//! process should exit. [`crate::cli`] only parses and prints errors.

pub mod cost;
pub mod diff;
#[cfg(feature = "scan")]
pub mod iam;
#[cfg(feature = "scan")]
pub mod prices;
pub mod render;
#[cfg(feature = "scan")]
pub mod scan;

/// How a command ended when it did not fail outright.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// Everything asked for was done.
    Success,
    /// Done, but something non-fatal went wrong (a skip under `--strict`, a change
    /// `diff --fail-on` names, …);
    /// the exit code says so while the output is still written.
    Degraded,
}
