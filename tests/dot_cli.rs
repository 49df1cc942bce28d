//! `strata render` of DOT through the built CLI: `--dot-layout` picks the
//! form, is refused for other formats, and the clustered form of an estate
//! too large for Graphviz's `dot` in seconds comes with one line on stderr
//! naming the positioned form. No AWS SDK:
//! `cargo test --no-default-features --test dot_cli`.

use std::path::Path;
use std::process::{Command, Output};

// The synthetic estate generator users run with `cargo run --example synth`;
// its `main` is not used here.
#[allow(dead_code)]
#[path = "../examples/synth.rs"]
mod synth;

const EXAMPLE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/examples/two-region.json");

fn strata(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_strata"))
        .args(args)
        .env_remove("RUST_LOG")
        .output()
        .expect("strata runs")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8(bytes.to_vec()).expect("UTF-8 output")
}

#[test]
fn dot_layout_picks_the_form_of_the_dot() {
    let positioned = strata(&[
        "render",
        EXAMPLE,
        "--format",
        "dot",
        "--dot-layout",
        "strata",
    ]);
    assert!(positioned.status.success(), "{}", text(&positioned.stderr));
    let positioned = text(&positioned.stdout);
    assert!(positioned.contains("notranslate=true") && positioned.contains(" [pos=\""));
    let clustered = strata(&["render", EXAMPLE, "--format", "dot"]);
    let explicit = strata(&[
        "render",
        EXAMPLE,
        "--format",
        "dot",
        "--dot-layout",
        "graphviz",
    ]);
    assert_eq!(clustered.stdout, explicit.stdout);
    let clustered = text(&clustered.stdout);
    assert!(clustered.contains("compound=true") && !clustered.contains("pos="));
    // A small estate is no trouble for `dot`: nothing on stderr.
    assert_eq!(text(&explicit.stderr), "");
}

#[test]
fn dot_layout_is_refused_for_other_formats() {
    let output = strata(&[
        "render",
        EXAMPLE,
        "--format",
        "svg",
        "--dot-layout",
        "strata",
    ]);
    assert_eq!(output.status.code(), Some(2));
    assert!(output.stdout.is_empty());
    assert_eq!(
        text(&output.stderr),
        "strata: --dot-layout applies to DOT only; write a .dot file or pass --format dot\n"
    );
}

#[test]
fn clustered_dot_of_a_large_estate_says_what_to_use_instead() {
    let directory = tempfile::tempdir().unwrap();
    let snapshot = directory.path().join("estate.json");
    std::fs::write(&snapshot, synth::synthesize(3000, 7).to_json()).unwrap();
    let snapshot = snapshot.to_str().unwrap();
    let dot = directory.path().join("estate.dot");
    let dot = dot.to_str().unwrap();
    let clustered = strata(&["render", snapshot, "-o", dot]);
    assert!(clustered.status.success());
    assert!(Path::new(dot).is_file());
    assert_eq!(
        text(&clustered.stderr),
        " WARN this DOT has 2107 nodes and 5787 edges, more than Graphviz `dot` lays out in a \
         few seconds (6000 nodes plus edges); `--dot-layout strata` writes strata's layout into \
         the DOT for `neato -n2`, which draws it in seconds\n"
    );
    let positioned = strata(&["render", snapshot, "--dot-layout", "strata", "-o", dot]);
    assert!(positioned.status.success());
    assert_eq!(text(&positioned.stderr), "");
}
