//! The AWS services strata knows, one module each. A service module owns
//! everything strata knows about its service: the calls it makes and the
//! IAM action declared beside each (`scan`), its snapshot kinds and typed
//! attributes (`model`), its graph rules (where a node is placed, which
//! security groups and interfaces it holds, which relationships it states)
//! and its look (category, icon, detail line, status words, placement).
//!
//! The [`registry!`] below is the one list of services: the snapshot's kinds,
//! the scan fan-out, the generated IAM policy, `iam check`, graph building
//! and every renderer iterate it. Adding a service is one module and one
//! line here (see docs/ARCHITECTURE.md).
//!
//! This module owns the contract between services and the stages: the
//! [`Service`] hooks, the [`Look`] of a kind and typed access to attributes.
//! It knows no service in particular.

#[macro_use]
mod macros;

use crate::style::{Category, Status};

registry! {
    Network => network,
    Compute => compute,
    LoadBalancing => elbv2,
    Rds => rds,
    ElastiCache => elasticache,
}

/// Typed attributes of one kind: what graph rules read instead of JSON.
pub trait Attrs: Sized + 'static {
    fn kind() -> ResourceKind;
    /// The attributes, when `detail` is of this kind.
    fn of(detail: &Detail) -> Option<&Self>;
    fn of_mut(detail: &mut Detail) -> Option<&mut Self>;
}

/// A service's own detail enum, found inside the crate-wide [`Detail`].
pub trait ServiceDetail: Sized {
    fn of(detail: &Detail) -> Option<&Self>;
    fn of_mut(detail: &mut Detail) -> Option<&mut Self>;
}

impl ResourceKind {
    pub(crate) fn deserialize_detail<'de, D: serde::Deserializer<'de>>(
        self,
        deserializer: D,
    ) -> Result<Detail, D::Error> {
        self.deserialize_attrs(deserializer)
    }
}

impl Detail {
    /// The attributes alone, as the snapshot writes them under `attrs`.
    pub(crate) fn attrs(&self) -> impl serde::Serialize + '_ {
        AttrsOf(self)
    }
}

struct AttrsOf<'a>(&'a Detail);

impl serde::Serialize for AttrsOf<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.0.serialize_attrs(serializer)
    }
}

impl std::fmt::Display for ResourceKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl serde::Serialize for ResourceKind {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

impl<'de> serde::Deserialize<'de> for ResourceKind {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let name = std::borrow::Cow::<'de, str>::deserialize(deserializer)?;
        ResourceKind::parse(&name)
            .ok_or_else(|| serde::de::Error::unknown_variant(&name, kind_names()))
    }
}

/// Every kind name, for "expected one of" in errors.
pub(crate) fn kind_names() -> &'static [&'static str] {
    static NAMES: std::sync::OnceLock<Vec<&'static str>> = std::sync::OnceLock::new();
    NAMES.get_or_init(|| ResourceKind::all().map(ResourceKind::as_str).collect())
}

/// How the resources of one kind look, in every output.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Look {
    /// The colour family of its icon and boxes.
    pub category: Category,
    pub drawn: Drawn,
    /// AWS creates one with every default VPC: it does not make a default
    /// VPC worth drawing.
    pub incidental: bool,
}

impl Look {
    pub const fn tile(category: Category, icon: Icon, place: Place, rank: u8) -> Look {
        Look {
            category,
            drawn: Drawn::Tile { icon, place, rank },
            incidental: false,
        }
    }

    pub const fn frame(level: FrameLevel) -> Look {
        Look {
            category: Category::Networking,
            drawn: Drawn::Frame(level),
            incidental: false,
        }
    }

    pub const fn never(category: Category) -> Look {
        Look {
            category,
            drawn: Drawn::Never,
            incidental: false,
        }
    }

    /// Marks a kind AWS creates with every default VPC.
    pub const fn incidental(self) -> Look {
        Look {
            incidental: true,
            ..self
        }
    }
}

/// Whether and how a kind is drawn in the architecture view.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Drawn {
    /// A frame other nodes sit in.
    Frame(FrameLevel),
    /// A tile: its icon, where it goes, and its rank among the tiles of
    /// one cell (lower first).
    Tile { icon: Icon, place: Place, rank: u8 },
    /// Never a node of its own: its facts are other nodes' attributes or
    /// edges (route tables, listeners, subnet groups, attachments).
    Never,
}

/// What a tile shows of its kind, in each format that draws tiles.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Icon {
    /// An SVG document of `templates/icons/`, in the category colour.
    pub svg: &'static str,
    /// The draw.io stencil (`mxgraph.aws4.…`) a `resourceIcon` shows.
    pub drawio: &'static str,
}

/// The frames of the architecture view, outermost first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum FrameLevel {
    Account,
    Region,
    Vpc,
    Zone,
    Subnet,
}

impl FrameLevel {
    /// A frame's title word.
    pub fn title(self) -> &'static str {
        match self {
            FrameLevel::Account => "Account",
            FrameLevel::Region => "Region",
            FrameLevel::Vpc => "VPC",
            FrameLevel::Zone => "AZ",
            FrameLevel::Subnet => "Subnet",
        }
    }
}

/// Where a tile goes, within the frame the graph placed it in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Place {
    /// In its subnet's cell; when it has no subnet, across the zones it
    /// spans (a Memcached cluster) or else on the VPC border; in its region
    /// when it has no VPC.
    Cell,
    /// In a lane spanning the zone columns of its subnets, just above their
    /// tier (load balancers, clusters).
    Lane,
    /// On the VPC's top border (gateways, endpoints, peerings).
    Border,
    /// In its region, outside the VPCs (transit gateways).
    Region,
    /// At the top, outside every account (the Internet, outside ranges).
    Outside,
}

/// A service as the scan sees it.
#[cfg(feature = "scan")]
pub(crate) trait Service: Sync {
    /// The IAM service prefix of its actions (`ec2`, `rds`).
    fn iam_prefix(&self) -> &'static str;
}

/// The IAM prefixes of the services a scan reads, sorted, each once.
#[cfg(feature = "scan")]
pub(crate) fn iam_prefixes() -> Vec<&'static str> {
    let mut prefixes: Vec<&'static str> = ALL.iter().map(|service| service.iam_prefix()).collect();
    prefixes.sort_unstable();
    prefixes.dedup();
    prefixes
}

/// The status class of AWS's common lifecycle words, which most services
/// share (`stopped`, `failed`, `pending`, …); a service with words of its
/// own classifies them first and falls back to this.
pub fn common_status(status: &str) -> Status {
    let status = status.to_ascii_lowercase();
    let word = status.as_str();
    if matches!(
        word,
        "stopped"
            | "stopping"
            | "shutting-down"
            | "terminated"
            | "deleted"
            | "deleting"
            | "inactive"
    ) {
        Status::Stopped
    } else if word.contains("fail")
        || word.contains("error")
        || word.contains("incompatible")
        || word.contains("inaccessible")
        || matches!(
            word,
            "impaired" | "storage-full" | "rejected" | "blackhole" | "active_impaired"
        )
    {
        Status::Failed
    } else if matches!(
        word,
        "pending"
            | "provisioning"
            | "creating"
            | "starting"
            | "rebooting"
            | "modifying"
            | "initiating-request"
            | "pending-acceptance"
            | "upgrading"
            | "backing-up"
    ) {
        Status::Pending
    } else {
        Status::Normal
    }
}
