//! RDS's graph rules: a DB instance in the subnet of its zone within its
//! subnet group, a cluster in its VPC, in the tier of its members; the
//! interfaces RDS manages (`RDSNetworkInterface`); the groups a cluster
//! holds for its members; and `replicates` (source → read replica) and
//! `member` (instance → its cluster) relationships.

use std::collections::{BTreeMap, HashMap};

use petgraph::graph::NodeIndex;

use super::model::*;
use super::Kind;
use crate::graph::builder::{detail_line, scanned_attrs, subnet_node, vpc_node, Builder};
use crate::graph::ids;
use crate::graph::inventory::Inventory;
use crate::graph::rules::{Rules, vpc_key, Holding, Owner, Owning, Placing, Relating};
use crate::graph::{Drawing, EdgeKind, Span, Tier};
use crate::services::{common_status, network};
use crate::snapshot::Resource;

impl Rules for super::Rds {
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


pub(super) fn place(cx: &mut Placing) {
    let (inventory, builder) = (cx.inventory, &mut *cx.builder);
    for (resource, attrs) in inventory.all::<RdsClusterAttrs>() {
        let vpc = rds_vpc(
            inventory,
            resource,
            attrs.vpc_id.as_deref(),
            attrs.db_subnet_group.as_deref(),
        );
        let parent =
            builder.parent_among(resource, &[vpc.and_then(|id| vpc_node(resource, id))]);
        let drawing = Drawing {
            detail: detail_line(&[Some("cluster"), Some(&attrs.engine)]),
            status: common_status(&attrs.status),
            span: Span {
                subnets: Vec::new(),
                zones: attrs.availability_zones.clone(),
            },
            ..Drawing::default()
        };
        builder.add_scoped(
            resource,
            Kind::Cluster,
            parent,
            Some(&attrs.status),
            scanned_attrs(resource, attrs, &["status"]),
            drawing,
        );
    }
    for (resource, attrs) in inventory.all::<RdsInstanceAttrs>() {
        add_instance(inventory, builder, resource, attrs);
    }
    for (resource, attrs) in inventory.all::<RdsClusterAttrs>() {
        let tier = members_tier(inventory, builder, resource, attrs);
        if let Some(ix) =
            builder.resource_ix(Kind::Cluster, &resource.account, &resource.region, &resource.id)
        {
            builder.drawing_mut(ix).tier = Some(tier);
        }
    }
}

fn add_instance(
    inventory: &Inventory,
    builder: &mut Builder,
    resource: &Resource,
    attrs: &RdsInstanceAttrs,
) {
    // An instance sits in the subnet of its zone within its DB subnet group;
    // a Multi-AZ standby's zone is an attribute the drawing may repeat it in.
    let group = attrs.db_subnet_group.as_deref().and_then(|name| {
        inventory.get::<DbSubnetGroupAttrs>(&resource.account, &resource.region, name)
    });
    let subnet = group.and_then(|(_, group)| {
        let zone = attrs.availability_zone.as_deref()?;
        group.subnets.iter().find(|s| s.availability_zone == zone)
    });
    let vpc = rds_vpc(
        inventory,
        resource,
        attrs.vpc_id.as_deref(),
        attrs.db_subnet_group.as_deref(),
    );
    let parent = builder.parent_among(
        resource,
        &[
            subnet.and_then(|s| subnet_node(resource, &s.subnet_id)),
            vpc.and_then(|id| vpc_node(resource, id)),
        ],
    );
    let drawing = Drawing {
        detail: detail_line(&[Some(&attrs.db_instance_class), Some(&attrs.engine)]),
        status: common_status(&attrs.status),
        standby_zone: attrs
            .secondary_availability_zone
            .clone()
            .filter(|_| attrs.multi_az),
        ..Drawing::default()
    };
    builder.add_scoped(
        resource,
        Kind::Instance,
        parent,
        Some(&attrs.status),
        scanned_attrs(resource, attrs, &["status"]),
        drawing,
    );
}

/// The tier a cluster is drawn in: the one most of its members' subnets
/// have (ties to the upper tier), isolated when no member says.
fn members_tier(
    inventory: &Inventory,
    builder: &Builder,
    cluster: &Resource,
    attrs: &RdsClusterAttrs,
) -> Tier {
    let (account, region) = (&cluster.account, &cluster.region);
    let mut members: Vec<NodeIndex> = attrs
        .members
        .iter()
        .filter_map(|m| builder.resource_ix(Kind::Instance, account, region, &m.db_instance_identifier))
        .collect();
    for (db, db_attrs) in inventory.all::<RdsInstanceAttrs>() {
        if db.account == *account
            && db.region == *region
            && db_attrs.cluster_identifier.as_deref() == Some(cluster.id.as_str())
        {
            members.extend(builder.resource_ix(Kind::Instance, account, region, &db.id));
        }
    }
    members.sort_unstable();
    members.dedup();
    let mut tiers: BTreeMap<Tier, usize> = BTreeMap::new();
    for member in members {
        let subnet = builder
            .node(member)
            .parent
            .as_deref()
            .and_then(|parent| builder.node_ix(parent))
            .map(|ix| builder.node(ix))
            .filter(|parent| parent.kind == crate::graph::NodeKind::SUBNET);
        if let Some(tier) = subnet.and_then(|s| s.drawing.tier) {
            *tiers.entry(tier).or_default() += 1;
        }
    }
    tiers
        .iter()
        .max_by(|a, b| a.1.cmp(b.1).then(b.0.cmp(a.0)))
        .map_or(Tier::Isolated, |(tier, _)| *tier)
}

/// RDS-managed interfaces belong to the one DB instance in their zone with
/// their security groups, when there is exactly one; otherwise to RDS.
pub(super) fn own_interfaces(cx: &mut Owning) {
    let (inventory, builder) = (cx.inventory, cx.builder);
    // By account, region and zone.
    type Zone<'s> = (&'s str, &'s str, &'s str);
    let mut databases: HashMap<Zone, Vec<(NodeIndex, &RdsInstanceAttrs)>> = HashMap::new();
    for (db, attrs) in inventory.all::<RdsInstanceAttrs>() {
        let (Some(ix), Some(zone)) = (
            builder.resource_ix(Kind::Instance, &db.account, &db.region, &db.id),
            attrs.availability_zone.as_deref(),
        ) else {
            continue;
        };
        databases
            .entry((&db.account, &db.region, zone))
            .or_default()
            .push((ix, attrs));
    }
    for (interface, attrs) in inventory.all::<network::NetworkInterfaceAttrs>() {
        if attrs.description != "RDSNetworkInterface" {
            continue;
        }
        let candidates: Vec<NodeIndex> = databases
            .get(&(
                interface.account.as_str(),
                interface.region.as_str(),
                attrs.availability_zone.as_str(),
            ))
            .into_iter()
            .flatten()
            .filter(|(_, db)| db.security_group_ids == attrs.security_group_ids)
            .map(|(ix, _)| *ix)
            .collect();
        let owner = match candidates.as_slice() {
            [only] => Owner::Node(*only),
            _ => Owner::Managed,
        };
        cx.owners.claim(interface, &interface.id, owner);
    }
}

pub(super) fn hold(cx: &mut Holding) {
    let (inventory, builder) = (cx.inventory, cx.builder);
    for (cluster, attrs) in inventory.all::<RdsClusterAttrs>() {
        let vpc = rds_vpc(
            inventory,
            cluster,
            attrs.vpc_id.as_deref(),
            attrs.db_subnet_group.as_deref(),
        );
        let ix = builder.resource_ix(Kind::Cluster, &cluster.account, &cluster.region, &cluster.id);
        cx.holdings.hold(
            ix,
            &attrs.security_group_ids,
            &[],
            vpc.and_then(|v| vpc_key(cluster, v)),
        );
    }
    for (db, attrs) in inventory.all::<RdsInstanceAttrs>() {
        let ix = builder.resource_ix(Kind::Instance, &db.account, &db.region, &db.id);
        // Aurora members reach and are reached through their cluster: the
        // cluster holds the groups, the instances would only repeat its edges.
        let in_cluster = attrs.cluster_identifier.as_deref().is_some_and(|cluster| {
            builder
                .resource_ix(Kind::Cluster, &db.account, &db.region, cluster)
                .is_some()
        });
        let groups: &[String] = if in_cluster {
            &[]
        } else {
            &attrs.security_group_ids
        };
        if let (true, Some(ix)) = (in_cluster, ix) {
            cx.holdings.defer_groups(ix);
        }
        let vpc = rds_vpc(
            inventory,
            db,
            attrs.vpc_id.as_deref(),
            attrs.db_subnet_group.as_deref(),
        );
        cx.holdings
            .hold(ix, groups, &[], vpc.and_then(|v| vpc_key(db, v)));
    }
}

pub(super) fn relate(cx: &mut Relating) {
    let (inventory, builder) = (cx.inventory, &mut *cx.builder);
    // A DB reference is an identifier in the same account and region, or an
    // ARN (cross-region replicas).
    let db_node = |builder: &Builder, from: &Resource, reference: &str| {
        let (account, region, identifier) = match ids::arn_account_region(reference) {
            Some((account, region)) => (account, region, ids::arn_last_part(reference)),
            None => (from.account.as_str(), from.region.as_str(), reference),
        };
        builder.resource_ix(Kind::Instance, account, region, identifier)
    };
    for (db, attrs) in inventory.all::<RdsInstanceAttrs>() {
        let Some(this) = builder.resource_ix(Kind::Instance, &db.account, &db.region, &db.id)
        else {
            continue;
        };
        if let Some(source) = attrs
            .read_replica_source
            .as_deref()
            .and_then(|s| db_node(builder, db, s))
        {
            builder.relate(
                source,
                this,
                EdgeKind::Replicates,
                "",
                &db.id,
                BTreeMap::new(),
            );
        }
        for replica in &attrs.read_replica_identifiers {
            if let Some(replica) = db_node(builder, db, replica) {
                builder.relate(
                    this,
                    replica,
                    EdgeKind::Replicates,
                    "",
                    &db.id,
                    BTreeMap::new(),
                );
            }
        }
        let cluster = attrs.cluster_identifier.as_deref().and_then(|cluster| {
            builder.resource_ix(Kind::Cluster, &db.account, &db.region, cluster)
        });
        if let (Some(cluster), Some(identifier)) = (cluster, attrs.cluster_identifier.as_deref()) {
            builder.relate(
                this,
                cluster,
                EdgeKind::Member,
                "",
                identifier,
                BTreeMap::new(),
            );
        }
    }
    for (cluster, attrs) in inventory.all::<RdsClusterAttrs>() {
        let Some(cluster_ix) =
            builder.resource_ix(Kind::Cluster, &cluster.account, &cluster.region, &cluster.id)
        else {
            continue;
        };
        for member in &attrs.members {
            let instance = builder.resource_ix(
                Kind::Instance,
                &cluster.account,
                &cluster.region,
                &member.db_instance_identifier,
            );
            if let Some(instance) = instance {
                let role = if member.is_writer { "writer" } else { "reader" };
                builder.relate(
                    instance,
                    cluster_ix,
                    EdgeKind::Member,
                    role,
                    &cluster.id,
                    BTreeMap::new(),
                );
            }
        }
    }
}

/// The VPC of an RDS instance or cluster: its own field, else its subnet group's.
fn rds_vpc<'s>(
    inventory: &Inventory<'s>,
    resource: &Resource,
    vpc: Option<&'s str>,
    group: Option<&str>,
) -> Option<&'s str> {
    vpc.filter(|v| !v.is_empty()).or_else(|| {
        let (_, group) =
            inventory.get::<DbSubnetGroupAttrs>(&resource.account, &resource.region, group?)?;
        Some(group.vpc_id.as_str()).filter(|v| !v.is_empty())
    })
}
