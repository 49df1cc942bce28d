//! The graph's types: nodes with one containment parent, and typed,
//! evidenced relationships between them. Building it is `build`'s job;
//! drawing it is `layout`'s and `render`'s.
//!
//! Attribute keys other stages rely on (all optional, JSON values):
//! - every AWS node: whatever describes it in one line (`instance_type`,
//!   `private_ip`, `public_ip`, `engine`, `db_instance_class`, `lb_type`,
//!   `scheme`, `cidr`, …) — the scanned attributes, renamed only where a
//!   kind-neutral name helps;
//! - `vpc`: `cidr` (primary IPv4 CIDR), `is_default`;
//! - `availability-zone`: `zone` (`eu-west-1a`);
//! - `subnet`: `tier` (`public` | `private` | `isolated`), `cidr`, `availability_zone`;
//! - `load-balancer`: `subnets` (ids), `availability_zones` (zone names), `lb_type`, `scheme`;
//! - `rds-instance`: `availability_zone`, `secondary_availability_zone`, `multi_az`;
//! - `rds-cluster`: `availability_zones`.

use std::collections::{BTreeMap, HashMap};

use petgraph::graph::{DiGraph, NodeIndex};
use serde::{Deserialize, Serialize};

use crate::snapshot::ScanMeta;

/// The graph JSON schema written by `render::json`.
pub const SCHEMA: &str = "strata.graph/v1";

macro_rules! string_enum {
    ($(#[$meta:meta])* $name:ident { $( $variant:ident => $text:literal ),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
        pub enum $name {
            $( #[serde(rename = $text)] $variant, )+
        }

        impl $name {
            pub const ALL: &'static [$name] = &[$( $name::$variant, )+];

            pub fn as_str(self) -> &'static str {
                match self { $( $name::$variant => $text, )+ }
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}

string_enum! {
    /// What a node is. Containers first, then outside parties, then resources.
    NodeKind {
        Account => "account",
        Region => "region",
        Vpc => "vpc",
        AvailabilityZone => "availability-zone",
        Subnet => "subnet",
        Internet => "internet",
        Cidr => "cidr",
        InternetGateway => "internet-gateway",
        NatGateway => "nat-gateway",
        EgressOnlyInternetGateway => "egress-only-internet-gateway",
        VpcEndpoint => "vpc-endpoint",
        VpcPeeringConnection => "vpc-peering-connection",
        TransitGateway => "transit-gateway",
        Ec2Instance => "ec2-instance",
        NetworkInterface => "network-interface",
        EbsVolume => "ebs-volume",
        ElasticIp => "elastic-ip",
        SecurityGroup => "security-group",
        LoadBalancer => "load-balancer",
        TargetGroup => "target-group",
        RdsInstance => "rds-instance",
        RdsCluster => "rds-cluster",
    }
}

impl NodeKind {
    /// Account, region, VPC, availability zone and subnet frame other nodes.
    pub fn is_container(self) -> bool {
        matches!(
            self,
            NodeKind::Account
                | NodeKind::Region
                | NodeKind::Vpc
                | NodeKind::AvailabilityZone
                | NodeKind::Subnet
        )
    }
}

string_enum! {
    /// What a relationship means.
    EdgeKind {
        Forwards => "forwards",
        Targets => "targets",
        Allows => "allows",
        Routes => "routes",
        Peers => "peers",
        Attaches => "attaches",
        Replicates => "replicates",
        Member => "member",
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
}

/// The architecture graph of one snapshot.
#[derive(Debug, Clone, Default)]
pub struct Graph {
    pub graph: DiGraph<Node, Edge>,
    /// Node id → index.
    pub index: HashMap<String, NodeIndex>,
    /// The scan this graph was built from (header, limited-access notes).
    pub scan: ScanMeta,
}

impl Graph {
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
