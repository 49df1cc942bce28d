//! `strata diff OLD NEW`: compare two saved snapshots (or graph JSONs)
//! offline and print what changed. Owns the command line (which inputs,
//! prices, usage, format, output, `--fail-on`) and the exit status; the
//! comparison is `crate::diff`'s, graphs `crate::graph`'s, pricing
//! `crate::cost`'s.

use std::path::{Path, PathBuf};

use anyhow::bail;

use super::Outcome;
use crate::cost::Usage;
use crate::diff::report::{self, DiffFormat};
use crate::diff::{self as engine, graph_json, Diff};
use crate::graph::{Graph, SCHEMA as GRAPH_SCHEMA};
use crate::output::write_atomic;
use crate::prices::{PriceArgs, PriceBook};
use crate::redact::RedactArgs;
use crate::snapshot::{Snapshot, SnapshotError};

/// Arguments of `strata diff`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The earlier snapshot, as written by `strata scan -o snapshot.json`,
    /// or a graph JSON (`strata render -o graph.json`, which keeps the
    /// costs it was rendered with).
    pub old: PathBuf,
    /// The later snapshot or graph JSON.
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
    /// Redact both snapshots the same way before comparing (as `strata
    /// render --redact` does), so the report can be shared.
    #[command(flatten)]
    pub redaction: RedactArgs,
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
    let old = priced_graph(&args.old, &prices, usage.as_ref(), &args.redaction)?;
    let new = priced_graph(&args.new, &prices, usage.as_ref(), &args.redaction)?;
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

/// The graph of one input: a snapshot, built and priced, or a graph JSON
/// read back with the costs it was rendered with.
fn priced_graph(
    path: &Path,
    prices: &PriceBook,
    usage: Option<&Usage>,
    redaction: &RedactArgs,
) -> anyhow::Result<Graph> {
    let shown = path.display().to_string();
    let bytes = std::fs::read(path).map_err(|source| SnapshotError::Io {
        path: shown.clone(),
        source,
    })?;
    if let Some(document) = graph_document(&bytes) {
        if redaction.redact {
            bail!("{shown} is a graph JSON, which --redact cannot take apart: diff the snapshots it was drawn from");
        }
        return graph_json::read(document, &shown);
    }
    let snapshot = redaction.apply(Snapshot::from_slice(&bytes, &shown)?)?;
    if !snapshot.scan.complete {
        tracing::warn!("{shown} holds a partial scan: what it did not read shows as removed");
    }
    if let Some(usage) = usage {
        for problem in usage.mismatches(&snapshot) {
            tracing::warn!("{shown}: {problem}");
        }
    }
    let mut graph = crate::graph::build(&snapshot);
    crate::cost::annotate(&mut graph, &snapshot, prices, usage);
    Ok(graph)
}

/// The document, when it is a graph JSON; anything else is read as a
/// snapshot, whose reader explains what is wrong with it.
fn graph_document(bytes: &[u8]) -> Option<serde_json::Value> {
    let document: serde_json::Value = serde_json::from_slice(bytes).ok()?;
    (document.get("schema")?.as_str()? == GRAPH_SCHEMA).then_some(document)
}
