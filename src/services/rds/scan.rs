//! Scanning RDS in one region: DB instances, DB clusters (members, writer) and DB
//! subnet groups.
//!
//! Fetches are paginated; transforms are pure. Master user names, passwords
//! and database names are never copied into the snapshot.

use std::collections::{BTreeMap, HashMap};

use aws_sdk_rds::types as rds;
use aws_sdk_rds::Client;

use super::model::*;
use crate::scan::action::{probe, Action, Call};
use crate::scan::context::RegionContext;
use crate::scan::origin::{owned, sorted, tag_map, text, Origin};
use crate::scan::paginate;
use crate::snapshot::{Detail, Resource};

/// RDS Describe calls accept 20 as their smallest page.
const RDS_PAGE: i32 = 20;

const fn rds_call(
    name: &'static str,
    feeds: &'static str,
    probe: Option<crate::scan::action::Probe>,
) -> Call {
    Call {
        action: Action {
            service: "rds",
            name,
            feeds,
            mandatory: false,
        },
        probe,
    }
}

const DESCRIBE_DB_INSTANCES: Call = rds_call(
    "DescribeDBInstances",
    "RDS DB instances",
    probe!(Client, |rds| rds.describe_db_instances().max_records(RDS_PAGE).send()),
);
const DESCRIBE_DB_CLUSTERS: Call = rds_call(
    "DescribeDBClusters",
    "RDS DB clusters",
    probe!(Client, |rds| rds.describe_db_clusters().max_records(RDS_PAGE).send()),
);
const DESCRIBE_DB_SUBNET_GROUPS: Call = rds_call(
    "DescribeDBSubnetGroups",
    "RDS DB subnet groups",
    probe!(Client, |rds| rds
        .describe_db_subnet_groups()
        .max_records(RDS_PAGE)
        .send()),
);

/// Every RDS call a region scan makes.
pub(crate) const CALLS: &[Call] = &[
    DESCRIBE_DB_INSTANCES,
    DESCRIBE_DB_CLUSTERS,
    DESCRIBE_DB_SUBNET_GROUPS,
];

/// Scan RDS in one region.
pub(crate) async fn scan(context: &RegionContext) -> anyhow::Result<Vec<Resource>> {
    let client = Client::new(context.sdk_config());
    let (instances, clusters, subnet_groups) = tokio::try_join!(
        context.call(
            &DESCRIBE_DB_INSTANCES,
            paginate!(client.describe_db_instances())
        ),
        context.call(
            &DESCRIBE_DB_CLUSTERS,
            paginate!(client.describe_db_clusters())
        ),
        context.call(
            &DESCRIBE_DB_SUBNET_GROUPS,
            paginate!(client.describe_db_subnet_groups())
        ),
    )?;
    let subnet_groups = subnet_groups.unwrap_or_default();
    let subnet_group_vpcs: HashMap<&str, &str> = subnet_groups
        .iter()
        .filter_map(|group| Some((group.db_subnet_group_name()?, group.vpc_id()?)))
        .collect();

    let origin = Origin {
        account: context.account(),
        region: context.region(),
    };
    let mut resources = Vec::new();
    resources.extend(
        instances
            .unwrap_or_default()
            .iter()
            .filter_map(|item| db_instance(origin, item)),
    );
    resources.extend(
        clusters
            .unwrap_or_default()
            .iter()
            .filter_map(|item| db_cluster(origin, item, &subnet_group_vpcs)),
    );
    resources.extend(
        subnet_groups
            .iter()
            .filter_map(|item| db_subnet_group(origin, item)),
    );
    Ok(resources)
}

// ---------------------------------------------------------------- transforms

fn tags(tags: &[rds::Tag]) -> BTreeMap<String, String> {
    tag_map(tags.iter().map(|tag| (tag.key(), tag.value())))
}

fn security_groups(memberships: &[rds::VpcSecurityGroupMembership]) -> Vec<String> {
    sorted(
        memberships
            .iter()
            .filter_map(|membership| membership.vpc_security_group_id()),
    )
}

pub fn db_instance(origin: Origin, instance: &rds::DbInstance) -> Option<Resource> {
    let id = instance.db_instance_identifier()?;
    let subnet_group = instance.db_subnet_group();
    Some(
        origin.resource(
            id,
            owned(instance.db_instance_arn()),
            tags(instance.tag_list()),
            Detail::from(RdsInstanceAttrs {
                db_instance_class: text(instance.db_instance_class()),
                engine: text(instance.engine()),
                engine_version: text(instance.engine_version()),
                status: text(instance.db_instance_status()),
                availability_zone: owned(instance.availability_zone()),
                secondary_availability_zone: owned(instance.secondary_availability_zone()),
                multi_az: instance.multi_az().unwrap_or(false),
                db_subnet_group: owned(subnet_group.and_then(|g| g.db_subnet_group_name())),
                vpc_id: owned(subnet_group.and_then(|g| g.vpc_id())),
                security_group_ids: security_groups(instance.vpc_security_groups()),
                read_replica_source: owned(instance.read_replica_source_db_instance_identifier()),
                read_replica_identifiers: sorted(
                    instance
                        .read_replica_db_instance_identifiers()
                        .iter()
                        .cloned(),
                ),
                cluster_identifier: owned(instance.db_cluster_identifier()),
                endpoint_address: owned(instance.endpoint().and_then(|e| e.address())),
                endpoint_port: instance.endpoint().and_then(|e| e.port()),
                allocated_storage_gib: instance.allocated_storage().unwrap_or(0),
                storage_type: text(instance.storage_type()),
                storage_encrypted: instance.storage_encrypted().unwrap_or(false),
                publicly_accessible: instance.publicly_accessible().unwrap_or(false),
            }),
        ),
    )
}

/// A cluster; its VPC comes from its subnet group when the API omits it.
pub fn db_cluster(
    origin: Origin,
    cluster: &rds::DbCluster,
    subnet_group_vpcs: &HashMap<&str, &str>,
) -> Option<Resource> {
    let id = cluster.db_cluster_identifier()?;
    let mut members: Vec<ClusterMember> = cluster
        .db_cluster_members()
        .iter()
        .filter_map(|member| {
            Some(ClusterMember {
                db_instance_identifier: member.db_instance_identifier()?.to_string(),
                is_writer: member.is_cluster_writer().unwrap_or(false),
            })
        })
        .collect();
    members.sort();
    Some(
        origin.resource(
            id,
            owned(cluster.db_cluster_arn()),
            tags(cluster.tag_list()),
            Detail::from(RdsClusterAttrs {
                engine: text(cluster.engine()),
                engine_version: text(cluster.engine_version()),
                status: text(cluster.status()),
                multi_az: cluster.multi_az().unwrap_or(false),
                db_subnet_group: owned(cluster.db_subnet_group()),
                vpc_id: cluster
                    .db_subnet_group()
                    .and_then(|group| subnet_group_vpcs.get(group))
                    .map(|vpc| vpc.to_string()),
                security_group_ids: security_groups(cluster.vpc_security_groups()),
                availability_zones: sorted(cluster.availability_zones().iter().cloned()),
                members,
                endpoint: owned(cluster.endpoint()),
                reader_endpoint: owned(cluster.reader_endpoint()),
                port: cluster.port(),
                storage_encrypted: cluster.storage_encrypted().unwrap_or(false),
            }),
        ),
    )
}

/// A DB subnet group. DescribeDBSubnetGroups returns no tags; the group is
/// named by its own name.
pub fn db_subnet_group(origin: Origin, group: &rds::DbSubnetGroup) -> Option<Resource> {
    let id = group.db_subnet_group_name()?;
    let mut subnets: Vec<DbSubnet> = group
        .subnets()
        .iter()
        .filter_map(|subnet| {
            Some(DbSubnet {
                subnet_id: subnet.subnet_identifier()?.to_string(),
                availability_zone: text(
                    subnet
                        .subnet_availability_zone()
                        .and_then(|zone| zone.name()),
                ),
                status: text(subnet.subnet_status()),
            })
        })
        .collect();
    subnets.sort();
    Some(origin.resource(
        id,
        owned(group.db_subnet_group_arn()),
        BTreeMap::new(),
        Detail::from(DbSubnetGroupAttrs {
            vpc_id: text(group.vpc_id()),
            status: text(group.subnet_group_status()),
            description: text(group.db_subnet_group_description()),
            subnets,
        }),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scan::origin::testing::ORIGIN;

    #[test]
    fn a_cluster_finds_its_vpc_through_the_subnet_group_and_sorts_members() {
        let cluster = rds::DbCluster::builder()
            .db_cluster_identifier("orders")
            .db_subnet_group("db-subnets")
            .db_cluster_members(
                rds::DbClusterMember::builder()
                    .db_instance_identifier("orders-2")
                    .is_cluster_writer(false)
                    .build(),
            )
            .db_cluster_members(
                rds::DbClusterMember::builder()
                    .db_instance_identifier("orders-1")
                    .is_cluster_writer(true)
                    .build(),
            )
            .build();
        let vpcs = HashMap::from([("db-subnets", "vpc-1")]);
        let Some(attrs) = db_cluster(ORIGIN, &cluster, &vpcs)
            .unwrap()
            .attrs::<RdsClusterAttrs>()
            .cloned()
        else {
            panic!("not a cluster")
        };
        assert_eq!(attrs.vpc_id.as_deref(), Some("vpc-1"));
        assert_eq!(
            attrs.members,
            [
                ClusterMember {
                    db_instance_identifier: "orders-1".into(),
                    is_writer: true
                },
                ClusterMember {
                    db_instance_identifier: "orders-2".into(),
                    is_writer: false
                },
            ]
        );
    }

    #[test]
    fn an_instance_keeps_no_credentials() {
        let instance = rds::DbInstance::builder()
            .db_instance_identifier("db")
            .master_username("admin")
            .db_name("secretdb")
            .build();
        let json = serde_json::to_string(&db_instance(ORIGIN, &instance).unwrap()).unwrap();
        assert!(
            !json.contains("admin") && !json.contains("secretdb"),
            "{json}"
        );
    }
}
