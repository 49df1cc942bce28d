//! Hostile and broken input, without the AWS SDK: snapshot parsing never
//! panics and always explains itself in one line; names and tags holding
//! markup, DOT syntax, control characters, bidi overrides, emoji or 3,000
//! characters never break or inject into the SVG, DOT or graph JSON.
//!
//! Runs with `cargo test --no-default-features --test hostile` (fast) as well
//! as in the full suite. The DOT checks run the real Graphviz (`dot`, `neato`) and fail
//! loudly when it is missing.

#[path = "support/graphviz.rs"]
mod graphviz;
#[path = "support/hand_built.rs"]
mod hand_built;
#[path = "support/redaction.rs"]
mod redaction;

use std::collections::{BTreeMap, BTreeSet};

use proptest::prelude::*;
use quick_xml::events::Event;
use strata::graph::{self, Edge, EdgeKind, Graph, Node, NodeKind};
use strata::output::{self, Costing, Format, View};
use strata::services::{compute::model::*, elbv2::model::*, network::model::*, rds::model::*};
use strata::snapshot::*;

const ACCOUNT: &str = "123456789012";
const REGION: &str = "eu-west-1";

/// Strings a user can type into a Name tag or a description, chosen to break
/// XML, DOT, JSON and terminals.
const PAYLOADS: &[&str] = &[
    "<",
    ">",
    "&",
    "&amp;",
    "\"",
    "'",
    "]]>",
    "<![CDATA[x]]>",
    "\"];",
    "\"]; injected [label=\"x\"]; \"",
    "}",
    "} subgraph cluster_injected { x }",
    "\n",
    "\r\n",
    "\\n",
    "\\",
    "\\\"",
    "\t",
    "\u{0}",
    "\u{1}\u{7}\u{8}\u{b}\u{c}\u{1b}[31m",
    "\u{7f}\u{85}",
    "\u{202e}gnp.exe",
    "\u{200b}\u{feff}",
    "\u{fffe}\u{ffff}",
    "😀👩‍👩‍👧‍👦🇪🇺",
    "<script>alert(1)</script>",
    "<injected evil=\"1\"/>",
    "\" onload=\"alert(1)",
    "' onmouseover='alert(1)",
    "<svg onload=alert(1)>",
    "<foreignObject><iframe src=javascript:alert(1)></iframe></foreignObject>",
    "-->",
    "<!--",
    "<?xml version=\"1.0\"?>",
    "<!DOCTYPE x [<!ENTITY e SYSTEM \"file:///etc/passwd\">]>&e;",
    "%s%n{0}{{}}",
    "$(reboot)`id`",
    "../../etc/passwd",
    "<<A>>",
    "@@@",
];

/// A hostile string: one to three payloads, arbitrary text, or a 3,000-char one.
fn hostile() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => proptest::collection::vec(proptest::sample::select(PAYLOADS), 1..4)
            .prop_map(|parts| parts.concat()),
        2 => any::<String>(),
        1 => "\\PC{0,30}",
        1 => proptest::sample::select(PAYLOADS)
            .prop_map(|payload| format!("{}{payload}", "W".repeat(3_000))),
    ]
}

/// Eleven hostile strings, one per user-typed slot of the estate.
fn hostile_names() -> impl Strategy<Value = Vec<String>> {
    proptest::collection::vec(hostile(), ESTATE_SLOTS)
}

/// Same shape, nothing hostile: for comparing what the renderers produce.
fn benign_twin(names: &[String]) -> Vec<String> {
    names
        .iter()
        .map(|name| "x".repeat(name.chars().count().max(1)))
        .collect()
}

// ------------------------------------------------------------ the estate

const ESTATE_SLOTS: usize = 11;

fn resource(id: &str, name: &str, tags: &[(&str, &str)], detail: Detail) -> Resource {
    Resource {
        id: id.to_string(),
        arn: None,
        account: ACCOUNT.to_string(),
        region: REGION.to_string(),
        name: name.to_string(),
        tags: tags
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect(),
        detail,
    }
}

/// A small three-tier estate whose every user-typed string (names, tag keys
/// and values, descriptions) comes from `names`.
fn estate(names: &[String]) -> Snapshot {
    assert_eq!(names.len(), ESTATE_SLOTS);
    let n = |i: usize| names[i].as_str();
    let lb_arn = format!(
        "arn:aws:elasticloadbalancing:{REGION}:{ACCOUNT}:loadbalancer/app/web/50dc6c495c0c9188"
    );
    let tg_arn =
        format!("arn:aws:elasticloadbalancing:{REGION}:{ACCOUNT}:targetgroup/app/943f017f100becff");
    let listener_arn = format!("arn:aws:elasticloadbalancing:{REGION}:{ACCOUNT}:listener/app/web/50dc6c495c0c9188/f2f7dc8efc522ab2");
    let mut snapshot = Snapshot::new(ScanMeta {
        tool_version: "strata 0.1.0".into(),
        started_at: "2026-01-01T00:00:00Z".into(),
        finished_at: "2026-01-01T00:00:05Z".into(),
        accounts: vec![AccountMeta {
            id: ACCOUNT.into(),
            name: n(10).into(),
            role_arn: None,
        }],
        regions: vec![REGION.into()],
        services: vec!["ec2".into(), "elasticloadbalancing".into(), "rds".into()],
        complete: true,
        ..Default::default()
    });
    let zone = |letter: &str| {
        resource(
            &format!("{REGION}{letter}"),
            &format!("{REGION}{letter}"),
            &[],
            Detail::from(AvailabilityZoneAttrs {
                zone_id: format!("euw1-az{letter}"),
                state: "available".into(),
                zone_type: "availability-zone".into(),
            }),
        )
    };
    let subnet = |id: &str, zone: &str, cidr: &str, name: &str, public: bool| {
        resource(
            id,
            name,
            &[("Name", name)],
            Detail::from(SubnetAttrs {
                vpc_id: "vpc-1".into(),
                cidr_block: cidr.into(),
                availability_zone: format!("{REGION}{zone}"),
                state: "available".into(),
                map_public_ip_on_launch: public,
                available_ip_address_count: 250,
                ..Default::default()
            }),
        )
    };
    let allow = |port: i32, peer: RulePeer, description: &str| SecurityGroupRule {
        protocol: "tcp".into(),
        from_port: Some(port),
        to_port: Some(port),
        peer,
        rule_id: None,
        description: description.into(),
    };
    snapshot.resources = vec![
        zone("a"),
        zone("b"),
        resource(
            "vpc-1",
            n(0),
            &[("Name", n(0)), (n(1), n(2))],
            Detail::from(VpcAttrs {
                cidr_block: "10.0.0.0/16".into(),
                cidr_blocks: vec!["10.0.0.0/16".into()],
                state: "available".into(),
                ..Default::default()
            }),
        ),
        subnet("subnet-a", "a", "10.0.0.0/24", n(3), true),
        subnet("subnet-b", "b", "10.0.1.0/24", n(4), false),
        resource(
            "igw-1",
            "igw-1",
            &[],
            Detail::from(InternetGatewayAttrs {
                attachments: vec![GatewayAttachment {
                    vpc_id: "vpc-1".into(),
                    state: "available".into(),
                }],
            }),
        ),
        resource(
            "rtb-1",
            "rtb-1",
            &[],
            Detail::from(RouteTableAttrs {
                vpc_id: "vpc-1".into(),
                main: false,
                associations: vec![RouteTableAssociation {
                    association_id: "rtbassoc-1".into(),
                    subnet_id: Some("subnet-a".into()),
                    gateway_id: None,
                    main: false,
                }],
                routes: vec![
                    Route {
                        destination: "0.0.0.0/0".into(),
                        target: RouteTarget::InternetGateway("igw-1".into()),
                        state: "active".into(),
                        origin: "CreateRoute".into(),
                    },
                    Route {
                        destination: "10.0.0.0/16".into(),
                        target: RouteTarget::Local,
                        state: "active".into(),
                        origin: "CreateRouteTable".into(),
                    },
                ],
            }),
        ),
        resource(
            "sg-lb",
            n(5),
            &[],
            Detail::from(SecurityGroupAttrs {
                vpc_id: "vpc-1".into(),
                group_name: n(5).into(),
                description: n(6).into(),
                ingress: vec![allow(
                    443,
                    RulePeer::Cidr {
                        cidr: "0.0.0.0/0".into(),
                    },
                    n(7),
                )],
                egress: vec![],
            }),
        ),
        resource(
            "sg-app",
            "app",
            &[],
            Detail::from(SecurityGroupAttrs {
                vpc_id: "vpc-1".into(),
                group_name: "app".into(),
                description: n(7).into(),
                ingress: vec![allow(
                    8080,
                    RulePeer::Group {
                        group_id: "sg-lb".into(),
                        account: None,
                        vpc_id: None,
                        vpc_peering_connection_id: None,
                    },
                    n(6),
                )],
                egress: vec![],
            }),
        ),
        resource(
            "i-1",
            n(8),
            &[("Name", n(8)), ("team", n(1))],
            Detail::from(Ec2InstanceAttrs {
                state: "running".into(),
                instance_type: "t3.micro".into(),
                availability_zone: format!("{REGION}b"),
                vpc_id: Some("vpc-1".into()),
                subnet_id: Some("subnet-b".into()),
                private_ip: Some("10.0.1.10".into()),
                private_ips: vec!["10.0.1.10".into()],
                security_group_ids: vec!["sg-app".into()],
                platform: "linux".into(),
                tenancy: "default".into(),
                ..Default::default()
            }),
        ),
        resource(
            &lb_arn,
            n(9),
            &[("Name", n(9))],
            Detail::from(LoadBalancerAttrs {
                lb_type: "application".into(),
                scheme: "internet-facing".into(),
                state: "active".into(),
                vpc_id: "vpc-1".into(),
                dns_name: "web-1.eu-west-1.elb.amazonaws.com".into(),
                ip_address_type: "ipv4".into(),
                availability_zones: vec![LoadBalancerZone {
                    zone_name: format!("{REGION}a"),
                    subnet_id: "subnet-a".into(),
                }],
                security_group_ids: vec!["sg-lb".into()],
                created_time: None,
            }),
        ),
        resource(
            &listener_arn,
            "HTTPS:443",
            &[],
            Detail::from(ListenerAttrs {
                load_balancer_arn: lb_arn.clone(),
                protocol: "HTTPS".into(),
                port: 443,
                default_actions: vec![ListenerAction {
                    action_type: "forward".into(),
                    target_group_arns: vec![tg_arn.clone()],
                }],
                rules: vec![],
            }),
        ),
        resource(
            &tg_arn,
            "app",
            &[],
            Detail::from(TargetGroupAttrs {
                name: "app".into(),
                protocol: Some("HTTP".into()),
                port: Some(8080),
                target_type: "instance".into(),
                vpc_id: Some("vpc-1".into()),
                load_balancer_arns: vec![lb_arn.clone()],
                targets: Some(vec![Target {
                    id: "i-1".into(),
                    port: Some(8080),
                    availability_zone: None,
                    health: "healthy".into(),
                    reason: None,
                }]),
                ..Default::default()
            }),
        ),
        resource(
            "db-subnets",
            "db-subnets",
            &[],
            Detail::from(DbSubnetGroupAttrs {
                vpc_id: "vpc-1".into(),
                status: "Complete".into(),
                description: n(2).into(),
                subnets: vec![DbSubnet {
                    subnet_id: "subnet-b".into(),
                    availability_zone: format!("{REGION}b"),
                    status: "Active".into(),
                }],
            }),
        ),
        resource(
            "ledger",
            n(10),
            &[(n(10), n(3))],
            Detail::from(RdsInstanceAttrs {
                db_instance_class: "db.t3.micro".into(),
                engine: "postgres".into(),
                status: "available".into(),
                availability_zone: Some(format!("{REGION}b")),
                multi_az: false,
                db_subnet_group: Some("db-subnets".into()),
                vpc_id: Some("vpc-1".into()),
                security_group_ids: vec!["sg-app".into()],
                storage_encrypted: true,
                ..Default::default()
            }),
        ),
    ];
    snapshot.normalize();
    snapshot
}

/// A graph built directly, not through inference, so edge labels and
/// attribute values are hostile too: account › region › VPC › zone › subnet
/// › instance, plus an outside party and labelled edges between them.
fn direct_graph(names: &[String]) -> Graph {
    assert_eq!(names.len(), ESTATE_SLOTS);
    let mut graph = Graph::default();
    let mut add = |id: &str, kind: NodeKind, name: &str, parent: Option<&str>| {
        let mut attrs = BTreeMap::new();
        attrs.insert("description".to_string(), serde_json::json!(names[7]));
        match kind {
            NodeKind::AVAILABILITY_ZONE => {
                attrs.insert("zone".into(), serde_json::json!("eu-west-1a"));
            }
            NodeKind::SUBNET => {
                attrs.insert("tier".into(), serde_json::json!("public"));
                attrs.insert("cidr".into(), serde_json::json!("10.0.0.0/24"));
                attrs.insert("availability_zone".into(), serde_json::json!("eu-west-1a"));
            }
            NodeKind::VPC => {
                attrs.insert("cidr".into(), serde_json::json!("10.0.0.0/16"));
            }
            _ => {}
        }
        let node = Node {
            id: id.to_string(),
            kind,
            name: name.to_string(),
            parent: parent.map(str::to_string),
            account: (kind != NodeKind::Internet).then(|| ACCOUNT.to_string()),
            region: (!matches!(kind, NodeKind::Internet | NodeKind::Account))
                .then(|| REGION.to_string()),
            resource_id: Some(id.to_string()),
            arn: None,
            status: Some(names[6].clone()),
            attrs,
            drawing: Default::default(),
        };
        let index = graph.graph.add_node(node);
        graph.index.insert(id.to_string(), index);
    };
    let account = format!("account:{ACCOUNT}");
    let region = format!("region:{ACCOUNT}:{REGION}");
    add(&account, NodeKind::Account, &names[0], None);
    add(&region, NodeKind::Region, &names[1], Some(&account));
    add("vpc-1", NodeKind::VPC, &names[2], Some(&region));
    add(
        "az:eu-west-1a",
        NodeKind::AVAILABILITY_ZONE,
        &names[3],
        Some("vpc-1"),
    );
    add(
        "subnet-a",
        NodeKind::SUBNET,
        &names[4],
        Some("az:eu-west-1a"),
    );
    add("i-1", kind("ec2-instance"), &names[5], Some("subnet-a"));
    add("i-2", kind("ec2-instance"), &names[8], Some("subnet-a"));
    add("internet", NodeKind::Internet, &names[9], None);
    let mut connect = |from: &str, to: &str, kind: EdgeKind, label: &str| {
        let edge = Edge {
            kind,
            label: label.to_string(),
            evidence: vec![names[10].clone()],
            attrs: BTreeMap::from([("note".to_string(), serde_json::json!(names[0]))]),
            health: None,
        };
        graph
            .graph
            .add_edge(graph.index[from], graph.index[to], edge);
    };
    connect("internet", "i-1", EdgeKind::Allows, &names[10]);
    connect("i-1", "i-2", EdgeKind::Allows, &names[6]);
    hand_built::resolve(&mut graph);
    graph
}

fn kind(name: &str) -> NodeKind {
    NodeKind::parse(name).unwrap_or_else(|| panic!("no node kind {name:?}"))
}

// ------------------------------------------------------------ checks

/// The SVG is well-formed XML (strictly, as a real SVG consumer reads it)
/// and holds no element or attribute outside what the benign twin drew,
/// and nothing executable.
fn assert_svg_is_inert(svg: &str, benign_svg: &str) {
    let vocabulary = |document: &str| -> (BTreeSet<String>, BTreeSet<String>) {
        let mut reader = quick_xml::Reader::from_str(document);
        reader.config_mut().check_end_names = true;
        let mut elements = BTreeSet::new();
        let mut attributes = BTreeSet::new();
        loop {
            match reader.read_event() {
                Ok(Event::Start(tag)) | Ok(Event::Empty(tag)) => {
                    elements.insert(String::from_utf8_lossy(tag.name().as_ref()).into_owned());
                    for attribute in tag.attributes() {
                        let attribute = attribute.unwrap_or_else(|e| {
                            panic!("malformed attribute ({e}) in SVG:\n{document}")
                        });
                        attributes
                            .insert(String::from_utf8_lossy(attribute.key.as_ref()).into_owned());
                    }
                }
                Ok(Event::DocType(_)) => panic!("the SVG declares a DOCTYPE:\n{document}"),
                Ok(Event::Eof) => break,
                Ok(_) => {}
                Err(error) => panic!(
                    "the SVG is not well-formed XML at {}: {error}",
                    reader.buffer_position()
                ),
            }
        }
        (elements, attributes)
    };
    let (elements, attributes) = vocabulary(svg);
    let (benign_elements, benign_attributes) = vocabulary(benign_svg);
    for forbidden in ["script", "foreignObject", "iframe", "injected", "handler"] {
        assert!(
            !elements.contains(forbidden),
            "the SVG holds a <{forbidden}> element"
        );
    }
    assert!(
        attributes.iter().all(|a| !a.starts_with("on")),
        "the SVG holds an event handler attribute: {attributes:?}"
    );
    let smuggled: Vec<_> = elements.difference(&benign_elements).collect();
    assert!(
        smuggled.is_empty(),
        "elements the input smuggled in: {smuggled:?}"
    );
    let smuggled: Vec<_> = attributes.difference(&benign_attributes).collect();
    assert!(
        smuggled.is_empty(),
        "attributes the input smuggled in: {smuggled:?}"
    );
    // usvg parses through roxmltree, which enforces the XML character rules
    // (no raw or referenced control characters) that quick-xml leaves alone.
    if let Err(error) = resvg::usvg::Tree::from_str(svg, &resvg::usvg::Options::default()) {
        panic!("a real SVG consumer rejects the SVG: {error}");
    }
}

/// Every string the graph holds comes back, unchanged, from the graph JSON.
fn assert_json_keeps_every_string(json: &str, graph: &Graph) {
    let value: serde_json::Value =
        serde_json::from_str(json).unwrap_or_else(|e| panic!("graph JSON does not parse: {e}"));
    fn strings(value: &serde_json::Value, into: &mut BTreeSet<String>) {
        match value {
            serde_json::Value::String(s) => {
                into.insert(s.clone());
            }
            serde_json::Value::Array(items) => items.iter().for_each(|v| strings(v, into)),
            serde_json::Value::Object(map) => {
                for (key, value) in map {
                    into.insert(key.clone());
                    strings(value, into);
                }
            }
            _ => {}
        }
    }
    let mut found = BTreeSet::new();
    strings(&value, &mut found);
    for node in graph.nodes() {
        for text in [&node.id, &node.name] {
            assert!(found.contains(text), "graph JSON lost or changed {text:?}");
        }
    }
    for (_, _, edge) in graph.edges() {
        assert!(
            found.contains(&edge.label),
            "graph JSON lost or changed edge label {:?}",
            edge.label
        );
    }
}

/// Graphviz `dot`, which lays out the clustered form.
const DOT: &[&str] = &["dot", "-Tjson"];
/// Graphviz `neato -n2`, which draws the positioned form as positioned.
const NEATO: &[&str] = &["neato", "-n2", "-Tjson"];

/// What Graphviz makes of a DOT document: `(objects, edges)` counted from
/// the JSON of `command` (`DOT` or `NEATO`). Fails loudly when Graphviz is
/// missing or rejects the input.
fn graphviz_counts(command: &[&str], dot: &str) -> (usize, usize) {
    let ran = graphviz::run(command, dot);
    assert!(
        !ran.stderr.contains("syntax error"),
        "Graphviz rejects the DOT: {}\n{dot}",
        ran.stderr
    );
    let value: serde_json::Value =
        serde_json::from_slice(&ran.stdout).expect("Graphviz -Tjson gives JSON");
    let count = |key: &str| {
        value
            .get(key)
            .and_then(|v| v.as_array())
            .map_or(0, Vec::len)
    };
    (count("objects"), count("edges"))
}

fn render(snapshot: &Snapshot, format: Format) -> String {
    let bytes = output::produce(snapshot, format, View::Architecture, Costing::bundled())
        .unwrap_or_else(|e| panic!("rendering {format:?} failed: {e:#}"));
    String::from_utf8(bytes).expect("text formats are UTF-8")
}

fn render_graph(graph: &Graph, format: Format) -> String {
    let bytes = output::produce_from_graph(graph, format, View::Architecture)
        .unwrap_or_else(|e| panic!("rendering {format:?} failed: {e:#}"));
    String::from_utf8(bytes).expect("text formats are UTF-8")
}

/// All text of an SVG document (character data and attribute values), unescaped.
fn svg_text(svg: &str) -> String {
    let mut reader = quick_xml::Reader::from_str(svg);
    let mut text = String::new();
    loop {
        match reader.read_event() {
            Ok(Event::Text(t)) => text.push_str(&t.xml_content().expect("text unescapes")),
            // quick-xml splits text around entity references; elements end it.
            Ok(Event::Start(_) | Event::End(_) | Event::Empty(_)) => text.push('\n'),
            Ok(Event::GeneralRef(r)) => {
                let name = String::from_utf8_lossy(&r).into_owned();
                let entity = format!("&{name};");
                text.push_str(&quick_xml::escape::unescape(&entity).expect("known entity"));
            }
            Ok(Event::Eof) => break,
            Ok(_) => {}
            Err(error) => panic!("the SVG is not well-formed XML: {error}"),
        }
    }
    text
}

/// The characters of `text` a reader sees, without spacing.
fn visible_characters(text: &str) -> String {
    text.chars()
        .filter(|&c| {
            !c.is_whitespace()
                && !strata::text::is_hidden_control(c)
                && !matches!(c, '\u{fffd}' | '\u{fffe}' | '\u{ffff}')
        })
        .collect()
}

/// SVG of the estate and of the direct graph, against their benign twins.
fn check_svg(names: &[String]) {
    let benign = benign_twin(names);
    let svg = render(&estate(names), Format::Svg);
    assert_svg_is_inert(&svg, &render(&estate(&benign), Format::Svg));
    // Nothing lost: every resource's name is shown, in a label or, when it
    // does not fit, in a tooltip. Drawings show control and bidi characters
    // as U+FFFD or not at all, and lines as spaces: compare what is visible.
    let shown = visible_characters(&svg_text(&svg));
    for slot in [0, 3, 4, 8, 9, 10] {
        let name = visible_characters(&names[slot]);
        if names[slot].chars().count() <= 64 {
            assert!(
                shown.contains(&name),
                "the SVG lost the name {:?}",
                names[slot]
            );
        }
    }
    assert_svg_is_inert(
        &render_graph(&direct_graph(names), Format::Svg),
        &render_graph(&direct_graph(&benign), Format::Svg),
    );
}

/// Graph JSON of the estate and of the direct graph.
fn check_json(names: &[String]) {
    let snapshot = estate(names);
    assert_json_keeps_every_string(&render(&snapshot, Format::Json), &graph::build(&snapshot));
    let graph = direct_graph(names);
    assert_json_keeps_every_string(&render_graph(&graph, Format::Json), &graph);
}

/// Graphviz accepts both forms of DOT and sees exactly the nodes, clusters
/// and edges of the benign twin: nothing injected, nothing lost.
fn check_dot(names: &[String]) {
    let benign = benign_twin(names);
    for (format, command) in [(Format::Dot, DOT), (Format::PositionedDot, NEATO)] {
        assert_eq!(
            graphviz_counts(command, &render(&estate(names), format)),
            graphviz_counts(command, &render(&estate(&benign), format)),
            "Graphviz sees another graph than the benign twin's ({format:?})"
        );
        assert_eq!(
            graphviz_counts(command, &render_graph(&direct_graph(names), format)),
            graphviz_counts(command, &render_graph(&direct_graph(&benign), format)),
            "Graphviz sees another graph than the benign twin's ({format:?})"
        );
    }
}

/// Every string value (not object key) in a JSON document.
fn string_values(value: &serde_json::Value) -> Vec<&str> {
    match value {
        serde_json::Value::String(text) => vec![text.as_str()],
        serde_json::Value::Array(items) => items.iter().flat_map(string_values).collect(),
        serde_json::Value::Object(fields) => fields.values().flat_map(string_values).collect(),
        _ => Vec::new(),
    }
}

/// Every payload at least once, in every slot, deterministically.
fn every_payload_sets() -> Vec<Vec<String>> {
    let long = format!("{}<script>alert(1)</script>", "W".repeat(3_000));
    let all: Vec<String> = PAYLOADS
        .iter()
        .map(|p| p.to_string())
        .chain([long, PAYLOADS.concat()])
        .collect();
    all.chunks(ESTATE_SLOTS)
        .map(|chunk| {
            let mut names = chunk.to_vec();
            names.resize(ESTATE_SLOTS, PAYLOADS.concat());
            names
        })
        .collect()
}

// ------------------------------------------------------------ rendering tests

#[test]
fn redacting_a_hostile_estate_keeps_its_graph_and_drops_every_payload() {
    use strata::redact::{redact, Key, Redactor};
    let key = Key::from_bytes([3; 32]);
    let redactor = Redactor::new(&key);
    for names in every_payload_sets() {
        let original = estate(&names);
        let redacted = redact(&original, &key);
        let (before, after) = (graph::build(&original), graph::build(&redacted));
        assert_eq!(
            redaction::shape(&after, None),
            redaction::shape(&before, Some(&redactor))
        );
        // Every user-typed string became a pseudonym: none is left in a
        // name, a tag value or an attribute of the snapshot. (Tag keys say
        // what a tag is, and stay: they are keys, not values.)
        let json: serde_json::Value =
            serde_json::from_str(&redacted.to_json()).expect("a snapshot is JSON");
        let values = string_values(&json);
        for payload in names.iter().filter(|name| name.chars().count() > 3) {
            let found = values.iter().find(|value| value.contains(payload.as_str()));
            assert!(found.is_none(), "{payload:?} survives in {found:?}");
        }
        for node in after.graph.node_weights() {
            assert!(
                !names.contains(&node.name),
                "{:?} keeps {:?}",
                node.id,
                node.name
            );
        }
        render(&redacted, Format::Svg);
    }
}

#[test]
fn every_payload_renders_inert_svg() {
    for names in every_payload_sets() {
        check_svg(&names);
    }
}

#[test]
fn every_payload_comes_back_from_graph_json() {
    for names in every_payload_sets() {
        check_json(&names);
    }
}

#[test]
fn every_payload_gives_dot_that_graphviz_reads_as_the_same_graph() {
    for names in every_payload_sets() {
        check_dot(&names);
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    #[test]
    fn hostile_names_render_inert_svg(names in hostile_names()) {
        check_svg(&names);
    }

    #[test]
    fn hostile_names_come_back_from_graph_json(names in hostile_names()) {
        check_json(&names);
    }
}

proptest! {
    // Each case runs Graphviz eight times: keep the slow tier bounded.
    #![proptest_config(ProptestConfig { cases: 12, ..ProptestConfig::default() })]

    #[test]
    fn hostile_names_give_dot_that_graphviz_reads_as_the_same_graph(names in hostile_names()) {
        check_dot(&names);
    }
}

// ------------------------------------------------------------ snapshot parsing

/// A failed parse explains itself in one line naming the file.
fn assert_one_line_error(bytes: &[u8]) -> Option<Snapshot> {
    match Snapshot::from_slice(bytes, "hostile.json") {
        Ok(snapshot) => Some(snapshot),
        Err(error) => {
            let message = error.to_string();
            assert!(
                !message.chars().any(char::is_control),
                "the error is not one plain line: {message:?}"
            );
            assert!(
                message.contains("hostile.json"),
                "the error does not name the file: {message:?}"
            );
            assert!(
                message.len() < 1_000,
                "the error is a wall of text: {} bytes",
                message.len()
            );
            None
        }
    }
}

/// A parsed snapshot writes back to JSON that parses to the same snapshot.
fn assert_round_trips(snapshot: &Snapshot) {
    let json = snapshot.to_json();
    let again = Snapshot::from_slice(json.as_bytes(), "round-trip.json")
        .unwrap_or_else(|e| panic!("a snapshot strata wrote does not read back: {e}"));
    assert_eq!(&again, snapshot);
}

/// Ways to damage a valid snapshot file.
#[derive(Debug, Clone)]
enum Damage {
    TruncateAt(usize),
    FlipByte(usize, u8),
    Insert(usize, Vec<u8>),
    DeleteRange(usize, usize),
    ReplaceToken(usize, &'static str),
}

fn damage() -> impl Strategy<Value = Vec<Damage>> {
    let one = prop_oneof![
        any::<usize>().prop_map(Damage::TruncateAt),
        (any::<usize>(), any::<u8>()).prop_map(|(at, byte)| Damage::FlipByte(at, byte)),
        (any::<usize>(), proptest::collection::vec(any::<u8>(), 1..8))
            .prop_map(|(at, bytes)| Damage::Insert(at, bytes)),
        (any::<usize>(), 1usize..64).prop_map(|(at, len)| Damage::DeleteRange(at, len)),
        (
            any::<usize>(),
            proptest::sample::select(vec![
                "null",
                "true",
                "-1",
                "1e999",
                "\"\"",
                "[]",
                "{}",
                "\"x\\u0000\"",
                "18446744073709551616",
                "\"strata.snapshot/v2\"",
                "\"\\ud800\"",
                "\"kind\":",
                ",",
                "\"\n\"",
            ])
        )
            .prop_map(|(at, token)| Damage::ReplaceToken(at, token)),
    ];
    proptest::collection::vec(one, 1..4)
}

fn apply(mut bytes: Vec<u8>, damages: &[Damage]) -> Vec<u8> {
    for damage in damages {
        let len = bytes.len().max(1);
        match damage {
            Damage::TruncateAt(at) => bytes.truncate(at % len),
            Damage::FlipByte(at, byte) => {
                if !bytes.is_empty() {
                    bytes[at % len] ^= byte;
                }
            }
            Damage::Insert(at, inserted) => {
                let at = at % (bytes.len() + 1);
                bytes.splice(at..at, inserted.iter().copied());
            }
            Damage::DeleteRange(at, count) => {
                let start = at % len.min(bytes.len() + 1);
                let end = (start + count).min(bytes.len());
                bytes.drain(start.min(end)..end);
            }
            Damage::ReplaceToken(at, token) => {
                // Replace the JSON value that starts after the `at`-th colon.
                let colons: Vec<usize> = bytes
                    .iter()
                    .enumerate()
                    .filter(|(_, b)| **b == b':')
                    .map(|(i, _)| i)
                    .collect();
                if let Some(&colon) = colons.get(at % colons.len().max(1)) {
                    let end = bytes[colon..]
                        .iter()
                        .position(|b| matches!(b, b',' | b'}' | b']'))
                        .map_or(bytes.len(), |p| colon + p);
                    bytes.splice(colon + 1..end, token.bytes());
                }
            }
        }
    }
    bytes
}

#[test]
fn broken_files_are_refused_in_one_line() {
    let valid = estate(&benign_twin(&vec!["name".to_string(); ESTATE_SLOTS])).to_json();
    let truncated = &valid.as_bytes()[..valid.len() / 2];
    let future = valid.replace(SCHEMA, "strata.snapshot/v2");
    let wrong_schema = valid.replace(SCHEMA, "strata.graph/v1");
    let cases: [(&[u8], &str); 11] = [
        (b"", "is empty"),
        (b"   \n\t ", "is empty"),
        (truncated, "ends early"),
        (b"\x89PNG\r\n\x1a\n\x00\x00", "not JSON"),
        (future.as_bytes(), "another strata version"),
        (wrong_schema.as_bytes(), "not a strata snapshot"),
        (b"[1, 2, 3]", "no \"schema\" field"),
        (br#"{"schema": 7}"#, "no \"schema\" field"),
        (br#"{"schema": "strata.snapshot/v1", "scan": {}, "resources": [{"kind": "vpc"}]}"#, "hostile.json"),
        // serde quotes unknown names verbatim: an escaped newline in a key
        // must not split the message.
        (br#"{"schema": "strata.snapshot/v1", "scan": {}, "resources": [], "a\nb\u001b[31m": 1}"#, "unknown field"),
        (br#"{"schema": "strata.snapshot/v1", "scan": {}, "resources": [{"kind": "x\ny"}]}"#, "hostile.json"),
    ];
    for (bytes, expected) in cases {
        let message = Snapshot::from_slice(bytes, "hostile.json")
            .expect_err("a broken file must be refused")
            .to_string();
        assert!(message.contains(expected), "{message:?} lacks {expected:?}");
        assert_one_line_error(bytes);
    }
}

#[test]
fn hostile_strings_survive_the_snapshot_round_trip() {
    for names in every_payload_sets() {
        let snapshot = estate(&names);
        assert_round_trips(&snapshot);
        // JSON escapes control characters; none may reach the file raw.
        let json = snapshot.to_json();
        assert!(
            !json.chars().any(|c| c < ' ' && c != '\n'),
            "a raw control character in the snapshot JSON"
        );
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_bytes_never_panic_the_parser(bytes in proptest::collection::vec(any::<u8>(), 0..512)) {
        if let Some(snapshot) = assert_one_line_error(&bytes) {
            assert_round_trips(&snapshot);
        }
    }

    #[test]
    fn damaged_snapshots_are_read_or_refused_in_one_line(
        names in hostile_names(),
        damages in damage(),
    ) {
        let valid = estate(&names).to_json().into_bytes();
        if let Some(snapshot) = assert_one_line_error(&apply(valid, &damages)) {
            assert_round_trips(&snapshot);
        }
    }

    #[test]
    fn hostile_snapshots_round_trip_exactly(names in hostile_names()) {
        assert_round_trips(&estate(&names));
    }
}
