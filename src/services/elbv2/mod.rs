//! Elastic Load Balancing v2: application, network and gateway load
//! balancers, their listeners and rules, and target groups with the health
//! of each target.
//!
//! A load balancer is drawn in a lane across the zones of its subnets; a
//! target group is plumbing between it and its targets, so the drawing
//! joins `forwards` and `targets` through it.

pub(crate) mod cost;
mod graph;
pub mod model;
pub(crate) mod redact;
#[cfg(feature = "scan")]
pub(crate) mod scan;

pub use model::*;

use crate::services::{Look, Place};
use crate::style::Category;

kinds! {
    LoadBalancer(LoadBalancerAttrs) => "load-balancer",
    Listener(ListenerAttrs) => "listener",
    TargetGroup(TargetGroupAttrs) => "target-group",
}

pub fn look(kind: Kind) -> Look {
    let tile = |icon, place, rank| Look::tile(Category::Networking, icon, place, rank);
    match kind {
        Kind::LoadBalancer => tile(
            icon!("load-balancer", drawio: "elastic_load_balancing"),
            Place::Lane,
            1,
        ),
        Kind::Listener => Look::never(Category::Networking),
        Kind::TargetGroup => tile(
            icon!("target-group", drawio: "elastic_load_balancing"),
            Place::Cell,
            6,
        ),
    }
}

pub struct LoadBalancing;

pub const SERVICE: LoadBalancing = LoadBalancing;

#[cfg(feature = "scan")]
impl crate::services::Service for LoadBalancing {
    fn iam_prefix(&self) -> &'static str {
        "elasticloadbalancing"
    }
}
