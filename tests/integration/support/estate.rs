//! What the scan-and-graph tests share: a library scan of moto's account,
//! and a graph's edges as comparable `(from, to, kind, label)` tuples.

use std::collections::BTreeSet;

use strata::access::credentials::AccountTarget;
use strata::graph::Graph;
use strata::scan::{Progress, ScanConfig};
use strata::snapshot::Snapshot;

use super::moto::Moto;

/// moto's account.
pub const ACCOUNT: &str = "123456789012";

/// Scan moto's account in `regions` through the library, as the CLI does.
pub async fn scan(moto: &Moto, regions: &[&str]) -> Snapshot {
    let target = AccountTarget {
        name: ACCOUNT.into(),
        account_id: ACCOUNT.into(),
        config: moto.sdk_config("us-east-1"),
        role_arn: None,
        regions: Some(regions.iter().map(|r| r.to_string()).collect()),
    };
    let config = ScanConfig {
        endpoint_url: Some(moto.endpoint()),
        ..ScanConfig::default()
    };
    strata::scan::scan(&[target], &config, &Progress::hidden())
        .await
        .expect("the scan succeeds")
}

/// An edge as the tests state it: `(from, to, kind, label)`.
pub type Tuple = (String, String, String, String);

pub fn edge_set(graph: &Graph) -> BTreeSet<Tuple> {
    graph
        .edges()
        .into_iter()
        .map(|(from, to, edge)| {
            (
                from.id.clone(),
                to.id.clone(),
                edge.kind.to_string(),
                edge.label.clone(),
            )
        })
        .collect()
}

pub fn tuple(from: String, to: String, kind: &str, label: &str) -> Tuple {
    (from, to, kind.to_string(), label.to_string())
}
