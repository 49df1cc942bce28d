//! The API calls strata makes, each declared once, beside the code that
//! makes it: the IAM action it needs (what it feeds, whether the scan can
//! do without it) and the cheapest call that proves the action is granted,
//! for `strata iam check`. The IAM policy, `iam check` and the README's
//! permission table all come from these declarations.
//!
//! Owns the declarations and how a probe's answer is judged; which calls
//! exist is each service's (`crate::services::*::scan`) and the caller's
//! (`crate::access::credentials`).

use std::future::Future;
use std::pin::Pin;
use std::time::Duration;

use anyhow::bail;
use aws_config::SdkConfig;
use aws_smithy_runtime_api::client::orchestrator::HttpResponse;
use aws_smithy_runtime_api::client::result::SdkError;
use aws_smithy_types::error::metadata::ProvideErrorMetadata;

use super::error::{classify, code_or_status, explain, CallSite, ErrorClass};
use super::ScanConfig;

/// One IAM action a call needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Action {
    /// IAM service prefix: `ec2`, `elasticloadbalancing`, `rds`, `sts`.
    pub service: &'static str,
    /// The API operation, which is also the IAM action name: `DescribeVpcs`.
    pub name: &'static str,
    /// What the snapshot lacks without it, in words: `VPCs`.
    pub feeds: &'static str,
    /// Without a mandatory action the scan cannot draw anything and stops.
    pub mandatory: bool,
}

impl Action {
    /// `ec2:DescribeVpcs`.
    pub fn iam_name(&self) -> String {
        format!("{}:{}", self.service, self.name)
    }
}

/// One call strata makes: its action and its probe.
#[derive(Clone, Copy)]
pub struct Call {
    pub action: Action,
    /// `None` for an action that is the caller's own grant rather than the
    /// scanned account's (assuming a role), which `iam check` cannot probe
    /// without doing it.
    pub probe: Option<Probe>,
}

impl std::fmt::Debug for Call {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Call")
            .field("action", &self.action)
            .field("probe", &self.probe.is_some())
            .finish()
    }
}

/// What one probe found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Access {
    Granted,
    /// Refused with this error code.
    Denied(String),
}

/// The cheapest call that exercises an action: it asks for the smallest
/// page the API allows, or names a resource that does not exist (AWS
/// authorizes a call before it looks for the resource, so "not found", or
/// any other answer but a denial, proves the action is granted).
pub type Probe = for<'a> fn(&'a Prober) -> ProbeFuture<'a>;

pub type ProbeFuture<'a> = Pin<Box<dyn Future<Output = anyhow::Result<Access>> + Send + 'a>>;

/// A probe's `|prober| …` body: builds the service client from the prober's
/// configuration, makes the call and judges the answer.
/// `probe!(aws_sdk_ec2::Client, |ec2| ec2.describe_vpcs().max_results(5).send())`.
/// With `|client, prober|` the call can use the prober, e.g. for an ARN
/// that names nothing in the probed account.
macro_rules! probe {
    ($client:ty, |$c:ident| $call:expr) => {
        $crate::scan::action::probe!($client, |$c, _prober| $call)
    };
    ($client:ty, |$c:ident, $p:ident| $call:expr) => {
        Some(|$p: &$crate::scan::action::Prober| {
            Box::pin(async move {
                let $c = <$client>::new($p.config());
                $p.judge($call.await)
            })
        })
    };
}
pub(crate) use probe;

/// Where and as whom one action is probed.
pub struct Prober {
    config: SdkConfig,
    account: String,
    region: String,
    endpoint_url: Option<String>,
    call_timeout: Duration,
    action: Action,
}

impl Prober {
    pub fn new(
        config: SdkConfig,
        account: &str,
        region: &str,
        scan: &ScanConfig,
        action: Action,
    ) -> Prober {
        Prober {
            config,
            account: account.to_string(),
            region: region.to_string(),
            endpoint_url: scan.endpoint_url.clone(),
            call_timeout: scan.call_timeout,
            action,
        }
    }

    pub fn config(&self) -> &SdkConfig {
        &self.config
    }

    /// An ARN in the probed account and region that names nothing
    /// (`resource` is the part after the account: `targetgroup/NAME/ID`).
    pub fn absent_arn(&self, service: &str, resource: &str) -> String {
        format!(
            "arn:{}:{service}:{}:{}:{resource}",
            crate::snapshot::partition(&self.region),
            self.region,
            self.account
        )
    }

    /// Turn a probe's answer into granted / denied, or an error when the
    /// answer says nothing about permissions.
    pub fn judge<T, E>(
        &self,
        result: Result<T, SdkError<E, HttpResponse>>,
    ) -> anyhow::Result<Access>
    where
        E: ProvideErrorMetadata + std::error::Error + Send + Sync + 'static,
    {
        let error = match result {
            Ok(_) => return Ok(Access::Granted),
            Err(error) => error,
        };
        match classify(&error) {
            ErrorClass::AccessDenied => Ok(Access::Denied(code_or_status(&error))),
            // A service's own answer (not found, validation) comes after
            // authorization: the action is granted.
            ErrorClass::Other if matches!(error, SdkError::ServiceError(_)) => Ok(Access::Granted),
            _ => bail!(explain(
                &error,
                &CallSite {
                    action: &self.action.iam_name(),
                    region: &self.region,
                    endpoint: self.endpoint_url.as_deref(),
                    call_timeout: self.call_timeout,
                }
            )),
        }
    }
}

/// The calls of one region's scan, service by service.
pub fn region_calls() -> Vec<&'static Call> {
    crate::services::calls()
}

/// Every call strata may make, sorted by action and deduplicated: the
/// services' calls plus those made before a scan (STS identity, region
/// listing, assuming roles) and the price refresh's (`pricing:GetProducts`).
pub fn all_calls() -> Vec<&'static Call> {
    let mut calls: Vec<&'static Call> = crate::access::credentials::CALLS
        .iter()
        .chain(region_calls())
        .chain(crate::prices::refresh::CALLS)
        .collect();
    calls.sort_by_key(|call| (call.action.service, call.action.name));
    calls.dedup_by_key(|call| (call.action.service, call.action.name));
    calls
}

/// Every action strata may call, sorted and deduplicated. The IAM policy is
/// generated from this list.
pub fn all_actions() -> Vec<Action> {
    all_calls().into_iter().map(|call| call.action).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_table_is_read_only_sorted_and_unique() {
        let actions = all_actions();
        let names: Vec<String> = actions.iter().map(Action::iam_name).collect();
        let mut expected = names.clone();
        expected.sort();
        expected.dedup();
        assert_eq!(names, expected);
        for action in &actions {
            assert!(
                crate::access::policy::is_read_only(action),
                "{} is not a read-only action",
                action.iam_name()
            );
            assert!(
                !action.feeds.is_empty(),
                "{} feeds nothing",
                action.iam_name()
            );
        }
        for required in [
            "sts:GetCallerIdentity",
            "ec2:DescribeRegions",
            "ec2:DescribeVpcs",
            "ec2:DescribeInstances",
            "elasticloadbalancing:DescribeTargetHealth",
            "rds:DescribeDBInstances",
        ] {
            assert!(
                names.iter().any(|name| name == required),
                "{required} missing"
            );
        }
    }

    #[test]
    fn every_call_of_a_scan_has_a_probe() {
        for call in region_calls()
            .into_iter()
            .chain(crate::access::credentials::CALLS)
        {
            assert!(
                call.probe.is_some() || call.action.name == "AssumeRole",
                "{} has no probe for iam check",
                call.action.iam_name()
            );
        }
    }
}

#[cfg(test)]
mod readme {
    use super::*;

    /// The README's permission table lists exactly the actions strata calls.
    #[test]
    fn the_readme_lists_every_action() {
        let readme = include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md"));
        for action in all_actions() {
            let row = readme
                .lines()
                .find(|line| line.starts_with(&format!("| `{}` |", action.service)))
                .unwrap_or_else(|| panic!("README has no permission row for {}", action.service));
            assert!(
                row.contains(&format!("`{}`", action.name)),
                "README's {} row lacks {}",
                action.service,
                action.name
            );
        }
        // Count the action names of the permission rows only: the cell after
        // the service, every backticked name that starts with a capital.
        let services: Vec<&str> = all_actions().iter().map(|a| a.service).collect();
        let listed = readme
            .lines()
            .filter(|line| {
                services
                    .iter()
                    .any(|s| line.starts_with(&format!("| `{s}` |")))
            })
            .filter_map(|line| line.split('|').nth(2))
            .flat_map(|cell| cell.split('`').skip(1).step_by(2))
            .filter(|name| name.starts_with(|c: char| c.is_ascii_uppercase()))
            .count();
        assert_eq!(
            listed,
            all_actions().len(),
            "README lists actions strata does not call"
        );
    }
}
