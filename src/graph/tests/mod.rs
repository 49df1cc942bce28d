//! Unit tests of the inference rules, on small estates written in the
//! snapshot's raw shape (`kind`, `id`, `attrs` as JSON, defaults filled in),
//! asserting exact nodes and exact `(from, to, kind, label)` edge sets.

mod containment;
mod determinism;
mod links;
mod load_balancing;
mod reachability;
mod robustness;
mod routing;
mod scale;

use std::collections::BTreeSet;

use serde_json::{json, Value};

use crate::graph::{build, EdgeKind, Graph, Node};
use crate::snapshot::*;

pub const ACCOUNT: &str = "111111111111";
pub const REGION: &str = "eu-west-1";

/// An estate under construction: resources are added in the current account
/// and region (`at` switches), with every attribute the test does not name
/// left at its default.
#[derive(Clone)]
pub struct Estate {
    account: String,
    region: String,
    resources: Vec<Value>,
}

impl Estate {
    pub fn new() -> Estate {
        Estate {
            account: ACCOUNT.to_string(),
            region: REGION.to_string(),
            resources: Vec::new(),
        }
    }

    /// Add the following resources to another account and region.
    pub fn at(mut self, account: &str, region: &str) -> Estate {
        self.account = account.to_string();
        self.region = region.to_string();
        self
    }

    /// A resource of `kind` (`"subnet"`, `"ec2-instance"`, …) with these attrs
    /// over the kind's defaults; `name` defaults to the id.
    pub fn add(mut self, kind: &str, id: &str, attrs: Value) -> Estate {
        let mut full = default_attrs(kind);
        if let (Value::Object(full), Value::Object(given)) = (&mut full, attrs) {
            full.extend(given);
        }
        self.resources.push(json!({
            "id": id,
            "account": self.account,
            "region": self.region,
            "name": id,
            "kind": kind,
            "attrs": full,
        }));
        self
    }

    pub fn vpc(self, id: &str, cidr: &str) -> Estate {
        self.add(
            "vpc",
            id,
            json!({"cidr_block": cidr, "cidr_blocks": [cidr], "state": "available"}),
        )
    }

    pub fn subnet(self, id: &str, vpc: &str, cidr: &str, zone: &str) -> Estate {
        self.add(
            "subnet",
            id,
            json!({"vpc_id": vpc, "cidr_block": cidr, "availability_zone": zone, "state": "available"}),
        )
    }

    /// A running instance in a subnet (its VPC and zone read from the subnet).
    pub fn instance(self, id: &str, subnet: &str, ip: &str, groups: &[&str]) -> Estate {
        let (vpc, zone) = self.subnet_place(subnet);
        self.add(
            "ec2-instance",
            id,
            json!({
                "state": "running", "instance_type": "t3.micro", "availability_zone": zone,
                "vpc_id": vpc, "subnet_id": subnet, "private_ip": ip, "private_ips": [ip],
                "security_group_ids": groups, "platform": "linux",
            }),
        )
    }

    /// A security group with raw ingress rules.
    pub fn group(self, id: &str, vpc: &str, ingress: Value) -> Estate {
        self.add(
            "security-group",
            id,
            json!({"vpc_id": vpc, "group_name": id, "ingress": ingress, "egress": []}),
        )
    }

    fn subnet_place(&self, subnet: &str) -> (String, String) {
        let found = self
            .resources
            .iter()
            .find(|r| {
                r["kind"] == "subnet" && r["id"] == subnet && r["account"] == self.account.as_str()
            })
            .unwrap_or_else(|| panic!("add subnet {subnet} before what sits in it"));
        let text = |key: &str| found["attrs"][key].as_str().unwrap_or_default().to_string();
        (text("vpc_id"), text("availability_zone"))
    }

    /// This estate's resources followed by another's.
    pub fn and(mut self, other: Estate) -> Estate {
        self.resources.extend(other.resources);
        self
    }

    pub fn len(&self) -> usize {
        self.resources.len()
    }

    /// Only the resources whose flag is set (missing flags keep the resource).
    pub fn keep(mut self, flags: &[bool]) -> Estate {
        let mut index = 0;
        self.resources.retain(|_| {
            index += 1;
            flags.get(index - 1).copied().unwrap_or(true)
        });
        self
    }

    pub fn snapshot(&self) -> Snapshot {
        let accounts: BTreeSet<&str> = self
            .resources
            .iter()
            .filter_map(|r| r["account"].as_str())
            .collect();
        let regions: BTreeSet<&str> = self
            .resources
            .iter()
            .filter_map(|r| r["region"].as_str())
            .collect();
        let value = json!({
            "schema": SCHEMA,
            "scan": {
                "tool_version": "strata 0.1.0",
                "started_at": "2026-01-01T00:00:00Z",
                "finished_at": "2026-01-01T00:00:05Z",
                "accounts": accounts.iter().map(|a| json!({"id": a, "name": format!("acct-{a}")})).collect::<Vec<_>>(),
                "regions": regions,
                "services": ["ec2", "elasticloadbalancing", "rds"],
            },
            "resources": self.resources,
        });
        let mut snapshot: Snapshot =
            serde_json::from_value(value).expect("fixture is a valid snapshot");
        snapshot.normalize();
        snapshot
    }

    pub fn graph(&self) -> Graph {
        build(&self.snapshot())
    }
}

/// The attrs of a kind's default detail, as the raw JSON the fixtures extend.
fn default_attrs(kind: &str) -> Value {
    let kind: ResourceKind =
        serde_json::from_value(json!(kind)).unwrap_or_else(|_| panic!("unknown kind {kind}"));
    let detail = Detail::default_for(kind);
    serde_json::to_value(detail.attrs()).expect("details serialize")
}

pub type EdgeTuple = (String, String, String, String);

/// Node ids in the default account and region shortened to the resource id
/// (`ec2-instance:111111111111:eu-west-1:i-1` → `i-1`), so edge sets stay
/// readable; other ids are kept whole.
pub fn short(id: &str) -> String {
    let mut parts = id.splitn(4, ':');
    match (parts.next(), parts.next(), parts.next(), parts.next()) {
        (Some(_), Some(ACCOUNT), Some(REGION), Some(rest)) => rest.to_string(),
        _ => id.to_string(),
    }
}

/// Every edge of these kinds as `(from, to, kind, label)` with short ids.
pub fn edges(graph: &Graph, kinds: &[EdgeKind]) -> BTreeSet<EdgeTuple> {
    graph
        .edges()
        .into_iter()
        .filter(|(_, _, edge)| kinds.contains(&edge.kind))
        .map(|(from, to, edge)| {
            (
                short(&from.id),
                short(&to.id),
                edge.kind.to_string(),
                edge.label.clone(),
            )
        })
        .collect()
}

pub fn set(tuples: &[(&str, &str, &str, &str)]) -> BTreeSet<EdgeTuple> {
    tuples
        .iter()
        .map(|(a, b, c, d)| (a.to_string(), b.to_string(), c.to_string(), d.to_string()))
        .collect()
}

/// The edge between two nodes (short ids) of one kind.
pub fn edge<'g>(graph: &'g Graph, from: &str, to: &str, kind: EdgeKind) -> &'g crate::graph::Edge {
    graph
        .edges()
        .into_iter()
        .find(|(a, b, edge)| short(&a.id) == from && short(&b.id) == to && edge.kind == kind)
        .map(|(_, _, edge)| edge)
        .unwrap_or_else(|| panic!("no {kind} edge {from} -> {to}"))
}

/// A node by its id in the default account and region: `node(&g, "subnet", "subnet-a")`.
pub fn node<'g>(graph: &'g Graph, kind: &str, id: &str) -> &'g Node {
    let full = format!("{kind}:{ACCOUNT}:{REGION}:{id}");
    graph
        .node(&full)
        .unwrap_or_else(|| panic!("no node {full}"))
}

pub fn full(kind: &str, id: &str) -> String {
    format!("{kind}:{ACCOUNT}:{REGION}:{id}")
}

/// A one-rule ingress list.
pub fn rule(protocol: &str, ports: Option<(i32, i32)>, peer: Value) -> Value {
    let mut rule = json!({"protocol": protocol, "peer": peer, "description": ""});
    if let Some((from, to)) = ports {
        rule["from_port"] = json!(from);
        rule["to_port"] = json!(to);
    }
    rule
}

pub fn from_group(group: &str) -> Value {
    json!({"type": "group", "group_id": group})
}

pub fn from_cidr(cidr: &str) -> Value {
    if cidr.contains(':') {
        json!({"type": "ipv6-cidr", "cidr": cidr})
    } else {
        json!({"type": "cidr", "cidr": cidr})
    }
}

/// A two-subnet VPC (public a, private b) used by many tests.
pub fn base() -> Estate {
    Estate::new()
        .vpc("vpc-1", "10.0.0.0/16")
        .subnet("subnet-a", "vpc-1", "10.0.1.0/24", "eu-west-1a")
        .subnet("subnet-b", "vpc-1", "10.0.2.0/24", "eu-west-1b")
}
