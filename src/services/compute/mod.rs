//! EC2 compute: instances and the EBS volumes attached to them.
//!
//! An instance sits in its subnet and holds its security groups and IPs; a
//! volume is drawn as part of the instance it is attached to.

pub(crate) mod cost;
mod graph;
pub mod model;
pub(crate) mod redact;
#[cfg(feature = "scan")]
pub(crate) mod scan;

pub use model::*;

use crate::services::{Look, Place};
use crate::style::Category;

kinds! {
    Instance(Ec2InstanceAttrs) => "ec2-instance",
    Volume(EbsVolumeAttrs) => "ebs-volume",
}

pub fn look(kind: Kind) -> Look {
    match kind {
        Kind::Instance => Look::tile(
            Category::Compute,
            icon!("ec2-instance", drawio: "ec2"),
            Place::Cell,
            2,
        ),
        Kind::Volume => Look::tile(
            Category::Storage,
            icon!("ebs-volume", drawio: "elastic_block_store"),
            Place::Cell,
            6,
        ),
    }
}

/// Instances and volumes are part of EC2's API.
pub struct Compute;

pub const SERVICE: Compute = Compute;

#[cfg(feature = "scan")]
impl crate::services::Service for Compute {
    fn iam_prefix(&self) -> &'static str {
        "ec2"
    }
}
