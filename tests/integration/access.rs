//! Access against the emulator with its IAM enforcement on: the generated
//! policy is enough, removing a permission removes only what it feeds, roles
//! are assumed with the external id, several accounts land in one snapshot,
//! no credential leaks, and every call a scan makes is in the action table.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::process::{Command, Output};

use aws_config::SdkConfig;
use aws_credential_types::Credentials;
use strata::graph;
use strata::output::{produce, Costing, Format, View};
use strata::scan::action::all_actions;
use strata::services::{elbv2::model::*, network::model::*};
use strata::snapshot::{AccountMeta, ResourceKind, Snapshot};

use crate::support::estate::{edge_set, Tuple};
use crate::support::fault_proxy::{FaultPlan, FaultProxy};
use crate::support::moto::Moto;
use crate::support::seed;

const REGION: &str = "us-east-1";
const PARTNER_ACCOUNT: &str = "111122223333";
const PARTNER_ROLE: &str = "arn:aws:iam::111122223333:role/strata-readonly";
const PARTNER_EXTERNAL_ID: &str = "ext-7f3a9c-partner";

/// Long-term keys as a test hands them to strata; distinctive values so a
/// leak is found by grepping for them.
#[derive(Debug, Clone)]
struct Keys {
    access_key_id: String,
    secret_access_key: String,
}

impl Keys {
    /// moto accepts any key while IAM enforcement is off; these act as the
    /// root of its default account 123456789012.
    fn root() -> Keys {
        Keys {
            access_key_id: "AKIASTRATAROOTKEY001".to_string(),
            secret_access_key: "strata-root-secret/never-print-0123456789".to_string(),
        }
    }
}

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("tokio runtime")
}

impl Keys {
    fn sdk_config(&self, moto: &Moto) -> SdkConfig {
        moto.sdk_config_as(REGION, &self.access_key_id, &self.secret_access_key)
    }
}

/// An IAM user in the default account holding exactly `policy_json`.
fn create_user(moto: &Moto, name: &str, policy_json: &str) -> Keys {
    let config = Keys::root().sdk_config(moto);
    runtime().block_on(async {
        let iam = aws_sdk_iam::Client::new(&config);
        iam.create_user()
            .user_name(name)
            .send()
            .await
            .expect("create user");
        iam.put_user_policy()
            .user_name(name)
            .policy_name("strata")
            .policy_document(policy_json)
            .send()
            .await
            .expect("put user policy");
        let key = iam
            .create_access_key()
            .user_name(name)
            .send()
            .await
            .expect("create access key")
            .access_key
            .expect("an access key");
        Keys {
            access_key_id: key.access_key_id,
            secret_access_key: key.secret_access_key,
        }
    })
}

/// Run the strata binary with only `keys` as credentials: no shared config,
/// no instance metadata, nothing from the test runner's environment.
fn strata(keys: &Keys, args: &[&str], home: &Path) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_strata-cli"));
    for (name, _) in std::env::vars() {
        if name.starts_with("AWS_") {
            command.env_remove(name);
        }
    }
    // Empty shared config files: nothing from the runner's home is read.
    let (config, credentials) = (home.join("empty-config"), home.join("empty-credentials"));
    std::fs::write(&config, "").expect("empty config file");
    std::fs::write(&credentials, "").expect("empty credentials file");
    command
        .args(args)
        .env("AWS_ACCESS_KEY_ID", &keys.access_key_id)
        .env("AWS_SECRET_ACCESS_KEY", &keys.secret_access_key)
        .env("AWS_CONFIG_FILE", &config)
        .env("AWS_SHARED_CREDENTIALS_FILE", &credentials)
        .env("AWS_EC2_METADATA_DISABLED", "true")
        .env("HOME", home)
        .output()
        .expect("run strata")
}

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// `strata scan` of the emulator into `dir/name.json`; returns the process
/// output and the snapshot (when one was written).
fn scan(
    moto_url: &str,
    keys: &Keys,
    dir: &Path,
    name: &str,
    extra: &[&str],
) -> (Output, Option<Snapshot>) {
    let path = dir.join(format!("{name}.json"));
    let path_text = path.to_str().expect("utf-8 temp path");
    let mut args = vec![
        "scan",
        "--quiet",
        "--endpoint-url",
        moto_url,
        "--region",
        REGION,
        "-o",
        path_text,
    ];
    args.extend_from_slice(extra);
    let output = strata(keys, &args, dir);
    let snapshot = path
        .exists()
        .then(|| Snapshot::read(&path).expect("a readable snapshot"));
    (output, snapshot)
}

fn scan_ok(moto_url: &str, keys: &Keys, dir: &Path, name: &str, extra: &[&str]) -> Snapshot {
    let (output, snapshot) = scan(moto_url, keys, dir, name, extra);
    assert!(
        output.status.success(),
        "strata scan {name} failed: {}",
        stderr(&output)
    );
    snapshot.expect("the scan wrote a snapshot")
}

/// The policy strata prints, as the CLI prints it.
fn generated_policy(form: &str, dir: &Path) -> String {
    let output = strata(&Keys::root(), &["iam", "policy", form], dir);
    assert!(output.status.success(), "{}", stderr(&output));
    stdout(&output)
}

/// The minimal policy without the actions `drop` selects.
fn minimal_policy_without(dir: &Path, drop: impl Fn(&str) -> bool) -> (String, Vec<String>) {
    let mut policy: serde_json::Value =
        serde_json::from_str(&generated_policy("--minimal", dir)).expect("policy JSON");
    let actions = policy["Statement"][0]["Action"]
        .as_array_mut()
        .expect("an action list");
    let mut dropped = Vec::new();
    actions.retain(|action| {
        let name = action.as_str().unwrap_or_default();
        if drop(name) {
            dropped.push(name.to_string());
            false
        } else {
            true
        }
    });
    (policy.to_string(), dropped)
}

fn skipped_actions(snapshot: &Snapshot) -> BTreeSet<String> {
    snapshot
        .scan
        .skipped
        .iter()
        .map(|skip| skip.action.clone())
        .collect()
}

fn kinds(snapshot: &Snapshot) -> BTreeSet<ResourceKind> {
    snapshot.resources.iter().map(|r| r.kind()).collect()
}

struct Estate {
    moto: Moto,
    dir: tempfile::TempDir,
    /// The unrestricted scan, made before IAM enforcement is switched on.
    full: Snapshot,
}

/// The reference estate, scanned once with unrestricted keys.
fn seeded_estate() -> Estate {
    let moto = runtime().block_on(Moto::start());
    let fixture = runtime().block_on(seed::reference_fixture(&moto, REGION));
    runtime().block_on(seed::memcached_cluster(&moto, &fixture));
    let dir = tempfile::tempdir().expect("temp dir");
    let full = scan_ok(&moto.endpoint(), &Keys::root(), dir.path(), "full", &[]);
    assert!(full.scan.skipped.is_empty(), "{:?}", full.scan.skipped);
    for kind in [
        ResourceKind::Network(strata::services::network::Kind::Vpc),
        ResourceKind::LoadBalancing(strata::services::elbv2::Kind::LoadBalancer),
        ResourceKind::LoadBalancing(strata::services::elbv2::Kind::TargetGroup),
        ResourceKind::Rds(strata::services::rds::Kind::Instance),
        ResourceKind::Compute(strata::services::compute::Kind::Instance),
        ResourceKind::ElastiCache(strata::services::elasticache::Kind::CacheCluster),
    ] {
        assert!(kinds(&full).contains(&kind), "the fixture has no {kind}");
    }
    Estate { moto, dir, full }
}

#[test]
fn the_minimal_policy_is_enough_for_the_whole_picture() {
    let estate = seeded_estate();
    let policy = generated_policy("--minimal", estate.dir.path());
    let user = create_user(&estate.moto, "strata-minimal", &policy);
    let custom_user = create_user(
        &estate.moto,
        "strata-custom",
        &generated_policy("--custom", estate.dir.path()),
    );
    runtime().block_on(estate.moto.reset_auth(true));

    let limited = scan_ok(
        &estate.moto.endpoint(),
        &user,
        estate.dir.path(),
        "minimal",
        &[],
    );
    assert_eq!(limited.scan.skipped, []);
    assert_eq!(limited.resources, estate.full.resources);
    let (full_graph, limited_graph) = (graph::build(&estate.full), graph::build(&limited));
    assert_eq!(limited_graph.nodes(), full_graph.nodes());
    assert_eq!(edge_set(&limited_graph), edge_set(&full_graph));

    let custom = scan_ok(
        &estate.moto.endpoint(),
        &custom_user,
        estate.dir.path(),
        "custom",
        &[],
    );
    assert_eq!(custom.resources, estate.full.resources);

    // And the enforcement is real: keys that are not an IAM user's are refused.
    assert!(root_keys_are_refused(&estate));
}

/// Once IAM is enforced moto refuses keys it did not issue: proves the scans
/// above ran under enforcement.
fn root_keys_are_refused(estate: &Estate) -> bool {
    let keys = Keys::root();
    let config = keys.sdk_config(&estate.moto);
    runtime().block_on(async {
        aws_sdk_iam::Client::new(&config)
            .create_user()
            .user_name("intruder")
            .send()
            .await
            .is_err()
    })
}

#[test]
fn without_target_health_no_target_edges_are_invented() {
    let estate = seeded_estate();
    let (policy, dropped) = minimal_policy_without(estate.dir.path(), |action| {
        action == "elasticloadbalancing:DescribeTargetHealth"
    });
    assert_eq!(dropped, ["elasticloadbalancing:DescribeTargetHealth"]);
    let user = create_user(&estate.moto, "strata-no-health", &policy);
    runtime().block_on(estate.moto.reset_auth(true));

    let (output, snapshot) = scan(
        &estate.moto.endpoint(),
        &user,
        estate.dir.path(),
        "no-health",
        &[],
    );
    assert!(output.status.success(), "{}", stderr(&output));
    let snapshot = snapshot.expect("snapshot written");
    assert_eq!(
        skipped_actions(&snapshot),
        BTreeSet::from(["elasticloadbalancing:DescribeTargetHealth".to_string()])
    );
    let message = stderr(&output);
    assert!(
        message.contains("strata: limited access: 1 action(s) could not be called"),
        "{message}"
    );
    assert!(
        message.contains("elasticloadbalancing:DescribeTargetHealth"),
        "{message}"
    );

    // Everything else is identical; target groups have no targets at all.
    let without_targets = |snapshot: &Snapshot| {
        let mut resources = snapshot.resources.clone();
        for resource in &mut resources {
            if let Some(group) = resource.attrs_mut::<TargetGroupAttrs>() {
                group.targets = None;
            }
        }
        resources
    };
    assert_eq!(snapshot.resources, without_targets(&estate.full));
    let full_edges = edge_set(&graph::build(&estate.full));
    let limited_edges = edge_set(&graph::build(&snapshot));
    assert!(full_edges.iter().any(|edge| edge.2 == "targets"));
    assert!(!limited_edges.iter().any(|edge| edge.2 == "targets"));
    let expected: BTreeSet<Tuple> = full_edges
        .into_iter()
        .filter(|edge| edge.2 != "targets")
        .collect();
    assert_eq!(limited_edges, expected);

    // --strict: same snapshot, exit status 1.
    let (strict, strict_snapshot) = scan(
        &estate.moto.endpoint(),
        &user,
        estate.dir.path(),
        "strict",
        &["--strict"],
    );
    assert_eq!(strict.status.code(), Some(1), "{}", stderr(&strict));
    assert_eq!(
        strict_snapshot.expect("written under --strict").resources,
        snapshot.resources
    );
}

#[test]
fn a_missing_service_removes_only_that_service() {
    let estate = seeded_estate();
    let table = all_actions();
    // Per service: what disappears, and the actions named as skipped (the
    // listing calls: with nothing listed there is nothing to describe further).
    let cases: [(&str, &[ResourceKind], &[&str]); 3] = [
        (
            "elasticloadbalancing",
            &[
                ResourceKind::LoadBalancing(strata::services::elbv2::Kind::LoadBalancer),
                ResourceKind::LoadBalancing(strata::services::elbv2::Kind::Listener),
                ResourceKind::LoadBalancing(strata::services::elbv2::Kind::TargetGroup),
            ],
            &[
                "elasticloadbalancing:DescribeLoadBalancers",
                "elasticloadbalancing:DescribeTargetGroups",
            ],
        ),
        (
            "rds",
            &[
                ResourceKind::Rds(strata::services::rds::Kind::Instance),
                ResourceKind::Rds(strata::services::rds::Kind::Cluster),
                ResourceKind::Rds(strata::services::rds::Kind::DbSubnetGroup),
            ],
            &[
                "rds:DescribeDBClusters",
                "rds:DescribeDBInstances",
                "rds:DescribeDBSubnetGroups",
            ],
        ),
        (
            "elasticache",
            &[
                ResourceKind::ElastiCache(strata::services::elasticache::Kind::CacheCluster),
                ResourceKind::ElastiCache(strata::services::elasticache::Kind::CacheSubnetGroup),
            ],
            &[
                "elasticache:DescribeCacheClusters",
                "elasticache:DescribeCacheSubnetGroups",
                "elasticache:DescribeReplicationGroups",
            ],
        ),
    ];
    let mut users = Vec::new();
    for (service, _, _) in &cases {
        let prefix = format!("{service}:");
        let (policy, dropped) =
            minimal_policy_without(estate.dir.path(), |action| action.starts_with(&prefix));
        let expected_dropped: Vec<String> = table
            .iter()
            .filter(|action| action.service == *service)
            .map(|action| action.iam_name())
            .collect();
        assert_eq!(dropped, expected_dropped);
        users.push(create_user(
            &estate.moto,
            &format!("strata-no-{service}"),
            &policy,
        ));
    }
    runtime().block_on(estate.moto.reset_auth(true));

    for ((service, left_out, named), user) in cases.iter().zip(&users) {
        let (output, snapshot) = scan(
            &estate.moto.endpoint(),
            user,
            estate.dir.path(),
            service,
            &[],
        );
        assert!(output.status.success(), "{service}: {}", stderr(&output));
        let snapshot = snapshot.expect("snapshot written");
        let expected: Vec<_> = estate
            .full
            .resources
            .iter()
            .filter(|resource| !left_out.contains(&resource.kind()))
            .cloned()
            .collect();
        assert_eq!(snapshot.resources, expected, "{service}");
        let named: BTreeSet<String> = named.iter().map(|action| action.to_string()).collect();
        assert_eq!(skipped_actions(&snapshot), named, "{service}");
        let message = stderr(&output);
        assert!(message.contains("strata: limited access: "), "{message}");
        for skip in &snapshot.scan.skipped {
            assert_eq!(skip.service, *service);
            assert!(
                message.contains(&skip.action),
                "{} not named in {message}",
                skip.action
            );
            assert!(
                message.contains(&skip.left_out),
                "{} not named in {message}",
                skip.left_out
            );
        }
    }
}

#[test]
fn without_vpcs_and_subnets_the_scan_stops_naming_what_to_grant() {
    let estate = seeded_estate();
    let (policy, dropped) = minimal_policy_without(estate.dir.path(), |action| {
        action == "ec2:DescribeVpcs" || action == "ec2:DescribeSubnets"
    });
    assert_eq!(dropped, ["ec2:DescribeSubnets", "ec2:DescribeVpcs"]);
    let user = create_user(&estate.moto, "strata-no-vpcs", &policy);
    runtime().block_on(estate.moto.reset_auth(true));

    let (output, snapshot) = scan(
        &estate.moto.endpoint(),
        &user,
        estate.dir.path(),
        "no-vpcs",
        &[],
    );
    assert_eq!(output.status.code(), Some(2), "{}", stderr(&output));
    assert!(snapshot.is_none(), "a snapshot was written without VPCs");
    let message = stderr(&output);
    assert_eq!(message.lines().count(), 1, "{message}");
    assert!(message.contains("ec2:DescribeVpcs"), "{message}");
    assert!(message.contains("ec2:DescribeSubnets"), "{message}");
}

#[test]
fn every_call_of_a_full_scan_is_in_the_action_table() {
    let estate = seeded_estate();
    // A calm fault proxy forwards everything and logs each call it sees.
    let proxy = FaultProxy::start(&estate.moto.endpoint(), FaultPlan::calm());
    let recorded = scan_ok(
        &proxy.url(),
        &Keys::root(),
        estate.dir.path(),
        "recorded",
        &[],
    );
    assert_eq!(recorded.resources, estate.full.resources);

    let table: BTreeSet<String> = all_actions()
        .iter()
        .map(|action| action.iam_name())
        .collect();
    let called: BTreeSet<String> = proxy.calls().iter().map(|call| call.iam_action()).collect();
    // Exactly the table: nothing called that the policy would not grant, and
    // no table entry that a scan of this estate never needs, except those
    // that only some command lines make (--all-regions; a role to assume;
    // `strata prices refresh`).
    let conditional = BTreeSet::from([
        "ec2:DescribeRegions".to_string(),
        "sts:AssumeRole".to_string(),
        "pricing:GetProducts".to_string(),
    ]);
    let expected: BTreeSet<String> = table.difference(&conditional).cloned().collect();
    assert_eq!(called, expected);
}

/// moto's own record of the AssumeRole calls it answered: external id,
/// session name and the temporary keys it handed out.
fn assumed_roles(moto: &Moto) -> Vec<serde_json::Value> {
    let data: serde_json::Value =
        serde_json::from_str(&runtime().block_on(moto.get("/moto-api/data.json")))
            .expect("moto data JSON");
    data["sts"]["AssumedRole"]
        .as_array()
        .cloned()
        .unwrap_or_default()
}

/// A VPC with a subnet and an instance in it, created with `config`'s
/// credentials; returns the VPC id.
async fn seed_vpc(config: &SdkConfig, cidr: &str, subnet_cidr: &str) -> String {
    let ec2 = aws_sdk_ec2::Client::new(config);
    let vpc = seed::create_vpc(&ec2, cidr, None).await;
    let subnet = seed::create_subnet(&ec2, &vpc, subnet_cidr, "us-east-1a", None).await;
    ec2.run_instances()
        .image_id("ami-12c6146b")
        .instance_type(aws_sdk_ec2::types::InstanceType::T3Micro)
        .min_count(1)
        .max_count(1)
        .subnet_id(subnet)
        .send()
        .await
        .expect("run instance");
    vpc
}

/// A VPC in the partner account, created through a role the way a second
/// account is reached (not the session strata will use: another name).
fn seed_partner(moto: &Moto) -> String {
    let config = Keys::root().sdk_config(moto);
    runtime().block_on(async {
        let assumed = aws_sdk_sts::Client::new(&config)
            .assume_role()
            .role_arn(PARTNER_ROLE)
            .role_session_name("seeding")
            .send()
            .await
            .expect("assume the partner role")
            .credentials
            .expect("role credentials");
        let partner = config
            .to_builder()
            .credentials_provider(
                aws_credential_types::provider::SharedCredentialsProvider::new(Credentials::new(
                    assumed.access_key_id,
                    assumed.secret_access_key,
                    Some(assumed.session_token),
                    None,
                    "partner",
                )),
            )
            .build();
        seed_vpc(&partner, "10.9.0.0/16", "10.9.1.0/24").await
    })
}

#[test]
fn two_accounts_in_one_snapshot_through_a_role_with_an_external_id() {
    // Not the reference estate: moto 5.2.5 cannot dump its state
    // (/moto-api/data.json, where it records the AssumeRole calls) once an
    // RDS subnet group exists.
    let moto = runtime().block_on(Moto::start());
    let main_config = Keys::root().sdk_config(&moto);
    let main_vpc = runtime().block_on(seed_vpc(&main_config, "10.1.0.0/16", "10.1.1.0/24"));
    let partner_vpc = seed_partner(&moto);
    let dir = tempfile::tempdir().expect("temp dir");
    let main_alone = scan_ok(&moto.endpoint(), &Keys::root(), dir.path(), "main", &[]);
    assert!(main_alone
        .resources
        .iter()
        .any(|resource| resource.id == main_vpc));
    let estate = Estate {
        moto,
        dir,
        full: main_alone,
    };
    let accounts = estate.dir.path().join("accounts.toml");
    std::fs::write(
        &accounts,
        format!(
            "[[account]]\nname = \"main\"\n\n[[account]]\nname = \"partner\"\nrole_arn = \"{PARTNER_ROLE}\"\nexternal_id = \"{PARTNER_EXTERNAL_ID}\"\n"
        ),
    )
    .expect("write accounts file");

    // Through a recording proxy: it also proves every call is in the table.
    let proxy = FaultProxy::start(&estate.moto.endpoint(), FaultPlan::calm());
    let (output, snapshot) = scan(
        &proxy.url(),
        &Keys::root(),
        estate.dir.path(),
        "both",
        &["--accounts", accounts.to_str().expect("utf-8"), "-vvv"],
    );
    assert!(output.status.success(), "{}", stderr(&output));
    let snapshot = snapshot.expect("snapshot written");

    assert_eq!(
        snapshot.scan.accounts,
        [
            AccountMeta {
                id: PARTNER_ACCOUNT.to_string(),
                name: "partner".to_string(),
                role_arn: Some(PARTNER_ROLE.to_string()),
            },
            AccountMeta {
                id: "123456789012".to_string(),
                name: "main".to_string(),
                role_arn: None,
            },
        ]
    );
    // The main account is exactly what a scan of it alone saw; the partner
    // holds its own VPC (and its default VPC), nothing of the main estate.
    let of_account = |account: &str| -> Vec<_> {
        snapshot
            .resources
            .iter()
            .filter(|resource| resource.account == account)
            .cloned()
            .collect()
    };
    assert_eq!(of_account("123456789012"), estate.full.resources);
    let partner = of_account(PARTNER_ACCOUNT);
    let partner_vpcs: BTreeMap<String, String> = partner
        .iter()
        .filter_map(|resource| {
            let vpc = resource.attrs::<VpcAttrs>()?;
            Some((resource.id.clone(), vpc.cidr_block.clone()))
        })
        .collect();
    assert_eq!(
        partner_vpcs.get(&partner_vpc).map(String::as_str),
        Some("10.9.0.0/16")
    );
    assert_eq!(partner_vpcs.len(), 2, "{partner_vpcs:?}");
    assert!(partner.iter().all(|resource| resource.id != main_vpc));
    assert_eq!(
        snapshot.resources.len(),
        estate.full.resources.len() + partner.len()
    );

    // Each account is its own outermost frame in the graph.
    let graph = graph::build(&snapshot);
    let mut account_of_vpc = None;
    let mut node = graph
        .nodes()
        .into_iter()
        .find(|node| node.resource_id.as_deref() == Some(partner_vpc.as_str()));
    while let Some(current) = node {
        if current.kind == graph::NodeKind::Account {
            account_of_vpc = current.account.clone();
        }
        node = current
            .parent
            .as_deref()
            .and_then(|parent| graph.node(parent));
    }
    assert_eq!(account_of_vpc.as_deref(), Some(PARTNER_ACCOUNT));

    // The external id reached STS: moto recorded the AssumeRole strata made.
    let strata_sessions: Vec<_> = assumed_roles(&estate.moto)
        .into_iter()
        .filter(|role| role["session_name"] == "strata")
        .collect();
    assert!(!strata_sessions.is_empty(), "strata never assumed the role");
    for session in &strata_sessions {
        assert_eq!(session["role_arn"], PARTNER_ROLE);
        assert_eq!(session["external_id"], PARTNER_EXTERNAL_ID);
    }

    // Every call strata made is in the action table it generates the
    // policy from.
    let table: BTreeSet<String> = all_actions()
        .iter()
        .map(|action| action.iam_name())
        .collect();
    let called: BTreeSet<String> = proxy.calls().iter().map(|call| call.iam_action()).collect();
    let unlisted: Vec<_> = called.difference(&table).collect();
    assert!(
        unlisted.is_empty(),
        "calls missing from the action table: {unlisted:?}"
    );
    assert!(called.contains("sts:AssumeRole"), "{called:?}");

    // No key, secret or session token in anything strata wrote or logged.
    let diagram = |format| {
        let bytes =
            produce(&snapshot, format, View::Architecture, Costing::bundled()).expect("a diagram");
        String::from_utf8(bytes).expect("a text diagram")
    };
    let mut secrets = vec![Keys::root().access_key_id, Keys::root().secret_access_key];
    for session in &strata_sessions {
        for field in ["access_key_id", "secret_access_key", "session_token"] {
            secrets.push(session[field].as_str().expect("a key field").to_string());
        }
    }
    let written = [
        (
            "snapshot",
            std::fs::read_to_string(estate.dir.path().join("both.json")).expect("snapshot"),
        ),
        ("svg", diagram(Format::Svg)),
        ("dot", diagram(Format::Dot)),
        ("graph JSON", diagram(Format::Json)),
        ("stdout", stdout(&output)),
        ("log (-vvv)", stderr(&output)),
    ];
    assert!(
        stderr(&output).len() > 1000,
        "the -vvv log is suspiciously short"
    );
    for (place, text) in &written {
        for secret in &secrets {
            assert!(
                !text.contains(secret.as_str()),
                "a credential ({}…) appears in the {place}",
                &secret[..4]
            );
        }
    }
}

#[test]
fn a_profile_that_assumes_a_role_is_followed() {
    let moto = runtime().block_on(Moto::start());
    let partner_vpc = seed_partner(&moto);
    let dir = tempfile::tempdir().expect("temp dir");
    let config_file = dir.path().join("config");
    let credentials_file = dir.path().join("credentials");
    let root = Keys::root();
    std::fs::write(
        &config_file,
        format!(
            // No endpoint_url in the profiles: --endpoint-url alone must
            // reach the AssumeRole call the SDK's role provider makes.
            "[profile base]\nregion = {REGION}\n\n[profile partner]\nregion = {REGION}\nrole_arn = {PARTNER_ROLE}\nsource_profile = base\nexternal_id = ext-from-profile\nrole_session_name = strata-profile\n"
        ),
    )
    .expect("config file");
    std::fs::write(
        &credentials_file,
        format!(
            "[base]\naws_access_key_id = {}\naws_secret_access_key = {}\n",
            root.access_key_id, root.secret_access_key
        ),
    )
    .expect("credentials file");
    let profile_sessions = || {
        assumed_roles(&moto)
            .iter()
            .filter(|s| {
                s["session_name"] == "strata-profile" && s["external_id"] == "ext-from-profile"
            })
            .count()
    };
    // Chosen by the flag, then by AWS_PROFILE: the same role, the same account.
    for (how, profile_flag, profile_variable) in [
        ("flag", &["--profile", "partner"][..], None),
        ("variable", &[][..], Some("partner")),
    ] {
        let snapshot_path = dir.path().join(format!("profile-{how}.json"));
        let sessions_before = profile_sessions();
        let mut command = Command::new(env!("CARGO_BIN_EXE_strata-cli"));
        command
            .args(["scan", "--quiet"])
            .args(profile_flag)
            .args([
                "--endpoint-url",
                &moto.endpoint(),
                "-o",
                snapshot_path.to_str().expect("utf-8"),
            ])
            .env_clear()
            .env("PATH", std::env::var("PATH").unwrap_or_default())
            .env("HOME", dir.path())
            .env("AWS_CONFIG_FILE", &config_file)
            .env("AWS_SHARED_CREDENTIALS_FILE", &credentials_file)
            .env("AWS_EC2_METADATA_DISABLED", "true");
        if let Some(profile) = profile_variable {
            command.env("AWS_PROFILE", profile);
        }
        let output = command.output().expect("run strata");
        assert!(output.status.success(), "{how}: {}", stderr(&output));
        let snapshot = Snapshot::read(&snapshot_path).expect("snapshot");
        assert_eq!(
            snapshot
                .scan
                .accounts
                .iter()
                .map(|a| a.id.as_str())
                .collect::<Vec<_>>(),
            [PARTNER_ACCOUNT],
            "{how}"
        );
        assert!(snapshot.resources.iter().any(|r| r.id == partner_vpc));
        // The role was assumed at the emulator, with the profile's settings.
        assert!(profile_sessions() > sessions_before, "{how}");
    }
}

#[test]
fn iam_check_names_what_a_scan_would_miss() {
    let estate = seeded_estate();
    let (policy, dropped) = minimal_policy_without(estate.dir.path(), |action| {
        action.starts_with("rds:") || action == "elasticloadbalancing:DescribeTargetHealth"
    });
    let limited = create_user(&estate.moto, "strata-check", &policy);
    let complete = create_user(
        &estate.moto,
        "strata-check-complete",
        &generated_policy("--minimal", estate.dir.path()),
    );
    runtime().block_on(estate.moto.reset_auth(true));

    let url = estate.moto.endpoint();
    let args = [
        "iam",
        "check",
        "--endpoint-url",
        url.as_str(),
        "--region",
        REGION,
    ];
    let output = strata(&limited, &args, estate.dir.path());
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    let report = stdout(&output);
    let missing: BTreeSet<String> = report
        .lines()
        .filter_map(|line| line.trim_start().strip_prefix("missing "))
        .map(|rest| rest.split(' ').next().unwrap_or_default().to_string())
        .collect();
    assert_eq!(
        missing,
        dropped.into_iter().collect::<BTreeSet<_>>(),
        "{report}"
    );
    assert!(
        report.contains("  rds                   0/3 actions granted\n"),
        "{report}"
    );

    let output = strata(&complete, &args, estate.dir.path());
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(!stdout(&output).contains("missing"), "{}", stdout(&output));
}

#[test]
fn the_generated_role_template_deploys_and_holds_the_policy() {
    let moto = runtime().block_on(Moto::start());
    let dir = tempfile::tempdir().expect("temp dir");
    let template = dir.path().join("role.yaml");
    let output = strata(
        &Keys::root(),
        &[
            "iam",
            "role",
            "--trusted-account",
            "123456789012",
            "--external-id",
            PARTNER_EXTERNAL_ID,
            "--format",
            "cloudformation",
        ],
        dir.path(),
    );
    assert!(output.status.success(), "{}", stderr(&output));
    std::fs::write(&template, &output.stdout).expect("template file");

    // CloudFormation itself (moto's) parses the YAML and creates the role.
    let python = std::env::var("STRATA_TEST_PYTHON")
        .expect("STRATA_TEST_PYTHON must name the Python that has moto (tests/run sets it)");
    let deploy = Command::new(python)
        .arg("-c")
        .arg(
            "import sys, boto3\n\
             cf = boto3.client('cloudformation', endpoint_url=sys.argv[1], region_name='us-east-1',\n\
                 aws_access_key_id='AKIASTRATAROOTKEY001', aws_secret_access_key='x')\n\
             cf.create_stack(StackName='strata-role', TemplateBody=open(sys.argv[2]).read(),\n\
                 Capabilities=['CAPABILITY_NAMED_IAM'])\n\
             print(cf.describe_stacks(StackName='strata-role')['Stacks'][0]['StackStatus'])\n",
        )
        .arg(moto.endpoint())
        .arg(&template)
        .output()
        .expect("run python");
    assert_eq!(
        stdout(&deploy).trim(),
        "CREATE_COMPLETE",
        "{}",
        stderr(&deploy)
    );

    // Read the role back. moto returns the documents of a role that
    // CloudFormation made as Python literals, not JSON, so they are read in
    // Python and printed as JSON.
    let python = std::env::var("STRATA_TEST_PYTHON").expect("STRATA_TEST_PYTHON");
    let read_back = Command::new(python)
        .arg("-c")
        .arg(
            "import ast, json, sys, boto3\n\
             iam = boto3.client('iam', endpoint_url=sys.argv[1], region_name='us-east-1',\n\
                 aws_access_key_id='AKIASTRATAROOTKEY001', aws_secret_access_key='x')\n\
             def doc(value):\n\
             \x20   return value if isinstance(value, dict) else ast.literal_eval(value)\n\
             trust = iam.get_role(RoleName='strata-readonly')['Role']['AssumeRolePolicyDocument']\n\
             inline = iam.get_role_policy(RoleName='strata-readonly', PolicyName='strata-read')['PolicyDocument']\n\
             print(json.dumps({'trust': doc(trust), 'inline': doc(inline)}))\n",
        )
        .arg(moto.endpoint())
        .output()
        .expect("run python");
    assert!(read_back.status.success(), "{}", stderr(&read_back));
    let documents: serde_json::Value =
        serde_json::from_slice(&read_back.stdout).expect("documents as JSON");
    assert_eq!(
        documents["trust"],
        serde_json::json!({
            "Version": "2012-10-17",
            "Statement": [{
                "Sid": "StrataAssumeWithExternalId",
                "Effect": "Allow",
                "Principal": {"AWS": "123456789012"},
                "Action": "sts:AssumeRole",
                "Condition": {"StringEquals": {"sts:ExternalId": PARTNER_EXTERNAL_ID}},
            }],
        })
    );
    assert_eq!(
        documents["inline"],
        serde_json::from_str::<serde_json::Value>(&generated_policy("--minimal", dir.path()))
            .expect("policy JSON")
    );
}
