//! Every resource's parent, the zone nodes, status and the attributes the
//! layout reads.

use crate::render::testing::kind;
use serde_json::json;

use super::*;
use crate::graph::NodeKind;

fn parent_of(graph: &Graph, id: &str) -> Option<String> {
    graph
        .node(id)
        .unwrap_or_else(|| panic!("no node {id}"))
        .parent
        .clone()
}

pub(super) fn estate() -> Estate {
    base()
        .add("internet-gateway", "igw-1", json!({"attachments": [{"vpc_id": "vpc-1", "state": "available"}]}))
        .add("nat-gateway", "nat-1", json!({
            "vpc_id": "vpc-1", "subnet_id": "subnet-a", "state": "available", "connectivity_type": "public",
            "addresses": [{"network_interface_id": "eni-nat", "private_ip": "10.0.1.5", "public_ip": "198.51.100.5"}],
        }))
        .add("vpc-endpoint", "vpce-s3", json!({"vpc_id": "vpc-1", "service_name": "com.amazonaws.eu-west-1.s3",
            "endpoint_type": "Gateway", "state": "available"}))
        .add("transit-gateway", "tgw-1", json!({"state": "available", "owner_id": ACCOUNT}))
        .add("vpc-peering-connection", "pcx-1", json!({
            "requester": {"account": ACCOUNT, "region": REGION, "vpc_id": "vpc-1"},
            "accepter": {"account": ACCOUNT, "region": REGION, "vpc_id": "vpc-2"}, "status": "active"}))
        .vpc("vpc-2", "10.1.0.0/16")
        .subnet("subnet-c", "vpc-2", "10.1.1.0/24", "eu-west-1a")
        .instance("i-web", "subnet-a", "10.0.1.10", &["sg-web"])
        .add("ec2-instance", "i-off", json!({"state": "stopped", "instance_type": "t3.micro",
            "availability_zone": "eu-west-1b", "vpc_id": "vpc-1", "subnet_id": "subnet-b", "platform": "linux"}))
        .add("load-balancer", "arn:aws:elasticloadbalancing:eu-west-1:111111111111:loadbalancer/app/web/1a2b", json!({
            "lb_type": "application", "scheme": "internet-facing", "state": "active", "vpc_id": "vpc-1", "dns_name": "web.example",
            "availability_zones": [{"zone_name": "eu-west-1a", "subnet_id": "subnet-a"}, {"zone_name": "eu-west-1b", "subnet_id": "subnet-b"}]}))
        .add("db-subnet-group", "db-group", json!({"vpc_id": "vpc-1", "status": "Complete", "subnets": [
            {"subnet_id": "subnet-a", "availability_zone": "eu-west-1a", "status": "Active"},
            {"subnet_id": "subnet-b", "availability_zone": "eu-west-1b", "status": "Active"}]}))
        .add("rds-instance", "ledger", json!({"db_instance_class": "db.t3.micro", "engine": "postgres", "status": "available",
            "availability_zone": "eu-west-1b", "secondary_availability_zone": "eu-west-1a", "multi_az": true,
            "db_subnet_group": "db-group", "security_group_ids": []}))
        .add("rds-cluster", "orders", json!({"engine": "aurora-postgresql", "status": "available",
            "db_subnet_group": "db-group", "security_group_ids": [], "availability_zones": ["eu-west-1a", "eu-west-1b"], "members": []}))
        .add("ebs-volume", "vol-1", json!({"size_gib": 8, "volume_type": "gp3", "state": "in-use",
            "availability_zone": "eu-west-1a", "attachments": [{"instance_id": "i-web", "device": "/dev/xvda", "state": "attached", "delete_on_termination": true}]}))
        .add("ebs-volume", "vol-loose", json!({"size_gib": 8, "volume_type": "gp3", "state": "available", "availability_zone": "eu-west-1a"}))
        .add("elastic-ip", "eipalloc-1", json!({"public_ip": "198.51.100.7", "domain": "vpc", "instance_id": "i-web",
            "association_id": "eipassoc-1"}))
        .group("sg-web", "vpc-1", json!([]))
}

#[test]
fn every_resource_has_its_parent() {
    let graph = estate().graph();
    let expected = [
        (
            "region:111111111111:eu-west-1",
            Some("account:111111111111"),
        ),
        (
            "vpc:111111111111:eu-west-1:vpc-1",
            Some("region:111111111111:eu-west-1"),
        ),
        (
            "availability-zone:111111111111:eu-west-1:vpc-1:eu-west-1a",
            Some("vpc:111111111111:eu-west-1:vpc-1"),
        ),
        (
            "subnet:111111111111:eu-west-1:subnet-a",
            Some("availability-zone:111111111111:eu-west-1:vpc-1:eu-west-1a"),
        ),
        (
            "subnet:111111111111:eu-west-1:subnet-c",
            Some("availability-zone:111111111111:eu-west-1:vpc-2:eu-west-1a"),
        ),
        (
            "ec2-instance:111111111111:eu-west-1:i-web",
            Some("subnet:111111111111:eu-west-1:subnet-a"),
        ),
        (
            "ec2-instance:111111111111:eu-west-1:i-off",
            Some("subnet:111111111111:eu-west-1:subnet-b"),
        ),
        (
            "nat-gateway:111111111111:eu-west-1:nat-1",
            Some("subnet:111111111111:eu-west-1:subnet-a"),
        ),
        (
            "internet-gateway:111111111111:eu-west-1:igw-1",
            Some("vpc:111111111111:eu-west-1:vpc-1"),
        ),
        (
            "vpc-endpoint:111111111111:eu-west-1:vpce-s3",
            Some("vpc:111111111111:eu-west-1:vpc-1"),
        ),
        (
            "vpc-peering-connection:111111111111:eu-west-1:pcx-1",
            Some("vpc:111111111111:eu-west-1:vpc-1"),
        ),
        (
            "transit-gateway:111111111111:eu-west-1:tgw-1",
            Some("region:111111111111:eu-west-1"),
        ),
        (
            "load-balancer:111111111111:eu-west-1:app/web/1a2b",
            Some("vpc:111111111111:eu-west-1:vpc-1"),
        ),
        (
            "rds-instance:111111111111:eu-west-1:ledger",
            Some("subnet:111111111111:eu-west-1:subnet-b"),
        ),
        (
            "rds-cluster:111111111111:eu-west-1:orders",
            Some("vpc:111111111111:eu-west-1:vpc-1"),
        ),
        (
            "security-group:111111111111:eu-west-1:sg-web",
            Some("vpc:111111111111:eu-west-1:vpc-1"),
        ),
        (
            "ebs-volume:111111111111:eu-west-1:vol-1",
            Some("subnet:111111111111:eu-west-1:subnet-a"),
        ),
        (
            "ebs-volume:111111111111:eu-west-1:vol-loose",
            Some("region:111111111111:eu-west-1"),
        ),
        (
            "elastic-ip:111111111111:eu-west-1:eipalloc-1",
            Some("subnet:111111111111:eu-west-1:subnet-a"),
        ),
        ("account:111111111111", None),
    ];
    for (id, parent) in expected {
        assert_eq!(parent_of(&graph, id).as_deref(), parent, "parent of {id}");
    }
    // Nothing else: route tables, subnet groups and the like are not nodes.
    let mut ids: Vec<&str> = graph.nodes().iter().map(|n| n.id.as_str()).collect();
    ids.retain(|id| !expected.iter().any(|(e, _)| e == id));
    assert_eq!(
        ids,
        [
            "availability-zone:111111111111:eu-west-1:vpc-1:eu-west-1b",
            "availability-zone:111111111111:eu-west-1:vpc-2:eu-west-1a",
            "subnet:111111111111:eu-west-1:subnet-b",
            "vpc:111111111111:eu-west-1:vpc-2",
        ]
    );
    // Every parent is a node.
    for node in graph.nodes() {
        if let Some(parent) = &node.parent {
            assert!(
                graph.node(parent).is_some(),
                "{} has a missing parent {parent}",
                node.id
            );
        }
    }
}

#[test]
fn one_zone_node_per_vpc_and_zone() {
    let graph = estate().graph();
    let zones: Vec<(&str, Option<&str>)> = graph
        .nodes()
        .into_iter()
        .filter(|n| n.kind == NodeKind::AVAILABILITY_ZONE)
        .map(|n| {
            (
                n.attrs["zone"].as_str().unwrap_or_default(),
                n.parent.as_deref(),
            )
        })
        .collect();
    assert_eq!(
        zones,
        [
            ("eu-west-1a", Some("vpc:111111111111:eu-west-1:vpc-1")),
            ("eu-west-1b", Some("vpc:111111111111:eu-west-1:vpc-1")),
            ("eu-west-1a", Some("vpc:111111111111:eu-west-1:vpc-2")),
        ]
    );
}

#[test]
fn nodes_carry_status_and_layout_attributes() {
    let graph = estate().graph();
    let status = |kind, id| node(&graph, kind, id).status.clone();
    assert_eq!(status("ec2-instance", "i-web").as_deref(), Some("running"));
    assert_eq!(status("ec2-instance", "i-off").as_deref(), Some("stopped"));
    assert_eq!(
        status("load-balancer", "app/web/1a2b").as_deref(),
        Some("active")
    );
    assert_eq!(status("nat-gateway", "nat-1").as_deref(), Some("available"));
    assert_eq!(
        status("rds-instance", "ledger").as_deref(),
        Some("available")
    );
    assert_eq!(
        status("internet-gateway", "igw-1").as_deref(),
        Some("available")
    );

    let lb = node(&graph, "load-balancer", "app/web/1a2b");
    assert_eq!(
        lb.resource_id.as_deref(),
        Some("arn:aws:elasticloadbalancing:eu-west-1:111111111111:loadbalancer/app/web/1a2b")
    );
    assert_eq!(lb.name, "web", "named from the ARN, not by the ARN");
    assert_eq!(
        lb.attrs["subnets"],
        json!([full("subnet", "subnet-a"), full("subnet", "subnet-b")])
    );
    assert_eq!(lb.attrs["subnet_ids"], json!(["subnet-a", "subnet-b"]));
    assert_eq!(
        lb.attrs["availability_zones"],
        json!(["eu-west-1a", "eu-west-1b"])
    );
    assert_eq!(lb.attrs["lb_type"], json!("application"));
    assert_eq!(lb.attrs["scheme"], json!("internet-facing"));

    let db = node(&graph, "rds-instance", "ledger");
    assert_eq!(db.attrs["availability_zone"], json!("eu-west-1b"));
    assert_eq!(db.attrs["secondary_availability_zone"], json!("eu-west-1a"));
    assert_eq!(db.attrs["multi_az"], json!(true));
    assert_eq!(
        node(&graph, "rds-cluster", "orders").attrs["availability_zones"],
        json!(["eu-west-1a", "eu-west-1b"])
    );

    let vpc = node(&graph, "vpc", "vpc-1");
    assert_eq!(vpc.attrs["cidr"], json!("10.0.0.0/16"));
    assert_eq!(vpc.attrs["is_default"], json!(false));
    let subnet = node(&graph, "subnet", "subnet-a");
    assert_eq!(subnet.attrs["cidr"], json!("10.0.1.0/24"));
    assert_eq!(subnet.attrs["availability_zone"], json!("eu-west-1a"));
    let instance = node(&graph, "ec2-instance", "i-web");
    assert_eq!(instance.attrs["private_ip"], json!("10.0.1.10"));
    assert_eq!(instance.attrs["instance_type"], json!("t3.micro"));
    assert!(
        !instance.attrs.contains_key("state"),
        "status is not repeated in attrs"
    );
    assert_eq!(
        node(&graph, "nat-gateway", "nat-1").attrs["public_ip"],
        json!("198.51.100.5")
    );
    assert_eq!(
        graph.node("account:111111111111").map(|a| a.name.as_str()),
        Some("acct-111111111111")
    );
}

#[test]
fn interfaces_belong_to_what_holds_them() {
    let lb_arn = "arn:aws:elasticloadbalancing:eu-west-1:111111111111:loadbalancer/app/web/1a2b";
    let eni = |attrs: serde_json::Value| {
        let mut full = json!({"vpc_id": "vpc-1", "subnet_id": "subnet-a", "availability_zone": "eu-west-1a",
            "interface_type": "interface", "status": "in-use", "private_ips": [], "security_group_ids": []});
        if let (Some(full), serde_json::Value::Object(given)) = (full.as_object_mut(), attrs) {
            full.extend(given);
        }
        full
    };
    let graph = base()
        .instance("i-1", "subnet-a", "10.0.1.10", &[])
        .add(
            "network-interface",
            "eni-inst",
            eni(json!({"private_ips": ["10.0.1.10"], "attached_instance_id": "i-1"})),
        )
        .add(
            "nat-gateway",
            "nat-1",
            json!({"vpc_id": "vpc-1", "subnet_id": "subnet-a", "state": "available",
            "addresses": [{"network_interface_id": "eni-nat", "private_ip": "10.0.1.5"}]}),
        )
        .add(
            "network-interface",
            "eni-nat",
            eni(json!({"interface_type": "nat_gateway", "private_ips": ["10.0.1.5"]})),
        )
        .add(
            "load-balancer",
            lb_arn,
            json!({"lb_type": "application", "state": "active", "vpc_id": "vpc-1",
            "availability_zones": [{"zone_name": "eu-west-1a", "subnet_id": "subnet-a"}]}),
        )
        .add(
            "network-interface",
            "eni-lb",
            eni(json!({"description": "ELB app/web/1a2b", "private_ips": ["10.0.1.20"]})),
        )
        .add(
            "network-interface",
            "eni-rds",
            eni(json!({"description": "RDSNetworkInterface", "private_ips": ["10.0.1.30"]})),
        )
        .add(
            "network-interface",
            "eni-free",
            eni(json!({"status": "available", "private_ips": ["10.0.1.40"]})),
        )
        .add(
            "network-interface",
            "eni-lambda",
            eni(json!({"interface_type": "lambda", "private_ips": ["10.0.1.50"]})),
        )
        .graph();
    let interfaces: Vec<String> = graph
        .nodes()
        .into_iter()
        .filter(|n| n.kind == kind("network-interface"))
        .map(|n| short(&n.id))
        .collect();
    assert_eq!(interfaces, ["eni-free", "eni-lambda"]);
    let free = node(&graph, "network-interface", "eni-free");
    assert_eq!(
        free.parent.as_deref(),
        Some(full("subnet", "subnet-a").as_str())
    );
    assert_eq!(free.status.as_deref(), Some("available"));
    assert_eq!(free.attrs["private_ip"], json!("10.0.1.40"));
}

#[test]
fn child_index_lists_children_sorted() {
    let graph = estate().graph();
    let index = graph.child_index();
    let names = |parent: Option<&str>| -> Vec<String> {
        index
            .children(parent)
            .iter()
            .map(|&ix| short(&graph.graph[ix].id))
            .collect()
    };
    assert_eq!(names(None), ["account:111111111111"]);
    // Sorted by full id: ebs-volume, ec2-instance, elastic-ip, nat-gateway.
    assert_eq!(
        names(Some("subnet:111111111111:eu-west-1:subnet-a")),
        ["vol-1", "i-web", "eipalloc-1", "nat-1"]
    );
    for node in graph.nodes() {
        let slow: Vec<&str> = graph
            .children(Some(&node.id))
            .iter()
            .map(|n| n.id.as_str())
            .collect();
        let fast: Vec<&str> = index
            .children(Some(&node.id))
            .iter()
            .map(|&ix| graph.graph[ix].id.as_str())
            .collect();
        assert_eq!(slow, fast);
    }
}
