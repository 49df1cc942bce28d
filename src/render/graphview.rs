//! `--view graph`: the relationship graph without containers, laid out by
//! layout-rs, as SVG.
//!
//! Owns choosing what the view shows (resources and outside parties that
//! take part in at least one relationship between them), sizing their boxes
//! with the bundled font's metrics, and writing the SVG. layout-rs owns the
//! placement; its draw calls come to [`Canvas`], which writes every element
//! through quick-xml so no name can add markup, and which keeps the output
//! deterministic (layout-rs's own writer orders styles by hash).
//!
//! layout-rs's time grows with about the fourth power of the nodes and edges
//! it places, so above [`MAX_ELEMENTS`] this view refuses with a message
//! instead of hanging.

use std::collections::{BTreeMap, BTreeSet};

use anyhow::bail;
use layout::core::base::Orientation;
use layout::core::color::Color;
use layout::core::format::{ClipHandle, RenderBackend};
use layout::core::geometry::Point;
use layout::core::style::{LineStyleKind, StyleAttr};
use layout::std_shapes::shapes::{Arrow, Element, LineEndKind, ShapeKind};
use layout::topo::layout::VisualGraph;
use quick_xml::events::{BytesDecl, BytesText, Event};
use quick_xml::Writer;

use crate::graph::{Edge, EdgeKind, Graph, Node};
use crate::style::{self, Status};
use crate::text::{visible, Font, FONT_FAMILY};

/// The most resources plus relationships this view lays out. Measured with
/// synthetic estates (`benches/scale.rs`, release build, CPU time on this
/// project's 2-core machine): 68 + 98 → 0.07 s, 96 + 211 → 0.7 s,
/// 116 + 298 → 2.3 s, 142 + 384 → 5.2 s (and 208 + 659 did not finish in
/// five minutes). 400 keeps the wait to about two seconds.
pub const MAX_ELEMENTS: usize = 400;

const NAME_FONT: Font = Font::bold(11.0);
const DETAIL_FONT: Font = Font::regular(10.0);
const LABEL_FONT: Font = Font::regular(9.0);
/// Widest name or detail line in a box, and widest edge label.
const LINE_WIDTH: f64 = 230.0;
const LABEL_WIDTH: f64 = 140.0;
const PADDING_X: f64 = 12.0;
const LINE_HEIGHT: f64 = 15.0;
const HEADER_HEIGHT: f64 = 40.0;

/// SVG of the relationship graph, or an error when it is too large to lay out.
pub fn render(graph: &Graph) -> anyhow::Result<String> {
    let view = View::of(graph);
    if view.nodes.len() + view.edges.len() > MAX_ELEMENTS {
        bail!(
            "the graph view lays out at most {MAX_ELEMENTS} resources and relationships together, \
             and this estate has {} resources with {} relationships; draw it with --view \
             architecture, or render a snapshot of fewer accounts or regions",
            view.nodes.len(),
            view.edges.len()
        );
    }
    let mut visual = VisualGraph::new(Orientation::LeftToRight);
    // The relationship graph has cycles (security groups allowing each
    // other); layout-rs reverses edges to get a DAG when validation is off.
    visual.dag.set_validate(false);
    let mut handles = Vec::with_capacity(view.nodes.len());
    for (index, node) in view.nodes.iter().enumerate() {
        let look = StyleAttr::new(
            Color::new(0),
            1,
            Some(Color::new(0xffffffff)),
            6,
            NAME_FONT.size as usize,
        );
        let element = Element::create_with_properties(
            ShapeKind::new_box(""),
            look,
            Orientation::LeftToRight,
            node_size(node),
            format!("n{index}"),
        );
        handles.push(visual.add_node(element));
    }
    for (index, (from, to, edge)) in view.edges.iter().enumerate() {
        let (line_style, end) = match edge.kind {
            EdgeKind::Allows | EdgeKind::Replicates => (LineStyleKind::Dashed, LineEndKind::Arrow),
            EdgeKind::Member | EdgeKind::Attaches => (LineStyleKind::Dotted, LineEndKind::Arrow),
            _ => (LineStyleKind::Normal, LineEndKind::Arrow),
        };
        let start = if edge.kind == EdgeKind::Peers {
            LineEndKind::Arrow
        } else {
            LineEndKind::None
        };
        let look = StyleAttr::new(Color::new(0), 1, None, 0, 9);
        let arrow = Arrow::with_properties(
            start,
            end,
            line_style,
            &LABEL_FONT.fit(&visible(&edge.label), LABEL_WIDTH),
            &look,
            format!("e{index}"),
            &None,
            &None,
        );
        visual.add_edge(arrow, handles[*from], handles[*to]);
    }
    let mut canvas = Canvas::default();
    // layout-rs asserts on shapes it cannot place; a bug there must not take
    // the whole command down with a panic.
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        visual.do_it(false, false, false, &mut canvas)
    }))
    .map_err(|_| {
        anyhow::anyhow!("layout-rs failed to lay out the graph view; use --view architecture")
    })?;
    Ok(canvas.finish(&view))
}

/// What the view draws, with indices into `nodes` for the edges.
struct View<'a> {
    nodes: Vec<&'a Node>,
    edges: Vec<(usize, usize, &'a Edge)>,
    containers: usize,
    unconnected: usize,
    container_edges: usize,
}

impl<'a> View<'a> {
    fn of(graph: &'a Graph) -> View<'a> {
        let all = graph.nodes();
        let containers = all.iter().filter(|n| n.kind.is_container()).count();
        let mut container_edges = 0;
        let mut kept: Vec<(&Node, &Node, &Edge)> = Vec::new();
        for (from, to, edge) in graph.edges() {
            if from.kind.is_container() || to.kind.is_container() {
                container_edges += 1;
            } else {
                kept.push((from, to, edge));
            }
        }
        let connected: BTreeSet<&str> = kept
            .iter()
            .flat_map(|(from, to, _)| [from.id.as_str(), to.id.as_str()])
            .collect();
        let nodes: Vec<&Node> = all
            .into_iter()
            .filter(|n| connected.contains(n.id.as_str()))
            .collect();
        let position: BTreeMap<&str, usize> = nodes
            .iter()
            .enumerate()
            .map(|(i, n)| (n.id.as_str(), i))
            .collect();
        let edges = kept
            .into_iter()
            .map(|(from, to, edge)| (position[from.id.as_str()], position[to.id.as_str()], edge))
            .collect();
        View {
            unconnected: graph.graph.node_count() - containers - nodes.len(),
            nodes,
            edges,
            containers,
            container_edges,
        }
    }
}

/// A tooltip: the whole text made displayable, bounded for hostile input.
fn tooltip(text: &str) -> String {
    DETAIL_FONT.fit(&visible(text), 3000.0)
}

fn name_line(node: &Node) -> String {
    NAME_FONT.fit(&visible(&node.name), LINE_WIDTH)
}

fn detail_line(node: &Node) -> String {
    let mut line = node.kind.as_str().to_string();
    if let Some(status) = &node.status {
        line.push_str(" · ");
        line.push_str(status);
    }
    DETAIL_FONT.fit(&visible(&line), LINE_WIDTH)
}

fn node_size(node: &Node) -> Point {
    let width = NAME_FONT
        .measure(&name_line(node))
        .max(DETAIL_FONT.measure(&detail_line(node)));
    Point::new(width + 2.0 * PADDING_X, 2.0 * LINE_HEIGHT + 10.0)
}

/// Line and fill colour of a node: its category's, or its status's when a
/// reader must notice it.
fn colours(node: &Node) -> (&'static str, &'static str) {
    let category = node.kind.look().category;
    match node.drawing.status {
        status if status.is_degraded() => (status.badge().0, category.tint()),
        _ => (category.colour(), category.tint()),
    }
}

fn edge_colour(edge: &Edge) -> &'static str {
    match edge.health.as_ref().map(|h| h.status) {
        Some(status) if status.is_degraded() => Status::Failed.badge().0,
        _ => style::edge(edge.kind).colour,
    }
}

/// A layout-rs render backend that records geometry; [`Canvas::finish`]
/// writes the document. Properties are only ever `n<index>` / `e<index>`,
/// set by [`render`], never text from the graph.
#[derive(Default)]
struct Canvas {
    /// Node index → top-left and size.
    boxes: BTreeMap<usize, (Point, Point)>,
    /// Edge index → SVG path data of its segments, in draw order.
    paths: BTreeMap<usize, Vec<String>>,
    /// Edge labels layout-rs placed on its label connectors.
    labels: Vec<(Point, String)>,
    /// Largest x and y drawn.
    max: (f64, f64),
}

fn index_of(properties: &Option<String>, prefix: char) -> Option<usize> {
    properties.as_deref()?.strip_prefix(prefix)?.parse().ok()
}

impl Canvas {
    fn grow(&mut self, point: Point) {
        self.max = (self.max.0.max(point.x), self.max.1.max(point.y));
    }

    fn finish(self, view: &View) -> String {
        let width = (self.max.0 + 20.0).ceil().max(400.0);
        let height = (self.max.1 + 20.0 + HEADER_HEIGHT).ceil();
        let mut writer = Writer::new_with_indent(Vec::new(), b' ', 1);
        let result = (|| -> std::io::Result<()> {
            writer.write_event(Event::Decl(BytesDecl::new("1.0", Some("UTF-8"), None)))?;
            writer
                .create_element("svg")
                .with_attributes([
                    ("xmlns", "http://www.w3.org/2000/svg"),
                    ("width", &format_number(width)),
                    ("height", &format_number(height)),
                    (
                        "viewBox",
                        &format!("0 0 {} {}", format_number(width), format_number(height)),
                    ),
                    ("font-family", FONT_FAMILY),
                    ("data-view", "graph"),
                ])
                .write_inner_content(|w| self.write_body(w, view))?;
            Ok(())
        })();
        result.expect("writing XML to memory cannot fail");
        let mut svg = String::from_utf8(writer.into_inner()).expect("the SVG is UTF-8");
        svg.push('\n');
        svg
    }

    fn write_body(&self, w: &mut Writer<Vec<u8>>, view: &View) -> std::io::Result<()> {
        w.create_element("defs").write_inner_content(|w| {
            w.create_element("marker")
                .with_attributes([
                    ("id", "arrow"),
                    ("viewBox", "0 0 10 10"),
                    ("refX", "10"),
                    ("refY", "5"),
                    ("markerWidth", "7"),
                    ("markerHeight", "7"),
                    ("orient", "auto-start-reverse"),
                ])
                .write_inner_content(|w| {
                    w.create_element("path")
                        .with_attributes([("d", "M0,0 L10,5 L0,10 z"), ("fill", "context-stroke")])
                        .write_empty()?;
                    Ok(())
                })?;
            Ok(())
        })?;
        w.create_element("rect")
            .with_attributes([("width", "100%"), ("height", "100%"), ("fill", "#ffffff")])
            .write_empty()?;
        let mut note = format!(
            "strata graph view: {} resources, {} relationships",
            view.nodes.len(),
            view.edges.len()
        );
        let mut left_out = Vec::new();
        if view.containers > 0 {
            left_out.push(format!("{} containers", view.containers));
        }
        if view.container_edges > 0 {
            left_out.push(format!(
                "{} relationships of containers",
                view.container_edges
            ));
        }
        if view.unconnected > 0 {
            left_out.push(format!(
                "{} resources without relationships",
                view.unconnected
            ));
        }
        if !left_out.is_empty() {
            note.push_str(&format!(
                " (not drawn: {}; see --view architecture)",
                left_out.join(", ")
            ));
        }
        w.create_element("text")
            .with_attributes([
                ("x", "10"),
                ("y", "24"),
                ("font-size", "13"),
                ("fill", "#16191f"),
            ])
            .write_text_content(BytesText::new(&note))?;
        w.create_element("g")
            .with_attribute((
                "transform",
                format!("translate(10 {HEADER_HEIGHT})").as_str(),
            ))
            .write_inner_content(|w| {
                for (index, (from, to, edge)) in view.edges.iter().enumerate() {
                    let Some(paths) = self.paths.get(&index) else {
                        continue;
                    };
                    let colour = edge_colour(edge);
                    let dash = match edge.kind {
                        EdgeKind::Allows | EdgeKind::Replicates => "6 4",
                        EdgeKind::Member | EdgeKind::Attaches => "2 3",
                        _ => "none",
                    };
                    w.create_element("g")
                        .with_attributes([
                            ("data-from", visible(&view.nodes[*from].id).as_str()),
                            ("data-to", visible(&view.nodes[*to].id).as_str()),
                            ("data-kind", edge.kind.as_str()),
                        ])
                        .write_inner_content(|w| {
                            w.create_element("title")
                                .write_text_content(BytesText::new(&tooltip(&format!(
                                    "{}: {} → {} {}",
                                    edge.kind,
                                    view.nodes[*from].name,
                                    view.nodes[*to].name,
                                    edge.label
                                ))))?;
                            for (segment, d) in paths.iter().enumerate() {
                                let last = segment + 1 == paths.len();
                                let mut path = w.create_element("path").with_attributes([
                                    ("d", d.as_str()),
                                    ("fill", "none"),
                                    ("stroke", colour),
                                    ("stroke-width", "1.3"),
                                    ("stroke-dasharray", dash),
                                ]);
                                if last {
                                    path = path.with_attribute(("marker-end", "url(#arrow)"));
                                }
                                if segment == 0 && edge.kind == EdgeKind::Peers {
                                    path = path.with_attribute(("marker-start", "url(#arrow)"));
                                }
                                path.write_empty()?;
                            }
                            Ok(())
                        })?;
                }
                for (at, label) in &self.labels {
                    w.create_element("text")
                        .with_attributes([
                            ("x", format_number(at.x).as_str()),
                            ("y", format_number(at.y + 3.0).as_str()),
                            ("font-size", "9"),
                            ("text-anchor", "middle"),
                            ("fill", "#545b64"),
                            // A white halo keeps the label readable on its edge.
                            ("stroke", "#ffffff"),
                            ("stroke-width", "3"),
                            ("paint-order", "stroke"),
                        ])
                        .write_text_content(BytesText::new(&visible(label)))?;
                }
                for (index, node) in view.nodes.iter().enumerate() {
                    let Some((corner, size)) = self.boxes.get(&index) else {
                        continue;
                    };
                    let (stroke, fill) = colours(node);
                    let bbox = format!(
                        "{} {} {} {}",
                        format_number(corner.x + 10.0),
                        format_number(corner.y + HEADER_HEIGHT),
                        format_number(size.x),
                        format_number(size.y)
                    );
                    w.create_element("g")
                        .with_attributes([
                            ("data-id", visible(&node.id).as_str()),
                            ("data-kind", node.kind.as_str()),
                            ("data-bbox", bbox.as_str()),
                        ])
                        .write_inner_content(|w| {
                            let tip = format!(
                                "{} ({} {}{})",
                                node.name,
                                node.kind,
                                node.resource_id.as_deref().unwrap_or(&node.id),
                                node.status
                                    .as_deref()
                                    .map(|s| format!(", {s}"))
                                    .unwrap_or_default()
                            );
                            w.create_element("title")
                                .write_text_content(BytesText::new(&tooltip(&tip)))?;
                            let dashed = if node.drawing.status.is_degraded() {
                                "4 3"
                            } else {
                                "none"
                            };
                            w.create_element("rect")
                                .with_attributes([
                                    ("x", format_number(corner.x).as_str()),
                                    ("y", format_number(corner.y).as_str()),
                                    ("width", format_number(size.x).as_str()),
                                    ("height", format_number(size.y).as_str()),
                                    ("rx", "6"),
                                    ("fill", fill),
                                    ("stroke", stroke),
                                    ("stroke-width", "1.3"),
                                    ("stroke-dasharray", dashed),
                                ])
                                .write_empty()?;
                            let centre = corner.x + size.x / 2.0;
                            for (line, (weight, size, dy)) in [
                                (name_line(node), ("bold", NAME_FONT.size, 16.0)),
                                (
                                    detail_line(node),
                                    ("normal", DETAIL_FONT.size, 16.0 + LINE_HEIGHT),
                                ),
                            ] {
                                w.create_element("text")
                                    .with_attributes([
                                        ("x", format_number(centre).as_str()),
                                        ("y", format_number(corner.y + dy).as_str()),
                                        ("font-size", format_number(size).as_str()),
                                        ("font-weight", weight),
                                        ("text-anchor", "middle"),
                                        ("fill", "#16191f"),
                                    ])
                                    .write_text_content(BytesText::new(&line))?;
                            }
                            Ok(())
                        })?;
                }
                Ok(())
            })?;
        Ok(())
    }
}

/// Coordinates with at most two decimals, so output does not depend on
/// float formatting noise.
fn format_number(value: f64) -> String {
    let rounded = (value * 100.0).round() / 100.0;
    if rounded == rounded.trunc() {
        format!("{}", rounded as i64)
    } else {
        format!("{rounded}")
    }
}

impl RenderBackend for Canvas {
    fn draw_rect(
        &mut self,
        xy: Point,
        size: Point,
        _look: &StyleAttr,
        properties: Option<String>,
        _clip: Option<ClipHandle>,
    ) {
        if let Some(index) = index_of(&properties, 'n') {
            self.boxes.insert(index, (xy, size));
            self.grow(xy.add(size));
        }
    }

    fn draw_line(&mut self, _: Point, _: Point, _: &StyleAttr, _: Option<String>) {}

    fn draw_circle(&mut self, _: Point, _: Point, _: &StyleAttr, _: Option<String>) {}

    fn draw_text(&mut self, xy: Point, text: &str, _look: &StyleAttr) {
        // Node boxes carry no text (their labels are written from the graph);
        // what remains are edge labels on layout-rs's label connectors.
        if !text.is_empty() {
            self.labels.push((xy, text.to_string()));
            self.grow(xy.add(Point::new(60.0, 10.0)));
        }
    }

    fn draw_arrow(
        &mut self,
        path: &[(Point, Point)],
        _dashed: bool,
        _head: (bool, bool),
        _look: &StyleAttr,
        properties: Option<String>,
        _text: &str,
    ) {
        let (Some(index), [first, second, rest @ ..]) = (index_of(&properties, 'e'), path) else {
            return;
        };
        let n = |p: Point| format!("{} {}", format_number(p.x), format_number(p.y));
        let mut d = format!(
            "M {} C {}, {}, {}",
            n(first.0),
            n(first.1),
            n(second.0),
            n(second.1)
        );
        for point in rest {
            d.push_str(&format!(" S {}, {}", n(point.0), n(point.1)));
        }
        for point in path {
            self.grow(point.0);
            self.grow(point.1);
        }
        self.paths.entry(index).or_default().push(d);
    }

    fn create_clip(&mut self, _: Point, _: Point, _: usize) -> ClipHandle {
        0
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use super::*;
    use crate::graph::NodeKind;
    use crate::render::testing::kind;
    use crate::render::testing::{hostile, three_tier, GraphBuilder};

    /// Every `<g data-id>` and `<g data-from data-to>` of a graph-view SVG,
    /// read back with a real XML parser.
    fn drawn(svg: &str) -> (BTreeSet<String>, BTreeSet<(String, String, String)>) {
        let mut reader = quick_xml::Reader::from_str(svg);
        let (mut nodes, mut edges) = (BTreeSet::new(), BTreeSet::new());
        loop {
            match reader.read_event().expect("the SVG is well-formed XML") {
                Event::Eof => break,
                Event::Start(e) | Event::Empty(e) => {
                    let attr = |name: &str| {
                        e.try_get_attribute(name)
                            .unwrap()
                            .map(|a| a.unescape_value().unwrap().into_owned())
                    };
                    if let Some(id) = attr("data-id") {
                        nodes.insert(id);
                    }
                    if let (Some(from), Some(to), Some(kind)) =
                        (attr("data-from"), attr("data-to"), attr("data-kind"))
                    {
                        edges.insert((from, to, kind));
                    }
                    assert_ne!(e.name().as_ref(), b"script", "markup was smuggled in");
                }
                _ => {}
            }
        }
        (nodes, edges)
    }

    fn rasterises(svg: &str) -> Vec<u8> {
        crate::render::png::rasterise(svg).expect("resvg renders the graph view")
    }

    #[test]
    fn draws_resources_and_relationships_without_containers() {
        let svg = render(&three_tier()).unwrap();
        let (nodes, edges) = drawn(&svg);
        let expected_nodes: BTreeSet<String> = [
            "alb-1",
            "cluster-1",
            "db-1",
            "db-2",
            "i-1",
            "i-2",
            "internet",
            "tg-1",
            "vol-1",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        assert_eq!(nodes, expected_nodes);
        let expected_edges: BTreeSet<(String, String, String)> = [
            ("alb-1", "i-1", "allows"),
            ("alb-1", "tg-1", "forwards"),
            ("db-1", "cluster-1", "member"),
            ("db-1", "db-2", "replicates"),
            ("i-1", "db-1", "allows"),
            ("internet", "alb-1", "allows"),
            ("tg-1", "i-1", "targets"),
            ("tg-1", "i-2", "targets"),
            ("vol-1", "i-1", "attaches"),
        ]
        .iter()
        .map(|(a, b, c)| (a.to_string(), b.to_string(), c.to_string()))
        .collect();
        assert_eq!(edges, expected_edges);
        // What was left out is said, not silently dropped.
        assert!(svg.contains("not drawn: 9 containers, 4 relationships of containers, 3 resources without relationships"), "{svg}");
        rasterises(&svg);
        assert_eq!(svg, render(&three_tier()).unwrap(), "not deterministic");
    }

    #[test]
    fn hostile_names_are_escaped() {
        let graph = hostile();
        let svg = render(&graph).unwrap();
        let (nodes, edges) = drawn(&svg);
        let expected: BTreeSet<String> = graph
            .nodes()
            .iter()
            .filter(|n| n.kind == kind("ec2-instance"))
            .map(|n| visible(&n.id))
            .collect();
        assert_eq!(nodes, expected);
        assert_eq!(edges.len(), graph.graph.edge_count());
        assert!(!svg.contains("<script"));
        assert!(!svg
            .chars()
            .any(|c| (c.is_control() && c != '\n') || ('\u{202a}'..='\u{202e}').contains(&c)));
        rasterises(&svg);
    }

    #[test]
    fn too_large_a_graph_is_refused_with_advice() {
        let mut builder =
            GraphBuilder::default().node("internet", NodeKind::Internet, "Internet", None);
        for i in 0..MAX_ELEMENTS / 2 {
            let id = format!("i-{i}");
            builder = builder.node(&id, kind("ec2-instance"), &id, None).edge(
                "internet",
                &id,
                EdgeKind::Allows,
                "tcp/22",
            );
        }
        let message = render(&builder.build()).unwrap_err().to_string();
        assert!(
            message.contains(&format!(
                "this estate has {} resources with {} relationships",
                MAX_ELEMENTS / 2 + 1,
                MAX_ELEMENTS / 2
            )),
            "{message}"
        );
        assert!(message.contains("--view architecture"), "{message}");
        assert!(!message.contains('\n'));
    }
}
