//! The price file `strata prices refresh` writes (`strata.prices/v1`): the
//! rows it fetched from the AWS Price List Query API, keyed like the bundled
//! tables, stamped with the fetch time and the endpoint asked, each row with
//! AWS's SKU and price description verbatim. Also where the cache lives.
//!
//! Owns the format, its reading (one line per problem, naming the file) and
//! writing; fetching is [`super::refresh`]'s, layering over the bundled
//! table [`super::PriceBook`]'s.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use super::{Price, Source, SourceKind, Table};

/// The schema this build reads and writes.
pub const SCHEMA: &str = "strata.prices/v1";

/// One fetched price.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Row {
    pub table: Table,
    pub region: String,
    /// The key columns after the region, as in the bundled table.
    pub key: Vec<String>,
    /// US dollars per `unit`, as a decimal string.
    pub usd: Decimal,
    pub unit: String,
    /// The Price List service code asked for (`AmazonEC2`).
    pub service_code: String,
    pub sku: String,
    /// The price dimension's `description`, verbatim.
    pub aws_label: String,
    /// The product's `publicationDate`.
    pub published: String,
}

/// A refreshed price file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PriceFile {
    pub schema: String,
    /// RFC 3339, UTC: when the rows were fetched.
    pub fetched_at: String,
    /// The Price List endpoint region asked (`us-east-1`).
    pub endpoint_region: String,
    /// The regions whose prices were fetched, sorted.
    pub regions: Vec<String>,
    /// Sorted by (table, region, key).
    pub rows: Vec<Row>,
    /// Where the file was read from (not stored).
    #[serde(skip)]
    path: String,
    #[serde(skip)]
    index: HashMap<(Table, String, Vec<String>), usize>,
}

impl PriceFile {
    /// A file of freshly fetched rows, sorted, one per key (the first fetched wins).
    pub fn new(
        fetched_at: String,
        endpoint_region: String,
        mut regions: Vec<String>,
        mut rows: Vec<Row>,
    ) -> PriceFile {
        regions.sort();
        regions.dedup();
        rows.sort();
        rows.dedup_by(|b, a| (a.table, &a.region, &a.key) == (b.table, &b.region, &b.key));
        let mut file = PriceFile {
            schema: SCHEMA.to_string(),
            fetched_at,
            endpoint_region,
            regions,
            rows,
            path: String::new(),
            index: HashMap::new(),
        };
        file.build_index();
        file
    }

    fn build_index(&mut self) {
        self.index = self
            .rows
            .iter()
            .enumerate()
            .map(|(i, row)| ((row.table, row.region.clone(), row.key.clone()), i))
            .collect();
    }

    /// Read a price file; errors name the file and what to do.
    pub fn read(path: &Path) -> anyhow::Result<PriceFile> {
        let shown = path.display().to_string();
        let bytes = std::fs::read(path).map_err(|error| {
            anyhow::anyhow!(
                "cannot read price file {shown}: {error}; run `strata prices refresh` or pass --prices bundled"
            )
        })?;
        let value: serde_json::Value = serde_json::from_slice(&bytes).map_err(|error| {
            anyhow::anyhow!(
                "price file {shown} is not JSON ({error}); run `strata prices refresh` again or pass --prices bundled"
            )
        })?;
        if value.get("schema").and_then(|s| s.as_str()) != Some(SCHEMA) {
            anyhow::bail!(
                "{shown} is not a strata price file (schema {SCHEMA:?} expected); pass a file written by `strata prices refresh`, or --prices bundled"
            );
        }
        let mut file: PriceFile = serde_json::from_value(value).map_err(|error| {
            anyhow::anyhow!(
                "price file {shown} is damaged ({error}); run `strata prices refresh` again or pass --prices bundled"
            )
        })?;
        file.path = shown;
        file.build_index();
        Ok(file)
    }

    /// Pretty JSON with a trailing newline; equal files give equal bytes.
    pub fn to_json(&self) -> String {
        let mut text = serde_json::to_string_pretty(self).expect("a price file serializes");
        text.push('\n');
        text
    }

    /// The path it was read from, or `(not saved)`.
    pub fn path_shown(&self) -> &str {
        if self.path.is_empty() {
            "not saved"
        } else {
            &self.path
        }
    }

    /// `YYYY-MM-DD` of the fetch.
    pub fn fetched_date(&self) -> &str {
        self.fetched_at.get(..10).unwrap_or(&self.fetched_at)
    }

    pub(super) fn lookup(&self, table: Table, region: &str, key: &[&str]) -> Option<Price> {
        let wanted = (
            table,
            region.to_string(),
            key.iter().map(|k| k.to_string()).collect::<Vec<_>>(),
        );
        let row = &self.rows[*self.index.get(&wanted)?];
        Some(Price {
            usd: row.usd,
            unit: row.unit.clone(),
            table,
            region: row.region.clone(),
            key: row.key.clone(),
            aws_label: Some(row.aws_label.clone()),
            sku: Some(row.sku.clone()),
            source: Source {
                kind: SourceKind::Refreshed,
                file: self.path_shown().to_string(),
                origin: format!("AWS Price List Query API ({})", self.endpoint_region),
                commit: None,
                path: row.service_code.clone(),
                date: self.fetched_date().to_string(),
                date_is: "fetched".to_string(),
            },
        })
    }
}

/// `<user cache directory>/strata/prices.json` (`$XDG_CACHE_HOME`, else
/// `~/.cache`, on Linux), or `None` when the system has no cache directory.
pub fn cache_path() -> Option<PathBuf> {
    dirs::cache_dir().map(|directory| directory.join("strata").join("prices.json"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(region: &str, itype: &str, usd: &str) -> Row {
        Row {
            table: Table::Ec2,
            region: region.into(),
            key: vec![itype.into()],
            usd: usd.parse().unwrap(),
            unit: "hour".into(),
            service_code: "AmazonEC2".into(),
            sku: format!("SKU{itype}"),
            aws_label: format!("$ {usd} per On Demand Linux {itype} Instance Hour"),
            published: "2026-11-20T00:00:00Z".into(),
        }
    }

    #[test]
    fn a_file_round_trips_sorted_and_answers_with_its_own_source() {
        let file = PriceFile::new(
            "2026-12-01T10:00:00Z".into(),
            "us-east-1".into(),
            vec!["us-east-1".into(), "eu-west-1".into()],
            vec![
                row("us-east-1", "m5.large", "0.1"),
                row("eu-west-1", "m5.large", "0.11"),
            ],
        );
        assert_eq!(file.rows[0].region, "eu-west-1");
        let directory = tempfile::tempdir().unwrap();
        let path = directory.path().join("prices.json");
        std::fs::write(&path, file.to_json()).unwrap();
        let read = PriceFile::read(&path).unwrap();
        assert_eq!(read.rows, file.rows);
        let price = read.lookup(Table::Ec2, "us-east-1", &["m5.large"]).unwrap();
        assert_eq!(price.usd, Decimal::new(1, 1));
        assert_eq!(price.sku.as_deref(), Some("SKUm5.large"));
        assert_eq!(
            price.source.to_string(),
            format!(
                "{} (AWS Price List Query API (us-east-1) AmazonEC2, fetched 2026-12-01)",
                path.display()
            )
        );
        assert!(read
            .lookup(Table::Ec2, "us-east-1", &["m5.xlarge"])
            .is_none());
    }

    #[test]
    fn a_wrong_file_is_refused_in_one_line_naming_it() {
        let directory = tempfile::tempdir().unwrap();
        let path = directory.path().join("snapshot.json");
        std::fs::write(&path, r#"{"schema": "strata.snapshot/v1"}"#).unwrap();
        let message = PriceFile::read(&path).unwrap_err().to_string();
        assert!(message.contains("is not a strata price file"), "{message}");
        assert!(message.contains("snapshot.json"), "{message}");
        let message = PriceFile::read(&directory.path().join("absent.json"))
            .unwrap_err()
            .to_string();
        assert!(message.contains("strata prices refresh"), "{message}");
        assert!(!message.contains('\n'));
    }
}
