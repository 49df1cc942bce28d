//! Scale benchmark: for synthetic estates of 1,000 / 5,000 / 10,000 resources
//! it measures, in one run, graph build, strata's architecture layout + SVG,
//! strata's DOT generation in both forms, Graphviz on each (`dot -Tsvg` on
//! the clustered form, `neato -n2 -Tsvg` on the positioned one), and pricing
//! every resource at the bundled list prices into the graph (what a render
//! adds for its figures), with the peak memory of each,
//! and prints a markdown table. A second table times
//! the layout-rs graph view on small estates, the measurements behind its
//! size limit (`render::graphview::MAX_ELEMENTS`).
//!
//! ```sh
//! cargo bench --no-default-features --bench scale            # 1000 5000 10000
//! cargo bench --no-default-features --bench scale -- 2000    # other sizes
//! ```
//!
//! Each measurement runs in a child process (this binary, re-executed with
//! `--stage`), so its peak resident memory (VmHWM) is its own. Graphviz's
//! peak is sampled from /proc while it runs. Under `cargo test` (no
//! `--bench` argument) it runs one small estate as a smoke test.
//!
//! A third table gives the readability figures (issue 13, defined in
//! `tests/support/readability.rs`) of the bundled example, the hand-built
//! estates of `tests/drawing.rs` and synthetic estates, with and without the
//! dotted route lines.
//!
//! Owns measuring only; the estates come from `examples/synth.rs` and
//! `tests/support/estates.rs`.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use strata::graph;
use strata::snapshot::Snapshot;

// The generator is the example's, so the benchmark draws the same estates a
// user gets from `cargo run --example synth`; its `main` is not used here.
#[allow(dead_code)]
#[path = "../examples/synth.rs"]
mod synth;
// The tests' hand-built estates and readability figures, so the table here
// measures what the tests hold to their goals.
#[allow(dead_code)]
#[path = "../tests/support/estates.rs"]
mod estates;
#[allow(dead_code)]
#[path = "../tests/support/readability.rs"]
mod readability;

const SEED: u64 = 7;
/// Graphviz is stopped after this long (`STRATA_BENCH_DOT_TIMEOUT`, seconds):
/// on strata's DOT of a large estate it can run for many minutes, and the
/// table then reports a lower bound.
const GRAPHVIZ_TIMEOUT_SECONDS: u64 = 240;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if let Some(position) = args.iter().position(|a| a == "--stage") {
        let stage = &args[position + 1];
        let snapshot_path = PathBuf::from(&args[position + 2]);
        let output = args.get(position + 3).map(PathBuf::from);
        run_stage(stage, &snapshot_path, output.as_deref());
        return;
    }
    let benchmarking = args.iter().any(|a| a == "--bench");
    let mut sizes: Vec<usize> = args.iter().filter_map(|a| a.parse().ok()).collect();
    if sizes.is_empty() {
        sizes = if benchmarking {
            vec![1000, 5000, 10000]
        } else {
            vec![300]
        };
    }
    let directory = tempfile::tempdir().expect("a temporary directory");
    let mut rows = Vec::new();
    for size in sizes {
        eprintln!("scale: {size} resources…");
        rows.push(measure(size, directory.path()));
    }
    print_table(&rows);
    let graph_view_sizes: &[usize] = if benchmarking {
        &[100, 200, 230, 260, 300]
    } else {
        &[100]
    };
    println!();
    println!("| resources | graph view: resources + relationships | layout-rs + SVG |");
    println!("|---:|---:|---:|");
    for &size in graph_view_sizes {
        let snapshot_path = directory.path().join(format!("small-{size}.json"));
        let snapshot = synth::synthesize(size, SEED);
        std::fs::write(&snapshot_path, snapshot.to_json()).expect("the snapshot writes");
        let svg_path = directory.path().join(format!("small-{size}.svg"));
        let measured = stage("graphview", &snapshot_path, Some(&svg_path));
        let drawn = std::fs::read_to_string(&svg_path).ok().and_then(|svg| {
            let start = svg.find("strata graph view: ")? + "strata graph view: ".len();
            let end = start + svg[start..].find(" relationships")?;
            Some(svg[start..end].replace(" resources, ", " + "))
        });
        println!(
            "| {} | {} | {} |",
            snapshot.resources.len(),
            drawn.as_deref().unwrap_or("refused (too large)"),
            measured.map_or("n/a".to_string(), |(m, _, _)| format!("{:.2} s", m.seconds))
        );
        if !benchmarking {
            assert!(
                drawn.is_some(),
                "the graph view of {size} resources renders"
            );
        }
    }
    println!();
    print_readability(benchmarking);
    if !benchmarking {
        // Smoke test under `cargo test`: every stage ran.
        for row in &rows {
            assert!(
                row.build.is_some()
                    && row.dot.is_some()
                    && row.graphviz.is_some()
                    && row.positioned.is_some()
                    && row.neato.is_some()
                    && row.cost.is_some()
            );
        }
    }
}

/// One stage, timed, in this (child) process; prints `seconds peak_kib`.
fn run_stage(stage: &str, snapshot_path: &Path, output: Option<&Path>) {
    let snapshot = Snapshot::read(snapshot_path).expect("the synthetic snapshot reads");
    let started = Instant::now();
    let graph = graph::build(&snapshot);
    let built = started.elapsed();
    let (elapsed, document) = match stage {
        "build" => (built, None),
        "architecture" => {
            let started = Instant::now();
            let layout = strata::layout::architecture(&graph);
            let svg = strata::render::svg::render(&layout);
            (started.elapsed(), Some(svg))
        }
        "graphview" => {
            let started = Instant::now();
            // Refusing a large estate is the expected outcome, not a crash.
            let svg = strata::render::graphview::render(&graph).unwrap_or_else(|error| {
                eprintln!("{error:#}");
                std::process::exit(1)
            });
            (started.elapsed(), Some(svg))
        }
        "dot" => {
            let started = Instant::now();
            let dot = strata::render::dot::render(&graph);
            (started.elapsed(), Some(dot))
        }
        "positioned" => {
            // The layout included: the positioned form is drawn from it.
            let started = Instant::now();
            let layout = strata::layout::architecture(&graph);
            let dot = strata::render::dot::positioned::render(&layout);
            (started.elapsed(), Some(dot))
        }
        "cost" => {
            // A fresh process: the bundled tables are indexed on first use,
            // so this is everything pricing adds to a render (the estimate,
            // and the figures on tiles and frames).
            let mut priced = graph::build(&snapshot);
            let started = Instant::now();
            let prices = strata::prices::PriceBook::bundled();
            strata::cost::annotate(&mut priced, &snapshot, &prices, None);
            let elapsed = started.elapsed();
            let total = priced
                .costs
                .as_ref()
                .map(|costs| costs.total)
                .unwrap_or_default();
            (
                elapsed,
                Some(format!(
                    "{} USD per month, {} unpriced\n",
                    total.amount, total.unpriced
                )),
            )
        }
        other => panic!("unknown stage {other}"),
    };
    if let (Some(path), Some(document)) = (output, document) {
        std::fs::write(path, document).expect("the output writes");
    }
    let peak = peak_kib(&std::fs::read_to_string("/proc/self/status").unwrap_or_default());
    println!(
        "{} {} {} {}",
        elapsed.as_secs_f64(),
        peak.unwrap_or(0),
        graph.graph.node_count(),
        graph.graph.edge_count()
    );
}

fn peak_kib(status: &str) -> Option<u64> {
    status
        .lines()
        .find_map(|line| line.strip_prefix("VmHWM:"))
        .and_then(|rest| rest.trim().trim_end_matches("kB").trim().parse().ok())
}

struct Measure {
    seconds: f64,
    peak_kib: u64,
    /// Stopped at the timeout: `seconds` is a lower bound.
    stopped: bool,
}

struct Row {
    resources: usize,
    nodes: u64,
    edges: u64,
    build: Option<Measure>,
    architecture: Option<Measure>,
    dot: Option<Measure>,
    graphviz: Option<Measure>,
    positioned: Option<Measure>,
    neato: Option<Measure>,
    cost: Option<Measure>,
}

fn measure(size: usize, directory: &Path) -> Row {
    let snapshot = synth::synthesize(size, SEED);
    let resources = snapshot.resources.len();
    let snapshot_path = directory.join(format!("estate-{size}.json"));
    std::fs::write(&snapshot_path, snapshot.to_json()).expect("the snapshot writes");
    let dot_path = directory.join(format!("estate-{size}.dot"));
    let svg_path = directory.join(format!("estate-{size}.svg"));
    let mut row = Row {
        resources,
        nodes: 0,
        edges: 0,
        build: None,
        architecture: None,
        dot: None,
        graphviz: None,
        positioned: None,
        neato: None,
        cost: None,
    };
    if let Some((measure, nodes, edges)) = stage("build", &snapshot_path, None) {
        row.build = Some(measure);
        row.nodes = nodes;
        row.edges = edges;
    }
    row.architecture = stage("architecture", &snapshot_path, Some(&svg_path)).map(|m| m.0);
    row.dot = stage("dot", &snapshot_path, Some(&dot_path)).map(|m| m.0);
    let positioned_path = directory.join(format!("estate-{size}.positioned.dot"));
    row.positioned = stage("positioned", &snapshot_path, Some(&positioned_path)).map(|m| m.0);
    let cost_path = directory.join(format!("estate-{size}.cost.txt"));
    row.cost = stage("cost", &snapshot_path, Some(&cost_path)).map(|m| m.0);
    if row.dot.is_some() {
        row.graphviz = graphviz(&["dot"], &dot_path);
    }
    if row.positioned.is_some() {
        row.neato = graphviz(&["neato", "-n2"], &positioned_path);
    }
    row
}

/// Run one stage in a child process; `None` (with the reason on stderr) if
/// it failed, e.g. a stage not implemented yet.
fn stage(name: &str, snapshot: &Path, output: Option<&Path>) -> Option<(Measure, u64, u64)> {
    let mut command = Command::new(std::env::current_exe().expect("own path"));
    command.arg("--stage").arg(name).arg(snapshot);
    if let Some(output) = output {
        command.arg(output);
    }
    let result = command
        .stderr(Stdio::piped())
        .output()
        .expect("the stage runs");
    if !result.status.success() {
        let stderr = String::from_utf8_lossy(&result.stderr);
        let reason = stderr.lines().find(|l| !l.trim().is_empty()).unwrap_or("");
        eprintln!("scale: stage {name} failed: {reason}");
        return None;
    }
    let stdout = String::from_utf8_lossy(&result.stdout);
    let fields: Vec<f64> = stdout
        .split_whitespace()
        .filter_map(|f| f.parse().ok())
        .collect();
    let [seconds, peak, nodes, edges] = fields[..] else {
        panic!("stage {name} printed {stdout:?}");
    };
    Some((
        Measure {
            seconds,
            peak_kib: peak as u64,
            stopped: false,
        },
        nodes as u64,
        edges as u64,
    ))
}

/// A Graphviz command (`dot`, `neato -n2`) writing SVG from a DOT file:
/// wall time, and peak memory sampled from /proc every 10 ms while it runs
/// (VmHWM only grows, so the last sample is within 10 ms of the end).
fn graphviz(command: &[&str], dot: &Path) -> Option<Measure> {
    let started = Instant::now();
    let mut child = Command::new(command[0])
        .args(&command[1..])
        .arg("-Tsvg")
        .arg(dot)
        .arg("-o")
        .arg(dot.with_extension("graphviz.svg"))
        .stderr(Stdio::null())
        .spawn()
        .expect("Graphviz is required: install the `graphviz` package");
    let status_path = format!("/proc/{}/status", child.id());
    let timeout = Duration::from_secs(
        std::env::var("STRATA_BENCH_DOT_TIMEOUT")
            .ok()
            .and_then(|s| s.parse().ok())
            .unwrap_or(GRAPHVIZ_TIMEOUT_SECONDS),
    );
    let mut peak = 0;
    let status = loop {
        if let Some(status) = child.try_wait().expect("Graphviz can be waited on") {
            break status;
        }
        if started.elapsed() > timeout {
            child.kill().expect("Graphviz can be stopped");
            child.wait().expect("Graphviz can be waited on");
            eprintln!(
                "scale: stopped {} -Tsvg after {} s",
                command.join(" "),
                timeout.as_secs()
            );
            return Some(Measure {
                seconds: timeout.as_secs_f64(),
                peak_kib: peak,
                stopped: true,
            });
        }
        if let Some(kib) = std::fs::read_to_string(&status_path)
            .ok()
            .and_then(|s| peak_kib(&s))
        {
            peak = peak.max(kib);
        }
        std::thread::sleep(Duration::from_millis(10));
    };
    let seconds = started.elapsed().as_secs_f64();
    if !status.success() {
        eprintln!(
            "scale: {} -Tsvg failed on {}",
            command.join(" "),
            dot.display()
        );
        return None;
    }
    Some(Measure {
        seconds,
        peak_kib: peak,
        stopped: false,
    })
}

/// Milliseconds: costing is far below the other stages' tenths of seconds.
fn cost_time(measure: &Option<Measure>) -> String {
    measure.as_ref().map_or("n/a".to_string(), |m| {
        format!("{:.1} ms", m.seconds * 1000.0)
    })
}

fn print_table(rows: &[Row]) {
    let time = |m: &Option<Measure>| match m {
        Some(m) if m.stopped => format!("> {:.0} s (stopped)", m.seconds),
        Some(m) => format!("{:.3} s", m.seconds),
        None => "n/a".to_string(),
    };
    let memory = |m: &Option<Measure>| {
        m.as_ref().map_or("n/a".to_string(), |m| {
            format!("{:.0} MB", m.peak_kib as f64 / 1024.0)
        })
    };
    println!(
        "| resources | graph nodes / edges | graph build | layout + SVG (peak) | DOT generation (peak) | Graphviz dot -Tsvg (peak) | dot ÷ layout+SVG | layout + positioned DOT (peak) | Graphviz neato -n2 -Tsvg (peak) | cost estimate |"
    );
    println!("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
    for row in rows {
        let ratio = match (&row.architecture, &row.graphviz) {
            (Some(ours), Some(theirs)) if ours.seconds > 0.0 => format!(
                "{}{:.0}×",
                if theirs.stopped { "> " } else { "" },
                theirs.seconds / ours.seconds
            ),
            _ => "n/a".to_string(),
        };
        println!(
            "| {} | {} / {} | {} | {} ({}) | {} ({}) | {} ({}) | {} | {} ({}) | {} ({}) | {} |",
            row.resources,
            row.nodes,
            row.edges,
            time(&row.build),
            time(&row.architecture),
            memory(&row.architecture),
            time(&row.dot),
            memory(&row.dot),
            time(&row.graphviz),
            memory(&row.graphviz),
            ratio,
            time(&row.positioned),
            memory(&row.positioned),
            time(&row.neato),
            memory(&row.neato),
            cost_time(&row.cost)
        );
    }
}

/// Readability figures per picture, with and without route lines (which
/// the architecture view is to show as badges instead).
fn print_readability(benchmarking: bool) {
    let draw =
        |graph: &graph::Graph| strata::render::svg::render(&strata::layout::architecture(graph));
    let example = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/two-region.json");
    let example = Snapshot::read(&example).expect("the bundled example reads");
    let mut pictures = vec![
        ("bundled example".to_string(), draw(&graph::build(&example))),
        (
            "hand-built two-region estate".to_string(),
            draw(&estates::two_region_estate().graph(false)),
        ),
    ];
    if benchmarking {
        pictures.push((
            "hand-built generated estate (900)".to_string(),
            draw(&estates::generated_estate(900, 3).graph(false)),
        ));
        for size in [300, 1000] {
            pictures.push((
                format!("synthetic estate ({size})"),
                draw(&graph::build(&synth::synthesize(size, SEED))),
            ));
        }
    }
    println!("{}", readability::Readability::HEADER);
    for (name, svg) in &pictures {
        for (suffix, skip) in [("", &[][..]), (", no route lines", &["routes"][..])] {
            println!(
                "{}",
                readability::measure(svg, skip).row(&format!("{name}{suffix}"))
            );
        }
    }
}
