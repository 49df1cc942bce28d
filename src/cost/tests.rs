//! Exact amounts from the bundled rows (quoted beside each case) for every
//! priced kind, and the unpriced cases.

use std::str::FromStr;

use rust_decimal::Decimal;

use super::*;
use crate::prices::file::Row;
use crate::prices::PriceFile;
use crate::services::compute::model::*;
use crate::services::elasticache::model::*;
use crate::services::elbv2::model::*;
use crate::services::network::model::*;
use crate::services::rds::model::*;
use crate::snapshot::*;

fn usd(text: &str) -> Decimal {
    Decimal::from_str(text).unwrap()
}

fn resource(region: &str, id: &str, detail: Detail) -> Resource {
    Resource {
        id: id.into(),
        arn: None,
        account: "123456789012".into(),
        region: region.into(),
        name: id.into(),
        tags: Default::default(),
        detail,
    }
}

fn cost(resource: &Resource) -> Cost {
    cost_in(resource, &PriceBook::bundled(), None)
}

fn cost_in(resource: &Resource, prices: &PriceBook, usage: Option<&Usage>) -> Cost {
    let snapshot = Snapshot::new(ScanMeta::default());
    let context = Context {
        usage,
        ..Context::new(&snapshot, None)
    };
    cost_of(resource, prices, &context)
}

fn month(cost: &Cost) -> Decimal {
    cost.amount(Period::Month)
        .unwrap_or_else(|| panic!("unpriced: {:?}", cost.unpriced))
}

fn instance(region: &str, itype: &str, state: &str, platform: &str) -> Resource {
    resource(
        region,
        "i-1",
        Detail::from(Ec2InstanceAttrs {
            state: state.into(),
            instance_type: itype.into(),
            platform: platform.into(),
            tenancy: "default".into(),
            ..Default::default()
        }),
    )
}

#[test]
fn a_linux_instance_is_its_hourly_rate_times_730_hours() {
    // ec2.csv: us-east-1,m5.large,0.096
    let cost = cost(&instance("us-east-1", "m5.large", "running", "Linux/UNIX"));
    assert_eq!(month(&cost), usd("70.08"));
    assert_eq!(
        cost.charges[0].basis(Period::Month),
        "m5.large Linux on-demand 0.096 USD/hour × 730 h"
    );
    assert_eq!(cost.amount(Period::Hour), Some(usd("0.096")));
    assert_eq!(cost.amount(Period::Day), Some(usd("2.304")));
    assert_eq!(cost.amount(Period::Year), Some(usd("840.96")));
    assert_eq!(cost.charges[0].price.row_key(), "us-east-1,m5.large");
    assert_eq!(cost.usage[0].what, "data transfer out");
}

#[test]
fn stopped_instances_cost_no_compute() {
    let cost = cost(&instance("us-east-1", "m5.large", "stopped", "linux"));
    assert_eq!(month(&cost), Decimal::ZERO);
    assert_eq!(
        cost.notes,
        ["stopped: no compute charge; its volumes are still charged"]
    );
}

#[test]
fn instances_without_a_price_are_unpriced_never_priced_as_linux() {
    let windows = cost(&instance("us-east-1", "m5.large", "running", "Windows"));
    assert_eq!(windows.amount(Period::Month), None);
    assert_eq!(
        windows.unpriced,
        ["platform \"Windows\" is not priced: the price table has Linux/UNIX on-demand rates only"]
    );
    let unknown = cost(&instance("us-east-1", "m9.huge", "running", "linux"));
    assert_eq!(
        unknown.unpriced,
        ["no price for instance type m9.huge in us-east-1 (ec2.csv has no row us-east-1,m9.huge)"]
    );
    let nowhere = cost(&instance("xx-west-9", "m5.large", "running", "linux"));
    assert_eq!(
        nowhere.unpriced,
        ["no instance type m5.large prices for region xx-west-9 (ec2.csv has no prices for region xx-west-9); run `strata prices refresh`"]
    );
    let mut spot = instance("us-east-1", "m5.large", "running", "linux");
    if let Some(attrs) = spot.attrs_mut::<Ec2InstanceAttrs>() {
        attrs.lifecycle = Some("spot".into());
    }
    assert_eq!(cost(&spot).amount(Period::Month), None);
}

#[test]
fn public_ipv4_is_charged_once_on_the_instance_or_its_elastic_ip() {
    // network.csv: us-east-1,public-ipv4,in-use-hour,hour,0.005 (× 730 = 3.65)
    let mut public = instance("us-east-1", "m5.large", "running", "linux");
    if let Some(attrs) = public.attrs_mut::<Ec2InstanceAttrs>() {
        attrs.public_ip = Some("54.0.0.1".into());
    }
    assert_eq!(month(&cost(&public)), usd("73.73"));
    let elastic_ip = resource(
        "us-east-1",
        "eipalloc-1",
        Detail::from(ElasticIpAttrs {
            public_ip: "54.0.0.1".into(),
            association_id: Some("eipassoc-1".into()),
            ..Default::default()
        }),
    );
    let mut snapshot = Snapshot::new(ScanMeta::default());
    snapshot.resources = vec![public.clone(), elastic_ip.clone()];
    let costs = estimate(&snapshot, &PriceBook::bundled(), None);
    assert_eq!(month(&costs[0]), usd("70.08"));
    assert_eq!(month(&costs[1]), usd("3.65"));
    assert_eq!(
        costs[1].charges[0].price.key,
        ["public-ipv4", "in-use-hour"]
    );
    // network.csv: us-east-1,public-ipv4,idle-hour,hour,0.005
    let mut idle = elastic_ip;
    if let Some(attrs) = idle.attrs_mut::<ElasticIpAttrs>() {
        attrs.association_id = None;
    }
    let idle = cost(&idle);
    assert_eq!(month(&idle), usd("3.65"));
    assert_eq!(idle.charges[0].what, "public IPv4 address, idle");
}

fn volume(
    region: &str,
    kind: &str,
    size: i32,
    iops: Option<i32>,
    throughput: Option<i32>,
) -> Resource {
    resource(
        region,
        "vol-1",
        Detail::from(EbsVolumeAttrs {
            size_gib: size,
            volume_type: kind.into(),
            state: "in-use".into(),
            iops,
            throughput,
            ..Default::default()
        }),
    )
}

#[test]
fn gp3_charges_iops_and_throughput_above_the_free_baseline_only() {
    // ebs.csv us-east-1 gp3: storage 0.08/GB-month, iops 0.005/IOPS-month,
    // throughput 40.96/GiBps-month.
    let baseline = cost(&volume("us-east-1", "gp3", 100, Some(3000), Some(125)));
    assert_eq!(month(&baseline), usd("8.00"));
    assert_eq!(baseline.charges.len(), 1);
    let above = cost(&volume("us-east-1", "gp3", 100, Some(4000), Some(250)));
    // 8.00 + 1000 × 0.005 + 125/1024 × 40.96
    assert_eq!(month(&above), usd("18.00"));
    let bases: Vec<String> = above
        .charges
        .iter()
        .map(|c| c.basis(Period::Month))
        .collect();
    assert_eq!(
        bases,
        [
            "gp3 storage 0.08 USD/GB-month × 100 GiB",
            "gp3 IOPS above 3000 0.005 USD/IOPS-month × (4000 − 3000) IOPS",
            "gp3 throughput above 125 MiB/s 40.96 USD/GiBps-month × (250 − 125) ÷ 1024 GiBps",
        ]
    );
    // A monthly price over a day: 8.00 × 24 / 730, to 10 places.
    assert_eq!(baseline.amount(Period::Day), Some(usd("0.2630136986")));
}

#[test]
fn provisioned_iops_volumes_charge_every_iops_io2_by_tier() {
    // io1 us-east-1: storage 0.125, iops 0.065 → 12.5 + 65
    assert_eq!(
        month(&cost(&volume("us-east-1", "io1", 100, Some(1000), None))),
        usd("77.5")
    );
    // io2 us-east-1: 12.5 + 32000 × 0.065 + 32000 × 0.0455 + 16000 × 0.03185
    let io2 = cost(&volume("us-east-1", "io2", 100, Some(80_000), None));
    assert_eq!(month(&io2), usd("4058.1"));
    assert_eq!(io2.charges[3].what, "io2 provisioned IOPS above 64000");
    // gp2 eu-west-1: 0.11 × 8
    assert_eq!(
        month(&cost(&volume("eu-west-1", "gp2", 8, None, None))),
        usd("0.88")
    );
}

#[test]
fn volumes_where_ebs_has_no_prices_are_unpriced() {
    // The bundled EBS feed predates ap-east-2 (which ec2.csv has).
    let taipei = cost(&volume("ap-east-2", "gp3", 100, None, None));
    assert_eq!(
        taipei.unpriced,
        ["no EBS gp3 storage prices for region ap-east-2 (ebs.csv has no prices for region ap-east-2); run `strata prices refresh`"]
    );
    let odd = cost(&volume("us-east-1", "gp9", 100, None, None));
    assert_eq!(
        odd.unpriced,
        ["no price for EBS gp9 storage in us-east-1 (ebs.csv has no row us-east-1,gp9,storage)"]
    );
}

fn nat(region: &str) -> Resource {
    resource(
        region,
        "nat-1",
        Detail::from(NatGatewayAttrs {
            state: "available".into(),
            connectivity_type: "public".into(),
            addresses: vec![NatGatewayAddress {
                network_interface_id: "eni-1".into(),
                allocation_id: Some("eipalloc-1".into()),
                public_ip: Some("54.0.0.9".into()),
                private_ip: None,
            }],
            ..Default::default()
        }),
    )
}

#[test]
fn nat_gateways_are_priced_only_from_a_refreshed_file() {
    let bundled = cost(&nat("us-east-1"));
    assert_eq!(bundled.amount(Period::Month), None);
    assert_eq!(
        bundled.unpriced,
        ["NAT gateway prices are not in the bundled table; run `strata prices refresh`"]
    );
    let row = |dimension: &str, unit: &str| Row {
        table: Table::Network,
        region: "us-east-1".into(),
        key: vec!["nat-gateway".into(), dimension.into()],
        usd: usd("0.045"),
        unit: unit.into(),
        service_code: "AmazonEC2".into(),
        sku: format!("SKU-{dimension}"),
        aws_label: format!("$0.045 per NAT Gateway {dimension}"),
        published: "2026-11-01T00:00:00Z".into(),
    };
    let refreshed = PriceBook::with_file(PriceFile::new(
        "2026-12-01T10:00:00Z".into(),
        "us-east-1".into(),
        vec!["us-east-1".into()],
        vec![row("hour", "hour"), row("data-processed", "GB")],
    ));
    let usage = Usage::parse(
        "[kind.nat-gateway]\ndata_processed_gb = 100\n",
        "usage.toml",
    )
    .unwrap();
    let priced = cost_in(&nat("us-east-1"), &refreshed, Some(&usage));
    // 0.045 × 730 + one public IPv4 (no Elastic IP scanned) 3.65 + 100 × 0.045 assumed
    assert_eq!(month(&priced), usd("41.00"));
    let data = priced.usage[0].charge.as_ref().unwrap();
    assert!(data.assumed);
    assert_eq!(
        data.basis(Period::Month),
        "NAT gateway data processed 0.045 USD/GB × 100 GB (assumed usage)"
    );
    assert_eq!(priced.charges[0].price.source.date_is, "fetched");
    // Rows the file lacks come from the bundled table, named as such.
    assert_eq!(
        priced.charges[1].price.source.kind,
        crate::prices::SourceKind::Bundled
    );
}

fn load_balancer(lb_type: &str, scheme: &str, zones: usize) -> Resource {
    resource(
        "us-east-1",
        "arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/app/web/1",
        Detail::from(LoadBalancerAttrs {
            lb_type: lb_type.into(),
            scheme: scheme.into(),
            state: "active".into(),
            ip_address_type: "ipv4".into(),
            availability_zones: (0..zones)
                .map(|zone| LoadBalancerZone {
                    zone_name: format!("us-east-1{}", char::from(b'a' + zone as u8)),
                    subnet_id: format!("subnet-{zone}"),
                })
                .collect(),
            ..Default::default()
        }),
    )
}

#[test]
fn load_balancers_by_the_hour_with_an_address_per_zone_when_internet_facing() {
    // network.csv us-east-1: alb hour 0.0225, lcu-hour 0.008; nlb hour 0.0225
    let alb = cost(&load_balancer("application", "internet-facing", 2));
    assert_eq!(month(&alb), usd("23.725"));
    assert_eq!(
        alb.charges[1].basis(Period::Month),
        "public IPv4 address 0.005 USD/hour × 2 zones × 730 h"
    );
    assert_eq!(alb.usage[0].what, "LCUs");
    let usage = Usage::parse("[kind.load-balancer]\nlcu = 2\n", "usage.toml").unwrap();
    let busy = cost_in(
        &load_balancer("application", "internet-facing", 2),
        &PriceBook::bundled(),
        Some(&usage),
    );
    assert_eq!(month(&busy), usd("35.405"));
    assert_eq!(
        month(&cost(&load_balancer("network", "internal", 3))),
        usd("16.425")
    );
    // gwlb hour 0.0125, never a public address
    assert_eq!(
        month(&cost(&load_balancer("gateway", "internet-facing", 2))),
        usd("9.125")
    );
}

#[test]
fn interface_endpoints_per_zone_gateway_endpoints_free() {
    let endpoint = |kind: &str, subnets: usize| {
        resource(
            "us-east-1",
            "vpce-1",
            Detail::from(VpcEndpointAttrs {
                endpoint_type: kind.into(),
                state: "available".into(),
                subnet_ids: (0..subnets).map(|s| format!("subnet-{s}")).collect(),
                ..Default::default()
            }),
        )
    };
    // vpc-interface-endpoint,hour-per-az 0.01 × 2 zones × 730
    assert_eq!(month(&cost(&endpoint("Interface", 2))), usd("14.60"));
    let gateway = cost(&endpoint("Gateway", 0));
    assert_eq!(month(&gateway), Decimal::ZERO);
    assert_eq!(gateway.notes, ["gateway endpoints have no charge"]);
}

#[test]
fn transit_gateway_attachments_are_charged_to_the_attached_resources_owner() {
    let attachment = |owner: &str| {
        resource(
            "us-east-1",
            "tgw-attach-1",
            Detail::from(TransitGatewayAttachmentAttrs {
                transit_gateway_id: "tgw-1".into(),
                resource_type: "vpc".into(),
                resource_id: "vpc-1".into(),
                resource_owner_id: owner.into(),
                state: "available".into(),
                ..Default::default()
            }),
        )
    };
    // tgw,vpc-attachment-hour 0.05 × 730
    assert_eq!(month(&cost(&attachment("123456789012"))), usd("36.50"));
    let elsewhere = cost(&attachment("111122223333"));
    assert_eq!(month(&elsewhere), Decimal::ZERO);
    assert_eq!(
        elsewhere.notes,
        ["billed to account 111122223333, the owner of the attached vpc"]
    );
}

fn database(class: &str, engine: &str, multi_az: bool, status: &str, storage: &str) -> Resource {
    resource(
        "us-east-1",
        "orders",
        Detail::from(RdsInstanceAttrs {
            db_instance_class: class.into(),
            engine: engine.into(),
            status: status.into(),
            multi_az,
            allocated_storage_gib: 50,
            storage_type: storage.into(),
            ..Default::default()
        }),
    )
}

#[test]
fn rds_instances_by_class_engine_and_deployment_with_their_storage() {
    // rds.csv us-east-1 db.t3.medium postgres: Single-AZ 0.072, Multi-AZ 0.145;
    // rds_storage.csv gp2 storage: Single-AZ 0.115, Multi-AZ 0.23 per GB-month.
    let single = cost(&database(
        "db.t3.medium",
        "postgres",
        false,
        "available",
        "gp2",
    ));
    assert_eq!(month(&single), usd("58.31"));
    let multi = cost(&database(
        "db.t3.medium",
        "postgres",
        true,
        "available",
        "gp2",
    ));
    assert_eq!(month(&multi), usd("117.35"));
    assert_eq!(
        multi.charges[0].basis(Period::Month),
        "db.t3.medium postgres Multi-AZ on-demand 0.145 USD/hour × 730 h"
    );
    assert_eq!(
        multi.charges[1].basis(Period::Month),
        "RDS gp2 storage Multi-AZ 0.23 USD/GB-month × 50 GiB"
    );
    let stopped = cost(&database(
        "db.t3.medium",
        "postgres",
        false,
        "stopped",
        "gp2",
    ));
    assert_eq!(month(&stopped), usd("5.75"));
}

#[test]
fn aurora_instances_by_class_with_the_cluster_storage_as_usage() {
    // rds.csv us-east-1,db.r6g.large,aurora-postgresql,Aurora-Standard,0.26
    let aurora = cost(&database(
        "db.r6g.large",
        "aurora-postgresql",
        false,
        "available",
        "aurora",
    ));
    assert_eq!(month(&aurora), usd("189.80"));
    assert_eq!(aurora.charges.len(), 1);
    let cluster = cost(&resource(
        "us-east-1",
        "ledger",
        Detail::from(RdsClusterAttrs {
            engine: "aurora-postgresql".into(),
            status: "available".into(),
            ..Default::default()
        }),
    ));
    assert_eq!(month(&cluster), Decimal::ZERO);
    assert_eq!(cluster.usage[0].what, "cluster storage (GB-month)");
}

#[test]
fn rds_without_a_price_is_unpriced() {
    let byol = cost(&database(
        "db.m5.large",
        "oracle-ee",
        false,
        "available",
        "gp2",
    ));
    assert_eq!(
        byol.unpriced,
        ["no price for db.m5.large oracle-ee Single-AZ in us-east-1 (rds.csv has no row us-east-1,db.m5.large,oracle-ee,Single-AZ)"]
    );
    let io1 = cost(&database(
        "db.m5.large",
        "postgres",
        false,
        "available",
        "io1",
    ));
    assert_eq!(
        io1.unpriced,
        ["the provisioned IOPS of io1 storage are not in the snapshot"]
    );
}

fn cache_cluster(node_type: &str, engine: &str, nodes: i32) -> Resource {
    resource(
        "us-east-1",
        "cache-1",
        Detail::from(CacheClusterAttrs {
            engine: engine.into(),
            cache_node_type: node_type.into(),
            status: "available".into(),
            num_cache_nodes: nodes,
            ..Default::default()
        }),
    )
}

#[test]
fn elasticache_nodes_by_type_engine_and_count() {
    // elasticache.csv us-east-1,cache.r7g.large,valkey,0.1752 × 3 nodes × 730
    let cost = cost(&cache_cluster("cache.r7g.large", "valkey", 3));
    assert_eq!(month(&cost), usd("383.688"));
    assert_eq!(
        cost.charges[0].basis(Period::Month),
        "cache.r7g.large valkey node on-demand 0.1752 USD/hour × 3 nodes × 730 h"
    );
    let unknown = super::cost_of(
        &cache_cluster("cache.x9.large", "redis", 1),
        &PriceBook::bundled(),
        &Context::default(),
    );
    assert_eq!(unknown.amount(Period::Month), None);
    // A replication group is billed through its member nodes only.
    let group = resource(
        "us-east-1",
        "sessions",
        Detail::from(ReplicationGroupAttrs {
            status: "available".into(),
            ..Default::default()
        }),
    );
    assert!(
        super::cost_of(&group, &PriceBook::bundled(), &Context::default())
            .charges
            .is_empty()
    );
}
