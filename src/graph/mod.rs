//! From a snapshot to the architecture graph: containment, subnet tiers,
//! live status and relationships with their evidence. Pure: no network, no
//! clock, no randomness; the same snapshot always gives the same graph.
//!
//! `build` runs the services' rules phase by phase; `builder` is the graph
//! under construction (node indexes, edge merging); `rules` holds what the
//! phases share (interface owners, who holds which group and IP);
//! `inventory` gives typed access to the snapshot; `ids` names nodes;
//! `model` is the output contract.

mod build;
pub(crate) mod builder;
pub mod costs;
pub(crate) mod ids;
pub(crate) mod inventory;
mod model;
pub(crate) mod rules;
#[cfg(test)]
mod tests;

pub use build::build;
pub use model::{
    ChildIndex, Drawing, Edge, EdgeKind, Fold, Graph, Health, Mention, Node, NodeKind, Span, Tier,
    SCHEMA,
};
