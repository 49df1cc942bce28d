//! The header bar (who, where, when, how much, and whether the scan saw
//! everything) and the legend (edge styles, category colours, badges),
//! fitted around the placed picture.

use crate::graph::costs::{dollars, Figure};
use crate::graph::{EdgeKind, Graph};
use crate::layout::scene::Scene;
use crate::layout::shelf::{Placed, HEADER_H};
use crate::layout::{
    BadgeBox, Category, Font, Header, Legend, LegendEdge, LegendSwatch, Point, Rect, Status,
    TextLine,
};

const MIN_WIDTH: f64 = 960.0;
const MARGIN: f64 = 24.0;

/// Header, legend and the final picture size. The picture is at least
/// `MIN_WIDTH` wide so the header and legend read well.
pub fn frame(scene: &Scene, placed: &Placed, graph: &Graph) -> (Header, Legend, f64, f64) {
    let content = placed
        .shelves
        .first()
        .map_or(Rect::new(0.0, HEADER_H, MIN_WIDTH, 200.0), |s| s.rect);
    let width = content.right().max(MIN_WIDTH);
    let legend_top = content.bottom() + 8.0;
    let legend = legend(scene, graph, MARGIN, legend_top, width - 2.0 * MARGIN);
    let height = legend.rect.bottom() + MARGIN;
    (header(scene, graph, width), legend, width, height)
}

fn header(scene: &Scene, graph: &Graph, width: f64) -> Header {
    let scan = &graph.scan;
    let accounts: Vec<String> = scan
        .accounts
        .iter()
        .map(|a| {
            if a.name.is_empty() || a.name == a.id {
                a.id.clone()
            } else {
                format!("{} ({})", a.name, a.id)
            }
        })
        .collect();
    let title = match scan.accounts.as_slice() {
        [] => "AWS estate".to_string(),
        [only] if !only.name.is_empty() => only.name.clone(),
        [only] => only.id.clone(),
        many => format!("{} accounts", many.len()),
    };
    let scanned = if scan.finished_at.is_empty() {
        scan.started_at.replace('T', " ")
    } else {
        scan.finished_at.replace('T', " ")
    };
    let mut parts = Vec::new();
    if !accounts.is_empty() {
        parts.push(format!(
            "account{} {}",
            if accounts.len() == 1 { "" } else { "s" },
            accounts.join(", ")
        ));
    }
    // The total early: a narrow picture cuts the end of the line.
    if let Some(costs) = &graph.costs {
        parts.push(estate_cost(&costs.total));
    }
    if !scan.regions.is_empty() {
        parts.push(scan.regions.join(", "));
    }
    if !scanned.is_empty() {
        parts.push(format!("scanned {scanned}"));
    }
    parts.push(format!(
        "{} resource{} · {} link{}",
        scene.resource_count,
        if scene.resource_count == 1 { "" } else { "s" },
        scene.edges.len(),
        if scene.edges.len() == 1 { "" } else { "s" }
    ));
    let limited = !scan.skipped.is_empty() || !scan.failed_regions.is_empty() || !scan.complete;
    let access = if limited {
        let mut what = Vec::new();
        if !scan.skipped.is_empty() {
            what.push(format!(
                "{} call{} refused",
                scan.skipped.len(),
                if scan.skipped.len() == 1 { "" } else { "s" }
            ));
        }
        if !scan.failed_regions.is_empty() {
            what.push(format!(
                "{} region{} failed",
                scan.failed_regions.len(),
                if scan.failed_regions.len() == 1 {
                    ""
                } else {
                    "s"
                }
            ));
        }
        if !scan.complete {
            what.push("scan cut short".into());
        }
        format!("limited access: {}", what.join(", "))
    } else {
        "full access ✓".to_string()
    };
    let mut tooltip: Vec<String> = parts.clone();
    for skipped in &scan.skipped {
        tooltip.push(format!(
            "skipped {} in {} {}: {} ({} left out)",
            skipped.action, skipped.account, skipped.region, skipped.reason, skipped.left_out
        ));
    }
    for failed in &scan.failed_regions {
        tooltip.push(format!(
            "region {} of {} failed: {}",
            failed.region, failed.account, failed.error
        ));
    }
    let access_font = Font::bold(12.0);
    let access_line = TextLine::fitted(&access, 0.0, 32.0, access_font, width * 0.4);
    let access_x = width - 20.0 - access_line.width;
    let access_line = TextLine {
        x: access_x,
        ..access_line
    };
    let title_line = TextLine::fitted(&title, 20.0, 32.0, Font::bold(16.0), width * 0.25);
    let summary_x = title_line.x + title_line.width + 16.0;
    let summary = TextLine::fitted(
        &parts.join(" · "),
        summary_x,
        32.0,
        Font::regular(12.5),
        (access_x - 16.0 - summary_x).max(0.0),
    );
    Header {
        rect: Rect::new(0.0, 0.0, width, HEADER_H),
        title: title_line,
        summary,
        access: access_line,
        limited,
        tooltip: tooltip.join("\n"),
    }
}

/// `est. $2,418/mo`, with the resources it leaves out.
fn estate_cost(total: &Figure) -> String {
    let unpriced = match total.unpriced {
        0 => String::new(),
        1 => " (1 resource unpriced)".to_string(),
        n => format!(" ({n} resources unpriced)"),
    };
    format!("est. {}/mo{unpriced}", dollars(total.amount))
}

/// Legend entries flow left to right and wrap within `width`.
fn legend(scene: &Scene, graph: &Graph, x: f64, y: f64, width: f64) -> Legend {
    const ROW_H: f64 = 22.0;
    let font = Font::regular(11.0);
    let mut cursor = Point::new(x + 14.0, y + 24.0);
    let right = x + width - 14.0;
    let advance = |cursor: &mut Point, needed: f64| {
        if cursor.x + needed > right && cursor.x > x + 14.0 {
            cursor.x = x + 14.0;
            cursor.y += ROW_H;
        }
        let at = *cursor;
        cursor.x += needed + 22.0;
        at
    };
    let mut edges = Vec::new();
    // Only what the picture holds: edge kinds drawn, colours of the tiles
    // drawn, badges shown.
    let mut kinds: Vec<EdgeKind> = scene.edges.iter().map(|e| e.kind).collect();
    kinds.sort();
    kinds.dedup();
    let categories: Vec<Category> = Category::ALL
        .into_iter()
        .filter(|category| {
            scene
                .tiles
                .iter()
                .any(|tile| tile.kind.look().category == *category)
        })
        .collect();
    let shown_badges: Vec<Status> = Status::MARKED
        .into_iter()
        .filter(|badge| scene.tiles.iter().any(|tile| tile.badge == Some(*badge)))
        .collect();
    for kind in kinds {
        let text = kind.meaning();
        let needed = 40.0 + font.measure(text);
        let at = advance(&mut cursor, needed);
        edges.push(LegendEdge {
            kind,
            from: Point::new(at.x, at.y - 4.0),
            to: Point::new(at.x + 32.0, at.y - 4.0),
            text: TextLine::fitted(text, at.x + 40.0, at.y, font, width),
        });
    }
    cursor = Point::new(x + 14.0, cursor.y + ROW_H);
    let mut swatches = Vec::new();
    for category in categories {
        let text = category.as_str();
        let at = advance(&mut cursor, 18.0 + font.measure(text));
        swatches.push(LegendSwatch {
            category,
            swatch: Rect::new(at.x, at.y - 10.0, 12.0, 12.0),
            text: TextLine::fitted(text, at.x + 18.0, at.y, font, width),
        });
    }
    let mut badges = Vec::new();
    let badge_font = Font::bold(8.5);
    let mut notes = Vec::new();
    for badge in shown_badges {
        let label_width = badge_font.measure(badge.as_str()) + 10.0;
        let meaning = badge.meaning();
        let at = advance(&mut cursor, label_width + 6.0 + font.measure(meaning));
        let rect = Rect::new(at.x, at.y - 10.5, label_width, 14.0);
        badges.push(BadgeBox {
            badge,
            rect,
            text: TextLine::fitted(
                badge.as_str(),
                rect.x + 5.0,
                rect.y + 10.5,
                badge_font,
                label_width,
            ),
        });
        notes.push(TextLine::fitted(
            meaning,
            rect.right() + 6.0,
            at.y,
            font,
            width,
        ));
    }
    let mut remarks = vec![
        "target groups are drawn as their load balancer's edges; security groups as allows edges; interfaces, volumes and Elastic IPs inside their instance".to_string(),
        format!("allows edges to or from {} or more resources of one subnet are drawn to or from the subnet", crate::layout::scene::AGGREGATE_AT),
    ];
    if scene.not_drawn > 0 {
        remarks.push(format!(
            "{} detached volume(s) or unassociated address(es) not drawn",
            scene.not_drawn
        ));
    }
    if let Some(costs) = &graph.costs {
        remarks.push(format!(
            "costs per month (730 h) at on-demand list prices: {}, dated {}; usage-based charges (data, requests, LCUs) not included unless a usage file gives them",
            costs.prices,
            match costs.dates.as_slice() {
                [] => "—".to_string(),
                [only] => only.clone(),
                [first, .., last] => format!("{first} to {last}"),
            }
        ));
    }
    if scene.empty_default_vpcs > 0 {
        remarks.push(format!(
            "{} empty default VPC(s) not drawn",
            scene.empty_default_vpcs
        ));
    }
    for remark in remarks {
        cursor = Point::new(x + 14.0, cursor.y + ROW_H);
        notes.push(TextLine::fitted(
            &remark,
            cursor.x,
            cursor.y,
            Font::regular(10.5),
            width - 28.0,
        ));
    }
    Legend {
        rect: Rect::new(x, y, width, cursor.y + 14.0 - y),
        edges,
        swatches,
        badges,
        notes,
    }
}
