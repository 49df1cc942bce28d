//! Where a scanned resource comes from (account, region) and the identity
//! fields every resource shares: tags, name, ARN.
//!
//! Shared by the per-service transforms so each builds a [`Resource`] the same
//! way; it knows no service API.

use std::collections::BTreeMap;

use crate::snapshot::{ec2_arn, Detail, Resource};

/// The items of a call, none when it was skipped.
pub fn each<T>(items: Option<Vec<T>>) -> std::vec::IntoIter<T> {
    items.unwrap_or_default().into_iter()
}

/// The account and region a transform is working for.
#[derive(Debug, Clone, Copy)]
pub struct Origin<'a> {
    pub account: &'a str,
    pub region: &'a str,
}

impl Origin<'_> {
    /// `arn:aws:ec2:<region>:<account>:<resource_type>/<id>`.
    pub fn ec2_arn(&self, resource_type: &str, id: &str) -> String {
        ec2_arn(self.region, self.account, resource_type, id)
    }

    /// A resource named by its `Name` tag, else its identifier.
    pub fn resource(
        &self,
        id: &str,
        arn: Option<String>,
        tags: BTreeMap<String, String>,
        detail: Detail,
    ) -> Resource {
        self.named_resource(id, arn, tags, id, detail)
    }

    /// A resource named by its `Name` tag, else `identifier` (the name AWS
    /// gives it where its id is an ARN: a load balancer's name, …).
    pub fn named_resource(
        &self,
        id: &str,
        arn: Option<String>,
        tags: BTreeMap<String, String>,
        identifier: &str,
        detail: Detail,
    ) -> Resource {
        let name = tags
            .get("Name")
            .filter(|name| !name.trim().is_empty())
            .cloned()
            .unwrap_or_else(|| identifier.to_string());
        Resource {
            id: id.to_string(),
            arn,
            account: self.account.to_string(),
            region: self.region.to_string(),
            name,
            tags,
            detail,
        }
    }
}

/// Tags from (key, value) pairs; a tag without a key is dropped.
pub fn tag_map<'a>(
    pairs: impl IntoIterator<Item = (Option<&'a str>, Option<&'a str>)>,
) -> BTreeMap<String, String> {
    pairs
        .into_iter()
        .filter_map(|(key, value)| Some((key?.to_string(), value.unwrap_or_default().to_string())))
        .collect()
}

/// A list of ids, sorted and deduplicated.
pub fn sorted<I, S>(items: I) -> Vec<String>
where
    I: IntoIterator<Item = S>,
    S: Into<String>,
{
    let mut items: Vec<String> = items.into_iter().map(Into::into).collect();
    items.sort();
    items.dedup();
    items
}

/// An owned string from an optional one (the SDK's `Option<&str>`).
pub fn text(value: Option<&str>) -> String {
    value.unwrap_or_default().to_string()
}

/// An owned optional string.
pub fn owned(value: Option<&str>) -> Option<String> {
    value.map(str::to_string)
}

/// What the transforms' unit tests share.
#[cfg(test)]
pub(crate) mod testing {
    use super::Origin;
    use crate::snapshot::{Attrs, Resource};

    pub(crate) const ORIGIN: Origin = Origin {
        account: "123456789012",
        region: "eu-west-1",
    };

    /// The typed attributes of a transformed resource, which must be of kind `A`.
    pub(crate) fn attrs<A: Attrs + Clone>(resource: Resource) -> A {
        resource
            .attrs::<A>()
            .cloned()
            .expect("the transform made another kind")
    }
}
