//! Scan → graph end to end against moto: the reference fixture in two
//! regions, plus in the first a second VPC peered to it (routes both ways, a
//! database rule naming a group in the peer VPC, an SSH rule naming the peer
//! VPC's range), asserting every edge of the graph as `(from, to, kind,
//! label)` and the tiers, status and health the drawing colours.

use std::collections::BTreeSet;

use aws_sdk_ec2::types::{InstanceType, IpPermission, IpRange, UserIdGroupPair};
use serde_json::json;
use strata::graph::EdgeKind;
use strata::snapshot::{Detail, Snapshot};

use crate::support::estate::{edge_set, scan, tuple, Tuple, ACCOUNT};
use crate::support::moto::Moto;
use crate::support::seed::{
    create_subnet, create_vpc, launch_instance, peer_vpcs, reference_fixture, Fixture,
};

const REGION: &str = "eu-west-1";
const OTHER_REGION: &str = "us-east-1";

/// The second VPC: a reporting instance that reads the database over the peering.
struct Peer {
    vpc: String,
    subnet: String,
    peering: String,
    instance: String,
}

async fn seed_peer(moto: &Moto, fixture: &Fixture) -> Peer {
    let ec2 = moto.ec2(REGION);
    let vpc = create_vpc(&ec2, "10.1.0.0/16", Some("reporting")).await;
    let subnet = create_subnet(&ec2, &vpc, "10.1.0.0/24", &fixture.zones[0], None).await;
    let peering = peer_vpcs(&ec2, &fixture.vpc, &vpc).await;

    // Routes both ways: the app tier to the peer, the peer subnet back.
    ec2.create_route()
        .route_table_id(&fixture.private_route_table)
        .destination_cidr_block("10.1.0.0/16")
        .vpc_peering_connection_id(&peering)
        .send()
        .await
        .expect("route to the peer");
    let peer_table = ec2
        .create_route_table()
        .vpc_id(&vpc)
        .send()
        .await
        .expect("create the peer route table")
        .route_table
        .and_then(|table| table.route_table_id)
        .expect("peer route table id");
    ec2.create_route()
        .route_table_id(&peer_table)
        .destination_cidr_block("10.0.0.0/16")
        .vpc_peering_connection_id(&peering)
        .send()
        .await
        .expect("route back over the peering");
    ec2.associate_route_table()
        .route_table_id(&peer_table)
        .subnet_id(&subnet)
        .send()
        .await
        .expect("associate the peer route table");

    let reporting_group = ec2
        .create_security_group()
        .vpc_id(&vpc)
        .group_name("reporting")
        .description("reporting jobs")
        .send()
        .await
        .expect("create the reporting group")
        .group_id
        .expect("reporting group id");
    // The database admits the reporting group across the peering; the app
    // tier admits SSH from the whole peer range.
    ec2.authorize_security_group_ingress()
        .group_id(&fixture.db_security_group)
        .ip_permissions(
            IpPermission::builder()
                .ip_protocol("tcp")
                .from_port(5432)
                .to_port(5432)
                .user_id_group_pairs(
                    UserIdGroupPair::builder()
                        .group_id(&reporting_group)
                        .vpc_id(&vpc)
                        .vpc_peering_connection_id(&peering)
                        .build(),
                )
                .build(),
        )
        .send()
        .await
        .expect("allow the reporting group to the database");
    ec2.authorize_security_group_ingress()
        .group_id(&fixture.app_security_group)
        .ip_permissions(
            IpPermission::builder()
                .ip_protocol("tcp")
                .from_port(22)
                .to_port(22)
                .ip_ranges(IpRange::builder().cidr_ip("10.1.0.0/16").build())
                .build(),
        )
        .send()
        .await
        .expect("allow SSH from the peer range");
    let instance = launch_instance(
        &ec2,
        InstanceType::T3Micro,
        &subnet,
        &reporting_group,
        Some("reporting"),
    )
    .await;
    Peer {
        vpc,
        subnet,
        peering,
        instance,
    }
}

/// `<kind>:<account>:<region>:<id>` in the first region.
fn id(kind: &str, resource: &str) -> String {
    id_in(REGION, kind, resource)
}

/// `<kind>:<account>:<region>:<id>`; ELBv2 ids are the ARN's resource part.
fn id_in(region: &str, kind: &str, resource: &str) -> String {
    let resource = match kind {
        "load-balancer" => resource.split("loadbalancer/").nth(1).unwrap_or(resource),
        "target-group" => resource.split("targetgroup/").nth(1).unwrap_or(resource),
        _ => resource,
    };
    format!("{kind}:{ACCOUNT}:{region}:{resource}")
}

/// The volume moto attached to an instance at launch.
fn root_volume(snapshot: &Snapshot, instance: &str) -> String {
    snapshot
        .resources
        .iter()
        .find(|resource| match &resource.detail {
            Detail::Compute(strata::services::compute::Detail::Volume(volume)) => {
                volume.attachments.iter().any(|a| a.instance_id == instance)
            }
            _ => false,
        })
        .map(|resource| resource.id.clone())
        .unwrap_or_else(|| panic!("no volume is attached to {instance}"))
}

/// The edges of the reference fixture alone in its region.
fn reference_edges(snapshot: &Snapshot, f: &Fixture) -> BTreeSet<Tuple> {
    let id = |kind: &str, resource: &str| id_in(&f.region, kind, resource);
    let (app1, app2) = (
        id("ec2-instance", &f.app_instances[0]),
        id("ec2-instance", &f.app_instances[1]),
    );
    let lb = id("load-balancer", &f.load_balancer_arn);
    let tg = id("target-group", &f.target_group_arn);
    let db = id("rds-instance", &f.db_instance);
    let nat = id("nat-gateway", &f.nat_gateway);
    let igw = id("internet-gateway", &f.internet_gateway);
    let mut edges = BTreeSet::from([
        // Security groups.
        tuple("internet".into(), lb.clone(), "allows", "tcp/443"),
        tuple(lb.clone(), app1.clone(), "allows", "tcp/8080"),
        tuple(lb.clone(), app2.clone(), "allows", "tcp/8080"),
        tuple(app1.clone(), db.clone(), "allows", "tcp/5432"),
        tuple(app2.clone(), db.clone(), "allows", "tcp/5432"),
        // Load balancing: the HTTP listener only redirects.
        tuple(lb.clone(), tg.clone(), "forwards", "HTTPS:443"),
        tuple(tg.clone(), app1.clone(), "targets", "HTTP:8080"),
        tuple(tg.clone(), app2.clone(), "targets", "HTTP:8080"),
        // Routes: db subnets and the default VPC have no route out.
        tuple(
            id("subnet", &f.public_subnets[0]),
            igw.clone(),
            "routes",
            "0.0.0.0/0",
        ),
        tuple(
            id("subnet", &f.public_subnets[1]),
            igw.clone(),
            "routes",
            "0.0.0.0/0",
        ),
        tuple(
            id("subnet", &f.app_subnets[0]),
            nat.clone(),
            "routes",
            "0.0.0.0/0",
        ),
        tuple(
            id("subnet", &f.app_subnets[1]),
            nat.clone(),
            "routes",
            "0.0.0.0/0",
        ),
        // The NAT gateway's address.
        tuple(
            id("elastic-ip", &f.elastic_ip_allocation),
            nat.clone(),
            "attaches",
            &f.elastic_ip,
        ),
    ]);
    for instance in &f.app_instances {
        let volume = id("ebs-volume", &root_volume(snapshot, instance));
        edges.insert(tuple(
            volume,
            id("ec2-instance", instance),
            "attaches",
            "/dev/sda1",
        ));
    }
    edges
}

#[tokio::test(flavor = "multi_thread")]
async fn the_graph_of_two_peered_vpcs_has_every_relationship_and_nothing_else() {
    let moto = Moto::start().await;
    let f = reference_fixture(&moto, REGION).await;
    let other = reference_fixture(&moto, OTHER_REGION).await;
    let peer = seed_peer(&moto, &f).await;
    let snapshot = scan(&moto, &[REGION, OTHER_REGION]).await;
    let graph = strata::graph::build(&snapshot);

    let (app1, app2) = (
        id("ec2-instance", &f.app_instances[0]),
        id("ec2-instance", &f.app_instances[1]),
    );
    let reporting = id("ec2-instance", &peer.instance);
    let lb = id("load-balancer", &f.load_balancer_arn);
    let tg = id("target-group", &f.target_group_arn);
    let db = id("rds-instance", &f.db_instance);
    let pcx = id("vpc-peering-connection", &peer.peering);
    let nat = id("nat-gateway", &f.nat_gateway);

    let mut expected = reference_edges(&snapshot, &f);
    expected.extend(reference_edges(&snapshot, &other));
    expected.extend([
        // The peer VPC: its instance reaches the database by group and the
        // app tier by range; routes and the peering both ways.
        tuple(reporting.clone(), db.clone(), "allows", "tcp/5432"),
        tuple(reporting.clone(), app1.clone(), "allows", "tcp/22"),
        tuple(reporting.clone(), app2.clone(), "allows", "tcp/22"),
        tuple(
            id("subnet", &f.app_subnets[0]),
            pcx.clone(),
            "routes",
            "10.1.0.0/16",
        ),
        tuple(
            id("subnet", &f.app_subnets[1]),
            pcx.clone(),
            "routes",
            "10.1.0.0/16",
        ),
        tuple(
            id("subnet", &peer.subnet),
            pcx.clone(),
            "routes",
            "10.0.0.0/16",
        ),
        tuple(
            id("vpc", &f.vpc),
            id("vpc", &peer.vpc),
            "peers",
            &peer.peering,
        ),
    ]);
    let volume = id("ebs-volume", &root_volume(&snapshot, &peer.instance));
    expected.insert(tuple(volume, reporting.clone(), "attaches", "/dev/sda1"));
    assert_eq!(edge_set(&graph), expected);

    // Evidence names the rule, listener and peering behind each edge.
    let evidence = |from: &str, to: &str, kind: EdgeKind| {
        graph
            .edges()
            .into_iter()
            .find(|(a, b, e)| a.id == from && b.id == to && e.kind == kind)
            .map(|(_, _, e)| e.evidence.clone())
            .unwrap_or_default()
    };
    assert_eq!(
        evidence(&lb, &tg, EdgeKind::Forwards),
        [f.https_listener_arn.clone()]
    );
    assert_eq!(
        evidence(&id("vpc", &f.vpc), &id("vpc", &peer.vpc), EdgeKind::Peers),
        [peer.peering.clone()]
    );
    let rule = evidence(&reporting, &db, EdgeKind::Allows);
    assert_eq!(rule.len(), 1, "{rule:?}");

    // Tiers, placement, status and health.
    let node = |id: &str| graph.node(id).unwrap_or_else(|| panic!("no node {id}"));
    let tier = |subnet: &str| node(&id("subnet", subnet)).attrs["tier"].clone();
    for (subnets, expected) in [
        (&f.public_subnets, "public"),
        (&f.app_subnets, "private"),
        (&f.db_subnets, "isolated"),
    ] {
        for subnet in subnets {
            assert_eq!(tier(subnet), json!(expected), "tier of {subnet}");
        }
    }
    assert_eq!(
        tier(&peer.subnet),
        json!("isolated"),
        "a peering route is not a default route"
    );
    assert_eq!(
        node(&app1).parent.as_deref(),
        Some(id("subnet", &f.app_subnets[0]).as_str())
    );
    assert_eq!(
        node(&lb).parent.as_deref(),
        Some(id("vpc", &f.vpc).as_str())
    );
    assert_eq!(
        node(&lb).attrs["subnets"],
        json!([
            id("subnet", &f.public_subnets[0]),
            id("subnet", &f.public_subnets[1])
        ]
        .into_iter()
        .collect::<BTreeSet<_>>())
    );
    let db_parent = node(&db).parent.clone().unwrap_or_default();
    assert!(
        f.db_subnets.iter().any(|s| id("subnet", s) == db_parent),
        "the database sits in a db subnet, not {db_parent}"
    );
    assert_eq!(
        node(&pcx).parent.as_deref(),
        Some(id("vpc", &f.vpc).as_str())
    );
    assert_eq!(node(&pcx).status.as_deref(), Some("active"));
    for (resource, status) in [
        (&app1, "running"),
        (&lb, "active"),
        (&nat, "available"),
        (&db, "available"),
    ] {
        assert_eq!(
            node(resource).status.as_deref(),
            Some(status),
            "status of {resource}"
        );
    }
    for target in [&app1, &app2] {
        let health = graph
            .edges()
            .into_iter()
            .find(|(a, b, e)| a.id == tg && &b.id == target && e.kind == EdgeKind::Targets)
            .map(|(_, _, e)| e.attrs["health"].clone());
        assert_eq!(health, Some(json!("healthy")), "health of {target}");
    }

    // The JSON of the same snapshot is byte-identical.
    assert_eq!(
        strata::render::json::render(&graph),
        strata::render::json::render(&strata::graph::build(&snapshot))
    );
}
