//! `strata render`.

use super::Outcome;

/// Arguments of `strata render`.
#[derive(Debug, clap::Args)]
pub struct Args {}

pub fn run(args: Args) -> anyhow::Result<Outcome> {
    todo!("strata render: {args:?}")
}
