//! The snapshot attributes of Elastic Load Balancing v2: load balancers,
//! listeners with their rules, target groups with their targets' health.
//! Plain data, as the scan wrote it.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct LoadBalancerAttrs {
    /// `application`, `network`, `gateway`.
    pub lb_type: String,
    /// `internet-facing` or `internal`.
    pub scheme: String,
    /// `active`, `provisioning`, `active_impaired`, `failed`.
    pub state: String,
    pub vpc_id: String,
    pub dns_name: String,
    /// `ipv4`, `dualstack`, …
    #[serde(default)]
    pub ip_address_type: String,
    /// Sorted by zone.
    pub availability_zones: Vec<LoadBalancerZone>,
    /// Sorted.
    #[serde(default)]
    pub security_group_ids: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub created_time: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct LoadBalancerZone {
    pub zone_name: String,
    pub subnet_id: String,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ListenerAttrs {
    pub load_balancer_arn: String,
    /// `HTTP`, `HTTPS`, `TCP`, `TLS`, `UDP`, `TCP_UDP`, `GENEVE`.
    pub protocol: String,
    pub port: i32,
    pub default_actions: Vec<ListenerAction>,
    /// Non-default rules (DescribeRules), sorted by priority.
    #[serde(default)]
    pub rules: Vec<ListenerRule>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct ListenerAction {
    /// `forward`, `redirect`, `fixed-response`, `authenticate-oidc`, …
    pub action_type: String,
    /// Every target group the action forwards to (single target group or
    /// weighted forward config), sorted.
    #[serde(default)]
    pub target_group_arns: Vec<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct ListenerRule {
    pub rule_arn: String,
    /// `1`…`50000` or `default`.
    pub priority: String,
    pub actions: Vec<ListenerAction>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct TargetGroupAttrs {
    pub name: String,
    /// Absent for Lambda target groups.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub protocol: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub port: Option<i32>,
    /// `instance`, `ip`, `lambda`, `alb`.
    pub target_type: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub vpc_id: Option<String>,
    /// Sorted.
    #[serde(default)]
    pub load_balancer_arns: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub health_check_protocol: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub health_check_path: Option<String>,
    /// From DescribeTargetHealth; `None` when that call was not allowed
    /// (so nobody invents target edges), sorted by (id, port).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub targets: Option<Vec<Target>>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Target {
    /// Instance id, IP address, Lambda ARN or ALB ARN.
    pub id: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub port: Option<i32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub availability_zone: Option<String>,
    /// `initial`, `healthy`, `unhealthy`, `unused`, `draining`, `unavailable`.
    pub health: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}
