//! Prices: the bundled, dated AWS on-demand list-price table, the price file
//! `strata prices refresh` writes, the lookups the cost rules make, and the
//! provenance every looked-up price carries (repository, commit, date, file,
//! row key and AWS's own label).
//!
//! This module owns where a price comes from and nothing about resources:
//! which row a resource needs, and what it multiplies, is `crate::cost`'s.
//!
//! A lookup names a [`Table`] (one per bundled CSV file), a region and the
//! row's key columns, and gets a [`Price`] or a [`NoPrice`] saying which of
//! the two was missing. A [`PriceBook`] answers from a refreshed price file
//! first, when one is in use, and from the bundled table for rows the file
//! lacks; each price names the source it came from, so a mixed answer stays
//! traceable. Answers are memoised: an estate asks for few distinct rows.

mod bundled;
pub mod file;
#[cfg(feature = "scan")]
pub mod refresh;

use std::collections::HashMap;
use std::fmt;
use std::path::Path;
use std::sync::{Arc, Mutex};

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

pub use file::PriceFile;

/// A table of prices, named after its bundled CSV file in `templates/prices/`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Table {
    /// EC2 instance types, Linux, shared tenancy: region, instance_type.
    Ec2,
    /// RDS instance classes: region, instance_class, engine, deployment.
    Rds,
    /// RDS storage: region, storage_type, deployment, dimension.
    RdsStorage,
    /// EBS volumes: region, volume_type, dimension.
    Ebs,
    /// Load balancers, public IPv4, endpoints, transit gateway, NAT (refreshed
    /// only): region, service, dimension.
    Network,
    /// ElastiCache nodes: region, node_type, engine.
    Elasticache,
}

impl Table {
    pub const ALL: [Table; 6] = [
        Table::Ec2,
        Table::Rds,
        Table::RdsStorage,
        Table::Ebs,
        Table::Network,
        Table::Elasticache,
    ];

    /// The bundled file: `ec2.csv`.
    pub fn file_name(self) -> &'static str {
        match self {
            Table::Ec2 => "ec2.csv",
            Table::Rds => "rds.csv",
            Table::RdsStorage => "rds_storage.csv",
            Table::Ebs => "ebs.csv",
            Table::Network => "network.csv",
            Table::Elasticache => "elasticache.csv",
        }
    }

    /// How many key columns follow the region.
    pub fn key_len(self) -> usize {
        match self {
            Table::Ec2 => 1,
            Table::Rds => 3,
            Table::RdsStorage => 3,
            Table::Ebs => 2,
            Table::Network => 2,
            Table::Elasticache => 2,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Table::Ec2 => "ec2",
            Table::Rds => "rds",
            Table::RdsStorage => "rds-storage",
            Table::Ebs => "ebs",
            Table::Network => "network",
            Table::Elasticache => "elasticache",
        }
    }
}

impl fmt::Display for Table {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Where a price comes from, as a reviewer needs it to check the figure.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Source {
    /// `bundled` or `refreshed`.
    pub kind: SourceKind,
    /// The file the row was read from: `templates/prices/ec2.csv`, or the
    /// refreshed price file's path.
    pub file: String,
    /// Who published the data: `QuinnyPig/aws-price-watcher` (a GitHub
    /// repository republishing AWS's price feed), or
    /// `AWS Price List Query API (us-east-1)`.
    pub origin: String,
    /// The repository commit the bundled row was built from.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub commit: Option<String>,
    /// The source file in that repository (`processed/ec2.json`), or the
    /// service code asked for (`AmazonEC2`).
    pub path: String,
    /// `YYYY-MM-DD`.
    pub date: String,
    /// What the date is: `AWS feed published`, `last changed in the
    /// repository` (when the feed's own stamp was not kept) or `fetched`.
    pub date_is: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum SourceKind {
    Bundled,
    Refreshed,
}

impl fmt::Display for Source {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.commit {
            Some(commit) => write!(
                f,
                "{} ({} {} @ {}, {} {})",
                self.file,
                self.origin,
                self.path,
                &commit[..commit.len().min(12)],
                self.date_is,
                self.date
            ),
            None => write!(
                f,
                "{} ({} {}, {} {})",
                self.file, self.origin, self.path, self.date_is, self.date
            ),
        }
    }
}

/// One looked-up price and everything needed to trace it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Price {
    /// US dollars per `unit`, exactly as published.
    pub usd: Decimal,
    /// What one `usd` buys: `hour`, `GB-month`, `IOPS-month`, `GiBps-month`,
    /// `LCU-hour`, `GB`.
    pub unit: String,
    pub table: Table,
    pub region: String,
    /// The row's key columns after the region (`["m5.large"]`).
    pub key: Vec<String>,
    /// AWS's label for the price, verbatim, where the source keeps one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub aws_label: Option<String>,
    /// The Price List SKU, for refreshed prices.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sku: Option<String>,
    pub source: Source,
}

impl Price {
    /// `eu-west-1,m5.large` as the row's key reads in its file.
    pub fn row_key(&self) -> String {
        let mut key = self.region.clone();
        for column in &self.key {
            key.push(',');
            key.push_str(column);
        }
        key
    }
}

/// Why a lookup found nothing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NoPrice {
    /// The table has no row at all for the region.
    Region { table: Table, region: String },
    /// The region is there, the key is not.
    Row {
        table: Table,
        region: String,
        key: Vec<String>,
    },
}

impl fmt::Display for NoPrice {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            NoPrice::Region { table, region } => {
                write!(f, "{} has no prices for region {region}", table.file_name())
            }
            NoPrice::Row { table, region, key } => write!(
                f,
                "{} has no row {region},{}",
                table.file_name(),
                key.join(",")
            ),
        }
    }
}

type Answer = Result<Arc<Price>, NoPrice>;
/// A lookup: table, region, key columns.
type MemoKey = (Table, String, Vec<String>);

/// The prices a run uses: the bundled table, under an optional refreshed
/// price file.
#[derive(Debug)]
pub struct PriceBook {
    file: Option<PriceFile>,
    memo: Mutex<HashMap<MemoKey, Answer>>,
}

impl PriceBook {
    /// The bundled table alone.
    pub fn bundled() -> PriceBook {
        PriceBook {
            file: None,
            memo: Mutex::new(HashMap::new()),
        }
    }

    /// A refreshed price file over the bundled table.
    pub fn with_file(file: PriceFile) -> PriceBook {
        PriceBook {
            file: Some(file),
            memo: Mutex::new(HashMap::new()),
        }
    }

    /// The refreshed price file in use, if any.
    pub fn file(&self) -> Option<&PriceFile> {
        self.file.as_ref()
    }

    /// The price of one row: from the refreshed file when it has the row,
    /// else from the bundled table.
    pub fn lookup(&self, table: Table, region: &str, key: &[&str]) -> Answer {
        debug_assert_eq!(key.len(), table.key_len(), "{table} key {key:?}");
        let memo_key = (
            table,
            region.to_string(),
            key.iter().map(|k| k.to_string()).collect(),
        );
        let mut memo = self.memo.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(answer) = memo.get(&memo_key) {
            return answer.clone();
        }
        let answer = match self
            .file
            .as_ref()
            .and_then(|f| f.lookup(table, region, key))
        {
            Some(price) => Ok(Arc::new(price)),
            None => bundled::lookup(table, region, key).map(Arc::new),
        };
        memo.insert(memo_key, answer.clone());
        answer
    }

    /// One line naming the prices in use, for report headers and legends.
    pub fn describe(&self) -> String {
        match &self.file {
            Some(file) => format!(
                "prices refreshed from the AWS Price List API on {} ({}), bundled table (AWS feed of June 2025) for anything it lacks",
                file.fetched_date(),
                file.path_shown()
            ),
            None => format!("bundled AWS list prices ({})", bundled::EDITION),
        }
    }
}

/// Every region the bundled table prices, sorted (`regions.csv`).
pub fn bundled_regions() -> Vec<&'static str> {
    bundled::regions()
}

/// Which prices a command uses: `--prices FILE`, `--prices bundled`, or by
/// default the refreshed cache when `strata prices refresh` has written one.
#[derive(Debug, Clone, Default, clap::Args)]
pub struct PriceArgs {
    /// Price file written by `strata prices refresh`, or `bundled` for the
    /// table built into strata [default: the refreshed cache if there is
    /// one, else bundled].
    #[arg(long, value_name = "FILE|bundled")]
    pub prices: Option<String>,
}

impl PriceArgs {
    /// The price book these arguments ask for.
    pub fn load(&self) -> anyhow::Result<PriceBook> {
        match self.prices.as_deref() {
            Some("bundled") => Ok(PriceBook::bundled()),
            Some(path) => Ok(PriceBook::with_file(PriceFile::read(Path::new(path))?)),
            None => match file::cache_path() {
                Some(path) if path.exists() => Ok(PriceBook::with_file(PriceFile::read(&path)?)),
                _ => Ok(PriceBook::bundled()),
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_bundled_price_carries_its_row_label_and_source() {
        let book = PriceBook::bundled();
        let price = book.lookup(Table::Ec2, "us-east-1", &["m5.large"]).unwrap();
        assert_eq!(price.usd, Decimal::new(96, 3));
        assert_eq!(price.unit, "hour");
        assert_eq!(price.row_key(), "us-east-1,m5.large");
        assert_eq!(
            price.aws_label.as_deref(),
            Some("OnDemand Linux-instancetype-m5.large")
        );
        assert_eq!(
            price.source.to_string(),
            "templates/prices/ec2.csv (QuinnyPig/aws-price-watcher processed/ec2.json @ a6645eb2e53e, last changed in the repository 2025-06-13)"
        );
        let gp3 = book
            .lookup(Table::Ebs, "us-east-1", &["gp3", "throughput"])
            .unwrap();
        assert_eq!(gp3.usd, Decimal::new(4096, 2));
        assert_eq!(gp3.unit, "GiBps-month");
        assert_eq!(
            gp3.aws_label.as_deref(),
            Some("Provisioned Throughput gp3 per GiBps mo")
        );
        assert_eq!(gp3.source.origin, "yeo/ec2.shop");
        assert_eq!(gp3.source.date, "2024-07-18");
        assert_eq!(gp3.source.date_is, "AWS feed published");
        let postgres = book
            .lookup(
                Table::Rds,
                "eu-west-1",
                &["db.t3.medium", "postgres", "Multi-AZ"],
            )
            .unwrap();
        assert_eq!(postgres.usd, Decimal::new(156, 3));
        assert_eq!(
            postgres.source.path,
            "processed/rds-postgresql-ondemand.json"
        );
        assert_eq!(postgres.source.date, "2025-06-05");
        assert_eq!(postgres.source.date_is, "last changed in the repository");
    }

    #[test]
    fn a_miss_says_whether_the_region_or_the_row_is_missing() {
        let book = PriceBook::bundled();
        assert_eq!(
            book.lookup(Table::Ec2, "us-east-1", &["m9.huge"])
                .unwrap_err()
                .to_string(),
            "ec2.csv has no row us-east-1,m9.huge"
        );
        assert_eq!(
            book.lookup(Table::Ec2, "mars-north-1", &["m5.large"])
                .unwrap_err()
                .to_string(),
            "ec2.csv has no prices for region mars-north-1"
        );
        // The first and last rows of a file are found (the binary search's edges).
        assert!(book
            .lookup(Table::Ec2, "af-south-1", &["c5.12xlarge"])
            .is_ok());
        assert!(book
            .lookup(Table::Ec2, "us-west-2", &["z1d.xlarge"])
            .is_ok());
        assert_eq!(
            book.lookup(Table::Network, "us-east-1", &["nat-gateway", "hour"]),
            Err(NoPrice::Row {
                table: Table::Network,
                region: "us-east-1".into(),
                key: vec!["nat-gateway".into(), "hour".into()],
            })
        );
    }
}
