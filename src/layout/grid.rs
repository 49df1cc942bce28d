//! One VPC as a grid: availability zones are columns, subnet tiers are rows
//! (public, private, isolated), a subnet is a cell and its resources are
//! tiles in a sub-grid of the cell. Load balancers and clusters sit in
//! lanes just below their tier's cells, spanning the zone columns of their
//! subnets;
//! gateways, endpoints and peerings sit in a row under the VPC's top border.
//!
//! Every tile of the VPC lies on one global grid of rows and columns (all
//! cells of a zone share column positions, all cells of a tier share row
//! positions), so between any two rows there is a horizontal line that
//! crosses no tile across the whole VPC, and between any two columns a
//! vertical line that crosses no tile except lane tiles spanning it. The
//! router walks those lines; this module records them.

use std::collections::HashMap;

use crate::graph::NodeKind;
use crate::layout::scene::{Tier, VpcSpec};
use crate::layout::{Frame, Rect};

/// The narrowest a tile is; it grows with its text up to [`MAX_TILE_W`].
pub const TILE_W: f64 = 184.0;
/// Wider than this a tile's text is shortened instead.
pub const MAX_TILE_W: f64 = 320.0;
pub const TILE_H: f64 = 52.0;
/// Between tile columns of one zone (and between neighbouring subnets).
const COL_GAP: f64 = 44.0;
/// Between the last column of a zone and the first of the next.
const ZONE_GAP: f64 = 64.0;
const ROW_GAP: f64 = 32.0;
/// Between a tier's cells (or the zone titles) and a lane below them.
const LANE_GAP: f64 = 28.0;
const CELL_PAD: f64 = 10.0;
const SUBNET_LABEL: f64 = 20.0;
const ZONE_PAD: f64 = 8.0;
const ZONE_LABEL: f64 = 22.0;
const VPC_SIDE: f64 = 32.0;
pub const VPC_LABEL: f64 = 26.0;
/// Width over height the grid aims for.
const VPC_ASPECT: f64 = 1.6;

/// One row of tiles and the clear lines above and below it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Row {
    pub top: f64,
    pub bottom: f64,
    /// A horizontal line crossing no tile, between this row and the one above.
    pub above: f64,
    /// Between this row and the one below.
    pub below: f64,
}

/// A frame inside the VPC (zone column or subnet cell).
#[derive(Debug, Clone)]
pub struct GridFrame {
    pub id: String,
    pub kind: NodeKind,
    pub parent: String,
    pub frame: Frame,
    pub rect: Rect,
    pub title: String,
    pub tooltip: String,
}

/// Where a subnet's cell is, by rows.
#[derive(Debug, Clone, Copy)]
pub struct Cell {
    pub rect: Rect,
    pub first_row: usize,
    pub last_row: usize,
}

/// A VPC laid out; coordinates are relative until [`Grid::shift`] places it.
#[derive(Debug, Clone)]
pub struct Grid {
    pub rect: Rect,
    pub frames: Vec<GridFrame>,
    /// Scene tile index → its rectangle and row.
    pub tiles: Vec<(usize, Rect, usize)>,
    pub rows: Vec<Row>,
    /// x of every vertical clear line: left padding, between columns, right padding.
    pub gutters: Vec<f64>,
    /// How far tracks may spread either side of each gutter and keep off
    /// the tiles and frame borders beside it.
    pub gutter_room: Vec<f64>,
    /// `(row, first, last)`: a lane tile in `row` covers gutters `first..=last`.
    pub blocked: Vec<(usize, usize, usize)>,
    /// Subnet id → its cell.
    pub cells: HashMap<String, Cell>,
}

impl Grid {
    pub fn shift(&mut self, dx: f64, dy: f64) {
        self.rect = self.rect.shifted(dx, dy);
        for frame in &mut self.frames {
            frame.rect = frame.rect.shifted(dx, dy);
        }
        for tile in &mut self.tiles {
            tile.1 = tile.1.shifted(dx, dy);
        }
        for row in &mut self.rows {
            row.top += dy;
            row.bottom += dy;
            row.above += dy;
            row.below += dy;
        }
        for gutter in &mut self.gutters {
            *gutter += dx;
        }
        for cell in self.cells.values_mut() {
            cell.rect = cell.rect.shifted(dx, dy);
        }
    }

    /// Whether the vertical line `gutter` is clear of lane tiles between
    /// heights `y1` and `y2`.
    pub fn gutter_clear(&self, gutter: usize, y1: f64, y2: f64) -> bool {
        let (low, high) = if y1 < y2 { (y1, y2) } else { (y2, y1) };
        self.blocked.iter().all(|&(row, first, last)| {
            let row = self.rows[row];
            !(first <= gutter && gutter <= last && row.top < high && row.bottom > low)
        })
    }

    /// The clear gutter between heights `y1` and `y2` nearest to `x`. The
    /// outer gutters are never blocked, so there always is one.
    pub fn gutter_near(&self, x: f64, y1: f64, y2: f64) -> f64 {
        let mut best: Option<(f64, f64)> = None;
        for (index, &gutter) in self.gutters.iter().enumerate() {
            let distance = (gutter - x).abs();
            if best.is_none_or(|(d, _)| distance < d) && self.gutter_clear(index, y1, y2) {
                best = Some((distance, gutter));
            }
        }
        best.map_or(self.gutters[0], |(_, gutter)| gutter)
    }
}

/// Columns of each subnet, for a given cap on columns per subnet.
struct Columns {
    /// Per zone, per tier present: `(tier, per subnet columns)`.
    zone_cols: Vec<usize>,
    subnet_cols: Vec<Vec<usize>>,
    tier_rows: Vec<(Tier, usize)>,
}

fn tiers_present(spec: &VpcSpec) -> Vec<Tier> {
    let mut tiers: Vec<Tier> = spec
        .zones
        .iter()
        .flat_map(|z| z.subnets.iter().map(|s| s.tier))
        .chain(spec.lanes.iter().map(|l| l.tier))
        .collect();
    tiers.sort();
    tiers.dedup();
    tiers
}

fn columns(spec: &VpcSpec, tiers: &[Tier], cap: usize) -> Columns {
    let zone_count = spec.zones.len().max(1);
    let mut zone_cols = vec![1usize; zone_count];
    if spec.zones.is_empty() {
        zone_cols[0] = spec.border.len().clamp(1, 4);
    }
    let mut subnet_cols: Vec<Vec<usize>> = Vec::new();
    for (z, zone) in spec.zones.iter().enumerate() {
        let wanted: Vec<usize> = zone
            .subnets
            .iter()
            .map(|s| s.tiles.len().clamp(1, cap))
            .collect();
        for &tier in tiers {
            let width: usize = zone
                .subnets
                .iter()
                .zip(&wanted)
                .filter(|(s, _)| s.tier == tier)
                .map(|(_, w)| w)
                .sum();
            zone_cols[z] = zone_cols[z].max(width);
        }
        subnet_cols.push(wanted);
    }
    // Cells of a tier fill the zone's width: spare columns go to the first
    // subnets, so neighbouring cells line up.
    for (z, zone) in spec.zones.iter().enumerate() {
        for &tier in tiers {
            let members: Vec<usize> = (0..zone.subnets.len())
                .filter(|&s| zone.subnets[s].tier == tier)
                .collect();
            if members.is_empty() {
                continue;
            }
            let used: usize = members.iter().map(|&s| subnet_cols[z][s]).sum();
            for extra in 0..zone_cols[z].saturating_sub(used) {
                subnet_cols[z][members[extra % members.len()]] += 1;
            }
        }
    }
    let tier_rows = tiers
        .iter()
        .map(|&tier| {
            let rows = spec
                .zones
                .iter()
                .enumerate()
                .flat_map(|(z, zone)| {
                    let cols = &subnet_cols[z];
                    zone.subnets
                        .iter()
                        .enumerate()
                        .filter(move |(_, s)| s.tier == tier)
                        .map(move |(s, subnet)| subnet.tiles.len().div_ceil(cols[s].max(1)).max(1))
                })
                .max()
                .unwrap_or(0);
            (tier, rows)
        })
        .collect();
    Columns {
        zone_cols,
        subnet_cols,
        tier_rows,
    }
}

/// One lane row: `(first zone, last zone, tile)` of each spanning tile.
type LaneRow = Vec<(usize, usize, usize)>;

/// Lanes of each tier: rows of spanning tiles whose zone ranges don't meet.
fn lane_rows(spec: &VpcSpec, tier: Tier) -> Vec<LaneRow> {
    let last_zone = spec.zones.len().saturating_sub(1);
    let mut spans: Vec<(usize, usize, usize)> = spec
        .lanes
        .iter()
        .filter(|l| l.tier == tier)
        .map(|l| {
            let first = l.zones.iter().min().copied().unwrap_or(0);
            let last = l.zones.iter().max().copied().unwrap_or(last_zone);
            (first, last, l.tile)
        })
        .collect();
    spans.sort();
    let mut rows: Vec<LaneRow> = Vec::new();
    for span in spans {
        match rows
            .iter_mut()
            .find(|row| row.iter().all(|other| span.0 > other.1 || span.1 < other.0))
        {
            Some(row) => row.push(span),
            None => rows.push(vec![span]),
        }
    }
    rows
}

/// Lay out one VPC at the origin; `widths[t]` is the width scene tile `t`
/// wants for its text (a column is as wide as its widest tile).
pub fn layout(spec: &VpcSpec, widths: &[f64]) -> Grid {
    let tiers = tiers_present(spec);
    let lanes: Vec<(Tier, Vec<LaneRow>)> = tiers.iter().map(|&t| (t, lane_rows(spec, t))).collect();
    let lane_count: usize = lanes.iter().map(|(_, rows)| rows.len()).sum();
    // Pick the per-subnet column cap that brings the VPC closest to a
    // screen's shape.
    let largest = spec
        .zones
        .iter()
        .flat_map(|z| z.subnets.iter().map(|s| s.tiles.len()))
        .max()
        .unwrap_or(1)
        .max(1);
    let mut best: Option<(f64, usize)> = None;
    for cap in 1..=largest.min(48) {
        let cols = columns(spec, &tiers, cap);
        let total_cols: usize = cols.zone_cols.iter().sum();
        let border_rows = spec.border.len().div_ceil(total_cols.max(1));
        let rows: usize =
            cols.tier_rows.iter().map(|(_, r)| r).sum::<usize>() + border_rows + lane_count;
        let width = total_cols as f64 * (TILE_W + COL_GAP) + cols.zone_cols.len() as f64 * 40.0;
        let height = rows as f64 * (TILE_H + ROW_GAP) + cols.tier_rows.len() as f64 * 40.0 + 60.0;
        let miss = ((width / height) / VPC_ASPECT).ln().abs();
        if best.is_none_or(|(m, _)| miss < m - 1e-9) {
            best = Some((miss, cap));
        }
    }
    let cap = best.map_or(1, |(_, cap)| cap);
    let cols = columns(spec, &tiers, cap);
    let col_w = column_widths(spec, tiers_present(spec).as_slice(), &cols, widths);
    build(spec, &tiers, &cols, &lanes, &col_w)
}

/// Width of every tile column: its widest tile's text, within bounds.
fn column_widths(spec: &VpcSpec, tiers: &[Tier], cols: &Columns, widths: &[f64]) -> Vec<f64> {
    let total: usize = cols.zone_cols.iter().sum();
    let mut col_w = vec![TILE_W; total];
    let mut widen = |column: usize, tile: usize| {
        if let (Some(w), Some(&wanted)) = (col_w.get_mut(column), widths.get(tile)) {
            *w = w.max(wanted.min(MAX_TILE_W));
        }
    };
    let mut first = 0;
    for (z, zone) in spec.zones.iter().enumerate() {
        for &tier in tiers {
            let mut column = first;
            for (s, subnet) in zone.subnets.iter().enumerate() {
                if subnet.tier != tier {
                    continue;
                }
                let span = cols.subnet_cols[z][s].max(1);
                for (i, &tile) in subnet.tiles.iter().enumerate() {
                    widen(column + i % span, tile);
                }
                column += span;
            }
        }
        first += cols.zone_cols[z];
    }
    for chunk in spec.border.chunks(total.max(1)) {
        let offset = (total - chunk.len()) / 2;
        for (i, &tile) in chunk.iter().enumerate() {
            widen(offset + i, tile);
        }
    }
    col_w
}

fn build(
    spec: &VpcSpec,
    tiers: &[Tier],
    cols: &Columns,
    lanes: &[(Tier, Vec<LaneRow>)],
    col_w: &[f64],
) -> Grid {
    // Columns: x of every tile column, and each zone's first column.
    let mut col_x: Vec<f64> = Vec::new();
    let mut zone_first: Vec<usize> = Vec::new();
    let mut x = VPC_SIDE + ZONE_PAD + CELL_PAD;
    for (z, &count) in cols.zone_cols.iter().enumerate() {
        if z > 0 {
            x += ZONE_GAP - COL_GAP;
        }
        zone_first.push(col_x.len());
        for _ in 0..count {
            col_x.push(x);
            x += col_w[col_x.len() - 1] + COL_GAP;
        }
    }
    let right = x - COL_GAP;
    let width = right + CELL_PAD + ZONE_PAD + VPC_SIDE;
    let zone_cols_range = |z: usize| (zone_first[z], zone_first[z] + cols.zone_cols[z] - 1);
    let mut gutters = vec![VPC_SIDE / 2.0];
    // Between the VPC's border and the zone's; between two zones' borders;
    // between two subnets' borders (or inside one cell).
    let outer_room = VPC_SIDE / 2.0 - 3.0;
    let mut gutter_room = vec![outer_room];
    for c in 1..col_x.len() {
        gutters.push((col_x[c - 1] + col_w[c - 1] + col_x[c]) / 2.0);
        let between_zones = zone_first.contains(&c);
        let borders = CELL_PAD + if between_zones { ZONE_PAD } else { 0.0 };
        gutter_room.push((col_x[c] - col_x[c - 1] - col_w[c - 1]) / 2.0 - borders - 3.0);
    }
    gutters.push(width - VPC_SIDE / 2.0);
    gutter_room.push(outer_room);

    let mut grid = Grid {
        rect: Rect::default(),
        frames: Vec::new(),
        tiles: Vec::new(),
        rows: Vec::new(),
        gutters,
        gutter_room,
        blocked: Vec::new(),
        cells: HashMap::new(),
    };
    let push_row = |grid: &mut Grid, top: f64, above: f64| {
        if let Some(previous) = grid.rows.last_mut() {
            previous.below = above;
        }
        grid.rows.push(Row {
            top,
            bottom: top + TILE_H,
            above,
            below: 0.0,
        });
        grid.rows.len() - 1
    };

    // Border row(s): gateways, endpoints, peerings.
    let mut cursor = VPC_LABEL;
    let mut last_tile_bottom = VPC_LABEL;
    for chunk in spec.border.chunks(col_x.len().max(1)) {
        let top = if grid.rows.is_empty() {
            VPC_LABEL + 14.0
        } else {
            last_tile_bottom + ROW_GAP
        };
        let row = push_row(&mut grid, top, top - 10.0);
        // Centre a short border row over the VPC.
        let offset = (col_x.len() - chunk.len()) / 2;
        for (i, &tile) in chunk.iter().enumerate() {
            grid.tiles.push((
                tile,
                Rect::new(col_x[offset + i], top, col_w[offset + i], TILE_H),
                row,
            ));
        }
        last_tile_bottom = top + TILE_H;
        cursor = last_tile_bottom;
    }
    let has_zones = !spec.zones.is_empty();
    let zone_top = if grid.rows.is_empty() {
        VPC_LABEL + 4.0
    } else {
        cursor + 14.0
    };
    if has_zones {
        cursor = zone_top + ZONE_LABEL;
    }
    #[derive(PartialEq)]
    enum Last {
        Start,
        Lane,
        Cells,
    }
    let mut last = if has_zones { Last::Start } else { Last::Cells };
    for (tier_index, &tier) in tiers.iter().enumerate() {
        let tier_lanes = &lanes
            .iter()
            .find(|(t, _)| *t == tier)
            .map(|(_, rows)| rows.as_slice())
            .unwrap_or_default();
        let rows = cols.tier_rows[tier_index].1;
        // The tier's cells, then its lanes just below them: a load
        // balancer sits between the subnets it serves from and the tier
        // its targets are in, so request paths run straight down.
        'cells: {
            if rows == 0 {
                break 'cells;
            }
            // The gaps into a tier carry the edges arriving from the lane
            // or tier above, and their labels: room for a pill either side
            // of the line.
            let (subnet_top, first_line) = match last {
                Last::Start => (cursor + 8.0, cursor - 1.0),
                Last::Lane => (cursor + 40.0, cursor + 20.0),
                Last::Cells => (cursor + 24.0, cursor + 12.0),
            };
            let first_top = subnet_top + SUBNET_LABEL + CELL_PAD;
            let mut tops = Vec::new();
            for r in 0..rows {
                let top = first_top + r as f64 * (TILE_H + ROW_GAP);
                let above = if r == 0 {
                    first_line
                } else {
                    top - ROW_GAP / 2.0
                };
                tops.push((push_row(&mut grid, top, above), top));
            }
            let tier_bottom = first_top + rows as f64 * (TILE_H + ROW_GAP) - ROW_GAP;
            let subnet_bottom = tier_bottom + CELL_PAD;
            for (z, zone) in spec.zones.iter().enumerate() {
                let mut column = zone_first[z];
                for (s, subnet) in zone.subnets.iter().enumerate() {
                    if subnet.tier != tier {
                        continue;
                    }
                    let span = cols.subnet_cols[z][s].max(1);
                    let first = column;
                    let last_col = (column + span - 1).min(col_x.len() - 1);
                    column += span;
                    // An empty subnet shrinks to its header: its tier's
                    // height is its neighbours', not its own.
                    let height = if subnet.tiles.is_empty() {
                        SUBNET_LABEL + CELL_PAD
                    } else {
                        subnet_bottom - subnet_top
                    };
                    let rect = Rect::new(
                        col_x[first] - CELL_PAD,
                        subnet_top,
                        col_x[last_col] + col_w[last_col] + CELL_PAD - (col_x[first] - CELL_PAD),
                        height,
                    );
                    for (i, &tile) in subnet.tiles.iter().enumerate() {
                        let (row_index, top) = tops[(i / span).min(tops.len() - 1)];
                        grid.tiles.push((
                            tile,
                            Rect::new(
                                col_x[first + i % span],
                                top,
                                col_w[first + i % span],
                                TILE_H,
                            ),
                            row_index,
                        ));
                    }
                    grid.cells.insert(
                        subnet.id.clone(),
                        Cell {
                            rect,
                            first_row: tops[0].0,
                            last_row: tops[tops.len() - 1].0,
                        },
                    );
                    grid.frames.push(GridFrame {
                        id: subnet.id.clone(),
                        kind: NodeKind::SUBNET,
                        parent: zone.id.clone(),
                        frame: match tier {
                            Tier::Public => Frame::Public,
                            Tier::Private => Frame::Private,
                            Tier::Isolated => Frame::Isolated,
                            Tier::Unknown => Frame::Subnet,
                        },
                        rect,
                        title: subnet.title.clone(),
                        tooltip: subnet.tooltip.clone(),
                    });
                }
            }
            cursor = subnet_bottom;
            last = Last::Cells;
        }
        for lane in tier_lanes.iter() {
            let top = cursor + LANE_GAP;
            let row = push_row(&mut grid, top, top - LANE_GAP / 2.0);
            for &(first_zone, last_zone, tile) in lane {
                let (first, last_col) = if col_x.is_empty() {
                    (0, 0)
                } else {
                    (
                        zone_cols_range(first_zone.min(zone_first.len() - 1)).0,
                        zone_cols_range(last_zone.min(zone_first.len() - 1)).1,
                    )
                };
                let x0 = col_x
                    .get(first)
                    .copied()
                    .unwrap_or(VPC_SIDE + ZONE_PAD + CELL_PAD);
                let x1 = col_x
                    .get(last_col)
                    .map_or(x0 + TILE_W, |&x| x + col_w[last_col]);
                grid.tiles
                    .push((tile, Rect::new(x0, top, x1 - x0, TILE_H), row));
                if last_col > first {
                    grid.blocked.push((row, first + 1, last_col));
                }
            }
            cursor = top + TILE_H;
            last = Last::Lane;
        }
    }
    let zone_bottom = cursor + ZONE_PAD + if last == Last::Lane { CELL_PAD } else { 0.0 };
    let height = if has_zones { zone_bottom } else { cursor + 8.0 } + VPC_SIDE;
    if let Some(previous) = grid.rows.last_mut() {
        previous.below = height - VPC_SIDE / 2.0;
    }
    if has_zones {
        // Zone frames go before subnet frames: parents first.
        let zone_frames: Vec<GridFrame> = spec
            .zones
            .iter()
            .enumerate()
            .map(|(z, zone)| {
                let (first, last_col) = zone_cols_range(z);
                let x0 = col_x[first] - CELL_PAD - ZONE_PAD;
                let x1 = col_x[last_col] + col_w[last_col] + CELL_PAD + ZONE_PAD;
                let title = if zone.zone.is_empty() {
                    "Zone unknown".to_string()
                } else {
                    format!("Availability Zone {}", zone.zone)
                };
                GridFrame {
                    id: zone.id.clone(),
                    kind: NodeKind::AVAILABILITY_ZONE,
                    parent: spec.id.clone(),
                    frame: Frame::Zone,
                    rect: Rect::new(x0, zone_top, x1 - x0, zone_bottom - zone_top),
                    tooltip: title.clone(),
                    title,
                }
            })
            .collect();
        let subnets = std::mem::take(&mut grid.frames);
        grid.frames = zone_frames;
        grid.frames.extend(subnets);
    }
    grid.rect = Rect::new(0.0, 0.0, width, height);
    grid
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::layout::scene::{LaneSpec, SubnetSpec, ZoneSpec};

    /// A VPC with `zones` zones; subnet `(zone, tier, tiles)` triples; lanes
    /// as `(tier, zones)`; `border` border tiles. Tile indices are handed
    /// out in order.
    fn spec(
        zones: usize,
        subnets: &[(usize, Tier, usize)],
        lanes: &[(Tier, Vec<usize>)],
        border: usize,
    ) -> VpcSpec {
        let mut next = 0;
        let mut take = |n: usize| {
            let tiles: Vec<usize> = (next..next + n).collect();
            next += n;
            tiles
        };
        let mut zone_specs: Vec<ZoneSpec> = (0..zones)
            .map(|z| ZoneSpec {
                id: format!("zone-{z}"),
                zone: format!("eu-west-1{z}"),
                subnets: Vec::new(),
            })
            .collect();
        for (i, &(zone, tier, count)) in subnets.iter().enumerate() {
            zone_specs[zone].subnets.push(SubnetSpec {
                id: format!("subnet-{i}"),
                title: String::new(),
                tooltip: String::new(),
                tier,
                tiles: take(count),
            });
        }
        let lanes = lanes
            .iter()
            .map(|(tier, zones)| LaneSpec {
                tile: take(1)[0],
                tier: *tier,
                zones: zones.clone(),
            })
            .collect();
        VpcSpec {
            id: "vpc".into(),
            title: String::new(),
            tooltip: String::new(),
            cost: None,
            zones: zone_specs,
            border: take(border),
            lanes,
        }
    }

    /// The invariant the router relies on: row lines cross no tile, and a
    /// gutter crosses only the lane tiles recorded as blocking it.
    fn assert_clear_lines(grid: &Grid) {
        for (r, row) in grid.rows.iter().enumerate() {
            for line in [row.above, row.below] {
                for &(t, rect, _) in &grid.tiles {
                    // Lines are nudged by up to 6 units per edge; keep clear of that.
                    assert!(
                        line + 6.0 < rect.y || line - 6.0 > rect.bottom(),
                        "row {r} line {line} crosses tile {t} {rect:?}"
                    );
                }
            }
        }
        for (g, &x) in grid.gutters.iter().enumerate() {
            for &(t, rect, row) in &grid.tiles {
                let crosses = x + 6.0 > rect.x && x - 6.0 < rect.right();
                let blocked = grid
                    .blocked
                    .iter()
                    .any(|&(r, first, last)| r == row && first <= g && g <= last);
                assert!(
                    !crosses || blocked,
                    "gutter {g} at {x} crosses tile {t} {rect:?} unrecorded"
                );
            }
        }
        for pair in grid.tiles.iter().enumerate() {
            for other in &grid.tiles[pair.0 + 1..] {
                assert!(
                    !pair.1 .1.overlaps(&other.1),
                    "tiles {} and {} overlap",
                    pair.1 .0,
                    other.0
                );
            }
        }
    }

    #[test]
    fn lines_between_rows_and_columns_stay_clear_in_every_shape() {
        use Tier::*;
        let shapes = [
            spec(
                2,
                &[
                    (0, Public, 1),
                    (1, Public, 1),
                    (0, Private, 7),
                    (1, Private, 3),
                    (0, Isolated, 1),
                ],
                &[(Public, vec![0, 1])],
                3,
            ),
            spec(
                3,
                &[(0, Private, 40), (2, Private, 2), (1, Isolated, 0)],
                &[
                    (Private, vec![]),
                    (Private, vec![1]),
                    (Isolated, vec![0, 2]),
                ],
                0,
            ),
            spec(
                1,
                &[(0, Public, 2), (0, Public, 5), (0, Unknown, 1)],
                &[],
                9,
            ),
            spec(0, &[], &[(Public, vec![])], 2),
        ];
        for shape in &shapes {
            let grid = layout(shape, &[TILE_W; 128]);
            assert_clear_lines(&grid);
            let placed: usize = grid.tiles.len();
            let expected: usize = shape
                .zones
                .iter()
                .flat_map(|z| z.subnets.iter().map(|s| s.tiles.len()))
                .sum::<usize>()
                + shape.lanes.len()
                + shape.border.len();
            assert_eq!(placed, expected, "every tile is placed once");
            for &(_, rect, _) in &grid.tiles {
                assert!(grid.rect.contains(&rect));
            }
        }
    }

    #[test]
    fn a_lane_spans_the_zone_columns_it_names() {
        let shape = spec(
            3,
            &[
                (0, Tier::Public, 1),
                (1, Tier::Public, 1),
                (2, Tier::Public, 1),
            ],
            &[(Tier::Public, vec![1, 2])],
            0,
        );
        let grid = layout(&shape, &[TILE_W; 128]);
        let lane = grid
            .tiles
            .iter()
            .find(|t| t.0 == 3)
            .expect("lane tile placed")
            .1;
        let zone = |z: usize| {
            grid.frames
                .iter()
                .find(|f| f.id == format!("zone-{z}"))
                .expect("zone frame")
                .rect
        };
        assert!(lane.x > zone(0).right() && lane.x < zone(1).right());
        assert!(lane.right() > zone(2).x && lane.right() < zone(2).right());
        // It sits below the public row.
        let public = grid
            .frames
            .iter()
            .find(|f| f.id == "subnet-0")
            .expect("subnet frame")
            .rect;
        assert!(lane.y > public.bottom());
    }
}
