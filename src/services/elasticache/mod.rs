//! ElastiCache: Redis OSS and Valkey replication groups with their member
//! nodes, Memcached clusters with their nodes, and cache subnet groups.
//!
//! A node sits in the subnet of its zone within its subnet group; a
//! replication group is drawn in a lane across its members' zones, holds
//! their security groups (clients reach the group's endpoints) and has a
//! `member` edge from each node labelled primary or replica; a Memcached
//! cluster whose nodes span zones is drawn across them.

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
    ReplicationGroup(ReplicationGroupAttrs) => "elasticache-replication-group",
    CacheCluster(CacheClusterAttrs) => "elasticache-cluster",
    CacheSubnetGroup(CacheSubnetGroupAttrs) => "elasticache-subnet-group",
}

pub fn look(kind: Kind) -> Look {
    let tile = |icon, place, rank| Look::tile(Category::Database, icon, place, rank);
    match kind {
        Kind::ReplicationGroup => tile(
            icon!("elasticache-replication-group", drawio: "elasticache"),
            Place::Lane,
            5,
        ),
        Kind::CacheCluster => tile(
            icon!("elasticache-cluster", drawio: "elasticache"),
            Place::Cell,
            4,
        ),
        Kind::CacheSubnetGroup => Look::never(Category::Database),
    }
}

pub struct ElastiCache;

pub const SERVICE: ElastiCache = ElastiCache;

#[cfg(feature = "scan")]
impl crate::services::Service for ElastiCache {
    fn iam_prefix(&self) -> &'static str {
        "elasticache"
    }
}
