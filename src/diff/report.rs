//! A [`Diff`] as text for a terminal, Markdown for a pull-request comment,
//! or JSON (`strata.diff/v1`, documented in the README). Owns the wording
//! and the schema; what differs is `super`'s. Exposure always comes first.
//! Names and labels come from the scan and are untrusted: they are made
//! printable (and Markdown-safe) by the cost report's helpers.

use std::fmt::Write as _;

use rust_decimal::Decimal;
use serde::Serialize;
use serde_json::Value;

use super::{Amount, CostChange, Diff, NodeSummary, SCHEMA};
use crate::cost::report::{markdown_cell, printable};
use crate::graph::costs::Figure;

/// The format of the diff report.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, clap::ValueEnum)]
pub enum DiffFormat {
    /// A summary for a terminal.
    #[default]
    Text,
    /// Sections for a pull-request comment.
    Markdown,
    /// `strata.diff/v1`.
    Json,
}

/// `diff` in `format`, ending in a newline.
pub fn render(diff: &Diff, format: DiffFormat) -> String {
    match format {
        DiffFormat::Text => text(diff),
        DiffFormat::Markdown => markdown(diff),
        DiffFormat::Json => json(diff),
    }
}

/// How the terminal and the Markdown report write the same lines: their
/// section titles, the mark before each line, and how untrusted text is
/// made safe (printable for a terminal, code spans and escaped cells for
/// Markdown).
struct Dialect {
    /// Exposure, added, removed, replaced?, changed, edges added, edges
    /// removed, edges relabelled.
    titles: [&'static str; 8],
    /// The mark of an exposure, addition, removal and change line.
    marks: [&'static str; 4],
    /// An id, a key or a label.
    code: fn(&str) -> String,
    /// A name, a status or a detail.
    words: fn(&str) -> String,
    /// An exposure rule's name.
    rule: fn(&str) -> String,
    /// What starts each changed attribute of a changed node.
    change_line: &'static str,
}

const TEXT: Dialect = Dialect {
    titles: [
        "exposure",
        "added",
        "removed",
        "replaced?",
        "changed",
        "edges added",
        "edges removed",
        "edges relabelled",
    ],
    marks: ["! ", "+ ", "- ", "~ "],
    code: printable,
    words: printable,
    rule: str::to_string,
    change_line: "\n      ",
};

const MARKDOWN: Dialect = Dialect {
    titles: [
        "⚠️ Exposure",
        "Added",
        "Removed",
        "Replaced?",
        "Changed",
        "Edges added",
        "Edges removed",
        "Edges relabelled",
    ],
    marks: [""; 4],
    code: markdown_code,
    words: markdown_cell,
    rule: |rule| format!("**{rule}**"),
    change_line: "\n  - ",
};

/// A Markdown code span of untrusted text (a backtick would end it).
fn markdown_code(text: &str) -> String {
    format!("`{}`", printable(text).replace('`', "'"))
}

/// The report's sections, titled, in order, empty ones included.
fn sections(diff: &Diff, dialect: &Dialect) -> Vec<(&'static str, Vec<String>)> {
    let Dialect {
        titles,
        marks: [exposed, plus, minus, tilde],
        code,
        words,
        rule,
        change_line,
    } = dialect;
    let node = |node: &NodeSummary| {
        let status = node
            .status
            .as_deref()
            .map(|status| format!(", {}", words(status)))
            .unwrap_or_default();
        format!(
            "{} ({} {}{status})",
            code(&node.id),
            node.kind,
            words(&node.name)
        )
    };
    let edge = |from: &str, to: &str, kind, label: &str| {
        format!("{} → {} {kind} {}", code(from), code(to), code(label))
    };
    let exposures = diff
        .exposures
        .iter()
        .map(|exposure| {
            format!(
                "{exposed}{} {} ({}): {}",
                rule(exposure.rule.as_str()),
                code(&exposure.node),
                words(&exposure.name),
                words(&exposure.detail)
            )
        })
        .collect();
    let replaced = diff
        .replaced
        .iter()
        .map(|replaced| {
            format!(
                "{} {}: {} → {}",
                replaced.kind,
                words(&replaced.name),
                code(&replaced.removed),
                code(&replaced.added)
            )
        })
        .collect();
    let changed = diff
        .changed
        .iter()
        .map(|change| {
            let mut line = format!("{tilde}{} ({})", code(&change.id), words(&change.name));
            for attr in &change.changes {
                let _ = write!(
                    line,
                    "{change_line}{}: {} → {}",
                    code(&attr.key),
                    code(&value_text(attr.old.as_ref())),
                    code(&value_text(attr.new.as_ref()))
                );
            }
            line
        })
        .collect();
    let relabelled = diff
        .edges_relabelled
        .iter()
        .map(|e| {
            format!(
                "{tilde}{} → {} {}: {} → {}",
                code(&e.from),
                code(&e.to),
                e.kind,
                code(&e.old_label),
                code(&e.new_label)
            )
        })
        .collect();
    let lines = [
        exposures,
        diff.added
            .iter()
            .map(|n| format!("{plus}{}", node(n)))
            .collect(),
        diff.removed
            .iter()
            .map(|n| format!("{minus}{}", node(n)))
            .collect(),
        replaced,
        changed,
        diff.edges_added
            .iter()
            .map(|e| format!("{plus}{}", edge(&e.from, &e.to, e.kind, &e.label)))
            .collect(),
        diff.edges_removed
            .iter()
            .map(|e| format!("{minus}{}", edge(&e.from, &e.to, e.kind, &e.label)))
            .collect(),
        relabelled,
    ];
    titles.iter().copied().zip(lines).collect()
}

fn text(diff: &Diff) -> String {
    if diff.is_empty() {
        return "no changes\n".to_string();
    }
    let mut out = String::new();
    for (title, lines) in sections(diff, &TEXT) {
        if !lines.is_empty() {
            let _ = writeln!(out, "{title} ({}):", lines.len());
            for line in lines {
                let _ = writeln!(out, "  {line}");
            }
        }
    }
    if let Some(cost) = diff.cost.as_ref().filter(|cost| !cost.is_unchanged()) {
        let _ = writeln!(out, "cost per month (USD; {}):", printable(&cost.prices));
        for change in &cost.resources {
            let _ = writeln!(
                out,
                "  {} {} ({} → {})",
                delta_text(change.delta()),
                printable(&change.id),
                amount_text(change.old),
                amount_text(change.new)
            );
        }
        let _ = writeln!(
            out,
            "  total {} → {} ({})",
            figure_text(cost.total.old),
            figure_text(cost.total.new),
            delta_text(Some(cost.total.delta()))
        );
    }
    out
}

fn markdown(diff: &Diff) -> String {
    let mut out = String::from("### strata diff\n\n");
    if diff.is_empty() {
        out.push_str("No changes.\n");
        return out;
    }
    for (title, lines) in sections(diff, &MARKDOWN) {
        if !lines.is_empty() {
            let _ = writeln!(out, "#### {title} ({})\n", lines.len());
            for line in lines {
                let _ = writeln!(out, "- {line}");
            }
            out.push('\n');
        }
    }
    if let Some(cost) = diff.cost.as_ref().filter(|cost| !cost.is_unchanged()) {
        let _ = write!(
            out,
            "#### Cost per month (USD)\n\nPrices: {}.\n\n| resource | old | new | change |\n|---|---:|---:|---:|\n",
            markdown_cell(&cost.prices)
        );
        for change in &cost.resources {
            let _ = writeln!(
                out,
                "| {} | {} | {} | {} |",
                markdown_code(&change.id),
                amount_text(change.old),
                amount_text(change.new),
                delta_text(change.delta())
            );
        }
        let _ = writeln!(
            out,
            "| **total** | {} | {} | {} |",
            figure_text(cost.total.old),
            figure_text(cost.total.new),
            delta_text(Some(cost.total.delta()))
        );
    }
    while out.ends_with("\n\n") {
        out.pop();
    }
    out
}

fn json(diff: &Diff) -> String {
    #[derive(Serialize)]
    struct Document<'d> {
        schema: &'static str,
        changed: bool,
        exposures: Vec<ExposureJson<'d>>,
        nodes: Nodes<'d>,
        edges: Edges<'d>,
        cost: Option<CostJson<'d>>,
    }
    #[derive(Serialize)]
    struct ExposureJson<'d> {
        rule: &'static str,
        node: &'d str,
        name: &'d str,
        detail: &'d str,
    }
    #[derive(Serialize)]
    struct Nodes<'d> {
        added: Vec<NodeJson<'d>>,
        removed: Vec<NodeJson<'d>>,
        replaced: Vec<ReplacedJson<'d>>,
        changed: Vec<ChangedJson<'d>>,
    }
    #[derive(Serialize)]
    struct NodeJson<'d> {
        id: &'d str,
        kind: &'static str,
        name: &'d str,
        status: Option<&'d str>,
    }
    #[derive(Serialize)]
    struct ReplacedJson<'d> {
        kind: &'static str,
        name: &'d str,
        removed: &'d str,
        added: &'d str,
    }
    #[derive(Serialize)]
    struct ChangedJson<'d> {
        id: &'d str,
        kind: &'static str,
        name: &'d str,
        changes: Vec<AttrJson<'d>>,
    }
    #[derive(Serialize)]
    struct AttrJson<'d> {
        key: &'d str,
        old: Option<&'d Value>,
        new: Option<&'d Value>,
    }
    #[derive(Serialize)]
    struct Edges<'d> {
        added: Vec<EdgeJson<'d>>,
        removed: Vec<EdgeJson<'d>>,
        relabelled: Vec<RelabelJson<'d>>,
    }
    #[derive(Serialize)]
    struct EdgeJson<'d> {
        from: &'d str,
        to: &'d str,
        kind: &'static str,
        label: &'d str,
    }
    #[derive(Serialize)]
    struct RelabelJson<'d> {
        from: &'d str,
        to: &'d str,
        kind: &'static str,
        old_label: &'d str,
        new_label: &'d str,
    }
    #[derive(Serialize)]
    struct CostJson<'d> {
        prices: &'d str,
        currency: &'static str,
        period: &'static str,
        resources: Vec<CostChangeJson<'d>>,
        total: TotalJson,
    }
    #[derive(Serialize)]
    struct CostChangeJson<'d> {
        id: &'d str,
        old: Option<AmountJson>,
        new: Option<AmountJson>,
        delta: Option<Decimal>,
    }
    /// As the graph JSON's `cost`: `amount` is `null` when unpriced.
    #[derive(Serialize)]
    struct AmountJson {
        amount: Option<Decimal>,
    }
    #[derive(Serialize)]
    struct TotalJson {
        old: FigureJson,
        new: FigureJson,
        delta: Decimal,
    }
    #[derive(Serialize)]
    struct FigureJson {
        amount: Decimal,
        priced: usize,
        unpriced: usize,
    }
    let amount = |amount: Amount| match amount {
        Amount::Absent => None,
        Amount::NoPrice => Some(AmountJson { amount: None }),
        Amount::Usd(usd) => Some(AmountJson {
            amount: Some(usd.normalize()),
        }),
    };
    let figure = |figure: Figure| FigureJson {
        amount: figure.amount.normalize(),
        priced: figure.priced,
        unpriced: figure.unpriced,
    };
    fn node(node: &NodeSummary) -> NodeJson<'_> {
        NodeJson {
            id: &node.id,
            kind: node.kind.as_str(),
            name: &node.name,
            status: node.status.as_deref(),
        }
    }
    let document = Document {
        schema: SCHEMA,
        changed: !diff.is_empty(),
        exposures: diff
            .exposures
            .iter()
            .map(|exposure| ExposureJson {
                rule: exposure.rule.as_str(),
                node: &exposure.node,
                name: &exposure.name,
                detail: &exposure.detail,
            })
            .collect(),
        nodes: Nodes {
            added: diff.added.iter().map(node).collect(),
            removed: diff.removed.iter().map(node).collect(),
            replaced: diff
                .replaced
                .iter()
                .map(|replaced| ReplacedJson {
                    kind: replaced.kind.as_str(),
                    name: &replaced.name,
                    removed: &replaced.removed,
                    added: &replaced.added,
                })
                .collect(),
            changed: diff
                .changed
                .iter()
                .map(|change| ChangedJson {
                    id: &change.id,
                    kind: change.kind.as_str(),
                    name: &change.name,
                    changes: change
                        .changes
                        .iter()
                        .map(|attr| AttrJson {
                            key: &attr.key,
                            old: attr.old.as_ref(),
                            new: attr.new.as_ref(),
                        })
                        .collect(),
                })
                .collect(),
        },
        edges: Edges {
            added: diff
                .edges_added
                .iter()
                .map(|e| EdgeJson {
                    from: &e.from,
                    to: &e.to,
                    kind: e.kind.as_str(),
                    label: &e.label,
                })
                .collect(),
            removed: diff
                .edges_removed
                .iter()
                .map(|e| EdgeJson {
                    from: &e.from,
                    to: &e.to,
                    kind: e.kind.as_str(),
                    label: &e.label,
                })
                .collect(),
            relabelled: diff
                .edges_relabelled
                .iter()
                .map(|e| RelabelJson {
                    from: &e.from,
                    to: &e.to,
                    kind: e.kind.as_str(),
                    old_label: &e.old_label,
                    new_label: &e.new_label,
                })
                .collect(),
        },
        cost: diff.cost.as_ref().map(|cost| CostJson {
            prices: &cost.prices,
            currency: "USD",
            period: "month",
            resources: cost
                .resources
                .iter()
                .map(|change: &CostChange| CostChangeJson {
                    id: &change.id,
                    old: amount(change.old),
                    new: amount(change.new),
                    delta: change.delta(),
                })
                .collect(),
            total: TotalJson {
                old: figure(cost.total.old),
                new: figure(cost.total.new),
                delta: cost.total.delta(),
            },
        }),
    };
    let mut text =
        serde_json::to_string_pretty(&document).expect("a diff always serializes to JSON");
    text.push('\n');
    text
}

/// A changed value in one line: text as it is, an array by its length (the
/// JSON has the whole array), anything else as JSON.
fn value_text(value: Option<&Value>) -> String {
    match value {
        None => "(none)".to_string(),
        Some(Value::String(text)) => text.clone(),
        Some(Value::Array(items)) if items.len() == 1 => "1 entry".to_string(),
        Some(Value::Array(items)) => format!("{} entries", items.len()),
        Some(other) => other.to_string(),
    }
}

fn amount_text(amount: Amount) -> String {
    match amount {
        Amount::Absent => "none".to_string(),
        Amount::NoPrice => "no price".to_string(),
        Amount::Usd(usd) => usd.normalize().to_string(),
    }
}

fn delta_text(delta: Option<Decimal>) -> String {
    match delta {
        None => "no price".to_string(),
        Some(delta) if delta.is_sign_negative() && !delta.is_zero() => delta.to_string(),
        Some(delta) => format!("+{delta}"),
    }
}

fn figure_text(figure: Figure) -> String {
    let amount = figure.amount.normalize();
    match figure.unpriced {
        0 => amount.to_string(),
        unpriced => format!("{amount} (+ {unpriced} without price)"),
    }
}
