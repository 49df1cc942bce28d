//! `strata iam`: the IAM policy and role strata needs, generated from the
//! scanners' action table, a fresh external id, and a check of what the
//! current credentials may call.
//!
//! Printing goes to stdout so it can be redirected into a file; this module
//! only parses options and prints what `access` generates.

use anyhow::Context as _;
use clap::{ArgGroup, Args};

use super::Outcome;
use crate::access::check::{check_account, report, Access};
use crate::access::credentials::CredentialArgs;
use crate::access::names::{AccountId, ExternalId, RoleName};
use crate::access::policy::{self, PolicyForm};
use crate::access::role::{self, RoleFormat, RolePermissions, RoleRequest, DEFAULT_ROLE_NAME};
use crate::access::targets::resolve_targets;
use crate::scan::action::{all_actions, all_calls};
use crate::scan::{Progress, ScanConfig};

/// `strata iam …` subcommands.
#[derive(Debug, clap::Subcommand)]
pub enum Command {
    /// Print the IAM policy (JSON) with the read-only actions strata calls.
    Policy(PolicyArgs),
    /// Print a template for the read-only cross-account role strata assumes.
    Role(RoleArgs),
    /// Print a fresh random external id to agree on with the account owner.
    ExternalId,
    /// Make one cheap call per action and print, per service, what a scan
    /// with these credentials would miss (exit status 1 if anything).
    Check(CheckArgs),
}

/// Arguments of `strata iam check`: the credentials a scan would use.
#[derive(Debug, Args)]
pub struct CheckArgs {
    #[command(flatten)]
    pub credentials: CredentialArgs,
    /// No progress on stderr (errors are still reported).
    #[arg(short, long)]
    pub quiet: bool,
}

/// Arguments of `strata iam policy`.
#[derive(Debug, Args)]
#[command(group(ArgGroup::new("form").args(["minimal", "custom"])))]
pub struct PolicyArgs {
    /// Every action spelled out, no wildcards (the default).
    #[arg(long)]
    pub minimal: bool,
    /// `service:Describe*` wildcards: fewer updates as strata grows.
    #[arg(long)]
    pub custom: bool,
}

impl PolicyArgs {
    fn form(&self) -> PolicyForm {
        if self.custom {
            PolicyForm::Custom
        } else {
            PolicyForm::Minimal
        }
    }
}

/// Arguments of `strata iam role`.
#[derive(Debug, Args)]
#[command(group(ArgGroup::new("permissions").args(["custom", "readonly_access"])))]
pub struct RoleArgs {
    /// The account strata runs in: the only one allowed to assume the role.
    #[arg(long, value_name = "ACCOUNT_ID")]
    pub trusted_account: AccountId,
    /// The external id the trust policy requires (`strata iam external-id`).
    #[arg(long, value_name = "ID")]
    pub external_id: ExternalId,
    /// Template to print: a CloudFormation stack, a Terraform module, or the
    /// role's trust and permission policies as JSON.
    #[arg(long, value_enum, default_value_t = RoleFormat::Cloudformation)]
    pub format: RoleFormat,
    /// Name of the role to create.
    #[arg(long, value_name = "NAME", default_value = DEFAULT_ROLE_NAME)]
    pub role_name: RoleName,
    /// Attach the wildcard (`--custom`) form of strata's policy instead of
    /// the minimal one.
    #[arg(long)]
    pub custom: bool,
    /// Attach the AWS-managed ReadOnlyAccess policy instead of strata's own
    /// (broader, but never needs updating).
    #[arg(long)]
    pub readonly_access: bool,
}

pub fn run(command: Command) -> anyhow::Result<Outcome> {
    match command {
        Command::Policy(args) => {
            print!(
                "{}",
                policy::generate(&all_actions(), args.form())?.to_json()
            );
        }
        Command::Role(args) => {
            let permissions = if args.readonly_access {
                RolePermissions::ReadOnlyAccess
            } else {
                let form = if args.custom {
                    PolicyForm::Custom
                } else {
                    PolicyForm::Minimal
                };
                RolePermissions::Policy(policy::generate(&all_actions(), form)?)
            };
            let request = RoleRequest {
                trusted_account: args.trusted_account,
                external_id: args.external_id,
                role_name: args.role_name,
                permissions,
            };
            print!("{}", role::render(&request, args.format));
        }
        Command::ExternalId => {
            let id = ExternalId::generate().map_err(|error| {
                anyhow::anyhow!("cannot read the system's random number generator: {error}")
            })?;
            println!("{id}");
        }
        Command::Check(args) => return check(&args.credentials, &Progress::stderr(args.quiet)),
    }
    Ok(Outcome::Success)
}

/// Probe every action in every account (in its first region: IAM is global)
/// and print one report per account.
fn check(credentials: &CredentialArgs, progress: &Progress) -> anyhow::Result<Outcome> {
    let config = ScanConfig {
        endpoint_url: credentials.effective_endpoint_url()?,
        ..ScanConfig::default()
    };
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("cannot start the async runtime")?;
    // sts:AssumeRole has no probe of its own: resolving the targets below
    // already assumed every role, or failed saying which.
    let calls: Vec<_> = all_calls()
        .into_iter()
        .filter(|call| call.probe.is_some())
        .collect();
    let mut complete = true;
    runtime.block_on(async {
        for target in resolve_targets(credentials, &config, progress).await? {
            let region = target
                .regions
                .as_ref()
                .and_then(|regions| regions.first().cloned())
                .context("no region to probe in; pass --region")?;
            progress.step(&format!(
                "probing {} actions in account {}, {region}",
                calls.len(),
                target.account_id
            ));
            let results =
                check_account(&target.config, &target.account_id, &region, &calls, &config).await?;
            complete &= results
                .iter()
                .all(|result| result.access == Access::Granted);
            let label = if target.name == target.account_id {
                target.account_id.clone()
            } else {
                format!("{} ({})", target.account_id, target.name)
            };
            progress.suspend(|| print!("{}", report(&label, &region, &results)));
        }
        anyhow::Ok(())
    })?;
    Ok(if complete {
        Outcome::Success
    } else {
        Outcome::Degraded
    })
}
