//! `strata diff OLD NEW`: compare two saved snapshots offline and print
//! what changed. Owns the command line (which snapshots, prices, usage,
//! format, output, `--fail-on`) and the exit status; the comparison is
//! `crate::diff`'s, graphs `crate::graph`'s, pricing `crate::cost`'s.

use std::path::{Path, PathBuf};

use super::Outcome;
use crate::cost::Usage;
use crate::diff::report::{self, DiffFormat};
use crate::diff::{self as engine, Diff};
use crate::graph::Graph;
use crate::output::write_atomic;
use crate::prices::{PriceArgs, PriceBook};
use crate::snapshot::Snapshot;

/// Arguments of `strata diff`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The earlier snapshot, as written by `strata scan -o snapshot.json`.
    pub old: PathBuf,
    /// The later snapshot.
    pub new: PathBuf,
    /// Report format.
    #[arg(long, value_enum, default_value_t)]
    pub format: DiffFormat,
    /// Where to write the report (default: stdout).
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Exit with status 1 when the diff has changes of these classes
    /// (comma-separated or repeated); the report is written either way.
    #[arg(long, value_enum, value_delimiter = ',', value_name = "CLASS")]
    pub fail_on: Vec<FailOn>,
    /// TOML file of monthly usage (GB processed, LCUs) per kind or resource
    /// id, applied to both snapshots (see `strata cost --help`).
    #[arg(long, value_name = "FILE")]
    pub usage: Option<PathBuf>,
    #[command(flatten)]
    pub prices: PriceArgs,
}

/// A class of change that `--fail-on` turns into a failing exit status.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum FailOn {
    /// Any security-relevant change (listed under exposure).
    Exposure,
    /// A node or an edge added.
    Added,
    /// A node or an edge removed.
    Removed,
    /// A node's fields or attributes changed, or an edge's label.
    Changed,
}

impl FailOn {
    fn applies(self, diff: &Diff) -> bool {
        match self {
            FailOn::Exposure => !diff.exposures.is_empty(),
            FailOn::Added => !diff.added.is_empty() || !diff.edges_added.is_empty(),
            FailOn::Removed => !diff.removed.is_empty() || !diff.edges_removed.is_empty(),
            FailOn::Changed => !diff.changed.is_empty() || !diff.edges_relabelled.is_empty(),
        }
    }
}

pub fn run(args: Args) -> anyhow::Result<Outcome> {
    // Mistakes in the small inputs are reported before the snapshots are read.
    let usage = args.usage.as_deref().map(Usage::read).transpose()?;
    let prices = args.prices.load()?;
    let old = priced_graph(&args.old, &prices, usage.as_ref())?;
    let new = priced_graph(&args.new, &prices, usage.as_ref())?;
    let diff = engine::compare(&old, &new);
    write_atomic(
        args.output.as_deref(),
        report::render(&diff, args.format).as_bytes(),
    )?;
    if args.fail_on.iter().any(|class| class.applies(&diff)) {
        return Ok(Outcome::Degraded);
    }
    Ok(Outcome::Success)
}

fn priced_graph(path: &Path, prices: &PriceBook, usage: Option<&Usage>) -> anyhow::Result<Graph> {
    let snapshot = Snapshot::read(path)?;
    if !snapshot.scan.complete {
        tracing::warn!(
            "{} holds a partial scan: what it did not read shows as removed",
            path.display()
        );
    }
    if let Some(usage) = usage {
        for problem in usage.mismatches(&snapshot) {
            tracing::warn!("{}: {problem}", path.display());
        }
    }
    let mut graph = crate::graph::build(&snapshot);
    crate::cost::annotate(&mut graph, &snapshot, prices, usage);
    Ok(graph)
}
