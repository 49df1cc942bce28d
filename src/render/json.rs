//! Graph JSON (`strata.graph/v1`): the graph as one document, nodes sorted by
//! id and edges by `(from, to, kind, label)`, with the scan's metadata so a
//! reader knows which accounts, regions and time it describes and what the
//! scan could not see. Owns the serialisation only; the schema is documented
//! in the README's graph section.

use std::collections::BTreeMap;

use rust_decimal::Decimal;
use serde::Serialize;

use crate::graph::costs::Estimate;
use crate::graph::{EdgeKind, Graph, Node, SCHEMA};
use crate::snapshot::ScanMeta;

#[derive(Serialize)]
struct Document<'g> {
    schema: &'static str,
    scan: &'g ScanMeta,
    #[serde(skip_serializing_if = "Option::is_none")]
    cost: Option<CostJson<'g>>,
    nodes: Vec<NodeJson<'g>>,
    edges: Vec<EdgeJson<'g>>,
}

/// The estate's cost, when the graph was priced.
#[derive(Serialize)]
struct CostJson<'g> {
    period: &'static str,
    currency: &'static str,
    prices: &'g str,
    price_dates: &'g [String],
    /// Every priced resource of the snapshot, drawn or not.
    total: Decimal,
    priced: usize,
    unpriced: usize,
}

#[derive(Serialize)]
struct NodeJson<'g> {
    #[serde(flatten)]
    node: &'g Node,
    #[serde(skip_serializing_if = "Option::is_none")]
    cost: Option<&'g Estimate>,
}

#[derive(Serialize)]
struct EdgeJson<'g> {
    from: &'g str,
    to: &'g str,
    kind: EdgeKind,
    label: &'g str,
    evidence: &'g [String],
    attrs: &'g BTreeMap<String, serde_json::Value>,
}

/// Graph JSON of a graph, pretty-printed with a trailing newline.
pub fn render(graph: &Graph) -> String {
    let mut edges: Vec<EdgeJson> = graph
        .edges()
        .into_iter()
        .map(|(from, to, edge)| EdgeJson {
            from: &from.id,
            to: &to.id,
            kind: edge.kind,
            label: &edge.label,
            evidence: &edge.evidence,
            attrs: &edge.attrs,
        })
        .collect();
    // `Graph::edges` orders by (from, to, kind); the label settles graphs
    // built by hand with parallel edges of one kind.
    edges.sort_by(|a, b| (a.from, a.to, a.kind, a.label).cmp(&(b.from, b.to, b.kind, b.label)));
    let costs = graph.costs.as_ref();
    let document = Document {
        schema: SCHEMA,
        scan: &graph.scan,
        cost: costs.map(|costs| CostJson {
            period: "month",
            currency: "USD",
            prices: &costs.prices,
            price_dates: &costs.dates,
            total: costs.total.amount.normalize(),
            priced: costs.total.priced,
            unpriced: costs.total.unpriced,
        }),
        nodes: graph
            .nodes()
            .into_iter()
            .map(|node| NodeJson {
                node,
                cost: costs.and_then(|costs| costs.estimates.get(&node.id)),
            })
            .collect(),
        edges,
    };
    // Serialising strings, maps and JSON values cannot fail.
    let mut text = serde_json::to_string_pretty(&document).expect("graph JSON always serializes");
    text.push('\n');
    text
}
