//! `strata iam check`: one cheap call per action of the action table, to tell
//! before a long scan what the credentials may not call and what the diagram
//! would lack because of it.
//!
//! A probe asks for the smallest page the API allows, or names a resource
//! that does not exist: AWS authorizes a call before it looks for the
//! resource, so "not found" (or any other answer but a denial) proves the
//! action is granted. This module owns the probes and the report; which
//! actions exist is [`crate::scan::action`]'s, credentials are
//! [`super::credentials`]'.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use anyhow::bail;
use aws_config::SdkConfig;
use aws_smithy_runtime_api::client::orchestrator::HttpResponse;
use aws_smithy_runtime_api::client::result::SdkError;
use aws_smithy_types::error::metadata::ProvideErrorMetadata;

use crate::scan::action::Action;
use crate::scan::error::{classify, code_or_status, explain, ErrorClass};

/// What one probe found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Access {
    Granted,
    /// Refused with this error code.
    Denied(String),
}

/// The probe of one action in one account.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ActionAccess {
    pub action: Action,
    pub access: Access,
}

/// Probe every action with the account's credentials in `region`. Fails only
/// when AWS cannot be asked at all (no or rejected credentials, unreachable
/// endpoint), with the scan's one-line message for it.
pub async fn check_account(
    config: &SdkConfig,
    account: &str,
    region: &str,
    actions: &[Action],
    endpoint_url: Option<&str>,
) -> anyhow::Result<Vec<ActionAccess>> {
    let config = config
        .to_builder()
        .region(aws_config::Region::new(region.to_string()))
        .build();
    let mut probes = tokio::task::JoinSet::new();
    for (index, action) in actions.iter().copied().enumerate() {
        let config = config.clone();
        let context = ProbeContext {
            account: account.to_string(),
            region: region.to_string(),
            endpoint_url: endpoint_url.map(str::to_string),
        };
        probes.spawn(async move { (index, probe(&config, &context, action).await) });
    }
    let mut results = Vec::with_capacity(actions.len());
    while let Some(joined) = probes.join_next().await {
        let (index, access) = joined.map_err(|error| anyhow::anyhow!("a probe failed: {error}"))?;
        results.push((
            index,
            ActionAccess {
                action: actions[index],
                access: access?,
            },
        ));
    }
    results.sort_by_key(|(index, _)| *index);
    Ok(results.into_iter().map(|(_, result)| result).collect())
}

const ABSENT_LOAD_BALANCER: &str = "loadbalancer/app/strata-iam-check/0123456789abcdef";
const ABSENT_LISTENER: &str = "listener/app/strata-iam-check/0123456789abcdef/0123456789abcdef";
const ABSENT_TARGET_GROUP: &str = "targetgroup/strata-iam-check/0123456789abcdef";

struct ProbeContext {
    account: String,
    region: String,
    endpoint_url: Option<String>,
}

impl ProbeContext {
    /// An ELBv2 ARN in the account that names nothing (`resource` is the
    /// part after the account: `targetgroup/NAME/ID`).
    fn absent_elb_arn(&self, resource: &str) -> String {
        format!(
            "arn:{}:elasticloadbalancing:{}:{}:{resource}",
            crate::snapshot::partition(&self.region),
            self.region,
            self.account
        )
    }

    /// Turn a probe's answer into granted / denied, or an error when the
    /// answer says nothing about permissions.
    fn judge<T, E>(
        &self,
        action: &Action,
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
                &action.iam_name(),
                &self.region,
                self.endpoint_url.as_deref(),
                1
            )),
        }
    }
}

/// The cheapest call that exercises `action`.
async fn probe(
    config: &SdkConfig,
    context: &ProbeContext,
    action: Action,
) -> anyhow::Result<Access> {
    use aws_sdk_ec2::Client as Ec2;
    use aws_sdk_elasticloadbalancingv2::Client as Elb;
    use aws_sdk_rds::Client as Rds;
    use aws_sdk_sts::Client as Sts;
    // EC2 Describe calls accept MaxResults 5 as their smallest page; RDS 20.
    const EC2_PAGE: i32 = 5;
    const ELB_PAGE: i32 = 1;
    const RDS_PAGE: i32 = 20;
    let probed = &action;
    match (action.service, action.name) {
        ("sts", "GetCallerIdentity") => {
            context.judge(probed, Sts::new(config).get_caller_identity().send().await)
        }
        ("ec2", name) => {
            let ec2 = Ec2::new(config);
            match name {
                "DescribeRegions" => context.judge(probed, ec2.describe_regions().send().await),
                "DescribeAvailabilityZones" => {
                    context.judge(probed, ec2.describe_availability_zones().send().await)
                }
                "DescribeVpcs" => context.judge(
                    probed,
                    ec2.describe_vpcs().max_results(EC2_PAGE).send().await,
                ),
                "DescribeSubnets" => context.judge(
                    probed,
                    ec2.describe_subnets().max_results(EC2_PAGE).send().await,
                ),
                "DescribeRouteTables" => context.judge(
                    probed,
                    ec2.describe_route_tables()
                        .max_results(EC2_PAGE)
                        .send()
                        .await,
                ),
                "DescribeInternetGateways" => context.judge(
                    probed,
                    ec2.describe_internet_gateways()
                        .max_results(EC2_PAGE)
                        .send()
                        .await,
                ),
                "DescribeEgressOnlyInternetGateways" => context.judge(
                    probed,
                    ec2.describe_egress_only_internet_gateways()
                        .max_results(EC2_PAGE)
                        .send()
                        .await,
                ),
                "DescribeNatGateways" => context.judge(
                    probed,
                    ec2.describe_nat_gateways()
                        .max_results(EC2_PAGE)
                        .send()
                        .await,
                ),
                "DescribeAddresses" => context.judge(probed, ec2.describe_addresses().send().await),
                "DescribeVpcEndpoints" => context.judge(
                    probed,
                    ec2.describe_vpc_endpoints()
                        .max_results(EC2_PAGE)
                        .send()
                        .await,
                ),
                "DescribeVpcPeeringConnections" => context.judge(
                    probed,
                    ec2.describe_vpc_peering_connections()
                        .max_results(EC2_PAGE)
                        .send()
                        .await,
                ),
                "DescribeTransitGateways" => context.judge(
                    probed,
                    ec2.describe_transit_gateways()
                        .max_results(EC2_PAGE)
                        .send()
                        .await,
                ),
                "DescribeTransitGatewayAttachments" => context.judge(
                    probed,
                    ec2.describe_transit_gateway_attachments()
                        .max_results(EC2_PAGE)
                        .send()
                        .await,
                ),
                "DescribeTransitGatewayVpcAttachments" => context.judge(
                    probed,
                    ec2.describe_transit_gateway_vpc_attachments()
                        .max_results(EC2_PAGE)
                        .send()
                        .await,
                ),
                "DescribeSecurityGroups" => context.judge(
                    probed,
                    ec2.describe_security_groups()
                        .max_results(EC2_PAGE)
                        .send()
                        .await,
                ),
                "DescribeSecurityGroupRules" => context.judge(
                    probed,
                    ec2.describe_security_group_rules()
                        .max_results(EC2_PAGE)
                        .send()
                        .await,
                ),
                "DescribeNetworkInterfaces" => context.judge(
                    probed,
                    ec2.describe_network_interfaces()
                        .max_results(EC2_PAGE)
                        .send()
                        .await,
                ),
                "DescribeInstances" => context.judge(
                    probed,
                    ec2.describe_instances().max_results(EC2_PAGE).send().await,
                ),
                "DescribeVolumes" => context.judge(
                    probed,
                    ec2.describe_volumes().max_results(EC2_PAGE).send().await,
                ),
                _ => bail!(no_probe(probed)),
            }
        }
        ("elasticloadbalancing", name) => {
            let elb = Elb::new(config);
            match name {
                "DescribeLoadBalancers" => context.judge(
                    probed,
                    elb.describe_load_balancers()
                        .page_size(ELB_PAGE)
                        .send()
                        .await,
                ),
                "DescribeTargetGroups" => context.judge(
                    probed,
                    elb.describe_target_groups()
                        .page_size(ELB_PAGE)
                        .send()
                        .await,
                ),
                "DescribeListeners" => context.judge(
                    probed,
                    elb.describe_listeners()
                        .load_balancer_arn(context.absent_elb_arn(ABSENT_LOAD_BALANCER))
                        .send()
                        .await,
                ),
                "DescribeRules" => context.judge(
                    probed,
                    elb.describe_rules()
                        .listener_arn(context.absent_elb_arn(ABSENT_LISTENER))
                        .send()
                        .await,
                ),
                "DescribeTargetHealth" => context.judge(
                    probed,
                    elb.describe_target_health()
                        .target_group_arn(context.absent_elb_arn(ABSENT_TARGET_GROUP))
                        .send()
                        .await,
                ),
                "DescribeTags" => context.judge(
                    probed,
                    elb.describe_tags()
                        .resource_arns(context.absent_elb_arn(ABSENT_LOAD_BALANCER))
                        .send()
                        .await,
                ),
                _ => bail!(no_probe(probed)),
            }
        }
        ("rds", name) => {
            let rds = Rds::new(config);
            match name {
                "DescribeDBInstances" => context.judge(
                    probed,
                    rds.describe_db_instances()
                        .max_records(RDS_PAGE)
                        .send()
                        .await,
                ),
                "DescribeDBClusters" => context.judge(
                    probed,
                    rds.describe_db_clusters()
                        .max_records(RDS_PAGE)
                        .send()
                        .await,
                ),
                "DescribeDBSubnetGroups" => context.judge(
                    probed,
                    rds.describe_db_subnet_groups()
                        .max_records(RDS_PAGE)
                        .send()
                        .await,
                ),
                _ => bail!(no_probe(probed)),
            }
        }
        _ => bail!(no_probe(probed)),
    }
}

fn no_probe(action: &Action) -> String {
    format!(
        "strata iam check has no probe for {}; this is a bug in strata, please report it",
        action.iam_name()
    )
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
