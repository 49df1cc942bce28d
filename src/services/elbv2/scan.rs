//! Scanning ELBv2 (application, network and gateway load balancers) of one region:
//! load balancers, listeners with their rules, target groups with the health
//! of every target, and their tags.
//!
//! Fetches are paginated (the SDK paginators follow ELBv2's markers) and fan
//! out per load balancer, listener and target group under the scan's global
//! bound; transforms are pure. When DescribeTargetHealth is denied a target
//! group's `targets` stays `None`: targets are never invented.

use std::collections::{BTreeMap, HashMap};

use aws_sdk_elasticloadbalancingv2::types as elb;
use aws_sdk_elasticloadbalancingv2::Client;

use super::model::*;
use crate::scan::action::{probe, Action, Call};
use crate::scan::context::{for_each_concurrently, RegionContext};
use crate::scan::origin::{owned, sorted, tag_map, text, Origin};
use crate::scan::paginate;
use crate::snapshot::{Detail, Resource};

const ELB_PAGE: i32 = 1;

/// ARNs in the probed account that name nothing, for the probes of calls
/// that take a parent's ARN.
const ABSENT_LOAD_BALANCER: &str = "loadbalancer/app/strata-iam-check/0123456789abcdef";
const ABSENT_LISTENER: &str = "listener/app/strata-iam-check/0123456789abcdef/0123456789abcdef";
const ABSENT_TARGET_GROUP: &str = "targetgroup/strata-iam-check/0123456789abcdef";
const SERVICE: &str = "elasticloadbalancing";

const fn elb_call(
    name: &'static str,
    feeds: &'static str,
    probe: Option<crate::scan::action::Probe>,
) -> Call {
    Call {
        action: Action {
            service: SERVICE,
            name,
            feeds,
            mandatory: false,
        },
        probe,
    }
}

const DESCRIBE_LOAD_BALANCERS: Call = elb_call(
    "DescribeLoadBalancers",
    "load balancers",
    probe!(Client, |elb| elb.describe_load_balancers().page_size(ELB_PAGE).send()),
);
const DESCRIBE_LISTENERS: Call = elb_call(
    "DescribeListeners",
    "load balancer listeners",
    probe!(Client, |elb, prober| elb
        .describe_listeners()
        .load_balancer_arn(prober.absent_arn(SERVICE, ABSENT_LOAD_BALANCER))
        .send()),
);
const DESCRIBE_RULES: Call = elb_call(
    "DescribeRules",
    "listener rules",
    probe!(Client, |elb, prober| elb
        .describe_rules()
        .listener_arn(prober.absent_arn(SERVICE, ABSENT_LISTENER))
        .send()),
);
const DESCRIBE_TARGET_GROUPS: Call = elb_call(
    "DescribeTargetGroups",
    "target groups",
    probe!(Client, |elb| elb.describe_target_groups().page_size(ELB_PAGE).send()),
);
const DESCRIBE_TARGET_HEALTH: Call = elb_call(
    "DescribeTargetHealth",
    "the targets of target groups and their health",
    probe!(Client, |elb, prober| elb
        .describe_target_health()
        .target_group_arn(prober.absent_arn(SERVICE, ABSENT_TARGET_GROUP))
        .send()),
);
const DESCRIBE_TAGS: Call = elb_call(
    "DescribeTags",
    "tags and names of load balancers and target groups",
    probe!(Client, |elb, prober| elb
        .describe_tags()
        .resource_arns(prober.absent_arn(SERVICE, ABSENT_LOAD_BALANCER))
        .send()),
);

/// Every ELBv2 call a region scan makes.
pub(crate) const CALLS: &[Call] = &[
    DESCRIBE_LOAD_BALANCERS,
    DESCRIBE_LISTENERS,
    DESCRIBE_RULES,
    DESCRIBE_TARGET_GROUPS,
    DESCRIBE_TARGET_HEALTH,
    DESCRIBE_TAGS,
];

/// DescribeTags accepts at most this many ARNs per call.
const TAGS_PER_CALL: usize = 20;

type Tags = BTreeMap<String, String>;

/// Scan ELBv2 in one region.
pub(crate) async fn scan(context: &RegionContext) -> anyhow::Result<Vec<Resource>> {
    let client = Client::new(context.sdk_config());
    let (load_balancers, target_groups) = tokio::try_join!(
        context.call(
            &DESCRIBE_LOAD_BALANCERS,
            paginate!(client.describe_load_balancers())
        ),
        context.call(
            &DESCRIBE_TARGET_GROUPS,
            paginate!(client.describe_target_groups())
        ),
    )?;
    let load_balancers = load_balancers.unwrap_or_default();
    let target_groups = target_groups.unwrap_or_default();

    let load_balancer_arns: Vec<String> = load_balancers
        .iter()
        .filter_map(|lb| lb.load_balancer_arn().map(str::to_string))
        .collect();
    let target_group_arns: Vec<String> = target_groups
        .iter()
        .filter_map(|group| group.target_group_arn().map(str::to_string))
        .collect();

    let (listeners, health, tags) = tokio::try_join!(
        fetch_listeners(context, &client, load_balancer_arns.clone()),
        fetch_target_health(context, &client, target_group_arns.clone()),
        fetch_tags(
            context,
            &client,
            load_balancer_arns
                .into_iter()
                .chain(target_group_arns)
                .collect()
        ),
    )?;
    let listener_arns: Vec<String> = listeners
        .iter()
        .filter_map(|listener| listener.listener_arn().map(str::to_string))
        .collect();
    let rules = fetch_rules(context, &client, listener_arns).await?;

    let origin = Origin {
        account: context.account(),
        region: context.region(),
    };
    let no_tags = Tags::new();
    let tags_of = |arn: Option<&str>| arn.and_then(|arn| tags.get(arn)).unwrap_or(&no_tags);
    let mut resources = Vec::new();
    resources.extend(
        load_balancers
            .iter()
            .filter_map(|lb| load_balancer(origin, lb, tags_of(lb.load_balancer_arn()))),
    );
    resources.extend(listeners.iter().filter_map(|item| {
        let item_rules = item
            .listener_arn()
            .and_then(|arn| rules.get(arn))
            .map(Vec::as_slice)
            .unwrap_or_default();
        listener(origin, item, item_rules)
    }));
    resources.extend(target_groups.iter().filter_map(|group| {
        let arn = group.target_group_arn()?;
        target_group(
            origin,
            group,
            tags_of(Some(arn)),
            health.get(arn).map(Vec::as_slice),
        )
    }));
    Ok(resources)
}

// ---------------------------------------------------------------- fetches

/// Listeners of every load balancer.
async fn fetch_listeners(
    context: &RegionContext,
    client: &Client,
    load_balancer_arns: Vec<String>,
) -> anyhow::Result<Vec<elb::Listener>> {
    let per_load_balancer = for_each_concurrently(load_balancer_arns, |arn| {
        let (context, client) = (context.clone(), client.clone());
        async move {
            context
                .call(
                    &DESCRIBE_LISTENERS,
                    paginate!(client.describe_listeners().load_balancer_arn(&arn)),
                )
                .await
        }
    })
    .await?;
    Ok(per_load_balancer.into_iter().flatten().flatten().collect())
}

/// Rules of every listener, by listener ARN (a denied call leaves them out).
async fn fetch_rules(
    context: &RegionContext,
    client: &Client,
    listener_arns: Vec<String>,
) -> anyhow::Result<HashMap<String, Vec<elb::Rule>>> {
    let per_listener = for_each_concurrently(listener_arns, |arn| {
        let (context, client) = (context.clone(), client.clone());
        async move {
            let rules = context
                .call(
                    &DESCRIBE_RULES,
                    paginate!(client.describe_rules().listener_arn(&arn)),
                )
                .await?;
            Ok(rules.map(|rules| (arn, rules)))
        }
    })
    .await?;
    Ok(per_listener.into_iter().flatten().collect())
}

/// Target health of every target group, by target group ARN. DescribeTargetHealth
/// has no paginator: one call answers for the whole group.
async fn fetch_target_health(
    context: &RegionContext,
    client: &Client,
    target_group_arns: Vec<String>,
) -> anyhow::Result<HashMap<String, Vec<elb::TargetHealthDescription>>> {
    let per_group = for_each_concurrently(target_group_arns, |arn| {
        let (context, client) = (context.clone(), client.clone());
        async move {
            let health = context
                .call(&DESCRIBE_TARGET_HEALTH, || async {
                    client
                        .describe_target_health()
                        .target_group_arn(&arn)
                        .send()
                        .await
                        .map(|out| out.target_health_descriptions.unwrap_or_default())
                })
                .await?;
            Ok(health.map(|health| (arn, health)))
        }
    })
    .await?;
    Ok(per_group.into_iter().flatten().collect())
}

/// Tags of load balancers and target groups, by ARN, 20 ARNs per call.
async fn fetch_tags(
    context: &RegionContext,
    client: &Client,
    arns: Vec<String>,
) -> anyhow::Result<HashMap<String, Tags>> {
    let batches: Vec<Vec<String>> = arns.chunks(TAGS_PER_CALL).map(<[String]>::to_vec).collect();
    let per_batch = for_each_concurrently(batches, |batch| {
        let (context, client) = (context.clone(), client.clone());
        async move {
            context
                .call(&DESCRIBE_TAGS, || async {
                    client
                        .describe_tags()
                        .set_resource_arns(Some(batch.clone()))
                        .send()
                        .await
                        .map(|out| out.tag_descriptions.unwrap_or_default())
                })
                .await
        }
    })
    .await?;
    Ok(per_batch
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|description| {
            let arn = description.resource_arn()?.to_string();
            let tags = tag_map(
                description
                    .tags()
                    .iter()
                    .map(|tag| (tag.key(), tag.value())),
            );
            Some((arn, tags))
        })
        .collect())
}

// ---------------------------------------------------------------- transforms

pub fn load_balancer(origin: Origin, lb: &elb::LoadBalancer, tags: &Tags) -> Option<Resource> {
    let arn = lb.load_balancer_arn()?;
    let mut availability_zones: Vec<LoadBalancerZone> = lb
        .availability_zones()
        .iter()
        .map(|zone| LoadBalancerZone {
            zone_name: text(zone.zone_name()),
            subnet_id: text(zone.subnet_id()),
        })
        .collect();
    availability_zones.sort();
    Some(origin.named_resource(
        arn,
        Some(arn.to_string()),
        tags.clone(),
        lb.load_balancer_name().unwrap_or(arn),
        Detail::from(LoadBalancerAttrs {
            lb_type: text(lb.r#type().map(|t| t.as_str())),
            scheme: text(lb.scheme().map(|s| s.as_str())),
            state: text(lb.state().and_then(|s| s.code()).map(|c| c.as_str())),
            vpc_id: text(lb.vpc_id()),
            dns_name: text(lb.dns_name()),
            ip_address_type: text(lb.ip_address_type().map(|t| t.as_str())),
            availability_zones,
            security_group_ids: sorted(lb.security_groups().iter().cloned()),
            created_time: lb.created_time().and_then(crate::scan::rfc3339),
        }),
    ))
}

/// An action and every target group it forwards to (single or weighted).
fn listener_action(action: &elb::Action) -> ListenerAction {
    let forwarded = action
        .forward_config()
        .map(|config| config.target_groups())
        .unwrap_or_default()
        .iter()
        .filter_map(|tuple| tuple.target_group_arn());
    ListenerAction {
        action_type: text(action.r#type().map(|t| t.as_str())),
        target_group_arns: sorted(action.target_group_arn().into_iter().chain(forwarded)),
    }
}

fn listener_actions(actions: &[elb::Action]) -> Vec<ListenerAction> {
    let mut actions: Vec<ListenerAction> = actions.iter().map(listener_action).collect();
    actions.sort();
    actions
}

/// Numeric priorities in order; `default` (and anything unparsable) last.
fn priority_order(priority: &str) -> (u32, String) {
    (priority.parse().unwrap_or(u32::MAX), priority.to_string())
}

pub fn listener(origin: Origin, listener: &elb::Listener, rules: &[elb::Rule]) -> Option<Resource> {
    let arn = listener.listener_arn()?;
    let protocol = text(listener.protocol().map(|p| p.as_str()));
    let port = listener.port().unwrap_or(0);
    let mut rules: Vec<ListenerRule> = rules
        .iter()
        .filter(|rule| !rule.is_default().unwrap_or(false))
        .filter_map(|rule| {
            Some(ListenerRule {
                rule_arn: rule.rule_arn()?.to_string(),
                priority: text(rule.priority()),
                actions: listener_actions(rule.actions()),
            })
        })
        .collect();
    rules.sort_by(|a, b| {
        priority_order(&a.priority)
            .cmp(&priority_order(&b.priority))
            .then_with(|| a.cmp(b))
    });
    Some(origin.named_resource(
        arn,
        Some(arn.to_string()),
        Tags::new(),
        &format!("{protocol}:{port}"),
        Detail::from(ListenerAttrs {
            load_balancer_arn: text(listener.load_balancer_arn()),
            protocol,
            port,
            default_actions: listener_actions(listener.default_actions()),
            rules,
        }),
    ))
}

fn target(description: &elb::TargetHealthDescription) -> Option<Target> {
    let target = description.target()?;
    let health = description.target_health();
    Some(Target {
        id: target.id()?.to_string(),
        port: target.port(),
        availability_zone: owned(target.availability_zone()),
        health: text(health.and_then(|h| h.state()).map(|s| s.as_str())),
        reason: health
            .and_then(|h| h.reason())
            .map(|reason| reason.as_str().to_string()),
    })
}

/// A target group; `health` is `None` when DescribeTargetHealth was not answered.
pub fn target_group(
    origin: Origin,
    group: &elb::TargetGroup,
    tags: &Tags,
    health: Option<&[elb::TargetHealthDescription]>,
) -> Option<Resource> {
    let arn = group.target_group_arn()?;
    let name = text(group.target_group_name());
    let targets = health.map(|descriptions| {
        let mut targets: Vec<Target> = descriptions.iter().filter_map(target).collect();
        targets.sort_by(|a, b| (&a.id, a.port).cmp(&(&b.id, b.port)).then_with(|| a.cmp(b)));
        targets
    });
    Some(
        origin.named_resource(
            arn,
            Some(arn.to_string()),
            tags.clone(),
            if name.is_empty() { arn } else { &name },
            Detail::from(TargetGroupAttrs {
                name: name.clone(),
                protocol: group.protocol().map(|p| p.as_str().to_string()),
                port: group.port(),
                target_type: text(group.target_type().map(|t| t.as_str())),
                vpc_id: owned(group.vpc_id()),
                load_balancer_arns: sorted(group.load_balancer_arns().iter().cloned()),
                health_check_protocol: group
                    .health_check_protocol()
                    .map(|p| p.as_str().to_string()),
                health_check_path: owned(group.health_check_path()),
                targets,
            }),
        ),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scan::origin::testing::ORIGIN;

    #[test]
    fn weighted_forwards_list_every_target_group() {
        let action = elb::Action::builder()
            .r#type(elb::ActionTypeEnum::Forward)
            .forward_config(
                elb::ForwardActionConfig::builder()
                    .target_groups(
                        elb::TargetGroupTuple::builder()
                            .target_group_arn("tg-b")
                            .build(),
                    )
                    .target_groups(
                        elb::TargetGroupTuple::builder()
                            .target_group_arn("tg-a")
                            .build(),
                    )
                    .build(),
            )
            .target_group_arn("tg-a")
            .build();
        assert_eq!(
            listener_action(&action),
            ListenerAction {
                action_type: "forward".into(),
                target_group_arns: vec!["tg-a".into(), "tg-b".into()],
            }
        );
    }

    #[test]
    fn rules_are_in_priority_order_without_the_default() {
        let rule = |arn: &str, priority: &str, default: bool| {
            elb::Rule::builder()
                .rule_arn(arn)
                .priority(priority)
                .is_default(default)
                .build()
        };
        let sdk = elb::Listener::builder()
            .listener_arn("arn:listener")
            .protocol(elb::ProtocolEnum::Https)
            .port(443)
            .build();
        let rules = [
            rule("r10", "10", false),
            rule("rd", "default", true),
            rule("r2", "2", false),
        ];
        let resource = listener(ORIGIN, &sdk, &rules).unwrap();
        assert_eq!(resource.name, "HTTPS:443");
        let Some(attrs) = resource.attrs::<ListenerAttrs>().cloned() else {
            panic!("not a listener")
        };
        let order: Vec<&str> = attrs.rules.iter().map(|r| r.rule_arn.as_str()).collect();
        assert_eq!(order, ["r2", "r10"]);
    }

    #[test]
    fn targets_stay_unknown_when_health_was_not_read() {
        let group = elb::TargetGroup::builder()
            .target_group_arn("arn:tg")
            .target_group_name("app")
            .build();
        let resource = target_group(ORIGIN, &group, &Tags::new(), None).unwrap();
        assert_eq!(resource.name, "app");
        let Some(attrs) = resource.attrs::<TargetGroupAttrs>().cloned() else {
            panic!("not a target group")
        };
        assert_eq!(attrs.targets, None);
    }
}
