//! EC2 networking: availability zones, VPCs, subnets, route tables, internet
//! and egress-only gateways, NAT gateways, Elastic IPs, VPC endpoints,
//! peering connections, transit gateways and their attachments, security
//! groups and network interfaces.
//!
//! The frames every other service is placed in (VPC › zone › subnet) come
//! from here, and so do the rules that need the network as a whole: subnet
//! tiers and `routes` from route tables, `allows` from security groups,
//! `peers` and transit-gateway `attaches` between VPCs.

pub(crate) mod cost;
mod graph;
pub mod model;
pub(crate) mod redact;
#[cfg(feature = "scan")]
pub(crate) mod scan;
mod reachability;
mod tiers;

pub use model::*;

use crate::services::{FrameLevel, Look, Place};
use crate::style::Category;

kinds! {
    AvailabilityZone(AvailabilityZoneAttrs) => "availability-zone",
    Vpc(VpcAttrs) => "vpc",
    Subnet(SubnetAttrs) => "subnet",
    RouteTable(RouteTableAttrs) => "route-table",
    InternetGateway(InternetGatewayAttrs) => "internet-gateway",
    EgressOnlyInternetGateway(EgressOnlyInternetGatewayAttrs) => "egress-only-internet-gateway",
    NatGateway(NatGatewayAttrs) => "nat-gateway",
    ElasticIp(ElasticIpAttrs) => "elastic-ip",
    VpcEndpoint(VpcEndpointAttrs) => "vpc-endpoint",
    VpcPeeringConnection(VpcPeeringConnectionAttrs) => "vpc-peering-connection",
    TransitGateway(TransitGatewayAttrs) => "transit-gateway",
    TransitGatewayAttachment(TransitGatewayAttachmentAttrs) => "transit-gateway-attachment",
    SecurityGroup(SecurityGroupAttrs) => "security-group",
    NetworkInterface(NetworkInterfaceAttrs) => "network-interface",
}

pub fn look(kind: Kind) -> Look {
    let tile = |icon, place, rank| Look::tile(Category::Networking, icon, place, rank);
    match kind {
        Kind::AvailabilityZone => Look::frame(FrameLevel::Zone),
        Kind::Vpc => Look::frame(FrameLevel::Vpc),
        Kind::Subnet => Look::frame(FrameLevel::Subnet),
        Kind::RouteTable | Kind::TransitGatewayAttachment => Look::never(Category::Networking),
        Kind::InternetGateway => tile(
            icon!("internet-gateway", drawio: "internet_gateway"),
            Place::Border,
            6,
        )
        .incidental(),
        Kind::EgressOnlyInternetGateway => tile(
            icon!("egress-only-internet-gateway", drawio: "internet_gateway"),
            Place::Border,
            6,
        ),
        Kind::NatGateway => tile(icon!("nat-gateway", drawio: "nat_gateway"), Place::Cell, 0),
        Kind::ElasticIp => tile(
            icon!("elastic-ip", drawio: "elastic_ip_address"),
            Place::Cell,
            6,
        ),
        Kind::VpcEndpoint => tile(icon!("vpc-endpoint", drawio: "endpoints"), Place::Border, 6),
        Kind::VpcPeeringConnection => tile(
            icon!("vpc-peering-connection", drawio: "peering"),
            Place::Border,
            6,
        ),
        Kind::TransitGateway => tile(
            icon!("transit-gateway", drawio: "transit_gateway"),
            Place::Region,
            6,
        ),
        Kind::SecurityGroup => Look::tile(
            Category::Security,
            icon!("security-group", drawio: "network_access_control_list"),
            Place::Cell,
            6,
        ),
        Kind::NetworkInterface => tile(
            icon!("network-interface", drawio: "elastic_network_interface"),
            Place::Cell,
            3,
        ),
    }
}

/// Networking is part of EC2's API.
pub struct Network;

pub const SERVICE: Network = Network;

#[cfg(feature = "scan")]
impl crate::services::Service for Network {
    fn iam_prefix(&self) -> &'static str {
        "ec2"
    }
}
