//! The snapshot's resources in a fixed order with keyed lookups, so every
//! inference pass reads typed attributes without scanning the whole
//! snapshot per question. Owns no inference.

use std::collections::HashMap;

use crate::services::Attrs;
use crate::snapshot::{Resource, ResourceKind, Snapshot};

type Key<'s> = (ResourceKind, &'s str, &'s str, &'s str);

/// Resources sorted by `(account, region, kind, id)` whatever order the
/// snapshot holds them in: every pass iterates this, which is what makes the
/// graph independent of resource order.
pub(crate) struct Inventory<'s> {
    by_kind: HashMap<ResourceKind, Vec<&'s Resource>>,
    by_key: HashMap<Key<'s>, &'s Resource>,
}

impl<'s> Inventory<'s> {
    pub fn new(snapshot: &'s Snapshot) -> Inventory<'s> {
        let mut resources: Vec<&Resource> = snapshot.resources.iter().collect();
        // A resource listed twice under one key (a damaged or hand-merged
        // snapshot) is one resource: order the copies by content, which only
        // costs anything for duplicates, and keep the first.
        resources.sort_by(|a, b| {
            a.sort_key().cmp(&b.sort_key()).then_with(|| {
                let text = |r: &Resource| serde_json::to_string(r).unwrap_or_default();
                text(a).cmp(&text(b))
            })
        });
        resources.dedup_by(|b, a| a.sort_key() == b.sort_key());
        let mut by_kind: HashMap<ResourceKind, Vec<&Resource>> = HashMap::new();
        let mut by_key = HashMap::new();
        for &resource in &resources {
            by_kind.entry(resource.kind()).or_default().push(resource);
            by_key.insert(
                (
                    resource.kind(),
                    resource.account.as_str(),
                    resource.region.as_str(),
                    resource.id.as_str(),
                ),
                resource,
            );
        }
        Inventory { by_kind, by_key }
    }

    /// Every resource of the kind `A` describes, with its attributes, in
    /// inventory order.
    pub fn all<A: Attrs>(&self) -> impl Iterator<Item = (&'s Resource, &'s A)> + '_ {
        self.by_kind
            .get(&A::kind())
            .into_iter()
            .flatten()
            .filter_map(|resource| Some((*resource, resource.attrs::<A>()?)))
    }

    /// The resource of kind `A` with this id in this account and region.
    pub fn get<A: Attrs>(
        &self,
        account: &str,
        region: &str,
        id: &str,
    ) -> Option<(&'s Resource, &'s A)> {
        let resource = self.by_key.get(&(A::kind(), account, region, id))?;
        Some((*resource, resource.attrs::<A>()?))
    }
}
