//! Scanning EC2 instances and EBS volumes of one region: one paginated
//! fetch each (action and `iam check` probe declared beside it) and a pure
//! transform per type. Instance user data is never read.

use std::collections::BTreeSet;

use aws_sdk_ec2::types as ec2;
use aws_sdk_ec2::Client;

use super::model::*;
use crate::scan::action::{probe, Call};
use crate::scan::context::RegionContext;
use crate::scan::origin::{each, owned, sorted, text, Origin};
use crate::scan::paginate;
use crate::snapshot::{Detail, Resource};
use crate::services::network::scan::{ec2_call, tags, EC2_PAGE};

pub(crate) const DESCRIBE_INSTANCES: Call = ec2_call(
    "DescribeInstances",
    "EC2 instances",
    false,
    probe!(Client, |ec2| ec2.describe_instances().max_results(EC2_PAGE).send()),
);

pub(crate) const DESCRIBE_VOLUMES: Call = ec2_call(
    "DescribeVolumes",
    "EBS volumes",
    false,
    probe!(Client, |ec2| ec2.describe_volumes().max_results(EC2_PAGE).send()),
);

/// Every call of a region's instance scan.
pub(crate) const CALLS: &[Call] = &[
    DESCRIBE_INSTANCES,
    DESCRIBE_VOLUMES,
];

/// Scan EC2 instances and volumes in one region.
pub(crate) async fn scan(context: &RegionContext) -> anyhow::Result<Vec<Resource>> {
    let client = Client::new(context.sdk_config());
    let (reservations, volumes) = tokio::try_join!(
        context.call(&DESCRIBE_INSTANCES, paginate!(client.describe_instances())),
        context.call(&DESCRIBE_VOLUMES, paginate!(client.describe_volumes())),
    )?;
    let origin = Origin {
        account: context.account(),
        region: context.region(),
    };
    let mut resources = Vec::new();
    resources.extend(
        each(reservations)
            .flat_map(|reservation| reservation.instances.unwrap_or_default())
            .filter_map(|item| instance(origin, &item)),
    );
    resources.extend(each(volumes).filter_map(|item| volume(origin, &item)));
    Ok(resources)
}

// ---------------------------------------------------------------- transforms

/// An instance. Its security groups are the union of its own and its
/// interfaces' (an instance launched without groups may list the default
/// group only on its interface). User data is never requested.
pub fn instance(origin: Origin, instance: &ec2::Instance) -> Option<Resource> {
    let id = instance.instance_id()?;
    let interfaces = instance.network_interfaces();
    let security_group_ids: BTreeSet<&str> = instance
        .security_groups()
        .iter()
        .chain(interfaces.iter().flat_map(|interface| interface.groups()))
        .filter_map(|group| group.group_id())
        .collect();
    let mut private_ips: BTreeSet<&str> = interfaces
        .iter()
        .flat_map(|interface| interface.private_ip_addresses())
        .filter_map(|address| address.private_ip_address())
        .collect();
    private_ips.extend(instance.private_ip_address());
    let platform = match (instance.platform_details(), instance.platform()) {
        (Some(details), _) if !details.is_empty() => details.to_string(),
        (_, Some(platform)) => platform.as_str().to_string(),
        _ => "linux".to_string(),
    };
    Some(
        origin.resource(
            id,
            Some(origin.ec2_arn("instance", id)),
            tags(instance.tags()),
            Detail::from(Ec2InstanceAttrs {
                state: text(
                    instance
                        .state()
                        .and_then(|state| state.name())
                        .map(|name| name.as_str()),
                ),
                instance_type: text(instance.instance_type().map(|t| t.as_str())),
                availability_zone: text(instance.placement().and_then(|p| p.availability_zone())),
                vpc_id: owned(instance.vpc_id()),
                subnet_id: owned(instance.subnet_id()),
                private_ip: owned(instance.private_ip_address()),
                private_ips: private_ips.into_iter().map(str::to_string).collect(),
                public_ip: owned(instance.public_ip_address()),
                security_group_ids: security_group_ids.into_iter().map(str::to_string).collect(),
                network_interface_ids: sorted(
                    interfaces
                        .iter()
                        .filter_map(|interface| interface.network_interface_id()),
                ),
                platform,
                launch_time: instance.launch_time().and_then(crate::scan::rfc3339),
                image_id: owned(instance.image_id()),
                architecture: instance.architecture().map(|a| a.as_str().to_string()),
                lifecycle: instance
                    .instance_lifecycle()
                    .map(|l| l.as_str().to_string()),
                iam_instance_profile_arn: owned(
                    instance.iam_instance_profile().and_then(|p| p.arn()),
                ),
                tenancy: instance
                    .placement()
                    .and_then(|p| p.tenancy())
                    .map(|t| t.as_str().to_string())
                    .unwrap_or_else(|| "default".to_string()),
            }),
        ),
    )
}

pub fn volume(origin: Origin, volume: &ec2::Volume) -> Option<Resource> {
    let id = volume.volume_id()?;
    let mut attachments: Vec<VolumeAttachment> = volume
        .attachments()
        .iter()
        .map(|attachment| VolumeAttachment {
            instance_id: text(attachment.instance_id()),
            device: text(attachment.device()),
            state: text(attachment.state().map(|s| s.as_str())),
            delete_on_termination: attachment.delete_on_termination().unwrap_or(false),
        })
        .collect();
    attachments.sort();
    Some(origin.resource(
        id,
        Some(origin.ec2_arn("volume", id)),
        tags(volume.tags()),
        Detail::from(EbsVolumeAttrs {
            size_gib: volume.size().unwrap_or(0),
            volume_type: text(volume.volume_type().map(|t| t.as_str())),
            state: text(volume.state().map(|s| s.as_str())),
            availability_zone: text(volume.availability_zone()),
            encrypted: volume.encrypted().unwrap_or(false),
            iops: volume.iops(),
            throughput: volume.throughput(),
            snapshot_id: owned(volume.snapshot_id()).filter(|id| !id.is_empty()),
            attachments,
        }),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scan::origin::testing::{attrs, ORIGIN};

    #[test]
    fn instance_groups_are_the_union_with_its_interfaces() {
        let sdk = ec2::Instance::builder()
            .instance_id("i-1")
            .security_groups(ec2::GroupIdentifier::builder().group_id("sg-app").build())
            .network_interfaces(
                ec2::InstanceNetworkInterface::builder()
                    .network_interface_id("eni-2")
                    .groups(
                        ec2::GroupIdentifier::builder()
                            .group_id("sg-default")
                            .build(),
                    )
                    .groups(ec2::GroupIdentifier::builder().group_id("sg-app").build())
                    .private_ip_addresses(
                        ec2::InstancePrivateIpAddress::builder()
                            .private_ip_address("10.0.1.9")
                            .build(),
                    )
                    .build(),
            )
            .private_ip_address("10.0.1.5")
            .tags(ec2::Tag::builder().key("Name").value("web").build())
            .build();
        let resource = instance(ORIGIN, &sdk).unwrap();
        assert_eq!(resource.name, "web");
        assert_eq!(
            resource.arn.as_deref(),
            Some("arn:aws:ec2:eu-west-1:123456789012:instance/i-1")
        );
        let attrs = attrs::<Ec2InstanceAttrs>(resource);
        assert_eq!(attrs.security_group_ids, ["sg-app", "sg-default"]);
        assert_eq!(attrs.private_ips, ["10.0.1.5", "10.0.1.9"]);
        assert_eq!(attrs.network_interface_ids, ["eni-2"]);
        assert_eq!(attrs.platform, "linux");
        assert_eq!(attrs.tenancy, "default");
    }
}
