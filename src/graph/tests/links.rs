//! `peers`, `attaches`, `replicates` and `member` edges.

use serde_json::json;

use super::*;
use crate::graph::EdgeKind;

fn peering(estate: Estate, id: &str, from: &str, to: &str, status: &str) -> Estate {
    estate.add(
        "vpc-peering-connection",
        id,
        json!({"status": status,
        "requester": {"account": ACCOUNT, "region": REGION, "vpc_id": from},
        "accepter": {"account": ACCOUNT, "region": REGION, "vpc_id": to}}),
    )
}

#[test]
fn active_peerings_and_transit_attachments_link_vpcs() {
    let estate = base()
        .vpc("vpc-2", "10.1.0.0/16")
        .vpc("vpc-3", "10.2.0.0/16");
    let estate = peering(estate, "pcx-live", "vpc-1", "vpc-2", "active");
    let estate = peering(estate, "pcx-asked", "vpc-1", "vpc-3", "pending-acceptance")
        .add("transit-gateway", "tgw-1", json!({"state": "available", "owner_id": ACCOUNT}))
        .add("transit-gateway-attachment", "tgw-attach-1", json!({"transit_gateway_id": "tgw-1",
            "resource_type": "vpc", "resource_id": "vpc-1", "resource_owner_id": ACCOUNT, "state": "available"}))
        .add("transit-gateway-attachment", "tgw-attach-3", json!({"transit_gateway_id": "tgw-1",
            "resource_type": "vpc", "resource_id": "vpc-3", "state": "available"}))
        .add("transit-gateway-attachment", "tgw-attach-gone", json!({"transit_gateway_id": "tgw-1",
            "resource_type": "vpc", "resource_id": "vpc-2", "state": "deleted"}));
    let graph = estate.graph();
    assert_eq!(
        edges(&graph, &[EdgeKind::Peers, EdgeKind::Attaches]),
        set(&[
            ("vpc-1", "vpc-2", "peers", "pcx-live"),
            ("vpc-1", "tgw-1", "attaches", "tgw-attach-1"),
            ("vpc-3", "tgw-1", "attaches", "tgw-attach-3"),
        ])
    );
    assert_eq!(
        edge(&graph, "vpc-1", "vpc-2", EdgeKind::Peers).evidence,
        ["pcx-live"]
    );
    assert_eq!(
        node(&graph, "vpc-peering-connection", "pcx-asked")
            .status
            .as_deref(),
        Some("pending-acceptance")
    );
}

#[test]
fn a_peering_seen_from_both_accounts_is_one_node() {
    let other = "222222222222";
    let both = json!({"status": "active",
        "requester": {"account": ACCOUNT, "region": REGION, "vpc_id": "vpc-1"},
        "accepter": {"account": other, "region": "us-east-1", "vpc_id": "vpc-2"}});
    let graph = base()
        .add("vpc-peering-connection", "pcx-1", both.clone())
        .at(other, "us-east-1")
        .vpc("vpc-2", "10.1.0.0/16")
        .add("vpc-peering-connection", "pcx-1", both)
        .graph();
    let peerings: Vec<&str> = graph
        .nodes()
        .into_iter()
        .filter(|n| n.kind == crate::render::testing::kind("vpc-peering-connection"))
        .map(|n| n.id.as_str())
        .collect();
    assert_eq!(
        peerings,
        ["vpc-peering-connection:111111111111:eu-west-1:pcx-1"]
    );
    assert_eq!(
        edges(&graph, &[EdgeKind::Peers]),
        set(&[(
            "vpc-1",
            "vpc:222222222222:us-east-1:vpc-2",
            "peers",
            "pcx-1"
        )])
    );
}

#[test]
fn volumes_and_addresses_attach_to_what_holds_them() {
    let graph = base()
        .instance("i-1", "subnet-a", "10.0.1.10", &[])
        .add("ebs-volume", "vol-root", json!({"size_gib": 8, "volume_type": "gp3", "state": "in-use", "availability_zone": "eu-west-1a",
            "attachments": [{"instance_id": "i-1", "device": "/dev/xvda", "state": "attached", "delete_on_termination": true}]}))
        .add("ebs-volume", "vol-data", json!({"size_gib": 100, "volume_type": "gp3", "state": "in-use", "availability_zone": "eu-west-1a",
            "attachments": [{"instance_id": "i-1", "device": "/dev/sdf", "state": "attached", "delete_on_termination": false}]}))
        .add("nat-gateway", "nat-1", json!({"vpc_id": "vpc-1", "subnet_id": "subnet-a", "state": "available",
            "addresses": [{"network_interface_id": "eni-nat", "allocation_id": "eipalloc-nat", "private_ip": "10.0.1.5"}]}))
        .add("network-interface", "eni-nat", json!({"vpc_id": "vpc-1", "subnet_id": "subnet-a", "availability_zone": "eu-west-1a",
            "interface_type": "nat_gateway", "status": "in-use", "private_ips": ["10.0.1.5"], "security_group_ids": []}))
        .add("elastic-ip", "eipalloc-nat", json!({"public_ip": "198.51.100.5", "domain": "vpc",
            "network_interface_id": "eni-nat", "association_id": "eipassoc-nat"}))
        .add("elastic-ip", "eipalloc-web", json!({"public_ip": "198.51.100.6", "domain": "vpc", "instance_id": "i-1"}))
        .add("elastic-ip", "eipalloc-idle", json!({"public_ip": "198.51.100.9", "domain": "vpc"}))
        .graph();
    assert_eq!(
        edges(&graph, &[EdgeKind::Attaches]),
        set(&[
            ("vol-root", "i-1", "attaches", "/dev/xvda"),
            ("vol-data", "i-1", "attaches", "/dev/sdf"),
            ("eipalloc-nat", "nat-1", "attaches", "198.51.100.5"),
            ("eipalloc-web", "i-1", "attaches", "198.51.100.6"),
        ])
    );
    assert_eq!(
        node(&graph, "elastic-ip", "eipalloc-idle")
            .status
            .as_deref(),
        Some("unassociated")
    );
    assert_eq!(
        node(&graph, "elastic-ip", "eipalloc-nat").parent,
        Some(full("subnet", "subnet-a"))
    );
}

#[test]
fn read_replicas_and_aurora_members() {
    let db = |engine: &str, extra: serde_json::Value| {
        let mut attrs = json!({"db_instance_class": "db.t3.micro", "engine": engine, "status": "available",
            "vpc_id": "vpc-1", "security_group_ids": []});
        if let (Some(attrs), serde_json::Value::Object(extra)) = (attrs.as_object_mut(), extra) {
            attrs.extend(extra);
        }
        attrs
    };
    let graph = base()
        .add(
            "rds-instance",
            "ledger",
            db(
                "postgres",
                json!({"read_replica_identifiers": ["ledger-ro",
            "arn:aws:rds:us-east-1:111111111111:db:ledger-dr"]}),
            ),
        )
        .add(
            "rds-instance",
            "ledger-ro",
            db("postgres", json!({"read_replica_source": "ledger"})),
        )
        .add(
            "rds-cluster",
            "orders",
            json!({"engine": "aurora-postgresql", "status": "available", "vpc_id": "vpc-1",
            "security_group_ids": [], "members": [
                {"db_instance_identifier": "orders-1", "is_writer": true},
                {"db_instance_identifier": "orders-2", "is_writer": false}]}),
        )
        .add(
            "rds-instance",
            "orders-1",
            db("aurora-postgresql", json!({"cluster_identifier": "orders"})),
        )
        .add(
            "rds-instance",
            "orders-2",
            db("aurora-postgresql", json!({"cluster_identifier": "orders"})),
        )
        .at(ACCOUNT, "us-east-1")
        .add(
            "rds-instance",
            "ledger-dr",
            db(
                "postgres",
                json!({"vpc_id": "vpc-9",
            "read_replica_source": "arn:aws:rds:eu-west-1:111111111111:db:ledger"}),
            ),
        )
        .graph();
    assert_eq!(
        edges(&graph, &[EdgeKind::Replicates, EdgeKind::Member]),
        set(&[
            ("ledger", "ledger-ro", "replicates", ""),
            (
                "ledger",
                "rds-instance:111111111111:us-east-1:ledger-dr",
                "replicates",
                ""
            ),
            ("orders-1", "orders", "member", "writer"),
            ("orders-2", "orders", "member", "reader"),
        ])
    );
    assert_eq!(
        edge(&graph, "ledger", "ledger-ro", EdgeKind::Replicates).evidence,
        ["ledger", "ledger-ro"]
    );
}

#[test]
fn a_shared_transit_gateway_is_one_node_of_its_owner() {
    let other = "222222222222";
    let gateway = json!({"state": "available", "owner_id": ACCOUNT});
    let graph = base()
        .add("transit-gateway", "tgw-1", gateway.clone())
        .at(other, REGION)
        .vpc("vpc-2", "10.1.0.0/16")
        .add("transit-gateway", "tgw-1", gateway)
        .add(
            "transit-gateway-attachment",
            "tgw-attach-2",
            json!({"transit_gateway_id": "tgw-1", "resource_type": "vpc", "resource_id": "vpc-2",
                "resource_owner_id": other, "state": "available"}),
        )
        .graph();
    let gateways: Vec<&str> = graph
        .nodes()
        .into_iter()
        .filter(|n| n.kind == crate::render::testing::kind("transit-gateway"))
        .map(|n| n.id.as_str())
        .collect();
    assert_eq!(gateways, ["transit-gateway:111111111111:eu-west-1:tgw-1"]);
    assert_eq!(
        edges(&graph, &[EdgeKind::Attaches]),
        set(&[(
            "vpc:222222222222:eu-west-1:vpc-2",
            "tgw-1",
            "attaches",
            "tgw-attach-2"
        )])
    );
}
