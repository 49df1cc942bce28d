//! The network's graph rules: VPC › zone › subnet frames with their tiers,
//! gateways on the VPC border, NAT gateways in their subnets, transit
//! gateways in their region; which interfaces NAT gateways and endpoints
//! own; interfaces nobody owns and Elastic IPs; who holds which groups and
//! IPs through interfaces; and the `routes`, `allows`, `peers` and
//! `attaches` relationships.
//!
//! Resources that are not nodes: route tables (they become the subnets'
//! tier and the `routes` edges), transit gateway attachments (`attaches`
//! edges) and zone descriptions (attributes of the zone nodes).

use std::collections::{BTreeMap, BTreeSet, HashMap};

use ipnet::IpNet;
use petgraph::graph::NodeIndex;
use serde_json::Value;

use super::model::*;
use super::tiers::{self, RouteTables};
use super::{reachability, Kind};
use crate::graph::builder::{
    detail_line, resource_node, scanned_attrs, spanned_subnets, subnet_node, vpc_node, Builder,
};
use crate::graph::ids;
use crate::graph::inventory::Inventory;
use crate::graph::rules::{Rules, vpc_key, Holding, Owner, Owning, Placing, Relating, VpcKey};
use crate::graph::{Drawing, EdgeKind, Fold, Mention, Tier};
use crate::services::{common_status, compute};
use crate::snapshot::Resource;

impl Rules for super::Network {
    fn place(&self, cx: &mut Placing) {
        place(cx);
    }

    fn own_interfaces(&self, cx: &mut Owning) {
        own_interfaces(cx);
    }

    fn place_attached(&self, cx: &mut Placing) {
        place_attached(cx);
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
    let routing = RouteTables::new(inventory);
    for (resource, attrs) in inventory.all::<VpcAttrs>() {
        let parent = builder.ensure_region(&resource.account, &resource.region);
        let mut node_attrs = scanned_attrs(resource, attrs, &["state"]);
        node_attrs.insert("cidr".into(), Value::from(attrs.cidr_block.as_str()));
        let drawing = Drawing {
            detail: attrs.cidr_block.clone(),
            status: common_status(&attrs.state),
            default_vpc: attrs.is_default,
            ..Drawing::default()
        };
        builder.add_scoped(
            resource,
            Kind::Vpc,
            parent,
            Some(&attrs.state),
            node_attrs,
            drawing,
        );
    }
    for (resource, attrs) in inventory.all::<SubnetAttrs>() {
        add_subnet(inventory, &routing, builder, resource, attrs);
    }
    for (resource, attrs) in inventory.all::<InternetGatewayAttrs>() {
        add_gateway(
            builder,
            resource,
            &attrs.attachments,
            scanned_attrs(resource, attrs, &[]),
            Kind::InternetGateway,
            "",
        );
    }
    for (resource, attrs) in inventory.all::<EgressOnlyInternetGatewayAttrs>() {
        add_gateway(
            builder,
            resource,
            &attrs.attachments,
            scanned_attrs(resource, attrs, &[]),
            Kind::EgressOnlyInternetGateway,
            "egress-only gateway",
        );
    }
    for (resource, attrs) in inventory.all::<NatGatewayAttrs>() {
        let parent = builder.parent_among(
            resource,
            &[
                subnet_node(resource, &attrs.subnet_id),
                vpc_node(resource, &attrs.vpc_id),
            ],
        );
        let mut node_attrs = scanned_attrs(resource, attrs, &["state"]);
        let address = attrs.addresses.first();
        if let Some(address) = address {
            for (key, value) in [
                ("private_ip", &address.private_ip),
                ("public_ip", &address.public_ip),
            ] {
                if let Some(ip) = value {
                    node_attrs.insert(key.into(), Value::from(ip.as_str()));
                }
            }
        }
        let public_ip = address.and_then(|a| a.public_ip.as_deref());
        let drawing = Drawing {
            detail: detail_line(&[Some("NAT gateway"), public_ip]),
            status: common_status(&attrs.state),
            ..Drawing::default()
        };
        builder.add_scoped(
            resource,
            Kind::NatGateway,
            parent,
            Some(&attrs.state),
            node_attrs,
            drawing,
        );
    }
    for (resource, attrs) in inventory.all::<VpcEndpointAttrs>() {
        let parent = builder.parent_among(resource, &[vpc_node(resource, &attrs.vpc_id)]);
        let mut node_attrs = scanned_attrs(resource, attrs, &["state"]);
        let span = spanned_subnets(inventory, resource, &attrs.subnet_ids, &mut node_attrs);
        let service = attrs.service_name.rsplit('.').next();
        let endpoint_type = Some(attrs.endpoint_type.as_str())
            .filter(|t| !t.is_empty())
            .unwrap_or("endpoint");
        let drawing = Drawing {
            detail: detail_line(&[service, Some(endpoint_type)]),
            status: common_status(&attrs.state),
            span,
            ..Drawing::default()
        };
        builder.add_scoped(
            resource,
            Kind::VpcEndpoint,
            parent,
            Some(&attrs.state),
            node_attrs,
            drawing,
        );
    }
    for (resource, attrs) in inventory.all::<VpcPeeringConnectionAttrs>() {
        add_peering(builder, resource, attrs);
    }
    for (resource, attrs) in inventory.all::<TransitGatewayAttrs>() {
        add_transit_gateway(builder, resource, attrs);
    }
    for (resource, attrs) in inventory.all::<SecurityGroupAttrs>() {
        let parent = builder.parent_among(resource, &[vpc_node(resource, &attrs.vpc_id)]);
        let mut node_attrs = scanned_attrs(resource, attrs, &["ingress", "egress"]);
        node_attrs.insert("ingress_rules".into(), Value::from(attrs.ingress.len()));
        node_attrs.insert("egress_rules".into(), Value::from(attrs.egress.len()));
        // Drawn as the `allows` edges between its members, not as a tile.
        let drawing = Drawing {
            fold: Fold::Hidden,
            ..Drawing::default()
        };
        builder.add_scoped(
            resource,
            Kind::SecurityGroup,
            parent,
            None,
            node_attrs,
            drawing,
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
    let vpc = vpc_node(resource, &attrs.vpc_id).filter(|id| builder.node_ix(id).is_some());
    let parent = match vpc {
        Some(vpc) if !attrs.availability_zone.is_empty() => {
            ensure_zone(inventory, builder, resource, attrs, vpc)
        }
        Some(vpc) => vpc,
        None => builder.ensure_region(&resource.account, &resource.region),
    };
    let mut node_attrs = scanned_attrs(resource, attrs, &["state"]);
    node_attrs.insert("cidr".into(), Value::from(attrs.cidr_block.as_str()));
    let tier = match routing.effective(resource, attrs) {
        Some(effective) => {
            let tier = tiers::tier(&effective.attrs.routes);
            node_attrs.insert("tier".into(), Value::from(tier.as_str()));
            node_attrs.insert(
                "route_table".into(),
                Value::from(effective.table.id.as_str()),
            );
            node_attrs.insert(
                "route_table_explicit".into(),
                Value::from(effective.explicit),
            );
            tier
        }
        None => {
            // Route tables were not readable (or the VPC has none): say the
            // tier is a guess rather than present one as fact.
            let guess = if attrs.map_public_ip_on_launch {
                Tier::Public
            } else {
                Tier::Private
            };
            node_attrs.insert("tier".into(), Value::from(guess.as_str()));
            node_attrs.insert("tier_guessed".into(), Value::from(true));
            guess
        }
    };
    let drawing = Drawing {
        detail: attrs.cidr_block.clone(),
        status: common_status(&attrs.state),
        tier: Some(tier),
        zone: Some(attrs.availability_zone.clone()).filter(|z| !z.is_empty()),
        ..Drawing::default()
    };
    builder.add_scoped(
        resource,
        Kind::Subnet,
        parent,
        Some(&attrs.state),
        node_attrs,
        drawing,
    );
}

/// The zone node of a subnet's VPC and zone, created on first use.
fn ensure_zone(
    inventory: &Inventory,
    builder: &mut Builder,
    resource: &Resource,
    attrs: &SubnetAttrs,
    vpc: String,
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
    let described = inventory.get::<AvailabilityZoneAttrs>(
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
    let status = described
        .map(|(_, zone)| zone.state.clone())
        .filter(|s| !s.is_empty());
    builder.add(crate::graph::Node {
        id: id.clone(),
        kind: crate::graph::NodeKind::AVAILABILITY_ZONE,
        name: attrs.availability_zone.clone(),
        parent: Some(vpc),
        account: Some(resource.account.clone()),
        region: Some(resource.region.clone()),
        resource_id: Some(attrs.availability_zone.clone()),
        arn: None,
        drawing: Drawing {
            status: status.as_deref().map(common_status).unwrap_or_default(),
            zone: Some(attrs.availability_zone.clone()),
            ..Drawing::default()
        },
        status,
        attrs: node_attrs,
    });
    id
}

fn add_gateway(
    builder: &mut Builder,
    resource: &Resource,
    attachments: &[GatewayAttachment],
    node_attrs: BTreeMap<String, Value>,
    kind: Kind,
    detail: &str,
) {
    // A gateway attached to a VPC sits on that VPC's border.
    let attachment = attachments.first();
    let parent = builder.parent_among(
        resource,
        &[attachment.and_then(|a| vpc_node(resource, &a.vpc_id))],
    );
    let status = attachment.map_or("detached", |a| a.state.as_str());
    let drawing = Drawing {
        detail: detail.into(),
        status: common_status(status),
        ..Drawing::default()
    };
    builder.add_scoped(resource, kind, parent, Some(status), node_attrs, drawing);
}

/// A side of a peering, with the peering's own account and region where
/// the side leaves them out.
fn side_scope<'a>(peering: &'a Resource, side: &'a PeeringSide) -> (&'a str, &'a str) {
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
    (account, region)
}

fn side_vpc(peering: &Resource, side: &PeeringSide) -> VpcKey {
    let (account, region) = side_scope(peering, side);
    (account.into(), region.into(), side.vpc_id.clone())
}

fn add_peering(builder: &mut Builder, resource: &Resource, attrs: &VpcPeeringConnectionAttrs) {
    // Both accounts of a cross-account peering list it: the node is named
    // after the requester side so every sighting is the same node.
    let (account, region) = side_scope(resource, &attrs.requester);
    let id = ids::scoped(Kind::VpcPeeringConnection, account, region, &resource.id);
    if let Some(existing) = builder.node_ix(&id) {
        builder.register(resource, existing);
        return;
    }
    let side_node = |side: &PeeringSide| {
        let (account, region) = side_scope(resource, side);
        Some(ids::scoped(Kind::Vpc, account, region, &side.vpc_id))
    };
    let parent = builder.parent_among(
        resource,
        &[side_node(&attrs.requester), side_node(&attrs.accepter)],
    );
    let drawing = Drawing {
        detail: "peering connection".into(),
        status: common_status(&attrs.status),
        ..Drawing::default()
    };
    let mut node = resource_node(
        resource,
        Kind::VpcPeeringConnection,
        id,
        parent,
        Some(&attrs.status),
        scanned_attrs(resource, attrs, &["status"]),
        drawing,
    );
    node.account = Some(account.to_string());
    node.region = Some(region.to_string());
    builder.add_resource(resource, node);
}

fn add_transit_gateway(builder: &mut Builder, resource: &Resource, attrs: &TransitGatewayAttrs) {
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
    let id = ids::scoped(Kind::TransitGateway, account, &resource.region, &resource.id);
    let drawing = Drawing {
        status: common_status(&attrs.state),
        ..Drawing::default()
    };
    let mut node = resource_node(
        resource,
        Kind::TransitGateway,
        id,
        parent,
        Some(&attrs.state),
        scanned_attrs(resource, attrs, &["state"]),
        drawing,
    );
    node.account = Some(account.clone());
    builder.add_resource(resource, node);
}

/// NAT gateways and endpoints list the interfaces they own.
pub(super) fn own_interfaces(cx: &mut Owning) {
    let (inventory, builder) = (cx.inventory, cx.builder);
    for (nat, attrs) in inventory.all::<NatGatewayAttrs>() {
        if let Some(ix) = builder.resource_ix(Kind::NatGateway, &nat.account, &nat.region, &nat.id) {
            for address in &attrs.addresses {
                cx.owners
                    .claim(nat, &address.network_interface_id, Owner::Node(ix));
            }
        }
    }
    for (endpoint, attrs) in inventory.all::<VpcEndpointAttrs>() {
        let ix = builder.resource_ix(
            Kind::VpcEndpoint,
            &endpoint.account,
            &endpoint.region,
            &endpoint.id,
        );
        if let Some(ix) = ix {
            for interface in &attrs.network_interface_ids {
                cx.owners.claim(endpoint, interface, Owner::Node(ix));
            }
        }
    }
}

/// Interfaces nobody owns, and Elastic IPs beside what holds them.
pub(super) fn place_attached(cx: &mut Placing) {
    let (inventory, owners, builder) = (cx.inventory, cx.owners, &mut *cx.builder);
    for (resource, attrs) in inventory.all::<NetworkInterfaceAttrs>() {
        if owners.owner(resource).is_some() {
            continue;
        }
        let parent = builder.parent_among(
            resource,
            &[
                subnet_node(resource, &attrs.subnet_id),
                vpc_node(resource, &attrs.vpc_id),
            ],
        );
        let mut node_attrs = scanned_attrs(resource, attrs, &["status"]);
        let primary = attrs.private_ips.first();
        if let Some(primary) = primary {
            node_attrs.insert("private_ip".into(), Value::from(primary.as_str()));
        }
        let interface_type = Some(attrs.interface_type.as_str())
            .filter(|t| !t.is_empty())
            .unwrap_or("interface");
        let drawing = Drawing {
            detail: detail_line(&[Some(interface_type), primary.map(String::as_str)]),
            status: common_status(&attrs.status),
            // An AWS-managed interface of something strata does not draw:
            // an anonymous tile would say nothing.
            fold: if attrs.requester_managed {
                Fold::Hidden
            } else {
                Fold::Own
            },
            ..Drawing::default()
        };
        builder.add_scoped(
            resource,
            Kind::NetworkInterface,
            parent,
            Some(&attrs.status),
            node_attrs,
            drawing,
        );
    }
    for (resource, attrs) in inventory.all::<ElasticIpAttrs>() {
        let (account, region) = (&resource.account, &resource.region);
        let on_interface = attrs
            .network_interface_id
            .as_deref()
            .and_then(|eni| owners.holder(builder, account, region, eni));
        let instance = attrs
            .instance_id
            .as_deref()
            .and_then(|id| builder.resource_ix(compute::Kind::Instance, account, region, id));
        let holder = on_interface.or(instance);
        let holder_parent = holder.and_then(|ix| builder.node(ix).parent.clone());
        let parent = builder.parent_among(resource, &[holder_parent]);
        let associated = attrs.association_id.is_some() || holder.is_some();
        let status = if associated {
            "associated"
        } else {
            "unassociated"
        };
        // On an instance (or an interface tile) the address is part of that
        // tile; held by a NAT gateway or another service, that tile already
        // shows it.
        let interface_node = attrs
            .network_interface_id
            .as_deref()
            .and_then(|eni| builder.resource_ix(Kind::NetworkInterface, account, region, eni));
        let fold = match instance.or(interface_node) {
            Some(host) => Fold::Into {
                host: builder.node(host).id.clone(),
                mention: Some(Mention::Shown(format!("EIP {}", attrs.public_ip))),
            },
            None if associated => Fold::Hidden,
            None => Fold::Unattached,
        };
        let drawing = Drawing {
            status: common_status(status),
            fold,
            ..Drawing::default()
        };
        builder.add_scoped(
            resource,
            Kind::ElasticIp,
            parent,
            Some(status),
            scanned_attrs(resource, attrs, &[]),
            drawing,
        );
    }
}

pub(super) fn hold(cx: &mut Holding) {
    let (inventory, builder, owners) = (cx.inventory, cx.builder, cx.owners);
    let holdings = &mut *cx.holdings;
    let ix_of = |kind: Kind, resource: &Resource| {
        builder.resource_ix(kind, &resource.account, &resource.region, &resource.id)
    };
    for (nat, attrs) in inventory.all::<NatGatewayAttrs>() {
        let ips: Vec<&str> = attrs
            .addresses
            .iter()
            .filter_map(|a| a.private_ip.as_deref())
            .collect();
        holdings.hold(
            ix_of(Kind::NatGateway, nat),
            &[],
            &ips,
            vpc_key(nat, &attrs.vpc_id),
        );
    }
    for (endpoint, attrs) in inventory.all::<VpcEndpointAttrs>() {
        holdings.hold(
            ix_of(Kind::VpcEndpoint, endpoint),
            &attrs.security_group_ids,
            &[],
            vpc_key(endpoint, &attrs.vpc_id),
        );
    }
    // An interface's owner (or its own node) takes over its groups and IPs,
    // so a group that appears only on an instance's interface makes the
    // instance a member, and reachability is never counted twice.
    for (interface, attrs) in inventory.all::<NetworkInterfaceAttrs>() {
        let Some(holder) = owners.holder(
            builder,
            &interface.account,
            &interface.region,
            &interface.id,
        ) else {
            continue;
        };
        let ips: Vec<&str> = attrs.private_ips.iter().map(String::as_str).collect();
        holdings.hold_interface(
            interface,
            holder,
            &attrs.security_group_ids,
            &ips,
            vpc_key(interface, &attrs.vpc_id),
        );
    }
    for (vpc, attrs) in inventory.all::<VpcAttrs>() {
        let ranges = std::iter::once(&attrs.cidr_block)
            .chain(&attrs.cidr_blocks)
            .chain(&attrs.ipv6_cidr_blocks)
            .filter_map(|cidr| cidr.parse::<IpNet>().ok());
        holdings.vpc_ranges(
            (vpc.account.clone(), vpc.region.clone(), vpc.id.clone()),
            ranges,
        );
    }
    for (peering, attrs) in inventory.all::<VpcPeeringConnectionAttrs>() {
        if attrs.status == "active" {
            holdings.link(
                side_vpc(peering, &attrs.requester),
                side_vpc(peering, &attrs.accepter),
            );
        }
    }
    let mut by_gateway: HashMap<(String, String), BTreeSet<VpcKey>> = HashMap::new();
    for (attachment, attrs) in inventory.all::<TransitGatewayAttachmentAttrs>() {
        if attrs.resource_type != "vpc" || !attachment_is_live(&attrs.state) {
            continue;
        }
        by_gateway
            .entry((attachment.region.clone(), attrs.transit_gateway_id.clone()))
            .or_default()
            .insert(attachment_vpc(attachment, attrs));
    }
    let mut gateways: Vec<_> = by_gateway.into_iter().collect();
    gateways.sort();
    for (_, vpcs) in gateways {
        for a in &vpcs {
            for b in &vpcs {
                if a < b {
                    holdings.link(a.clone(), b.clone());
                }
            }
        }
    }
}

/// Transit gateways and peerings by the ids route tables name them with.
pub(super) struct Gateways {
    transit_gateways: HashMap<(String, String), NodeIndex>,
    peerings: HashMap<String, NodeIndex>,
}

impl Gateways {
    fn new(inventory: &Inventory, builder: &Builder) -> Gateways {
        let ix_of = |kind: Kind, resource: &Resource| {
            builder.resource_ix(kind, &resource.account, &resource.region, &resource.id)
        };
        let mut transit_gateways = HashMap::new();
        for (resource, _) in inventory.all::<TransitGatewayAttrs>() {
            if let Some(ix) = ix_of(Kind::TransitGateway, resource) {
                transit_gateways.insert((resource.region.clone(), resource.id.clone()), ix);
            }
        }
        let mut peerings = HashMap::new();
        for (resource, _) in inventory.all::<VpcPeeringConnectionAttrs>() {
            if let Some(ix) = ix_of(Kind::VpcPeeringConnection, resource) {
                peerings.insert(resource.id.clone(), ix);
            }
        }
        Gateways {
            transit_gateways,
            peerings,
        }
    }

    pub fn transit_gateway(&self, region: &str, id: &str) -> Option<NodeIndex> {
        self.transit_gateways
            .get(&(region.to_string(), id.to_string()))
            .copied()
    }

    pub fn peering(&self, id: &str) -> Option<NodeIndex> {
        self.peerings.get(id).copied()
    }
}

pub(super) fn relate(cx: &mut Relating) {
    let (inventory, network) = (cx.inventory, cx.network);
    let gateways = Gateways::new(inventory, cx.builder);
    let routing = RouteTables::new(inventory);
    tiers::add_routes(inventory, &routing, network, &gateways, cx.builder);
    reachability::add_allows(inventory, network, cx.builder);
    let builder = &mut *cx.builder;
    add_peers(inventory, builder);
    for (attachment, attrs) in inventory.all::<TransitGatewayAttachmentAttrs>() {
        if attrs.resource_type != "vpc" || !attachment_is_live(&attrs.state) {
            continue;
        }
        let (account, region, vpc) = attachment_vpc(attachment, attrs);
        let from = builder.node_ix(&ids::scoped(Kind::Vpc, &account, &region, &vpc));
        let to = gateways.transit_gateway(&attachment.region, &attrs.transit_gateway_id);
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
    for (address, attrs) in inventory.all::<ElasticIpAttrs>() {
        let (account, region) = (&address.account, &address.region);
        let Some(from) = builder.resource_ix(Kind::ElasticIp, account, region, &address.id) else {
            continue;
        };
        let holder = attrs
            .network_interface_id
            .as_deref()
            .and_then(|eni| network.interface_holder(account, region, eni))
            .or_else(|| {
                builder.resource_ix(
                    compute::Kind::Instance,
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

/// `peers`: VPC → VPC over an active peering, requester to accepter.
fn add_peers(inventory: &Inventory, builder: &mut Builder) {
    for (peering, attrs) in inventory.all::<VpcPeeringConnectionAttrs>() {
        if attrs.status != "active" {
            continue;
        }
        let vpc_node = |side: &PeeringSide| {
            let (account, region) = side_scope(peering, side);
            builder.node_ix(&ids::scoped(Kind::Vpc, account, region, &side.vpc_id))
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

/// Attachments that are (or are about to be) carrying traffic.
fn attachment_is_live(state: &str) -> bool {
    !matches!(
        state,
        "deleted" | "deleting" | "failed" | "failing" | "rejected" | "rejecting"
    )
}

/// The VPC of a transit gateway VPC attachment.
fn attachment_vpc(attachment: &Resource, attrs: &TransitGatewayAttachmentAttrs) -> VpcKey {
    let owner = if attrs.resource_owner_id.is_empty() {
        &attachment.account
    } else {
        &attrs.resource_owner_id
    };
    (
        owner.clone(),
        attachment.region.clone(),
        attrs.resource_id.clone(),
    )
}
