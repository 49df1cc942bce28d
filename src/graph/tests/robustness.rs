//! Partial estates (any subset of the resources, as a scan with refused
//! calls or a damaged snapshot would give) still build a well-formed graph:
//! no panic, every parent is a node, no self-loops, every node id names its
//! kind, and the JSON is deterministic.

use proptest::prelude::*;

use super::*;
use crate::render::json::render;

fn everything() -> Estate {
    super::containment::estate()
        .and(super::routing::estate())
        .and(super::load_balancing::estate())
}

fn assert_well_formed(graph: &Graph) {
    for node in graph.nodes() {
        if let Some(parent) = &node.parent {
            assert!(
                graph.node(parent).is_some(),
                "{} has a missing parent {parent}",
                node.id
            );
        } else {
            assert!(
                matches!(
                    node.kind,
                    crate::graph::NodeKind::Account
                        | crate::graph::NodeKind::Internet
                        | crate::graph::NodeKind::Cidr
                ),
                "{} has no parent",
                node.id
            );
        }
        assert!(
            node.id.starts_with(node.kind.as_str()),
            "{} does not name its kind {}",
            node.id,
            node.kind
        );
    }
    for node in graph.nodes() {
        let spanned = node.attrs.get("subnets").and_then(|s| s.as_array());
        for subnet in spanned.into_iter().flatten() {
            let subnet = subnet.as_str().unwrap_or_default();
            assert!(
                graph.node(subnet).is_some(),
                "{} spans a missing subnet {subnet}",
                node.id
            );
        }
    }
    assert_eq!(
        graph.index.len(),
        graph.graph.node_count(),
        "ids are unique"
    );
    for (from, to, edge) in graph.edges() {
        assert_ne!(from.id, to.id, "{} edge from a node to itself", edge.kind);
    }
}

#[test]
fn the_whole_estate_is_well_formed() {
    assert_well_formed(&everything().graph());
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn any_subset_of_the_estate_is_well_formed(flags in prop::collection::vec(any::<bool>(), everything().len())) {
        let snapshot = everything().keep(&flags).snapshot();
        let graph = build(&snapshot);
        assert_well_formed(&graph);
        let mut reversed = snapshot.clone();
        reversed.resources.reverse();
        prop_assert_eq!(render(&graph), render(&build(&reversed)));
    }
}
