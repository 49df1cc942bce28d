//! RDS: DB instances, Aurora clusters and DB subnet groups.
//!
//! An instance sits in the subnet of its zone within its subnet group (a
//! Multi-AZ standby is repeated in its secondary zone when that is known);
//! a cluster is drawn in a lane across its members' zones and holds their
//! security groups.

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
    DbSubnetGroup(DbSubnetGroupAttrs) => "db-subnet-group",
    Instance(RdsInstanceAttrs) => "rds-instance",
    Cluster(RdsClusterAttrs) => "rds-cluster",
}

pub fn look(kind: Kind) -> Look {
    let tile = |icon, place, rank| Look::tile(Category::Database, icon, place, rank);
    match kind {
        Kind::DbSubnetGroup => Look::never(Category::Database),
        Kind::Instance => tile(icon!("rds-instance", drawio: "rds"), Place::Cell, 4),
        Kind::Cluster => tile(icon!("rds-cluster", drawio: "aurora"), Place::Lane, 5),
    }
}

pub struct Rds;

pub const SERVICE: Rds = Rds;

#[cfg(feature = "scan")]
impl crate::services::Service for Rds {
    fn iam_prefix(&self) -> &'static str {
        "rds"
    }
}
