//! Rendering arbitrary estates and graphs: never a panic, and every output
//! parses back (graph JSON as JSON holding every name, SVG as strict XML with
//! no smuggled element, DOT through a DOT parser).
//!
//! Two shapes of input: an arbitrary estate (VPCs, subnets, instances, load
//! balancers, databases with arbitrary names and tags) turned into a snapshot
//! and built into a graph by `graph::build`, which is how real graphs are
//! made; and an arbitrary graph assembled directly (any kinds, any labels,
//! containment only to earlier containers so it stays a tree), for the
//! renderers that must draw any graph.
#![no_main]

use std::collections::{BTreeMap, BTreeSet};

use arbitrary::Arbitrary;
use libfuzzer_sys::fuzz_target;
use strata::services::{compute::model::*, elbv2::model::*, network::model::*, rds::model::*};
use strata::graph::{self, Edge, EdgeKind, Graph, Node, NodeKind};
use strata::output::{self, Format, View};
use strata::snapshot::*;

const ACCOUNT: &str = "123456789012";
const REGION: &str = "eu-west-1";

#[derive(Debug, Arbitrary)]
struct Estate {
    account_name: String,
    vpcs: Vec<VpcSpec>,
}

#[derive(Debug, Arbitrary)]
struct VpcSpec {
    name: String,
    tags: Vec<(String, String)>,
    subnets: Vec<SubnetSpec>,
    load_balancers: Vec<LoadBalancerSpec>,
    databases: Vec<DatabaseSpec>,
    security_group: (String, String, u16),
}

#[derive(Debug, Arbitrary)]
struct SubnetSpec {
    name: String,
    zone: u8,
    public: bool,
    instances: Vec<(String, Vec<(String, String)>, bool)>,
}

#[derive(Debug, Arbitrary)]
struct LoadBalancerSpec {
    name: String,
    internal: bool,
    subnets: Vec<u8>,
    targets: Vec<u8>,
}

#[derive(Debug, Arbitrary)]
struct DatabaseSpec {
    name: String,
    subnet: u8,
    multi_az: bool,
}

#[derive(Debug, Arbitrary)]
struct DirectGraph {
    nodes: Vec<(u8, String, Option<u8>, Option<String>)>,
    edges: Vec<(u8, u8, u8, String)>,
}

#[derive(Debug, Arbitrary)]
enum Input {
    Estate(Estate),
    Graph(DirectGraph),
}

fn resource(id: String, name: &str, tags: &[(String, String)], detail: Detail) -> Resource {
    Resource {
        id,
        arn: None,
        account: ACCOUNT.into(),
        region: REGION.into(),
        name: name.into(),
        tags: tags.iter().take(4).cloned().collect(),
        detail,
    }
}

fn snapshot_of(estate: &Estate) -> Snapshot {
    let mut snapshot = Snapshot::new(ScanMeta {
        tool_version: "strata fuzz".into(),
        accounts: vec![AccountMeta {
            id: ACCOUNT.into(),
            name: estate.account_name.clone(),
            role_arn: None,
        }],
        regions: vec![REGION.into()],
        services: vec!["ec2".into(), "elasticloadbalancing".into(), "rds".into()],
        complete: true,
        ..Default::default()
    });
    let zone_name = |zone: u8| format!("{REGION}{}", ["a", "b", "c"][zone as usize % 3]);
    for letter in 0..3 {
        snapshot.resources.push(resource(
            zone_name(letter),
            &zone_name(letter),
            &[],
            Detail::from(AvailabilityZoneAttrs {
                zone_id: format!("euw1-az{letter}"),
                state: "available".into(),
                zone_type: "availability-zone".into(),
            }),
        ));
    }
    for (v, vpc) in estate.vpcs.iter().take(3).enumerate() {
        let vpc_id = format!("vpc-{v}");
        snapshot.resources.push(resource(
            vpc_id.clone(),
            &vpc.name,
            &vpc.tags,
            Detail::from(VpcAttrs {
                cidr_block: format!("10.{v}.0.0/16"),
                cidr_blocks: vec![format!("10.{v}.0.0/16")],
                state: "available".into(),
                ..Default::default()
            }),
        ));
        let sg_id = format!("sg-{v}");
        let (group_name, description, port) = &vpc.security_group;
        snapshot.resources.push(resource(
            sg_id.clone(),
            group_name,
            &[],
            Detail::from(SecurityGroupAttrs {
                vpc_id: vpc_id.clone(),
                group_name: group_name.clone(),
                description: description.clone(),
                ingress: vec![SecurityGroupRule {
                    protocol: "tcp".into(),
                    from_port: Some(i32::from(*port)),
                    to_port: Some(i32::from(*port)),
                    peer: RulePeer::Cidr {
                        cidr: "0.0.0.0/0".into(),
                    },
                    rule_id: None,
                    description: description.clone(),
                }],
                egress: vec![],
            }),
        ));
        let mut subnet_ids = Vec::new();
        let mut instance_ids = Vec::new();
        for (s, subnet) in vpc.subnets.iter().take(4).enumerate() {
            let subnet_id = format!("subnet-{v}{s}");
            let zone = zone_name(subnet.zone);
            snapshot.resources.push(resource(
                subnet_id.clone(),
                &subnet.name,
                &[],
                Detail::from(SubnetAttrs {
                    vpc_id: vpc_id.clone(),
                    cidr_block: format!("10.{v}.{s}.0/24"),
                    availability_zone: zone.clone(),
                    state: "available".into(),
                    map_public_ip_on_launch: subnet.public,
                    available_ip_address_count: 250,
                    ..Default::default()
                }),
            ));
            for (i, (name, tags, running)) in subnet.instances.iter().take(4).enumerate() {
                let instance_id = format!("i-{v}{s}{i}");
                snapshot.resources.push(resource(
                    instance_id.clone(),
                    name,
                    tags,
                    Detail::from(Ec2InstanceAttrs {
                        state: if *running { "running" } else { "stopped" }.into(),
                        instance_type: "t3.micro".into(),
                        availability_zone: zone.clone(),
                        vpc_id: Some(vpc_id.clone()),
                        subnet_id: Some(subnet_id.clone()),
                        private_ip: Some(format!("10.{v}.{s}.{}", 10 + i)),
                        security_group_ids: vec![sg_id.clone()],
                        platform: "linux".into(),
                        ..Default::default()
                    }),
                ));
                instance_ids.push((instance_id, zone.clone()));
            }
            subnet_ids.push((subnet_id, zone));
        }
        if subnet_ids.is_empty() {
            continue;
        }
        for (l, lb) in vpc.load_balancers.iter().take(2).enumerate() {
            let lb_arn = format!(
                "arn:aws:elasticloadbalancing:{REGION}:{ACCOUNT}:loadbalancer/app/lb{v}{l}/1"
            );
            let tg_arn =
                format!("arn:aws:elasticloadbalancing:{REGION}:{ACCOUNT}:targetgroup/tg{v}{l}/1");
            let mut zones: Vec<LoadBalancerZone> = lb
                .subnets
                .iter()
                .map(|&s| {
                    let (subnet_id, zone) = &subnet_ids[s as usize % subnet_ids.len()];
                    LoadBalancerZone {
                        zone_name: zone.clone(),
                        subnet_id: subnet_id.clone(),
                    }
                })
                .collect();
            zones.sort();
            zones.dedup_by(|a, b| a.zone_name == b.zone_name);
            snapshot.resources.push(resource(
                lb_arn.clone(),
                &lb.name,
                &[],
                Detail::from(LoadBalancerAttrs {
                    lb_type: "application".into(),
                    scheme: if lb.internal {
                        "internal"
                    } else {
                        "internet-facing"
                    }
                    .into(),
                    state: "active".into(),
                    vpc_id: vpc_id.clone(),
                    dns_name: format!("lb{v}{l}.elb.amazonaws.com"),
                    availability_zones: zones,
                    security_group_ids: vec![sg_id.clone()],
                    ..Default::default()
                }),
            ));
            snapshot.resources.push(resource(
                format!("{lb_arn}/listener"),
                "HTTP:80",
                &[],
                Detail::from(ListenerAttrs {
                    load_balancer_arn: lb_arn.clone(),
                    protocol: "HTTP".into(),
                    port: 80,
                    default_actions: vec![ListenerAction {
                        action_type: "forward".into(),
                        target_group_arns: vec![tg_arn.clone()],
                    }],
                    rules: vec![],
                }),
            ));
            let mut targets: Vec<Target> = if instance_ids.is_empty() {
                Vec::new()
            } else {
                lb.targets
                    .iter()
                    .map(|&t| Target {
                        id: instance_ids[t as usize % instance_ids.len()].0.clone(),
                        port: Some(8080),
                        health: "healthy".into(),
                        ..Default::default()
                    })
                    .collect()
            };
            targets.sort();
            targets.dedup();
            snapshot.resources.push(resource(
                tg_arn.clone(),
                &format!("tg{v}{l}"),
                &[],
                Detail::from(TargetGroupAttrs {
                    name: format!("tg{v}{l}"),
                    protocol: Some("HTTP".into()),
                    port: Some(8080),
                    target_type: "instance".into(),
                    vpc_id: Some(vpc_id.clone()),
                    load_balancer_arns: vec![lb_arn],
                    targets: Some(targets),
                    ..Default::default()
                }),
            ));
        }
        for (d, db) in vpc.databases.iter().take(2).enumerate() {
            let (_, zone) = &subnet_ids[db.subnet as usize % subnet_ids.len()];
            let group = format!("dbsubnets-{v}");
            if d == 0 {
                let mut subnets: Vec<DbSubnet> = subnet_ids
                    .iter()
                    .map(|(id, zone)| DbSubnet {
                        subnet_id: id.clone(),
                        availability_zone: zone.clone(),
                        status: "Active".into(),
                    })
                    .collect();
                subnets.sort();
                snapshot.resources.push(resource(
                    group.clone(),
                    &group,
                    &[],
                    Detail::from(DbSubnetGroupAttrs {
                        vpc_id: vpc_id.clone(),
                        status: "Complete".into(),
                        description: db.name.clone(),
                        subnets,
                    }),
                ));
            }
            snapshot.resources.push(resource(
                format!("db-{v}{d}"),
                &db.name,
                &[],
                Detail::from(RdsInstanceAttrs {
                    db_instance_class: "db.t3.micro".into(),
                    engine: "postgres".into(),
                    status: "available".into(),
                    availability_zone: Some(zone.clone()),
                    multi_az: db.multi_az,
                    db_subnet_group: Some(group),
                    vpc_id: Some(vpc_id.clone()),
                    security_group_ids: vec![sg_id.clone()],
                    ..Default::default()
                }),
            ));
        }
    }
    snapshot.normalize();
    snapshot
}

fn graph_of(input: &DirectGraph) -> Graph {
    let mut graph = Graph::default();
    let mut ids: Vec<(String, NodeKind)> = Vec::new();
    for (n, (kind, name, parent, status)) in input.nodes.iter().take(40).enumerate() {
        let kind = NodeKind::ALL[*kind as usize % NodeKind::ALL.len()];
        // Containment stays a tree: a parent is an earlier container.
        let parent = parent
            .map(|p| p as usize % ids.len().max(1))
            .and_then(|p| ids.get(p))
            .filter(|(_, parent_kind)| parent_kind.is_container())
            .map(|(id, _)| id.clone());
        let id = format!("{kind}-{n}");
        let node = Node {
            id: id.clone(),
            kind,
            name: name.clone(),
            parent,
            account: Some(ACCOUNT.into()),
            region: Some(REGION.into()),
            resource_id: Some(id.clone()),
            arn: None,
            status: status.clone(),
            attrs: BTreeMap::from([("note".to_string(), serde_json::json!(name))]),
        };
        let index = graph.graph.add_node(node);
        graph.index.insert(id.clone(), index);
        ids.push((id, kind));
    }
    if ids.is_empty() {
        return graph;
    }
    for (from, to, kind, label) in input.edges.iter().take(80) {
        let from = &ids[*from as usize % ids.len()].0;
        let to = &ids[*to as usize % ids.len()].0;
        let edge = Edge {
            kind: EdgeKind::ALL[*kind as usize % EdgeKind::ALL.len()],
            label: label.clone(),
            evidence: vec![label.clone()],
            attrs: BTreeMap::new(),
        };
        graph
            .graph
            .add_edge(graph.index[from], graph.index[to], edge);
    }
    graph
}

/// Every string, object key included, of a JSON document.
fn json_strings(value: &serde_json::Value, into: &mut BTreeSet<String>) {
    match value {
        serde_json::Value::String(s) => {
            into.insert(s.clone());
        }
        serde_json::Value::Array(items) => items.iter().for_each(|v| json_strings(v, into)),
        serde_json::Value::Object(map) => {
            for (key, value) in map {
                into.insert(key.clone());
                json_strings(value, into);
            }
        }
        _ => {}
    }
}

fn check_json(graph: &Graph) {
    let bytes = output::produce_from_graph(graph, Format::Json, View::Architecture)
        .expect("graph JSON renders");
    let value: serde_json::Value = serde_json::from_slice(&bytes).expect("graph JSON parses");
    let mut strings = BTreeSet::new();
    json_strings(&value, &mut strings);
    for node in graph.nodes() {
        assert!(
            strings.contains(&node.name),
            "graph JSON lost {:?}",
            node.name
        );
    }
}

fn check_svg(graph: &Graph) {
    let bytes =
        output::produce_from_graph(graph, Format::Svg, View::Architecture).expect("SVG renders");
    let svg = String::from_utf8(bytes).expect("SVG is UTF-8");
    let mut reader = quick_xml::Reader::from_str(&svg);
    loop {
        match reader.read_event() {
            Ok(quick_xml::events::Event::Start(tag) | quick_xml::events::Event::Empty(tag)) => {
                let name = tag.name();
                assert!(
                    !matches!(name.as_ref(), b"script" | b"foreignObject"),
                    "the SVG holds <{}>",
                    String::from_utf8_lossy(name.as_ref())
                );
                for attribute in tag.attributes() {
                    let attribute = attribute.expect("well-formed attribute");
                    assert!(
                        !attribute.key.as_ref().starts_with(b"on"),
                        "event handler in the SVG"
                    );
                }
            }
            Ok(quick_xml::events::Event::Eof) => break,
            Ok(_) => {}
            Err(error) => panic!("the SVG is not well-formed XML: {error}"),
        }
    }
}

/// `(node statements, subgraphs, edge statements)` of a DOT document, as
/// layout-rs's DOT parser reads it; `None` if it does not parse.
fn dot_shape(dot: &str) -> Result<(usize, usize, usize), String> {
    fn count(list: &layout::gv::parser::ast::StmtList, shape: &mut (usize, usize, usize)) {
        use layout::gv::parser::ast::Stmt;
        for statement in &list.list {
            match statement {
                Stmt::Node(_) => shape.0 += 1,
                Stmt::SubGraph(graph) => {
                    shape.1 += 1;
                    count(&graph.list, shape);
                }
                Stmt::Edge(_) => shape.2 += 1,
                Stmt::Attribute(_) => {}
            }
        }
    }
    let graph = layout::gv::DotParser::new(dot).process()?;
    let mut shape = (0, 0, 0);
    count(&graph.list, &mut shape);
    Ok(shape)
}

/// The same graph with every free-text string replaced by as many `x`s: what
/// the DOT must look like structurally whatever the names hold.
fn benign_twin(graph: &Graph) -> Graph {
    let plain = |text: &str| "x".repeat(text.chars().count());
    let mut twin = graph.clone();
    for node in twin.graph.node_weights_mut() {
        node.name = plain(&node.name);
        node.status = node.status.as_deref().map(plain);
        for value in node.attrs.values_mut() {
            if let serde_json::Value::String(text) = value {
                *text = plain(text);
            }
        }
    }
    for edge in twin.graph.edge_weights_mut() {
        edge.label = plain(&edge.label);
        edge.evidence = edge.evidence.iter().map(|e| plain(e)).collect();
    }
    twin.scan
        .accounts
        .iter_mut()
        .for_each(|a| a.name = plain(&a.name));
    twin
}

fn dot_of(graph: &Graph) -> String {
    let bytes =
        output::produce_from_graph(graph, Format::Dot, View::Architecture).expect("DOT renders");
    String::from_utf8(bytes).expect("DOT is UTF-8")
}

fn check_dot(graph: &Graph) {
    let dot = dot_of(graph);
    let shape = dot_shape(&dot).unwrap_or_else(|e| panic!("the DOT does not parse: {e}\n{dot}"));
    let benign = dot_shape(&dot_of(&benign_twin(graph))).expect("the benign DOT parses");
    assert_eq!(
        shape, benign,
        "the names changed the DOT's structure:\n{dot}"
    );
}

fuzz_target!(|input: Input| {
    let graph = match &input {
        Input::Estate(estate) => {
            let snapshot = snapshot_of(estate);
            graph::build(&snapshot)
        }
        Input::Graph(direct) => graph_of(direct),
    };
    check_json(&graph);
    check_dot(&graph);
    check_svg(&graph);
});
