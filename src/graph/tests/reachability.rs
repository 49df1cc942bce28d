//! `allows` edges from security-group ingress rules.

use serde_json::json;

use super::*;
use crate::graph::{EdgeKind, NodeKind};

fn allows(graph: &Graph) -> BTreeSet<EdgeTuple> {
    edges(graph, &[EdgeKind::Allows])
}

#[test]
fn a_group_reference_connects_the_members_of_both_groups() {
    let graph = base()
        .instance("i-app1", "subnet-a", "10.0.1.10", &["sg-app"])
        .instance("i-app2", "subnet-b", "10.0.2.10", &["sg-app"])
        .add(
            "rds-instance",
            "ledger",
            json!({"db_instance_class": "db.t3.micro", "engine": "postgres",
            "status": "available", "vpc_id": "vpc-1", "security_group_ids": ["sg-db"]}),
        )
        .group("sg-app", "vpc-1", json!([]))
        .group(
            "sg-db",
            "vpc-1",
            json!([{
            "protocol": "tcp", "from_port": 5432, "to_port": 5432, "rule_id": "sgr-1",
            "peer": {"type": "group", "group_id": "sg-app"}}]),
        )
        .graph();
    assert_eq!(
        allows(&graph),
        set(&[
            ("i-app1", "ledger", "allows", "tcp/5432"),
            ("i-app2", "ledger", "allows", "tcp/5432")
        ])
    );
    assert_eq!(
        edge(&graph, "i-app1", "ledger", EdgeKind::Allows).evidence,
        ["sgr-1"]
    );
}

#[test]
fn a_self_referencing_group_links_its_members_but_not_to_themselves() {
    let graph = base()
        .instance("i-1", "subnet-a", "10.0.1.10", &["sg-cluster"])
        .instance("i-2", "subnet-a", "10.0.1.11", &["sg-cluster"])
        .instance("i-3", "subnet-b", "10.0.2.10", &["sg-cluster"])
        .group(
            "sg-cluster",
            "vpc-1",
            json!([rule("tcp", Some((7000, 7001)), from_group("sg-cluster"))]),
        )
        .graph();
    let mut expected = Vec::new();
    for a in ["i-1", "i-2", "i-3"] {
        for b in ["i-1", "i-2", "i-3"] {
            if a != b {
                expected.push((a, b, "allows", "tcp/7000-7001"));
            }
        }
    }
    assert_eq!(allows(&graph), set(&expected));
    assert_eq!(
        edge(&graph, "i-1", "i-2", EdgeKind::Allows).evidence,
        ["sg-cluster:ingress:tcp/7000-7001:sg-cluster"]
    );
}

#[test]
fn a_group_in_a_peered_vpc_of_another_account_is_a_source() {
    let other = "222222222222";
    let graph = base()
        .instance("i-db", "subnet-a", "10.0.1.10", &["sg-db"])
        .group("sg-db", "vpc-1", json!([rule("tcp", Some((5432, 5432)), json!({
            "type": "group", "group_id": "sg-remote", "account": other, "vpc_id": "vpc-2",
            "vpc_peering_connection_id": "pcx-1"}))]))
        .add("vpc-peering-connection", "pcx-1", json!({"status": "active",
            "requester": {"account": ACCOUNT, "region": REGION, "vpc_id": "vpc-1", "cidr_blocks": ["10.0.0.0/16"]},
            "accepter": {"account": other, "region": REGION, "vpc_id": "vpc-2", "cidr_blocks": ["10.1.0.0/16"]}}))
        .at(other, REGION)
        .vpc("vpc-2", "10.1.0.0/16")
        .subnet("subnet-r", "vpc-2", "10.1.1.0/24", "eu-west-1a")
        .instance("i-remote", "subnet-r", "10.1.1.10", &["sg-remote"])
        .group("sg-remote", "vpc-2", json!([]))
        .graph();
    assert_eq!(
        allows(&graph),
        set(&[(
            "ec2-instance:222222222222:eu-west-1:i-remote",
            "i-db",
            "allows",
            "tcp/5432"
        )])
    );
}

#[test]
fn a_cidr_rule_reaches_what_holds_ips_in_the_range() {
    // 10.0.1.0/24 is subnet-a: the instances there, not the one in subnet-b,
    // and no outside node since the range is inside the VPC.
    let graph = base()
        .instance("i-a1", "subnet-a", "10.0.1.10", &[])
        .instance("i-a2", "subnet-a", "10.0.1.11", &[])
        .instance("i-b", "subnet-b", "10.0.2.10", &[])
        .instance("i-db", "subnet-b", "10.0.2.20", &["sg-db"])
        .group(
            "sg-db",
            "vpc-1",
            json!([rule("tcp", Some((5432, 5432)), from_cidr("10.0.1.0/24"))]),
        )
        .graph();
    assert_eq!(
        allows(&graph),
        set(&[
            ("i-a1", "i-db", "allows", "tcp/5432"),
            ("i-a2", "i-db", "allows", "tcp/5432")
        ])
    );
    assert!(graph.nodes().iter().all(|n| n.kind != NodeKind::Cidr));
}

#[test]
fn cidr_rules_do_not_reach_unconnected_vpcs_with_the_same_addresses() {
    let graph = base()
        .instance("i-db", "subnet-a", "10.0.1.20", &["sg-db"])
        .group(
            "sg-db",
            "vpc-1",
            json!([rule("tcp", Some((5432, 5432)), from_cidr("10.5.0.0/16"))]),
        )
        // Another VPC (no peering) using the same private range.
        .vpc("vpc-lonely", "10.5.0.0/16")
        .subnet("subnet-l", "vpc-lonely", "10.5.1.0/24", "eu-west-1a")
        .instance("i-lonely", "subnet-l", "10.5.1.10", &[])
        .graph();
    assert_eq!(
        allows(&graph),
        set(&[("cidr:10.5.0.0/16", "i-db", "allows", "tcp/5432")])
    );
}

#[test]
fn the_whole_internet_is_one_node_and_other_ranges_are_cidr_nodes() {
    let graph = base()
        .instance("i-web", "subnet-a", "10.0.1.10", &["sg-web"])
        .instance("i-app", "subnet-b", "10.0.2.10", &[])
        .group(
            "sg-web",
            "vpc-1",
            json!([
                rule("tcp", Some((443, 443)), from_cidr("0.0.0.0/0")),
                rule("tcp", Some((443, 443)), from_cidr("::/0")),
                rule("tcp", Some((22, 22)), from_cidr("203.0.113.0/24")),
                // Wider than the VPC: the resources inside it and the outside range.
                rule("tcp", Some((8080, 8080)), from_cidr("10.0.0.0/8")),
                rule(
                    "tcp",
                    Some((9000, 9000)),
                    json!({"type": "prefix-list", "prefix_list_id": "pl-0abc"})
                ),
            ]),
        )
        .graph();
    assert_eq!(
        allows(&graph),
        set(&[
            ("internet", "i-web", "allows", "tcp/443"),
            ("cidr:203.0.113.0/24", "i-web", "allows", "tcp/22"),
            ("cidr:10.0.0.0/8", "i-web", "allows", "tcp/8080"),
            ("i-app", "i-web", "allows", "tcp/8080"),
            ("cidr:pl-0abc", "i-web", "allows", "tcp/9000"),
        ])
    );
    let internet = graph.node("internet").unwrap();
    assert_eq!(
        (
            internet.kind,
            internet.parent.as_deref(),
            internet.name.as_str()
        ),
        (NodeKind::Internet, None, "Internet")
    );
    let range = graph.node("cidr:203.0.113.0/24").unwrap();
    assert_eq!(
        (range.kind, range.name.as_str()),
        (NodeKind::Cidr, "203.0.113.0/24")
    );
    assert_eq!(
        graph.node("cidr:pl-0abc").unwrap().attrs["prefix_list_id"],
        json!("pl-0abc")
    );
    assert_eq!(
        edge(&graph, "internet", "i-web", EdgeKind::Allows).evidence,
        [
            "sg-web:ingress:tcp/443:0.0.0.0/0",
            "sg-web:ingress:tcp/443:::/0"
        ]
    );
}

#[test]
fn labels_name_protocols_and_port_ranges_and_merge() {
    let graph = base()
        .instance("i-src", "subnet-a", "10.0.1.10", &["sg-src"])
        .instance("i-dst", "subnet-b", "10.0.2.10", &["sg-dst"])
        .group("sg-src", "vpc-1", json!([]))
        .group(
            "sg-dst",
            "vpc-1",
            json!([
                rule("-1", None, from_group("sg-src")),
                rule("tcp", Some((8000, 8080)), from_group("sg-src")),
                rule("6", Some((443, 443)), from_group("sg-src")),
                rule("udp", Some((53, 53)), from_group("sg-src")),
                rule("icmp", Some((8, -1)), from_group("sg-src")),
                rule("icmp", Some((-1, -1)), from_group("sg-src")),
                rule("tcp", Some((0, 65535)), from_group("sg-src")),
            ]),
        )
        .graph();
    assert_eq!(
        allows(&graph),
        set(&[(
            "i-src",
            "i-dst",
            "allows",
            "all, icmp/8, icmp/all, tcp/0-65535, tcp/443, tcp/8000-8080, udp/53"
        )])
    );
    assert_eq!(
        edge(&graph, "i-src", "i-dst", EdgeKind::Allows)
            .evidence
            .len(),
        7
    );
}

#[test]
fn an_instance_whose_groups_are_only_on_its_interface_is_a_member() {
    let graph = base()
        .instance("i-1", "subnet-a", "10.0.1.10", &[])
        .add("network-interface", "eni-1", json!({"vpc_id": "vpc-1", "subnet_id": "subnet-a",
            "availability_zone": "eu-west-1a", "interface_type": "interface", "status": "in-use",
            "private_ips": ["10.0.1.10", "10.0.1.99"], "security_group_ids": ["sg-web"], "attached_instance_id": "i-1"}))
        .instance("i-2", "subnet-b", "10.0.2.10", &[])
        .group("sg-web", "vpc-1", json!([rule("tcp", Some((80, 80)), from_cidr("0.0.0.0/0"))]))
        .group("sg-db", "vpc-1", json!([rule("tcp", Some((5432, 5432)), from_cidr("10.0.1.99/32"))]))
        .add("rds-instance", "db", json!({"db_instance_class": "db.t3.micro", "engine": "postgres",
            "status": "available", "vpc_id": "vpc-1", "security_group_ids": ["sg-db"]}))
        .graph();
    // One edge to the instance, none to its interface (which is not a node);
    // the interface's secondary IP is the instance's.
    assert_eq!(
        allows(&graph),
        set(&[
            ("internet", "i-1", "allows", "tcp/80"),
            ("i-1", "db", "allows", "tcp/5432")
        ])
    );
    assert!(graph.node(&full("network-interface", "eni-1")).is_none());
}

#[test]
fn load_balancers_interfaces_and_aurora_clusters_are_members() {
    let lb = "arn:aws:elasticloadbalancing:eu-west-1:111111111111:loadbalancer/app/web/1a2b";
    let graph = base()
        .add("load-balancer", lb, json!({"lb_type": "application", "state": "active", "vpc_id": "vpc-1",
            "security_group_ids": ["sg-lb"], "availability_zones": []}))
        .add("network-interface", "eni-lambda", json!({"vpc_id": "vpc-1", "subnet_id": "subnet-b",
            "availability_zone": "eu-west-1b", "interface_type": "lambda", "status": "in-use",
            "private_ips": ["10.0.2.50"], "security_group_ids": ["sg-fn"]}))
        .add("rds-cluster", "orders", json!({"engine": "aurora-postgresql", "status": "available", "vpc_id": "vpc-1",
            "security_group_ids": ["sg-db"], "members": [{"db_instance_identifier": "orders-1", "is_writer": true}]}))
        .add("rds-instance", "orders-1", json!({"db_instance_class": "db.r6g.large", "engine": "aurora-postgresql",
            "status": "available", "vpc_id": "vpc-1", "security_group_ids": ["sg-db"], "cluster_identifier": "orders"}))
        .group("sg-lb", "vpc-1", json!([]))
        .group("sg-fn", "vpc-1", json!([rule("tcp", Some((443, 443)), from_group("sg-lb"))]))
        .group("sg-db", "vpc-1", json!([rule("tcp", Some((5432, 5432)), from_group("sg-fn"))]))
        .graph();
    assert_eq!(
        allows(&graph),
        set(&[
            ("app/web/1a2b", "eni-lambda", "allows", "tcp/443"),
            ("eni-lambda", "orders", "allows", "tcp/5432"),
        ])
    );
}

#[test]
fn cidr_rules_reach_vpcs_joined_by_a_transit_gateway() {
    let attach = |vpc: &str| json!({"transit_gateway_id": "tgw-1", "resource_type": "vpc", "resource_id": vpc, "state": "available"});
    let graph = base()
        .instance("i-db", "subnet-a", "10.0.1.20", &["sg-db"])
        .group(
            "sg-db",
            "vpc-1",
            json!([rule("tcp", Some((5432, 5432)), from_cidr("10.3.0.0/16"))]),
        )
        .vpc("vpc-3", "10.3.0.0/16")
        .subnet("subnet-3", "vpc-3", "10.3.1.0/24", "eu-west-1a")
        .instance("i-far", "subnet-3", "10.3.1.10", &[])
        .add(
            "transit-gateway",
            "tgw-1",
            json!({"state": "available", "owner_id": ACCOUNT}),
        )
        .add(
            "transit-gateway-attachment",
            "tgw-attach-1",
            attach("vpc-1"),
        )
        .add(
            "transit-gateway-attachment",
            "tgw-attach-3",
            attach("vpc-3"),
        )
        .graph();
    assert_eq!(
        allows(&graph),
        set(&[("i-far", "i-db", "allows", "tcp/5432")])
    );
}
