//! Edge routes: orthogonal polylines that run only where the layout keeps
//! the way clear — straight through the empty space between two tiles that
//! face each other, along the gaps between tile rows and columns of a VPC
//! grid, and along the gaps between shelves and the side padding of region,
//! account and top-level frames — and the pills that label them.
//!
//! Inside one VPC an edge takes the first of: a straight line between the
//! two ends (when they face each other across empty space), one bend down a
//! gutter into the side of the target, the same from the side of the source,
//! and only then a route along the row lines. Between frames, each end
//! grows a stem up or down out of its frames to one line of the lowest frame
//! holding both (down from the upper end, up from the lower one, so request
//! paths read top to bottom without detours), and the stems are joined
//! along that line. Every segment on a shared line is tagged with the line
//! and with its bundle (the end it shares with other edges, and its kind);
//! each bundle on a line then gets a track of its own, so edges with no end
//! in common never run on top of each other while edges that share an end
//! run as one trunk. No search and no pairwise route comparison: each edge
//! costs a walk up the frame tree and a scan of its own VPC's tiles.
//!
//! Pills go near the target, at the first spot along the route that lies
//! over no tile, frame title, frame border, other pill or line of another
//! bundle; a bundle of edges with one label into one target gets one pill.

use std::collections::{BTreeMap, HashMap, HashSet};

use crate::graph::EdgeKind;
use crate::layout::grid::Grid;
use crate::layout::scene::{Anchor, Scene};
use crate::layout::shelf::{Home, Placed, ShelfLayout};
use crate::layout::{Container, Font, Frame, Pill, Point, Rect, Route, TextLine};

/// How close a line may pass a tile it does not end at.
const CLEARANCE: f64 = 4.0;
/// Where a port may sit: this far in from a tile's corners.
const PORT_INSET: f64 = 14.0;
/// Between neighbouring tracks on one line.
const TRACK: f64 = 4.0;
/// How far the ends' ports of a side-by-side pair may be spread by kind.
const PAIR_SPREAD: f64 = 4.0;

/// What a route is for: its kind, and the width of the pill it will carry
/// (0 when it carries none).
#[derive(Debug, Clone, Copy)]
struct Want {
    kind: EdgeKind,
    label_w: f64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Dir {
    Up,
    Down,
}

/// A clear line that several routes may use.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
enum Channel {
    /// The line above row `row` of VPC `vpc`'s grid (`rows.len()`: below the last).
    GridRow(usize, usize),
    /// Gutter `gutter` of VPC `vpc`'s grid.
    Gutter(usize, usize),
    /// The line above row `row` of a shelf (`rows.len()`: the bottom padding).
    ShelfRow(usize, usize),
    /// The left (false) or right (true) padding line of a shelf.
    ShelfSide(usize, bool),
    /// The straight run between two facing ends, keyed by their anchors.
    Pair(AnchorKey, AnchorKey),
}

type AnchorKey = (u8, usize, usize, usize);

fn anchor_key(anchor: Anchor) -> AnchorKey {
    match anchor {
        Anchor::Tile(t) => (0, t, 0, 0),
        Anchor::Vpc(v) => (1, v, 0, 0),
        Anchor::Subnet(v, z, s) => (2, v, z, s),
    }
}

/// What shares a track on a line: edges of one kind with a common end.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
struct Bundle {
    /// Set only on the straight run between two facing ends: of two
    /// parallel runs there, the labelled one goes outside (right or
    /// below), where its pill has room.
    labelled: bool,
    kind: EdgeKind,
    /// The shared end: false for the source, true for the target.
    at_target: bool,
    end: AnchorKey,
}

/// A polyline under construction; `tags[i]` is the line and bundle of the
/// segment ending at `points[i + 1]`.
#[derive(Debug, Clone, Default)]
struct Path {
    points: Vec<Point>,
    tags: Vec<Option<(Channel, Bundle)>>,
}

impl Path {
    fn start(point: Point) -> Path {
        Path {
            points: vec![point],
            tags: Vec::new(),
        }
    }

    fn to(&mut self, point: Point, tag: Option<(Channel, Bundle)>) {
        self.points.push(point);
        self.tags.push(tag);
    }

    fn last(&self) -> Point {
        self.points[self.points.len() - 1]
    }

    /// This path followed by `other` walked backwards (`other` starts at
    /// the far end and must end where this one does).
    fn join_reversed(mut self, other: Path) -> Path {
        let mut points = other.points;
        let mut tags = other.tags;
        points.reverse();
        tags.reverse();
        for (point, tag) in points.into_iter().skip(1).zip(tags) {
            self.to(point, tag);
        }
        self
    }

    fn length(&self) -> f64 {
        self.points
            .windows(2)
            .map(|w| (w[0].x - w[1].x).abs() + (w[0].y - w[1].y).abs())
            .sum()
    }

    /// Drop zero-length segments and merge straight runs, keeping a tag.
    fn simplified(self) -> Path {
        let mut out = Path::start(self.points[0]);
        for (point, tag) in self.points.into_iter().skip(1).zip(self.tags) {
            let last = out.last();
            if (last.x - point.x).abs() < 1e-9 && (last.y - point.y).abs() < 1e-9 {
                continue;
            }
            if out.points.len() >= 2 {
                let before = out.points[out.points.len() - 2];
                let straight = ((before.x - last.x).abs() < 1e-9
                    && (last.x - point.x).abs() < 1e-9)
                    || ((before.y - last.y).abs() < 1e-9 && (last.y - point.y).abs() < 1e-9);
                if straight {
                    out.points.pop();
                    let previous = out.tags.pop().flatten();
                    out.to(point, previous.or(tag));
                    continue;
                }
            }
            out.to(point, tag);
        }
        out
    }
}

/// Whether a vertical segment at `x` between `y1` and `y2` keeps
/// [`CLEARANCE`] from `rect`'s sides and does not run through it.
fn vertical_clear(x: f64, y1: f64, y2: f64, rect: &Rect) -> bool {
    let (low, high) = (y1.min(y2), y1.max(y2));
    !(x > rect.x - CLEARANCE
        && x < rect.right() + CLEARANCE
        && high > rect.y
        && low < rect.bottom())
}

/// Whether a horizontal segment at `y` between `x1` and `x2` keeps
/// [`CLEARANCE`] from `rect`'s top and bottom and does not run through it.
fn horizontal_clear(y: f64, x1: f64, x2: f64, rect: &Rect) -> bool {
    let (low, high) = (x1.min(x2), x1.max(x2));
    !(y > rect.y - CLEARANCE
        && y < rect.bottom() + CLEARANCE
        && high > rect.x
        && low < rect.right())
}

/// Where a line enters or leaves an anchor's side: a tile's middle; a
/// subnet's bottom padding, below its tiles, so it never runs level with
/// a line into one of them.
fn side_y(anchor: Anchor, rect: Rect) -> f64 {
    match anchor {
        Anchor::Subnet(..) => rect.bottom() - 5.0,
        Anchor::Tile(_) | Anchor::Vpc(_) => rect.y + rect.h / 2.0,
    }
}

/// Where a line from a row line enters an anchor's top or bottom: a
/// tile's middle; a subnet's first column, since the middle of a cell of
/// two columns is the gutter between them, where other edges run.
fn entry_x(anchor: Anchor, rect: Rect, grid: &Grid) -> f64 {
    let inset = PORT_INSET.min(rect.w / 2.0);
    let x = match anchor {
        Anchor::Subnet(..) => rect.x + 4.0 * inset,
        Anchor::Tile(_) | Anchor::Vpc(_) => rect.center_x(),
    }
    .clamp(rect.x + inset, rect.right() - inset);
    match gutter_at(grid, x) {
        Some(_) => x + 2.0 * TRACK + 1.0,
        None => x,
    }
}

/// The gutter running at `x`, if one does.
fn gutter_at(grid: &Grid, x: f64) -> Option<usize> {
    grid.gutters.iter().position(|&g| (g - x).abs() < 1e-9)
}

fn opposite(dir: Dir) -> Dir {
    match dir {
        Dir::Up => Dir::Down,
        Dir::Down => Dir::Up,
    }
}

fn horizontal(a: Point, b: Point) -> bool {
    (a.y - b.y).abs() < 1e-9
}

struct Router<'a> {
    scene: &'a Scene,
    placed: &'a Placed,
    index: TileIndex,
}

/// Every tile, bucketed by area, for legs that cross frames.
struct TileIndex {
    rects: Vec<Rect>,
    cells: HashMap<(i64, i64), Vec<usize>>,
}

impl TileIndex {
    const CELL: f64 = 256.0;

    fn span(a: f64, b: f64) -> std::ops::RangeInclusive<i64> {
        (a.min(b) / Self::CELL).floor() as i64..=(a.max(b) / Self::CELL).floor() as i64
    }

    fn new(rects: Vec<Rect>) -> TileIndex {
        let mut cells: HashMap<(i64, i64), Vec<usize>> = HashMap::new();
        for (t, r) in rects.iter().enumerate() {
            for x in Self::span(r.x, r.right()) {
                for y in Self::span(r.y, r.bottom()) {
                    cells.entry((x, y)).or_default().push(t);
                }
            }
        }
        TileIndex { rects, cells }
    }

    /// Whether the axis-aligned segment `a`–`b` keeps clear of every tile
    /// but `skip`.
    fn clear(&self, a: Point, b: Point, skip: &[usize]) -> bool {
        let (x0, x1) = (a.x.min(b.x) - CLEARANCE, a.x.max(b.x) + CLEARANCE);
        let (y0, y1) = (a.y.min(b.y) - CLEARANCE, a.y.max(b.y) + CLEARANCE);
        Self::span(x0, x1).all(|x| {
            Self::span(y0, y1).all(|y| {
                self.cells.get(&(x, y)).is_none_or(|tiles| {
                    tiles.iter().all(|&t| {
                        let r = self.rects[t];
                        skip.contains(&t)
                            || !(x1 > r.x && x0 < r.right() && y1 > r.y && y0 < r.bottom())
                    })
                })
            })
        })
    }
}

impl Router<'_> {
    fn rect(&self, anchor: Anchor) -> Rect {
        match anchor {
            Anchor::Tile(t) => self.placed.tiles[t].rect,
            Anchor::Vpc(v) => self.placed.grids[v].rect,
            Anchor::Subnet(v, z, s) => {
                let id = &self.scene.vpcs[v].zones[z].subnets[s].id;
                self.placed.grids[v]
                    .cells
                    .get(id)
                    .map_or(self.placed.grids[v].rect, |c| c.rect)
            }
        }
    }

    /// The VPC grid an anchor lies in, if it lies inside one.
    fn grid_of(&self, anchor: Anchor) -> Option<usize> {
        match anchor {
            Anchor::Tile(t) => match self.placed.homes[t] {
                Home::Grid { vpc, .. } => Some(vpc),
                Home::Shelf { .. } => None,
            },
            Anchor::Subnet(v, _, _) => Some(v),
            Anchor::Vpc(_) => None,
        }
    }

    /// The shelf and row of the frame item that holds an anchor directly
    /// (its VPC, or the tile itself).
    fn item(&self, anchor: Anchor) -> (usize, usize) {
        match anchor {
            Anchor::Tile(t) => match self.placed.homes[t] {
                Home::Grid { vpc, .. } => self.placed.vpc_rows[vpc],
                Home::Shelf { shelf, row } => (shelf, row),
            },
            Anchor::Subnet(v, _, _) | Anchor::Vpc(v) => self.placed.vpc_rows[v],
        }
    }

    /// Shelves from the anchor's own up to the top, each with the row of
    /// the item on the way down.
    fn shelf_chain(&self, anchor: Anchor) -> Vec<(usize, usize)> {
        let mut chain = vec![self.item(anchor)];
        // Frames nest a handful deep; the bound guards against a cycle.
        for _ in 0..16 {
            let (shelf, _) = chain[chain.len() - 1];
            match self.placed.shelf_rows[shelf] {
                Some(parent) => chain.push(parent),
                None => break,
            }
        }
        chain
    }

    /// Grid rows an anchor occupies.
    fn grid_rows(&self, anchor: Anchor) -> (usize, usize) {
        match anchor {
            Anchor::Tile(t) => match self.placed.homes[t] {
                Home::Grid { row, .. } | Home::Shelf { row, .. } => (row, row),
            },
            Anchor::Subnet(v, z, s) => {
                let id = &self.scene.vpcs[v].zones[z].subnets[s].id;
                self.placed.grids[v]
                    .cells
                    .get(id)
                    .map_or((0, 0), |c| (c.first_row, c.last_row))
            }
            Anchor::Vpc(_) => (0, 0),
        }
    }

    /// Whether a vertical line at `x` between `y1` and `y2` keeps clear of
    /// every tile of the grid but `skip`.
    fn clear_vertical(&self, vpc: usize, x: f64, y1: f64, y2: f64, skip: &[Anchor]) -> bool {
        self.clear_of_tiles(vpc, skip, |rect| vertical_clear(x, y1, y2, rect))
    }

    fn clear_horizontal(&self, vpc: usize, y: f64, x1: f64, x2: f64, skip: &[Anchor]) -> bool {
        self.clear_of_tiles(vpc, skip, |rect| horizontal_clear(y, x1, x2, rect))
    }

    /// Whether `clear` holds for every tile of the grid but the `skip` ones.
    fn clear_of_tiles(&self, vpc: usize, skip: &[Anchor], clear: impl Fn(&Rect) -> bool) -> bool {
        let skipped: Vec<usize> = skip
            .iter()
            .filter_map(|a| match a {
                Anchor::Tile(t) => Some(*t),
                _ => None,
            })
            .collect();
        self.placed.grids[vpc]
            .tiles
            .iter()
            .all(|(t, rect, _)| skipped.contains(t) || clear(rect))
    }

    /// Places along `rect`'s top or bottom where a port may go: `prefer`
    /// (clamped), the centre, the gutters it spans and every 24 units,
    /// nearest `prefer` first.
    fn port_xs(&self, rect: Rect, prefer: f64, vpc: Option<usize>) -> Vec<f64> {
        let inset = PORT_INSET.min(rect.w / 2.0);
        let (low, high) = (rect.x + inset, rect.right() - inset);
        let mut xs = vec![prefer.clamp(low, high), rect.center_x()];
        if let Some(vpc) = vpc {
            xs.extend(
                self.placed.grids[vpc]
                    .gutters
                    .iter()
                    .copied()
                    .filter(|&g| g > low && g < high),
            );
        }
        let mut x = low;
        while x <= high {
            xs.push(x);
            x += 24.0;
        }
        // Nearest the wanted place first (the sort is stable, so the
        // preferred port, then the centre, win ties).
        let wanted = xs[0];
        xs.sort_by(|a, b| (a - wanted).abs().total_cmp(&(b - wanted).abs()));
        xs
    }

    /// The gutters just left and right of a rectangle.
    fn gutters_beside(grid: &Grid, rect: Rect) -> [Option<usize>; 2] {
        let left = grid.gutters.iter().rposition(|&g| g < rect.x);
        let right = grid.gutters.iter().position(|&g| g > rect.right());
        [left, right]
    }

    /// A route between two anchors of one VPC grid.
    fn within_grid(&self, vpc: usize, from: Anchor, to: Anchor, want: Want) -> Path {
        let grid = &self.placed.grids[vpc];
        let (s, t) = (self.rect(from), self.rect(to));
        let (s_rows, t_rows) = (self.grid_rows(from), self.grid_rows(to));
        let ends = [from, to];
        let pair = (
            Channel::Pair(anchor_key(from), anchor_key(to)),
            Bundle {
                labelled: want.label_w > 0.0,
                kind: want.kind,
                at_target: false,
                end: anchor_key(from),
            },
        );
        let source_bundle = Bundle {
            labelled: false,
            kind: want.kind,
            at_target: false,
            end: anchor_key(from),
        };
        let target_bundle = Bundle {
            at_target: true,
            end: anchor_key(to),
            ..source_bundle
        };
        let dir = if s_rows.1 < t_rows.0 {
            Some(Dir::Down)
        } else if s_rows.0 > t_rows.1 {
            Some(Dir::Up)
        } else {
            None
        };
        let Some(dir) = dir else {
            // Side by side: straight across when nothing stands between.
            let (low, high) = (
                s.y.max(t.y) + PORT_INSET,
                s.bottom().min(t.bottom()) - PORT_INSET,
            );
            if low <= high {
                let y = (low + high) / 2.0;
                let (x1, x2) = if s.right() <= t.x {
                    (s.right(), t.x)
                } else {
                    (s.x, t.right())
                };
                if (s.right() <= t.x || t.right() <= s.x)
                    && self.clear_horizontal(vpc, y, x1, x2, &ends)
                {
                    let mut path = Path::start(Point::new(x1, y));
                    path.to(Point::new(x2, y), Some(pair));
                    return path;
                }
            }
            return self.by_row_lines(
                vpc,
                from,
                to,
                Dir::Up,
                Dir::Down,
                source_bundle,
                target_bundle,
            );
        };
        let (s_exit, t_entry) = match dir {
            Dir::Down => (s.bottom(), t.y),
            Dir::Up => (s.y, t.bottom()),
        };
        // Straight, when the two face each other across empty space.
        let (low, high) = (
            s.x.max(t.x) + PORT_INSET,
            s.right().min(t.right()) - PORT_INSET,
        );
        if low <= high {
            let candidates = self.port_xs(
                Rect::new(low - PORT_INSET, 0.0, high - low + 2.0 * PORT_INSET, 0.0),
                t.center_x(),
                Some(vpc),
            );
            if let Some(x) = candidates
                .into_iter()
                .find(|&x| self.clear_vertical(vpc, x, s_exit, t_entry, &ends))
            {
                // Along a gutter it is a shared line like any other.
                let tag = match gutter_at(grid, x) {
                    Some(g) => (Channel::Gutter(vpc, g), source_bundle),
                    None => pair,
                };
                let mut path = Path::start(Point::new(x, s_exit));
                path.to(Point::new(x, t_entry), Some(tag));
                return path;
            }
        }
        // One gutter beside the target, entered from the side.
        let t_mid = side_y(to, t);
        let s_mid = side_y(from, s);
        let mut beside = Self::gutters_beside(grid, t);
        if s.center_x() > t.center_x() {
            beside.reverse();
        }
        let spanning = || {
            beside.into_iter().flatten().find_map(|g| {
                let gx = grid.gutters[g];
                let t_side = if gx < t.x { t.x } else { t.right() };
                let spans = s.x + PORT_INSET < gx && gx < s.right() - PORT_INSET;
                (spans && grid.gutter_clear(g, s_exit, t_mid)).then(|| {
                    let mut path = Path::start(Point::new(gx, s_exit));
                    path.to(
                        Point::new(gx, t_mid),
                        Some((Channel::Gutter(vpc, g), source_bundle)),
                    );
                    path.to(Point::new(t_side, t_mid), None);
                    path
                })
            })
        };
        // Down (or up) to the row line before the target, across, in: the
        // run along the row line is where a label has room.
        let zig = || {
            let (to_line, to_channel) = self.line_beyond(vpc, to, opposite(dir));
            let x = self
                .port_xs(s, t.center_x(), Some(vpc))
                .into_iter()
                .find(|&x| self.clear_vertical(vpc, x, s_exit, to_line, &ends))?;
            let xt = entry_x(to, t, grid);
            let mut path = Path::start(Point::new(x, s_exit));
            let down = gutter_at(grid, x).map(|g| (Channel::Gutter(vpc, g), source_bundle));
            path.to(Point::new(x, to_line), down);
            path.to(Point::new(xt, to_line), Some((to_channel, source_bundle)));
            path.to(Point::new(xt, t_entry), None);
            Some(path)
        };
        // A labelled edge prefers the zig, whose run along the row line has
        // room for its pill; a gutter between tiles has none.
        let found = if want.label_w > 0.0 {
            zig().or_else(spanning)
        } else {
            spanning().or_else(zig)
        };
        if let Some(path) = found {
            return path;
        }
        for g in beside.into_iter().flatten() {
            let gx = grid.gutters[g];
            let t_side = if gx < t.x { t.x } else { t.right() };
            let gutter = Some((Channel::Gutter(vpc, g), source_bundle));
            let s_side = if gx < s.x { s.x } else { s.right() };
            let adjacent = (gx - s_side).abs() < 40.0 && !(s.x < gx && gx < s.right());
            if adjacent && grid.gutter_clear(g, s_mid, t_mid) {
                let mut path = Path::start(Point::new(s_side, s_mid));
                path.to(Point::new(gx, s_mid), None);
                path.to(Point::new(gx, t_mid), gutter);
                path.to(Point::new(t_side, t_mid), None);
                return path;
            }
            let (line, channel) = self.line_beyond(vpc, from, dir);
            if grid.gutter_clear(g, line, t_mid) {
                let x = s.center_x().clamp(s.x + PORT_INSET, s.right() - PORT_INSET);
                let mut path = Path::start(Point::new(x, s_exit));
                path.to(Point::new(x, line), None);
                path.to(Point::new(gx, line), Some((channel, source_bundle)));
                path.to(Point::new(gx, t_mid), gutter);
                path.to(Point::new(t_side, t_mid), None);
                return path;
            }
        }
        self.by_row_lines(vpc, from, to, dir, dir, source_bundle, target_bundle)
    }

    /// The row line just past an anchor in `dir`, and its channel.
    fn line_beyond(&self, vpc: usize, anchor: Anchor, dir: Dir) -> (f64, Channel) {
        let grid = &self.placed.grids[vpc];
        let (first, last) = self.grid_rows(anchor);
        match dir {
            Dir::Up => (
                grid.rows.get(first).map_or(grid.rect.y, |r| r.above),
                Channel::GridRow(vpc, first),
            ),
            Dir::Down => (
                grid.rows.get(last).map_or(grid.rect.bottom(), |r| r.below),
                Channel::GridRow(vpc, last + 1),
            ),
        }
    }

    /// The general route inside a grid: out of the source onto the row line
    /// past it, along a clear gutter to the row line before the target, in.
    #[allow(clippy::too_many_arguments)]
    fn by_row_lines(
        &self,
        vpc: usize,
        from: Anchor,
        to: Anchor,
        out: Dir,
        into: Dir,
        source_bundle: Bundle,
        target_bundle: Bundle,
    ) -> Path {
        let grid = &self.placed.grids[vpc];
        let (s, t) = (self.rect(from), self.rect(to));
        let (from_line, from_channel) = self.line_beyond(vpc, from, out);
        // The target is entered from the side facing `into`'s opposite.
        let entry_side = opposite(into);
        let (to_line, to_channel) = self.line_beyond(vpc, to, entry_side);
        let xs = s.center_x().clamp(
            s.x + PORT_INSET.min(s.w / 2.0),
            s.right() - PORT_INSET.min(s.w / 2.0),
        );
        let xt = entry_x(to, t, grid);
        let port_y = |rect: Rect, side: Dir| match side {
            Dir::Up => rect.y,
            Dir::Down => rect.bottom(),
        };
        let mut path = Path::start(Point::new(xs, port_y(s, out)));
        path.to(Point::new(xs, from_line), None);
        if (from_line - to_line).abs() > 1e-6 {
            let middle = (xs + xt) / 2.0;
            let gutter_x = grid.gutter_near(middle, from_line, to_line);
            let g = grid
                .gutters
                .iter()
                .position(|&x| x == gutter_x)
                .unwrap_or(0);
            path.to(
                Point::new(gutter_x, from_line),
                Some((from_channel, source_bundle)),
            );
            path.to(
                Point::new(gutter_x, to_line),
                Some((Channel::Gutter(vpc, g), source_bundle)),
            );
            path.to(Point::new(xt, to_line), Some((to_channel, target_bundle)));
        } else {
            path.to(Point::new(xt, to_line), Some((from_channel, source_bundle)));
        }
        path.to(Point::new(xt, port_y(t, entry_side)), None);
        path
    }

    /// The line of shelf `shelf` above (`Up`) or below (`Down`) row `row`.
    fn shelf_line(layout: &ShelfLayout, shelf: usize, row: usize, dir: Dir) -> (f64, Channel) {
        match dir {
            Dir::Up => (
                layout.rows.get(row).map_or(layout.rect.y, |r| r.line),
                Channel::ShelfRow(shelf, row),
            ),
            Dir::Down => {
                let bottom = layout.rect.bottom() - (layout.left - layout.rect.x);
                (
                    layout.rows.get(row + 1).map_or(bottom, |r| r.line),
                    Channel::ShelfRow(shelf, row + 1),
                )
            }
        }
    }

    /// From an anchor's port out of its frames, up or down, to a line of
    /// shelf `lca`; `prefer` is the x the port would best have.
    fn stem(
        &self,
        anchor: Anchor,
        dir: Dir,
        lca: usize,
        prefer: f64,
        bundle: Bundle,
    ) -> (Path, Channel) {
        let rect = self.rect(anchor);
        let grid = self.grid_of(anchor);
        let port_y = match dir {
            Dir::Up => rect.y,
            Dir::Down => rect.bottom(),
        };
        let mut path;
        if let Some(vpc) = grid {
            let g = &self.placed.grids[vpc];
            let edge = match dir {
                Dir::Up => g.rect.y,
                Dir::Down => g.rect.bottom(),
            };
            let straight = self
                .port_xs(rect, prefer, Some(vpc))
                .into_iter()
                .find(|&x| self.clear_vertical(vpc, x, port_y, edge, &[anchor]));
            match straight {
                Some(x) => {
                    path = Path::start(Point::new(x, port_y));
                    let tag = gutter_at(g, x).map(|index| (Channel::Gutter(vpc, index), bundle));
                    path.to(Point::new(x, edge), tag);
                }
                None => 'blocked: {
                    // Out of the side into a gutter that runs clear to the
                    // grid's edge (the outer ones always do): a row line
                    // would cross every edge dropping into the row.
                    let mid = side_y(anchor, rect);
                    let mut beside = Self::gutters_beside(g, rect);
                    if prefer > rect.center_x() {
                        beside.reverse();
                    }
                    if let Some(index) = beside
                        .into_iter()
                        .flatten()
                        .find(|&index| g.gutter_clear(index, mid, edge))
                    {
                        let gx = g.gutters[index];
                        let side = if gx < rect.x { rect.x } else { rect.right() };
                        path = Path::start(Point::new(side, mid));
                        path.to(Point::new(gx, mid), None);
                        path.to(
                            Point::new(gx, edge),
                            Some((Channel::Gutter(vpc, index), bundle)),
                        );
                        break 'blocked;
                    }
                    let x = prefer.clamp(
                        rect.x + PORT_INSET.min(rect.w / 2.0),
                        rect.right() - PORT_INSET.min(rect.w / 2.0),
                    );
                    let (line, channel) = self.line_beyond(vpc, anchor, dir);
                    let gutter_x = g.gutter_near(x, line, edge);
                    let index = g.gutters.iter().position(|&gx| gx == gutter_x).unwrap_or(0);
                    path = Path::start(Point::new(x, port_y));
                    path.to(Point::new(x, line), None);
                    path.to(Point::new(gutter_x, line), Some((channel, bundle)));
                    path.to(
                        Point::new(gutter_x, edge),
                        Some((Channel::Gutter(vpc, index), bundle)),
                    );
                }
            }
        } else {
            let inset = match anchor {
                Anchor::Vpc(_) => 48.0_f64,
                _ => PORT_INSET,
            }
            .min(rect.w / 2.0);
            let x = prefer.clamp(rect.x + inset, rect.right() - inset);
            path = Path::start(Point::new(x, port_y));
        }
        let chain = self.shelf_chain(anchor);
        for &(shelf, row) in &chain {
            let layout = &self.placed.shelves[shelf];
            let here = path.last();
            let (line, channel) = Self::shelf_line(layout, shelf, row, dir);
            if shelf == lca {
                path.to(Point::new(here.x, line), None);
                return (path, channel);
            }
            let last_row = layout.rows.len().saturating_sub(1);
            let edge = match dir {
                Dir::Up => layout.rect.y,
                Dir::Down => layout.rect.bottom(),
            };
            // Straight on when no item of the rows it passes stands in the way.
            let open = match dir {
                Dir::Up => row == 0,
                Dir::Down => row >= last_row,
            } || layout.items.iter().all(|&(item, item_row)| {
                let passed = match dir {
                    Dir::Up => item_row < row,
                    Dir::Down => item_row > row,
                };
                !passed || here.x < item.x - CLEARANCE || here.x > item.right() + CLEARANCE
            });
            if open {
                path.to(Point::new(here.x, edge), None);
            } else {
                let right = here.x - layout.left > layout.right - here.x;
                let side = if right { layout.right } else { layout.left };
                path.to(Point::new(here.x, line), None);
                path.to(Point::new(side, line), Some((channel, bundle)));
                path.to(
                    Point::new(side, edge),
                    Some((Channel::ShelfSide(shelf, right), bundle)),
                );
            }
        }
        // The chain always reaches the top shelf, which holds both ends;
        // a broken chain ends where it is.
        (path, Channel::ShelfRow(lca, 0))
    }

    /// A straight line between two ends outside any grid (VPCs, shelf
    /// tiles) that face each other with no VPC or tile between them.
    fn facing(&self, from: Anchor, to: Anchor, want: Want) -> Option<Path> {
        if self.grid_of(from).is_some() || self.grid_of(to).is_some() {
            return None;
        }
        let (s, t) = (self.rect(from), self.rect(to));
        let ends = [from, to];
        let blockers = self
            .placed
            .grids
            .iter()
            .enumerate()
            .map(|(v, g)| (Anchor::Vpc(v), g.rect))
            .chain(
                self.placed
                    .homes
                    .iter()
                    .enumerate()
                    .filter(|(_, home)| matches!(home, Home::Shelf { .. }))
                    .map(|(t, _)| (Anchor::Tile(t), self.placed.tiles[t].rect)),
            );
        let tag = (
            Channel::Pair(anchor_key(from), anchor_key(to)),
            Bundle {
                labelled: want.label_w > 0.0,
                kind: want.kind,
                at_target: false,
                end: anchor_key(from),
            },
        );
        let (low, high) = (
            s.y.max(t.y) + PORT_INSET,
            s.bottom().min(t.bottom()) - PORT_INSET,
        );
        if low <= high && (s.right() < t.x || t.right() < s.x) {
            let y = (low + high) / 2.0;
            let (x1, x2) = if s.right() < t.x {
                (s.right(), t.x)
            } else {
                (s.x, t.right())
            };
            let (a, b) = (x1.min(x2), x1.max(x2));
            // Its pill needs a stretch between the frame borders it crosses.
            if want.label_w > 0.0 {
                let mut stops: Vec<f64> = self
                    .placed
                    .containers
                    .iter()
                    .filter(|c| c.rect.y < y && y < c.rect.bottom())
                    .flat_map(|c| [c.rect.x, c.rect.right()])
                    .filter(|&x| x > a && x < b)
                    .chain([a, b])
                    .collect();
                stops.sort_by(f64::total_cmp);
                let room = stops.windows(2).map(|w| w[1] - w[0]).fold(0.0, f64::max);
                if room < want.label_w + 6.0 {
                    return None;
                }
            }
            let mut blockers = blockers;
            if blockers.all(|(anchor, r)| ends.contains(&anchor) || horizontal_clear(y, a, b, &r)) {
                let mut path = Path::start(Point::new(x1, y));
                path.to(Point::new(x2, y), Some(tag));
                return Some(path);
            }
            return None;
        }
        let (low, high) = (
            s.x.max(t.x) + PORT_INSET,
            s.right().min(t.right()) - PORT_INSET,
        );
        if low <= high && (s.bottom() < t.y || t.bottom() < s.y) {
            let x = (low + high) / 2.0;
            let (y1, y2) = if s.bottom() < t.y {
                (s.bottom(), t.y)
            } else {
                (s.y, t.bottom())
            };
            let (a, b) = (y1.min(y2), y1.max(y2));
            if want.label_w > 0.0 && b - a < PILL_H + 24.0 {
                return None;
            }
            let mut blockers = blockers;
            if blockers.all(|(anchor, r)| ends.contains(&anchor) || vertical_clear(x, a, b, &r)) {
                let mut path = Path::start(Point::new(x, y1));
                path.to(Point::new(x, y2), Some(tag));
                return Some(path);
            }
        }
        None
    }

    /// One bend between ends in different frames: out of the source's side
    /// and into the target's top or bottom, or out of the source's top or
    /// bottom and into the target's side, when neither leg meets a tile.
    fn elbow(&self, from: Anchor, to: Anchor, want: Want) -> Option<Path> {
        let (s, t) = (self.rect(from), self.rect(to));
        let skip: Vec<usize> = [from, to]
            .iter()
            .filter_map(|a| match a {
                Anchor::Tile(t) => Some(*t),
                _ => None,
            })
            .collect();
        let tag = Some((
            Channel::Pair(anchor_key(from), anchor_key(to)),
            Bundle {
                labelled: want.label_w > 0.0,
                kind: want.kind,
                at_target: false,
                end: anchor_key(from),
            },
        ));
        let inset = |r: Rect| PORT_INSET.min(r.w / 2.0).min(r.h / 2.0);
        let mut legs: Vec<[Point; 3]> = Vec::new();
        // Side of the source, then down or up into the target.
        let y = s.y + s.h / 2.0;
        if t.y > y + inset(t) || t.bottom() < y - inset(t) {
            let entry = if t.y > y { t.y } else { t.bottom() };
            if t.x > s.right() {
                let x = t.x + inset(t);
                legs.push([
                    Point::new(s.right(), y),
                    Point::new(x, y),
                    Point::new(x, entry),
                ]);
            } else if t.right() < s.x {
                let x = t.right() - inset(t);
                legs.push([Point::new(s.x, y), Point::new(x, y), Point::new(x, entry)]);
            }
        }
        // Top or bottom of the source, then into the target's side.
        let y = t.y + t.h / 2.0;
        if y > s.bottom() + inset(s) || y < s.y - inset(s) {
            let exit = if y > s.bottom() { s.bottom() } else { s.y };
            if t.x > s.right() {
                let x = s.right() - inset(s);
                legs.push([Point::new(x, exit), Point::new(x, y), Point::new(t.x, y)]);
            } else if t.right() < s.x {
                let x = s.x + inset(s);
                legs.push([
                    Point::new(x, exit),
                    Point::new(x, y),
                    Point::new(t.right(), y),
                ]);
            }
        }
        let leg = legs
            .into_iter()
            .find(|[a, b, c]| self.index.clear(*a, *b, &skip) && self.index.clear(*b, *c, &skip))?;
        let mut path = Path::start(leg[0]);
        path.to(leg[1], tag);
        path.to(leg[2], tag);
        Some(path)
    }

    /// A route between anchors in different frames.
    fn across(&self, from: Anchor, to: Anchor, want: Want) -> Path {
        if let Some(path) = self.facing(from, to, want) {
            return path;
        }
        if let Some(path) = self.elbow(from, to, want) {
            return path;
        }
        let from_chain = self.shelf_chain(from);
        let to_chain = self.shelf_chain(to);
        let (lca, from_row, to_row) = from_chain
            .iter()
            .find_map(|&(shelf, row)| {
                to_chain
                    .iter()
                    .find(|&&(other, _)| other == shelf)
                    .map(|&(_, to_row)| (shelf, row, to_row))
            })
            .unwrap_or((0, 0, 0));
        let source_bundle = Bundle {
            labelled: false,
            kind: want.kind,
            at_target: false,
            end: anchor_key(from),
        };
        let target_bundle = Bundle {
            labelled: false,
            kind: want.kind,
            at_target: true,
            end: anchor_key(to),
        };
        let t = self.rect(to);
        let options: &[(Dir, Dir)] = if from_row < to_row {
            &[(Dir::Down, Dir::Up)]
        } else if from_row > to_row {
            &[(Dir::Up, Dir::Down)]
        } else {
            &[(Dir::Up, Dir::Up), (Dir::Down, Dir::Down)]
        };
        let layout = &self.placed.shelves[lca];
        options
            .iter()
            .map(|&(out, into)| {
                let (source, source_line) = self.stem(from, out, lca, t.center_x(), source_bundle);
                let (target, target_line) =
                    self.stem(to, into, lca, source.last().x, target_bundle);
                let (a, b) = (source.last(), target.last());
                let mut path = source;
                if (a.y - b.y).abs() < 1e-6 {
                    path.to(Point::new(b.x, a.y), Some((source_line, source_bundle)));
                } else {
                    let middle = (a.x + b.x) / 2.0;
                    let right = middle - layout.left > layout.right - middle;
                    let side = if right { layout.right } else { layout.left };
                    path.to(Point::new(side, a.y), Some((source_line, source_bundle)));
                    path.to(
                        Point::new(side, b.y),
                        Some((Channel::ShelfSide(lca, right), source_bundle)),
                    );
                    path.to(Point::new(b.x, b.y), Some((target_line, source_bundle)));
                }
                path.join_reversed(target)
            })
            .min_by(|x, y| x.length().total_cmp(&y.length()))
            .unwrap_or_default()
    }

    fn route(&self, from: Anchor, to: Anchor, want: Want) -> Path {
        let path = match (self.grid_of(from), self.grid_of(to)) {
            (Some(a), Some(b)) if a == b => self.within_grid(a, from, to, want),
            _ => self.across(from, to, want),
        };
        path.simplified()
    }
}

/// How far a line's tracks may spread either side of it.
fn capacity(channel: Channel, placed: &Placed) -> f64 {
    match channel {
        Channel::GridRow(..) => 6.0,
        Channel::Gutter(vpc, g) => placed.grids[vpc].gutter_room.get(g).copied().unwrap_or(6.0),
        Channel::ShelfRow(..) => 12.0,
        Channel::ShelfSide(..) => 5.0,
        Channel::Pair(..) => PAIR_SPREAD,
    }
}

/// A run of one edge on a line: its extent along the line, and which way
/// the route turns at each end (-1 towards lower coordinates, +1 towards
/// higher, 0 where the route ends).
#[derive(Debug, Clone, Copy)]
struct Run {
    low: f64,
    high: f64,
    turns: [(f64, i8); 2],
}

/// Crossings if bundle `a` runs on the track before (above or left of)
/// bundle `b`: every turn of one towards the other, inside the other's run,
/// crosses it.
fn crossings_if_before(a: &[Run], b: &[Run]) -> usize {
    let inside = |at: f64, run: &Run| run.low + 0.5 < at && at < run.high - 0.5;
    let mut count = 0;
    for x in a {
        for y in b {
            count += y
                .turns
                .iter()
                .filter(|&&(at, way)| way < 0 && inside(at, x))
                .count();
            count += x
                .turns
                .iter()
                .filter(|&&(at, way)| way > 0 && inside(at, y))
                .count();
        }
    }
    count
}

/// Tracks: every bundle on a line gets its own offset from the line, in the
/// order that makes the fewest crossings between them where they turn off.
fn assign_tracks(paths: &mut [Path], placed: &Placed) {
    let mut on: BTreeMap<Channel, BTreeMap<Bundle, Vec<Run>>> = BTreeMap::new();
    for path in paths.iter() {
        for (i, tag) in path.tags.iter().enumerate() {
            let Some((channel, bundle)) = tag else {
                continue;
            };
            let (a, b) = (path.points[i], path.points[i + 1]);
            let flat = horizontal(a, b);
            let along = |p: Point| if flat { p.x } else { p.y };
            let across = |p: Point| if flat { p.y } else { p.x };
            let turn = |end: Point, neighbour: Option<&Point>| {
                let way = neighbour.map_or(0, |n| {
                    if across(*n) < across(end) - 1e-9 {
                        -1
                    } else if across(*n) > across(end) + 1e-9 {
                        1
                    } else {
                        0
                    }
                });
                (along(end), way)
            };
            let run = Run {
                low: along(a).min(along(b)),
                high: along(a).max(along(b)),
                turns: [
                    turn(a, i.checked_sub(1).and_then(|j| path.points.get(j))),
                    turn(b, path.points.get(i + 2)),
                ],
            };
            on.entry(*channel)
                .or_default()
                .entry(*bundle)
                .or_default()
                .push(run);
        }
    }
    let mut offsets: HashMap<(Channel, Bundle), f64> = HashMap::new();
    for (channel, bundles) in on {
        // Insertion by pairwise cost: few bundles share a line.
        let mut order: Vec<(Bundle, Vec<Run>)> = Vec::with_capacity(bundles.len());
        for (bundle, runs) in bundles {
            let at = (0..=order.len())
                .min_by_key(|&slot| {
                    let before: usize = order[..slot]
                        .iter()
                        .map(|(_, other)| crossings_if_before(other, &runs))
                        .sum();
                    let after: usize = order[slot..]
                        .iter()
                        .map(|(_, other)| crossings_if_before(&runs, other))
                        .sum();
                    // Ties keep the bundles' own order.
                    (before + after, std::cmp::Reverse(slot))
                })
                .unwrap_or(0);
            order.insert(at, (bundle, runs));
        }
        let count = order.len();
        let spread = capacity(channel, placed);
        let step = if count > 1 {
            TRACK.min(2.0 * spread / (count - 1) as f64)
        } else {
            0.0
        };
        for (i, (bundle, _)) in order.into_iter().enumerate() {
            let offset = (i as f64 - (count - 1) as f64 / 2.0) * step;
            offsets.insert((channel, bundle), offset);
        }
    }
    for path in paths.iter_mut() {
        for i in 0..path.tags.len() {
            let Some(tag) = path.tags[i] else { continue };
            let offset = offsets.get(&tag).copied().unwrap_or(0.0);
            let (a, b) = (path.points[i], path.points[i + 1]);
            if horizontal(a, b) {
                path.points[i].y += offset;
                path.points[i + 1].y += offset;
            } else {
                path.points[i].x += offset;
                path.points[i + 1].x += offset;
            }
        }
    }
}

const PILL_FONT: Font = Font::regular(9.5);
const PILL_MAX_TEXT: f64 = 150.0;
const PILL_H: f64 = 14.0;

/// Something a pill must not lie over.
#[derive(Debug, Clone, Copy)]
enum Obstacle {
    /// A tile, a frame title or a pill already placed.
    Area(Rect),
    /// A frame's border.
    Border(Point, Point),
    /// A segment of route `route`.
    Line(usize, Point, Point),
}

/// Obstacles bucketed by area, so a lookup touches only its neighbourhood.
struct Obstacles {
    cells: HashMap<(i64, i64), Vec<Obstacle>>,
}

impl Obstacles {
    const CELL: f64 = 128.0;

    fn cells(x0: f64, x1: f64, y0: f64, y1: f64) -> impl Iterator<Item = (i64, i64)> {
        let span =
            |a: f64, b: f64| (a / Self::CELL).floor() as i64..=(b / Self::CELL).floor() as i64;
        let rows = span(y0, y1);
        span(x0, x1).flat_map(move |x| rows.clone().map(move |y| (x, y)))
    }

    fn add(&mut self, obstacle: Obstacle) {
        let (x0, x1, y0, y1) = match obstacle {
            Obstacle::Area(r) => (r.x, r.right(), r.y, r.bottom()),
            Obstacle::Border(a, b) | Obstacle::Line(_, a, b) => {
                (a.x.min(b.x), a.x.max(b.x), a.y.min(b.y), a.y.max(b.y))
            }
        };
        for cell in Self::cells(x0, x1, y0, y1) {
            self.cells.entry(cell).or_default().push(obstacle);
        }
    }

    /// Whether `rect` is clear of everything but lines `belongs` accepts.
    fn free(&self, rect: &Rect, belongs: impl Fn(usize) -> bool) -> bool {
        let inner = Rect::new(rect.x + 0.5, rect.y + 0.5, rect.w - 1.0, rect.h - 1.0);
        let crosses = |a: Point, b: Point| {
            a.x.max(b.x) > inner.x
                && a.x.min(b.x) < inner.right()
                && a.y.max(b.y) > inner.y
                && a.y.min(b.y) < inner.bottom()
        };
        Self::cells(rect.x, rect.right(), rect.y, rect.bottom()).all(|cell| {
            self.cells.get(&cell).is_none_or(|obstacles| {
                obstacles.iter().all(|obstacle| match *obstacle {
                    Obstacle::Area(r) => !r.overlaps(&inner),
                    Obstacle::Border(a, b) => !crosses(a, b),
                    Obstacle::Line(route, a, b) => belongs(route) || !crosses(a, b),
                })
            })
        })
    }
}

/// The box a frame's title covers (the VPC's includes its tab).
fn title_box(container: &Container) -> Rect {
    let title = &container.title;
    let text = Rect::new(title.x - 2.0, title.y - 12.0, title.width + 4.0, 16.0);
    if container.frame == Frame::Vpc {
        Rect::new(container.rect.x, container.rect.y, title.width + 16.0, 22.0)
    } else {
        text
    }
}

/// Places for a pill `w` wide along a route, nearest the target first:
/// walking back from the arrowhead, centred on the line, then just beside
/// it on either side (where a parallel edge of another kind runs).
fn spots(points: &[Point], w: f64) -> Vec<Rect> {
    let mut spots = Vec::new();
    for (index, pair) in points.windows(2).enumerate().rev() {
        let (a, b) = (pair[0], pair[1]);
        let length = (a.x - b.x).abs() + (a.y - b.y).abs();
        let last = index + 2 == points.len();
        let start = if last { 20.0 } else { 10.0 };
        let flat = horizontal(a, b);
        let mut d = start;
        while d <= length - 8.0 {
            let t = d / length;
            let c = Point::new(b.x + (a.x - b.x) * t, b.y + (a.y - b.y) * t);
            let centred = Rect::new(c.x - w / 2.0, c.y - PILL_H / 2.0, w, PILL_H);
            spots.push(centred);
            // Just overlapping its own line, so a parallel line a track
            // away stays outside.
            let beside = if flat {
                [PILL_H / 2.0 - 1.0, 1.0 - PILL_H / 2.0].map(|dy| centred.shifted(0.0, dy))
            } else {
                [w / 2.0 - 1.0, 1.0 - w / 2.0].map(|dx| centred.shifted(dx, 0.0))
            };
            spots.extend(beside);
            d += 8.0;
        }
    }
    spots
}

/// Routes of every edge in the scene, in the scene's (sorted) edge order.
pub fn all(scene: &Scene, placed: &Placed) -> Vec<Route> {
    let router = Router {
        scene,
        placed,
        index: TileIndex::new(placed.tiles.iter().map(|t| t.rect).collect()),
    };
    let planned: Vec<(usize, Anchor, Anchor)> = scene
        .edges
        .iter()
        .enumerate()
        .filter_map(|(edge, spec)| {
            let from = *scene.anchors.get(&spec.from)?;
            let to = *scene.anchors.get(&spec.to)?;
            Some((edge, from, to))
        })
        .collect();
    // Which edges carry a pill, decided before routing so a labelled run
    // can be given room: port labels before route labels, and one pill per
    // bundle (edges of one kind and label fanning out of one source or into
    // one target say it once).
    let mut labels: Vec<Option<TextLine>> = vec![None; planned.len()];
    let mut said: HashSet<(bool, &str, EdgeKind, &str)> = HashSet::new();
    for optional in [false, true] {
        for (route, &(edge, _, _)) in planned.iter().enumerate() {
            let spec = &scene.edges[edge];
            if spec.label.is_empty() || (spec.kind == EdgeKind::Routes) != optional {
                continue;
            }
            let keys = [
                (true, spec.to.as_str(), spec.kind, spec.label.as_str()),
                (false, spec.from.as_str(), spec.kind, spec.label.as_str()),
            ];
            if keys.iter().any(|key| said.contains(key)) {
                continue;
            }
            said.extend(keys);
            labels[route] = Some(TextLine::fitted(
                &spec.label,
                0.0,
                0.0,
                PILL_FONT,
                PILL_MAX_TEXT,
            ));
        }
    }
    let mut paths: Vec<Path> = planned
        .iter()
        .zip(&labels)
        .map(|(&(edge, from, to), label)| {
            let want = Want {
                kind: scene.edges[edge].kind,
                label_w: label.as_ref().map_or(0.0, |text| text.width + 10.0),
            };
            router.route(from, to, want)
        })
        .collect();
    assign_tracks(&mut paths, placed);
    let mut obstacles = Obstacles {
        cells: HashMap::new(),
    };
    for tile in &placed.tiles {
        obstacles.add(Obstacle::Area(tile.rect));
    }
    for container in &placed.containers {
        obstacles.add(Obstacle::Area(title_box(container)));
        let r = container.rect;
        let corners = [
            Point::new(r.x, r.y),
            Point::new(r.right(), r.y),
            Point::new(r.right(), r.bottom()),
            Point::new(r.x, r.bottom()),
        ];
        for i in 0..4 {
            obstacles.add(Obstacle::Border(corners[i], corners[(i + 1) % 4]));
        }
    }
    for (route, path) in paths.iter().enumerate() {
        for pair in path.points.windows(2) {
            obstacles.add(Obstacle::Line(route, pair[0], pair[1]));
        }
    }
    // Pills: port labels first, so a route label never takes their spot.
    let mut pills: Vec<Option<Pill>> = vec![None; paths.len()];
    for optional in [false, true] {
        for (route, &(edge, from, to)) in planned.iter().enumerate() {
            let spec = &scene.edges[edge];
            let Some(text) = labels[route].clone() else {
                continue;
            };
            if (spec.kind == EdgeKind::Routes) != optional {
                continue;
            }
            let belongs = |other: usize| {
                let (other_edge, other_from, other_to) = planned[other];
                other == route
                    || (scene.edges[other_edge].kind == spec.kind
                        && [other_from, other_to]
                            .iter()
                            .any(|end| *end == from || *end == to))
            };
            let w = text.width + 10.0;
            let at = |c: Point| Rect::new(c.x - w / 2.0, c.y - PILL_H / 2.0, w, PILL_H);
            let points = &paths[route].points;
            // Route lines give way last: the view is to show routes as
            // badges on the subnet, and a port label matters more.
            let over_routes = |other: usize| {
                belongs(other) || scene.edges[planned[other].0].kind == EdgeKind::Routes
            };
            let candidates = spots(points, w);
            let chosen = candidates
                .iter()
                .find(|rect| obstacles.free(rect, belongs))
                .or_else(|| {
                    candidates
                        .iter()
                        .find(|rect| !optional && obstacles.free(rect, over_routes))
                })
                .copied();
            let rect = match chosen {
                Some(rect) => rect,
                None if optional => continue,
                None => {
                    let (a, b) = points
                        .windows(2)
                        .map(|w| (w[0], w[1]))
                        .max_by(|x, y| {
                            let length =
                                |s: &(Point, Point)| (s.0.x - s.1.x).abs() + (s.0.y - s.1.y).abs();
                            length(x).total_cmp(&length(y))
                        })
                        .unwrap_or((points[0], points[0]));
                    at(Point::new((a.x + b.x) / 2.0, (a.y + b.y) / 2.0))
                }
            };
            obstacles.add(Obstacle::Area(rect));
            let mut text = text;
            text.shift(rect.x + 5.0, rect.y + 10.5);
            pills[route] = Some(Pill {
                rect,
                text,
                tooltip: crate::text::visible(&spec.label),
            });
        }
    }
    planned
        .iter()
        .zip(paths)
        .zip(pills)
        .map(|((&(edge, _, _), path), label)| {
            let spec = &scene.edges[edge];
            Route {
                from: spec.from.clone(),
                to: spec.to.clone(),
                kind: spec.kind,
                points: path.points,
                label,
            }
        })
        .collect()
}
