//! Hand-built estates for the architecture-view tests and the benchmark:
//! a two-region estate shaped like the design sketch, and generated estates
//! of any size. Builds graphs through the model types (not through a
//! snapshot), so a test controls every node and edge. Included with
//! `#[path]` by `tests/drawing.rs` and `benches/scale.rs`; owns no checks.

use std::collections::{BTreeMap, HashMap};

use petgraph::graph::DiGraph;
use serde_json::{json, Value};
use strata::graph::{Edge, EdgeKind, Graph, Node, NodeKind};
use strata::snapshot::{AccountMeta, ScanMeta};

#[path = "hand_built.rs"]
mod hand_built;

/// A node kind by name.
pub fn kind(name: &str) -> NodeKind {
    NodeKind::parse(name).unwrap_or_else(|| panic!("no node kind {name:?}"))
}

/// Builds graphs through the model types, the way `graph::build` will.
pub struct Estate {
    pub nodes: Vec<Node>,
    pub edges: Vec<(String, String, Edge)>,
    pub scan: ScanMeta,
}

impl Estate {
    pub fn new(accounts: &[(&str, &str)], regions: &[&str]) -> Estate {
        Estate {
            nodes: Vec::new(),
            edges: Vec::new(),
            scan: ScanMeta {
                tool_version: "strata test".into(),
                started_at: "2026-11-23T12:00:00Z".into(),
                finished_at: "2026-11-23T12:00:09Z".into(),
                accounts: accounts
                    .iter()
                    .map(|(id, name)| AccountMeta {
                        id: id.to_string(),
                        name: name.to_string(),
                        role_arn: None,
                    })
                    .collect(),
                regions: regions.iter().map(|r| r.to_string()).collect(),
                services: vec!["ec2".into(), "elasticloadbalancing".into(), "rds".into()],
                skipped: Vec::new(),
                failed_regions: Vec::new(),
                complete: true,
            },
        }
    }

    pub fn node(
        &mut self,
        id: &str,
        kind: NodeKind,
        name: &str,
        parent: Option<&str>,
        attrs: Value,
    ) -> String {
        let attrs = match attrs {
            Value::Object(map) => map.into_iter().collect(),
            _ => BTreeMap::new(),
        };
        let status = match &attrs {
            a if a.contains_key("status") => a
                .get("status")
                .and_then(|s: &Value| s.as_str())
                .map(str::to_string),
            _ => None,
        };
        self.nodes.push(Node {
            id: id.to_string(),
            kind,
            name: name.to_string(),
            parent: parent.map(str::to_string),
            account: Some("111122223333".into()),
            region: None,
            resource_id: Some(id.rsplit('/').next().unwrap_or(id).to_string()),
            arn: None,
            status,
            attrs,
            drawing: Default::default(),
        });
        id.to_string()
    }

    pub fn edge(&mut self, from: &str, to: &str, kind: EdgeKind, label: &str) {
        self.edge_with(from, to, kind, label, json!({}));
    }

    pub fn edge_with(&mut self, from: &str, to: &str, kind: EdgeKind, label: &str, attrs: Value) {
        let attrs = match attrs {
            Value::Object(map) => map.into_iter().collect(),
            _ => BTreeMap::new(),
        };
        self.edges.push((
            from.to_string(),
            to.to_string(),
            Edge {
                kind,
                label: label.to_string(),
                evidence: vec![],
                attrs,
                health: None,
            },
        ));
    }

    /// The graph, inserting nodes in the given order (forwards or reversed)
    /// so tests can show insertion order does not leak into the output.
    pub fn graph(&self, reversed: bool) -> Graph {
        let mut graph = Graph {
            graph: DiGraph::new(),
            index: HashMap::new(),
            scan: self.scan.clone(),
            costs: None,
        };
        let mut nodes: Vec<&Node> = self.nodes.iter().collect();
        let mut edges: Vec<&(String, String, Edge)> = self.edges.iter().collect();
        if reversed {
            nodes.reverse();
            edges.reverse();
        }
        for node in nodes {
            let index = graph.graph.add_node(node.clone());
            graph.index.insert(node.id.clone(), index);
        }
        for (from, to, edge) in edges {
            graph
                .graph
                .add_edge(graph.index[from], graph.index[to], edge.clone());
        }
        hand_built::resolve(&mut graph);
        graph
    }

    /// One VPC with `zones` AZs and three tiers; returns the subnet ids by tier.
    pub fn vpc(
        &mut self,
        region: &str,
        vpc: &str,
        cidr_octet: u32,
        zones: &[&str],
    ) -> BTreeMap<&'static str, Vec<String>> {
        self.node(
            vpc,
            NodeKind::VPC,
            vpc,
            Some(region),
            json!({"cidr": format!("10.{cidr_octet}.0.0/16")}),
        );
        let mut subnets: BTreeMap<&'static str, Vec<String>> = BTreeMap::new();
        for (z, zone) in zones.iter().enumerate() {
            let az = self.node(
                &format!("{vpc}/{zone}"),
                NodeKind::AVAILABILITY_ZONE,
                zone,
                Some(vpc),
                json!({"zone": zone}),
            );
            for (t, tier) in ["public", "private", "isolated"].iter().enumerate() {
                let id = format!("{vpc}/subnet-{tier}-{z}");
                self.node(
                    &id,
                    NodeKind::SUBNET,
                    &format!("{tier}-{zone}"),
                    Some(&az),
                    json!({"tier": tier, "cidr": format!("10.{cidr_octet}.{}.0/24", t * 10 + z), "availability_zone": zone}),
                );
                subnets.entry(tier).or_default().push(id);
            }
        }
        subnets
    }
}

/// A two-region, two-VPC estate like the design sketch: public ALB over two
/// zones, API instances (one unhealthy, one stopped), a Multi-AZ database
/// with a cross-region read replica, peering, a transit gateway.
pub fn two_region_estate() -> Estate {
    let mut e = Estate::new(
        &[("111122223333", "shop-prod")],
        &["eu-west-1", "us-west-2"],
    );
    e.node("acct", NodeKind::Account, "shop-prod", None, json!({}));
    e.node("internet", NodeKind::Internet, "Internet", None, json!({}));
    e.node(
        "cidr/203.0.113.0/24",
        NodeKind::Cidr,
        "203.0.113.0/24",
        None,
        json!({}),
    );
    for region in ["us-west-2", "eu-west-1"] {
        e.node(
            &format!("acct/{region}"),
            NodeKind::Region,
            region,
            Some("acct"),
            json!({}),
        );
    }
    let core = e.vpc(
        "acct/us-west-2",
        "vpc-core",
        20,
        &["us-west-2a", "us-west-2b"],
    );
    e.node(
        "igw-core",
        kind("internet-gateway"),
        "core-igw",
        Some("vpc-core"),
        json!({}),
    );
    e.node(
        "vpce-s3",
        kind("vpc-endpoint"),
        "s3-endpoint",
        Some("vpc-core"),
        json!({"service_name": "com.amazonaws.us-west-2.s3", "endpoint_type": "Gateway"}),
    );
    e.node(
        "pcx-1",
        kind("vpc-peering-connection"),
        "core-to-eu",
        Some("vpc-core"),
        json!({}),
    );
    e.node(
        "tgw-1",
        kind("transit-gateway"),
        "hub",
        Some("acct/us-west-2"),
        json!({}),
    );
    e.node(
        "nat-a",
        kind("nat-gateway"),
        "nat-a",
        Some(&core["public"][0]),
        json!({"public_ip": "52.1.2.3", "status": "available"}),
    );
    e.node(
        "nat-b",
        kind("nat-gateway"),
        "nat-b",
        Some(&core["public"][1]),
        json!({"public_ip": "52.1.2.4"}),
    );
    e.node(
        "alb-edge",
        kind("load-balancer"),
        "edge-alb",
        Some("vpc-core"),
        json!({"lb_type": "application", "scheme": "internet-facing", "subnets": ["subnet-public-0", "subnet-public-1"], "status": "active"}),
    );
    e.node(
        "tg-api",
        kind("target-group"),
        "api",
        Some("vpc-core"),
        json!({}),
    );
    e.node(
        "sg-api",
        kind("security-group"),
        "api-sg",
        Some("vpc-core"),
        json!({}),
    );
    e.node(
        "i-api-a",
        kind("ec2-instance"),
        "api-a",
        Some(&core["private"][0]),
        json!({"instance_type": "m6i.large", "private_ip": "10.20.10.12", "status": "running"}),
    );
    e.node(
        "i-worker-a",
        kind("ec2-instance"),
        "worker-a",
        Some(&core["private"][0]),
        json!({"instance_type": "c6i.xlarge", "private_ip": "10.20.10.40", "status": "running"}),
    );
    e.node(
        "i-api-b",
        kind("ec2-instance"),
        "api-b",
        Some(&core["private"][1]),
        json!({"instance_type": "m6i.large", "private_ip": "10.20.11.7", "status": "running"}),
    );
    e.node(
        "i-api-c",
        kind("ec2-instance"),
        "api-c",
        Some(&core["private"][1]),
        json!({"instance_type": "m6i.large", "private_ip": "10.20.11.9", "status": "stopped"}),
    );
    e.node(
        "eni-api-a",
        kind("network-interface"),
        "eni-api-a",
        Some(&core["private"][0]),
        json!({"attached_instance_id": "i-api-a"}),
    );
    e.node(
        "eni-alb",
        kind("network-interface"),
        "ELB app/edge",
        Some(&core["public"][0]),
        json!({"requester_managed": true}),
    );
    e.node(
        "vol-1",
        kind("ebs-volume"),
        "vol-2f87",
        Some("vpc-core/us-west-2a"),
        json!({"attachments": [{"instance_id": "i-worker-a"}]}),
    );
    e.node(
        "vol-loose",
        kind("ebs-volume"),
        "old-data",
        Some("vpc-core/us-west-2a"),
        json!({"attachments": []}),
    );
    e.node(
        "eip-1",
        kind("elastic-ip"),
        "bastion-ip",
        Some("acct/us-west-2"),
        json!({"instance_id": "i-worker-a", "public_ip": "54.9.9.9"}),
    );
    e.node(
        "db-ledger",
        kind("rds-instance"),
        "ledger",
        Some(&core["isolated"][0]),
        json!({"db_instance_class": "db.m6g.large", "engine": "postgres", "multi_az": true, "availability_zone": "us-west-2a", "secondary_availability_zone": "us-west-2b", "status": "available"}),
    );
    let eu = e.vpc(
        "acct/eu-west-1",
        "vpc-eu",
        30,
        &["eu-west-1a", "eu-west-1b"],
    );
    e.node(
        "igw-eu",
        kind("internet-gateway"),
        "eu-igw",
        Some("vpc-eu"),
        json!({}),
    );
    e.node(
        "i-eu-web",
        kind("ec2-instance"),
        "eu-web",
        Some(&eu["public"][0]),
        json!({"instance_type": "t3.small", "private_ip": "10.30.0.5", "status": "running"}),
    );
    e.node(
        "i-eu-job",
        kind("ec2-instance"),
        "eu-batch",
        Some(&eu["private"][1]),
        json!({"instance_type": "t3.medium", "status": "failed"}),
    );
    e.node(
        "db-replica",
        kind("rds-instance"),
        "ledger-ro",
        Some(&eu["isolated"][1]),
        json!({"db_instance_class": "db.m6g.large", "engine": "postgres"}),
    );

    e.edge("internet", "alb-edge", EdgeKind::Allows, "tcp/443");
    e.edge("internet", "i-eu-web", EdgeKind::Allows, "tcp/80");
    e.edge(
        "cidr/203.0.113.0/24",
        "i-worker-a",
        EdgeKind::Allows,
        "tcp/22",
    );
    e.edge("alb-edge", "tg-api", EdgeKind::Forwards, "HTTPS:443");
    e.edge_with(
        "tg-api",
        "i-api-a",
        EdgeKind::Targets,
        "",
        json!({"health": "healthy"}),
    );
    e.edge_with(
        "tg-api",
        "i-api-b",
        EdgeKind::Targets,
        "",
        json!({"health": "unhealthy"}),
    );
    e.edge_with(
        "tg-api",
        "i-api-c",
        EdgeKind::Targets,
        "",
        json!({"health": "unused"}),
    );
    e.edge("alb-edge", "i-api-a", EdgeKind::Allows, "tcp/8443");
    e.edge("alb-edge", "i-api-b", EdgeKind::Allows, "tcp/8443");
    e.edge("i-api-a", "db-ledger", EdgeKind::Allows, "tcp/5432");
    e.edge("i-api-b", "db-ledger", EdgeKind::Allows, "tcp/5432");
    e.edge("eni-api-a", "db-ledger", EdgeKind::Allows, "tcp/6432");
    e.edge("sg-api", "db-ledger", EdgeKind::Allows, "tcp/1");
    e.edge("vol-1", "i-worker-a", EdgeKind::Attaches, "");
    e.edge("db-ledger", "db-replica", EdgeKind::Replicates, "");
    e.edge("vpc-core", "vpc-eu", EdgeKind::Peers, "pcx-1");
    e.edge("vpc-core", "tgw-1", EdgeKind::Attaches, "tgw-attach-1");
    for (tier, target) in [("public", "igw-core"), ("private", "nat-a")] {
        for subnet in &core[tier] {
            e.edge(subnet, target, EdgeKind::Routes, "0.0.0.0/0");
        }
    }
    e.edge(
        &core["private"][0],
        "pcx-1",
        EdgeKind::Routes,
        "10.30.0.0/16",
    );
    e.edge(&core["private"][0], "vpce-s3", EdgeKind::Routes, "pl-s3");
    e.edge(&eu["public"][0], "igw-eu", EdgeKind::Routes, "0.0.0.0/0");
    e
}

/// A deterministic pseudo-random source (no external crate needed for a
/// test generator).
struct Lcg(u64);

impl Lcg {
    fn next(&mut self, bound: usize) -> usize {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        ((self.0 >> 33) as usize) % bound.max(1)
    }
}

/// A synthetic estate of about `resources` resources: accounts, regions,
/// VPCs of 1–3 zones with three tiers, load balancers, instances, databases,
/// security-group chains, routes, peerings and transit gateways.
pub fn generated_estate(resources: usize, seed: u64) -> Estate {
    let mut rng = Lcg(seed);
    let mut e = Estate::new(
        &[("111122223333", "synthetic")],
        &["eu-west-1", "us-east-1"],
    );
    e.node("internet", NodeKind::Internet, "Internet", None, json!({}));
    let mut made = 0usize;
    let mut vpc_count = 0usize;
    let mut all_vpcs: Vec<String> = Vec::new();
    'outer: for a in 0.. {
        let account = e.node(
            &format!("acct-{a}"),
            NodeKind::Account,
            &format!("account-{a}"),
            None,
            json!({}),
        );
        for region in ["eu-west-1", "us-east-1"] {
            let region_id = e.node(
                &format!("{account}/{region}"),
                NodeKind::Region,
                region,
                Some(&account),
                json!({}),
            );
            let tgw = e.node(
                &format!("{region_id}/tgw"),
                kind("transit-gateway"),
                "tgw",
                Some(&region_id),
                json!({}),
            );
            let vpcs = 2 + rng.next(4);
            for _ in 0..vpcs {
                let vpc = format!("{region_id}/vpc-{vpc_count}");
                let zone_count = 1 + rng.next(3);
                let zones: Vec<String> = (0..zone_count)
                    .map(|z| format!("{region}{}", ["a", "b", "c"][z]))
                    .collect();
                let zone_refs: Vec<&str> = zones.iter().map(String::as_str).collect();
                let subnets = e.vpc(&region_id, &vpc, (vpc_count % 250) as u32, &zone_refs);
                vpc_count += 1;
                let igw = e.node(
                    &format!("{vpc}/igw"),
                    kind("internet-gateway"),
                    "igw",
                    Some(&vpc),
                    json!({}),
                );
                for subnet in &subnets["public"] {
                    e.edge(subnet, &igw, EdgeKind::Routes, "0.0.0.0/0");
                }
                let nat = e.node(
                    &format!("{vpc}/nat"),
                    kind("nat-gateway"),
                    "nat",
                    Some(&subnets["public"][0]),
                    json!({}),
                );
                for subnet in &subnets["private"] {
                    e.edge(subnet, &nat, EdgeKind::Routes, "0.0.0.0/0");
                }
                e.edge(&vpc, &tgw, EdgeKind::Attaches, "");
                if let Some(previous) = all_vpcs.last() {
                    if rng.next(3) == 0 {
                        e.edge(previous, &vpc, EdgeKind::Peers, "");
                    }
                }
                all_vpcs.push(vpc.clone());
                let public_ids: Vec<String> = subnets["public"]
                    .iter()
                    .map(|s| s.rsplit('/').next().unwrap_or(s).to_string())
                    .collect();
                let lb = e.node(
                    &format!("{vpc}/alb"),
                    kind("load-balancer"),
                    &format!("alb-{vpc_count}"),
                    Some(&vpc),
                    json!({"lb_type": "application", "scheme": "internet-facing", "subnets": public_ids}),
                );
                e.edge("internet", &lb, EdgeKind::Allows, "tcp/443");
                let tg = e.node(
                    &format!("{vpc}/tg"),
                    kind("target-group"),
                    "tg",
                    Some(&vpc),
                    json!({}),
                );
                e.edge(&lb, &tg, EdgeKind::Forwards, "HTTPS:443");
                let db = e.node(
                    &format!("{vpc}/db"),
                    kind("rds-instance"),
                    "db",
                    Some(&subnets["isolated"][0]),
                    json!({"multi_az": zone_count > 1, "secondary_availability_zone": zones.last(), "engine": "postgres"}),
                );
                made += 5;
                let instances = 8 + rng.next(40);
                for i in 0..instances {
                    let subnet = &subnets["private"][rng.next(subnets["private"].len())];
                    let status = if rng.next(12) == 0 {
                        "stopped"
                    } else {
                        "running"
                    };
                    let instance = e.node(
                        &format!("{vpc}/i-{i}"),
                        kind("ec2-instance"),
                        &format!("app-{i}"),
                        Some(subnet),
                        json!({"instance_type": "m6i.large", "private_ip": format!("10.0.0.{i}"), "status": status}),
                    );
                    let health = if rng.next(10) == 0 {
                        "unhealthy"
                    } else {
                        "healthy"
                    };
                    e.edge_with(
                        &tg,
                        &instance,
                        EdgeKind::Targets,
                        "",
                        json!({"health": health}),
                    );
                    e.edge(&instance, &db, EdgeKind::Allows, "tcp/5432");
                    if rng.next(4) == 0 {
                        let vol = e.node(
                            &format!("{vpc}/vol-{i}"),
                            kind("ebs-volume"),
                            "vol",
                            Some(&vpc),
                            json!({}),
                        );
                        e.edge(&vol, &instance, EdgeKind::Attaches, "");
                        made += 1;
                    }
                    made += 1;
                }
                if made >= resources {
                    break 'outer;
                }
            }
        }
    }
    e
}

/// Resources the drawing is about: what the aspect rule counts.
pub fn resource_count(estate: &Estate) -> usize {
    estate
        .nodes
        .iter()
        .filter(|n| {
            !n.kind.is_container() && !matches!(n.kind, NodeKind::Internet | NodeKind::Cidr)
        })
        .count()
}
