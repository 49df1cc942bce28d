//! What the architecture view draws, before any geometry: which graph nodes
//! become frames, which become tiles and where they live (a subnet cell, a
//! load-balancer lane across zones, the VPC border, a region, the top
//! level), which are folded into another tile, and which edges remain once
//! folded nodes hand their edges to their hosts.
//!
//! Folding rules (the README explains why):
//! - target groups are not tiles: `forwards` (LB → TG) and `targets`
//!   (TG → target) become one `targets` edge LB → target labelled with the
//!   listener and the target health;
//! - security groups are not tiles: their effect is already drawn as the
//!   `allows` edges between resources; edges touching a group are dropped;
//! - network interfaces attached to an instance, Elastic IPs and EBS volumes
//!   attached to an instance fold into that instance (its detail line and
//!   tooltip mention them) and hand it their edges; AWS-managed interfaces
//!   (of load balancers, NAT gateways, endpoints, databases) fold away, the
//!   service's own tile stands for them; detached volumes and unassociated
//!   addresses are counted in the legend, not drawn;
//! - edges touching an availability zone are re-attached to its VPC; edges
//!   touching an account or region are dropped.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use crate::graph::costs::Figure;
use crate::graph::{EdgeKind, Fold, Graph, Mention, Node, NodeKind};
use crate::services::{Drawn, FrameLevel, Place};
use crate::style::Status;

/// Subnet tiers in drawing order (rows, top to bottom).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Tier {
    Public,
    Private,
    Isolated,
    Unknown,
}

impl Tier {
    fn of(tier: Option<crate::graph::Tier>) -> Tier {
        match tier {
            Some(crate::graph::Tier::Public) => Tier::Public,
            Some(crate::graph::Tier::Private) => Tier::Private,
            Some(crate::graph::Tier::Isolated) => Tier::Isolated,
            None => Tier::Unknown,
        }
    }

    pub fn title(self) -> &'static str {
        match self {
            Tier::Public => "Public",
            Tier::Private => "Private",
            Tier::Isolated => "Isolated",
            Tier::Unknown => "Subnet",
        }
    }
}

/// A resource to draw as a tile.
#[derive(Debug, Clone)]
pub struct TileSpec {
    pub id: String,
    pub kind: NodeKind,
    pub name: String,
    pub detail: String,
    pub badge: Option<Status>,
    pub tooltip: String,
    /// Its monthly cost with what folded into it, when the graph is priced.
    pub cost: Option<Figure>,
}

/// An edge that survives folding and merging.
#[derive(Debug, Clone)]
pub struct EdgeSpec {
    pub from: String,
    pub to: String,
    pub kind: EdgeKind,
    pub label: String,
}

#[derive(Debug, Clone)]
pub struct SubnetSpec {
    pub id: String,
    pub title: String,
    pub tooltip: String,
    pub tier: Tier,
    /// Tile indices, in drawing order.
    pub tiles: Vec<usize>,
}

#[derive(Debug, Clone)]
pub struct ZoneSpec {
    pub id: String,
    pub zone: String,
    pub subnets: Vec<SubnetSpec>,
}

/// A tile that spans zone columns (load balancer, Aurora cluster).
#[derive(Debug, Clone)]
pub struct LaneSpec {
    pub tile: usize,
    pub tier: Tier,
    /// Zone indices it spans; empty means every zone.
    pub zones: Vec<usize>,
}

#[derive(Debug, Clone)]
pub struct VpcSpec {
    pub id: String,
    pub title: String,
    pub tooltip: String,
    /// The monthly cost of everything in it, when the graph is priced.
    pub cost: Option<Figure>,
    pub zones: Vec<ZoneSpec>,
    /// Tiles on the VPC's top border: gateways, endpoints, peerings, and
    /// VPC-level resources without a subnet.
    pub border: Vec<usize>,
    pub lanes: Vec<LaneSpec>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ShelfKind {
    Top,
    Account,
    Region,
}

/// A frame whose children are packed in shelves: the top level, an
/// account, a region.
#[derive(Debug, Clone)]
pub struct ShelfSpec {
    pub id: String,
    pub kind: ShelfKind,
    pub title: String,
    pub tooltip: String,
    /// The monthly cost of everything in it, when the graph is priced.
    pub cost: Option<Figure>,
    pub parent: Option<usize>,
    pub tiles: Vec<usize>,
    pub vpcs: Vec<usize>,
    pub shelves: Vec<usize>,
}

/// Where an edge endpoint is drawn.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Anchor {
    Tile(usize),
    Vpc(usize),
    /// VPC index, zone index, subnet index.
    Subnet(usize, usize, usize),
}

#[derive(Debug, Clone)]
pub struct Scene {
    pub tiles: Vec<TileSpec>,
    pub vpcs: Vec<VpcSpec>,
    /// Index 0 is the top level.
    pub shelves: Vec<ShelfSpec>,
    pub edges: Vec<EdgeSpec>,
    pub anchors: HashMap<String, Anchor>,
    /// Resources in the graph (everything but frames and outside parties).
    pub resource_count: usize,
    /// Detached volumes and unassociated addresses, not drawn.
    pub not_drawn: usize,
    /// Default VPCs holding nothing but their internet gateway, not drawn.
    pub empty_default_vpcs: usize,
}

/// What becomes of a graph node in the drawing.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Fate {
    Frame,
    Tile,
    /// Drawn as part of another tile, which takes over its edges.
    FoldInto(String),
    /// Not drawn; an edge into it and one out of it become one edge.
    Relay,
    /// Not drawn; edges touching it are dropped.
    Drop,
}

fn join_present(parts: &[Option<String>]) -> String {
    parts
        .iter()
        .flatten()
        .filter(|p| !p.is_empty())
        .cloned()
        .collect::<Vec<_>>()
        .join(" · ")
}

/// How many `allows` edges with one label between one end and the members
/// of one subnet are drawn as a single edge to (or from) the subnet.
pub const AGGREGATE_AT: usize = 3;

type EdgeKey = (String, String, EdgeKind);

/// Security-group chains reach every member of a group: 40 app servers
/// allowed into 4 databases are 160 edges that say one thing. `allows`
/// edges with the same label from one end to `AGGREGATE_AT` or more
/// members of one subnet become one edge to the subnet; `regroup` names
/// the replacement ends of an edge, or `None` to keep it as it is.
fn aggregate(
    edges: BTreeMap<EdgeKey, BTreeSet<String>>,
    mut regroup: impl FnMut(&EdgeKey) -> Option<(String, String)>,
) -> BTreeMap<EdgeKey, BTreeSet<String>> {
    let mut groups: BTreeMap<(String, String, String), Vec<EdgeKey>> = BTreeMap::new();
    let mut out: BTreeMap<EdgeKey, BTreeSet<String>> = BTreeMap::new();
    for (key, labels) in edges {
        let label = labels.iter().cloned().collect::<Vec<_>>().join(", ");
        match (key.2 == EdgeKind::Allows).then(|| regroup(&key)).flatten() {
            Some((from, to)) => groups.entry((from, to, label)).or_default().push(key),
            None => {
                out.entry(key).or_default().extend(labels);
            }
        }
    }
    for ((from, to, label), members) in groups {
        let keys: Vec<EdgeKey> = if members.len() >= AGGREGATE_AT {
            vec![(from, to, EdgeKind::Allows)]
        } else {
            members
        };
        for key in keys {
            if key.0 != key.1 {
                let labels = out.entry(key).or_default();
                labels.extend(
                    label
                        .split(", ")
                        .filter(|l| !l.is_empty())
                        .map(str::to_string),
                );
            }
        }
    }
    out
}

/// The line under a tile's name: what the graph resolved, else its kind.
fn detail_line(node: &Node) -> String {
    match node.drawing.detail.as_str() {
        "" => node.kind.as_str().replace('-', " "),
        detail => detail.to_string(),
    }
}

fn tooltip(node: &Node, extra: &[String]) -> String {
    let mut lines = vec![
        node.name.clone(),
        format!("id: {}", node.resource_id.as_deref().unwrap_or(&node.id)),
        format!("type: {}", node.kind),
        format!("status: {}", node.status.as_deref().unwrap_or("—")),
    ];
    lines.extend(extra.iter().cloned());
    lines.join("\n")
}

struct Builder<'g> {
    graph: &'g Graph,
    nodes: Vec<&'g Node>,
    fates: HashMap<&'g str, Fate>,
    scene: Scene,
    shelf_of: HashMap<String, usize>,
    vpc_of: HashMap<String, usize>,
    /// Subnet id → (vpc, zone, subnet).
    subnet_of: HashMap<String, (usize, usize, usize)>,
}

impl Scene {
    pub fn of(graph: &Graph) -> Scene {
        let mut builder = Builder {
            graph,
            nodes: graph.nodes(),
            fates: HashMap::new(),
            scene: Scene {
                tiles: Vec::new(),
                vpcs: Vec::new(),
                shelves: vec![ShelfSpec {
                    id: String::new(),
                    kind: ShelfKind::Top,
                    title: String::new(),
                    tooltip: String::new(),
                    cost: None,
                    parent: None,
                    tiles: Vec::new(),
                    vpcs: Vec::new(),
                    shelves: Vec::new(),
                }],
                edges: Vec::new(),
                anchors: HashMap::new(),
                resource_count: 0,
                not_drawn: 0,
                empty_default_vpcs: 0,
            },
            shelf_of: HashMap::new(),
            vpc_of: HashMap::new(),
            subnet_of: HashMap::new(),
        };
        builder.decide_fates();
        builder.hide_empty_default_vpcs();
        builder.frames();
        let (edges, unhealthy) = builder.edges();
        builder.tiles(&unhealthy);
        builder.scene.edges = edges;
        builder.scene.resource_count = builder
            .nodes
            .iter()
            .filter(|n| {
                !n.kind.is_container() && !matches!(n.kind, NodeKind::Internet | NodeKind::Cidr)
            })
            .count();
        builder.scene
    }
}

impl<'g> Builder<'g> {
    fn node(&self, id: &str) -> Option<&'g Node> {
        self.graph.node(id)
    }

    /// Ancestors nearest first, stopping at a missing parent or a cycle.
    fn ancestors(&self, node: &Node) -> Vec<&'g Node> {
        let mut chain: Vec<&'g Node> = Vec::new();
        let mut next = node.parent.as_deref();
        while let Some(id) = next {
            let Some(parent) = self.node(id) else { break };
            if chain.len() > 16
                || chain.iter().any(|seen| seen.id == parent.id)
                || parent.id == node.id
            {
                break;
            }
            chain.push(parent);
            next = parent.parent.as_deref();
        }
        chain
    }

    fn decide_fates(&mut self) {
        for node in self.nodes.clone() {
            let fate = match &node.drawing.fold {
                Fold::Own if node.kind.is_container() => Fate::Frame,
                Fold::Own => match node.kind.look().drawn {
                    Drawn::Tile { .. } => Fate::Tile,
                    Drawn::Frame(_) | Drawn::Never => Fate::Drop,
                },
                Fold::Into { host, .. } if self.node(host).is_some() => {
                    Fate::FoldInto(host.clone())
                }
                Fold::Into { .. } | Fold::Hidden => Fate::Drop,
                Fold::Relay => Fate::Relay,
                Fold::Unattached => {
                    self.scene.not_drawn += 1;
                    Fate::Drop
                }
            };
            self.fates.insert(node.id.as_str(), fate);
        }
        // A part of a part (an address on a folded interface) lands on the
        // outermost host; a part of something not drawn is not drawn.
        let folded: Vec<(&'g str, String)> = self
            .fates
            .iter()
            .filter_map(|(id, fate)| match fate {
                Fate::FoldInto(host) => match self.fates.get(host.as_str()) {
                    Some(Fate::FoldInto(further)) => Some((*id, further.clone())),
                    Some(Fate::Tile) => None,
                    _ => Some((*id, String::new())),
                },
                _ => None,
            })
            .collect();
        for (id, host) in folded {
            let fate = if host.is_empty() {
                Fate::Drop
            } else {
                Fate::FoldInto(host)
            };
            self.fates.insert(id, fate);
        }
    }

    /// Every region of every account has a default VPC, and most are empty:
    /// drawn, they would fill the picture with frames that say nothing. A
    /// default VPC holding no tile but what AWS creates with it (its
    /// internet gateway) is dropped with everything in it, and counted in
    /// the legend instead.
    fn hide_empty_default_vpcs(&mut self) {
        let is_default_vpc = |node: &Node| node.kind == NodeKind::VPC && node.drawing.default_vpc;
        if !self.nodes.iter().any(|node| is_default_vpc(node)) {
            return;
        }
        let mut occupied: BTreeSet<&str> = BTreeSet::new();
        for node in &self.nodes {
            if node.kind.look().incidental || self.fates.get(node.id.as_str()) != Some(&Fate::Tile)
            {
                continue;
            }
            if let Some(vpc) = self
                .ancestors(node)
                .into_iter()
                .find(|a| a.kind == NodeKind::VPC)
            {
                occupied.insert(vpc.id.as_str());
            }
        }
        let hidden: BTreeSet<&str> = self
            .nodes
            .iter()
            .filter(|node| is_default_vpc(node) && !occupied.contains(node.id.as_str()))
            .map(|node| node.id.as_str())
            .collect();
        for node in self.nodes.clone() {
            if hidden.contains(node.id.as_str())
                || self
                    .ancestors(node)
                    .iter()
                    .any(|a| hidden.contains(a.id.as_str()))
            {
                self.fates.insert(node.id.as_str(), Fate::Drop);
            }
        }
        self.scene.empty_default_vpcs = hidden.len();
    }

    /// Accounts, regions, VPCs, zones and subnets.
    fn frames(&mut self) {
        for node in self.nodes.clone() {
            match node.kind {
                NodeKind::Account | NodeKind::Region => {
                    let (kind, title) = if node.kind == NodeKind::Account {
                        let number = node
                            .resource_id
                            .as_deref()
                            .or(node.account.as_deref())
                            .unwrap_or(&node.id);
                        let title = if node.name.is_empty() || node.name == number {
                            format!("AWS account {number}")
                        } else {
                            format!("AWS account {number} · {}", node.name)
                        };
                        (ShelfKind::Account, title)
                    } else {
                        (ShelfKind::Region, format!("Region {}", node.name))
                    };
                    let index = self.scene.shelves.len();
                    self.scene.shelves.push(ShelfSpec {
                        id: node.id.clone(),
                        kind,
                        title,
                        tooltip: tooltip(node, &[]),
                        cost: self.figure(&node.id),
                        parent: None,
                        tiles: Vec::new(),
                        vpcs: Vec::new(),
                        shelves: Vec::new(),
                    });
                    self.shelf_of.insert(node.id.clone(), index);
                }
                _ => {}
            }
        }
        // Parents of shelves, once every shelf exists (ids sort regions
        // before or after their accounts depending on naming).
        for index in 1..self.scene.shelves.len() {
            let Some(node) = self.node(&self.scene.shelves[index].id) else {
                continue;
            };
            let parent = self.shelf_ancestor(node, index);
            self.scene.shelves[index].parent = Some(parent);
            self.scene.shelves[parent].shelves.push(index);
        }
        for node in self.nodes.clone() {
            if node.kind != NodeKind::VPC || self.fates.get(node.id.as_str()) == Some(&Fate::Drop) {
                continue;
            }
            let shelf = self.shelf_ancestor(node, usize::MAX);
            let index = self.scene.vpcs.len();
            let title = match node.drawing.detail.as_str() {
                "" => format!("VPC {}", node.name),
                cidr => format!("VPC {} · {cidr}", node.name),
            };
            self.scene.vpcs.push(VpcSpec {
                id: node.id.clone(),
                title,
                tooltip: tooltip(node, &[]),
                cost: self.figure(&node.id),
                zones: Vec::new(),
                border: Vec::new(),
                lanes: Vec::new(),
            });
            self.scene.shelves[shelf].vpcs.push(index);
            self.vpc_of.insert(node.id.clone(), index);
            self.scene
                .anchors
                .insert(node.id.clone(), Anchor::Vpc(index));
        }
        // Zones: AZ nodes, and zones named only by subnet attributes.
        for node in self.nodes.clone() {
            if node.kind != NodeKind::AVAILABILITY_ZONE {
                continue;
            }
            if let Some(vpc) = self.vpc_ancestor(node) {
                let zone = node
                    .drawing
                    .zone
                    .clone()
                    .unwrap_or_else(|| node.name.clone());
                self.scene.vpcs[vpc].zones.push(ZoneSpec {
                    id: node.id.clone(),
                    zone,
                    subnets: Vec::new(),
                });
            }
        }
        for node in self.nodes.clone() {
            if node.kind != NodeKind::SUBNET {
                continue;
            }
            let Some(vpc) = self.vpc_ancestor(node) else {
                continue;
            };
            let parent_zone = node
                .parent
                .as_deref()
                .and_then(|p| self.node(p))
                .filter(|p| p.kind == NodeKind::AVAILABILITY_ZONE);
            let vpc_id = self.scene.vpcs[vpc].id.clone();
            let zones = &mut self.scene.vpcs[vpc].zones;
            let zone = match parent_zone.and_then(|p| zones.iter().position(|z| z.id == p.id)) {
                Some(zone) => zone,
                None => {
                    let name = node.drawing.zone.clone().unwrap_or_default();
                    match zones
                        .iter()
                        .position(|z| z.zone == name && z.id.contains("/zone/"))
                    {
                        Some(zone) => zone,
                        None => {
                            zones.push(ZoneSpec {
                                id: format!("{vpc_id}/zone/{name}"),
                                zone: name,
                                subnets: Vec::new(),
                            });
                            zones.len() - 1
                        }
                    }
                }
            };
            let tier = Tier::of(node.drawing.tier);
            let title = match node.drawing.detail.as_str() {
                "" => format!("{} · {}", tier.title(), node.name),
                cidr => format!("{} · {cidr} · {}", tier.title(), node.name),
            };
            let subnets = &mut self.scene.vpcs[vpc].zones[zone].subnets;
            subnets.push(SubnetSpec {
                id: node.id.clone(),
                title,
                tooltip: tooltip(node, &[]),
                tier,
                tiles: Vec::new(),
            });
            let place = (vpc, zone, subnets.len() - 1);
            self.subnet_of.insert(node.id.clone(), place);
            self.scene
                .anchors
                .insert(node.id.clone(), Anchor::Subnet(place.0, place.1, place.2));
        }
        for vpc in &mut self.scene.vpcs {
            vpc.zones
                .sort_by(|a, b| (&a.zone, &a.id).cmp(&(&b.zone, &b.id)));
        }
        // Re-index subnets after sorting zones.
        for (v, vpc) in self.scene.vpcs.iter().enumerate() {
            for (z, zone) in vpc.zones.iter().enumerate() {
                for (s, subnet) in zone.subnets.iter().enumerate() {
                    self.subnet_of.insert(subnet.id.clone(), (v, z, s));
                    self.scene
                        .anchors
                        .insert(subnet.id.clone(), Anchor::Subnet(v, z, s));
                }
            }
        }
    }

    /// The nearest account or region frame above `node` (not `node` itself).
    fn shelf_ancestor(&self, node: &Node, own: usize) -> usize {
        self.ancestors(node)
            .iter()
            .find_map(|a| self.shelf_of.get(&a.id).copied())
            .filter(|&s| s != own)
            .unwrap_or(0)
    }

    fn vpc_ancestor(&self, node: &Node) -> Option<usize> {
        self.ancestors(node)
            .iter()
            .find_map(|a| self.vpc_of.get(&a.id).copied())
    }

    fn anchor_id(&self, id: &str) -> Option<String> {
        let node = self.node(id)?;
        match self.fates.get(id)? {
            Fate::Tile => Some(id.to_string()),
            Fate::FoldInto(host) => Some(host.clone()),
            Fate::Drop | Fate::Relay => None,
            Fate::Frame => match node.kind.frame_level()? {
                FrameLevel::Vpc => self.vpc_of.contains_key(id).then(|| id.to_string()),
                FrameLevel::Subnet => self.subnet_of.contains_key(id).then(|| id.to_string()),
                FrameLevel::Zone => self
                    .vpc_ancestor(node)
                    .map(|v| self.scene.vpcs[v].id.clone()),
                FrameLevel::Account | FrameLevel::Region => None,
            },
        }
    }

    /// Folded, re-attached and merged edges; and the targets found unhealthy.
    fn edges(&self) -> (Vec<EdgeSpec>, BTreeSet<String>) {
        let mut merged: BTreeMap<(String, String, EdgeKind), BTreeSet<String>> = BTreeMap::new();
        let mut unhealthy = BTreeSet::new();
        let all = self.graph.edges();
        let relays = |node: &Node| self.fates.get(node.id.as_str()) == Some(&Fate::Relay);
        // Into each relay: where from, labelled how (a listener).
        let mut relayed: BTreeMap<&str, Vec<(&str, &str)>> = BTreeMap::new();
        for (from, to, edge) in &all {
            if relays(to) {
                relayed
                    .entry(to.id.as_str())
                    .or_default()
                    .push((from.id.as_str(), edge.label.as_str()));
            }
        }
        let mut add = |from: Option<String>, to: Option<String>, kind: EdgeKind, label: String| {
            if let (Some(from), Some(to)) = (from, to) {
                if from != to {
                    let labels = merged.entry((from, to, kind)).or_default();
                    if !label.is_empty() {
                        labels.insert(label);
                    }
                }
            }
        };
        for (from, to, edge) in &all {
            let health = edge.health.as_ref();
            if health.is_some_and(|h| h.status == Status::Unhealthy) {
                if let Some(target) = self.anchor_id(&to.id) {
                    unhealthy.insert(target);
                }
            }
            if relays(from) {
                let target = self.anchor_id(&to.id);
                let word = health.map_or("", |h| h.word.as_str());
                for (source, label) in relayed.get(from.id.as_str()).into_iter().flatten() {
                    let label = [*label, word]
                        .iter()
                        .filter(|p| !p.is_empty())
                        .copied()
                        .collect::<Vec<_>>()
                        .join(" · ");
                    add(self.anchor_id(source), target.clone(), edge.kind, label);
                }
                continue;
            }
            if relays(to) {
                continue;
            }
            add(
                self.anchor_id(&from.id),
                self.anchor_id(&to.id),
                edge.kind,
                edge.label.clone(),
            );
        }
        let mut cells: HashMap<String, Option<String>> = HashMap::new();
        let mut cell_of = |id: &str| -> Option<String> {
            cells
                .entry(id.to_string())
                .or_insert_with(|| {
                    let node = self.node(id)?;
                    self.ancestors(node)
                        .into_iter()
                        .find(|a| self.subnet_of.contains_key(&a.id))
                        .map(|a| a.id.clone())
                })
                .clone()
        };
        // Fan-out to a subnet's many members, then fan-in from them.
        let merged = aggregate(merged, |edge| {
            cell_of(&edge.1).map(|cell| (edge.0.clone(), cell))
        });
        let merged = aggregate(merged, |edge| {
            cell_of(&edge.0).map(|cell| (cell, edge.1.clone()))
        });
        let edges = merged
            .into_iter()
            .map(|((from, to, kind), labels)| EdgeSpec {
                from,
                to,
                kind,
                label: labels.into_iter().collect::<Vec<_>>().join(", "),
            })
            .collect();
        (edges, unhealthy)
    }

    fn push_tile(&mut self, spec: TileSpec) -> usize {
        let index = self.scene.tiles.len();
        self.scene
            .anchors
            .insert(spec.id.clone(), Anchor::Tile(index));
        self.scene.tiles.push(spec);
        index
    }

    /// A tile's cost in its tooltip: the figure, then each charge's
    /// arithmetic, what has no price and the usage-based charges that apply.
    fn cost_lines(&self, node: &Node, parts: &[&Node]) -> Vec<String> {
        let (Some(costs), Some(figure)) = (&self.graph.costs, self.figure(&node.id)) else {
            return Vec::new();
        };
        let mut lines = vec![format!(
            "cost: {} (USD per month of 730 h)",
            figure.monthly_text()
        )];
        for id in std::iter::once(&node.id).chain(parts.iter().map(|part| &part.id)) {
            let Some(estimate) = costs.estimates.get(id) else {
                continue;
            };
            for charge in &estimate.charges {
                lines.push(format!("  {} = {}", charge.basis, charge.amount));
            }
            for reason in &estimate.unpriced {
                lines.push(format!("  no price: {reason}"));
            }
            for usage in &estimate.usage {
                lines.push(format!("  + {usage} (usage-based)"));
            }
        }
        lines
    }

    /// What the priced graph says a node's tile or frame costs; nothing
    /// for what AWS does not charge for (a subnet, an internet gateway).
    fn figure(&self, id: &str) -> Option<Figure> {
        self.graph.costs.as_ref()?.figures.get(id).copied()
    }

    fn tiles(&mut self, unhealthy: &BTreeSet<String>) {
        // What folded into each host, for its detail line and tooltip.
        let mut folded: BTreeMap<String, Vec<&'g Node>> = BTreeMap::new();
        for node in &self.nodes {
            if let Some(Fate::FoldInto(host)) = self.fates.get(node.id.as_str()) {
                folded.entry(host.clone()).or_default().push(node);
            }
        }
        let mut cell_tiles: Vec<(usize, usize, usize, usize)> = Vec::new();
        for node in self.nodes.clone() {
            if self.fates.get(node.id.as_str()) != Some(&Fate::Tile) {
                continue;
            }
            let parts = folded.get(&node.id).map(Vec::as_slice).unwrap_or_default();
            let detail = with_mentions(&detail_line(node), parts);
            let mut extra: Vec<String> = parts
                .iter()
                .map(|p| format!("includes {}: {}", p.kind, p.name))
                .collect();
            extra.extend(self.cost_lines(node, parts));
            let mut badge = Some(node.drawing.status).filter(|s| *s != Status::Normal);
            if unhealthy.contains(&node.id) {
                badge = badge.or(Some(Status::Unhealthy));
                extra.push("health: unhealthy target".into());
            }
            let tile = self.push_tile(TileSpec {
                id: node.id.clone(),
                kind: node.kind,
                name: node.name.clone(),
                detail,
                badge,
                tooltip: tooltip(node, &extra),
                cost: self.figure(&node.id),
            });
            self.home(node, tile, &mut cell_tiles);
        }
        for (vpc, zone, subnet, tile) in cell_tiles {
            self.scene.vpcs[vpc].zones[zone].subnets[subnet]
                .tiles
                .push(tile);
        }
        let tiles = &self.scene.tiles;
        let rank = |tile: usize| match tiles[tile].kind.look().drawn {
            Drawn::Tile { rank, .. } => rank,
            Drawn::Frame(_) | Drawn::Never => u8::MAX,
        };
        for vpc in &mut self.scene.vpcs {
            for zone in &mut vpc.zones {
                for subnet in &mut zone.subnets {
                    subnet
                        .tiles
                        .sort_by(|&a, &b| (rank(a), &tiles[a].id).cmp(&(rank(b), &tiles[b].id)));
                }
            }
            vpc.border.sort_by(|&a, &b| {
                (tiles[a].kind, &tiles[a].id).cmp(&(tiles[b].kind, &tiles[b].id))
            });
        }
    }

    /// Where a tile lives, and the standby tile of a Multi-AZ database.
    fn home(&mut self, node: &'g Node, tile: usize, cells: &mut Vec<(usize, usize, usize, usize)>) {
        let place = match node.kind.look().drawn {
            Drawn::Tile { place, .. } => place,
            Drawn::Frame(_) | Drawn::Never => Place::Cell,
        };
        if place == Place::Outside {
            self.scene.shelves[0].tiles.push(tile);
            return;
        }
        for ancestor in self.ancestors(node) {
            if let Some(&(vpc, zone, subnet)) = self.subnet_of.get(&ancestor.id) {
                cells.push((vpc, zone, subnet, tile));
                self.standby(node, vpc, zone, subnet, cells);
                return;
            }
            if let Some(&vpc) = self.vpc_of.get(&ancestor.id) {
                let span = &node.drawing.span;
                let spans = !span.subnets.is_empty() || !span.zones.is_empty();
                if place == Place::Lane || (place == Place::Cell && spans) {
                    let lane = self.lane(node, vpc, tile);
                    self.scene.vpcs[vpc].lanes.push(lane);
                } else {
                    self.scene.vpcs[vpc].border.push(tile);
                }
                return;
            }
            if let Some(&shelf) = self.shelf_of.get(&ancestor.id) {
                self.scene.shelves[shelf].tiles.push(tile);
                return;
            }
        }
        self.scene.shelves[0].tiles.push(tile);
    }

    fn lane(&self, node: &Node, vpc: usize, tile: usize) -> LaneSpec {
        let spec = &self.scene.vpcs[vpc];
        let span = &node.drawing.span;
        let mut zones = BTreeSet::new();
        let mut tiers: BTreeMap<Tier, usize> = BTreeMap::new();
        for subnet in &span.subnets {
            for (z, zone) in spec.zones.iter().enumerate() {
                for s in &zone.subnets {
                    if &s.id == subnet {
                        zones.insert(z);
                        *tiers.entry(s.tier).or_default() += 1;
                    }
                }
            }
        }
        if zones.is_empty() {
            for name in &span.zones {
                zones.extend(spec.zones.iter().position(|z| &z.zone == name));
            }
        }
        let fallback = node
            .drawing
            .tier
            .map_or(Tier::Public, |t| Tier::of(Some(t)));
        // Most subnets wins; ties go to the upper tier (BTreeMap order).
        let tier = tiers
            .iter()
            .max_by(|a, b| a.1.cmp(b.1).then(b.0.cmp(a.0)))
            .map_or(fallback, |(tier, _)| *tier);
        LaneSpec {
            tile,
            tier,
            zones: zones.into_iter().collect(),
        }
    }

    /// A Multi-AZ database is drawn a second time, dimmed, in the same tier
    /// of its standby's zone, when AWS said which zone that is.
    fn standby(
        &mut self,
        node: &Node,
        vpc: usize,
        zone: usize,
        subnet: usize,
        cells: &mut Vec<(usize, usize, usize, usize)>,
    ) {
        let Some(secondary) = node.drawing.standby_zone.clone() else {
            return;
        };
        let spec = &self.scene.vpcs[vpc];
        let tier = spec.zones[zone].subnets[subnet].tier;
        let Some(standby_zone) = spec.zones.iter().position(|z| z.zone == secondary) else {
            return;
        };
        if standby_zone == zone {
            return;
        }
        let Some(standby_subnet) = spec.zones[standby_zone]
            .subnets
            .iter()
            .position(|s| s.tier == tier)
        else {
            return;
        };
        let tile = self.push_tile(TileSpec {
            id: format!("{}#standby", node.id),
            kind: node.kind,
            name: node.name.clone(),
            detail: format!("standby · {secondary}"),
            badge: Some(Status::Standby),
            tooltip: tooltip(node, &[format!("Multi-AZ standby in {secondary}")]),
            // The instance's price covers its standby.
            cost: None,
        });
        cells.push((vpc, standby_zone, standby_subnet, tile));
    }
}

/// A host's detail line with what folded into it: counted parts first
/// (`2 vol`), then the first part shown by value (`EIP 54.1.2.3`).
fn with_mentions(detail: &str, parts: &[&Node]) -> String {
    let mut counted: Vec<(&'static str, usize)> = Vec::new();
    let mut shown: Option<&str> = None;
    for part in parts {
        match &part.drawing.fold {
            Fold::Into {
                mention: Some(Mention::Counted(word)),
                ..
            } => match counted.iter_mut().find(|(w, _)| w == word) {
                Some((_, count)) => *count += 1,
                None => counted.push((word, 1)),
            },
            Fold::Into {
                mention: Some(Mention::Shown(text)),
                ..
            } => {
                shown.get_or_insert(text);
            }
            Fold::Into { mention: None, .. }
            | Fold::Own
            | Fold::Relay
            | Fold::Hidden
            | Fold::Unattached => {}
        }
    }
    let mut line = vec![Some(detail.to_string())];
    line.extend(counted.iter().map(|(word, n)| Some(format!("{n} {word}"))));
    line.push(shown.map(str::to_string));
    join_present(&line)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::testing::kind;

    #[test]
    fn empty_default_vpcs_are_counted_not_drawn() {
        let mut graph = crate::render::testing::GraphBuilder::default()
            .node("acct", NodeKind::Account, "acct", None)
            .node("region", NodeKind::Region, "eu-west-1", Some("acct"))
            .node("default-empty", NodeKind::VPC, "default", Some("region"))
            .node(
                "empty-igw",
                kind("internet-gateway"),
                "igw",
                Some("default-empty"),
            )
            .node(
                "empty-az",
                NodeKind::AVAILABILITY_ZONE,
                "eu-west-1a",
                Some("default-empty"),
            )
            .node("empty-subnet", NodeKind::SUBNET, "a", Some("empty-az"))
            .node("default-used", NodeKind::VPC, "default", Some("region"))
            .node(
                "used-az",
                NodeKind::AVAILABILITY_ZONE,
                "eu-west-1a",
                Some("default-used"),
            )
            .node("used-subnet", NodeKind::SUBNET, "a", Some("used-az"))
            .node("web", kind("ec2-instance"), "web", Some("used-subnet"))
            .node("shop", NodeKind::VPC, "shop", Some("region"))
            .edge("empty-subnet", "empty-igw", EdgeKind::Routes, "0.0.0.0/0")
            .build();
        for node in graph.graph.node_weights_mut() {
            if node.id.starts_with("default-") {
                node.drawing.default_vpc = true;
            }
        }
        let scene = Scene::of(&graph);
        let vpcs: Vec<&str> = scene.vpcs.iter().map(|vpc| vpc.id.as_str()).collect();
        assert_eq!(vpcs, ["default-used", "shop"]);
        assert_eq!(scene.empty_default_vpcs, 1);
        let tiles: Vec<&str> = scene.tiles.iter().map(|tile| tile.id.as_str()).collect();
        assert_eq!(tiles, ["web"]);
        assert!(scene.edges.is_empty());
    }

    fn key(from: &str, to: &str, kind: EdgeKind) -> EdgeKey {
        (from.to_string(), to.to_string(), kind)
    }

    #[test]
    fn allows_fan_in_from_one_subnet_becomes_one_edge_and_small_fans_stay() {
        let mut edges: BTreeMap<EdgeKey, BTreeSet<String>> = BTreeMap::new();
        let port = |p: &str| BTreeSet::from([p.to_string()]);
        for app in ["app-1", "app-2", "app-3"] {
            edges.insert(key(app, "db", EdgeKind::Allows), port("tcp/5432"));
        }
        edges.insert(key("web-1", "db", EdgeKind::Allows), port("tcp/5432"));
        edges.insert(key("web-2", "db", EdgeKind::Allows), port("tcp/5432"));
        // Same ends but another kind: never aggregated.
        for app in ["app-1", "app-2", "app-3"] {
            edges.insert(key(app, "db", EdgeKind::Replicates), BTreeSet::new());
        }
        let cell = |id: &str| match id {
            "app-1" | "app-2" | "app-3" => Some("subnet-app".to_string()),
            "web-1" | "web-2" => Some("subnet-web".to_string()),
            _ => None,
        };
        let merged = aggregate(edges, |edge| {
            cell(&edge.0).map(|cell| (cell, edge.1.clone()))
        });
        let allows: BTreeSet<(&str, &str)> = merged
            .keys()
            .filter(|k| k.2 == EdgeKind::Allows)
            .map(|k| (k.0.as_str(), k.1.as_str()))
            .collect();
        assert_eq!(
            allows,
            BTreeSet::from([("subnet-app", "db"), ("web-1", "db"), ("web-2", "db")])
        );
        assert_eq!(
            merged[&key("subnet-app", "db", EdgeKind::Allows)],
            port("tcp/5432")
        );
        assert_eq!(
            merged
                .keys()
                .filter(|k| k.2 == EdgeKind::Replicates)
                .count(),
            3
        );
    }
}
