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

use aws_runtime::env_config::file::{EnvConfigFileKind, EnvConfigFiles};

use crate::scan::action::{probe, Action, Call};
use crate::scan::connection;
use crate::scan::error::{
    causes, credentials_detail, expired_token_message, explain, no_credentials_message, CallSite,
};
use crate::scan::{Progress, ScanConfig};

const GET_CALLER_IDENTITY: Call = Call {
    action: Action {
        service: "sts",
        name: "GetCallerIdentity",
        feeds: "the account id of the credentials",
        mandatory: true,
    },
    probe: probe!(aws_sdk_sts::Client, |sts| sts.get_caller_identity().send()),
};

const DESCRIBE_REGIONS: Call = Call {
    action: Action {
        service: "ec2",
        name: "DescribeRegions",
        feeds: "the list of enabled regions (--all-regions)",
        mandatory: true,
    },
    probe: probe!(aws_sdk_ec2::Client, |ec2| ec2.describe_regions().send()),
};

/// Made by the SDK's role provider for `--role-arn` and `--accounts`: a
/// grant of the caller in its own account, never part of the scanned
/// account's policy, and not probed (resolving the targets assumes the roles).
const ASSUME_ROLE: Call = Call {
    action: Action {
        service: "sts",
        name: "AssumeRole",
        feeds: "the accounts read through a role",
        mandatory: true,
    },
    probe: None,
};

/// The calls made before a scan.
pub const CALLS: &[Call] = &[GET_CALLER_IDENTITY, DESCRIBE_REGIONS, ASSUME_ROLE];

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
    /// Send every request to this endpoint (an emulator, a private endpoint):
    /// `http://HOST:PORT` or `https://HOST`. AWS_ENDPOINT_URL is honoured too.
    #[arg(long, value_name = "URL", value_parser = parse_endpoint_url)]
    pub endpoint_url: Option<String>,
    /// Roles and several accounts.
    #[command(flatten)]
    pub access: super::targets::AccessArgs,
}

impl CredentialArgs {
    /// The endpoint in effect: the flag, else `AWS_ENDPOINT_URL`, which is
    /// held to the flag's rules (the SDK would fail on its first request
    /// with the request dumped into the message).
    pub fn effective_endpoint_url(&self) -> anyhow::Result<Option<String>> {
        if let Some(url) = &self.endpoint_url {
            return Ok(Some(url.clone()));
        }
        match std::env::var("AWS_ENDPOINT_URL") {
            Ok(url) if !url.is_empty() => parse_endpoint_url(&url)
                .map(Some)
                .map_err(|problem| anyhow!("AWS_ENDPOINT_URL={url:?}: {problem}; fix or unset it")),
            _ => Ok(None),
        }
    }
}

/// `--endpoint-url`: an `http` or `https` URL with a host, checked when the
/// arguments are parsed.
pub fn parse_endpoint_url(text: &str) -> Result<String, String> {
    // http's own parse errors ("empty string" for `http://`) say less
    // than the form the URL should take.
    let uri: http::Uri = text
        .parse()
        .map_err(|_| "not a URL; write it as http://HOST:PORT or https://HOST".to_string())?;
    match uri.scheme_str() {
        Some("http" | "https") => {}
        Some(other) => return Err(format!("the scheme must be http or https, not {other}")),
        None => return Err(format!("no scheme; write http://{text} or https://{text}")),
    }
    if uri.host().is_none_or(str::is_empty) {
        return Err("no host; write it as http://HOST:PORT or https://HOST".to_string());
    }
    Ok(text.to_string())
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

/// The caller's own SDK configuration: the credential chain (a checked
/// `--profile` or `AWS_PROFILE`), retries, timeouts, the fail-fast
/// connection, `--endpoint-url` (also for a profile that assumes a role) and
/// a region (the first `--region`, else the configured one, else a fallback
/// for global calls, returned as `None`). Its credentials are not loaded
/// yet: [`check_credentials`] does that.
pub(crate) async fn load_caller_config(
    args: &CredentialArgs,
    scan: &ScanConfig,
) -> anyhow::Result<(SdkConfig, Option<String>)> {
    let mut loader = aws_config::defaults(BehaviorVersion::latest())
        .retry_config(scan.retry_config())
        .timeout_config(scan.timeout_config());
    if let Some(client) = connection::http_client() {
        loader = loader.http_client(client);
    }
    let profile = profile_in_effect(args.profile.as_deref()).await?;
    if let Some(name) = &args.profile {
        loader = loader.profile_name(name);
    }
    if let Some(url) = &args.endpoint_url {
        loader = loader.endpoint_url(url);
        // The SDK's own role provider makes the profile's AssumeRole call
        // with a client that knows nothing of the loader's endpoint, only of
        // the profile's: add the endpoint to the profile, in memory.
        if profile.assumes_role {
            loader = loader.profile_files(with_endpoint(&profile.name, url));
        }
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
    Ok((config, configured_region))
}

/// Resolve the base credentials into the account they belong to, with the
/// regions to scan. Fails with one actionable line when credentials, the
/// profile, the region or the endpoint are missing or wrong.
pub async fn resolve_base(
    args: &CredentialArgs,
    scan: &ScanConfig,
    progress: &Progress,
) -> anyhow::Result<AccountTarget> {
    let (config, configured_region) = load_caller_config(args, scan).await?;
    if args.regions.is_empty() && !args.all_regions && configured_region.is_none() {
        bail!(
            "no AWS region configured: pass --region REGION (repeatable) or --all-regions, set AWS_REGION, or set `region` in your AWS profile"
        );
    }
    progress.step(&format!(
        "identifying the account (sts:GetCallerIdentity in {})",
        region_of(&config)
    ));
    check_credentials(&config, args.profile.as_deref()).await?;
    let account_id = caller_account(&config, scan).await?;

    let regions = if !args.regions.is_empty() {
        let mut regions = args.regions.clone();
        regions.sort();
        regions.dedup();
        regions
    } else if args.all_regions {
        progress.step(&format!(
            "listing the enabled regions (ec2:DescribeRegions in {})",
            region_of(&config)
        ));
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

/// The shared-config profile the SDK will read, and whether it assumes a
/// role (`role_arn`).
struct ActiveProfile {
    name: String,
    assumes_role: bool,
}

/// The profile in effect (`--profile`, else `AWS_PROFILE`, else `default`),
/// checked. A profile named by the flag or the variable must be defined: the
/// SDK would otherwise fall through to instance metadata, or report a
/// missing region or credentials instead. A `--profile` must also not be
/// hidden by keys in the environment, which the SDK's chain reads first, so
/// a mistyped profile would silently scan whatever account the keys reach;
/// with `AWS_PROFILE` the keys win quietly, as they do for the AWS CLI.
async fn profile_in_effect(flag: Option<&str>) -> anyhow::Result<ActiveProfile> {
    let from_environment = std::env::var("AWS_PROFILE")
        .ok()
        .filter(|name| !name.is_empty());
    let keys_in_environment = std::env::var_os("AWS_ACCESS_KEY_ID").is_some();
    if let (Some(profile), true) = (flag, keys_in_environment) {
        bail!(
            "--profile {profile} is ignored while AWS_ACCESS_KEY_ID is set (the keys in the environment win); unset AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or drop --profile"
        );
    }
    let named = flag.map(str::to_string).or(from_environment);
    let profiles = aws_config::profile::load(
        &aws_types::os_shim_internal::Fs::real(),
        &aws_types::os_shim_internal::Env::real(),
        &EnvConfigFiles::default(),
        None,
    )
    .await
    .ok();
    let found = |name: &str| profiles.as_ref().and_then(|set| set.get_profile(name));
    let name = named.clone().unwrap_or_else(|| "default".to_string());
    if named.is_some() && !keys_in_environment && found(&name).is_none() {
        bail!(undefined_profile_message(&name));
    }
    Ok(ActiveProfile {
        assumes_role: found(&name).is_some_and(|profile| profile.get("role_arn").is_some()),
        name,
    })
}

/// The shared config and credentials files, plus `endpoint_url` for
/// `profile` (the last file read wins).
fn with_endpoint(profile: &str, url: &str) -> EnvConfigFiles {
    let section = if profile == "default" {
        "[default]".to_string()
    } else {
        format!("[profile {profile}]")
    };
    EnvConfigFiles::builder()
        .include_default_config_file(true)
        .include_default_credentials_file(true)
        .with_contents(
            EnvConfigFileKind::Config,
            format!("{section}\nendpoint_url = {url}\n"),
        )
        .build()
}

fn undefined_profile_message(profile: &str) -> String {
    format!(
        "AWS profile `{profile}` is not defined in the shared config or credentials file; pass an existing --profile (`aws configure list-profiles` lists them) or fix AWS_PROFILE"
    )
}

/// Load the credentials once up front, so "none found", "unknown profile" and
/// "expired" are reported as such rather than as a failed API call.
pub(crate) async fn check_credentials(
    config: &SdkConfig,
    profile: Option<&str>,
) -> anyhow::Result<()> {
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
            &CallSite {
                action: &GET_CALLER_IDENTITY.action.iam_name(),
                region: &region_of(config),
                endpoint: scan.endpoint_url.as_deref(),
                call_timeout: scan.call_timeout,
            },
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
            &CallSite {
                action: &DESCRIBE_REGIONS.action.iam_name(),
                region: &region_of(config),
                endpoint: scan.endpoint_url.as_deref(),
                call_timeout: scan.call_timeout,
            },
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_endpoint_needs_an_http_scheme_and_a_host() {
        for good in [
            "http://127.0.0.1:4566",
            "https://ec2.eu-west-1.amazonaws.com",
            "http://localhost:5000/",
        ] {
            assert_eq!(parse_endpoint_url(good).as_deref(), Ok(good));
        }
        for (bad, problem) in [
            (
                "127.0.0.1:9",
                "no scheme; write http://127.0.0.1:9 or https://127.0.0.1:9",
            ),
            (
                "localhost:4566",
                "no scheme; write http://localhost:4566 or https://localhost:4566",
            ),
            (
                "ftp://127.0.0.1",
                "the scheme must be http or https, not ftp",
            ),
            (
                "http://",
                "not a URL; write it as http://HOST:PORT or https://HOST",
            ),
            (
                "",
                "not a URL; write it as http://HOST:PORT or https://HOST",
            ),
        ] {
            assert_eq!(parse_endpoint_url(bad), Err(problem.to_string()), "{bad:?}");
        }
    }
}
