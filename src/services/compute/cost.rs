//! How Compute's resources are priced: an EC2 instance by type while it
//! runs (Linux, shared tenancy, on-demand) with its auto-assigned public
//! IPv4 address, an EBS volume by size and, for gp3/io1/io2, the IOPS and
//! throughput the price table charges for.
//!
//! Pure functions of one resource's typed attributes and the price book;
//! the vocabulary ([`Cost`], [`Charge`]) is `crate::cost`'s.

use rust_decimal::Decimal;

use super::model::{EbsVolumeAttrs, Ec2InstanceAttrs};
use super::{Detail, Kind};
use crate::cost::{priced, public_ipv4, Charge, Context, Cost, Pricing, Service, UsageCharge};
use crate::prices::{PriceBook, Table};
use crate::snapshot::Resource;

pub(crate) fn cost(
    resource: &Resource,
    detail: &Detail,
    prices: &PriceBook,
    context: &Context,
) -> Cost {
    match detail {
        Detail::Instance(attrs) => instance(resource, attrs, prices, context),
        Detail::Volume(attrs) => volume(resource, attrs, prices),
    }
}

pub(crate) fn pricing(kind: Kind) -> Pricing {
    match kind {
        Kind::Instance => Pricing::billed(Service::Ec2),
        Kind::Volume => Pricing::billed(Service::Ebs),
    }
}

/// gp3 includes 3,000 IOPS and 125 MiB/s in the storage price; only what is
/// provisioned above is charged (Amazon EBS pricing page; EBS User Guide,
/// "General Purpose SSD volumes": "a consistent baseline rate of 3,000 IOPS
/// and 125 MiB/s, which are included with the price of storage").
pub const GP3_FREE_IOPS: i32 = 3_000;
pub const GP3_FREE_THROUGHPUT_MIBPS: i32 = 125;
/// io2 IOPS are priced in tiers: up to 32,000, 32,001 to 64,000, above
/// 64,000 (Amazon EBS pricing page); ebs.csv has the three rates as
/// `iops-tier1/2/3` but not the bounds.
pub const IO2_TIER_BOUNDS: [i32; 2] = [32_000, 64_000];

/// The platforms the bundled EC2 table prices: Linux/UNIX without
/// pre-installed software or licence (ec2.csv's rows). The scan writes
/// AWS's PlatformDetails, or `linux` when AWS gives none.
const LINUX_PLATFORMS: [&str; 2] = ["linux", "Linux/UNIX"];

/// An EC2 instance: compute by type while it runs, and its auto-assigned
/// public IPv4 address. Its volumes are priced as volumes, stopped or not.
fn instance(
    resource: &Resource,
    attrs: &Ec2InstanceAttrs,
    prices: &PriceBook,
    context: &Context,
) -> Cost {
    let mut cost = Cost::default();
    match attrs.state.as_str() {
        "stopped" | "stopping" => {
            cost.note(format!(
                "{}: no compute charge; its volumes are still charged",
                attrs.state
            ));
            return cost;
        }
        "terminated" | "shutting-down" => {
            cost.note(format!("{}: no charge", attrs.state));
            return cost;
        }
        _ => {}
    }
    let region = resource.region.as_str();
    if !LINUX_PLATFORMS.contains(&attrs.platform.as_str()) {
        cost.unpriced.push(format!(
            "platform {:?} is not priced: the price table has Linux/UNIX on-demand rates only",
            attrs.platform
        ));
    } else if attrs.tenancy != "default" && !attrs.tenancy.is_empty() {
        cost.unpriced.push(format!(
            "{} tenancy is not priced: the price table has shared-tenancy rates only",
            attrs.tenancy
        ));
    } else if let Some(lifecycle) = &attrs.lifecycle {
        cost.unpriced.push(format!(
            "a {lifecycle} instance is not billed at the on-demand rate, and its own rate is not in the price table"
        ));
    } else {
        let what = format!("instance type {}", attrs.instance_type);
        cost.add(
            priced(prices, Table::Ec2, region, &[&attrs.instance_type], &what).map(|price| {
                Charge::new(
                    format!("{} Linux on-demand", attrs.instance_type),
                    Service::Ec2,
                    price,
                    Decimal::ONE,
                    "",
                )
            }),
        );
    }
    if let Some(public_ip) = &attrs.public_ip {
        if !context.is_elastic_ip(resource, public_ip) {
            cost.add(public_ipv4(prices, region, "in-use-hour", Decimal::ONE, ""));
        }
    }
    cost.usage.push(UsageCharge::unknown("data transfer out"));
    cost
}

/// An EBS volume: storage by size, and for gp3/io1/io2 the IOPS and
/// throughput the price table charges for.
fn volume(resource: &Resource, attrs: &EbsVolumeAttrs, prices: &PriceBook) -> Cost {
    let mut cost = Cost::default();
    if matches!(attrs.state.as_str(), "deleting" | "deleted" | "error") {
        cost.note(format!("{}: no charge", attrs.state));
        return cost;
    }
    let region = resource.region.as_str();
    let kind = attrs.volume_type.as_str();
    let ebs = |dimension: &str, what: String, quantity: Decimal, text: String| {
        priced(
            prices,
            Table::Ebs,
            region,
            &[kind, dimension],
            &format!("EBS {kind} {dimension}"),
        )
        .map(|price| Charge::new(what, Service::Ebs, price, quantity, text))
    };
    let size = Decimal::from(attrs.size_gib);
    cost.add(ebs(
        "storage",
        format!("{kind} storage"),
        size,
        format!("{} GiB", attrs.size_gib),
    ));
    let iops = attrs.iops.unwrap_or(0);
    match kind {
        "gp3" => {
            if iops > GP3_FREE_IOPS {
                cost.add(ebs(
                    "iops",
                    format!("gp3 IOPS above {GP3_FREE_IOPS}"),
                    Decimal::from(iops - GP3_FREE_IOPS),
                    format!("({iops} − {GP3_FREE_IOPS}) IOPS"),
                ));
            }
            let throughput = attrs.throughput.unwrap_or(0);
            if throughput > GP3_FREE_THROUGHPUT_MIBPS {
                // Published per GiB/s-month (40.96 = 0.04 per MiB/s).
                let above = throughput - GP3_FREE_THROUGHPUT_MIBPS;
                cost.add(ebs(
                    "throughput",
                    format!("gp3 throughput above {GP3_FREE_THROUGHPUT_MIBPS} MiB/s"),
                    Decimal::from(above) / Decimal::from(1024),
                    format!("({throughput} − {GP3_FREE_THROUGHPUT_MIBPS}) ÷ 1024 GiBps"),
                ));
            }
        }
        "io1" => cost.add(ebs(
            "iops",
            "io1 provisioned IOPS".to_string(),
            Decimal::from(iops),
            format!("{iops} IOPS"),
        )),
        "io2" => {
            let tiers = [
                (0, IO2_TIER_BOUNDS[0], "iops-tier1"),
                (IO2_TIER_BOUNDS[0], IO2_TIER_BOUNDS[1], "iops-tier2"),
                (IO2_TIER_BOUNDS[1], i32::MAX, "iops-tier3"),
            ];
            for (low, high, dimension) in tiers {
                let in_tier = iops.min(high) - low;
                if in_tier > 0 {
                    let bounds = if high == i32::MAX {
                        format!("above {low}")
                    } else {
                        format!("{}–{high}", low + 1)
                    };
                    cost.add(ebs(
                        dimension,
                        format!("io2 provisioned IOPS {bounds}"),
                        Decimal::from(in_tier),
                        format!("{in_tier} IOPS"),
                    ));
                }
            }
        }
        "standard" => cost.usage.push(UsageCharge::unknown("I/O requests")),
        _ => {}
    }
    cost
}
