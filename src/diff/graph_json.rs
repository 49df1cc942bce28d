//! Reading back a graph JSON (`strata.graph/v1`, written by
//! `crate::render::json`) as a [`Graph`] for [`super::compare`]: nodes with
//! their `attrs` and cost estimates, edges with their labels, the estate's
//! total. Owns only the reading; the schema is `render::json`'s. What the
//! document does not carry (the typed drawing of each node) stays at its
//! default, which the comparison never reads.

use std::collections::BTreeMap;

use rust_decimal::Decimal;
use serde::Deserialize;

use crate::cost::report::printable;
use crate::graph::costs::{Costs, Estimate, EstimatedCharge, Figure};
use crate::graph::{Edge, Graph, Node, SCHEMA};
use crate::snapshot::ScanMeta;

#[derive(Deserialize)]
struct Document {
    scan: ScanMeta,
    #[serde(default)]
    cost: Option<CostJson>,
    nodes: Vec<NodeJson>,
    edges: Vec<EdgeJson>,
}

#[derive(Deserialize)]
struct CostJson {
    prices: String,
    price_dates: Vec<String>,
    total: Decimal,
    priced: usize,
    unpriced: usize,
}

#[derive(Deserialize)]
struct NodeJson {
    #[serde(flatten)]
    node: Node,
    #[serde(default)]
    cost: Option<EstimateJson>,
}

/// An [`Estimate`] as written; its period and currency are checked, since
/// the graph JSON only ever quotes months in USD.
#[derive(Deserialize)]
struct EstimateJson {
    amount: Option<Decimal>,
    period: String,
    currency: String,
    charges: Vec<EstimatedCharge>,
    usage: Vec<String>,
    unpriced: Vec<String>,
    notes: Vec<String>,
}

#[derive(Deserialize)]
struct EdgeJson {
    from: String,
    to: String,
    #[serde(flatten)]
    edge: Edge,
}

/// The graph in a graph JSON document; `origin` names it in errors, each
/// one line saying what is wrong with it.
pub fn read(value: serde_json::Value, origin: &str) -> anyhow::Result<Graph> {
    let document: Document = serde_json::from_value(value).map_err(|err| {
        anyhow::anyhow!(
            "{origin} is not a readable {SCHEMA} document: {}; render it again with `strata render SNAPSHOT -o graph.json`",
            printable(&err.to_string())
        )
    })?;
    let mut graph = Graph {
        scan: document.scan,
        ..Graph::default()
    };
    let mut estimates = BTreeMap::new();
    for NodeJson { node, cost } in document.nodes {
        if let Some(cost) = cost {
            if cost.period != "month" || cost.currency != "USD" {
                anyhow::bail!(
                    "{origin}: node {} is costed per {} in {}, but strata diff compares USD per month; render it again with this strata",
                    printable(&node.id),
                    printable(&cost.period),
                    printable(&cost.currency)
                );
            }
            estimates.insert(
                node.id.clone(),
                Estimate {
                    amount: cost.amount,
                    period: "month",
                    hours: crate::cost::HOURS_PER_MONTH,
                    currency: "USD",
                    charges: cost.charges,
                    usage: cost.usage,
                    unpriced: cost.unpriced,
                    notes: cost.notes,
                },
            );
        }
        if graph.index.contains_key(&node.id) {
            anyhow::bail!(
                "{origin}: node {} appears twice; render it again",
                printable(&node.id)
            );
        }
        graph.add_node(node);
    }
    for EdgeJson { from, to, edge } in document.edges {
        let (Some(&from_ix), Some(&to_ix)) = (graph.index.get(&from), graph.index.get(&to)) else {
            anyhow::bail!(
                "{origin}: an edge from {} to {} names a node the document does not have; render it again",
                printable(&from),
                printable(&to)
            );
        };
        graph.graph.add_edge(from_ix, to_ix, edge);
    }
    graph.costs = document.cost.map(|cost| Costs {
        prices: cost.prices,
        dates: cost.price_dates,
        total: Figure {
            amount: cost.total,
            priced: cost.priced,
            unpriced: cost.unpriced,
        },
        estimates,
        figures: BTreeMap::new(),
    });
    Ok(graph)
}
