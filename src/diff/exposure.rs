//! Which changes of a [`Diff`] are security-relevant, defined in one place:
//! [`Rule`] lists them, [`find`] applies them. Each rule reads what the
//! diff already found (added and relabelled edges, changed attributes) and
//! the graphs only to name nodes; it owns no comparison of its own.
//!
//! The rules: a new `allows` edge from the Internet node (every rule open to
//! `0.0.0.0/0` or `::/0` comes from it), an `allows` edge from the Internet
//! whose label gained ports, and the attributes in [`FLAGS`] turning risky
//! (a load balancer internet-facing, a database publicly accessible,
//! encryption removed).

use serde_json::Value;

use super::{Diff, EdgeSummary, Relabel};
use crate::graph::{EdgeKind, Graph, NodeKind};

/// One security-relevant change.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Exposure {
    pub rule: Rule,
    /// The node exposed.
    pub node: String,
    /// Its name in the new graph.
    pub name: String,
    /// What changed, in words: `open to the Internet on tcp/22`.
    pub detail: String,
}

/// Why a change is security-relevant.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Rule {
    /// A new `allows` edge from the Internet.
    InternetPath,
    /// An `allows` edge from the Internet now admits ports it did not.
    WidenedPorts,
    /// An attribute of [`FLAGS`] turned risky.
    Flag(&'static Flag),
}

impl Rule {
    /// The rule's name in the JSON and the Markdown.
    pub fn as_str(self) -> &'static str {
        match self {
            Rule::InternetPath => "internet-path",
            Rule::WidenedPorts => "widened-ports",
            Rule::Flag(flag) => flag.rule,
        }
    }
}

/// An attribute whose value makes a resource exposed or unprotected.
#[derive(Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Flag {
    /// The rule's name: `public-load-balancer`.
    pub rule: &'static str,
    /// The `attrs` key (every kind that has it means the same by it).
    pub attr: &'static str,
    /// The value that is risky.
    pub risky: Risky,
    /// What it means, in words.
    pub says: &'static str,
    /// Whether a new resource that has it counts too: a new public load
    /// balancer is new exposure; a new unencrypted volume removed nothing.
    pub on_added: bool,
}

/// A risky attribute value.
#[derive(Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Risky {
    Text(&'static str),
    Bool(bool),
}

impl Risky {
    fn matches(&self, value: Option<&Value>) -> bool {
        match (self, value) {
            (Risky::Text(text), Some(Value::String(value))) => value == text,
            (Risky::Bool(flag), Some(Value::Bool(value))) => value == flag,
            _ => false,
        }
    }
}

/// The risky attributes strata scans. Deletion protection and bucket
/// policies are not scanned yet, so they are not here.
pub const FLAGS: &[Flag] = &[
    Flag {
        rule: "public-load-balancer",
        attr: "scheme",
        risky: Risky::Text("internet-facing"),
        says: "load balancer is internet-facing",
        on_added: true,
    },
    Flag {
        rule: "public-database",
        attr: "publicly_accessible",
        risky: Risky::Bool(true),
        says: "database is publicly accessible",
        on_added: true,
    },
    Flag {
        rule: "storage-encryption-removed",
        attr: "storage_encrypted",
        risky: Risky::Bool(false),
        says: "storage encryption removed",
        on_added: false,
    },
    Flag {
        rule: "volume-encryption-removed",
        attr: "encrypted",
        risky: Risky::Bool(false),
        says: "volume encryption removed",
        on_added: false,
    },
    Flag {
        rule: "at-rest-encryption-removed",
        attr: "at_rest_encryption",
        risky: Risky::Bool(false),
        says: "at-rest encryption removed",
        on_added: false,
    },
    Flag {
        rule: "transit-encryption-removed",
        attr: "transit_encryption",
        risky: Risky::Bool(false),
        says: "in-transit encryption removed",
        on_added: false,
    },
];

/// The security-relevant changes of `diff` (computed from `old` and `new`),
/// sorted by rule, node and detail.
pub fn find(diff: &Diff, old: &Graph, new: &Graph) -> Vec<Exposure> {
    let name = |id: &str| {
        new.node(id)
            .or_else(|| old.node(id))
            .map_or_else(|| id.to_string(), |node| node.name.clone())
    };
    let from_internet = |from: &str| {
        new.node(from)
            .is_some_and(|node| node.kind == NodeKind::Internet)
    };
    let mut found = Vec::new();
    for EdgeSummary {
        from,
        to,
        kind,
        label,
    } in &diff.edges_added
    {
        if *kind == EdgeKind::Allows && from_internet(from) {
            found.push(Exposure {
                rule: Rule::InternetPath,
                node: to.clone(),
                name: name(to),
                detail: format!("open to the Internet on {label}"),
            });
        }
    }
    for Relabel {
        from,
        to,
        kind,
        old_label,
        new_label,
    } in &diff.edges_relabelled
    {
        if *kind == EdgeKind::Allows && from_internet(from) && widens(old_label, new_label) {
            found.push(Exposure {
                rule: Rule::WidenedPorts,
                node: to.clone(),
                name: name(to),
                detail: format!("ports open to the Internet widened: {old_label} → {new_label}"),
            });
        }
    }
    for flag in FLAGS {
        for change in &diff.changed {
            let Some(attr) = change.changes.iter().find(|attr| attr.key == flag.attr) else {
                continue;
            };
            if flag.risky.matches(attr.new.as_ref()) && !flag.risky.matches(attr.old.as_ref()) {
                found.push(Exposure {
                    rule: Rule::Flag(flag),
                    node: change.id.clone(),
                    name: change.name.clone(),
                    detail: format!(
                        "{}: {} = {}",
                        flag.says,
                        flag.attr,
                        shown(attr.new.as_ref())
                    ),
                });
            }
        }
        if !flag.on_added {
            continue;
        }
        for added in &diff.added {
            let value = new
                .node(&added.id)
                .and_then(|node| node.attrs.get(flag.attr));
            if flag.risky.matches(value) {
                found.push(Exposure {
                    rule: Rule::Flag(flag),
                    node: added.id.clone(),
                    name: added.name.clone(),
                    detail: format!("new: {}: {} = {}", flag.says, flag.attr, shown(value)),
                });
            }
        }
    }
    found.sort();
    found
}

fn shown(value: Option<&Value>) -> String {
    match value {
        Some(Value::String(text)) => text.clone(),
        Some(other) => other.to_string(),
        None => "(none)".to_string(),
    }
}

/// Whether `new` (an `allows` label: `tcp/22, tcp/443`) admits a port that
/// `old` did not. The labels are strata's own (`rule_label` in the network
/// service): `all`, `<protocol>/all`, `<protocol>/<port>`,
/// `<protocol>/<from>-<to>`, and ICMP's `icmp/<type>:<code>`, compared as
/// they are.
fn widens(old: &str, new: &str) -> bool {
    let old: Vec<Ports> = old.split(", ").map(Ports::parse).collect();
    new.split(", ")
        .map(Ports::parse)
        .any(|part| !old.iter().any(|before| before.covers(&part)))
}

/// One part of an `allows` label.
#[derive(Debug, PartialEq)]
enum Ports<'a> {
    /// Every protocol (`all`).
    Everything,
    /// Every port of one protocol (`tcp/all`).
    Protocol(&'a str),
    /// A port range of one protocol, inclusive (`tcp/22`, `tcp/8000-8080`).
    Range(&'a str, u32, u32),
    /// Anything else, compared as text (ICMP types).
    Other(&'a str),
}

impl<'a> Ports<'a> {
    fn parse(part: &'a str) -> Ports<'a> {
        if part == "all" {
            return Ports::Everything;
        }
        let Some((protocol, ports)) = part.split_once('/') else {
            return Ports::Other(part);
        };
        if ports == "all" {
            return Ports::Protocol(protocol);
        }
        let (from, to) = ports.split_once('-').unwrap_or((ports, ports));
        match (from.parse(), to.parse()) {
            (Ok(from), Ok(to)) => Ports::Range(protocol, from, to),
            _ => Ports::Other(part),
        }
    }

    fn covers(&self, other: &Ports) -> bool {
        match (self, other) {
            (Ports::Everything, _) => true,
            (Ports::Protocol(mine), Ports::Protocol(theirs) | Ports::Range(theirs, ..)) => {
                mine == theirs
            }
            (Ports::Protocol(mine), Ports::Other(theirs)) => theirs
                .split_once('/')
                .is_some_and(|(protocol, _)| protocol == *mine),
            (Ports::Range(mine, from, to), Ports::Range(theirs, their_from, their_to)) => {
                mine == theirs && from <= their_from && their_to <= to
            }
            (mine, theirs) => mine == theirs,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::snapshot::{Detail, ResourceKind};

    /// A renamed attribute would silently disarm its rule.
    #[test]
    fn every_flag_names_an_attribute_some_kind_has() {
        let keys: Vec<String> = ResourceKind::all()
            .flat_map(|kind| {
                let attrs = serde_json::to_value(Detail::default_for(kind).attrs()).unwrap();
                let Value::Object(attrs) = attrs else {
                    return Vec::new();
                };
                attrs.keys().cloned().collect()
            })
            .collect();
        for flag in FLAGS {
            assert!(
                keys.iter().any(|key| key == flag.attr),
                "{}: no kind has {}",
                flag.rule,
                flag.attr
            );
        }
    }

    #[test]
    fn a_label_widens_when_it_admits_a_port_the_old_did_not() {
        assert!(widens("tcp/443", "tcp/22, tcp/443"));
        assert!(widens("tcp/443", "tcp/0-65535"));
        assert!(widens("tcp/80-90", "tcp/79-90"));
        assert!(widens("tcp/all", "all"));
        assert!(widens("tcp/443", "udp/443"));
        assert!(widens("icmp/8:0", "icmp/all"));
        assert!(!widens("tcp/80, tcp/443", "tcp/443"));
        assert!(!widens("tcp/0-65535", "tcp/22, tcp/443"));
        assert!(!widens("tcp/all", "tcp/8000-8080"));
        assert!(!widens("all", "udp/53, icmp/8:0"));
        assert!(!widens("icmp/8:0", "icmp/8:0"));
        assert!(!widens("icmp/all", "icmp/8:0"));
    }
}
