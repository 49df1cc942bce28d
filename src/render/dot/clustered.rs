//! The graph as Graphviz DOT for `dot` to lay out: accounts, regions, VPCs,
//! availability zones and subnets as nested `subgraph cluster_…`, resources
//! as labelled boxes coloured by category and status, relationships as edges
//! styled by kind.
//!
//! Owns the clustered form only: what is contained in what and which
//! relationships exist is the graph's business, quoting and looks are
//! [`super`]'s.

use std::collections::{BTreeMap, HashSet};
use std::fmt::Write;

use super::{
    cluster_name, cluster_style, edge_style, indent, node_style, quote, quote_label, shown,
    ARROW_SIZE, TOOLTIP_WIDTH,
};
use crate::graph::{Edge, Graph, Node};
use crate::services::FrameLevel;

/// Widest name in a box, in points; the full name is in the tooltip.
const NAME_WIDTH: f64 = 220.0;
/// Widest detail line or edge label.
const DETAIL_WIDTH: f64 = 260.0;
/// Widest frame title.
const TITLE_WIDTH: f64 = 420.0;
/// Widest header line.
const HEADER_WIDTH: f64 = 2000.0;

/// Graphviz DOT of a graph.
pub fn render(graph: &Graph) -> String {
    let mut out = String::new();
    out.push_str("digraph strata {\n");
    out.push_str(
        "  graph [compound=true, rankdir=LR, newrank=true, nodesep=0.3, ranksep=0.6, \
         fontname=\"DejaVu Sans\", fontsize=12, labelloc=t, labeljust=l",
    );
    let _ = write!(out, ", label={}", quote_label(&header(graph)));
    out.push_str("];\n");
    out.push_str(
        "  node [shape=box, style=\"rounded,filled\", fontname=\"DejaVu Sans\", fontsize=10, \
         penwidth=1.2];\n",
    );
    let _ = writeln!(
        out,
        "  edge [fontname=\"DejaVu Sans\", fontsize=8, arrowsize={ARROW_SIZE}];"
    );
    write_nodes(graph, &mut out);
    for (from, to, edge) in graph.edges() {
        write_edge(graph, from, to, edge, &mut out);
    }
    out.push_str("}\n");
    out
}

fn header(graph: &Graph) -> Vec<String> {
    let scan = &graph.scan;
    let accounts: Vec<&str> = scan.accounts.iter().map(|a| a.name.as_str()).collect();
    let mut line = format!(
        "strata: {} nodes, {} edges",
        graph.graph.node_count(),
        graph.graph.edge_count()
    );
    if !accounts.is_empty() {
        let _ = write!(line, "; accounts {}", accounts.join(", "));
    }
    if !scan.regions.is_empty() {
        let _ = write!(line, "; regions {}", scan.regions.join(", "));
    }
    if !scan.finished_at.is_empty() {
        let _ = write!(line, "; scanned {}", scan.finished_at);
    }
    if !scan.complete {
        line.push_str("; PARTIAL scan");
    }
    vec![shown(&line, HEADER_WIDTH)]
}

/// Emit every node, containers as clusters nested by `parent`. Iterative so
/// that a deep (or cyclic) containment chain in an arbitrary graph can
/// neither overflow the stack nor loop.
fn write_nodes(graph: &Graph, out: &mut String) {
    let nodes = graph.nodes();
    let mut children: BTreeMap<Option<&str>, Vec<&Node>> = BTreeMap::new();
    for node in &nodes {
        children
            .entry(cluster_parent(graph, node))
            .or_default()
            .push(node);
    }
    enum Step<'a> {
        Open(&'a Node, usize),
        Close(usize),
    }
    let mut emitted: HashSet<&str> = HashSet::new();
    // Roots first; then whatever a containment cycle left unreachable.
    let starts = children.get(&None).cloned().unwrap_or_default();
    let leftovers = nodes.iter().copied();
    for start in starts.into_iter().chain(leftovers) {
        let mut stack = vec![Step::Open(start, 1)];
        while let Some(step) = stack.pop() {
            match step {
                Step::Close(depth) => {
                    indent(out, depth);
                    out.push_str("}\n");
                }
                Step::Open(node, depth) => {
                    if !emitted.insert(node.id.as_str()) {
                        continue;
                    }
                    if !node.kind.is_container() {
                        indent(out, depth);
                        write_node(node, out);
                        continue;
                    }
                    indent(out, depth);
                    let _ = writeln!(out, "subgraph {} {{", quote(&cluster_name(&node.id)));
                    indent(out, depth + 1);
                    write_cluster_style(node, out);
                    // The container itself, as an invisible anchor inside its
                    // frame: edges to a container end on it (clipped to the
                    // frame with lhead/ltail), and an empty frame still shows.
                    indent(out, depth + 1);
                    let _ = writeln!(
                        out,
                        "{} [shape=point, style=invis, width=0.01, label=\"\"];",
                        quote(&node.id)
                    );
                    stack.push(Step::Close(depth));
                    if let Some(kids) = children.get(&Some(node.id.as_str())) {
                        for kid in kids.iter().rev() {
                            stack.push(Step::Open(kid, depth + 1));
                        }
                    }
                }
            }
        }
    }
}

/// Graph nodes plus edges above which Graphviz `dot` takes more than a few
/// seconds on this form. Measured with Graphviz 2.43 (CPU time, `dot -Tsvg`)
/// on the synthetic estates of `examples/synth.rs`: 2,633 (1,000 resources)
/// take 0.4 s, 5,204 (2,000) 2.0 s, 7,894 (3,000) 5.0 s, 26,565 (10,000)
/// 33 s.
pub const GRAPHVIZ_COMFORTABLE_SIZE: usize = 6_000;

/// What to tell someone about to feed a graph too large for `dot` in a few
/// seconds, and what to use instead; `None` below that size.
pub fn slow_in_graphviz(graph: &Graph) -> Option<String> {
    let (nodes, edges) = (graph.graph.node_count(), graph.graph.edge_count());
    (nodes + edges > GRAPHVIZ_COMFORTABLE_SIZE).then(|| {
        format!(
            "this DOT has {nodes} nodes and {edges} edges, more than Graphviz `dot` lays out \
             in a few seconds ({GRAPHVIZ_COMFORTABLE_SIZE} nodes plus edges); \
             `--dot-layout strata` writes strata's layout into the DOT for `neato -n2`, \
             which draws it in seconds"
        )
    })
}

/// The nearest container above a node, if its parent chain reaches one.
fn cluster_parent<'a>(graph: &'a Graph, node: &'a Node) -> Option<&'a str> {
    let mut parent = node.parent.as_deref();
    // A chain longer than the graph is a cycle through non-containers.
    for _ in 0..graph.graph.node_count() {
        let id = parent?;
        let up = graph.node(id)?;
        if up.id == node.id {
            return None;
        }
        if up.kind.is_container() {
            return Some(up.id.as_str());
        }
        parent = up.parent.as_deref();
    }
    None
}

fn write_cluster_style(node: &Node, out: &mut String) {
    let Some((level, frame)) = node.kind.frame_level().zip(node.frame()) else {
        return;
    };
    let detail = cluster_detail(node, level);
    let title = if detail.is_empty() {
        format!("{}: {}", level.title(), node.name)
    } else {
        format!("{}: {} ({detail})", level.title(), node.name)
    };
    let title = [shown(&title, TITLE_WIDTH)];
    let _ = writeln!(
        out,
        "graph [label={}, {}, tooltip={}];",
        quote_label(&title),
        cluster_style(frame),
        quote_label(&[tooltip(node)]),
    );
}

fn cluster_detail(node: &Node, level: FrameLevel) -> String {
    match level {
        FrameLevel::Account => node.resource_id.clone().unwrap_or_default(),
        FrameLevel::Subnet => [
            node.drawing.detail.as_str(),
            node.drawing.tier.map_or("", |tier| tier.as_str()),
        ]
        .iter()
        .filter(|part| !part.is_empty())
        .copied()
        .collect::<Vec<_>>()
        .join(" "),
        FrameLevel::Vpc => node.drawing.detail.clone(),
        FrameLevel::Region | FrameLevel::Zone => String::new(),
    }
}

fn write_node(node: &Node, out: &mut String) {
    let mut lines = vec![shown(&node.name, NAME_WIDTH)];
    let detail = &node.drawing.detail;
    let detail = match node.status.as_deref() {
        Some(status) if detail.is_empty() => status.to_string(),
        Some(status) => format!("{detail} · {status}"),
        None => detail.clone(),
    };
    lines.push(shown(
        &format!(
            "{}{}{}",
            node.kind,
            if detail.is_empty() { "" } else { " · " },
            detail
        ),
        DETAIL_WIDTH,
    ));
    let _ = writeln!(
        out,
        "{} [label={}, {}, tooltip={}];",
        quote(&node.id),
        quote_label(&lines),
        node_style(node.kind, node.drawing.status),
        quote_label(&[tooltip(node)]),
    );
}

/// Full name, kind, id and status (bounded, one line).
fn tooltip(node: &Node) -> String {
    let mut tip = format!("{} ({}", node.name, node.kind);
    if let Some(id) = &node.resource_id {
        let _ = write!(tip, " {id}");
    }
    if let Some(status) = &node.status {
        let _ = write!(tip, ", {status}");
    }
    tip.push(')');
    shown(&tip, TOOLTIP_WIDTH)
}

fn write_edge(graph: &Graph, from: &Node, to: &Node, edge: &Edge, out: &mut String) {
    let health = edge.health.as_ref().map(|h| h.word.as_str());
    let mut label = edge.label.clone();
    if let Some(health) = health {
        label = if label.is_empty() {
            health.to_string()
        } else {
            format!("{label} ({health})")
        };
    }
    // `xlabel`, not `label`: `dot` turns an edge label into a node of its
    // own, in a rank of its own between the two ends, which doubles the ranks
    // whose crossings it minimises; an `xlabel` is placed after the layout.
    // On a 5,000-resource estate that is 8 s instead of 78 s.
    let _ = write!(
        out,
        "  {} -> {} [{}, xlabel={}, tooltip={}",
        quote(&from.id),
        quote(&to.id),
        edge_style(edge.kind, edge.health.as_ref().map(|h| h.status)),
        quote_label(&[shown(&label, DETAIL_WIDTH)]),
        quote_label(&[shown(
            &format!("{} {} → {}: {}", edge.kind, from.name, to.name, edge.label),
            TOOLTIP_WIDTH
        )]),
    );
    // An edge to a container ends on its frame, not on the hidden anchor.
    // Graphviz refuses lhead/ltail when one end lies inside the other's frame.
    let inside = |inner: &Node, outer: &Node| contains(graph, outer, inner);
    if from.kind.is_container() && !inside(to, from) {
        let _ = write!(out, ", ltail={}", quote(&cluster_name(&from.id)));
    }
    if to.kind.is_container() && !inside(from, to) {
        let _ = write!(out, ", lhead={}", quote(&cluster_name(&to.id)));
    }
    out.push_str("];\n");
}

/// Whether `outer`'s frame holds `inner` (at any depth), or they are one node.
fn contains(graph: &Graph, outer: &Node, inner: &Node) -> bool {
    if inner.id == outer.id {
        return true;
    }
    let mut current = cluster_parent(graph, inner);
    for _ in 0..graph.graph.node_count() {
        match current {
            None => return false,
            Some(id) if id == outer.id => return true,
            Some(id) => current = graph.node(id).and_then(|n| cluster_parent(graph, n)),
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use std::collections::{BTreeMap, BTreeSet};

    use super::*;
    use crate::graph::{EdgeKind, NodeKind};
    use crate::render::testing::kind;
    use crate::render::testing::{hostile, three_tier};
    use crate::style::Category;

    use crate::render::dot::testing::dot_name;

    /// `dot -T{format}` on a DOT document.
    fn graphviz(dot: &str, format: &str) -> String {
        crate::render::dot::testing::graphviz("dot", &[&format!("-T{format}")], dot)
    }

    /// What Graphviz understood: cluster → parent cluster, node → innermost
    /// cluster, edges as (tail, head, label), node labels.
    struct Parsed {
        cluster_parent: BTreeMap<String, Option<String>>,
        node_cluster: BTreeMap<String, Option<String>>,
        edges: BTreeSet<(String, String, String)>,
        labels: BTreeMap<String, String>,
    }

    fn parse(dot: &str) -> Parsed {
        let json: serde_json::Value = serde_json::from_str(&graphviz(dot, "json0")).unwrap();
        let objects = json["objects"].as_array().cloned().unwrap_or_default();
        let subgraph_count = json["_subgraph_cnt"].as_u64().unwrap() as usize;
        let name = |ix: u64| objects[ix as usize]["name"].as_str().unwrap().to_string();
        let mut parsed = Parsed {
            cluster_parent: BTreeMap::new(),
            node_cluster: BTreeMap::new(),
            edges: BTreeSet::new(),
            labels: BTreeMap::new(),
        };
        // Subgraphs come first; a subgraph's `nodes` include its descendants',
        // so the innermost cluster of a node is the one with the fewest nodes.
        let mut sizes: BTreeMap<String, usize> = BTreeMap::new();
        for cluster in &objects[..subgraph_count] {
            let me = cluster["name"].as_str().unwrap().to_string();
            parsed.cluster_parent.entry(me.clone()).or_insert(None);
            for child in cluster["subgraphs"].as_array().into_iter().flatten() {
                parsed
                    .cluster_parent
                    .insert(name(child.as_u64().unwrap()), Some(me.clone()));
            }
            let nodes = cluster["nodes"].as_array().cloned().unwrap_or_default();
            sizes.insert(me.clone(), nodes.len());
            for node in nodes {
                let node = name(node.as_u64().unwrap());
                let slot = parsed.node_cluster.entry(node).or_insert(None);
                if slot
                    .as_ref()
                    .is_none_or(|current| sizes[current] > sizes[&me])
                {
                    *slot = Some(me.clone());
                }
            }
        }
        for node in &objects[subgraph_count..] {
            let id = node["name"].as_str().unwrap().to_string();
            parsed.node_cluster.entry(id.clone()).or_insert(None);
            parsed
                .labels
                .insert(id, node["label"].as_str().unwrap_or("").to_string());
        }
        for edge in json["edges"].as_array().into_iter().flatten() {
            parsed.edges.insert((
                name(edge["tail"].as_u64().unwrap()),
                name(edge["head"].as_u64().unwrap()),
                edge["xlabel"].as_str().unwrap_or("").to_string(),
            ));
        }
        parsed
    }

    /// Graphviz's reading of the DOT must be exactly the graph: one DOT node
    /// per graph node, clusters nested as `parent` says, every edge.
    fn assert_structure_matches(graph: &Graph) {
        let dot = render(graph);
        let parsed = parse(&dot);
        let expected_clusters: BTreeMap<String, Option<String>> = graph
            .nodes()
            .into_iter()
            .filter(|n| n.kind.is_container())
            .map(|n| {
                let parent = cluster_parent(graph, n).map(|p| dot_name(&cluster_name(p)));
                (dot_name(&cluster_name(&n.id)), parent)
            })
            .collect();
        assert_eq!(parsed.cluster_parent, expected_clusters);
        let expected_nodes: BTreeMap<String, Option<String>> = graph
            .nodes()
            .into_iter()
            .map(|n| {
                let cluster = if n.kind.is_container() {
                    Some(cluster_name(&n.id))
                } else {
                    cluster_parent(graph, n).map(cluster_name)
                };
                (dot_name(&n.id), cluster.map(|c| dot_name(&c)))
            })
            .collect();
        assert_eq!(parsed.node_cluster, expected_nodes);
        let expected_edges: BTreeSet<(String, String)> = graph
            .edges()
            .into_iter()
            .map(|(from, to, _)| (dot_name(&from.id), dot_name(&to.id)))
            .collect();
        let parsed_edges: BTreeSet<(String, String)> = parsed
            .edges
            .iter()
            .map(|(t, h, _)| (t.clone(), h.clone()))
            .collect();
        assert_eq!(parsed_edges, expected_edges);
        assert_eq!(parsed.edges.len(), graph.graph.edge_count());
        graphviz(&dot, "svg");
    }

    #[test]
    fn three_tier_estate_nests_clusters_as_contained() {
        let graph = three_tier();
        assert_structure_matches(&graph);
        let parsed = parse(&render(&graph));
        assert_eq!(
            parsed.cluster_parent["cluster_subnet-app-a"].as_deref(),
            Some("cluster_vpc-1/eu-west-1a")
        );
        assert_eq!(
            parsed.node_cluster["i-1"].as_deref(),
            Some("cluster_subnet-app-a")
        );
        assert_eq!(
            parsed.node_cluster["alb-1"].as_deref(),
            Some("cluster_vpc-1")
        );
        assert_eq!(parsed.node_cluster["internet"], None);
        assert_eq!(
            parsed.labels["i-1"],
            "app-1\\nec2-instance · t3.micro · 10.0.1.10 · running"
        );
        let edges: BTreeSet<(&str, &str, &str)> = parsed
            .edges
            .iter()
            .map(|(t, h, l)| (t.as_str(), h.as_str(), l.as_str()))
            .collect();
        assert!(edges.contains(&("alb-1", "tg-1", "HTTPS:443")));
        assert!(edges.contains(&("subnet-pub-a", "igw-1", "0.0.0.0/0")));
        assert!(edges.contains(&("i-1", "db-1", "tcp/5432")));
    }

    #[test]
    fn styles_follow_kind_and_status() {
        let dot = render(&three_tier());
        let line = |needle: &str| {
            dot.lines()
                .find(|l| l.trim_start().starts_with(needle))
                .unwrap_or_else(|| panic!("no line starts with {needle}"))
                .to_string()
        };
        // One style table with the SVG: stopped is dashed in the stopped
        // badge's grey, a database in the database colour, `forwards` dashed.
        assert!(line("\"i-2\" [").contains("dashed") && line("\"i-2\" [").contains("#545B64"));
        assert!(!line("\"i-1\" [").contains("dashed"));
        assert!(line("\"db-1\" [").contains(Category::Database.colour()));
        assert!(line("\"alb-1\" -> \"tg-1\"").contains("style=dashed"));
        assert!(line("\"vpc-1\" -> \"vpc-2\"").contains("dir=both"));
        assert!(line("\"vpc-1\" -> \"vpc-2\"").contains("ltail=\"cluster_vpc-1\""));
        assert!(line("\"vpc-1\" -> \"vpc-2\"").contains("lhead=\"cluster_vpc-2\""));
        // A subnet routing to a gateway inside its own VPC frame: no lhead
        // onto a frame that holds the tail.
        assert!(line("\"subnet-pub-a\" -> \"igw-1\"").contains("ltail=\"cluster_subnet-pub-a\""));
        assert!(dot.contains("subgraph \"cluster_subnet-pub-a\""));
    }

    #[test]
    fn hostile_names_cannot_break_or_inject_into_the_dot() {
        let graph = hostile();
        assert_structure_matches(&graph);
        let dot = render(&graph);
        // Every statement is on its own line; no raw control character or
        // bidi override reaches the file.
        assert!(!dot
            .chars()
            .any(|c| (c.is_control() && c != '\n') || c == '\u{202E}'));
        let parsed = parse(&dot);
        for node in graph.nodes().iter().filter(|n| !n.kind.is_container()) {
            let label = &parsed.labels[&dot_name(&node.id)];
            let shown_name = shown(&node.name, NAME_WIDTH);
            // Graphviz reads back the name as shown (escaped backslashes
            // doubled in its own output), nothing more.
            let expected = shown_name.replace('\\', "\\\\").replace('&', "&amp;");
            assert!(
                label.starts_with(&format!("{expected}\\n")),
                "{label:?} vs {expected:?}"
            );
        }
        let svg = graphviz(&dot, "svg");
        assert!(
            !svg.contains("<script"),
            "an element was smuggled into the SVG"
        );
    }

    #[test]
    fn graphs_too_large_for_dot_in_seconds_are_named_with_their_size() {
        use crate::render::testing::GraphBuilder;
        assert_eq!(slow_in_graphviz(&three_tier()), None);
        let mut builder = GraphBuilder::default();
        for i in 0..=GRAPHVIZ_COMFORTABLE_SIZE {
            builder = builder.node(&format!("i-{i}"), kind("ec2-instance"), "i", None);
        }
        assert_eq!(
            slow_in_graphviz(&builder.build()).as_deref(),
            Some(
                "this DOT has 6001 nodes and 0 edges, more than Graphviz `dot` lays out in a few \
                 seconds (6000 nodes plus edges); `--dot-layout strata` writes strata's layout \
                 into the DOT for `neato -n2`, which draws it in seconds"
            )
        );
    }

    #[test]
    fn output_is_deterministic() {
        assert_eq!(render(&three_tier()), render(&three_tier()));
        assert_eq!(render(&hostile()), render(&hostile()));
    }

    #[test]
    fn cyclic_or_dangling_containment_still_renders_every_node() {
        use crate::render::testing::GraphBuilder;
        let graph = GraphBuilder::default()
            .node("vpc-a", NodeKind::VPC, "a", Some("vpc-b"))
            .node("vpc-b", NodeKind::VPC, "b", Some("vpc-a"))
            .node("i-1", kind("ec2-instance"), "i", Some("vpc-a"))
            .node("i-2", kind("ec2-instance"), "orphan", Some("missing"))
            .node("i-3", kind("ec2-instance"), "self", Some("i-3"))
            .edge("i-1", "vpc-b", EdgeKind::Allows, "all")
            .build();
        let parsed = parse(&render(&graph));
        let names: BTreeSet<&str> = parsed.node_cluster.keys().map(String::as_str).collect();
        assert_eq!(
            names,
            BTreeSet::from(["i-1", "i-2", "i-3", "vpc-a", "vpc-b"])
        );
        assert_eq!(parsed.edges.len(), 1);
    }
}
