//! `strata scan`: resolve credentials, scan, and write the snapshot (or draw
//! it in the same step).
//!
//! This module owns the command line of `scan` and what it prints on stderr
//! (progress, the summary of skipped actions); scanning is `crate::scan`,
//! drawing and writing are `crate::output`.

use std::collections::BTreeMap;
use std::path::PathBuf;

use anyhow::Context;

use super::Outcome;
use crate::access::credentials::CredentialArgs;
use crate::access::targets::resolve_targets;
use crate::output::{produce, write_atomic, Format, View};
use crate::scan::{Progress, ScanConfig};
use crate::snapshot::{Skipped, Snapshot};

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
    /// Requests in flight at once, across all regions and services.
    #[arg(long, value_name = "N", default_value_t = ScanConfig::default().max_concurrency,
          value_parser = clap::builder::TypedValueParser::map(clap::value_parser!(u16).range(1..), usize::from))]
    pub max_concurrency: usize,
    /// Attempts per request, with backoff and jitter, before giving up
    /// (throttling and 5xx answers are retried).
    #[arg(long, value_name = "N", default_value_t = ScanConfig::default().max_attempts,
          value_parser = clap::value_parser!(u32).range(1..))]
    pub max_attempts: u32,
    /// No progress on stderr (skipped actions and errors are still reported).
    #[arg(short, long)]
    pub quiet: bool,
    /// Exit with status 1 when any action was skipped (the output is still written).
    #[arg(long)]
    pub strict: bool,
}

pub fn run(args: Args) -> anyhow::Result<Outcome> {
    let format = match (args.format, &args.output) {
        (Some(format), _) => format,
        (None, Some(path)) => Format::from_path(path, Format::Snapshot)?,
        (None, None) => Format::Snapshot,
    };
    let config = ScanConfig {
        max_concurrency: args.max_concurrency,
        max_attempts: args.max_attempts,
        endpoint_url: args.credentials.effective_endpoint_url(),
    };
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("cannot start the async runtime")?;
    let progress = Progress::stderr(args.quiet);
    let snapshot = runtime.block_on(async {
        let targets = resolve_targets(&args.credentials, &config).await?;
        crate::scan::scan(&targets, &config, &progress).await
    })?;
    report_skipped(&snapshot);

    let document = produce(&snapshot, format, args.view)?;
    write_atomic(args.output.as_deref(), &document)?;
    Ok(if args.strict && !snapshot.scan.skipped.is_empty() {
        Outcome::Degraded
    } else {
        Outcome::Success
    })
}

/// One line per skipped action on stderr: which action, why, where, and what
/// the snapshot lacks.
fn report_skipped(snapshot: &Snapshot) {
    for line in skipped_summary(&snapshot.scan.skipped) {
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
