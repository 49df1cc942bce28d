//! `strata prices refresh`'s client: current on-demand prices from the AWS
//! Price List Query API (`pricing:GetProducts`, served from us-east-1,
//! eu-central-1 and ap-south-1), for exactly the products the cost rules
//! use, turned into rows keyed like the bundled tables.
//!
//! One GetProducts query per (product group, region), filtered by the
//! product attributes AWS documents for each (`regionCode`, `productFamily`,
//! `operatingSystem`, …), paginated by `NextToken`, retried with backoff,
//! at most [`CONCURRENT_QUERIES`] in flight. Each product is mapped to a
//! row by its attributes and usage type; a product the mapping does not
//! recognise is left out (the bundled row stays in use for it), and two
//! products that claim one row with different prices drop the row rather
//! than pick one, as `templates/prices/build.py` does.
//!
//! The answer's shape (awsJson1_1: `FormatVersion`, `NextToken`, and
//! `PriceList`, an array of JSON *strings*, one product each with `product`
//! (`productFamily`, `attributes`, `sku`), `serviceCode`, `terms.OnDemand`
//! (`priceDimensions` with `unit`, `beginRange`, `description`,
//! `pricePerUnit.USD`) and `publicationDate`) is the one documented in the
//! AWS Price List Query API reference (GetProducts) and the AWS CLI's
//! `pricing get-products` example.
//!
//! Owns the queries and the mapping; the file format is [`super::file`]'s,
//! the command line `commands::prices`'.

use std::collections::{BTreeMap, HashMap};
use std::str::FromStr;
use std::sync::Arc;
use std::time::Duration;

use anyhow::anyhow;
use aws_config::SdkConfig;
use aws_sdk_pricing::types::{Filter, FilterType};
use rust_decimal::Decimal;
use serde::Deserialize;

use super::file::{PriceFile, Row};
use super::Table;
use crate::scan::action::{Action, Call};
use crate::scan::error::{classify, explain, CallSite, ErrorClass};

/// The one call of a refresh, declared for the IAM policy (in a statement
/// of its own: only `strata prices refresh` needs it). `iam check` does not
/// probe it: it is not part of a scan, and a refresh says in one line
/// itself when it is denied.
const GET_PRODUCTS: Call = Call {
    action: Action {
        service: "pricing",
        name: "GetProducts",
        feeds: "current prices for `strata prices refresh` (the bundled table is used without it)",
        mandatory: false,
    },
    probe: None,
};

pub const CALLS: &[Call] = &[GET_PRODUCTS];

/// GetProducts queries in flight at once.
pub const CONCURRENT_QUERIES: usize = 4;

/// The regions that serve the Price List Query API.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, clap::ValueEnum)]
pub enum PricingEndpoint {
    #[default]
    #[value(name = "us-east-1")]
    UsEast1,
    #[value(name = "eu-central-1")]
    EuCentral1,
    #[value(name = "ap-south-1")]
    ApSouth1,
}

impl PricingEndpoint {
    pub fn region(self) -> &'static str {
        match self {
            PricingEndpoint::UsEast1 => "us-east-1",
            PricingEndpoint::EuCentral1 => "eu-central-1",
            PricingEndpoint::ApSouth1 => "ap-south-1",
        }
    }
}

/// One row a product's price becomes.
struct Target {
    table: Table,
    key: Vec<String>,
    /// The unit in strata's tables (`hour`, `GB-month`, …).
    unit: &'static str,
    /// The price dimension to take, by its `beginRange` (tiers).
    begin_range: &'static str,
}

fn target(table: Table, key: &[&str], unit: &'static str) -> Target {
    Target {
        table,
        key: key.iter().map(|k| k.to_string()).collect(),
        unit,
        begin_range: "0",
    }
}

/// A product's attributes, as the mapping reads them.
struct Attributes<'p>(&'p HashMap<String, String>);

impl Attributes<'_> {
    fn get(&self, name: &str) -> &str {
        self.0.get(name).map(String::as_str).unwrap_or_default()
    }

    /// Whether the usage type is `name`, with or without its region prefix
    /// (`NatGateway-Hours`, `EUW1-NatGateway-Hours`).
    fn usage_is(&self, name: &str) -> bool {
        let usage = self.get("usagetype");
        usage == name || usage.ends_with(&format!("-{name}"))
    }
}

/// One product group: its service code, attribute filters, and how its
/// products become rows.
struct Query {
    service_code: &'static str,
    filters: &'static [(&'static str, &'static str)],
    map: fn(&Attributes) -> Vec<Target>,
}

/// The products the cost rules use, by group.
const QUERIES: &[Query] = &[
    // EC2 instances: Linux, shared tenancy, no pre-installed software or
    // licence, on-demand capacity (ec2.csv's rows).
    Query {
        service_code: "AmazonEC2",
        filters: &[
            ("productFamily", "Compute Instance"),
            ("operatingSystem", "Linux"),
            ("tenancy", "Shared"),
            ("preInstalledSw", "NA"),
            ("licenseModel", "No License required"),
            ("capacitystatus", "Used"),
            ("marketoption", "OnDemand"),
        ],
        map: |a| match a.get("instanceType") {
            "" => vec![],
            itype => vec![target(Table::Ec2, &[itype], "hour")],
        },
    },
    // NAT gateways: the hour and the GB processed (the bundled table has none).
    Query {
        service_code: "AmazonEC2",
        filters: &[("productFamily", "NAT Gateway")],
        map: |a| {
            if a.usage_is("NatGateway-Hours") {
                vec![target(Table::Network, &["nat-gateway", "hour"], "hour")]
            } else if a.usage_is("NatGateway-Bytes") {
                vec![target(
                    Table::Network,
                    &["nat-gateway", "data-processed"],
                    "GB",
                )]
            } else {
                vec![]
            }
        },
    },
    // EBS volume storage, IOPS and gp3 throughput.
    Query {
        service_code: "AmazonEC2",
        filters: &[("productFamily", "Storage")],
        map: |a| match a.get("volumeApiName") {
            "" => vec![],
            volume => vec![target(Table::Ebs, &[volume, "storage"], "GB-month")],
        },
    },
    Query {
        service_code: "AmazonEC2",
        filters: &[("productFamily", "System Operation"), ("group", "EBS IOPS")],
        map: |a| {
            let usage = a.get("usagetype");
            let dimension = match a.get("volumeApiName") {
                "io2" if usage.contains("tier2") => "iops-tier2",
                "io2" if usage.contains("tier3") => "iops-tier3",
                "io2" => "iops-tier1",
                "gp3" | "io1" => "iops",
                _ => return vec![],
            };
            vec![target(
                Table::Ebs,
                &[a.get("volumeApiName"), dimension],
                "IOPS-month",
            )]
        },
    },
    Query {
        service_code: "AmazonEC2",
        filters: &[("productFamily", "Provisioned Throughput")],
        map: |a| match a.get("volumeApiName") {
            "gp3" => vec![target(Table::Ebs, &["gp3", "throughput"], "GiBps-month")],
            _ => vec![],
        },
    },
    // Public IPv4 addresses, interface endpoints, transit gateway VPC
    // attachments, by usage type.
    Query {
        service_code: "AmazonVPC",
        filters: &[],
        map: |a| {
            let network = |key: &[&str], unit| vec![target(Table::Network, key, unit)];
            if a.usage_is("PublicIPv4:InUseAddress") {
                network(&["public-ipv4", "in-use-hour"], "hour")
            } else if a.usage_is("PublicIPv4:IdleAddress") {
                network(&["public-ipv4", "idle-hour"], "hour")
            } else if a.usage_is("VpcEndpoint-Hours") {
                network(&["vpc-interface-endpoint", "hour-per-az"], "hour")
            } else if a.usage_is("VpcEndpoint-Bytes") {
                // Tiered by the region's monthly total.
                [
                    ("0", "data-processed-first-1048576GB"),
                    ("1048576", "data-processed-1048576-5242880GB"),
                    ("5242880", "data-processed-over-5242880GB"),
                ]
                .into_iter()
                .map(|(begin_range, dimension)| Target {
                    begin_range,
                    ..target(Table::Network, &["vpc-interface-endpoint", dimension], "GB")
                })
                .collect()
            } else if a.usage_is("TransitGateway-Hours") {
                network(&["tgw", "vpc-attachment-hour"], "hour")
            } else if a.usage_is("TransitGateway-Bytes") {
                network(&["tgw", "vpc-attachment-data-processed"], "GB")
            } else {
                vec![]
            }
        },
    },
    // Load balancers by the hour and their capacity units.
    Query {
        service_code: "AWSELB",
        filters: &[],
        map: |a| {
            let (service, units) = match a.get("productFamily") {
                "Load Balancer-Application" => ("alb", "LCU-hour"),
                "Load Balancer-Network" => ("nlb", "NLCU-hour"),
                "Load Balancer-Gateway" => ("gwlb", "GLCU-hour"),
                _ => return vec![],
            };
            if a.usage_is("LoadBalancerUsage") {
                vec![target(Table::Network, &[service, "hour"], "hour")]
            } else if a.usage_is("LCUUsage") {
                vec![target(Table::Network, &[service, "lcu-hour"], units)]
            } else {
                vec![]
            }
        },
    },
    // RDS instances by class, engine (as the RDS API names it) and deployment.
    Query {
        service_code: "AmazonRDS",
        filters: &[("productFamily", "Database Instance")],
        map: |a| {
            let engine = match (
                a.get("databaseEngine"),
                a.get("databaseEdition"),
                a.get("licenseModel"),
            ) {
                ("PostgreSQL", _, "No license required") => "postgres",
                ("MySQL", _, "No license required") => "mysql",
                ("MariaDB", _, "No license required") => "mariadb",
                ("Aurora PostgreSQL", _, _) => "aurora-postgresql",
                ("Aurora MySQL", _, _) => "aurora-mysql",
                ("Oracle", "Standard Two", "License included") => "oracle-se2",
                ("SQL Server", "Express", "License included") => "sqlserver-ex",
                ("SQL Server", "Web", "License included") => "sqlserver-web",
                ("SQL Server", "Standard", "License included") => "sqlserver-se",
                ("SQL Server", "Enterprise", "License included") => "sqlserver-ee",
                _ => return vec![],
            };
            let deployment = if engine.starts_with("aurora") {
                if a.get("usagetype").contains("IOOptimized") {
                    "Aurora-IO-Optimized"
                } else {
                    "Aurora-Standard"
                }
            } else {
                match a.get("deploymentOption") {
                    "Single-AZ" => "Single-AZ",
                    "Multi-AZ" => "Multi-AZ",
                    "Multi-AZ (readable standbys)" => "Multi-AZ-readable-standbys",
                    _ => return vec![],
                }
            };
            match a.get("instanceType") {
                "" => vec![],
                class => vec![target(Table::Rds, &[class, engine, deployment], "hour")],
            }
        },
    },
    // RDS storage by volume type and deployment.
    Query {
        service_code: "AmazonRDS",
        filters: &[("productFamily", "Database Storage")],
        map: |a| {
            let storage = match a.get("volumeType") {
                "General Purpose" => "gp2",
                "General Purpose-GP3" => "gp3",
                "Provisioned IOPS" => "io1",
                "Provisioned IOPS-IO2" => "io2",
                "Magnetic" => "standard",
                _ => return vec![],
            };
            match a.get("deploymentOption") {
                deployment @ ("Single-AZ" | "Multi-AZ") => vec![target(
                    Table::RdsStorage,
                    &[storage, deployment, "storage"],
                    "GB-month",
                )],
                _ => vec![],
            }
        },
    },
    // ElastiCache nodes by type and engine.
    Query {
        service_code: "AmazonElastiCache",
        filters: &[("productFamily", "Cache Instance")],
        map: |a| {
            let engine = match a.get("cacheEngine") {
                "Redis" => "redis",
                "Valkey" => "valkey",
                "Memcached" => "memcached",
                _ => return vec![],
            };
            match a.get("instanceType") {
                "" => vec![],
                node => vec![target(Table::Elasticache, &[node, engine], "hour")],
            }
        },
    },
];

/// Whether AWS's unit (`Hrs`, `GB-Mo`, `IOPS-Mo`, `GiBps-mo`, `GB`,
/// `LCU-Hrs`) is the one a row is keyed in: a mismatch means the mapping
/// misread the product, and the row is not written.
fn same_unit(aws: &str, ours: &str) -> bool {
    let aws = aws.to_ascii_lowercase();
    let ours = ours.to_ascii_lowercase();
    if ours.ends_with("hour") {
        return aws.ends_with("hrs") || aws.ends_with("hours") || aws.ends_with("hour");
    }
    match ours.strip_suffix("-month") {
        Some(quantity) => aws == format!("{quantity}-mo") || aws == format!("{quantity}-month"),
        None => aws == ours,
    }
}

// The documented GetProducts item (see the module comment).
#[derive(Deserialize)]
struct PriceListItem {
    product: Product,
    #[serde(rename = "serviceCode")]
    service_code: String,
    #[serde(default)]
    terms: Terms,
    #[serde(rename = "publicationDate", default)]
    publication_date: String,
}

#[derive(Deserialize)]
struct Product {
    #[serde(rename = "productFamily", default)]
    product_family: String,
    #[serde(default)]
    attributes: HashMap<String, String>,
    sku: String,
}

#[derive(Deserialize, Default)]
struct Terms {
    #[serde(rename = "OnDemand", default)]
    on_demand: HashMap<String, Term>,
}

#[derive(Deserialize)]
struct Term {
    #[serde(rename = "priceDimensions", default)]
    price_dimensions: HashMap<String, Dimension>,
}

#[derive(Deserialize)]
struct Dimension {
    unit: String,
    #[serde(default)]
    description: String,
    #[serde(rename = "beginRange", default)]
    begin_range: String,
    #[serde(rename = "pricePerUnit", default)]
    price_per_unit: HashMap<String, String>,
}

/// The rows one GetProducts item gives.
fn rows_of(item: &str, region: &str, query: &Query) -> anyhow::Result<Vec<Row>> {
    let item: PriceListItem = serde_json::from_str(item).map_err(|error| {
        anyhow!(
            "an answer of GetProducts ({}) is not a price list item: {error}",
            query.service_code
        )
    })?;
    let mut attributes = item.product.attributes.clone();
    attributes
        .entry("productFamily".to_string())
        .or_insert_with(|| item.product.product_family.clone());
    let attributes = Attributes(&attributes);
    let dimensions: Vec<&Dimension> = item
        .terms
        .on_demand
        .values()
        .flat_map(|term| term.price_dimensions.values())
        .collect();
    let mut rows = Vec::new();
    for target in (query.map)(&attributes) {
        let Some(dimension) = dimensions.iter().find(|d| {
            let begin = if d.begin_range.is_empty() {
                "0"
            } else {
                d.begin_range.as_str()
            };
            begin == target.begin_range
        }) else {
            continue;
        };
        let Some(usd) = dimension.price_per_unit.get("USD") else {
            continue;
        };
        let Ok(usd) = Decimal::from_str(usd) else {
            continue;
        };
        if !same_unit(&dimension.unit, target.unit) {
            continue;
        }
        rows.push(Row {
            table: target.table,
            region: region.to_string(),
            key: target.key,
            usd: usd.normalize(),
            unit: target.unit.to_string(),
            service_code: item.service_code.clone(),
            sku: item.product.sku.clone(),
            aws_label: dimension.description.clone(),
            published: item.publication_date.clone(),
        });
    }
    Ok(rows)
}

/// What a refresh fetched.
pub struct Refreshed {
    pub file: PriceFile,
    /// Rows two products claimed with different prices, left out.
    pub conflicting: usize,
}

/// Fetch every query for every region. Fails with one line on the first
/// refused or failed call (a denied `pricing:GetProducts` names the action
/// and says the bundled table stays in use).
pub async fn refresh(
    config: &SdkConfig,
    endpoint: PricingEndpoint,
    regions: &[String],
    fetched_at: String,
    endpoint_url: Option<&str>,
    call_timeout: Duration,
) -> anyhow::Result<Refreshed> {
    let client = aws_sdk_pricing::Client::new(
        &config
            .to_builder()
            .region(aws_config::Region::new(endpoint.region()))
            .build(),
    );
    let limit = Arc::new(tokio::sync::Semaphore::new(CONCURRENT_QUERIES));
    let mut jobs = tokio::task::JoinSet::new();
    for index in 0..QUERIES.len() {
        for region in regions {
            let client = client.clone();
            let limit = limit.clone();
            let region = region.clone();
            let endpoint_url = endpoint_url.map(str::to_string);
            jobs.spawn(async move {
                let _permit = limit.acquire_owned().await;
                fetch(
                    &client,
                    &QUERIES[index],
                    &region,
                    endpoint,
                    endpoint_url.as_deref(),
                    call_timeout,
                )
                .await
            });
        }
    }
    let mut claimed: BTreeMap<(Table, String, Vec<String>), Option<Row>> = BTreeMap::new();
    let mut conflicting = 0;
    while let Some(joined) = jobs.join_next().await {
        let rows = joined.map_err(|error| anyhow!("a price query failed: {error}"))??;
        for row in rows {
            let key = (row.table, row.region.clone(), row.key.clone());
            match claimed.get(&key) {
                None => {
                    claimed.insert(key, Some(row));
                }
                Some(Some(first)) if first.usd != row.usd => {
                    conflicting += 1;
                    claimed.insert(key, None);
                }
                Some(_) => {}
            }
        }
    }
    let rows = claimed.into_values().flatten().collect();
    Ok(Refreshed {
        file: PriceFile::new(
            fetched_at,
            endpoint.region().to_string(),
            regions.to_vec(),
            rows,
        ),
        conflicting,
    })
}

/// Every page of one query in one region.
async fn fetch(
    client: &aws_sdk_pricing::Client,
    query: &Query,
    region: &str,
    endpoint: PricingEndpoint,
    endpoint_url: Option<&str>,
    call_timeout: Duration,
) -> anyhow::Result<Vec<Row>> {
    let filter = |field: &str, value: &str| {
        Filter::builder()
            .r#type(FilterType::TermMatch)
            .field(field)
            .value(value)
            .build()
            .expect("a filter with type, field and value")
    };
    let mut request = client
        .get_products()
        .service_code(query.service_code)
        .format_version("aws_v1")
        .max_results(100)
        .filters(filter("regionCode", region));
    for (field, value) in query.filters {
        request = request.filters(filter(field, value));
    }
    let mut pages = request.into_paginator().send();
    let mut rows = Vec::new();
    while let Some(page) = pages.next().await {
        let page = page.map_err(|error| {
            let action = GET_PRODUCTS.action.iam_name();
            match classify(&error) {
                ErrorClass::AccessDenied => anyhow!(
                    "{action} was denied ({}); nothing was refreshed and strata keeps using the bundled prices; grant {action} (`strata iam policy` lists it in its own statement) to refresh them",
                    crate::scan::error::code_or_status(&error)
                ),
                _ => anyhow!(explain(
                    &error,
                    &CallSite {
                        action: &action,
                        region: endpoint.region(),
                        endpoint: endpoint_url,
                        call_timeout,
                    }
                )),
            }
        })?;
        for item in page.price_list() {
            rows.extend(rows_of(item, region, query)?);
        }
    }
    Ok(rows)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn units_must_match_the_row() {
        assert!(same_unit("Hrs", "hour"));
        assert!(same_unit("LCU-Hrs", "LCU-hour"));
        assert!(same_unit("GB-Mo", "GB-month"));
        assert!(same_unit("GiBps-mo", "GiBps-month"));
        assert!(same_unit("GB", "GB"));
        assert!(!same_unit("GB-Mo", "hour"));
        assert!(!same_unit("Hrs", "GB"));
    }

    #[test]
    fn a_tiered_product_gives_one_row_per_tier() {
        let dimension = |begin: &str, usd: &str| {
            serde_json::json!({
                "unit": "GB", "beginRange": begin, "endRange": "Inf",
                "description": format!("$ {usd} per GB from {begin}"),
                "pricePerUnit": {"USD": usd}, "appliesTo": [], "rateCode": format!("X.Y.{begin}"),
            })
        };
        let item = serde_json::json!({
            "product": {"productFamily": "VpcEndpoint", "sku": "X",
                        "attributes": {"usagetype": "EUW1-VpcEndpoint-Bytes", "regionCode": "eu-west-1"}},
            "serviceCode": "AmazonVPC",
            "terms": {"OnDemand": {"X.Y": {"priceDimensions": {
                "X.Y.0": dimension("0", "0.0100000000"),
                "X.Y.1": dimension("1048576", "0.0060000000"),
                "X.Y.2": dimension("5242880", "0.0040000000"),
            }}}},
            "version": "20261101", "publicationDate": "2026-11-01T00:00:00Z",
        })
        .to_string();
        let query = QUERIES
            .iter()
            .find(|q| q.service_code == "AmazonVPC")
            .unwrap();
        let rows = rows_of(&item, "eu-west-1", query).unwrap();
        let found: Vec<(String, String)> = rows
            .iter()
            .map(|row| (row.key[1].clone(), row.usd.to_string()))
            .collect();
        assert_eq!(
            found,
            [
                (
                    "data-processed-first-1048576GB".to_string(),
                    "0.01".to_string()
                ),
                (
                    "data-processed-1048576-5242880GB".to_string(),
                    "0.006".to_string()
                ),
                (
                    "data-processed-over-5242880GB".to_string(),
                    "0.004".to_string()
                ),
            ]
        );
    }
}
