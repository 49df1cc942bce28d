//! `--redact`: no identifier of the bundled example survives into any
//! format, the same key redacts the same way and another key another way,
//! and the graph and its costs are exactly those of the original.
//!
//! Runs with `cargo test --no-default-features --test redact`.

#[path = "support/redaction.rs"]
mod redaction;

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use serde_json::Value;
use strata::graph::{self, Tier};
use strata::output::{self, Costing, Format, View};
use strata::redact::{redact, Key, Redactor};
use strata::snapshot::Snapshot;

fn example() -> Snapshot {
    Snapshot::read(&Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/two-region.json"))
        .expect("the bundled example reads")
}

const KEY: [u8; 32] = [7; 32];

/// Every format `strata render` writes as text.
const FORMATS: &[Format] = &[
    Format::Svg,
    Format::Dot,
    Format::PositionedDot,
    Format::Json,
    Format::Drawio,
    Format::Html,
    Format::Snapshot,
];

/// Snapshot fields whose values are structure, not identity: what
/// `--redact` promises to keep. Everything else holding a string is an
/// identifier, a name, a tag value or free text.
const KEPT_FIELDS: &[&str] = &[
    "schema",
    "tool_version",
    "started_at",
    "finished_at",
    "regions",
    "region",
    "services",
    "service",
    "action",
    "left_out",
    "kind",
    "type",
    "state",
    "status",
    "zone_type",
    "zone_id",
    "availability_zone",
    "availability_zone_id",
    "secondary_availability_zone",
    "preferred_availability_zone",
    "availability_zones",
    "zone_name",
    "instance_type",
    "platform",
    "architecture",
    "lifecycle",
    "tenancy",
    "launch_time",
    "created_time",
    "volume_type",
    "device",
    "protocol",
    "lb_type",
    "scheme",
    "ip_address_type",
    "target_type",
    "health",
    "reason",
    "priority",
    "action_type",
    "health_check_protocol",
    "engine",
    "engine_version",
    "db_instance_class",
    "storage_type",
    "cache_node_type",
    "automatic_failover",
    "multi_az",
    "role",
    "node_id",
    "shard_id",
    "endpoint_type",
    "service_name",
    "interface_type",
    "connectivity_type",
    "domain",
    "resource_type",
    "origin",
];

/// The identifying strings of a snapshot, and those of them that are also
/// kept words (so absence cannot be asked of them). Identifying strings are (the values of
/// fields not in [`KEPT_FIELDS`], tag values included, each ARN's account
/// and resource parts as well as the whole); kept words are the values of
/// kept fields, their `.`/`:`/`/`-separated parts, the edge labels of the
/// original graph that are ports and protocols, and the subnet tiers.
fn strings(snapshot: &Snapshot) -> (BTreeSet<String>, BTreeSet<String>) {
    fn walk(value: &Value, field: &str, ids: &mut BTreeSet<String>, kept: &mut BTreeSet<String>) {
        match value {
            Value::String(text) if KEPT_FIELDS.contains(&field) => {
                kept.insert(text.clone());
                kept.extend(text.split(['.', ':', '/']).map(str::to_string));
            }
            Value::String(text) => {
                ids.insert(text.clone());
                if let Some(rest) = text.strip_prefix("arn:") {
                    let parts: Vec<&str> = rest.splitn(5, ':').collect();
                    ids.insert(parts[3].to_string());
                    let mut resource = parts[4].split(['/', ':']);
                    kept.extend(resource.next().map(str::to_string));
                    for part in resource {
                        if matches!(part, "app" | "net" | "gwy") {
                            kept.insert(part.to_string());
                        } else {
                            ids.insert(part.to_string());
                        }
                    }
                }
            }
            Value::Array(items) => items.iter().for_each(|item| walk(item, field, ids, kept)),
            Value::Object(fields) => {
                for (key, value) in fields {
                    // Tag keys say what a tag is; their values are identity.
                    let field = if field == "tags" {
                        "tag value"
                    } else {
                        key.as_str()
                    };
                    walk(value, field, ids, kept);
                }
            }
            _ => {}
        }
    }
    let json: Value = serde_json::from_str(&snapshot.to_json()).expect("a snapshot is JSON");
    let (mut ids, mut kept) = (BTreeSet::new(), BTreeSet::new());
    walk(&json, "", &mut ids, &mut kept);
    for edge in graph::build(snapshot).graph.edge_weights() {
        kept.extend(
            edge.label
                .split(", ")
                .filter(|part| {
                    part.parse::<ipnet::IpNet>().is_err()
                        && part.parse::<std::net::IpAddr>().is_err()
                        && !Redactor::is_aws_id(part)
                })
                .map(str::to_string),
        );
    }
    // The tier a subnet is drawn as.
    kept.extend(
        [Tier::Public, Tier::Private, Tier::Isolated].map(|tier| tier.as_str().to_string()),
    );
    // The whole Internet is no one's.
    for everyone in ["", "0.0.0.0/0", "::/0"] {
        ids.remove(everyone);
    }
    let coinciding = ids.intersection(&kept).cloned().collect();
    ids.retain(|id| !kept.contains(id));
    (ids, coinciding)
}

/// Whether `word` appears in `document` as a whole token, not inside a
/// longer word or a pseudonym's hex digits.
fn shows(document: &str, word: &str) -> bool {
    let inside = |c: Option<char>| c.is_some_and(|c| c.is_ascii_alphanumeric() || c == '_');
    document.match_indices(word).any(|(at, _)| {
        !inside(document[..at].chars().next_back())
            && !inside(document[at + word.len()..].chars().next())
    })
}

/// Where the prices of the original's figures come from: text of strata's
/// price table, not of the snapshot.
fn price_sources(snapshot: &Snapshot) -> BTreeSet<String> {
    fn walk(value: &Value, found: &mut BTreeSet<String>) {
        match value {
            Value::Object(fields) => {
                for (key, value) in fields {
                    match (key.as_str(), value) {
                        ("source", Value::String(source)) => {
                            found.insert(source.clone());
                        }
                        _ => walk(value, found),
                    }
                }
            }
            Value::Array(items) => items.iter().for_each(|item| walk(item, found)),
            _ => {}
        }
    }
    let graph: Value = serde_json::from_str(&produce(snapshot, Format::Json)).expect("graph JSON");
    let mut found = BTreeSet::new();
    walk(&graph, &mut found);
    found
}

fn produce(snapshot: &Snapshot, format: Format) -> String {
    let bytes = output::produce(snapshot, format, View::Architecture, Costing::bundled())
        .expect("the example renders");
    String::from_utf8(bytes).expect("a text format")
}

#[test]
fn no_identifier_of_the_example_survives_in_any_format() {
    let original = example();
    let (identifiers, coinciding) = strings(&original);
    // Names that are also words the drawing keeps: a zone's id is its name,
    // the S3 endpoint is named `s3` (its service), a listener `HTTPS:443`,
    // security groups `default` (a tenancy), `db` (an ARN's resource type)
    // and `app` (a load balancer's type), subnets `public` and `private`
    // (their tiers).
    let zones = ["eu-west-1a", "eu-west-1b", "eu-west-1c"]
        .into_iter()
        .chain([
            "us-east-1a",
            "us-east-1b",
            "us-east-1c",
            "us-east-1d",
            "us-east-1e",
            "us-east-1f",
        ]);
    let words = [
        "HTTPS:443",
        "app",
        "db",
        "default",
        "private",
        "public",
        "s3",
    ];
    assert_eq!(
        coinciding,
        zones
            .chain(words)
            .map(str::to_string)
            .collect::<BTreeSet<_>>()
    );
    // The example holds what the test is about.
    for expected in [
        "vpc-", "subnet-", "i-", "sg-", "eni-", "10.0.", "172.31.", "arn:aws:",
    ] {
        assert!(
            identifiers.iter().any(|id| id.starts_with(expected)),
            "the example has no {expected}…"
        );
    }
    assert!(identifiers
        .iter()
        .any(|id| id.len() == 12 && id.bytes().all(|b| b.is_ascii_digit())));
    let redacted = redact(&original, &Key::from_bytes(KEY));
    let sources = price_sources(&original);
    assert!(!sources.is_empty());
    for &format in FORMATS {
        let mut document = produce(&redacted, format);
        // strata's own words about its price table (`yeo/ec2.shop data`).
        for source in &sources {
            document = document.replace(source.as_str(), "");
        }
        let leaked: Vec<&String> = identifiers
            .iter()
            .filter(|id| shows(&document, id))
            .collect();
        assert!(leaked.is_empty(), "{format:?} shows {leaked:?}");
        // The check can see: unredacted, the same format shows them.
        let unredacted = produce(&original, format);
        assert!(
            identifiers
                .iter()
                .filter(|id| shows(&unredacted, id))
                .count()
                > 20,
            "{format:?}"
        );
    }
}

#[test]
fn the_same_key_redacts_byte_for_byte_the_same_and_another_key_differently() {
    let original = example();
    let key = Key::from_bytes(KEY);
    let other = Key::from_bytes([8; 32]);
    for &format in FORMATS {
        let first = produce(&redact(&original, &key), format);
        let again = produce(&redact(&original, &key), format);
        assert!(
            first == again,
            "{format:?} differs between two runs with one key"
        );
        assert_ne!(
            first,
            produce(&redact(&original, &other), format),
            "{format:?}"
        );
    }
    let ids = |key: &Key| -> BTreeSet<String> {
        let redacted = redact(&original, key);
        strings(&redacted).0
    };
    let (mine, theirs) = (ids(&key), ids(&other));
    // Zones and regions are kept; everything else moved.
    let shared: Vec<&String> = mine.intersection(&theirs).collect();
    assert!(shared.is_empty(), "both keys give {shared:?}");
}

#[test]
fn the_redacted_graph_has_the_shape_of_the_original() {
    let original = example();
    let key = Key::from_bytes(KEY);
    let redactor = Redactor::new(&key);
    let before = graph::build(&original);
    let after = graph::build(&redact(&original, &key));
    assert_eq!(after.graph.node_count(), before.graph.node_count());
    assert_eq!(after.graph.edge_count(), before.graph.edge_count());
    assert_eq!(
        redaction::shape(&after, None),
        redaction::shape(&before, Some(&redactor))
    );
    // Not trivially: the example has containment and every edge family.
    let shape = redaction::shape(&before, None);
    assert!(
        shape.nodes.keys().any(|(_, depth, _)| *depth >= 5),
        "{shape:?}"
    );
    assert!(shape.edges.len() >= 5, "{shape:?}");
}

#[test]
fn the_redacted_drawing_costs_exactly_what_the_original_does() {
    let original = example();
    let redacted = redact(&original, &Key::from_bytes(KEY));
    let graph_json = |snapshot: &Snapshot| -> Value {
        serde_json::from_str(&produce(snapshot, Format::Json)).expect("graph JSON")
    };
    let (before, after) = (graph_json(&original), graph_json(&redacted));
    assert_eq!(after["cost"], before["cost"]);
    assert!(before["cost"]["total"]
        .as_str()
        .is_some_and(|total| total != "0"));
    let costs = |graph: &Value| -> BTreeMap<String, usize> {
        let mut counts = BTreeMap::new();
        for node in graph["nodes"].as_array().expect("nodes") {
            if let Some(cost) = node.get("cost") {
                *counts
                    .entry(format!("{} {cost}", node["kind"]))
                    .or_default() += 1;
            }
        }
        counts
    };
    assert_eq!(costs(&after), costs(&before));
    assert!(!costs(&before).is_empty());
}

#[test]
fn the_command_line_redacts_with_the_key_file_it_is_given() {
    let directory = tempfile::tempdir().expect("a temporary directory");
    let key_path = directory.path().join("team.key");
    std::fs::write(&key_path, KEY).expect("the key file");
    let snapshot_path = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/two-region.json");
    let run = |extra: &[&str]| {
        std::process::Command::new(env!("CARGO_BIN_EXE_strata"))
            .arg("render")
            .arg(&snapshot_path)
            // Prices could come from this machine's cache; the test is about names.
            .args(["--format", "dot", "--no-cost"])
            .args(extra)
            .output()
            .expect("strata runs")
    };
    let key_arg = key_path.to_str().expect("a UTF-8 path");
    let redacted = run(&["--redact", "--redact-key", key_arg]);
    assert!(
        redacted.status.success(),
        "{}",
        String::from_utf8_lossy(&redacted.stderr)
    );
    let expected = output::produce(
        &redact(&example(), &Key::from_bytes(KEY)),
        Format::Dot,
        View::Architecture,
        Costing::Off,
    )
    .expect("the example renders");
    assert!(redacted.stdout == expected);
    // A key without --redact is a mistake, said as such.
    let refused = run(&["--redact-key", key_arg]);
    assert!(!refused.status.success());
    let stderr = String::from_utf8_lossy(&refused.stderr);
    assert!(stderr.contains("--redact"), "{stderr}");
}
