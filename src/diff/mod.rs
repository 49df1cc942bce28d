//! What changed between two graphs of the same estate: nodes added, removed
//! and changed (attribute by attribute), edges added, removed and
//! relabelled, the monthly cost delta per resource and in total, and the
//! security-relevant changes ([`exposure`]) called out first.
//!
//! Pure: two built (and priced) [`Graph`]s in, one [`Diff`] out, every list
//! sorted. Identity is the node id, which is stable across scans, so a
//! resource re-created under a new id is a removal plus an addition (listed
//! as [`Replacement`] when kind and name match). An edge is identified by
//! `(from, to, kind)`, which the graph keeps unique by merging labels; a
//! different label on the same edge is a relabelling, not a removal plus an
//! addition, so a widened port range reads as one change. Reading the
//! snapshots and pricing them is `crate::commands::diff`'s; the text,
//! Markdown and JSON are [`report`]'s.

pub mod exposure;
pub mod graph_json;
pub mod report;
#[cfg(test)]
mod tests;

use std::collections::{BTreeMap, BTreeSet};

use rust_decimal::Decimal;
use serde_json::Value;

use crate::graph::costs::Figure;
use crate::graph::{Edge, EdgeKind, Graph, Node, NodeKind};
pub use exposure::Exposure;

/// The diff JSON schema written by [`report`].
pub const SCHEMA: &str = "strata.diff/v1";

/// Everything that differs between an old and a new graph.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Diff {
    /// Security-relevant changes, sorted by rule then node id.
    pub exposures: Vec<Exposure>,
    /// Nodes only in the new graph, by id.
    pub added: Vec<NodeSummary>,
    /// Nodes only in the old graph, by id.
    pub removed: Vec<NodeSummary>,
    /// A removed and an added node of the same kind and name: probably one
    /// resource re-created under a new id.
    pub replaced: Vec<Replacement>,
    /// Nodes in both whose fields or attributes differ, by id.
    pub changed: Vec<NodeChange>,
    pub edges_added: Vec<EdgeSummary>,
    pub edges_removed: Vec<EdgeSummary>,
    pub edges_relabelled: Vec<Relabel>,
    /// `None` unless both graphs were priced.
    pub cost: Option<CostDelta>,
}

impl Diff {
    /// Whether nothing differs: no node, edge or cost change (exposures
    /// and replacements are drawn from those, so they count too).
    pub fn is_empty(&self) -> bool {
        self.exposures.is_empty()
            && self.added.is_empty()
            && self.removed.is_empty()
            && self.changed.is_empty()
            && self.edges_added.is_empty()
            && self.edges_removed.is_empty()
            && self.edges_relabelled.is_empty()
            && self.cost.as_ref().is_none_or(CostDelta::is_unchanged)
    }
}

/// A node as a list entry.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct NodeSummary {
    pub id: String,
    pub kind: NodeKind,
    pub name: String,
    pub status: Option<String>,
}

impl NodeSummary {
    fn of(node: &Node) -> NodeSummary {
        NodeSummary {
            id: node.id.clone(),
            kind: node.kind,
            name: node.name.clone(),
            status: node.status.clone(),
        }
    }
}

/// A removed node and an added one sharing kind and name.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Replacement {
    pub kind: NodeKind,
    pub name: String,
    pub removed: String,
    pub added: String,
}

/// A node present in both graphs, with what differs.
#[derive(Debug, Clone, PartialEq)]
pub struct NodeChange {
    pub id: String,
    pub kind: NodeKind,
    /// The new name (a rename is also one of the changes).
    pub name: String,
    /// Sorted by key.
    pub changes: Vec<AttrChange>,
}

/// One field that differs: `name`, `parent`, `status`, or an `attrs` key,
/// nested object keys joined with `.` (`tags.env`). Arrays compare whole.
#[derive(Debug, Clone, PartialEq)]
pub struct AttrChange {
    pub key: String,
    /// `None` when the old node did not have it.
    pub old: Option<Value>,
    /// `None` when the new node does not have it.
    pub new: Option<Value>,
}

/// An edge as a list entry.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct EdgeSummary {
    pub from: String,
    pub to: String,
    pub kind: EdgeKind,
    pub label: String,
}

/// An edge in both graphs whose label differs.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Relabel {
    pub from: String,
    pub to: String,
    pub kind: EdgeKind,
    pub old_label: String,
    pub new_label: String,
}

/// What a node costs per month in one graph.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Amount {
    /// No estimate: the node is not there, or costs nothing of its own.
    Absent,
    /// Part of its fixed cost has no price.
    NoPrice,
    Usd(Decimal),
}

impl Amount {
    fn of(graph: &Graph, id: &str) -> Amount {
        let estimate = graph
            .costs
            .as_ref()
            .and_then(|costs| costs.estimates.get(id));
        match estimate {
            None => Amount::Absent,
            Some(estimate) => estimate.amount.map_or(Amount::NoPrice, Amount::Usd),
        }
    }

    /// What it adds to a sum: an absent node costs nothing, an unpriced one
    /// an unknown amount.
    fn summand(self) -> Option<Decimal> {
        match self {
            Amount::Absent => Some(Decimal::ZERO),
            Amount::NoPrice => None,
            Amount::Usd(amount) => Some(amount),
        }
    }
}

/// One node whose monthly cost differs.
#[derive(Debug, Clone, PartialEq)]
pub struct CostChange {
    pub id: String,
    pub old: Amount,
    pub new: Amount,
}

impl CostChange {
    /// `new − old`; `None` when either side has no price.
    pub fn delta(&self) -> Option<Decimal> {
        Some((self.new.summand()? - self.old.summand()?).normalize())
    }
}

/// The monthly totals of both estates (every resource, drawn or not).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TotalChange {
    pub old: Figure,
    pub new: Figure,
}

impl TotalChange {
    /// The change in the priced amount; unpriced resources are counted in
    /// each figure, never guessed.
    pub fn delta(&self) -> Decimal {
        (self.new.amount - self.old.amount).normalize()
    }
}

/// The cost side of a diff.
#[derive(Debug, Clone, PartialEq)]
pub struct CostDelta {
    /// Which prices priced the new graph (`bundled AWS list prices (…)`).
    pub prices: String,
    /// By node id.
    pub resources: Vec<CostChange>,
    pub total: TotalChange,
}

impl CostDelta {
    /// No resource's cost and not the total changed.
    pub fn is_unchanged(&self) -> bool {
        self.resources.is_empty() && self.total.delta().is_zero()
    }
}

/// Compare `old` with `new`.
pub fn compare(old: &Graph, new: &Graph) -> Diff {
    let old_nodes = nodes_by_id(old);
    let new_nodes = nodes_by_id(new);
    let mut diff = Diff::default();
    for (id, node) in &new_nodes {
        match old_nodes.get(id) {
            None => diff.added.push(NodeSummary::of(node)),
            Some(before) => {
                let changes = node_changes(before, node);
                if !changes.is_empty() {
                    diff.changed.push(NodeChange {
                        id: id.to_string(),
                        kind: node.kind,
                        name: node.name.clone(),
                        changes,
                    });
                }
            }
        }
    }
    diff.removed = old_nodes
        .iter()
        .filter(|(id, _)| !new_nodes.contains_key(*id))
        .map(|(_, node)| NodeSummary::of(node))
        .collect();
    diff.replaced = replacements(&diff.removed, &diff.added);

    let old_edges = edges_by_key(old);
    let new_edges = edges_by_key(new);
    for (&(from, to, kind), edge) in &new_edges {
        match old_edges.get(&(from, to, kind)) {
            None => diff.edges_added.push(summary(from, to, edge)),
            Some(before) if before.label != edge.label => diff.edges_relabelled.push(Relabel {
                from: from.to_string(),
                to: to.to_string(),
                kind,
                old_label: before.label.clone(),
                new_label: edge.label.clone(),
            }),
            Some(_) => {}
        }
    }
    diff.edges_removed = old_edges
        .iter()
        .filter(|(key, _)| !new_edges.contains_key(*key))
        .map(|(&(from, to, _), edge)| summary(from, to, edge))
        .collect();

    let ids = old_nodes.keys().chain(new_nodes.keys()).copied().collect();
    diff.cost = cost_delta(old, new, ids);
    diff.exposures = exposure::find(&diff, old, new);
    diff
}

fn nodes_by_id(graph: &Graph) -> BTreeMap<&str, &Node> {
    graph
        .graph
        .node_weights()
        .map(|node| (node.id.as_str(), node))
        .collect()
}

type EdgeKey<'a> = (&'a str, &'a str, EdgeKind);

fn edges_by_key(graph: &Graph) -> BTreeMap<EdgeKey<'_>, &Edge> {
    graph
        .edges()
        .into_iter()
        .map(|(from, to, edge)| ((from.id.as_str(), to.id.as_str(), edge.kind), edge))
        .collect()
}

fn summary(from: &str, to: &str, edge: &Edge) -> EdgeSummary {
    EdgeSummary {
        from: from.to_string(),
        to: to.to_string(),
        kind: edge.kind,
        label: edge.label.clone(),
    }
}

/// The fields of two versions of a node that differ, sorted by key.
fn node_changes(old: &Node, new: &Node) -> Vec<AttrChange> {
    let text = |value: &Option<String>| value.clone().map(Value::String);
    let mut changes = Vec::new();
    let fields = [
        (
            "name",
            Some(Value::String(old.name.clone())),
            Some(Value::String(new.name.clone())),
        ),
        ("parent", text(&old.parent), text(&new.parent)),
        ("status", text(&old.status), text(&new.status)),
    ];
    for (key, old, new) in fields {
        if old != new {
            changes.push(AttrChange {
                key: key.to_string(),
                old,
                new,
            });
        }
    }
    let old_attrs = flatten(&old.attrs);
    let new_attrs = flatten(&new.attrs);
    let keys: BTreeSet<&String> = old_attrs.keys().chain(new_attrs.keys()).collect();
    for key in keys {
        let (old, new) = (old_attrs.get(key), new_attrs.get(key));
        if old != new {
            changes.push(AttrChange {
                key: key.clone(),
                old: old.cloned(),
                new: new.cloned(),
            });
        }
    }
    changes.sort_by(|a, b| a.key.cmp(&b.key));
    changes
}

/// `attrs` with nested objects spread into dotted keys, so a retag reads
/// `tags.env: prod → test` rather than two whole tag maps.
fn flatten(attrs: &BTreeMap<String, Value>) -> BTreeMap<String, Value> {
    fn spread(prefix: &str, value: &Value, out: &mut BTreeMap<String, Value>) {
        match value {
            Value::Object(map) if !map.is_empty() => {
                for (key, inner) in map {
                    spread(&format!("{prefix}.{key}"), inner, out);
                }
            }
            other => {
                out.insert(prefix.to_string(), other.clone());
            }
        }
    }
    let mut out = BTreeMap::new();
    for (key, value) in attrs {
        spread(key, value, &mut out);
    }
    out
}

fn replacements(removed: &[NodeSummary], added: &[NodeSummary]) -> Vec<Replacement> {
    // Indexed by kind and name: a whole estate re-created under new ids
    // must not compare every removal with every addition.
    let mut by_kind_and_name: BTreeMap<(NodeKind, &str), Vec<&str>> = BTreeMap::new();
    for new in added {
        by_kind_and_name
            .entry((new.kind, new.name.as_str()))
            .or_default()
            .push(new.id.as_str());
    }
    let mut replaced: Vec<Replacement> = removed
        .iter()
        .flat_map(|gone| {
            let matches = by_kind_and_name
                .get(&(gone.kind, gone.name.as_str()))
                .map_or(&[][..], Vec::as_slice);
            matches.iter().map(|added| Replacement {
                kind: gone.kind,
                name: gone.name.clone(),
                removed: gone.id.clone(),
                added: added.to_string(),
            })
        })
        .collect();
    replaced.sort();
    replaced
}

/// The cost changes of the nodes `ids` (of either graph), when both graphs
/// are priced.
fn cost_delta(old: &Graph, new: &Graph, ids: BTreeSet<&str>) -> Option<CostDelta> {
    let (old_costs, new_costs) = (old.costs.as_ref()?, new.costs.as_ref()?);
    let resources = ids
        .into_iter()
        .filter_map(|id| {
            let (before, after) = (Amount::of(old, id), Amount::of(new, id));
            (before != after).then(|| CostChange {
                id: id.to_string(),
                old: before,
                new: after,
            })
        })
        .collect();
    Some(CostDelta {
        prices: new_costs.prices.clone(),
        resources,
        total: TotalChange {
            old: old_costs.total,
            new: new_costs.total,
        },
    })
}
