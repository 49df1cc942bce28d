//! `strata scan` against moto: the reference fixture in two regions with
//! exact content, determinism, pagination beyond one page, the CLI writing a
//! snapshot, a denied action recorded as skipped, and the one-line errors a
//! user meets (unreachable endpoint, no credentials, unknown profile, no
//! region, expired token).

use std::collections::BTreeSet;
use std::path::Path;
use std::process::{Command, Output};
use std::time::{Duration, Instant};

use strata::services::{compute::model::*, elbv2::model::*, network::model::*, rds::model::*};
use strata::snapshot::*;

use crate::support::estate::{scan, ACCOUNT};
use crate::support::moto::{free_port, Moto, TEST_ACCESS_KEY, TEST_SECRET_KEY};
use crate::support::seed::{create_subnet, create_vpc, peer_vpcs, reference_fixture, Fixture, AMI};

/// Resources of one kind in one region.
fn of<'a>(snapshot: &'a Snapshot, region: &str, kind: ResourceKind) -> Vec<&'a Resource> {
    snapshot
        .of_kind(kind)
        .filter(|resource| resource.region == region)
        .collect()
}

fn ids<'a>(resources: impl IntoIterator<Item = &'a Resource>) -> BTreeSet<String> {
    resources.into_iter().map(|r| r.id.clone()).collect()
}

fn set<const N: usize>(items: [&String; N]) -> BTreeSet<String> {
    items.into_iter().cloned().collect()
}

fn find<'a>(snapshot: &'a Snapshot, region: &str, id: &str) -> &'a Resource {
    snapshot
        .resources
        .iter()
        .find(|r| r.region == region && r.id == id)
        .unwrap_or_else(|| panic!("{id} is not in the snapshot of {region}"))
}

macro_rules! attrs {
    ($resource:expr, $attrs:ident) => {
        $resource.attrs::<$attrs>().unwrap_or_else(|| {
            panic!(
                "{} is a {}, not a {}",
                $resource.id,
                $resource.kind(),
                stringify!($attrs)
            )
        })
    };
}

fn in_vpc<'a>(
    resources: Vec<&'a Resource>,
    vpc: &str,
    vpc_of: impl Fn(&Resource) -> &str,
) -> Vec<&'a Resource> {
    resources.into_iter().filter(|r| vpc_of(r) == vpc).collect()
}

/// Everything the reference fixture created in `fixture.region`, exactly.
fn assert_reference_fixture(snapshot: &Snapshot, fixture: &Fixture) {
    let region = fixture.region.as_str();
    let f = fixture;

    // VPCs: ours and the region's default one, nothing else.
    let vpcs = of(
        snapshot,
        region,
        ResourceKind::Network(strata::services::network::Kind::Vpc),
    );
    assert_eq!(vpcs.len(), 2, "{:?}", ids(vpcs.clone()));
    let ours = find(snapshot, region, &f.vpc);
    assert_eq!(ours.name, "shop");
    assert_eq!(
        ours.arn.as_deref(),
        Some(ec2_arn(region, ACCOUNT, "vpc", &f.vpc).as_str())
    );
    let vpc = attrs!(ours, VpcAttrs);
    assert_eq!(
        (vpc.cidr_block.as_str(), vpc.is_default, vpc.state.as_str()),
        ("10.0.0.0/16", false, "available")
    );
    assert_eq!(vpc.cidr_blocks, ["10.0.0.0/16"]);
    assert!(vpcs
        .iter()
        .any(|v| v.id != f.vpc && attrs!(v, VpcAttrs).is_default));

    // Subnets: three tiers in two zones.
    let subnets = in_vpc(
        of(
            snapshot,
            region,
            ResourceKind::Network(strata::services::network::Kind::Subnet),
        ),
        &f.vpc,
        |r| &attrs!(r, SubnetAttrs).vpc_id,
    );
    let expected_subnets = [
        (&f.public_subnets[0], "public-a", "10.0.0.0/24", 0, true),
        (&f.public_subnets[1], "public-b", "10.0.1.0/24", 1, true),
        (&f.app_subnets[0], "app-a", "10.0.10.0/24", 0, false),
        (&f.app_subnets[1], "app-b", "10.0.11.0/24", 1, false),
        (&f.db_subnets[0], "db-a", "10.0.20.0/24", 0, false),
        (&f.db_subnets[1], "db-b", "10.0.21.0/24", 1, false),
    ];
    assert_eq!(
        ids(subnets),
        expected_subnets.iter().map(|s| s.0.clone()).collect()
    );
    for (id, name, cidr, zone, public_ips) in expected_subnets {
        let subnet = find(snapshot, region, id);
        assert_eq!(subnet.name, name);
        let attrs = attrs!(subnet, SubnetAttrs);
        assert_eq!(
            (
                attrs.cidr_block.as_str(),
                attrs.availability_zone.as_str(),
                attrs.map_public_ip_on_launch
            ),
            (cidr, f.zones[zone].as_str(), public_ips),
            "{name}"
        );
    }
    let zones = ids(of(
        snapshot,
        region,
        ResourceKind::Network(strata::services::network::Kind::AvailabilityZone),
    ));
    assert!(
        zones.contains(&f.zones[0]) && zones.contains(&f.zones[1]),
        "{zones:?}"
    );

    // Route tables: public → IGW, private → NAT, db subnets on the main table.
    let tables = in_vpc(
        of(
            snapshot,
            region,
            ResourceKind::Network(strata::services::network::Kind::RouteTable),
        ),
        &f.vpc,
        |r| &attrs!(r, RouteTableAttrs).vpc_id,
    );
    assert_eq!(
        ids(tables),
        set([
            &f.main_route_table,
            &f.public_route_table,
            &f.private_route_table
        ])
    );
    let local = Route {
        destination: "10.0.0.0/16".into(),
        target: RouteTarget::Local,
        state: "active".into(),
        origin: "CreateRouteTable".into(),
    };
    let default_route = |target| Route {
        destination: "0.0.0.0/0".into(),
        target,
        state: "active".into(),
        origin: "CreateRoute".into(),
    };
    let table_shape = |id: &str| {
        let table = attrs!(find(snapshot, region, id), RouteTableAttrs);
        let subnets: BTreeSet<String> = table
            .associations
            .iter()
            .filter_map(|a| a.subnet_id.clone())
            .collect();
        (table.main, subnets, table.routes.clone())
    };
    assert_eq!(
        table_shape(&f.main_route_table),
        (true, BTreeSet::new(), vec![local.clone()])
    );
    assert_eq!(
        table_shape(&f.public_route_table),
        (
            false,
            set([&f.public_subnets[0], &f.public_subnets[1]]),
            vec![
                default_route(RouteTarget::InternetGateway(f.internet_gateway.clone())),
                local.clone()
            ]
        )
    );
    assert_eq!(
        table_shape(&f.private_route_table),
        (
            false,
            set([&f.app_subnets[0], &f.app_subnets[1]]),
            vec![
                default_route(RouteTarget::NatGateway(f.nat_gateway.clone())),
                local
            ]
        )
    );

    // Gateways and the NAT's address.
    assert_eq!(
        ids(of(
            snapshot,
            region,
            ResourceKind::Network(strata::services::network::Kind::InternetGateway)
        )),
        set([&f.internet_gateway])
    );
    assert_eq!(
        attrs!(
            find(snapshot, region, &f.internet_gateway),
            InternetGatewayAttrs
        )
        .attachments,
        [GatewayAttachment {
            vpc_id: f.vpc.clone(),
            state: "available".into()
        }]
    );
    assert_eq!(
        ids(of(
            snapshot,
            region,
            ResourceKind::Network(strata::services::network::Kind::NatGateway)
        )),
        set([&f.nat_gateway])
    );
    let nat = attrs!(find(snapshot, region, &f.nat_gateway), NatGatewayAttrs);
    assert_eq!(
        (&nat.vpc_id, &nat.subnet_id, nat.state.as_str()),
        (&f.vpc, &f.public_subnets[0], "available")
    );
    assert_eq!(nat.addresses.len(), 1);
    assert_eq!(
        nat.addresses[0].allocation_id.as_ref(),
        Some(&f.elastic_ip_allocation)
    );
    assert_eq!(nat.addresses[0].public_ip.as_ref(), Some(&f.elastic_ip));
    assert_eq!(
        ids(of(
            snapshot,
            region,
            ResourceKind::Network(strata::services::network::Kind::ElasticIp)
        )),
        set([&f.elastic_ip_allocation])
    );
    let eip = attrs!(
        find(snapshot, region, &f.elastic_ip_allocation),
        ElasticIpAttrs
    );
    assert_eq!(
        (&eip.public_ip, eip.domain.as_str()),
        (&f.elastic_ip, "vpc")
    );
    assert_eq!(
        eip.network_interface_id.as_ref(),
        Some(&nat.addresses[0].network_interface_id)
    );

    // Security groups: internet → ALB:443, ALB → app:8080, app → db:5432.
    let groups = in_vpc(
        of(
            snapshot,
            region,
            ResourceKind::Network(strata::services::network::Kind::SecurityGroup),
        ),
        &f.vpc,
        |r| &attrs!(r, SecurityGroupAttrs).vpc_id,
    );
    assert_eq!(
        ids(groups),
        set([
            &f.default_security_group,
            &f.alb_security_group,
            &f.app_security_group,
            &f.db_security_group
        ])
    );
    let group_peer = |id: &String| RulePeer::Group {
        group_id: id.clone(),
        account: None,
        vpc_id: None,
        vpc_peering_connection_id: None,
    };
    for (group, name, port, peer) in [
        (
            &f.alb_security_group,
            "alb",
            443,
            RulePeer::Cidr {
                cidr: "0.0.0.0/0".into(),
            },
        ),
        (
            &f.app_security_group,
            "app",
            8080,
            group_peer(&f.alb_security_group),
        ),
        (
            &f.db_security_group,
            "db",
            5432,
            group_peer(&f.app_security_group),
        ),
    ] {
        let attrs = attrs!(find(snapshot, region, group), SecurityGroupAttrs);
        assert_eq!(attrs.group_name, name);
        let ingress: Vec<_> = attrs
            .ingress
            .iter()
            .map(|r| (r.protocol.as_str(), r.from_port, r.to_port, r.peer.clone()))
            .collect();
        assert_eq!(ingress, [("tcp", Some(port), Some(port), peer)], "{name}");
        let egress: Vec<_> = attrs
            .egress
            .iter()
            .map(|r| (r.protocol.as_str(), r.from_port, r.peer.clone()))
            .collect();
        assert_eq!(
            egress,
            [(
                "-1",
                None,
                RulePeer::Cidr {
                    cidr: "0.0.0.0/0".into()
                }
            )],
            "{name}"
        );
        for rule in attrs.ingress.iter().chain(&attrs.egress) {
            assert!(
                rule.rule_id
                    .as_deref()
                    .is_some_and(|id| id.starts_with("sgr-")),
                "{name}: {rule:?}"
            );
        }
    }
    assert!(attrs!(
        find(snapshot, region, &f.default_security_group),
        SecurityGroupAttrs
    )
    .ingress
    .is_empty());

    // Instances, their interfaces and root volumes.
    assert_eq!(
        ids(of(
            snapshot,
            region,
            ResourceKind::Compute(strata::services::compute::Kind::Instance)
        )),
        set([&f.app_instances[0], &f.app_instances[1]])
    );
    for (index, id) in f.app_instances.iter().enumerate() {
        let instance = find(snapshot, region, id);
        assert_eq!(instance.name, format!("app-{}", index + 1));
        let attrs = attrs!(instance, Ec2InstanceAttrs);
        assert_eq!(
            (
                attrs.state.as_str(),
                attrs.instance_type.as_str(),
                attrs.availability_zone.as_str()
            ),
            ("running", "t3.micro", f.zones[index].as_str())
        );
        assert_eq!(attrs.subnet_id.as_ref(), Some(&f.app_subnets[index]));
        assert_eq!(attrs.vpc_id.as_ref(), Some(&f.vpc));
        assert_eq!(attrs.security_group_ids, [f.app_security_group.clone()]);
        assert_eq!(attrs.image_id.as_deref(), Some(AMI));
        assert_eq!(attrs.network_interface_ids.len(), 1);
        let interface = attrs!(
            find(snapshot, region, &attrs.network_interface_ids[0]),
            NetworkInterfaceAttrs
        );
        assert_eq!(interface.attached_instance_id.as_ref(), Some(id));
        assert_eq!(interface.subnet_id, f.app_subnets[index]);
        assert_eq!(attrs.private_ip.as_ref(), interface.private_ips.first());
    }
    let interfaces = in_vpc(
        of(
            snapshot,
            region,
            ResourceKind::Network(strata::services::network::Kind::NetworkInterface),
        ),
        &f.vpc,
        |r| &attrs!(r, NetworkInterfaceAttrs).vpc_id,
    );
    let attached: BTreeSet<Option<String>> = interfaces
        .iter()
        .map(|r| {
            attrs!(r, NetworkInterfaceAttrs)
                .attached_instance_id
                .clone()
        })
        .collect();
    assert_eq!(
        attached,
        BTreeSet::from([
            None,
            Some(f.app_instances[0].clone()),
            Some(f.app_instances[1].clone())
        ])
    );
    let volumes: BTreeSet<String> = of(
        snapshot,
        region,
        ResourceKind::Compute(strata::services::compute::Kind::Volume),
    )
    .iter()
    .flat_map(|r| {
        attrs!(r, EbsVolumeAttrs)
            .attachments
            .iter()
            .map(|a| a.instance_id.clone())
    })
    .collect();
    assert_eq!(volumes, set([&f.app_instances[0], &f.app_instances[1]]));

    // The ALB, its listeners, the target group and the health of its targets.
    assert_eq!(
        ids(of(
            snapshot,
            region,
            ResourceKind::LoadBalancing(strata::services::elbv2::Kind::LoadBalancer)
        )),
        set([&f.load_balancer_arn])
    );
    let lb = find(snapshot, region, &f.load_balancer_arn);
    assert_eq!(lb.name, "shop");
    assert_eq!(
        lb.tags,
        std::collections::BTreeMap::from([("team".to_string(), "web".to_string())])
    );
    let lb = attrs!(lb, LoadBalancerAttrs);
    assert_eq!(
        (lb.lb_type.as_str(), lb.scheme.as_str(), &lb.vpc_id),
        ("application", "internet-facing", &f.vpc)
    );
    assert_eq!(
        lb.availability_zones,
        [
            LoadBalancerZone {
                zone_name: f.zones[0].clone(),
                subnet_id: f.public_subnets[0].clone()
            },
            LoadBalancerZone {
                zone_name: f.zones[1].clone(),
                subnet_id: f.public_subnets[1].clone()
            },
        ]
    );
    assert_eq!(lb.security_group_ids, [f.alb_security_group.clone()]);
    assert_eq!(
        ids(of(
            snapshot,
            region,
            ResourceKind::LoadBalancing(strata::services::elbv2::Kind::Listener)
        )),
        set([&f.https_listener_arn, &f.http_listener_arn])
    );
    let listener = |arn: &str| {
        let attrs = attrs!(find(snapshot, region, arn), ListenerAttrs);
        assert_eq!(attrs.load_balancer_arn, f.load_balancer_arn);
        (
            attrs.protocol.clone(),
            attrs.port,
            attrs.default_actions.clone(),
        )
    };
    assert_eq!(
        listener(&f.https_listener_arn),
        (
            "HTTPS".into(),
            443,
            vec![ListenerAction {
                action_type: "forward".into(),
                target_group_arns: vec![f.target_group_arn.clone()]
            }]
        )
    );
    assert_eq!(
        listener(&f.http_listener_arn),
        (
            "HTTP".into(),
            80,
            vec![ListenerAction {
                action_type: "redirect".into(),
                target_group_arns: vec![]
            }]
        )
    );
    assert_eq!(
        ids(of(
            snapshot,
            region,
            ResourceKind::LoadBalancing(strata::services::elbv2::Kind::TargetGroup)
        )),
        set([&f.target_group_arn])
    );
    let group = attrs!(
        find(snapshot, region, &f.target_group_arn),
        TargetGroupAttrs
    );
    assert_eq!(
        (group.name.as_str(), group.protocol.as_deref(), group.port),
        ("app", Some("HTTP"), Some(8080))
    );
    assert_eq!(
        (group.target_type.as_str(), group.vpc_id.as_ref()),
        ("instance", Some(&f.vpc))
    );
    assert_eq!(group.load_balancer_arns, [f.load_balancer_arn.clone()]);
    assert_eq!(group.health_check_path.as_deref(), Some("/health"));
    let targets: BTreeSet<(String, Option<i32>, String)> = group
        .targets
        .as_ref()
        .expect("target health was read")
        .iter()
        .map(|t| (t.id.clone(), t.port, t.health.clone()))
        .collect();
    assert_eq!(
        targets,
        f.app_instances
            .iter()
            .map(|id| (id.clone(), Some(8080), "healthy".to_string()))
            .collect()
    );

    // RDS: the Multi-AZ PostgreSQL instance in its subnet group.
    assert_eq!(
        ids(of(
            snapshot,
            region,
            ResourceKind::Rds(strata::services::rds::Kind::DbSubnetGroup)
        )),
        set([&f.db_subnet_group])
    );
    let subnet_group = attrs!(
        find(snapshot, region, &f.db_subnet_group),
        DbSubnetGroupAttrs
    );
    assert_eq!(subnet_group.vpc_id, f.vpc);
    let db_subnets: BTreeSet<(String, String)> = subnet_group
        .subnets
        .iter()
        .map(|s| (s.subnet_id.clone(), s.availability_zone.clone()))
        .collect();
    assert_eq!(
        db_subnets,
        BTreeSet::from([
            (f.db_subnets[0].clone(), f.zones[0].clone()),
            (f.db_subnets[1].clone(), f.zones[1].clone())
        ])
    );
    assert_eq!(
        ids(of(
            snapshot,
            region,
            ResourceKind::Rds(strata::services::rds::Kind::Instance)
        )),
        set([&f.db_instance])
    );
    let db = find(snapshot, region, &f.db_instance);
    assert_eq!(db.name, "orders-db");
    assert_eq!(
        db.arn.as_deref(),
        Some(format!("arn:aws:rds:{region}:{ACCOUNT}:db:orders").as_str())
    );
    let db = attrs!(db, RdsInstanceAttrs);
    assert_eq!(
        (
            db.db_instance_class.as_str(),
            db.engine.as_str(),
            db.engine_version.as_str(),
            db.multi_az,
            db.allocated_storage_gib
        ),
        ("db.t3.medium", "postgres", "16.3", true, 50)
    );
    assert_eq!(db.db_subnet_group.as_ref(), Some(&f.db_subnet_group));
    assert_eq!(db.vpc_id.as_ref(), Some(&f.vpc));
    assert_eq!(db.security_group_ids, [f.db_security_group.clone()]);
    assert_eq!(db.endpoint_port, Some(5432));
    assert!(of(
        snapshot,
        region,
        ResourceKind::Rds(strata::services::rds::Kind::Cluster)
    )
    .is_empty());
}

#[tokio::test(flavor = "multi_thread")]
async fn captures_the_reference_fixture_in_two_regions_exactly_and_deterministically() {
    let moto = Moto::start().await;
    let (east, west) = tokio::join!(
        reference_fixture(&moto, "us-east-1"),
        reference_fixture(&moto, "eu-west-1")
    );

    let snapshot = scan(&moto, &["us-east-1", "eu-west-1"]).await;
    assert_reference_fixture(&snapshot, &east);
    assert_reference_fixture(&snapshot, &west);

    let meta = &snapshot.scan;
    assert_eq!(meta.regions, ["eu-west-1", "us-east-1"]);
    assert_eq!(
        meta.services,
        ["ec2", "elasticache", "elasticloadbalancing", "rds"]
    );
    assert_eq!(
        meta.accounts,
        [AccountMeta {
            id: ACCOUNT.into(),
            name: ACCOUNT.into(),
            role_arn: None
        }]
    );
    assert_eq!(
        meta.tool_version,
        format!("strata {}", env!("CARGO_PKG_VERSION"))
    );
    assert!(meta.skipped.is_empty() && meta.failed_regions.is_empty() && meta.complete);
    for stamp in [&meta.started_at, &meta.finished_at] {
        time::OffsetDateTime::parse(stamp, &time::format_description::well_known::Rfc3339)
            .unwrap_or_else(|error| panic!("{stamp} is not RFC 3339: {error}"));
    }

    // Nothing secret: no DB password, master user or instance user data.
    let json = snapshot.to_json();
    for secret in [
        east.db_password.as_str(),
        "shopadmin",
        "c2VjcmV0LXVzZXItZGF0YQ==",
        "secret-user-data",
    ] {
        assert!(!json.contains(secret), "the snapshot contains {secret:?}");
    }
    // Sorted as the contract says, and the file reads back identically.
    let mut normalized = snapshot.clone();
    normalized.normalize();
    assert_eq!(normalized, snapshot);
    assert_eq!(
        Snapshot::from_slice(json.as_bytes(), "scan").unwrap(),
        snapshot
    );

    // A second scan of the unchanged estate differs only in its timestamps.
    let mut again = scan(&moto, &["eu-west-1", "us-east-1"]).await;
    again.scan.started_at = snapshot.scan.started_at.clone();
    again.scan.finished_at = snapshot.scan.finished_at.clone();
    assert_eq!(again.to_json(), json);
}

#[tokio::test(flavor = "multi_thread")]
async fn paginates_beyond_one_page_of_instances_and_load_balancers() {
    const INSTANCES: usize = 105; // moto pages DescribeInstances at 100 reservations
    const LOAD_BALANCERS: usize = 53; // and DescribeLoadBalancers at 50
    let moto = Moto::start().await;
    let region = "us-east-1";
    let ec2 = moto.ec2(region);
    let mut instances = BTreeSet::new();
    for _ in 0..INSTANCES {
        // One reservation per call.
        let reservation = ec2
            .run_instances()
            .image_id(AMI)
            .min_count(1)
            .max_count(1)
            .send()
            .await
            .expect("run instance");
        instances.extend(
            reservation
                .instances()
                .iter()
                .filter_map(|i| i.instance_id().map(str::to_string)),
        );
    }
    let subnets: Vec<String> = ec2
        .describe_subnets()
        .send()
        .await
        .expect("default subnets")
        .subnets()
        .iter()
        .filter_map(|s| s.subnet_id().map(str::to_string))
        .take(2)
        .collect();
    let elbv2 = moto.elbv2(region);
    let mut load_balancers = BTreeSet::new();
    for index in 0..LOAD_BALANCERS {
        let created = elbv2
            .create_load_balancer()
            .name(format!("lb-{index:03}"))
            .set_subnets(Some(subnets.clone()))
            .send()
            .await
            .expect("create load balancer");
        load_balancers.extend(
            created
                .load_balancers()
                .iter()
                .filter_map(|lb| lb.load_balancer_arn().map(str::to_string)),
        );
    }
    assert_eq!(
        (instances.len(), load_balancers.len()),
        (INSTANCES, LOAD_BALANCERS)
    );

    let snapshot = scan(&moto, &[region]).await;
    assert_eq!(
        ids(of(
            &snapshot,
            region,
            ResourceKind::Compute(strata::services::compute::Kind::Instance)
        )),
        instances
    );
    assert_eq!(
        ids(of(
            &snapshot,
            region,
            ResourceKind::LoadBalancing(strata::services::elbv2::Kind::LoadBalancer)
        )),
        load_balancers
    );
    // Launched without groups, each instance lists the default VPC's default
    // group only on its interface (a moto quirk AWS shares for some launch
    // paths): the union still finds it.
    let default_vpc = of(
        &snapshot,
        region,
        ResourceKind::Network(strata::services::network::Kind::Vpc),
    )
    .into_iter()
    .find(|vpc| attrs!(vpc, VpcAttrs).is_default)
    .expect("a default VPC")
    .id
    .clone();
    let default_group = of(
        &snapshot,
        region,
        ResourceKind::Network(strata::services::network::Kind::SecurityGroup),
    )
    .into_iter()
    .find(|group| {
        let attrs = attrs!(group, SecurityGroupAttrs);
        attrs.vpc_id == default_vpc && attrs.group_name == "default"
    })
    .expect("the default VPC's default group")
    .id
    .clone();
    for instance in of(
        &snapshot,
        region,
        ResourceKind::Compute(strata::services::compute::Kind::Instance),
    ) {
        assert_eq!(
            attrs!(instance, Ec2InstanceAttrs).security_group_ids,
            [default_group.clone()],
            "{}",
            instance.id
        );
    }
}

// ---------------------------------------------------------------- the CLI

/// Run the built `strata` with a clean environment: no real credentials,
/// profiles or instance metadata, only `envs`.
pub(crate) fn strata(args: &[&str], envs: &[(&str, &str)]) -> Output {
    let (mut command, _home) = strata_command(args, envs);
    command.output().expect("cannot run the strata binary")
}

/// The built `strata` with a clean environment, to spawn; its temporary HOME
/// lives as long as the returned directory.
pub(crate) fn strata_command(args: &[&str], envs: &[(&str, &str)]) -> (Command, tempfile::TempDir) {
    let home = tempfile::tempdir().expect("temporary HOME");
    let mut command = Command::new(env!("CARGO_BIN_EXE_strata-cli"));
    command
        .args(args)
        .env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .env("HOME", home.path())
        .env("AWS_CONFIG_FILE", "/dev/null")
        .env("AWS_SHARED_CREDENTIALS_FILE", "/dev/null")
        .env("AWS_EC2_METADATA_DISABLED", "true");
    for (key, value) in envs {
        command.env(key, value);
    }
    (command, home)
}

pub(crate) const TEST_KEYS: [(&str, &str); 2] = [
    ("AWS_ACCESS_KEY_ID", TEST_ACCESS_KEY),
    ("AWS_SECRET_ACCESS_KEY", TEST_SECRET_KEY),
];

pub(crate) fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

#[tokio::test(flavor = "multi_thread")]
async fn the_cli_writes_a_two_region_snapshot_file() {
    let moto = Moto::start().await;
    let (east, west) = tokio::join!(
        reference_fixture(&moto, "us-east-1"),
        reference_fixture(&moto, "eu-west-1")
    );
    let directory = tempfile::tempdir().unwrap();
    let path = directory.path().join("snap.json");
    let endpoint = moto.endpoint();
    let args = [
        "scan",
        "--endpoint-url",
        &endpoint,
        "--region",
        "us-east-1",
        "--region",
        "eu-west-1",
        "-o",
        path.to_str().unwrap(),
    ];
    let output = strata(&args, &TEST_KEYS);
    assert!(
        output.status.success(),
        "strata scan failed: {}",
        stderr(&output)
    );
    assert!(
        output.stdout.is_empty(),
        "the snapshot went to the file, not stdout"
    );
    // Not a terminal: a line for the first call, then one plain progress
    // line per region and service (network, compute, elbv2, rds,
    // elasticache).
    let progress = stderr(&output);
    assert_eq!(
        progress.lines().next(),
        Some("strata: identifying the account (sts:GetCallerIdentity in us-east-1)…"),
        "{progress}"
    );
    assert_eq!(
        progress
            .lines()
            .filter(|l| l.starts_with("strata: scanned "))
            .count(),
        2 * 5,
        "{progress}"
    );

    let snapshot = Snapshot::read(&path).expect("a readable snapshot");
    assert_reference_fixture(&snapshot, &east);
    assert_reference_fixture(&snapshot, &west);

    // --quiet: nothing on stderr; no -o: the snapshot on stdout.
    let args = [
        "scan",
        "--quiet",
        "--endpoint-url",
        &endpoint,
        "--region",
        "eu-west-1",
    ];
    let output = strata(&args, &TEST_KEYS);
    assert!(output.status.success(), "{}", stderr(&output));
    assert_eq!(stderr(&output), "");
    let on_stdout = Snapshot::from_slice(&output.stdout, "stdout").expect("a snapshot on stdout");
    assert_eq!(on_stdout.scan.regions, ["eu-west-1"]);
    assert_eq!(
        ids(of(
            &on_stdout,
            "eu-west-1",
            ResourceKind::Network(strata::services::network::Kind::Vpc)
        )),
        ids(of(
            &snapshot,
            "eu-west-1",
            ResourceKind::Network(strata::services::network::Kind::Vpc)
        ))
    );
}

/// `strata scan … | strata render - -o x.svg`, through a real shell pipe:
/// the picture is the one of the snapshot that went through the pipe.
#[tokio::test(flavor = "multi_thread")]
async fn a_scan_piped_into_render_draws_its_snapshot() {
    let moto = Moto::start().await;
    reference_fixture(&moto, "eu-west-1").await;
    let directory = tempfile::tempdir().unwrap();
    let piped_svg = directory.path().join("piped.svg");
    let snapshot = directory.path().join("snap.json");
    let binary = env!("CARGO_BIN_EXE_strata-cli");
    let pipeline = format!(
        "'{binary}' scan --quiet --endpoint-url {} --region eu-west-1 | tee '{}' | '{binary}' render - -o '{}'",
        moto.endpoint(),
        snapshot.display(),
        piped_svg.display()
    );
    let output = Command::new("sh")
        .args(["-c", &pipeline])
        .env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .env("HOME", directory.path())
        .env("AWS_CONFIG_FILE", "/dev/null")
        .env("AWS_SHARED_CREDENTIALS_FILE", "/dev/null")
        .env("AWS_EC2_METADATA_DISABLED", "true")
        .envs(TEST_KEYS)
        .output()
        .expect("sh runs");
    assert!(output.status.success(), "{}", stderr(&output));
    assert_eq!(stderr(&output), "");
    let from_file = directory.path().join("from-file.svg");
    let output = strata(
        &[
            "render",
            snapshot.to_str().unwrap(),
            "-o",
            from_file.to_str().unwrap(),
        ],
        &[],
    );
    assert!(output.status.success(), "{}", stderr(&output));
    let piped = std::fs::read_to_string(&piped_svg).unwrap();
    assert!(
        piped.contains("data-kind=\"load-balancer\""),
        "not the estate"
    );
    assert_eq!(piped, std::fs::read_to_string(&from_file).unwrap());

    // Scanning straight to DOT takes --dot-layout as render does.
    let positioned = directory.path().join("positioned.dot");
    let output = strata(
        &[
            "scan",
            "--quiet",
            "--endpoint-url",
            &moto.endpoint(),
            "--region",
            "eu-west-1",
            "--dot-layout",
            "strata",
            "-o",
            positioned.to_str().unwrap(),
        ],
        &TEST_KEYS,
    );
    assert!(output.status.success(), "{}", stderr(&output));
    let dot = std::fs::read_to_string(&positioned).unwrap();
    assert!(
        dot.contains("pos=") && dot.contains("notranslate"),
        "not the positioned form"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_denied_action_is_skipped_recorded_and_reported() {
    let moto = Moto::start().await;
    let fixture = reference_fixture(&moto, "us-east-1").await;
    let iam = moto.iam();
    iam.create_user()
        .user_name("scanner")
        .send()
        .await
        .expect("create user");
    let policy = r#"{"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Action": "*", "Resource": "*"},
        {"Effect": "Deny", "Action": ["rds:DescribeDBInstances", "elasticloadbalancing:DescribeTargetHealth"], "Resource": "*"}]}"#;
    iam.put_user_policy()
        .user_name("scanner")
        .policy_name("read-all-but-db-instances")
        .policy_document(policy)
        .send()
        .await
        .expect("attach policy");
    let key = iam
        .create_access_key()
        .user_name("scanner")
        .send()
        .await
        .expect("access key")
        .access_key
        .expect("key");
    moto.reset_auth(true).await;

    let directory = tempfile::tempdir().unwrap();
    let path = directory.path().join("snap.json");
    let endpoint = moto.endpoint();
    let (id, secret) = (
        key.access_key_id().to_string(),
        key.secret_access_key().to_string(),
    );
    // The built binary runs as a child process; blocking this test's thread is fine.
    let run = |strict: bool| {
        let mut args = vec![
            "scan",
            "--endpoint-url",
            &endpoint,
            "--region",
            "us-east-1",
            "-o",
            path.to_str().unwrap(),
        ];
        if strict {
            args.push("--strict");
        }
        strata(
            &args,
            &[
                ("AWS_ACCESS_KEY_ID", &id),
                ("AWS_SECRET_ACCESS_KEY", &secret),
            ],
        )
    };
    let output = run(false);
    let messages = stderr(&output);
    assert!(output.status.success(), "{messages}");
    let skip_lines: Vec<&str> = messages.lines().filter(|l| l.contains("skipped")).collect();
    assert_eq!(
        skip_lines,
        [
            "strata: skipped elasticloadbalancing:DescribeTargetHealth (access denied (AccessDenied)) in 123456789012/us-east-1: the snapshot lacks the targets of target groups and their health; grant elasticloadbalancing:DescribeTargetHealth to scan them",
            "strata: skipped rds:DescribeDBInstances (access denied (AccessDenied)) in 123456789012/us-east-1: the snapshot lacks RDS DB instances; grant rds:DescribeDBInstances to scan them",
        ],
        "{messages}"
    );

    let snapshot = Snapshot::read(&path).unwrap();
    // moto answers RDS and ELBv2 denials in EC2's error format, which those
    // clients cannot parse: the reason names the HTTP status instead of the
    // code (against AWS it reads `access denied (AccessDenied)`).
    let skipped: Vec<_> = snapshot
        .scan
        .skipped
        .iter()
        .map(|s| {
            (
                s.account.as_str(),
                s.region.as_str(),
                s.service.as_str(),
                s.action.as_str(),
                s.left_out.as_str(),
            )
        })
        .collect();
    assert_eq!(
        skipped,
        [
            (
                ACCOUNT,
                "us-east-1",
                "elasticloadbalancing",
                "elasticloadbalancing:DescribeTargetHealth",
                "the targets of target groups and their health"
            ),
            (
                ACCOUNT,
                "us-east-1",
                "rds",
                "rds:DescribeDBInstances",
                "RDS DB instances"
            ),
        ]
    );
    for skip in &snapshot.scan.skipped {
        assert_eq!(skip.reason, "access denied (AccessDenied)");
    }
    // Without target health nobody invents targets.
    let group = attrs!(
        find(&snapshot, "us-east-1", &fixture.target_group_arn),
        TargetGroupAttrs
    );
    assert_eq!(group.targets, None);
    assert!(of(
        &snapshot,
        "us-east-1",
        ResourceKind::Rds(strata::services::rds::Kind::Instance)
    )
    .is_empty());
    // Everything else is still there.
    assert_eq!(
        ids(of(
            &snapshot,
            "us-east-1",
            ResourceKind::Rds(strata::services::rds::Kind::DbSubnetGroup)
        )),
        set([&fixture.db_subnet_group])
    );
    assert_eq!(
        ids(of(
            &snapshot,
            "us-east-1",
            ResourceKind::Compute(strata::services::compute::Kind::Instance)
        )),
        set([&fixture.app_instances[0], &fixture.app_instances[1]])
    );

    // --strict turns the skip into exit status 1, the snapshot still written.
    std::fs::remove_file(&path).unwrap();
    let output = run(true);
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    assert!(Path::new(&path).exists());
}

/// A failed command prints exactly one line, `strata: …`, and exits 2
/// (after the progress lines of the steps it began, which end in `…`).
fn assert_one_line_error(output: &Output, expected: &[&str]) {
    let stderr = stderr(output);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    let errors: Vec<&str> = stderr.lines().filter(|line| !line.ends_with('…')).collect();
    assert_eq!(errors.len(), 1, "not one line: {stderr}");
    let message = errors[0];
    assert!(message.starts_with("strata: "), "{message}");
    for part in expected {
        assert!(message.contains(part), "{message:?} lacks {part:?}");
    }
}

/// What `scan` and `iam check` print when nothing listens at the endpoint.
fn refused(endpoint: &str, attempts: &str) -> String {
    format!(
        "strata: cannot reach AWS at {endpoint} for sts:GetCallerIdentity in eu-west-1 (connection refused after {attempts}); check --endpoint-url, the region name and your network or proxy\n"
    )
}

#[test]
fn a_refused_endpoint_gives_up_at_once_with_progress_and_a_true_message() {
    let endpoint = format!("http://127.0.0.1:{}", free_port());
    let first_call = "strata: identifying the account (sts:GetCallerIdentity in eu-west-1)…\n";
    for command in [&["scan"][..], &["iam", "check"]] {
        let args = [
            command,
            &["--endpoint-url", &endpoint, "--region", "eu-west-1"],
        ]
        .concat();
        let started = Instant::now();
        let output = strata(&args, &TEST_KEYS);
        let took = started.elapsed();
        assert_eq!(output.status.code(), Some(2), "{}", stderr(&output));
        // The progress line comes before the call, then one true line: two
        // attempts, not the ten --max-attempts allows for throttling.
        assert_eq!(
            stderr(&output),
            format!("{first_call}{}", refused(&endpoint, "2 attempts")),
            "{command:?}"
        );
        // Typically about a second (the README has the timings); the bound
        // is generous for a busy machine.
        assert!(took < Duration::from_secs(10), "{command:?} took {took:?}");
    }
    let output = strata(
        &[
            "scan",
            "--quiet",
            "--endpoint-url",
            &endpoint,
            "--region",
            "eu-west-1",
            "--max-attempts",
            "1",
        ],
        &TEST_KEYS,
    );
    assert_eq!(stderr(&output), refused(&endpoint, "1 attempt"));

    // On a terminal (a pseudo-terminal from util-linux's `script`) the step
    // is a spinner, cleared before the error, not a line of its own.
    let command_line = format!(
        "'{}' scan --endpoint-url {endpoint} --region eu-west-1",
        env!("CARGO_BIN_EXE_strata-cli")
    );
    let output = Command::new("script")
        .args(["-qefc", &command_line, "/dev/null"])
        .env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .env("TERM", "xterm")
        .env("AWS_CONFIG_FILE", "/dev/null")
        .env("AWS_SHARED_CREDENTIALS_FILE", "/dev/null")
        .env("AWS_EC2_METADATA_DISABLED", "true")
        .envs(TEST_KEYS)
        .output()
        .expect("util-linux's script runs");
    assert_eq!(output.status.code(), Some(2));
    let screen = String::from_utf8_lossy(&output.stdout);
    assert!(
        screen.contains("identifying the account (sts:GetCallerIdentity in eu-west-1)…"),
        "{screen:?}"
    );
    assert!(!screen.contains("strata: identifying"), "{screen:?}");
    assert!(
        screen.contains(refused(&endpoint, "2 attempts").trim_end()),
        "{screen:?}"
    );
}

#[test]
fn an_endpoint_that_is_not_a_url_is_refused_with_the_arguments() {
    for command in [&["scan"][..], &["iam", "check"]] {
        let args = [
            command,
            &["--endpoint-url", "127.0.0.1:9", "--region", "eu-west-1"],
        ]
        .concat();
        let output = strata(&args, &TEST_KEYS);
        assert_eq!(output.status.code(), Some(2), "{}", stderr(&output));
        assert_eq!(
            stderr(&output).lines().next(),
            Some("error: invalid value '127.0.0.1:9' for '--endpoint-url <URL>': no scheme; write http://127.0.0.1:9 or https://127.0.0.1:9"),
            "{command:?}"
        );
    }
    // The environment variable is held to the same rules, before any call.
    let mut environment = TEST_KEYS.to_vec();
    environment.push(("AWS_ENDPOINT_URL", "127.0.0.1:9"));
    let output = strata(&["scan", "--region", "eu-west-1"], &environment);
    assert_eq!(output.status.code(), Some(2), "{}", stderr(&output));
    assert_eq!(
        stderr(&output),
        "strata: AWS_ENDPOINT_URL=\"127.0.0.1:9\": no scheme; write http://127.0.0.1:9 or https://127.0.0.1:9; fix or unset it\n"
    );
}

#[test]
fn missing_credentials_profile_or_region_say_what_to_do() {
    let dead = format!("http://127.0.0.1:{}", free_port());
    let output = strata(
        &["scan", "--endpoint-url", &dead, "--region", "eu-west-1"],
        &[],
    );
    assert_one_line_error(&output, &["no AWS credentials found", "--profile"]);

    let directory = tempfile::tempdir().unwrap();
    let config = directory.path().join("config");
    std::fs::write(&config, "[profile real]\nregion = eu-west-1\n").unwrap();
    let config = config.to_str().unwrap();
    let unknown_profile = [
        "scan",
        "--profile",
        "nope",
        "--endpoint-url",
        &dead,
        "--region",
        "eu-west-1",
    ];
    let output = strata(&unknown_profile, &[("AWS_CONFIG_FILE", config)]);
    assert_one_line_error(&output, &["AWS profile `nope` is not defined", "--profile"]);
    // AWS_PROFILE gets the very same message (it used to be told about a
    // missing region or missing credentials instead).
    let from_environment = strata(
        &["scan", "--endpoint-url", &dead],
        &[("AWS_CONFIG_FILE", config), ("AWS_PROFILE", "nope")],
    );
    assert_eq!(stderr(&from_environment), stderr(&output));
    assert_eq!(from_environment.status.code(), Some(2));

    // Regression: keys in the environment won over --profile, so a mistyped
    // profile silently scanned whatever account the keys belong to.
    let mut keys_and_config = TEST_KEYS.to_vec();
    keys_and_config.push(("AWS_CONFIG_FILE", config));
    let output = strata(&unknown_profile, &keys_and_config);
    assert_one_line_error(
        &output,
        &["--profile nope is ignored while AWS_ACCESS_KEY_ID is set"],
    );

    let output = strata(&["scan", "--endpoint-url", &dead], &TEST_KEYS);
    assert_one_line_error(&output, &["no AWS region configured", "--region"]);
}

#[test]
fn an_expired_session_says_to_refresh_it() {
    let directory = tempfile::tempdir().unwrap();
    let config = directory.path().join("config");
    let process = r#"{"Version": 1, "AccessKeyId": "AKIDEXPIRED", "SecretAccessKey": "s", "SessionToken": "t", "Expiration": "2020-01-01T00:00:00Z"}"#;
    std::fs::write(
        &config,
        format!("[profile old]\nregion = eu-west-1\ncredential_process = echo '{process}'\n"),
    )
    .unwrap();
    let dead = format!("http://127.0.0.1:{}", free_port());
    let output = strata(
        &["scan", "--profile", "old", "--endpoint-url", &dead],
        &[("AWS_CONFIG_FILE", config.to_str().unwrap())],
    );
    assert_one_line_error(&output, &["expired", "refresh"]);
}

/// Not a check: writes `examples/two-region.json` from a seeded moto.
/// Run through `examples/regenerate.sh`, which sets STRATA_EXAMPLES_DIR.
#[tokio::test(flavor = "multi_thread")]
#[ignore = "regenerates the bundled examples; run examples/regenerate.sh"]
async fn regenerate_examples() {
    let directory = std::env::var("STRATA_EXAMPLES_DIR")
        .expect("STRATA_EXAMPLES_DIR must name the directory to write the examples to");
    let moto = Moto::start().await;
    let (east, west) = tokio::join!(
        reference_fixture(&moto, "us-east-1"),
        reference_fixture(&moto, "eu-west-1")
    );
    tokio::join!(
        crate::support::seed::realistic_extras(&moto, &east),
        crate::support::seed::realistic_extras(&moto, &west)
    );
    let snapshot = scan(&moto, &["us-east-1", "eu-west-1"]).await;
    let path = Path::new(&directory).join("two-region.json");
    strata::output::write_atomic(Some(&path), snapshot.to_json().as_bytes())
        .expect("write the example");
}

#[tokio::test(flavor = "multi_thread")]
async fn captures_peering_transit_gateways_endpoints_egress_only_gateways_and_clusters() {
    let moto = Moto::start().await;
    let region = "us-east-1";
    let ec2 = moto.ec2(region);
    let left = create_vpc(&ec2, "10.1.0.0/16", None).await;
    let right = create_vpc(&ec2, "10.2.0.0/16", None).await;
    let subnet = create_subnet(&ec2, &left, "10.1.0.0/24", "us-east-1a", None).await;
    let peering = peer_vpcs(&ec2, &left, &right).await;
    let transit_gateway = ec2
        .create_transit_gateway()
        .description("hub")
        .send()
        .await
        .expect("create TGW")
        .transit_gateway
        .and_then(|t| t.transit_gateway_id)
        .expect("TGW id");
    let attachment = ec2
        .create_transit_gateway_vpc_attachment()
        .transit_gateway_id(&transit_gateway)
        .vpc_id(&left)
        .subnet_ids(&subnet)
        .send()
        .await
        .expect("attach VPC")
        .transit_gateway_vpc_attachment
        .and_then(|a| a.transit_gateway_attachment_id)
        .expect("attachment id");
    let egress_only = ec2
        .create_egress_only_internet_gateway()
        .vpc_id(&left)
        .send()
        .await
        .expect("create egress-only IGW")
        .egress_only_internet_gateway
        .and_then(|g| g.egress_only_internet_gateway_id)
        .expect("egress-only IGW id");
    let main_table = ec2
        .describe_route_tables()
        .filters(
            aws_sdk_ec2::types::Filter::builder()
                .name("vpc-id")
                .values(&left)
                .build(),
        )
        .send()
        .await
        .expect("route tables")
        .route_tables
        .and_then(|t| t.into_iter().next())
        .and_then(|t| t.route_table_id)
        .expect("main table");
    ec2.create_route()
        .route_table_id(&main_table)
        .destination_cidr_block("10.2.0.0/16")
        .vpc_peering_connection_id(&peering)
        .send()
        .await
        .expect("route to the peer");
    ec2.create_route()
        .route_table_id(&main_table)
        .destination_cidr_block("10.3.0.0/16")
        .transit_gateway_id(&transit_gateway)
        .send()
        .await
        .expect("route to the TGW");
    let endpoint = ec2
        .create_vpc_endpoint()
        .vpc_id(&left)
        .vpc_endpoint_type(aws_sdk_ec2::types::VpcEndpointType::Gateway)
        .service_name("com.amazonaws.us-east-1.s3")
        .route_table_ids(&main_table)
        .send()
        .await
        .expect("create S3 endpoint")
        .vpc_endpoint
        .and_then(|e| e.vpc_endpoint_id)
        .expect("endpoint id");

    // An Aurora cluster with a writer and a reader in a subnet group.
    let second_subnet = create_subnet(&ec2, &left, "10.1.1.0/24", "us-east-1b", None).await;
    let rds = moto.rds(region);
    rds.create_db_subnet_group()
        .db_subnet_group_name("ledger-db")
        .db_subnet_group_description("ledger")
        .subnet_ids(&subnet)
        .subnet_ids(&second_subnet)
        .send()
        .await
        .expect("create DB subnet group");
    rds.create_db_cluster()
        .db_cluster_identifier("ledger")
        .engine("aurora-postgresql")
        .master_username("ledgeradmin")
        .master_user_password("not-in-the-snapshot")
        .db_subnet_group_name("ledger-db")
        .send()
        .await
        .expect("create DB cluster");
    for member in ["ledger-1", "ledger-2"] {
        rds.create_db_instance()
            .db_instance_identifier(member)
            .db_cluster_identifier("ledger")
            .engine("aurora-postgresql")
            .db_instance_class("db.r6g.large")
            .send()
            .await
            .expect("create cluster member");
    }

    let snapshot = scan(&moto, &[region]).await;

    assert_eq!(
        ids(of(
            &snapshot,
            region,
            ResourceKind::Network(strata::services::network::Kind::VpcPeeringConnection)
        )),
        set([&peering])
    );
    let peering_attrs = attrs!(find(&snapshot, region, &peering), VpcPeeringConnectionAttrs);
    assert_eq!(peering_attrs.status, "active");
    assert_eq!(
        (
            &peering_attrs.requester.vpc_id,
            &peering_attrs.accepter.vpc_id
        ),
        (&left, &right)
    );
    assert_eq!(peering_attrs.requester.account, ACCOUNT);
    assert_eq!(peering_attrs.requester.cidr_blocks, ["10.1.0.0/16"]);
    assert_eq!(peering_attrs.accepter.cidr_blocks, ["10.2.0.0/16"]);

    assert_eq!(
        ids(of(
            &snapshot,
            region,
            ResourceKind::Network(strata::services::network::Kind::TransitGateway)
        )),
        set([&transit_gateway])
    );
    let tgw = attrs!(
        find(&snapshot, region, &transit_gateway),
        TransitGatewayAttrs
    );
    assert_eq!(
        (tgw.description.as_str(), tgw.owner_id.as_str()),
        ("hub", ACCOUNT)
    );
    assert_eq!(
        ids(of(
            &snapshot,
            region,
            ResourceKind::Network(strata::services::network::Kind::TransitGatewayAttachment)
        )),
        set([&attachment])
    );
    let tgw_attachment = attrs!(
        find(&snapshot, region, &attachment),
        TransitGatewayAttachmentAttrs
    );
    assert_eq!(
        (
            &tgw_attachment.transit_gateway_id,
            tgw_attachment.resource_type.as_str(),
            &tgw_attachment.resource_id
        ),
        (&transit_gateway, "vpc", &left)
    );
    assert_eq!(tgw_attachment.subnet_ids, [subnet.clone()]);

    assert_eq!(
        ids(of(
            &snapshot,
            region,
            ResourceKind::Network(strata::services::network::Kind::EgressOnlyInternetGateway)
        )),
        set([&egress_only])
    );
    assert_eq!(
        attrs!(
            find(&snapshot, region, &egress_only),
            EgressOnlyInternetGatewayAttrs
        )
        .attachments,
        [GatewayAttachment {
            vpc_id: left.clone(),
            state: "attached".into()
        }]
    );

    assert_eq!(
        ids(of(
            &snapshot,
            region,
            ResourceKind::Network(strata::services::network::Kind::VpcEndpoint)
        )),
        set([&endpoint])
    );
    let endpoint_attrs = attrs!(find(&snapshot, region, &endpoint), VpcEndpointAttrs);
    assert_eq!(
        (
            endpoint_attrs.service_name.as_str(),
            endpoint_attrs.endpoint_type.as_str(),
            &endpoint_attrs.vpc_id
        ),
        ("com.amazonaws.us-east-1.s3", "Gateway", &left)
    );
    assert_eq!(endpoint_attrs.route_table_ids, [main_table.clone()]);

    let targets: BTreeSet<(String, RouteTarget)> =
        attrs!(find(&snapshot, region, &main_table), RouteTableAttrs)
            .routes
            .iter()
            .map(|route| (route.destination.clone(), route.target.clone()))
            .collect();
    let expected: BTreeSet<(String, RouteTarget)> = [
        ("10.1.0.0/16".to_string(), RouteTarget::Local),
        (
            "10.2.0.0/16".to_string(),
            RouteTarget::VpcPeeringConnection(peering.clone()),
        ),
        (
            "10.3.0.0/16".to_string(),
            RouteTarget::TransitGateway(transit_gateway.clone()),
        ),
    ]
    .into_iter()
    .collect();
    let cluster = find(&snapshot, region, "ledger");
    assert_eq!(
        cluster.arn.as_deref(),
        Some("arn:aws:rds:us-east-1:123456789012:cluster:ledger")
    );
    let cluster = attrs!(cluster, RdsClusterAttrs);
    assert_eq!(cluster.engine, "aurora-postgresql");
    assert_eq!(cluster.db_subnet_group.as_deref(), Some("ledger-db"));
    assert_eq!(cluster.vpc_id.as_ref(), Some(&left));
    let members: Vec<&str> = cluster
        .members
        .iter()
        .map(|m| m.db_instance_identifier.as_str())
        .collect();
    assert_eq!(members, ["ledger-1", "ledger-2"]);
    assert_eq!(
        cluster.members.iter().filter(|m| m.is_writer).count(),
        1,
        "{:?}",
        cluster.members
    );
    for member in ["ledger-1", "ledger-2"] {
        let instance = attrs!(find(&snapshot, region, member), RdsInstanceAttrs);
        assert_eq!(instance.cluster_identifier.as_deref(), Some("ledger"));
        assert_eq!(instance.db_instance_class, "db.r6g.large");
    }
    assert!(!snapshot.to_json().contains("not-in-the-snapshot"));

    // The endpoint adds a prefix-list route to S3 as well.
    let (prefix_routes, cidr_routes): (BTreeSet<_>, BTreeSet<_>) = targets
        .into_iter()
        .partition(|(destination, _)| destination.starts_with("pl-"));
    assert_eq!(cidr_routes, expected);
    assert_eq!(
        prefix_routes
            .into_iter()
            .map(|(_, target)| target)
            .collect::<Vec<_>>(),
        [RouteTarget::VpcEndpoint(endpoint.clone())]
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn all_regions_scans_every_enabled_region() {
    let moto = Moto::start().await;
    let mut enabled: Vec<String> = moto
        .ec2("us-east-1")
        .describe_regions()
        .send()
        .await
        .expect("describe regions")
        .regions()
        .iter()
        .filter_map(|region| region.region_name().map(str::to_string))
        .collect();
    enabled.sort();
    assert!(enabled.len() > 2, "{enabled:?}");
    let endpoint = moto.endpoint();
    // No --region: the region listing itself needs none.
    let output = strata(
        &[
            "scan",
            "--quiet",
            "--all-regions",
            "--endpoint-url",
            &endpoint,
        ],
        &TEST_KEYS,
    );
    assert!(output.status.success(), "{}", stderr(&output));
    let snapshot = Snapshot::from_slice(&output.stdout, "stdout").expect("a snapshot");
    assert_eq!(snapshot.scan.regions, enabled);
    // Every region's default VPC was read.
    let regions_with_a_vpc: Vec<String> = snapshot
        .of_kind(ResourceKind::Network(strata::services::network::Kind::Vpc))
        .map(|vpc| vpc.region.clone())
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    assert_eq!(regions_with_a_vpc, enabled);
}

/// A stand-in for AWS that answers every request with `status` and an STS
/// (awsQuery) error `code`, counting the requests it gets.
async fn failing_endpoint(
    status: u16,
    code: &'static str,
) -> (String, std::sync::Arc<std::sync::atomic::AtomicUsize>) {
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::sync::Arc;

    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let endpoint = format!("http://{}", listener.local_addr().unwrap());
    let requests = Arc::new(AtomicUsize::new(0));
    let counter = Arc::clone(&requests);
    tokio::spawn(async move {
        while let Ok((stream, _)) = listener.accept().await {
            let counter = Arc::clone(&counter);
            tokio::spawn(async move {
                let service = hyper::service::service_fn(move |_request| {
                    counter.fetch_add(1, Ordering::SeqCst);
                    let body = format!(
                        "<ErrorResponse><Error><Type>Receiver</Type><Code>{code}</Code><Message>try later</Message></Error><RequestId>r</RequestId></ErrorResponse>"
                    );
                    async move {
                        hyper::Response::builder()
                            .status(status)
                            .header("content-type", "text/xml")
                            .body(http_body_util::Full::new(bytes::Bytes::from(body)))
                    }
                });
                let _ = hyper::server::conn::http1::Builder::new()
                    .serve_connection(hyper_util::rt::TokioIo::new(stream), service)
                    .await;
            });
        }
    });
    (endpoint, requests)
}

#[tokio::test(flavor = "multi_thread")]
async fn throttling_and_server_errors_are_retried_up_to_max_attempts() {
    for (status, code) in [(400, "Throttling"), (500, "InternalFailure")] {
        let (endpoint, requests) = failing_endpoint(status, code).await;
        let args: Vec<String> = [
            "scan",
            "--endpoint-url",
            &endpoint,
            "--region",
            "eu-west-1",
            "--max-attempts",
            "3",
        ]
        .map(str::to_string)
        .to_vec();
        let started = std::time::Instant::now();
        let output = tokio::task::spawn_blocking(move || {
            let args: Vec<&str> = args.iter().map(String::as_str).collect();
            strata(&args, &TEST_KEYS)
        })
        .await
        .unwrap();
        assert_one_line_error(
            &output,
            &[
                "sts:GetCallerIdentity failed in eu-west-1 after 3 attempts",
                &format!("({code}: try later)"),
                "--max-concurrency",
            ],
        );
        assert_eq!(
            requests.load(std::sync::atomic::Ordering::SeqCst),
            3,
            "{code} was not retried up to --max-attempts"
        );
        // Backoff with jitter, not a stall: two waits of at most 1 s and 2 s.
        assert!(
            started.elapsed() < std::time::Duration::from_secs(15),
            "{code}: {:?}",
            started.elapsed()
        );
    }
}
