//! The architecture view end to end (graph → layout → SVG → PNG), checked
//! by parsing the SVG as a reviewer's tool would: geometry properties on
//! hand-built estates of several shapes, on generated estates up to 10,000
//! resources, and on hostile names; readability goals (issue 13) on the
//! bundled example, the hand-built estates and synthetic estates; plus
//! determinism; and the positioned DOT of each of those drawn by Graphviz
//! (`neato -n2`) with the same frames, tiles and edges where the SVG has them.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use resvg::usvg::roxmltree;
use resvg::{tiny_skia, usvg};
use serde_json::json;
use strata::graph::{EdgeKind, Graph, NodeKind};
use strata::layout::{self, Font};
use strata::render;
use strata::snapshot::{Skipped, Snapshot};

#[path = "support/estates.rs"]
mod estates;
#[path = "support/graphviz.rs"]
mod graphviz;
#[path = "support/readability.rs"]
mod readability;

use estates::{generated_estate, kind, resource_count, two_region_estate, Estate};

// The synthetic estate generator users run with `cargo run --example synth`;
// its `main` is not used here.
#[allow(dead_code)]
#[path = "../examples/synth.rs"]
mod synth;

// ---------------------------------------------------------------- checker

#[derive(Debug, Clone, Copy)]
struct Box2 {
    x: f64,
    y: f64,
    w: f64,
    h: f64,
}

impl Box2 {
    fn parse(text: &str) -> Box2 {
        let n: Vec<f64> = text
            .split_whitespace()
            .map(|v| v.parse().expect("bbox number"))
            .collect();
        assert_eq!(n.len(), 4, "bbox {text}");
        Box2 {
            x: n[0],
            y: n[1],
            w: n[2],
            h: n[3],
        }
    }
    fn right(&self) -> f64 {
        self.x + self.w
    }
    fn bottom(&self) -> f64 {
        self.y + self.h
    }
    fn contains(&self, other: &Box2) -> bool {
        other.x >= self.x - 0.01
            && other.y >= self.y - 0.01
            && other.right() <= self.right() + 0.01
            && other.bottom() <= self.bottom() + 0.01
    }
    fn overlaps(&self, other: &Box2) -> bool {
        self.x < other.right() - 0.01
            && other.x < self.right() - 0.01
            && self.y < other.bottom() - 0.01
            && other.y < self.bottom() - 0.01
    }
    /// Whether an axis-aligned segment enters the interior.
    fn crossed_by(&self, a: (f64, f64), b: (f64, f64)) -> bool {
        let inner = Box2 {
            x: self.x + 0.5,
            y: self.y + 0.5,
            w: self.w - 1.0,
            h: self.h - 1.0,
        };
        let (x0, x1) = (a.0.min(b.0), a.0.max(b.0));
        let (y0, y1) = (a.1.min(b.1), a.1.max(b.1));
        x1 > inner.x && x0 < inner.right() && y1 > inner.y && y0 < inner.bottom()
    }
}

const CONTAINER_KINDS: [&str; 5] = ["account", "region", "vpc", "availability-zone", "subnet"];
const CELL: f64 = 256.0;

fn cells_of(b: &Box2) -> impl Iterator<Item = (i64, i64)> {
    let (x0, x1) = (
        (b.x / CELL).floor() as i64,
        (b.right() / CELL).floor() as i64,
    );
    let (y0, y1) = (
        (b.y / CELL).floor() as i64,
        (b.bottom() / CELL).floor() as i64,
    );
    (x0..=x1).flat_map(move |x| (y0..=y1).map(move |y| (x, y)))
}

/// What the checker found, for assertions beyond the properties.
struct Report {
    tiles: BTreeMap<String, (String, Box2)>,
    containers: BTreeMap<String, (String, Box2)>,
    edges: BTreeSet<(String, String, String)>,
    width: f64,
    height: f64,
}

/// Every property of issue 4, on one SVG document. `resources` is the
/// estate's resource count (the aspect rule applies from 50).
fn check(svg: &str, resources: usize) -> Report {
    let document = roxmltree::Document::parse(svg).expect("the SVG is well-formed XML");
    let root = document.root_element();
    assert_eq!(root.tag_name().name(), "svg");
    let view_box: Vec<f64> = root
        .attribute("viewBox")
        .expect("viewBox")
        .split_whitespace()
        .map(|v| v.parse().unwrap())
        .collect();
    let (width, height) = (view_box[2], view_box[3]);
    let canvas = Box2 {
        x: 0.0,
        y: 0.0,
        w: width,
        h: height,
    };
    let allowed: BTreeSet<&str> = [
        "svg", "defs", "marker", "path", "symbol", "rect", "circle", "ellipse", "g", "title",
        "text", "use", "polyline",
    ]
    .into_iter()
    .collect();
    let mut tiles: BTreeMap<String, (String, Box2)> = BTreeMap::new();
    let mut tile_parents: Vec<(String, String)> = Vec::new();
    let mut containers: BTreeMap<String, (String, Box2)> = BTreeMap::new();
    let mut container_parents: Vec<(String, String)> = Vec::new();
    let mut polylines = Vec::new();
    for node in document.descendants().filter(|n| n.is_element()) {
        let name = node.tag_name().name();
        assert!(allowed.contains(name), "unexpected element <{name}>");
        assert!(
            node.attributes().all(|a| !a.name().starts_with("on")),
            "event handler attribute on <{name}>"
        );
        if name == "g" {
            if let Some(id) = node.attribute("data-id") {
                let kind = node.attribute("data-kind").expect("data-kind").to_string();
                let bbox = Box2::parse(node.attribute("data-bbox").expect("data-bbox"));
                let parent = node
                    .attribute("data-parent")
                    .unwrap_or_default()
                    .to_string();
                if CONTAINER_KINDS.contains(&kind.as_str()) {
                    assert!(
                        containers.insert(id.to_string(), (kind, bbox)).is_none(),
                        "container {id} drawn twice"
                    );
                    container_parents.push((id.to_string(), parent));
                } else {
                    // No label overflows its tile (measured with the real font).
                    for text in node.descendants().filter(|n| n.has_tag_name("text")) {
                        let content: String = text.text().unwrap_or_default().to_string();
                        let x: f64 = text.attribute("x").unwrap().parse().unwrap();
                        let size: f64 = text.attribute("font-size").unwrap().parse().unwrap();
                        let font = if text.attribute("font-weight") == Some("bold") {
                            Font::bold(size)
                        } else {
                            Font::regular(size)
                        };
                        let w = font.measure(&content);
                        assert!(
                            x >= bbox.x && x + w <= bbox.right() + 0.2,
                            "label {content:?} ({x}+{w}) overflows tile {id} {bbox:?}"
                        );
                    }
                    assert!(
                        tiles.insert(id.to_string(), (kind, bbox)).is_none(),
                        "tile {id} drawn twice"
                    );
                    tile_parents.push((id.to_string(), parent));
                }
            }
        }
        if name == "polyline" && node.attribute("data-from").is_some() {
            let points: Vec<(f64, f64)> = node
                .attribute("points")
                .unwrap()
                .split_whitespace()
                .map(|p| {
                    let (x, y) = p.split_once(',').unwrap();
                    (x.parse().unwrap(), y.parse().unwrap())
                })
                .collect();
            polylines.push((
                node.attribute("data-from").unwrap().to_string(),
                node.attribute("data-to").unwrap().to_string(),
                node.attribute("data-kind").unwrap().to_string(),
                points,
            ));
        }
    }
    let all_boxes: HashMap<&str, Box2> = tiles
        .iter()
        .map(|(id, (_, b))| (id.as_str(), *b))
        .chain(containers.iter().map(|(id, (_, b))| (id.as_str(), *b)))
        .collect();
    // Every tile and container lies inside its parent (or the canvas).
    for (id, parent) in tile_parents.iter().chain(&container_parents) {
        let own = all_boxes[id.as_str()];
        let outer = if parent.is_empty() {
            canvas
        } else {
            *all_boxes
                .get(parent.as_str())
                .unwrap_or_else(|| panic!("{id}: parent {parent} not drawn"))
        };
        assert!(
            outer.contains(&own),
            "{id} {own:?} is not inside {parent} {outer:?}"
        );
    }
    // Sibling containers do not overlap.
    let mut siblings: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for (id, parent) in &container_parents {
        siblings
            .entry(parent.as_str())
            .or_default()
            .push(id.as_str());
    }
    for group in siblings.values() {
        for (i, a) in group.iter().enumerate() {
            for b in &group[i + 1..] {
                assert!(
                    !all_boxes[a].overlaps(&all_boxes[b]),
                    "sibling containers {a} and {b} overlap"
                );
            }
        }
    }
    // No two tiles overlap (spatial hash, not all pairs).
    let mut grid: HashMap<(i64, i64), Vec<&str>> = HashMap::new();
    for (id, (_, b)) in &tiles {
        for cell in cells_of(b) {
            grid.entry(cell).or_default().push(id);
        }
    }
    for members in grid.values() {
        for (i, a) in members.iter().enumerate() {
            for b in &members[i + 1..] {
                assert!(
                    !tiles[*a].1.overlaps(&tiles[*b].1),
                    "tiles {a} and {b} overlap"
                );
            }
        }
    }
    // Edges: orthogonal, inside the canvas, and through no tile but their ends.
    let mut edges = BTreeSet::new();
    for (from, to, kind, points) in &polylines {
        assert!(points.len() >= 2, "edge {from} → {to} has no route");
        for pair in points.windows(2) {
            let (a, b) = (pair[0], pair[1]);
            assert!(
                (a.0 - b.0).abs() < 1e-6 || (a.1 - b.1).abs() < 1e-6,
                "edge {from} → {to} has a diagonal segment {a:?} {b:?}"
            );
            let segment = Box2 {
                x: a.0.min(b.0),
                y: a.1.min(b.1),
                w: (a.0 - b.0).abs(),
                h: (a.1 - b.1).abs(),
            };
            assert!(
                canvas.contains(&segment),
                "edge {from} → {to} leaves the canvas"
            );
            let mut seen = BTreeSet::new();
            for cell in cells_of(&segment) {
                for id in grid.get(&cell).into_iter().flatten() {
                    if *id == from || *id == to || !seen.insert(*id) {
                        continue;
                    }
                    assert!(
                        !tiles[*id].1.crossed_by(a, b),
                        "edge {from} → {to} ({kind}) crosses tile {id} at {a:?}–{b:?}"
                    );
                }
            }
        }
        assert!(
            all_boxes.contains_key(from.as_str()) && all_boxes.contains_key(to.as_str()),
            "edge {from} → {to} has an undrawn end"
        );
        edges.insert((from.clone(), to.clone(), kind.clone()));
    }
    if resources >= 50 {
        let aspect = width / height;
        assert!(
            (1.0 / 3.0..=3.0).contains(&aspect),
            "aspect {width}×{height} = {aspect:.2} for {resources} resources"
        );
    }
    // It renders with a real SVG renderer (scaled down for big estates).
    let mut options = usvg::Options::default();
    options
        .fontdb_mut()
        .load_font_data(strata::text::FONT_REGULAR.to_vec());
    options
        .fontdb_mut()
        .load_font_data(strata::text::FONT_BOLD.to_vec());
    let tree = usvg::Tree::from_str(svg, &options).expect("usvg parses the SVG");
    let scale = (1200.0 / width.max(height)).min(1.0) as f32;
    let mut pixmap = tiny_skia::Pixmap::new(
        ((width as f32) * scale).ceil() as u32,
        ((height as f32) * scale).ceil() as u32,
    )
    .unwrap();
    resvg::render(
        &tree,
        tiny_skia::Transform::from_scale(scale, scale),
        &mut pixmap.as_mut(),
    );
    assert!(
        pixmap.pixels().iter().any(|p| p.alpha() > 0),
        "nothing was drawn"
    );
    Report {
        tiles,
        containers,
        edges,
        width,
        height,
    }
}

fn draw(graph: &Graph) -> String {
    render::svg::render(&layout::architecture(graph))
}

// ---------------------------------------------------------------- tests

#[test]
fn two_region_estate_draws_every_frame_tile_and_edge_it_should() {
    let estate = two_region_estate();
    let svg = draw(&estate.graph(false));
    if let Ok(path) = std::env::var("STRATA_DRAWING_OUT") {
        std::fs::write(format!("{path}/two-region.svg"), &svg).unwrap();
        std::fs::write(
            format!("{path}/two-region.png"),
            render::png::rasterise(&svg).unwrap(),
        )
        .unwrap();
    }
    let report = check(&svg, resource_count(&estate));
    let tile_ids: BTreeSet<&str> = report.tiles.keys().map(String::as_str).collect();
    let expected: BTreeSet<&str> = [
        "internet",
        "cidr/203.0.113.0/24",
        "igw-core",
        "vpce-s3",
        "pcx-1",
        "tgw-1",
        "nat-a",
        "nat-b",
        "alb-edge",
        "i-api-a",
        "i-worker-a",
        "i-api-b",
        "i-api-c",
        "db-ledger",
        "db-ledger#standby",
        "igw-eu",
        "i-eu-web",
        "i-eu-job",
        "db-replica",
    ]
    .into_iter()
    .collect();
    assert_eq!(tile_ids, expected);
    // Frames: account, both regions, both VPCs, four zones, twelve subnets.
    assert_eq!(report.containers.len(), 1 + 2 + 2 + 4 + 12);
    let edge = |f: &str, t: &str, k: &str| (f.to_string(), t.to_string(), k.to_string());
    let expected_edges: BTreeSet<(String, String, String)> = [
        edge("internet", "alb-edge", "allows"),
        edge("internet", "i-eu-web", "allows"),
        edge("cidr/203.0.113.0/24", "i-worker-a", "allows"),
        // Target group folded into LB → target edges.
        edge("alb-edge", "i-api-a", "targets"),
        edge("alb-edge", "i-api-b", "targets"),
        edge("alb-edge", "i-api-c", "targets"),
        edge("alb-edge", "i-api-a", "allows"),
        edge("alb-edge", "i-api-b", "allows"),
        // The interface's edge merged into its instance's.
        edge("i-api-a", "db-ledger", "allows"),
        edge("i-api-b", "db-ledger", "allows"),
        edge("db-ledger", "db-replica", "replicates"),
        edge("vpc-core", "vpc-eu", "peers"),
        edge("vpc-core", "tgw-1", "attaches"),
        edge("vpc-core/subnet-public-0", "igw-core", "routes"),
        edge("vpc-core/subnet-public-1", "igw-core", "routes"),
        edge("vpc-core/subnet-private-0", "nat-a", "routes"),
        edge("vpc-core/subnet-private-1", "nat-a", "routes"),
        edge("vpc-core/subnet-private-0", "pcx-1", "routes"),
        edge("vpc-core/subnet-private-0", "vpce-s3", "routes"),
        edge("vpc-eu/subnet-public-0", "igw-eu", "routes"),
    ]
    .into_iter()
    .collect();
    assert_eq!(report.edges, expected_edges);
    // The ALB spans both zone columns of its public subnets.
    let alb = report.tiles["alb-edge"].1;
    let zone_a = report.containers["vpc-core/us-west-2a"].1;
    let zone_b = report.containers["vpc-core/us-west-2b"].1;
    assert!(
        alb.x < zone_a.right() && alb.right() > zone_b.x,
        "ALB {alb:?} does not span {zone_a:?} and {zone_b:?}"
    );
    // Tiers are rows: public above private above isolated, in each zone.
    for zone in 0..2 {
        let y = |tier: &str| {
            report.containers[&format!("vpc-core/subnet-{tier}-{zone}")]
                .1
                .y
        };
        assert!(y("public") < y("private") && y("private") < y("isolated"));
    }
    // The standby sits in the other zone's isolated subnet.
    let standby = report.tiles["db-ledger#standby"].1;
    assert!(report.containers["vpc-core/subnet-isolated-1"]
        .1
        .contains(&standby));
    // Status: stopped, unhealthy and failed tiles carry badges; calm ones don't.
    assert!(svg.contains(r#"data-id="i-api-c" data-kind="ec2-instance""#));
    for (id, status) in [
        ("i-api-c", "stopped"),
        ("i-api-b", "unhealthy"),
        ("i-eu-job", "failed"),
    ] {
        let start = svg.find(&format!(r#"data-id="{id}""#)).unwrap();
        let tag_end = start + svg[start..].find('>').unwrap();
        assert!(
            svg[start..tag_end].contains(&format!(r#"data-status="{status}""#)),
            "{id} is not marked {status}"
        );
    }
    let start = svg.find(r#"data-id="i-api-a""#).unwrap();
    assert!(!svg[start..start + svg[start..].find('>').unwrap()].contains("data-status"));
    // Labels: merged ports, listener and health on the folded edge.
    assert!(svg.contains(">HTTPS:443 · unhealthy<"), "targets label");
    assert!(svg.contains(">tcp/5432, tcp/6432<"), "merged allows label");
    // Folded details: volume and Elastic IP on the worker.
    assert!(
        svg.contains("1 vol · EIP 54.9.9.9") || svg.contains("includes elastic-ip: bastion-ip")
    );
    // Header and legend.
    assert!(svg.contains("full access ✓"));
    assert!(svg.contains("1 detached volume(s)"));
}

#[test]
fn output_is_byte_identical_whatever_the_insertion_order() {
    let estate = two_region_estate();
    let first = draw(&estate.graph(false));
    assert_eq!(first, draw(&estate.graph(false)));
    assert_eq!(first, draw(&estate.graph(true)));
    let big = generated_estate(600, 7);
    assert_eq!(draw(&big.graph(false)), draw(&big.graph(true)));
}

/// Resources the drawing is about: what the aspect rule counts.
fn graph_resource_count(graph: &Graph) -> usize {
    graph
        .nodes()
        .iter()
        .filter(|n| {
            !n.kind.is_container() && !matches!(n.kind, NodeKind::Internet | NodeKind::Cidr)
        })
        .count()
}

/// Every bundled example snapshot (emulator scans), at least one.
fn example_snapshots() -> Vec<Snapshot> {
    let examples = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("examples");
    let snapshots: Vec<Snapshot> = std::fs::read_dir(&examples)
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.extension().is_some_and(|e| e == "json"))
        .map(|path| Snapshot::read(&path).unwrap())
        .collect();
    assert!(!snapshots.is_empty(), "no example snapshots");
    snapshots
}

/// The properties on real inference output, not only hand-built graphs: the
/// bundled emulator scans and synthetic estates through `graph::build`.
#[test]
fn inferred_graphs_of_scans_and_synthetic_estates_keep_every_property() {
    let mut snapshots = example_snapshots();
    snapshots.extend([synth::synthesize(120, 11), synth::synthesize(600, 12)]);
    for snapshot in snapshots {
        let graph = strata::graph::build(&snapshot);
        let report = check(&draw(&graph), graph_resource_count(&graph));
        assert!(!report.tiles.is_empty() && !report.edges.is_empty());
    }
}

#[test]
fn generated_estates_of_every_size_keep_every_property() {
    for (size, seed) in [(60, 1), (250, 2), (900, 3), (2500, 4)] {
        let estate = generated_estate(size, seed);
        let graph = estate.graph(false);
        let svg = draw(&graph);
        let report = check(&svg, resource_count(&estate));
        assert!(
            report.tiles.len() >= size / 2,
            "{size}: only {} tiles",
            report.tiles.len()
        );
        assert!(!report.edges.is_empty());
    }
}

#[test]
fn ten_thousand_resources_keep_every_property() {
    let estate = generated_estate(10_000, 11);
    let graph = estate.graph(false);
    let resources = resource_count(&estate);
    assert!(resources >= 10_000, "{resources}");
    let started = std::time::Instant::now();
    let svg = draw(&graph);
    eprintln!(
        "10k: layout + svg {:?}, {} bytes",
        started.elapsed(),
        svg.len()
    );
    let report = check(&svg, resources);
    eprintln!(
        "10k: {}×{}, {} tiles, {} edges",
        report.width,
        report.height,
        report.tiles.len(),
        report.edges.len()
    );
}

#[test]
fn hostile_names_stay_text() {
    let mut estate = two_region_estate();
    let hostile = [
        "<script>alert(1)</script>",
        "]]><svg onload=alert(1)>",
        "\"quoted' & <b>bold</b>",
        "ctrl\u{0}\u{1}\u{8}\u{b}\u{c}\u{1f}\u{7f}chars",
        "rtl \u{202e}gnp.exe",
        "🚀🔥 emoji name 🛰️",
    ];
    let long = "x".repeat(3000);
    for (i, node) in estate.nodes.iter_mut().enumerate() {
        node.name = if i % 7 == 6 {
            long.clone()
        } else {
            hostile[i % hostile.len()].to_string()
        };
        node.attrs
            .insert("instance_type".into(), json!("</text><script>x</script>"));
    }
    estate.edges[0].2.label = "<img src=x onerror=alert(1)>".into();
    estate.scan.accounts[0].name = "<script>acct</script>".into();
    estate.scan.skipped.push(Skipped {
        account: "111122223333".into(),
        region: "us-west-2".into(),
        service: "rds".into(),
        action: "rds:DescribeDBInstances".into(),
        reason: "access denied <x>".into(),
        left_out: "RDS DB instances".into(),
    });
    let svg = draw(&estate.graph(false));
    check(&svg, resource_count(&estate));
    assert!(!svg.contains("<script"), "an injected element appeared");
    assert!(!svg.contains("<img") && !svg.contains("<b>") && !svg.contains("<svg onload"));
    assert!(svg.contains("limited access: 1 call refused"));
    // Full names survive in tooltips, with unsafe characters replaced.
    let document = roxmltree::Document::parse(&svg).unwrap();
    let titles: Vec<&str> = document
        .descendants()
        .filter(|n| n.has_tag_name("title"))
        .filter_map(|n| n.text())
        .collect();
    assert!(
        titles.iter().any(|t| t.contains(&long)),
        "the 3,000-character name is not in a tooltip"
    );
    assert!(titles
        .iter()
        .any(|t| t.contains("<script>alert(1)</script>")));
    assert!(!svg.contains('\u{202e}') && !svg.contains('\u{0}'));
}

#[test]
fn odd_graphs_draw_without_panicking() {
    // Empty graph.
    let empty = Estate::new(&[], &[]);
    check(&draw(&empty.graph(false)), 0);
    // Orphans, a VPC without subnets, a subnet without a zone or tier, a
    // load balancer without attributes, a parent cycle, a missing parent.
    let mut e = Estate::new(&[("1", "")], &["r"]);
    e.node("i-orphan", kind("ec2-instance"), "", None, json!({}));
    e.node("vpc-bare", NodeKind::VPC, "bare", None, json!({}));
    e.node(
        "vpce-1",
        kind("vpc-endpoint"),
        "endpoint",
        Some("vpc-bare"),
        json!({}),
    );
    e.node(
        "lb-1",
        kind("load-balancer"),
        "lb",
        Some("vpc-bare"),
        json!({"subnets": 7}),
    );
    e.node(
        "vpc-2",
        NodeKind::VPC,
        "two",
        Some("nowhere"),
        json!({"cidr": 12}),
    );
    e.node(
        "subnet-x",
        NodeKind::SUBNET,
        "x",
        Some("vpc-2"),
        json!({"tier": "weird"}),
    );
    e.node(
        "i-x",
        kind("ec2-instance"),
        "x1",
        Some("subnet-x"),
        json!({"status": "pending"}),
    );
    e.node(
        "loop-a",
        kind("ec2-instance"),
        "a",
        Some("loop-b"),
        json!({}),
    );
    e.node(
        "loop-b",
        kind("ec2-instance"),
        "b",
        Some("loop-a"),
        json!({}),
    );
    e.node(
        "tgw",
        kind("transit-gateway"),
        "tgw",
        Some("i-x"),
        json!({}),
    );
    e.edge("i-orphan", "i-x", EdgeKind::Allows, "all");
    e.edge("vpc-2", "vpc-bare", EdgeKind::Peers, "");
    e.edge("subnet-x", "vpce-1", EdgeKind::Routes, "0.0.0.0/0");
    e.edge("loop-a", "lb-1", EdgeKind::Allows, "tcp/80");
    e.edge("i-x", "i-x", EdgeKind::Allows, "self");
    let report = check(&draw(&e.graph(false)), resource_count(&e));
    assert!(
        report.tiles.contains_key("i-x")
            && report.tiles.contains_key("lb-1")
            && report.tiles.contains_key("loop-a")
    );
    // A self-loop is not drawn.
    assert!(!report.edges.iter().any(|(f, t, _)| f == t));
}

#[test]
fn the_png_of_a_drawing_is_an_image_of_its_size() {
    let svg = draw(&two_region_estate().graph(false));
    let png = render::png::rasterise(&svg).unwrap();
    let image = tiny_skia::Pixmap::decode_png(&png).unwrap();
    let report = check(&svg, 0);
    assert_eq!(image.width(), report.width.ceil() as u32);
    assert!(image
        .pixels()
        .iter()
        .any(|p| p.red() < 60 && p.alpha() == 255));
}

/// The pictures the readability goals are held to: the bundled example
/// (through inference, as a user gets it), the hand-built estates and a
/// 1,000-resource synthetic estate.
fn readability_fixtures() -> Vec<(String, String)> {
    let example = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/two-region.json");
    let example =
        strata::graph::build(&Snapshot::read(&example).expect("the bundled example reads"));
    vec![
        ("bundled example two-region.json".into(), draw(&example)),
        (
            "hand-built two-region estate".into(),
            draw(&two_region_estate().graph(false)),
        ),
        (
            "hand-built generated estate (900)".into(),
            draw(&generated_estate(900, 3).graph(false)),
        ),
        (
            "synthetic estate (1,000)".into(),
            draw(&strata::graph::build(&synth::synthesize(1000, 7))),
        ),
    ]
}

/// Issue 13's goals, for the picture without route lines (which the view is
/// to replace by badges on the subnet): held on the bundled example and the
/// hand-built estates. The 1,000-resource synthetic estate meets the bend,
/// crossing, detour and name goals; for shared segments and label
/// collisions it is held to what it reaches today (see the README) until
/// the goals are met there too.
#[test]
fn readability_goals_hold_on_every_fixture() {
    let mut table = vec![readability::Readability::HEADER.to_string()];
    let mut misses = Vec::new();
    for (name, svg) in readability_fixtures() {
        let all = readability::measure(&svg, &[]);
        let figures = readability::measure(&svg, &["routes"]);
        table.push(all.row(&format!("{name}, with route lines")));
        table.push(figures.row(&format!("{name}, without route lines")));
        let synthetic = name.starts_with("synthetic");
        let (shared_px, collisions) = if synthetic { (200.0, 30) } else { (0.0, 0) };
        let goals = [
            ("bends per edge ≤ 1.5", figures.bends_per_edge <= 1.5),
            (
                "crossings per edge ≤ 0.5",
                figures.crossings_per_edge <= 0.5,
            ),
            ("detour p90 ≤ 1.5", figures.detour_p90 <= 1.5),
            (
                "px shared by unrelated edges within bounds",
                figures.shared_px <= shared_px,
            ),
            (
                "label collisions within bounds",
                figures.label_collisions <= collisions,
            ),
            ("no name cut", figures.names_cut == 0),
        ];
        let missed: Vec<&str> = goals
            .iter()
            .filter(|(_, met)| !met)
            .map(|(goal, _)| *goal)
            .collect();
        if !missed.is_empty() {
            let findings = &figures.findings[..figures.findings.len().min(6)];
            misses.push(format!(
                "{name}: missed {}; {findings:#?}",
                missed.join(", ")
            ));
        }
    }
    let table = table.join("\n");
    eprintln!("{table}");
    assert!(misses.is_empty(), "{table}\n{}", misses.join("\n"));
}

// ------------------------------------------------- positioned DOT (issue 18)

/// Graphviz `neato -n2`: its renderer on the positions a DOT gives.
const NEATO: &[&str] = &["neato", "-n2", "-Tjson"];
/// Graphviz `dot`: its layout of the clustered form.
const DOT: &[&str] = &["dot", "-Tjson"];

/// The JSON a Graphviz command (`NEATO`, `DOT`) makes of a DOT document.
/// Fails loudly when Graphviz is missing, refuses the document or warns.
fn graphviz_json(command: &[&str], dot: &str) -> serde_json::Value {
    let ran = graphviz::run(command, dot);
    assert!(
        ran.stderr.trim().is_empty(),
        "{command:?} complains about the DOT: {}",
        ran.stderr
    );
    serde_json::from_slice(&ran.stdout).expect("Graphviz -Tjson gives JSON")
}

/// Whether a box Graphviz reports lies where the SVG has it, to the
/// rounding of both: the SVG writes a tenth of a point; Graphviz's JSON
/// writes five significant digits (a whole point from 10,000 up) and sizes
/// in inches to four.
fn same_box(graphviz: &Box2, svg: &Box2, canvas_height: f64) -> bool {
    let largest = graphviz.right().max(canvas_height).max(1.0);
    let five_digits = 0.5 * 10f64.powi(largest.log10().floor() as i32 - 4);
    let close = |a: f64, b: f64| (a - b).abs() <= 0.1 + five_digits + 0.01;
    close(graphviz.x, svg.x)
        && close(graphviz.y, svg.y)
        && close(graphviz.right(), svg.right())
        && close(graphviz.bottom(), svg.bottom())
}

/// Graphviz, drawing strata's positioned DOT of a graph, shows exactly the
/// frames, tiles and edges of strata's SVG of it, each frame and tile where
/// the SVG has it.
fn assert_neato_draws_what_the_svg_shows(graph: &Graph, resources: usize) {
    let layout = layout::architecture(graph);
    let report = check(&render::svg::render(&layout), resources);
    let json = graphviz_json(NEATO, &render::dot::positioned::render(&layout));
    let objects = json["objects"].as_array().expect("objects");
    let clusters = json["_subgraph_cnt"].as_u64().expect("_subgraph_cnt") as usize;
    // Graphviz's y axis points up from the bottom of strata's canvas.
    let flipped = |x: f64, top: f64, w: f64, h: f64| Box2 {
        x,
        y: report.height - top,
        w,
        h,
    };
    let numbers = |text: &str| -> Vec<f64> {
        text.split(',')
            .map(|v| v.parse().expect("a number"))
            .collect()
    };
    let frames: BTreeMap<String, Box2> = objects[..clusters]
        .iter()
        .map(|cluster| {
            let name = cluster["name"].as_str().unwrap();
            let id = name.strip_prefix("cluster_").expect("a cluster name");
            let bb = numbers(cluster["bb"].as_str().expect("bb"));
            let frame = flipped(bb[0], bb[3], bb[2] - bb[0], bb[3] - bb[1]);
            (id.to_string(), frame)
        })
        .collect();
    let frame_ids: BTreeSet<&String> = frames.keys().collect();
    assert_eq!(frame_ids, report.containers.keys().collect());
    for (id, frame) in &frames {
        let (_, drawn) = &report.containers[id];
        assert!(
            same_box(frame, drawn, report.height),
            "frame {id}: Graphviz {frame:?}, SVG {drawn:?}"
        );
    }
    // Every other node is a tile; a frame's own node is its invisible anchor.
    let tiles: BTreeMap<String, Box2> = objects[clusters..]
        .iter()
        .filter(|node| !frames.contains_key(node["name"].as_str().unwrap()))
        .map(|node| {
            let centre = numbers(node["pos"].as_str().expect("pos"));
            let inches = |key: &str| node[key].as_str().unwrap().parse::<f64>().unwrap();
            let (w, h) = (inches("width") * 72.0, inches("height") * 72.0);
            let tile = flipped(centre[0] - w / 2.0, centre[1] + h / 2.0, w, h);
            (node["name"].as_str().unwrap().to_string(), tile)
        })
        .collect();
    let tile_ids: BTreeSet<&String> = tiles.keys().collect();
    assert_eq!(tile_ids, report.tiles.keys().collect());
    for (id, tile) in &tiles {
        let (_, drawn) = &report.tiles[id];
        assert!(
            same_box(tile, drawn, report.height),
            "tile {id}: Graphviz {tile:?}, SVG {drawn:?}"
        );
    }
    let name = |ix: &serde_json::Value| {
        objects[ix.as_u64().unwrap() as usize]["name"]
            .as_str()
            .unwrap()
            .to_string()
    };
    let edges: Vec<(String, String, String)> = json["edges"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|edge| {
            assert!(edge["pos"].is_string(), "an edge without a route");
            let kind = edge["class"].as_str().expect("class").to_string();
            (name(&edge["tail"]), name(&edge["head"]), kind)
        })
        .collect();
    assert_eq!(edges.len(), layout.routes.len());
    assert_eq!(edges.into_iter().collect::<BTreeSet<_>>(), report.edges);
}

#[test]
fn neato_draws_the_positioned_dot_of_every_fixture_as_the_svg_shows_it() {
    let two_region = two_region_estate();
    assert_neato_draws_what_the_svg_shows(&two_region.graph(false), resource_count(&two_region));
    for (size, seed) in [(60, 1), (250, 2), (900, 3), (2500, 4)] {
        let estate = generated_estate(size, seed);
        assert_neato_draws_what_the_svg_shows(&estate.graph(false), resource_count(&estate));
    }
    let mut snapshots = example_snapshots();
    snapshots.extend([synth::synthesize(120, 11), synth::synthesize(1000, 7)]);
    for snapshot in snapshots {
        let graph = strata::graph::build(&snapshot);
        assert_neato_draws_what_the_svg_shows(&graph, graph_resource_count(&graph));
    }
}

#[test]
fn neato_draws_the_positioned_dot_of_ten_thousand_resources_as_the_svg_shows_it() {
    let graph = strata::graph::build(&synth::synthesize(10_000, 7));
    assert_neato_draws_what_the_svg_shows(&graph, graph_resource_count(&graph));
}

/// Graphviz's `dot` lays out the clustered form of the same fixtures (up to
/// the size it does in seconds): every graph node and edge, one cluster per
/// container.
#[test]
fn dot_lays_out_the_clustered_dot_of_the_fixtures() {
    let mut graphs = vec![two_region_estate().graph(false)];
    for (size, seed) in [(60, 1), (250, 2), (900, 3)] {
        graphs.push(generated_estate(size, seed).graph(false));
    }
    let examples = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("examples");
    for entry in std::fs::read_dir(&examples).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "json") {
            graphs.push(strata::graph::build(&Snapshot::read(&path).unwrap()));
        }
    }
    graphs.push(strata::graph::build(&synth::synthesize(1000, 7)));
    for graph in graphs {
        let json = graphviz_json(DOT, &render::dot::render(&graph));
        let clusters = json["_subgraph_cnt"].as_u64().unwrap() as usize;
        let objects = json["objects"].as_array().unwrap().len();
        let containers = graph
            .nodes()
            .iter()
            .filter(|n| n.kind.is_container())
            .count();
        assert_eq!(clusters, containers);
        assert_eq!(objects - clusters, graph.graph.node_count());
        assert_eq!(
            json["edges"].as_array().map_or(0, Vec::len),
            graph.graph.edge_count()
        );
    }
}
