//! ElastiCache's graph rules: a cache node in the subnet of its zone within
//! its cache subnet group (a Memcached cluster whose nodes span zones in
//! its VPC, across them); a replication group in its members' VPC, in
//! their tier; the interfaces ElastiCache creates (`ElastiCache <cluster>`);
//! the groups a replication group holds for its members; and `member`
//! (node → its replication group, labelled primary or replica).

use std::collections::{BTreeMap, BTreeSet};

use super::model::*;
use super::Kind;
use crate::graph::builder::{detail_line, scanned_attrs, subnet_node, vpc_node, Builder};
use crate::graph::inventory::Inventory;
use crate::graph::rules::{vpc_key, Holding, Owner, Owning, Placing, Relating, Rules};
use crate::graph::{Drawing, EdgeKind, NodeKind, Span, Tier};
use crate::services::{common_status, network};
use crate::snapshot::Resource;
use crate::style::Status;

impl Rules for super::ElastiCache {
    fn place(&self, cx: &mut Placing) {
        place(cx);
    }

    fn own_interfaces(&self, cx: &mut Owning) {
        own_interfaces(cx);
    }

    fn hold(&self, cx: &mut Holding) {
        hold(cx);
    }

    fn relate(&self, cx: &mut Relating) {
        relate(cx);
    }
}

/// ElastiCache's own lifecycle words, then AWS's common ones.
fn status(word: &str) -> Status {
    match word {
        "rebooting cluster nodes" => Status::Pending,
        other => common_status(other),
    }
}

/// The members of a replication group: the cache clusters that name it.
fn members_of<'a, 's>(
    inventory: &'a Inventory<'s>,
    group: &'a Resource,
) -> impl Iterator<Item = (&'s Resource, &'s CacheClusterAttrs)> + 'a {
    inventory.all::<CacheClusterAttrs>().filter(move |(node, attrs)| {
        node.account == group.account
            && node.region == group.region
            && attrs.replication_group_id.as_deref() == Some(group.id.as_str())
    })
}

/// The subnet group a cache cluster was launched in.
fn subnet_group<'s>(
    inventory: &Inventory<'s>,
    cluster: &Resource,
    attrs: &CacheClusterAttrs,
) -> Option<&'s CacheSubnetGroupAttrs> {
    let name = attrs.cache_subnet_group.as_deref()?;
    Some(inventory.get::<CacheSubnetGroupAttrs>(&cluster.account, &cluster.region, name)?.1)
}

/// A node's role in its replication group, as the group's shards say.
fn role<'s>(inventory: &Inventory<'s>, cluster: &Resource, attrs: &CacheClusterAttrs) -> Option<&'s str> {
    let group = attrs.replication_group_id.as_deref()?;
    let (_, group) =
        inventory.get::<ReplicationGroupAttrs>(&cluster.account, &cluster.region, group)?;
    group
        .shards
        .iter()
        .flat_map(|shard| &shard.members)
        .find(|member| member.cache_cluster_id == cluster.id)
        .and_then(|member| member.role.as_deref())
}

fn place(cx: &mut Placing) {
    let (inventory, builder) = (cx.inventory, &mut *cx.builder);
    for (resource, attrs) in inventory.all::<ReplicationGroupAttrs>() {
        let member_vpc = members_of(inventory, resource)
            .find_map(|(node, node_attrs)| subnet_group(inventory, node, node_attrs))
            .map(|group| group.vpc_id.as_str());
        let parent = builder.parent_among(
            resource,
            &[member_vpc.and_then(|vpc| vpc_node(resource, vpc))],
        );
        let zones: BTreeSet<String> = attrs
            .shards
            .iter()
            .flat_map(|shard| &shard.members)
            .filter_map(|member| member.availability_zone.clone())
            .collect();
        let engine = Some(attrs.engine.as_str()).filter(|e| !e.is_empty());
        let drawing = Drawing {
            detail: detail_line(&[Some("replication group"), engine]),
            status: status(&attrs.status),
            span: Span {
                subnets: Vec::new(),
                zones: zones.into_iter().collect(),
            },
            ..Drawing::default()
        };
        builder.add_scoped(
            resource,
            Kind::ReplicationGroup,
            parent,
            Some(&attrs.status),
            scanned_attrs(resource, attrs, &["status"]),
            drawing,
        );
    }
    for (resource, attrs) in inventory.all::<CacheClusterAttrs>() {
        add_cache_cluster(inventory, builder, resource, attrs);
    }
    // A replication group sits in the tier most of its members are in.
    for (resource, _) in inventory.all::<ReplicationGroupAttrs>() {
        let mut tiers: BTreeMap<Tier, usize> = BTreeMap::new();
        let member_nodes: Vec<_> = members_of(inventory, resource)
            .filter_map(|(member, _)| {
                builder.resource_ix(Kind::CacheCluster, &member.account, &member.region, &member.id)
            })
            .collect();
        for member in member_nodes {
            if let Some(tier) = subnet_tier(builder, member) {
                *tiers.entry(tier).or_default() += 1;
            }
        }
        let tier = tiers
            .iter()
            .max_by(|a, b| a.1.cmp(b.1).then(b.0.cmp(a.0)))
            .map_or(Tier::Isolated, |(tier, _)| *tier);
        if let Some(ix) = builder.resource_ix(
            Kind::ReplicationGroup,
            &resource.account,
            &resource.region,
            &resource.id,
        ) {
            builder.drawing_mut(ix).tier = Some(tier);
        }
    }
}

/// The tier of the subnet a node was placed in.
fn subnet_tier(builder: &Builder, node: petgraph::graph::NodeIndex) -> Option<Tier> {
    let parent = builder.node(node).parent.as_deref()?;
    let parent = builder.node(builder.node_ix(parent)?);
    (parent.kind == NodeKind::SUBNET)
        .then_some(parent.drawing.tier)
        .flatten()
}

fn add_cache_cluster(
    inventory: &Inventory,
    builder: &mut Builder,
    resource: &Resource,
    attrs: &CacheClusterAttrs,
) {
    let group = subnet_group(inventory, resource, attrs);
    let mut zones: BTreeSet<&str> = attrs
        .nodes
        .iter()
        .filter_map(|node| node.availability_zone.as_deref())
        .collect();
    if zones.is_empty() {
        zones.extend(attrs.preferred_availability_zone.as_deref());
    }
    // One zone: the subnet of that zone in its group. Several (a Memcached
    // cluster across zones): its VPC, spanning them.
    let subnet = match (group, zones.iter().collect::<Vec<_>>().as_slice()) {
        (Some(group), [zone]) => group
            .subnets
            .iter()
            .find(|subnet| subnet.availability_zone == **zone),
        _ => None,
    };
    let parent = builder.parent_among(
        resource,
        &[
            subnet.and_then(|s| subnet_node(resource, &s.subnet_id)),
            group.and_then(|g| vpc_node(resource, &g.vpc_id)),
        ],
    );
    let nodes = match attrs.nodes.len() {
        0 | 1 => None,
        n => Some(format!("{n} nodes")),
    };
    let drawing = Drawing {
        detail: detail_line(&[
            Some(&attrs.engine),
            Some(&attrs.cache_node_type),
            role(inventory, resource, attrs),
            nodes.as_deref(),
        ]),
        status: status(&attrs.status),
        span: match (subnet, group) {
            (None, Some(group)) => Span {
                subnets: group
                    .subnets
                    .iter()
                    .filter(|s| zones.contains(s.availability_zone.as_str()))
                    .filter_map(|s| subnet_node(resource, &s.subnet_id))
                    .collect(),
                zones: zones.iter().map(|z| z.to_string()).collect(),
            },
            _ => Span::default(),
        },
        ..Drawing::default()
    };
    builder.add_scoped(
        resource,
        Kind::CacheCluster,
        parent,
        Some(&attrs.status),
        scanned_attrs(resource, attrs, &["status"]),
        drawing,
    );
}

/// ElastiCache describes the interfaces it creates as `ElastiCache <cluster id>`.
fn own_interfaces(cx: &mut Owning) {
    for (interface, attrs) in cx.inventory.all::<network::NetworkInterfaceAttrs>() {
        let Some(cluster) = attrs.description.strip_prefix("ElastiCache ") else {
            continue;
        };
        let owner = cx.builder.resource_ix(
            Kind::CacheCluster,
            &interface.account,
            &interface.region,
            cluster,
        );
        if let Some(ix) = owner {
            cx.owners.claim(interface, &interface.id, Owner::Node(ix));
        }
    }
}

fn hold(cx: &mut Holding) {
    let (inventory, builder) = (cx.inventory, cx.builder);
    for (group, _) in inventory.all::<ReplicationGroupAttrs>() {
        let group_ix =
            builder.resource_ix(Kind::ReplicationGroup, &group.account, &group.region, &group.id);
        // Clients reach a replication group through its endpoints: it holds
        // its members' groups, and the members are reached through it.
        for (member, attrs) in members_of(inventory, group) {
            let vpc = subnet_group(inventory, member, attrs).and_then(|g| vpc_key(member, &g.vpc_id));
            cx.holdings
                .hold(group_ix, &attrs.security_group_ids, &[], vpc.clone());
            if let Some(ix) =
                builder.resource_ix(Kind::CacheCluster, &member.account, &member.region, &member.id)
            {
                cx.holdings.defer_groups(ix);
                cx.holdings.hold(Some(ix), &[], &[], vpc);
            }
        }
    }
    for (cluster, attrs) in inventory.all::<CacheClusterAttrs>() {
        if attrs.replication_group_id.is_some() {
            continue;
        }
        let ix = builder.resource_ix(Kind::CacheCluster, &cluster.account, &cluster.region, &cluster.id);
        let vpc = subnet_group(inventory, cluster, attrs).and_then(|g| vpc_key(cluster, &g.vpc_id));
        cx.holdings.hold(ix, &attrs.security_group_ids, &[], vpc);
    }
}

/// `member`: node → its replication group, labelled with its role.
fn relate(cx: &mut Relating) {
    let builder = &mut *cx.builder;
    for (node, attrs) in cx.inventory.all::<CacheClusterAttrs>() {
        let Some(group_id) = attrs.replication_group_id.as_deref() else {
            continue;
        };
        let (Some(from), Some(to)) = (
            builder.resource_ix(Kind::CacheCluster, &node.account, &node.region, &node.id),
            builder.resource_ix(Kind::ReplicationGroup, &node.account, &node.region, group_id),
        ) else {
            continue;
        };
        let role = role(cx.inventory, node, attrs).unwrap_or_default();
        builder.relate(from, to, EdgeKind::Member, role, group_id, BTreeMap::new());
    }
}
