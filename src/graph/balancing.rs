//! Load balancing: `forwards` (load balancer → target group, one edge per
//! pair listing every listener that forwards there, by default action or by
//! rule) and `targets` (target group → the instance, interface holder,
//! load balancer or outside IP it sends to, with the target's `health`).
//!
//! A target group whose health was not readable (`targets: None`) gets no
//! `targets` edges: nobody invents them. Lambda targets have no node kind;
//! they are listed in the target group's `lambda_targets` attribute.

use std::collections::BTreeMap;
use std::net::IpAddr;

use ipnet::IpNet;
use petgraph::graph::NodeIndex;
use serde_json::Value;

use super::build::Builder;
use super::ids;
use super::inventory::Inventory;
use super::network::{Network, VpcKey};
use crate::graph::{EdgeKind, NodeKind};
use crate::snapshot::{ResourceKind, Target};

pub(crate) fn add_forwards_and_targets(
    inventory: &Inventory,
    network: &Network,
    builder: &mut Builder,
) {
    for (listener, attrs) in inventory.listeners() {
        let (account, region) = (&listener.account, &listener.region);
        let Some(balancer) = builder.resource_ix(
            ResourceKind::LoadBalancer,
            account,
            region,
            &attrs.load_balancer_arn,
        ) else {
            continue;
        };
        let label = format!("{}:{}", attrs.protocol, attrs.port);
        let by_default = attrs
            .default_actions
            .iter()
            .map(|action| (action, listener.id.as_str()));
        let by_rule = attrs.rules.iter().flat_map(|rule| {
            rule.actions
                .iter()
                .map(move |action| (action, rule.rule_arn.as_str()))
        });
        for (action, evidence) in by_default.chain(by_rule) {
            for group_arn in &action.target_group_arns {
                if let Some(group) =
                    builder.resource_ix(ResourceKind::TargetGroup, account, region, group_arn)
                {
                    builder.relate(
                        balancer,
                        group,
                        EdgeKind::Forwards,
                        &label,
                        evidence,
                        BTreeMap::new(),
                    );
                }
            }
        }
    }

    for (group, attrs) in inventory.target_groups() {
        let (account, region) = (&group.account, &group.region);
        let (Some(group_ix), Some(targets)) = (
            builder.resource_ix(ResourceKind::TargetGroup, account, region, &group.id),
            &attrs.targets,
        ) else {
            continue;
        };
        let vpcs: Vec<VpcKey> = attrs
            .vpc_id
            .as_ref()
            .map(|vpc| network.connected(&(account.clone(), region.clone(), vpc.clone())))
            .unwrap_or_default();
        // Several registrations of one target (different ports) are one edge
        // whose health is the worst of them.
        let mut by_target: BTreeMap<NodeIndex, Vec<&Target>> = BTreeMap::new();
        for target in targets {
            let resolved = match attrs.target_type.as_str() {
                "instance" => {
                    builder.resource_ix(ResourceKind::Ec2Instance, account, region, &target.id)
                }
                "alb" => {
                    builder.resource_ix(ResourceKind::LoadBalancer, account, region, &target.id)
                }
                "ip" => resolve_ip(network, builder, &vpcs, &target.id),
                _ => None,
            };
            if let Some(ix) = resolved {
                by_target.entry(ix).or_default().push(target);
            }
        }
        for (target_ix, registrations) in by_target {
            let Some(worst) = registrations
                .iter()
                .min_by_key(|t| (health_rank(&t.health), t.port))
            else {
                continue;
            };
            let mut edge_attrs = BTreeMap::new();
            edge_attrs.insert("health".to_string(), Value::from(worst.health.as_str()));
            if let Some(reason) = &worst.reason {
                edge_attrs.insert("reason".to_string(), Value::from(reason.as_str()));
            }
            for target in registrations {
                let label = match (target.port.or(attrs.port), &attrs.protocol) {
                    (Some(port), Some(protocol)) => format!("{protocol}:{port}"),
                    (Some(port), None) => port.to_string(),
                    (None, _) => String::new(),
                };
                let evidence = match target.port {
                    Some(port) => format!("{}:{port}", target.id),
                    None => target.id.clone(),
                };
                builder.relate(
                    group_ix,
                    target_ix,
                    EdgeKind::Targets,
                    &label,
                    &evidence,
                    edge_attrs.clone(),
                );
            }
        }
    }
}

/// The node holding an IP target in the group's VPC (or one joined to it),
/// else an outside `cidr` node for that single address.
fn resolve_ip(
    network: &Network,
    builder: &mut Builder,
    vpcs: &[VpcKey],
    ip: &str,
) -> Option<NodeIndex> {
    let address: IpAddr = ip.parse().ok()?;
    let host = IpNet::from(address);
    if let Some(&holder) = network.holders_in(vpcs, &host).first() {
        return Some(holder);
    }
    let range = host.to_string();
    let mut attrs = BTreeMap::new();
    attrs.insert("cidr".to_string(), Value::from(range.as_str()));
    Some(builder.ensure_outside(ids::cidr(&range), NodeKind::Cidr, ip, attrs))
}

/// Worst first, so the edge shows the problem when registrations disagree.
fn health_rank(health: &str) -> u8 {
    match health {
        "unhealthy" => 0,
        "unavailable" => 1,
        "healthy" => 6,
        "unused" => 4,
        "initial" => 5,
        "draining" => 3,
        _ => 2,
    }
}
