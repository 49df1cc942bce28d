//! Which attributes of ElastiCache kinds are identifiers, field by field
//! (every struct is taken apart whole, so a new field does not build until
//! it is decided here). Cluster, group and subnet-group ids, endpoints and
//! descriptions are redacted; engines, node types, states, zones, node and
//! shard numbers (`0001`) and encryption flags stay.

use super::model::*;
use super::Detail;
use crate::redact::Redactor;

pub(crate) fn redact(detail: &mut Detail, r: &Redactor) {
    match detail {
        Detail::CacheCluster(CacheClusterAttrs {
            engine: _,
            engine_version: _,
            cache_node_type: _,
            status: _,
            num_cache_nodes: _,
            preferred_availability_zone: _,
            cache_subnet_group,
            security_group_ids,
            replication_group_id,
            nodes,
            configuration_endpoint,
            at_rest_encryption: _,
            transit_encryption: _,
        }) => {
            r.opt_id(cache_subnet_group);
            r.ids(security_group_ids);
            r.opt_id(replication_group_id);
            for CacheNode {
                node_id: _,
                status: _,
                availability_zone: _,
                endpoint,
            } in nodes
            {
                r.opt_endpoint(endpoint);
            }
            r.opt_endpoint(configuration_endpoint);
        }
        Detail::ReplicationGroup(ReplicationGroupAttrs {
            description,
            engine: _,
            cache_node_type: _,
            status: _,
            cluster_enabled: _,
            automatic_failover: _,
            multi_az: _,
            member_clusters,
            shards,
            configuration_endpoint,
            at_rest_encryption: _,
            transit_encryption: _,
        }) => {
            r.text(description);
            r.ids(member_clusters);
            for Shard {
                shard_id: _,
                status: _,
                members,
            } in shards
            {
                for ShardMember {
                    cache_cluster_id,
                    availability_zone: _,
                    role: _,
                } in members
                {
                    r.id(cache_cluster_id);
                }
            }
            r.opt_endpoint(configuration_endpoint);
        }
        Detail::CacheSubnetGroup(CacheSubnetGroupAttrs {
            vpc_id,
            description,
            subnets,
        }) => {
            r.id(vpc_id);
            r.text(description);
            for CacheSubnet {
                subnet_id,
                availability_zone: _,
            } in subnets
            {
                r.id(subnet_id);
            }
        }
    }
}
