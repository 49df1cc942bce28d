//! Which attributes of EC2's networking kinds are identifiers, field by
//! field (every struct is taken apart whole, so a new field does not build
//! until it is decided here). Ids, addresses, CIDRs and owner accounts are
//! redacted; states, types, zones, ports, protocols and AWS service names
//! stay. How a value is redacted is [`Redactor`]'s.

use super::model::*;
use super::Detail;
use crate::redact::Redactor;

pub(crate) fn redact(detail: &mut Detail, r: &Redactor) {
    match detail {
        Detail::AvailabilityZone(AvailabilityZoneAttrs {
            zone_id: _,
            state: _,
            zone_type: _,
        }) => {}
        Detail::Vpc(VpcAttrs {
            cidr_block,
            cidr_blocks,
            ipv6_cidr_blocks,
            state: _,
            is_default: _,
        }) => {
            r.id(cidr_block);
            r.ids(cidr_blocks);
            r.ids(ipv6_cidr_blocks);
        }
        Detail::Subnet(SubnetAttrs {
            vpc_id,
            cidr_block,
            ipv6_cidr_blocks,
            availability_zone: _,
            availability_zone_id: _,
            state: _,
            map_public_ip_on_launch: _,
            default_for_az: _,
            available_ip_address_count: _,
        }) => {
            r.id(vpc_id);
            r.id(cidr_block);
            r.ids(ipv6_cidr_blocks);
        }
        Detail::RouteTable(RouteTableAttrs {
            vpc_id,
            main: _,
            associations,
            routes,
        }) => {
            r.id(vpc_id);
            for RouteTableAssociation {
                association_id,
                subnet_id,
                gateway_id,
                main: _,
            } in associations
            {
                r.id(association_id);
                r.opt_id(subnet_id);
                r.opt_id(gateway_id);
            }
            for Route {
                destination,
                target,
                state: _,
                origin: _,
            } in routes
            {
                r.id(destination);
                route_target(target, r);
            }
        }
        Detail::InternetGateway(InternetGatewayAttrs { attachments })
        | Detail::EgressOnlyInternetGateway(EgressOnlyInternetGatewayAttrs { attachments }) => {
            for GatewayAttachment { vpc_id, state: _ } in attachments {
                r.id(vpc_id);
            }
        }
        Detail::NatGateway(NatGatewayAttrs {
            vpc_id,
            subnet_id,
            state: _,
            connectivity_type: _,
            addresses,
        }) => {
            r.id(vpc_id);
            r.id(subnet_id);
            for NatGatewayAddress {
                network_interface_id,
                allocation_id,
                private_ip,
                public_ip,
            } in addresses
            {
                r.id(network_interface_id);
                r.opt_id(allocation_id);
                r.opt_id(private_ip);
                r.opt_id(public_ip);
            }
        }
        Detail::ElasticIp(ElasticIpAttrs {
            public_ip,
            domain: _,
            association_id,
            instance_id,
            network_interface_id,
            private_ip,
        }) => {
            r.id(public_ip);
            r.opt_id(association_id);
            r.opt_id(instance_id);
            r.opt_id(network_interface_id);
            r.opt_id(private_ip);
        }
        Detail::VpcEndpoint(VpcEndpointAttrs {
            vpc_id,
            service_name,
            endpoint_type: _,
            state: _,
            route_table_ids,
            subnet_ids,
            security_group_ids,
            network_interface_ids,
            private_dns_enabled: _,
        }) => {
            r.id(vpc_id);
            endpoint_service(service_name, r);
            r.ids(route_table_ids);
            r.ids(subnet_ids);
            r.ids(security_group_ids);
            r.ids(network_interface_ids);
        }
        Detail::VpcPeeringConnection(VpcPeeringConnectionAttrs {
            requester,
            accepter,
            status: _,
        }) => {
            for PeeringSide {
                account,
                region: _,
                vpc_id,
                cidr_blocks,
            } in [requester, accepter]
            {
                r.account(account);
                r.id(vpc_id);
                r.ids(cidr_blocks);
            }
        }
        Detail::TransitGateway(TransitGatewayAttrs {
            state: _,
            owner_id,
            amazon_side_asn: _,
            description,
        }) => {
            r.account(owner_id);
            r.text(description);
        }
        Detail::TransitGatewayAttachment(TransitGatewayAttachmentAttrs {
            transit_gateway_id,
            resource_type: _,
            resource_id,
            resource_owner_id,
            state: _,
            subnet_ids,
        }) => {
            r.id(transit_gateway_id);
            r.id(resource_id);
            r.account(resource_owner_id);
            r.ids(subnet_ids);
        }
        Detail::SecurityGroup(SecurityGroupAttrs {
            vpc_id,
            group_name,
            description,
            ingress,
            egress,
        }) => {
            r.id(vpc_id);
            r.id(group_name);
            r.text(description);
            ingress
                .iter_mut()
                .chain(egress.iter_mut())
                .for_each(|rule| security_group_rule(rule, r));
        }
        Detail::NetworkInterface(NetworkInterfaceAttrs {
            vpc_id,
            subnet_id,
            availability_zone: _,
            interface_type: _,
            status: _,
            description,
            private_ips,
            public_ip,
            security_group_ids,
            attached_instance_id,
            requester_managed: _,
        }) => {
            r.id(vpc_id);
            r.id(subnet_id);
            r.text(description);
            r.ids(private_ips);
            r.opt_id(public_ip);
            r.ids(security_group_ids);
            r.opt_id(attached_instance_id);
        }
    }
}

fn route_target(target: &mut RouteTarget, r: &Redactor) {
    match target {
        RouteTarget::Local => {}
        RouteTarget::InternetGateway(id)
        | RouteTarget::EgressOnlyInternetGateway(id)
        | RouteTarget::NatGateway(id)
        | RouteTarget::TransitGateway(id)
        | RouteTarget::VpcPeeringConnection(id)
        | RouteTarget::VpcEndpoint(id)
        | RouteTarget::VirtualPrivateGateway(id)
        | RouteTarget::Instance(id)
        | RouteTarget::NetworkInterface(id)
        | RouteTarget::LocalGateway(id)
        | RouteTarget::CarrierGateway(id)
        | RouteTarget::CoreNetwork(id)
        | RouteTarget::Other(id) => r.id(id),
    }
}

fn security_group_rule(rule: &mut SecurityGroupRule, r: &Redactor) {
    let SecurityGroupRule {
        protocol: _,
        from_port: _,
        to_port: _,
        peer,
        rule_id,
        description,
    } = rule;
    match peer {
        RulePeer::Cidr { cidr } | RulePeer::Ipv6Cidr { cidr } => r.id(cidr),
        RulePeer::PrefixList { prefix_list_id } => r.id(prefix_list_id),
        RulePeer::Group {
            group_id,
            account,
            vpc_id,
            vpc_peering_connection_id,
        } => {
            r.id(group_id);
            if let Some(account) = account {
                r.account(account);
            }
            r.opt_id(vpc_id);
            r.opt_id(vpc_peering_connection_id);
        }
    }
    r.opt_id(rule_id);
    r.text(description);
}

/// `com.amazonaws.eu-west-1.s3` names an AWS service and stays (the tile
/// shows `s3`); the id of a PrivateLink service in it (`vpce-svc-…`) is
/// redacted. A name outside `com.amazonaws.` is someone's: all of it goes.
fn endpoint_service(name: &mut String, r: &Redactor) {
    if !name.starts_with("com.amazonaws.") {
        r.id(name);
        return;
    }
    let labels: Vec<String> = name
        .split('.')
        .map(|label| {
            let mut label = label.to_string();
            if Redactor::is_aws_id(&label) {
                r.id(&mut label);
            }
            label
        })
        .collect();
    *name = labels.join(".");
}
