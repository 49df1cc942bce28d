//! `strata diff` end to end against moto: the reference fixture is scanned,
//! changed through the AWS API (an instance added, port 22 opened to
//! 0.0.0.0/0 on the app group, an instance stopped, the load balancer
//! deleted, a subnet retagged), scanned again, and the built CLI reports
//! exactly those changes, exposure first, with the exit status
//! `--fail-on` asks for.

use std::collections::BTreeSet;
use std::process::Command;

use aws_sdk_ec2::types::{InstanceType, IpPermission, IpRange, Tag};
use serde_json::Value;

use crate::support::estate::{scan, ACCOUNT};
use crate::support::moto::Moto;
use crate::support::seed::{launch_instance, reference_fixture};

const REGION: &str = "eu-west-1";

fn id(kind: &str, resource: &str) -> String {
    format!("{kind}:{ACCOUNT}:{REGION}:{resource}")
}

fn ids(list: &Value) -> BTreeSet<String> {
    list.as_array()
        .expect("a list")
        .iter()
        .map(|item| item["id"].as_str().expect("an id").to_string())
        .collect()
}

#[tokio::test(flavor = "multi_thread")]
async fn a_rescan_after_changes_through_the_api_is_diffed_exactly() {
    let moto = Moto::start().await;
    let fixture = reference_fixture(&moto, REGION).await;
    let before = scan(&moto, &[REGION]).await;

    let ec2 = moto.ec2(REGION);
    let added = launch_instance(
        &ec2,
        InstanceType::T3Micro,
        &fixture.app_subnets[0],
        &fixture.app_security_group,
        None,
    )
    .await;
    ec2.authorize_security_group_ingress()
        .group_id(&fixture.app_security_group)
        .ip_permissions(
            IpPermission::builder()
                .ip_protocol("tcp")
                .from_port(22)
                .to_port(22)
                .ip_ranges(IpRange::builder().cidr_ip("0.0.0.0/0").build())
                .build(),
        )
        .send()
        .await
        .expect("open SSH to the world");
    ec2.stop_instances()
        .instance_ids(&fixture.app_instances[1])
        .send()
        .await
        .expect("stop an instance");
    moto.elbv2(REGION)
        .delete_load_balancer()
        .load_balancer_arn(&fixture.load_balancer_arn)
        .send()
        .await
        .expect("delete the load balancer");
    ec2.create_tags()
        .resources(&fixture.app_subnets[0])
        .tags(Tag::builder().key("team").value("payments").build())
        .send()
        .await
        .expect("retag a subnet");
    let after = scan(&moto, &[REGION]).await;

    let directory = tempfile::tempdir().unwrap();
    let (old, new) = (
        directory.path().join("old.json"),
        directory.path().join("new.json"),
    );
    std::fs::write(&old, before.to_json()).unwrap();
    std::fs::write(&new, after.to_json()).unwrap();
    let diff = |extra: &[&str]| {
        Command::new(env!("CARGO_BIN_EXE_strata-cli"))
            .arg("diff")
            .args([&old, &new])
            .args(["--prices", "bundled"])
            .args(extra)
            .env_remove("RUST_LOG")
            .output()
            .expect("strata runs")
    };

    let json = diff(&["--format", "json", "--fail-on", "exposure"]);
    assert_eq!(
        json.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&json.stderr)
    );
    let report: Value = serde_json::from_slice(&json.stdout).expect("a JSON report");
    assert_eq!(report["schema"], "strata.diff/v1");

    // Exposure: every member of the app group is now open on tcp/22.
    let app = |instance: &str| id("ec2-instance", instance);
    let exposed: BTreeSet<(String, String)> = report["exposures"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["rule"].as_str().unwrap().to_string(),
                e["node"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    let members = [
        app(&fixture.app_instances[0]),
        app(&fixture.app_instances[1]),
        app(&added),
    ];
    assert_eq!(
        exposed,
        members
            .iter()
            .map(|m| ("internet-path".to_string(), m.clone()))
            .collect()
    );
    let internet_edges: BTreeSet<(String, String)> = report["edges"]["added"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["from"] == "internet")
        .map(|e| {
            (
                e["to"].as_str().unwrap().to_string(),
                e["label"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    assert_eq!(
        internet_edges,
        members
            .iter()
            .map(|m| (m.clone(), "tcp/22".to_string()))
            .collect()
    );

    // The nodes: the new instance and its root volume came, the load balancer went.
    let added_nodes = ids(&report["nodes"]["added"]);
    assert!(added_nodes.contains(&app(&added)), "{added_nodes:?}");
    assert!(
        added_nodes
            .iter()
            .all(|node| node == &app(&added) || node.starts_with("ebs-volume:")),
        "only the instance and its volume were added: {added_nodes:?}"
    );
    assert_eq!(added_nodes.len(), 2, "{added_nodes:?}");
    let lb = fixture
        .load_balancer_arn
        .split("loadbalancer/")
        .nth(1)
        .unwrap();
    assert_eq!(
        ids(&report["nodes"]["removed"]),
        BTreeSet::from([id("load-balancer", lb)])
    );

    // Changes: the stopped instance, the retagged subnet.
    let changed: Vec<(String, Vec<(String, Value, Value)>)> = report["nodes"]["changed"]
        .as_array()
        .unwrap()
        .iter()
        .map(|node| {
            let changes = node["changes"]
                .as_array()
                .unwrap()
                .iter()
                .map(|c| {
                    (
                        c["key"].as_str().unwrap().to_string(),
                        c["old"].clone(),
                        c["new"].clone(),
                    )
                })
                .collect();
            (node["id"].as_str().unwrap().to_string(), changes)
        })
        .collect();
    let change_of = |node: &str, key: &str| {
        changed
            .iter()
            .find(|(id, _)| id == node)
            .and_then(|(_, changes)| changes.iter().find(|(k, _, _)| k == key))
            .map(|(_, old, new)| (old.clone(), new.clone()))
    };
    assert_eq!(
        change_of(&app(&fixture.app_instances[1]), "status"),
        Some((Value::from("running"), Value::from("stopped")))
    );
    assert_eq!(
        change_of(&id("subnet", &fixture.app_subnets[0]), "tags.team"),
        Some((Value::Null, Value::from("payments")))
    );

    // Cost: the load balancer's charge is gone, the stopped instance pays
    // for its volume only, the new one for its type and volume.
    let deltas: BTreeSet<(String, String)> = report["cost"]["resources"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|r| {
            Some((
                r["id"].as_str()?.to_string(),
                r["delta"].as_str()?.to_string(),
            ))
        })
        .collect();
    // network.csv eu-west-1 alb hour 0.0252 × 730 + 2 zones × 3.65;
    // ec2.csv eu-west-1 t3.micro 0.0114 × 730.
    assert!(
        deltas.contains(&(id("load-balancer", lb), "-25.696".to_string())),
        "{deltas:?}"
    );
    assert!(
        deltas.contains(&(app(&fixture.app_instances[1]), "-8.322".to_string())),
        "{deltas:?}"
    );
    assert!(
        deltas.contains(&(app(&added), "8.322".to_string())),
        "{deltas:?}"
    );

    // The terminal summary says the exposure first; without --fail-on the
    // status is 0.
    let text = diff(&[]);
    assert_eq!(text.status.code(), Some(0));
    let text = String::from_utf8(text.stdout).unwrap();
    assert!(text.starts_with("exposure (3):\n"), "{text}");
}
