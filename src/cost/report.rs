//! The cost report of a snapshot (`strata cost`): every resource AWS
//! charges for, with its amount and basis, subtotals grouped by account,
//! region, VPC, service or a tag, the total, and the price sources used;
//! written as a terminal table, CSV, JSON or Markdown.
//!
//! Owns grouping and formatting; the amounts are the rules' ([`super::cost_of`]).
//! Amounts are exact in CSV and JSON and rounded to cents in the table and
//! Markdown; every total is the sum of exact amounts, rounded once.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;

use rust_decimal::{Decimal, RoundingStrategy};
use serde::Serialize;

use super::{Context, Cost, Period, Usage};
use crate::graph::{Fold, Node};
use crate::prices::{PriceBook, Source};
use crate::services::FrameLevel;
use crate::snapshot::{Resource, ResourceKind, Snapshot};

/// A way to group the report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum GroupBy {
    Account,
    Region,
    Vpc,
    Service,
    /// The value of this tag (`--by tag:team`).
    Tag(String),
}

impl GroupBy {
    /// The groupings shown when none is asked for.
    pub const DEFAULT: [GroupBy; 4] = [
        GroupBy::Account,
        GroupBy::Region,
        GroupBy::Vpc,
        GroupBy::Service,
    ];

    pub fn name(&self) -> String {
        match self {
            GroupBy::Account => "account".into(),
            GroupBy::Region => "region".into(),
            GroupBy::Vpc => "vpc".into(),
            GroupBy::Service => "service".into(),
            GroupBy::Tag(key) => format!("tag:{key}"),
        }
    }
}

impl std::str::FromStr for GroupBy {
    type Err = String;

    fn from_str(text: &str) -> Result<GroupBy, String> {
        Ok(match text {
            "account" => GroupBy::Account,
            "region" => GroupBy::Region,
            "vpc" => GroupBy::Vpc,
            "service" => GroupBy::Service,
            _ => match text.strip_prefix("tag:") {
                Some(key) if !key.is_empty() => GroupBy::Tag(key.to_string()),
                _ => {
                    return Err(format!(
                        "{text:?} is not a grouping: use account, region, vpc, service or tag:KEY"
                    ))
                }
            },
        })
    }
}

/// The format of the report.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, clap::ValueEnum)]
pub enum ReportFormat {
    /// Aligned text for a terminal.
    #[default]
    Table,
    Csv,
    Json,
    /// Tables for a pull request or a wiki.
    Markdown,
}

/// One resource in the report.
#[derive(Debug)]
pub struct Line<'a> {
    pub resource: &'a Resource,
    /// The VPC it lives in, from its own attributes or its holder's.
    pub vpc: Option<String>,
    pub cost: Cost,
}

/// One subtotal.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Subtotal {
    pub key: String,
    /// Sum over its priced resources (for services: over their charges).
    pub amount: Decimal,
    pub priced: usize,
    pub unpriced: usize,
}

/// A whole report.
#[derive(Debug)]
pub struct Report<'a> {
    pub period: Period,
    /// What the prices are, in one line.
    pub prices: String,
    pub lines: Vec<Line<'a>>,
    pub groups: Vec<(GroupBy, Vec<Subtotal>)>,
    pub total: Subtotal,
    /// Usage-based charges that apply and were not estimated, with how many
    /// resources each applies to.
    pub usage_not_estimated: BTreeMap<String, usize>,
    pub sources: BTreeSet<Source>,
}

impl<'a> Report<'a> {
    pub fn new(
        snapshot: &'a Snapshot,
        prices: &PriceBook,
        usage: Option<&Usage>,
        period: Period,
        groupings: &[GroupBy],
    ) -> Report<'a> {
        let context = Context::new(snapshot, usage);
        let lines: Vec<Line> = snapshot
            .resources
            .iter()
            .zip(vpcs(snapshot))
            .map(|(resource, vpc)| Line {
                resource,
                vpc,
                cost: super::cost_of(resource, prices, &context),
            })
            .filter(|line| line.cost.is_relevant())
            .collect();
        let groups = groupings
            .iter()
            .map(|by| (by.clone(), subtotals(&lines, by, period)))
            .collect();
        let mut total = Subtotal {
            key: "total".into(),
            ..Subtotal::default()
        };
        let mut usage_not_estimated = BTreeMap::new();
        let mut sources = BTreeSet::new();
        for line in &lines {
            match line.cost.amount(period) {
                Some(amount) => {
                    total.amount += amount;
                    total.priced += 1;
                }
                None => total.unpriced += 1,
            }
            for usage in line.cost.usage.iter().filter(|u| u.charge.is_none()) {
                *usage_not_estimated.entry(usage.what.clone()).or_insert(0) += 1;
            }
            sources.extend(line.cost.prices().map(|price| price.source.clone()));
        }
        total.amount = total.amount.normalize();
        Report {
            period,
            prices: prices.describe(),
            lines,
            groups,
            total,
            usage_not_estimated,
            sources,
        }
    }

    pub fn render(&self, format: ReportFormat) -> String {
        match format {
            ReportFormat::Table => self.table(),
            ReportFormat::Csv => self.csv(),
            ReportFormat::Json => self.json(),
            ReportFormat::Markdown => self.markdown(),
        }
    }

    fn per(&self) -> String {
        match self.period {
            Period::Month => "per month (730 h)".to_string(),
            period => format!("per {}", period.as_str()),
        }
    }

    fn usage_summary(&self) -> String {
        if self.usage_not_estimated.is_empty() {
            return String::new();
        }
        let parts: Vec<String> = self
            .usage_not_estimated
            .iter()
            .map(|(what, count)| format!("{what} ({count})"))
            .collect();
        format!(
            "usage-based charges not estimated (pass --usage to add them): {}",
            parts.join(", ")
        )
    }

    fn total_line(&self) -> String {
        let mut line = format!(
            "total {} USD {} for {} priced resources",
            cents(self.total.amount),
            self.per(),
            self.total.priced
        );
        if self.total.unpriced > 0 {
            let _ = write!(
                line,
                "; {} resources have no price and are not included",
                self.total.unpriced
            );
        }
        line
    }

    fn table(&self) -> String {
        let mut text = format!(
            "cost {}, USD, list prices\nprices: {}\n\n",
            self.per(),
            self.prices
        );
        let width = self
            .lines
            .iter()
            .map(|line| amount_text(&line.cost, self.period).len())
            .chain(
                self.groups
                    .iter()
                    .flat_map(|(_, rows)| rows.iter().map(|r| cents(r.amount).len())),
            )
            .max()
            .unwrap_or(4)
            .max(cents(self.total.amount).len());
        let kind_width = self
            .lines
            .iter()
            .map(|line| line.resource.kind().as_str().len())
            .max()
            .unwrap_or(0);
        for line in &self.lines {
            let resource = line.resource;
            let name = if resource.name == resource.id {
                printable(&resource.id)
            } else {
                printable(&format!("{} ({})", resource.name, resource.id))
            };
            let _ = writeln!(
                text,
                "{:>width$}  {:kind_width$}  {name}  {}/{}{}",
                amount_text(&line.cost, self.period),
                resource.kind().as_str(),
                resource.account,
                resource.region,
                line.vpc
                    .as_ref()
                    .map(|vpc| format!("/{vpc}"))
                    .unwrap_or_default(),
            );
            for detail in details(&line.cost, self.period) {
                let _ = writeln!(text, "{:width$}      {}", "", printable(&detail));
            }
        }
        for (by, rows) in &self.groups {
            let _ = writeln!(text, "\nby {}", by.name());
            for row in rows {
                let unpriced = if row.unpriced > 0 {
                    format!(" (+ {} without price)", row.unpriced)
                } else {
                    String::new()
                };
                let _ = writeln!(
                    text,
                    "{:>width$}  {}{unpriced}",
                    cents(row.amount),
                    printable(&row.key)
                );
            }
        }
        let _ = writeln!(text, "\n{}", self.total_line());
        let usage = self.usage_summary();
        if !usage.is_empty() {
            let _ = writeln!(text, "{usage}");
        }
        text.push_str("sources:\n");
        for source in &self.sources {
            let _ = writeln!(text, "  {source}");
        }
        text
    }

    fn markdown(&self) -> String {
        let mut text = format!(
            "### Cost {}, USD, list prices\n\nPrices: {}.\n\n| resource | kind | account | region | VPC | amount | basis |\n|---|---|---|---|---|---:|---|\n",
            self.per(),
            markdown_cell(&self.prices)
        );
        for line in &self.lines {
            let resource = line.resource;
            let _ = writeln!(
                text,
                "| {} | {} | {} | {} | {} | {} | {} |",
                markdown_cell(&resource.name),
                resource.kind(),
                resource.account,
                resource.region,
                markdown_cell(line.vpc.as_deref().unwrap_or("")),
                amount_text(&line.cost, self.period),
                details(&line.cost, self.period)
                    .iter()
                    .map(|detail| markdown_cell(detail))
                    .collect::<Vec<_>>()
                    .join("<br>"),
            );
        }
        for (by, rows) in &self.groups {
            let _ = write!(
                text,
                "\n| {} | amount | priced | no price |\n|---|---:|---:|---:|\n",
                by.name()
            );
            for row in rows {
                let _ = writeln!(
                    text,
                    "| {} | {} | {} | {} |",
                    markdown_cell(&row.key),
                    cents(row.amount),
                    row.priced,
                    row.unpriced
                );
            }
        }
        let _ = writeln!(text, "\n**{}**", markdown_cell(&self.total_line()));
        let usage = self.usage_summary();
        if !usage.is_empty() {
            let _ = writeln!(text, "\n{}", markdown_cell(&usage));
        }
        text.push_str("\nSources:\n");
        for source in &self.sources {
            let _ = writeln!(text, "- {}", markdown_cell(&source.to_string()));
        }
        text
    }

    fn csv(&self) -> String {
        let mut writer = csv::Writer::from_writer(Vec::new());
        let period = self.period.as_str();
        let header = [
            "row",
            "group",
            "key",
            "account",
            "region",
            "vpc",
            "kind",
            "id",
            "name",
            "amount_usd",
            "period",
            "basis",
            "usage",
            "unpriced",
            "notes",
        ];
        let mut rows: Vec<Vec<String>> = vec![header.iter().map(|h| h.to_string()).collect()];
        for line in &self.lines {
            let resource = line.resource;
            let cost = &line.cost;
            rows.push(vec![
                "resource".into(),
                String::new(),
                String::new(),
                resource.account.clone(),
                resource.region.clone(),
                line.vpc.clone().unwrap_or_default(),
                resource.kind().to_string(),
                resource.id.clone(),
                resource.name.clone(),
                cost.amount(self.period).map(exact).unwrap_or_default(),
                period.into(),
                cost.charges
                    .iter()
                    .map(|c| c.basis(self.period))
                    .collect::<Vec<_>>()
                    .join("; "),
                usage_texts(cost, self.period).join("; "),
                cost.unpriced.join("; "),
                cost.notes.join("; "),
            ]);
        }
        for (by, subtotals) in &self.groups {
            for row in subtotals {
                rows.push(subtotal_row("group", &by.name(), row, period));
            }
        }
        rows.push(subtotal_row("total", "", &self.total, period));
        for row in rows {
            writer.write_record(&row).expect("writing CSV to memory");
        }
        String::from_utf8(writer.into_inner().expect("flushing CSV to memory"))
            .expect("CSV of strings is UTF-8")
    }

    fn json(&self) -> String {
        #[derive(Serialize)]
        struct ChargeJson<'c> {
            what: &'c str,
            service: &'static str,
            amount: Decimal,
            basis: String,
            assumed: bool,
            price: &'c crate::prices::Price,
        }
        #[derive(Serialize)]
        struct UsageJson<'c> {
            what: &'c str,
            #[serde(skip_serializing_if = "Option::is_none")]
            charge: Option<ChargeJson<'c>>,
            #[serde(skip_serializing_if = "Option::is_none")]
            unpriced: Option<&'c str>,
        }
        #[derive(Serialize)]
        struct LineJson<'c> {
            id: &'c str,
            name: &'c str,
            kind: ResourceKind,
            account: &'c str,
            region: &'c str,
            vpc: Option<&'c str>,
            amount: Option<Decimal>,
            charges: Vec<ChargeJson<'c>>,
            usage: Vec<UsageJson<'c>>,
            unpriced: &'c [String],
            notes: &'c [String],
        }
        #[derive(Serialize)]
        struct ReportJson<'c> {
            schema: &'static str,
            period: &'static str,
            hours: u32,
            currency: &'static str,
            prices: &'c str,
            resources: Vec<LineJson<'c>>,
            groups: BTreeMap<String, &'c [Subtotal]>,
            total: &'c Subtotal,
            usage_not_estimated: &'c BTreeMap<String, usize>,
            sources: &'c BTreeSet<Source>,
        }
        fn charge(c: &super::Charge, period: Period) -> ChargeJson<'_> {
            ChargeJson {
                what: &c.what,
                service: c.service.as_str(),
                amount: c.amount(period).normalize(),
                basis: c.basis(period),
                assumed: c.assumed,
                price: &c.price,
            }
        }
        let period = self.period;
        let document = ReportJson {
            schema: "strata.cost/v1",
            period: period.as_str(),
            hours: period.hour_count(),
            currency: "USD",
            prices: &self.prices,
            resources: self
                .lines
                .iter()
                .map(|line| LineJson {
                    id: &line.resource.id,
                    name: &line.resource.name,
                    kind: line.resource.kind(),
                    account: &line.resource.account,
                    region: &line.resource.region,
                    vpc: line.vpc.as_deref(),
                    amount: line.cost.amount(period).map(|a| a.normalize()),
                    charges: line
                        .cost
                        .charges
                        .iter()
                        .map(|c| charge(c, period))
                        .collect(),
                    usage: line
                        .cost
                        .usage
                        .iter()
                        .map(|u| UsageJson {
                            what: &u.what,
                            charge: u.charge.as_ref().map(|c| charge(c, period)),
                            unpriced: u.unpriced.as_deref(),
                        })
                        .collect(),
                    unpriced: &line.cost.unpriced,
                    notes: &line.cost.notes,
                })
                .collect(),
            groups: self
                .groups
                .iter()
                .map(|(by, rows)| (by.name(), rows.as_slice()))
                .collect(),
            total: &self.total,
            usage_not_estimated: &self.usage_not_estimated,
            sources: &self.sources,
        };
        let mut text = serde_json::to_string_pretty(&document).expect("a cost report serializes");
        text.push('\n');
        text
    }
}

fn subtotal_row(row: &str, group: &str, subtotal: &Subtotal, period: &str) -> Vec<String> {
    let mut cells = vec![String::new(); 15];
    cells[0] = row.into();
    cells[1] = group.into();
    cells[2] = subtotal.key.clone();
    cells[9] = exact(subtotal.amount);
    cells[10] = period.into();
    cells[14] = format!(
        "{} priced, {} without price",
        subtotal.priced, subtotal.unpriced
    );
    cells
}

/// The subtotals of one grouping, sorted by key.
fn subtotals(lines: &[Line], by: &GroupBy, period: Period) -> Vec<Subtotal> {
    let key = |line: &Line| -> String {
        let resource = line.resource;
        match by {
            GroupBy::Account => resource.account.clone(),
            GroupBy::Region => format!("{}/{}", resource.account, resource.region),
            GroupBy::Vpc => format!(
                "{}/{}/{}",
                resource.account,
                resource.region,
                line.vpc.as_deref().unwrap_or("(no VPC)")
            ),
            GroupBy::Tag(key) => resource
                .tags
                .get(key)
                .map(|value| format!("{key}={value}"))
                .unwrap_or_else(|| format!("(no {key} tag)")),
            GroupBy::Service => resource.kind().pricing().service.as_str().to_string(),
        }
    };
    let mut rows: BTreeMap<String, Subtotal> = BTreeMap::new();
    fn row(rows: &mut BTreeMap<String, Subtotal>, key: String) -> &mut Subtotal {
        rows.entry(key.clone()).or_insert_with(|| Subtotal {
            key,
            ..Subtotal::default()
        })
    }
    for line in lines {
        match (line.cost.amount(period), by) {
            // A resource's charges can be billed under several services (an
            // instance's compute under EC2, its public address under VPC).
            (Some(_), GroupBy::Service) => {
                let mut services = BTreeSet::new();
                for charge in line
                    .cost
                    .charges
                    .iter()
                    .chain(line.cost.usage.iter().filter_map(|u| u.charge.as_ref()))
                {
                    row(&mut rows, charge.service.as_str().to_string()).amount +=
                        charge.amount(period);
                    services.insert(charge.service);
                }
                for service in services {
                    row(&mut rows, service.as_str().to_string()).priced += 1;
                }
            }
            (Some(amount), _) => {
                let row = row(&mut rows, key(line));
                row.amount += amount;
                row.priced += 1;
            }
            (None, _) => row(&mut rows, key(line)).unpriced += 1,
        }
    }
    rows.into_values()
        .map(|row| Subtotal {
            amount: row.amount.normalize(),
            ..row
        })
        .collect()
}

/// The VPC of each resource of `snapshot`, in order, where the graph places
/// it in one: the VPC frame above its node, or above the node it is drawn
/// as part of (a volume's instance, an address's holder).
fn vpcs(snapshot: &Snapshot) -> Vec<Option<String>> {
    let graph = crate::graph::build(snapshot);
    let nodes = graph.resource_nodes();
    let vpc_above = |start: &Node| -> Option<String> {
        let mut node = start;
        if let Fold::Into { host, .. } = &node.drawing.fold {
            node = graph.node(host)?;
        }
        loop {
            if node.kind.frame_level() == Some(FrameLevel::Vpc) {
                return node.resource_id.clone();
            }
            node = graph.node(node.parent.as_deref()?)?;
        }
    };
    snapshot
        .resources
        .iter()
        .map(|resource| {
            let key = (
                resource.kind(),
                resource.account.as_str(),
                resource.region.as_str(),
                resource.id.as_str(),
            );
            vpc_above(&graph.graph[*nodes.get(&key)?])
        })
        .collect()
}

/// `70.08`, or `no price`.
fn amount_text(cost: &Cost, period: Period) -> String {
    cost.amount(period)
        .map(cents)
        .unwrap_or_else(|| "no price".to_string())
}

/// Rounded to cents, half away from zero, always two decimals.
pub fn cents(amount: Decimal) -> String {
    let mut rounded = amount.round_dp_with_strategy(2, RoundingStrategy::MidpointAwayFromZero);
    rounded.rescale(2);
    rounded.to_string()
}

/// The exact amount, without trailing zeros.
fn exact(amount: Decimal) -> String {
    amount.normalize().to_string()
}

/// The lines under a resource: each charge's arithmetic, the usage charges,
/// what has no price and why, the notes.
fn details(cost: &Cost, period: Period) -> Vec<String> {
    let mut lines: Vec<String> = cost
        .charges
        .iter()
        .map(|c| format!("{} = {}", c.basis(period), exact(c.amount(period))))
        .collect();
    lines.extend(usage_texts(cost, period));
    lines.extend(
        cost.unpriced
            .iter()
            .map(|reason| format!("no price: {reason}")),
    );
    lines.extend(cost.notes.iter().cloned());
    lines
}

fn usage_texts(cost: &Cost, period: Period) -> Vec<String> {
    cost.usage
        .iter()
        .map(|usage| match (&usage.charge, &usage.unpriced) {
            (Some(charge), _) => format!(
                "+ {} = {}",
                charge.basis(period),
                exact(charge.amount(period))
            ),
            (None, Some(reason)) => format!("+ {} (no price: {reason})", usage.what),
            (None, None) => format!("+ {}", usage.what),
        })
        .collect()
}

/// Text safe inside a Markdown table cell: pipes, backslashes and markup
/// escaped, control characters shown as U+FFFD, no line breaks.
pub(crate) fn markdown_cell(text: &str) -> String {
    printable(text)
        .replace('\\', "\\\\")
        .replace('|', "\\|")
        .replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// Names are untrusted: control characters and bidirectional overrides
/// could drive a terminal or reorder a line, so they are shown as U+FFFD.
pub(crate) fn printable(text: &str) -> String {
    text.chars()
        .map(|c| {
            if c.is_control()
                || ('\u{202a}'..='\u{202e}').contains(&c)
                || ('\u{2066}'..='\u{2069}').contains(&c)
            {
                '\u{fffd}'
            } else {
                c
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn groupings_parse_and_say_what_is_allowed() {
        assert_eq!(
            "tag:team".parse::<GroupBy>(),
            Ok(GroupBy::Tag("team".into()))
        );
        assert_eq!("vpc".parse::<GroupBy>(), Ok(GroupBy::Vpc));
        assert!("tag:".parse::<GroupBy>().unwrap_err().contains("tag:KEY"));
    }

    #[test]
    fn untrusted_names_stay_text_in_markdown_and_on_a_terminal() {
        assert_eq!(
            markdown_cell("a|b <script>\n\u{1b}[31m"),
            "a\\|b &lt;script&gt;\u{fffd}\u{fffd}[31m"
        );
        assert_eq!(printable("evil\u{202e}txt\u{7}"), "evil\u{fffd}txt\u{fffd}");
    }

    #[test]
    fn cents_round_half_away_from_zero_once() {
        assert_eq!(cents(Decimal::new(337469, 3)), "337.47");
        assert_eq!(cents(Decimal::new(23725, 3)), "23.73");
        assert_eq!(cents(Decimal::new(5, 0)), "5.00");
    }
}
