//! The comparison and every exposure rule, on small graphs written by hand.

use std::collections::BTreeMap;

use rust_decimal::Decimal;
use serde_json::{json, Value};

use super::exposure::{Rule, FLAGS};
use super::*;
use crate::graph::costs::{Costs, Estimate};

fn node(id: &str, kind: &str, name: &str, attrs: Value) -> Node {
    let Value::Object(attrs) = attrs else {
        panic!("attrs must be an object");
    };
    Node {
        id: id.to_string(),
        kind: NodeKind::parse(kind).expect("a known kind"),
        name: name.to_string(),
        parent: None,
        account: None,
        region: None,
        resource_id: None,
        arn: None,
        status: None,
        attrs: attrs.into_iter().collect(),
        drawing: Default::default(),
    }
}

fn graph(nodes: Vec<Node>, edges: &[(&str, &str, EdgeKind, &str)]) -> Graph {
    let mut graph = Graph::default();
    for node in nodes {
        graph.add_node(node);
    }
    for &(from, to, kind, label) in edges {
        let (from, to) = (graph.index[from], graph.index[to]);
        graph.graph.add_edge(
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
    }
    graph
}

fn web(attrs: Value) -> Node {
    node("ec2-instance:1:r:i-1", "ec2-instance", "web", attrs)
}

fn rules(diff: &Diff) -> Vec<(&'static str, &str, &str)> {
    diff.exposures
        .iter()
        .map(|e| (e.rule.as_str(), e.node.as_str(), e.detail.as_str()))
        .collect()
}

#[test]
fn identical_graphs_have_no_changes() {
    let make = || {
        graph(
            vec![
                node("internet", "internet", "Internet", json!({})),
                web(json!({"state": "running"})),
            ],
            &[(
                "internet",
                "ec2-instance:1:r:i-1",
                EdgeKind::Allows,
                "tcp/443",
            )],
        )
    };
    let diff = compare(&make(), &make());
    assert!(diff.is_empty());
    assert_eq!(diff, Diff::default());
}

#[test]
fn nodes_are_added_removed_and_changed_key_by_key() {
    let mut stopped = web(json!({
        "state": "stopped",
        "tags": {"env": "test", "team": "a"},
        "security_group_ids": ["sg-1", "sg-2"],
    }));
    stopped.status = Some("stopped".to_string());
    let mut running = web(json!({
        "state": "running",
        "tags": {"env": "prod", "owner": "b"},
        "security_group_ids": ["sg-1"],
    }));
    running.status = Some("running".to_string());
    let old = graph(
        vec![
            running,
            node("subnet:1:r:subnet-1", "subnet", "a", json!({})),
        ],
        &[],
    );
    let new = graph(
        vec![stopped, node("vpc:1:r:vpc-1", "vpc", "shop", json!({}))],
        &[],
    );
    let diff = compare(&old, &new);
    let ids = |nodes: &[NodeSummary]| nodes.iter().map(|n| n.id.clone()).collect::<Vec<_>>();
    assert_eq!(ids(&diff.added), ["vpc:1:r:vpc-1"]);
    assert_eq!(ids(&diff.removed), ["subnet:1:r:subnet-1"]);
    assert!(diff.replaced.is_empty());
    assert_eq!(diff.changed.len(), 1);
    let changes: Vec<(&str, Option<&Value>, Option<&Value>)> = diff.changed[0]
        .changes
        .iter()
        .map(|c| (c.key.as_str(), c.old.as_ref(), c.new.as_ref()))
        .collect();
    assert_eq!(
        changes,
        [
            (
                "security_group_ids",
                Some(&json!(["sg-1"])),
                Some(&json!(["sg-1", "sg-2"]))
            ),
            ("state", Some(&json!("running")), Some(&json!("stopped"))),
            ("status", Some(&json!("running")), Some(&json!("stopped"))),
            ("tags.env", Some(&json!("prod")), Some(&json!("test"))),
            ("tags.owner", Some(&json!("b")), None),
            ("tags.team", None, Some(&json!("a"))),
        ]
    );
    assert!(diff.exposures.is_empty());
}

#[test]
fn a_recreated_resource_is_a_removal_an_addition_and_a_replacement() {
    let old = graph(vec![web(json!({}))], &[]);
    let new = graph(
        vec![node(
            "ec2-instance:1:r:i-2",
            "ec2-instance",
            "web",
            json!({}),
        )],
        &[],
    );
    let diff = compare(&old, &new);
    assert_eq!(
        diff.replaced,
        [Replacement {
            kind: NodeKind::parse("ec2-instance").unwrap(),
            name: "web".to_string(),
            removed: "ec2-instance:1:r:i-1".to_string(),
            added: "ec2-instance:1:r:i-2".to_string(),
        }]
    );
    assert_eq!(diff.added.len(), 1);
    assert_eq!(diff.removed.len(), 1);
}

#[test]
fn edges_are_added_removed_and_relabelled() {
    let nodes = || {
        vec![
            node("a", "vpc", "a", json!({})),
            node("b", "vpc", "b", json!({})),
            node("c", "vpc", "c", json!({})),
        ]
    };
    let old = graph(
        nodes(),
        &[
            ("a", "b", EdgeKind::Peers, "pcx-1"),
            ("a", "c", EdgeKind::Peers, "pcx-2"),
        ],
    );
    let new = graph(
        nodes(),
        &[
            ("a", "b", EdgeKind::Peers, "pcx-3"),
            ("b", "c", EdgeKind::Peers, "pcx-4"),
        ],
    );
    let diff = compare(&old, &new);
    let edge = |from: &str, to: &str, label: &str| EdgeSummary {
        from: from.to_string(),
        to: to.to_string(),
        kind: EdgeKind::Peers,
        label: label.to_string(),
    };
    assert_eq!(diff.edges_added, [edge("b", "c", "pcx-4")]);
    assert_eq!(diff.edges_removed, [edge("a", "c", "pcx-2")]);
    assert_eq!(
        diff.edges_relabelled,
        [Relabel {
            from: "a".to_string(),
            to: "b".to_string(),
            kind: EdgeKind::Peers,
            old_label: "pcx-1".to_string(),
            new_label: "pcx-3".to_string(),
        }]
    );
    assert!(diff.exposures.is_empty());
}

#[test]
fn a_new_path_from_the_internet_is_exposure() {
    let nodes = || {
        vec![
            node("internet", "internet", "Internet", json!({})),
            node("cidr:10.0.0.0/8", "cidr", "10.0.0.0/8", json!({})),
            web(json!({})),
        ]
    };
    let old = graph(nodes(), &[]);
    let to = "ec2-instance:1:r:i-1";
    let new = graph(
        nodes(),
        &[
            ("internet", to, EdgeKind::Allows, "tcp/22"),
            ("cidr:10.0.0.0/8", to, EdgeKind::Allows, "tcp/5432"),
        ],
    );
    let diff = compare(&old, &new);
    assert_eq!(
        rules(&diff),
        [("internet-path", to, "open to the Internet on tcp/22")]
    );
    assert_eq!(diff.exposures[0].rule, Rule::InternetPath);
    assert_eq!(diff.exposures[0].name, "web");
}

#[test]
fn a_widened_port_range_from_the_internet_is_exposure() {
    let nodes = || {
        vec![
            node("internet", "internet", "Internet", json!({})),
            node("cidr:10.0.0.0/8", "cidr", "10.0.0.0/8", json!({})),
            web(json!({})),
        ]
    };
    let to = "ec2-instance:1:r:i-1";
    let old = graph(
        nodes(),
        &[
            ("internet", to, EdgeKind::Allows, "tcp/443"),
            ("cidr:10.0.0.0/8", to, EdgeKind::Allows, "tcp/443"),
        ],
    );
    let new = graph(
        nodes(),
        &[
            ("internet", to, EdgeKind::Allows, "tcp/0-65535"),
            ("cidr:10.0.0.0/8", to, EdgeKind::Allows, "tcp/0-65535"),
        ],
    );
    let diff = compare(&old, &new);
    assert_eq!(
        rules(&diff),
        [(
            "widened-ports",
            to,
            "ports open to the Internet widened: tcp/443 → tcp/0-65535"
        )]
    );
    // Narrowing is a relabelling, not exposure.
    let diff = compare(&new, &old);
    assert_eq!(diff.edges_relabelled.len(), 2);
    assert!(diff.exposures.is_empty());
}

/// Each flag, on a changed node and on an added one.
#[test]
fn every_flag_is_exposure_when_its_attribute_turns_risky() {
    let cases = [
        (
            "public-load-balancer",
            "load-balancer",
            json!("internal"),
            json!("internet-facing"),
        ),
        ("public-database", "rds-instance", json!(false), json!(true)),
        (
            "storage-encryption-removed",
            "rds-instance",
            json!(true),
            json!(false),
        ),
        (
            "volume-encryption-removed",
            "ebs-volume",
            json!(true),
            json!(false),
        ),
        (
            "at-rest-encryption-removed",
            "elasticache-cluster",
            json!(true),
            json!(false),
        ),
        (
            "transit-encryption-removed",
            "elasticache-cluster",
            json!(true),
            json!(false),
        ),
    ];
    assert_eq!(
        cases.iter().map(|case| case.0).collect::<Vec<_>>(),
        FLAGS.iter().map(|flag| flag.rule).collect::<Vec<_>>(),
        "one case per flag"
    );
    for (flag, (rule, kind, safe, risky)) in FLAGS.iter().zip(cases) {
        let id = format!("{kind}:1:r:x");
        let one =
            |value: &Value| graph(vec![node(&id, kind, "x", json!({ flag.attr: value }))], &[]);
        let diff = compare(&one(&safe), &one(&risky));
        let detail = format!(
            "{}: {} = {}",
            flag.says,
            flag.attr,
            risky.as_str().map_or(risky.to_string(), str::to_string)
        );
        assert_eq!(
            rules(&diff),
            [(rule, id.as_str(), detail.as_str())],
            "{rule}"
        );
        assert!(
            compare(&one(&risky), &one(&safe)).exposures.is_empty(),
            "{rule}"
        );
        assert!(
            compare(&one(&risky), &one(&risky)).exposures.is_empty(),
            "{rule}"
        );

        let added = compare(&Graph::default(), &one(&risky));
        let expected: Vec<(&str, &str, String)> = if flag.on_added {
            vec![(rule, id.as_str(), format!("new: {detail}"))]
        } else {
            Vec::new()
        };
        let found: Vec<(&str, &str, String)> = rules(&added)
            .into_iter()
            .map(|(rule, node, detail)| (rule, node, detail.to_string()))
            .collect();
        assert_eq!(found, expected, "{rule} on an added node");
    }
}

fn priced(mut graph: Graph, amounts: &[(&str, Option<i64>)], total: i64) -> Graph {
    let estimate = |amount: Option<i64>| Estimate {
        amount: amount.map(|cents| Decimal::new(cents, 3)),
        period: "month",
        hours: 730,
        currency: "USD",
        charges: Vec::new(),
        usage: Vec::new(),
        unpriced: Vec::new(),
        notes: Vec::new(),
    };
    graph.costs = Some(Costs {
        prices: "bundled".to_string(),
        total: Figure {
            amount: Decimal::new(total, 3),
            priced: amounts.iter().filter(|(_, a)| a.is_some()).count(),
            unpriced: amounts.iter().filter(|(_, a)| a.is_none()).count(),
        },
        estimates: amounts
            .iter()
            .map(|&(id, amount)| (id.to_string(), estimate(amount)))
            .collect(),
        ..Costs::default()
    });
    graph
}

#[test]
fn cost_deltas_are_exact_per_resource_and_in_total() {
    let nodes = || {
        vec![
            node("a", "ec2-instance", "a", json!({})),
            node("b", "ec2-instance", "b", json!({})),
            node("c", "nat-gateway", "c", json!({})),
        ]
    };
    let old = priced(
        graph(nodes(), &[]),
        &[("a", Some(8_322)), ("b", Some(70_080)), ("c", Some(32_850))],
        111_252,
    );
    let new = priced(
        graph(nodes(), &[]),
        &[("a", Some(8_322)), ("c", None)],
        8_322,
    );
    let diff = compare(&old, &new);
    let cost = diff.cost.expect("both priced");
    let deltas: Vec<(&str, Amount, Amount, Option<Decimal>)> = cost
        .resources
        .iter()
        .map(|c| (c.id.as_str(), c.old, c.new, c.delta()))
        .collect();
    assert_eq!(
        deltas,
        [
            (
                "b",
                Amount::Usd(Decimal::new(70_080, 3)),
                Amount::Absent,
                Some(Decimal::new(-7008, 2))
            ),
            (
                "c",
                Amount::Usd(Decimal::new(32_850, 3)),
                Amount::NoPrice,
                None
            ),
        ]
    );
    assert_eq!(cost.total.delta(), Decimal::new(-10_293, 2));
    assert_eq!(cost.total.new.unpriced, 1);
}

#[test]
fn names_and_ids_from_the_scan_cannot_drive_a_terminal() {
    let hostile = "i-1\u{1b}[2J\u{202e}";
    let new = graph(
        vec![node(hostile, "ec2-instance", "web\nrm -rf", json!({}))],
        &[],
    );
    let diff = compare(&Graph::default(), &new);
    let text = report::render(&diff, report::DiffFormat::Text);
    assert_eq!(
        text,
        "added (1):\n  + i-1\u{fffd}[2J\u{fffd} (ec2-instance web\u{fffd}rm -rf)\n"
    );
    let markdown = report::render(&diff, report::DiffFormat::Markdown);
    assert!(
        !markdown.contains('\u{1b}') && !markdown.contains('\u{202e}'),
        "{markdown}"
    );
}
