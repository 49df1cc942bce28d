//! The bundled price table: the CSV files of `templates/prices/`, embedded
//! verbatim, and their provenance from `sources/MANIFEST.json`.
//!
//! Why verbatim CSV and no build step: the files are already sorted by
//! (region, key columns) with unique keys (`build.py` writes them so, and a
//! test here checks it), so a lookup is a binary search over line offsets
//! of the embedded text. Nothing is parsed at startup; the first lookup in a
//! table indexes its lines in one pass (rds.csv, the largest at 2.2 MB and
//! 41,572 rows, in about a millisecond), and only the rows a lookup lands on
//! are split and parsed. The six tables the estimate uses take 3.1 MB of the
//! binary (0.32 MB gzipped); compressing them would save that space but cost
//! a decompression of the whole file on the first lookup of every run, more
//! than the few milliseconds a render may spend on prices, and a build.rs
//! conversion would be a second copy of the data to keep true to its source.
//! Owns reading the embedded files only; the layering over a refreshed price
//! file is [`super::PriceBook`]'s.

use std::cmp::Ordering;
use std::collections::HashMap;
use std::str::FromStr;
use std::sync::LazyLock;

use rust_decimal::Decimal;

use super::{NoPrice, Price, Source, SourceKind, Table};

/// Which capture the bundled table is, in words.
pub const EDITION: &str = "AWS price feed captured June 2025, EBS July 2024";

const EC2: &str = include_str!("../../templates/prices/ec2.csv");
const RDS: &str = include_str!("../../templates/prices/rds.csv");
const RDS_STORAGE: &str = include_str!("../../templates/prices/rds_storage.csv");
const EBS: &str = include_str!("../../templates/prices/ebs.csv");
const NETWORK: &str = include_str!("../../templates/prices/network.csv");
const ELASTICACHE: &str = include_str!("../../templates/prices/elasticache.csv");
const REGIONS: &str = include_str!("../../templates/prices/regions.csv");
const MANIFEST: &str = include_str!("../../templates/prices/sources/MANIFEST.json");

/// The columns of one file: how many key columns follow the region, where
/// the price, its unit and AWS's label are.
struct Layout {
    header: &'static str,
    /// Index of the `usd` column.
    usd: usize,
    /// Index of the `unit` column; `None` for the `usd_per_hour` files.
    unit: Option<usize>,
    /// Index of the `aws_label` column, where the file keeps one.
    label: Option<usize>,
}

fn layout(table: Table) -> Layout {
    match table {
        Table::Ec2 => Layout {
            header: "region,instance_type,usd_per_hour",
            usd: 2,
            unit: None,
            label: None,
        },
        Table::Rds => Layout {
            header: "region,instance_class,engine,deployment,usd_per_hour",
            usd: 4,
            unit: None,
            label: None,
        },
        Table::RdsStorage => Layout {
            header: "region,storage_type,deployment,dimension,unit,usd,aws_label",
            usd: 5,
            unit: Some(4),
            label: Some(6),
        },
        Table::Ebs => Layout {
            header: "region,volume_type,dimension,unit,usd,aws_label",
            usd: 4,
            unit: Some(3),
            label: Some(5),
        },
        Table::Network => Layout {
            header: "region,service,dimension,unit,usd,aws_label",
            usd: 4,
            unit: Some(3),
            label: Some(5),
        },
        Table::Elasticache => Layout {
            header: "region,node_type,engine,usd_per_hour",
            usd: 3,
            unit: None,
            label: None,
        },
    }
}

fn text(table: Table) -> &'static str {
    match table {
        Table::Ec2 => EC2,
        Table::Rds => RDS,
        Table::RdsStorage => RDS_STORAGE,
        Table::Ebs => EBS,
        Table::Network => NETWORK,
        Table::Elasticache => ELASTICACHE,
    }
}

/// The data lines of one embedded file, header excluded, in file order.
struct Lines(Vec<&'static str>);

impl Lines {
    fn of(table: Table) -> Lines {
        let mut lines = text(table).lines();
        let header = lines.next().unwrap_or_default();
        assert_eq!(
            header,
            layout(table).header,
            "templates/prices/{} changed its columns",
            table.file_name()
        );
        Lines(lines.collect())
    }
}

static EC2_LINES: LazyLock<Lines> = LazyLock::new(|| Lines::of(Table::Ec2));
static RDS_LINES: LazyLock<Lines> = LazyLock::new(|| Lines::of(Table::Rds));
static RDS_STORAGE_LINES: LazyLock<Lines> = LazyLock::new(|| Lines::of(Table::RdsStorage));
static EBS_LINES: LazyLock<Lines> = LazyLock::new(|| Lines::of(Table::Ebs));
static NETWORK_LINES: LazyLock<Lines> = LazyLock::new(|| Lines::of(Table::Network));
static ELASTICACHE_LINES: LazyLock<Lines> = LazyLock::new(|| Lines::of(Table::Elasticache));

/// A table's lines, indexed on first use.
fn lines(table: Table) -> &'static [&'static str] {
    let lines = match table {
        Table::Ec2 => &EC2_LINES,
        Table::Rds => &RDS_LINES,
        Table::RdsStorage => &RDS_STORAGE_LINES,
        Table::Ebs => &EBS_LINES,
        Table::Network => &NETWORK_LINES,
        Table::Elasticache => &ELASTICACHE_LINES,
    };
    &lines.0
}

/// Compare a line's leading columns with `wanted`, column by column, as
/// `build.py` sorted them (Python tuple order: byte order per column, a
/// shorter column first).
fn compare_key(line: &str, wanted: &[&str]) -> Ordering {
    let mut columns = line.split(',');
    for want in wanted {
        let have = columns.next().unwrap_or_default();
        match have.cmp(want) {
            Ordering::Equal => continue,
            other => return other,
        }
    }
    Ordering::Equal
}

pub fn lookup(table: Table, region: &str, key: &[&str]) -> Result<Price, NoPrice> {
    let lines = lines(table);
    let mut wanted = Vec::with_capacity(key.len() + 1);
    wanted.push(region);
    wanted.extend_from_slice(key);
    match lines.binary_search_by(|line| compare_key(line, &wanted)) {
        Ok(found) => Ok(parse(table, lines[found])),
        Err(_) => {
            let has_region = lines
                .binary_search_by(|line| compare_key(line, &[region]))
                .is_ok();
            Err(if has_region {
                NoPrice::Row {
                    table,
                    region: region.to_string(),
                    key: key.iter().map(|k| k.to_string()).collect(),
                }
            } else {
                NoPrice::Region {
                    table,
                    region: region.to_string(),
                }
            })
        }
    }
}

fn parse(table: Table, line: &'static str) -> Price {
    let layout = layout(table);
    let columns: Vec<&str> = line.split(',').collect();
    let key: Vec<String> = columns[1..=table.key_len()]
        .iter()
        .map(|c| c.to_string())
        .collect();
    let usd = Decimal::from_str(columns[layout.usd]).unwrap_or_else(|_| {
        panic!(
            "templates/prices/{}: bad price in {line:?}",
            table.file_name()
        )
    });
    let unit = layout
        .unit
        .map_or("hour", |index| columns[index])
        .to_string();
    let aws_label = match layout.label {
        Some(index) => Some(columns[index..].join(",")),
        // build.py keeps only the instance type of the source key
        // `OnDemand Linux-instancetype-<type>` (build_ec2 strips exactly that
        // prefix), so the key is verbatim recoverable. RDS and ElastiCache
        // rows are parsed from descriptive names that keep no single label.
        None if table == Table::Ec2 => Some(format!("OnDemand Linux-instancetype-{}", key[0])),
        None => None,
    };
    let source = source_of(table, &key);
    Price {
        usd,
        unit,
        table,
        region: columns[0].to_string(),
        key,
        aws_label,
        sku: None,
        source,
    }
}

/// The vendored source file a row was built from (`build.py`'s SOURCES).
fn source_file(table: Table, key: &[String]) -> &'static str {
    match table {
        Table::Ec2 => "qp_ec2.json",
        Table::Rds => match key[1].as_str() {
            "postgres" => "qp_rds-postgresql-ondemand.json",
            "mysql" => "qp_rds-mysql-ondemand.json",
            "mariadb" => "qp_rds-mariadb-ondemand.json",
            engine if engine.starts_with("aurora") => "qp_rds-aurora-ondemand.json",
            engine if engine.starts_with("oracle") => "qp_rds-oracle-ondemand.json",
            _ => "qp_rds-sqlserver-ondemand.json",
        },
        Table::RdsStorage => "qp_rds-storage.json",
        Table::Ebs => "ec2shop_ebs.json",
        Table::Network => match key[0].as_str() {
            "alb" | "nlb" | "gwlb" | "clb" => "qp_elb.json",
            _ => "qp_vpc.json",
        },
        Table::Elasticache => "qp_elasticache.json",
    }
}

#[derive(serde::Deserialize)]
struct ManifestEntry {
    repo: String,
    commit: String,
    path: String,
    last_changed_date: String,
    #[serde(default)]
    aws_feed_published: Option<String>,
}

/// One [`Source`] per (vendored file, bundled table), built once.
static SOURCES: LazyLock<HashMap<(&'static str, Table), Source>> = LazyLock::new(|| {
    let manifest: HashMap<String, ManifestEntry> =
        serde_json::from_str(MANIFEST).expect("templates/prices/sources/MANIFEST.json is JSON");
    let mut sources = HashMap::new();
    for table in Table::ALL {
        for name in ALL_SOURCE_FILES {
            let entry = &manifest[*name];
            let (date, date_is) = match &entry.aws_feed_published {
                Some(published) => (published, "AWS feed published"),
                None => (&entry.last_changed_date, "last changed in the repository"),
            };
            sources.insert(
                (*name, table),
                Source {
                    kind: SourceKind::Bundled,
                    file: format!("templates/prices/{}", table.file_name()),
                    origin: entry.repo.clone(),
                    commit: Some(entry.commit.clone()),
                    path: entry.path.clone(),
                    date: date.chars().take(10).collect(),
                    date_is: date_is.to_string(),
                },
            );
        }
    }
    sources
});

const ALL_SOURCE_FILES: &[&str] = &[
    "qp_ec2.json",
    "qp_rds-postgresql-ondemand.json",
    "qp_rds-mysql-ondemand.json",
    "qp_rds-mariadb-ondemand.json",
    "qp_rds-aurora-ondemand.json",
    "qp_rds-oracle-ondemand.json",
    "qp_rds-sqlserver-ondemand.json",
    "qp_rds-storage.json",
    "ec2shop_ebs.json",
    "qp_elb.json",
    "qp_vpc.json",
    "qp_elasticache.json",
];

fn source_of(table: Table, key: &[String]) -> Source {
    SOURCES[&(source_file(table, key), table)].clone()
}

/// Every region of `regions.csv`, sorted.
pub fn regions() -> Vec<&'static str> {
    REGIONS
        .lines()
        .skip(1)
        .filter_map(|line| line.split(',').next())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The binary search is only right if every file is sorted as it
    /// compares, with one row per key.
    #[test]
    fn every_table_is_sorted_by_unique_keys() {
        for table in Table::ALL {
            let lines = lines(table);
            assert!(lines.len() > 400, "{table}: {} rows", lines.len());
            for pair in lines.windows(2) {
                let key: Vec<&str> = pair[1].split(',').take(table.key_len() + 1).collect();
                assert_eq!(
                    compare_key(pair[0], &key),
                    Ordering::Less,
                    "{}: {:?} is not before {:?}",
                    table.file_name(),
                    pair[0],
                    pair[1]
                );
            }
            // Every row parses: a price, a unit, a source.
            for line in lines.iter() {
                let price = parse(table, line);
                assert!(price.usd >= Decimal::ZERO, "{line}");
                assert!(!price.unit.is_empty(), "{line}");
            }
        }
    }

    #[test]
    fn regions_are_the_bundled_ones() {
        let regions = regions();
        assert_eq!(regions.len(), 34);
        assert!(regions.contains(&"eu-west-1"));
        assert!(regions.windows(2).all(|pair| pair[0] < pair[1]));
    }
}
