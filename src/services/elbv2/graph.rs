//! Load balancing's graph rules: a load balancer in its VPC, spanning the
//! zones of its subnets; target groups as relays between it and their
//! targets; the interfaces ELB creates (`ELB app/name/id`); and the
//! `forwards` (load balancer → target group, one edge per pair listing
//! every listener that forwards there, by default action or by rule) and
//! `targets` (target group → the instance, interface holder, load balancer
//! or outside IP it sends to, with the target's health) relationships.
//!
//! A target group whose health was not readable (`targets: None`) gets no
//! `targets` edges: nobody invents them. Lambda targets have no node kind;
//! they are listed in the target group's `lambda_targets` attribute.

use std::collections::BTreeMap;
use std::net::IpAddr;

use ipnet::IpNet;
use petgraph::graph::NodeIndex;
use serde_json::Value;

use super::model::*;
use super::Kind;
use crate::graph::builder::{detail_line, resource_node, scanned_attrs, spanned_subnets, vpc_node};
use crate::graph::builder::Builder;
use crate::graph::ids;
use crate::graph::rules::{Rules, vpc_key, Holding, Network, Owner, Owning, Placing, Relating, VpcKey};
use crate::graph::{Drawing, EdgeKind, Fold, Health, Tier};
use crate::services::{common_status, compute, network};
use crate::style::Status;

impl Rules for super::LoadBalancing {
    fn place(&self, cx: &mut Placing) {
        place(cx);
    }

    fn own_interfaces(&self, cx: &mut Owning) {
        own_interfaces(cx);
    }

    fn hold(&self, cx: &mut Holding) {
        hold(cx);
    }

    fn relate(&self, cx: &mut Relating) {
        relate(cx);
    }
}


pub(super) fn place(cx: &mut Placing) {
    let (inventory, builder) = (cx.inventory, &mut *cx.builder);
    for (resource, attrs) in inventory.all::<LoadBalancerAttrs>() {
        let parent = builder.parent_among(resource, &[vpc_node(resource, &attrs.vpc_id)]);
        let mut node_attrs = scanned_attrs(resource, attrs, &["state", "availability_zones"]);
        let subnet_ids: Vec<String> = attrs
            .availability_zones
            .iter()
            .map(|z| z.subnet_id.clone())
            .collect();
        let mut span = spanned_subnets(inventory, resource, &subnet_ids, &mut node_attrs);
        let mut zones: Vec<&str> = attrs
            .availability_zones
            .iter()
            .map(|z| z.zone_name.as_str())
            .collect();
        zones.sort_unstable();
        zones.dedup();
        node_attrs.insert("availability_zones".into(), Value::from(zones.clone()));
        span.zones = zones.into_iter().map(str::to_string).collect();
        let id = ids::elb(
            Kind::LoadBalancer,
            &resource.account,
            &resource.region,
            &resource.id,
        );
        let lb_type = match attrs.lb_type.as_str() {
            "application" => "ALB",
            "network" => "NLB",
            "gateway" => "GWLB",
            _ => "load balancer",
        };
        let drawing = Drawing {
            detail: detail_line(&[Some(lb_type), Some(&attrs.scheme)]),
            status: common_status(&attrs.state),
            span,
            tier: Some(if attrs.scheme == "internal" {
                Tier::Private
            } else {
                Tier::Public
            }),
            ..Drawing::default()
        };
        let mut node = resource_node(
            resource,
            Kind::LoadBalancer,
            id,
            parent,
            Some(&attrs.state),
            node_attrs,
            drawing,
        );
        if resource.name == resource.id {
            // No Name tag: the load balancer's name (`app/<name>/<id>`) reads better than its ARN.
            let part = ids::elb_resource_part(&resource.id);
            node.name = part.split('/').nth(1).unwrap_or(part).to_string();
        }
        builder.add_resource(resource, node);
    }
    for (resource, attrs) in inventory.all::<TargetGroupAttrs>() {
        let vpc = attrs.vpc_id.as_deref().and_then(|id| vpc_node(resource, id));
        let parent = builder.parent_among(resource, &[vpc]);
        let mut node_attrs = scanned_attrs(resource, attrs, &["targets"]);
        if let Some(targets) = &attrs.targets {
            node_attrs.insert("target_count".into(), Value::from(targets.len()));
            if attrs.target_type == "lambda" {
                let functions: Vec<&str> = targets.iter().map(|t| t.id.as_str()).collect();
                node_attrs.insert("lambda_targets".into(), Value::from(functions));
            }
        }
        let id = ids::elb(
            Kind::TargetGroup,
            &resource.account,
            &resource.region,
            &resource.id,
        );
        // Plumbing between a load balancer and its targets, not a tile.
        let drawing = Drawing {
            fold: Fold::Relay,
            ..Drawing::default()
        };
        let mut node = resource_node(
            resource,
            Kind::TargetGroup,
            id,
            parent,
            None,
            node_attrs,
            drawing,
        );
        if resource.name == resource.id && !attrs.name.is_empty() {
            node.name = attrs.name.clone();
        }
        builder.add_resource(resource, node);
    }
}

/// ELB describes the interfaces it creates as `ELB app/<name>/<id>`.
pub(super) fn own_interfaces(cx: &mut Owning) {
    for (interface, attrs) in cx.inventory.all::<network::NetworkInterfaceAttrs>() {
        let Some(suffix) = attrs.description.strip_prefix("ELB ") else {
            continue;
        };
        let id = ids::scoped(
            Kind::LoadBalancer,
            &interface.account,
            &interface.region,
            suffix,
        );
        if let Some(ix) = cx.builder.node_ix(&id) {
            cx.owners.claim(interface, &interface.id, Owner::Node(ix));
        }
    }
}

pub(super) fn hold(cx: &mut Holding) {
    for (lb, attrs) in cx.inventory.all::<LoadBalancerAttrs>() {
        let ix = cx
            .builder
            .resource_ix(Kind::LoadBalancer, &lb.account, &lb.region, &lb.id);
        cx.holdings
            .hold(ix, &attrs.security_group_ids, &[], vpc_key(lb, &attrs.vpc_id));
    }
}

pub(super) fn relate(cx: &mut Relating) {
    let (inventory, network) = (cx.inventory, cx.network);
    let builder = &mut *cx.builder;
    for (listener, attrs) in inventory.all::<ListenerAttrs>() {
        let (account, region) = (&listener.account, &listener.region);
        let Some(balancer) =
            builder.resource_ix(Kind::LoadBalancer, account, region, &attrs.load_balancer_arn)
        else {
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
                if let Some(group) = builder.resource_ix(Kind::TargetGroup, account, region, group_arn)
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

    for (group, attrs) in inventory.all::<TargetGroupAttrs>() {
        let (account, region) = (&group.account, &group.region);
        let (Some(group_ix), Some(targets)) = (
            builder.resource_ix(Kind::TargetGroup, account, region, &group.id),
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
                "instance" => builder.resource_ix(compute::Kind::Instance, account, region, &target.id),
                "alb" => builder.resource_ix(Kind::LoadBalancer, account, region, &target.id),
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
            let health = Health {
                word: worst.health.clone(),
                status: target_status(&worst.health),
            };
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
                builder.relate_with_health(
                    group_ix,
                    target_ix,
                    EdgeKind::Targets,
                    &label,
                    &evidence,
                    edge_attrs.clone(),
                    health.clone(),
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
    Some(builder.ensure_cidr(ids::cidr(&range), ip, attrs))
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

/// What a target health word means for a reader.
fn target_status(health: &str) -> Status {
    match health {
        "healthy" => Status::Normal,
        "unhealthy" | "unavailable" => Status::Unhealthy,
        "unused" => Status::Stopped,
        "initial" | "draining" => Status::Pending,
        other => common_status(other),
    }
}
