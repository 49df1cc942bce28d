//! Pricing a graph for the drawing and the graph JSON: each resource's
//! estimate on its node, the figure on the tile it is drawn as (its own, or
//! its host's when it is folded into one, as a volume into its instance),
//! subtotals on every frame above it, and the estate's total over every
//! resource of the snapshot, drawn or not, which is the total
//! `strata cost` reports.
//!
//! Owns the mapping from resources to nodes and frames; the amounts are the
//! rules' ([`super::estimate`]), the types `crate::graph::costs`'. Only
//! what is charged (or has no price) enters tile and frame figures; the
//! total counts every resource `strata cost` lists.

use std::collections::BTreeSet;

use petgraph::graph::NodeIndex;

use super::{estimate, Cost, Period, Usage, HOURS_PER_MONTH};
use crate::graph::costs::{Costs, Estimate, EstimatedCharge, Figure};
use crate::graph::{Fold, Graph};
use crate::prices::PriceBook;
use crate::snapshot::Snapshot;

/// Price `snapshot`'s resources into `graph` (built from that snapshot).
pub fn annotate(graph: &mut Graph, snapshot: &Snapshot, prices: &PriceBook, usage: Option<&Usage>) {
    let costs = estimate(snapshot, prices, usage);
    let nodes = graph.resource_nodes();
    let mut annotation = Costs {
        prices: prices.describe(),
        ..Costs::default()
    };
    let mut dates = BTreeSet::new();
    // Figures accumulate by node index and parents are walked by index: a
    // resource adds to its tile and every frame above it, and ids are
    // looked up once per node rather than once per resource and frame.
    let count = graph.graph.node_count();
    let index_of = |id: &str| graph.index.get(id).copied();
    let parents: Vec<Option<NodeIndex>> = graph
        .graph
        .node_indices()
        .map(|ix| graph.graph[ix].parent.as_deref().and_then(index_of))
        .collect();
    let mut figures: Vec<Option<Figure>> = vec![None; count];
    for (resource, cost) in snapshot.resources.iter().zip(&costs) {
        if !cost.is_relevant() {
            continue;
        }
        let figure = figure(cost);
        annotation.total.add(figure);
        dates.extend(cost.prices().map(|price| price.source.date.clone()));
        let key = (
            resource.kind(),
            resource.account.as_str(),
            resource.region.as_str(),
            resource.id.as_str(),
        );
        let Some(&ix) = nodes.get(&key) else {
            continue;
        };
        let node = &graph.graph[ix];
        annotation
            .estimates
            .insert(node.id.clone(), estimate_of(cost));
        // What AWS bills nothing for of its own (a gateway endpoint, a
        // replication group billed through its nodes) gets no figure: a
        // `$0.00` would read as the price of what it stands for.
        let charged = !cost.unpriced.is_empty() || cost.prices().next().is_some();
        if !charged {
            continue;
        }
        let tile = match &node.drawing.fold {
            Fold::Own => Some(ix),
            Fold::Into { host, .. } => index_of(host),
            Fold::Relay | Fold::Hidden | Fold::Unattached => None,
        };
        if let Some(tile) = tile {
            figures[tile.index()]
                .get_or_insert_with(Figure::default)
                .add(figure);
        }
        let mut above = parents[tile.unwrap_or(ix).index()];
        while let Some(frame) = above {
            figures[frame.index()]
                .get_or_insert_with(Figure::default)
                .add(figure);
            above = parents[frame.index()];
        }
    }
    annotation.figures = graph
        .graph
        .node_indices()
        .filter_map(|ix| Some((graph.graph[ix].id.clone(), figures[ix.index()]?)))
        .collect();
    annotation.dates = dates.into_iter().collect();
    graph.costs = Some(annotation);
}

/// One resource's share of a figure: its monthly amount, or one unpriced.
fn figure(cost: &Cost) -> Figure {
    match cost.amount(Period::Month) {
        Some(amount) => Figure {
            amount,
            priced: 1,
            unpriced: 0,
        },
        None => Figure {
            unpriced: 1,
            ..Figure::default()
        },
    }
}

fn estimate_of(cost: &Cost) -> Estimate {
    let period = Period::Month;
    let charges = cost
        .charges
        .iter()
        .chain(cost.usage.iter().filter_map(|usage| usage.charge.as_ref()))
        .map(|charge| EstimatedCharge {
            what: charge.what.clone(),
            amount: charge.amount(period).normalize(),
            basis: charge.basis(period),
            assumed: charge.assumed,
            source: charge.price.source.to_string(),
            date: charge.price.source.date.clone(),
        })
        .collect();
    Estimate {
        amount: cost.amount(period).map(|amount| amount.normalize()),
        period: period.as_str(),
        hours: HOURS_PER_MONTH,
        currency: "USD",
        charges,
        usage: cost.usage.iter().map(|usage| usage.what.clone()).collect(),
        unpriced: cost.unpriced.clone(),
        notes: cost.notes.clone(),
    }
}
