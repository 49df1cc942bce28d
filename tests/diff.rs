//! `strata diff` through the built CLI: the bundled example
//! (`examples/two-region.json`) against a copy changed through the library
//! types the way the issue's scenario changes the estate (add an instance,
//! open port 22 to 0.0.0.0/0, stop an instance, delete the load balancer,
//! retag a subnet), asserting exactly those changes in every format,
//! exposure first, with exact cost deltas from the bundled price rows.
//! No AWS SDK: `cargo test --no-default-features --test diff`.

use std::path::{Path, PathBuf};
use std::process::Output;

use strata::services::compute::Ec2InstanceAttrs;
use strata::services::network::{RulePeer, SecurityGroupAttrs, SecurityGroupRule};
use strata::snapshot::{Resource, Snapshot};

const EXAMPLE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/examples/two-region.json");

const APP_1: &str = "i-c11feea7818c1a250";
const APP_2: &str = "i-d056f4e2e50181c7a";
const NEW_INSTANCE: &str = "i-0e5fa4c0ffee00001";
const APP_GROUP: &str = "sg-9516b4d7b70520332";
const APP_A_SUBNET: &str = "subnet-db41b6354453db0ab";
const SHOP_LB: &str =
    "arn:aws:elasticloadbalancing:eu-west-1:123456789012:loadbalancer/app/shop/7e02faf29938811d";

#[path = "support/cli.rs"]
mod cli;
use cli::strata;

fn stdout(output: &Output) -> String {
    assert!(
        output.stderr.is_empty(),
        "strata wrote to stderr: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout.clone()).expect("UTF-8 output")
}

fn resource<'s>(snapshot: &'s mut Snapshot, id: &str) -> &'s mut Resource {
    snapshot
        .resources
        .iter_mut()
        .find(|resource| resource.id == id)
        .unwrap_or_else(|| panic!("{id} is in the example"))
}

/// The example after the scenario, edited through the snapshot's types.
fn changed_estate() -> Snapshot {
    let mut snapshot = Snapshot::read(Path::new(EXAMPLE)).unwrap();

    // A new t3.micro beside app-1, in the app group, with no interface of
    // its own in the snapshot.
    let mut added = resource(&mut snapshot, APP_1).clone();
    added.id = NEW_INSTANCE.to_string();
    added.arn = Some(format!(
        "arn:aws:ec2:eu-west-1:123456789012:instance/{NEW_INSTANCE}"
    ));
    added.name = "app-3".to_string();
    added.tags.insert("Name".to_string(), "app-3".to_string());
    let attrs = added.attrs_mut::<Ec2InstanceAttrs>().unwrap();
    attrs.private_ip = Some("10.0.10.9".to_string());
    attrs.private_ips = vec!["10.0.10.9".to_string()];
    attrs.network_interface_ids.clear();
    snapshot.resources.push(added);

    // SSH from anywhere on the app group.
    let group = resource(&mut snapshot, APP_GROUP)
        .attrs_mut::<SecurityGroupAttrs>()
        .unwrap();
    group.ingress.push(SecurityGroupRule {
        protocol: "tcp".to_string(),
        from_port: Some(22),
        to_port: Some(22),
        peer: RulePeer::Cidr {
            cidr: "0.0.0.0/0".to_string(),
        },
        rule_id: Some("sgr-0ssh0000000000001".to_string()),
        description: "ssh".to_string(),
    });
    group.ingress.sort();

    resource(&mut snapshot, APP_2)
        .attrs_mut::<Ec2InstanceAttrs>()
        .unwrap()
        .state = "stopped".to_string();

    // The load balancer goes with its listeners and target group.
    let shop_lb_part = "app/shop/7e02faf29938811d";
    let targetgroup = "targetgroup/app/6f166b9ce7ddafc8";
    snapshot.resources.retain(|resource| {
        let elb = matches!(
            resource.kind().as_str(),
            "load-balancer" | "listener" | "target-group"
        );
        !(elb && (resource.id.contains(shop_lb_part) || resource.id.ends_with(targetgroup)))
    });
    assert!(snapshot.resources.iter().all(|r| r.id != SHOP_LB));

    resource(&mut snapshot, APP_A_SUBNET)
        .tags
        .insert("env".to_string(), "staging".to_string());

    snapshot.normalize();
    snapshot
}

/// The example and the changed estate as files in `dir`.
fn snapshots(dir: &Path) -> (PathBuf, PathBuf) {
    let new = dir.join("new.json");
    std::fs::write(&new, changed_estate().to_json()).unwrap();
    (PathBuf::from(EXAMPLE), new)
}

fn diff(cache: &Path, old: &Path, new: &Path, extra: &[&str]) -> Output {
    let mut args = vec!["diff", old.to_str().unwrap(), new.to_str().unwrap()];
    args.extend_from_slice(extra);
    strata(cache, &args)
}

// The scenario, as `strata diff` must report it. Opening port 22 on the
// app group opens it on every instance in it (app-1, app-2, the stopped
// nightly-batch and the new app-3), and the new instance is allowed to the
// database like the others. Deleting the load balancer removes its node,
// its target group (listeners are edge labels, not nodes) and their edges.
// Costs, from the bundled eu-west-1 rows: t3.micro 0.0114 × 730 = 8.322;
// a stopped instance costs 0; the ALB 0.0252 × 730 = 18.396 + 2 zones ×
// 3.65 = 25.696; the example's total is 337.469 (see tests/cost.rs), so
// the new total is 337.469 + 8.322 − 8.322 − 25.696 = 311.773.
const TEXT: &str = "\
exposure (4):
  ! internet-path ec2-instance:123456789012:eu-west-1:i-0e5fa4c0ffee00001 (app-3): open to the Internet on tcp/22
  ! internet-path ec2-instance:123456789012:eu-west-1:i-7133a3aa979df254a (nightly-batch): open to the Internet on tcp/22
  ! internet-path ec2-instance:123456789012:eu-west-1:i-c11feea7818c1a250 (app-1): open to the Internet on tcp/22
  ! internet-path ec2-instance:123456789012:eu-west-1:i-d056f4e2e50181c7a (app-2): open to the Internet on tcp/22
added (1):
  + ec2-instance:123456789012:eu-west-1:i-0e5fa4c0ffee00001 (ec2-instance app-3, running)
removed (2):
  - load-balancer:123456789012:eu-west-1:app/shop/7e02faf29938811d (load-balancer shop, active)
  - target-group:123456789012:eu-west-1:app/6f166b9ce7ddafc8 (target-group app)
changed (3):
  ~ ec2-instance:123456789012:eu-west-1:i-d056f4e2e50181c7a (app-2)
      status: running → stopped
  ~ security-group:123456789012:eu-west-1:sg-9516b4d7b70520332 (sg-9516b4d7b70520332)
      ingress_rules: 1 → 2
  ~ subnet:123456789012:eu-west-1:subnet-db41b6354453db0ab (app-a)
      tags.env: (none) → staging
edges added (5):
  + ec2-instance:123456789012:eu-west-1:i-0e5fa4c0ffee00001 → rds-instance:123456789012:eu-west-1:orders allows tcp/5432
  + internet → ec2-instance:123456789012:eu-west-1:i-0e5fa4c0ffee00001 allows tcp/22
  + internet → ec2-instance:123456789012:eu-west-1:i-7133a3aa979df254a allows tcp/22
  + internet → ec2-instance:123456789012:eu-west-1:i-c11feea7818c1a250 allows tcp/22
  + internet → ec2-instance:123456789012:eu-west-1:i-d056f4e2e50181c7a allows tcp/22
edges removed (7):
  - internet → load-balancer:123456789012:eu-west-1:app/shop/7e02faf29938811d allows tcp/443
  - load-balancer:123456789012:eu-west-1:app/shop/7e02faf29938811d → ec2-instance:123456789012:eu-west-1:i-7133a3aa979df254a allows tcp/8080
  - load-balancer:123456789012:eu-west-1:app/shop/7e02faf29938811d → ec2-instance:123456789012:eu-west-1:i-c11feea7818c1a250 allows tcp/8080
  - load-balancer:123456789012:eu-west-1:app/shop/7e02faf29938811d → ec2-instance:123456789012:eu-west-1:i-d056f4e2e50181c7a allows tcp/8080
  - load-balancer:123456789012:eu-west-1:app/shop/7e02faf29938811d → target-group:123456789012:eu-west-1:app/6f166b9ce7ddafc8 forwards HTTPS:443
  - target-group:123456789012:eu-west-1:app/6f166b9ce7ddafc8 → ec2-instance:123456789012:eu-west-1:i-c11feea7818c1a250 targets HTTP:8080
  - target-group:123456789012:eu-west-1:app/6f166b9ce7ddafc8 → ec2-instance:123456789012:eu-west-1:i-d056f4e2e50181c7a targets HTTP:8080
cost per month (USD; bundled AWS list prices (AWS price feed captured June 2025, EBS July 2024)):
  +8.322 ec2-instance:123456789012:eu-west-1:i-0e5fa4c0ffee00001 (none → 8.322)
  -8.322 ec2-instance:123456789012:eu-west-1:i-d056f4e2e50181c7a (8.322 → 0)
  -25.696 load-balancer:123456789012:eu-west-1:app/shop/7e02faf29938811d (25.696 → none)
  total 337.469 (+ 2 without price) → 311.773 (+ 2 without price) (-25.696)
";

const APP_3_NODE: &str = "ec2-instance:123456789012:eu-west-1:i-0e5fa4c0ffee00001";
const NIGHTLY_NODE: &str = "ec2-instance:123456789012:eu-west-1:i-7133a3aa979df254a";
const APP_1_NODE: &str = "ec2-instance:123456789012:eu-west-1:i-c11feea7818c1a250";
const APP_2_NODE: &str = "ec2-instance:123456789012:eu-west-1:i-d056f4e2e50181c7a";
const LB_NODE: &str = "load-balancer:123456789012:eu-west-1:app/shop/7e02faf29938811d";
const TG_NODE: &str = "target-group:123456789012:eu-west-1:app/6f166b9ce7ddafc8";

#[test]
fn the_scenario_reads_exactly_in_text_exposure_first() {
    let dir = tempfile::tempdir().unwrap();
    let (old, new) = snapshots(dir.path());
    let output = diff(dir.path(), &old, &new, &["--prices", "bundled"]);
    assert_eq!(output.status.code(), Some(0));
    assert_eq!(stdout(&output), TEXT);
}

/// The same report for a pull request: the same entries, ids as code, the
/// cost as a table.
const MARKDOWN: &str = r#"### strata diff

#### ⚠️ Exposure (4)

- **internet-path** `ec2-instance:123456789012:eu-west-1:i-0e5fa4c0ffee00001` (app-3): open to the Internet on tcp/22
- **internet-path** `ec2-instance:123456789012:eu-west-1:i-7133a3aa979df254a` (nightly-batch): open to the Internet on tcp/22
- **internet-path** `ec2-instance:123456789012:eu-west-1:i-c11feea7818c1a250` (app-1): open to the Internet on tcp/22
- **internet-path** `ec2-instance:123456789012:eu-west-1:i-d056f4e2e50181c7a` (app-2): open to the Internet on tcp/22

#### Added (1)

- `ec2-instance:123456789012:eu-west-1:i-0e5fa4c0ffee00001` (ec2-instance app-3, running)

#### Removed (2)

- `load-balancer:123456789012:eu-west-1:app/shop/7e02faf29938811d` (load-balancer shop, active)
- `target-group:123456789012:eu-west-1:app/6f166b9ce7ddafc8` (target-group app)

#### Changed (3)

- `ec2-instance:123456789012:eu-west-1:i-d056f4e2e50181c7a` (app-2)
  - `status`: `running` → `stopped`
- `security-group:123456789012:eu-west-1:sg-9516b4d7b70520332` (sg-9516b4d7b70520332)
  - `ingress_rules`: `1` → `2`
- `subnet:123456789012:eu-west-1:subnet-db41b6354453db0ab` (app-a)
  - `tags.env`: `(none)` → `staging`

#### Edges added (5)

- `ec2-instance:123456789012:eu-west-1:i-0e5fa4c0ffee00001` → `rds-instance:123456789012:eu-west-1:orders` allows `tcp/5432`
- `internet` → `ec2-instance:123456789012:eu-west-1:i-0e5fa4c0ffee00001` allows `tcp/22`
- `internet` → `ec2-instance:123456789012:eu-west-1:i-7133a3aa979df254a` allows `tcp/22`
- `internet` → `ec2-instance:123456789012:eu-west-1:i-c11feea7818c1a250` allows `tcp/22`
- `internet` → `ec2-instance:123456789012:eu-west-1:i-d056f4e2e50181c7a` allows `tcp/22`

#### Edges removed (7)

- `internet` → `load-balancer:123456789012:eu-west-1:app/shop/7e02faf29938811d` allows `tcp/443`
- `load-balancer:123456789012:eu-west-1:app/shop/7e02faf29938811d` → `ec2-instance:123456789012:eu-west-1:i-7133a3aa979df254a` allows `tcp/8080`
- `load-balancer:123456789012:eu-west-1:app/shop/7e02faf29938811d` → `ec2-instance:123456789012:eu-west-1:i-c11feea7818c1a250` allows `tcp/8080`
- `load-balancer:123456789012:eu-west-1:app/shop/7e02faf29938811d` → `ec2-instance:123456789012:eu-west-1:i-d056f4e2e50181c7a` allows `tcp/8080`
- `load-balancer:123456789012:eu-west-1:app/shop/7e02faf29938811d` → `target-group:123456789012:eu-west-1:app/6f166b9ce7ddafc8` forwards `HTTPS:443`
- `target-group:123456789012:eu-west-1:app/6f166b9ce7ddafc8` → `ec2-instance:123456789012:eu-west-1:i-c11feea7818c1a250` targets `HTTP:8080`
- `target-group:123456789012:eu-west-1:app/6f166b9ce7ddafc8` → `ec2-instance:123456789012:eu-west-1:i-d056f4e2e50181c7a` targets `HTTP:8080`

#### Cost per month (USD)

Prices: bundled AWS list prices (AWS price feed captured June 2025, EBS July 2024).

| resource | old | new | change |
|---|---:|---:|---:|
| `ec2-instance:123456789012:eu-west-1:i-0e5fa4c0ffee00001` | none | 8.322 | +8.322 |
| `ec2-instance:123456789012:eu-west-1:i-d056f4e2e50181c7a` | 8.322 | 0 | -8.322 |
| `load-balancer:123456789012:eu-west-1:app/shop/7e02faf29938811d` | 25.696 | none | -25.696 |
| **total** | 337.469 (+ 2 without price) | 311.773 (+ 2 without price) | -25.696 |
"#;

#[test]
fn the_scenario_reads_exactly_in_markdown() {
    let dir = tempfile::tempdir().unwrap();
    let (old, new) = snapshots(dir.path());
    let markdown = stdout(&diff(
        dir.path(),
        &old,
        &new,
        &["--format", "markdown", "--prices", "bundled"],
    ));
    assert_eq!(markdown, MARKDOWN);
}

type EdgeRow<'a> = (&'a str, &'a str, &'a str, &'a str);

fn edges(json: &serde_json::Value) -> Vec<EdgeRow<'_>> {
    json.as_array()
        .unwrap()
        .iter()
        .map(|edge| {
            (
                edge["from"].as_str().unwrap(),
                edge["to"].as_str().unwrap(),
                edge["kind"].as_str().unwrap(),
                edge["label"].as_str().unwrap(),
            )
        })
        .collect()
}

fn ids<'a>(json: &'a serde_json::Value, field: &str) -> Vec<&'a str> {
    json.as_array()
        .unwrap()
        .iter()
        .map(|entry| entry[field].as_str().unwrap())
        .collect()
}

#[test]
fn the_scenario_reads_exactly_in_json() {
    let dir = tempfile::tempdir().unwrap();
    let (old, new) = snapshots(dir.path());
    let json: serde_json::Value = serde_json::from_str(&stdout(&diff(
        dir.path(),
        &old,
        &new,
        &["--format", "json", "--prices", "bundled"],
    )))
    .unwrap();
    assert_eq!(json["schema"], "strata.diff/v1");
    assert_eq!(json["changed"], true);
    let exposures: Vec<(&str, &str, &str)> = json["exposures"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["rule"].as_str().unwrap(),
                e["node"].as_str().unwrap(),
                e["detail"].as_str().unwrap(),
            )
        })
        .collect();
    let ssh = "open to the Internet on tcp/22";
    assert_eq!(
        exposures,
        [
            ("internet-path", APP_3_NODE, ssh),
            ("internet-path", NIGHTLY_NODE, ssh),
            ("internet-path", APP_1_NODE, ssh),
            ("internet-path", APP_2_NODE, ssh),
        ]
    );
    assert_eq!(ids(&json["nodes"]["added"], "id"), [APP_3_NODE]);
    assert_eq!(json["nodes"]["added"][0]["status"], "running");
    assert_eq!(ids(&json["nodes"]["removed"], "id"), [LB_NODE, TG_NODE]);
    assert_eq!(json["nodes"]["replaced"], serde_json::json!([]));
    let changes: Vec<(&str, &str, &serde_json::Value, &serde_json::Value)> = json["nodes"]
        ["changed"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|node| {
            node["changes"]
                .as_array()
                .unwrap()
                .iter()
                .map(move |change| {
                    (
                        node["id"].as_str().unwrap(),
                        change["key"].as_str().unwrap(),
                        &change["old"],
                        &change["new"],
                    )
                })
        })
        .collect();
    use serde_json::json;
    assert_eq!(
        changes,
        [
            (APP_2_NODE, "status", &json!("running"), &json!("stopped")),
            (
                "security-group:123456789012:eu-west-1:sg-9516b4d7b70520332",
                "ingress_rules",
                &json!(1),
                &json!(2)
            ),
            (
                "subnet:123456789012:eu-west-1:subnet-db41b6354453db0ab",
                "tags.env",
                &json!(null),
                &json!("staging")
            ),
        ]
    );
    assert_eq!(
        edges(&json["edges"]["added"]),
        [
            (
                APP_3_NODE,
                "rds-instance:123456789012:eu-west-1:orders",
                "allows",
                "tcp/5432"
            ),
            ("internet", APP_3_NODE, "allows", "tcp/22"),
            ("internet", NIGHTLY_NODE, "allows", "tcp/22"),
            ("internet", APP_1_NODE, "allows", "tcp/22"),
            ("internet", APP_2_NODE, "allows", "tcp/22"),
        ]
    );
    assert_eq!(
        edges(&json["edges"]["removed"]),
        [
            ("internet", LB_NODE, "allows", "tcp/443"),
            (LB_NODE, NIGHTLY_NODE, "allows", "tcp/8080"),
            (LB_NODE, APP_1_NODE, "allows", "tcp/8080"),
            (LB_NODE, APP_2_NODE, "allows", "tcp/8080"),
            (LB_NODE, TG_NODE, "forwards", "HTTPS:443"),
            (TG_NODE, APP_1_NODE, "targets", "HTTP:8080"),
            (TG_NODE, APP_2_NODE, "targets", "HTTP:8080"),
        ]
    );
    assert_eq!(json["edges"]["relabelled"], json!([]));
    let cost = &json["cost"];
    assert_eq!(cost["currency"], "USD");
    assert_eq!(cost["period"], "month");
    assert_eq!(
        cost["resources"],
        json!([
            {"id": APP_3_NODE, "old": null, "new": {"amount": "8.322"}, "delta": "8.322"},
            {"id": APP_2_NODE, "old": {"amount": "8.322"}, "new": {"amount": "0"}, "delta": "-8.322"},
            {"id": LB_NODE, "old": {"amount": "25.696"}, "new": null, "delta": "-25.696"},
        ])
    );
    assert_eq!(
        cost["total"],
        json!({
            "old": {"amount": "337.469", "priced": 20, "unpriced": 2},
            // app-3 is priced, the load balancer no longer; app-2 is
            // priced at 0.
            "new": {"amount": "311.773", "priced": 20, "unpriced": 2},
            "delta": "-25.696",
        })
    );
}

#[test]
fn fail_on_sets_exit_status_one_for_the_classes_present() {
    let dir = tempfile::tempdir().unwrap();
    let (old, new) = snapshots(dir.path());
    let code = |extra: &[&str]| {
        let mut args = vec!["--prices", "bundled"];
        args.extend_from_slice(extra);
        let output = diff(dir.path(), &old, &new, &args);
        // The report is written whatever the status.
        assert_eq!(stdout(&output), TEXT);
        output.status.code()
    };
    assert_eq!(code(&["--fail-on", "exposure"]), Some(1));
    assert_eq!(code(&["--fail-on", "added"]), Some(1));
    assert_eq!(code(&["--fail-on", "removed"]), Some(1));
    assert_eq!(code(&["--fail-on", "changed"]), Some(1));
    assert_eq!(
        code(&["--fail-on", "added,removed", "--fail-on", "changed"]),
        Some(1)
    );
    assert_eq!(code(&[]), Some(0));

    // A retag alone is a change, not exposure, addition or removal.
    let mut retagged = Snapshot::read(Path::new(EXAMPLE)).unwrap();
    resource(&mut retagged, APP_A_SUBNET)
        .tags
        .insert("env".to_string(), "staging".to_string());
    let retagged_path = dir.path().join("retagged.json");
    std::fs::write(&retagged_path, retagged.to_json()).unwrap();
    let status = |class: &str| {
        diff(dir.path(), &old, &retagged_path, &["--fail-on", class])
            .status
            .code()
    };
    assert_eq!(status("exposure,added,removed"), Some(0));
    assert_eq!(status("changed"), Some(1));
}

#[test]
fn identical_snapshots_have_no_changes_and_exit_zero() {
    let dir = tempfile::tempdir().unwrap();
    let old = Path::new(EXAMPLE);
    let fail_on = ["--fail-on", "exposure,added,removed,changed"];
    let text = diff(dir.path(), old, old, &fail_on);
    assert_eq!(text.status.code(), Some(0));
    assert_eq!(stdout(&text), "no changes\n");
    let markdown = diff(dir.path(), old, old, &["--format", "markdown"]);
    assert_eq!(stdout(&markdown), "### strata diff\n\nNo changes.\n");
    let json: serde_json::Value = serde_json::from_str(&stdout(&diff(
        dir.path(),
        old,
        old,
        &["--format", "json", "--prices", "bundled"],
    )))
    .unwrap();
    let empty = serde_json::json!([]);
    assert_eq!(json["changed"], false);
    assert_eq!(json["exposures"], empty);
    for list in ["added", "removed", "replaced", "changed"] {
        assert_eq!(json["nodes"][list], empty, "{list}");
    }
    for list in ["added", "removed", "relabelled"] {
        assert_eq!(json["edges"][list], empty, "{list}");
    }
    assert_eq!(json["cost"]["resources"], empty);
    assert_eq!(json["cost"]["total"]["delta"], "0");
}

#[test]
fn a_snapshot_that_cannot_be_read_is_one_line_naming_it() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("missing.json");
    let output = diff(dir.path(), Path::new(EXAMPLE), &missing, &[]);
    assert_eq!(output.status.code(), Some(2));
    assert!(output.stdout.is_empty());
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(
        stderr.starts_with(&format!(
            "strata: cannot read snapshot {}: ",
            missing.display()
        )),
        "{stderr}"
    );
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
}

#[test]
fn an_unknown_fail_on_class_is_refused_before_anything_is_read() {
    let dir = tempfile::tempdir().unwrap();
    let example = Path::new(EXAMPLE);
    let output = diff(
        dir.path(),
        example,
        example,
        &["--fail-on", "exposure,moved"],
    );
    assert_eq!(output.status.code(), Some(2));
    assert!(output.stdout.is_empty());
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(
        stderr.contains("invalid value 'moved' for '--fail-on <CLASS>'"),
        "{stderr}"
    );
}

#[test]
fn the_report_goes_to_the_output_file_when_one_is_named() {
    let dir = tempfile::tempdir().unwrap();
    let (old, new) = snapshots(dir.path());
    let report = dir.path().join("diff.txt");
    let output = diff(
        dir.path(),
        &old,
        &new,
        &["--prices", "bundled", "-o", report.to_str().unwrap()],
    );
    assert_eq!(output.status.code(), Some(0));
    assert_eq!(stdout(&output), "");
    assert_eq!(std::fs::read_to_string(&report).unwrap(), TEXT);
}

#[test]
fn graph_jsons_diff_as_their_snapshots_do() {
    let dir = tempfile::tempdir().unwrap();
    let (old, new) = snapshots(dir.path());
    let render = |snapshot: &Path, name: &str| {
        let graph = dir.path().join(name);
        let output = strata(
            dir.path(),
            &[
                "render",
                snapshot.to_str().unwrap(),
                "--prices",
                "bundled",
                "-o",
                graph.to_str().unwrap(),
            ],
        );
        assert_eq!(stdout(&output), "");
        graph
    };
    let (old_graph, new_graph) = (
        render(&old, "old.graph.json"),
        render(&new, "new.graph.json"),
    );
    let bundled = ["--prices", "bundled"];
    assert_eq!(stdout(&diff(dir.path(), &old_graph, &new_graph, &[])), TEXT);
    // A snapshot against a graph JSON priced the same way.
    assert_eq!(stdout(&diff(dir.path(), &old, &new_graph, &bundled)), TEXT);
    let same = diff(
        dir.path(),
        &new_graph,
        &new,
        &[
            "--fail-on",
            "exposure,added,removed,changed",
            "--prices",
            "bundled",
        ],
    );
    assert_eq!(same.status.code(), Some(0));
    assert_eq!(stdout(&same), "no changes\n");
}

#[test]
fn a_graph_json_naming_a_missing_node_is_one_line() {
    let dir = tempfile::tempdir().unwrap();
    let graph = dir.path().join("graph.json");
    std::fs::write(
        &graph,
        r#"{"schema": "strata.graph/v1", "scan": {"tool_version": "strata 0.1.0", "started_at": "", "finished_at": "", "accounts": [], "regions": [], "services": []},
            "nodes": [{"id": "internet", "kind": "internet", "name": "Internet", "parent": null, "account": null, "region": null, "resource_id": null, "arn": null, "status": null, "attrs": {}}],
            "edges": [{"from": "internet", "to": "vpc:gone", "kind": "allows", "label": "tcp/22", "evidence": [], "attrs": {}}]}"#,
    )
    .unwrap();
    let output = diff(dir.path(), &graph, &graph, &[]);
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert_eq!(
        stderr,
        format!(
            "strata: {}: an edge from internet to vpc:gone names a node the document does not have; render it again\n",
            graph.display()
        )
    );
}

#[test]
fn a_redacted_diff_reports_the_same_changes_without_the_identifiers() {
    let dir = tempfile::tempdir().unwrap();
    let (old, new) = snapshots(dir.path());
    let key = dir.path().join("redact.key");
    let key_arg = key.to_str().unwrap();
    let redacted = |extra: &[&str]| {
        let mut args = vec![
            "--prices",
            "bundled",
            "--format",
            "json",
            "--redact",
            "--redact-key",
            key_arg,
        ];
        args.extend_from_slice(extra);
        diff(dir.path(), &old, &new, &args)
    };
    let output = redacted(&["--fail-on", "exposure"]);
    assert_eq!(
        output.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let report = String::from_utf8(output.stdout).unwrap();
    for identifier in [
        NEW_INSTANCE,
        APP_1,
        APP_2,
        APP_GROUP,
        APP_A_SUBNET,
        "app-3",
        "123456789012",
    ] {
        assert!(
            !report.contains(identifier),
            "{identifier} is in the redacted diff"
        );
    }
    let plain: serde_json::Value = serde_json::from_str(&stdout(&diff(
        dir.path(),
        &old,
        &new,
        &["--prices", "bundled", "--format", "json"],
    )))
    .unwrap();
    let redacted: serde_json::Value = serde_json::from_str(&report).unwrap();
    // The same changes, counted class by class, and the same money.
    for (section, field) in [
        ("nodes", "added"),
        ("nodes", "removed"),
        ("nodes", "changed"),
        ("edges", "added"),
        ("edges", "removed"),
    ] {
        assert_eq!(
            redacted[section][field].as_array().map(Vec::len),
            plain[section][field].as_array().map(Vec::len),
            "{section}.{field}"
        );
    }
    assert_eq!(
        redacted["exposures"].as_array().map(Vec::len),
        plain["exposures"].as_array().map(Vec::len)
    );
    assert_eq!(redacted["cost"]["total"], plain["cost"]["total"]);

    // A graph JSON holds no snapshot to redact: refused in one line.
    let graph = dir.path().join("graph.json");
    strata(
        dir.path(),
        &["render", EXAMPLE, "-o", graph.to_str().unwrap()],
    );
    let refused = diff(
        dir.path(),
        &graph,
        &new,
        &["--redact", "--redact-key", key_arg],
    );
    assert_eq!(refused.status.code(), Some(2));
    let message = String::from_utf8_lossy(&refused.stderr);
    assert_eq!(message.lines().count(), 1, "{message}");
    assert!(message.contains("--redact cannot take apart"), "{message}");
}
