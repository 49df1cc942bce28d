//! The graph under construction: nodes indexed by id and by the resources
//! they stand for, and relationships merged as the rules state them. The
//! services' rules add to it through [`Builder`]; the order of the passes is
//! `build`'s.

use std::cmp::Ordering;
use std::collections::{BTreeMap, BTreeSet, HashMap};

use petgraph::graph::NodeIndex;
use serde_json::Value;

use super::ids;
use super::inventory::Inventory;
use super::model::{Health, Span};
use crate::graph::{Drawing, Edge, EdgeKind, Graph, Node, NodeKind};
use crate::services::network;
use crate::snapshot::{Resource, ResourceKind, Snapshot};

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
    health: Option<Health>,
}

impl Builder {
    pub fn new(snapshot: &Snapshot) -> Builder {
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

    /// For rules that resolve a node's drawing once other nodes exist.
    pub fn drawing_mut(&mut self, ix: NodeIndex) -> &mut Drawing {
        &mut self.graph.graph[ix].drawing
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

    /// Add the node of a regional resource, id `<kind>:<account>:<region>:<id>`.
    pub fn add_scoped(
        &mut self,
        resource: &Resource,
        kind: impl Into<ResourceKind>,
        parent: String,
        status: Option<&str>,
        attrs: BTreeMap<String, Value>,
        drawing: Drawing,
    ) -> NodeIndex {
        let kind = kind.into();
        let id = ids::scoped(kind, &resource.account, &resource.region, &resource.id);
        let node = resource_node(resource, kind, id, parent, status, attrs, drawing);
        self.add_resource(resource, node)
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
        kind: impl Into<ResourceKind>,
        account: &str,
        region: &str,
        id: &str,
    ) -> Option<NodeIndex> {
        let key = (
            kind.into(),
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
                drawing: Drawing::default(),
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
                drawing: Drawing::default(),
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

    /// The one `internet` node every rule open to `0.0.0.0/0` or `::/0` comes from.
    pub fn ensure_internet(&mut self) -> NodeIndex {
        self.ensure_outside(
            ids::INTERNET.to_string(),
            NodeKind::Internet,
            "Internet",
            BTreeMap::new(),
            "0.0.0.0/0 · ::/0",
        )
    }

    /// A `cidr` node for an outside range or prefix list.
    pub fn ensure_cidr(
        &mut self,
        id: String,
        name: &str,
        attrs: BTreeMap<String, Value>,
    ) -> NodeIndex {
        self.ensure_outside(id, NodeKind::Cidr, name, attrs, "outside CIDR")
    }

    fn ensure_outside(
        &mut self,
        id: String,
        kind: NodeKind,
        name: &str,
        attrs: BTreeMap<String, Value>,
        detail: &str,
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
            drawing: Drawing {
                detail: detail.to_string(),
                ..Drawing::default()
            },
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

    /// Record a `targets`-like relationship that carries the target's
    /// health; merged like [`Builder::relate`], the first health wins.
    #[allow(clippy::too_many_arguments)]
    pub fn relate_with_health(
        &mut self,
        from: NodeIndex,
        to: NodeIndex,
        kind: EdgeKind,
        label: &str,
        evidence: &str,
        attrs: BTreeMap<String, Value>,
        health: Health,
    ) {
        if from == to {
            return;
        }
        self.relate(from, to, kind, label, evidence, attrs);
        if let Some(pending) = self.edges.get_mut(&(from, to, kind)) {
            pending.health.get_or_insert(health);
        }
    }

    /// Add the merged edges in `(from id, to id, kind)` order, so petgraph's
    /// edge indices are as deterministic as the JSON.
    pub fn finish(mut self) -> Graph {
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
                    health: pending.health,
                },
            );
        }
        self.graph
    }
}

/// A node for an AWS resource, with the identity fields the snapshot holds.
pub(crate) fn resource_node(
    resource: &Resource,
    kind: impl Into<ResourceKind>,
    id: String,
    parent: String,
    status: Option<&str>,
    attrs: BTreeMap<String, Value>,
    drawing: Drawing,
) -> Node {
    Node {
        id,
        kind: NodeKind::Resource(kind.into()),
        name: resource.name.clone(),
        parent: Some(parent),
        account: Some(resource.account.clone()),
        region: Some(resource.region.clone()),
        resource_id: Some(resource.id.clone()),
        arn: resource.arn.clone(),
        status: status.filter(|s| !s.is_empty()).map(str::to_string),
        attrs,
        drawing,
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

/// The node id of a subnet in `resource`'s account and region.
pub(crate) fn subnet_node(resource: &Resource, id: &str) -> Option<String> {
    (!id.is_empty()).then(|| {
        ids::scoped(
            network::Kind::Subnet,
            &resource.account,
            &resource.region,
            id,
        )
    })
}

/// The node id of a VPC in `resource`'s account and region.
pub(crate) fn vpc_node(resource: &Resource, id: &str) -> Option<String> {
    (!id.is_empty())
        .then(|| ids::scoped(network::Kind::Vpc, &resource.account, &resource.region, id))
}

/// The scanned attributes as JSON, minus those the node carries elsewhere
/// (its status) or that become edges; plus `tags` when there are any.
pub(crate) fn scanned_attrs<T: serde::Serialize>(
    resource: &Resource,
    attrs: &T,
    drop: &[&str],
) -> BTreeMap<String, Value> {
    let mut out: BTreeMap<String, Value> = match serde_json::to_value(attrs) {
        Ok(Value::Object(map)) => map
            .into_iter()
            .filter(|(key, _)| !drop.contains(&key.as_str()))
            .collect(),
        _ => BTreeMap::new(),
    };
    if !resource.tags.is_empty() {
        out.insert("tags".into(), serde_json::json!(resource.tags));
    }
    out
}

/// The span of a resource across subnets (load balancers, interface
/// endpoints): the scanned ones among `subnet_ids` and their zones, written
/// as the attributes `subnets` (node ids), `subnet_ids` (AWS ids, all) and
/// `availability_zones`, and returned for the drawing.
pub(crate) fn spanned_subnets(
    inventory: &Inventory,
    resource: &Resource,
    subnet_ids: &[String],
    attrs: &mut BTreeMap<String, Value>,
) -> Span {
    let mut aws_ids: Vec<&str> = subnet_ids.iter().map(String::as_str).collect();
    aws_ids.sort_unstable();
    aws_ids.dedup();
    // Only subnets that were scanned (every scanned subnet is a node), so a
    // reader can look each one up.
    let known: Vec<(&str, &str)> = aws_ids
        .iter()
        .filter_map(|id| {
            let (_, subnet) =
                inventory.get::<network::SubnetAttrs>(&resource.account, &resource.region, id)?;
            Some((*id, subnet.availability_zone.as_str()))
        })
        .collect();
    let nodes: Vec<String> = known
        .iter()
        .filter_map(|(id, _)| subnet_node(resource, id))
        .collect();
    let mut zones: Vec<&str> = known.iter().map(|(_, zone)| *zone).collect();
    zones.sort_unstable();
    zones.dedup();
    attrs.insert("subnets".into(), Value::from(nodes.clone()));
    attrs.insert("subnet_ids".into(), Value::from(aws_ids));
    attrs.insert("availability_zones".into(), Value::from(zones.clone()));
    Span {
        subnets: nodes,
        zones: zones.into_iter().map(str::to_string).collect(),
    }
}

/// A detail line: the parts that are present, joined with ` · `.
pub(crate) fn detail_line(parts: &[Option<&str>]) -> String {
    parts
        .iter()
        .flatten()
        .filter(|part| !part.is_empty())
        .copied()
        .collect::<Vec<_>>()
        .join(" · ")
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
