//! Readability figures of an architecture-view SVG, read from the document
//! the way a reviewer's tool would: `<polyline data-from data-to data-kind>`
//! edges, `<g data-label-of>` pills, `<g data-id data-bbox>` tiles and
//! frames. Owns the definitions of the figures (issue 13) and nothing else;
//! the geometry properties (overlaps, containment) are `tests/drawing.rs`'s.
//!
//! It lives under `tests/support/` and is included with `#[path]` by
//! `tests/drawing.rs` (thresholds) and `benches/scale.rs` (the printed
//! table), so both measure with one definition. It is not a library module:
//! the render-only build and users have no use for it, and it reads the SVG
//! rather than the `Layout` so it measures what a person is shown.

use std::collections::{BTreeMap, HashMap};

use resvg::usvg::roxmltree;
use strata::layout::Font;

/// Two coordinates closer than this are the same place: the SVG carries one
/// decimal, and the renderer's strokes are 1.2–1.8 px wide.
const EPS: f64 = 0.5;
/// Parallel segments closer than this read as one line: with strokes of
/// 1.2–1.8 px, lines under 3 px apart touch on screen.
const SHARED_GAP: f64 = 3.0;

/// The readability figures of one picture.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Readability {
    /// Drawn edges (polylines).
    pub edges: usize,
    /// Mean number of bends (interior corners) per edge.
    pub bends_per_edge: f64,
    /// Points where lines of two different edges cross (a horizontal
    /// segment of one and a vertical segment of the other meeting strictly
    /// inside both), divided by the number of edges. A point counts once
    /// however many edges run through it: a trunk of five edges sharing an
    /// end crosses another line once, as a reader sees it.
    pub crossings_per_edge: f64,
    /// The same crossings counted per pair of edges (a trunk of five edges
    /// crossing one line counts five), for comparison.
    pub pair_crossings: usize,
    /// The 90th percentile (nearest rank) over edges of the detour: the
    /// polyline's length divided by the Manhattan distance between its first
    /// and last point (where it leaves its source and reaches its target).
    /// 1.0 is as short as an orthogonal line can be; the distance is taken
    /// as at least 1 px so touching ends do not divide by zero.
    pub detour_p90: f64,
    /// Total length in px of parallel segments of two edges that share no
    /// end (no common source or target) running within [`SHARED_GAP`] of
    /// each other: stretches where a reader cannot tell which line is which.
    pub shared_px: f64,
    /// Pills lying over another pill, a tile, a frame's title, a frame's
    /// border or a segment of an edge the pill does not belong to (a pill
    /// belongs to its own edge and to edges of the same kind sharing an end
    /// with it, the bundle it labels). One per (pill, obstacle) pair.
    pub label_collisions: usize,
    /// Tiles whose name is shortened with `…`.
    pub names_cut: usize,
    /// Tiles whose detail line is shortened with `…`.
    pub details_cut: usize,
    pub tiles: usize,
    /// The first few collisions and shared stretches, for failure messages.
    pub findings: Vec<String>,
}

impl Readability {
    /// The figures as one markdown table row after `name`.
    pub fn row(&self, name: &str) -> String {
        format!(
            "| {name} | {} | {:.2} | {:.2} ({}) | {:.2} | {:.0} | {} | {} / {} | {} / {} |",
            self.edges,
            self.bends_per_edge,
            self.crossings_per_edge,
            self.pair_crossings,
            self.detour_p90,
            self.shared_px,
            self.label_collisions,
            self.names_cut,
            self.tiles,
            self.details_cut,
            self.tiles
        )
    }

    /// The header of the table [`Readability::row`] fills.
    pub const HEADER: &'static str = "| picture | edges | bends / edge | crossings / edge (edge pairs crossing) | detour p90 | px shared by unrelated edges | label collisions | names cut | details cut |\n|---|---:|---:|---:|---:|---:|---:|---:|---:|";
}

#[derive(Debug, Clone, Copy, PartialEq)]
struct Rect {
    x: f64,
    y: f64,
    w: f64,
    h: f64,
}

impl Rect {
    fn parse(text: &str) -> Option<Rect> {
        let n: Vec<f64> = text
            .split_whitespace()
            .map(str::parse)
            .collect::<Result<_, _>>()
            .ok()?;
        match n[..] {
            [x, y, w, h] => Some(Rect { x, y, w, h }),
            _ => None,
        }
    }

    fn right(&self) -> f64 {
        self.x + self.w
    }

    fn bottom(&self) -> f64 {
        self.y + self.h
    }

    /// Whether the interiors, each shrunk by [`EPS`], meet.
    fn overlaps(&self, other: &Rect) -> bool {
        self.x + EPS < other.right() - EPS
            && other.x + EPS < self.right() - EPS
            && self.y + EPS < other.bottom() - EPS
            && other.y + EPS < self.bottom() - EPS
    }

    /// Whether an axis-aligned segment passes through the interior.
    fn crossed_by(&self, segment: &Segment) -> bool {
        let (x0, x1, y0, y1) = segment.bounds();
        x1 > self.x + EPS
            && x0 < self.right() - EPS
            && y1 > self.y + EPS
            && y0 < self.bottom() - EPS
    }

    /// The four sides as segments.
    fn border(&self) -> [Segment; 4] {
        let (l, t, r, b) = (self.x, self.y, self.right(), self.bottom());
        [
            Segment::new((l, t), (r, t)),
            Segment::new((l, b), (r, b)),
            Segment::new((l, t), (l, b)),
            Segment::new((r, t), (r, b)),
        ]
    }
}

#[derive(Debug, Clone, Copy, PartialEq)]
struct Segment {
    a: (f64, f64),
    b: (f64, f64),
}

impl Segment {
    fn new(a: (f64, f64), b: (f64, f64)) -> Segment {
        Segment { a, b }
    }

    fn bounds(&self) -> (f64, f64, f64, f64) {
        (
            self.a.0.min(self.b.0),
            self.a.0.max(self.b.0),
            self.a.1.min(self.b.1),
            self.a.1.max(self.b.1),
        )
    }

    fn horizontal(&self) -> bool {
        (self.a.1 - self.b.1).abs() < EPS && (self.a.0 - self.b.0).abs() >= EPS
    }

    fn vertical(&self) -> bool {
        (self.a.0 - self.b.0).abs() < EPS && (self.a.1 - self.b.1).abs() >= EPS
    }

    fn length(&self) -> f64 {
        (self.a.0 - self.b.0).abs() + (self.a.1 - self.b.1).abs()
    }
}

struct Edge {
    from: String,
    to: String,
    kind: String,
    points: Vec<(f64, f64)>,
}

impl Edge {
    fn key(&self) -> String {
        format!("{} {} {}", self.from, self.to, self.kind)
    }

    fn segments(&self) -> impl Iterator<Item = Segment> + '_ {
        self.points.windows(2).map(|w| Segment::new(w[0], w[1]))
    }

    fn shares_an_end(&self, other: &Edge) -> bool {
        self.from == other.from
            || self.from == other.to
            || self.to == other.from
            || self.to == other.to
    }
}

/// Drop repeated points and the middle of straight runs, so a bend is a
/// real change of direction however the polyline was written.
fn simplified(points: Vec<(f64, f64)>) -> Vec<(f64, f64)> {
    let mut out: Vec<(f64, f64)> = Vec::with_capacity(points.len());
    for point in points {
        if out
            .last()
            .is_some_and(|last| (last.0 - point.0).abs() < EPS && (last.1 - point.1).abs() < EPS)
        {
            continue;
        }
        if let [.., a, b] = out[..] {
            let straight = ((a.0 - b.0).abs() < EPS && (b.0 - point.0).abs() < EPS)
                || ((a.1 - b.1).abs() < EPS && (b.1 - point.1).abs() < EPS);
            if straight {
                out.pop();
            }
        }
        out.push(point);
    }
    out
}

fn points_of(text: &str) -> Vec<(f64, f64)> {
    text.split_whitespace()
        .filter_map(|pair| {
            let (x, y) = pair.split_once(',')?;
            Some((x.parse().ok()?, y.parse().ok()?))
        })
        .collect()
}

/// The box a `<text>` element's glyphs cover, measured with the bundled font.
fn text_box(node: roxmltree::Node<'_, '_>) -> Option<Rect> {
    let x: f64 = node.attribute("x")?.parse().ok()?;
    let y: f64 = node.attribute("y")?.parse().ok()?;
    let size: f64 = node.attribute("font-size")?.parse().ok()?;
    let font = if node.attribute("font-weight") == Some("bold") {
        Font::bold(size)
    } else {
        Font::regular(size)
    };
    let width = font.measure(node.text().unwrap_or_default());
    // Ascent and descent of DejaVu Sans are about 0.93 and 0.24 em.
    Some(Rect {
        x,
        y: y - 0.93 * size,
        w: width,
        h: 1.17 * size,
    })
}

const CONTAINER_KINDS: [&str; 5] = ["account", "region", "vpc", "availability-zone", "subnet"];

struct Picture {
    edges: Vec<Edge>,
    /// Owner key (`from to kind`) and rectangle of each pill.
    pills: Vec<(String, Rect)>,
    tiles: Vec<(String, Rect)>,
    /// Per tile: whether its name and its detail line were shortened.
    cut: Vec<(bool, bool)>,
    frames: Vec<(String, Rect)>,
    titles: Vec<(String, Rect)>,
}

fn read(svg: &str, skip_kinds: &[&str]) -> Picture {
    let document = roxmltree::Document::parse(svg).expect("the SVG is well-formed XML");
    let mut picture = Picture {
        edges: Vec::new(),
        pills: Vec::new(),
        tiles: Vec::new(),
        cut: Vec::new(),
        frames: Vec::new(),
        titles: Vec::new(),
    };
    for node in document.descendants().filter(|n| n.is_element()) {
        if node.has_tag_name("polyline") {
            let (Some(from), Some(to), Some(kind)) = (
                node.attribute("data-from"),
                node.attribute("data-to"),
                node.attribute("data-kind"),
            ) else {
                continue;
            };
            if skip_kinds.contains(&kind) {
                continue;
            }
            picture.edges.push(Edge {
                from: from.to_string(),
                to: to.to_string(),
                kind: kind.to_string(),
                points: simplified(points_of(node.attribute("points").unwrap_or_default())),
            });
            continue;
        }
        if !node.has_tag_name("g") {
            continue;
        }
        if let Some(owner) = node.attribute("data-label-of") {
            if skip_kinds.contains(&owner.rsplit(' ').next().unwrap_or_default()) {
                continue;
            }
            let rect = node
                .children()
                .find(|c| c.has_tag_name("rect"))
                .and_then(|r| {
                    Some(Rect {
                        x: r.attribute("x")?.parse().ok()?,
                        y: r.attribute("y")?.parse().ok()?,
                        w: r.attribute("width")?.parse().ok()?,
                        h: r.attribute("height")?.parse().ok()?,
                    })
                })
                .expect("a pill has a rectangle");
            picture.pills.push((owner.to_string(), rect));
            continue;
        }
        let (Some(id), Some(kind), Some(bbox)) = (
            node.attribute("data-id"),
            node.attribute("data-kind"),
            node.attribute("data-bbox").and_then(Rect::parse),
        ) else {
            continue;
        };
        if CONTAINER_KINDS.contains(&kind) {
            picture.frames.push((id.to_string(), bbox));
            if let Some(title) = node
                .children()
                .find(|c| c.has_tag_name("text"))
                .and_then(text_box)
            {
                picture.titles.push((id.to_string(), title));
            }
        } else {
            // A tile's first line is its name, the second its detail.
            let mut lines = node
                .descendants()
                .filter(|n| n.has_tag_name("text"))
                .map(|n| n.text().unwrap_or_default().contains('…'));
            let name_cut = lines.next().unwrap_or(false);
            let detail_cut = lines.next().unwrap_or(false);
            picture.tiles.push((id.to_string(), bbox));
            picture.cut.push((name_cut, detail_cut));
        }
    }
    picture
}

/// The figures of one architecture-view SVG; edges (and their pills) of
/// the kinds in `skip_kinds` are left out, as if not drawn.
pub fn measure(svg: &str, skip_kinds: &[&str]) -> Readability {
    let picture = read(svg, skip_kinds);
    let edges = &picture.edges;
    let count = edges.len();
    let per_edge = |total: f64| {
        if count == 0 {
            0.0
        } else {
            total / count as f64
        }
    };
    let bends: usize = edges.iter().map(|e| e.points.len().saturating_sub(2)).sum();
    let mut detours: Vec<f64> = edges
        .iter()
        .map(|e| {
            let length: f64 = e.segments().map(|s| s.length()).sum();
            let (first, last) = (e.points[0], e.points[e.points.len() - 1]);
            let distance = (first.0 - last.0).abs() + (first.1 - last.1).abs();
            length / distance.max(1.0)
        })
        .collect();
    detours.sort_by(f64::total_cmp);
    let detour_p90 = if detours.is_empty() {
        0.0
    } else {
        detours[(detours.len() * 9).div_ceil(10) - 1]
    };
    let mut findings = Vec::new();
    let (crossing_points, pair_crossings) = crossings(edges);
    let shared_px = shared(edges, &mut findings);
    let label_collisions = collisions(&picture, &mut findings);
    Readability {
        edges: count,
        bends_per_edge: per_edge(bends as f64),
        crossings_per_edge: per_edge(crossing_points as f64),
        pair_crossings,
        detour_p90,
        shared_px,
        label_collisions,
        names_cut: picture.cut.iter().filter(|c| c.0).count(),
        details_cut: picture.cut.iter().filter(|c| c.1).count(),
        tiles: picture.tiles.len(),
        findings,
    }
}

/// Horizontal segments as `(y, x0, x1, edge)` and vertical ones as
/// `(x, y0, y1, edge)`, each list sorted by its fixed coordinate.
type Lines = Vec<(f64, f64, f64, usize)>;

fn lines(edges: &[Edge]) -> (Lines, Lines) {
    let mut horizontal = Vec::new();
    let mut vertical = Vec::new();
    for (index, edge) in edges.iter().enumerate() {
        for segment in edge.segments() {
            let (x0, x1, y0, y1) = segment.bounds();
            if segment.horizontal() {
                horizontal.push((segment.a.1, x0, x1, index));
            } else if segment.vertical() {
                vertical.push((segment.a.0, y0, y1, index));
            }
        }
    }
    let order = |a: &(f64, f64, f64, usize), b: &(f64, f64, f64, usize)| {
        a.0.total_cmp(&b.0)
            .then(a.1.total_cmp(&b.1))
            .then(a.3.cmp(&b.3))
    };
    horizontal.sort_by(order);
    vertical.sort_by(order);
    (horizontal, vertical)
}

/// Proper crossings between segments of different edges: the distinct
/// points (to the SVG's tenth of a unit), and the pairs of edges.
fn crossings(edges: &[Edge]) -> (usize, usize) {
    let (horizontal, vertical) = lines(edges);
    let mut points = std::collections::HashSet::new();
    let mut pairs = 0;
    for &(y, x0, x1, edge) in &horizontal {
        let start = vertical.partition_point(|v| v.0 <= x0 + EPS);
        for &(x, y0, y1, other) in &vertical[start..] {
            if x >= x1 - EPS {
                break;
            }
            if other != edge && y0 + EPS < y && y < y1 - EPS {
                pairs += 1;
                points.insert(((x * 10.0).round() as i64, (y * 10.0).round() as i64));
            }
        }
    }
    (points.len(), pairs)
}

/// Length of parallel stretches shared by edges with no common end.
fn shared(edges: &[Edge], findings: &mut Vec<String>) -> f64 {
    let (horizontal, vertical) = lines(edges);
    let mut total = 0.0;
    for lines in [&horizontal, &vertical] {
        for (i, &(at, from, to, edge)) in lines.iter().enumerate() {
            for &(other_at, other_from, other_to, other) in &lines[i + 1..] {
                if other_at - at >= SHARED_GAP {
                    break;
                }
                if edges[edge].shares_an_end(&edges[other]) {
                    continue;
                }
                let overlap = to.min(other_to) - from.max(other_from);
                if overlap > EPS {
                    total += overlap;
                    if findings.len() < 12 {
                        findings.push(format!(
                            "{} and {} share {overlap:.0} px at {at:.1}",
                            edges[edge].key(),
                            edges[other].key()
                        ));
                    }
                }
            }
        }
    }
    total
}

/// Buckets of rectangles by area, so lookups touch only neighbours.
struct Buckets<T> {
    cells: HashMap<(i64, i64), Vec<T>>,
}

impl<T: Copy> Buckets<T> {
    const CELL: f64 = 128.0;

    fn new() -> Buckets<T> {
        Buckets {
            cells: HashMap::new(),
        }
    }

    fn cells(x0: f64, x1: f64, y0: f64, y1: f64) -> impl Iterator<Item = (i64, i64)> {
        let span =
            |a: f64, b: f64| (a / Self::CELL).floor() as i64..=(b / Self::CELL).floor() as i64;
        let rows = span(y0, y1);
        span(x0, x1).flat_map(move |x| rows.clone().map(move |y| (x, y)))
    }

    fn add(&mut self, bounds: (f64, f64, f64, f64), item: T) {
        for cell in Self::cells(bounds.0, bounds.1, bounds.2, bounds.3) {
            self.cells.entry(cell).or_default().push(item);
        }
    }

    /// Items in the cells `rect` touches (an item may come more than once).
    fn near(&self, rect: &Rect) -> impl Iterator<Item = T> + '_ {
        Self::cells(rect.x, rect.right(), rect.y, rect.bottom())
            .flat_map(|cell| self.cells.get(&cell).into_iter().flatten().copied())
    }
}

/// Pills over something they should not be over.
fn collisions(picture: &Picture, findings: &mut Vec<String>) -> usize {
    #[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
    enum Obstacle {
        Pill(usize),
        Tile(usize),
        Title(usize),
        Border(usize, usize),
        Line(usize, usize),
    }
    let rect_bounds = |r: &Rect| (r.x, r.right(), r.y, r.bottom());
    let mut buckets: Buckets<Obstacle> = Buckets::new();
    for (i, (_, rect)) in picture.pills.iter().enumerate() {
        buckets.add(rect_bounds(rect), Obstacle::Pill(i));
    }
    for (i, (_, rect)) in picture.tiles.iter().enumerate() {
        buckets.add(rect_bounds(rect), Obstacle::Tile(i));
    }
    for (i, (_, rect)) in picture.titles.iter().enumerate() {
        buckets.add(rect_bounds(rect), Obstacle::Title(i));
    }
    for (i, (_, rect)) in picture.frames.iter().enumerate() {
        for (side, segment) in rect.border().iter().enumerate() {
            buckets.add(segment.bounds(), Obstacle::Border(i, side));
        }
    }
    for (i, edge) in picture.edges.iter().enumerate() {
        for (s, segment) in edge.segments().enumerate() {
            buckets.add(segment.bounds(), Obstacle::Line(i, s));
        }
    }
    let edge_of: BTreeMap<String, usize> = picture
        .edges
        .iter()
        .enumerate()
        .map(|(i, e)| (e.key(), i))
        .collect();
    let mut count = 0;
    for (p, (owner, pill)) in picture.pills.iter().enumerate() {
        let own = edge_of.get(owner).map(|&i| &picture.edges[i]);
        let mut hits: Vec<Obstacle> = buckets.near(pill).collect();
        hits.sort();
        hits.dedup();
        for hit in hits {
            let (collides, what) = match hit {
                // Each pair of pills once.
                Obstacle::Pill(other) => (
                    other > p && pill.overlaps(&picture.pills[other].1),
                    format!("the label of {}", picture.pills[other].0),
                ),
                Obstacle::Tile(t) => (
                    pill.overlaps(&picture.tiles[t].1),
                    format!("tile {}", picture.tiles[t].0),
                ),
                Obstacle::Title(t) => (
                    pill.overlaps(&picture.titles[t].1),
                    format!("the title of {}", picture.titles[t].0),
                ),
                Obstacle::Border(f, side) => (
                    pill.crossed_by(&picture.frames[f].1.border()[side]),
                    format!("the border of {}", picture.frames[f].0),
                ),
                Obstacle::Line(e, s) => {
                    let edge = &picture.edges[e];
                    let belongs = own.is_some_and(|own| {
                        std::ptr::eq(own, edge)
                            || (own.kind == edge.kind && own.shares_an_end(edge))
                    });
                    let segment = edge.segments().nth(s).expect("the segment exists");
                    (
                        !belongs && pill.crossed_by(&segment),
                        format!("the line of {}", edge.key()),
                    )
                }
            };
            if collides {
                count += 1;
                if findings.len() < 24 {
                    findings.push(format!("the label of {owner} lies over {what}"));
                }
            }
        }
    }
    count
}

#[cfg(test)]
mod tests {
    // Without `use super::*`: the benchmark includes this file with
    // cfg(test) but no test harness, and would call that import unused.
    fn measure(svg: &str, skip_kinds: &[&str]) -> super::Readability {
        super::measure(svg, skip_kinds)
    }

    /// An SVG with the given body, in the shapes the renderer writes.
    fn svg(body: &str) -> String {
        format!(r#"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 1000 1000">{body}</svg>"#)
    }

    fn edge(from: &str, to: &str, kind: &str, points: &str) -> String {
        format!(
            r#"<polyline data-from="{from}" data-to="{to}" data-kind="{kind}" points="{points}"/>"#
        )
    }

    fn pill(owner: &str, x: f64, y: f64, w: f64) -> String {
        format!(
            r#"<g data-label-of="{owner}"><rect x="{x}" y="{y}" width="{w}" height="14"/><text x="{}" y="{}" font-size="9.5">p</text></g>"#,
            x + 5.0,
            y + 10.5
        )
    }

    fn tile(id: &str, bbox: &str, name: &str, detail: &str) -> String {
        let (x, y) = bbox.split_once(' ').expect("a bbox");
        let y = y.split_once(' ').expect("a bbox").0;
        format!(
            r#"<g data-id="{id}" data-kind="ec2-instance" data-bbox="{bbox}"><text x="{x}" y="{y}" font-size="12" font-weight="bold">{name}</text><text x="{x}" y="{y}" font-size="10.5">{detail}</text></g>"#
        )
    }

    #[test]
    fn a_straight_edge_has_no_bend_and_no_detour() {
        let figures = measure(&svg(&edge("a", "b", "allows", "10,10 10,110")), &[]);
        assert_eq!(figures.edges, 1);
        assert_eq!(figures.bends_per_edge, 0.0);
        assert_eq!(figures.detour_p90, 1.0);
        assert_eq!(figures.crossings_per_edge, 0.0);
    }

    #[test]
    fn bends_count_corners_not_points_on_a_straight_run() {
        // An L (one bend, written with a redundant middle point) and a
        // detour up and over (two bends, length 40 + 100 + 40 over 100).
        let body = edge("a", "b", "allows", "0,0 0,50 0,100 100,100")
            + &edge("c", "d", "allows", "0,500 0,460 100,460 100,500");
        let figures = measure(&svg(&body), &[]);
        assert_eq!(figures.bends_per_edge, 1.5);
        // Nearest rank of two: the larger.
        assert!(
            (figures.detour_p90 - 1.8).abs() < 1e-9,
            "{}",
            figures.detour_p90
        );
    }

    #[test]
    fn detour_p90_is_the_nearest_rank_over_edges() {
        // Nine straight edges and one detour of 3: p90 is the ninth, 1.0.
        let mut body: String = (0..9)
            .map(|i| {
                edge(
                    &format!("s{i}"),
                    &format!("t{i}"),
                    "allows",
                    &format!("{},0 {},100", i * 10, i * 10),
                )
            })
            .collect();
        body += &edge("x", "y", "allows", "500,0 500,-100 600,-100 600,0");
        assert_eq!(measure(&svg(&body), &[]).detour_p90, 1.0);
        body += &edge("u", "v", "allows", "700,0 700,-100 800,-100 800,0");
        // Eleven edges: rank ceil(9.9) = 10, the first detour of 3.
        assert_eq!(measure(&svg(&body), &[]).detour_p90, 3.0);
    }

    #[test]
    fn crossings_count_interior_meetings_of_different_edges_only() {
        let body = edge("a", "b", "allows", "0,50 100,50")
            + &edge("c", "d", "allows", "50,0 50,100")
            // Touches a → b's line at its end: a T, not a crossing.
            + &edge("e", "f", "allows", "80,0 80,50")
            // Far from the others.
            + &edge("g", "h", "allows", "200,0 200,100 300,100");
        let figures = measure(&svg(&body), &[]);
        assert_eq!(figures.crossings_per_edge, 1.0 / 4.0);
    }

    #[test]
    fn a_trunk_crossing_a_line_is_one_crossing_and_several_pairs() {
        // Two edges from a on one trunk, both crossing c → d's line at (50, 50).
        let body = edge("a", "b", "allows", "50,0 50,100")
            + &edge("a", "e", "allows", "50,0 50,100 90,100")
            + &edge("c", "d", "allows", "0,50 100,50");
        let figures = measure(&svg(&body), &[]);
        assert_eq!(figures.crossings_per_edge, 1.0 / 3.0);
        assert_eq!(figures.pair_crossings, 2);
    }

    #[test]
    fn shared_stretches_count_only_between_edges_with_no_common_end() {
        // Two unrelated edges on one line for 60 px, 2 px apart; a third
        // edge from a's source on the same line does not count.
        let body = edge("a", "b", "allows", "0,100 100,100")
            + &edge("c", "d", "allows", "40,102 160,102")
            + &edge("a", "e", "allows", "0,101 90,101")
            // 5 px away: a separate line.
            + &edge("f", "g", "allows", "0,107 100,107");
        let figures = measure(&svg(&body), &[]);
        // a→b with c→d: 60; a→e with c→d: 50; f→g is 5 px from c→d.
        assert_eq!(figures.shared_px, 110.0, "{:?}", figures.findings);
    }

    #[test]
    fn a_pill_over_a_tile_a_pill_a_title_a_border_or_a_foreign_line_collides() {
        let frame = r#"<g data-id="vpc" data-kind="vpc" data-bbox="0 0 600 600"><rect/><text x="8" y="16" font-size="12" font-weight="bold">VPC main</text></g>"#;
        let clean = frame.to_string()
            + &tile("t", "300 300 184 52", "web", "t3.micro")
            + &edge("a", "b", "allows", "100,100 100,250")
            + &pill("a b allows", 80.0, 160.0, 40.0);
        assert_eq!(measure(&svg(&clean), &[]).label_collisions, 0);
        let cases = [
            // Over a tile.
            pill("a b allows", 290.0, 310.0, 40.0),
            // Over another pill (counted once for the pair).
            pill("a b allows", 90.0, 165.0, 40.0),
            // Over the VPC's title.
            pill("a b allows", 20.0, 6.0, 40.0),
            // Across the VPC's right border.
            pill("a b allows", 590.0, 200.0, 40.0),
            // Over a line of an edge it does not label.
            edge("c", "d", "routes", "60,167 200,167"),
        ];
        for case in cases {
            let figures = measure(&svg(&(clean.clone() + &case)), &[]);
            assert_eq!(
                figures.label_collisions, 1,
                "{case}: {:?}",
                figures.findings
            );
        }
        // Lines of its own bundle (same kind, a shared end) are its own.
        let bundle = clean + &edge("a", "z", "allows", "100,100 100,300");
        assert_eq!(measure(&svg(&bundle), &[]).label_collisions, 0);
    }

    #[test]
    fn shortened_names_and_details_are_counted_apart() {
        let body = tile("t1", "0 0 184 52", "web-frontend-…", "t3.micro")
            + &tile("t2", "0 100 184 52", "db", "db.t3.medium · postg…")
            + &tile("t3", "0 200 184 52", "ok", "fine");
        let figures = measure(&svg(&body), &[]);
        assert_eq!(
            (figures.names_cut, figures.details_cut, figures.tiles),
            (1, 1, 3)
        );
    }

    #[test]
    fn skipped_kinds_take_their_pills_with_them() {
        let body = edge("s", "igw", "routes", "0,0 0,100")
            + &pill("s igw routes", 0.0, 40.0, 40.0)
            + &edge("a", "b", "allows", "0,50 100,50");
        let all = measure(&svg(&body), &[]);
        assert_eq!((all.edges, all.label_collisions), (2, 1));
        let without = measure(&svg(&body), &["routes"]);
        assert_eq!(
            (
                without.edges,
                without.label_collisions,
                without.crossings_per_edge
            ),
            (1, 0, 0.0)
        );
    }
}
