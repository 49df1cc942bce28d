//! The snapshot attributes of ElastiCache: cache clusters (a Memcached
//! cluster with its nodes, or one Redis OSS / Valkey node of a replication
//! group), replication groups with their shards and members, and cache
//! subnet groups. Plain data, as the scan wrote it. Auth tokens are never
//! read.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct CacheClusterAttrs {
    /// `redis`, `valkey`, `memcached`.
    pub engine: String,
    #[serde(default)]
    pub engine_version: String,
    /// `cache.r7g.large`, …
    pub cache_node_type: String,
    /// `available`, `creating`, `modifying`, `deleting`, `incompatible-network`, …
    pub status: String,
    pub num_cache_nodes: i32,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub preferred_availability_zone: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cache_subnet_group: Option<String>,
    /// Sorted.
    #[serde(default)]
    pub security_group_ids: Vec<String>,
    /// The replication group this node belongs to (Redis OSS, Valkey).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub replication_group_id: Option<String>,
    /// Sorted by node id; empty when AWS did not list them.
    #[serde(default)]
    pub nodes: Vec<CacheNode>,
    /// A Memcached cluster's configuration endpoint, `host:port`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub configuration_endpoint: Option<String>,
    #[serde(default)]
    pub at_rest_encryption: bool,
    #[serde(default)]
    pub transit_encryption: bool,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct CacheNode {
    /// `0001`, …
    pub node_id: String,
    pub status: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub availability_zone: Option<String>,
    /// `host:port`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub endpoint: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ReplicationGroupAttrs {
    #[serde(default)]
    pub description: String,
    /// `redis`, `valkey` (absent from older answers).
    #[serde(default)]
    pub engine: String,
    #[serde(default)]
    pub cache_node_type: String,
    pub status: String,
    /// Cluster mode enabled: several shards.
    #[serde(default)]
    pub cluster_enabled: bool,
    /// `enabled`, `disabled`, `enabling`, `disabling`.
    #[serde(default)]
    pub automatic_failover: String,
    /// `enabled`, `disabled`.
    #[serde(default)]
    pub multi_az: String,
    /// Every member cache cluster id, sorted.
    #[serde(default)]
    pub member_clusters: Vec<String>,
    /// Shards, sorted by id.
    #[serde(default)]
    pub shards: Vec<Shard>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub configuration_endpoint: Option<String>,
    #[serde(default)]
    pub at_rest_encryption: bool,
    #[serde(default)]
    pub transit_encryption: bool,
}

/// A node group: one primary and its replicas.
#[derive(Debug, Clone, Default, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Shard {
    pub shard_id: String,
    #[serde(default)]
    pub status: String,
    /// Sorted by cache cluster id.
    #[serde(default)]
    pub members: Vec<ShardMember>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct ShardMember {
    pub cache_cluster_id: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub availability_zone: Option<String>,
    /// `primary` or `replica`; absent in cluster mode, where every shard
    /// has one primary that AWS does not mark.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub role: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct CacheSubnetGroupAttrs {
    pub vpc_id: String,
    #[serde(default)]
    pub description: String,
    /// Sorted by subnet id.
    pub subnets: Vec<CacheSubnet>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct CacheSubnet {
    pub subnet_id: String,
    /// Empty when AWS did not say.
    #[serde(default)]
    pub availability_zone: String,
}
