//! The command line of `strata`: the arguments, the dispatch to a command,
//! logging on stderr and the one-line error. In the library (not the binary)
//! so the emulator tests' own small binary runs exactly this; every command's
//! work is in [`crate::commands`].

use std::io::IsTerminal;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

use crate::commands::{self, Outcome};

/// Turn a live AWS estate into an architecture diagram, read-only and locally.
#[derive(Debug, Parser)]
#[command(
    name = "strata",
    bin_name = "strata",
    version,
    about,
    max_term_width = 100
)]
struct Cli {
    /// Log detail on stderr (-v info, -vv debug, -vvv trace); RUST_LOG overrides.
    #[arg(short, long, global = true, action = clap::ArgAction::Count)]
    verbose: u8,
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Scan AWS accounts read-only and write a snapshot (or a diagram).
    #[cfg(feature = "scan")]
    Scan(commands::scan::Args),
    /// Draw a saved snapshot as SVG, PNG, DOT or graph JSON, offline.
    Render(commands::render::Args),
    /// Price a saved snapshot at AWS list prices: per resource, subtotals, total.
    Cost(commands::cost::Args),
    /// Compare two saved snapshots: new exposure first, then every change and its cost.
    Diff(commands::diff::Args),
    /// Refresh the price table from the AWS Price List API.
    #[cfg(feature = "scan")]
    #[command(subcommand)]
    Prices(commands::prices::Command),
    /// Generate the IAM policy and role strata needs, or check access.
    #[cfg(feature = "scan")]
    #[command(subcommand)]
    Iam(commands::iam::Command),
}

/// Parse the process's arguments, run the command, print its error on one
/// line; the exit code says how it ended.
pub fn main() -> ExitCode {
    let cli = Cli::parse();
    init_logging(cli.verbose);
    let result = match cli.command {
        #[cfg(feature = "scan")]
        Command::Scan(args) => commands::scan::run(args),
        Command::Render(args) => commands::render::run(args),
        Command::Cost(args) => commands::cost::run(args),
        Command::Diff(args) => commands::diff::run(args),
        #[cfg(feature = "scan")]
        Command::Prices(command) => commands::prices::run(command),
        #[cfg(feature = "scan")]
        Command::Iam(command) => commands::iam::run(command),
    };
    match result {
        Ok(Outcome::Success) => ExitCode::SUCCESS,
        Ok(Outcome::Degraded) => ExitCode::from(1),
        Err(error) => {
            // The whole chain on one line: what failed, where, and why.
            eprintln!("strata: {error:#}");
            ExitCode::from(2)
        }
    }
}

/// Crates of the AWS SDK whose info, debug and trace events carry credentials.
const CREDENTIAL_LOGGING_TARGETS: &[&str] = &[
    "aws_config",
    "aws_credential_types",
    "aws_runtime",
    "aws_sigv4",
    "aws_smithy_runtime",
    "aws_smithy_runtime_api",
    "aws_smithy_http_client",
    "hyper",
    "hyper_util",
];

fn init_logging(verbose: u8) {
    let default = match verbose {
        0 => "warn",
        1 => "info",
        2 => "debug",
        _ => "trace",
    };
    let mut filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new(default));
    // The SDK logs credentials at info and below: the access key id of every
    // resolved identity and signed request, the keys of assumed roles. Those
    // crates never log below warn, whatever -v or RUST_LOG ask for; without -v
    // they keep quiet until an error, so their warnings don't precede strata's
    // own one-line message about the same failure.
    let credential_level = if verbose == 0 { "error" } else { "warn" };
    for target in CREDENTIAL_LOGGING_TARGETS {
        if let Ok(directive) = format!("{target}={credential_level}").parse() {
            filter = filter.add_directive(directive);
        }
    }
    // The SVG rasteriser warns once per glyph the bundled fonts lack (a
    // name in Japanese is a dozen lines); the PNG still renders.
    for target in ["usvg", "resvg", "fontdb"] {
        if let Ok(directive) = format!("{target}=error").parse() {
            filter = filter.add_directive(directive);
        }
    }
    let colour = wants_colour(
        std::io::stderr().is_terminal(),
        std::env::var_os("NO_COLOR").as_deref(),
    );
    tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_ansi(colour)
        .with_target(false)
        .without_time()
        .init();
}

/// Colour codes only for a person at a terminal, and never when `NO_COLOR`
/// is set to anything but the empty string (<https://no-color.org>): a log
/// redirected to a file must be plain text.
fn wants_colour(stderr_is_terminal: bool, no_color: Option<&std::ffi::OsStr>) -> bool {
    stderr_is_terminal && no_color.is_none_or(|value| value.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn colour_only_on_a_terminal_without_no_color() {
        let set = Some(std::ffi::OsStr::new("1"));
        let empty = Some(std::ffi::OsStr::new(""));
        assert!(wants_colour(true, None));
        assert!(wants_colour(true, empty));
        assert!(!wants_colour(true, set));
        assert!(!wants_colour(false, None));
        assert!(!wants_colour(false, set));
    }
}
