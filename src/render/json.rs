//! Graph JSON (`strata.graph/v1`): the graph as one document, nodes sorted by
//! id and edges by `(from, to, kind, label)`, with the scan's metadata so a
//! reader knows which accounts, regions and time it describes and what the
//! scan could not see. Owns the serialisation only; the schema is documented
//! in the README's graph section.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::graph::{EdgeKind, Graph, Node, SCHEMA};
use crate::snapshot::ScanMeta;

#[derive(Serialize)]
struct Document<'g> {
    schema: &'static str,
    scan: &'g ScanMeta,
    nodes: Vec<&'g Node>,
    edges: Vec<EdgeJson<'g>>,
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
    let document = Document {
        schema: SCHEMA,
        scan: &graph.scan,
        nodes: graph.nodes(),
        edges,
    };
    // Serialising strings, maps and JSON values cannot fail.
    let mut text = serde_json::to_string_pretty(&document).expect("graph JSON always serializes");
    text.push('\n');
    text
}
