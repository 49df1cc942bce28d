//! The cost annotation of a graph: what each node costs at list price, the
//! figure the drawing shows on each tile and frame, and the estate's total.
//! Plain data, filled by `crate::cost::annotate` (which owns the pricing) and
//! read by the layout, the renderers and the graph JSON; nothing here prices
//! anything.

use std::collections::BTreeMap;

use rust_decimal::Decimal;
use serde::Serialize;

/// The costs of a graph's resources, per month of 730 hours, in USD.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Costs {
    /// Which prices were used, in one line (`bundled AWS list prices (…)`).
    pub prices: String,
    /// The dates of the prices used, oldest first (`2024-07-01`, …).
    pub dates: Vec<String>,
    /// Every resource of the snapshot, whether drawn or not.
    pub total: Figure,
    /// Each costed node's own estimate, by node id (the graph JSON's `cost`).
    pub estimates: BTreeMap<String, Estimate>,
    /// What the drawing shows, by node id: a tile's own cost plus what was
    /// folded into it (an instance's volumes); a frame's subtotal of
    /// everything inside it.
    pub figures: BTreeMap<String, Figure>,
}

/// An amount with the resources it could not price.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Figure {
    /// The sum of the priced resources.
    pub amount: Decimal,
    /// Resources with no price, not in `amount`.
    pub unpriced: usize,
    /// Resources in `amount`.
    pub priced: usize,
}

impl Figure {
    pub fn add(&mut self, other: Figure) {
        self.amount += other.amount;
        self.unpriced += other.unpriced;
        self.priced += other.priced;
    }

    /// `$73/mo`, `$3.65/mo`, `$1,204/mo`; `no price` when nothing in it is
    /// priced and something is not.
    pub fn monthly_text(&self) -> String {
        if self.priced == 0 && self.unpriced > 0 {
            return "no price".to_string();
        }
        format!("{}/mo", dollars(self.amount))
    }
}

/// `$1,204` from 10 dollars up, `$3.65` below: a tile shows the magnitude,
/// the report and the JSON the exact amount.
pub fn dollars(amount: Decimal) -> String {
    if amount >= Decimal::TEN {
        let whole = amount
            .round_dp_with_strategy(0, rust_decimal::RoundingStrategy::MidpointAwayFromZero)
            .to_string();
        let digits: Vec<char> = whole.chars().collect();
        let mut grouped = String::new();
        for (index, digit) in digits.iter().enumerate() {
            if index > 0 && (digits.len() - index).is_multiple_of(3) {
                grouped.push(',');
            }
            grouped.push(*digit);
        }
        format!("${grouped}")
    } else {
        let mut cents =
            amount.round_dp_with_strategy(2, rust_decimal::RoundingStrategy::MidpointAwayFromZero);
        cents.rescale(2);
        format!("${cents}")
    }
}

/// One node's cost as the graph JSON writes it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Estimate {
    /// Per month; `None` when part of its fixed cost has no price.
    pub amount: Option<Decimal>,
    pub period: &'static str,
    pub hours: u32,
    pub currency: &'static str,
    pub charges: Vec<EstimatedCharge>,
    /// Usage-based charges that apply, with the amount the usage file gave
    /// (then also in `charges`, marked assumed) or without (not estimated).
    pub usage: Vec<String>,
    /// Why part of it has no price.
    pub unpriced: Vec<String>,
    pub notes: Vec<String>,
}

/// One priced part of a node's cost (read back by `strata diff` from a
/// graph JSON).
#[derive(Debug, Clone, PartialEq, Serialize, serde::Deserialize)]
pub struct EstimatedCharge {
    pub what: String,
    pub amount: Decimal,
    /// The arithmetic: `m5.large Linux on-demand 0.096 USD/hour × 730 h`.
    pub basis: String,
    /// From the usage file, not from the scan.
    pub assumed: bool,
    /// The price's source, as `strata cost` names it.
    pub source: String,
    /// `YYYY-MM-DD`.
    pub date: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn figures_read_as_a_magnitude() {
        let text = |cents: i64| dollars(Decimal::new(cents, 2));
        assert_eq!(text(365), "$3.65");
        assert_eq!(text(999), "$9.99");
        assert_eq!(text(1000), "$10");
        assert_eq!(text(7373), "$74");
        assert_eq!(text(120_449), "$1,204");
        assert_eq!(text(123_456_789), "$1,234,568");
        let unpriced = Figure {
            unpriced: 1,
            ..Figure::default()
        };
        assert_eq!(unpriced.monthly_text(), "no price");
    }
}
