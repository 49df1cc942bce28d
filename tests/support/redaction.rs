//! The shape of a graph, for the redaction tests: what `--redact` must
//! leave exactly as it was. Included with `#[path]` by `tests/redact.rs`
//! and `tests/hostile.rs`; owns no checks.

use std::collections::BTreeMap;

use strata::graph::Graph;
use strata::redact::Redactor;

/// Counts of everything a redacted graph keeps: node kinds, nodes by
/// (kind, containment depth, status), edges by (source kind, edge kind,
/// target kind, label). Labels are taken as `redactor` would write them
/// (an address, a CIDR or a prefix list id in a label is an identifier;
/// ports and protocols are not), so one shape is comparable with the other.
#[derive(Debug, PartialEq, Eq)]
pub struct Shape {
    pub node_kinds: BTreeMap<String, usize>,
    pub nodes: BTreeMap<(String, usize, Option<String>), usize>,
    pub edges: BTreeMap<(String, String, String, String), usize>,
}

pub fn shape(graph: &Graph, redactor: Option<&Redactor>) -> Shape {
    let g = &graph.graph;
    let mut shape = Shape {
        node_kinds: BTreeMap::new(),
        nodes: BTreeMap::new(),
        edges: BTreeMap::new(),
    };
    for node in g.node_weights() {
        let mut depth = 0;
        let mut parent = node.parent.as_ref();
        while let Some(id) = parent {
            depth += 1;
            parent = graph.index.get(id).and_then(|ix| g[*ix].parent.as_ref());
        }
        *shape.node_kinds.entry(node.kind.to_string()).or_default() += 1;
        *shape
            .nodes
            .entry((node.kind.to_string(), depth, node.status.clone()))
            .or_default() += 1;
    }
    for edge in g.edge_indices() {
        let (from, to) = g.edge_endpoints(edge).expect("an edge has ends");
        let weight = &g[edge];
        let mut parts: Vec<String> = weight
            .label
            .split(", ")
            .map(|part| match redactor {
                Some(redactor)
                    if part.parse::<ipnet::IpNet>().is_ok()
                        || part.parse::<std::net::IpAddr>().is_ok()
                        || Redactor::is_aws_id(part) =>
                {
                    let mut part = part.to_string();
                    redactor.id(&mut part);
                    part
                }
                _ => part.to_string(),
            })
            .collect();
        // Merged labels are sorted; pseudonyms sort differently.
        parts.sort();
        let label = parts.join(", ");
        *shape
            .edges
            .entry((
                g[from].kind.to_string(),
                format!("{:?}", weight.kind),
                g[to].kind.to_string(),
                label,
            ))
            .or_default() += 1;
    }
    shape
}
