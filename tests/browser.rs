//! The editable and explorable outputs read by their real consumers in
//! headless Chromium (`/usr/bin/chromium`, driven by the playwright-core
//! scripts in `tests/browser/`): the draw.io file decoded by the mxGraph
//! library diagrams.net is built on, checked cell by cell against strata's
//! layout, and the HTML viewer used as a person would (search by IP,
//! details, hover, edge toggles, keyboard zoom) from disk with the network
//! refused; on every fixture, hostile names included.
//!
//! Needs Node, Chromium and `tests/browser/node_modules` (`tests/run`
//! installs all three); a missing one fails the test, it never skips it.
//! Set `STRATA_BROWSER_OUT=DIR` to keep each fixture's files and a
//! screenshot of each in `DIR` for a look.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::Command;

use resvg::usvg::roxmltree;
use serde_json::Value;
use strata::graph::Graph;
use strata::layout::{self, Layout};
use strata::render;
use strata::snapshot::Snapshot;

// Shared with the drawing tests; this file needs only some of it.
#[allow(dead_code)]
#[path = "support/estates.rs"]
mod estates;

/// Names a user (or an attacker) can give resources: markup, script,
/// closing tags, attribute breakouts, entities, line breaks, control
/// characters, a bidirectional override and a template placeholder.
const HOSTILE: &[&str] = &[
    "<script>window.__pwned='script'</script>",
    "</script><script>window.__pwned='close'</script>",
    "\"><img src=x onerror=\"window.__pwned='img'\">",
    "x' onload='window.__pwned=1' y='",
    "a & b <b>bold</b>\nsecond line",
    "]]><!-- --><svg onload=alert(1)>",
    "&lt;escaped&gt; &amp; ${alert(1)}",
    "bell\u{7} tab\t cr\r \u{202E}reversed {{svg}}",
];

/// Every fixture drawn: the bundled example (a real scan), the hand-built
/// two-region estate, a generated 300-resource estate and the two-region
/// estate with every name and edge label hostile.
fn fixtures() -> Vec<(&'static str, Graph)> {
    let example = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/two-region.json");
    let example = Snapshot::read(&example).expect("the bundled example reads");
    // Priced, as `strata render` draws it by default.
    let mut priced = strata::graph::build(&example);
    strata::cost::annotate(
        &mut priced,
        &example,
        &strata::prices::PriceBook::bundled(),
        None,
    );
    vec![
        ("example", priced),
        ("two-region", estates::two_region_estate().graph(false)),
        ("generated", estates::generated_estate(300, 7).graph(false)),
        ("hostile", hostile_graph()),
    ]
}

fn hostile_graph() -> Graph {
    let mut estate = estates::two_region_estate();
    for (i, node) in estate.nodes.iter_mut().enumerate() {
        node.name = HOSTILE[i % HOSTILE.len()].to_string();
    }
    for (i, (_, _, edge)) in estate.edges.iter_mut().enumerate() {
        edge.label = HOSTILE[(i + 3) % HOSTILE.len()].to_string();
    }
    estate.graph(false)
}

/// Where a fixture's files go: `STRATA_BROWSER_OUT` when set, else a
/// temporary directory that lives as long as the returned guard.
fn output_dir() -> (PathBuf, Option<tempfile::TempDir>) {
    match std::env::var_os("STRATA_BROWSER_OUT") {
        Some(dir) => {
            std::fs::create_dir_all(&dir).expect("STRATA_BROWSER_OUT is writable");
            (PathBuf::from(dir), None)
        }
        None => {
            let dir = tempfile::tempdir().expect("a temporary directory");
            (dir.path().to_path_buf(), Some(dir))
        }
    }
}

/// Run one of the scripts of `tests/browser/` and read the JSON it prints.
fn browser(script: &str, args: &[&Path]) -> Value {
    let scripts = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/browser");
    assert!(
        scripts.join("node_modules/playwright-core").is_dir()
            && scripts.join("node_modules/mxgraph").is_dir(),
        "tests/browser/node_modules is missing: run `npm ci --prefix tests/browser` (tests/run does)"
    );
    assert!(
        Path::new("/usr/bin/chromium").exists(),
        "/usr/bin/chromium is missing: `apt-get install chromium` (tests/run does)"
    );
    let output = Command::new("node")
        .arg(scripts.join(script))
        .args(args)
        .output()
        .expect("node runs (tests/run installs it)");
    assert!(
        output.status.success(),
        "{script} failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    serde_json::from_slice(&output.stdout).expect("the script prints one JSON document")
}

fn text<'v>(value: &'v Value, key: &str) -> &'v str {
    value[key].as_str().unwrap_or_default()
}

/// The draw.io file as a strict XML parser reads it: well-formed, the
/// uncompressed `mxfile › diagram › mxGraphModel › root` draw.io opens, and
/// no element a name could have smuggled in.
fn assert_strict_drawio_xml(name: &str, xml: &str) {
    let document = roxmltree::Document::parse(xml)
        .unwrap_or_else(|error| panic!("{name}: the draw.io file is not XML: {error}"));
    let path: Vec<&str> = document
        .root_element()
        .descendants()
        .filter(|n| n.is_element())
        .take(4)
        .map(|n| n.tag_name().name())
        .collect();
    assert_eq!(
        path,
        ["mxfile", "diagram", "mxGraphModel", "root"],
        "{name}"
    );
    let allowed: BTreeSet<&str> = [
        "mxfile",
        "diagram",
        "mxGraphModel",
        "root",
        "mxCell",
        "object",
        "mxGeometry",
        "mxPoint",
        "Array",
    ]
    .into();
    for element in document.descendants().filter(|n| n.is_element()) {
        let tag = element.tag_name().name();
        assert!(allowed.contains(tag), "{name}: unexpected element <{tag}>");
    }
}

#[test]
fn every_fixture_opens_in_mxgraph_as_the_layout_drew_it() {
    let (dir, _guard) = output_dir();
    for (name, graph) in fixtures() {
        let layout = layout::architecture(&graph);
        let xml = render::drawio::render(&graph, &layout);
        assert_strict_drawio_xml(name, &xml);
        assert_eq!(
            xml,
            render::drawio::render(&graph, &layout),
            "{name}: not deterministic"
        );
        let file = dir.join(format!("{name}.drawio"));
        std::fs::write(&file, &xml).expect("the draw.io file is written");
        let screenshot = dir.join(format!("{name}.drawio.png"));
        let read = browser("drawio.js", &[&file, &screenshot]);
        assert_matches_layout(name, &read, &layout);
        assert_eq!(read["pageErrors"], Value::Array(vec![]), "{name}");
        assert_eq!(read["smuggled"], Value::Array(vec![]), "{name}");
        assert_eq!(read["pwned"], Value::Null, "{name}: a name ran script");
        assert_eq!(read["dialogs"], Value::Array(vec![]), "{name}");
    }
}

/// An edge as both sides describe it: from, to, kind, label, bends.
type DrawnEdge = (String, String, String, String, Vec<(f64, f64)>);

/// Every frame and tile is one cell inside its frame's cell at the
/// layout's place; every route is one edge cell joining the cells of its
/// two ends, through the route's bends, labelled with its pill.
fn assert_matches_layout(name: &str, read: &Value, layout: &Layout) {
    let cells: BTreeMap<&str, &Value> = read["cells"]
        .as_array()
        .expect("cells")
        .iter()
        .map(|cell| (text(cell, "id"), cell))
        .collect();
    let node_of = |id: &str| cells.get(id).map_or("", |cell| text(cell, "node"));
    // The absolute rectangle of a cell: mxGraph geometry is relative to the
    // parent cell, up to the layer.
    let absolute = |cell: &Value| -> [f64; 4] {
        let mut rect: Vec<f64> = cell["geometry"]
            .as_array()
            .expect("a vertex has geometry")
            .iter()
            .map(|v| v.as_f64().unwrap())
            .collect();
        let mut parent = text(cell, "parent");
        while let Some(up) = cells.get(parent).filter(|c| !c["geometry"].is_null()) {
            rect[0] += up["geometry"][0].as_f64().unwrap();
            rect[1] += up["geometry"][1].as_f64().unwrap();
            parent = text(up, "parent");
        }
        [rect[0], rect[1], rect[2], rect[3]]
    };
    let drawn: BTreeMap<&str, &Value> = cells
        .values()
        .filter(|cell| cell["vertex"] == true && !text(cell, "node").is_empty())
        .map(|cell| (text(cell, "node"), *cell))
        .collect();
    let mut expected = BTreeMap::new();
    for container in &layout.containers {
        expected.insert(
            container.id.as_str(),
            (
                container.parent.as_deref(),
                container.rect,
                &container.title.text,
                &container.tooltip,
            ),
        );
    }
    for tile in &layout.tiles {
        expected.insert(
            tile.id.as_str(),
            (
                tile.parent.as_deref(),
                tile.rect,
                &tile.name.text,
                &tile.tooltip,
            ),
        );
    }
    assert_eq!(
        drawn.keys().collect::<Vec<_>>(),
        expected.keys().collect::<Vec<_>>(),
        "{name}: the cells are not the layout's frames and tiles"
    );
    for (id, (parent, rect, label, tooltip)) in &expected {
        let cell = drawn[id];
        let parent_cell = text(cell, "parent");
        match parent {
            Some(parent) => assert_eq!(
                node_of(parent_cell),
                *parent,
                "{name}: {id} is not in its frame's cell"
            ),
            None => assert_eq!(parent_cell, "1", "{name}: {id} is not on the diagram layer"),
        }
        let [x, y, w, h] = absolute(cell);
        for (got, want) in [(x, rect.x), (y, rect.y), (w, rect.w), (h, rect.h)] {
            assert!(
                (got - want).abs() <= 0.3,
                "{name}: {id} at {x} {y} {w} {h}, laid out at {rect:?}"
            );
        }
        assert_eq!(text(cell, "label"), label.as_str(), "{name}: label of {id}");
        // What XML cannot carry (control characters, bidirectional
        // overrides) shows as U+FFFD, as in the SVG.
        assert_eq!(
            text(cell, "tooltip"),
            strata::text::xml_safe(tooltip),
            "{name}: tooltip of {id}"
        );
    }

    let mut edges: Vec<DrawnEdge> = cells
        .values()
        .filter(|cell| cell["edge"] == true && !cell["source"].is_null())
        .map(|cell| {
            let (source, target) = (node_of(text(cell, "source")), node_of(text(cell, "target")));
            assert_eq!(
                (text(cell, "from"), text(cell, "to")),
                (source, target),
                "{name}"
            );
            let points = cell["points"]
                .as_array()
                .unwrap()
                .iter()
                .map(|p| (p[0].as_f64().unwrap(), p[1].as_f64().unwrap()))
                .collect();
            (
                source.to_string(),
                target.to_string(),
                text(cell, "kind").to_string(),
                text(cell, "label").to_string(),
                points,
            )
        })
        .collect();
    let mut routes: Vec<DrawnEdge> = layout
        .routes
        .iter()
        .map(|route| {
            let bends = &route.points[1..route.points.len() - 1];
            (
                route.from.clone(),
                route.to.clone(),
                route.kind.as_str().to_string(),
                route
                    .label
                    .as_ref()
                    .map_or(String::new(), |p| p.text.text.clone()),
                bends
                    .iter()
                    .map(|p| ((p.x * 10.0).round() / 10.0, (p.y * 10.0).round() / 10.0))
                    .collect(),
            )
        })
        .collect();
    let sort = |list: &mut Vec<DrawnEdge>| {
        list.sort_by(|a, b| (&a.0, &a.1, &a.2, &a.3).cmp(&(&b.0, &b.1, &b.2, &b.3)))
    };
    sort(&mut edges);
    sort(&mut routes);
    assert!(
        !routes.is_empty(),
        "{name}: a fixture without edges checks nothing"
    );
    assert_eq!(
        edges, routes,
        "{name}: the edge cells are not the layout's routes"
    );
}

/// An IP of a tile to search for, and everything drawn that carries it (in
/// its node or its tooltip, which lists what is folded into it): the IP
/// the fewest carry, ideally one tile alone.
fn ip_to_search<'l>(graph: &Graph, layout: &'l Layout) -> (String, BTreeSet<&'l str>) {
    let drawn: Vec<(&str, String)> = layout
        .containers
        .iter()
        .map(|c| (c.id.as_str(), &c.tooltip))
        .chain(layout.tiles.iter().map(|t| (t.id.as_str(), &t.tooltip)))
        .map(|(id, tooltip)| {
            let node = graph.node(id.trim_end_matches("#standby"));
            let json = node.map(|n| serde_json::to_string(n).expect("a node serialises"));
            (id, format!("{tooltip}\n{}", json.unwrap_or_default()))
        })
        .collect();
    layout
        .tiles
        .iter()
        .filter_map(|tile| graph.node(&tile.id))
        .flat_map(|node| {
            ["public_ip", "private_ip"]
                .into_iter()
                .filter_map(|key| node.attrs.get(key).and_then(Value::as_str))
        })
        .map(|ip| {
            let holders = drawn
                .iter()
                .filter(|(_, text)| text.contains(ip))
                .map(|(id, _)| *id)
                .collect::<BTreeSet<&str>>();
            (ip.to_string(), holders)
        })
        .min_by_key(|(_, holders)| holders.len())
        .expect("a fixture has a tile with an IP")
}

#[test]
fn the_html_viewer_works_offline_on_every_fixture() {
    let (dir, _guard) = output_dir();
    for (name, graph) in fixtures() {
        let layout = layout::architecture(&graph);
        let html = render::html::render(&graph, &layout);
        assert_eq!(
            html,
            render::html::render(&graph, &layout),
            "{name}: not deterministic"
        );
        // Two JSON blocks and the viewer: no name added a script element.
        assert_eq!(html.matches("<script").count(), 3, "{name}");
        let file = dir.join(format!("{name}.html"));
        std::fs::write(&file, &html).expect("the page is written");

        let (ip, holders) = ip_to_search(&graph, &layout);
        let tile_ids: BTreeSet<&str> = layout.tiles.iter().map(|t| t.id.as_str()).collect();
        // The tile clicked: the first one an edge ends at.
        let clicked = layout
            .routes
            .iter()
            .map(|r| r.to.as_str())
            .find(|id| tile_ids.contains(id))
            .expect("an edge ends at a tile");
        let toggled = layout.routes[0].kind.as_str();
        let plan = dir.join(format!("{name}.plan.json"));
        let plan_json = serde_json::json!({ "search": ip, "click": clicked, "toggle": toggled });
        std::fs::write(&plan, plan_json.to_string()).expect("the plan is written");
        let prefix = dir.join(name);
        let seen = browser("html.js", &[&file, &plan, &prefix]);

        for quiet in ["consoleErrors", "pageErrors", "dialogs", "requests"] {
            assert_eq!(seen[quiet], Value::Array(vec![]), "{name}: {quiet}");
        }
        assert_eq!(seen["pwned"], Value::Null, "{name}: a name ran script");

        let matches: BTreeSet<&str> = seen["search"]["matches"]
            .as_array()
            .unwrap()
            .iter()
            .map(|m| m.as_str().unwrap())
            .collect();
        assert_eq!(matches, holders, "{name}: searching {ip}");
        let focused = seen["search"]["focused"].as_str().unwrap_or_default();
        assert!(
            tile_ids.contains(focused) && holders.contains(focused),
            "{name}: focused {focused:?}"
        );
        assert_eq!(
            seen["search"]["inView"], true,
            "{name}: the match is not in view"
        );

        let node = graph.node(clicked).expect("the clicked tile's node");
        let panel = &seen["panel"];
        assert_eq!(panel["visible"], true, "{name}: no details panel");
        assert_eq!(panel["title"], node.name.as_str(), "{name}");
        let estimate = graph
            .costs
            .as_ref()
            .and_then(|costs| costs.estimates.get(clicked));
        assert_eq!(
            estimate.is_some(),
            name == "example",
            "{name}: only the example is priced"
        );
        if let Some(estimate) = estimate {
            let text = panel["text"].as_str().unwrap_or_default();
            let amount = estimate
                .amount
                .map_or("no price".to_string(), |amount| format!("{amount} USD"));
            assert!(
                text.contains(&amount),
                "{name}: the panel lacks the cost {amount}: {text}"
            );
            for charge in &estimate.charges {
                assert!(
                    text.contains(&charge.basis),
                    "{name}: the panel lacks {}",
                    charge.basis
                );
            }
        }
        let mut evidence: Vec<&str> = graph
            .edges()
            .into_iter()
            .filter(|(from, to, _)| from.id == node.id || to.id == node.id)
            .flat_map(|(_, _, edge)| edge.evidence.iter().map(String::as_str))
            .collect();
        let mut shown: Vec<&str> = panel["evidence"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e.as_str().unwrap())
            .collect();
        evidence.sort_unstable();
        shown.sort_unstable();
        assert_eq!(shown, evidence, "{name}: the panel's evidence");

        let touching: Vec<_> = layout
            .routes
            .iter()
            .filter(|r| r.from == clicked || r.to == clicked)
            .collect();
        assert_eq!(
            seen["hover"]["lit"],
            touching.len(),
            "{name}: edges lit on hover"
        );
        let neighbours: BTreeSet<&str> = touching
            .iter()
            .map(|r| {
                if r.from == clicked {
                    r.to.as_str()
                } else {
                    r.from.as_str()
                }
            })
            .filter(|id| tile_ids.contains(id) || layout.containers.iter().any(|c| c.id == *id))
            .collect();
        let lit: BTreeSet<&str> = seen["hover"]["neighbours"]
            .as_array()
            .unwrap()
            .iter()
            .map(|n| n.as_str().unwrap())
            .collect();
        assert_eq!(lit, neighbours, "{name}: neighbours lit on hover");

        let of_kind = layout
            .routes
            .iter()
            .filter(|r| r.kind.as_str() == toggled)
            .count();
        let toggle = &seen["toggle"];
        assert_eq!(
            toggle["before"],
            serde_json::json!({ "total": of_kind, "hidden": 0 }),
            "{name}"
        );
        assert_eq!(
            toggle["after"],
            serde_json::json!({ "total": of_kind, "hidden": of_kind }),
            "{name}"
        );
        assert_eq!(toggle["othersHidden"], 0, "{name}: another kind was hidden");

        let keyboard = &seen["keyboard"];
        let fitted = keyboard["fitted"].as_f64().unwrap();
        assert!(
            (keyboard["zoomed"].as_f64().unwrap() - fitted * 1.25).abs() < 1e-3,
            "{name}: + did not zoom"
        );
        assert_eq!(
            keyboard["refitted"].as_f64().unwrap(),
            fitted,
            "{name}: 0 did not fit"
        );
    }
}
