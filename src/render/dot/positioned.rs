//! The architecture view as positioned DOT: strata's own [`Layout`] written
//! into Graphviz's layout attributes, so that `neato -n2` draws it where
//! strata put it, with Graphviz's renderer, without running a Graphviz
//! layout (which takes minutes on large clustered graphs).
//!
//! Owns the translation of geometry only: frames become nested clusters with
//! their `bb` and title `lp`, tiles become boxes with `pos` and a fixed size,
//! routes become edges whose `pos` is the route as a B-spline, pills become
//! edge labels at their `lp`. What is drawn where is the layout's; quoting
//! and looks are [`super`]'s, shared with the clustered form. The legend is
//! left out: it explains strata's SVG, not Graphviz's picture.
//!
//! Graphviz's conventions: positions are in points with the y axis pointing
//! up (strata's points down, so every y is flipped against the layout's
//! height), sizes are in inches (72 points).

use std::collections::BTreeMap;
use std::fmt::Write;

use super::{
    cluster_name, cluster_style, edge_style, indent, node_style, quote, quote_label, shown,
    ARROW_SIZE, TOOLTIP_WIDTH,
};
use crate::graph::EdgeKind;
use crate::layout::{Container, Font, Layout, Point, Rect, Route, TextLine, Tile};
use crate::text::FONT_FAMILY;

/// Points per inch: Graphviz gives node sizes in inches.
const POINTS_PER_INCH: f64 = 72.0;
/// Graphviz's arrowhead length at `arrowsize=1`, in points (`ARROW_LENGTH`
/// in its `arrows.c`).
const GRAPHVIZ_ARROW_LENGTH: f64 = 10.0;

/// Positioned DOT of a laid-out architecture view.
pub fn render(layout: &Layout) -> String {
    let flip = Flip {
        height: layout.height,
    };
    let mut out = String::with_capacity(1024 + layout.tiles.len() * 600);
    out.push_str("digraph strata {\n");
    // `notranslate` keeps strata's origin; `outputorder` paints edges under
    // tiles, as the SVG does; `splines` lets Graphviz draw the given curves.
    let _ = writeln!(
        out,
        "  graph [bb=\"0,0,{},{}\", notranslate=true, splines=true, outputorder=edgesfirst, \
         fontname=\"DejaVu Sans\", fontsize={}, label={}, lp={}, tooltip={}];",
        points(layout.width),
        points(layout.height),
        points(layout.header.summary.font.size),
        quote_label(&[header_line(layout)]),
        flip.point(centre(&layout.header.rect)),
        tooltip(&layout.header.tooltip),
    );
    out.push_str(
        "  node [shape=box, style=\"rounded,filled\", fixedsize=true, pin=true, \
         fontname=\"DejaVu Sans\", penwidth=1.2];\n",
    );
    let _ = writeln!(
        out,
        "  edge [fontname=\"DejaVu Sans\", arrowsize={ARROW_SIZE}];"
    );
    write_frames(layout, &flip, &mut out);
    for route in &layout.routes {
        write_route(route, &flip, &mut out);
    }
    out.push_str("}\n");
    out
}

/// Layout coordinates (y down, from the top) to Graphviz's (y up, from the
/// bottom of the drawing).
struct Flip {
    height: f64,
}

impl Flip {
    fn y(&self, y: f64) -> f64 {
        self.height - y
    }

    /// A quoted Graphviz point.
    fn point(&self, p: Point) -> String {
        format!("\"{},{}\"", points(p.x), points(self.y(p.y)))
    }

    /// A Graphviz point inside a `pos` list, unquoted.
    fn bare(&self, p: Point) -> String {
        format!("{},{}", points(p.x), points(self.y(p.y)))
    }

    /// A quoted Graphviz box: lower-left and upper-right corners.
    fn bb(&self, rect: &Rect) -> String {
        format!(
            "\"{},{},{},{}\"",
            points(rect.x),
            points(self.y(rect.bottom())),
            points(rect.right()),
            points(self.y(rect.y))
        )
    }
}

/// A coordinate in points, to a hundredth (what Graphviz itself writes),
/// never as `-0.00`.
fn points(value: f64) -> String {
    format!("{:.2}", (value * 100.0).round() / 100.0 + 0.0)
}

/// A size in inches, to a ten-thousandth (well under a hundredth of a point).
fn inches(value: f64) -> String {
    format!("{:.4}", value / POINTS_PER_INCH)
}

/// The fontconfig name of a bundled font, as Graphviz asks for it.
fn font_name(font: &Font) -> &'static str {
    if font.bold {
        "DejaVu Sans Bold"
    } else {
        FONT_FAMILY
    }
}

fn centre(rect: &Rect) -> Point {
    Point::new(rect.x + rect.w / 2.0, rect.y + rect.h / 2.0)
}

/// The header's title, scope summary and access line on one label line.
fn header_line(layout: &Layout) -> String {
    let header = &layout.header;
    [&header.title, &header.summary, &header.access]
        .iter()
        .map(|line| line.text.as_str())
        .filter(|text| !text.is_empty())
        .collect::<Vec<_>>()
        .join("  ·  ")
}

/// A quoted tooltip: each line shown as a label would be, bounded.
fn tooltip(text: &str) -> String {
    let lines: Vec<String> = text
        .lines()
        .map(|line| shown(line, TOOLTIP_WIDTH))
        .collect();
    quote_label(&lines)
}

/// Where Graphviz centres a one-line label so that its baseline falls on
/// `line`'s: half the line's width right of its start, and about a third
/// of the font size above the baseline (the middle of the lower-case
/// letters).
fn label_centre(line: &TextLine) -> Point {
    Point::new(line.x + line.width / 2.0, line.y - line.font.size * 0.35)
}

/// Every frame as a cluster, nested by `parent`, holding its tiles; a tile
/// or frame whose parent is not drawn is written at the top level rather
/// than lost. The layout lists frames outermost first, so parents form a
/// tree walked from its roots.
fn write_frames<'a>(layout: &'a Layout, flip: &Flip, out: &mut String) {
    let drawn: BTreeMap<&str, &Container> = layout
        .containers
        .iter()
        .map(|container| (container.id.as_str(), container))
        .collect();
    let parent_of = |parent: &'a Option<String>| -> Option<&'a str> {
        parent
            .as_deref()
            .filter(|parent| drawn.contains_key(parent))
    };
    let mut frames: BTreeMap<Option<&str>, Vec<&Container>> = BTreeMap::new();
    for container in &layout.containers {
        frames
            .entry(parent_of(&container.parent))
            .or_default()
            .push(container);
    }
    let mut tiles: BTreeMap<Option<&str>, Vec<&Tile>> = BTreeMap::new();
    for tile in &layout.tiles {
        tiles.entry(parent_of(&tile.parent)).or_default().push(tile);
    }
    enum Step<'a> {
        Open(&'a Container, usize),
        Close(usize),
    }
    let write_tiles = |parent: Option<&str>, depth: usize, out: &mut String| {
        for tile in tiles.get(&parent).into_iter().flatten() {
            indent(out, depth);
            write_tile(tile, flip, out);
        }
    };
    write_tiles(None, 1, out);
    let mut stack: Vec<Step> = frames
        .get(&None)
        .into_iter()
        .flatten()
        .rev()
        .map(|container| Step::Open(container, 1))
        .collect();
    while let Some(step) = stack.pop() {
        match step {
            Step::Close(depth) => {
                indent(out, depth);
                out.push_str("}\n");
            }
            Step::Open(container, depth) => {
                indent(out, depth);
                let _ = writeln!(out, "subgraph {} {{", quote(&cluster_name(&container.id)));
                write_frame(container, depth + 1, flip, out);
                write_tiles(Some(container.id.as_str()), depth + 1, out);
                stack.push(Step::Close(depth));
                for child in frames
                    .get(&Some(container.id.as_str()))
                    .into_iter()
                    .flatten()
                    .rev()
                {
                    stack.push(Step::Open(child, depth + 1));
                }
            }
        }
    }
}

/// A frame's cluster attributes, and the frame itself as an invisible point
/// at its centre: edges to a frame (a subnet's route, a VPC peering) need a
/// node to name, and Graphviz does not draw a cluster without one.
fn write_frame(container: &Container, depth: usize, flip: &Flip, out: &mut String) {
    let title = &container.title;
    indent(out, depth);
    let _ = writeln!(
        out,
        "graph [bb={}, label={}, lp={}, fontname=\"{}\", fontsize={}, {}, tooltip={}];",
        flip.bb(&container.rect),
        quote_label(std::slice::from_ref(&title.text)),
        flip.point(label_centre(title)),
        font_name(&title.font),
        points(title.font.size),
        cluster_style(container.frame),
        tooltip(&container.tooltip),
    );
    indent(out, depth);
    let _ = writeln!(
        out,
        "{} [shape=point, style=invis, width=0.01, height=0.01, label=\"\", pos={}];",
        quote(&container.id),
        flip.point(centre(&container.rect)),
    );
}

fn write_tile(tile: &Tile, flip: &Flip, out: &mut String) {
    let status = tile
        .badge
        .as_ref()
        .map(|badge| badge.badge)
        .unwrap_or_default();
    let _ = writeln!(
        out,
        "{} [pos={}, width={}, height={}, label={}, fontsize={}, {}, tooltip={}];",
        quote(&tile.id),
        flip.point(centre(&tile.rect)),
        inches(tile.rect.w),
        inches(tile.rect.h),
        quote_label(&[tile.name.text.clone(), tile.detail.text.clone()]),
        points(tile.name.font.size),
        node_style(tile.kind, status),
        tooltip(&tile.tooltip),
    );
}

/// How far back from its tip Graphviz draws an edge kind's arrowheads, at
/// the head and (for two-way edges) at the tail: `arrowsize` × the base
/// length × the shape's length factor (`arrows.c`: normal 1, dot 0.8,
/// diamond 1.2). The shapes are `style::dot_arrows`'.
fn arrow_lengths(kind: EdgeKind) -> (f64, Option<f64>) {
    let length = |factor: f64| ARROW_SIZE * GRAPHVIZ_ARROW_LENGTH * factor;
    match kind {
        EdgeKind::Peers => (length(1.0), Some(length(1.0))),
        EdgeKind::Member => (length(1.2), None),
        EdgeKind::Attaches => (length(0.8), None),
        EdgeKind::Allows
        | EdgeKind::Targets
        | EdgeKind::Forwards
        | EdgeKind::Routes
        | EdgeKind::Replicates => (length(1.0), None),
    }
}

/// `from` moved towards `to` by `length`, at most all the way.
fn towards(from: Point, to: Point, length: f64) -> Point {
    let (dx, dy) = (to.x - from.x, to.y - from.y);
    let distance = dx.hypot(dy);
    if distance <= length {
        return to;
    }
    Point::new(
        from.x + dx * length / distance,
        from.y + dy * length / distance,
    )
}

/// An edge's `pos`: the route as the piecewise cubic Bézier curve Graphviz
/// stores, `e,TIP` (and `s,TIP` for two-way edges) naming where the
/// arrowheads point. Graphviz draws an arrowhead from the curve's end to the
/// tip, so the curve stops an arrowhead short of the route's end.
///
/// A polyline becomes a B-spline by repeating points: the segment p→q is the
/// Bézier segment with control points p, q, q after its start p (a curve
/// whose control points lie on a straight line is that line), and each
/// segment starts where the last ended, so a route of n + 1 points gives
/// the 3n + 1 points Graphviz requires.
fn spline(route: &Route, flip: &Flip) -> Option<String> {
    let mut corners = route.points.clone();
    if corners.len() < 2 {
        return None;
    }
    let (head, tail) = arrow_lengths(route.kind);
    let last = corners.len() - 1;
    let tip = corners[last];
    corners[last] = towards(tip, corners[last - 1], head);
    let mut pos = String::new();
    if let Some(tail) = tail {
        let _ = write!(pos, "s,{} ", flip.bare(corners[0]));
        corners[0] = towards(corners[0], corners[1], tail);
    }
    let _ = write!(pos, "e,{} {}", flip.bare(tip), flip.bare(corners[0]));
    for pair in corners.windows(2) {
        let (p, q) = (flip.bare(pair[0]), flip.bare(pair[1]));
        let _ = write!(pos, " {p} {q} {q}");
    }
    Some(format!("\"{pos}\""))
}

fn write_route(route: &Route, flip: &Flip, out: &mut String) {
    let _ = write!(
        out,
        "  {} -> {} [{}, class={}",
        quote(&route.from),
        quote(&route.to),
        edge_style(route.kind, None),
        quote(route.kind.as_str()),
    );
    if let Some(pos) = spline(route, flip) {
        let _ = write!(out, ", pos={pos}");
    }
    match &route.label {
        Some(pill) => {
            let _ = write!(
                out,
                ", label={}, lp={}, fontsize={}, tooltip={}",
                quote_label(std::slice::from_ref(&pill.text.text)),
                flip.point(centre(&pill.rect)),
                points(pill.text.font.size),
                tooltip(&format!("{} {}", route.kind, pill.tooltip)),
            );
        }
        None => {
            let _ = write!(out, ", tooltip={}", quote(route.kind.as_str()));
        }
    }
    out.push_str("];\n");
}

#[cfg(test)]
mod tests {
    use std::collections::{BTreeMap, BTreeSet};

    use super::*;
    use crate::graph::Graph;
    use crate::layout;
    use crate::render::dot::testing::{dot_name, graphviz};
    use crate::render::testing::{hostile, three_tier};

    fn route(kind: EdgeKind, points: &[(f64, f64)]) -> Route {
        Route {
            from: "a".into(),
            to: "b".into(),
            kind,
            points: points.iter().map(|&(x, y)| Point::new(x, y)).collect(),
            label: None,
        }
    }

    #[test]
    fn a_route_becomes_the_same_polyline_as_a_spline_an_arrowhead_short() {
        let flip = Flip { height: 100.0 };
        // Down, then right: y flips against the height of 100, and the
        // curve stops 7 points (arrowsize 0.7 × 10) before the tip.
        let down_right = route(
            EdgeKind::Forwards,
            &[(10.0, 20.0), (10.0, 80.0), (110.0, 80.0)],
        );
        assert_eq!(
            spline(&down_right, &flip).unwrap(),
            "\"e,110.00,20.00 10.00,80.00 10.00,80.00 10.00,20.00 10.00,20.00 \
             10.00,20.00 103.00,20.00 103.00,20.00\""
        );
        // Two-way: an arrowhead at each end; a dot is 0.8 of an arrowhead.
        let both = route(EdgeKind::Peers, &[(0.0, 50.0), (40.0, 50.0)]);
        assert_eq!(
            spline(&both, &flip).unwrap(),
            "\"s,0.00,50.00 e,40.00,50.00 7.00,50.00 7.00,50.00 33.00,50.00 33.00,50.00\""
        );
        let dot = route(EdgeKind::Attaches, &[(0.0, 0.0), (0.0, 30.0)]);
        assert_eq!(
            spline(&dot, &flip).unwrap(),
            "\"e,0.00,70.00 0.00,100.00 0.00,100.00 0.00,75.60 0.00,75.60\""
        );
        assert_eq!(spline(&route(EdgeKind::Routes, &[(1.0, 1.0)]), &flip), None);
    }

    /// A box in layout coordinates from Graphviz's centre and size.
    fn node_box(node: &serde_json::Value, height: f64) -> Rect {
        let (x, y) = pair(node["pos"].as_str().unwrap());
        let inches = |key: &str| node[key].as_str().unwrap().parse::<f64>().unwrap();
        let (w, h) = (inches("width") * 72.0, inches("height") * 72.0);
        Rect::new(x - w / 2.0, height - y - h / 2.0, w, h)
    }

    fn pair(text: &str) -> (f64, f64) {
        let (x, y) = text.split_once(',').unwrap();
        (x.parse().unwrap(), y.parse().unwrap())
    }

    /// Tail, head, kind and the corners of the polyline drawn, in
    /// hundredths of a point of Graphviz's coordinates.
    type DrawnEdge = (String, String, String, Vec<(i64, i64)>);

    /// A point in hundredths of a point, as written.
    fn hundredths(x: f64, y: f64) -> (i64, i64) {
        ((x * 100.0).round() as i64, (y * 100.0).round() as i64)
    }

    /// The polyline an edge's `pos` draws: the start of each Bézier segment,
    /// with the arrowheads' tips for ends.
    fn polyline(pos: &str) -> Vec<(i64, i64)> {
        let mut start = None;
        let mut end = None;
        let mut curve = Vec::new();
        for token in pos.split_whitespace() {
            match token.split_once(',') {
                Some(("s", tip)) => start = Some(pair(tip)),
                Some(("e", tip)) => end = Some(pair(tip)),
                _ => curve.push(pair(token)),
            }
        }
        assert_eq!(curve.len() % 3, 1, "not a B-spline: {pos}");
        let mut corners: Vec<(f64, f64)> = curve.iter().step_by(3).copied().collect();
        if let Some(start) = start {
            corners[0] = start;
        }
        if let Some(end) = end {
            *corners.last_mut().unwrap() = end;
        }
        corners.into_iter().map(|(x, y)| hundredths(x, y)).collect()
    }

    /// Centres to a hundredth of a point (as written); sizes to the 0.036
    /// points Graphviz's output keeps of them (inches to three decimals).
    fn assert_near(found: &Rect, expected: &Rect, what: &str) {
        let close = |a: f64, b: f64, within: f64| (a - b).abs() <= within;
        let (a, b) = (centre(found), centre(expected));
        assert!(
            close(a.x, b.x, 0.01)
                && close(a.y, b.y, 0.01)
                && close(found.w, expected.w, 0.04)
                && close(found.h, expected.h, 0.04),
            "{what}: Graphviz put it at {found:?}, strata at {expected:?}"
        );
    }

    /// `neato -n2` places every tile, frame and frame anchor where the
    /// layout put it, nests the clusters as the frames nest, and draws every
    /// route, nothing more.
    fn assert_neato_draws_the_layout(graph: &Graph) {
        let layout = layout::architecture(graph);
        let dot = render(&layout);
        let json: serde_json::Value =
            serde_json::from_str(&graphviz("neato", &["-n2", "-Tjson"], &dot)).unwrap();
        let objects = json["objects"].as_array().cloned().unwrap_or_default();
        let clusters = json["_subgraph_cnt"].as_u64().unwrap() as usize;
        let name = |ix: &serde_json::Value| {
            objects[ix.as_u64().unwrap() as usize]["name"]
                .as_str()
                .unwrap()
                .to_string()
        };
        let mut parents: BTreeMap<String, Option<String>> = BTreeMap::new();
        for cluster in &objects[..clusters] {
            let me = cluster["name"].as_str().unwrap().to_string();
            parents.entry(me.clone()).or_insert(None);
            for child in cluster["subgraphs"].as_array().into_iter().flatten() {
                parents.insert(name(child), Some(me.clone()));
            }
        }
        let expected_parents: BTreeMap<String, Option<String>> = layout
            .containers
            .iter()
            .map(|c| {
                let parent = c.parent.as_deref().map(|p| dot_name(&cluster_name(p)));
                (dot_name(&cluster_name(&c.id)), parent)
            })
            .collect();
        assert_eq!(parents, expected_parents);
        let frames: BTreeMap<String, Rect> = objects[..clusters]
            .iter()
            .map(|cluster| {
                let corners: Vec<f64> = cluster["bb"]
                    .as_str()
                    .unwrap()
                    .split(',')
                    .map(|v| v.parse().unwrap())
                    .collect();
                let rect = Rect::new(
                    corners[0],
                    layout.height - corners[3],
                    corners[2] - corners[0],
                    corners[3] - corners[1],
                );
                (cluster["name"].as_str().unwrap().to_string(), rect)
            })
            .collect();
        let nodes: BTreeMap<String, Rect> = objects[clusters..]
            .iter()
            .map(|node| {
                let id = node["name"].as_str().unwrap().to_string();
                (id, node_box(node, layout.height))
            })
            .collect();
        for container in &layout.containers {
            let frame = &frames[&dot_name(&cluster_name(&container.id))];
            assert_near(frame, &container.rect, &container.id);
            let anchor = &nodes[&dot_name(&container.id)];
            let middle = centre(&container.rect);
            assert!(
                (anchor.center_x() - middle.x).abs() <= 0.01,
                "{}",
                container.id
            );
        }
        for tile in &layout.tiles {
            assert_near(&nodes[&dot_name(&tile.id)], &tile.rect, &tile.id);
        }
        assert_eq!(
            nodes.len(),
            layout.tiles.len() + layout.containers.len(),
            "Graphviz found nodes the layout does not have"
        );
        // Edges as (tail, head, kind, the polyline Graphviz draws), in
        // Graphviz's coordinates, whatever order it lists them in.
        let mut edges: Vec<DrawnEdge> = json["edges"]
            .as_array()
            .into_iter()
            .flatten()
            .map(|edge| {
                (
                    name(&edge["tail"]),
                    name(&edge["head"]),
                    edge["class"].as_str().unwrap().to_string(),
                    polyline(edge["pos"].as_str().unwrap()),
                )
            })
            .collect();
        let mut routes: Vec<DrawnEdge> = layout
            .routes
            .iter()
            .map(|r| {
                let corners = r
                    .points
                    .iter()
                    .map(|p| hundredths(p.x, layout.height - p.y))
                    .collect();
                (
                    dot_name(&r.from),
                    dot_name(&r.to),
                    r.kind.to_string(),
                    corners,
                )
            })
            .collect();
        edges.sort();
        routes.sort();
        assert_eq!(edges, routes);
        let svg = graphviz("neato", &["-n2", "-Tsvg"], &dot);
        assert!(!svg.contains("<script"), "an element was smuggled in");
    }

    #[test]
    fn neato_draws_the_three_tier_estate_where_strata_laid_it_out() {
        let graph = three_tier();
        assert_neato_draws_the_layout(&graph);
        let dot = render(&layout::architecture(&graph));
        let labelled: BTreeSet<&str> = dot
            .lines()
            .filter(|line| line.contains(" -> ") && line.contains(", lp="))
            .map(|line| line.split(" [").next().unwrap().trim())
            .collect();
        // The edges whose pills the layout kept (a target group folds into
        // its load balancer, so `alb-1` labels its targets itself).
        assert_eq!(
            labelled,
            BTreeSet::from([
                "\"alb-1\" -> \"i-1\"",
                "\"i-1\" -> \"db-1\"",
                "\"internet\" -> \"alb-1\"",
                "\"subnet-pub-a\" -> \"igw-1\"",
                "\"vpc-1\" -> \"vpc-2\"",
            ])
        );
    }

    #[test]
    fn hostile_names_stay_inert_in_positioned_dot() {
        let graph = hostile();
        assert_neato_draws_the_layout(&graph);
        let dot = render(&layout::architecture(&graph));
        assert!(!dot
            .chars()
            .any(|c| (c.is_control() && c != '\n') || c == '\u{202E}'));
    }

    #[test]
    fn output_is_deterministic() {
        let draw = |graph: &Graph| render(&layout::architecture(graph));
        assert_eq!(draw(&three_tier()), draw(&three_tier()));
        assert_eq!(draw(&hostile()), draw(&hostile()));
    }
}
