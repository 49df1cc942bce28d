//! How Network's resources are priced: Elastic IPs (in use or idle), NAT
//! gateways by the hour with their data processed as usage, interface and
//! Gateway Load Balancer endpoints, transit gateway attachments, and
//! peering connections (data transfer only). VPCs, subnets, route tables,
//! gateways, security groups and interfaces have no charge of their own:
//! AWS bills what runs in them, routes through them or is attached to them
//! (a transit gateway per attachment, an interface through its holder).
//!
//! Pure functions of one resource's typed attributes and the price book;
//! the vocabulary ([`Cost`], [`Charge`]) is `crate::cost`'s.

use rust_decimal::Decimal;

use super::model::{
    ElasticIpAttrs, NatGatewayAttrs, TransitGatewayAttachmentAttrs, VpcEndpointAttrs,
    VpcPeeringConnectionAttrs,
};
use super::{Detail, Kind};
use crate::cost::{
    number, priced, public_ipv4, Charge, Context, Cost, Pricing, Service, UsageCharge,
    DATA_PROCESSED_GB,
};
use crate::prices::{PriceBook, Table};
use crate::snapshot::Resource;

pub(crate) fn cost(
    resource: &Resource,
    detail: &Detail,
    prices: &PriceBook,
    context: &Context,
) -> Cost {
    match detail {
        Detail::ElasticIp(attrs) => elastic_ip(resource, attrs, prices),
        Detail::NatGateway(attrs) => nat_gateway(resource, attrs, prices, context),
        Detail::VpcEndpoint(attrs) => vpc_endpoint(resource, attrs, prices, context),
        Detail::TransitGatewayAttachment(attrs) => {
            transit_gateway_attachment(resource, attrs, prices, context)
        }
        Detail::VpcPeeringConnection(attrs) => peering_connection(attrs),
        Detail::AvailabilityZone(_)
        | Detail::Vpc(_)
        | Detail::Subnet(_)
        | Detail::RouteTable(_)
        | Detail::InternetGateway(_)
        | Detail::EgressOnlyInternetGateway(_)
        | Detail::TransitGateway(_)
        | Detail::SecurityGroup(_)
        | Detail::NetworkInterface(_) => Cost::default(),
    }
}

pub(crate) fn pricing(kind: Kind) -> Pricing {
    let vpc = Pricing::billed(Service::Vpc);
    match kind {
        Kind::NatGateway | Kind::VpcEndpoint | Kind::TransitGatewayAttachment => {
            vpc.with_usage(&[DATA_PROCESSED_GB])
        }
        Kind::AvailabilityZone
        | Kind::Vpc
        | Kind::Subnet
        | Kind::RouteTable
        | Kind::InternetGateway
        | Kind::EgressOnlyInternetGateway
        | Kind::ElasticIp
        | Kind::VpcPeeringConnection
        | Kind::TransitGateway
        | Kind::SecurityGroup
        | Kind::NetworkInterface => vpc,
    }
}

/// An Elastic IP: a public IPv4 address, in use while associated, idle
/// otherwise (both charged by the hour).
fn elastic_ip(resource: &Resource, attrs: &ElasticIpAttrs, prices: &PriceBook) -> Cost {
    let mut cost = Cost::default();
    let dimension = if attrs.association_id.is_some() {
        "in-use-hour"
    } else {
        "idle-hour"
    };
    cost.add(public_ipv4(
        prices,
        &resource.region,
        dimension,
        Decimal::ONE,
        "",
    ));
    cost
}

/// A NAT gateway: by the hour (prices only from a refreshed price file:
/// the bundled table lacks them), its public addresses that are not
/// Elastic IPs of the snapshot, and the data it processes (usage).
fn nat_gateway(
    resource: &Resource,
    attrs: &NatGatewayAttrs,
    prices: &PriceBook,
    context: &Context,
) -> Cost {
    let mut cost = Cost::default();
    if matches!(attrs.state.as_str(), "deleted" | "deleting" | "failed") {
        cost.note(format!("{}: no charge", attrs.state));
        return cost;
    }
    let region = resource.region.as_str();
    let nat_price = |dimension: &str| {
        prices
            .lookup(Table::Network, region, &["nat-gateway", dimension])
            .map_err(|_| match prices.file() {
                None => "NAT gateway prices are not in the bundled table; run `strata prices refresh`"
                    .to_string(),
                Some(file) => format!(
                    "no NAT gateway price for {region} in {}; run `strata prices refresh --region {region}`",
                    file.path_shown()
                ),
            })
    };
    cost.add(
        nat_price("hour")
            .map(|price| Charge::new("NAT gateway", Service::Vpc, price, Decimal::ONE, "")),
    );
    let charged_addresses = attrs
        .addresses
        .iter()
        .filter_map(|address| address.public_ip.as_deref())
        .filter(|ip| !context.is_elastic_ip(resource, ip))
        .count();
    if charged_addresses > 0 {
        cost.add(public_ipv4(
            prices,
            region,
            "in-use-hour",
            Decimal::from(charged_addresses),
            &format!("{charged_addresses} addresses"),
        ));
    }
    let gb = context.usage_of(resource).data_processed_gb;
    cost.usage.push(UsageCharge::given(
        "data processed",
        gb,
        nat_price("data-processed").map(|price| {
            Charge::new(
                "NAT gateway data processed",
                Service::Vpc,
                price,
                gb.unwrap_or_default(),
                format!("{} GB", number(gb.unwrap_or_default())),
            )
        }),
    ));
    cost
}

/// A VPC endpoint: an interface endpoint by the hour in each of its zones
/// (one network interface per subnet), a Gateway Load Balancer endpoint by
/// the hour; gateway endpoints (S3, DynamoDB) are free.
fn vpc_endpoint(
    resource: &Resource,
    attrs: &VpcEndpointAttrs,
    prices: &PriceBook,
    context: &Context,
) -> Cost {
    let mut cost = Cost::default();
    if matches!(
        attrs.state.to_ascii_lowercase().as_str(),
        "deleted" | "deleting" | "rejected" | "failed" | "expired"
    ) {
        cost.note(format!("{}: no charge", attrs.state));
        return cost;
    }
    let region = resource.region.as_str();
    let gb = context.usage_of(resource).data_processed_gb;
    let (service, hour, data, what, zones) = match attrs.endpoint_type.as_str() {
        "Gateway" => {
            cost.note("gateway endpoints have no charge");
            return cost;
        }
        "Interface" => (
            "vpc-interface-endpoint",
            "hour-per-az",
            // AWS tiers the rate by the region's monthly total over all
            // endpoints; the first tier runs to 1 PB.
            "data-processed-first-1048576GB",
            "interface endpoint",
            attrs.subnet_ids.len().max(1),
        ),
        "GatewayLoadBalancer" => (
            "gwlb-endpoint",
            "hour",
            "data-processed",
            "Gateway Load Balancer endpoint",
            1,
        ),
        other => {
            cost.unpriced
                .push(format!("{other} endpoints are not in the price table"));
            return cost;
        }
    };
    cost.add(
        priced(prices, Table::Network, region, &[service, hour], what).map(|price| {
            let zones_text = if zones == 1 {
                String::new()
            } else {
                format!("{zones} zones")
            };
            Charge::new(what, Service::Vpc, price, Decimal::from(zones), zones_text)
        }),
    );
    cost.usage.push(UsageCharge::given(
        "data processed",
        gb,
        priced(prices, Table::Network, region, &[service, data], what).map(|price| {
            Charge::new(
                format!("{what} data processed"),
                Service::Vpc,
                price,
                gb.unwrap_or_default(),
                format!("{} GB", number(gb.unwrap_or_default())),
            )
        }),
    ));
    cost
}

/// A transit gateway attachment, by the hour per attachment type, charged
/// to the account that owns the attached resource; a VPC attachment's data
/// processed is usage.
fn transit_gateway_attachment(
    resource: &Resource,
    attrs: &TransitGatewayAttachmentAttrs,
    prices: &PriceBook,
    context: &Context,
) -> Cost {
    let mut cost = Cost::default();
    if matches!(
        attrs.state.as_str(),
        "deleted" | "deleting" | "failed" | "failing" | "rejected" | "rejecting"
    ) {
        cost.note(format!("{}: no charge", attrs.state));
        return cost;
    }
    if !attrs.resource_owner_id.is_empty() && attrs.resource_owner_id != resource.account {
        cost.note(format!(
            "billed to account {}, the owner of the attached {}",
            attrs.resource_owner_id, attrs.resource_type
        ));
        return cost;
    }
    let region = resource.region.as_str();
    let dimension = match attrs.resource_type.as_str() {
        "vpc" => "vpc-attachment-hour",
        "vpn" => "vpn-attachment-hour",
        "peering" | "tgw-peering" => "peering-attachment-hour",
        other => {
            cost.unpriced.push(format!(
                "transit gateway {other} attachments are not in the price table"
            ));
            return cost;
        }
    };
    let what = format!("transit gateway {} attachment", attrs.resource_type);
    cost.add(
        priced(prices, Table::Network, region, &["tgw", dimension], &what)
            .map(|price| Charge::new(what.clone(), Service::Vpc, price, Decimal::ONE, "")),
    );
    if attrs.resource_type == "vpc" {
        let gb = context.usage_of(resource).data_processed_gb;
        cost.usage.push(UsageCharge::given(
            "data processed",
            gb,
            priced(
                prices,
                Table::Network,
                region,
                &["tgw", "vpc-attachment-data-processed"],
                "transit gateway data processing",
            )
            .map(|price| {
                Charge::new(
                    "transit gateway data processed",
                    Service::Vpc,
                    price,
                    gb.unwrap_or_default(),
                    format!("{} GB", number(gb.unwrap_or_default())),
                )
            }),
        ));
    }
    cost
}

/// A peering connection has no charge of its own; data crossing zones or
/// regions through it is charged as data transfer.
fn peering_connection(attrs: &VpcPeeringConnectionAttrs) -> Cost {
    let mut cost = Cost::default();
    if attrs.status == "active" {
        cost.usage.push(UsageCharge::unknown("data transfer"));
    }
    cost
}
