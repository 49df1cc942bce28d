//! A realistic synthetic estate of about N resources, printed as a
//! `strata.snapshot/v1` snapshot, for benchmarks and demos:
//!
//! ```sh
//! cargo run --release --no-default-features --example synth -- 10000 --seed 7 > estate.json
//! ```
//!
//! Several accounts and regions; VPCs (some peered, some attached to a
//! transit gateway) with three subnet tiers in two or three zones and route
//! tables to match (public → internet gateway, private → NAT gateway,
//! isolated → local only); an internet-facing ALB per VPC (listeners, target
//! groups, target health with some unhealthy and unused targets), sometimes
//! an internal NLB with IP targets; instances (some stopped) with network
//! interfaces and EBS volumes; RDS Multi-AZ primaries with read replicas and
//! Aurora clusters; security groups chained internet → ALB → app → db, with
//! CIDR rules (SSH from the corporate VPN and from the bastion's subnet).
//! The same N and seed always print the same bytes.
//!
//! Owns the synthetic estate only; reading and checking snapshots is
//! `strata::snapshot`'s job (the output is parsed back before printing).

use std::collections::BTreeMap;
use std::process::ExitCode;

use strata::services::{
    compute::{self, model::*},
    elbv2::model::*,
    network::{self, model::*},
    rds::{self, model::*},
};
use strata::snapshot::*;

const REGIONS: &[&str] = &["eu-west-1", "us-east-1", "ap-southeast-2"];
const ACCOUNT_NAMES: &[&str] = &["production", "shared-services", "staging", "data"];
const SYSTEMS: &[&str] = &[
    "payments",
    "ledger",
    "checkout",
    "search",
    "identity",
    "catalog",
    "orders",
    "analytics",
    "billing",
    "notify",
    "media",
    "partner-api",
];
/// Resources a VPC holds besides its application instances (VPC, subnets,
/// route tables, gateways, groups, load balancing, databases): measured
/// from the generator, used to size the estate.
const FIXED_PER_VPC: usize = 38;
/// Resources per application instance: the instance, its interface, its volume.
const PER_INSTANCE: usize = 3;

fn main() -> ExitCode {
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("synth: {message}");
            ExitCode::from(2)
        }
    }
}

fn run() -> Result<(), String> {
    let usage = "usage: synth N [--seed S]  (N: about how many resources)";
    let mut args = std::env::args().skip(1);
    let mut size: Option<usize> = None;
    let mut seed: u64 = 1;
    while let Some(arg) = args.next() {
        if arg == "--seed" {
            let value = args.next().ok_or(usage)?;
            seed = value
                .parse()
                .map_err(|_| format!("--seed {value:?} is not a number; {usage}"))?;
        } else {
            size = Some(
                arg.parse()
                    .map_err(|_| format!("{arg:?} is not a number; {usage}"))?,
            );
        }
    }
    let size = size.ok_or(usage)?;
    let snapshot = synthesize(size, seed);
    let json = snapshot.to_json();
    // The output must be a snapshot strata reads back unchanged.
    match Snapshot::from_slice(json.as_bytes(), "synthetic snapshot") {
        Ok(parsed) if parsed == snapshot => {}
        Ok(_) => return Err("the snapshot does not round-trip unchanged".into()),
        Err(error) => return Err(error.to_string()),
    }
    print!("{json}");
    Ok(())
}

/// SplitMix64 (Steele, Lea & Flood 2014): ten lines, and its output is fixed
/// by the algorithm, whereas `rand`'s seeded generators document that their
/// streams may change between versions; the estate must stay byte-stable.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        mix(self.0)
    }

    fn below(&mut self, bound: usize) -> usize {
        (self.next() % bound.max(1) as u64) as usize
    }

    /// True with probability `percent`/100.
    fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }
}

/// SplitMix64's finaliser: a bijection on u64, so distinct counters give
/// distinct ids.
fn mix(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// One account and region being filled with VPCs.
struct Place {
    account: String,
    region: String,
}

struct Estate {
    rng: Rng,
    seed: u64,
    counter: u64,
    resources: Vec<Resource>,
}

/// What other VPCs need to know about one VPC (to peer or attach it).
struct VpcInfo {
    place: usize,
    id: String,
    cidr: String,
    private_route_tables: Vec<usize>,
    private_subnets: Vec<String>,
}

pub fn synthesize(size: usize, seed: u64) -> Snapshot {
    let account_count = if size >= 3000 { 3 } else { 2 };
    let region_count = if size >= 6000 { 3 } else { 2 };
    let places: Vec<Place> = (0..account_count)
        .flat_map(|a| {
            (0..region_count).map(move |r| Place {
                account: format!("{}", 111_122_223_333u64 + 100_000_001 * a as u64),
                region: REGIONS[r].to_string(),
            })
        })
        .collect();
    // About 120 resources per VPC, at least one VPC per place.
    let vpc_count = (size / 120).max(places.len());
    let zones_total = places.len() * 3;
    let instances = size.saturating_sub(vpc_count * FIXED_PER_VPC + zones_total) / PER_INSTANCE;
    let mut estate = Estate {
        rng: Rng(seed),
        seed,
        counter: 0,
        resources: Vec::new(),
    };
    for place in &places {
        for zone in 0..3 {
            estate.push(
                place,
                format!("{}{}", place.region, zone_letter(zone)),
                None,
                Detail::from(AvailabilityZoneAttrs {
                    zone_id: format!("{}-az{}", short_region(&place.region), zone + 1),
                    state: "available".into(),
                    zone_type: "availability-zone".into(),
                }),
            );
        }
    }
    let mut vpcs: Vec<VpcInfo> = Vec::new();
    for index in 0..vpc_count {
        let place = index % places.len();
        let share = instances / vpc_count + usize::from(index < instances % vpc_count);
        let info = estate.vpc(&places[place], place, index, share.max(2));
        vpcs.push(info);
    }
    estate.peerings(&places, &mut vpcs);
    estate.transit_gateways(&places, &vpcs);

    let mut snapshot = Snapshot::new(ScanMeta {
        tool_version: format!("strata-synth (seed {seed})"),
        started_at: "2026-01-01T00:00:00Z".into(),
        finished_at: "2026-01-01T00:01:00Z".into(),
        accounts: (0..account_count)
            .map(|a| AccountMeta {
                id: places[a * region_count].account.clone(),
                name: ACCOUNT_NAMES[a].into(),
                role_arn: None,
            })
            .collect(),
        regions: REGIONS[..region_count]
            .iter()
            .map(|r| r.to_string())
            .collect(),
        services: vec!["ec2".into(), "elasticloadbalancing".into(), "rds".into()],
        complete: true,
        ..Default::default()
    });
    snapshot.resources = estate.resources;
    snapshot.normalize();
    snapshot
}

fn zone_letter(zone: usize) -> char {
    (b'a' + zone as u8) as char
}

fn short_region(region: &str) -> String {
    region.split('-').map(|p| &p[..p.len().min(2)]).collect()
}

fn sorted(mut items: Vec<String>) -> Vec<String> {
    items.sort();
    items.dedup();
    items
}

fn rule(protocol: &str, port: i32, peer: RulePeer, description: &str) -> SecurityGroupRule {
    SecurityGroupRule {
        protocol: protocol.into(),
        from_port: Some(port),
        to_port: Some(port),
        peer,
        rule_id: None,
        description: description.into(),
    }
}

fn all_traffic_to_anywhere() -> SecurityGroupRule {
    SecurityGroupRule {
        protocol: "-1".into(),
        from_port: None,
        to_port: None,
        peer: cidr_peer("0.0.0.0/0"),
        rule_id: None,
        description: String::new(),
    }
}

fn group_peer(group_id: &str) -> RulePeer {
    RulePeer::Group {
        group_id: group_id.into(),
        account: None,
        vpc_id: None,
        vpc_peering_connection_id: None,
    }
}

fn cidr_peer(cidr: &str) -> RulePeer {
    RulePeer::Cidr { cidr: cidr.into() }
}

fn route(destination: &str, target: RouteTarget) -> Route {
    Route {
        destination: destination.into(),
        target,
        state: "active".into(),
        origin: "CreateRoute".into(),
    }
}

impl Estate {
    /// A fresh AWS-looking id: the counter through a bijection, so unique.
    fn id(&mut self, prefix: &str) -> String {
        self.counter += 1;
        let hex = format!("{:016x}", mix(self.counter ^ self.seed.rotate_left(32)));
        format!("{prefix}-0{}", &hex[..16])
    }

    fn push(&mut self, place: &Place, id: String, name: Option<&str>, detail: Detail) -> usize {
        let mut tags = BTreeMap::new();
        if let Some(name) = name {
            tags.insert("Name".to_string(), name.to_string());
        }
        let arn = match detail.kind() {
            ResourceKind::Network(network::Kind::AvailabilityZone) => None,
            ResourceKind::Rds(kind) => {
                let resource = match kind {
                    rds::Kind::Instance => "db",
                    rds::Kind::Cluster => "cluster",
                    rds::Kind::DbSubnetGroup => "subgrp",
                };
                Some(format!(
                    "arn:aws:rds:{}:{}:{resource}:{id}",
                    place.region, place.account
                ))
            }
            kind => Some(ec2_arn(&place.region, &place.account, ec2_type(kind), &id)),
        };
        self.resources.push(Resource {
            id: id.clone(),
            arn,
            account: place.account.clone(),
            region: place.region.clone(),
            name: name.unwrap_or(&id).to_string(),
            tags,
            detail,
        });
        self.resources.len() - 1
    }

    fn elb_arn(&mut self, place: &Place, kind: &str, name: &str) -> String {
        let id = self.id("x");
        format!(
            "arn:aws:elasticloadbalancing:{}:{}:{kind}/{name}/{}",
            place.region,
            place.account,
            &id[id.len() - 16..]
        )
    }

    fn push_elb(&mut self, place: &Place, arn: &str, name: &str, detail: Detail) {
        self.resources.push(Resource {
            id: arn.to_string(),
            arn: Some(arn.to_string()),
            account: place.account.clone(),
            region: place.region.clone(),
            name: name.to_string(),
            tags: BTreeMap::new(),
            detail,
        });
    }

    /// One VPC with everything in it; returns what peering and transit need.
    fn vpc(
        &mut self,
        place: &Place,
        place_index: usize,
        index: usize,
        instances: usize,
    ) -> VpcInfo {
        let system = SYSTEMS[index % SYSTEMS.len()];
        let env = if index % 4 == 3 { "staging" } else { "prod" };
        let name = format!("{system}-{env}-{index}");
        let octet = index % 256;
        let cidr = format!("10.{octet}.0.0/16");
        let zones = if index % 3 == 2 { 3 } else { 2 };
        let vpc_id = self.id("vpc");
        self.push(
            place,
            vpc_id.clone(),
            Some(&name),
            Detail::from(VpcAttrs {
                cidr_block: cidr.clone(),
                cidr_blocks: vec![cidr.clone()],
                ipv6_cidr_blocks: vec![],
                state: "available".into(),
                is_default: false,
            }),
        );
        let zone_name = |z: usize| format!("{}{}", place.region, zone_letter(z));

        // Subnets: tier rows × zone columns.
        let tiers = ["public", "private", "isolated"];
        let mut subnets: BTreeMap<(usize, usize), String> = BTreeMap::new();
        for (t, tier) in tiers.iter().enumerate() {
            for z in 0..zones {
                let id = self.id("subnet");
                let free_addresses = 4000 + self.rng.below(90) as i32;
                self.push(
                    place,
                    id.clone(),
                    Some(&format!("{name}-{tier}-{}", zone_letter(z))),
                    Detail::from(SubnetAttrs {
                        vpc_id: vpc_id.clone(),
                        cidr_block: format!("10.{octet}.{}.0/20", t * 64 + z * 16),
                        ipv6_cidr_blocks: vec![],
                        availability_zone: zone_name(z),
                        availability_zone_id: format!(
                            "{}-az{}",
                            short_region(&place.region),
                            z + 1
                        ),
                        state: "available".into(),
                        map_public_ip_on_launch: t == 0,
                        default_for_az: false,
                        available_ip_address_count: free_addresses,
                    }),
                );
                subnets.insert((t, z), id);
            }
        }

        let igw = self.id("igw");
        self.push(
            place,
            igw.clone(),
            Some(&format!("{name}-igw")),
            Detail::from(InternetGatewayAttrs {
                attachments: vec![GatewayAttachment {
                    vpc_id: vpc_id.clone(),
                    state: "available".into(),
                }],
            }),
        );

        // A NAT gateway (with its address and interface) per zone.
        let mut nats = Vec::new();
        for z in 0..zones {
            let nat = self.id("nat");
            let eni = self.id("eni");
            let alloc = self.id("eipalloc");
            let public_ip = format!("52.{}.{}.{}", 16 + index % 200, z, 10 + self.rng.below(200));
            let private_ip = format!("10.{octet}.{}.5", z * 16);
            let association = self.id("eipassoc");
            self.push(
                place,
                alloc.clone(),
                None,
                Detail::from(ElasticIpAttrs {
                    public_ip: public_ip.clone(),
                    domain: "vpc".into(),
                    association_id: Some(association),
                    instance_id: None,
                    network_interface_id: Some(eni.clone()),
                    private_ip: Some(private_ip.clone()),
                }),
            );
            self.push(
                place,
                eni.clone(),
                None,
                Detail::from(NetworkInterfaceAttrs {
                    vpc_id: vpc_id.clone(),
                    subnet_id: subnets[&(0, z)].clone(),
                    availability_zone: zone_name(z),
                    interface_type: "nat_gateway".into(),
                    status: "in-use".into(),
                    description: format!("Interface for NAT Gateway {nat}"),
                    private_ips: vec![private_ip.clone()],
                    public_ip: Some(public_ip.clone()),
                    security_group_ids: vec![],
                    attached_instance_id: None,
                    requester_managed: true,
                }),
            );
            self.push(
                place,
                nat.clone(),
                Some(&format!("{name}-nat-{}", zone_letter(z))),
                Detail::from(NatGatewayAttrs {
                    vpc_id: vpc_id.clone(),
                    subnet_id: subnets[&(0, z)].clone(),
                    state: "available".into(),
                    connectivity_type: "public".into(),
                    addresses: vec![NatGatewayAddress {
                        network_interface_id: eni,
                        allocation_id: Some(alloc),
                        private_ip: Some(private_ip),
                        public_ip: Some(public_ip),
                    }],
                }),
            );
            nats.push(nat);
        }

        // Route tables: main (isolated subnets inherit it), public, one
        // private table per zone.
        let local = route(&cidr, RouteTarget::Local);
        let main_rt = self.id("rtb");
        let main_association = self.id("rtbassoc");
        self.push(
            place,
            main_rt.clone(),
            Some(&format!("{name}-main")),
            Detail::from(RouteTableAttrs {
                vpc_id: vpc_id.clone(),
                main: true,
                associations: vec![RouteTableAssociation {
                    association_id: main_association,
                    subnet_id: None,
                    gateway_id: None,
                    main: true,
                }],
                routes: vec![local.clone()],
            }),
        );
        let public_rt = self.id("rtb");
        let mut associations: Vec<RouteTableAssociation> = (0..zones)
            .map(|z| RouteTableAssociation {
                association_id: self.id("rtbassoc"),
                subnet_id: Some(subnets[&(0, z)].clone()),
                gateway_id: None,
                main: false,
            })
            .collect();
        associations.sort();
        let mut public_routes = vec![
            local.clone(),
            route("0.0.0.0/0", RouteTarget::InternetGateway(igw.clone())),
        ];
        public_routes.sort();
        self.push(
            place,
            public_rt,
            Some(&format!("{name}-public")),
            Detail::from(RouteTableAttrs {
                vpc_id: vpc_id.clone(),
                main: false,
                associations,
                routes: public_routes,
            }),
        );
        let mut private_route_tables = Vec::new();
        let mut private_rt_ids = Vec::new();
        for z in 0..zones {
            let id = self.id("rtb");
            let mut routes = vec![
                local.clone(),
                route("0.0.0.0/0", RouteTarget::NatGateway(nats[z].clone())),
            ];
            routes.sort();
            private_rt_ids.push(id.clone());
            let association_id = self.id("rtbassoc");
            private_route_tables.push(self.push(
                place,
                id,
                Some(&format!("{name}-private-{}", zone_letter(z))),
                Detail::from(RouteTableAttrs {
                    vpc_id: vpc_id.clone(),
                    main: false,
                    associations: vec![RouteTableAssociation {
                        association_id,
                        subnet_id: Some(subnets[&(1, z)].clone()),
                        gateway_id: None,
                        main: false,
                    }],
                    routes,
                }),
            ));
        }

        // An S3 gateway endpoint on the private tables.
        let endpoint = self.id("vpce");
        self.push(
            place,
            endpoint,
            Some(&format!("{name}-s3")),
            Detail::from(VpcEndpointAttrs {
                vpc_id: vpc_id.clone(),
                service_name: format!("com.amazonaws.{}.s3", place.region),
                endpoint_type: "Gateway".into(),
                state: "available".into(),
                route_table_ids: sorted(private_rt_ids),
                subnet_ids: vec![],
                security_group_ids: vec![],
                network_interface_ids: vec![],
                private_dns_enabled: false,
            }),
        );

        // Security groups: internet → ALB → app → db, plus CIDR rules.
        let default_sg = self.id("sg");
        let alb_sg = self.id("sg");
        let app_sg = self.id("sg");
        let db_sg = self.id("sg");
        let groups = [
            (
                default_sg.clone(),
                "default",
                vec![],
                "default VPC security group",
            ),
            (
                alb_sg.clone(),
                "alb",
                vec![
                    rule("tcp", 443, cidr_peer("0.0.0.0/0"), "HTTPS from anywhere"),
                    rule("tcp", 80, cidr_peer("0.0.0.0/0"), "redirect to HTTPS"),
                ],
                "public load balancer",
            ),
            (
                app_sg.clone(),
                "app",
                vec![
                    rule("tcp", 8080, group_peer(&alb_sg), "from the load balancer"),
                    rule(
                        "tcp",
                        22,
                        cidr_peer("10.200.0.0/16"),
                        "SSH from the corporate VPN",
                    ),
                    rule(
                        "tcp",
                        22,
                        cidr_peer(&format!("10.{octet}.0.0/20")),
                        "SSH from the bastion subnet",
                    ),
                ],
                "application servers",
            ),
            (
                db_sg.clone(),
                "db",
                vec![rule(
                    "tcp",
                    5432,
                    group_peer(&app_sg),
                    "from the application",
                )],
                "databases",
            ),
        ];
        for (id, role, mut ingress, description) in groups {
            ingress.sort();
            self.push(
                place,
                id,
                Some(&format!("{name}-{role}")),
                Detail::from(SecurityGroupAttrs {
                    vpc_id: vpc_id.clone(),
                    group_name: format!("{name}-{role}"),
                    description: description.into(),
                    ingress,
                    egress: vec![all_traffic_to_anywhere()],
                }),
            );
        }

        // Instances (a bastion in the first public subnet, the rest in the
        // private subnets), each with its interface and root volume.
        let mut targets = Vec::new();
        let mut private_ips = Vec::new();
        for n in 0..=instances {
            let bastion = n == instances;
            let z = n % zones;
            let tier = if bastion { 0 } else { 1 };
            let stopped = !bastion && self.rng.chance(8);
            let instance = self.id("i");
            let eni = self.id("eni");
            let volume = self.id("vol");
            let size_gib = [8, 20, 50, 100][self.rng.below(4)];
            let instance_type =
                ["t3.micro", "m6i.large", "c6g.xlarge", "r6i.large"][self.rng.below(4)];
            let private_ip = format!(
                "10.{octet}.{}.{}",
                tier * 64 + z * 16 + 1 + n / 240,
                10 + n % 240
            );
            let public_ip = bastion.then(|| format!("54.{}.{}.{}", 10 + index % 200, n % 250, 7));
            let groups = if bastion {
                vec![default_sg.clone()]
            } else {
                sorted(vec![app_sg.clone(), default_sg.clone()])
            };
            let state = if stopped { "stopped" } else { "running" };
            let instance_name = if bastion {
                format!("{name}-bastion")
            } else {
                format!("{system}-app-{n}")
            };
            self.push(
                place,
                eni.clone(),
                None,
                Detail::from(NetworkInterfaceAttrs {
                    vpc_id: vpc_id.clone(),
                    subnet_id: subnets[&(tier, z)].clone(),
                    availability_zone: zone_name(z),
                    interface_type: "interface".into(),
                    status: "in-use".into(),
                    description: String::new(),
                    private_ips: vec![private_ip.clone()],
                    public_ip: public_ip.clone(),
                    security_group_ids: groups.clone(),
                    attached_instance_id: Some(instance.clone()),
                    requester_managed: false,
                }),
            );
            self.push(
                place,
                volume,
                None,
                Detail::from(EbsVolumeAttrs {
                    size_gib,
                    volume_type: "gp3".into(),
                    state: "in-use".into(),
                    availability_zone: zone_name(z),
                    encrypted: true,
                    iops: Some(3000),
                    throughput: Some(125),
                    snapshot_id: None,
                    attachments: vec![VolumeAttachment {
                        instance_id: instance.clone(),
                        device: "/dev/xvda".into(),
                        state: "attached".into(),
                        delete_on_termination: true,
                    }],
                }),
            );
            self.push(
                place,
                instance.clone(),
                Some(&instance_name),
                Detail::from(Ec2InstanceAttrs {
                    state: state.into(),
                    instance_type: instance_type.into(),
                    availability_zone: zone_name(z),
                    vpc_id: Some(vpc_id.clone()),
                    subnet_id: Some(subnets[&(tier, z)].clone()),
                    private_ip: Some(private_ip.clone()),
                    private_ips: vec![private_ip.clone()],
                    public_ip,
                    security_group_ids: groups,
                    network_interface_ids: vec![eni],
                    platform: "linux".into(),
                    launch_time: Some("2025-11-02T09:30:00Z".into()),
                    image_id: Some("ami-0abcdef1234567890".into()),
                    architecture: Some("x86_64".into()),
                    lifecycle: None,
                    iam_instance_profile_arn: None,
                    tenancy: "default".into(),
                }),
            );
            if !bastion {
                let health = if stopped {
                    "unused"
                } else if self.rng.chance(5) {
                    "unhealthy"
                } else {
                    "healthy"
                };
                targets.push(Target {
                    id: instance,
                    port: Some(8080),
                    availability_zone: None,
                    health: health.into(),
                    reason: match health {
                        "unused" => Some("Target.InvalidState".into()),
                        "unhealthy" => Some("Target.ResponseCodeMismatch".into()),
                        _ => None,
                    },
                });
                private_ips.push(private_ip);
            }
        }
        targets.sort();

        // The internet-facing ALB: HTTPS forwards to the app, HTTP redirects.
        let lb_name = format!("{system}-{index}-web");
        let lb_arn = self.elb_arn(place, "loadbalancer/app", &lb_name);
        let tg_name = format!("{system}-{index}-app");
        let tg_arn = self.elb_arn(place, "targetgroup", &tg_name);
        self.push_elb(
            place,
            &lb_arn,
            &lb_name,
            Detail::from(LoadBalancerAttrs {
                lb_type: "application".into(),
                scheme: "internet-facing".into(),
                state: "active".into(),
                vpc_id: vpc_id.clone(),
                dns_name: format!("{lb_name}-{index}.{}.elb.amazonaws.com", place.region),
                ip_address_type: "ipv4".into(),
                availability_zones: (0..zones)
                    .map(|z| LoadBalancerZone {
                        zone_name: zone_name(z),
                        subnet_id: subnets[&(0, z)].clone(),
                    })
                    .collect(),
                security_group_ids: vec![alb_sg.clone()],
                created_time: Some("2025-10-01T12:00:00Z".into()),
            }),
        );
        for (protocol, port) in [("HTTP", 80), ("HTTPS", 443)] {
            let listener = self.elb_arn(place, &format!("listener/app/{lb_name}"), "l");
            let action = if port == 443 {
                ListenerAction {
                    action_type: "forward".into(),
                    target_group_arns: vec![tg_arn.clone()],
                }
            } else {
                ListenerAction {
                    action_type: "redirect".into(),
                    target_group_arns: vec![],
                }
            };
            self.push_elb(
                place,
                &listener,
                &format!("{lb_name}:{port}"),
                Detail::from(ListenerAttrs {
                    load_balancer_arn: lb_arn.clone(),
                    protocol: protocol.into(),
                    port,
                    default_actions: vec![action],
                    rules: vec![],
                }),
            );
        }
        self.push_elb(
            place,
            &tg_arn,
            &tg_name,
            Detail::from(TargetGroupAttrs {
                name: tg_name.clone(),
                protocol: Some("HTTP".into()),
                port: Some(8080),
                target_type: "instance".into(),
                vpc_id: Some(vpc_id.clone()),
                load_balancer_arns: vec![lb_arn.clone()],
                health_check_protocol: Some("HTTP".into()),
                health_check_path: Some("/healthz".into()),
                targets: Some(targets),
            }),
        );

        // Every third VPC: an internal NLB with IP targets in the private tier.
        if index % 3 == 1 {
            let nlb_name = format!("{system}-{index}-internal");
            let nlb_arn = self.elb_arn(place, "loadbalancer/net", &nlb_name);
            let ip_tg_name = format!("{system}-{index}-grpc");
            let ip_tg_arn = self.elb_arn(place, "targetgroup", &ip_tg_name);
            self.push_elb(
                place,
                &nlb_arn,
                &nlb_name,
                Detail::from(LoadBalancerAttrs {
                    lb_type: "network".into(),
                    scheme: "internal".into(),
                    state: "active".into(),
                    vpc_id: vpc_id.clone(),
                    dns_name: format!("{nlb_name}.elb.{}.amazonaws.com", place.region),
                    ip_address_type: "ipv4".into(),
                    availability_zones: (0..zones)
                        .map(|z| LoadBalancerZone {
                            zone_name: zone_name(z),
                            subnet_id: subnets[&(1, z)].clone(),
                        })
                        .collect(),
                    security_group_ids: vec![],
                    created_time: None,
                }),
            );
            let listener = self.elb_arn(place, &format!("listener/net/{nlb_name}"), "l");
            self.push_elb(
                place,
                &listener,
                &format!("{nlb_name}:50051"),
                Detail::from(ListenerAttrs {
                    load_balancer_arn: nlb_arn.clone(),
                    protocol: "TCP".into(),
                    port: 50051,
                    default_actions: vec![ListenerAction {
                        action_type: "forward".into(),
                        target_group_arns: vec![ip_tg_arn.clone()],
                    }],
                    rules: vec![],
                }),
            );
            let mut ip_targets: Vec<Target> = private_ips
                .iter()
                .take(4)
                .map(|ip| Target {
                    id: ip.clone(),
                    port: Some(50051),
                    availability_zone: None,
                    health: "healthy".into(),
                    reason: None,
                })
                .collect();
            ip_targets.sort();
            self.push_elb(
                place,
                &ip_tg_arn,
                &ip_tg_name,
                Detail::from(TargetGroupAttrs {
                    name: ip_tg_name.clone(),
                    protocol: Some("TCP".into()),
                    port: Some(50051),
                    target_type: "ip".into(),
                    vpc_id: Some(vpc_id.clone()),
                    load_balancer_arns: vec![nlb_arn],
                    health_check_protocol: Some("TCP".into()),
                    health_check_path: None,
                    targets: Some(ip_targets),
                }),
            );
        }

        // Databases in the isolated tier.
        let subnet_group = format!("{name}-db");
        self.push(
            place,
            subnet_group.clone(),
            Some(&subnet_group),
            Detail::from(DbSubnetGroupAttrs {
                vpc_id: vpc_id.clone(),
                status: "Complete".into(),
                description: format!("isolated subnets of {name}"),
                subnets: (0..zones)
                    .map(|z| DbSubnet {
                        subnet_id: subnets[&(2, z)].clone(),
                        availability_zone: zone_name(z),
                        status: "Active".into(),
                    })
                    .collect(),
            }),
        );
        let primary = format!("{system}-{index}-db");
        let replica = format!("{primary}-replica");
        let db = |zone: usize,
                  secondary: Option<usize>,
                  source: Option<&str>,
                  replicas: Vec<String>,
                  status: &str| {
            Detail::from(RdsInstanceAttrs {
                db_instance_class: "db.r6g.large".into(),
                engine: "postgres".into(),
                engine_version: "16.3".into(),
                status: status.into(),
                availability_zone: Some(zone_name(zone)),
                secondary_availability_zone: secondary.map(zone_name),
                multi_az: secondary.is_some(),
                db_subnet_group: Some(subnet_group.clone()),
                vpc_id: Some(vpc_id.clone()),
                security_group_ids: vec![db_sg.clone()],
                read_replica_source: source.map(str::to_string),
                read_replica_identifiers: replicas,
                cluster_identifier: None,
                endpoint_address: Some(format!(
                    "{}.{}.rds.amazonaws.com",
                    source.map_or(primary.as_str(), |_| replica.as_str()),
                    place.region
                )),
                endpoint_port: Some(5432),
                allocated_storage_gib: 200,
                storage_type: "gp3".into(),
                storage_encrypted: true,
                publicly_accessible: false,
            })
        };
        let primary_detail = db(0, Some(1), None, vec![replica.clone()], "available");
        let replica_status = if self.rng.chance(10) {
            "stopped"
        } else {
            "available"
        };
        let replica_detail = db(1, None, Some(&primary), vec![], replica_status);
        self.push(place, primary.clone(), None, primary_detail);
        self.push(place, replica.clone(), None, replica_detail);

        // Every other VPC: an Aurora cluster with a writer and a reader.
        if index.is_multiple_of(2) {
            let cluster = format!("{system}-{index}-aurora");
            let members: Vec<ClusterMember> = (0..2)
                .map(|m| ClusterMember {
                    db_instance_identifier: format!("{cluster}-{m}"),
                    is_writer: m == 0,
                })
                .collect();
            for (m, member) in members.iter().enumerate() {
                self.push(
                    place,
                    member.db_instance_identifier.clone(),
                    None,
                    Detail::from(RdsInstanceAttrs {
                        db_instance_class: "db.r6g.large".into(),
                        engine: "aurora-postgresql".into(),
                        engine_version: "16.2".into(),
                        status: "available".into(),
                        availability_zone: Some(zone_name(m % zones)),
                        secondary_availability_zone: None,
                        multi_az: false,
                        db_subnet_group: Some(subnet_group.clone()),
                        vpc_id: Some(vpc_id.clone()),
                        security_group_ids: vec![db_sg.clone()],
                        read_replica_source: None,
                        read_replica_identifiers: vec![],
                        cluster_identifier: Some(cluster.clone()),
                        endpoint_address: Some(format!(
                            "{}.{}.rds.amazonaws.com",
                            member.db_instance_identifier, place.region
                        )),
                        endpoint_port: Some(5432),
                        allocated_storage_gib: 1,
                        storage_type: "aurora".into(),
                        storage_encrypted: true,
                        publicly_accessible: false,
                    }),
                );
            }
            self.push(
                place,
                cluster.clone(),
                None,
                Detail::from(RdsClusterAttrs {
                    engine: "aurora-postgresql".into(),
                    engine_version: "16.2".into(),
                    status: "available".into(),
                    multi_az: true,
                    db_subnet_group: Some(subnet_group.clone()),
                    vpc_id: Some(vpc_id.clone()),
                    security_group_ids: vec![db_sg.clone()],
                    availability_zones: (0..zones).map(zone_name).collect(),
                    members,
                    endpoint: Some(format!(
                        "{cluster}.cluster.{}.rds.amazonaws.com",
                        place.region
                    )),
                    reader_endpoint: Some(format!(
                        "{cluster}.cluster-ro.{}.rds.amazonaws.com",
                        place.region
                    )),
                    port: Some(5432),
                    storage_encrypted: true,
                }),
            );
        }

        VpcInfo {
            place: place_index,
            id: vpc_id,
            cidr,
            private_route_tables,
            private_subnets: (0..zones).map(|z| subnets[&(1, z)].clone()).collect(),
        }
    }

    /// Peer every third VPC with the next one in the same place, and the
    /// first VPCs of the first two accounts across accounts and regions.
    fn peerings(&mut self, places: &[Place], vpcs: &mut [VpcInfo]) {
        let mut pairs: Vec<(usize, usize)> = Vec::new();
        for (i, vpc) in vpcs.iter().enumerate() {
            if i % 3 == 0 {
                if let Some(j) = (i + 1..vpcs.len()).find(|&j| vpcs[j].place == vpc.place) {
                    pairs.push((i, j));
                }
            }
        }
        let other_account = vpcs
            .iter()
            .position(|v| places[v.place].account != places[vpcs[0].place].account);
        if let Some(j) = other_account {
            pairs.push((0, j));
        }
        for (i, j) in pairs {
            let pcx = self.id("pcx");
            let side = |v: &VpcInfo| PeeringSide {
                account: places[v.place].account.clone(),
                region: places[v.place].region.clone(),
                vpc_id: v.id.clone(),
                cidr_blocks: vec![v.cidr.clone()],
            };
            let (requester, accepter) = (side(&vpcs[i]), side(&vpcs[j]));
            self.push(
                &places[vpcs[i].place],
                pcx.clone(),
                None,
                Detail::from(VpcPeeringConnectionAttrs {
                    requester,
                    accepter,
                    status: "active".into(),
                }),
            );
            for (from, to) in [(i, j), (j, i)] {
                for &table in &vpcs[from].private_route_tables {
                    self.add_route(
                        table,
                        route(
                            &vpcs[to].cidr,
                            RouteTarget::VpcPeeringConnection(pcx.clone()),
                        ),
                    );
                }
            }
        }
    }

    /// A transit gateway per place with two or more VPCs, attached to every
    /// other VPC there, which route 10.0.0.0/8 through it.
    fn transit_gateways(&mut self, places: &[Place], vpcs: &[VpcInfo]) {
        for (p, place) in places.iter().enumerate() {
            let here: Vec<&VpcInfo> = vpcs.iter().filter(|v| v.place == p).collect();
            if here.len() < 2 {
                continue;
            }
            let tgw = self.id("tgw");
            self.push(
                place,
                tgw.clone(),
                Some(&format!("hub-{}", place.region)),
                Detail::from(TransitGatewayAttrs {
                    state: "available".into(),
                    owner_id: place.account.clone(),
                    amazon_side_asn: Some(64512),
                    description: "regional hub".into(),
                }),
            );
            for vpc in here.iter().step_by(2) {
                let attachment = self.id("tgw-attach");
                self.push(
                    place,
                    attachment,
                    None,
                    Detail::from(TransitGatewayAttachmentAttrs {
                        transit_gateway_id: tgw.clone(),
                        resource_type: "vpc".into(),
                        resource_id: vpc.id.clone(),
                        resource_owner_id: place.account.clone(),
                        state: "available".into(),
                        subnet_ids: sorted(vpc.private_subnets.clone()),
                    }),
                );
                for &table in &vpc.private_route_tables {
                    self.add_route(
                        table,
                        route("10.0.0.0/8", RouteTarget::TransitGateway(tgw.clone())),
                    );
                }
            }
        }
    }

    fn add_route(&mut self, table: usize, new_route: Route) {
        if let Some(attrs) = self.resources[table].attrs_mut::<RouteTableAttrs>() {
            attrs.routes.push(new_route);
            attrs.routes.sort();
        }
    }
}

/// The resource type in an EC2 ARN.
fn ec2_type(kind: ResourceKind) -> &'static str {
    match kind {
        ResourceKind::Network(kind) => match kind {
            network::Kind::Vpc => "vpc",
            network::Kind::Subnet => "subnet",
            network::Kind::RouteTable => "route-table",
            network::Kind::InternetGateway => "internet-gateway",
            network::Kind::EgressOnlyInternetGateway => "egress-only-internet-gateway",
            network::Kind::NatGateway => "natgateway",
            network::Kind::ElasticIp => "elastic-ip",
            network::Kind::VpcEndpoint => "vpc-endpoint",
            network::Kind::VpcPeeringConnection => "vpc-peering-connection",
            network::Kind::TransitGateway => "transit-gateway",
            network::Kind::TransitGatewayAttachment => "transit-gateway-attachment",
            network::Kind::SecurityGroup => "security-group",
            network::Kind::NetworkInterface => "network-interface",
            network::Kind::AvailabilityZone => "availability-zone",
        },
        ResourceKind::Compute(compute::Kind::Instance) => "instance",
        ResourceKind::Compute(compute::Kind::Volume) => "volume",
        ResourceKind::LoadBalancing(_) | ResourceKind::Rds(_) | ResourceKind::ElastiCache(_) => {
            "resource"
        }
    }
}
