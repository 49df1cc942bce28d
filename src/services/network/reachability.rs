//! `allows` edges: who may open connections to whom, read from security
//! group ingress rules. Egress rules are not drawn (they rarely restrict
//! anything in practice and would double every edge). The edges say what the
//! groups permit, not whether routing delivers it.
//!
//! For a group G with members M (see `network`), each ingress rule of G
//! yields edges source → m for every m in M:
//! - a group reference: sources are the referenced group's members (in this
//!   VPC or a peered one); a group referencing itself links its members;
//! - `0.0.0.0/0` or `::/0`: the one `internet` node;
//! - another CIDR: every node whose private IP lies in it, in G's VPC and the
//!   VPCs joined to it; plus a `cidr` node named by the range when the range
//!   is not inside one of those VPCs' CIDRs (an office, a partner, on-prem);
//! - a prefix list: a `cidr` node named by the prefix list id.
//!
//! Cost: members are indexed by group and IPs sorted per VPC, so the pass is
//! linear in rules plus the edges it produces, never rules × resources.

use std::collections::BTreeMap;

use ipnet::IpNet;
use petgraph::graph::NodeIndex;
use serde_json::Value;

use super::model::*;
use crate::graph::builder::Builder;
use crate::graph::ids;
use crate::graph::inventory::Inventory;
use crate::graph::rules::{Network, VpcKey};
use crate::graph::EdgeKind;

pub(crate) fn add_allows(inventory: &Inventory, network: &Network, builder: &mut Builder) {
    for (group, attrs) in inventory.all::<SecurityGroupAttrs>() {
        let destinations = network.members(&group.id);
        if destinations.is_empty() || attrs.ingress.is_empty() {
            continue;
        }
        let vpc: VpcKey = (
            group.account.clone(),
            group.region.clone(),
            attrs.vpc_id.clone(),
        );
        let reachable_vpcs = network.connected(&vpc);
        for rule in &attrs.ingress {
            let label = rule_label(rule);
            let evidence = rule.rule_id.clone().unwrap_or_else(|| {
                format!("{}:ingress:{label}:{}", group.id, peer_name(&rule.peer))
            });
            let sources = rule_sources(network, builder, &reachable_vpcs, &rule.peer);
            for &source in &sources {
                for &destination in destinations {
                    builder.relate(
                        source,
                        destination,
                        EdgeKind::Allows,
                        &label,
                        &evidence,
                        BTreeMap::new(),
                    );
                }
            }
        }
    }
}

fn rule_sources(
    network: &Network,
    builder: &mut Builder,
    reachable_vpcs: &[VpcKey],
    peer: &RulePeer,
) -> Vec<NodeIndex> {
    match peer {
        RulePeer::Group { group_id, .. } => network.members(group_id).to_vec(),
        RulePeer::Cidr { cidr } | RulePeer::Ipv6Cidr { cidr } => {
            let Ok(range) = cidr.parse::<IpNet>() else {
                // Unparsable: still show that the rule exists.
                return vec![outside_range(builder, cidr)];
            };
            let range = range.trunc();
            if range.prefix_len() == 0 {
                return vec![builder.ensure_internet()];
            }
            let mut sources = network.holders_in(reachable_vpcs, &range);
            if !network.inside_vpcs(reachable_vpcs, &range) {
                sources.push(outside_range(builder, &range.to_string()));
            }
            sources
        }
        RulePeer::PrefixList { prefix_list_id } => {
            let mut attrs = BTreeMap::new();
            attrs.insert(
                "prefix_list_id".to_string(),
                Value::from(prefix_list_id.as_str()),
            );
            vec![builder.ensure_cidr(ids::cidr(prefix_list_id), prefix_list_id, attrs)]
        }
    }
}

fn outside_range(builder: &mut Builder, range: &str) -> NodeIndex {
    let mut attrs = BTreeMap::new();
    attrs.insert("cidr".to_string(), Value::from(range));
    builder.ensure_cidr(ids::cidr(range), range, attrs)
}

fn peer_name(peer: &RulePeer) -> &str {
    match peer {
        RulePeer::Cidr { cidr } | RulePeer::Ipv6Cidr { cidr } => cidr,
        RulePeer::PrefixList { prefix_list_id } => prefix_list_id,
        RulePeer::Group { group_id, .. } => group_id,
    }
}

/// `tcp/5432`, `tcp/8000-8080`, `udp/53`, `icmp/8`, `all` (protocol -1).
pub(crate) fn rule_label(rule: &SecurityGroupRule) -> String {
    let protocol = match rule.protocol.as_str() {
        "-1" | "all" => return "all".to_string(),
        "6" => "tcp",
        "17" => "udp",
        "1" => "icmp",
        "58" => "icmpv6",
        other => other,
    };
    let (from, to) = (rule.from_port, rule.to_port);
    if protocol == "icmp" || protocol == "icmpv6" {
        // For ICMP the "ports" are the type and code; -1 means any.
        return match (from.filter(|t| *t >= 0), to.filter(|c| *c >= 0)) {
            (None, _) => format!("{protocol}/all"),
            (Some(kind), None) => format!("{protocol}/{kind}"),
            (Some(kind), Some(code)) => format!("{protocol}/{kind}:{code}"),
        };
    }
    match (from, to) {
        (Some(from), Some(to)) if from >= 0 && from == to => format!("{protocol}/{from}"),
        (Some(from), Some(to)) if from >= 0 && to >= 0 => format!("{protocol}/{from}-{to}"),
        _ => format!("{protocol}/all"),
    }
}
