//! How RDS is priced: DB instances by class, engine and deployment
//! (Single-AZ, Multi-AZ), their allocated storage by type and deployment,
//! Aurora instances by class with the cluster's storage as usage.
//!
//! Pure functions of one resource's typed attributes and the price book.

use rust_decimal::Decimal;

use super::model::{RdsClusterAttrs, RdsInstanceAttrs};
use super::{Detail, Kind};
use crate::cost::{priced, Charge, Context, Cost, Pricing, Service, UsageCharge};
use crate::prices::{PriceBook, Table};
use crate::snapshot::Resource;

pub(crate) fn cost(
    resource: &Resource,
    detail: &Detail,
    prices: &PriceBook,
    _context: &Context,
) -> Cost {
    match detail {
        Detail::Instance(attrs) => instance(resource, attrs, prices),
        Detail::Cluster(attrs) => cluster(attrs),
        Detail::DbSubnetGroup(_) => Cost::default(),
    }
}

pub(crate) fn pricing(kind: Kind) -> Pricing {
    match kind {
        Kind::Instance | Kind::Cluster | Kind::DbSubnetGroup => Pricing::billed(Service::Rds),
    }
}

/// A DB instance. A stopped instance pays for its storage only; an Aurora
/// instance has no storage of its own (the cluster's volume is usage).
fn instance(resource: &Resource, attrs: &RdsInstanceAttrs, prices: &PriceBook) -> Cost {
    let mut cost = Cost::default();
    if matches!(attrs.status.as_str(), "deleting" | "failed") {
        cost.note(format!("{}: no charge", attrs.status));
        return cost;
    }
    let region = resource.region.as_str();
    let aurora = attrs.engine.starts_with("aurora");
    // rds.csv keys Aurora rows by the cluster's storage configuration
    // instead of the AZ layout: Aurora bills each instance alike wherever it
    // runs. The snapshot does not record the configuration, so the figure
    // assumes the default, Aurora Standard, and says so.
    let deployment = match (aurora, attrs.multi_az) {
        (true, _) => "Aurora-Standard",
        (false, true) => "Multi-AZ",
        (false, false) => "Single-AZ",
    };
    let stopped = matches!(attrs.status.as_str(), "stopped" | "stopping");
    if stopped {
        cost.note(format!(
            "{}: no instance charge; its storage is still charged",
            attrs.status
        ));
    } else {
        let what = format!(
            "{} {} {}",
            attrs.db_instance_class, attrs.engine, deployment
        );
        cost.add(
            priced(
                prices,
                Table::Rds,
                region,
                &[&attrs.db_instance_class, &attrs.engine, deployment],
                &what,
            )
            .map(|price| {
                Charge::new(
                    format!("{what} on-demand"),
                    Service::Rds,
                    price,
                    Decimal::ONE,
                    "",
                )
            }),
        );
        if aurora {
            cost.note("Aurora Standard storage configuration assumed (the snapshot does not say whether the cluster is I/O-Optimized)");
        }
    }
    if aurora {
        return cost;
    }
    let storage_type = attrs.storage_type.as_str();
    let what = format!("{storage_type} storage {deployment}");
    cost.add(
        priced(
            prices,
            Table::RdsStorage,
            region,
            &[storage_type, deployment, "storage"],
            &format!("RDS {what}"),
        )
        .map(|price| {
            Charge::new(
                format!("RDS {what}"),
                Service::Rds,
                price,
                Decimal::from(attrs.allocated_storage_gib),
                format!("{} GiB", attrs.allocated_storage_gib),
            )
        }),
    );
    match storage_type {
        "io1" | "io2" => cost.unpriced.push(format!(
            "the provisioned IOPS of {storage_type} storage are not in the snapshot"
        )),
        "gp3" => cost.note(
            "IOPS and throughput provisioned above the gp3 baseline are not in the snapshot and not counted",
        ),
        _ => {}
    }
    cost.usage.push(UsageCharge::unknown(
        "backup storage beyond the free allowance",
    ));
    cost
}

/// A DB cluster: its instances are priced as instances; an Aurora cluster's
/// storage and I/O are billed by use.
fn cluster(attrs: &RdsClusterAttrs) -> Cost {
    let mut cost = Cost::default();
    if attrs.engine.starts_with("aurora") {
        cost.usage
            .push(UsageCharge::unknown("cluster storage (GB-month)"));
        cost.usage.push(UsageCharge::unknown("I/O requests"));
        cost.usage.push(UsageCharge::unknown(
            "backup storage beyond the free allowance",
        ));
        cost.note("its instances are priced as DB instances");
    }
    cost
}
