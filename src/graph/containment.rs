//! Containment: one node per drawn resource, each with exactly one parent
//! (account › region › VPC › availability zone › subnet › resource), its live
//! status and its attributes. Owns where things sit, not how they relate
//! (edges are the other passes').
//!
//! Resources that are not nodes of their own: route tables (they become the
//! subnets' `tier` and the `routes` edges), listeners (`forwards` edges), DB
//! subnet groups (RDS placement), transit gateway attachments (`attaches`
//! edges), availability-zone descriptions (attributes of the zone nodes), and
//! network interfaces that belong to another node (see `network`).

use std::collections::BTreeMap;

use serde::Serialize;
use serde_json::Value;

use super::build::{resource_node, Builder};
use super::ids;
use super::inventory::Inventory;
use super::network::InterfaceOwners;
use super::tiers::{self, RouteTables};
use crate::graph::NodeKind;
use crate::snapshot::*;

/// Nodes for every resource whose parent is a container: VPCs, zones and
/// subnets first (they are the others' parents), then everything placed in
/// them. Interfaces, elastic IPs and volumes wait for [`add_attached_nodes`]
/// because their place depends on who holds them.
pub(crate) fn add_resource_nodes(
    inventory: &Inventory,
    routing: &RouteTables,
    builder: &mut Builder,
) {
    for (resource, attrs) in inventory.vpcs() {
        let parent = builder.ensure_region(&resource.account, &resource.region);
        let mut node_attrs = scanned_attrs(resource, attrs, &["state"]);
        node_attrs.insert("cidr".into(), Value::from(attrs.cidr_block.as_str()));
        add_scoped(
            builder,
            resource,
            NodeKind::Vpc,
            parent,
            Some(&attrs.state),
            node_attrs,
        );
    }
    for (resource, attrs) in inventory.subnets() {
        add_subnet(inventory, routing, builder, resource, attrs);
    }
    for (resource, attrs) in inventory.internet_gateways() {
        add_gateway(builder, resource, attrs, NodeKind::InternetGateway);
    }
    for (resource, attrs) in inventory.egress_only_gateways() {
        add_gateway(
            builder,
            resource,
            attrs,
            NodeKind::EgressOnlyInternetGateway,
        );
    }
    for (resource, attrs) in inventory.nat_gateways() {
        let parent = builder.parent_among(
            resource,
            &[
                subnet_id(resource, &attrs.subnet_id),
                vpc_id(resource, &attrs.vpc_id),
            ],
        );
        let mut node_attrs = scanned_attrs(resource, attrs, &["state"]);
        if let Some(address) = attrs.addresses.first() {
            for (key, value) in [
                ("private_ip", &address.private_ip),
                ("public_ip", &address.public_ip),
            ] {
                if let Some(ip) = value {
                    node_attrs.insert(key.into(), Value::from(ip.as_str()));
                }
            }
        }
        add_scoped(
            builder,
            resource,
            NodeKind::NatGateway,
            parent,
            Some(&attrs.state),
            node_attrs,
        );
    }
    for (resource, attrs) in inventory.vpc_endpoints() {
        let parent = builder.parent_among(resource, &[vpc_id(resource, &attrs.vpc_id)]);
        let mut node_attrs = scanned_attrs(resource, attrs, &["state"]);
        insert_spanned_subnets(inventory, resource, &attrs.subnet_ids, &mut node_attrs);
        add_scoped(
            builder,
            resource,
            NodeKind::VpcEndpoint,
            parent,
            Some(&attrs.state),
            node_attrs,
        );
    }
    for (resource, attrs) in inventory.peerings() {
        add_peering(builder, resource, attrs);
    }
    for (resource, attrs) in inventory.transit_gateways() {
        // A shared transit gateway is seen from every account it is shared
        // with: name it after its owner so all sightings are one node.
        let owner = if attrs.owner_id.is_empty() {
            &resource.account
        } else {
            &attrs.owner_id
        };
        let owner_known = builder.node_ix(&ids::account(owner)).is_some();
        let account = if owner_known {
            owner
        } else {
            &resource.account
        };
        let parent = builder.ensure_region(account, &resource.region);
        let id = ids::scoped(
            NodeKind::TransitGateway,
            account,
            &resource.region,
            &resource.id,
        );
        let mut node = resource_node(
            resource,
            NodeKind::TransitGateway,
            id,
            parent,
            Some(&attrs.state),
            scanned_attrs(resource, attrs, &["state"]),
        );
        node.account = Some(account.clone());
        builder.add_resource(resource, node);
    }
    for (resource, attrs) in inventory.security_groups() {
        let parent = builder.parent_among(resource, &[vpc_id(resource, &attrs.vpc_id)]);
        let mut node_attrs = scanned_attrs(resource, attrs, &["ingress", "egress"]);
        node_attrs.insert("ingress_rules".into(), Value::from(attrs.ingress.len()));
        node_attrs.insert("egress_rules".into(), Value::from(attrs.egress.len()));
        add_scoped(
            builder,
            resource,
            NodeKind::SecurityGroup,
            parent,
            None,
            node_attrs,
        );
    }
    for (resource, attrs) in inventory.instances() {
        let parent = builder.parent_among(
            resource,
            &[
                attrs
                    .subnet_id
                    .as_deref()
                    .and_then(|id| subnet_id(resource, id)),
                attrs.vpc_id.as_deref().and_then(|id| vpc_id(resource, id)),
            ],
        );
        add_scoped(
            builder,
            resource,
            NodeKind::Ec2Instance,
            parent,
            Some(&attrs.state),
            scanned_attrs(resource, attrs, &["state"]),
        );
    }
    for (resource, attrs) in inventory.load_balancers() {
        let parent = builder.parent_among(resource, &[vpc_id(resource, &attrs.vpc_id)]);
        let mut node_attrs = scanned_attrs(resource, attrs, &["state", "availability_zones"]);
        let subnet_ids: Vec<String> = attrs
            .availability_zones
            .iter()
            .map(|z| z.subnet_id.clone())
            .collect();
        insert_spanned_subnets(inventory, resource, &subnet_ids, &mut node_attrs);
        let mut zones: Vec<&str> = attrs
            .availability_zones
            .iter()
            .map(|z| z.zone_name.as_str())
            .collect();
        zones.sort_unstable();
        zones.dedup();
        node_attrs.insert("availability_zones".into(), Value::from(zones));
        let id = ids::elb(
            NodeKind::LoadBalancer,
            &resource.account,
            &resource.region,
            &resource.id,
        );
        let mut node = resource_node(
            resource,
            NodeKind::LoadBalancer,
            id,
            parent,
            Some(&attrs.state),
            node_attrs,
        );
        if resource.name == resource.id {
            // No Name tag: the load balancer's name (`app/<name>/<id>`) reads better than its ARN.
            let part = ids::elb_resource_part(&resource.id);
            node.name = part.split('/').nth(1).unwrap_or(part).to_string();
        }
        builder.add_resource(resource, node);
    }
    for (resource, attrs) in inventory.target_groups() {
        let vpc = attrs.vpc_id.as_deref().and_then(|id| vpc_id(resource, id));
        let parent = builder.parent_among(resource, &[vpc]);
        let mut node_attrs = scanned_attrs(resource, attrs, &["targets"]);
        if let Some(targets) = &attrs.targets {
            node_attrs.insert("target_count".into(), Value::from(targets.len()));
            if attrs.target_type == "lambda" {
                let functions: Vec<&str> = targets.iter().map(|t| t.id.as_str()).collect();
                node_attrs.insert("lambda_targets".into(), Value::from(functions));
            }
        }
        let id = ids::elb(
            NodeKind::TargetGroup,
            &resource.account,
            &resource.region,
            &resource.id,
        );
        let mut node = resource_node(
            resource,
            NodeKind::TargetGroup,
            id,
            parent,
            None,
            node_attrs,
        );
        if resource.name == resource.id && !attrs.name.is_empty() {
            node.name = attrs.name.clone();
        }
        builder.add_resource(resource, node);
    }
    for (resource, attrs) in inventory.rds_clusters() {
        let vpc = rds_vpc(
            inventory,
            resource,
            attrs.vpc_id.as_deref(),
            attrs.db_subnet_group.as_deref(),
        );
        let parent = builder.parent_among(resource, &[vpc.and_then(|id| vpc_id(resource, id))]);
        add_scoped(
            builder,
            resource,
            NodeKind::RdsCluster,
            parent,
            Some(&attrs.status),
            scanned_attrs(resource, attrs, &["status"]),
        );
    }
    for (resource, attrs) in inventory.rds_instances() {
        add_rds_instance(inventory, builder, resource, attrs);
    }
}

/// Network interfaces nobody else represents, elastic IPs and EBS volumes:
/// placed beside what holds them.
pub(crate) fn add_attached_nodes(
    inventory: &Inventory,
    owners: &InterfaceOwners,
    builder: &mut Builder,
) {
    for (resource, attrs) in inventory.interfaces() {
        if owners.owner(resource).is_some() {
            continue;
        }
        let parent = builder.parent_among(
            resource,
            &[
                subnet_id(resource, &attrs.subnet_id),
                vpc_id(resource, &attrs.vpc_id),
            ],
        );
        let mut node_attrs = scanned_attrs(resource, attrs, &["status"]);
        if let Some(primary) = attrs.private_ips.first() {
            node_attrs.insert("private_ip".into(), Value::from(primary.as_str()));
        }
        add_scoped(
            builder,
            resource,
            NodeKind::NetworkInterface,
            parent,
            Some(&attrs.status),
            node_attrs,
        );
    }
    for (resource, attrs) in inventory.elastic_ips() {
        let holder = attrs
            .network_interface_id
            .as_deref()
            .and_then(|eni| owners.holder(builder, &resource.account, &resource.region, eni))
            .or_else(|| {
                let instance = attrs.instance_id.as_deref()?;
                builder.resource_ix(
                    ResourceKind::Ec2Instance,
                    &resource.account,
                    &resource.region,
                    instance,
                )
            });
        let holder_parent = holder.and_then(|ix| builder.node(ix).parent.clone());
        let parent = builder.parent_among(resource, &[holder_parent]);
        let status = if attrs.association_id.is_some() || holder.is_some() {
            "associated"
        } else {
            "unassociated"
        };
        add_scoped(
            builder,
            resource,
            NodeKind::ElasticIp,
            parent,
            Some(status),
            scanned_attrs(resource, attrs, &[]),
        );
    }
    for (resource, attrs) in inventory.volumes() {
        let instance_parent = attrs.attachments.iter().find_map(|attachment| {
            let ix = builder.resource_ix(
                ResourceKind::Ec2Instance,
                &resource.account,
                &resource.region,
                &attachment.instance_id,
            )?;
            builder.node(ix).parent.clone()
        });
        let parent = builder.parent_among(resource, &[instance_parent]);
        add_scoped(
            builder,
            resource,
            NodeKind::EbsVolume,
            parent,
            Some(&attrs.state),
            scanned_attrs(resource, attrs, &["state"]),
        );
    }
}

fn add_subnet(
    inventory: &Inventory,
    routing: &RouteTables,
    builder: &mut Builder,
    resource: &Resource,
    attrs: &SubnetAttrs,
) {
    let vpc_node = vpc_id(resource, &attrs.vpc_id).filter(|id| builder.node_ix(id).is_some());
    let parent = match vpc_node {
        Some(vpc_node) if !attrs.availability_zone.is_empty() => {
            ensure_zone(inventory, builder, resource, attrs, vpc_node)
        }
        Some(vpc_node) => vpc_node,
        None => builder.ensure_region(&resource.account, &resource.region),
    };
    let mut node_attrs = scanned_attrs(resource, attrs, &["state"]);
    node_attrs.insert("cidr".into(), Value::from(attrs.cidr_block.as_str()));
    match routing.effective(resource, attrs) {
        Some(effective) => {
            node_attrs.insert(
                "tier".into(),
                Value::from(tiers::tier(&effective.attrs.routes).as_str()),
            );
            node_attrs.insert(
                "route_table".into(),
                Value::from(effective.table.id.as_str()),
            );
            node_attrs.insert(
                "route_table_explicit".into(),
                Value::from(effective.explicit),
            );
        }
        None => {
            // Route tables were not readable (or the VPC has none): say the
            // tier is a guess rather than present one as fact.
            let guess = if attrs.map_public_ip_on_launch {
                tiers::Tier::Public
            } else {
                tiers::Tier::Private
            };
            node_attrs.insert("tier".into(), Value::from(guess.as_str()));
            node_attrs.insert("tier_guessed".into(), Value::from(true));
        }
    }
    add_scoped(
        builder,
        resource,
        NodeKind::Subnet,
        parent,
        Some(&attrs.state),
        node_attrs,
    );
}

/// The zone node of a subnet's VPC and zone, created on first use.
fn ensure_zone(
    inventory: &Inventory,
    builder: &mut Builder,
    resource: &Resource,
    attrs: &SubnetAttrs,
    vpc_node: String,
) -> String {
    let id = ids::zone(
        &resource.account,
        &resource.region,
        &attrs.vpc_id,
        &attrs.availability_zone,
    );
    if builder.node_ix(&id).is_some() {
        return id;
    }
    let described = inventory.zone(
        &resource.account,
        &resource.region,
        &attrs.availability_zone,
    );
    let zone_id = described
        .map(|(_, zone)| zone.zone_id.as_str())
        .filter(|z| !z.is_empty())
        .unwrap_or(&attrs.availability_zone_id);
    let mut node_attrs = BTreeMap::new();
    node_attrs.insert("zone".into(), Value::from(attrs.availability_zone.as_str()));
    node_attrs.insert("vpc_id".into(), Value::from(attrs.vpc_id.as_str()));
    if !zone_id.is_empty() {
        node_attrs.insert("zone_id".into(), Value::from(zone_id));
    }
    if let Some((_, zone)) = described {
        if !zone.zone_type.is_empty() {
            node_attrs.insert("zone_type".into(), Value::from(zone.zone_type.as_str()));
        }
    }
    builder.add(crate::graph::Node {
        id: id.clone(),
        kind: NodeKind::AvailabilityZone,
        name: attrs.availability_zone.clone(),
        parent: Some(vpc_node),
        account: Some(resource.account.clone()),
        region: Some(resource.region.clone()),
        resource_id: Some(attrs.availability_zone.clone()),
        arn: None,
        status: described
            .map(|(_, zone)| zone.state.clone())
            .filter(|s| !s.is_empty()),
        attrs: node_attrs,
    });
    id
}

fn add_gateway(
    builder: &mut Builder,
    resource: &Resource,
    attrs: &InternetGatewayAttrs,
    kind: NodeKind,
) {
    // A gateway attached to a VPC sits on that VPC's border.
    let attachment = attrs.attachments.first();
    let parent = builder.parent_among(
        resource,
        &[attachment.and_then(|a| vpc_id(resource, &a.vpc_id))],
    );
    let status = attachment.map_or("detached", |a| a.state.as_str());
    add_scoped(
        builder,
        resource,
        kind,
        parent,
        Some(status),
        scanned_attrs(resource, attrs, &[]),
    );
}

fn add_peering(builder: &mut Builder, resource: &Resource, attrs: &VpcPeeringConnectionAttrs) {
    // Both accounts of a cross-account peering list it: the node is named
    // after the requester side so every sighting is the same node.
    let requester = &attrs.requester;
    let side_account = |side: &PeeringSide| {
        if side.account.is_empty() {
            resource.account.clone()
        } else {
            side.account.clone()
        }
    };
    let side_region = |side: &PeeringSide| {
        if side.region.is_empty() {
            resource.region.clone()
        } else {
            side.region.clone()
        }
    };
    let (account, region) = (side_account(requester), side_region(requester));
    let id = ids::scoped(
        NodeKind::VpcPeeringConnection,
        &account,
        &region,
        &resource.id,
    );
    if let Some(existing) = builder.node_ix(&id) {
        builder.register(resource, existing);
        return;
    }
    let side_vpc = |side: &PeeringSide| {
        Some(ids::scoped(
            NodeKind::Vpc,
            &side_account(side),
            &side_region(side),
            &side.vpc_id,
        ))
    };
    let parent = builder.parent_among(resource, &[side_vpc(requester), side_vpc(&attrs.accepter)]);
    let mut node = resource_node(
        resource,
        NodeKind::VpcPeeringConnection,
        id,
        parent,
        Some(&attrs.status),
        scanned_attrs(resource, attrs, &["status"]),
    );
    node.account = Some(account);
    node.region = Some(region);
    builder.add_resource(resource, node);
}

fn add_rds_instance(
    inventory: &Inventory,
    builder: &mut Builder,
    resource: &Resource,
    attrs: &RdsInstanceAttrs,
) {
    // An instance sits in the subnet of its zone within its DB subnet group;
    // a Multi-AZ standby's zone is an attribute the drawing may repeat it in.
    let group = attrs
        .db_subnet_group
        .as_deref()
        .and_then(|name| inventory.db_subnet_group(&resource.account, &resource.region, name));
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
            subnet.and_then(|s| subnet_id(resource, &s.subnet_id)),
            vpc.and_then(|id| vpc_id(resource, id)),
        ],
    );
    add_scoped(
        builder,
        resource,
        NodeKind::RdsInstance,
        parent,
        Some(&attrs.status),
        scanned_attrs(resource, attrs, &["status"]),
    );
}

/// The VPC of an RDS instance or cluster: its own field, else its subnet group's.
pub(crate) fn rds_vpc<'s>(
    inventory: &Inventory<'s>,
    resource: &Resource,
    vpc: Option<&'s str>,
    group: Option<&str>,
) -> Option<&'s str> {
    vpc.filter(|v| !v.is_empty()).or_else(|| {
        let (_, group) = inventory.db_subnet_group(&resource.account, &resource.region, group?)?;
        Some(group.vpc_id.as_str()).filter(|v| !v.is_empty())
    })
}

/// Add the node of a regional resource, id `<kind>:<account>:<region>:<id>`.
fn add_scoped(
    builder: &mut Builder,
    resource: &Resource,
    kind: NodeKind,
    parent: String,
    status: Option<&str>,
    attrs: BTreeMap<String, Value>,
) {
    let id = ids::scoped(kind, &resource.account, &resource.region, &resource.id);
    builder.add_resource(
        resource,
        resource_node(resource, kind, id, parent, status, attrs),
    );
}

/// `subnets` (node ids of the scanned ones), `subnet_ids` (AWS ids, all) and
/// `availability_zones` of a
/// resource that spans subnets (load balancers, interface endpoints).
fn insert_spanned_subnets(
    inventory: &Inventory,
    resource: &Resource,
    subnet_ids: &[String],
    attrs: &mut BTreeMap<String, Value>,
) {
    let mut aws_ids: Vec<&str> = subnet_ids.iter().map(String::as_str).collect();
    aws_ids.sort_unstable();
    aws_ids.dedup();
    // Only subnets that were scanned (every scanned subnet is a node), so a
    // reader can look each one up.
    let known: Vec<(&str, &SubnetAttrs)> = aws_ids
        .iter()
        .filter_map(|id| {
            let (_, subnet) = inventory.subnet(&resource.account, &resource.region, id)?;
            Some((*id, subnet))
        })
        .collect();
    let nodes: Vec<String> = known
        .iter()
        .map(|(id, _)| ids::scoped(NodeKind::Subnet, &resource.account, &resource.region, id))
        .collect();
    let mut zones: Vec<&str> = known
        .iter()
        .map(|(_, subnet)| subnet.availability_zone.as_str())
        .collect();
    zones.sort_unstable();
    zones.dedup();
    attrs.insert("subnets".into(), Value::from(nodes));
    attrs.insert("subnet_ids".into(), Value::from(aws_ids));
    attrs.insert("availability_zones".into(), Value::from(zones));
}

fn subnet_id(resource: &Resource, id: &str) -> Option<String> {
    (!id.is_empty()).then(|| ids::scoped(NodeKind::Subnet, &resource.account, &resource.region, id))
}

fn vpc_id(resource: &Resource, id: &str) -> Option<String> {
    (!id.is_empty()).then(|| ids::scoped(NodeKind::Vpc, &resource.account, &resource.region, id))
}

/// The scanned attributes as JSON, minus those the node carries elsewhere
/// (its status) or that become edges; plus `tags` when there are any.
fn scanned_attrs<T: Serialize>(
    resource: &Resource,
    attrs: &T,
    drop: &[&str],
) -> BTreeMap<String, Value> {
    let mut out: BTreeMap<String, Value> = match serde_json::to_value(attrs) {
        Ok(Value::Object(map)) => map
            .into_iter()
            .filter(|(key, _)| !drop.contains(&key.as_str()))
            .collect(),
        _ => BTreeMap::new(),
    };
    if !resource.tags.is_empty() {
        out.insert("tags".into(), serde_json::json!(resource.tags));
    }
    out
}
