//! `strata scan`: resolve credentials, scan, and write the snapshot (or draw
//! it in the same step).
//!
//! This module owns the command line of `scan`, what it prints on stderr
//! (progress, the summary of skipped actions and failed regions) and whether
//! an incomplete scan may be written (`--partial`); scanning is
//! `crate::scan`, drawing and writing are `crate::output`.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::time::{Duration, Instant};

use anyhow::{bail, Context};

use super::Outcome;
use crate::access::credentials::CredentialArgs;
use crate::access::targets::resolve_targets;
use crate::output::{check_request, write_atomic, DotLayout, Format, View};
use crate::scan::context::seconds;
use crate::scan::{Progress, RetryMode, ScanConfig};
use crate::snapshot::{FailedRegion, Skipped, Snapshot};

/// Arguments of `strata scan`.
#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(flatten)]
    pub credentials: CredentialArgs,
    /// Write to FILE: `.json` is the snapshot, `.svg`/`.png`/`.dot` scan and
    /// draw in one step. Default: the snapshot on stdout.
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// What to write, when the file name does not say (or on stdout).
    #[arg(long, value_enum)]
    pub format: Option<Format>,
    /// Which picture to draw for `.svg`/`.png`/`.dot`.
    #[arg(long, value_enum, default_value_t = View::Architecture)]
    pub view: View,
    /// Who lays out a `.dot` written in the same step: graphviz (nested
    /// clusters, the default) or strata (its own layout, for `neato -n2`).
    #[arg(long, value_enum, value_name = "ENGINE")]
    pub dot_layout: Option<DotLayout>,
    /// Cost figures of a drawing written in the same step.
    #[command(flatten)]
    pub cost: super::render::DrawingCost,
    /// Requests in flight at once, across all regions and services.
    #[arg(long, value_name = "N", default_value_t = ScanConfig::default().max_concurrency,
          value_parser = clap::builder::TypedValueParser::map(clap::value_parser!(u16).range(1..), usize::from))]
    pub max_concurrency: usize,
    /// Attempts per request, with backoff and jitter, before giving up
    /// (throttling and 5xx answers are retried; a connection that cannot be
    /// made, 2 attempts at most).
    #[arg(long, value_name = "N", default_value_t = ScanConfig::default().max_attempts,
          value_parser = clap::value_parser!(u32).range(1..))]
    pub max_attempts: u32,
    /// Delay before the first retry, in seconds; later ones double, with
    /// jitter, up to 20 s.
    #[arg(long, value_name = "SECONDS", default_value = "1", value_parser = parse_seconds)]
    pub retry_backoff: Duration,
    /// How throttled requests are retried (see the README's "Rate limits").
    #[arg(long, value_enum, default_value_t = RetryMode::Standard)]
    pub retry_mode: RetryMode,
    /// Give up on one AWS request, its retries included, after SECONDS; the
    /// region it belongs to then fails.
    #[arg(long, value_name = "SECONDS", default_value = "60", value_parser = parse_seconds)]
    pub call_timeout: Duration,
    /// Give up on the whole scan after SECONDS; regions not done by then fail.
    #[arg(long, value_name = "SECONDS", value_parser = parse_seconds)]
    pub scan_timeout: Option<Duration>,
    /// Write the snapshot even when a region failed or --scan-timeout ran
    /// out: it is marked `"complete": false` and lists the failed regions.
    /// Without it such a scan writes nothing and exits with status 2.
    #[arg(long)]
    pub partial: bool,
    /// No progress on stderr (skipped actions and errors are still reported).
    #[arg(short, long)]
    pub quiet: bool,
    /// Exit with status 1 when any action was skipped or, with --partial, a
    /// region failed (the output is still written).
    #[arg(long)]
    pub strict: bool,
}

pub fn run(args: Args) -> anyhow::Result<Outcome> {
    let format = match (args.format, &args.output) {
        (Some(format), _) => format,
        (None, Some(path)) => Format::from_path(path, Format::Snapshot)?,
        (None, None) => Format::Snapshot,
    };
    let format = DotLayout::apply(args.dot_layout, format)?;
    // A scan can take minutes: refuse an output it could not write, or
    // price and usage files it could not read, first.
    check_request(args.output.as_deref(), format, args.view)?;
    let cost = args.cost.load()?;
    let mut config = ScanConfig {
        max_concurrency: args.max_concurrency,
        max_attempts: args.max_attempts,
        endpoint_url: args.credentials.effective_endpoint_url()?,
        call_timeout: args.call_timeout,
        scan_timeout: args.scan_timeout,
        initial_backoff: args.retry_backoff,
        retry_mode: args.retry_mode,
    };
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("cannot start the async runtime")?;
    let progress = Progress::stderr(args.quiet);
    let started = Instant::now();
    let snapshot = runtime.block_on(async {
        let resolving = resolve_targets(&args.credentials, &config, &progress);
        let targets = match config.scan_timeout {
            Some(limit) => tokio::time::timeout(limit, resolving).await.map_err(|_| {
                anyhow::anyhow!(
                    "no answer from AWS (sts:GetCallerIdentity) within --scan-timeout {}; check --endpoint-url, the region and your network",
                    seconds(limit)
                )
            })??,
            None => resolving.await?,
        };
        // One budget for the whole command: the scan gets what is left.
        config.scan_timeout = config
            .scan_timeout
            .map(|limit| limit.saturating_sub(started.elapsed()));
        crate::scan::scan(&targets, &config, &progress).await
    })?;
    // The runtime may still hold cancelled, black-holed requests; do not
    // wait for them.
    runtime.shutdown_background();
    report_skipped(&snapshot);

    if !snapshot.scan.complete && !args.partial {
        let failed = &snapshot.scan.failed_regions;
        let first = failed
            .first()
            .map_or("the scan was cut short", |region| region.error.as_str());
        let others = match failed.len() {
            0 | 1 => String::new(),
            n => format!(" ({} other regions failed too)", n - 1),
        };
        bail!(
            "{first}{others}; nothing was written: pass --partial to write what was read, marked incomplete"
        );
    }
    // Written incomplete: say which regions it lacks. (Without --partial the
    // error above is the one line.)
    report_failed_regions(&snapshot.scan.failed_regions);
    let document = super::render::produce(cost.as_ref(), &snapshot, format, args.view)?;
    write_atomic(args.output.as_deref(), &document)?;
    let degraded = !snapshot.scan.skipped.is_empty() || !snapshot.scan.complete;
    Ok(if args.strict && degraded {
        Outcome::Degraded
    } else {
        Outcome::Success
    })
}

/// A positive number of seconds (`2`, `0.5`) as a duration.
fn parse_seconds(text: &str) -> Result<Duration, String> {
    let seconds: f64 = text
        .parse()
        .map_err(|_| format!("{text:?} is not a number of seconds"))?;
    if !(seconds.is_finite() && seconds > 0.0 && seconds < 1e9) {
        return Err(format!("{text:?} must be a positive number of seconds"));
    }
    Ok(Duration::from_secs_f64(seconds))
}

/// One line per failed region on stderr: which, and why.
fn report_failed_regions(failed: &[FailedRegion]) {
    for region in failed {
        eprintln!(
            "strata: region {} of account {} failed: {}",
            region.region, region.account, region.error
        );
    }
}

/// One line per skipped action on stderr: which action, why, where, and what
/// the snapshot lacks.
fn report_skipped(snapshot: &Snapshot) {
    let skipped = &snapshot.scan.skipped;
    if !skipped.is_empty() {
        let actions: std::collections::BTreeSet<&str> =
            skipped.iter().map(|skip| skip.action.as_str()).collect();
        eprintln!(
            "strata: limited access: {} action(s) could not be called, the output lacks only what they feed (`strata iam check` lists every missing permission):",
            actions.len()
        );
    }
    for line in skipped_summary(skipped) {
        eprintln!("strata: {line}");
    }
}

/// The summary lines, grouped by action and reason, places sorted.
pub fn skipped_summary(skipped: &[Skipped]) -> Vec<String> {
    let mut grouped: BTreeMap<(&str, &str, &str), Vec<String>> = BTreeMap::new();
    for skip in skipped {
        let place = if skip.region.is_empty() {
            skip.account.clone()
        } else {
            format!("{}/{}", skip.account, skip.region)
        };
        grouped
            .entry((&skip.action, &skip.reason, &skip.left_out))
            .or_default()
            .push(place);
    }
    grouped
        .into_iter()
        .map(|((action, reason, left_out), mut places)| {
            places.sort();
            places.dedup();
            format!(
                "skipped {action} ({reason}) in {}: the snapshot lacks {left_out}; grant {action} to scan them",
                places.join(", ")
            )
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_line_per_skipped_action() {
        let skip = |region: &str, action: &str| Skipped {
            account: "123456789012".into(),
            region: region.into(),
            service: "rds".into(),
            action: action.into(),
            reason: "access denied (AccessDenied)".into(),
            left_out: "RDS DB instances".into(),
        };
        let lines = skipped_summary(&[
            skip("us-east-1", "rds:DescribeDBInstances"),
            skip("eu-west-1", "rds:DescribeDBInstances"),
        ]);
        assert_eq!(
            lines,
            ["skipped rds:DescribeDBInstances (access denied (AccessDenied)) in 123456789012/eu-west-1, 123456789012/us-east-1: the snapshot lacks RDS DB instances; grant rds:DescribeDBInstances to scan them"]
        );
    }
}
