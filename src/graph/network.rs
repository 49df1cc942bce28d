//! Who holds which network identity: which node an interface belongs to,
//! which nodes are members of each security group, which node holds each
//! private IP, and which VPCs can reach each other. The reachability, target
//! and route passes ask these questions; this module draws no edges.
//!
//! Interfaces: an interface attached to an instance, listed by a NAT gateway
//! or a VPC endpoint, or described by ELB (`ELB app/name/id`) is represented
//! by that node, which takes over its IPs and security groups (so a group
//! that appears only on an instance's interface makes the instance a member,
//! and reachability is never counted twice). RDS-managed interfaces
//! (`RDSNetworkInterface`) are never nodes; their IPs go to the one DB
//! instance in the same zone with the same groups when there is exactly one.
//! Every other interface (unattached, Lambda, unknown managed ones) is a
//! `network-interface` node of its own.

use std::collections::{BTreeSet, HashMap, HashSet};
use std::net::IpAddr;

use ipnet::IpNet;
use petgraph::graph::NodeIndex;

use super::build::Builder;
use super::containment::rds_vpc;
use super::ids;
use super::inventory::Inventory;
use crate::graph::NodeKind;
use crate::snapshot::*;

/// `(account, region, vpc id)`.
pub(crate) type VpcKey = (String, String, String);
type Scoped = (String, String, String);
type Scope<'s> = (&'s str, &'s str, &'s str);

fn scoped(resource: &Resource, id: &str) -> Scoped {
    (
        resource.account.clone(),
        resource.region.clone(),
        id.to_string(),
    )
}

/// Who an interface belongs to, when it is not a node of its own.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Owner {
    Node(NodeIndex),
    /// Managed by a service strata draws otherwise (RDS), owner not identified.
    Managed,
}

pub(crate) struct InterfaceOwners {
    owners: HashMap<Scoped, Owner>,
}

impl InterfaceOwners {
    pub fn new(inventory: &Inventory, builder: &Builder) -> InterfaceOwners {
        let mut listed: HashMap<Scoped, NodeIndex> = HashMap::new();
        for (nat, attrs) in inventory.nat_gateways() {
            if let Some(ix) =
                builder.resource_ix(ResourceKind::NatGateway, &nat.account, &nat.region, &nat.id)
            {
                for address in &attrs.addresses {
                    listed.insert(scoped(nat, &address.network_interface_id), ix);
                }
            }
        }
        for (endpoint, attrs) in inventory.vpc_endpoints() {
            if let Some(ix) = builder.resource_ix(
                ResourceKind::VpcEndpoint,
                &endpoint.account,
                &endpoint.region,
                &endpoint.id,
            ) {
                for interface in &attrs.network_interface_ids {
                    listed.insert(scoped(endpoint, interface), ix);
                }
            }
        }
        // DB instances by (account, region, zone): the candidates for an RDS interface.
        let mut databases: HashMap<Scope, Vec<(NodeIndex, &RdsInstanceAttrs)>> = HashMap::new();
        for (db, attrs) in inventory.rds_instances() {
            let (Some(ix), Some(zone)) = (
                builder.resource_ix(ResourceKind::RdsInstance, &db.account, &db.region, &db.id),
                attrs.availability_zone.as_deref(),
            ) else {
                continue;
            };
            databases
                .entry((&db.account, &db.region, zone))
                .or_default()
                .push((ix, attrs));
        }

        let mut owners = HashMap::new();
        for (interface, attrs) in inventory.interfaces() {
            let key = scoped(interface, &interface.id);
            let attached = attrs.attached_instance_id.as_deref().and_then(|instance| {
                builder.resource_ix(
                    ResourceKind::Ec2Instance,
                    &interface.account,
                    &interface.region,
                    instance,
                )
            });
            let owner = if let Some(ix) = attached.or_else(|| listed.get(&key).copied()) {
                Some(Owner::Node(ix))
            } else if let Some(suffix) = attrs.description.strip_prefix("ELB ") {
                let id = ids::scoped(
                    NodeKind::LoadBalancer,
                    &interface.account,
                    &interface.region,
                    suffix,
                );
                builder.node_ix(&id).map(Owner::Node)
            } else if attrs.description == "RDSNetworkInterface" {
                let candidates: Vec<NodeIndex> = databases
                    .get(&(
                        &interface.account,
                        &interface.region,
                        &attrs.availability_zone,
                    ))
                    .into_iter()
                    .flatten()
                    .filter(|(_, db)| db.security_group_ids == attrs.security_group_ids)
                    .map(|(ix, _)| *ix)
                    .collect();
                Some(match candidates.as_slice() {
                    [only] => Owner::Node(*only),
                    _ => Owner::Managed,
                })
            } else {
                None
            };
            if let Some(owner) = owner {
                owners.insert(key, owner);
            }
        }
        InterfaceOwners { owners }
    }

    pub fn owner(&self, interface: &Resource) -> Option<Owner> {
        self.owners.get(&scoped(interface, &interface.id)).copied()
    }

    /// The node that stands for an interface: its owner, or its own node.
    pub fn holder(
        &self,
        builder: &Builder,
        account: &str,
        region: &str,
        interface: &str,
    ) -> Option<NodeIndex> {
        match self.owners.get(&(
            account.to_string(),
            region.to_string(),
            interface.to_string(),
        )) {
            Some(Owner::Node(ix)) => Some(*ix),
            Some(Owner::Managed) => None,
            None => builder.resource_ix(ResourceKind::NetworkInterface, account, region, interface),
        }
    }
}

/// What a node holds on the network.
#[derive(Default)]
struct Holding {
    groups: BTreeSet<String>,
    ips: Vec<IpAddr>,
    vpc: Option<VpcKey>,
}

pub(crate) struct Network {
    holders: HashMap<Scoped, NodeIndex>,
    members: HashMap<String, Vec<NodeIndex>>,
    /// Per VPC, `(ip, holder)` sorted by IP: a CIDR rule is two binary searches.
    ips: HashMap<VpcKey, Vec<(IpAddr, NodeIndex)>>,
    vpc_cidrs: HashMap<VpcKey, Vec<IpNet>>,
    /// Per VPC, itself and every VPC joined to it by an active peering or a
    /// shared transit gateway, sorted.
    connected: HashMap<VpcKey, Vec<VpcKey>>,
    transit_gateways: HashMap<(String, String), NodeIndex>,
    peerings: HashMap<String, NodeIndex>,
}

impl Network {
    pub fn new(inventory: &Inventory, owners: &InterfaceOwners, builder: &Builder) -> Network {
        let mut holdings: HashMap<NodeIndex, Holding> = HashMap::new();
        // Aurora members reach and are reached through their cluster: the
        // cluster holds the groups, the instances would only repeat its edges.
        let mut defers_groups: HashSet<NodeIndex> = HashSet::new();
        let vpc_key = |resource: &Resource, vpc: &str| -> Option<VpcKey> {
            (!vpc.is_empty()).then(|| scoped(resource, vpc))
        };
        let mut hold =
            |ix: Option<NodeIndex>, groups: &[String], ips: &[&str], vpc: Option<VpcKey>| {
                let Some(ix) = ix else { return };
                let holding = holdings.entry(ix).or_default();
                holding.groups.extend(groups.iter().cloned());
                holding
                    .ips
                    .extend(ips.iter().filter_map(|ip| ip.parse::<IpAddr>().ok()));
                if holding.vpc.is_none() {
                    holding.vpc = vpc;
                }
            };
        let ix_of = |kind: ResourceKind, resource: &Resource| {
            builder.resource_ix(kind, &resource.account, &resource.region, &resource.id)
        };

        for (instance, attrs) in inventory.instances() {
            let mut ips: Vec<&str> = attrs.private_ips.iter().map(String::as_str).collect();
            ips.extend(attrs.private_ip.as_deref());
            let vpc = attrs.vpc_id.as_deref().and_then(|v| vpc_key(instance, v));
            hold(
                ix_of(ResourceKind::Ec2Instance, instance),
                &attrs.security_group_ids,
                &ips,
                vpc,
            );
        }
        for (nat, attrs) in inventory.nat_gateways() {
            let ips: Vec<&str> = attrs
                .addresses
                .iter()
                .filter_map(|a| a.private_ip.as_deref())
                .collect();
            hold(
                ix_of(ResourceKind::NatGateway, nat),
                &[],
                &ips,
                vpc_key(nat, &attrs.vpc_id),
            );
        }
        for (lb, attrs) in inventory.load_balancers() {
            hold(
                ix_of(ResourceKind::LoadBalancer, lb),
                &attrs.security_group_ids,
                &[],
                vpc_key(lb, &attrs.vpc_id),
            );
        }
        for (endpoint, attrs) in inventory.vpc_endpoints() {
            let ix = ix_of(ResourceKind::VpcEndpoint, endpoint);
            hold(
                ix,
                &attrs.security_group_ids,
                &[],
                vpc_key(endpoint, &attrs.vpc_id),
            );
        }
        for (cluster, attrs) in inventory.rds_clusters() {
            let vpc = rds_vpc(
                inventory,
                cluster,
                attrs.vpc_id.as_deref(),
                attrs.db_subnet_group.as_deref(),
            );
            let ix = ix_of(ResourceKind::RdsCluster, cluster);
            hold(
                ix,
                &attrs.security_group_ids,
                &[],
                vpc.and_then(|v| vpc_key(cluster, v)),
            );
        }
        for (db, attrs) in inventory.rds_instances() {
            let ix = ix_of(ResourceKind::RdsInstance, db);
            let in_cluster = attrs.cluster_identifier.as_deref().is_some_and(|cluster| {
                builder
                    .resource_ix(ResourceKind::RdsCluster, &db.account, &db.region, cluster)
                    .is_some()
            });
            let groups: &[String] = if in_cluster {
                &[]
            } else {
                &attrs.security_group_ids
            };
            if let (true, Some(ix)) = (in_cluster, ix) {
                defers_groups.insert(ix);
            }
            let vpc = rds_vpc(
                inventory,
                db,
                attrs.vpc_id.as_deref(),
                attrs.db_subnet_group.as_deref(),
            );
            hold(ix, groups, &[], vpc.and_then(|v| vpc_key(db, v)));
        }
        let mut holders = HashMap::new();
        for (interface, attrs) in inventory.interfaces() {
            let Some(ix) = owners.holder(
                builder,
                &interface.account,
                &interface.region,
                &interface.id,
            ) else {
                continue;
            };
            holders.insert(scoped(interface, &interface.id), ix);
            let groups: &[String] = if defers_groups.contains(&ix) {
                &[]
            } else {
                &attrs.security_group_ids
            };
            let ips: Vec<&str> = attrs.private_ips.iter().map(String::as_str).collect();
            hold(Some(ix), groups, &ips, vpc_key(interface, &attrs.vpc_id));
        }

        let mut members: HashMap<String, Vec<NodeIndex>> = HashMap::new();
        let mut ips: HashMap<VpcKey, Vec<(IpAddr, NodeIndex)>> = HashMap::new();
        for (ix, holding) in holdings {
            for group in holding.groups {
                members.entry(group).or_default().push(ix);
            }
            if let Some(vpc) = holding.vpc {
                let list = ips.entry(vpc).or_default();
                list.extend(holding.ips.into_iter().map(|ip| (ip, ix)));
            }
        }
        for list in members.values_mut() {
            list.sort_unstable();
            list.dedup();
        }
        for list in ips.values_mut() {
            list.sort_unstable();
            list.dedup();
        }

        let mut vpc_cidrs: HashMap<VpcKey, Vec<IpNet>> = HashMap::new();
        for (vpc, attrs) in inventory.vpcs() {
            let ranges = std::iter::once(&attrs.cidr_block)
                .chain(&attrs.cidr_blocks)
                .chain(&attrs.ipv6_cidr_blocks)
                .filter_map(|cidr| cidr.parse::<IpNet>().ok());
            vpc_cidrs
                .entry(scoped(vpc, &vpc.id))
                .or_default()
                .extend(ranges);
        }

        let mut links: Vec<(VpcKey, VpcKey)> = Vec::new();
        for (peering, attrs) in inventory.peerings() {
            if attrs.status != "active" {
                continue;
            }
            let side = |side: &PeeringSide| -> VpcKey {
                (
                    if side.account.is_empty() {
                        peering.account.clone()
                    } else {
                        side.account.clone()
                    },
                    if side.region.is_empty() {
                        peering.region.clone()
                    } else {
                        side.region.clone()
                    },
                    side.vpc_id.clone(),
                )
            };
            links.push((side(&attrs.requester), side(&attrs.accepter)));
        }
        let mut by_gateway: HashMap<(String, String), BTreeSet<VpcKey>> = HashMap::new();
        for (attachment, attrs) in inventory.tgw_attachments() {
            if attrs.resource_type != "vpc" || !attachment_is_live(&attrs.state) {
                continue;
            }
            by_gateway
                .entry((attachment.region.clone(), attrs.transit_gateway_id.clone()))
                .or_default()
                .insert(attachment_vpc(attachment, attrs));
        }
        for vpcs in by_gateway.values() {
            for a in vpcs {
                for b in vpcs {
                    if a < b {
                        links.push((a.clone(), b.clone()));
                    }
                }
            }
        }
        let mut connected: HashMap<VpcKey, BTreeSet<VpcKey>> = HashMap::new();
        for vpc in vpc_cidrs.keys() {
            connected
                .entry(vpc.clone())
                .or_default()
                .insert(vpc.clone());
        }
        for (a, b) in links {
            connected.entry(a.clone()).or_default().insert(b.clone());
            connected.entry(b.clone()).or_default().insert(a.clone());
        }
        let connected = connected
            .into_iter()
            .map(|(vpc, set)| (vpc, set.into_iter().collect()))
            .collect();

        let mut transit_gateways = HashMap::new();
        let mut peerings = HashMap::new();
        for (resource, _) in inventory.transit_gateways() {
            if let Some(ix) = ix_of(ResourceKind::TransitGateway, resource) {
                transit_gateways.insert((resource.region.clone(), resource.id.clone()), ix);
            }
        }
        for (resource, _) in inventory.peerings() {
            if let Some(ix) = ix_of(ResourceKind::VpcPeeringConnection, resource) {
                peerings.insert(resource.id.clone(), ix);
            }
        }

        Network {
            holders,
            members,
            ips,
            vpc_cidrs,
            connected,
            transit_gateways,
            peerings,
        }
    }

    /// The node standing for an interface (its owner or its own node).
    pub fn interface_holder(
        &self,
        account: &str,
        region: &str,
        interface: &str,
    ) -> Option<NodeIndex> {
        self.holders
            .get(&(
                account.to_string(),
                region.to_string(),
                interface.to_string(),
            ))
            .copied()
    }

    pub fn transit_gateway(&self, region: &str, id: &str) -> Option<NodeIndex> {
        self.transit_gateways
            .get(&(region.to_string(), id.to_string()))
            .copied()
    }

    pub fn peering(&self, id: &str) -> Option<NodeIndex> {
        self.peerings.get(id).copied()
    }

    /// Nodes holding a security group (instances, interfaces, load
    /// balancers, endpoints, databases), sorted by node index.
    pub fn members(&self, group: &str) -> &[NodeIndex] {
        self.members.get(group).map_or(&[], Vec::as_slice)
    }

    /// The VPC itself and the VPCs joined to it.
    pub fn connected(&self, vpc: &VpcKey) -> Vec<VpcKey> {
        self.connected
            .get(vpc)
            .cloned()
            .unwrap_or_else(|| vec![vpc.clone()])
    }

    /// Nodes in these VPCs holding a private IP inside `range`.
    pub fn holders_in(&self, vpcs: &[VpcKey], range: &IpNet) -> Vec<NodeIndex> {
        let (first, last) = (range.network(), range.broadcast());
        let mut found = Vec::new();
        for vpc in vpcs {
            let Some(list) = self.ips.get(vpc) else {
                continue;
            };
            let start = list.partition_point(|(ip, _)| *ip < first);
            let end = list.partition_point(|(ip, _)| *ip <= last);
            found.extend(list[start..end].iter().map(|(_, ix)| *ix));
        }
        found.sort_unstable();
        found.dedup();
        found
    }

    /// Whether `range` lies inside one CIDR of one of these VPCs.
    pub fn inside_vpcs(&self, vpcs: &[VpcKey], range: &IpNet) -> bool {
        vpcs.iter()
            .filter_map(|vpc| self.vpc_cidrs.get(vpc))
            .flatten()
            .any(|cidr| cidr.contains(range))
    }
}

/// Attachments that are (or are about to be) carrying traffic.
pub(crate) fn attachment_is_live(state: &str) -> bool {
    !matches!(
        state,
        "deleted" | "deleting" | "failed" | "failing" | "rejected" | "rejecting"
    )
}

/// The VPC of a transit gateway VPC attachment.
pub(crate) fn attachment_vpc(
    attachment: &Resource,
    attrs: &TransitGatewayAttachmentAttrs,
) -> VpcKey {
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
