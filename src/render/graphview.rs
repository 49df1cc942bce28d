//! `--view graph`: the relationship graph without containers, laid out by
//! layout-rs, as SVG.

use crate::graph::Graph;

/// SVG of the relationship graph, or an error when it is too large to lay out.
pub fn render(graph: &Graph) -> anyhow::Result<String> {
    todo!("graph view (issue 4): {}", graph.graph.node_count())
}
