//! The snapshot: what a scan saw, as one versioned, serde-able document.
//!
//! This module owns the on-disk inventory format (`strata.snapshot/v1`) and
//! nothing else: it does not know how resources are fetched (that is `scan`)
//! nor what they mean for a diagram (that is `graph`). Every resource is a
//! [`Resource`] with its common identity fields and one strongly typed
//! [`Detail`] per kind, so a consumer never digs through untyped JSON.
//!
//! Invariants a snapshot keeps (the scanner establishes them, [`Snapshot::normalize`]
//! re-establishes them): resources are sorted by `(account, region, kind, id)`,
//! every list inside a resource is sorted, and no credential, session token,
//! password or instance user data is ever stored.

use std::collections::BTreeMap;
use std::path::Path;

use serde::{Deserialize, Serialize};

pub use crate::services::{Attrs, Detail, ResourceKind};

/// The schema this build reads and writes.
pub const SCHEMA: &str = "strata.snapshot/v1";
/// The schema family; a document whose `schema` starts with this but names
/// another version was written by a newer (or older) strata.
pub const SCHEMA_FAMILY: &str = "strata.snapshot/";

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Snapshot {
    pub schema: String,
    pub scan: ScanMeta,
    pub resources: Vec<Resource>,
}

/// How the scan went: who, where, when, and everything it could not see.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ScanMeta {
    /// `strata <version>` that wrote the snapshot.
    pub tool_version: String,
    /// RFC 3339, UTC.
    pub started_at: String,
    /// RFC 3339, UTC.
    pub finished_at: String,
    pub accounts: Vec<AccountMeta>,
    /// Every region that was asked for, sorted.
    pub regions: Vec<String>,
    /// Services scanned, sorted (`ec2`, `elasticloadbalancing`, `rds`).
    pub services: Vec<String>,
    /// Actions that were not answered (access denied, unsupported, …) and what
    /// that left out of the snapshot. Sorted.
    #[serde(default)]
    pub skipped: Vec<Skipped>,
    /// Regions (per account) that failed as a whole. Sorted.
    #[serde(default)]
    pub failed_regions: Vec<FailedRegion>,
    /// False when the scan was cut short (`--partial` after a timeout or a
    /// failed region): the snapshot holds what was read, not the whole estate.
    #[serde(default = "default_true")]
    pub complete: bool,
}

fn default_true() -> bool {
    true
}

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct AccountMeta {
    /// 12-digit account id from STS GetCallerIdentity.
    pub id: String,
    /// The name given in `--accounts`, or the account id.
    pub name: String,
    /// The role assumed to read this account, if any (never the credentials).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub role_arn: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Skipped {
    pub account: String,
    /// Empty for global calls.
    pub region: String,
    /// IAM service prefix: `ec2`, `elasticloadbalancing`, `rds`.
    pub service: String,
    /// The IAM action that was refused, e.g. `rds:DescribeDBInstances`.
    pub action: String,
    /// Why: `access denied`, the error code and message, …
    pub reason: String,
    /// What the snapshot lacks because of it, in words (`RDS DB instances`).
    pub left_out: String,
}

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct FailedRegion {
    pub account: String,
    pub region: String,
    pub error: String,
}

/// One AWS resource as scanned.
#[derive(Debug, Clone, PartialEq)]
pub struct Resource {
    /// The AWS id: `vpc-…`, `i-…`, a DB identifier, or the ARN for ELBv2
    /// resources, whose only id is their ARN.
    pub id: String,
    /// Where AWS defines one (EC2 ARNs are built from the documented format).
    pub arn: Option<String>,
    pub account: String,
    /// Empty for global resources (none yet).
    pub region: String,
    /// The `Name` tag, else the identifier.
    pub name: String,
    pub tags: BTreeMap<String, String>,
    /// The kind and its typed attributes, written as `kind` and `attrs`.
    pub detail: Detail,
}

impl Resource {
    pub fn kind(&self) -> ResourceKind {
        self.detail.kind()
    }

    /// The typed attributes, when the resource is of their kind.
    pub fn attrs<A: Attrs>(&self) -> Option<&A> {
        A::of(&self.detail)
    }

    pub fn attrs_mut<A: Attrs>(&mut self) -> Option<&mut A> {
        A::of_mut(&mut self.detail)
    }

    /// Sort key: resources are ordered by account, region, kind, id.
    pub fn sort_key(&self) -> (&str, &str, ResourceKind, &str) {
        (&self.account, &self.region, self.kind(), &self.id)
    }
}

impl Serialize for Resource {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let mut fields = serializer.serialize_struct("Resource", 8)?;
        fields.serialize_field("id", &self.id)?;
        match &self.arn {
            Some(arn) => fields.serialize_field("arn", arn)?,
            None => fields.skip_field("arn")?,
        }
        fields.serialize_field("account", &self.account)?;
        fields.serialize_field("region", &self.region)?;
        fields.serialize_field("name", &self.name)?;
        fields.serialize_field("tags", &self.tags)?;
        fields.serialize_field("kind", &self.kind())?;
        fields.serialize_field("attrs", &self.detail.attrs())?;
        fields.end()
    }
}

impl<'de> Deserialize<'de> for Resource {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_map(ResourceVisitor)
    }
}

/// Reads a resource with `attrs` typed by its `kind`: straight into the
/// kind's attribute type when `kind` comes first (as strata writes it),
/// through a JSON value when a hand-edited file puts `attrs` first.
struct ResourceVisitor;

/// The attributes of a known kind, read in place.
struct AttrsOfKind(ResourceKind);

impl<'de> serde::de::DeserializeSeed<'de> for AttrsOfKind {
    type Value = Detail;

    fn deserialize<D: serde::Deserializer<'de>>(self, deserializer: D) -> Result<Detail, D::Error> {
        self.0.deserialize_detail(deserializer)
    }
}

impl<'de> serde::de::Visitor<'de> for ResourceVisitor {
    type Value = Resource;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("a resource object")
    }

    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<Resource, A::Error> {
        use serde::de::Error;
        let (mut id, mut arn, mut account, mut region, mut name, mut tags) =
            (None, None, None, None, None, None);
        let mut kind: Option<ResourceKind> = None;
        let mut detail: Option<Detail> = None;
        let mut early_attrs: Option<serde_json::Value> = None;
        while let Some(key) = map.next_key::<std::borrow::Cow<'de, str>>()? {
            match key.as_ref() {
                "id" => id = Some(map.next_value()?),
                "arn" => arn = map.next_value()?,
                "account" => account = Some(map.next_value()?),
                "region" => region = Some(map.next_value()?),
                "name" => name = Some(map.next_value()?),
                "tags" => tags = Some(map.next_value()?),
                "kind" => kind = Some(map.next_value()?),
                "attrs" => match kind {
                    Some(kind) => detail = Some(map.next_value_seed(AttrsOfKind(kind))?),
                    None => early_attrs = Some(map.next_value()?),
                },
                _ => {
                    map.next_value::<serde::de::IgnoredAny>()?;
                }
            }
        }
        let kind = kind.ok_or_else(|| A::Error::missing_field("kind"))?;
        let detail = match (detail, early_attrs) {
            (Some(detail), _) => detail,
            (None, Some(value)) => kind.deserialize_detail(value).map_err(A::Error::custom)?,
            (None, None) => return Err(A::Error::missing_field("attrs")),
        };
        Ok(Resource {
            id: id.ok_or_else(|| A::Error::missing_field("id"))?,
            arn,
            account: account.ok_or_else(|| A::Error::missing_field("account"))?,
            region: region.ok_or_else(|| A::Error::missing_field("region"))?,
            name: name.ok_or_else(|| A::Error::missing_field("name"))?,
            tags: tags.unwrap_or_default(),
            detail,
        })
    }
}

// ---------------------------------------------------------------- reading

/// Why a snapshot could not be read. Each message names the file and says
/// what was wrong with it.
#[derive(Debug, thiserror::Error)]
pub enum SnapshotError {
    // The cause is the error's source, which callers print as a chain.
    #[error("cannot read snapshot {path}")]
    Io {
        path: String,
        #[source]
        source: std::io::Error,
    },
    #[error("snapshot {path} is empty; scan again with `strata scan -o {path}`")]
    Empty { path: String },
    #[error("{path} is not a strata snapshot: {detail}")]
    NotASnapshot { path: String, detail: String },
    #[error(
        "snapshot {path} has schema {found:?}, but this strata reads {SCHEMA:?}; \
         {hint}"
    )]
    WrongSchema {
        path: String,
        found: String,
        hint: &'static str,
    },
    #[error("snapshot {path} is damaged at line {line}, column {column}: {detail}")]
    Malformed {
        path: String,
        line: usize,
        column: usize,
        detail: String,
    },
}

impl Snapshot {
    /// An empty snapshot of the current schema.
    pub fn new(scan: ScanMeta) -> Snapshot {
        Snapshot {
            schema: SCHEMA.to_string(),
            scan,
            resources: Vec::new(),
        }
    }

    /// Parse a snapshot from bytes; `origin` names the source in errors.
    pub fn from_slice(bytes: &[u8], origin: &str) -> Result<Snapshot, SnapshotError> {
        let path = one_line(origin);
        if bytes.iter().all(u8::is_ascii_whitespace) {
            return Err(SnapshotError::Empty { path });
        }
        // Read the schema first, so a future version gets a version message,
        // not a field-by-field complaint.
        let value: serde_json::Value =
            serde_json::from_slice(bytes).map_err(|err| classify_json_error(&path, &err))?;
        let schema = match value.get("schema") {
            Some(serde_json::Value::String(schema)) => schema.clone(),
            _ => {
                return Err(SnapshotError::NotASnapshot {
                    path,
                    detail: "it has no \"schema\" field".to_string(),
                })
            }
        };
        if schema != SCHEMA {
            let hint = if schema.starts_with(SCHEMA_FAMILY) {
                "it was written by another strata version; upgrade strata or scan again"
            } else {
                "it is not a strata snapshot (graph JSON is an output, not an input)"
            };
            return Err(SnapshotError::WrongSchema {
                path,
                found: schema,
                hint,
            });
        }
        serde_json::from_value(value).map_err(|err| SnapshotError::NotASnapshot {
            path,
            detail: one_line(&err.to_string()),
        })
    }

    /// Read a snapshot file.
    pub fn read(path: &Path) -> Result<Snapshot, SnapshotError> {
        let shown = path.display().to_string();
        let bytes = std::fs::read(path).map_err(|source| SnapshotError::Io {
            path: shown.clone(),
            source,
        })?;
        Snapshot::from_slice(&bytes, &shown)
    }

    /// Pretty JSON with a trailing newline; byte-identical for equal snapshots.
    pub fn to_json(&self) -> String {
        let mut text =
            serde_json::to_string_pretty(self).expect("a snapshot always serializes to JSON");
        text.push('\n');
        text
    }

    /// Sort resources and metadata lists so equal estates give equal bytes.
    pub fn normalize(&mut self) {
        self.resources
            .sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
        self.scan.accounts.sort();
        self.scan.accounts.dedup();
        self.scan.regions.sort();
        self.scan.regions.dedup();
        self.scan.services.sort();
        self.scan.services.dedup();
        self.scan.skipped.sort();
        self.scan.skipped.dedup();
        self.scan.failed_regions.sort();
        self.scan.failed_regions.dedup();
    }

    /// Resources of one kind, in snapshot order.
    pub fn of_kind(&self, kind: ResourceKind) -> impl Iterator<Item = &Resource> {
        self.resources.iter().filter(move |r| r.kind() == kind)
    }
}

fn classify_json_error(path: &str, err: &serde_json::Error) -> SnapshotError {
    use serde_json::error::Category;
    match err.classify() {
        Category::Eof => SnapshotError::Malformed {
            path: path.to_string(),
            line: err.line(),
            column: err.column(),
            detail: "the file ends early (truncated?)".to_string(),
        },
        Category::Syntax if err.line() == 1 && err.column() <= 1 => SnapshotError::NotASnapshot {
            path: path.to_string(),
            detail: "it is not JSON".to_string(),
        },
        _ => SnapshotError::Malformed {
            path: path.to_string(),
            line: err.line(),
            column: err.column(),
            detail: one_line(&err.to_string()),
        },
    }
}

/// Error text that stays on one line and cannot drive a terminal: serde
/// quotes unknown field and variant names verbatim, and a file name or key
/// may hold newlines or escape sequences.
fn one_line(text: &str) -> String {
    text.chars()
        .map(|c| {
            if c.is_control() {
                c.escape_default().to_string()
            } else {
                c.to_string()
            }
        })
        .collect()
}

/// The partition an ARN in this region belongs to.
pub fn partition(region: &str) -> &'static str {
    if region.starts_with("cn-") {
        "aws-cn"
    } else if region.starts_with("us-gov-") {
        "aws-us-gov"
    } else if region.starts_with("us-iso-") {
        "aws-iso"
    } else if region.starts_with("us-isob-") {
        "aws-iso-b"
    } else {
        "aws"
    }
}

/// `arn:aws:ec2:eu-west-1:123456789012:vpc/vpc-0abc`: EC2 resource ARNs are
/// not returned by the API but are defined by AWS, so we build them.
pub fn ec2_arn(region: &str, account: &str, resource_type: &str, id: &str) -> String {
    format!(
        "arn:{}:ec2:{region}:{account}:{resource_type}/{id}",
        partition(region)
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::services::network::{self, VpcAttrs};

    fn sample() -> Snapshot {
        let mut snapshot = Snapshot::new(ScanMeta {
            tool_version: "strata 0.1.0".into(),
            started_at: "2026-01-01T00:00:00Z".into(),
            finished_at: "2026-01-01T00:00:05Z".into(),
            accounts: vec![AccountMeta {
                id: "123456789012".into(),
                name: "main".into(),
                role_arn: None,
            }],
            regions: vec!["eu-west-1".into()],
            services: vec!["ec2".into()],
            complete: true,
            ..Default::default()
        });
        snapshot.resources.push(Resource {
            id: "vpc-1".into(),
            arn: Some(ec2_arn("eu-west-1", "123456789012", "vpc", "vpc-1")),
            account: "123456789012".into(),
            region: "eu-west-1".into(),
            name: "main".into(),
            tags: BTreeMap::from([("Name".to_string(), "main".to_string())]),
            detail: Detail::Network(network::Detail::Vpc(VpcAttrs {
                cidr_block: "10.0.0.0/16".into(),
                cidr_blocks: vec!["10.0.0.0/16".into()],
                state: "available".into(),
                ..Default::default()
            })),
        });
        snapshot
    }

    #[test]
    fn round_trips_with_kind_and_attrs_beside_the_identity() {
        let snapshot = sample();
        let json = snapshot.to_json();
        let value: serde_json::Value = serde_json::from_str(&json).unwrap();
        assert_eq!(value["resources"][0]["kind"], "vpc");
        assert_eq!(value["resources"][0]["attrs"]["cidr_block"], "10.0.0.0/16");
        assert_eq!(
            Snapshot::from_slice(json.as_bytes(), "x").unwrap(),
            snapshot
        );
    }

    #[test]
    fn names_what_is_wrong_with_a_bad_file() {
        let cases: [(&[u8], &str); 5] = [
            (b"", "is empty"),
            (b"\x00\xffgarbage", "not JSON"),
            (
                br#"{"schema": "strata.snapshot/v1", "scan": {"#,
                "ends early",
            ),
            (
                br#"{"schema": "strata.snapshot/v9"}"#,
                "another strata version",
            ),
            (br#"{"nodes": []}"#, "no \"schema\" field"),
        ];
        for (bytes, expected) in cases {
            let message = Snapshot::from_slice(bytes, "snap.json")
                .unwrap_err()
                .to_string();
            assert!(message.contains(expected), "{message:?} lacks {expected:?}");
            assert!(message.contains("snap.json"), "{message:?} lacks the path");
            assert!(!message.contains('\n'), "{message:?} is not one line");
        }
    }
}
