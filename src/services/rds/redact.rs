//! Which attributes of RDS kinds are identifiers, field by field (every
//! struct is taken apart whole, so a new field does not build until it is
//! decided here). Identifiers, subnet group names, endpoints and ids are
//! redacted; classes, engines, versions, states, zones, ports and storage
//! stay.

use super::model::*;
use super::Detail;
use crate::redact::Redactor;

pub(crate) fn redact(detail: &mut Detail, r: &Redactor) {
    match detail {
        Detail::DbSubnetGroup(DbSubnetGroupAttrs {
            vpc_id,
            status: _,
            description,
            subnets,
        }) => {
            r.id(vpc_id);
            r.text(description);
            for DbSubnet {
                subnet_id,
                availability_zone: _,
                status: _,
            } in subnets
            {
                r.id(subnet_id);
            }
        }
        Detail::Instance(RdsInstanceAttrs {
            db_instance_class: _,
            engine: _,
            engine_version: _,
            status: _,
            availability_zone: _,
            secondary_availability_zone: _,
            multi_az: _,
            db_subnet_group,
            vpc_id,
            security_group_ids,
            read_replica_source,
            read_replica_identifiers,
            cluster_identifier,
            endpoint_address,
            endpoint_port: _,
            allocated_storage_gib: _,
            storage_type: _,
            storage_encrypted: _,
            publicly_accessible: _,
        }) => {
            r.opt_id(db_subnet_group);
            r.opt_id(vpc_id);
            r.ids(security_group_ids);
            r.opt_id(read_replica_source);
            r.ids(read_replica_identifiers);
            r.opt_id(cluster_identifier);
            r.opt_host(endpoint_address);
        }
        Detail::Cluster(RdsClusterAttrs {
            engine: _,
            engine_version: _,
            status: _,
            multi_az: _,
            db_subnet_group,
            vpc_id,
            security_group_ids,
            availability_zones: _,
            members,
            endpoint,
            reader_endpoint,
            port: _,
            storage_encrypted: _,
        }) => {
            r.opt_id(db_subnet_group);
            r.opt_id(vpc_id);
            r.ids(security_group_ids);
            for ClusterMember {
                db_instance_identifier,
                is_writer: _,
            } in members
            {
                r.id(db_instance_identifier);
            }
            r.opt_host(endpoint);
            r.opt_host(reader_endpoint);
        }
    }
}
