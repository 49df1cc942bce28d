//! `strata prices refresh`: fetch current prices from the AWS Price List
//! Query API into the local price cache (or `-o FILE`). Owns the command
//! line and what it prints; the queries are `crate::prices::refresh`'s.

use std::path::PathBuf;

use anyhow::{bail, Context as _};
use time::format_description::well_known::Rfc3339;

use super::Outcome;
use crate::access::assume::{
    assume_role, AssumeRequest, DEFAULT_SESSION_NAME, DEFAULT_SESSION_SECONDS,
};
use crate::access::credentials::{check_credentials, load_caller_config, CredentialArgs};
use crate::output::write_atomic;
use crate::prices::file::cache_path;
use crate::prices::refresh::{refresh, PricingEndpoint};
use crate::prices::{bundled_regions, Table};
use crate::scan::ScanConfig;

/// `strata prices …` subcommands.
#[derive(Debug, clap::Subcommand)]
pub enum Command {
    /// Fetch current on-demand prices from the AWS Price List API
    /// (pricing:GetProducts) for the regions asked (--region, repeatable;
    /// --all-regions: every region of the bundled table) and write them to
    /// the price cache that `strata cost` uses by default.
    Refresh(RefreshArgs),
}

/// Arguments of `strata prices refresh`.
#[derive(Debug, clap::Args)]
pub struct RefreshArgs {
    /// Credentials, and the regions whose prices to fetch.
    #[command(flatten)]
    pub credentials: CredentialArgs,
    /// The region of the Price List API endpoint to ask.
    #[arg(long, value_enum, default_value_t)]
    pub pricing_region: PricingEndpoint,
    /// Write the prices here instead of the cache
    /// (`$XDG_CACHE_HOME/strata/prices.json`, else `~/.cache/strata/prices.json`).
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
}

pub fn run(command: Command) -> anyhow::Result<Outcome> {
    match command {
        Command::Refresh(args) => refresh_prices(&args),
    }
}

fn refresh_prices(args: &RefreshArgs) -> anyhow::Result<Outcome> {
    let credentials = &args.credentials;
    if credentials.access.accounts.is_some() {
        bail!("prices are the same for every account: `strata prices refresh` reads them once, so drop --accounts (--role-arn picks a role to read them through)");
    }
    let output = match &args.output {
        Some(path) => path.clone(),
        None => cache_path().context(
            "this system has no user cache directory for the price cache; pass -o FILE and use it with --prices FILE",
        )?,
    };
    let scan = ScanConfig::default();
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("cannot start the async runtime")?;
    let refreshed = runtime.block_on(async {
        let (mut config, configured_region) = load_caller_config(credentials, &scan).await?;
        check_credentials(&config, credentials.profile.as_deref()).await?;
        let endpoint_url = credentials.effective_endpoint_url()?;
        if let Some(role_arn) = credentials.access.role_arn.clone() {
            let request = AssumeRequest {
                role_arn,
                external_id: credentials.access.external_id.clone(),
                session_name: match credentials.access.session_name.clone() {
                    Some(name) => name,
                    None => DEFAULT_SESSION_NAME.parse().expect("the default session name is valid"),
                },
                duration: std::time::Duration::from_secs(
                    credentials.access.duration.unwrap_or(DEFAULT_SESSION_SECONDS),
                ),
            };
            config = assume_role(&config, &request).await;
        }
        let regions: Vec<String> = if credentials.all_regions {
            bundled_regions().into_iter().map(str::to_string).collect()
        } else if !credentials.regions.is_empty() {
            credentials.regions.clone()
        } else {
            // The configured region (environment, profile) says which
            // prices to fetch when --region does not.
            configured_region.into_iter().collect()
        };
        if regions.is_empty() {
            bail!("no region to fetch prices for: pass --region REGION (repeatable) or --all-regions, or set AWS_REGION");
        }
        let fetched_at = time::OffsetDateTime::now_utc()
            .replace_nanosecond(0)
            .ok()
            .and_then(|now| now.format(&Rfc3339).ok())
            .unwrap_or_default();
        refresh(
            &config,
            args.pricing_region,
            &regions,
            fetched_at,
            endpoint_url.as_deref(),
            scan.call_timeout,
        )
        .await
    })?;
    runtime.shutdown_background();

    let file = &refreshed.file;
    if file.rows.is_empty() {
        bail!(
            "the AWS Price List API ({}) returned no price strata uses for {}; nothing was written and the bundled prices stay in use",
            args.pricing_region.region(),
            file.regions.join(", ")
        );
    }
    if let Some(directory) = output.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(directory)
            .with_context(|| format!("cannot create {}", directory.display()))?;
    }
    write_atomic(Some(&output), file.to_json().as_bytes())?;
    let counts: Vec<String> = Table::ALL
        .iter()
        .map(|table| {
            let count = file.rows.iter().filter(|row| row.table == *table).count();
            format!("{table} {count}")
        })
        .collect();
    let conflicts = if refreshed.conflicting > 0 {
        format!(
            "; {} rows left out because two products gave them different prices",
            refreshed.conflicting
        )
    } else {
        String::new()
    };
    eprintln!(
        "strata: wrote {} prices for {} ({}) fetched {} from the AWS Price List API ({}) to {}{conflicts}; rows it lacks come from the bundled table",
        file.rows.len(),
        file.regions.join(", "),
        counts.join(", "),
        file.fetched_at,
        args.pricing_region.region(),
        output.display()
    );
    Ok(Outcome::Success)
}
