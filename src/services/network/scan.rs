//! Scanning EC2 networking: zones, VPCs, subnets, route tables, gateways,
//! addresses, endpoints, peering, transit gateways, security groups and
//! network interfaces of one region.
//!
//! Each resource type has a *fetch* (one paginated call through the scan's
//! call wrapper, its action and `iam check` probe declared beside it) and a
//! pure *transform* (SDK type → snapshot resource). It infers no
//! relationships (that is the graph rules').

use std::collections::{BTreeMap, HashMap};

use aws_sdk_ec2::types as ec2;
use aws_sdk_ec2::Client;

use super::model::*;
use crate::scan::action::{probe, Action, Call};
use crate::scan::context::RegionContext;
use crate::scan::origin::{each, owned, sorted, tag_map, text, Origin};
use crate::scan::paginate;
use crate::snapshot::{Detail, Resource};

/// EC2 Describe calls accept 5 as their smallest page.
pub(crate) const EC2_PAGE: i32 = 5;

pub(crate) const fn ec2_call(
    name: &'static str,
    feeds: &'static str,
    mandatory: bool,
    probe: Option<crate::scan::action::Probe>,
) -> Call {
    Call {
        action: Action {
            service: "ec2",
            name,
            feeds,
            mandatory,
        },
        probe,
    }
}

pub(crate) const DESCRIBE_AVAILABILITY_ZONES: Call = ec2_call(
    "DescribeAvailabilityZones",
    "availability zones",
    false,
    probe!(Client, |ec2| ec2.describe_availability_zones().send()),
);

pub(crate) const DESCRIBE_VPCS: Call = ec2_call(
    "DescribeVpcs",
    "VPCs",
    true,
    probe!(Client, |ec2| ec2.describe_vpcs().max_results(EC2_PAGE).send()),
);

pub(crate) const DESCRIBE_SUBNETS: Call = ec2_call(
    "DescribeSubnets",
    "subnets",
    true,
    probe!(Client, |ec2| ec2.describe_subnets().max_results(EC2_PAGE).send()),
);

pub(crate) const DESCRIBE_ROUTE_TABLES: Call = ec2_call(
    "DescribeRouteTables",
    "route tables (public/private subnet tiers)",
    false,
    probe!(Client, |ec2| ec2.describe_route_tables().max_results(EC2_PAGE).send()),
);

pub(crate) const DESCRIBE_INTERNET_GATEWAYS: Call = ec2_call(
    "DescribeInternetGateways",
    "internet gateways",
    false,
    probe!(Client, |ec2| ec2.describe_internet_gateways().max_results(EC2_PAGE).send()),
);

pub(crate) const DESCRIBE_EGRESS_ONLY_INTERNET_GATEWAYS: Call = ec2_call(
    "DescribeEgressOnlyInternetGateways",
    "egress-only internet gateways",
    false,
    probe!(Client, |ec2| ec2.describe_egress_only_internet_gateways().max_results(EC2_PAGE).send()),
);

pub(crate) const DESCRIBE_NAT_GATEWAYS: Call = ec2_call(
    "DescribeNatGateways",
    "NAT gateways",
    false,
    probe!(Client, |ec2| ec2.describe_nat_gateways().max_results(EC2_PAGE).send()),
);

pub(crate) const DESCRIBE_ADDRESSES: Call = ec2_call(
    "DescribeAddresses",
    "elastic IPs",
    false,
    probe!(Client, |ec2| ec2.describe_addresses().send()),
);

pub(crate) const DESCRIBE_VPC_ENDPOINTS: Call = ec2_call(
    "DescribeVpcEndpoints",
    "VPC endpoints",
    false,
    probe!(Client, |ec2| ec2.describe_vpc_endpoints().max_results(EC2_PAGE).send()),
);

pub(crate) const DESCRIBE_VPC_PEERING_CONNECTIONS: Call = ec2_call(
    "DescribeVpcPeeringConnections",
    "VPC peering connections",
    false,
    probe!(Client, |ec2| ec2.describe_vpc_peering_connections().max_results(EC2_PAGE).send()),
);

pub(crate) const DESCRIBE_TRANSIT_GATEWAYS: Call = ec2_call(
    "DescribeTransitGateways",
    "transit gateways",
    false,
    probe!(Client, |ec2| ec2.describe_transit_gateways().max_results(EC2_PAGE).send()),
);

pub(crate) const DESCRIBE_TRANSIT_GATEWAY_ATTACHMENTS: Call = ec2_call(
    "DescribeTransitGatewayAttachments",
    "transit gateway attachments",
    false,
    probe!(Client, |ec2| ec2.describe_transit_gateway_attachments().max_results(EC2_PAGE).send()),
);

pub(crate) const DESCRIBE_TRANSIT_GATEWAY_VPC_ATTACHMENTS: Call = ec2_call(
    "DescribeTransitGatewayVpcAttachments",
    "the subnets of transit gateway VPC attachments",
    false,
    probe!(Client, |ec2| ec2.describe_transit_gateway_vpc_attachments().max_results(EC2_PAGE).send()),
);

pub(crate) const DESCRIBE_SECURITY_GROUPS: Call = ec2_call(
    "DescribeSecurityGroups",
    "security groups and their rules",
    false,
    probe!(Client, |ec2| ec2.describe_security_groups().max_results(EC2_PAGE).send()),
);

pub(crate) const DESCRIBE_SECURITY_GROUP_RULES: Call = ec2_call(
    "DescribeSecurityGroupRules",
    "security group rule ids (sgr-…)",
    false,
    probe!(Client, |ec2| ec2.describe_security_group_rules().max_results(EC2_PAGE).send()),
);

pub(crate) const DESCRIBE_NETWORK_INTERFACES: Call = ec2_call(
    "DescribeNetworkInterfaces",
    "network interfaces",
    false,
    probe!(Client, |ec2| ec2.describe_network_interfaces().max_results(EC2_PAGE).send()),
);

/// Every call of a region's networking scan.
pub(crate) const CALLS: &[Call] = &[
    DESCRIBE_AVAILABILITY_ZONES,
    DESCRIBE_VPCS,
    DESCRIBE_SUBNETS,
    DESCRIBE_ROUTE_TABLES,
    DESCRIBE_INTERNET_GATEWAYS,
    DESCRIBE_EGRESS_ONLY_INTERNET_GATEWAYS,
    DESCRIBE_NAT_GATEWAYS,
    DESCRIBE_ADDRESSES,
    DESCRIBE_VPC_ENDPOINTS,
    DESCRIBE_VPC_PEERING_CONNECTIONS,
    DESCRIBE_TRANSIT_GATEWAYS,
    DESCRIBE_TRANSIT_GATEWAY_ATTACHMENTS,
    DESCRIBE_TRANSIT_GATEWAY_VPC_ATTACHMENTS,
    DESCRIBE_SECURITY_GROUPS,
    DESCRIBE_SECURITY_GROUP_RULES,
    DESCRIBE_NETWORK_INTERFACES,
];

/// Scan EC2 networking in one region: every fetch concurrently, then the
/// transforms.
pub(crate) async fn scan(context: &RegionContext) -> anyhow::Result<Vec<Resource>> {
    let client = Client::new(context.sdk_config());
    let client = &client;

    // One join for all of them: the global bound, not this grouping, decides
    // how many run at once.
    let (
        zones,
        vpcs,
        subnets,
        route_tables,
        internet_gateways,
        egress_only_gateways,
        nat_gateways,
        addresses,
        endpoints,
        peerings,
        transit_gateways,
        tgw_attachments,
        tgw_vpc_attachments,
        security_groups,
        security_group_rules,
        network_interfaces,
    ) = tokio::try_join!(
        context.call(&DESCRIBE_AVAILABILITY_ZONES, || async {
            // Not paginated: one answer per region.
            client
                .describe_availability_zones()
                .send()
                .await
                .map(|out| out.availability_zones.unwrap_or_default())
        }),
        context.call(&DESCRIBE_VPCS, paginate!(client.describe_vpcs())),
        context.call(&DESCRIBE_SUBNETS, paginate!(client.describe_subnets())),
        context.call(
            &DESCRIBE_ROUTE_TABLES,
            paginate!(client.describe_route_tables())
        ),
        context.call(
            &DESCRIBE_INTERNET_GATEWAYS,
            paginate!(client.describe_internet_gateways())
        ),
        context.call(
            &DESCRIBE_EGRESS_ONLY_INTERNET_GATEWAYS,
            paginate!(client.describe_egress_only_internet_gateways())
        ),
        context.call(
            &DESCRIBE_NAT_GATEWAYS,
            paginate!(client.describe_nat_gateways())
        ),
        context.call(&DESCRIBE_ADDRESSES, || async {
            // Not paginated: one answer per region.
            client
                .describe_addresses()
                .send()
                .await
                .map(|out| out.addresses.unwrap_or_default())
        }),
        context.call(
            &DESCRIBE_VPC_ENDPOINTS,
            paginate!(client.describe_vpc_endpoints())
        ),
        context.call(
            &DESCRIBE_VPC_PEERING_CONNECTIONS,
            paginate!(client.describe_vpc_peering_connections())
        ),
        context.call(
            &DESCRIBE_TRANSIT_GATEWAYS,
            paginate!(client.describe_transit_gateways())
        ),
        context.call(
            &DESCRIBE_TRANSIT_GATEWAY_ATTACHMENTS,
            paginate!(client.describe_transit_gateway_attachments())
        ),
        context.call(
            &DESCRIBE_TRANSIT_GATEWAY_VPC_ATTACHMENTS,
            paginate!(client.describe_transit_gateway_vpc_attachments())
        ),
        context.call(
            &DESCRIBE_SECURITY_GROUPS,
            paginate!(client.describe_security_groups())
        ),
        context.call(
            &DESCRIBE_SECURITY_GROUP_RULES,
            paginate!(client.describe_security_group_rules())
        ),
        context.call(
            &DESCRIBE_NETWORK_INTERFACES,
            paginate!(client.describe_network_interfaces())
        ),
    )?;

    let origin = Origin {
        account: context.account(),
        region: context.region(),
    };
    let mut resources = Vec::new();
    resources.extend(each(zones).filter_map(|zone| availability_zone(origin, &zone)));
    resources.extend(each(vpcs).filter_map(|item| vpc(origin, &item)));
    resources.extend(each(subnets).filter_map(|item| subnet(origin, &item)));
    resources.extend(each(route_tables).filter_map(|item| route_table(origin, &item)));
    resources.extend(each(internet_gateways).filter_map(|item| internet_gateway(origin, &item)));
    resources.extend(
        each(egress_only_gateways).filter_map(|item| egress_only_internet_gateway(origin, &item)),
    );
    resources.extend(each(nat_gateways).filter_map(|item| nat_gateway(origin, &item)));
    resources.extend(each(addresses).filter_map(|item| elastic_ip(origin, &item)));
    resources.extend(each(endpoints).filter_map(|item| vpc_endpoint(origin, &item)));
    resources.extend(each(peerings).filter_map(|item| vpc_peering_connection(origin, &item)));
    resources.extend(each(transit_gateways).filter_map(|item| transit_gateway(origin, &item)));
    let attachment_subnets =
        tgw_vpc_attachment_subnets(&each(tgw_vpc_attachments).collect::<Vec<_>>());
    resources.extend(
        each(tgw_attachments)
            .filter_map(|item| transit_gateway_attachment(origin, &item, &attachment_subnets)),
    );
    let rule_ids = security_group_rule_ids(origin, &each(security_group_rules).collect::<Vec<_>>());
    resources
        .extend(each(security_groups).filter_map(|item| security_group(origin, &item, &rule_ids)));
    resources.extend(each(network_interfaces).filter_map(|item| network_interface(origin, &item)));
    Ok(resources)
}

/// EC2's tags as a map.
pub(crate) fn tags(tags: &[ec2::Tag]) -> BTreeMap<String, String> {
    tag_map(tags.iter().map(|tag| (tag.key(), tag.value())))
}

// ---------------------------------------------------------------- transforms

pub fn availability_zone(origin: Origin, zone: &ec2::AvailabilityZone) -> Option<Resource> {
    let name = zone.zone_name()?;
    Some(origin.resource(
        name,
        None,
        BTreeMap::new(),
        Detail::from(AvailabilityZoneAttrs {
            zone_id: text(zone.zone_id()),
            state: text(zone.state().map(|s| s.as_str())),
            zone_type: text(zone.zone_type()),
        }),
    ))
}

pub fn vpc(origin: Origin, vpc: &ec2::Vpc) -> Option<Resource> {
    let id = vpc.vpc_id()?;
    let cidr_block = text(vpc.cidr_block());
    let mut cidr_blocks = sorted(
        vpc.cidr_block_association_set()
            .iter()
            .filter(|association| {
                association
                    .cidr_block_state()
                    .and_then(|state| state.state())
                    .is_none_or(|state| state.as_str() == "associated")
            })
            .filter_map(|association| association.cidr_block()),
    );
    if cidr_blocks.is_empty() && !cidr_block.is_empty() {
        cidr_blocks.push(cidr_block.clone());
    }
    Some(
        origin.resource(
            id,
            Some(origin.ec2_arn("vpc", id)),
            tags(vpc.tags()),
            Detail::from(VpcAttrs {
                cidr_block,
                cidr_blocks,
                ipv6_cidr_blocks: sorted(
                    vpc.ipv6_cidr_block_association_set()
                        .iter()
                        .filter_map(|association| association.ipv6_cidr_block()),
                ),
                state: text(vpc.state().map(|s| s.as_str())),
                is_default: vpc.is_default().unwrap_or(false),
            }),
        ),
    )
}

pub fn subnet(origin: Origin, subnet: &ec2::Subnet) -> Option<Resource> {
    let id = subnet.subnet_id()?;
    Some(
        origin.resource(
            id,
            Some(
                subnet
                    .subnet_arn()
                    .map(str::to_string)
                    .unwrap_or_else(|| origin.ec2_arn("subnet", id)),
            ),
            tags(subnet.tags()),
            Detail::from(SubnetAttrs {
                vpc_id: text(subnet.vpc_id()),
                cidr_block: text(subnet.cidr_block()),
                ipv6_cidr_blocks: sorted(
                    subnet
                        .ipv6_cidr_block_association_set()
                        .iter()
                        .filter_map(|association| association.ipv6_cidr_block()),
                ),
                availability_zone: text(subnet.availability_zone()),
                availability_zone_id: text(subnet.availability_zone_id()),
                state: text(subnet.state().map(|s| s.as_str())),
                map_public_ip_on_launch: subnet.map_public_ip_on_launch().unwrap_or(false),
                default_for_az: subnet.default_for_az().unwrap_or(false),
                available_ip_address_count: subnet.available_ip_address_count().unwrap_or(0),
            }),
        ),
    )
}

pub fn route_table(origin: Origin, table: &ec2::RouteTable) -> Option<Resource> {
    let id = table.route_table_id()?;
    let mut associations: Vec<RouteTableAssociation> = table
        .associations()
        .iter()
        .map(|association| RouteTableAssociation {
            association_id: text(association.route_table_association_id()),
            subnet_id: owned(association.subnet_id()),
            gateway_id: owned(association.gateway_id()),
            main: association.main().unwrap_or(false),
        })
        .collect();
    associations.sort();
    let mut routes: Vec<Route> = table.routes().iter().filter_map(route).collect();
    routes.sort();
    routes.dedup();
    Some(origin.resource(
        id,
        Some(origin.ec2_arn("route-table", id)),
        tags(table.tags()),
        Detail::from(RouteTableAttrs {
            vpc_id: text(table.vpc_id()),
            main: associations.iter().any(|association| association.main),
            associations,
            routes,
        }),
    ))
}

fn route(route: &ec2::Route) -> Option<Route> {
    let destination = route
        .destination_cidr_block()
        .or(route.destination_ipv6_cidr_block())
        .or(route.destination_prefix_list_id())?;
    Some(Route {
        destination: destination.to_string(),
        target: route_target(route),
        state: text(route.state().map(|s| s.as_str())),
        origin: text(route.origin().map(|o| o.as_str())),
    })
}

/// Where a route points; an instance route also names the instance's
/// interface, and the instance is what a reader cares about.
pub fn route_target(route: &ec2::Route) -> RouteTarget {
    let owned = |id: &str| id.to_string();
    if let Some(gateway) = route.gateway_id() {
        return match gateway {
            "local" => RouteTarget::Local,
            id if id.starts_with("igw-") => RouteTarget::InternetGateway(owned(id)),
            id if id.starts_with("vgw-") => RouteTarget::VirtualPrivateGateway(owned(id)),
            id if id.starts_with("vpce-") => RouteTarget::VpcEndpoint(owned(id)),
            id => RouteTarget::Other(owned(id)),
        };
    }
    if let Some(id) = route.nat_gateway_id() {
        RouteTarget::NatGateway(owned(id))
    } else if let Some(id) = route.transit_gateway_id() {
        RouteTarget::TransitGateway(owned(id))
    } else if let Some(id) = route.vpc_peering_connection_id() {
        RouteTarget::VpcPeeringConnection(owned(id))
    } else if let Some(id) = route.egress_only_internet_gateway_id() {
        RouteTarget::EgressOnlyInternetGateway(owned(id))
    } else if let Some(id) = route.instance_id() {
        RouteTarget::Instance(owned(id))
    } else if let Some(id) = route.network_interface_id() {
        RouteTarget::NetworkInterface(owned(id))
    } else if let Some(id) = route.local_gateway_id() {
        RouteTarget::LocalGateway(owned(id))
    } else if let Some(id) = route.carrier_gateway_id() {
        RouteTarget::CarrierGateway(owned(id))
    } else if let Some(arn) = route.core_network_arn() {
        RouteTarget::CoreNetwork(owned(arn))
    } else {
        RouteTarget::Other("unknown".to_string())
    }
}

fn gateway_attachments(attachments: &[ec2::InternetGatewayAttachment]) -> Vec<GatewayAttachment> {
    let mut attachments: Vec<GatewayAttachment> = attachments
        .iter()
        .map(|attachment| GatewayAttachment {
            vpc_id: text(attachment.vpc_id()),
            state: text(attachment.state().map(|s| s.as_str())),
        })
        .collect();
    attachments.sort();
    attachments
}

pub fn internet_gateway(origin: Origin, gateway: &ec2::InternetGateway) -> Option<Resource> {
    let id = gateway.internet_gateway_id()?;
    Some(origin.resource(
        id,
        Some(origin.ec2_arn("internet-gateway", id)),
        tags(gateway.tags()),
        Detail::from(InternetGatewayAttrs {
            attachments: gateway_attachments(gateway.attachments()),
        }),
    ))
}

pub fn egress_only_internet_gateway(
    origin: Origin,
    gateway: &ec2::EgressOnlyInternetGateway,
) -> Option<Resource> {
    let id = gateway.egress_only_internet_gateway_id()?;
    Some(origin.resource(
        id,
        Some(origin.ec2_arn("egress-only-internet-gateway", id)),
        tags(gateway.tags()),
        Detail::from(EgressOnlyInternetGatewayAttrs {
            attachments: gateway_attachments(gateway.attachments()),
        }),
    ))
}

pub fn nat_gateway(origin: Origin, gateway: &ec2::NatGateway) -> Option<Resource> {
    let id = gateway.nat_gateway_id()?;
    let mut addresses: Vec<NatGatewayAddress> = gateway
        .nat_gateway_addresses()
        .iter()
        .map(|address| NatGatewayAddress {
            network_interface_id: text(address.network_interface_id()),
            allocation_id: owned(address.allocation_id()),
            private_ip: owned(address.private_ip()),
            public_ip: owned(address.public_ip()),
        })
        .collect();
    addresses.sort();
    Some(
        origin.resource(
            id,
            Some(origin.ec2_arn("natgateway", id)),
            tags(gateway.tags()),
            Detail::from(NatGatewayAttrs {
                vpc_id: text(gateway.vpc_id()),
                subnet_id: text(gateway.subnet_id()),
                state: text(gateway.state().map(|s| s.as_str())),
                connectivity_type: gateway
                    .connectivity_type()
                    .map(|c| c.as_str().to_string())
                    .unwrap_or_else(|| "public".to_string()),
                addresses,
            }),
        ),
    )
}

pub fn elastic_ip(origin: Origin, address: &ec2::Address) -> Option<Resource> {
    let public_ip = address.public_ip()?;
    let id = address.allocation_id().unwrap_or(public_ip);
    Some(
        origin.resource(
            id,
            address
                .allocation_id()
                .map(|allocation| origin.ec2_arn("elastic-ip", allocation)),
            tags(address.tags()),
            Detail::from(ElasticIpAttrs {
                public_ip: public_ip.to_string(),
                domain: text(address.domain().map(|d| d.as_str())),
                association_id: owned(address.association_id()),
                instance_id: owned(address.instance_id()).filter(|id| !id.is_empty()),
                network_interface_id: owned(address.network_interface_id()),
                private_ip: owned(address.private_ip_address()),
            }),
        ),
    )
}

pub fn vpc_endpoint(origin: Origin, endpoint: &ec2::VpcEndpoint) -> Option<Resource> {
    let id = endpoint.vpc_endpoint_id()?;
    Some(
        origin.resource(
            id,
            Some(origin.ec2_arn("vpc-endpoint", id)),
            tags(endpoint.tags()),
            Detail::from(VpcEndpointAttrs {
                vpc_id: text(endpoint.vpc_id()),
                service_name: text(endpoint.service_name()),
                endpoint_type: text(endpoint.vpc_endpoint_type().map(|t| t.as_str())),
                state: text(endpoint.state().map(|s| s.as_str())),
                route_table_ids: sorted(endpoint.route_table_ids().iter().cloned()),
                subnet_ids: sorted(endpoint.subnet_ids().iter().cloned()),
                security_group_ids: sorted(
                    endpoint
                        .groups()
                        .iter()
                        .filter_map(|group| group.group_id()),
                ),
                network_interface_ids: sorted(endpoint.network_interface_ids().iter().cloned()),
                private_dns_enabled: endpoint.private_dns_enabled().unwrap_or(false),
            }),
        ),
    )
}

fn peering_side(info: Option<&ec2::VpcPeeringConnectionVpcInfo>) -> PeeringSide {
    let Some(info) = info else {
        return PeeringSide::default();
    };
    let mut cidr_blocks = sorted(info.cidr_block_set().iter().filter_map(|c| c.cidr_block()));
    if cidr_blocks.is_empty() {
        cidr_blocks.extend(owned(info.cidr_block()));
    }
    PeeringSide {
        account: text(info.owner_id()),
        region: text(info.region()),
        vpc_id: text(info.vpc_id()),
        cidr_blocks,
    }
}

pub fn vpc_peering_connection(
    origin: Origin,
    peering: &ec2::VpcPeeringConnection,
) -> Option<Resource> {
    let id = peering.vpc_peering_connection_id()?;
    Some(
        origin.resource(
            id,
            Some(origin.ec2_arn("vpc-peering-connection", id)),
            tags(peering.tags()),
            Detail::from(VpcPeeringConnectionAttrs {
                requester: peering_side(peering.requester_vpc_info()),
                accepter: peering_side(peering.accepter_vpc_info()),
                status: text(
                    peering
                        .status()
                        .and_then(|status| status.code())
                        .map(|code| code.as_str()),
                ),
            }),
        ),
    )
}

pub fn transit_gateway(origin: Origin, gateway: &ec2::TransitGateway) -> Option<Resource> {
    let id = gateway.transit_gateway_id()?;
    Some(
        origin.resource(
            id,
            Some(
                gateway
                    .transit_gateway_arn()
                    .map(str::to_string)
                    .unwrap_or_else(|| origin.ec2_arn("transit-gateway", id)),
            ),
            tags(gateway.tags()),
            Detail::from(TransitGatewayAttrs {
                state: text(gateway.state().map(|s| s.as_str())),
                owner_id: text(gateway.owner_id()),
                amazon_side_asn: gateway
                    .options()
                    .and_then(|options| options.amazon_side_asn()),
                description: text(gateway.description()),
            }),
        ),
    )
}

/// Subnets of each VPC attachment, by attachment id.
fn tgw_vpc_attachment_subnets(
    attachments: &[ec2::TransitGatewayVpcAttachment],
) -> HashMap<String, Vec<String>> {
    attachments
        .iter()
        .filter_map(|attachment| {
            Some((
                attachment.transit_gateway_attachment_id()?.to_string(),
                sorted(attachment.subnet_ids().iter().cloned()),
            ))
        })
        .collect()
}

pub fn transit_gateway_attachment(
    origin: Origin,
    attachment: &ec2::TransitGatewayAttachment,
    vpc_attachment_subnets: &HashMap<String, Vec<String>>,
) -> Option<Resource> {
    let id = attachment.transit_gateway_attachment_id()?;
    Some(origin.resource(
        id,
        Some(origin.ec2_arn("transit-gateway-attachment", id)),
        tags(attachment.tags()),
        Detail::from(TransitGatewayAttachmentAttrs {
            transit_gateway_id: text(attachment.transit_gateway_id()),
            resource_type: text(attachment.resource_type().map(|t| t.as_str())),
            resource_id: text(attachment.resource_id()),
            resource_owner_id: text(attachment.resource_owner_id()),
            state: text(attachment.state().map(|s| s.as_str())),
            subnet_ids: vpc_attachment_subnets.get(id).cloned().unwrap_or_default(),
        }),
    ))
}

/// What identifies one rule of one group: direction, protocol, ports, peer.
type RuleKey = (String, bool, String, Option<i32>, Option<i32>, RulePeer);

/// `-1` (all traffic) has no ports, whatever the API says (the rules API
/// answers -1/-1, the groups API nothing).
fn rule_ports(protocol: &str, from: Option<i32>, to: Option<i32>) -> (Option<i32>, Option<i32>) {
    if protocol == "-1" {
        (None, None)
    } else {
        (from, to)
    }
}

/// A group peer; the account is kept only when it is another account.
fn group_peer(
    origin: Origin,
    group_id: &str,
    account: Option<&str>,
    vpc_id: Option<&str>,
    vpc_peering_connection_id: Option<&str>,
) -> RulePeer {
    RulePeer::Group {
        group_id: group_id.to_string(),
        account: account
            .filter(|account| *account != origin.account)
            .map(str::to_string),
        vpc_id: owned(vpc_id),
        vpc_peering_connection_id: owned(vpc_peering_connection_id),
    }
}

/// Only the group id of a group peer takes part in matching: the two APIs
/// disagree on whether they echo the VPC and account.
fn peer_match_key(peer: &RulePeer) -> RulePeer {
    match peer {
        RulePeer::Group { group_id, .. } => RulePeer::Group {
            group_id: group_id.clone(),
            account: None,
            vpc_id: None,
            vpc_peering_connection_id: None,
        },
        other => other.clone(),
    }
}

/// Rule ids from DescribeSecurityGroupRules, keyed by what the rule allows.
pub fn security_group_rule_ids(
    origin: Origin,
    rules: &[ec2::SecurityGroupRule],
) -> BTreeMap<RuleKey, String> {
    let mut ids = BTreeMap::new();
    for rule in rules {
        let (Some(rule_id), Some(group_id)) = (rule.security_group_rule_id(), rule.group_id())
        else {
            continue;
        };
        let protocol = text(rule.ip_protocol());
        let peer = if let Some(cidr) = rule.cidr_ipv4() {
            RulePeer::Cidr {
                cidr: cidr.to_string(),
            }
        } else if let Some(cidr) = rule.cidr_ipv6() {
            RulePeer::Ipv6Cidr {
                cidr: cidr.to_string(),
            }
        } else if let Some(prefix_list_id) = rule.prefix_list_id() {
            RulePeer::PrefixList {
                prefix_list_id: prefix_list_id.to_string(),
            }
        } else if let Some(group) = rule
            .referenced_group_info()
            .and_then(|group| group.group_id())
        {
            group_peer(origin, group, None, None, None)
        } else {
            continue;
        };
        let (from, to) = rule_ports(&protocol, rule.from_port(), rule.to_port());
        ids.entry((
            group_id.to_string(),
            rule.is_egress().unwrap_or(false),
            protocol,
            from,
            to,
            peer_match_key(&peer),
        ))
        .or_insert_with(|| rule_id.to_string());
    }
    ids
}

/// One rule per (permission, source or destination).
fn permission_rules(
    origin: Origin,
    group_id: &str,
    egress: bool,
    permission: &ec2::IpPermission,
    rule_ids: &BTreeMap<RuleKey, String>,
) -> Vec<SecurityGroupRule> {
    let protocol = text(permission.ip_protocol());
    let (from_port, to_port) = rule_ports(&protocol, permission.from_port(), permission.to_port());
    let mut peers: Vec<(RulePeer, Option<&str>)> = Vec::new();
    for range in permission.ip_ranges() {
        if let Some(cidr) = range.cidr_ip() {
            peers.push((
                RulePeer::Cidr {
                    cidr: cidr.to_string(),
                },
                range.description(),
            ));
        }
    }
    for range in permission.ipv6_ranges() {
        if let Some(cidr) = range.cidr_ipv6() {
            peers.push((
                RulePeer::Ipv6Cidr {
                    cidr: cidr.to_string(),
                },
                range.description(),
            ));
        }
    }
    for prefix_list in permission.prefix_list_ids() {
        if let Some(prefix_list_id) = prefix_list.prefix_list_id() {
            peers.push((
                RulePeer::PrefixList {
                    prefix_list_id: prefix_list_id.to_string(),
                },
                prefix_list.description(),
            ));
        }
    }
    for pair in permission.user_id_group_pairs() {
        if let Some(peer_group) = pair.group_id() {
            peers.push((
                group_peer(
                    origin,
                    peer_group,
                    pair.user_id(),
                    pair.vpc_id(),
                    pair.vpc_peering_connection_id(),
                ),
                pair.description(),
            ));
        }
    }
    peers
        .into_iter()
        .map(|(peer, description)| SecurityGroupRule {
            rule_id: rule_ids
                .get(&(
                    group_id.to_string(),
                    egress,
                    protocol.clone(),
                    from_port,
                    to_port,
                    peer_match_key(&peer),
                ))
                .cloned(),
            protocol: protocol.clone(),
            from_port,
            to_port,
            peer,
            description: text(description),
        })
        .collect()
}

pub fn security_group(
    origin: Origin,
    group: &ec2::SecurityGroup,
    rule_ids: &BTreeMap<RuleKey, String>,
) -> Option<Resource> {
    let id = group.group_id()?;
    let rules = |permissions: &[ec2::IpPermission], egress: bool| {
        let mut rules: Vec<SecurityGroupRule> = permissions
            .iter()
            .flat_map(|permission| permission_rules(origin, id, egress, permission, rule_ids))
            .collect();
        rules.sort();
        rules.dedup();
        rules
    };
    Some(
        origin.resource(
            id,
            Some(
                group
                    .security_group_arn()
                    .map(str::to_string)
                    .unwrap_or_else(|| origin.ec2_arn("security-group", id)),
            ),
            tags(group.tags()),
            Detail::from(SecurityGroupAttrs {
                vpc_id: text(group.vpc_id()),
                group_name: text(group.group_name()),
                description: text(group.description()),
                ingress: rules(group.ip_permissions(), false),
                egress: rules(group.ip_permissions_egress(), true),
            }),
        ),
    )
}

pub fn network_interface(origin: Origin, interface: &ec2::NetworkInterface) -> Option<Resource> {
    let id = interface.network_interface_id()?;
    let primary = interface.private_ip_address();
    let mut private_ips: Vec<String> = primary.map(str::to_string).into_iter().collect();
    private_ips.extend(sorted(
        interface
            .private_ip_addresses()
            .iter()
            .filter_map(|address| address.private_ip_address())
            .filter(|address| Some(*address) != primary),
    ));
    Some(
        origin.resource(
            id,
            Some(origin.ec2_arn("network-interface", id)),
            tags(interface.tag_set()),
            Detail::from(NetworkInterfaceAttrs {
                vpc_id: text(interface.vpc_id()),
                subnet_id: text(interface.subnet_id()),
                availability_zone: text(interface.availability_zone()),
                interface_type: text(interface.interface_type().map(|t| t.as_str())),
                status: text(interface.status().map(|s| s.as_str())),
                description: text(interface.description()),
                private_ips,
                public_ip: owned(interface.association().and_then(|a| a.public_ip())),
                security_group_ids: sorted(
                    interface
                        .groups()
                        .iter()
                        .filter_map(|group| group.group_id()),
                ),
                attached_instance_id: owned(interface.attachment().and_then(|a| a.instance_id())),
                requester_managed: interface.requester_managed().unwrap_or(false),
            }),
        ),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scan::origin::testing::{attrs, ORIGIN};

    #[test]
    fn one_rule_per_permission_and_source_with_ids_matched() {
        let permission = ec2::IpPermission::builder()
            .ip_protocol("tcp")
            .from_port(443)
            .to_port(443)
            .ip_ranges(ec2::IpRange::builder().cidr_ip("0.0.0.0/0").build())
            .user_id_group_pairs(
                ec2::UserIdGroupPair::builder()
                    .group_id("sg-alb")
                    .user_id("123456789012")
                    .build(),
            )
            .build();
        let all_traffic = ec2::IpPermission::builder()
            .ip_protocol("-1")
            .ip_ranges(ec2::IpRange::builder().cidr_ip("0.0.0.0/0").build())
            .build();
        let group = ec2::SecurityGroup::builder()
            .group_id("sg-1")
            .group_name("web")
            .vpc_id("vpc-1")
            .ip_permissions(permission)
            .ip_permissions_egress(all_traffic)
            .build();
        let api_rules = [
            ec2::SecurityGroupRule::builder()
                .security_group_rule_id("sgr-in")
                .group_id("sg-1")
                .is_egress(false)
                .ip_protocol("tcp")
                .from_port(443)
                .to_port(443)
                .referenced_group_info(
                    ec2::ReferencedSecurityGroup::builder()
                        .group_id("sg-alb")
                        .build(),
                )
                .build(),
            ec2::SecurityGroupRule::builder()
                .security_group_rule_id("sgr-out")
                .group_id("sg-1")
                .is_egress(true)
                .ip_protocol("-1")
                .from_port(-1)
                .to_port(-1)
                .cidr_ipv4("0.0.0.0/0")
                .build(),
        ];
        let ids = security_group_rule_ids(ORIGIN, &api_rules);
        let attrs = attrs::<SecurityGroupAttrs>(security_group(ORIGIN, &group, &ids).unwrap());
        let ingress: Vec<(RulePeer, Option<String>)> = attrs
            .ingress
            .iter()
            .map(|rule| (rule.peer.clone(), rule.rule_id.clone()))
            .collect();
        assert_eq!(
            ingress,
            [
                (
                    RulePeer::Cidr {
                        cidr: "0.0.0.0/0".into()
                    },
                    None
                ),
                (
                    RulePeer::Group {
                        group_id: "sg-alb".into(),
                        account: None,
                        vpc_id: None,
                        vpc_peering_connection_id: None
                    },
                    Some("sgr-in".into())
                ),
            ]
        );
        assert_eq!(attrs.egress.len(), 1);
        assert_eq!(attrs.egress[0].from_port, None);
        assert_eq!(attrs.egress[0].rule_id.as_deref(), Some("sgr-out"));
    }

    #[test]
    fn route_targets_name_the_gateway_kind() {
        let cases = [
            (
                ec2::Route::builder().gateway_id("local").build(),
                RouteTarget::Local,
            ),
            (
                ec2::Route::builder().gateway_id("igw-1").build(),
                RouteTarget::InternetGateway("igw-1".into()),
            ),
            (
                ec2::Route::builder().gateway_id("vpce-1").build(),
                RouteTarget::VpcEndpoint("vpce-1".into()),
            ),
            (
                ec2::Route::builder().nat_gateway_id("nat-1").build(),
                RouteTarget::NatGateway("nat-1".into()),
            ),
            (
                ec2::Route::builder()
                    .instance_id("i-1")
                    .network_interface_id("eni-1")
                    .build(),
                RouteTarget::Instance("i-1".into()),
            ),
            (
                ec2::Route::builder()
                    .vpc_peering_connection_id("pcx-1")
                    .build(),
                RouteTarget::VpcPeeringConnection("pcx-1".into()),
            ),
        ];
        for (route, expected) in cases {
            assert_eq!(route_target(&route), expected);
        }
    }

    #[test]
    fn the_main_table_is_marked_and_lists_are_sorted() {
        let table = ec2::RouteTable::builder()
            .route_table_id("rtb-1")
            .vpc_id("vpc-1")
            .associations(
                ec2::RouteTableAssociation::builder()
                    .route_table_association_id("rtbassoc-2")
                    .subnet_id("subnet-2")
                    .main(false)
                    .build(),
            )
            .associations(
                ec2::RouteTableAssociation::builder()
                    .route_table_association_id("rtbassoc-1")
                    .main(true)
                    .build(),
            )
            .routes(
                ec2::Route::builder()
                    .destination_cidr_block("10.0.0.0/16")
                    .gateway_id("local")
                    .build(),
            )
            .routes(
                ec2::Route::builder()
                    .destination_cidr_block("0.0.0.0/0")
                    .gateway_id("igw-1")
                    .build(),
            )
            .build();
        let attrs = attrs::<RouteTableAttrs>(route_table(ORIGIN, &table).unwrap());
        assert!(attrs.main);
        assert_eq!(attrs.associations[0].association_id, "rtbassoc-1");
        let destinations: Vec<&str> = attrs
            .routes
            .iter()
            .map(|r| r.destination.as_str())
            .collect();
        assert_eq!(destinations, ["0.0.0.0/0", "10.0.0.0/16"]);
    }
}
