//! The `strata` binary: parse arguments, run a command, print errors.

use std::process::ExitCode;

use clap::{Parser, Subcommand};
use strata::commands::{self, Outcome};

/// Turn a live AWS estate into an architecture diagram, read-only and locally.
#[derive(Debug, Parser)]
#[command(name = "strata", version, about, max_term_width = 100)]
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
    /// Generate the IAM policy and role strata needs, or check access.
    #[cfg(feature = "scan")]
    #[command(subcommand)]
    Iam(commands::iam::Command),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    init_logging(cli.verbose);
    let result = match cli.command {
        #[cfg(feature = "scan")]
        Command::Scan(args) => commands::scan::run(args),
        Command::Render(args) => commands::render::run(args),
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
    tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_target(false)
        .without_time()
        .init();
}
