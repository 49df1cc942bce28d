//! A generated estate of a few thousand resources: the result is exact at
//! that size too (speed is measured by the benches, not asserted here).

use crate::render::testing::kind;
use std::collections::BTreeMap;

use serde_json::json;

use super::*;
use crate::graph::{EdgeKind, NodeKind};

const VPCS: usize = 15;
const SERVICES_PER_VPC: usize = 10;

/// Per VPC: web, app and db subnets in two zones; per service: a load
/// balancer, 4 web and 4 app instances (each with a volume), a database, a
/// target group, and the security-group chain internet → lb → web → app → db,
/// plus an SSH rule on the db from the app subnet of zone a (shared by every
/// service of the VPC, which exercises the CIDR index).
fn estate() -> Estate {
    let mut estate = Estate::new();
    for v in 0..VPCS {
        let vpc = format!("vpc-{v}");
        let zones = ["eu-west-1a", "eu-west-1b"];
        estate = estate.vpc(&vpc, &format!("10.{v}.0.0/16"));
        for (tier, base) in [("web", 1), ("app", 11), ("db", 21)] {
            for (z, zone) in zones.iter().enumerate() {
                estate = estate.subnet(
                    &format!("subnet-{v}-{tier}-{z}"),
                    &vpc,
                    &format!("10.{v}.{}.0/24", base + z),
                    zone,
                );
            }
        }
        for j in 0..SERVICES_PER_VPC {
            let s = format!("{v}-{j}");
            let lb = format!(
                "arn:aws:elasticloadbalancing:eu-west-1:111111111111:loadbalancer/app/lb-{s}/1"
            );
            let tg =
                format!("arn:aws:elasticloadbalancing:eu-west-1:111111111111:targetgroup/tg-{s}/1");
            estate = estate
                .add("load-balancer", &lb, json!({"lb_type": "application", "state": "active", "vpc_id": vpc,
                    "security_group_ids": [format!("sg-lb-{s}")], "availability_zones": [
                        {"zone_name": zones[0], "subnet_id": format!("subnet-{v}-web-0")},
                        {"zone_name": zones[1], "subnet_id": format!("subnet-{v}-web-1")}]}))
                .add("listener", &format!("{lb}/https"), json!({"load_balancer_arn": lb, "protocol": "HTTPS", "port": 443,
                    "default_actions": [{"action_type": "forward", "target_group_arns": [tg]}]}))
                .group(&format!("sg-lb-{s}"), &vpc, json!([rule("tcp", Some((443, 443)), from_cidr("0.0.0.0/0"))]))
                .group(&format!("sg-web-{s}"), &vpc, json!([rule("tcp", Some((80, 80)), from_group(&format!("sg-lb-{s}")))]))
                .group(&format!("sg-app-{s}"), &vpc, json!([rule("tcp", Some((8080, 8080)), from_group(&format!("sg-web-{s}")))]))
                .group(&format!("sg-db-{s}"), &vpc, json!([
                    rule("tcp", Some((5432, 5432)), from_group(&format!("sg-app-{s}"))),
                    rule("tcp", Some((22, 22)), from_cidr(&format!("10.{v}.11.0/24"))),
                ]))
                .add("rds-instance", &format!("db-{s}"), json!({"db_instance_class": "db.t3.micro", "engine": "postgres",
                    "status": "available", "vpc_id": vpc, "security_group_ids": [format!("sg-db-{s}")]}));
            let mut targets = Vec::new();
            for (tier, base) in [("web", 1), ("app", 11)] {
                for k in 0..4 {
                    let z = k % 2;
                    let id = format!("i-{tier}-{s}-{k}");
                    let ip = format!("10.{v}.{}.{}", base + z, j * 10 + k + 4);
                    let subnet = format!("subnet-{v}-{tier}-{z}");
                    estate = estate.instance(&id, &subnet, &ip, &[&format!("sg-{tier}-{s}")]).add(
                        "ebs-volume",
                        &format!("vol-{tier}-{s}-{k}"),
                        json!({"size_gib": 8, "volume_type": "gp3", "state": "in-use", "availability_zone": zones[z],
                            "attachments": [{"instance_id": id, "device": "/dev/xvda", "state": "attached", "delete_on_termination": true}]}),
                    );
                    if tier == "web" {
                        targets.push(json!({"id": id, "port": 80, "health": "healthy"}));
                    }
                }
            }
            estate = estate.add(
                "target-group",
                &tg,
                json!({"name": format!("tg-{s}"), "protocol": "HTTP", "port": 80,
                "target_type": "instance", "vpc_id": vpc, "targets": targets}),
            );
        }
    }
    estate
}

#[test]
fn a_few_thousand_resources_give_the_exact_graph() {
    let snapshot = estate().snapshot();
    assert!(
        snapshot.resources.len() > 3000,
        "{} resources",
        snapshot.resources.len()
    );
    let graph = build(&snapshot);
    let services = VPCS * SERVICES_PER_VPC;

    let mut nodes: BTreeMap<NodeKind, usize> = BTreeMap::new();
    for node in graph.nodes() {
        *nodes.entry(node.kind).or_default() += 1;
    }
    let expected_nodes = BTreeMap::from([
        (NodeKind::Account, 1),
        (NodeKind::Region, 1),
        (NodeKind::VPC, VPCS),
        (NodeKind::AVAILABILITY_ZONE, VPCS * 2),
        (NodeKind::SUBNET, VPCS * 6),
        (NodeKind::Internet, 1),
        (kind("ec2-instance"), services * 8),
        (kind("ebs-volume"), services * 8),
        (kind("security-group"), services * 4),
        (kind("load-balancer"), services),
        (kind("target-group"), services),
        (kind("rds-instance"), services),
    ]);
    assert_eq!(nodes, expected_nodes);

    let mut edge_counts: BTreeMap<EdgeKind, usize> = BTreeMap::new();
    for (_, _, edge) in graph.edges() {
        *edge_counts.entry(edge.kind).or_default() += 1;
    }
    // allows per service: internet → lb, lb → 4 web, 4 web → 4 app, 4 app →
    // db (5432), and every zone-a app instance of the VPC → db (22), two of
    // which are the service's own and merge with its 5432 edges.
    let allows_per_service = 1 + 4 + 16 + 4 + (2 * SERVICES_PER_VPC - 2);
    let expected_edges = BTreeMap::from([
        (EdgeKind::Forwards, services),
        (EdgeKind::Targets, services * 4),
        (EdgeKind::Allows, services * allows_per_service),
        (EdgeKind::Attaches, services * 8),
    ]);
    assert_eq!(edge_counts, expected_edges);

    let into_db: BTreeSet<EdgeTuple> = edges(&graph, &[EdgeKind::Allows])
        .into_iter()
        .filter(|(_, to, _, _)| to == "db-7-3")
        .collect();
    let mut expected = vec![
        ("i-app-7-3-0".to_string(), "tcp/22, tcp/5432"),
        ("i-app-7-3-1".to_string(), "tcp/5432"),
        ("i-app-7-3-2".to_string(), "tcp/22, tcp/5432"),
        ("i-app-7-3-3".to_string(), "tcp/5432"),
    ];
    for j in (0..SERVICES_PER_VPC).filter(|j| *j != 3) {
        expected.push((format!("i-app-7-{j}-0"), "tcp/22"));
        expected.push((format!("i-app-7-{j}-2"), "tcp/22"));
    }
    let expected: BTreeSet<EdgeTuple> = expected
        .into_iter()
        .map(|(from, label)| {
            (
                from,
                "db-7-3".to_string(),
                "allows".to_string(),
                label.to_string(),
            )
        })
        .collect();
    assert_eq!(into_db, expected);
}
