//! Reading a live AWS estate, read-only, into a [`Snapshot`](crate::snapshot::Snapshot).
//!
//! This is the only module (with `access`) that talks to AWS. Each service's
//! scanner lives in its service module (`crate::services::*::scan`): one
//! *fetch* per resource type (dumb, paginated, every call through
//! [`context::RegionContext::call`]) and one pure *transform* per type (SDK
//! type → snapshot type, unit-tested without the network), each call
//! declared with its IAM action and probe (see [`action`]).
//!
//! This module owns the orchestration: accounts × regions × services scanned
//! concurrently, one result per region (a failed or timed-out region is
//! recorded, not fatal), one normalized snapshot at the end.
//! It does not resolve credentials (that is `access`) nor write files (that is
//! `commands::scan`).

/// A call that collects every item of every page of a paginated request, for
/// [`RegionContext::call`]: `context.call(&CALL, paginate!(client.describe_vpcs()))`.
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

pub(crate) use paginate;

pub mod action;
pub mod connection;
pub mod context;
pub mod error;
pub(crate) mod origin;
mod progress;

use std::sync::Arc;

use anyhow::Context as _;
use time::format_description::well_known::Rfc3339;
use time::OffsetDateTime;

use crate::access::credentials::AccountTarget;
use crate::snapshot::{AccountMeta, FailedRegion, Resource, ScanMeta, Snapshot};
pub use action::{all_actions, Action};
pub use context::{RegionContext, RetryMode, ScanConfig, ScanContext};
pub use progress::Progress;

/// What one region of one account gave.
struct RegionScan {
    account: String,
    region: String,
    resources: anyhow::Result<Vec<Resource>>,
}

/// Scan every region of every target and assemble one normalized snapshot.
///
/// A region that fails as a whole (endpoint unreachable or silent past
/// `--call-timeout`, a mandatory action denied, an unexpected error) or that
/// is not done when `--scan-timeout` runs out does not sink the others: it is
/// listed in `scan.failed_regions` with its one-line error, and the snapshot
/// is marked `complete: false`; whether such a snapshot may be written is the
/// caller's decision. Denied optional actions are recorded in `scan.skipped`
/// and the scan goes on without what they feed.
pub async fn scan(
    targets: &[AccountTarget],
    config: &ScanConfig,
    progress: &Progress,
) -> anyhow::Result<Snapshot> {
    let started_at = now_rfc3339();
    let deadline = config
        .scan_timeout
        .map(|limit| tokio::time::Instant::now() + limit);
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
            regions_asked.push((target.account_id.clone(), region.clone()));
            let region_context = RegionContext::new(
                Arc::clone(&context),
                target.account_id.clone(),
                region.clone(),
                &target.config,
            );
            tasks.spawn(async move {
                let resources = crate::services::scan_region(&region_context).await;
                RegionScan {
                    account: region_context.account().to_string(),
                    region: region_context.region().to_string(),
                    resources,
                }
            });
        }
    }
    progress.start(regions_asked.len() * crate::services::ALL.len());

    let mut region_scans = Vec::new();
    loop {
        let next = match deadline {
            Some(deadline) => match tokio::time::timeout_at(deadline, tasks.join_next()).await {
                Ok(next) => next,
                Err(_) => break,
            },
            None => tasks.join_next().await,
        };
        let Some(joined) = next else { break };
        region_scans.push(joined.context("a region scan task panicked")?);
    }
    // Past the deadline: what every unfinished region was waiting for is read
    // before its task is cancelled (cancelling unlists its calls).
    for (account, region) in &regions_asked {
        let finished = region_scans
            .iter()
            .any(|done| &done.account == account && &done.region == region);
        if !finished {
            region_scans.push(RegionScan {
                account: account.clone(),
                region: region.clone(),
                resources: Err(anyhow::anyhow!(scan_timeout_message(
                    region,
                    &context.waiting_for(account, region),
                ))),
            });
        }
    }
    tasks.abort_all();
    progress.finish();

    let mut resources = Vec::new();
    let mut failed_regions = Vec::new();
    for region_scan in region_scans {
        match region_scan.resources {
            Ok(found) => resources.extend(found),
            Err(error) => failed_regions.push(FailedRegion {
                account: region_scan.account,
                region: region_scan.region,
                error: format!("{error:#}"),
            }),
        }
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
        regions: regions_asked
            .into_iter()
            .map(|(_, region)| region)
            .collect(),
        services: crate::services::iam_prefixes()
            .into_iter()
            .map(str::to_string)
            .collect(),
        skipped: context.take_skipped(),
        complete: failed_regions.is_empty(),
        failed_regions,
    });
    snapshot.resources = resources;
    snapshot.normalize();
    Ok(snapshot)
}

/// Why a region not done by `--scan-timeout` failed: the calls it was still
/// waiting for (which name the service), or that it never got a turn.
fn scan_timeout_message(region: &str, waiting_for: &[String]) -> String {
    if waiting_for.is_empty() {
        format!(
            "the scan of {region} ran out of time (--scan-timeout) with its requests still queued behind others; raise --scan-timeout or --max-concurrency"
        )
    } else {
        format!(
            "the scan of {region} ran out of time (--scan-timeout) still waiting for {} in {region}; check the endpoint and your network, or raise --scan-timeout",
            waiting_for.join(", ")
        )
    }
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
