//! Graphviz DOT, in two forms. [`clustered`] writes the graph as nested
//! `subgraph cluster_…` for Graphviz's `dot` to lay out; [`positioned`]
//! writes strata's own [`Layout`](crate::layout::Layout) as positions, for
//! `neato -n2` to draw as laid out, at any size.
//!
//! Owns what the two forms share: quoting (every string from the graph goes
//! through [`quote`], every label through [`quote_label`], so no name can end
//! a string, add a statement or reach Graphviz's escape sequences) and the
//! DOT attributes of a resource box, a frame and an edge, taken from the
//! style table the SVG uses. What is drawn where is each form's business.

pub mod clustered;
pub mod positioned;

use std::fmt::Write;

pub use clustered::render;

use crate::graph::{EdgeKind, NodeKind};
use crate::style::{self, Frame, Status, INK, INK_SOFT};
use crate::text::{visible, Font};

/// The font labels are measured in (Graphviz's `fontname` and `fontsize`).
const LABEL_FONT: Font = Font::regular(10.0);
/// Longest tooltip line: enough for any AWS name, bounded for hostile ones.
const TOOLTIP_WIDTH: f64 = 3000.0;
/// Graphviz's `arrowsize` on every edge.
const ARROW_SIZE: f64 = 0.7;

/// The name of the cluster drawing a container.
pub fn cluster_name(id: &str) -> String {
    format!("cluster_{id}")
}

/// A DOT double-quoted string holding exactly `value`: the only escape DOT's
/// parser knows in quoted strings is `\"`; a backslash is doubled so that a
/// trailing one cannot swallow the closing quote and so that label escapes
/// (`\N`, `\l`, …) are never formed. Characters that are invalid in the SVG
/// Graphviz writes (control characters) or that reorder text are written
/// as `<U+XXXX>`, and `<` as `<U+003C>` so that spelling stays unambiguous.
pub fn quote(value: &str) -> String {
    let mut out = String::with_capacity(value.len() + 2);
    out.push('"');
    for c in value.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '<' => out.push_str("<U+003C>"),
            c if !(c.is_ascii_graphic() || c == ' ') && is_hidden(c) => {
                let _ = write!(out, "<U+{:04X}>", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Whether `visible` would not show `c` as itself (a control character
/// or a bidirectional override).
fn is_hidden(c: char) -> bool {
    let mut buffer = [0; 4];
    let spelled = c.encode_utf8(&mut buffer);
    visible(spelled) != *spelled
}

/// Two spaces per level of nesting, bounded so that a deep (or cyclic)
/// containment cannot make lines of unbounded width.
fn indent(out: &mut String, depth: usize) {
    for _ in 0..depth.min(32) {
        out.push_str("  ");
    }
}

/// `text` as a label shows it: one displayable line, cut with an ellipsis
/// to `max_width` points of the label font.
fn shown(text: &str, max_width: f64) -> String {
    LABEL_FONT.fit(&visible(text), max_width)
}

/// A quoted label of display lines, joined with Graphviz's centred line
/// break. Graphviz decodes HTML entities in plain labels, so `&` is written
/// as `&amp;` to show a name like `&lt;` as typed. The lines must already be
/// displayable (`text::visible`): this escapes, it does not clean.
fn quote_label(lines: &[String]) -> String {
    let mut out = String::from("\"");
    for (i, line) in lines.iter().enumerate() {
        if i > 0 {
            out.push_str("\\n");
        }
        for c in line.chars() {
            match c {
                '"' => out.push_str("\\\""),
                '\\' => out.push_str("\\\\"),
                '&' => out.push_str("&amp;"),
                c => out.push(c),
            }
        }
    }
    out.push('"');
    out
}

/// The look of a resource box: filled in its category's tint, outlined in
/// its category colour, or dashed in its badge's colour when it is stopped.
fn node_style(kind: NodeKind, status: Status) -> String {
    let category = kind.look().category;
    let (style, colour, font) = match status {
        Status::Normal => ("\"rounded,filled\"", category.colour(), INK),
        _ if status.dims() => ("\"rounded,filled,dashed\"", status.badge().0, INK_SOFT),
        _ => ("\"rounded,filled\"", status.badge().0, INK),
    };
    format!(
        "style={style}, color=\"{colour}\", fillcolor=\"{}\", fontcolor=\"{font}\"",
        category.tint()
    )
}

/// The look of a frame: the frame's stroke, and its tint when it has one.
fn cluster_style(frame: Frame) -> String {
    let look = style::frame(frame);
    let colour = look.stroke.colour;
    let (style, fill) = match look.fill {
        "none" => (look.stroke.dot_style().to_string(), "#FFFFFF"),
        fill => (format!("\"{},filled\"", look.stroke.dot_style()), fill),
    };
    format!("style={style}, color=\"{colour}\", fillcolor=\"{fill}\", fontcolor=\"{colour}\"")
}

/// The look of an edge: its kind's stroke and arrowheads, dashed in red (or
/// in the standby grey) when the health it carries is not normal.
fn edge_style(kind: EdgeKind, health: Option<Status>) -> String {
    let stroke = style::edge(kind);
    let (style, colour) = match health {
        None | Some(Status::Normal) => (stroke.dot_style(), stroke.colour),
        Some(status) if status.is_degraded() => ("dashed", Status::Failed.badge().0),
        Some(_) => ("dashed", Status::Standby.badge().0),
    };
    format!(
        "style={style}, color=\"{colour}\", penwidth={}, fontcolor=\"{colour}\"{}",
        stroke.width,
        style::dot_arrows(kind)
    )
}

#[cfg(test)]
#[path = "../../../tests/support/graphviz.rs"]
mod graphviz_run;

#[cfg(test)]
pub(crate) mod testing {
    //! Running the real Graphviz on the DOT the tests write.

    /// Run a Graphviz command (`dot`, `neato`) with `args` on a DOT
    /// document and return what it writes; panics when it is missing, fails
    /// or reports a syntax error.
    pub fn graphviz(command: &str, args: &[&str], dot: &str) -> String {
        let command: Vec<&str> = std::iter::once(command)
            .chain(args.iter().copied())
            .collect();
        let ran = super::graphviz_run::run(&command, dot);
        assert!(!ran.stderr.contains("syntax error"), "{}", ran.stderr);
        String::from_utf8(ran.stdout).expect("Graphviz writes UTF-8")
    }

    /// The DOT node name Graphviz reports for a graph id: its lexer turns
    /// `\"` into `"` and keeps a `\\` pair as it is.
    pub fn dot_name(id: &str) -> String {
        let quoted = super::quote(id);
        let mut name = String::new();
        let mut chars = quoted[1..quoted.len() - 1].chars();
        while let Some(c) = chars.next() {
            if c != '\\' {
                name.push(c);
                continue;
            }
            match chars.next() {
                Some('"') => name.push('"'),
                Some(next) => {
                    name.push('\\');
                    name.push(next);
                }
                None => name.push('\\'),
            }
        }
        name
    }
}
