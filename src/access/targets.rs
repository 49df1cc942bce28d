//! From the command line to the accounts a scan (or `iam check`) reads: the
//! base credentials alone, the base credentials through `--role-arn`, or
//! every entry of an `--accounts` file, each resolved to an
//! [`AccountTarget`] with its own credentials, account id and regions.
//!
//! This module owns the role and accounts options and the order of
//! resolution; the base credential chain is [`super::credentials`], the role
//! session [`super::assume`], the file format [`super::accounts`].

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::time::Duration;

use anyhow::bail;

use super::accounts::{self, AccountSpec};
use super::assume::{
    assume_role, caller_account, AssumeRequest, DEFAULT_SESSION_NAME, DEFAULT_SESSION_SECONDS,
    SESSION_SECONDS,
};
use super::credentials::{resolve_base, AccountTarget, CredentialArgs};
use super::names::{ExternalId, RoleArn, SessionName};
use crate::scan::{Progress, ScanConfig};

/// Roles and accounts: flattened into [`CredentialArgs`].
#[derive(Debug, Clone, Default, clap::Args)]
pub struct AccessArgs {
    /// Read the account through this role, assumed on top of the base
    /// credentials (profile, environment, SSO, instance role).
    #[arg(long, value_name = "ARN", conflicts_with = "accounts")]
    pub role_arn: Option<RoleArn>,
    /// External id the role's trust policy requires (sts:ExternalId).
    #[arg(long, value_name = "ID", requires = "role_arn")]
    pub external_id: Option<ExternalId>,
    /// Name of the role session, shown in the account's CloudTrail
    /// [default: strata].
    #[arg(long, value_name = "NAME")]
    pub session_name: Option<SessionName>,
    /// Length of the role session in seconds, 900 to 43200 (the role's own
    /// maximum applies) [default: 3600].
    #[arg(long, value_name = "SECONDS", value_parser = clap::value_parser!(u64).range(SESSION_SECONDS))]
    pub duration: Option<u64>,
    /// The accounts to read: every `[[account]]` table of this TOML file
    /// (name, and optional role_arn, external_id, profile, regions,
    /// session_name).
    #[arg(long, value_name = "FILE")]
    pub accounts: Option<PathBuf>,
}

impl AccessArgs {
    fn assume_request(
        &self,
        role_arn: RoleArn,
        external_id: Option<ExternalId>,
        session_name: Option<SessionName>,
    ) -> AssumeRequest {
        let session_name = session_name
            .or_else(|| self.session_name.clone())
            .unwrap_or_else(|| {
                DEFAULT_SESSION_NAME
                    .parse()
                    .expect("the default session name is valid")
            });
        AssumeRequest {
            role_arn,
            external_id,
            session_name,
            duration: Duration::from_secs(self.duration.unwrap_or(DEFAULT_SESSION_SECONDS)),
        }
    }
}

/// Every account the command line asks for, resolved and checked (the
/// credentials work, each role can be assumed), sorted as given.
pub async fn resolve_targets(
    args: &CredentialArgs,
    scan: &ScanConfig,
    progress: &Progress,
) -> anyhow::Result<Vec<AccountTarget>> {
    let access = &args.access;
    // A mistake in the file is reported before any network call.
    let specs = match &access.accounts {
        Some(path) => Some(accounts::load(path)?),
        None => None,
    };
    let base = resolve_base(args, scan, progress).await?;
    let (Some(path), Some(specs)) = (&access.accounts, specs) else {
        let Some(role_arn) = access.role_arn.clone() else {
            return Ok(vec![base]);
        };
        let request = access.assume_request(role_arn, access.external_id.clone(), None);
        let target = through_role(&base, &request, None, progress).await?;
        return Ok(vec![target]);
    };

    let mut targets = Vec::with_capacity(specs.len());
    for spec in specs {
        let spec_base = match &spec.profile {
            Some(profile) => {
                let mut profile_args = args.clone();
                profile_args.profile = Some(profile.clone());
                resolve_base(&profile_args, scan, progress)
                    .await
                    .map_err(|error| {
                        anyhow::anyhow!("account {:?} in {}: {error:#}", spec.name, path.display())
                    })?
            }
            None => base.clone(),
        };
        targets.push(
            resolve_entry(access, &spec_base, spec, progress)
                .await
                .map_err(|error| anyhow::anyhow!("{}: {error:#}", path.display()))?,
        );
    }

    // Two entries reaching the same account would draw it twice.
    let mut names_by_account: BTreeMap<&str, &str> = BTreeMap::new();
    for target in &targets {
        if let Some(first) = names_by_account.insert(&target.account_id, &target.name) {
            bail!(
                "{}: accounts {first:?} and {:?} both reach account {}; list each account once",
                path.display(),
                target.name,
                target.account_id
            );
        }
    }
    Ok(targets)
}

async fn resolve_entry(
    access: &AccessArgs,
    base: &AccountTarget,
    spec: AccountSpec,
    progress: &Progress,
) -> anyhow::Result<AccountTarget> {
    let regions =
        (!spec.regions.is_empty()).then(|| spec.regions.iter().map(ToString::to_string).collect());
    let mut target = match spec.role_arn {
        Some(role_arn) => {
            let request = access.assume_request(role_arn, spec.external_id, spec.session_name);
            through_role(base, &request, regions, progress).await?
        }
        None => AccountTarget {
            regions: regions.or_else(|| base.regions.clone()),
            ..base.clone()
        },
    };
    target.name = spec.name;
    Ok(target)
}

/// The base target's account read through a role instead.
async fn through_role(
    base: &AccountTarget,
    request: &AssumeRequest,
    regions: Option<Vec<String>>,
    progress: &Progress,
) -> anyhow::Result<AccountTarget> {
    progress.step(&format!("assuming {} (sts:AssumeRole)", request.role_arn));
    let config = assume_role(&base.config, request).await;
    let account_id = caller_account(&config, request).await?;
    Ok(AccountTarget {
        name: account_id.clone(),
        account_id,
        config,
        role_arn: Some(request.role_arn.to_string()),
        regions: regions.or_else(|| base.regions.clone()),
    })
}
