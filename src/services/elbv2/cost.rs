//! How ELBv2 is priced: a load balancer by the hour per type, the public
//! IPv4 address an internet-facing ALB or NLB holds in each of its zones,
//! and its capacity units (LCUs, NLCUs, GLCUs) as usage.
//!
//! A pure function of the load balancer's typed attributes and the price
//! book.

use rust_decimal::Decimal;

use super::model::LoadBalancerAttrs;
use super::{Detail, Kind};
use crate::cost::{
    number, priced, public_ipv4, Charge, Context, Cost, Pricing, Service, UsageCharge, LCU,
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
        Detail::LoadBalancer(attrs) => load_balancer(resource, attrs, prices, context),
        // Listeners and target groups are part of their load balancer's price.
        Detail::Listener(_) | Detail::TargetGroup(_) => Cost::default(),
    }
}

pub(crate) fn pricing(kind: Kind) -> Pricing {
    let elb = Pricing::billed(Service::Elb);
    match kind {
        Kind::LoadBalancer => elb.with_usage(&[LCU]),
        Kind::Listener | Kind::TargetGroup => elb,
    }
}

fn load_balancer(
    resource: &Resource,
    attrs: &LoadBalancerAttrs,
    prices: &PriceBook,
    context: &Context,
) -> Cost {
    let mut cost = Cost::default();
    if attrs.state == "failed" {
        cost.note("failed: no charge");
        return cost;
    }
    let region = resource.region.as_str();
    let (service, name, units) = match attrs.lb_type.as_str() {
        "application" => ("alb", "Application Load Balancer", "LCUs"),
        "network" => ("nlb", "Network Load Balancer", "NLCUs"),
        "gateway" => ("gwlb", "Gateway Load Balancer", "GLCUs"),
        other => {
            cost.unpriced.push(format!(
                "load balancer type {other:?} is not in the price table"
            ));
            return cost;
        }
    };
    cost.add(
        priced(prices, Table::Network, region, &[service, "hour"], name)
            .map(|price| Charge::new(name, Service::Elb, price, Decimal::ONE, "")),
    );
    // An internet-facing ALB or NLB holds one public IPv4 address per zone
    // (AWS News Blog on the public IPv4 charge; ELB User Guide, "IP address
    // types"); a Gateway Load Balancer has none, nor does
    // `dualstack-without-public-ipv4`.
    let public = attrs.scheme == "internet-facing"
        && service != "gwlb"
        && attrs.ip_address_type != "dualstack-without-public-ipv4";
    if public {
        let zones = attrs.availability_zones.len();
        cost.add(public_ipv4(
            prices,
            region,
            "in-use-hour",
            Decimal::from(zones),
            &format!("{zones} zones"),
        ));
    }
    let lcu = context.usage_of(resource).lcu;
    let usage = UsageCharge::given(
        units,
        lcu,
        priced(
            prices,
            Table::Network,
            region,
            &[service, "lcu-hour"],
            units,
        )
        .map(|price| {
            let lcu = lcu.unwrap_or_default();
            Charge::new(
                format!("{name} {units}"),
                Service::Elb,
                price,
                lcu,
                format!("{} {units}", number(lcu)),
            )
        }),
    );
    cost.usage.push(usage);
    cost
}
