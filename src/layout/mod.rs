//! Geometry only: where every container, tile, edge route and label of the
//! architecture view goes. Knows nothing of SVG; `render::svg` draws a Layout.

use crate::graph::Graph;

/// A resolved drawing: absolute coordinates for everything drawn.
#[derive(Debug, Clone, Default)]
pub struct Layout {}

/// Lay out the architecture view of a graph.
pub fn architecture(graph: &Graph) -> Layout {
    todo!(
        "architecture layout (issue 4): {}",
        graph.graph.node_count()
    )
}
