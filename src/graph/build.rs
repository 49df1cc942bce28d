//! The inference driver: runs every pass over the snapshot in a fixed order
//! and collects nodes and merged edges into a [`Graph`]. The rules
//! themselves live in the sibling modules (containment, tiers, network,
//! reachability, balancing, links); this module owns only the order of the
//! passes and the edge merging they share.

use std::cmp::Ordering;
use std::collections::{BTreeMap, BTreeSet, HashMap};

use petgraph::graph::NodeIndex;
use serde_json::Value;

use super::inventory::Inventory;
use super::{balancing, containment, ids, links, network, reachability, tiers};
use crate::graph::{Edge, EdgeKind, Graph, Node, NodeKind};
use crate::snapshot::{Resource, ResourceKind, Snapshot};

/// Build the graph of a snapshot.
pub fn build(snapshot: &Snapshot) -> Graph {
    let inventory = Inventory::new(snapshot);
    let routing = tiers::RouteTables::new(&inventory);
    let mut builder = Builder::new(snapshot);
    containment::add_resource_nodes(&inventory, &routing, &mut builder);
    let owners = network::InterfaceOwners::new(&inventory, &builder);
    containment::add_attached_nodes(&inventory, &owners, &mut builder);
    let network = network::Network::new(&inventory, &owners, &builder);
    tiers::add_routes(&inventory, &routing, &network, &mut builder);
    reachability::add_allows(&inventory, &network, &mut builder);
    balancing::add_forwards_and_targets(&inventory, &network, &mut builder);
    links::add_links(&inventory, &network, &mut builder);
    builder.finish()
}

/// Nodes added so far and edges waiting to be merged.
pub(crate) struct Builder {
    graph: Graph,
    /// `(kind, account, region, id)` of every resource that is a node (or
    /// one of several sightings of the same node) → its node.
    resources: HashMap<(ResourceKind, String, String, String), NodeIndex>,
    edges: HashMap<(NodeIndex, NodeIndex, EdgeKind), PendingEdge>,
}

#[derive(Default)]
struct PendingEdge {
    labels: BTreeSet<String>,
    evidence: BTreeSet<String>,
    attrs: BTreeMap<String, Value>,
}

impl Builder {
    fn new(snapshot: &Snapshot) -> Builder {
        let mut builder = Builder {
            graph: Graph {
                scan: snapshot.scan.clone(),
                ..Graph::default()
            },
            resources: HashMap::new(),
            edges: HashMap::new(),
        };
        // Accounts that were read are shown even when they hold nothing.
        for account in &snapshot.scan.accounts {
            builder.ensure_account(&account.id);
        }
        builder
    }

    pub fn node_ix(&self, id: &str) -> Option<NodeIndex> {
        self.graph.index.get(id).copied()
    }

    pub fn node(&self, ix: NodeIndex) -> &Node {
        &self.graph.graph[ix]
    }

    pub fn add(&mut self, node: Node) -> NodeIndex {
        self.graph.add_node(node)
    }

    /// Add the node that stands for a scanned resource.
    pub fn add_resource(&mut self, resource: &Resource, node: Node) -> NodeIndex {
        let ix = self.add(node);
        self.register(resource, ix);
        ix
    }

    /// Record that a resource is shown by an existing node.
    pub fn register(&mut self, resource: &Resource, ix: NodeIndex) {
        let key = (
            resource.kind(),
            resource.account.clone(),
            resource.region.clone(),
            resource.id.clone(),
        );
        self.resources.insert(key, ix);
    }

    /// The node of a scanned resource.
    pub fn resource_ix(
        &self,
        kind: ResourceKind,
        account: &str,
        region: &str,
        id: &str,
    ) -> Option<NodeIndex> {
        let key = (
            kind,
            account.to_string(),
            region.to_string(),
            id.to_string(),
        );
        self.resources.get(&key).copied()
    }

    fn ensure_account(&mut self, account: &str) -> String {
        let id = ids::account(account);
        if self.node_ix(&id).is_none() {
            let name = self
                .graph
                .scan
                .accounts
                .iter()
                .find(|meta| meta.id == account)
                .map_or_else(|| account.to_string(), |meta| meta.name.clone());
            let mut attrs = BTreeMap::new();
            attrs.insert("account_id".to_string(), Value::from(account));
            self.add(Node {
                id: id.clone(),
                kind: NodeKind::Account,
                name,
                parent: None,
                account: Some(account.to_string()),
                region: None,
                resource_id: Some(account.to_string()),
                arn: None,
                status: None,
                attrs,
            });
        }
        id
    }

    /// The region node's id, creating it (and its account) on first use.
    pub fn ensure_region(&mut self, account: &str, region: &str) -> String {
        let id = ids::region(account, region);
        if self.node_ix(&id).is_none() {
            let parent = self.ensure_account(account);
            self.add(Node {
                id: id.clone(),
                kind: NodeKind::Region,
                name: region.to_string(),
                parent: Some(parent),
                account: Some(account.to_string()),
                region: Some(region.to_string()),
                resource_id: Some(region.to_string()),
                arn: None,
                status: None,
                attrs: BTreeMap::new(),
            });
        }
        id
    }

    /// The first candidate parent that is a node, else the resource's region.
    pub fn parent_among(&mut self, resource: &Resource, candidates: &[Option<String>]) -> String {
        candidates
            .iter()
            .flatten()
            .find(|id| self.node_ix(id).is_some())
            .cloned()
            .unwrap_or_else(|| self.ensure_region(&resource.account, &resource.region))
    }

    /// The `internet` node, or a `cidr` node for an outside range or prefix list.
    pub fn ensure_outside(
        &mut self,
        id: String,
        kind: NodeKind,
        name: &str,
        attrs: BTreeMap<String, Value>,
    ) -> NodeIndex {
        if let Some(ix) = self.node_ix(&id) {
            return ix;
        }
        self.add(Node {
            id,
            kind,
            name: name.to_string(),
            parent: None,
            account: None,
            region: None,
            resource_id: None,
            arn: None,
            status: None,
            attrs,
        })
    }

    /// Record a relationship. Relationships of one kind between the same two
    /// nodes merge into one edge listing every label and every piece of
    /// evidence; the first value of an attribute wins (passes run in
    /// inventory order, so "first" is deterministic). Self-loops are dropped:
    /// a resource reaching itself says nothing.
    pub fn relate(
        &mut self,
        from: NodeIndex,
        to: NodeIndex,
        kind: EdgeKind,
        label: &str,
        evidence: &str,
        attrs: BTreeMap<String, Value>,
    ) {
        if from == to {
            return;
        }
        let pending = self.edges.entry((from, to, kind)).or_default();
        if !label.is_empty() {
            pending.labels.insert(label.to_string());
        }
        if !evidence.is_empty() {
            pending.evidence.insert(evidence.to_string());
        }
        for (key, value) in attrs {
            pending.attrs.entry(key).or_insert(value);
        }
    }

    /// Add the merged edges in `(from id, to id, kind)` order, so petgraph's
    /// edge indices are as deterministic as the JSON.
    fn finish(mut self) -> Graph {
        let mut edges: Vec<_> = self.edges.into_iter().collect();
        // Rank nodes by id once, so ordering tens of thousands of edges
        // compares integers rather than id strings.
        let graph = &self.graph.graph;
        let mut by_id: Vec<NodeIndex> = graph.node_indices().collect();
        by_id.sort_unstable_by(|a, b| graph[*a].id.cmp(&graph[*b].id));
        let mut rank = vec![0usize; by_id.len()];
        for (position, ix) in by_id.iter().enumerate() {
            rank[ix.index()] = position;
        }
        edges.sort_unstable_by_key(|((from, to, kind), _)| {
            (rank[from.index()], rank[to.index()], *kind)
        });
        for ((from, to, kind), pending) in edges {
            let mut labels: Vec<String> = pending.labels.into_iter().collect();
            labels.sort_by(|a, b| natural_cmp(a, b));
            self.graph.graph.add_edge(
                from,
                to,
                Edge {
                    kind,
                    label: labels.join(", "),
                    evidence: pending.evidence.into_iter().collect(),
                    attrs: pending.attrs,
                },
            );
        }
        self.graph
    }
}

/// A node for an AWS resource, with the identity fields the snapshot holds.
pub(crate) fn resource_node(
    resource: &Resource,
    kind: NodeKind,
    id: String,
    parent: String,
    status: Option<&str>,
    attrs: BTreeMap<String, Value>,
) -> Node {
    Node {
        id,
        kind,
        name: resource.name.clone(),
        parent: Some(parent),
        account: Some(resource.account.clone()),
        region: Some(resource.region.clone()),
        resource_id: Some(resource.id.clone()),
        arn: resource.arn.clone(),
        status: status.filter(|s| !s.is_empty()).map(str::to_string),
        attrs,
    }
}

/// Order labels so numbers compare by value: `tcp/80, tcp/443, tcp/8080`.
pub(crate) fn natural_cmp(a: &str, b: &str) -> Ordering {
    fn chunks(text: &str) -> Vec<(bool, &str)> {
        let mut out = Vec::new();
        let mut start = 0;
        let bytes = text.as_bytes();
        for i in 1..=bytes.len() {
            if i == bytes.len() || bytes[i].is_ascii_digit() != bytes[start].is_ascii_digit() {
                out.push((bytes[start].is_ascii_digit(), &text[start..i]));
                start = i;
            }
        }
        out
    }
    let (left, right) = (chunks(a), chunks(b));
    for ((a_digits, a_chunk), (b_digits, b_chunk)) in left.iter().zip(&right) {
        let order = if *a_digits && *b_digits {
            let (a_num, b_num) = (
                a_chunk.trim_start_matches('0'),
                b_chunk.trim_start_matches('0'),
            );
            a_num.len().cmp(&b_num.len()).then_with(|| a_num.cmp(b_num))
        } else {
            a_chunk.cmp(b_chunk)
        };
        if order != Ordering::Equal {
            return order;
        }
    }
    left.len().cmp(&right.len()).then_with(|| a.cmp(b))
}

#[cfg(test)]
mod tests {
    use super::natural_cmp;

    #[test]
    fn labels_sort_numbers_by_value() {
        let mut labels = vec![
            "tcp/8000-8080",
            "tcp/443",
            "udp/53",
            "tcp/80",
            "all",
            "HTTPS:443",
            "HTTP:80",
            "tcp/080",
        ];
        labels.sort_by(|a, b| natural_cmp(a, b));
        assert_eq!(
            labels,
            [
                "HTTP:80",
                "HTTPS:443",
                "all",
                "tcp/080",
                "tcp/80",
                "tcp/443",
                "tcp/8000-8080",
                "udp/53"
            ]
        );
    }
}
