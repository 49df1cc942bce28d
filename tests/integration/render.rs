//! `strata render` as a user runs it: the built binary on snapshot files.

use std::fs::File;
use std::path::Path;
use std::process::{Command, Output, Stdio};

fn strata(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_strata-cli"))
        .args(args)
        .env_remove("RUST_LOG")
        .env("RUST_BACKTRACE", "1")
        .output()
        .expect("the strata binary runs")
}

fn stderr_of(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// A broken snapshot ends with exit code 2 and one line naming the file
/// and what is wrong, never a panic or a backtrace.
#[test]
fn broken_snapshots_fail_with_one_line_naming_the_file() {
    let directory = tempfile::tempdir().unwrap();
    let valid = r#"{"schema": "strata.snapshot/v1", "scan": {"tool_version": "strata 0.1.0", "started_at": "2026-01-01T00:00:00Z", "finished_at": "2026-01-01T00:00:01Z", "accounts": [], "regions": [], "services": []}, "resources": []}"#;
    let random: Vec<u8> = (0u32..4096)
        .map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8)
        .collect();
    let cases: Vec<(&str, Vec<u8>, &str)> = vec![
        ("empty.json", Vec::new(), "is empty"),
        ("blank.json", b"  \n\t\n".to_vec(), "is empty"),
        (
            "truncated.json",
            valid.as_bytes()[..valid.len() / 2].to_vec(),
            "ends early",
        ),
        ("random.json", random, "not"),
        (
            "graph.json",
            br#"{"schema": "strata.graph/v1", "nodes": [], "edges": []}"#.to_vec(),
            "not a strata snapshot",
        ),
        (
            "future.json",
            valid.replace("snapshot/v1", "snapshot/v7").into_bytes(),
            "another strata version",
        ),
        (
            "wrong-shape.json",
            br#"{"schema": "strata.snapshot/v1", "scan": 42, "resources": []}"#.to_vec(),
            "is not a strata snapshot",
        ),
        ("array.json", b"[1, 2, 3]".to_vec(), "no \"schema\" field"),
    ];
    for (name, bytes, expected) in &cases {
        let path = directory.path().join(name);
        std::fs::write(&path, bytes).unwrap();
        let out = directory.path().join("out.svg");
        let output = strata(&[
            "render",
            path.to_str().unwrap(),
            "-o",
            out.to_str().unwrap(),
        ]);
        assert_one_line_failure(&output, name, expected);
        assert!(!out.exists(), "{name}: an output was written");
    }
    let missing = directory.path().join("missing.json");
    let output = strata(&["render", missing.to_str().unwrap(), "-o", "x.svg"]);
    assert_one_line_failure(&output, "missing.json", "cannot read snapshot");
    let output = strata(&[
        "render",
        directory.path().to_str().unwrap(),
        "--format",
        "dot",
    ]);
    assert_one_line_failure(
        &output,
        &directory.path().display().to_string(),
        "cannot read snapshot",
    );
}

fn assert_one_line_failure(output: &Output, file: &str, expected: &str) {
    let stderr = stderr_of(output);
    assert_eq!(output.status.code(), Some(2), "{file}: {stderr}");
    assert!(!stderr.contains("panicked"), "{file}: {stderr}");
    assert!(!stderr.contains("backtrace"), "{file}: {stderr}");
    assert_eq!(stderr.trim_end().lines().count(), 1, "{file}: {stderr:?}");
    assert!(stderr.starts_with("strata: "), "{stderr}");
    assert!(stderr.contains(file), "{stderr:?} does not name {file}");
    assert!(stderr.contains(expected), "{stderr:?} lacks {expected:?}");
    assert!(output.stdout.is_empty(), "{file}: wrote to stdout");
}

/// Command-line mistakes are one line too, and nothing is written.
#[test]
fn unusable_options_are_refused_before_reading() {
    let directory = tempfile::tempdir().unwrap();
    let snapshot = directory.path().join("snap.json");
    std::fs::write(&snapshot, b"{}").unwrap();
    let snapshot = snapshot.to_str().unwrap();
    let txt = directory.path().join("diagram.txt");
    let output = strata(&["render", snapshot, "-o", txt.to_str().unwrap()]);
    assert_one_line_failure(&output, "diagram.txt", "--format");
    let output = strata(&["render", snapshot, "--view", "graph", "--format", "dot"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(stderr_of(&output).contains("--view graph draws SVG or PNG only"));
    assert!(!Path::new(&txt).exists());
}

/// Regression: `strata render snap.json -o snap.json` replaced the user's
/// snapshot with graph JSON.
#[test]
fn rendering_a_snapshot_over_itself_is_refused() {
    let directory = tempfile::tempdir().unwrap();
    let snapshot = directory.path().join("estate.json");
    let original = synthetic_snapshot().to_json();
    std::fs::write(&snapshot, &original).unwrap();
    let snapshot = snapshot.to_str().unwrap();
    let output = strata(&["render", snapshot, "-o", snapshot]);
    assert_one_line_failure(&output, "estate.json", "choose another -o");
    assert_eq!(std::fs::read_to_string(snapshot).unwrap(), original);
}

/// A valid snapshot renders to every format, from the extension or --format,
/// to a file or stdout; DOT output is accepted by the real Graphviz.
#[test]
fn renders_a_snapshot_in_every_format() {
    let directory = tempfile::tempdir().unwrap();
    let snapshot = directory.path().join("snapshot.json");
    let synthetic = synthetic_snapshot();
    std::fs::write(&snapshot, synthetic.to_json()).unwrap();
    let snapshot = snapshot.to_str().unwrap();
    for (name, magic) in [
        ("estate.dot", &b"digraph strata {"[..]),
        ("estate.json", b"{"),
        ("estate.svg", b"<"),
        ("estate.png", b"\x89PNG"),
    ] {
        let out = directory.path().join(name);
        let output = strata(&["render", snapshot, "-o", out.to_str().unwrap()]);
        assert_eq!(
            output.status.code(),
            Some(0),
            "{name}: {}",
            stderr_of(&output)
        );
        let bytes = std::fs::read(&out).unwrap();
        assert!(
            bytes.starts_with(magic),
            "{name} starts with {:?}",
            &bytes[..16.min(bytes.len())]
        );
    }
    let graph_json: serde_json::Value =
        serde_json::from_slice(&std::fs::read(directory.path().join("estate.json")).unwrap())
            .unwrap();
    assert_eq!(graph_json["schema"], "strata.graph/v1");

    let output = strata(&["render", snapshot, "--format", "dot"]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr_of(&output));
    assert_eq!(
        output.stdout,
        std::fs::read(directory.path().join("estate.dot")).unwrap()
    );
    let graphviz = Command::new("dot")
        .arg("-Tsvg")
        .arg(directory.path().join("estate.dot"))
        .output()
        .expect("Graphviz `dot` is required for this test: install the `graphviz` package");
    assert!(
        graphviz.status.success(),
        "{}",
        String::from_utf8_lossy(&graphviz.stderr)
    );

    let output = strata(&["render", snapshot, "--view", "graph"]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr_of(&output));
    assert!(String::from_utf8_lossy(&output.stdout).contains("data-view=\"graph\""));
}

/// A small estate in the snapshot schema: one VPC, a public subnet with an
/// instance behind a security group open to the world.
fn synthetic_snapshot() -> strata::snapshot::Snapshot {
    use strata::services::{compute::model::*, network::model::*};
    use strata::snapshot::*;
    let account = "123456789012";
    let region = "eu-west-1";
    let resource = |id: &str, name: &str, detail: Detail| Resource {
        id: id.into(),
        arn: None,
        account: account.into(),
        region: region.into(),
        name: name.into(),
        tags: Default::default(),
        detail,
    };
    let mut snapshot = Snapshot::new(ScanMeta {
        tool_version: "strata test".into(),
        started_at: "2026-01-01T00:00:00Z".into(),
        finished_at: "2026-01-01T00:00:01Z".into(),
        accounts: vec![AccountMeta {
            id: account.into(),
            name: "test".into(),
            role_arn: None,
        }],
        regions: vec![region.into()],
        services: vec!["ec2".into()],
        complete: true,
        ..Default::default()
    });
    snapshot.resources = vec![
        resource(
            "vpc-1",
            "main \"]; <x>",
            Detail::from(VpcAttrs {
                cidr_block: "10.0.0.0/16".into(),
                cidr_blocks: vec!["10.0.0.0/16".into()],
                state: "available".into(),
                ..Default::default()
            }),
        ),
        resource(
            "subnet-1",
            "public-a",
            Detail::from(SubnetAttrs {
                vpc_id: "vpc-1".into(),
                cidr_block: "10.0.0.0/24".into(),
                availability_zone: "eu-west-1a".into(),
                state: "available".into(),
                ..Default::default()
            }),
        ),
        resource(
            "sg-1",
            "web",
            Detail::from(SecurityGroupAttrs {
                vpc_id: "vpc-1".into(),
                group_name: "web".into(),
                ingress: vec![SecurityGroupRule {
                    protocol: "tcp".into(),
                    from_port: Some(443),
                    to_port: Some(443),
                    peer: RulePeer::Cidr {
                        cidr: "0.0.0.0/0".into(),
                    },
                    rule_id: None,
                    description: String::new(),
                }],
                ..Default::default()
            }),
        ),
        resource(
            "i-1",
            "web-1 \u{202E} & <script>",
            Detail::from(Ec2InstanceAttrs {
                state: "running".into(),
                instance_type: "t3.micro".into(),
                availability_zone: "eu-west-1a".into(),
                vpc_id: Some("vpc-1".into()),
                subnet_id: Some("subnet-1".into()),
                private_ip: Some("10.0.0.10".into()),
                private_ips: vec!["10.0.0.10".into()],
                security_group_ids: vec!["sg-1".into()],
                platform: "linux".into(),
                ..Default::default()
            }),
        ),
    ];
    snapshot.normalize();
    snapshot
}

/// `strata render -` reads the snapshot from stdin, drawing exactly what the
/// file gives; an empty or damaged stdin is named as such.
#[test]
fn a_dash_reads_the_snapshot_from_stdin() {
    let directory = tempfile::tempdir().unwrap();
    let snapshot = directory.path().join("snapshot.json");
    std::fs::write(&snapshot, synthetic_snapshot().to_json()).unwrap();
    let from_file = directory.path().join("from-file.svg");
    let from_stdin = directory.path().join("from-stdin.svg");
    let output = strata(&[
        "render",
        snapshot.to_str().unwrap(),
        "-o",
        from_file.to_str().unwrap(),
    ]);
    assert!(output.status.success(), "{}", stderr_of(&output));

    let piped = |stdin: Stdio, out: &Path| {
        Command::new(env!("CARGO_BIN_EXE_strata-cli"))
            .args(["render", "-", "-o", out.to_str().unwrap()])
            .env_remove("RUST_LOG")
            .stdin(stdin)
            .output()
            .expect("the strata binary runs")
    };
    let output = piped(File::open(&snapshot).unwrap().into(), &from_stdin);
    assert!(output.status.success(), "{}", stderr_of(&output));
    assert_eq!(stderr_of(&output), "");
    assert_eq!(
        std::fs::read(&from_stdin).unwrap(),
        std::fs::read(&from_file).unwrap()
    );

    let nothing = directory.path().join("nothing.svg");
    let output = piped(Stdio::null(), &nothing);
    assert_eq!(output.status.code(), Some(2));
    assert_eq!(
        stderr_of(&output),
        "strata: nothing arrived on stdin; pipe a snapshot in (`strata scan … | strata render - -o x.svg`)\n"
    );
    let damaged = directory.path().join("damaged.json");
    std::fs::write(&damaged, b"{\"schema\": \"strata.snapshot/v1\",").unwrap();
    let output = piped(File::open(&damaged).unwrap().into(), &nothing);
    assert_one_line_failure(&output, "snapshot stdin", "ends early");
    assert!(!nothing.exists());
}

/// Logs on stderr are plain text off a terminal: `strata -v render … 2>log`
/// wrote ANSI colour codes into the log.
#[test]
fn logs_off_a_terminal_carry_no_colour_codes() {
    let directory = tempfile::tempdir().unwrap();
    let snapshot = directory.path().join("snapshot.json");
    std::fs::write(&snapshot, synthetic_snapshot().to_json()).unwrap();
    let out = directory.path().join("estate.svg");
    let output = strata(&[
        "-v",
        "render",
        snapshot.to_str().unwrap(),
        "-o",
        out.to_str().unwrap(),
    ]);
    assert!(output.status.success(), "{}", stderr_of(&output));
    assert_eq!(
        stderr_of(&output),
        format!(" INFO wrote {}\n", out.display())
    );
}
