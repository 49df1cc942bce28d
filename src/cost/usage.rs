//! The usage file (`--usage usage.toml`): monthly amounts of what Describe
//! calls cannot tell (GB a NAT gateway processes, a load balancer's LCUs),
//! per resource kind or per resource id. Whatever it adds to an estimate is
//! marked as an assumption.
//!
//! ```toml
//! [kind.nat-gateway]
//! data_processed_gb = 500     # GB per month, every NAT gateway
//!
//! [kind.load-balancer]
//! lcu = 2                     # average LCUs (NLCUs, GLCUs) per hour
//!
//! [resource."nat-0abc1234567890def"]
//! data_processed_gb = 2500    # this one: overrides its kind's amount
//! ```
//!
//! Owns the format and the choice of amounts for a resource; which charges
//! an amount feeds is each rule's.

use std::collections::BTreeMap;
use std::path::Path;

use anyhow::bail;
use rust_decimal::Decimal;
use serde::Deserialize;

use super::{DATA_PROCESSED_GB, LCU};
use crate::snapshot::{Resource, ResourceKind, Snapshot};

/// The amounts the file gives one resource (or kind). Each is per month
/// unless its name says otherwise.
#[derive(Debug, Clone, Copy, Default, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Amounts {
    /// GB of data processed per month (NAT gateway, interface or Gateway
    /// Load Balancer endpoint, transit gateway VPC attachment).
    pub data_processed_gb: Option<Decimal>,
    /// Average capacity units per hour of a load balancer (LCUs for an
    /// ALB, NLCUs for an NLB, GLCUs for a GWLB).
    pub lcu: Option<Decimal>,
}

impl Amounts {
    fn over(self, base: Amounts) -> Amounts {
        Amounts {
            data_processed_gb: self.data_processed_gb.or(base.data_processed_gb),
            lcu: self.lcu.or(base.lcu),
        }
    }

    /// The names of the amounts given, for checking where they apply.
    fn given(&self) -> Vec<&'static str> {
        let mut given = Vec::new();
        if self.data_processed_gb.is_some() {
            given.push(DATA_PROCESSED_GB);
        }
        if self.lcu.is_some() {
            given.push(LCU);
        }
        given
    }

    fn values(&self) -> [Option<Decimal>; 2] {
        [self.data_processed_gb, self.lcu]
    }
}

/// Which amounts a kind's rule reads.
fn applies_to(kind: ResourceKind) -> &'static [&'static str] {
    kind.pricing().usage
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct UsageDocument {
    #[serde(default)]
    kind: BTreeMap<ResourceKind, Amounts>,
    #[serde(default)]
    resource: BTreeMap<String, Amounts>,
}

/// A read usage file.
#[derive(Debug, Default)]
pub struct Usage {
    kinds: BTreeMap<ResourceKind, Amounts>,
    resources: BTreeMap<String, Amounts>,
}

impl Usage {
    /// Read and check a usage file; errors are one line naming the file.
    pub fn read(path: &Path) -> anyhow::Result<Usage> {
        let text = std::fs::read_to_string(path).map_err(|error| {
            anyhow::anyhow!("cannot read usage file {}: {error}", path.display())
        })?;
        Usage::parse(&text, &path.display().to_string())
    }

    /// Parse a usage file's text; `origin` names it in errors.
    pub fn parse(text: &str, origin: &str) -> anyhow::Result<Usage> {
        let document: UsageDocument = toml::from_str(text).map_err(|error| {
            let place = error
                .span()
                .map(|span| format!(" at line {}", text[..span.start].lines().count().max(1)))
                .unwrap_or_default();
            anyhow::anyhow!(
                "usage file {origin}{place}: {}",
                error.message().replace('\n', " ")
            )
        })?;
        for (kind, amounts) in &document.kind {
            check_amounts(origin, &format!("[kind.{kind}]"), amounts)?;
            for name in amounts.given() {
                if !applies_to(*kind).contains(&name) {
                    bail!(
                        "usage file {origin}: [kind.{kind}] sets {name}, which no {kind} is charged for; {}",
                        where_it_applies(name)
                    );
                }
            }
        }
        for (id, amounts) in &document.resource {
            check_amounts(origin, &format!("[resource.\"{id}\"]"), amounts)?;
        }
        Ok(Usage {
            kinds: document.kind,
            resources: document.resource,
        })
    }

    /// The amounts for one resource: its own entry, else its kind's.
    pub fn amounts(&self, resource: &Resource) -> Amounts {
        let by_kind = self
            .kinds
            .get(&resource.kind())
            .copied()
            .unwrap_or_default();
        match self.resources.get(&resource.id) {
            Some(own) => own.over(by_kind),
            None => by_kind,
        }
    }

    /// What in the file does not fit the snapshot: ids it lacks, amounts a
    /// resource's kind is not charged for. One line each, for warnings.
    pub fn mismatches(&self, snapshot: &Snapshot) -> Vec<String> {
        let mut problems = Vec::new();
        for (id, amounts) in &self.resources {
            match snapshot.resources.iter().find(|r| &r.id == id) {
                None => problems.push(format!(
                    "the usage file names {id}, which is not in the snapshot; its amounts are not used"
                )),
                Some(resource) => {
                    for name in amounts.given() {
                        if !applies_to(resource.kind()).contains(&name) {
                            problems.push(format!(
                                "the usage file sets {name} for {id}, a {}, which is not charged for it; {}",
                                resource.kind(),
                                where_it_applies(name)
                            ));
                        }
                    }
                }
            }
        }
        problems
    }
}

fn check_amounts(origin: &str, section: &str, amounts: &Amounts) -> anyhow::Result<()> {
    if amounts
        .values()
        .iter()
        .flatten()
        .any(|v| v.is_sign_negative())
    {
        bail!("usage file {origin}: {section} has a negative amount; usage is zero or more");
    }
    Ok(())
}

fn where_it_applies(name: &str) -> String {
    let kinds: Vec<&str> = ResourceKind::all()
        .filter(|kind| applies_to(*kind).contains(&name))
        .map(|kind| kind.as_str())
        .collect();
    format!("{name} applies to {}", kinds.join(", "))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::services::network::NatGatewayAttrs;

    fn nat(id: &str) -> Resource {
        Resource {
            id: id.into(),
            arn: None,
            account: "123456789012".into(),
            region: "eu-west-1".into(),
            name: id.into(),
            tags: Default::default(),
            detail: NatGatewayAttrs::default().into(),
        }
    }

    #[test]
    fn a_resource_entry_overrides_its_kind() {
        let usage = Usage::parse(
            "[kind.nat-gateway]\ndata_processed_gb = 100\n\n[resource.\"nat-b\"]\ndata_processed_gb = 2500.5\n",
            "usage.toml",
        )
        .unwrap();
        assert_eq!(
            usage.amounts(&nat("nat-a")).data_processed_gb,
            Some(Decimal::from(100))
        );
        assert_eq!(
            usage.amounts(&nat("nat-b")).data_processed_gb,
            Some(Decimal::new(25005, 1))
        );
    }

    #[test]
    fn mistakes_are_one_line_naming_the_file() {
        for (text, expected) in [
            ("[kind.nat-gateway]\nlcu = 2\n", "[kind.nat-gateway] sets lcu, which no nat-gateway is charged for; lcu applies to load-balancer"),
            ("[kind.nat-gateway]\ndata_processed_gb = -1\n", "negative amount"),
            ("[kind.nat-gateway]\ngb = 1\n", "unknown field `gb`"),
            ("[kind.spaceship]\nlcu = 1\n", "unknown variant `spaceship`"),
            ("[kind.load-balancer\n", "at line 1"),
        ] {
            let message = Usage::parse(text, "usage.toml").unwrap_err().to_string();
            assert!(message.contains(expected), "{message:?} lacks {expected:?}");
            assert!(message.starts_with("usage file usage.toml"), "{message}");
            assert!(!message.contains('\n'), "{message:?}");
        }
    }
}
