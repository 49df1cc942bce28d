//! From a snapshot to the architecture graph: containment, subnet tiers,
//! live status and relationships with their evidence. Pure: no network, no
//! clock, no randomness; the same snapshot always gives the same graph.
//!
//! `build` runs the passes; `containment` places nodes; `tiers` reads route
//! tables; `network` answers who holds which interface, group and IP;
//! `reachability`, `balancing` and `links` draw the relationships; `ids`
//! names nodes; `model` is the output contract.

mod balancing;
mod build;
mod containment;
mod ids;
mod inventory;
mod links;
mod model;
mod network;
mod reachability;
#[cfg(test)]
mod tests;
mod tiers;

pub use build::build;
pub use model::{ChildIndex, Edge, EdgeKind, Graph, Node, NodeKind, SCHEMA};
