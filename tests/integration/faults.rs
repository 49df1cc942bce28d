//! Faults between strata and AWS: a storm of throttles and 5xx answers, a
//! silent endpoint, one silent region, the read-only guarantee, and an
//! interrupted scan. Each test runs the built `strata` against moto seeded
//! with the reference fixture, through the fault proxy, with short timeouts
//! and backoff so the whole file stays within a minute or two.

use std::process::Output;
use std::time::{Duration, Instant};

use strata::snapshot::{ResourceKind, Snapshot};

use crate::scan::{stderr, strata, strata_command, TEST_KEYS};
use crate::support::fault_proxy::{CallRecord, Disposition, Fault, FaultPlan, FaultProxy, Scope};
use crate::support::moto::Moto;
use crate::support::seed::reference_fixture;

const ACCOUNT: &str = "123456789012";
/// Scanned first: STS (the account lookup) goes to this region.
const FIRST: &str = "us-east-1";
const SECOND: &str = "eu-west-1";

/// `strata scan` through `proxy` of `regions`, with `extra` flags.
fn scan(proxy: &FaultProxy, regions: &[&str], extra: &[&str]) -> Output {
    let endpoint = proxy.url();
    let mut args = vec!["scan", "--quiet", "--endpoint-url", &endpoint];
    for region in regions {
        args.extend(["--region", region]);
    }
    args.extend(extra);
    strata(&args, &TEST_KEYS)
}

/// The snapshot minus what differs between two scans of the same estate.
fn timeless(mut snapshot: Snapshot) -> Snapshot {
    snapshot.scan.started_at.clear();
    snapshot.scan.finished_at.clear();
    snapshot
}

fn read(path: &std::path::Path) -> Snapshot {
    Snapshot::read(path).unwrap_or_else(|e| panic!("{e}"))
}

/// Only Describe/List/Get calls, plus STS's AssumeRole and GetCallerIdentity.
fn assert_read_only(calls: &[CallRecord]) {
    assert!(!calls.is_empty(), "the proxy saw no call");
    for call in calls {
        let read_only = ["Describe", "List", "Get"]
            .iter()
            .any(|verb| call.action.starts_with(verb))
            || (call.service == "sts"
                && matches!(call.action.as_str(), "AssumeRole" | "GetCallerIdentity"));
        assert!(read_only, "a scan made a non-read-only call: {call:?}");
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn a_storm_of_throttles_and_server_errors_ends_with_the_calm_snapshot() {
    let moto = Moto::start().await;
    tokio::join!(
        reference_fixture(&moto, FIRST),
        reference_fixture(&moto, SECOND)
    );
    let proxy = FaultProxy::start(&moto.endpoint(), FaultPlan::calm());
    let directory = tempfile::tempdir().unwrap();
    let calm_path = directory.path().join("calm.json");
    let storm_path = directory.path().join("storm.json");

    let calm = scan(
        &proxy,
        &[FIRST, SECOND],
        &["-o", calm_path.to_str().unwrap()],
    );
    assert!(calm.status.success(), "calm scan: {}", stderr(&calm));
    let calm_calls = proxy.calls();
    assert_read_only(&calm_calls);
    let services: std::collections::BTreeSet<&str> =
        calm_calls.iter().map(|c| c.service.as_str()).collect();
    assert_eq!(
        services,
        ["ec2", "elasticache", "elasticloadbalancing", "rds", "sts"].into(),
        "the full scan reaches every service"
    );

    // 30% of calls fail; no call fails more than 5 times in a row, so 8
    // attempts always get through, and tiny backoff keeps the test fast.
    proxy.set_plan(FaultPlan {
        max_consecutive_faults: Some(5),
        ..FaultPlan::storm(2026, 0.3)
    });
    let started = Instant::now();
    let storm = scan(
        &proxy,
        &[FIRST, SECOND],
        &[
            "--max-attempts",
            "8",
            "--retry-backoff",
            "0.01",
            "-o",
            storm_path.to_str().unwrap(),
        ],
    );
    let took = started.elapsed();
    assert!(storm.status.success(), "storm scan: {}", stderr(&storm));
    assert!(
        took < Duration::from_secs(90),
        "the storm scan took {took:?}"
    );

    let storm_calls = &proxy.calls()[calm_calls.len()..];
    assert_read_only(storm_calls);
    let injected: Vec<Fault> = storm_calls
        .iter()
        .filter_map(|c| match c.disposition {
            Disposition::Injected(fault) => Some(fault),
            _ => None,
        })
        .collect();
    assert!(
        injected.len() * 5 >= storm_calls.len(),
        "a storm needs failures: {} of {} calls failed",
        injected.len(),
        storm_calls.len()
    );
    for fault in [
        Fault::Throttle,
        Fault::ServiceUnavailable,
        Fault::InternalError,
    ] {
        assert!(injected.contains(&fault), "no {fault:?} in the storm");
    }
    for service in ["ec2", "elasticloadbalancing", "rds"] {
        assert!(
            storm_calls
                .iter()
                .any(|c| c.service == service && matches!(c.disposition, Disposition::Injected(_))),
            "{service} never failed in the storm"
        );
    }

    let calm = timeless(read(&calm_path));
    let storm = timeless(read(&storm_path));
    assert!(storm.scan.complete && storm.scan.failed_regions.is_empty());
    assert_eq!(storm, calm, "the storm changed the snapshot");
    assert_eq!(
        strata::render::json::render(&strata::graph::build(&storm)),
        strata::render::json::render(&strata::graph::build(&calm)),
        "the storm changed the graph"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_silent_endpoint_gives_up_in_time_and_writes_only_an_incomplete_snapshot() {
    let moto = Moto::start().await;
    reference_fixture(&moto, FIRST).await;
    // STS answers, so the account is known; every scanned service is silent.
    let proxy = FaultProxy::start(
        &moto.endpoint(),
        FaultPlan {
            black_holes: vec![
                Scope::service("ec2"),
                Scope::service("elasticloadbalancing"),
                Scope::service("rds"),
            ],
            ..FaultPlan::calm()
        },
    );
    let directory = tempfile::tempdir().unwrap();
    let path = directory.path().join("snap.json");
    let previous = b"the previous snapshot\n";
    std::fs::write(&path, previous).unwrap();
    let out = path.to_str().unwrap();
    // Each attempt gets a third of the call timeout: 1 s, ample for moto.
    let quick = [
        "--call-timeout",
        "3",
        "--max-attempts",
        "2",
        "--retry-backoff",
        "0.01",
    ];

    // Without --partial: a one-line error naming a service and the region,
    // exit status 2, and the previous file untouched.
    let started = Instant::now();
    let output = scan(&proxy, &[FIRST], &[&quick[..], &["-o", out]].concat());
    let took = started.elapsed();
    assert_eq!(output.status.code(), Some(2), "{}", stderr(&output));
    assert!(took < Duration::from_secs(20), "giving up took {took:?}");
    let error = stderr(&output);
    assert_eq!(error.lines().count(), 1, "not one line: {error}");
    assert!(
        error.starts_with("strata: ") && error.contains("nothing was written"),
        "{error}"
    );
    assert!(
        error.contains(&format!(" in {FIRST} "))
            && ["ec2:", "elasticloadbalancing:", "rds:"]
                .iter()
                .any(|service| error.contains(service))
            && error.contains("--call-timeout")
            && error.contains("--partial"),
        "{error}"
    );
    assert_eq!(std::fs::read(&path).unwrap(), previous);

    // With --partial: the snapshot is written, marked incomplete, and the
    // summary names the failed region.
    let output = scan(
        &proxy,
        &[FIRST],
        &[&quick[..], &["--partial", "-o", out]].concat(),
    );
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(
        stderr(&output).contains(&format!("region {FIRST} of account {ACCOUNT} failed: ")),
        "the summary lacks the failed region: {}",
        stderr(&output)
    );
    let snapshot = read(&path);
    assert!(!snapshot.scan.complete);
    assert!(snapshot.resources.is_empty());
    assert_eq!(snapshot.scan.failed_regions.len(), 1);
    let failed = &snapshot.scan.failed_regions[0];
    assert_eq!(
        (failed.account.as_str(), failed.region.as_str()),
        (ACCOUNT, FIRST)
    );
    assert!(failed.error.contains("--call-timeout"), "{}", failed.error);

    // The overall budget: generous per-call timeouts, a short scan timeout.
    let started = Instant::now();
    let output = scan(
        &proxy,
        &[FIRST],
        &["--call-timeout", "60", "--scan-timeout", "2", "-o", out],
    );
    let took = started.elapsed();
    assert_eq!(output.status.code(), Some(2), "{}", stderr(&output));
    assert!(
        took < Duration::from_secs(10),
        "the scan timeout took {took:?}"
    );
    let message = stderr(&output);
    assert!(
        message.contains("ran out of time (--scan-timeout)")
            && message.contains("still waiting for ")
            && message.contains(&format!(" in {FIRST}"))
            && message.contains("ec2:Describe"),
        "{message}"
    );

    // A silent STS: the account cannot even be identified; named as such.
    proxy.set_plan(FaultPlan::black_hole(Scope::service("sts")));
    let started = Instant::now();
    let output = scan(
        &proxy,
        &[FIRST],
        &[&quick[..], &["--partial", "-o", out]].concat(),
    );
    assert!(started.elapsed() < Duration::from_secs(20));
    assert_eq!(output.status.code(), Some(2), "{}", stderr(&output));
    let message = stderr(&output);
    assert!(
        message.contains("sts:GetCallerIdentity") && message.contains(FIRST),
        "{message}"
    );
    assert!(
        !read(&path).scan.complete,
        "the partial snapshot stays as it was"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn messages_count_the_attempts_that_were_made() {
    let moto = Moto::start().await;
    // Every call throttled: each attempt is one call the proxy sees.
    let proxy = FaultProxy::start(
        &moto.endpoint(),
        FaultPlan {
            failure_share: 1.0,
            faults: vec![Fault::Throttle],
            ..FaultPlan::calm()
        },
    );
    for (attempts, said) in [(1, "1 attempt"), (3, "3 attempts")] {
        let before = proxy.calls().len();
        let output = scan(
            &proxy,
            &[FIRST],
            &[
                "--max-attempts",
                &attempts.to_string(),
                "--retry-backoff",
                "0.01",
            ],
        );
        assert_eq!(output.status.code(), Some(2), "{}", stderr(&output));
        assert_eq!(
            stderr(&output),
            format!(
                "strata: sts:GetCallerIdentity failed in {FIRST} after {said} (Throttling: Rate exceeded); AWS kept throttling or failing: scan again later, or with a lower --max-concurrency or a higher --max-attempts\n"
            )
        );
        assert_eq!(proxy.calls().len() - before, attempts, "calls made");
    }

    // Out of time: it says it timed out, not how many attempts it may have.
    proxy.set_plan(FaultPlan::black_hole(Scope::service("sts")));
    let output = scan(&proxy, &[FIRST], &["--call-timeout", "1.5"]);
    assert_eq!(output.status.code(), Some(2), "{}", stderr(&output));
    assert_eq!(
        stderr(&output),
        format!(
            "strata: sts:GetCallerIdentity in {FIRST} got no answer from AWS at {} within --call-timeout 1.5s (each attempt may take a third of it); check the endpoint, the region and your network, or raise --call-timeout\n",
            proxy.url()
        )
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_silent_region_is_listed_as_failed_and_the_other_region_is_whole() {
    let moto = Moto::start().await;
    tokio::join!(
        reference_fixture(&moto, FIRST),
        reference_fixture(&moto, SECOND)
    );
    let proxy = FaultProxy::start(&moto.endpoint(), FaultPlan::calm());
    let directory = tempfile::tempdir().unwrap();
    let alone_path = directory.path().join("alone.json");
    let both_path = directory.path().join("both.json");

    let alone = scan(&proxy, &[FIRST], &["-o", alone_path.to_str().unwrap()]);
    assert!(alone.status.success(), "{}", stderr(&alone));

    proxy.set_plan(FaultPlan::black_hole(Scope::region(SECOND)));
    let output = scan(
        &proxy,
        &[FIRST, SECOND],
        &[
            "--call-timeout",
            "3",
            "--max-attempts",
            "2",
            "--retry-backoff",
            "0.01",
            "--partial",
            "-o",
            both_path.to_str().unwrap(),
        ],
    );
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(
        stderr(&output).contains(&format!("region {SECOND} of account {ACCOUNT} failed")),
        "{}",
        stderr(&output)
    );
    let both = read(&both_path);
    let alone = read(&alone_path);
    assert!(!both.scan.complete);
    let failed: Vec<(&str, &str)> = both
        .scan
        .failed_regions
        .iter()
        .map(|f| (f.account.as_str(), f.region.as_str()))
        .collect();
    assert_eq!(failed, [(ACCOUNT, SECOND)]);
    assert!(both.scan.failed_regions[0].error.contains(SECOND));
    assert_eq!(both.scan.regions, [SECOND, FIRST]);
    // Every resource of the healthy region, exactly as a scan of it alone.
    assert!(both.resources.iter().all(|r| r.region == FIRST));
    assert_eq!(both.resources, alone.resources);
    assert!(
        alone
            .of_kind(ResourceKind::Rds(strata::services::rds::Kind::Instance))
            .count()
            == 1
            && alone
                .of_kind(ResourceKind::LoadBalancing(
                    strata::services::elbv2::Kind::LoadBalancer
                ))
                .count()
                == 1,
        "the healthy region's fixture was scanned"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn an_interrupted_scan_never_leaves_a_truncated_snapshot() {
    let moto = Moto::start().await;
    reference_fixture(&moto, FIRST).await;
    // Latency stretches the scan so kills land throughout it.
    let proxy = FaultProxy::start(
        &moto.endpoint(),
        FaultPlan {
            latency: Duration::from_millis(40),
            ..FaultPlan::calm()
        },
    );
    let directory = tempfile::tempdir().unwrap();
    let path = directory.path().join("snap.json");
    let out = path.to_str().unwrap().to_string();
    let endpoint = proxy.url();
    let args = [
        "scan",
        "--quiet",
        "--endpoint-url",
        &endpoint,
        "--region",
        FIRST,
        "-o",
        &out,
    ];

    let started = Instant::now();
    let first = strata(&args, &TEST_KEYS);
    let duration = started.elapsed();
    assert!(first.status.success(), "{}", stderr(&first));
    let previous = std::fs::read(&path).unwrap();
    let expected = timeless(read(&path));

    // Kill at points spread over the scan, most near its end where the file
    // is written; after each, the file is the previous one or a whole new one.
    for fraction in [0.3, 0.6, 0.85, 0.95, 0.98, 1.0, 1.02, 1.05] {
        let (mut command, _home) = strata_command(&args, &TEST_KEYS);
        let mut child = command.spawn().expect("strata starts");
        std::thread::sleep(duration.mul_f64(fraction));
        let _ = child.kill();
        let _ = child.wait();
        let now = std::fs::read(&path).expect("the snapshot is still there");
        if now != previous {
            let snapshot = Snapshot::from_slice(&now, "snap.json")
                .unwrap_or_else(|e| panic!("killed at {fraction} of the scan: {e}"));
            assert_eq!(timeless(snapshot), expected);
        }
    }
}
