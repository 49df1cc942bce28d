//! The snapshot: what a scan saw, as one versioned, serde-able document.
//!
//! This module owns the on-disk inventory format (`strata.snapshot/v1`) and
//! nothing else: it does not know how resources are fetched (that is `scan`)
//! nor what they mean for a diagram (that is `graph`). Every resource is a
//! [`Resource`] with its common identity fields and one strongly typed
//! [`Detail`] per kind, so a consumer never digs through untyped JSON.
//!
//! Invariants a snapshot keeps (the scanner establishes them, [`Snapshot::normalize`]
//! re-establishes them): resources are sorted by `(account, region, kind, id)`,
//! every list inside a resource is sorted, and no credential, session token,
//! password or instance user data is ever stored.

use std::collections::BTreeMap;
use std::path::Path;

use serde::{Deserialize, Serialize};

/// The schema this build reads and writes.
pub const SCHEMA: &str = "strata.snapshot/v1";
/// The schema family; a document whose `schema` starts with this but names
/// another version was written by a newer (or older) strata.
pub const SCHEMA_FAMILY: &str = "strata.snapshot/";

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Snapshot {
    pub schema: String,
    pub scan: ScanMeta,
    pub resources: Vec<Resource>,
}

/// How the scan went: who, where, when, and everything it could not see.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ScanMeta {
    /// `strata <version>` that wrote the snapshot.
    pub tool_version: String,
    /// RFC 3339, UTC.
    pub started_at: String,
    /// RFC 3339, UTC.
    pub finished_at: String,
    pub accounts: Vec<AccountMeta>,
    /// Every region that was asked for, sorted.
    pub regions: Vec<String>,
    /// Services scanned, sorted (`ec2`, `elasticloadbalancing`, `rds`).
    pub services: Vec<String>,
    /// Actions that were not answered (access denied, unsupported, …) and what
    /// that left out of the snapshot. Sorted.
    #[serde(default)]
    pub skipped: Vec<Skipped>,
    /// Regions (per account) that failed as a whole. Sorted.
    #[serde(default)]
    pub failed_regions: Vec<FailedRegion>,
    /// False when the scan was cut short (`--partial` after a timeout or a
    /// failed region): the snapshot holds what was read, not the whole estate.
    #[serde(default = "default_true")]
    pub complete: bool,
}

fn default_true() -> bool {
    true
}

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct AccountMeta {
    /// 12-digit account id from STS GetCallerIdentity.
    pub id: String,
    /// The name given in `--accounts`, or the account id.
    pub name: String,
    /// The role assumed to read this account, if any (never the credentials).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub role_arn: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Skipped {
    pub account: String,
    /// Empty for global calls.
    pub region: String,
    /// IAM service prefix: `ec2`, `elasticloadbalancing`, `rds`.
    pub service: String,
    /// The IAM action that was refused, e.g. `rds:DescribeDBInstances`.
    pub action: String,
    /// Why: `access denied`, the error code and message, …
    pub reason: String,
    /// What the snapshot lacks because of it, in words (`RDS DB instances`).
    pub left_out: String,
}

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct FailedRegion {
    pub account: String,
    pub region: String,
    pub error: String,
}

/// One AWS resource as scanned.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Resource {
    /// The AWS id: `vpc-…`, `i-…`, a DB identifier, or the ARN for ELBv2
    /// resources, whose only id is their ARN.
    pub id: String,
    /// Where AWS defines one (EC2 ARNs are built from the documented format).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub arn: Option<String>,
    pub account: String,
    /// Empty for global resources (none yet).
    pub region: String,
    /// The `Name` tag, else the identifier.
    pub name: String,
    #[serde(default)]
    pub tags: BTreeMap<String, String>,
    /// `kind` and `attrs`.
    #[serde(flatten)]
    pub detail: Detail,
}

impl Resource {
    pub fn kind(&self) -> ResourceKind {
        self.detail.kind()
    }

    /// Sort key: resources are ordered by account, region, kind, id.
    pub fn sort_key(&self) -> (&str, &str, ResourceKind, &str) {
        (&self.account, &self.region, self.kind(), &self.id)
    }
}

macro_rules! resource_kinds {
    ($( $variant:ident($attrs:ident) => $name:literal ),+ $(,)?) => {
        /// The kind of a scanned resource, as written in the snapshot.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
        pub enum ResourceKind {
            $( #[serde(rename = $name)] $variant, )+
        }

        impl ResourceKind {
            pub const ALL: &'static [ResourceKind] = &[$( ResourceKind::$variant, )+];

            pub fn as_str(self) -> &'static str {
                match self { $( ResourceKind::$variant => $name, )+ }
            }
        }

        /// The kind-specific attributes of a resource.
        #[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
        #[serde(tag = "kind", content = "attrs")]
        pub enum Detail {
            $( #[serde(rename = $name)] $variant($attrs), )+
        }

        impl Detail {
            pub fn kind(&self) -> ResourceKind {
                match self { $( Detail::$variant(_) => ResourceKind::$variant, )+ }
            }
        }
    };
}

resource_kinds! {
    AvailabilityZone(AvailabilityZoneAttrs) => "availability-zone",
    Vpc(VpcAttrs) => "vpc",
    Subnet(SubnetAttrs) => "subnet",
    RouteTable(RouteTableAttrs) => "route-table",
    InternetGateway(InternetGatewayAttrs) => "internet-gateway",
    EgressOnlyInternetGateway(InternetGatewayAttrs) => "egress-only-internet-gateway",
    NatGateway(NatGatewayAttrs) => "nat-gateway",
    ElasticIp(ElasticIpAttrs) => "elastic-ip",
    VpcEndpoint(VpcEndpointAttrs) => "vpc-endpoint",
    VpcPeeringConnection(VpcPeeringConnectionAttrs) => "vpc-peering-connection",
    TransitGateway(TransitGatewayAttrs) => "transit-gateway",
    TransitGatewayAttachment(TransitGatewayAttachmentAttrs) => "transit-gateway-attachment",
    SecurityGroup(SecurityGroupAttrs) => "security-group",
    NetworkInterface(NetworkInterfaceAttrs) => "network-interface",
    Ec2Instance(Ec2InstanceAttrs) => "ec2-instance",
    EbsVolume(EbsVolumeAttrs) => "ebs-volume",
    LoadBalancer(LoadBalancerAttrs) => "load-balancer",
    Listener(ListenerAttrs) => "listener",
    TargetGroup(TargetGroupAttrs) => "target-group",
    DbSubnetGroup(DbSubnetGroupAttrs) => "db-subnet-group",
    RdsInstance(RdsInstanceAttrs) => "rds-instance",
    RdsCluster(RdsClusterAttrs) => "rds-cluster",
}

impl std::fmt::Display for ResourceKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

// ---------------------------------------------------------------- EC2 / VPC

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct AvailabilityZoneAttrs {
    /// `use1-az1`: the same physical zone across accounts.
    pub zone_id: String,
    /// `available`, …
    pub state: String,
    /// `availability-zone`, `local-zone`, `wavelength-zone`.
    #[serde(default)]
    pub zone_type: String,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct VpcAttrs {
    /// The primary IPv4 CIDR.
    pub cidr_block: String,
    /// Every associated IPv4 CIDR (primary included), sorted.
    #[serde(default)]
    pub cidr_blocks: Vec<String>,
    #[serde(default)]
    pub ipv6_cidr_blocks: Vec<String>,
    pub state: String,
    pub is_default: bool,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct SubnetAttrs {
    pub vpc_id: String,
    pub cidr_block: String,
    #[serde(default)]
    pub ipv6_cidr_blocks: Vec<String>,
    pub availability_zone: String,
    #[serde(default)]
    pub availability_zone_id: String,
    pub state: String,
    pub map_public_ip_on_launch: bool,
    pub default_for_az: bool,
    pub available_ip_address_count: i32,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct RouteTableAttrs {
    pub vpc_id: String,
    /// True when this is the VPC's main table (subnets without an explicit
    /// association use it).
    pub main: bool,
    /// Sorted by association id.
    pub associations: Vec<RouteTableAssociation>,
    /// Sorted by destination, then target.
    pub routes: Vec<Route>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct RouteTableAssociation {
    pub association_id: String,
    /// Set for a subnet association.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub subnet_id: Option<String>,
    /// Set for an edge association (IGW / VGW).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub gateway_id: Option<String>,
    /// The implicit association that marks the main table.
    pub main: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Route {
    /// `0.0.0.0/0`, `::/0`, `10.1.0.0/16`, or a prefix list id `pl-…`.
    pub destination: String,
    pub target: RouteTarget,
    /// `active` or `blackhole`.
    pub state: String,
    /// `CreateRouteTable`, `CreateRoute`, `EnableVgwRoutePropagation`.
    #[serde(default)]
    pub origin: String,
}

/// Where a route sends traffic.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(tag = "type", content = "id", rename_all = "kebab-case")]
pub enum RouteTarget {
    /// The VPC's own CIDR.
    Local,
    InternetGateway(String),
    EgressOnlyInternetGateway(String),
    NatGateway(String),
    TransitGateway(String),
    VpcPeeringConnection(String),
    /// Gateway VPC endpoint (S3, DynamoDB) or Gateway Load Balancer endpoint.
    VpcEndpoint(String),
    VirtualPrivateGateway(String),
    Instance(String),
    NetworkInterface(String),
    LocalGateway(String),
    CarrierGateway(String),
    CoreNetwork(String),
    /// A target strata does not model, kept verbatim.
    Other(String),
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct InternetGatewayAttrs {
    /// Sorted by VPC id.
    pub attachments: Vec<GatewayAttachment>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct GatewayAttachment {
    pub vpc_id: String,
    /// `available` / `attached`, …
    pub state: String,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct NatGatewayAttrs {
    pub vpc_id: String,
    pub subnet_id: String,
    pub state: String,
    /// `public` or `private`.
    pub connectivity_type: String,
    /// Sorted by network interface id.
    pub addresses: Vec<NatGatewayAddress>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct NatGatewayAddress {
    pub network_interface_id: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub allocation_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub private_ip: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub public_ip: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ElasticIpAttrs {
    pub public_ip: String,
    /// `vpc` or `standard`.
    pub domain: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub association_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub instance_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub network_interface_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub private_ip: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct VpcEndpointAttrs {
    pub vpc_id: String,
    /// `com.amazonaws.eu-west-1.s3`.
    pub service_name: String,
    /// `Gateway`, `Interface`, `GatewayLoadBalancer`.
    pub endpoint_type: String,
    pub state: String,
    #[serde(default)]
    pub route_table_ids: Vec<String>,
    #[serde(default)]
    pub subnet_ids: Vec<String>,
    #[serde(default)]
    pub security_group_ids: Vec<String>,
    #[serde(default)]
    pub network_interface_ids: Vec<String>,
    pub private_dns_enabled: bool,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct VpcPeeringConnectionAttrs {
    pub requester: PeeringSide,
    pub accepter: PeeringSide,
    /// `active`, `pending-acceptance`, `deleted`, …
    pub status: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct PeeringSide {
    pub account: String,
    pub region: String,
    pub vpc_id: String,
    #[serde(default)]
    pub cidr_blocks: Vec<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct TransitGatewayAttrs {
    pub state: String,
    pub owner_id: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub amazon_side_asn: Option<i64>,
    #[serde(default)]
    pub description: String,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct TransitGatewayAttachmentAttrs {
    pub transit_gateway_id: String,
    /// `vpc`, `vpn`, `peering`, `direct-connect-gateway`, …
    pub resource_type: String,
    /// The VPC id for a `vpc` attachment.
    pub resource_id: String,
    #[serde(default)]
    pub resource_owner_id: String,
    pub state: String,
    /// Subnets of a VPC attachment, sorted.
    #[serde(default)]
    pub subnet_ids: Vec<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct SecurityGroupAttrs {
    pub vpc_id: String,
    pub group_name: String,
    #[serde(default)]
    pub description: String,
    /// One entry per (permission, source), sorted.
    pub ingress: Vec<SecurityGroupRule>,
    /// One entry per (permission, destination), sorted.
    pub egress: Vec<SecurityGroupRule>,
}

/// One source (ingress) or destination (egress) of one IP permission.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct SecurityGroupRule {
    /// `tcp`, `udp`, `icmp`, `icmpv6`, a protocol number, or `-1` for all.
    pub protocol: String,
    /// Absent for all-traffic rules. For ICMP, the type.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from_port: Option<i32>,
    /// Absent for all-traffic rules. For ICMP, the code.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub to_port: Option<i32>,
    pub peer: RulePeer,
    /// `sgr-…` when DescribeSecurityGroupRules gave one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rule_id: Option<String>,
    #[serde(default)]
    pub description: String,
}

/// The other side of a security-group rule.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "kebab-case")]
pub enum RulePeer {
    Cidr {
        cidr: String,
    },
    Ipv6Cidr {
        cidr: String,
    },
    PrefixList {
        prefix_list_id: String,
    },
    /// Members of another (or the same) security group, possibly in another
    /// account or a peered VPC.
    Group {
        group_id: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        account: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        vpc_id: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        vpc_peering_connection_id: Option<String>,
    },
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct NetworkInterfaceAttrs {
    pub vpc_id: String,
    pub subnet_id: String,
    pub availability_zone: String,
    /// `interface`, `nat_gateway`, `network_load_balancer`, `vpc_endpoint`, …
    pub interface_type: String,
    pub status: String,
    #[serde(default)]
    pub description: String,
    /// Primary first, then the rest sorted.
    pub private_ips: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub public_ip: Option<String>,
    /// Sorted.
    pub security_group_ids: Vec<String>,
    /// The instance it is attached to, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub attached_instance_id: Option<String>,
    #[serde(default)]
    pub requester_managed: bool,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Ec2InstanceAttrs {
    /// `pending`, `running`, `stopping`, `stopped`, `shutting-down`, `terminated`.
    pub state: String,
    pub instance_type: String,
    pub availability_zone: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub vpc_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub subnet_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub private_ip: Option<String>,
    /// Every private IP of every interface, sorted.
    #[serde(default)]
    pub private_ips: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub public_ip: Option<String>,
    /// Union of the instance's groups and its interfaces' groups, sorted.
    pub security_group_ids: Vec<String>,
    /// Sorted.
    #[serde(default)]
    pub network_interface_ids: Vec<String>,
    /// `linux` unless AWS says `windows`; the platform details string when known.
    pub platform: String,
    /// RFC 3339.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub launch_time: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub image_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub architecture: Option<String>,
    /// `spot`, `scheduled`, `capacity-block`; absent for on-demand.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lifecycle: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub iam_instance_profile_arn: Option<String>,
    /// `default`, `dedicated`, `host`.
    #[serde(default)]
    pub tenancy: String,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct EbsVolumeAttrs {
    pub size_gib: i32,
    /// `gp3`, `gp2`, `io2`, …
    pub volume_type: String,
    pub state: String,
    pub availability_zone: String,
    pub encrypted: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub iops: Option<i32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub throughput: Option<i32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub snapshot_id: Option<String>,
    /// Sorted by instance id.
    pub attachments: Vec<VolumeAttachment>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct VolumeAttachment {
    pub instance_id: String,
    pub device: String,
    pub state: String,
    pub delete_on_termination: bool,
}

// ---------------------------------------------------------------- ELBv2

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct LoadBalancerAttrs {
    /// `application`, `network`, `gateway`.
    pub lb_type: String,
    /// `internet-facing` or `internal`.
    pub scheme: String,
    /// `active`, `provisioning`, `active_impaired`, `failed`.
    pub state: String,
    pub vpc_id: String,
    pub dns_name: String,
    /// `ipv4`, `dualstack`, …
    #[serde(default)]
    pub ip_address_type: String,
    /// Sorted by zone.
    pub availability_zones: Vec<LoadBalancerZone>,
    /// Sorted.
    #[serde(default)]
    pub security_group_ids: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub created_time: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct LoadBalancerZone {
    pub zone_name: String,
    pub subnet_id: String,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ListenerAttrs {
    pub load_balancer_arn: String,
    /// `HTTP`, `HTTPS`, `TCP`, `TLS`, `UDP`, `TCP_UDP`, `GENEVE`.
    pub protocol: String,
    pub port: i32,
    pub default_actions: Vec<ListenerAction>,
    /// Non-default rules (DescribeRules), sorted by priority.
    #[serde(default)]
    pub rules: Vec<ListenerRule>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct ListenerAction {
    /// `forward`, `redirect`, `fixed-response`, `authenticate-oidc`, …
    pub action_type: String,
    /// Every target group the action forwards to (single target group or
    /// weighted forward config), sorted.
    #[serde(default)]
    pub target_group_arns: Vec<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct ListenerRule {
    pub rule_arn: String,
    /// `1`…`50000` or `default`.
    pub priority: String,
    pub actions: Vec<ListenerAction>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct TargetGroupAttrs {
    pub name: String,
    /// Absent for Lambda target groups.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub protocol: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub port: Option<i32>,
    /// `instance`, `ip`, `lambda`, `alb`.
    pub target_type: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub vpc_id: Option<String>,
    /// Sorted.
    #[serde(default)]
    pub load_balancer_arns: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub health_check_protocol: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub health_check_path: Option<String>,
    /// From DescribeTargetHealth; `None` when that call was not allowed
    /// (so nobody invents target edges), sorted by (id, port).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub targets: Option<Vec<Target>>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Target {
    /// Instance id, IP address, Lambda ARN or ALB ARN.
    pub id: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub port: Option<i32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub availability_zone: Option<String>,
    /// `initial`, `healthy`, `unhealthy`, `unused`, `draining`, `unavailable`.
    pub health: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}

// ---------------------------------------------------------------- RDS

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct DbSubnetGroupAttrs {
    pub vpc_id: String,
    pub status: String,
    #[serde(default)]
    pub description: String,
    /// Sorted by subnet id.
    pub subnets: Vec<DbSubnet>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct DbSubnet {
    pub subnet_id: String,
    pub availability_zone: String,
    pub status: String,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct RdsInstanceAttrs {
    pub db_instance_class: String,
    pub engine: String,
    #[serde(default)]
    pub engine_version: String,
    /// `available`, `stopped`, `failed`, `backing-up`, …
    pub status: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub availability_zone: Option<String>,
    /// The standby's zone for a Multi-AZ instance.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub secondary_availability_zone: Option<String>,
    pub multi_az: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub db_subnet_group: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub vpc_id: Option<String>,
    /// Sorted.
    pub security_group_ids: Vec<String>,
    /// The source's identifier (or ARN when cross-region) for a read replica.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub read_replica_source: Option<String>,
    /// Sorted.
    #[serde(default)]
    pub read_replica_identifiers: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cluster_identifier: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub endpoint_address: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub endpoint_port: Option<i32>,
    #[serde(default)]
    pub allocated_storage_gib: i32,
    #[serde(default)]
    pub storage_type: String,
    pub storage_encrypted: bool,
    pub publicly_accessible: bool,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct RdsClusterAttrs {
    pub engine: String,
    #[serde(default)]
    pub engine_version: String,
    pub status: String,
    pub multi_az: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub db_subnet_group: Option<String>,
    /// Resolved through the subnet group when the API omits it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub vpc_id: Option<String>,
    /// Sorted.
    pub security_group_ids: Vec<String>,
    /// Sorted.
    #[serde(default)]
    pub availability_zones: Vec<String>,
    /// Sorted by identifier.
    pub members: Vec<ClusterMember>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub endpoint: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reader_endpoint: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub port: Option<i32>,
    pub storage_encrypted: bool,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct ClusterMember {
    pub db_instance_identifier: String,
    pub is_writer: bool,
}

// ---------------------------------------------------------------- reading

/// Why a snapshot could not be read. Each message names the file and says
/// what was wrong with it.
#[derive(Debug, thiserror::Error)]
pub enum SnapshotError {
    // The cause is the error's source, which callers print as a chain.
    #[error("cannot read snapshot {path}")]
    Io {
        path: String,
        #[source]
        source: std::io::Error,
    },
    #[error("snapshot {path} is empty; scan again with `strata scan -o {path}`")]
    Empty { path: String },
    #[error("{path} is not a strata snapshot: {detail}")]
    NotASnapshot { path: String, detail: String },
    #[error(
        "snapshot {path} has schema {found:?}, but this strata reads {SCHEMA:?}; \
         {hint}"
    )]
    WrongSchema {
        path: String,
        found: String,
        hint: &'static str,
    },
    #[error("snapshot {path} is damaged at line {line}, column {column}: {detail}")]
    Malformed {
        path: String,
        line: usize,
        column: usize,
        detail: String,
    },
}

impl Snapshot {
    /// An empty snapshot of the current schema.
    pub fn new(scan: ScanMeta) -> Snapshot {
        Snapshot {
            schema: SCHEMA.to_string(),
            scan,
            resources: Vec::new(),
        }
    }

    /// Parse a snapshot from bytes; `origin` names the source in errors.
    pub fn from_slice(bytes: &[u8], origin: &str) -> Result<Snapshot, SnapshotError> {
        let path = one_line(origin);
        if bytes.iter().all(u8::is_ascii_whitespace) {
            return Err(SnapshotError::Empty { path });
        }
        // Read the schema first, so a future version gets a version message,
        // not a field-by-field complaint.
        let value: serde_json::Value =
            serde_json::from_slice(bytes).map_err(|err| classify_json_error(&path, &err))?;
        let schema = match value.get("schema") {
            Some(serde_json::Value::String(schema)) => schema.clone(),
            _ => {
                return Err(SnapshotError::NotASnapshot {
                    path,
                    detail: "it has no \"schema\" field".to_string(),
                })
            }
        };
        if schema != SCHEMA {
            let hint = if schema.starts_with(SCHEMA_FAMILY) {
                "it was written by another strata version; upgrade strata or scan again"
            } else {
                "it is not a strata snapshot (graph JSON is an output, not an input)"
            };
            return Err(SnapshotError::WrongSchema {
                path,
                found: schema,
                hint,
            });
        }
        serde_json::from_value(value).map_err(|err| SnapshotError::NotASnapshot {
            path,
            detail: one_line(&err.to_string()),
        })
    }

    /// Read a snapshot file.
    pub fn read(path: &Path) -> Result<Snapshot, SnapshotError> {
        let shown = path.display().to_string();
        let bytes = std::fs::read(path).map_err(|source| SnapshotError::Io {
            path: shown.clone(),
            source,
        })?;
        Snapshot::from_slice(&bytes, &shown)
    }

    /// Pretty JSON with a trailing newline; byte-identical for equal snapshots.
    pub fn to_json(&self) -> String {
        let mut text =
            serde_json::to_string_pretty(self).expect("a snapshot always serializes to JSON");
        text.push('\n');
        text
    }

    /// Sort resources and metadata lists so equal estates give equal bytes.
    pub fn normalize(&mut self) {
        self.resources
            .sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
        self.scan.accounts.sort();
        self.scan.accounts.dedup();
        self.scan.regions.sort();
        self.scan.regions.dedup();
        self.scan.services.sort();
        self.scan.services.dedup();
        self.scan.skipped.sort();
        self.scan.skipped.dedup();
        self.scan.failed_regions.sort();
        self.scan.failed_regions.dedup();
    }

    /// Resources of one kind, in snapshot order.
    pub fn of_kind(&self, kind: ResourceKind) -> impl Iterator<Item = &Resource> {
        self.resources.iter().filter(move |r| r.kind() == kind)
    }
}

fn classify_json_error(path: &str, err: &serde_json::Error) -> SnapshotError {
    use serde_json::error::Category;
    match err.classify() {
        Category::Eof => SnapshotError::Malformed {
            path: path.to_string(),
            line: err.line(),
            column: err.column(),
            detail: "the file ends early (truncated?)".to_string(),
        },
        Category::Syntax if err.line() == 1 && err.column() <= 1 => SnapshotError::NotASnapshot {
            path: path.to_string(),
            detail: "it is not JSON".to_string(),
        },
        _ => SnapshotError::Malformed {
            path: path.to_string(),
            line: err.line(),
            column: err.column(),
            detail: one_line(&err.to_string()),
        },
    }
}

/// Error text that stays on one line and cannot drive a terminal: serde
/// quotes unknown field and variant names verbatim, and a file name or key
/// may hold newlines or escape sequences.
fn one_line(text: &str) -> String {
    text.chars()
        .map(|c| {
            if c.is_control() {
                c.escape_default().to_string()
            } else {
                c.to_string()
            }
        })
        .collect()
}

/// The partition an ARN in this region belongs to.
pub fn partition(region: &str) -> &'static str {
    if region.starts_with("cn-") {
        "aws-cn"
    } else if region.starts_with("us-gov-") {
        "aws-us-gov"
    } else if region.starts_with("us-iso-") {
        "aws-iso"
    } else if region.starts_with("us-isob-") {
        "aws-iso-b"
    } else {
        "aws"
    }
}

/// `arn:aws:ec2:eu-west-1:123456789012:vpc/vpc-0abc`: EC2 resource ARNs are
/// not returned by the API but are defined by AWS, so we build them.
pub fn ec2_arn(region: &str, account: &str, resource_type: &str, id: &str) -> String {
    format!(
        "arn:{}:ec2:{region}:{account}:{resource_type}/{id}",
        partition(region)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Snapshot {
        let mut snapshot = Snapshot::new(ScanMeta {
            tool_version: "strata 0.1.0".into(),
            started_at: "2026-01-01T00:00:00Z".into(),
            finished_at: "2026-01-01T00:00:05Z".into(),
            accounts: vec![AccountMeta {
                id: "123456789012".into(),
                name: "main".into(),
                role_arn: None,
            }],
            regions: vec!["eu-west-1".into()],
            services: vec!["ec2".into()],
            complete: true,
            ..Default::default()
        });
        snapshot.resources.push(Resource {
            id: "vpc-1".into(),
            arn: Some(ec2_arn("eu-west-1", "123456789012", "vpc", "vpc-1")),
            account: "123456789012".into(),
            region: "eu-west-1".into(),
            name: "main".into(),
            tags: BTreeMap::from([("Name".to_string(), "main".to_string())]),
            detail: Detail::Vpc(VpcAttrs {
                cidr_block: "10.0.0.0/16".into(),
                cidr_blocks: vec!["10.0.0.0/16".into()],
                state: "available".into(),
                ..Default::default()
            }),
        });
        snapshot
    }

    #[test]
    fn round_trips_with_kind_and_attrs_beside_the_identity() {
        let snapshot = sample();
        let json = snapshot.to_json();
        let value: serde_json::Value = serde_json::from_str(&json).unwrap();
        assert_eq!(value["resources"][0]["kind"], "vpc");
        assert_eq!(value["resources"][0]["attrs"]["cidr_block"], "10.0.0.0/16");
        assert_eq!(
            Snapshot::from_slice(json.as_bytes(), "x").unwrap(),
            snapshot
        );
    }

    #[test]
    fn names_what_is_wrong_with_a_bad_file() {
        let cases: [(&[u8], &str); 5] = [
            (b"", "is empty"),
            (b"\x00\xffgarbage", "not JSON"),
            (
                br#"{"schema": "strata.snapshot/v1", "scan": {"#,
                "ends early",
            ),
            (
                br#"{"schema": "strata.snapshot/v9"}"#,
                "another strata version",
            ),
            (br#"{"nodes": []}"#, "no \"schema\" field"),
        ];
        for (bytes, expected) in cases {
            let message = Snapshot::from_slice(bytes, "snap.json")
                .unwrap_err()
                .to_string();
            assert!(message.contains(expected), "{message:?} lacks {expected:?}");
            assert!(message.contains("snap.json"), "{message:?} lacks the path");
            assert!(!message.contains('\n'), "{message:?} is not one line");
        }
    }
}
