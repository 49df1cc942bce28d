//! `strata cost` through the built CLI on the bundled example
//! (`examples/two-region.json`, a real scan of the emulator), with exact
//! totals computed from the bundled price rows, in every format.
//! No AWS SDK: `cargo test --no-default-features --test cost`.

use std::path::Path;
use std::process::Output;

const EXAMPLE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/examples/two-region.json");

#[path = "support/cli.rs"]
mod cli;
use cli::strata;

fn stdout(output: &Output) -> String {
    assert!(
        output.status.success(),
        "strata failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout.clone()).expect("UTF-8 output")
}

// The example, per region, from the bundled rows:
//   eu-west-1: 2 × t3.micro 0.0114 × 730 = 16.644; 3 × gp2 8 GiB × 0.11 = 2.64;
//     Elastic IP 0.005 × 730 = 3.65; ALB 0.0252 × 730 = 18.396 + 2 zones ×
//     3.65 = 7.30; db.t3.medium postgres Multi-AZ 0.156 × 730 = 113.88 +
//     50 GiB gp2 Multi-AZ × 0.253 = 12.65 → 175.16
//   us-east-1: 2 × 0.0104 × 730 = 15.184; 3 × 8 × 0.1 = 2.40; 3.65;
//     0.0225 × 730 = 16.425 + 7.30; 0.145 × 730 = 105.85 + 50 × 0.23 = 11.50
//     → 162.309
//   The stopped m5.large instances cost 0, the S3 gateway endpoints 0, the
//   two NAT gateways have no bundled price.
const TOTAL: &str = "337.469";

/// `(key, amount)` of each subtotal of one grouping in the JSON report.
fn subtotals<'j>(json: &'j serde_json::Value, by: &str) -> Vec<(&'j str, &'j str)> {
    json["groups"][by]
        .as_array()
        .unwrap()
        .iter()
        .map(|row| {
            (
                row["key"].as_str().unwrap(),
                row["amount"].as_str().unwrap(),
            )
        })
        .collect()
}

#[test]
fn the_example_costs_the_same_in_every_format() {
    let cache = tempfile::tempdir().unwrap();
    let table = stdout(&strata(cache.path(), &["cost", EXAMPLE]));
    assert!(
        table.contains("\ntotal 337.47 USD per month (730 h) for 20 priced resources; 2 resources have no price and are not included\n"),
        "{table}"
    );
    assert!(
        table.contains("  175.16  123456789012/eu-west-1 (+ 1 without price)\n"),
        "{table}"
    );
    assert!(
        table.contains("  162.31  123456789012/us-east-1 (+ 1 without price)\n"),
        "{table}"
    );
    assert!(table.contains(
        "no price: NAT gateway prices are not in the bundled table; run `strata prices refresh`"
    ));
    assert!(
        table.contains("db.t3.medium postgres Multi-AZ on-demand 0.156 USD/hour × 730 h = 113.88")
    );
    assert!(table.contains(
        "prices: bundled AWS list prices (AWS price feed captured June 2025, EBS July 2024)"
    ));
    assert!(table.contains("templates/prices/ec2.csv (QuinnyPig/aws-price-watcher processed/ec2.json @ a6645eb2e53e, last changed in the repository 2025-06-13)"));

    let json: serde_json::Value = serde_json::from_str(&stdout(&strata(
        cache.path(),
        &["cost", EXAMPLE, "--format", "json"],
    )))
    .unwrap();
    assert_eq!(json["schema"], "strata.cost/v1");
    assert_eq!(json["total"]["amount"], TOTAL);
    assert_eq!(json["total"]["priced"], 20);
    assert_eq!(json["total"]["unpriced"], 2);
    let regions = subtotals(&json, "region");
    assert_eq!(
        regions,
        [
            ("123456789012/eu-west-1", "175.16"),
            ("123456789012/us-east-1", "162.309")
        ]
    );
    let services = subtotals(&json, "service");
    // ebs 2.64 + 2.40; ec2 16.644 + 15.184; elb 18.396 + 16.425;
    // rds 113.88 + 12.65 + 105.85 + 11.50; vpc 4 × 3.65 + 4 × 3.65 (LB zones)
    assert_eq!(
        services,
        [
            ("ebs", "5.04"),
            ("ec2", "31.828"),
            ("elb", "34.821"),
            ("rds", "243.88"),
            ("vpc", "21.9")
        ]
    );
    let orders = json["resources"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["id"] == "orders" && r["region"] == "eu-west-1")
        .unwrap();
    assert_eq!(orders["amount"], "126.53");
    assert_eq!(
        orders["charges"][0]["price"]["key"],
        serde_json::json!(["db.t3.medium", "postgres", "Multi-AZ"])
    );
    assert_eq!(
        orders["charges"][0]["price"]["source"]["commit"],
        "a6645eb2e53e9399396a714cdc4f3c346c7f06c0"
    );

    let csv = stdout(&strata(cache.path(), &["cost", EXAMPLE, "--format", "csv"]));
    assert!(
        csv.ends_with(&format!(
            "total,,total,,,,,,,{TOTAL},month,,,,\"20 priced, 2 without price\"\n"
        )),
        "{csv}"
    );
    assert!(csv.contains(&format!("group,account,123456789012,,,,,,,{TOTAL},month,")));

    let markdown = stdout(&strata(
        cache.path(),
        &["cost", EXAMPLE, "--format", "markdown"],
    ));
    assert!(markdown.contains("**total 337.47 USD per month (730 h) for 20 priced resources; 2 resources have no price and are not included**"));
    assert!(
        markdown.contains("| 123456789012/eu-west-1 | 175.16 | 10 | 1 |"),
        "{markdown}"
    );
}

#[test]
fn periods_scale_the_month_of_730_hours() {
    let cache = tempfile::tempdir().unwrap();
    let total = |period: &str| {
        let json: serde_json::Value = serde_json::from_str(&stdout(&strata(
            cache.path(),
            &["cost", EXAMPLE, "--format", "json", "--period", period],
        )))
        .unwrap();
        json["total"]["amount"].as_str().unwrap().to_string()
    };
    assert_eq!(total("year"), "4049.628");
    // Per hour: the hourly prices exactly (0.0436 instances + 0.01 Elastic
    // IPs + 0.0477 load balancers + 0.02 their addresses + 0.301 databases =
    // 0.4223), plus each monthly storage charge ÷ 730 to 10 places
    // (3 × 0.0012054795 + 3 × 0.0010958904 + 0.0173287671 + 0.0157534247).
    assert_eq!(total("hour"), "0.4622863015");
}

/// The NAT gateway rows a refresh would write: AWS's published on-demand
/// NAT gateway prices (VPC pricing page: us-east-1 0.045 USD per hour and per
/// GB, eu-west-1 0.048), in the price file's format.
fn refreshed_nat_prices(path: &Path) {
    let row = |region: &str, dimension: &str, unit: &str, usd: &str| {
        serde_json::json!({
            "table": "network", "region": region, "key": ["nat-gateway", dimension],
            "usd": usd, "unit": unit, "service_code": "AmazonEC2",
            "sku": format!("TEST-{region}-{dimension}"),
            "aws_label": format!("${usd} per NAT Gateway {dimension} in {region}"),
            "published": "2026-11-01T00:00:00Z",
        })
    };
    let file = serde_json::json!({
        "schema": "strata.prices/v1",
        "fetched_at": "2026-12-01T10:00:00Z",
        "endpoint_region": "us-east-1",
        "regions": ["eu-west-1", "us-east-1"],
        "rows": [
            row("eu-west-1", "data-processed", "GB", "0.048"),
            row("eu-west-1", "hour", "hour", "0.048"),
            row("us-east-1", "data-processed", "GB", "0.045"),
            row("us-east-1", "hour", "hour", "0.045"),
        ],
    });
    std::fs::write(path, serde_json::to_string_pretty(&file).unwrap()).unwrap();
}

#[test]
fn a_refreshed_price_file_and_a_usage_file_price_the_nat_gateways() {
    let cache = tempfile::tempdir().unwrap();
    let prices = cache.path().join("prices.json");
    refreshed_nat_prices(&prices);
    let usage = cache.path().join("usage.toml");
    std::fs::write(&usage, "[kind.nat-gateway]\ndata_processed_gb = 100\n").unwrap();
    let json: serde_json::Value = serde_json::from_str(&stdout(&strata(
        cache.path(),
        &[
            "cost",
            EXAMPLE,
            "--format",
            "json",
            "--prices",
            prices.to_str().unwrap(),
            "--usage",
            usage.to_str().unwrap(),
        ],
    )))
    .unwrap();
    // + 0.048 × 730 = 35.04 and 0.045 × 730 = 32.85 by the hour, + 100 GB ×
    // 0.048 and × 0.045 assumed; their addresses are the scanned Elastic IPs.
    assert_eq!(json["total"]["amount"], "414.659");
    assert_eq!(json["total"]["unpriced"], 0);
    let nat = json["resources"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["kind"] == "nat-gateway" && r["region"] == "eu-west-1")
        .unwrap();
    assert_eq!(nat["amount"], "39.84");
    assert_eq!(nat["charges"][0]["price"]["source"]["date_is"], "fetched");
    assert_eq!(nat["usage"][0]["charge"]["assumed"], true);
    assert_eq!(
        nat["usage"][0]["charge"]["basis"],
        "NAT gateway data processed 0.048 USD/GB × 100 GB (assumed usage)"
    );
    assert!(json["prices"]
        .as_str()
        .unwrap()
        .starts_with("prices refreshed from the AWS Price List API on 2026-12-01"));

    // Without --prices, the refreshed cache is used when there is one.
    let cached = cache.path().join("strata");
    std::fs::create_dir_all(&cached).unwrap();
    std::fs::copy(&prices, cached.join("prices.json")).unwrap();
    let table = stdout(&strata(cache.path(), &["cost", EXAMPLE]));
    assert!(table.contains("total 405.36 USD per month"), "{table}");
    // --prices bundled ignores it.
    let table = stdout(&strata(
        cache.path(),
        &["cost", EXAMPLE, "--prices", "bundled"],
    ));
    assert!(table.contains("total 337.47 USD per month"), "{table}");
}

#[test]
fn groups_by_a_tag_and_refuses_bad_input_in_one_line() {
    let cache = tempfile::tempdir().unwrap();
    let table = stdout(&strata(
        cache.path(),
        &["cost", EXAMPLE, "--by", "tag:Name"],
    ));
    // Both orders-db instances carry Name=orders-db: 126.53 + 117.35.
    assert!(table.contains("  243.88  Name=orders-db\n"), "{table}");
    assert!(table.contains("(no Name tag)"), "{table}");

    let usage = cache.path().join("usage.toml");
    std::fs::write(&usage, "[kind.nat-gateway]\nlcu = 3\n").unwrap();
    let output = strata(
        cache.path(),
        &["cost", EXAMPLE, "--usage", usage.to_str().unwrap()],
    );
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(
        stderr.contains("[kind.nat-gateway] sets lcu, which no nat-gateway is charged for"),
        "{stderr}"
    );

    let output = strata(cache.path(), &["cost", EXAMPLE, "--prices", EXAMPLE]);
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("is not a strata price file"), "{stderr}");

    let output = strata(cache.path(), &["cost", EXAMPLE, "--by", "colour"]);
    assert!(!output.status.success());
    assert!(String::from_utf8_lossy(&output.stderr)
        .contains("use account, region, vpc, service or tag:KEY"));
}

/// `(data-id of the tile or frame, figure)` for every cost figure an SVG
/// draws, read with a real XML parser.
fn figures(svg: &str) -> std::collections::BTreeSet<(String, String)> {
    use quick_xml::events::Event;
    let mut reader = quick_xml::Reader::from_str(svg);
    let mut ids: Vec<Option<String>> = Vec::new();
    let mut in_cost = false;
    let mut found = std::collections::BTreeSet::new();
    loop {
        match reader.read_event().expect("the SVG is well-formed XML") {
            Event::Start(element) => {
                let attribute = |name: &[u8]| {
                    element
                        .try_get_attribute(name)
                        .unwrap()
                        .map(|a| a.unescape_value().unwrap().into_owned())
                };
                match element.name().as_ref() {
                    b"g" => ids.push(attribute(b"data-id")),
                    b"text" => in_cost = attribute(b"class").as_deref() == Some("cost"),
                    _ => {}
                }
            }
            Event::Text(text) if in_cost => {
                let owner = ids
                    .iter()
                    .rev()
                    .find_map(|id| id.clone())
                    .expect("a figure inside a node");
                found.insert((
                    owner,
                    text.xml_content().expect("text unescapes").into_owned(),
                ));
            }
            Event::End(element) => match element.name().as_ref() {
                b"g" => {
                    ids.pop();
                }
                b"text" => in_cost = false,
                _ => {}
            },
            Event::Eof => break,
            _ => {}
        }
    }
    found
}

#[test]
fn the_diagram_shows_the_report_figures_on_tiles_frames_and_header() {
    let cache = tempfile::tempdir().unwrap();
    let svg_path = cache.path().join("example.svg");
    stdout(&strata(
        cache.path(),
        &["render", EXAMPLE, "-o", svg_path.to_str().unwrap()],
    ));
    let svg = std::fs::read_to_string(&svg_path).unwrap();
    let id = |kind: &str, region: &str, resource: &str| {
        format!("{kind}:123456789012:{region}:{resource}")
    };
    let (west, east) = ("eu-west-1", "us-east-1");
    let figure = |owner: String, text: &str| (owner, text.to_string());
    // Tiles: an instance with its root volume (t3.micro 8.322 + gp2 8 GiB
    // 0.88 = 9.202 in eu-west-1); a stopped instance pays for its volume;
    // the ALB with its two zones' public addresses; RDS with its storage;
    // a gateway endpoint is free, so it has no figure; a NAT gateway has no
    // bundled price.
    // Frames: the report's region subtotals and total, with what they
    // leave out.
    let expected = std::collections::BTreeSet::from([
        figure("account:123456789012".into(), "$337/mo + 2 unpriced"),
        figure(
            format!("region:123456789012:{west}"),
            "$175/mo + 1 unpriced",
        ),
        figure(
            format!("region:123456789012:{east}"),
            "$162/mo + 1 unpriced",
        ),
        figure(
            id("vpc", west, "vpc-7ad6368180e735ce1"),
            "$175/mo + 1 unpriced",
        ),
        figure(
            id("vpc", east, "vpc-15cfe8c4f67ba04e7"),
            "$162/mo + 1 unpriced",
        ),
        figure(id("ec2-instance", west, "i-c11feea7818c1a250"), "$9.20/mo"),
        figure(id("ec2-instance", west, "i-d056f4e2e50181c7a"), "$9.20/mo"),
        figure(id("ec2-instance", west, "i-7133a3aa979df254a"), "$0.88/mo"),
        figure(id("ec2-instance", east, "i-302516c80a08ad716"), "$8.39/mo"),
        figure(id("ec2-instance", east, "i-6598894dbfdac6b2b"), "$8.39/mo"),
        figure(id("ec2-instance", east, "i-990f3e25781b71fa9"), "$0.80/mo"),
        figure(
            id("load-balancer", west, "app/shop/7e02faf29938811d"),
            "$26/mo",
        ),
        figure(
            id("load-balancer", east, "app/shop/d67d5a0e197f8499"),
            "$24/mo",
        ),
        figure(id("rds-instance", west, "orders"), "$127/mo"),
        figure(id("rds-instance", east, "orders"), "$117/mo"),
        figure(id("nat-gateway", west, "nat-2b225c21486f5852c"), "no price"),
        figure(id("nat-gateway", east, "nat-c71f75e03e4258134"), "no price"),
    ]);
    assert_eq!(figures(&svg), expected);
    assert!(
        svg.contains("est. $337/mo (2 resources unpriced)"),
        "the header total"
    );
    assert!(svg.contains(
        "costs per month (730 h) at on-demand list prices: bundled AWS list prices (AWS price feed captured June 2025, EBS July 2024), dated 2024-07-18 to 2025-06-17"
    ));
    assert!(
        svg.contains("t3.micro Linux on-demand 0.0114 USD/hour × 730 h = 8.322"),
        "the basis in the tooltip"
    );

    // The graph JSON: the report's total, and each node's own estimate.
    let json_path = cache.path().join("example.json");
    stdout(&strata(
        cache.path(),
        &["render", EXAMPLE, "-o", json_path.to_str().unwrap()],
    ));
    let graph: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&json_path).unwrap()).unwrap();
    assert_eq!(graph["cost"]["total"], TOTAL);
    assert_eq!(
        (
            graph["cost"]["priced"].as_u64(),
            graph["cost"]["unpriced"].as_u64()
        ),
        (Some(20), Some(2))
    );
    let node = |node_id: String| {
        graph["nodes"]
            .as_array()
            .unwrap()
            .iter()
            .find(|node| node["id"] == node_id.as_str())
            .cloned()
            .unwrap_or_else(|| panic!("no node {node_id}"))
    };
    let instance = node(id("ec2-instance", west, "i-c11feea7818c1a250"));
    assert_eq!(instance["cost"]["amount"], "8.322");
    assert_eq!(
        instance["cost"]["charges"][0]["basis"],
        "t3.micro Linux on-demand 0.0114 USD/hour × 730 h"
    );
    assert_eq!(instance["cost"]["charges"][0]["date"], "2025-06-13");
    assert_eq!(
        instance["cost"]["usage"],
        serde_json::json!(["data transfer out"])
    );
    let nat = node(id("nat-gateway", west, "nat-2b225c21486f5852c"));
    assert_eq!(nat["cost"]["amount"], serde_json::Value::Null);
    assert_eq!(
        nat["cost"]["unpriced"][0],
        "NAT gateway prices are not in the bundled table; run `strata prices refresh`"
    );

    // --no-cost: no figure anywhere.
    let bare = stdout(&strata(
        cache.path(),
        &["render", EXAMPLE, "--no-cost", "--format", "svg"],
    ));
    assert!(figures(&bare).is_empty());
    assert!(!bare.contains("est. $"));
    let bare_json = stdout(&strata(
        cache.path(),
        &["render", EXAMPLE, "--no-cost", "--format", "json"],
    ));
    assert!(!bare_json.contains("\"cost\""));
}

#[test]
fn figures_sit_inside_their_tiles_and_frames_clear_of_other_text() {
    let snapshot = strata::snapshot::Snapshot::read(Path::new(EXAMPLE)).unwrap();
    let mut graph = strata::graph::build(&snapshot);
    strata::cost::annotate(
        &mut graph,
        &snapshot,
        &strata::prices::PriceBook::bundled(),
        None,
    );
    let layout = strata::layout::architecture(&graph);
    let inside = |line: &strata::layout::TextLine, rect: &strata::layout::Rect| {
        line.x >= rect.x
            && line.x + line.width <= rect.right()
            && line.y > rect.y
            && line.y < rect.bottom()
    };
    let mut drawn = 0;
    for tile in &layout.tiles {
        let Some(cost) = &tile.cost else { continue };
        drawn += 1;
        assert!(
            inside(&cost.line, &tile.rect),
            "{}: {cost:?} outside {:?}",
            tile.id,
            tile.rect
        );
        assert!(
            cost.line.x >= tile.detail.x + tile.detail.width + 6.0 - 1e-9,
            "{}: the figure overlaps the detail line {:?}",
            tile.id,
            tile.detail
        );
        assert_eq!(
            cost.line.y, tile.detail.y,
            "{}: on the detail line",
            tile.id
        );
    }
    assert_eq!(drawn, 12, "every charged tile has its figure");
    for container in &layout.containers {
        let Some(cost) = &container.cost else {
            continue;
        };
        assert!(inside(&cost.line, &container.rect), "{}", container.id);
        assert!(
            cost.line.x > container.title.x + container.title.width,
            "{}",
            container.id
        );
    }
}
