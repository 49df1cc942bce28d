//! The same snapshot gives the same bytes, whatever order its resources are in.

use serde_json::{json, Value};

use super::*;
use crate::render::json::render;

fn estate() -> Estate {
    base()
        .instance("i-1", "subnet-a", "10.0.1.10", &["sg-web"])
        .instance("i-2", "subnet-b", "10.0.2.10", &["sg-web"])
        .group(
            "sg-web",
            "vpc-1",
            json!([
                rule("tcp", Some((443, 443)), from_cidr("0.0.0.0/0")),
                rule("tcp", Some((80, 80)), from_cidr("0.0.0.0/0")),
                rule("-1", None, from_group("sg-web")),
            ]),
        )
}

#[test]
fn graph_json_is_byte_identical_and_independent_of_resource_order() {
    let snapshot = estate().snapshot();
    let first = render(&build(&snapshot));
    assert_eq!(first, render(&build(&snapshot)));
    let mut reversed = snapshot.clone();
    reversed.resources.reverse();
    assert_eq!(first, render(&build(&reversed)));
    let mut rotated = snapshot;
    rotated.resources.rotate_left(3);
    assert_eq!(first, render(&build(&rotated)));
}

#[test]
fn graph_json_has_the_documented_shape() {
    let text = render(&estate().graph());
    assert!(text.ends_with("}\n"));
    let document: Value = serde_json::from_str(&text).expect("graph JSON parses");
    let keys: Vec<&str> = document
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(keys, ["edges", "nodes", "scan", "schema"]);
    assert_eq!(document["schema"], "strata.graph/v1");
    assert_eq!(document["scan"]["accounts"][0]["id"], ACCOUNT);
    assert_eq!(document["scan"]["regions"], json!([REGION]));

    let ids: Vec<&str> = document["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n["id"].as_str().unwrap())
        .collect();
    let mut sorted = ids.clone();
    sorted.sort_unstable();
    assert_eq!(ids, sorted);
    let instance = document["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|n| n["id"] == full("ec2-instance", "i-1"))
        .unwrap();
    assert_eq!(
        instance.as_object().unwrap().keys().collect::<Vec<_>>(),
        [
            "account",
            "arn",
            "attrs",
            "id",
            "kind",
            "name",
            "parent",
            "region",
            "resource_id",
            "status"
        ]
    );
    assert_eq!(instance["kind"], "ec2-instance");
    assert_eq!(instance["parent"], full("subnet", "subnet-a"));
    assert_eq!(instance["status"], "running");

    let edges: Vec<(String, String, String, String)> = document["edges"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            let text = |k: &str| e[k].as_str().unwrap().to_string();
            (
                short(&text("from")),
                short(&text("to")),
                text("kind"),
                text("label"),
            )
        })
        .collect();
    assert_eq!(
        edges,
        [
            ("i-1", "i-2", "allows", "all"),
            ("i-2", "i-1", "allows", "all"),
            ("internet", "i-1", "allows", "tcp/80, tcp/443"),
            ("internet", "i-2", "allows", "tcp/80, tcp/443"),
        ]
        .map(|(a, b, c, d)| (a.to_string(), b.to_string(), c.to_string(), d.to_string()))
    );
    let first = &document["edges"][0];
    assert_eq!(first["evidence"], json!(["sg-web:ingress:all:sg-web"]));
    assert_eq!(first["attrs"], json!({}));
}
