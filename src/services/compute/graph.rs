//! Compute's graph rules: an instance in its subnet, holding its groups and
//! IPs and owning the interfaces attached to it; a volume beside the
//! instance it is attached to, drawn as part of it, with an `attaches`
//! edge.

use std::collections::BTreeMap;

use super::model::*;
use super::Kind;
use crate::graph::builder::{detail_line, scanned_attrs, subnet_node, vpc_node};
use crate::graph::rules::{Rules, vpc_key, Holding, Owner, Owning, Placing, Relating};
use crate::graph::{Drawing, EdgeKind, Fold, Mention};
use crate::services::{common_status, network};

impl Rules for super::Compute {
    fn place(&self, cx: &mut Placing) {
        place(cx);
    }

    fn own_interfaces(&self, cx: &mut Owning) {
        own_interfaces(cx);
    }

    fn place_attached(&self, cx: &mut Placing) {
        place_attached(cx);
    }

    fn hold(&self, cx: &mut Holding) {
        hold(cx);
    }

    fn relate(&self, cx: &mut Relating) {
        relate(cx);
    }
}


pub(super) fn place(cx: &mut Placing) {
    let builder = &mut *cx.builder;
    for (resource, attrs) in cx.inventory.all::<Ec2InstanceAttrs>() {
        let parent = builder.parent_among(
            resource,
            &[
                attrs
                    .subnet_id
                    .as_deref()
                    .and_then(|id| subnet_node(resource, id)),
                attrs
                    .vpc_id
                    .as_deref()
                    .and_then(|id| vpc_node(resource, id)),
            ],
        );
        let drawing = Drawing {
            detail: detail_line(&[Some(&attrs.instance_type), attrs.private_ip.as_deref()]),
            status: common_status(&attrs.state),
            ..Drawing::default()
        };
        builder.add_scoped(
            resource,
            Kind::Instance,
            parent,
            Some(&attrs.state),
            scanned_attrs(resource, attrs, &["state"]),
            drawing,
        );
    }
}

/// An interface attached to an instance is the instance's.
pub(super) fn own_interfaces(cx: &mut Owning) {
    for (interface, attrs) in cx.inventory.all::<network::NetworkInterfaceAttrs>() {
        let attached = attrs.attached_instance_id.as_deref().and_then(|instance| {
            cx.builder.resource_ix(
                Kind::Instance,
                &interface.account,
                &interface.region,
                instance,
            )
        });
        if let Some(ix) = attached {
            cx.owners.claim(interface, &interface.id, Owner::Node(ix));
        }
    }
}

pub(super) fn place_attached(cx: &mut Placing) {
    let builder = &mut *cx.builder;
    for (resource, attrs) in cx.inventory.all::<EbsVolumeAttrs>() {
        let instance = attrs.attachments.iter().find_map(|attachment| {
            builder.resource_ix(
                Kind::Instance,
                &resource.account,
                &resource.region,
                &attachment.instance_id,
            )
        });
        let instance_parent = instance.and_then(|ix| builder.node(ix).parent.clone());
        let parent = builder.parent_among(resource, &[instance_parent]);
        let fold = match instance {
            Some(ix) => Fold::Into {
                host: builder.node(ix).id.clone(),
                mention: Some(Mention::Counted("vol")),
            },
            None => Fold::Unattached,
        };
        let drawing = Drawing {
            status: common_status(&attrs.state),
            fold,
            ..Drawing::default()
        };
        builder.add_scoped(
            resource,
            Kind::Volume,
            parent,
            Some(&attrs.state),
            scanned_attrs(resource, attrs, &["state"]),
            drawing,
        );
    }
}

pub(super) fn hold(cx: &mut Holding) {
    for (instance, attrs) in cx.inventory.all::<Ec2InstanceAttrs>() {
        let mut ips: Vec<&str> = attrs.private_ips.iter().map(String::as_str).collect();
        ips.extend(attrs.private_ip.as_deref());
        let vpc = attrs.vpc_id.as_deref().and_then(|v| vpc_key(instance, v));
        let ix = cx.builder.resource_ix(
            Kind::Instance,
            &instance.account,
            &instance.region,
            &instance.id,
        );
        cx.holdings
            .hold(ix, &attrs.security_group_ids, &ips, vpc);
    }
}

/// `attaches`: volume → the instance it is attached to, labelled with the device.
pub(super) fn relate(cx: &mut Relating) {
    let builder = &mut *cx.builder;
    for (volume, attrs) in cx.inventory.all::<EbsVolumeAttrs>() {
        let Some(from) =
            builder.resource_ix(Kind::Volume, &volume.account, &volume.region, &volume.id)
        else {
            continue;
        };
        for attachment in &attrs.attachments {
            let instance = builder.resource_ix(
                Kind::Instance,
                &volume.account,
                &volume.region,
                &attachment.instance_id,
            );
            if let Some(to) = instance {
                let evidence = format!("{}:{}", volume.id, attachment.instance_id);
                builder.relate(
                    from,
                    to,
                    EdgeKind::Attaches,
                    &attachment.device,
                    &evidence,
                    BTreeMap::new(),
                );
            }
        }
    }
}
