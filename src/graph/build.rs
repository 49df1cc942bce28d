//! Inference rules: snapshot resources to nodes and edges.

use crate::graph::Graph;
use crate::snapshot::Snapshot;

/// Build the graph of a snapshot.
pub fn build(snapshot: &Snapshot) -> Graph {
    todo!("graph inference (issue 3): {}", snapshot.resources.len())
}
