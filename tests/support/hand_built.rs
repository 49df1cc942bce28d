//! Hand-built graphs resolved the way `graph::build` resolves scanned ones:
//! drawing and layout tests build nodes with the JSON attributes a scan
//! would give them, and this fills in the typed [`Drawing`] of every node
//! and the health of every edge from those attributes. Test support only:
//! the library never reads attributes to draw.

use std::collections::HashMap;

use strata::graph::{Drawing, Fold, Graph, Health, Mention, Node, NodeKind, Span, Tier};
use strata::services::common_status;
use strata::style::Status;

fn text(node: &Node, key: &str) -> Option<String> {
    match node.attrs.get(key)? {
        serde_json::Value::String(text) if !text.is_empty() => Some(text.clone()),
        serde_json::Value::Number(number) => Some(number.to_string()),
        _ => None,
    }
}

fn strings(node: &Node, key: &str) -> Vec<String> {
    match node.attrs.get(key) {
        Some(serde_json::Value::Array(items)) => items
            .iter()
            .filter_map(|item| item.as_str().map(str::to_string))
            .collect(),
        _ => Vec::new(),
    }
}

fn join(parts: &[Option<String>]) -> String {
    parts
        .iter()
        .flatten()
        .filter(|part| !part.is_empty())
        .cloned()
        .collect::<Vec<_>>()
        .join(" · ")
}

fn tier(name: Option<String>) -> Option<Tier> {
    match name.as_deref() {
        Some("public") => Some(Tier::Public),
        Some("private") => Some(Tier::Private),
        Some("isolated") => Some(Tier::Isolated),
        _ => None,
    }
}

fn detail(node: &Node) -> String {
    let a = |key: &str| text(node, key);
    match node.kind.as_str() {
        "vpc" | "subnet" => a("cidr").unwrap_or_default(),
        "ec2-instance" => join(&[a("instance_type"), a("private_ip")]),
        "nat-gateway" => join(&[Some("NAT gateway".into()), a("public_ip")]),
        "egress-only-internet-gateway" => "egress-only gateway".into(),
        "vpc-endpoint" => {
            let service =
                a("service_name").map(|s| s.rsplit('.').next().unwrap_or_default().to_string());
            join(&[service, a("endpoint_type").or(Some("endpoint".into()))])
        }
        "vpc-peering-connection" => "peering connection".into(),
        "load-balancer" => join(&[
            Some(
                match a("lb_type").as_deref() {
                    Some("application") => "ALB",
                    Some("network") => "NLB",
                    Some("gateway") => "GWLB",
                    _ => "load balancer",
                }
                .to_string(),
            ),
            a("scheme"),
        ]),
        "rds-instance" => join(&[a("db_instance_class"), a("engine")]),
        "rds-cluster" => join(&[Some("cluster".into()), a("engine")]),
        "network-interface" => join(&[
            a("interface_type").or(Some("interface".into())),
            a("private_ip"),
        ]),
        "internet" => "0.0.0.0/0 · ::/0".into(),
        "cidr" => "outside CIDR".into(),
        _ => String::new(),
    }
}

/// What a target health word means, as the load-balancing service says.
fn target_status(health: &str) -> Status {
    match health {
        "healthy" => Status::Normal,
        "unhealthy" | "unavailable" => Status::Unhealthy,
        "unused" => Status::Stopped,
        "initial" | "draining" => Status::Pending,
        other => common_status(other),
    }
}

/// Fill in every node's drawing and every edge's health from attributes.
pub fn resolve(graph: &mut Graph) {
    let instances: HashMap<String, String> = graph
        .graph
        .node_weights()
        .filter(|n| n.kind.as_str() == "ec2-instance")
        .map(|n| (n.resource_id.clone().unwrap_or_default(), n.id.clone()))
        .collect();
    let interfaces: HashMap<String, String> = graph
        .graph
        .node_weights()
        .filter(|n| n.kind.as_str() == "network-interface")
        .map(|n| (n.resource_id.clone().unwrap_or_default(), n.id.clone()))
        .collect();
    let mut attached: HashMap<String, String> = HashMap::new();
    let mut members: HashMap<String, Vec<String>> = HashMap::new();
    for edge in graph.graph.edge_indices() {
        let (from, to) = graph.graph.edge_endpoints(edge).unwrap();
        let (from, to) = (&graph.graph[from], &graph.graph[to]);
        match (
            from.kind.as_str(),
            to.kind.as_str(),
            graph.graph[edge].kind.as_str(),
        ) {
            ("ebs-volume", "ec2-instance", "attaches") => {
                attached.entry(from.id.clone()).or_insert(to.id.clone());
            }
            (_, "rds-cluster", "member") => {
                members
                    .entry(to.id.clone())
                    .or_default()
                    .push(from.id.clone());
            }
            _ => {}
        }
    }
    let tiers: HashMap<String, Option<Tier>> = graph
        .graph
        .node_weights()
        .filter(|n| n.kind == NodeKind::SUBNET)
        .map(|n| (n.id.clone(), tier(text(n, "tier"))))
        .collect();
    for ix in graph.graph.node_indices().collect::<Vec<_>>() {
        let node = &graph.graph[ix];
        let a = |key: &str| text(node, key);
        let instance = |key: &str| a(key).and_then(|id| instances.get(&id).cloned());
        let fold = match node.kind.as_str() {
            "security-group" => Fold::Hidden,
            "target-group" => Fold::Relay,
            "network-interface" => match instance("attached_instance_id") {
                Some(host) => Fold::Into {
                    host,
                    mention: None,
                },
                None if node
                    .attrs
                    .get("requester_managed")
                    .and_then(|v| v.as_bool())
                    == Some(true) =>
                {
                    Fold::Hidden
                }
                None => Fold::Own,
            },
            "ebs-volume" => {
                let by_attr = match node.attrs.get("attachments") {
                    Some(serde_json::Value::Array(list)) => list
                        .iter()
                        .filter_map(|a| a.get("instance_id").and_then(|v| v.as_str()))
                        .find_map(|id| instances.get(id).cloned()),
                    _ => None,
                };
                match by_attr.or_else(|| attached.get(&node.id).cloned()) {
                    Some(host) => Fold::Into {
                        host,
                        mention: Some(Mention::Counted("vol")),
                    },
                    None => Fold::Unattached,
                }
            }
            "elastic-ip" => {
                let host = instance("instance_id").or_else(|| {
                    a("network_interface_id").and_then(|id| interfaces.get(&id).cloned())
                });
                let associated = node
                    .attrs
                    .get("association_id")
                    .is_some_and(|v| !v.is_null())
                    || node.status.as_deref() == Some("associated");
                match host {
                    Some(host) => Fold::Into {
                        host,
                        mention: a("public_ip").map(|ip| Mention::Shown(format!("EIP {ip}"))),
                    },
                    None if associated => Fold::Hidden,
                    None => Fold::Unattached,
                }
            }
            _ => Fold::Own,
        };
        let lane_tier = match node.kind.as_str() {
            "load-balancer" => Some(if a("scheme").as_deref() == Some("internal") {
                Tier::Private
            } else {
                Tier::Public
            }),
            "rds-cluster" => {
                let mut counts: std::collections::BTreeMap<Tier, usize> = Default::default();
                for member in members.get(&node.id).into_iter().flatten() {
                    let parent = graph.node(member).and_then(|m| m.parent.clone());
                    if let Some(Some(tier)) = parent.and_then(|p| tiers.get(&p).copied()) {
                        *counts.entry(tier).or_default() += 1;
                    }
                }
                Some(
                    counts
                        .iter()
                        .max_by(|x, y| x.1.cmp(y.1).then(y.0.cmp(x.0)))
                        .map_or(Tier::Isolated, |(tier, _)| *tier),
                )
            }
            _ => None,
        };
        let multi_az = node.attrs.get("multi_az").and_then(|v| v.as_bool()) == Some(true);
        let drawing = Drawing {
            detail: detail(node),
            status: node
                .status
                .as_deref()
                .map(common_status)
                .unwrap_or_default(),
            fold,
            tier: if node.kind == NodeKind::SUBNET {
                tier(a("tier"))
            } else {
                lane_tier
            },
            zone: a("zone").or_else(|| a("availability_zone")),
            span: Span {
                subnets: strings(node, "subnets"),
                zones: strings(node, "availability_zones"),
            },
            standby_zone: a("secondary_availability_zone").filter(|_| multi_az),
            default_vpc: node.attrs.get("is_default") == Some(&serde_json::Value::Bool(true)),
        };
        graph.graph[ix].drawing = drawing;
    }
    for edge in graph.graph.edge_weights_mut() {
        edge.health = edge
            .attrs
            .get("health")
            .and_then(|h| h.as_str())
            .map(|word| Health {
                word: word.to_string(),
                status: target_status(word),
            });
    }
}
