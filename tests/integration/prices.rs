//! `strata prices refresh` against the loopback Price List server
//! (`support::pricing`, the one stand-in the tests use: no emulator
//! implements the pricing API), then `strata cost` with what it wrote.

use std::path::Path;
use std::process::{Command, Output};

use crate::support::pricing::PricingServer;

const EXAMPLE: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../examples/two-region.json"
);

/// Run strata with test keys (never real credentials) and a cache of its own.
fn strata(home: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_strata-cli"))
        .args(args)
        .env("XDG_CACHE_HOME", home.join("cache"))
        .env("HOME", home)
        .env("AWS_ACCESS_KEY_ID", "AKIAPRICINGTEST0001")
        .env("AWS_SECRET_ACCESS_KEY", "pricing-test-secret")
        .env("AWS_CONFIG_FILE", "/dev/null")
        .env("AWS_SHARED_CREDENTIALS_FILE", "/dev/null")
        .env("AWS_EC2_METADATA_DISABLED", "true")
        .env_remove("AWS_REGION")
        .env_remove("AWS_DEFAULT_REGION")
        .env_remove("AWS_PROFILE")
        .env_remove("AWS_SESSION_TOKEN")
        .env_remove("AWS_ENDPOINT_URL")
        .env_remove("RUST_LOG")
        .output()
        .expect("strata runs")
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

#[test]
fn a_refresh_pages_through_get_products_and_its_prices_are_used() {
    let server = PricingServer::start();
    let home = tempfile::tempdir().unwrap();
    let file = home.path().join("prices.json");
    let url = server.url();
    let output = strata(
        home.path(),
        &[
            "prices",
            "refresh",
            "--region",
            "eu-west-1",
            "--endpoint-url",
            &url,
            "-o",
            file.to_str().unwrap(),
        ],
    );
    assert!(output.status.success(), "{}", stderr(&output));
    let message = stderr(&output);
    assert_eq!(message.lines().count(), 1, "{message}");
    assert!(
        message.starts_with("strata: wrote 4 prices for eu-west-1 (ec2 2, rds 0, rds-storage 0, ebs 0, network 2, elasticache 0) fetched "),
        "{message}"
    );

    // One query per product group, all signed for the pricing endpoint in
    // us-east-1, each for the region asked, and the instance query twice:
    // its second page asked with the first page's NextToken.
    let calls = server.calls();
    assert_eq!(calls.len(), 11, "{calls:#?}");
    for call in &calls {
        assert_eq!(call.target, "AWSPriceListService.GetProducts");
        assert_eq!(call.scope, "us-east-1/pricing");
        assert_eq!(call.format_version, "aws_v1");
        assert!(
            call.filters.contains(&"regionCode=eu-west-1".to_string()),
            "{call:?}"
        );
    }
    let instance_pages: Vec<Option<&str>> = calls
        .iter()
        .filter(|c| {
            c.filters
                .contains(&"productFamily=Compute Instance".to_string())
        })
        .map(|c| c.next_token.as_deref())
        .collect();
    assert_eq!(instance_pages.len(), 2);
    assert!(instance_pages.contains(&None) && instance_pages.contains(&Some("page-2")));
    let instance_query = calls
        .iter()
        .find(|c| {
            c.filters
                .contains(&"productFamily=Compute Instance".to_string())
        })
        .unwrap();
    assert_eq!(
        instance_query.filters,
        [
            "capacitystatus=Used",
            "licenseModel=No License required",
            "marketoption=OnDemand",
            "operatingSystem=Linux",
            "preInstalledSw=NA",
            "productFamily=Compute Instance",
            "regionCode=eu-west-1",
            "tenancy=Shared",
        ]
    );

    let written: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&file).unwrap()).unwrap();
    assert_eq!(written["schema"], "strata.prices/v1");
    assert_eq!(written["endpoint_region"], "us-east-1");
    assert_eq!(written["regions"], serde_json::json!(["eu-west-1"]));
    let rows: Vec<(String, String, String, String)> = written["rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|row| {
            (
                row["table"].as_str().unwrap().to_string(),
                row["key"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|k| k.as_str().unwrap())
                    .collect::<Vec<_>>()
                    .join(","),
                row["usd"].as_str().unwrap().to_string(),
                row["unit"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    let expected = [
        ("ec2", "m5.large", "0.107", "hour"),
        ("ec2", "t3.micro", "0.0114", "hour"),
        ("network", "nat-gateway,data-processed", "0.048", "GB"),
        ("network", "nat-gateway,hour", "0.048", "hour"),
    ];
    assert_eq!(
        rows,
        expected.map(|(a, b, c, d)| (a.to_string(), b.to_string(), c.to_string(), d.to_string()))
    );
    assert_eq!(
        written["rows"][3]["aws_label"],
        "$0.048 per NAT Gateway Hour"
    );
    assert_eq!(written["rows"][3]["sku"], "NATGWHOURS1");

    // The eu-west-1 NAT gateway is now priced (0.048 × 730 = 35.04); the
    // us-east-1 one is not in the file and says how to get it.
    let report = strata(
        home.path(),
        &[
            "cost",
            EXAMPLE,
            "--format",
            "json",
            "--prices",
            file.to_str().unwrap(),
        ],
    );
    assert!(report.status.success(), "{}", stderr(&report));
    let report: serde_json::Value = serde_json::from_slice(&report.stdout).unwrap();
    assert_eq!(report["total"]["amount"], "372.509");
    assert_eq!(report["total"]["unpriced"], 1);
    let nat = |region: &str| {
        report["resources"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["kind"] == "nat-gateway" && r["region"] == region)
            .unwrap()
            .clone()
    };
    assert_eq!(nat("eu-west-1")["amount"], "35.04");
    assert_eq!(
        nat("eu-west-1")["charges"][0]["price"]["source"]["origin"],
        "AWS Price List Query API (us-east-1)"
    );
    assert_eq!(
        nat("us-east-1")["unpriced"][0],
        format!("no NAT gateway price for us-east-1 in {}; run `strata prices refresh --region us-east-1`", file.display())
    );
}

#[test]
fn a_denied_refresh_says_so_in_one_line_and_the_bundled_prices_stay() {
    let server = PricingServer::deny();
    let home = tempfile::tempdir().unwrap();
    let url = server.url();
    let output = strata(
        home.path(),
        &[
            "prices",
            "refresh",
            "--region",
            "eu-west-1",
            "--endpoint-url",
            &url,
        ],
    );
    assert_eq!(output.status.code(), Some(2), "{}", stderr(&output));
    assert_eq!(
        stderr(&output),
        "strata: pricing:GetProducts was denied (AccessDeniedException); nothing was refreshed and strata keeps using the bundled prices; grant pricing:GetProducts (`strata iam policy` lists it in its own statement) to refresh them\n"
    );
    // A refusal is not retried.
    assert!(server.calls().len() <= 10, "{:?}", server.calls());
    assert!(!home.path().join("cache/strata/prices.json").exists());
    let report = strata(home.path(), &["cost", EXAMPLE]);
    assert!(report.status.success());
    let table = String::from_utf8_lossy(&report.stdout);
    assert!(table.contains("prices: bundled AWS list prices"), "{table}");
    assert!(table.contains("total 337.47 USD per month"), "{table}");
}

#[test]
fn a_refresh_needs_a_region() {
    let home = tempfile::tempdir().unwrap();
    let output = strata(
        home.path(),
        &["prices", "refresh", "--endpoint-url", "http://127.0.0.1:9"],
    );
    assert_eq!(output.status.code(), Some(2));
    assert_eq!(
        stderr(&output),
        "strata: no region to fetch prices for: pass --region REGION (repeatable) or --all-regions, or set AWS_REGION\n"
    );
}
