//! `strata cost`: price a saved snapshot offline and print the report.
//! Owns the command line (which snapshot, prices, usage file, period,
//! groupings, format, output); pricing is `crate::cost`'s, prices
//! `crate::prices`'.

use std::path::PathBuf;

use super::Outcome;
use crate::cost::report::{GroupBy, Report, ReportFormat};
use crate::cost::{Period, Usage};
use crate::output::write_atomic;
use crate::prices::PriceArgs;
use crate::snapshot::Snapshot;

/// Arguments of `strata cost`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The snapshot to price, as written by `strata scan -o snapshot.json`.
    pub snapshot: PathBuf,
    /// Report format.
    #[arg(long, value_enum, default_value_t)]
    pub format: ReportFormat,
    /// Where to write the report (default: stdout).
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// The span every amount is quoted for (a month is 730 hours).
    #[arg(long, value_enum, default_value_t)]
    pub period: Period,
    /// Subtotals by account, region, vpc, service or tag:KEY; repeat for
    /// several [default: account, region, vpc and service].
    #[arg(long = "by", value_name = "GROUPING")]
    pub groupings: Vec<GroupBy>,
    /// TOML file of monthly usage (GB processed, LCUs) per kind or resource
    /// id; what it adds is marked as assumed.
    #[arg(long, value_name = "FILE")]
    pub usage: Option<PathBuf>,
    #[command(flatten)]
    pub prices: PriceArgs,
}

pub fn run(args: Args) -> anyhow::Result<Outcome> {
    // Mistakes in the small inputs are reported before the snapshot is read.
    let usage = args.usage.as_deref().map(Usage::read).transpose()?;
    let prices = args.prices.load()?;
    let snapshot = Snapshot::read(&args.snapshot)?;
    if !snapshot.scan.complete {
        tracing::warn!(
            "{} holds a partial scan: the report prices only what was read",
            args.snapshot.display()
        );
    }
    if let Some(usage) = &usage {
        for problem in usage.mismatches(&snapshot) {
            tracing::warn!("{problem}");
        }
    }
    let groupings = if args.groupings.is_empty() {
        GroupBy::DEFAULT.to_vec()
    } else {
        args.groupings.clone()
    };
    let report = Report::new(&snapshot, &prices, usage.as_ref(), args.period, &groupings);
    write_atomic(
        args.output.as_deref(),
        report.render(args.format).as_bytes(),
    )?;
    Ok(Outcome::Success)
}
