//! The graph's types: nodes with one containment parent, and typed,
//! evidenced relationships between them. Building it is `build`'s job;
//! drawing it is `layout`'s and `render`'s.
//!
//! A node carries two descriptions. `attrs` holds the scanned attributes as
//! JSON (renamed only where a kind-neutral name helps, e.g. `cidr`), for the
//! graph JSON and its readers. [`Drawing`] holds, typed, everything the
//! drawing needs — detail line, status class, what folds into what, tier,
//! zone, span — resolved by the services' rules when the graph is built,
//! so layout and renderers never read `attrs` by key.

use std::collections::{BTreeMap, HashMap};

use petgraph::graph::{DiGraph, NodeIndex};
use serde::{Deserialize, Serialize};

use crate::services::{network, Drawn, FrameLevel, Icon, Look, Place, ResourceKind};
use crate::snapshot::ScanMeta;
use crate::style::{Category, Frame, Status};

/// The graph JSON schema written by `render::json`.
pub const SCHEMA: &str = "strata.graph/v1";

/// What a node is: a frame strata adds (account, region), an outside
/// party, or a scanned resource of some service's kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum NodeKind {
    Account,
    Region,
    /// Everything outside AWS (`0.0.0.0/0`, `::/0`).
    Internet,
    /// An outside address range or prefix list.
    Cidr,
    Resource(ResourceKind),
}

impl NodeKind {
    pub const VPC: NodeKind = NodeKind::Resource(ResourceKind::Network(network::Kind::Vpc));
    pub const AVAILABILITY_ZONE: NodeKind =
        NodeKind::Resource(ResourceKind::Network(network::Kind::AvailabilityZone));
    pub const SUBNET: NodeKind = NodeKind::Resource(ResourceKind::Network(network::Kind::Subnet));

    /// Every kind: frames and outside parties, then every service's kinds.
    pub fn all() -> impl Iterator<Item = NodeKind> {
        [
            NodeKind::Account,
            NodeKind::Region,
            NodeKind::Internet,
            NodeKind::Cidr,
        ]
        .into_iter()
        .chain(ResourceKind::all().map(NodeKind::Resource))
    }

    pub fn as_str(self) -> &'static str {
        match self {
            NodeKind::Account => "account",
            NodeKind::Region => "region",
            NodeKind::Internet => "internet",
            NodeKind::Cidr => "cidr",
            NodeKind::Resource(kind) => kind.as_str(),
        }
    }

    pub fn parse(name: &str) -> Option<NodeKind> {
        match name {
            "account" => Some(NodeKind::Account),
            "region" => Some(NodeKind::Region),
            "internet" => Some(NodeKind::Internet),
            "cidr" => Some(NodeKind::Cidr),
            _ => ResourceKind::parse(name).map(NodeKind::Resource),
        }
    }

    /// How nodes of this kind look.
    pub fn look(self) -> Look {
        let outside =
            |svg, drawio| Look::tile(Category::External, Icon { svg, drawio }, Place::Outside, 6);
        match self {
            NodeKind::Account => Look::frame(FrameLevel::Account),
            NodeKind::Region => Look::frame(FrameLevel::Region),
            NodeKind::Internet => outside(
                include_str!("../../templates/icons/internet.svg"),
                "mxgraph.aws4.internet_alt1",
            ),
            NodeKind::Cidr => outside(
                include_str!("../../templates/icons/cidr.svg"),
                "mxgraph.aws4.traditional_server",
            ),
            NodeKind::Resource(kind) => kind.look(),
        }
    }

    /// The frame a node of this kind is, if it is one.
    pub fn frame_level(self) -> Option<FrameLevel> {
        match self.look().drawn {
            Drawn::Frame(level) => Some(level),
            Drawn::Tile { .. } | Drawn::Never => None,
        }
    }

    /// Account, region, VPC, availability zone and subnet frame other nodes.
    pub fn is_container(self) -> bool {
        self.frame_level().is_some()
    }

    /// Whether nodes of this kind stand for something outside the estate.
    pub fn is_outside(self) -> bool {
        matches!(self, NodeKind::Internet | NodeKind::Cidr)
    }
}

impl std::fmt::Display for NodeKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl From<ResourceKind> for NodeKind {
    fn from(kind: ResourceKind) -> NodeKind {
        NodeKind::Resource(kind)
    }
}

impl Serialize for NodeKind {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for NodeKind {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let name = std::borrow::Cow::<'de, str>::deserialize(deserializer)?;
        NodeKind::parse(&name)
            .ok_or_else(|| serde::de::Error::custom(format!("unknown node kind {name:?}")))
    }
}

/// What a relationship means.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum EdgeKind {
    Forwards,
    Targets,
    Allows,
    Routes,
    Peers,
    Attaches,
    Replicates,
    Member,
}

impl EdgeKind {
    pub const ALL: &'static [EdgeKind] = &[
        EdgeKind::Forwards,
        EdgeKind::Targets,
        EdgeKind::Allows,
        EdgeKind::Routes,
        EdgeKind::Peers,
        EdgeKind::Attaches,
        EdgeKind::Replicates,
        EdgeKind::Member,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            EdgeKind::Forwards => "forwards",
            EdgeKind::Targets => "targets",
            EdgeKind::Allows => "allows",
            EdgeKind::Routes => "routes",
            EdgeKind::Peers => "peers",
            EdgeKind::Attaches => "attaches",
            EdgeKind::Replicates => "replicates",
            EdgeKind::Member => "member",
        }
    }

    /// What edges of this kind say, for legends.
    pub fn meaning(self) -> &'static str {
        match self {
            EdgeKind::Allows => "allows (security-group rule, port)",
            EdgeKind::Targets => "load balancer → target (listener, health)",
            EdgeKind::Forwards => "forwards (listener)",
            EdgeKind::Routes => "routes (route table, destination)",
            EdgeKind::Peers => "VPC peering",
            EdgeKind::Attaches => "attachment (transit gateway)",
            EdgeKind::Replicates => "replication (read replica)",
            EdgeKind::Member => "cluster member",
        }
    }
}

impl std::fmt::Display for EdgeKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A node: a container, an outside party or an AWS resource.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Node {
    /// Unique in the graph and stable across scans of the same estate.
    pub id: String,
    pub kind: NodeKind,
    pub name: String,
    /// The containing node's id; `None` only for accounts and outside parties.
    pub parent: Option<String>,
    pub account: Option<String>,
    pub region: Option<String>,
    /// The AWS id or name (`i-0abc`, `vpc-…`, `ledger`).
    pub resource_id: Option<String>,
    pub arn: Option<String>,
    /// Live state: instance state, LB/NAT state, RDS status.
    pub status: Option<String>,
    pub attrs: BTreeMap<String, serde_json::Value>,
    /// What the drawing needs, resolved from the scan (not in the JSON).
    #[serde(skip)]
    pub drawing: Drawing,
}

impl Node {
    /// How this node's frame is tinted, when it is a frame.
    pub fn frame(&self) -> Option<Frame> {
        Some(match self.kind.frame_level()? {
            FrameLevel::Account => Frame::Account,
            FrameLevel::Region => Frame::Region,
            FrameLevel::Vpc => Frame::Vpc,
            FrameLevel::Zone => Frame::Zone,
            FrameLevel::Subnet => match self.drawing.tier {
                Some(Tier::Public) => Frame::Public,
                Some(Tier::Private) => Frame::Private,
                Some(Tier::Isolated) => Frame::Isolated,
                None => Frame::Subnet,
            },
        })
    }
}

/// What the drawing needs to know of a node beyond its kind's [`Look`].
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Drawing {
    /// The line under a tile's name (type, IP, engine …); a VPC's or a
    /// subnet's CIDR.
    pub detail: String,
    /// What its live status means.
    pub status: Status,
    /// Whether it is drawn on its own or as part of something else.
    pub fold: Fold,
    /// A subnet's tier; for a lane tile, the tier to sit above when none of
    /// the subnets it spans says one.
    pub tier: Option<Tier>,
    /// The zone name of a zone frame or a subnet.
    pub zone: Option<String>,
    /// A lane tile's subnets (node ids) and zones (names).
    pub span: Span,
    /// A Multi-AZ database's standby zone, when AWS reported it.
    pub standby_zone: Option<String>,
    /// A default VPC (drawn only when it holds something).
    pub default_vpc: bool,
}

/// Whether a node is a tile (or frame) of its own.
#[derive(Debug, Clone, Default, PartialEq)]
pub enum Fold {
    /// Drawn as itself, as its kind's look says.
    #[default]
    Own,
    /// Drawn as part of `host` (a node id), which takes over its edges; the
    /// mention joins the host's detail line.
    Into {
        host: String,
        mention: Option<Mention>,
    },
    /// Not a tile: an edge into it and one out of it become one edge from
    /// the first end to the last (a target group between its load balancer
    /// and its targets, labelled with the listener and the target health).
    Relay,
    /// Not drawn, its edges dropped: what it means is drawn otherwise
    /// (security groups as `allows` edges, a managed interface by its
    /// service's tile).
    Hidden,
    /// Not drawn, counted in the legend (a detached volume, an address
    /// nobody uses).
    Unattached,
}

/// How a folded part shows on its host's detail line.
#[derive(Debug, Clone, PartialEq)]
pub enum Mention {
    /// Counted: `2 vol`.
    Counted(&'static str),
    /// Shown once, the first part's: `EIP 54.1.2.3`.
    Shown(String),
}

/// The subnets and zones a lane tile spans.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Span {
    /// Node ids of the scanned subnets.
    pub subnets: Vec<String>,
    /// Zone names.
    pub zones: Vec<String>,
}

/// A subnet's tier, from its effective route table.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Tier {
    Public,
    Private,
    Isolated,
}

impl Tier {
    pub fn as_str(self) -> &'static str {
        match self {
            Tier::Public => "public",
            Tier::Private => "private",
            Tier::Isolated => "isolated",
        }
    }
}

/// A relationship. Its endpoints are the petgraph edge's endpoints.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Edge {
    pub kind: EdgeKind,
    /// Human label: `tcp/5432`, `HTTPS:443`, `0.0.0.0/0`; merged edges list
    /// every label, sorted and joined with `, `.
    pub label: String,
    /// Ids of the rules, routes, listeners … that justify the edge. Sorted.
    pub evidence: Vec<String>,
    /// e.g. `health` on `targets` edges.
    pub attrs: BTreeMap<String, serde_json::Value>,
    /// A target's health, for the drawing (the word is also in `attrs`).
    #[serde(skip)]
    pub health: Option<Health>,
}

/// The health a load balancer reports for a target.
#[derive(Debug, Clone, PartialEq)]
pub struct Health {
    /// AWS's word: `healthy`, `unhealthy`, `unused`, …
    pub word: String,
    pub status: Status,
}

/// The architecture graph of one snapshot.
#[derive(Debug, Clone, Default)]
pub struct Graph {
    pub graph: DiGraph<Node, Edge>,
    /// Node id → index.
    pub index: HashMap<String, NodeIndex>,
    /// The scan this graph was built from (header, limited-access notes).
    pub scan: ScanMeta,
    /// What its resources cost, once `crate::cost::annotate` has priced
    /// them; `None` draws no figures (`--no-cost`).
    pub costs: Option<super::costs::Costs>,
}

impl Graph {
    /// The node of every scanned resource that has one, by the resource's
    /// kind, account, region and id.
    pub fn resource_nodes(&self) -> HashMap<(ResourceKind, &str, &str, &str), NodeIndex> {
        self.graph
            .node_indices()
            .filter_map(|ix| {
                let node = &self.graph[ix];
                let NodeKind::Resource(kind) = node.kind else {
                    return None;
                };
                let key = (
                    kind,
                    node.account.as_deref()?,
                    node.region.as_deref()?,
                    node.resource_id.as_deref()?,
                );
                Some((key, ix))
            })
            .collect()
    }

    pub fn node(&self, id: &str) -> Option<&Node> {
        self.index.get(id).map(|&ix| &self.graph[ix])
    }

    /// Nodes sorted by id.
    pub fn nodes(&self) -> Vec<&Node> {
        let mut nodes: Vec<&Node> = self.graph.node_weights().collect();
        nodes.sort_by(|a, b| a.id.cmp(&b.id));
        nodes
    }

    /// `(from, to, edge)` sorted by from id, to id, kind.
    pub fn edges(&self) -> Vec<(&Node, &Node, &Edge)> {
        let mut edges: Vec<(&Node, &Node, &Edge)> = self
            .graph
            .edge_indices()
            .map(|ix| {
                let (from, to) = self.graph.edge_endpoints(ix).expect("edge index is live");
                (&self.graph[from], &self.graph[to], &self.graph[ix])
            })
            .collect();
        edges.sort_by(|a, b| (&a.0.id, &a.1.id, a.2.kind).cmp(&(&b.0.id, &b.1.id, b.2.kind)));
        edges
    }

    /// Children of a node (or the roots for `None`), sorted by id.
    pub fn children(&self, parent: Option<&str>) -> Vec<&Node> {
        let mut nodes: Vec<&Node> = self
            .graph
            .node_weights()
            .filter(|n| n.parent.as_deref() == parent)
            .collect();
        nodes.sort_by(|a, b| a.id.cmp(&b.id));
        nodes
    }
}

/// Children of every node, computed once: [`Graph::children`] scans the
/// whole graph per call, which is quadratic for a layout walking the tree.
#[derive(Debug, Clone, Default)]
pub struct ChildIndex {
    roots: Vec<NodeIndex>,
    by_parent: HashMap<String, Vec<NodeIndex>>,
}

impl ChildIndex {
    /// Children of `parent` (or the roots for `None`), sorted by id.
    pub fn children(&self, parent: Option<&str>) -> &[NodeIndex] {
        match parent {
            None => &self.roots,
            Some(id) => self.by_parent.get(id).map_or(&[], Vec::as_slice),
        }
    }
}

impl Graph {
    /// Add a node and index it by id. A node whose id is already present is
    /// not added again; the existing index is returned.
    pub fn add_node(&mut self, node: Node) -> NodeIndex {
        if let Some(&existing) = self.index.get(&node.id) {
            return existing;
        }
        let id = node.id.clone();
        let ix = self.graph.add_node(node);
        self.index.insert(id, ix);
        ix
    }

    /// Every node's children in one pass, each list sorted by id.
    pub fn child_index(&self) -> ChildIndex {
        let mut index = ChildIndex::default();
        for ix in self.graph.node_indices() {
            match &self.graph[ix].parent {
                None => index.roots.push(ix),
                Some(parent) => index.by_parent.entry(parent.clone()).or_default().push(ix),
            }
        }
        let by_id = |a: &NodeIndex, b: &NodeIndex| self.graph[*a].id.cmp(&self.graph[*b].id);
        index.roots.sort_by(by_id);
        for children in index.by_parent.values_mut() {
            children.sort_by(by_id);
        }
        index
    }
}
