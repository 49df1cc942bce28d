//! The remaining relationships: `peers` (VPC → VPC over an active peering
//! connection, requester to accepter), `attaches` (EBS volume → instance,
//! VPC → transit gateway, elastic IP → what holds it), `replicates` (source
//! DB instance → read replica) and `member` (DB instance → its cluster).

use std::collections::BTreeMap;

use serde_json::Value;

use super::build::Builder;
use super::ids;
use super::inventory::Inventory;
use super::network::{attachment_is_live, attachment_vpc, Network};
use crate::graph::{EdgeKind, NodeKind};
use crate::snapshot::*;

pub(crate) fn add_links(inventory: &Inventory, network: &Network, builder: &mut Builder) {
    add_peers(inventory, builder);
    add_attachments(inventory, network, builder);
    add_databases(inventory, builder);
}

fn add_peers(inventory: &Inventory, builder: &mut Builder) {
    for (peering, attrs) in inventory.peerings() {
        if attrs.status != "active" {
            continue;
        }
        let vpc_node = |side: &PeeringSide| {
            let account = if side.account.is_empty() {
                &peering.account
            } else {
                &side.account
            };
            let region = if side.region.is_empty() {
                &peering.region
            } else {
                &side.region
            };
            builder.node_ix(&ids::scoped(NodeKind::Vpc, account, region, &side.vpc_id))
        };
        if let (Some(requester), Some(accepter)) =
            (vpc_node(&attrs.requester), vpc_node(&attrs.accepter))
        {
            builder.relate(
                requester,
                accepter,
                EdgeKind::Peers,
                &peering.id,
                &peering.id,
                BTreeMap::new(),
            );
        }
    }
}

fn add_attachments(inventory: &Inventory, network: &Network, builder: &mut Builder) {
    for (volume, attrs) in inventory.volumes() {
        let Some(from) = builder.resource_ix(
            ResourceKind::EbsVolume,
            &volume.account,
            &volume.region,
            &volume.id,
        ) else {
            continue;
        };
        for attachment in &attrs.attachments {
            let instance = builder.resource_ix(
                ResourceKind::Ec2Instance,
                &volume.account,
                &volume.region,
                &attachment.instance_id,
            );
            if let Some(to) = instance {
                let evidence = format!("{}:{}", volume.id, attachment.instance_id);
                builder.relate(
                    from,
                    to,
                    EdgeKind::Attaches,
                    &attachment.device,
                    &evidence,
                    BTreeMap::new(),
                );
            }
        }
    }
    for (attachment, attrs) in inventory.tgw_attachments() {
        if attrs.resource_type != "vpc" || !attachment_is_live(&attrs.state) {
            continue;
        }
        let (account, region, vpc) = attachment_vpc(attachment, attrs);
        let from = builder.node_ix(&ids::scoped(NodeKind::Vpc, &account, &region, &vpc));
        let to = network.transit_gateway(&attachment.region, &attrs.transit_gateway_id);
        if let (Some(from), Some(to)) = (from, to) {
            let mut edge_attrs = BTreeMap::new();
            edge_attrs.insert("state".to_string(), Value::from(attrs.state.as_str()));
            builder.relate(
                from,
                to,
                EdgeKind::Attaches,
                &attachment.id,
                &attachment.id,
                edge_attrs,
            );
        }
    }
    for (address, attrs) in inventory.elastic_ips() {
        let (account, region) = (&address.account, &address.region);
        let Some(from) = builder.resource_ix(ResourceKind::ElasticIp, account, region, &address.id)
        else {
            continue;
        };
        let holder = attrs
            .network_interface_id
            .as_deref()
            .and_then(|eni| network.interface_holder(account, region, eni))
            .or_else(|| {
                builder.resource_ix(
                    ResourceKind::Ec2Instance,
                    account,
                    region,
                    attrs.instance_id.as_deref()?,
                )
            });
        if let Some(to) = holder {
            let evidence = attrs.association_id.as_deref().unwrap_or(&address.id);
            builder.relate(
                from,
                to,
                EdgeKind::Attaches,
                &attrs.public_ip,
                evidence,
                BTreeMap::new(),
            );
        }
    }
}

fn add_databases(inventory: &Inventory, builder: &mut Builder) {
    // A DB reference is an identifier in the same account and region, or an
    // ARN (cross-region replicas).
    let db_node = |builder: &Builder, from: &Resource, reference: &str| {
        let (account, region, identifier) = match ids::arn_account_region(reference) {
            Some((account, region)) => (account, region, ids::arn_last_part(reference)),
            None => (from.account.as_str(), from.region.as_str(), reference),
        };
        builder.resource_ix(ResourceKind::RdsInstance, account, region, identifier)
    };
    for (db, attrs) in inventory.rds_instances() {
        let Some(this) =
            builder.resource_ix(ResourceKind::RdsInstance, &db.account, &db.region, &db.id)
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
            builder.resource_ix(ResourceKind::RdsCluster, &db.account, &db.region, cluster)
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
    for (cluster, attrs) in inventory.rds_clusters() {
        let Some(cluster_ix) = builder.resource_ix(
            ResourceKind::RdsCluster,
            &cluster.account,
            &cluster.region,
            &cluster.id,
        ) else {
            continue;
        };
        for member in &attrs.members {
            let instance = builder.resource_ix(
                ResourceKind::RdsInstance,
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
