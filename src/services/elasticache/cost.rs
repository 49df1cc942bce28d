//! How ElastiCache is priced: node-based clusters per node-hour by node
//! type and engine. A Redis OSS or Valkey replication group is billed
//! through its member nodes, each of which the snapshot holds as a cache
//! cluster of one node, so the group itself carries no charge (counting
//! both would bill every node twice).
//!
//! Pure functions of one resource's typed attributes and the price book;
//! the vocabulary ([`Cost`], [`Charge`]) is `crate::cost`'s.

use rust_decimal::Decimal;

use super::model::CacheClusterAttrs;
use super::{Detail, Kind};
use crate::cost::{priced, Charge, Context, Cost, Pricing, Service, UsageCharge};
use crate::prices::{PriceBook, Table};
use crate::snapshot::Resource;

pub(crate) fn cost(
    resource: &Resource,
    detail: &Detail,
    prices: &PriceBook,
    _context: &Context,
) -> Cost {
    match detail {
        Detail::CacheCluster(attrs) => cluster(resource, attrs, prices),
        Detail::ReplicationGroup(_) => {
            let mut cost = Cost::default();
            cost.note("its nodes are priced as cache clusters");
            cost.usage.push(UsageCharge::unknown(
                "backup storage beyond the free allowance",
            ));
            cost
        }
        Detail::CacheSubnetGroup(_) => Cost::default(),
    }
}

pub(crate) fn pricing(kind: Kind) -> Pricing {
    match kind {
        Kind::ReplicationGroup | Kind::CacheCluster | Kind::CacheSubnetGroup => {
            Pricing::billed(Service::Elasticache)
        }
    }
}

/// `num_cache_nodes` nodes of the cluster's node type and engine while it
/// exists; nothing once it is being deleted.
fn cluster(resource: &Resource, attrs: &CacheClusterAttrs, prices: &PriceBook) -> Cost {
    let mut cost = Cost::default();
    if matches!(attrs.status.as_str(), "deleting" | "deleted") {
        cost.note(format!("{}: no charge", attrs.status));
        return cost;
    }
    let node_type = attrs.cache_node_type.as_str();
    let engine = attrs.engine.as_str();
    let what = format!("{node_type} {engine} node");
    // A cluster AWS is still creating reports no nodes yet; it is billed
    // for the nodes asked for.
    let node_count = attrs.num_cache_nodes.max(1);
    cost.add(
        priced(
            prices,
            Table::Elasticache,
            &resource.region,
            &[node_type, engine],
            &what,
        )
        .map(|price| {
            let count_text = if node_count == 1 {
                String::new()
            } else {
                format!("{node_count} nodes")
            };
            Charge::new(
                format!("{what} on-demand"),
                Service::Elasticache,
                price,
                Decimal::from(node_count),
                count_text,
            )
        }),
    );
    // Memcached keeps no backups; a replication group's are its own.
    if engine != "memcached" && attrs.replication_group_id.is_none() {
        cost.usage.push(UsageCharge::unknown(
            "backup storage beyond the free allowance",
        ));
    }
    cost.usage.push(UsageCharge::unknown("data transfer"));
    cost
}
