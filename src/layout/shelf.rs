//! Packing frames into frames: VPCs and transit gateways into regions,
//! regions into accounts, accounts and outside parties (the Internet,
//! external CIDRs) into the picture. Items go left to right in shelves
//! (rows), and the shelf width is chosen so each frame comes out close to a
//! screen's shape however many VPCs and regions there are. Then everything
//! gets its absolute position, and tiles get their text.
//!
//! Items in a shelf are top-aligned and shelves are separated by a gap, so a
//! horizontal line in each gap and a vertical line in each frame's side
//! padding cross nothing; the router uses those.

use crate::graph::costs::Figure;
use crate::graph::NodeKind;
use crate::layout::grid::{self, Grid, MAX_TILE_W, TILE_H, TILE_W};
use crate::layout::scene::{Anchor, Scene, ShelfKind, TileSpec};
use crate::layout::{BadgeBox, Container, CostText, Font, Frame, Rect, TextLine, Tile};

/// Height of the header bar above the picture.
pub const HEADER_H: f64 = 52.0;
const TOP_PAD: f64 = 24.0;
const FRAME_PAD: f64 = 16.0;
const FRAME_LABEL: f64 = 26.0;
const ITEM_GAP: f64 = 32.0;
/// Between the regions of an account: an edge from one region straight to
/// the next (a peering) keeps room for its label between the frames.
const REGION_GAP: f64 = 64.0;
const SHELF_GAP: f64 = 40.0;
const FRAME_ASPECT: f64 = 1.6;
/// The picture also carries a header and a legend; aim a little wider.
const TOP_ASPECT: f64 = 1.7;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Item {
    Tile(usize),
    Vpc(usize),
    Shelf(usize),
}

/// One shelf (row of items) and the clear line above it.
#[derive(Debug, Clone, Copy)]
pub struct ShelfRow {
    pub top: f64,
    pub line: f64,
}

#[derive(Debug, Clone)]
pub struct ShelfLayout {
    pub rect: Rect,
    pub rows: Vec<ShelfRow>,
    /// Vertical clear lines in the left and right padding.
    pub left: f64,
    pub right: f64,
    /// Every item's rectangle and row, for lines that pass between them.
    pub items: Vec<(Rect, usize)>,
}

/// Where a tile sits, for the router.
#[derive(Debug, Clone, Copy)]
pub enum Home {
    Grid { vpc: usize, row: usize },
    Shelf { shelf: usize, row: usize },
}

/// Everything placed, in absolute coordinates.
#[derive(Debug, Clone)]
pub struct Placed {
    pub containers: Vec<Container>,
    /// Indexed like the scene's tiles.
    pub tiles: Vec<Tile>,
    pub homes: Vec<Home>,
    pub grids: Vec<Grid>,
    /// Per VPC: the shelf it is in and its row there.
    pub vpc_rows: Vec<(usize, usize)>,
    pub shelves: Vec<ShelfLayout>,
    /// Per shelf: its parent shelf and row there (none for the top level).
    pub shelf_rows: Vec<Option<(usize, usize)>>,
}

/// A shelf frame sized, with its items at positions relative to it.
struct Packed {
    w: f64,
    h: f64,
    /// Item, position, row and size.
    items: Vec<(Item, f64, f64, usize, f64, f64)>,
    rows: Vec<ShelfRow>,
}

fn pads(kind: ShelfKind) -> (f64, f64) {
    match kind {
        ShelfKind::Top => (TOP_PAD, TOP_PAD),
        _ => (FRAME_PAD, FRAME_LABEL + 22.0),
    }
}

/// Greedy shelves for a content width; returns positions, rows (top,
/// height) and the used size.
#[allow(clippy::type_complexity)]
fn shelve(
    sizes: &[(f64, f64)],
    width: f64,
    own_row: usize,
    gap: f64,
) -> (Vec<(f64, f64, usize)>, Vec<(f64, f64, f64)>, f64, f64) {
    let mut positions = Vec::with_capacity(sizes.len());
    // (top, height, used width)
    let mut rows: Vec<(f64, f64, f64)> = Vec::new();
    let mut x = 0.0;
    for (index, &(w, h)) in sizes.iter().enumerate() {
        let start_new = match rows.last() {
            None => true,
            Some(_) => (x > 0.0 && x + w > width) || index == own_row,
        };
        if start_new {
            let top = rows.last().map_or(0.0, |r| r.0 + r.1 + SHELF_GAP);
            rows.push((top, 0.0, 0.0));
            x = 0.0;
        }
        let row = rows.len() - 1;
        let current = rows.last_mut().expect("a row was just ensured");
        positions.push((x, current.0, row));
        current.1 = current.1.max(h);
        current.2 = x + w;
        x += w + gap;
    }
    let used_w = rows.iter().map(|r| r.2).fold(0.0, f64::max);
    let used_h = rows.last().map_or(0.0, |r| r.0 + r.1);
    (positions, rows, used_w, used_h)
}

/// Pack items into shelves; the items from `own_row` on start a new shelf
/// (the picture's outside parties get a row of their own above the
/// accounts).
fn pack(items: Vec<(Item, f64, f64)>, kind: ShelfKind, own_row: usize) -> Packed {
    let (side, top) = pads(kind);
    let aspect = if kind == ShelfKind::Top {
        TOP_ASPECT
    } else {
        FRAME_ASPECT
    };
    let sizes: Vec<(f64, f64)> = items.iter().map(|i| (i.1, i.2)).collect();
    let widest = sizes.iter().map(|s| s.0).fold(0.0, f64::max);
    let gap = if kind == ShelfKind::Account {
        REGION_GAP
    } else {
        ITEM_GAP
    };
    let total: f64 = sizes.iter().map(|s| s.0 + gap).sum();
    let mut best: Option<(f64, f64)> = None;
    for step in 0..=40 {
        let t = f64::from(step) / 40.0;
        let width = widest + (total - widest).max(0.0) * t * t;
        let (_, _, w, h) = shelve(&sizes, width, own_row, gap);
        let miss = (((w + 2.0 * side) / (h + top + side)) / aspect).ln().abs();
        if best.is_none_or(|(m, _)| miss < m - 1e-9) {
            best = Some((miss, width));
        }
    }
    let width = best.map_or(widest, |(_, w)| w);
    let (positions, rows, used_w, used_h) = shelve(&sizes, width, own_row, gap);
    let min_w = if kind == ShelfKind::Top { 0.0 } else { 260.0 };
    let content_w = used_w.max(min_w);
    let mut placed = Vec::with_capacity(items.len());
    for ((item, w, h), (x, y, row)) in items.into_iter().zip(positions) {
        // Centre each shelf in the frame.
        let offset = (content_w - rows[row].2) / 2.0;
        placed.push((item, side + offset + x, top + y, row, w, h));
    }
    let shelf_rows = rows
        .iter()
        .enumerate()
        .map(|(i, r)| ShelfRow {
            top: top + r.0,
            line: top + r.0 - if i == 0 { 12.0 } else { SHELF_GAP / 2.0 },
        })
        .collect();
    Packed {
        w: content_w + 2.0 * side,
        h: used_h.max(if kind == ShelfKind::Top { 0.0 } else { 40.0 }) + top + side,
        items: placed,
        rows: shelf_rows,
    }
}

struct Placer<'s> {
    scene: &'s Scene,
    /// Per scene tile: the width its text wants.
    widths: Vec<f64>,
    grids: Vec<Grid>,
    packed: Vec<Option<Packed>>,
    out: Placed,
}

/// Lay out and place everything in the scene.
pub fn place(scene: &Scene) -> Placed {
    let widths: Vec<f64> = scene.tiles.iter().map(wanted_width).collect();
    let grids: Vec<Grid> = scene
        .vpcs
        .iter()
        .map(|vpc| grid::layout(vpc, &widths))
        .collect();
    let mut placer = Placer {
        scene,
        widths,
        grids,
        packed: (0..scene.shelves.len()).map(|_| None).collect(),
        out: Placed {
            containers: Vec::new(),
            tiles: Vec::new(),
            homes: Vec::new(),
            grids: Vec::new(),
            vpc_rows: vec![(0, 0); scene.vpcs.len()],
            shelves: Vec::new(),
            shelf_rows: vec![None; scene.shelves.len()],
        },
    };
    placer.size(0, 0);
    let mut tiles: Vec<Option<(Tile, Home)>> = vec![None; scene.tiles.len()];
    let mut shelves: Vec<Option<ShelfLayout>> = vec![None; scene.shelves.len()];
    placer.put(0, 0.0, HEADER_H, &mut tiles, &mut shelves);
    let (tiles, homes): (Vec<Tile>, Vec<Home>) = tiles
        .into_iter()
        .enumerate()
        .map(|(index, placed)| {
            // Every scene tile has exactly one home; one that somehow had
            // none would be drawn at the origin rather than panic.
            placed.unwrap_or_else(|| {
                (
                    tile(
                        &scene.tiles[index],
                        Rect::new(0.0, 0.0, TILE_W, TILE_H),
                        None,
                    ),
                    Home::Shelf { shelf: 0, row: 0 },
                )
            })
        })
        .unzip();
    placer.out.tiles = tiles;
    placer.out.homes = homes;
    let top_width = shelves[0].as_ref().map_or(0.0, |s| s.rect.right());
    over_what_they_reach(scene, &placer.grids, &mut placer.out.tiles, top_width);
    placer.out.grids = placer.grids;
    placer.out.shelves = shelves
        .into_iter()
        .map(|s| {
            s.unwrap_or(ShelfLayout {
                rect: Rect::default(),
                rows: Vec::new(),
                left: 0.0,
                right: 0.0,
                items: Vec::new(),
            })
        })
        .collect();
    placer.out
}

impl Placer<'_> {
    /// Size shelf `index` and everything in it (children first).
    fn size(&mut self, index: usize, depth: usize) -> (f64, f64) {
        let spec = &self.scene.shelves[index];
        let tiles: Vec<(Item, f64, f64)> = spec
            .tiles
            .iter()
            .map(|&t| (Item::Tile(t), self.widths[t], TILE_H))
            .collect();
        let mut items = Vec::new();
        if depth < 8 {
            for &child in &spec.shelves {
                let (w, h) = self.size(child, depth + 1);
                items.push((Item::Shelf(child), w, h));
            }
        }
        for &vpc in &spec.vpcs {
            let rect = self.grids[vpc].rect;
            items.push((Item::Vpc(vpc), rect.w, rect.h));
        }
        // The outside parties lead the picture, above what they reach; a
        // region's own tiles (transit gateways) come after its VPCs, so
        // nothing stands between a VPC and the top of its region.
        if spec.kind == ShelfKind::Top {
            items.splice(0..0, tiles);
        } else {
            items.extend(tiles);
        }
        // Outside parties (tiles of the top level) get a row of their own.
        let own_row = if spec.kind == ShelfKind::Top && !spec.tiles.is_empty() {
            spec.tiles.len()
        } else {
            usize::MAX
        };
        let packed = pack(items, spec.kind, own_row);
        let size = (packed.w, packed.h);
        self.packed[index] = Some(packed);
        size
    }

    fn put(
        &mut self,
        index: usize,
        x: f64,
        y: f64,
        tiles: &mut [Option<(Tile, Home)>],
        shelves: &mut [Option<ShelfLayout>],
    ) {
        let Some(packed) = self.packed[index].take() else {
            return;
        };
        let spec = &self.scene.shelves[index];
        let rect = Rect::new(x, y, packed.w, packed.h);
        let parent_id = spec
            .parent
            .map(|p| &self.scene.shelves[p])
            .filter(|p| p.kind != ShelfKind::Top)
            .map(|p| p.id.clone());
        if spec.kind != ShelfKind::Top {
            let title = TextLine::fitted(
                &spec.title,
                x + 10.0,
                y + 18.0,
                Font::bold(12.5),
                rect.w - 20.0,
            );
            self.out.containers.push(Container {
                id: spec.id.clone(),
                kind: if spec.kind == ShelfKind::Account {
                    NodeKind::Account
                } else {
                    NodeKind::Region
                },
                parent: parent_id,
                frame: if spec.kind == ShelfKind::Account {
                    Frame::Account
                } else {
                    Frame::Region
                },
                rect,
                cost: subtotal(spec.cost.as_ref(), &title, rect.right() - 10.0),
                title,
                tooltip: spec.tooltip.clone(),
            });
        }
        let own_id = (spec.kind != ShelfKind::Top).then(|| spec.id.clone());
        shelves[index] = Some(ShelfLayout {
            rect,
            rows: packed
                .rows
                .iter()
                .map(|r| ShelfRow {
                    top: r.top + y,
                    line: r.line + y,
                })
                .collect(),
            left: x + pads(spec.kind).0 / 2.0,
            right: rect.right() - pads(spec.kind).0 / 2.0,
            items: packed
                .items
                .iter()
                .map(|&(_, ix, iy, row, w, h)| (Rect::new(x + ix, y + iy, w, h), row))
                .collect(),
        });
        for &(item, ix, iy, row, _, _) in &packed.items {
            let (ax, ay) = (x + ix, y + iy);
            match item {
                Item::Tile(t) => {
                    let rect = Rect::new(ax, ay, self.widths[t], TILE_H);
                    tiles[t] = Some((
                        tile(&self.scene.tiles[t], rect, own_id.clone()),
                        Home::Shelf { shelf: index, row },
                    ));
                }
                Item::Shelf(child) => {
                    self.out.shelf_rows[child] = Some((index, row));
                    self.put(child, ax, ay, tiles, shelves);
                }
                Item::Vpc(vpc) => {
                    self.out.vpc_rows[vpc] = (index, row);
                    self.put_vpc(vpc, ax, ay, own_id.clone(), tiles);
                }
            }
        }
    }

    fn put_vpc(
        &mut self,
        vpc: usize,
        x: f64,
        y: f64,
        parent: Option<String>,
        tiles: &mut [Option<(Tile, Home)>],
    ) {
        let spec = &self.scene.vpcs[vpc];
        let grid = &mut self.grids[vpc];
        grid.shift(x, y);
        let rect = grid.rect;
        let title = TextLine::fitted(
            &spec.title,
            x + 8.0,
            y + 16.0,
            Font::bold(12.0),
            rect.w - 16.0,
        );
        self.out.containers.push(Container {
            id: spec.id.clone(),
            kind: NodeKind::VPC,
            parent,
            frame: Frame::Vpc,
            rect,
            // Past the VPC's title tab, whose width follows the title.
            cost: subtotal(spec.cost.as_ref(), &title, rect.right() - 8.0),
            title,
            tooltip: spec.tooltip.clone(),
        });
        for frame in &grid.frames {
            let font = if frame.kind == NodeKind::AVAILABILITY_ZONE {
                Font::bold(11.0)
            } else {
                Font::bold(10.5)
            };
            self.out.containers.push(Container {
                id: frame.id.clone(),
                kind: frame.kind,
                parent: Some(frame.parent.clone()),
                frame: frame.frame,
                rect: frame.rect,
                title: TextLine::fitted(
                    &frame.title,
                    frame.rect.x + 8.0,
                    frame.rect.y + 15.0,
                    font,
                    frame.rect.w - 16.0,
                ),
                cost: None,
                tooltip: frame.tooltip.clone(),
            });
        }
        // A tile's drawn parent: its subnet cell, else the VPC.
        let mut cell_of = std::collections::HashMap::new();
        for zone in &spec.zones {
            for subnet in &zone.subnets {
                for &t in &subnet.tiles {
                    cell_of.insert(t, subnet.id.clone());
                }
            }
        }
        for &(t, rect, row) in &grid.tiles {
            let parent = cell_of.get(&t).cloned().unwrap_or_else(|| spec.id.clone());
            tiles[t] = Some((
                tile(&self.scene.tiles[t], rect, Some(parent)),
                Home::Grid { vpc, row },
            ));
        }
    }
}

/// Where a tile's text starts, and the room it keeps at its right.
const TEXT_X: f64 = 52.0;
const TEXT_RIGHT: f64 = 8.0;
const NAME_FONT: Font = Font::bold(12.0);
const DETAIL_FONT: Font = Font::regular(10.5);
const BADGE_FONT: Font = Font::bold(8.5);
const COST_FONT: Font = Font::regular(10.0);
/// Room between the detail line and the cost figure after it.
const COST_GAP: f64 = 6.0;

/// A tile's or frame's figure, its right end at `right`.
fn cost_text(figure: &Figure, right: f64, y: f64) -> CostText {
    let text = figure.monthly_text();
    let width = COST_FONT.measure(&text);
    CostText {
        line: TextLine::fitted(&text, right - width, y, COST_FONT, width),
        priced: figure.unpriced == 0,
    }
}

/// A frame's subtotal: `$1,204/mo`, and how many resources inside it have
/// no price; `None` when nothing inside it is charged for.
fn subtotal(figure: Option<&Figure>, title: &TextLine, right: f64) -> Option<CostText> {
    let figure = figure?;
    let mut cost = cost_text(figure, right, title.y);
    if figure.priced > 0 && figure.unpriced > 0 {
        let text = format!("{} + {} unpriced", cost.line.text, figure.unpriced);
        let width = COST_FONT.measure(&text);
        cost.line = TextLine::fitted(&text, right - width, title.y, COST_FONT, width);
    }
    // A title that fills its row keeps it: the figure is in the tooltip.
    (cost.line.x > title.x + title.width + COST_GAP).then_some(cost)
}

/// The width a tile needs to show its name (beside its badge) and its
/// detail line whole, within [`TILE_W`]..[`MAX_TILE_W`].
fn wanted_width(spec: &TileSpec) -> f64 {
    let name = if spec.name.is_empty() {
        &spec.id
    } else {
        &spec.name
    };
    let visible = |text: &str| crate::text::visible(text);
    let badge = spec.badge.map_or(0.0, |b| {
        BADGE_FONT.measure(b.as_str()) + 10.0 + 6.0 + 4.0 - TEXT_RIGHT
    });
    let cost = spec.cost.map_or(0.0, |figure| {
        COST_GAP + COST_FONT.measure(&figure.monthly_text())
    });
    let text = (NAME_FONT.measure(&visible(name)) + badge)
        .max(DETAIL_FONT.measure(&visible(&spec.detail)) + cost);
    (TEXT_X + text + TEXT_RIGHT + 1.0)
        .clamp(TILE_W, MAX_TILE_W)
        .ceil()
}

/// A tile's text and badge inside its rectangle.
fn tile(spec: &TileSpec, rect: Rect, parent: Option<String>) -> Tile {
    let text_x = rect.x + TEXT_X;
    let text_right = rect.right() - TEXT_RIGHT;
    let badge = spec.badge.map(|badge| {
        let font = BADGE_FONT;
        let width = font.measure(badge.as_str()) + 10.0;
        let badge_rect = Rect::new(rect.right() - 6.0 - width, rect.y + 5.0, width, 14.0);
        BadgeBox {
            badge,
            rect: badge_rect,
            text: TextLine::fitted(
                badge.as_str(),
                badge_rect.x + 5.0,
                badge_rect.y + 10.5,
                font,
                width,
            ),
        }
    });
    let name_right = badge.as_ref().map_or(text_right, |b| b.rect.x - 4.0);
    let detail_y = rect.y + 40.0;
    let cost = spec
        .cost
        .map(|figure| cost_text(&figure, text_right, detail_y));
    let detail_right = cost.as_ref().map_or(text_right, |c| c.line.x - COST_GAP);
    let name = if spec.name.is_empty() {
        &spec.id
    } else {
        &spec.name
    };
    Tile {
        id: spec.id.clone(),
        kind: spec.kind,
        parent,
        rect,
        icon: Rect::new(rect.x + 9.0, rect.y + 9.0, 34.0, 34.0),
        name: TextLine::fitted(name, text_x, rect.y + 23.0, NAME_FONT, name_right - text_x),
        detail: TextLine::fitted(
            &spec.detail,
            text_x,
            detail_y,
            DETAIL_FONT,
            detail_right - text_x,
        ),
        badge,
        cost,
        tooltip: spec.tooltip.clone(),
    }
}

/// Slide the outside parties (the top level's own row) along it so each
/// sits above the middle of what its edges reach, keeping their order
/// free of overlaps and inside the picture: their edges then drop
/// straight down instead of running along the top.
fn over_what_they_reach(scene: &Scene, grids: &[Grid], tiles: &mut [Tile], width: f64) {
    let outside = &scene.shelves[0].tiles;
    if outside.is_empty() {
        return;
    }
    let centre = |anchor: Anchor| -> f64 {
        match anchor {
            Anchor::Tile(t) => tiles[t].rect.center_x(),
            Anchor::Vpc(v) => grids[v].rect.center_x(),
            Anchor::Subnet(v, z, s) => grids[v]
                .cells
                .get(&scene.vpcs[v].zones[z].subnets[s].id)
                .map_or(grids[v].rect.center_x(), |c| c.rect.center_x()),
        }
    };
    let mut reach: std::collections::HashMap<usize, Vec<f64>> = std::collections::HashMap::new();
    for edge in &scene.edges {
        let (Some(&from), Some(&to)) = (scene.anchors.get(&edge.from), scene.anchors.get(&edge.to))
        else {
            continue;
        };
        for (end, other) in [(from, to), (to, from)] {
            if let Anchor::Tile(t) = end {
                if outside.contains(&t) {
                    reach.entry(t).or_default().push(centre(other));
                }
            }
        }
    }
    let mut wanted: Vec<(f64, usize)> = outside
        .iter()
        .map(|&t| {
            let rect = tiles[t].rect;
            let xs = reach.get(&t).map(Vec::as_slice).unwrap_or_default();
            let x = if xs.is_empty() {
                rect.x
            } else {
                xs.iter().sum::<f64>() / xs.len() as f64 - rect.w / 2.0
            };
            (x, t)
        })
        .collect();
    wanted.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
    // Left to right without overlaps, then right to left inside the picture.
    let mut xs: Vec<f64> = Vec::with_capacity(wanted.len());
    for (i, &(x, _)) in wanted.iter().enumerate() {
        let floor = match i {
            0 => TOP_PAD,
            _ => xs[i - 1] + tiles[wanted[i - 1].1].rect.w + ITEM_GAP,
        };
        xs.push(x.max(floor));
    }
    let mut ceiling = width - TOP_PAD;
    for i in (0..wanted.len()).rev() {
        let w = tiles[wanted[i].1].rect.w;
        xs[i] = xs[i].min(ceiling - w);
        ceiling = xs[i] - ITEM_GAP;
    }
    for (&(_, t), x) in wanted.iter().zip(xs) {
        let rect = tiles[t].rect;
        let moved = Rect::new(x, rect.y, rect.w, rect.h);
        tiles[t] = tile(&scene.tiles[t], moved, tiles[t].parent.clone());
    }
}
