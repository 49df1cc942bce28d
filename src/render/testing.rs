//! Test-only graphs for the renderers, built straight from the model types so
//! rendering tests do not depend on graph inference.

use std::collections::BTreeMap;

use crate::graph::{Edge, EdgeKind, Graph, Node, NodeKind};

#[path = "../../tests/support/hand_built.rs"]
mod hand_built;

/// A node kind by name.
pub fn kind(name: &str) -> NodeKind {
    NodeKind::parse(name).unwrap_or_else(|| panic!("no node kind {name:?}"))
}

/// Adds nodes and edges to a [`Graph`] with the fields renderers look at.
#[derive(Default)]
pub struct GraphBuilder {
    pub graph: Graph,
}

impl GraphBuilder {
    pub fn node(mut self, id: &str, kind: NodeKind, name: &str, parent: Option<&str>) -> Self {
        self.add_node(Node {
            id: id.to_string(),
            kind,
            name: name.to_string(),
            parent: parent.map(str::to_string),
            account: None,
            region: None,
            resource_id: Some(id.to_string()),
            arn: None,
            status: None,
            attrs: BTreeMap::new(),
            drawing: Default::default(),
        });
        self
    }

    /// Set a node's status.
    pub fn status(mut self, id: &str, status: &str) -> Self {
        let ix = self.graph.index[id];
        self.graph.graph[ix].status = Some(status.to_string());
        self
    }

    /// Set a string attribute on a node.
    pub fn attr(mut self, id: &str, key: &str, value: &str) -> Self {
        let ix = self.graph.index[id];
        self.graph.graph[ix]
            .attrs
            .insert(key.to_string(), serde_json::Value::from(value));
        self
    }

    pub fn add_node(&mut self, node: Node) {
        let id = node.id.clone();
        let ix = self.graph.graph.add_node(node);
        self.graph.index.insert(id, ix);
    }

    pub fn edge(mut self, from: &str, to: &str, kind: EdgeKind, label: &str) -> Self {
        let (from, to) = (self.graph.index[from], self.graph.index[to]);
        self.graph.graph.add_edge(
            from,
            to,
            Edge {
                kind,
                label: label.to_string(),
                evidence: Vec::new(),
                attrs: BTreeMap::new(),
                health: None,
            },
        );
        self
    }

    /// The graph, with every node's drawing resolved from its attributes
    /// the way `graph::build` resolves a scanned one.
    pub fn build(mut self) -> Graph {
        hand_built::resolve(&mut self.graph);
        self.graph
    }
}

/// A small two-AZ, three-tier VPC with a load balancer, instances, a database
/// and an outside party: every container kind and every edge kind.
pub fn three_tier() -> Graph {
    use EdgeKind::*;
    use NodeKind::{Account, Internet, Region};
    GraphBuilder::default()
        .node("acct-1", Account, "prod", None)
        .node("acct-1/eu-west-1", Region, "eu-west-1", Some("acct-1"))
        .node("vpc-1", NodeKind::VPC, "main", Some("acct-1/eu-west-1"))
        .attr("vpc-1", "cidr", "10.0.0.0/16")
        .node("vpc-2", NodeKind::VPC, "shared", Some("acct-1/eu-west-1"))
        .node(
            "vpc-1/eu-west-1a",
            NodeKind::AVAILABILITY_ZONE,
            "eu-west-1a",
            Some("vpc-1"),
        )
        .node(
            "vpc-1/eu-west-1b",
            NodeKind::AVAILABILITY_ZONE,
            "eu-west-1b",
            Some("vpc-1"),
        )
        .node(
            "subnet-pub-a",
            NodeKind::SUBNET,
            "public-a",
            Some("vpc-1/eu-west-1a"),
        )
        .attr("subnet-pub-a", "tier", "public")
        .attr("subnet-pub-a", "cidr", "10.0.0.0/24")
        .node(
            "subnet-app-a",
            NodeKind::SUBNET,
            "app-a",
            Some("vpc-1/eu-west-1a"),
        )
        .attr("subnet-app-a", "tier", "private")
        .node(
            "subnet-db-b",
            NodeKind::SUBNET,
            "db-b",
            Some("vpc-1/eu-west-1b"),
        )
        .attr("subnet-db-b", "tier", "isolated")
        .node("internet", Internet, "Internet", None)
        .node("igw-1", kind("internet-gateway"), "igw", Some("vpc-1"))
        .node("nat-1", kind("nat-gateway"), "nat-a", Some("subnet-pub-a"))
        .status("nat-1", "available")
        .node("alb-1", kind("load-balancer"), "web", Some("vpc-1"))
        .attr("alb-1", "lb_type", "application")
        .attr("alb-1", "scheme", "internet-facing")
        .node("tg-1", kind("target-group"), "web-tg", Some("vpc-1"))
        .node("i-1", kind("ec2-instance"), "app-1", Some("subnet-app-a"))
        .attr("i-1", "instance_type", "t3.micro")
        .attr("i-1", "private_ip", "10.0.1.10")
        .status("i-1", "running")
        .node("i-2", kind("ec2-instance"), "app-2", Some("subnet-app-a"))
        .status("i-2", "stopped")
        .node("vol-1", kind("ebs-volume"), "root", Some("subnet-app-a"))
        .node("db-1", kind("rds-instance"), "ledger", Some("subnet-db-b"))
        .attr("db-1", "engine", "postgres")
        .status("db-1", "available")
        .node(
            "db-2",
            kind("rds-instance"),
            "ledger-replica",
            Some("subnet-db-b"),
        )
        .node("cluster-1", kind("rds-cluster"), "aurora", Some("vpc-1"))
        .node(
            "tgw-1",
            kind("transit-gateway"),
            "hub",
            Some("acct-1/eu-west-1"),
        )
        .edge("internet", "alb-1", Allows, "tcp/443")
        .edge("alb-1", "tg-1", Forwards, "HTTPS:443")
        .edge("tg-1", "i-1", Targets, "")
        .edge("tg-1", "i-2", Targets, "")
        .edge("alb-1", "i-1", Allows, "tcp/8080")
        .edge("i-1", "db-1", Allows, "tcp/5432")
        .edge("subnet-pub-a", "igw-1", Routes, "0.0.0.0/0")
        .edge("subnet-app-a", "nat-1", Routes, "0.0.0.0/0")
        .edge("vpc-1", "vpc-2", Peers, "pcx-1")
        .edge("vpc-1", "tgw-1", Attaches, "")
        .edge("vol-1", "i-1", Attaches, "/dev/xvda")
        .edge("db-1", "db-2", Replicates, "")
        .edge("db-1", "cluster-1", Member, "")
        .build()
}

/// The strings issue 6 says names and tags may hold.
pub const HOSTILE_NAMES: &[&str] = &[
    "<script>alert(1)</script>",
    "a & b > c < d",
    "\"]; evil [shape=box]; x -> y; //",
    "} digraph g { injected",
    "]]> <!-- --> <![CDATA[",
    "back\\slash\\\\ \\N \\G \\L \\",
    "line\nbreak\r\nand\ttab",
    "ctrl \u{0}\u{1}\u{7}\u{1b}[31m \u{7f}\u{85}",
    "rtl \u{202E}fdp.exe \u{2066}isolate\u{2069}",
    "emoji 🚀👩‍👩‍👧 ünïcødé 中文",
    "&lt;entity&gt; &#x202E; &amp;",
    "'single' `back`",
];

/// A graph whose every name, id, attribute and label is hostile.
pub fn hostile() -> Graph {
    use NodeKind::*;
    let long = "x".repeat(3000);
    let mut names: Vec<String> = HOSTILE_NAMES.iter().map(|s| s.to_string()).collect();
    names.push(long);
    let mut builder = GraphBuilder::default()
        .node("acct\"];", Account, names[0].as_str(), None)
        .node("region}{", Region, names[1].as_str(), Some("acct\"];"))
        .node(
            "vpc\\\n",
            NodeKind::VPC,
            names[2].as_str(),
            Some("region}{"),
        )
        .node(
            "az\u{202E}",
            NodeKind::AVAILABILITY_ZONE,
            names[3].as_str(),
            Some("vpc\\\n"),
        )
        .node(
            "subnet<&>",
            NodeKind::SUBNET,
            names[4].as_str(),
            Some("az\u{202E}"),
        )
        .attr("subnet<&>", "tier", names[5].as_str())
        .attr("subnet<&>", "cidr", names[6].as_str());
    let mut previous: Option<String> = None;
    for (i, name) in names.iter().enumerate() {
        let id = format!("res-{i}-{name}");
        builder = builder
            .node(&id, kind("ec2-instance"), name, Some("subnet<&>"))
            .attr(&id, "instance_type", name)
            .status(&id, name);
        if let Some(previous) = previous {
            builder = builder.edge(&previous, &id, EdgeKind::Allows, name);
        }
        previous = Some(id);
    }
    builder.build()
}
