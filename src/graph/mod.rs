//! From a snapshot to the architecture graph: containment, subnet tiers,
//! live status and relationships with their evidence. Pure: no network, no
//! clock, no randomness; the same snapshot always gives the same graph.

mod build;
mod model;

pub use build::build;
pub use model::{Edge, EdgeKind, Graph, Node, NodeKind, SCHEMA};
