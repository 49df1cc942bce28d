//! Seeding moto through the AWS API (the SDK's write calls), never by
//! hand-written responses.
//!
//! [`reference_fixture`] builds the reference three-tier estate in one region
//! and returns every id it created, so tests assert exact content.

use aws_sdk_ec2::types::{
    AttributeBooleanValue, DomainType, Filter, InstanceType, IpPermission, IpRange, ResourceType,
    Tag, TagSpecification, UserIdGroupPair,
};
use aws_sdk_elasticloadbalancingv2::types::{
    Action as ElbAction, ActionTypeEnum, Certificate, LoadBalancerSchemeEnum, ProtocolEnum,
    RedirectActionConfig, RedirectActionStatusCodeEnum, TargetDescription,
};

use super::moto::Moto;

/// An Amazon Linux AMI moto knows in every region.
pub const AMI: &str = "ami-760aaa0f";

/// What the reference fixture created in one region.
#[derive(Debug, Clone)]
pub struct Fixture {
    pub region: String,
    pub zones: [String; 2],
    pub vpc: String,
    pub public_subnets: [String; 2],
    pub app_subnets: [String; 2],
    pub db_subnets: [String; 2],
    pub internet_gateway: String,
    pub elastic_ip_allocation: String,
    pub elastic_ip: String,
    pub nat_gateway: String,
    pub main_route_table: String,
    pub public_route_table: String,
    pub private_route_table: String,
    pub default_security_group: String,
    pub alb_security_group: String,
    pub app_security_group: String,
    pub db_security_group: String,
    pub app_instances: [String; 2],
    pub load_balancer_arn: String,
    pub https_listener_arn: String,
    pub http_listener_arn: String,
    pub target_group_arn: String,
    pub db_subnet_group: String,
    pub db_instance: String,
    /// The DB master password the seed set: it must never reach a snapshot.
    pub db_password: String,
}

/// A `Name` tag for a resource created by a seeding call.
pub fn name_tag(resource_type: ResourceType, name: &str) -> TagSpecification {
    TagSpecification::builder()
        .resource_type(resource_type)
        .tags(Tag::builder().key("Name").value(name).build())
        .build()
}

/// One VPC in two zones with public, app and db subnets; an IGW and a NAT
/// gateway (with an EIP); a public route table (0.0.0.0/0 → IGW) for the
/// public subnets, a private one (0.0.0.0/0 → NAT) for the app subnets, the db
/// subnets left on the main table; security groups internet→ALB:443,
/// ALB→app:8080, app→db:5432; two app instances in a target group behind an
/// ALB (HTTPS:443 forwarding, HTTP:80 redirecting); an RDS PostgreSQL
/// Multi-AZ instance in a DB subnet group.
pub async fn reference_fixture(moto: &Moto, region: &str) -> Fixture {
    let ec2 = moto.ec2(region);
    let zones = [format!("{region}a"), format!("{region}b")];

    let vpc = create_vpc(&ec2, "10.0.0.0/16", Some("shop")).await;

    let subnet = |cidr: &'static str, zone: String, name: &'static str| {
        let ec2 = ec2.clone();
        let vpc = vpc.clone();
        async move { create_subnet(&ec2, &vpc, cidr, &zone, Some(name)).await }
    };
    let public_subnets = [
        subnet("10.0.0.0/24", zones[0].clone(), "public-a").await,
        subnet("10.0.1.0/24", zones[1].clone(), "public-b").await,
    ];
    let app_subnets = [
        subnet("10.0.10.0/24", zones[0].clone(), "app-a").await,
        subnet("10.0.11.0/24", zones[1].clone(), "app-b").await,
    ];
    let db_subnets = [
        subnet("10.0.20.0/24", zones[0].clone(), "db-a").await,
        subnet("10.0.21.0/24", zones[1].clone(), "db-b").await,
    ];
    for public in &public_subnets {
        ec2.modify_subnet_attribute()
            .subnet_id(public)
            .map_public_ip_on_launch(AttributeBooleanValue::builder().value(true).build())
            .send()
            .await
            .expect("map public IPs");
    }

    let internet_gateway = ec2
        .create_internet_gateway()
        .tag_specifications(name_tag(ResourceType::InternetGateway, "shop-igw"))
        .send()
        .await
        .expect("create IGW")
        .internet_gateway
        .and_then(|gateway| gateway.internet_gateway_id)
        .expect("IGW id");
    ec2.attach_internet_gateway()
        .internet_gateway_id(&internet_gateway)
        .vpc_id(&vpc)
        .send()
        .await
        .expect("attach IGW");

    let address = ec2
        .allocate_address()
        .domain(DomainType::Vpc)
        .send()
        .await
        .expect("allocate EIP");
    let elastic_ip_allocation = address.allocation_id.expect("allocation id");
    let elastic_ip = address.public_ip.expect("public IP");
    let nat_gateway = ec2
        .create_nat_gateway()
        .subnet_id(&public_subnets[0])
        .allocation_id(&elastic_ip_allocation)
        .tag_specifications(name_tag(ResourceType::Natgateway, "shop-nat"))
        .send()
        .await
        .expect("create NAT gateway")
        .nat_gateway
        .and_then(|gateway| gateway.nat_gateway_id)
        .expect("NAT id");

    let main_route_table = ec2
        .describe_route_tables()
        .filters(Filter::builder().name("vpc-id").values(&vpc).build())
        .filters(
            Filter::builder()
                .name("association.main")
                .values("true")
                .build(),
        )
        .send()
        .await
        .expect("find the main route table")
        .route_tables
        .and_then(|tables| tables.into_iter().next())
        .and_then(|table| table.route_table_id)
        .expect("main route table id");

    let route_table = |name: &'static str| {
        let ec2 = ec2.clone();
        let vpc = vpc.clone();
        async move {
            ec2.create_route_table()
                .vpc_id(vpc)
                .tag_specifications(name_tag(ResourceType::RouteTable, name))
                .send()
                .await
                .expect("create route table")
                .route_table
                .and_then(|table| table.route_table_id)
                .expect("route table id")
        }
    };
    let public_route_table = route_table("public").await;
    ec2.create_route()
        .route_table_id(&public_route_table)
        .destination_cidr_block("0.0.0.0/0")
        .gateway_id(&internet_gateway)
        .send()
        .await
        .expect("route to the IGW");
    let private_route_table = route_table("private").await;
    ec2.create_route()
        .route_table_id(&private_route_table)
        .destination_cidr_block("0.0.0.0/0")
        .nat_gateway_id(&nat_gateway)
        .send()
        .await
        .expect("route to the NAT gateway");
    for (table, subnets) in [
        (&public_route_table, &public_subnets),
        (&private_route_table, &app_subnets),
    ] {
        for subnet in subnets {
            ec2.associate_route_table()
                .route_table_id(table)
                .subnet_id(subnet)
                .send()
                .await
                .expect("associate route table");
        }
    }

    let default_security_group = ec2
        .describe_security_groups()
        .filters(Filter::builder().name("vpc-id").values(&vpc).build())
        .filters(
            Filter::builder()
                .name("group-name")
                .values("default")
                .build(),
        )
        .send()
        .await
        .expect("find the default group")
        .security_groups
        .and_then(|groups| groups.into_iter().next())
        .and_then(|group| group.group_id)
        .expect("default group id");
    let security_group = |name: &'static str, description: &'static str| {
        let ec2 = ec2.clone();
        let vpc = vpc.clone();
        async move {
            ec2.create_security_group()
                .vpc_id(vpc)
                .group_name(name)
                .description(description)
                .send()
                .await
                .expect("create security group")
                .group_id
                .expect("group id")
        }
    };
    let alb_security_group = security_group("alb", "HTTPS from the internet").await;
    let app_security_group = security_group("app", "app port from the ALB").await;
    let db_security_group = security_group("db", "PostgreSQL from the app").await;
    ec2.authorize_security_group_ingress()
        .group_id(&alb_security_group)
        .ip_permissions(
            IpPermission::builder()
                .ip_protocol("tcp")
                .from_port(443)
                .to_port(443)
                .ip_ranges(
                    IpRange::builder()
                        .cidr_ip("0.0.0.0/0")
                        .description("the internet")
                        .build(),
                )
                .build(),
        )
        .send()
        .await
        .expect("allow 443 to the ALB");
    for (group, port, source) in [
        (&app_security_group, 8080, &alb_security_group),
        (&db_security_group, 5432, &app_security_group),
    ] {
        ec2.authorize_security_group_ingress()
            .group_id(group)
            .ip_permissions(
                IpPermission::builder()
                    .ip_protocol("tcp")
                    .from_port(port)
                    .to_port(port)
                    .user_id_group_pairs(UserIdGroupPair::builder().group_id(source).build())
                    .build(),
            )
            .send()
            .await
            .expect("allow the tier port");
    }

    let mut app_instances = Vec::new();
    for (index, subnet) in app_subnets.iter().enumerate() {
        let instance = ec2
            .run_instances()
            .image_id(AMI)
            .instance_type(InstanceType::T3Micro)
            .min_count(1)
            .max_count(1)
            .subnet_id(subnet)
            .security_group_ids(&app_security_group)
            .user_data("c2VjcmV0LXVzZXItZGF0YQ==")
            .tag_specifications(name_tag(
                ResourceType::Instance,
                &format!("app-{}", index + 1),
            ))
            .send()
            .await
            .expect("run an app instance")
            .instances
            .and_then(|instances| instances.into_iter().next())
            .and_then(|instance| instance.instance_id)
            .expect("instance id");
        app_instances.push(instance);
    }
    let app_instances: [String; 2] = app_instances.try_into().expect("two instances");

    let elbv2 = moto.elbv2(region);
    let target_group_arn = elbv2
        .create_target_group()
        .name("app")
        .protocol(ProtocolEnum::Http)
        .port(8080)
        .vpc_id(&vpc)
        .health_check_path("/health")
        .send()
        .await
        .expect("create target group")
        .target_groups
        .and_then(|groups| groups.into_iter().next())
        .and_then(|group| group.target_group_arn)
        .expect("target group ARN");
    let mut register = elbv2.register_targets().target_group_arn(&target_group_arn);
    for instance in &app_instances {
        register = register.targets(TargetDescription::builder().id(instance).port(8080).build());
    }
    register.send().await.expect("register targets");

    let load_balancer_arn = elbv2
        .create_load_balancer()
        .name("shop")
        .scheme(LoadBalancerSchemeEnum::InternetFacing)
        .tags(
            aws_sdk_elasticloadbalancingv2::types::Tag::builder()
                .key("team")
                .value("web")
                .build(),
        )
        .subnets(&public_subnets[0])
        .subnets(&public_subnets[1])
        .security_groups(&alb_security_group)
        .send()
        .await
        .expect("create ALB")
        .load_balancers
        .and_then(|lbs| lbs.into_iter().next())
        .and_then(|lb| lb.load_balancer_arn)
        .expect("ALB ARN");
    let certificate_arn = moto
        .acm(region)
        .request_certificate()
        .domain_name("shop.example.com")
        .send()
        .await
        .expect("request a certificate")
        .certificate_arn
        .expect("certificate ARN");
    let https_listener_arn = elbv2
        .create_listener()
        .load_balancer_arn(&load_balancer_arn)
        .protocol(ProtocolEnum::Https)
        .port(443)
        .certificates(
            Certificate::builder()
                .certificate_arn(&certificate_arn)
                .build(),
        )
        .default_actions(
            ElbAction::builder()
                .r#type(ActionTypeEnum::Forward)
                .target_group_arn(&target_group_arn)
                .build(),
        )
        .send()
        .await
        .expect("create HTTPS listener")
        .listeners
        .and_then(|listeners| listeners.into_iter().next())
        .and_then(|listener| listener.listener_arn)
        .expect("listener ARN");
    let http_listener_arn = elbv2
        .create_listener()
        .load_balancer_arn(&load_balancer_arn)
        .protocol(ProtocolEnum::Http)
        .port(80)
        .default_actions(
            ElbAction::builder()
                .r#type(ActionTypeEnum::Redirect)
                .redirect_config(
                    RedirectActionConfig::builder()
                        .protocol("HTTPS")
                        .port("443")
                        .status_code(RedirectActionStatusCodeEnum::Http301)
                        .build(),
                )
                .build(),
        )
        .send()
        .await
        .expect("create HTTP listener")
        .listeners
        .and_then(|listeners| listeners.into_iter().next())
        .and_then(|listener| listener.listener_arn)
        .expect("listener ARN");

    let rds = moto.rds(region);
    let db_subnet_group = "shop-db".to_string();
    rds.create_db_subnet_group()
        .db_subnet_group_name(&db_subnet_group)
        .db_subnet_group_description("database tier")
        .subnet_ids(&db_subnets[0])
        .subnet_ids(&db_subnets[1])
        .send()
        .await
        .expect("create DB subnet group");
    let db_instance = "orders".to_string();
    let db_password = "do-not-leak-this-password".to_string();
    rds.create_db_instance()
        .db_instance_identifier(&db_instance)
        .engine("postgres")
        .engine_version("16.3")
        .db_instance_class("db.t3.medium")
        .allocated_storage(50)
        .multi_az(true)
        .master_username("shopadmin")
        .master_user_password(&db_password)
        .db_subnet_group_name(&db_subnet_group)
        .vpc_security_group_ids(&db_security_group)
        .tags(
            aws_sdk_rds::types::Tag::builder()
                .key("Name")
                .value("orders-db")
                .build(),
        )
        .send()
        .await
        .expect("create DB instance");

    Fixture {
        region: region.to_string(),
        zones,
        vpc,
        public_subnets,
        app_subnets,
        db_subnets,
        internet_gateway,
        elastic_ip_allocation,
        elastic_ip,
        nat_gateway,
        main_route_table,
        public_route_table,
        private_route_table,
        default_security_group,
        alb_security_group,
        app_security_group,
        db_security_group,
        app_instances,
        load_balancer_arn,
        https_listener_arn,
        http_listener_arn,
        target_group_arn,
        db_subnet_group,
        db_instance,
        db_password,
    }
}

/// What a realistic estate adds to the reference fixture (used by the bundled
/// examples, not by the exact-content tests): an S3 gateway endpoint on the
/// private route table and a stopped batch instance in an app subnet.
pub async fn realistic_extras(moto: &Moto, fixture: &Fixture) {
    let ec2 = moto.ec2(&fixture.region);
    ec2.create_vpc_endpoint()
        .vpc_id(&fixture.vpc)
        .vpc_endpoint_type(aws_sdk_ec2::types::VpcEndpointType::Gateway)
        .service_name(format!("com.amazonaws.{}.s3", fixture.region))
        .route_table_ids(&fixture.private_route_table)
        .tag_specifications(name_tag(ResourceType::VpcEndpoint, "s3"))
        .send()
        .await
        .expect("create the S3 endpoint");
    let batch = launch_instance(
        &ec2,
        InstanceType::M5Large,
        &fixture.app_subnets[1],
        &fixture.app_security_group,
        Some("nightly-batch"),
    )
    .await;
    ec2.stop_instances()
        .instance_ids(batch)
        .send()
        .await
        .expect("stop the batch instance");
}

/// Request a peering between two VPCs of one account and region and accept
/// it, so it is `active`; returns the peering id.
pub async fn peer_vpcs(ec2: &aws_sdk_ec2::Client, requester: &str, accepter: &str) -> String {
    let peering = ec2
        .create_vpc_peering_connection()
        .vpc_id(requester)
        .peer_vpc_id(accepter)
        .send()
        .await
        .expect("request the peering")
        .vpc_peering_connection
        .and_then(|peering| peering.vpc_peering_connection_id)
        .expect("peering id");
    ec2.accept_vpc_peering_connection()
        .vpc_peering_connection_id(&peering)
        .send()
        .await
        .expect("accept the peering");
    peering
}

/// Create a VPC, with a `Name` tag when `name` is given; returns its id.
pub async fn create_vpc(ec2: &aws_sdk_ec2::Client, cidr: &str, name: Option<&str>) -> String {
    ec2.create_vpc()
        .cidr_block(cidr)
        .set_tag_specifications(name.map(|name| vec![name_tag(ResourceType::Vpc, name)]))
        .send()
        .await
        .expect("create VPC")
        .vpc
        .and_then(|vpc| vpc.vpc_id)
        .expect("VPC id")
}

/// Create a subnet in one zone, with a `Name` tag when `name` is given;
/// returns its id.
pub async fn create_subnet(
    ec2: &aws_sdk_ec2::Client,
    vpc: &str,
    cidr: &str,
    zone: &str,
    name: Option<&str>,
) -> String {
    ec2.create_subnet()
        .vpc_id(vpc)
        .cidr_block(cidr)
        .availability_zone(zone)
        .set_tag_specifications(name.map(|name| vec![name_tag(ResourceType::Subnet, name)]))
        .send()
        .await
        .expect("create subnet")
        .subnet
        .and_then(|subnet| subnet.subnet_id)
        .expect("subnet id")
}

/// A Memcached cluster of two nodes across the fixture's database subnets,
/// behind its database security group; returns the cluster id.
pub async fn memcached_cluster(moto: &Moto, fixture: &Fixture) -> String {
    let cache = moto.elasticache(&fixture.region);
    cache
        .create_cache_subnet_group()
        .cache_subnet_group_name("cache")
        .cache_subnet_group_description("cache subnets")
        .set_subnet_ids(Some(fixture.db_subnets.to_vec()))
        .send()
        .await
        .expect("create the cache subnet group");
    cache
        .create_cache_cluster()
        .cache_cluster_id("catalog")
        .engine("memcached")
        .cache_node_type("cache.t3.medium")
        .num_cache_nodes(2)
        .port(11211)
        .set_preferred_availability_zones(Some(fixture.zones.to_vec()))
        .cache_subnet_group_name("cache")
        .security_group_ids(&fixture.db_security_group)
        .send()
        .await
        .expect("create the Memcached cluster");
    "catalog".to_string()
}

/// Launch one instance of `instance_type` from the Linux AMI in `subnet`,
/// in `group`, with a `Name` tag when `name` is given; returns its id.
pub async fn launch_instance(
    ec2: &aws_sdk_ec2::Client,
    instance_type: InstanceType,
    subnet: &str,
    group: &str,
    name: Option<&str>,
) -> String {
    ec2.run_instances()
        .image_id(AMI)
        .instance_type(instance_type)
        .min_count(1)
        .max_count(1)
        .subnet_id(subnet)
        .security_group_ids(group)
        .set_tag_specifications(name.map(|name| vec![name_tag(ResourceType::Instance, name)]))
        .send()
        .await
        .expect("launch an instance")
        .instances
        .and_then(|instances| instances.into_iter().next())
        .and_then(|instance| instance.instance_id)
        .expect("instance id")
}
