//! `strata render`: draw a saved snapshot offline. Owns the command line of
//! drawing (which file, which format, which view) and nothing of the drawing
//! itself, which is `output::produce`'s.

use std::io::IsTerminal;
use std::path::{Path, PathBuf};

use anyhow::bail;

use super::Outcome;
use crate::output::{self, Format, View};
use crate::snapshot::Snapshot;

/// Arguments of `strata render`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The snapshot to draw, as written by `strata scan -o snapshot.json`.
    pub snapshot: PathBuf,
    /// Where to write; the name's extension picks the format (.svg, .png,
    /// .dot/.gv, .json = graph JSON). Without it the document goes to stdout.
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// The format, overriding the extension of --output. Default on stdout: svg.
    #[arg(long, value_enum)]
    pub format: Option<Format>,
    /// Which picture an SVG or PNG shows.
    #[arg(long, value_enum, default_value_t)]
    pub view: View,
}

pub fn run(args: Args) -> anyhow::Result<Outcome> {
    let format = match (args.format, &args.output) {
        (Some(format), _) => format,
        (None, Some(path)) => Format::from_path(path, Format::Json)?,
        (None, None) => Format::Svg,
    };
    output::check_request(args.output.as_deref(), format, args.view)?;
    if format == Format::Png && args.output.is_none() && std::io::stdout().is_terminal() {
        bail!("refusing to write PNG to a terminal; pass -o FILE.png or redirect stdout");
    }
    if let Some(output) = &args.output {
        if same_file(output, &args.snapshot) {
            bail!(
                "refusing to draw {} over itself: it is the snapshot being read; choose another -o",
                output.display()
            );
        }
    }
    let snapshot = Snapshot::read(&args.snapshot)?;
    if !snapshot.scan.complete {
        tracing::warn!(
            "{} holds a partial scan: the drawing shows only what was read",
            args.snapshot.display()
        );
    }
    let document = output::produce(&snapshot, format, args.view)?;
    output::write_atomic(args.output.as_deref(), &document)?;
    if let Some(path) = &args.output {
        tracing::info!("wrote {}", path.display());
    }
    Ok(Outcome::Success)
}

/// Whether two paths name one existing file (a snapshot rendered to
/// `-o snap.json` would be replaced by its own graph JSON).
fn same_file(a: &Path, b: &Path) -> bool {
    match (std::fs::canonicalize(a), std::fs::canonicalize(b)) {
        (Ok(a), Ok(b)) => a == b,
        _ => false,
    }
}
