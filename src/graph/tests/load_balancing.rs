//! `forwards` and `targets` edges.

use serde_json::{json, Value};

use super::*;
use crate::graph::EdgeKind;

const LB: &str = "arn:aws:elasticloadbalancing:eu-west-1:111111111111:loadbalancer/app/web/1a2b";
const INNER: &str =
    "arn:aws:elasticloadbalancing:eu-west-1:111111111111:loadbalancer/app/inner/3c4d";

fn group_arn(name: &str) -> String {
    format!("arn:aws:elasticloadbalancing:eu-west-1:111111111111:targetgroup/{name}/00ff")
}

fn forward(groups: &[&str]) -> Value {
    let arns: Vec<String> = groups.iter().map(|g| group_arn(g)).collect();
    json!({"action_type": "forward", "target_group_arns": arns})
}

fn target_group(estate: Estate, name: &str, target_type: &str, targets: Option<Value>) -> Estate {
    let mut attrs = json!({"name": name, "protocol": "HTTP", "port": 80, "target_type": target_type, "vpc_id": "vpc-1"});
    if let Some(targets) = targets {
        attrs["targets"] = targets;
    }
    estate.add("target-group", &group_arn(name), attrs)
}

pub(super) fn estate() -> Estate {
    let estate = base()
        .instance("i-1", "subnet-a", "10.0.1.10", &[])
        .instance("i-2", "subnet-b", "10.0.2.10", &[])
        .add("ec2-instance", "i-off", json!({"state": "stopped", "instance_type": "t3.micro",
            "availability_zone": "eu-west-1a", "vpc_id": "vpc-1", "subnet_id": "subnet-a", "platform": "linux",
            "private_ip": "10.0.1.30", "private_ips": ["10.0.1.30"], "security_group_ids": []}))
        .add("network-interface", "eni-ip", json!({"vpc_id": "vpc-1", "subnet_id": "subnet-b",
            "availability_zone": "eu-west-1b", "interface_type": "interface", "status": "in-use",
            "private_ips": ["10.0.2.77"], "security_group_ids": []}))
        .add("load-balancer", LB, json!({"lb_type": "application", "state": "active", "vpc_id": "vpc-1", "availability_zones": []}))
        .add("load-balancer", INNER, json!({"lb_type": "application", "state": "active", "vpc_id": "vpc-1", "availability_zones": []}))
        .add("listener", &format!("{LB}/listener-https"), json!({"load_balancer_arn": LB, "protocol": "HTTPS", "port": 443,
            "default_actions": [forward(&["web"])],
            "rules": [{"rule_arn": "rule-api", "priority": "10", "actions": [forward(&["api"])]}]}))
        .add("listener", &format!("{LB}/listener-http"), json!({"load_balancer_arn": LB, "protocol": "HTTP", "port": 80,
            "default_actions": [forward(&["web"])]}))
        .add("listener", &format!("{LB}/listener-redirect"), json!({"load_balancer_arn": LB, "protocol": "HTTP", "port": 8080,
            "default_actions": [{"action_type": "redirect"}]}))
        .add("listener", &format!("{INNER}/listener"), json!({"load_balancer_arn": INNER, "protocol": "HTTP", "port": 80,
            "default_actions": [forward(&["unknown-health"])]}));
    let estate = target_group(
        estate,
        "web",
        "instance",
        Some(json!([
            {"id": "i-1", "port": 80, "health": "healthy"},
            {"id": "i-2", "port": 80, "health": "unhealthy", "reason": "Target.FailedHealthChecks"},
            {"id": "i-2", "port": 8080, "health": "healthy"},
            {"id": "i-off", "port": 80, "health": "unused", "reason": "Target.InvalidState"},
        ])),
    );
    let estate = target_group(
        estate,
        "api",
        "ip",
        Some(json!([
            {"id": "10.0.1.10", "port": 9000, "health": "healthy"},
            {"id": "10.0.2.77", "port": 9000, "health": "initial"},
            {"id": "192.168.7.7", "port": 9000, "health": "unavailable"},
        ])),
    );
    let estate = target_group(
        estate,
        "chain",
        "alb",
        Some(json!([{"id": INNER, "port": 80, "health": "healthy"}])),
    );
    let estate = target_group(
        estate,
        "fn",
        "lambda",
        Some(json!([
        {"id": "arn:aws:lambda:eu-west-1:111111111111:function:thumbs", "health": "healthy"}])),
    );
    target_group(estate, "unknown-health", "instance", None)
}

#[test]
fn load_balancers_forward_to_target_groups_listing_every_listener() {
    let graph = estate().graph();
    assert_eq!(
        edges(&graph, &[EdgeKind::Forwards]),
        set(&[
            ("app/web/1a2b", "web/00ff", "forwards", "HTTP:80, HTTPS:443"),
            ("app/web/1a2b", "api/00ff", "forwards", "HTTPS:443"),
            (
                "app/inner/3c4d",
                "unknown-health/00ff",
                "forwards",
                "HTTP:80"
            ),
        ])
    );
    assert_eq!(
        edge(&graph, "app/web/1a2b", "web/00ff", EdgeKind::Forwards).evidence,
        [
            format!("{LB}/listener-http"),
            format!("{LB}/listener-https")
        ]
    );
    assert_eq!(
        edge(&graph, "app/web/1a2b", "api/00ff", EdgeKind::Forwards).evidence,
        ["rule-api"]
    );
}

#[test]
fn target_groups_target_instances_ips_and_load_balancers_with_health() {
    let graph = estate().graph();
    assert_eq!(
        edges(&graph, &[EdgeKind::Targets]),
        set(&[
            ("web/00ff", "i-1", "targets", "HTTP:80"),
            ("web/00ff", "i-2", "targets", "HTTP:80, HTTP:8080"),
            ("web/00ff", "i-off", "targets", "HTTP:80"),
            ("api/00ff", "i-1", "targets", "HTTP:9000"),
            ("api/00ff", "eni-ip", "targets", "HTTP:9000"),
            ("api/00ff", "cidr:192.168.7.7/32", "targets", "HTTP:9000"),
            ("chain/00ff", "app/inner/3c4d", "targets", "HTTP:80"),
        ])
    );
    let health =
        |from: &str, to: &str| edge(&graph, from, to, EdgeKind::Targets).attrs["health"].clone();
    assert_eq!(health("web/00ff", "i-1"), json!("healthy"));
    assert_eq!(
        health("web/00ff", "i-2"),
        json!("unhealthy"),
        "the worst registration shows"
    );
    assert_eq!(health("web/00ff", "i-off"), json!("unused"));
    assert_eq!(health("api/00ff", "eni-ip"), json!("initial"));
    assert_eq!(
        edge(&graph, "web/00ff", "i-2", EdgeKind::Targets).attrs["reason"],
        json!("Target.FailedHealthChecks")
    );
    assert_eq!(
        edge(&graph, "web/00ff", "i-2", EdgeKind::Targets).evidence,
        ["i-2:80", "i-2:8080"]
    );
    assert_eq!(
        node(&graph, "ec2-instance", "i-off").status.as_deref(),
        Some("stopped")
    );
    assert_eq!(
        node(&graph, "target-group", "fn/00ff").attrs["lambda_targets"],
        json!(["arn:aws:lambda:eu-west-1:111111111111:function:thumbs"])
    );
    assert_eq!(
        graph.node("cidr:192.168.7.7/32").map(|n| n.name.as_str()),
        Some("192.168.7.7")
    );
}

#[test]
fn target_groups_without_a_name_tag_are_named_by_their_name() {
    let graph = estate().graph();
    assert_eq!(node(&graph, "target-group", "web/00ff").name, "web");
    assert_eq!(
        node(&graph, "load-balancer", "app/inner/3c4d").name,
        "inner"
    );
}
