//! `strata iam check`: one cheap call per action strata needs, to tell
//! before a long scan what the credentials may not call and what the diagram
//! would lack because of it.
//!
//! This module runs the probes and writes the report; which calls exist and
//! how each is probed is declared beside the calls themselves
//! ([`crate::scan::action::Call`]); credentials are [`super::credentials`]'.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use aws_config::SdkConfig;

pub use crate::scan::action::Access;
use crate::scan::action::{Action, Call, Prober};
use crate::scan::ScanConfig;

/// The probe of one action in one account.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ActionAccess {
    pub action: Action,
    pub access: Access,
}

/// Probe every call that has a probe with the account's credentials in
/// `region`. Fails only when AWS cannot be asked at all (no or rejected
/// credentials, unreachable endpoint), with the scan's one-line message for it.
pub async fn check_account(
    config: &SdkConfig,
    account: &str,
    region: &str,
    calls: &[&'static Call],
    scan: &ScanConfig,
) -> anyhow::Result<Vec<ActionAccess>> {
    let config = config
        .to_builder()
        .region(aws_config::Region::new(region.to_string()))
        .build();
    let mut probes = tokio::task::JoinSet::new();
    for (index, call) in calls.iter().enumerate() {
        let Some(probe) = call.probe else { continue };
        let prober = Prober::new(config.clone(), account, region, scan, call.action);
        probes.spawn(async move { (index, probe(&prober).await) });
    }
    let mut results = Vec::with_capacity(calls.len());
    while let Some(joined) = probes.join_next().await {
        let (index, access) = joined.map_err(|error| anyhow::anyhow!("a probe failed: {error}"))?;
        results.push((
            index,
            ActionAccess {
                action: calls[index].action,
                access: access?,
            },
        ));
    }
    results.sort_by_key(|(index, _)| *index);
    Ok(results.into_iter().map(|(_, result)| result).collect())
}

/// The report of one account: per service, how many actions are granted and
/// each missing one with what the scan would leave out.
pub fn report(account: &str, region: &str, results: &[ActionAccess]) -> String {
    let mut by_service: BTreeMap<&str, Vec<&ActionAccess>> = BTreeMap::new();
    for result in results {
        by_service
            .entry(result.action.service)
            .or_default()
            .push(result);
    }
    let width = by_service
        .keys()
        .map(|service| service.len())
        .max()
        .unwrap_or(0);
    let mut text = format!("account {account} (probed in {region}):\n");
    for (service, results) in &by_service {
        let granted = results
            .iter()
            .filter(|r| r.access == Access::Granted)
            .count();
        let _ = writeln!(
            text,
            "  {service:<width$}  {granted}/{} actions granted",
            results.len()
        );
        for result in results {
            if let Access::Denied(code) = &result.access {
                let consequence = if result.action.mandatory {
                    "the scan cannot run without it".to_string()
                } else {
                    format!("a scan would leave out {}", result.action.feeds)
                };
                let _ = writeln!(
                    text,
                    "    missing {} ({code}): {consequence}",
                    result.action.iam_name()
                );
            }
        }
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn report_counts_per_service_and_names_what_is_missing() {
        let access = |service, name, feeds, mandatory, access| ActionAccess {
            action: Action {
                service,
                name,
                feeds,
                mandatory,
            },
            access,
        };
        let denied = || Access::Denied("AccessDenied".to_string());
        let results = [
            access("ec2", "DescribeVpcs", "VPCs", true, denied()),
            access("ec2", "DescribeSubnets", "subnets", true, Access::Granted),
            access(
                "rds",
                "DescribeDBInstances",
                "RDS DB instances",
                false,
                denied(),
            ),
            access(
                "sts",
                "GetCallerIdentity",
                "the account id",
                true,
                Access::Granted,
            ),
        ];
        assert_eq!(
            report("123456789012", "eu-west-1", &results),
            "account 123456789012 (probed in eu-west-1):\n\
             \x20 ec2  1/2 actions granted\n\
             \x20   missing ec2:DescribeVpcs (AccessDenied): the scan cannot run without it\n\
             \x20 rds  0/1 actions granted\n\
             \x20   missing rds:DescribeDBInstances (AccessDenied): a scan would leave out RDS DB instances\n\
             \x20 sts  1/1 actions granted\n"
        );
    }
}
