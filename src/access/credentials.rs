//! The base credential chain: from `--profile`, `--region`, `--all-regions`
//! and `--endpoint-url` to the accounts a scan reads, each with a resolved
//! `SdkConfig`, its account id (STS GetCallerIdentity) and its regions.
//!
//! This module owns credential resolution and the one-line messages for the
//! ways it fails (no credentials, unknown profile, expired token, no region,
//! unreachable endpoint). It does not assume roles or read an accounts file
//! (those build on [`AccountTarget`]), and never writes or prints a secret.

use std::time::SystemTime;

use anyhow::{anyhow, bail};
use aws_config::{BehaviorVersion, Region, SdkConfig};
use aws_credential_types::provider::error::CredentialsError;
use aws_credential_types::provider::ProvideCredentials;

use crate::scan::action::Action;
use crate::scan::error::{
    causes, credentials_detail, expired_token_message, explain, no_credentials_message,
};
use crate::scan::ScanConfig;

const GET_CALLER_IDENTITY: Action = Action {
    service: "sts",
    name: "GetCallerIdentity",
    feeds: "the account id of the credentials",
    mandatory: true,
};

const DESCRIBE_REGIONS: Action = Action {
    service: "ec2",
    name: "DescribeRegions",
    feeds: "the list of enabled regions (--all-regions)",
    mandatory: true,
};

/// Made by the SDK's role provider for `--role-arn` and `--accounts`: a
/// grant of the caller in its own account, never part of the scanned
/// account's policy.
pub const ASSUME_ROLE: Action = Action {
    service: "sts",
    name: "AssumeRole",
    feeds: "the accounts read through a role",
    mandatory: true,
};

/// The calls made before a scan, for the IAM policy.
pub const ACTIONS: &[Action] = &[GET_CALLER_IDENTITY, DESCRIBE_REGIONS, ASSUME_ROLE];

/// Which credentials, regions and endpoint to use. Flattened into `strata scan`
/// and `strata iam check`.
#[derive(Debug, Clone, Default, clap::Args)]
pub struct CredentialArgs {
    /// Named profile from the shared AWS config (default: AWS_PROFILE, else the
    /// standard chain: environment, `default` profile, SSO, instance role).
    #[arg(long, value_name = "NAME")]
    pub profile: Option<String>,
    /// Region to scan; repeat for several (default: the configured region).
    #[arg(long = "region", value_name = "REGION")]
    pub regions: Vec<String>,
    /// Scan every region enabled for the account (EC2 DescribeRegions).
    #[arg(long, conflicts_with = "regions")]
    pub all_regions: bool,
    /// Send every request to this endpoint (an emulator, a private endpoint).
    /// AWS_ENDPOINT_URL is honoured too.
    #[arg(long, value_name = "URL")]
    pub endpoint_url: Option<String>,
    /// Roles and several accounts.
    #[command(flatten)]
    pub access: super::targets::AccessArgs,
}

impl CredentialArgs {
    /// The endpoint in effect: the flag, else `AWS_ENDPOINT_URL`.
    pub fn effective_endpoint_url(&self) -> Option<String> {
        self.endpoint_url.clone().or_else(|| {
            std::env::var("AWS_ENDPOINT_URL")
                .ok()
                .filter(|url| !url.is_empty())
        })
    }
}

/// One account to scan: how to call it and where.
#[derive(Debug, Clone)]
pub struct AccountTarget {
    /// The name given in `--accounts`, or the account id.
    pub name: String,
    /// 12-digit account id from STS GetCallerIdentity.
    pub account_id: String,
    /// Resolved configuration (credentials, endpoint, retry policy).
    pub config: SdkConfig,
    /// The role assumed to read this account, if any.
    pub role_arn: Option<String>,
    /// The regions to scan; `None` means the regions of the base credentials.
    pub regions: Option<Vec<String>>,
}

/// The region used for global calls (STS, DescribeRegions) when none is configured.
const FALLBACK_REGION: &str = "us-east-1";

/// Resolve the base credentials into the account they belong to, with the
/// regions to scan. Fails with one actionable line when credentials, the
/// profile, the region or the endpoint are missing or wrong.
pub async fn resolve_base(
    args: &CredentialArgs,
    scan: &ScanConfig,
) -> anyhow::Result<AccountTarget> {
    let mut loader = aws_config::defaults(BehaviorVersion::latest())
        .retry_config(scan.retry_config())
        .timeout_config(scan.timeout_config());
    if let Some(profile) = &args.profile {
        check_profile(profile).await?;
        loader = loader.profile_name(profile);
    }
    if let Some(url) = &args.endpoint_url {
        loader = loader.endpoint_url(url);
    }
    if let Some(first) = args.regions.first() {
        loader = loader.region(Region::new(first.clone()));
    }
    let loaded = loader.load().await;
    let configured_region = loaded.region().map(|region| region.to_string());
    // Global calls need some region; the scan's own regions are checked below.
    let config = if configured_region.is_none() {
        loaded
            .to_builder()
            .region(Region::new(FALLBACK_REGION))
            .build()
    } else {
        loaded
    };

    if args.regions.is_empty() && !args.all_regions && configured_region.is_none() {
        bail!(
            "no AWS region configured: pass --region REGION (repeatable) or --all-regions, set AWS_REGION, or set `region` in your AWS profile"
        );
    }
    check_credentials(&config, args.profile.as_deref()).await?;
    let account_id = caller_account(&config, scan).await?;

    let regions = if !args.regions.is_empty() {
        let mut regions = args.regions.clone();
        regions.sort();
        regions.dedup();
        regions
    } else if args.all_regions {
        enabled_regions(&config, scan).await?
    } else {
        configured_region.into_iter().collect()
    };

    Ok(AccountTarget {
        name: account_id.clone(),
        account_id,
        config,
        role_arn: None,
        regions: Some(regions),
    })
}

/// A profile named with `--profile` must be defined, and must not be hidden
/// by keys in the environment: the SDK's chain reads those first, so a
/// mistyped profile would silently scan whatever account the keys reach
/// (and an undefined one would fall through to instance metadata).
async fn check_profile(profile: &str) -> anyhow::Result<()> {
    if std::env::var_os("AWS_ACCESS_KEY_ID").is_some() {
        bail!(
            "--profile {profile} is ignored while AWS_ACCESS_KEY_ID is set (the keys in the environment win); unset AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or drop --profile"
        );
    }
    let profiles = aws_config::profile::load(
        &aws_types::os_shim_internal::Fs::real(),
        &aws_types::os_shim_internal::Env::real(),
        &aws_runtime::env_config::file::EnvConfigFiles::default(),
        None,
    )
    .await;
    if !profiles.is_ok_and(|set| set.get_profile(profile).is_some()) {
        bail!(undefined_profile_message(profile));
    }
    Ok(())
}

fn undefined_profile_message(profile: &str) -> String {
    format!(
        "AWS profile `{profile}` is not defined in the shared config or credentials file; pass an existing --profile (`aws configure list-profiles` lists them) or fix AWS_PROFILE"
    )
}

/// Load the credentials once up front, so "none found", "unknown profile" and
/// "expired" are reported as such rather than as a failed API call.
async fn check_credentials(config: &SdkConfig, profile: Option<&str>) -> anyhow::Result<()> {
    let Some(provider) = config.credentials_provider() else {
        bail!(no_credentials_message());
    };
    let credentials = provider
        .provide_credentials()
        .await
        .map_err(|error| credentials_error(&error, profile))?;
    if credentials
        .expiry()
        .is_some_and(|expiry| expiry <= SystemTime::now())
    {
        bail!(expired_token_message(
            "the credentials in use expired before the scan"
        ));
    }
    Ok(())
}

fn credentials_error(error: &CredentialsError, profile: Option<&str>) -> anyhow::Error {
    let detail = credentials_detail(error);
    let profile = profile
        .map(str::to_string)
        .or_else(|| std::env::var("AWS_PROFILE").ok());
    match error {
        // The SDK reports an undefined profile only in words.
        CredentialsError::CredentialsNotLoaded(_) if detail.contains("was not defined") => {
            let profile = profile.unwrap_or_else(|| "default".to_string());
            anyhow!(undefined_profile_message(&profile))
        }
        CredentialsError::CredentialsNotLoaded(_) => anyhow!(no_credentials_message()),
        _ if detail.to_ascii_lowercase().contains("expired") => anyhow!(expired_token_message(
            "the credential provider reports an expired session or token"
        )),
        _ => anyhow!(
            "cannot load AWS credentials ({}); check your profile, run `aws sso login` for an SSO profile, or set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY",
            causes(error)
        ),
    }
}

/// The account the credentials belong to.
async fn caller_account(config: &SdkConfig, scan: &ScanConfig) -> anyhow::Result<String> {
    let client = aws_sdk_sts::Client::new(config);
    let identity = client.get_caller_identity().send().await.map_err(|error| {
        anyhow!(explain(
            &error,
            &GET_CALLER_IDENTITY.iam_name(),
            &region_of(config),
            scan.endpoint_url.as_deref(),
            scan.max_attempts,
        ))
    })?;
    identity
        .account()
        .map(str::to_string)
        .ok_or_else(|| anyhow!("STS GetCallerIdentity answered without an account id"))
}

/// Every region enabled for the account, sorted.
async fn enabled_regions(config: &SdkConfig, scan: &ScanConfig) -> anyhow::Result<Vec<String>> {
    let client = aws_sdk_ec2::Client::new(config);
    let answer = client.describe_regions().send().await.map_err(|error| {
        anyhow!(explain(
            &error,
            &DESCRIBE_REGIONS.iam_name(),
            &region_of(config),
            scan.endpoint_url.as_deref(),
            scan.max_attempts,
        ))
    })?;
    let mut regions: Vec<String> = answer
        .regions()
        .iter()
        .filter_map(|region| region.region_name().map(str::to_string))
        .collect();
    regions.sort();
    regions.dedup();
    if regions.is_empty() {
        bail!("EC2 DescribeRegions listed no enabled region; pass --region explicitly");
    }
    Ok(regions)
}

fn region_of(config: &SdkConfig) -> String {
    config
        .region()
        .map(|region| region.to_string())
        .unwrap_or_else(|| FALLBACK_REGION.to_string())
}
