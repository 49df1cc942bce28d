//! The snapshot attributes of EC2's networking resources: zones, VPCs,
//! subnets, route tables, gateways, addresses, endpoints, peerings, transit
//! gateways, security groups and network interfaces. Plain data, as the
//! scan wrote it; what it means is the graph rules'.

use serde::{Deserialize, Serialize};

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

/// An egress-only internet gateway: IPv6 out, nothing in.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct EgressOnlyInternetGatewayAttrs {
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
