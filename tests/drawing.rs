//! The architecture view end to end (graph → layout → SVG → PNG), checked
//! by parsing the SVG as a reviewer's tool would: geometry properties on
//! hand-built estates of several shapes, on generated estates up to 10,000
//! resources, and on hostile names; plus determinism.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use petgraph::graph::DiGraph;
use resvg::usvg::roxmltree;
use resvg::{tiny_skia, usvg};
use serde_json::{json, Value};
use strata::graph::{Edge, EdgeKind, Graph, Node, NodeKind};
use strata::layout::{self, Font};
use strata::render;
use strata::snapshot::{AccountMeta, ScanMeta, Skipped, Snapshot};

// The synthetic estate generator users run with `cargo run --example synth`;
// its `main` is not used here.
#[allow(dead_code)]
#[path = "../examples/synth.rs"]
mod synth;

// ---------------------------------------------------------------- builder

/// Builds graphs through the model types, the way `graph::build` will.
struct Estate {
    nodes: Vec<Node>,
    edges: Vec<(String, String, Edge)>,
    scan: ScanMeta,
}

impl Estate {
    fn new(accounts: &[(&str, &str)], regions: &[&str]) -> Estate {
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

    fn node(
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
        });
        id.to_string()
    }

    fn edge(&mut self, from: &str, to: &str, kind: EdgeKind, label: &str) {
        self.edge_with(from, to, kind, label, json!({}));
    }

    fn edge_with(&mut self, from: &str, to: &str, kind: EdgeKind, label: &str, attrs: Value) {
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
            },
        ));
    }

    /// The graph, inserting nodes in the given order (forwards or reversed)
    /// so tests can show insertion order does not leak into the output.
    fn graph(&self, reversed: bool) -> Graph {
        let mut graph = Graph {
            graph: DiGraph::new(),
            index: HashMap::new(),
            scan: self.scan.clone(),
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
        graph
    }

    /// One VPC with `zones` AZs and three tiers; returns the subnet ids by tier.
    fn vpc(
        &mut self,
        region: &str,
        vpc: &str,
        cidr_octet: u32,
        zones: &[&str],
    ) -> BTreeMap<&'static str, Vec<String>> {
        self.node(
            vpc,
            NodeKind::Vpc,
            vpc,
            Some(region),
            json!({"cidr": format!("10.{cidr_octet}.0.0/16")}),
        );
        let mut subnets: BTreeMap<&'static str, Vec<String>> = BTreeMap::new();
        for (z, zone) in zones.iter().enumerate() {
            let az = self.node(
                &format!("{vpc}/{zone}"),
                NodeKind::AvailabilityZone,
                zone,
                Some(vpc),
                json!({"zone": zone}),
            );
            for (t, tier) in ["public", "private", "isolated"].iter().enumerate() {
                let id = format!("{vpc}/subnet-{tier}-{z}");
                self.node(
                    &id,
                    NodeKind::Subnet,
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
fn two_region_estate() -> Estate {
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
        NodeKind::InternetGateway,
        "core-igw",
        Some("vpc-core"),
        json!({}),
    );
    e.node(
        "vpce-s3",
        NodeKind::VpcEndpoint,
        "s3-endpoint",
        Some("vpc-core"),
        json!({"service_name": "com.amazonaws.us-west-2.s3", "endpoint_type": "Gateway"}),
    );
    e.node(
        "pcx-1",
        NodeKind::VpcPeeringConnection,
        "core-to-eu",
        Some("vpc-core"),
        json!({}),
    );
    e.node(
        "tgw-1",
        NodeKind::TransitGateway,
        "hub",
        Some("acct/us-west-2"),
        json!({}),
    );
    e.node(
        "nat-a",
        NodeKind::NatGateway,
        "nat-a",
        Some(&core["public"][0]),
        json!({"public_ip": "52.1.2.3", "status": "available"}),
    );
    e.node(
        "nat-b",
        NodeKind::NatGateway,
        "nat-b",
        Some(&core["public"][1]),
        json!({"public_ip": "52.1.2.4"}),
    );
    e.node(
        "alb-edge",
        NodeKind::LoadBalancer,
        "edge-alb",
        Some("vpc-core"),
        json!({"lb_type": "application", "scheme": "internet-facing", "subnets": ["subnet-public-0", "subnet-public-1"], "status": "active"}),
    );
    e.node(
        "tg-api",
        NodeKind::TargetGroup,
        "api",
        Some("vpc-core"),
        json!({}),
    );
    e.node(
        "sg-api",
        NodeKind::SecurityGroup,
        "api-sg",
        Some("vpc-core"),
        json!({}),
    );
    e.node(
        "i-api-a",
        NodeKind::Ec2Instance,
        "api-a",
        Some(&core["private"][0]),
        json!({"instance_type": "m6i.large", "private_ip": "10.20.10.12", "status": "running"}),
    );
    e.node(
        "i-worker-a",
        NodeKind::Ec2Instance,
        "worker-a",
        Some(&core["private"][0]),
        json!({"instance_type": "c6i.xlarge", "private_ip": "10.20.10.40", "status": "running"}),
    );
    e.node(
        "i-api-b",
        NodeKind::Ec2Instance,
        "api-b",
        Some(&core["private"][1]),
        json!({"instance_type": "m6i.large", "private_ip": "10.20.11.7", "status": "running"}),
    );
    e.node(
        "i-api-c",
        NodeKind::Ec2Instance,
        "api-c",
        Some(&core["private"][1]),
        json!({"instance_type": "m6i.large", "private_ip": "10.20.11.9", "status": "stopped"}),
    );
    e.node(
        "eni-api-a",
        NodeKind::NetworkInterface,
        "eni-api-a",
        Some(&core["private"][0]),
        json!({"attached_instance_id": "i-api-a"}),
    );
    e.node(
        "eni-alb",
        NodeKind::NetworkInterface,
        "ELB app/edge",
        Some(&core["public"][0]),
        json!({"requester_managed": true}),
    );
    e.node(
        "vol-1",
        NodeKind::EbsVolume,
        "vol-2f87",
        Some("vpc-core/us-west-2a"),
        json!({"attachments": [{"instance_id": "i-worker-a"}]}),
    );
    e.node(
        "vol-loose",
        NodeKind::EbsVolume,
        "old-data",
        Some("vpc-core/us-west-2a"),
        json!({"attachments": []}),
    );
    e.node(
        "eip-1",
        NodeKind::ElasticIp,
        "bastion-ip",
        Some("acct/us-west-2"),
        json!({"instance_id": "i-worker-a", "public_ip": "54.9.9.9"}),
    );
    e.node(
        "db-ledger",
        NodeKind::RdsInstance,
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
        NodeKind::InternetGateway,
        "eu-igw",
        Some("vpc-eu"),
        json!({}),
    );
    e.node(
        "i-eu-web",
        NodeKind::Ec2Instance,
        "eu-web",
        Some(&eu["public"][0]),
        json!({"instance_type": "t3.small", "private_ip": "10.30.0.5", "status": "running"}),
    );
    e.node(
        "i-eu-job",
        NodeKind::Ec2Instance,
        "eu-batch",
        Some(&eu["private"][1]),
        json!({"instance_type": "t3.medium", "status": "failed"}),
    );
    e.node(
        "db-replica",
        NodeKind::RdsInstance,
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
fn generated_estate(resources: usize, seed: u64) -> Estate {
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
                NodeKind::TransitGateway,
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
                    NodeKind::InternetGateway,
                    "igw",
                    Some(&vpc),
                    json!({}),
                );
                for subnet in &subnets["public"] {
                    e.edge(subnet, &igw, EdgeKind::Routes, "0.0.0.0/0");
                }
                let nat = e.node(
                    &format!("{vpc}/nat"),
                    NodeKind::NatGateway,
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
                    NodeKind::LoadBalancer,
                    &format!("alb-{vpc_count}"),
                    Some(&vpc),
                    json!({"lb_type": "application", "scheme": "internet-facing", "subnets": public_ids}),
                );
                e.edge("internet", &lb, EdgeKind::Allows, "tcp/443");
                let tg = e.node(
                    &format!("{vpc}/tg"),
                    NodeKind::TargetGroup,
                    "tg",
                    Some(&vpc),
                    json!({}),
                );
                e.edge(&lb, &tg, EdgeKind::Forwards, "HTTPS:443");
                let db = e.node(
                    &format!("{vpc}/db"),
                    NodeKind::RdsInstance,
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
                        NodeKind::Ec2Instance,
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
                            NodeKind::EbsVolume,
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

// ---------------------------------------------------------------- checker

#[derive(Debug, Clone, Copy)]
struct Box2 {
    x: f64,
    y: f64,
    w: f64,
    h: f64,
}

impl Box2 {
    fn parse(text: &str) -> Box2 {
        let n: Vec<f64> = text
            .split_whitespace()
            .map(|v| v.parse().expect("bbox number"))
            .collect();
        assert_eq!(n.len(), 4, "bbox {text}");
        Box2 {
            x: n[0],
            y: n[1],
            w: n[2],
            h: n[3],
        }
    }
    fn right(&self) -> f64 {
        self.x + self.w
    }
    fn bottom(&self) -> f64 {
        self.y + self.h
    }
    fn contains(&self, other: &Box2) -> bool {
        other.x >= self.x - 0.01
            && other.y >= self.y - 0.01
            && other.right() <= self.right() + 0.01
            && other.bottom() <= self.bottom() + 0.01
    }
    fn overlaps(&self, other: &Box2) -> bool {
        self.x < other.right() - 0.01
            && other.x < self.right() - 0.01
            && self.y < other.bottom() - 0.01
            && other.y < self.bottom() - 0.01
    }
    /// Whether an axis-aligned segment enters the interior.
    fn crossed_by(&self, a: (f64, f64), b: (f64, f64)) -> bool {
        let inner = Box2 {
            x: self.x + 0.5,
            y: self.y + 0.5,
            w: self.w - 1.0,
            h: self.h - 1.0,
        };
        let (x0, x1) = (a.0.min(b.0), a.0.max(b.0));
        let (y0, y1) = (a.1.min(b.1), a.1.max(b.1));
        x1 > inner.x && x0 < inner.right() && y1 > inner.y && y0 < inner.bottom()
    }
}

const CONTAINER_KINDS: [&str; 5] = ["account", "region", "vpc", "availability-zone", "subnet"];
const CELL: f64 = 256.0;

fn cells_of(b: &Box2) -> impl Iterator<Item = (i64, i64)> {
    let (x0, x1) = (
        (b.x / CELL).floor() as i64,
        (b.right() / CELL).floor() as i64,
    );
    let (y0, y1) = (
        (b.y / CELL).floor() as i64,
        (b.bottom() / CELL).floor() as i64,
    );
    (x0..=x1).flat_map(move |x| (y0..=y1).map(move |y| (x, y)))
}

/// What the checker found, for assertions beyond the properties.
struct Report {
    tiles: BTreeMap<String, (String, Box2)>,
    containers: BTreeMap<String, (String, Box2)>,
    edges: BTreeSet<(String, String, String)>,
    width: f64,
    height: f64,
}

/// Every property of issue 4, on one SVG document. `resources` is the
/// estate's resource count (the aspect rule applies from 50).
fn check(svg: &str, resources: usize) -> Report {
    let document = roxmltree::Document::parse(svg).expect("the SVG is well-formed XML");
    let root = document.root_element();
    assert_eq!(root.tag_name().name(), "svg");
    let view_box: Vec<f64> = root
        .attribute("viewBox")
        .expect("viewBox")
        .split_whitespace()
        .map(|v| v.parse().unwrap())
        .collect();
    let (width, height) = (view_box[2], view_box[3]);
    let canvas = Box2 {
        x: 0.0,
        y: 0.0,
        w: width,
        h: height,
    };
    let allowed: BTreeSet<&str> = [
        "svg", "defs", "marker", "path", "symbol", "rect", "circle", "ellipse", "g", "title",
        "text", "use", "polyline",
    ]
    .into_iter()
    .collect();
    let mut tiles: BTreeMap<String, (String, Box2)> = BTreeMap::new();
    let mut tile_parents: Vec<(String, String)> = Vec::new();
    let mut containers: BTreeMap<String, (String, Box2)> = BTreeMap::new();
    let mut container_parents: Vec<(String, String)> = Vec::new();
    let mut polylines = Vec::new();
    for node in document.descendants().filter(|n| n.is_element()) {
        let name = node.tag_name().name();
        assert!(allowed.contains(name), "unexpected element <{name}>");
        assert!(
            node.attributes().all(|a| !a.name().starts_with("on")),
            "event handler attribute on <{name}>"
        );
        if name == "g" {
            if let Some(id) = node.attribute("data-id") {
                let kind = node.attribute("data-kind").expect("data-kind").to_string();
                let bbox = Box2::parse(node.attribute("data-bbox").expect("data-bbox"));
                let parent = node
                    .attribute("data-parent")
                    .unwrap_or_default()
                    .to_string();
                if CONTAINER_KINDS.contains(&kind.as_str()) {
                    assert!(
                        containers.insert(id.to_string(), (kind, bbox)).is_none(),
                        "container {id} drawn twice"
                    );
                    container_parents.push((id.to_string(), parent));
                } else {
                    // No label overflows its tile (measured with the real font).
                    for text in node.descendants().filter(|n| n.has_tag_name("text")) {
                        let content: String = text.text().unwrap_or_default().to_string();
                        let x: f64 = text.attribute("x").unwrap().parse().unwrap();
                        let size: f64 = text.attribute("font-size").unwrap().parse().unwrap();
                        let font = if text.attribute("font-weight") == Some("bold") {
                            Font::bold(size)
                        } else {
                            Font::regular(size)
                        };
                        let w = font.measure(&content);
                        assert!(
                            x >= bbox.x && x + w <= bbox.right() + 0.2,
                            "label {content:?} ({x}+{w}) overflows tile {id} {bbox:?}"
                        );
                    }
                    assert!(
                        tiles.insert(id.to_string(), (kind, bbox)).is_none(),
                        "tile {id} drawn twice"
                    );
                    tile_parents.push((id.to_string(), parent));
                }
            }
        }
        if name == "polyline" && node.attribute("data-from").is_some() {
            let points: Vec<(f64, f64)> = node
                .attribute("points")
                .unwrap()
                .split_whitespace()
                .map(|p| {
                    let (x, y) = p.split_once(',').unwrap();
                    (x.parse().unwrap(), y.parse().unwrap())
                })
                .collect();
            polylines.push((
                node.attribute("data-from").unwrap().to_string(),
                node.attribute("data-to").unwrap().to_string(),
                node.attribute("data-kind").unwrap().to_string(),
                points,
            ));
        }
    }
    let all_boxes: HashMap<&str, Box2> = tiles
        .iter()
        .map(|(id, (_, b))| (id.as_str(), *b))
        .chain(containers.iter().map(|(id, (_, b))| (id.as_str(), *b)))
        .collect();
    // Every tile and container lies inside its parent (or the canvas).
    for (id, parent) in tile_parents.iter().chain(&container_parents) {
        let own = all_boxes[id.as_str()];
        let outer = if parent.is_empty() {
            canvas
        } else {
            *all_boxes
                .get(parent.as_str())
                .unwrap_or_else(|| panic!("{id}: parent {parent} not drawn"))
        };
        assert!(
            outer.contains(&own),
            "{id} {own:?} is not inside {parent} {outer:?}"
        );
    }
    // Sibling containers do not overlap.
    let mut siblings: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for (id, parent) in &container_parents {
        siblings
            .entry(parent.as_str())
            .or_default()
            .push(id.as_str());
    }
    for group in siblings.values() {
        for (i, a) in group.iter().enumerate() {
            for b in &group[i + 1..] {
                assert!(
                    !all_boxes[a].overlaps(&all_boxes[b]),
                    "sibling containers {a} and {b} overlap"
                );
            }
        }
    }
    // No two tiles overlap (spatial hash, not all pairs).
    let mut grid: HashMap<(i64, i64), Vec<&str>> = HashMap::new();
    for (id, (_, b)) in &tiles {
        for cell in cells_of(b) {
            grid.entry(cell).or_default().push(id);
        }
    }
    for members in grid.values() {
        for (i, a) in members.iter().enumerate() {
            for b in &members[i + 1..] {
                assert!(
                    !tiles[*a].1.overlaps(&tiles[*b].1),
                    "tiles {a} and {b} overlap"
                );
            }
        }
    }
    // Edges: orthogonal, inside the canvas, and through no tile but their ends.
    let mut edges = BTreeSet::new();
    for (from, to, kind, points) in &polylines {
        assert!(points.len() >= 2, "edge {from} → {to} has no route");
        for pair in points.windows(2) {
            let (a, b) = (pair[0], pair[1]);
            assert!(
                (a.0 - b.0).abs() < 1e-6 || (a.1 - b.1).abs() < 1e-6,
                "edge {from} → {to} has a diagonal segment {a:?} {b:?}"
            );
            let segment = Box2 {
                x: a.0.min(b.0),
                y: a.1.min(b.1),
                w: (a.0 - b.0).abs(),
                h: (a.1 - b.1).abs(),
            };
            assert!(
                canvas.contains(&segment),
                "edge {from} → {to} leaves the canvas"
            );
            let mut seen = BTreeSet::new();
            for cell in cells_of(&segment) {
                for id in grid.get(&cell).into_iter().flatten() {
                    if *id == from || *id == to || !seen.insert(*id) {
                        continue;
                    }
                    assert!(
                        !tiles[*id].1.crossed_by(a, b),
                        "edge {from} → {to} ({kind}) crosses tile {id} at {a:?}–{b:?}"
                    );
                }
            }
        }
        assert!(
            all_boxes.contains_key(from.as_str()) && all_boxes.contains_key(to.as_str()),
            "edge {from} → {to} has an undrawn end"
        );
        edges.insert((from.clone(), to.clone(), kind.clone()));
    }
    if resources >= 50 {
        let aspect = width / height;
        assert!(
            (1.0 / 3.0..=3.0).contains(&aspect),
            "aspect {width}×{height} = {aspect:.2} for {resources} resources"
        );
    }
    // It renders with a real SVG renderer (scaled down for big estates).
    let mut options = usvg::Options::default();
    options
        .fontdb_mut()
        .load_font_data(layout::text::FONT_REGULAR.to_vec());
    options
        .fontdb_mut()
        .load_font_data(layout::text::FONT_BOLD.to_vec());
    let tree = usvg::Tree::from_str(svg, &options).expect("usvg parses the SVG");
    let scale = (1200.0 / width.max(height)).min(1.0) as f32;
    let mut pixmap = tiny_skia::Pixmap::new(
        ((width as f32) * scale).ceil() as u32,
        ((height as f32) * scale).ceil() as u32,
    )
    .unwrap();
    resvg::render(
        &tree,
        tiny_skia::Transform::from_scale(scale, scale),
        &mut pixmap.as_mut(),
    );
    assert!(
        pixmap.pixels().iter().any(|p| p.alpha() > 0),
        "nothing was drawn"
    );
    Report {
        tiles,
        containers,
        edges,
        width,
        height,
    }
}

fn draw(graph: &Graph) -> String {
    render::svg::render(&layout::architecture(graph))
}

fn resource_count(estate: &Estate) -> usize {
    estate
        .nodes
        .iter()
        .filter(|n| {
            !n.kind.is_container() && !matches!(n.kind, NodeKind::Internet | NodeKind::Cidr)
        })
        .count()
}

// ---------------------------------------------------------------- tests

#[test]
fn two_region_estate_draws_every_frame_tile_and_edge_it_should() {
    let estate = two_region_estate();
    let svg = draw(&estate.graph(false));
    if let Ok(path) = std::env::var("STRATA_DRAWING_OUT") {
        std::fs::write(format!("{path}/two-region.svg"), &svg).unwrap();
        std::fs::write(
            format!("{path}/two-region.png"),
            render::png::rasterise(&svg).unwrap(),
        )
        .unwrap();
    }
    let report = check(&svg, resource_count(&estate));
    let tile_ids: BTreeSet<&str> = report.tiles.keys().map(String::as_str).collect();
    let expected: BTreeSet<&str> = [
        "internet",
        "cidr/203.0.113.0/24",
        "igw-core",
        "vpce-s3",
        "pcx-1",
        "tgw-1",
        "nat-a",
        "nat-b",
        "alb-edge",
        "i-api-a",
        "i-worker-a",
        "i-api-b",
        "i-api-c",
        "db-ledger",
        "db-ledger#standby",
        "igw-eu",
        "i-eu-web",
        "i-eu-job",
        "db-replica",
    ]
    .into_iter()
    .collect();
    assert_eq!(tile_ids, expected);
    // Frames: account, both regions, both VPCs, four zones, twelve subnets.
    assert_eq!(report.containers.len(), 1 + 2 + 2 + 4 + 12);
    let edge = |f: &str, t: &str, k: &str| (f.to_string(), t.to_string(), k.to_string());
    let expected_edges: BTreeSet<(String, String, String)> = [
        edge("internet", "alb-edge", "allows"),
        edge("internet", "i-eu-web", "allows"),
        edge("cidr/203.0.113.0/24", "i-worker-a", "allows"),
        // Target group folded into LB → target edges.
        edge("alb-edge", "i-api-a", "targets"),
        edge("alb-edge", "i-api-b", "targets"),
        edge("alb-edge", "i-api-c", "targets"),
        edge("alb-edge", "i-api-a", "allows"),
        edge("alb-edge", "i-api-b", "allows"),
        // The interface's edge merged into its instance's.
        edge("i-api-a", "db-ledger", "allows"),
        edge("i-api-b", "db-ledger", "allows"),
        edge("db-ledger", "db-replica", "replicates"),
        edge("vpc-core", "vpc-eu", "peers"),
        edge("vpc-core", "tgw-1", "attaches"),
        edge("vpc-core/subnet-public-0", "igw-core", "routes"),
        edge("vpc-core/subnet-public-1", "igw-core", "routes"),
        edge("vpc-core/subnet-private-0", "nat-a", "routes"),
        edge("vpc-core/subnet-private-1", "nat-a", "routes"),
        edge("vpc-core/subnet-private-0", "pcx-1", "routes"),
        edge("vpc-core/subnet-private-0", "vpce-s3", "routes"),
        edge("vpc-eu/subnet-public-0", "igw-eu", "routes"),
    ]
    .into_iter()
    .collect();
    assert_eq!(report.edges, expected_edges);
    // The ALB spans both zone columns of its public subnets.
    let alb = report.tiles["alb-edge"].1;
    let zone_a = report.containers["vpc-core/us-west-2a"].1;
    let zone_b = report.containers["vpc-core/us-west-2b"].1;
    assert!(
        alb.x < zone_a.right() && alb.right() > zone_b.x,
        "ALB {alb:?} does not span {zone_a:?} and {zone_b:?}"
    );
    // Tiers are rows: public above private above isolated, in each zone.
    for zone in 0..2 {
        let y = |tier: &str| {
            report.containers[&format!("vpc-core/subnet-{tier}-{zone}")]
                .1
                .y
        };
        assert!(y("public") < y("private") && y("private") < y("isolated"));
    }
    // The standby sits in the other zone's isolated subnet.
    let standby = report.tiles["db-ledger#standby"].1;
    assert!(report.containers["vpc-core/subnet-isolated-1"]
        .1
        .contains(&standby));
    // Status: stopped, unhealthy and failed tiles carry badges; calm ones don't.
    assert!(svg.contains(r#"data-id="i-api-c" data-kind="ec2-instance""#));
    for (id, status) in [
        ("i-api-c", "stopped"),
        ("i-api-b", "unhealthy"),
        ("i-eu-job", "failed"),
    ] {
        let start = svg.find(&format!(r#"data-id="{id}""#)).unwrap();
        let tag_end = start + svg[start..].find('>').unwrap();
        assert!(
            svg[start..tag_end].contains(&format!(r#"data-status="{status}""#)),
            "{id} is not marked {status}"
        );
    }
    let start = svg.find(r#"data-id="i-api-a""#).unwrap();
    assert!(!svg[start..start + svg[start..].find('>').unwrap()].contains("data-status"));
    // Labels: merged ports, listener and health on the folded edge.
    assert!(svg.contains(">HTTPS:443 · unhealthy<"), "targets label");
    assert!(svg.contains(">tcp/5432, tcp/6432<"), "merged allows label");
    // Folded details: volume and Elastic IP on the worker.
    assert!(
        svg.contains("1 vol · EIP 54.9.9.9") || svg.contains("includes elastic-ip: bastion-ip")
    );
    // Header and legend.
    assert!(svg.contains("full access ✓"));
    assert!(svg.contains("1 detached volume(s)"));
}

#[test]
fn output_is_byte_identical_whatever_the_insertion_order() {
    let estate = two_region_estate();
    let first = draw(&estate.graph(false));
    assert_eq!(first, draw(&estate.graph(false)));
    assert_eq!(first, draw(&estate.graph(true)));
    let big = generated_estate(600, 7);
    assert_eq!(draw(&big.graph(false)), draw(&big.graph(true)));
}

/// Resources the drawing is about: what the aspect rule counts.
fn graph_resource_count(graph: &Graph) -> usize {
    graph
        .nodes()
        .iter()
        .filter(|n| {
            !n.kind.is_container() && !matches!(n.kind, NodeKind::Internet | NodeKind::Cidr)
        })
        .count()
}

/// The properties on real inference output, not only hand-built graphs: the
/// bundled emulator scans and synthetic estates through `graph::build`.
#[test]
fn inferred_graphs_of_scans_and_synthetic_estates_keep_every_property() {
    let examples = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("examples");
    let mut snapshots: Vec<Snapshot> = std::fs::read_dir(&examples)
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.extension().is_some_and(|e| e == "json"))
        .map(|path| Snapshot::read(&path).unwrap())
        .collect();
    assert!(!snapshots.is_empty(), "no example snapshots");
    snapshots.extend([synth::synthesize(120, 11), synth::synthesize(600, 12)]);
    for snapshot in snapshots {
        let graph = strata::graph::build(&snapshot);
        let report = check(&draw(&graph), graph_resource_count(&graph));
        assert!(!report.tiles.is_empty() && !report.edges.is_empty());
    }
}

#[test]
fn generated_estates_of_every_size_keep_every_property() {
    for (size, seed) in [(60, 1), (250, 2), (900, 3), (2500, 4)] {
        let estate = generated_estate(size, seed);
        let graph = estate.graph(false);
        let svg = draw(&graph);
        let report = check(&svg, resource_count(&estate));
        assert!(
            report.tiles.len() >= size / 2,
            "{size}: only {} tiles",
            report.tiles.len()
        );
        assert!(!report.edges.is_empty());
    }
}

#[test]
fn ten_thousand_resources_keep_every_property() {
    let estate = generated_estate(10_000, 11);
    let graph = estate.graph(false);
    let resources = resource_count(&estate);
    assert!(resources >= 10_000, "{resources}");
    let started = std::time::Instant::now();
    let svg = draw(&graph);
    eprintln!(
        "10k: layout + svg {:?}, {} bytes",
        started.elapsed(),
        svg.len()
    );
    let report = check(&svg, resources);
    eprintln!(
        "10k: {}×{}, {} tiles, {} edges",
        report.width,
        report.height,
        report.tiles.len(),
        report.edges.len()
    );
}

#[test]
fn hostile_names_stay_text() {
    let mut estate = two_region_estate();
    let hostile = [
        "<script>alert(1)</script>",
        "]]><svg onload=alert(1)>",
        "\"quoted' & <b>bold</b>",
        "ctrl\u{0}\u{1}\u{8}\u{b}\u{c}\u{1f}\u{7f}chars",
        "rtl \u{202e}gnp.exe",
        "🚀🔥 emoji name 🛰️",
    ];
    let long = "x".repeat(3000);
    for (i, node) in estate.nodes.iter_mut().enumerate() {
        node.name = if i % 7 == 6 {
            long.clone()
        } else {
            hostile[i % hostile.len()].to_string()
        };
        node.attrs
            .insert("instance_type".into(), json!("</text><script>x</script>"));
    }
    estate.edges[0].2.label = "<img src=x onerror=alert(1)>".into();
    estate.scan.accounts[0].name = "<script>acct</script>".into();
    estate.scan.skipped.push(Skipped {
        account: "111122223333".into(),
        region: "us-west-2".into(),
        service: "rds".into(),
        action: "rds:DescribeDBInstances".into(),
        reason: "access denied <x>".into(),
        left_out: "RDS DB instances".into(),
    });
    let svg = draw(&estate.graph(false));
    check(&svg, resource_count(&estate));
    assert!(!svg.contains("<script"), "an injected element appeared");
    assert!(!svg.contains("<img") && !svg.contains("<b>") && !svg.contains("<svg onload"));
    assert!(svg.contains("limited access: 1 call refused"));
    // Full names survive in tooltips, with unsafe characters replaced.
    let document = roxmltree::Document::parse(&svg).unwrap();
    let titles: Vec<&str> = document
        .descendants()
        .filter(|n| n.has_tag_name("title"))
        .filter_map(|n| n.text())
        .collect();
    assert!(
        titles.iter().any(|t| t.contains(&long)),
        "the 3,000-character name is not in a tooltip"
    );
    assert!(titles
        .iter()
        .any(|t| t.contains("<script>alert(1)</script>")));
    assert!(!svg.contains('\u{202e}') && !svg.contains('\u{0}'));
}

#[test]
fn odd_graphs_draw_without_panicking() {
    // Empty graph.
    let empty = Estate::new(&[], &[]);
    check(&draw(&empty.graph(false)), 0);
    // Orphans, a VPC without subnets, a subnet without a zone or tier, a
    // load balancer without attributes, a parent cycle, a missing parent.
    let mut e = Estate::new(&[("1", "")], &["r"]);
    e.node("i-orphan", NodeKind::Ec2Instance, "", None, json!({}));
    e.node("vpc-bare", NodeKind::Vpc, "bare", None, json!({}));
    e.node(
        "vpce-1",
        NodeKind::VpcEndpoint,
        "endpoint",
        Some("vpc-bare"),
        json!({}),
    );
    e.node(
        "lb-1",
        NodeKind::LoadBalancer,
        "lb",
        Some("vpc-bare"),
        json!({"subnets": 7}),
    );
    e.node(
        "vpc-2",
        NodeKind::Vpc,
        "two",
        Some("nowhere"),
        json!({"cidr": 12}),
    );
    e.node(
        "subnet-x",
        NodeKind::Subnet,
        "x",
        Some("vpc-2"),
        json!({"tier": "weird"}),
    );
    e.node(
        "i-x",
        NodeKind::Ec2Instance,
        "x1",
        Some("subnet-x"),
        json!({"status": "pending"}),
    );
    e.node(
        "loop-a",
        NodeKind::Ec2Instance,
        "a",
        Some("loop-b"),
        json!({}),
    );
    e.node(
        "loop-b",
        NodeKind::Ec2Instance,
        "b",
        Some("loop-a"),
        json!({}),
    );
    e.node(
        "tgw",
        NodeKind::TransitGateway,
        "tgw",
        Some("i-x"),
        json!({}),
    );
    e.edge("i-orphan", "i-x", EdgeKind::Allows, "all");
    e.edge("vpc-2", "vpc-bare", EdgeKind::Peers, "");
    e.edge("subnet-x", "vpce-1", EdgeKind::Routes, "0.0.0.0/0");
    e.edge("loop-a", "lb-1", EdgeKind::Allows, "tcp/80");
    e.edge("i-x", "i-x", EdgeKind::Allows, "self");
    let report = check(&draw(&e.graph(false)), resource_count(&e));
    assert!(
        report.tiles.contains_key("i-x")
            && report.tiles.contains_key("lb-1")
            && report.tiles.contains_key("loop-a")
    );
    // A self-loop is not drawn.
    assert!(!report.edges.iter().any(|(f, t, _)| f == t));
}

#[test]
fn the_png_of_a_drawing_is_an_image_of_its_size() {
    let svg = draw(&two_region_estate().graph(false));
    let png = render::png::rasterise(&svg).unwrap();
    let image = tiny_skia::Pixmap::decode_png(&png).unwrap();
    let report = check(&svg, 0);
    assert_eq!(image.width(), report.width.ceil() as u32);
    assert!(image
        .pixels()
        .iter()
        .any(|p| p.red() < 60 && p.alpha() == 255));
}
