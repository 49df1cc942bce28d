//! `strata iam`.

use super::Outcome;

/// `strata iam …` subcommands.
#[derive(Debug, clap::Subcommand)]
pub enum Command {}

pub fn run(command: Command) -> anyhow::Result<Outcome> {
    match command {}
}
