//! The snapshot attributes of RDS: DB instances, clusters and subnet
//! groups. Plain data, as the scan wrote it.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct DbSubnetGroupAttrs {
    pub vpc_id: String,
    pub status: String,
    #[serde(default)]
    pub description: String,
    /// Sorted by subnet id.
    pub subnets: Vec<DbSubnet>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct DbSubnet {
    pub subnet_id: String,
    pub availability_zone: String,
    pub status: String,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct RdsInstanceAttrs {
    pub db_instance_class: String,
    pub engine: String,
    #[serde(default)]
    pub engine_version: String,
    /// `available`, `stopped`, `failed`, `backing-up`, …
    pub status: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub availability_zone: Option<String>,
    /// The standby's zone for a Multi-AZ instance.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub secondary_availability_zone: Option<String>,
    pub multi_az: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub db_subnet_group: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub vpc_id: Option<String>,
    /// Sorted.
    pub security_group_ids: Vec<String>,
    /// The source's identifier (or ARN when cross-region) for a read replica.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub read_replica_source: Option<String>,
    /// Sorted.
    #[serde(default)]
    pub read_replica_identifiers: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cluster_identifier: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub endpoint_address: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub endpoint_port: Option<i32>,
    #[serde(default)]
    pub allocated_storage_gib: i32,
    #[serde(default)]
    pub storage_type: String,
    pub storage_encrypted: bool,
    pub publicly_accessible: bool,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct RdsClusterAttrs {
    pub engine: String,
    #[serde(default)]
    pub engine_version: String,
    pub status: String,
    pub multi_az: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub db_subnet_group: Option<String>,
    /// Resolved through the subnet group when the API omits it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub vpc_id: Option<String>,
    /// Sorted.
    pub security_group_ids: Vec<String>,
    /// Sorted.
    #[serde(default)]
    pub availability_zones: Vec<String>,
    /// Sorted by identifier.
    pub members: Vec<ClusterMember>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub endpoint: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reader_endpoint: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub port: Option<i32>,
    pub storage_encrypted: bool,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct ClusterMember {
    pub db_instance_identifier: String,
    pub is_writer: bool,
}
