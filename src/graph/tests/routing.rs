//! Subnet tiers from effective route tables, and `routes` edges.

use serde_json::{json, Value};

use super::*;
use crate::graph::EdgeKind;

fn route(destination: &str, target_type: &str, target: &str) -> Value {
    let target = if target_type == "local" {
        json!({"type": "local"})
    } else {
        json!({"type": target_type, "id": target})
    };
    json!({"destination": destination, "target": target, "state": "active"})
}

fn table(estate: Estate, id: &str, main: bool, subnets: &[&str], routes: Vec<Value>) -> Estate {
    let mut associations: Vec<Value> = subnets
        .iter()
        .map(|s| json!({"association_id": format!("rtbassoc-{s}"), "subnet_id": s, "main": false}))
        .collect();
    if main {
        associations.push(json!({"association_id": format!("rtbassoc-main-{id}"), "main": true}));
    }
    let mut routes = routes;
    routes.insert(0, route("10.0.0.0/16", "local", ""));
    estate.add(
        "route-table",
        id,
        json!({"vpc_id": "vpc-1", "main": main, "associations": associations, "routes": routes}),
    )
}

pub(super) fn estate() -> Estate {
    let estate = base()
        .subnet("subnet-c", "vpc-1", "10.0.3.0/24", "eu-west-1a")
        .subnet("subnet-d", "vpc-1", "10.0.4.0/24", "eu-west-1b")
        .subnet("subnet-e", "vpc-1", "10.0.5.0/24", "eu-west-1a")
        .add("internet-gateway", "igw-1", json!({"attachments": [{"vpc_id": "vpc-1", "state": "available"}]}))
        .add("egress-only-internet-gateway", "eigw-1", json!({"attachments": [{"vpc_id": "vpc-1", "state": "attached"}]}))
        .add("nat-gateway", "nat-1", json!({"vpc_id": "vpc-1", "subnet_id": "subnet-a", "state": "available", "addresses": []}))
        .add("transit-gateway", "tgw-1", json!({"state": "available", "owner_id": ACCOUNT}))
        .add("vpc-endpoint", "vpce-s3", json!({"vpc_id": "vpc-1", "service_name": "com.amazonaws.eu-west-1.s3",
            "endpoint_type": "Gateway", "state": "available"}))
        .add("vpc-peering-connection", "pcx-1", json!({"status": "active",
            "requester": {"account": ACCOUNT, "region": REGION, "vpc_id": "vpc-1"},
            "accepter": {"account": ACCOUNT, "region": REGION, "vpc_id": "vpc-9"}}));
    // subnet-a: IGW and NAT routes (public wins), plus IPv6 to the IGW.
    let estate = table(
        estate,
        "rtb-public",
        false,
        &["subnet-a"],
        vec![
            route("0.0.0.0/0", "internet-gateway", "igw-1"),
            route("::/0", "internet-gateway", "igw-1"),
            route("172.16.0.0/12", "nat-gateway", "nat-1"),
        ],
    );
    // Main table: NAT default, S3 endpoint, peering, IPv6 egress-only.
    let estate = table(
        estate,
        "rtb-main",
        true,
        &[],
        vec![
            route("0.0.0.0/0", "nat-gateway", "nat-1"),
            route("::/0", "egress-only-internet-gateway", "eigw-1"),
            route("pl-6da54004", "vpc-endpoint", "vpce-s3"),
            route("10.9.0.0/16", "vpc-peering-connection", "pcx-1"),
        ],
    );
    // subnet-c: only the local route. subnet-d: default via a transit gateway.
    let estate = table(estate, "rtb-isolated", false, &["subnet-c"], vec![]);
    let estate = table(
        estate,
        "rtb-tgw",
        false,
        &["subnet-d"],
        vec![route("0.0.0.0/0", "transit-gateway", "tgw-1")],
    );
    // subnet-e: its IGW route is a blackhole: no way out.
    let mut dead = route("0.0.0.0/0", "internet-gateway", "igw-gone");
    dead["state"] = json!("blackhole");
    table(estate, "rtb-dead", false, &["subnet-e"], vec![dead])
}

#[test]
fn tiers_follow_the_effective_route_table() {
    let graph = estate().graph();
    let tier = |subnet| node(&graph, "subnet", subnet).attrs["tier"].clone();
    assert_eq!(
        tier("subnet-a"),
        json!("public"),
        "IGW and NAT routes: public"
    );
    assert_eq!(
        tier("subnet-b"),
        json!("private"),
        "inherits the main table's NAT default route"
    );
    assert_eq!(tier("subnet-c"), json!("isolated"));
    assert_eq!(
        tier("subnet-d"),
        json!("private"),
        "default route to a transit gateway"
    );
    assert_eq!(
        tier("subnet-e"),
        json!("isolated"),
        "a blackhole route carries nothing"
    );
    let b = node(&graph, "subnet", "subnet-b");
    assert_eq!(b.attrs["route_table"], json!("rtb-main"));
    assert_eq!(b.attrs["route_table_explicit"], json!(false));
    assert_eq!(
        node(&graph, "subnet", "subnet-a").attrs["route_table_explicit"],
        json!(true)
    );
}

#[test]
fn routes_lead_from_subnets_to_their_gateways() {
    let graph = estate().graph();
    let main_routes = |subnet: &'static str| {
        [
            (subnet, "nat-1", "routes", "0.0.0.0/0"),
            (subnet, "eigw-1", "routes", "::/0"),
            (subnet, "vpce-s3", "routes", "pl-6da54004"),
            (subnet, "pcx-1", "routes", "10.9.0.0/16"),
        ]
    };
    let mut expected = vec![
        ("subnet-a", "igw-1", "routes", "0.0.0.0/0, ::/0"),
        ("subnet-a", "nat-1", "routes", "172.16.0.0/12"),
        ("subnet-d", "tgw-1", "routes", "0.0.0.0/0"),
    ];
    expected.extend(main_routes("subnet-b"));
    assert_eq!(edges(&graph, &[EdgeKind::Routes]), set(&expected));
    let merged = edge(&graph, "subnet-a", "igw-1", EdgeKind::Routes);
    assert_eq!(merged.evidence, ["rtb-public:0.0.0.0/0", "rtb-public:::/0"]);
}

#[test]
fn unreadable_route_tables_give_a_guessed_tier() {
    let graph = base()
        .add("subnet", "subnet-pub", json!({"vpc_id": "vpc-1", "cidr_block": "10.0.9.0/24",
            "availability_zone": "eu-west-1a", "state": "available", "map_public_ip_on_launch": true}))
        .graph();
    let public = node(&graph, "subnet", "subnet-pub");
    assert_eq!(public.attrs["tier"], json!("public"));
    assert_eq!(public.attrs["tier_guessed"], json!(true));
    assert_eq!(
        node(&graph, "subnet", "subnet-a").attrs["tier"],
        json!("private")
    );
}
