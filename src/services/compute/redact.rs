//! Which attributes of instances and volumes are identifiers, field by
//! field (every struct is taken apart whole, so a new field does not build
//! until it is decided here). Ids, addresses and the instance profile's ARN
//! are redacted; types, states, zones, platform and sizes stay.

use super::model::*;
use super::Detail;
use crate::redact::Redactor;

pub(crate) fn redact(detail: &mut Detail, r: &Redactor) {
    match detail {
        Detail::Instance(Ec2InstanceAttrs {
            state: _,
            instance_type: _,
            availability_zone: _,
            vpc_id,
            subnet_id,
            private_ip,
            private_ips,
            public_ip,
            security_group_ids,
            network_interface_ids,
            platform: _,
            launch_time: _,
            image_id,
            architecture: _,
            lifecycle: _,
            iam_instance_profile_arn,
            tenancy: _,
        }) => {
            r.opt_id(vpc_id);
            r.opt_id(subnet_id);
            r.opt_id(private_ip);
            r.ids(private_ips);
            r.opt_id(public_ip);
            r.ids(security_group_ids);
            r.ids(network_interface_ids);
            r.opt_id(image_id);
            r.opt_id(iam_instance_profile_arn);
        }
        Detail::Volume(EbsVolumeAttrs {
            size_gib: _,
            volume_type: _,
            state: _,
            availability_zone: _,
            encrypted: _,
            iops: _,
            throughput: _,
            snapshot_id,
            attachments,
        }) => {
            r.opt_id(snapshot_id);
            for VolumeAttachment {
                instance_id,
                device: _,
                state: _,
                delete_on_termination: _,
            } in attachments
            {
                r.id(instance_id);
            }
        }
    }
}
