//! The graph as Graphviz DOT with nested clusters.

use crate::graph::Graph;

/// Graphviz DOT of a graph.
pub fn render(graph: &Graph) -> String {
    todo!("dot (issue 4): {}", graph.graph.node_count())
}
