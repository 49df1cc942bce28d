//! Reading a live AWS estate, read-only, into a [`Snapshot`](crate::snapshot::Snapshot).
//!
//! This is the only module (with `access`) that talks to AWS. One submodule
//! per service (`ec2`, `elbv2`, `rds`); inside each, one *fetch* function per
//! resource type (dumb, paginated, every call through [`context::RegionContext::call`])
//! and one pure *transform* per type (SDK type → snapshot type, unit-tested
//! without the network). Each scanner declares, next to its calls, the IAM
//! action it needs (see [`action`]).
//!
//! This module owns the orchestration: accounts × regions × services scanned
//! concurrently, one result per region, one normalized snapshot at the end.
//! It does not resolve credentials (that is `access`) nor write files (that is
//! `commands::scan`).

/// A call that collects every item of every page of a paginated request, for
/// [`RegionContext::call`]: `context.call(&ACTION, paginate!(client.describe_vpcs()))`.
macro_rules! paginate {
    ($request:expr) => {
        || async {
            $request
                .into_paginator()
                .items()
                .send()
                .collect::<Result<Vec<_>, _>>()
                .await
        }
    };
}

pub mod action;
pub mod context;
pub mod ec2;
pub mod elbv2;
pub mod error;
mod origin;
mod progress;
pub mod rds;

use std::sync::Arc;

use anyhow::Context as _;
use time::format_description::well_known::Rfc3339;
use time::OffsetDateTime;

use crate::access::credentials::AccountTarget;
use crate::snapshot::{AccountMeta, FailedRegion, Resource, ScanMeta, Snapshot};
pub use action::{all_actions, Action};
pub use context::{RegionContext, ScanConfig, ScanContext};
pub use progress::Progress;

/// The IAM service prefixes a scan reads, in snapshot order.
pub const SERVICES: [&str; 3] = ["ec2", "elasticloadbalancing", "rds"];

/// What one region of one account gave.
struct RegionScan {
    account: String,
    region: String,
    resources: anyhow::Result<Vec<Resource>>,
}

/// Scan every region of every target and assemble one normalized snapshot.
///
/// A region that fails as a whole (endpoint unreachable after retries, a
/// mandatory action denied, an unexpected error) fails the scan with that
/// region's error; denied optional actions are recorded in `scan.skipped`
/// and the scan goes on without what they feed.
pub async fn scan(
    targets: &[AccountTarget],
    config: &ScanConfig,
    progress: &Progress,
) -> anyhow::Result<Snapshot> {
    let started_at = now_rfc3339();
    let context = Arc::new(ScanContext::new(config, progress.clone()));

    let mut regions_asked = Vec::new();
    let mut tasks = tokio::task::JoinSet::new();
    for target in targets {
        let Some(regions) = target.regions.clone().filter(|regions| !regions.is_empty()) else {
            anyhow::bail!(
                "no region to scan for account {}: pass --region or --all-regions",
                target.name
            );
        };
        for region in regions {
            regions_asked.push(region.clone());
            let region_context = RegionContext::new(
                Arc::clone(&context),
                target.account_id.clone(),
                region.clone(),
                &target.config,
            );
            tasks.spawn(async move {
                let resources = scan_region(&region_context).await;
                RegionScan {
                    account: region_context.account().to_string(),
                    region: region_context.region().to_string(),
                    resources,
                }
            });
        }
    }
    progress.start(regions_asked.len() * SERVICES.len());

    let mut region_scans = Vec::new();
    while let Some(joined) = tasks.join_next().await {
        region_scans.push(joined.context("a region scan task panicked")?);
    }
    progress.finish();

    let mut resources = Vec::new();
    let mut failed_regions = Vec::new();
    for region_scan in region_scans {
        match region_scan.resources {
            Ok(found) => resources.extend(found),
            Err(error) => failed_regions.push((
                FailedRegion {
                    account: region_scan.account,
                    region: region_scan.region,
                    error: format!("{error:#}"),
                },
                error,
            )),
        }
    }
    // A failed region is an error until `--partial` exists to accept it; the
    // first one (in sorted order, so the message is deterministic) is reported.
    failed_regions.sort_by(|a, b| a.0.cmp(&b.0));
    if let Some((_, error)) = failed_regions.into_iter().next() {
        return Err(error);
    }

    let mut snapshot = Snapshot::new(ScanMeta {
        tool_version: format!("strata {}", env!("CARGO_PKG_VERSION")),
        started_at,
        finished_at: now_rfc3339(),
        accounts: targets
            .iter()
            .map(|target| AccountMeta {
                id: target.account_id.clone(),
                name: target.name.clone(),
                role_arn: target.role_arn.clone(),
            })
            .collect(),
        regions: regions_asked,
        services: SERVICES.iter().map(|s| s.to_string()).collect(),
        skipped: context.take_skipped(),
        failed_regions: Vec::new(),
        complete: true,
    });
    snapshot.resources = resources;
    snapshot.normalize();
    Ok(snapshot)
}

/// The three services of one region, concurrently.
async fn scan_region(context: &RegionContext) -> anyhow::Result<Vec<Resource>> {
    let (ec2, elbv2, rds) = tokio::join!(
        context.service("ec2", ec2::scan(context)),
        context.service("elasticloadbalancing", elbv2::scan(context)),
        context.service("rds", rds::scan(context)),
    );
    let mut resources = ec2?;
    resources.extend(elbv2?);
    resources.extend(rds?);
    Ok(resources)
}

fn now_rfc3339() -> String {
    // Whole seconds: sub-second precision only makes two scans differ more.
    OffsetDateTime::now_utc()
        .replace_nanosecond(0)
        .unwrap_or_else(|_| OffsetDateTime::now_utc())
        .format(&Rfc3339)
        .unwrap_or_else(|_| "1970-01-01T00:00:00Z".to_string())
}

/// RFC 3339 of an SDK timestamp.
pub(crate) fn rfc3339(date_time: &aws_smithy_types::DateTime) -> Option<String> {
    date_time
        .fmt(aws_smithy_types::date_time::Format::DateTime)
        .ok()
}
