//! The cost engine: what each scanned resource costs at list price, as exact
//! decimal amounts that keep their basis (the price rows used, the quantity,
//! the arithmetic) and their sources, plus the usage-based charges that apply
//! but cannot be read from Describe calls.
//!
//! Pure: a snapshot, a [`PriceBook`] and a [`Usage`] file in, one [`Cost`]
//! per resource out; no network, no clock, no AWS SDK. How each kind is
//! priced is its service's (`services/<service>/cost.rs`, reached through
//! the registry); this module owns the vocabulary ([`Cost`], [`Charge`],
//! [`Period`], [`Pricing`]) and the helpers rules share; which price rows
//! exist is `crate::prices`', the report `report`'s.
//!
//! A month is 730 hours (AWS's own convention on its pricing pages and in the
//! Pricing Calculator: 365 days × 24 h ÷ 12).

mod annotate;
pub mod report;
pub mod usage;

use std::collections::HashSet;
use std::sync::Arc;

use rust_decimal::Decimal;

use crate::prices::{NoPrice, Price, PriceBook, Table};
use crate::services::network::ElasticIpAttrs;
use crate::snapshot::{Resource, Snapshot};
pub use annotate::annotate;
pub use usage::Usage;

/// Hours in the month every monthly figure is quoted for.
pub const HOURS_PER_MONTH: u32 = 730;

/// The span an amount is quoted for.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, clap::ValueEnum)]
pub enum Period {
    Hour,
    Day,
    #[default]
    Month,
    Year,
}

impl Period {
    pub fn hour_count(self) -> u32 {
        match self {
            Period::Hour => 1,
            Period::Day => 24,
            Period::Month => HOURS_PER_MONTH,
            Period::Year => 12 * HOURS_PER_MONTH,
        }
    }

    pub fn hours(self) -> Decimal {
        Decimal::from(self.hour_count())
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Period::Hour => "hour",
            Period::Day => "day",
            Period::Month => "month",
            Period::Year => "year",
        }
    }
}

/// How a price accrues: by the hour (instances, load balancers, addresses)
/// or by the month (storage, provisioned IOPS, data per month).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Accrual {
    Hourly,
    Monthly,
}

/// The AWS service a charge is billed under, for grouping.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Service {
    Ec2,
    Ebs,
    Vpc,
    Elb,
    Rds,
    Elasticache,
}

impl Service {
    pub fn as_str(self) -> &'static str {
        match self {
            Service::Ec2 => "ec2",
            Service::Ebs => "ebs",
            Service::Vpc => "vpc",
            Service::Elb => "elb",
            Service::Rds => "rds",
            Service::Elasticache => "elasticache",
        }
    }
}

/// How a kind is billed: the service its charges (or, unpriced, its
/// absence) are grouped under, and the usage-file amounts that apply to it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Pricing {
    pub service: Service,
    /// Names of [`usage::Amounts`] fields: [`DATA_PROCESSED_GB`], [`LCU`].
    pub usage: &'static [&'static str],
}

impl Pricing {
    pub const fn billed(service: Service) -> Pricing {
        Pricing {
            service,
            usage: &[],
        }
    }

    pub const fn with_usage(self, usage: &'static [&'static str]) -> Pricing {
        Pricing { usage, ..self }
    }
}

/// The usage-file amount of GB processed per month.
pub const DATA_PROCESSED_GB: &str = "data_processed_gb";
/// The usage-file amount of average capacity units per hour.
pub const LCU: &str = "lcu";

/// One priced part of a resource's cost: a price row times a quantity.
#[derive(Debug, Clone, PartialEq)]
pub struct Charge {
    /// What is paid for: `m5.large Linux on-demand`, `gp3 IOPS above 3,000`.
    pub what: String,
    pub service: Service,
    pub price: Arc<Price>,
    /// How many of the price's unit per hour (hourly prices) or per month
    /// (monthly ones): addresses, zones, GiB, IOPS, GiB/s, LCUs, GB.
    pub quantity: Decimal,
    /// The quantity as a reviewer checks it: `100 GiB`, `(4000 − 3000)
    /// IOPS`, `(250 − 125) ÷ 1024 GiBps`; empty for one of a thing.
    pub quantity_text: String,
    pub accrual: Accrual,
    /// From the usage file: an assumption, not something the scan saw.
    pub assumed: bool,
}

impl Charge {
    /// A charge from a price row, accruing as its unit says.
    pub fn new(
        what: impl Into<String>,
        service: Service,
        price: Arc<Price>,
        quantity: Decimal,
        quantity_text: impl Into<String>,
    ) -> Charge {
        let accrual = if price.unit.ends_with("hour") {
            Accrual::Hourly
        } else {
            Accrual::Monthly
        };
        Charge {
            what: what.into(),
            service,
            price,
            quantity,
            quantity_text: quantity_text.into(),
            accrual,
            assumed: false,
        }
    }

    /// The charge for a usage-file quantity: monthly, marked as assumed.
    pub fn assumed(mut self) -> Charge {
        self.assumed = true;
        self
    }

    /// The amount over `period`, exact for hourly prices and for monthly
    /// prices over whole months; a month's share of a day or an hour is
    /// rounded to 10 decimal places.
    pub fn amount(&self, period: Period) -> Decimal {
        let per_unit = self.price.usd * self.quantity;
        match (self.accrual, period) {
            (Accrual::Hourly, _) => per_unit * period.hours(),
            (Accrual::Monthly, Period::Month) => per_unit,
            (Accrual::Monthly, Period::Year) => per_unit * Decimal::from(12),
            (Accrual::Monthly, Period::Hour | Period::Day) => {
                (per_unit * period.hours() / Decimal::from(HOURS_PER_MONTH)).round_dp(10)
            }
        }
    }

    /// The arithmetic: `m5.large Linux on-demand 0.096 USD/hour × 730 h`.
    pub fn basis(&self, period: Period) -> String {
        let assumed = if self.assumed { " (assumed usage)" } else { "" };
        let time = match (self.accrual, period) {
            (Accrual::Hourly, period) => format!(" × {} h", period.hours()),
            (Accrual::Monthly, Period::Month) => String::new(),
            (Accrual::Monthly, Period::Year) => " × 12 months".to_string(),
            (Accrual::Monthly, period) => {
                format!(" × {}/{HOURS_PER_MONTH} month", period.hours())
            }
        };
        let quantity = if self.quantity_text.is_empty() {
            String::new()
        } else {
            format!(" × {}", self.quantity_text)
        };
        format!(
            "{} {} USD/{}{quantity}{time}{assumed}",
            self.what,
            self.price.usd.normalize(),
            self.price.unit,
        )
    }
}

/// A usage-based charge: it applies to the resource, but how much cannot be
/// read from Describe calls. Priced only when the usage file gives an amount.
#[derive(Debug, Clone, PartialEq)]
pub struct UsageCharge {
    /// `data processed`, `LCUs`, `I/O requests`.
    pub what: String,
    /// From the usage file, when it names an amount and a price exists.
    pub charge: Option<Charge>,
    /// Why an amount given in the usage file could not be priced.
    pub unpriced: Option<String>,
}

impl UsageCharge {
    /// A usage charge priced from the usage file's amount (marked as
    /// assumed), or left unknown when the file gives none.
    pub fn given(
        what: impl Into<String>,
        amount: Option<Decimal>,
        charge: Result<Charge, String>,
    ) -> UsageCharge {
        let what = what.into();
        match (amount, charge) {
            (None, _) => UsageCharge::unknown(what),
            (Some(_), Ok(charge)) => UsageCharge {
                what,
                charge: Some(charge.assumed()),
                unpriced: None,
            },
            (Some(_), Err(reason)) => UsageCharge {
                what,
                charge: None,
                unpriced: Some(reason),
            },
        }
    }

    /// Applies, amount unknown.
    pub fn unknown(what: impl Into<String>) -> UsageCharge {
        UsageCharge {
            what: what.into(),
            charge: None,
            unpriced: None,
        }
    }
}

/// What one resource costs.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Cost {
    /// The fixed charges that were priced.
    pub charges: Vec<Charge>,
    /// Parts of the fixed cost with no price, and why (an unknown type, a
    /// region or platform the prices lack). Any makes the resource unpriced:
    /// its amount is not shown, not guessed, and not added to totals.
    pub unpriced: Vec<String>,
    /// Usage-based charges that apply.
    pub usage: Vec<UsageCharge>,
    /// Facts a reader needs to trust the figure: `stopped: no compute charge`.
    pub notes: Vec<String>,
}

impl Cost {
    /// The amount over `period`: fixed charges plus assumed usage, or `None`
    /// when part of the fixed cost has no price.
    pub fn amount(&self, period: Period) -> Option<Decimal> {
        if !self.unpriced.is_empty() {
            return None;
        }
        let fixed: Decimal = self.charges.iter().map(|c| c.amount(period)).sum();
        let usage: Decimal = self
            .usage
            .iter()
            .filter_map(|u| u.charge.as_ref())
            .map(|c| c.amount(period))
            .sum();
        Some(fixed + usage)
    }

    /// Whether the resource appears in a cost report at all: AWS charges
    /// for it, or might (usage), or strata has something to say about it.
    pub fn is_relevant(&self) -> bool {
        !(self.charges.is_empty()
            && self.unpriced.is_empty()
            && self.usage.is_empty()
            && self.notes.is_empty())
    }

    /// Every price used, fixed and usage, in order.
    pub fn prices(&self) -> impl Iterator<Item = &Arc<Price>> {
        self.charges
            .iter()
            .chain(self.usage.iter().filter_map(|u| u.charge.as_ref()))
            .map(|c| &c.price)
    }

    /// Add a charge, or the reason its price is missing.
    pub fn add(&mut self, charge: Result<Charge, String>) {
        match charge {
            Ok(charge) => self.charges.push(charge),
            Err(reason) => self.unpriced.push(reason),
        }
    }

    pub fn note(&mut self, note: impl Into<String>) {
        self.notes.push(note.into());
    }
}

/// Facts about the rest of the estate a rule may need, computed once.
#[derive(Debug, Default)]
pub struct Context<'a> {
    /// (account, region, public IP) of every Elastic IP in the snapshot:
    /// such an address is charged on the Elastic IP, not again on its holder.
    pub elastic_ips: HashSet<(&'a str, &'a str, &'a str)>,
    pub usage: Option<&'a Usage>,
}

impl<'a> Context<'a> {
    pub fn new(snapshot: &'a Snapshot, usage: Option<&'a Usage>) -> Context<'a> {
        let elastic_ips = snapshot
            .resources
            .iter()
            .filter_map(|resource| {
                let attrs = resource.attrs::<ElasticIpAttrs>()?;
                Some((
                    resource.account.as_str(),
                    resource.region.as_str(),
                    attrs.public_ip.as_str(),
                ))
            })
            .collect();
        Context { elastic_ips, usage }
    }

    /// Whether a public address is an Elastic IP the snapshot holds.
    pub fn is_elastic_ip(&self, resource: &Resource, public_ip: &str) -> bool {
        self.elastic_ips.contains(&(
            resource.account.as_str(),
            resource.region.as_str(),
            public_ip,
        ))
    }

    /// The usage file's amounts for this resource (its own entry over its kind's).
    pub fn usage_of(&self, resource: &Resource) -> usage::Amounts {
        self.usage
            .map(|usage| usage.amounts(resource))
            .unwrap_or_default()
    }
}

/// The cost of every resource, in snapshot order.
pub fn estimate(snapshot: &Snapshot, prices: &PriceBook, usage: Option<&Usage>) -> Vec<Cost> {
    let context = Context::new(snapshot, usage);
    snapshot
        .resources
        .iter()
        .map(|resource| cost_of(resource, prices, &context))
        .collect()
}

/// One resource's cost, by its service's rule for its kind.
pub fn cost_of(resource: &Resource, prices: &PriceBook, context: &Context) -> Cost {
    crate::services::cost(resource, prices, context)
}

/// A price row as a charge, or why it has none. `what` names the thing for
/// the reason (`instance type m9.huge`).
pub fn priced(
    prices: &PriceBook,
    table: Table,
    region: &str,
    key: &[&str],
    what: &str,
) -> Result<Arc<Price>, String> {
    prices
        .lookup(table, region, key)
        .map_err(|missing| match missing {
            NoPrice::Region { .. } => format!(
                "no {what} prices for region {region} ({missing}); run `strata prices refresh`"
            ),
            NoPrice::Row { .. } => format!("no price for {what} in {region} ({missing})"),
        })
}

/// One public IPv4 charge (`in-use-hour` or `idle-hour`). AWS has charged
/// every public IPv4 address by the hour since 1 February 2024, in use or
/// idle (AWS News Blog, "New – AWS Public IPv4 Address Charge"); each is
/// charged once: on the Elastic IP when the snapshot holds it, else on
/// whatever holds the address.
pub fn public_ipv4(
    prices: &PriceBook,
    region: &str,
    dimension: &str,
    count: Decimal,
    count_text: &str,
) -> Result<Charge, String> {
    let (what, label) = match dimension {
        "idle-hour" => ("public IPv4 address, idle", "public IPv4 (idle)"),
        _ => ("public IPv4 address", "public IPv4"),
    };
    priced(
        prices,
        Table::Network,
        region,
        &["public-ipv4", dimension],
        label,
    )
    .map(|price| Charge::new(what, Service::Vpc, price, count, count_text))
}

/// `1`, `2.5`: a decimal without trailing zeros.
pub fn number(value: Decimal) -> String {
    value.normalize().to_string()
}

#[cfg(test)]
mod tests;
