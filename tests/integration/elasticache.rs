//! ElastiCache end to end against moto: a Redis OSS replication group (a
//! primary and a replica in two zones) and a two-node Memcached cluster
//! across the same zones, in a cache subnet group, reached by an app
//! instance through one security group. Asserts the scanned resources, every
//! edge as `(from, to, kind, label)`, where each node is placed, and what
//! the cost report charges for them.
//!
//! moto 5.2.5 leaves out of its answers the clusters' security groups and
//! nodes and the subnet group's zones; the harness fills them in from what
//! was seeded (`support/moto_server.py`). moto also creates no cache cluster
//! for a replication group's members: this test creates each one through
//! CreateCacheCluster with the group's id, the way a replica is added.

use std::collections::BTreeSet;

use aws_sdk_ec2::types::{InstanceType, IpPermission, UserIdGroupPair};
use strata::graph::Fold;
use strata::services::elasticache::{CacheClusterAttrs, ReplicationGroupAttrs};

use crate::support::estate::{edge_set, scan, tuple, ACCOUNT};
use crate::support::moto::Moto;
use crate::support::seed::{create_subnet, create_vpc, launch_instance};

const REGION: &str = "eu-west-1";
const ZONES: [&str; 2] = ["eu-west-1a", "eu-west-1b"];

struct Estate {
    subnets: [String; 2],
    vpc: String,
    app: String,
    catalog_group: String,
}

async fn seed(moto: &Moto) -> Estate {
    let ec2 = moto.ec2(REGION);
    let vpc = create_vpc(&ec2, "10.20.0.0/16", Some("cache")).await;
    let subnets = [
        create_subnet(&ec2, &vpc, "10.20.1.0/24", ZONES[0], Some("cache-a")).await,
        create_subnet(&ec2, &vpc, "10.20.2.0/24", ZONES[1], Some("cache-b")).await,
    ];
    let group = |name: &'static str| {
        let ec2 = ec2.clone();
        let vpc = vpc.clone();
        async move {
            ec2.create_security_group()
                .vpc_id(vpc)
                .group_name(name)
                .description(name)
                .send()
                .await
                .expect("create security group")
                .group_id
                .expect("group id")
        }
    };
    let app_group = group("app").await;
    let sessions_group = group("sessions").await;
    let catalog_group = group("catalog").await;
    for (cache_group, port) in [(&sessions_group, 6379), (&catalog_group, 11211)] {
        ec2.authorize_security_group_ingress()
            .group_id(cache_group)
            .ip_permissions(
                IpPermission::builder()
                    .ip_protocol("tcp")
                    .from_port(port)
                    .to_port(port)
                    .user_id_group_pairs(UserIdGroupPair::builder().group_id(&app_group).build())
                    .build(),
            )
            .send()
            .await
            .expect("allow the app to the caches");
    }
    let app = launch_instance(&ec2, InstanceType::T3Micro, &subnets[0], &app_group, None).await;

    let cache = moto.elasticache(REGION);
    cache
        .create_cache_subnet_group()
        .cache_subnet_group_name("cache")
        .cache_subnet_group_description("cache subnets")
        .subnet_ids(&subnets[0])
        .subnet_ids(&subnets[1])
        .send()
        .await
        .expect("create the cache subnet group");
    cache
        .create_replication_group()
        .replication_group_id("sessions")
        .replication_group_description("user sessions")
        .engine("redis")
        .cache_node_type("cache.r7g.large")
        .replicas_per_node_group(1)
        .preferred_cache_cluster_azs(ZONES[0])
        .preferred_cache_cluster_azs(ZONES[1])
        .automatic_failover_enabled(true)
        .multi_az_enabled(true)
        .cache_subnet_group_name("cache")
        .security_group_ids(&sessions_group)
        .send()
        .await
        .expect("create the replication group");
    for (member, zone) in [("sessions-001", ZONES[0]), ("sessions-002", ZONES[1])] {
        cache
            .create_cache_cluster()
            .cache_cluster_id(member)
            .replication_group_id("sessions")
            .engine("redis")
            .cache_node_type("cache.r7g.large")
            .preferred_availability_zone(zone)
            .cache_subnet_group_name("cache")
            .security_group_ids(&sessions_group)
            .send()
            .await
            .expect("create a member of the replication group");
    }
    cache
        .create_cache_cluster()
        .cache_cluster_id("catalog")
        .engine("memcached")
        .cache_node_type("cache.t3.medium")
        .num_cache_nodes(2)
        .port(11211)
        .az_mode(aws_sdk_elasticache::types::AzMode::CrossAz)
        .preferred_availability_zones(ZONES[0])
        .preferred_availability_zones(ZONES[1])
        .cache_subnet_group_name("cache")
        .security_group_ids(&catalog_group)
        .send()
        .await
        .expect("create the Memcached cluster");
    Estate {
        subnets,
        vpc,
        app,
        catalog_group,
    }
}

fn id(kind: &str, resource: &str) -> String {
    format!("{kind}:{ACCOUNT}:{REGION}:{resource}")
}

#[tokio::test(flavor = "multi_thread")]
async fn replication_groups_and_memcached_clusters_are_scanned_placed_and_related() {
    let moto = Moto::start().await;
    let estate = seed(&moto).await;
    let snapshot = scan(&moto, &[REGION]).await;
    assert!(snapshot.scan.complete, "{:?}", snapshot.scan.skipped);

    // The scan: every node with its zone, and the groups it is reached through.
    let cluster = |name: &str| -> &CacheClusterAttrs {
        snapshot
            .resources
            .iter()
            .find(|r| r.id == name)
            .and_then(|r| r.attrs::<CacheClusterAttrs>())
            .unwrap_or_else(|| panic!("no cache cluster {name}"))
    };
    let catalog = cluster("catalog");
    assert_eq!(catalog.engine, "memcached");
    assert_eq!(catalog.num_cache_nodes, 2);
    assert_eq!(
        catalog
            .nodes
            .iter()
            .map(|node| (node.node_id.as_str(), node.availability_zone.as_deref()))
            .collect::<Vec<_>>(),
        [("0001", Some(ZONES[0])), ("0002", Some(ZONES[1]))]
    );
    assert_eq!(catalog.security_group_ids, [estate.catalog_group.clone()]);
    let primary = cluster("sessions-001");
    assert_eq!(primary.replication_group_id.as_deref(), Some("sessions"));
    assert_eq!(
        primary.preferred_availability_zone.as_deref(),
        Some(ZONES[0])
    );
    let group = snapshot
        .resources
        .iter()
        .find_map(|r| r.attrs::<ReplicationGroupAttrs>())
        .expect("the replication group is scanned");
    assert_eq!(group.member_clusters, ["sessions-001", "sessions-002"]);
    assert_eq!(
        (group.automatic_failover.as_str(), group.multi_az.as_str()),
        ("enabled", "enabled")
    );

    // The graph: every edge, and nothing else.
    let graph = strata::graph::build(&snapshot);
    let app = id("ec2-instance", &estate.app);
    let sessions = id("elasticache-replication-group", "sessions");
    let catalog_node = id("elasticache-cluster", "catalog");
    let volume = snapshot
        .resources
        .iter()
        .find(|r| r.kind().as_str() == "ebs-volume")
        .map(|r| id("ebs-volume", &r.id))
        .expect("the app instance's root volume");
    assert_eq!(
        edge_set(&graph),
        BTreeSet::from([
            tuple(app.clone(), sessions.clone(), "allows", "tcp/6379"),
            tuple(app.clone(), catalog_node.clone(), "allows", "tcp/11211"),
            tuple(
                id("elasticache-cluster", "sessions-001"),
                sessions.clone(),
                "member",
                "primary"
            ),
            tuple(
                id("elasticache-cluster", "sessions-002"),
                sessions.clone(),
                "member",
                "replica"
            ),
            tuple(volume, app.clone(), "attaches", "/dev/sda1"),
        ])
    );

    // Placement: each member in the subnet of its zone; the group in a lane
    // of the VPC across its members' zones, in their tier; the Memcached
    // cluster across both zones' subnets.
    let node = |id: &str| graph.node(id).unwrap_or_else(|| panic!("no node {id}"));
    let subnet = |index: usize| self::id("subnet", &estate.subnets[index]);
    assert_eq!(
        node(&id("elasticache-cluster", "sessions-001")).parent,
        Some(subnet(0))
    );
    assert_eq!(
        node(&id("elasticache-cluster", "sessions-002")).parent,
        Some(subnet(1))
    );
    let vpc = Some(id("vpc", &estate.vpc));
    let group_node = node(&sessions);
    assert_eq!(group_node.parent, vpc);
    assert_eq!(group_node.drawing.span.zones, ZONES);
    assert_eq!(group_node.drawing.tier, node(&subnet(0)).drawing.tier);
    assert!(group_node.drawing.tier.is_some());
    let catalog_drawing = &node(&catalog_node).drawing;
    assert_eq!(node(&catalog_node).parent, vpc);
    assert_eq!(
        catalog_drawing
            .span
            .subnets
            .iter()
            .cloned()
            .collect::<BTreeSet<_>>(),
        BTreeSet::from([subnet(0), subnet(1)])
    );
    assert_eq!(catalog_drawing.span.zones, ZONES);
    assert_eq!(catalog_drawing.fold, Fold::Own);
    assert_eq!(
        node(&catalog_node).drawing.detail,
        "memcached · cache.t3.medium · 2 nodes"
    );

    // The drawing: each member's tile in its subnet's cell, the group's
    // and the Memcached cluster's tiles across both zones' cells.
    let layout = strata::layout::architecture(&graph);
    let tile = |id: &str| {
        layout
            .tiles
            .iter()
            .find(|tile| tile.id == id)
            .unwrap_or_else(|| panic!("no tile {id}"))
    };
    let cell = |index: usize| {
        layout
            .containers
            .iter()
            .find(|container| container.id == subnet(index))
            .map(|container| container.rect)
            .unwrap_or_else(|| panic!("no cell for subnet {index}"))
    };
    for (member, index) in [("sessions-001", 0), ("sessions-002", 1)] {
        let member = tile(&id("elasticache-cluster", member));
        assert!(
            cell(index).contains(&member.rect),
            "{} is not in its subnet's cell",
            member.id
        );
    }
    for spanning in [&sessions, &catalog_node] {
        let rect = tile(spanning).rect;
        assert!(
            rect.x < cell(0).right() && rect.right() > cell(1).x,
            "{spanning} does not span both zones: {rect:?}"
        );
    }
    // The cost: each node at its list price, the group itself at none.
    let report = strata::cost::report::Report::new(
        &snapshot,
        &strata::prices::PriceBook::bundled(),
        None,
        strata::cost::Period::Month,
        &[],
    );
    let amounts: BTreeSet<(String, Option<String>)> = report
        .lines
        .iter()
        .filter(|line| line.resource.kind().as_str().starts_with("elasticache"))
        .map(|line| {
            (
                line.resource.id.clone(),
                line.cost
                    .amount(strata::cost::Period::Month)
                    .map(|a| a.normalize().to_string()),
            )
        })
        .collect();
    // elasticache.csv: eu-west-1,cache.r7g.large,redis,0.243 and
    // eu-west-1,cache.t3.medium,memcached,0.072 (× 730 h, × 2 nodes).
    assert_eq!(
        amounts,
        BTreeSet::from([
            ("catalog".to_string(), Some("105.12".to_string())),
            ("sessions".to_string(), Some("0".to_string())),
            ("sessions-001".to_string(), Some("177.39".to_string())),
            ("sessions-002".to_string(), Some("177.39".to_string())),
        ])
    );
    assert!(report
        .lines
        .iter()
        .all(|line| line.vpc.as_deref() == Some(estate.vpc.as_str())
            || !line.resource.kind().as_str().starts_with("elasticache")));
}
