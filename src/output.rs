//! Choosing an output format and writing it atomically.
//!
//! This module owns the mapping from `-o FILE` / `--format` to a document and
//! the safe write of that document; it does not lay out or draw anything
//! itself (that is `layout` and `render`).

use std::io::Write;
use std::path::Path;

use anyhow::{bail, Context};

use crate::cost::Usage;
use crate::graph::{self, Graph};
use crate::prices::PriceBook;
use crate::snapshot::Snapshot;
use crate::{layout, render};

/// What a command writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// The scanned inventory (`strata.snapshot/v1`).
    Snapshot,
    /// The architecture graph (`strata.graph/v1`).
    Json,
    /// The diagram as SVG.
    Svg,
    /// The diagram as PNG (the SVG, rasterised).
    Png,
    /// Graphviz DOT with nested clusters.
    Dot,
    /// The diagram as an editable draw.io (diagrams.net) file.
    Drawio,
    /// The diagram as one self-contained page to explore (search, details).
    Html,
    /// Graphviz DOT holding strata's own layout (`--dot-layout strata`).
    #[value(skip)]
    PositionedDot,
}

/// Who lays out a DOT document.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, clap::ValueEnum)]
pub enum DotLayout {
    /// Graphviz `dot`: nested clusters, laid out by whoever reads the file.
    #[default]
    Graphviz,
    /// strata: its own layout as positions, for `neato -n2` at any size.
    Strata,
}

impl DotLayout {
    /// The format a DOT request becomes.
    pub fn format(self) -> Format {
        match self {
            DotLayout::Graphviz => Format::Dot,
            DotLayout::Strata => Format::PositionedDot,
        }
    }

    /// `format` as `--dot-layout` (if given) makes it; refused for
    /// anything but DOT.
    pub fn apply(layout: Option<DotLayout>, format: Format) -> anyhow::Result<Format> {
        match (format, layout) {
            (Format::Dot, Some(layout)) => Ok(layout.format()),
            (format, None) => Ok(format),
            (_, Some(_)) => {
                bail!("--dot-layout applies to DOT only; write a .dot file or pass --format dot")
            }
        }
    }
}

/// Which picture to draw.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, clap::ValueEnum)]
pub enum View {
    /// Account › region › VPC › zone × tier, the way architects draw.
    #[default]
    Architecture,
    /// Relationships only, no containers (layout-rs; a few hundred nodes at most).
    Graph,
}

impl Format {
    /// The format an output path implies. `.json` is the snapshot for
    /// `strata scan` and the graph for `strata render`, so the caller says
    /// which it means.
    pub fn from_path(path: &Path, json_is: Format) -> anyhow::Result<Format> {
        let extension = path
            .extension()
            .and_then(|e| e.to_str())
            .map(str::to_ascii_lowercase);
        Ok(match extension.as_deref() {
            Some("json") => json_is,
            Some("svg") => Format::Svg,
            Some("png") => Format::Png,
            Some("dot") | Some("gv") => Format::Dot,
            Some("drawio") => Format::Drawio,
            Some("html") | Some("htm") => Format::Html,
            _ => bail!(
                "cannot tell the output format of {}: use a .json, .svg, .png, .dot, .drawio or .html name, or pass --format",
                path.display()
            ),
        })
    }
}

/// Refuse, before any work, an output that cannot be produced or written:
/// a view the format cannot show, or a file in a directory that isn't there.
pub fn check_request(path: Option<&Path>, format: Format, view: View) -> anyhow::Result<()> {
    if view == View::Graph && !matches!(format, Format::Svg | Format::Png) {
        bail!("--view graph draws SVG or PNG only; drop --view or write a .svg or .png");
    }
    if let Some(path) = path {
        let directory = directory_of(path);
        if !directory.is_dir() {
            bail!(
                "cannot write {}: the directory {} does not exist",
                path.display(),
                directory.display()
            );
        }
    }
    Ok(())
}

/// The directory a file is written in.
fn directory_of(path: &Path) -> &Path {
    match path.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent,
        _ => Path::new("."),
    }
}

/// Whether a drawing (and the graph JSON) carries cost figures.
#[derive(Debug, Clone, Copy)]
pub enum Costing<'a> {
    /// No figures (`--no-cost`).
    Off,
    /// Priced at these prices, with a usage file's assumed amounts.
    At {
        prices: &'a PriceBook,
        usage: Option<&'a Usage>,
    },
}

impl Costing<'static> {
    /// Priced at the table built into strata, with no usage file: what the
    /// bundled example shows.
    pub fn bundled() -> Costing<'static> {
        static BUNDLED: std::sync::LazyLock<PriceBook> =
            std::sync::LazyLock::new(PriceBook::bundled);
        Costing::At {
            prices: &BUNDLED,
            usage: None,
        }
    }
}

/// The document `format` asks for, drawn from a snapshot.
pub fn produce(
    snapshot: &Snapshot,
    format: Format,
    view: View,
    costing: Costing,
) -> anyhow::Result<Vec<u8>> {
    if format == Format::Snapshot {
        return Ok(snapshot.to_json().into_bytes());
    }
    let mut graph = graph::build(snapshot);
    if let Costing::At { prices, usage } = costing {
        crate::cost::annotate(&mut graph, snapshot, prices, usage);
    }
    produce_from_graph(&graph, format, view)
}

/// The document `format` asks for, drawn from a graph.
pub fn produce_from_graph(graph: &Graph, format: Format, view: View) -> anyhow::Result<Vec<u8>> {
    Ok(match (format, view) {
        (Format::Snapshot, _) => {
            bail!("a snapshot is written by `strata scan`, not drawn from a graph")
        }
        (
            Format::Json | Format::Dot | Format::PositionedDot | Format::Drawio | Format::Html,
            View::Graph,
        ) => {
            bail!("--view graph draws SVG or PNG only; drop --view or write a .svg or .png")
        }
        (Format::Json, View::Architecture) => render::json::render(graph).into_bytes(),
        (Format::Dot, View::Architecture) => {
            if let Some(warning) = render::dot::clustered::slow_in_graphviz(graph) {
                tracing::warn!("{warning}");
            }
            render::dot::render(graph).into_bytes()
        }
        (Format::PositionedDot, View::Architecture) => {
            render::dot::positioned::render(&layout::architecture(graph)).into_bytes()
        }
        (Format::Drawio, View::Architecture) => {
            render::drawio::render(graph, &layout::architecture(graph)).into_bytes()
        }
        (Format::Html, View::Architecture) => {
            render::html::render(graph, &layout::architecture(graph)).into_bytes()
        }
        (Format::Svg, View::Architecture) => {
            render::svg::render(&layout::architecture(graph)).into_bytes()
        }
        (Format::Svg, View::Graph) => render::graphview::render(graph)?.into_bytes(),
        (Format::Png, View::Architecture) => {
            render::png::rasterise(&render::svg::render(&layout::architecture(graph)))?
        }
        (Format::Png, View::Graph) => render::png::rasterise(&render::graphview::render(graph)?)?,
    })
}

/// Write `bytes` to `path` through a temporary file in the same directory and
/// a rename, so an interrupted write never leaves a truncated file where the
/// previous one stood. `None` writes to stdout.
pub fn write_atomic(path: Option<&Path>, bytes: &[u8]) -> anyhow::Result<()> {
    let Some(path) = path else {
        let mut stdout = std::io::stdout().lock();
        return match stdout.write_all(bytes).and_then(|()| stdout.flush()) {
            // The reader went away (`strata render … | head`): it has what
            // it wanted, which is not an error to report.
            Err(error) if error.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
            result => result.context("cannot write to stdout"),
        };
    };
    let directory = directory_of(path);
    let mut builder = tempfile::Builder::new();
    builder.prefix(".strata-").suffix(".tmp");
    // A temporary file is private (0600) by default; the document it becomes
    // is an ordinary file, so create it as one would be (0666 less the umask).
    #[cfg(unix)]
    builder.permissions(std::os::unix::fs::PermissionsExt::from_mode(0o666));
    let mut file = builder
        .tempfile_in(directory)
        .with_context(|| format!("cannot write {}", path.display()))?;
    file.write_all(bytes)
        .and_then(|()| file.as_file().sync_all())
        .with_context(|| format!("cannot write {}", path.display()))?;
    file.persist(path)
        .with_context(|| format!("cannot replace {}", path.display()))?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_means_what_the_command_says() {
        let path = Path::new("out/estate.JSON");
        assert_eq!(
            Format::from_path(path, Format::Snapshot).unwrap(),
            Format::Snapshot
        );
        assert_eq!(Format::from_path(path, Format::Json).unwrap(), Format::Json);
        assert_eq!(
            Format::from_path(Path::new("a.gv"), Format::Json).unwrap(),
            Format::Dot
        );
        assert_eq!(
            Format::from_path(Path::new("estate.drawio"), Format::Json).unwrap(),
            Format::Drawio
        );
        assert_eq!(
            Format::from_path(Path::new("estate.html"), Format::Json).unwrap(),
            Format::Html
        );
        let message = Format::from_path(Path::new("a.txt"), Format::Json)
            .unwrap_err()
            .to_string();
        assert!(
            message.contains("a.txt") && message.contains("--format"),
            "{message}"
        );
    }

    #[test]
    fn impossible_requests_are_refused_before_any_work() {
        let message = check_request(None, Format::Dot, View::Graph)
            .unwrap_err()
            .to_string();
        assert!(
            message.contains("--view graph draws SVG or PNG only"),
            "{message}"
        );
        let missing = Path::new("/nonexistent-strata-dir/diagram.svg");
        let message = check_request(Some(missing), Format::Svg, View::Architecture)
            .unwrap_err()
            .to_string();
        assert!(
            message.contains("/nonexistent-strata-dir/diagram.svg"),
            "{message}"
        );
        assert!(message.contains("does not exist"), "{message}");
        check_request(Some(Path::new("diagram.svg")), Format::Svg, View::Graph).unwrap();
    }

    #[test]
    fn atomic_write_replaces_whole_files_and_leaves_no_temporaries() {
        let directory = tempfile::tempdir().unwrap();
        let path = directory.path().join("snap.json");
        write_atomic(Some(&path), b"first version, longer").unwrap();
        write_atomic(Some(&path), b"second").unwrap();
        assert_eq!(std::fs::read(&path).unwrap(), b"second");
        let names: Vec<_> = std::fs::read_dir(directory.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names, vec![std::ffi::OsString::from("snap.json")]);
    }

    #[cfg(unix)]
    #[test]
    fn written_files_are_readable_like_any_other_file() {
        use std::os::unix::fs::PermissionsExt;
        let directory = tempfile::tempdir().unwrap();
        let path = directory.path().join("diagram.svg");
        write_atomic(Some(&path), b"<svg/>").unwrap();
        let mode = std::fs::metadata(&path).unwrap().permissions().mode() & 0o777;
        // Whatever the umask, group and others get what it allows, not 0600.
        assert_ne!(mode, 0o600, "mode {mode:o}");
        assert_eq!(mode & 0o600, 0o600, "mode {mode:o}");
    }
}
