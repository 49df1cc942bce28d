//! Scanning ElastiCache in one region: cache clusters with their nodes,
//! replication groups with their shards, cache subnet groups, and the tags
//! of each. Fetches are paginated (tags fan out per resource under the
//! scan's bound); transforms are pure. Auth tokens and user data are never
//! read.

use std::collections::BTreeMap;

use aws_sdk_elasticache::types as ec;
use aws_sdk_elasticache::Client;

use super::model::*;
use crate::scan::action::{probe, Action, Call};
use crate::scan::context::{for_each_concurrently, RegionContext};
use crate::scan::origin::{each, owned, sorted, tag_map, text, Origin};
use crate::scan::paginate;
use crate::snapshot::{Detail, Resource};

/// ElastiCache Describe calls accept 20 as their smallest page.
const PAGE: i32 = 20;

const fn call(
    name: &'static str,
    feeds: &'static str,
    probe: Option<crate::scan::action::Probe>,
) -> Call {
    Call {
        action: Action {
            service: "elasticache",
            name,
            feeds,
            mandatory: false,
        },
        probe,
    }
}

const DESCRIBE_CACHE_CLUSTERS: Call = call(
    "DescribeCacheClusters",
    "ElastiCache clusters and their nodes",
    probe!(Client, |elasticache| elasticache
        .describe_cache_clusters()
        .max_records(PAGE)
        .send()),
);
const DESCRIBE_REPLICATION_GROUPS: Call = call(
    "DescribeReplicationGroups",
    "ElastiCache replication groups (primaries and replicas)",
    probe!(Client, |elasticache| elasticache
        .describe_replication_groups()
        .max_records(PAGE)
        .send()),
);
const DESCRIBE_CACHE_SUBNET_GROUPS: Call = call(
    "DescribeCacheSubnetGroups",
    "ElastiCache subnet groups (which subnet a node is in)",
    probe!(Client, |elasticache| elasticache
        .describe_cache_subnet_groups()
        .max_records(PAGE)
        .send()),
);
const LIST_TAGS_FOR_RESOURCE: Call = call(
    "ListTagsForResource",
    "tags and names of ElastiCache resources",
    probe!(Client, |elasticache, prober| elasticache
        .list_tags_for_resource()
        .resource_name(prober.absent_arn("elasticache", "cluster:strata-iam-check"))
        .send()),
);

/// Every ElastiCache call a region scan makes.
pub(crate) const CALLS: &[Call] = &[
    DESCRIBE_CACHE_CLUSTERS,
    DESCRIBE_REPLICATION_GROUPS,
    DESCRIBE_CACHE_SUBNET_GROUPS,
    LIST_TAGS_FOR_RESOURCE,
];

type Tags = BTreeMap<String, String>;

pub(crate) async fn scan(context: &RegionContext) -> anyhow::Result<Vec<Resource>> {
    let client = Client::new(context.sdk_config());
    let client = &client;
    let (clusters, groups, subnet_groups) = tokio::try_join!(
        context.call(
            &DESCRIBE_CACHE_CLUSTERS,
            paginate!(client.describe_cache_clusters().show_cache_node_info(true))
        ),
        context.call(
            &DESCRIBE_REPLICATION_GROUPS,
            paginate!(client.describe_replication_groups())
        ),
        context.call(
            &DESCRIBE_CACHE_SUBNET_GROUPS,
            paginate!(client.describe_cache_subnet_groups())
        ),
    )?;
    let (clusters, groups, subnet_groups): (Vec<_>, Vec<_>, Vec<_>) = (
        each(clusters).collect(),
        each(groups).collect(),
        each(subnet_groups).collect(),
    );
    let arns: Vec<String> = clusters
        .iter()
        .filter_map(|c| c.arn())
        .chain(groups.iter().filter_map(|g| g.arn()))
        .chain(subnet_groups.iter().filter_map(|g| g.arn()))
        .map(str::to_string)
        .collect();
    let tags = fetch_tags(context, client, arns).await?;
    let no_tags = Tags::new();
    let tags_of = |arn: Option<&str>| arn.and_then(|arn| tags.get(arn)).unwrap_or(&no_tags);

    let origin = Origin {
        account: context.account(),
        region: context.region(),
    };
    let mut resources = Vec::new();
    resources.extend(
        clusters
            .iter()
            .filter_map(|c| cache_cluster(origin, c, tags_of(c.arn()))),
    );
    resources.extend(
        groups
            .iter()
            .filter_map(|g| replication_group(origin, g, tags_of(g.arn()))),
    );
    resources.extend(
        subnet_groups
            .iter()
            .filter_map(|g| cache_subnet_group(origin, g, tags_of(g.arn()))),
    );
    Ok(resources)
}

/// Tags of every resource, by ARN; empty when ListTagsForResource is denied.
async fn fetch_tags(
    context: &RegionContext,
    client: &Client,
    arns: Vec<String>,
) -> anyhow::Result<BTreeMap<String, Tags>> {
    let answers = for_each_concurrently(arns, |arn| {
        let (context, client) = (context.clone(), client.clone());
        async move {
            let answer = context
                .call(&LIST_TAGS_FOR_RESOURCE, || {
                    client.list_tags_for_resource().resource_name(&arn).send()
                })
                .await?;
            let tags = answer.map(|out| {
                tag_map(out.tag_list().iter().map(|tag| (tag.key(), tag.value())))
            });
            anyhow::Ok((arn, tags))
        }
    })
    .await?;
    Ok(answers
        .into_iter()
        .filter_map(|(arn, tags)| Some((arn, tags?)))
        .collect())
}

// ---------------------------------------------------------------- transforms

fn endpoint(endpoint: Option<&ec::Endpoint>) -> Option<String> {
    let endpoint = endpoint?;
    let address = endpoint.address()?;
    Some(match endpoint.port() {
        Some(port) => format!("{address}:{port}"),
        None => address.to_string(),
    })
}

pub fn cache_cluster(origin: Origin, cluster: &ec::CacheCluster, tags: &Tags) -> Option<Resource> {
    let id = cluster.cache_cluster_id()?;
    let mut nodes: Vec<CacheNode> = cluster
        .cache_nodes()
        .iter()
        .map(|node| CacheNode {
            node_id: text(node.cache_node_id()),
            status: text(node.cache_node_status()),
            availability_zone: owned(node.customer_availability_zone()),
            endpoint: endpoint(node.endpoint()),
        })
        .collect();
    nodes.sort();
    Some(origin.resource(
        id,
        owned(cluster.arn()),
        tags.clone(),
        Detail::from(CacheClusterAttrs {
            engine: text(cluster.engine()),
            engine_version: text(cluster.engine_version()),
            cache_node_type: text(cluster.cache_node_type()),
            status: text(cluster.cache_cluster_status()),
            num_cache_nodes: cluster.num_cache_nodes().unwrap_or(0),
            preferred_availability_zone: owned(cluster.preferred_availability_zone())
                .filter(|zone| zone != "Multiple"),
            cache_subnet_group: owned(cluster.cache_subnet_group_name()),
            security_group_ids: sorted(
                cluster
                    .security_groups()
                    .iter()
                    .filter_map(|group| group.security_group_id()),
            ),
            replication_group_id: owned(cluster.replication_group_id()),
            nodes,
            configuration_endpoint: endpoint(cluster.configuration_endpoint()),
            at_rest_encryption: cluster.at_rest_encryption_enabled().unwrap_or(false),
            transit_encryption: cluster.transit_encryption_enabled().unwrap_or(false),
        }),
    ))
}

pub fn replication_group(
    origin: Origin,
    group: &ec::ReplicationGroup,
    tags: &Tags,
) -> Option<Resource> {
    let id = group.replication_group_id()?;
    let mut shards: Vec<Shard> = group
        .node_groups()
        .iter()
        .map(|shard| {
            let mut members: Vec<ShardMember> = shard
                .node_group_members()
                .iter()
                .filter_map(|member| {
                    Some(ShardMember {
                        cache_cluster_id: member.cache_cluster_id()?.to_string(),
                        availability_zone: owned(member.preferred_availability_zone()),
                        role: owned(member.current_role()),
                    })
                })
                .collect();
            members.sort();
            Shard {
                shard_id: text(shard.node_group_id()),
                status: text(shard.status()),
                members,
            }
        })
        .collect();
    shards.sort();
    Some(origin.resource(
        id,
        owned(group.arn()),
        tags.clone(),
        Detail::from(ReplicationGroupAttrs {
            description: text(group.description()),
            engine: text(group.engine()),
            cache_node_type: text(group.cache_node_type()),
            status: text(group.status()),
            cluster_enabled: group.cluster_enabled().unwrap_or(false),
            automatic_failover: group
                .automatic_failover()
                .map(|status| status.as_str().to_string())
                .unwrap_or_default(),
            multi_az: group
                .multi_az()
                .map(|status| status.as_str().to_string())
                .unwrap_or_default(),
            member_clusters: sorted(group.member_clusters().iter().map(String::as_str)),
            shards,
            configuration_endpoint: endpoint(group.configuration_endpoint()),
            at_rest_encryption: group.at_rest_encryption_enabled().unwrap_or(false),
            transit_encryption: group.transit_encryption_enabled().unwrap_or(false),
        }),
    ))
}

pub fn cache_subnet_group(
    origin: Origin,
    group: &ec::CacheSubnetGroup,
    tags: &Tags,
) -> Option<Resource> {
    let name = group.cache_subnet_group_name()?;
    let mut subnets: Vec<CacheSubnet> = group
        .subnets()
        .iter()
        .filter_map(|subnet| {
            Some(CacheSubnet {
                subnet_id: subnet.subnet_identifier()?.to_string(),
                availability_zone: text(
                    subnet
                        .subnet_availability_zone()
                        .and_then(|zone| zone.name()),
                ),
            })
        })
        .collect();
    subnets.sort();
    Some(origin.resource(
        name,
        owned(group.arn()),
        tags.clone(),
        Detail::from(CacheSubnetGroupAttrs {
            vpc_id: text(group.vpc_id()),
            description: text(group.cache_subnet_group_description()),
            subnets,
        }),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scan::origin::testing::{attrs, ORIGIN};

    #[test]
    fn a_node_keeps_its_groups_nodes_and_group_sorted() {
        let sdk = ec::CacheCluster::builder()
            .cache_cluster_id("orders-0001-002")
            .engine("valkey")
            .cache_node_type("cache.t4g.micro")
            .cache_cluster_status("available")
            .num_cache_nodes(1)
            .preferred_availability_zone("eu-west-1b")
            .cache_subnet_group_name("cache")
            .replication_group_id("orders")
            .security_groups(
                ec::SecurityGroupMembership::builder()
                    .security_group_id("sg-b")
                    .build(),
            )
            .security_groups(
                ec::SecurityGroupMembership::builder()
                    .security_group_id("sg-a")
                    .build(),
            )
            .cache_nodes(
                ec::CacheNode::builder()
                    .cache_node_id("0001")
                    .cache_node_status("available")
                    .customer_availability_zone("eu-west-1b")
                    .endpoint(
                        ec::Endpoint::builder()
                            .address("orders-0001-002.abc.cache.amazonaws.com")
                            .port(6379)
                            .build(),
                    )
                    .build(),
            )
            .build();
        let resource = cache_cluster(ORIGIN, &sdk, &Tags::new()).unwrap();
        assert_eq!(resource.name, "orders-0001-002");
        let attrs: CacheClusterAttrs = attrs(resource);
        assert_eq!(attrs.security_group_ids, ["sg-a", "sg-b"]);
        assert_eq!(attrs.replication_group_id.as_deref(), Some("orders"));
        assert_eq!(
            attrs.nodes,
            [CacheNode {
                node_id: "0001".into(),
                status: "available".into(),
                availability_zone: Some("eu-west-1b".into()),
                endpoint: Some("orders-0001-002.abc.cache.amazonaws.com:6379".into()),
            }]
        );
    }

    #[test]
    fn a_memcached_cluster_across_zones_names_no_preferred_zone() {
        let sdk = ec::CacheCluster::builder()
            .cache_cluster_id("sessions")
            .engine("memcached")
            .preferred_availability_zone("Multiple")
            .build();
        let attrs: CacheClusterAttrs = attrs(cache_cluster(ORIGIN, &sdk, &Tags::new()).unwrap());
        assert_eq!(attrs.preferred_availability_zone, None);
    }

    #[test]
    fn a_replication_group_lists_shards_and_roles_sorted() {
        let member = |id: &str, zone: &str, role: &str| {
            ec::NodeGroupMember::builder()
                .cache_cluster_id(id)
                .preferred_availability_zone(zone)
                .current_role(role)
                .build()
        };
        let sdk = ec::ReplicationGroup::builder()
            .replication_group_id("orders")
            .status("available")
            .member_clusters("orders-002")
            .member_clusters("orders-001")
            .node_groups(
                ec::NodeGroup::builder()
                    .node_group_id("0001")
                    .node_group_members(member("orders-002", "eu-west-1b", "replica"))
                    .node_group_members(member("orders-001", "eu-west-1a", "primary"))
                    .build(),
            )
            .build();
        let attrs: ReplicationGroupAttrs =
            attrs(replication_group(ORIGIN, &sdk, &Tags::new()).unwrap());
        assert_eq!(attrs.member_clusters, ["orders-001", "orders-002"]);
        let roles: Vec<(&str, Option<&str>)> = attrs.shards[0]
            .members
            .iter()
            .map(|m| (m.cache_cluster_id.as_str(), m.role.as_deref()))
            .collect();
        assert_eq!(
            roles,
            [("orders-001", Some("primary")), ("orders-002", Some("replica"))]
        );
    }
}
