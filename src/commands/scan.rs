//! `strata scan`.

use super::Outcome;

/// Arguments of `strata scan`.
#[derive(Debug, clap::Args)]
pub struct Args {}

pub fn run(args: Args) -> anyhow::Result<Outcome> {
    todo!("strata scan: {args:?}")
}
