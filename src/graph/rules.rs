//! What the services' graph rules work with, phase by phase (see
//! [`crate::services::Service`]): the inventory, the graph under
//! construction, and the two shared indexes the phases fill and read —
//! which node owns each network interface, and who holds which security
//! group, private IP and VPC connection.
//!
//! Owns those indexes and the questions they answer; it states no rule about
//! any service (the services claim interfaces and report what they hold).

use std::collections::{BTreeSet, HashMap, HashSet};
use std::net::IpAddr;

use ipnet::IpNet;
use petgraph::graph::NodeIndex;

use super::builder::Builder;
use super::inventory::Inventory;
use crate::services::network;
use crate::snapshot::Resource;

/// `(account, region, vpc id)`.
pub(crate) type VpcKey = (String, String, String);
/// `(account, region, resource id)`.
type Scoped = (String, String, String);

fn scoped(resource: &Resource, id: &str) -> Scoped {
    (
        resource.account.clone(),
        resource.region.clone(),
        id.to_string(),
    )
}

/// The VPC key of a resource's VPC id, when it has one.
pub(crate) fn vpc_key(resource: &Resource, vpc: &str) -> Option<VpcKey> {
    (!vpc.is_empty()).then(|| scoped(resource, vpc))
}

/// What a service contributes to building the graph, phase by phase. Every
/// hook does nothing by default because most services take part in few
/// phases; `build` calls each phase for every service in registry order.
pub(crate) trait Rules: Sync {
    /// Phase 1: nodes for resources whose parent is a container. The
    /// network service runs first and places VPCs, zones and subnets.
    fn place(&self, _cx: &mut Placing<'_, '_>) {}

    /// Phase 2: claim the network interfaces this service's resources own.
    fn own_interfaces(&self, _cx: &mut Owning<'_, '_>) {}

    /// Phase 3: nodes placed beside what holds them (interfaces, addresses,
    /// volumes), once owners are known.
    fn place_attached(&self, _cx: &mut Placing<'_, '_>) {}

    /// Phase 4: the security groups, IPs and VPC links this service's nodes
    /// hold, for the rules that resolve them.
    fn hold(&self, _cx: &mut Holding<'_, '_>) {}

    /// Phase 5: the relationships this service's configuration states.
    fn relate(&self, _cx: &mut Relating<'_, '_>) {}
}

/// Phases 1 and 3: adding nodes.
pub(crate) struct Placing<'a, 's> {
    pub inventory: &'a Inventory<'s>,
    pub builder: &'a mut Builder,
    /// Known from phase 3 on: who owns each interface.
    pub owners: &'a InterfaceOwners,
}

/// Phase 2: claiming network interfaces.
pub(crate) struct Owning<'a, 's> {
    pub inventory: &'a Inventory<'s>,
    pub builder: &'a Builder,
    pub owners: &'a mut InterfaceOwners,
}

/// Phase 4: reporting what nodes hold.
pub(crate) struct Holding<'a, 's> {
    pub inventory: &'a Inventory<'s>,
    pub builder: &'a Builder,
    pub owners: &'a InterfaceOwners,
    pub holdings: &'a mut Holdings,
}

/// Phase 5: stating relationships.
pub(crate) struct Relating<'a, 's> {
    pub inventory: &'a Inventory<'s>,
    pub builder: &'a mut Builder,
    pub network: &'a Network,
}

/// Who an interface belongs to, when it is not a node of its own.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Owner {
    Node(NodeIndex),
    /// Managed by a service strata draws otherwise, owner not identified.
    Managed,
}

/// Which node owns each claimed interface. An interface nobody claims is a
/// `network-interface` node of its own.
#[derive(Default)]
pub(crate) struct InterfaceOwners {
    owners: HashMap<Scoped, Owner>,
}

impl InterfaceOwners {
    /// Claim `interface` (an id in `resource`'s account and region). The
    /// first claim stands: services claim in registry order.
    pub fn claim(&mut self, resource: &Resource, interface: &str, owner: Owner) {
        self.owners
            .entry(scoped(resource, interface))
            .or_insert(owner);
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
            None => {
                builder.resource_ix(network::Kind::NetworkInterface, account, region, interface)
            }
        }
    }
}

/// What one node holds on the network.
#[derive(Default)]
struct Held {
    groups: BTreeSet<String>,
    ips: Vec<IpAddr>,
    vpc: Option<VpcKey>,
}

/// A node, and the groups, IPs and VPC of one of its interfaces.
type InterfaceHolding = (NodeIndex, Vec<String>, Vec<IpAddr>, Option<VpcKey>);

/// What the services report their nodes hold, before it is indexed.
#[derive(Default)]
pub(crate) struct Holdings {
    direct: HashMap<NodeIndex, Held>,
    /// What a node holds through its network interfaces: applied after every
    /// direct holding, so a node's own VPC wins over an interface's.
    through_interfaces: Vec<InterfaceHolding>,
    /// Nodes whose interfaces' groups belong to another node (an Aurora
    /// member's belong to its cluster).
    defers_groups: HashSet<NodeIndex>,
    vpc_cidrs: HashMap<VpcKey, Vec<IpNet>>,
    links: Vec<(VpcKey, VpcKey)>,
    interface_holders: HashMap<Scoped, NodeIndex>,
}

impl Holdings {
    /// `ix` holds these security groups and private IPs in this VPC.
    pub fn hold(
        &mut self,
        ix: Option<NodeIndex>,
        groups: &[String],
        ips: &[&str],
        vpc: Option<VpcKey>,
    ) {
        let Some(ix) = ix else { return };
        let held = self.direct.entry(ix).or_default();
        held.groups.extend(groups.iter().cloned());
        held.ips
            .extend(ips.iter().filter_map(|ip| ip.parse::<IpAddr>().ok()));
        if held.vpc.is_none() {
            held.vpc = vpc;
        }
    }

    /// `holder` stands for `interface`: it takes over the interface's groups
    /// (unless it defers them) and IPs.
    pub fn hold_interface(
        &mut self,
        interface: &Resource,
        holder: NodeIndex,
        groups: &[String],
        ips: &[&str],
        vpc: Option<VpcKey>,
    ) {
        self.interface_holders
            .insert(scoped(interface, &interface.id), holder);
        self.through_interfaces.push((
            holder,
            groups.to_vec(),
            ips.iter().filter_map(|ip| ip.parse().ok()).collect(),
            vpc,
        ));
    }

    /// `ix` is reached through another node that holds its groups.
    pub fn defer_groups(&mut self, ix: NodeIndex) {
        self.defers_groups.insert(ix);
    }

    /// A VPC's address ranges.
    pub fn vpc_ranges(&mut self, vpc: VpcKey, ranges: impl IntoIterator<Item = IpNet>) {
        self.vpc_cidrs.entry(vpc).or_default().extend(ranges);
    }

    /// Two VPCs joined by a peering or a shared transit gateway.
    pub fn link(&mut self, a: VpcKey, b: VpcKey) {
        self.links.push((a, b));
    }

    /// Index everything for the relationship rules.
    pub fn index(mut self) -> Network {
        for (holder, groups, ips, vpc) in std::mem::take(&mut self.through_interfaces) {
            let defers = self.defers_groups.contains(&holder);
            let held = self.direct.entry(holder).or_default();
            if !defers {
                held.groups.extend(groups);
            }
            held.ips.extend(ips);
            if held.vpc.is_none() {
                held.vpc = vpc;
            }
        }
        let mut members: HashMap<String, Vec<NodeIndex>> = HashMap::new();
        let mut ips: HashMap<VpcKey, Vec<(IpAddr, NodeIndex)>> = HashMap::new();
        for (ix, held) in self.direct {
            for group in held.groups {
                members.entry(group).or_default().push(ix);
            }
            if let Some(vpc) = held.vpc {
                let list = ips.entry(vpc).or_default();
                list.extend(held.ips.into_iter().map(|ip| (ip, ix)));
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
        let mut connected: HashMap<VpcKey, BTreeSet<VpcKey>> = HashMap::new();
        for vpc in self.vpc_cidrs.keys() {
            connected
                .entry(vpc.clone())
                .or_default()
                .insert(vpc.clone());
        }
        for (a, b) in self.links {
            connected.entry(a.clone()).or_default().insert(b.clone());
            connected.entry(b).or_default().insert(a);
        }
        Network {
            holders: self.interface_holders,
            members,
            ips,
            vpc_cidrs: self.vpc_cidrs,
            connected: connected
                .into_iter()
                .map(|(vpc, set)| (vpc, set.into_iter().collect()))
                .collect(),
        }
    }
}

/// Who holds which network identity, for the rules that resolve security
/// group members, IP targets and CIDR sources. Draws no edges.
pub(crate) struct Network {
    holders: HashMap<Scoped, NodeIndex>,
    members: HashMap<String, Vec<NodeIndex>>,
    /// Per VPC, `(ip, holder)` sorted by IP: a CIDR rule is two binary searches.
    ips: HashMap<VpcKey, Vec<(IpAddr, NodeIndex)>>,
    vpc_cidrs: HashMap<VpcKey, Vec<IpNet>>,
    /// Per VPC, itself and every VPC joined to it, sorted.
    connected: HashMap<VpcKey, Vec<VpcKey>>,
}

impl Network {
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

    /// Nodes holding a security group, sorted by node index.
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
