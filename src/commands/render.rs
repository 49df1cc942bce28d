//! `strata render`: draw a saved snapshot offline. Owns the command line of
//! drawing (which file, which format, which view) and nothing of the drawing
//! itself, which is `output::produce`'s.

use std::io::{IsTerminal, Read};
use std::path::{Path, PathBuf};

use anyhow::bail;

use super::Outcome;
use crate::cost::Usage;
use crate::output::{self, Costing, DotLayout, Format, View};
use crate::prices::{PriceArgs, PriceBook};
use crate::snapshot::{Snapshot, SnapshotError};

/// Arguments of `strata render`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The snapshot to draw, as written by `strata scan -o snapshot.json`;
    /// `-` reads it from stdin (`strata scan … | strata render - -o x.svg`).
    pub snapshot: PathBuf,
    /// Where to write; the name's extension picks the format (.svg, .png,
    /// .dot/.gv, .json = graph JSON, .drawio, .html). Without it the
    /// document goes to stdout.
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// The format, overriding the extension of --output. Default on stdout: svg.
    #[arg(long, value_enum)]
    pub format: Option<Format>,
    /// Which picture an SVG or PNG shows.
    #[arg(long, value_enum, default_value_t)]
    pub view: View,
    /// Who lays out DOT: graphviz (nested clusters for `dot`, the default)
    /// or strata (its own layout as positions, for `neato -n2` at any size).
    #[arg(long, value_enum, value_name = "ENGINE")]
    pub dot_layout: Option<DotLayout>,
    #[command(flatten)]
    pub cost: DrawingCost,
    #[command(flatten)]
    pub redaction: crate::redact::RedactArgs,
}

/// The cost figures of a drawing: on by default, at the prices `strata
/// cost` would use.
#[derive(Debug, Clone, Default, clap::Args)]
pub struct DrawingCost {
    /// Draw no cost figures (tiles, frames, header) and leave `cost` out of
    /// the graph JSON.
    #[arg(long)]
    pub no_cost: bool,
    #[command(flatten)]
    pub prices: PriceArgs,
    /// TOML file of monthly usage (GB processed, LCUs) per kind or resource
    /// id, added to the figures as assumptions (see `strata cost --help`).
    #[arg(long, value_name = "FILE", conflicts_with = "no_cost")]
    pub usage: Option<PathBuf>,
}

/// The prices and usage a drawing is priced with, read before any long work.
pub struct LoadedCost {
    prices: PriceBook,
    usage: Option<Usage>,
}

impl DrawingCost {
    /// Read the price and usage files these arguments name (`None` for
    /// `--no-cost`), so a mistake in them is reported before a scan starts.
    pub fn load(&self) -> anyhow::Result<Option<LoadedCost>> {
        if self.no_cost {
            return Ok(None);
        }
        let usage = self.usage.as_deref().map(Usage::read).transpose()?;
        Ok(Some(LoadedCost {
            prices: self.prices.load()?,
            usage,
        }))
    }
}

/// Produce `format` from `snapshot`, priced with `cost` when it is given.
pub fn produce(
    cost: Option<&LoadedCost>,
    snapshot: &Snapshot,
    format: Format,
    view: View,
) -> anyhow::Result<Vec<u8>> {
    let costing = match cost {
        Some(LoadedCost { prices, usage }) if format != Format::Snapshot => {
            if let Some(usage) = usage {
                for problem in usage.mismatches(snapshot) {
                    tracing::warn!("{problem}");
                }
            }
            Costing::At {
                prices,
                usage: usage.as_ref(),
            }
        }
        _ => Costing::Off,
    };
    output::produce(snapshot, format, view, costing)
}

pub fn run(args: Args) -> anyhow::Result<Outcome> {
    let format = match (args.format, &args.output) {
        (Some(format), _) => format,
        (None, Some(path)) => Format::from_path(path, Format::Json)?,
        (None, None) => Format::Svg,
    };
    let format = DotLayout::apply(args.dot_layout, format)?;
    output::check_request(args.output.as_deref(), format, args.view)?;
    if format == Format::Png && args.output.is_none() && std::io::stdout().is_terminal() {
        bail!("refusing to write PNG to a terminal; pass -o FILE.png or redirect stdout");
    }
    let from_stdin = args.snapshot.as_os_str() == STDIN;
    if let Some(output) = &args.output {
        if !from_stdin && same_file(output, &args.snapshot) {
            bail!(
                "refusing to draw {} over itself: it is the snapshot being read; choose another -o",
                output.display()
            );
        }
    }
    // Mistakes in the small inputs are reported before the snapshot is read.
    let cost = args.cost.load()?;
    let snapshot = if from_stdin {
        read_stdin()?
    } else {
        Snapshot::read(&args.snapshot)?
    };
    if !snapshot.scan.complete {
        let shown = if from_stdin {
            "stdin".to_string()
        } else {
            args.snapshot.display().to_string()
        };
        tracing::warn!("{shown} holds a partial scan: the drawing shows only what was read");
    }
    let snapshot = args.redaction.apply(snapshot)?;
    let document = produce(cost.as_ref(), &snapshot, format, args.view)?;
    output::write_atomic(args.output.as_deref(), &document)?;
    if let Some(path) = &args.output {
        tracing::info!("wrote {}", path.display());
    }
    Ok(Outcome::Success)
}

/// The snapshot argument that means "read stdin".
const STDIN: &str = "-";

/// The snapshot piped in on stdin, named `stdin` in errors. A terminal is
/// refused rather than waited on.
fn read_stdin() -> anyhow::Result<Snapshot> {
    let mut stdin = std::io::stdin();
    if stdin.is_terminal() {
        bail!(
            "refusing to read a snapshot from the terminal; pipe one in (`strata scan … | strata render - -o x.svg`) or name the file"
        );
    }
    let mut bytes = Vec::new();
    stdin
        .read_to_end(&mut bytes)
        .map_err(|source| SnapshotError::Io {
            path: "stdin".to_string(),
            source,
        })?;
    if bytes.iter().all(u8::is_ascii_whitespace) {
        bail!(
            "nothing arrived on stdin; pipe a snapshot in (`strata scan … | strata render - -o x.svg`)"
        );
    }
    Ok(Snapshot::from_slice(&bytes, "stdin")?)
}

/// Whether two paths name one existing file (a snapshot rendered to
/// `-o snap.json` would be replaced by its own graph JSON).
fn same_file(a: &Path, b: &Path) -> bool {
    match (std::fs::canonicalize(a), std::fs::canonicalize(b)) {
        (Ok(a), Ok(b)) => a == b,
        _ => false,
    }
}
