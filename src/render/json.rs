//! Graph JSON (`strata.graph/v1`).

use crate::graph::Graph;

/// Graph JSON of a graph, pretty-printed with a trailing newline.
pub fn render(graph: &Graph) -> String {
    todo!("graph json (issue 3): {}", graph.graph.node_count())
}
