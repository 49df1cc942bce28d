//! The architecture view as SVG.

use crate::layout::Layout;

/// Draw a layout as a standalone SVG document.
pub fn render(layout: &Layout) -> String {
    todo!("svg (issue 4): {layout:?}")
}
