//! Edge routes: orthogonal polylines that run only along clear lines — the
//! gaps between tile rows and columns of a VPC grid, and the gaps between
//! shelves and the side padding of region, account and top-level frames.
//! A route leaves its source from the top or bottom, climbs out of every
//! frame that does not also hold its target, crosses in the lowest common
//! frame, and climbs down into the target the same way. No search, no
//! pairwise checks: each edge costs a walk up the frame tree, and every
//! segment lies on a line the layout keeps free of tiles, so no route
//! crosses a tile other than its own two ends.

use std::collections::HashMap;

use crate::layout::scene::{Anchor, Scene};
use crate::layout::shelf::{Home, Placed};
use crate::layout::{Font, Pill, Point, Rect, Route, TextLine};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
enum Side {
    Top,
    Bottom,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Scope {
    Grid(usize),
    Shelf(usize),
}

/// Key of an anchor for port bookkeeping.
fn anchor_key(anchor: Anchor) -> (u8, usize, usize, usize) {
    match anchor {
        Anchor::Tile(t) => (0, t, 0, 0),
        Anchor::Vpc(v) => (1, v, 0, 0),
        Anchor::Subnet(v, z, s) => (2, v, z, s),
    }
}

struct Router<'a> {
    scene: &'a Scene,
    placed: &'a Placed,
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

    fn scopes(&self, anchor: Anchor) -> Vec<Scope> {
        let mut scopes = Vec::new();
        let mut shelf = match anchor {
            Anchor::Tile(t) => match self.placed.homes[t] {
                Home::Grid { vpc, .. } => {
                    scopes.push(Scope::Grid(vpc));
                    self.placed.vpc_rows[vpc].0
                }
                Home::Shelf { shelf, .. } => shelf,
            },
            Anchor::Vpc(v) => self.placed.vpc_rows[v].0,
            Anchor::Subnet(v, _, _) => {
                scopes.push(Scope::Grid(v));
                self.placed.vpc_rows[v].0
            }
        };
        for _ in 0..16 {
            scopes.push(Scope::Shelf(shelf));
            match self.placed.shelf_rows[shelf] {
                Some((parent, _)) => shelf = parent,
                None => break,
            }
        }
        scopes
    }

    /// Rows an anchor occupies in its VPC grid.
    fn grid_rows(&self, anchor: Anchor) -> (usize, usize) {
        match anchor {
            Anchor::Tile(t) => match self.placed.homes[t] {
                Home::Grid { row, .. } => (row, row),
                Home::Shelf { row, .. } => (row, row),
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

    /// The clear line a grid anchor's port on `side` connects to.
    fn grid_line(&self, vpc: usize, anchor: Anchor, side: Side) -> f64 {
        let grid = &self.placed.grids[vpc];
        let (first, last) = self.grid_rows(anchor);
        match side {
            Side::Top => grid.rows.get(first).map_or(grid.rect.y, |r| r.above),
            Side::Bottom => grid.rows.get(last).map_or(grid.rect.bottom(), |r| r.below),
        }
    }

    fn port(&self, anchor: Anchor, side: Side, fraction: f64) -> Point {
        let rect = self.rect(anchor);
        let inset: f64 = match anchor {
            Anchor::Tile(_) => 16.0_f64,
            Anchor::Subnet(..) => 24.0,
            Anchor::Vpc(_) => 48.0,
        }
        .min(rect.w / 2.0);
        let x = rect.x + inset + (rect.w - 2.0 * inset) * fraction;
        let y = if side == Side::Top {
            rect.y
        } else {
            rect.bottom()
        };
        Point::new(x, y)
    }

    /// From a grid anchor's top port up to its VPC's top border.
    fn climb_grid(
        &self,
        vpc: usize,
        anchor: Anchor,
        port: Point,
        offset: f64,
        points: &mut Vec<Point>,
    ) -> f64 {
        let grid = &self.placed.grids[vpc];
        points.push(port);
        let top_row = matches!(anchor, Anchor::Tile(_)) && self.grid_rows(anchor).0 == 0;
        if top_row {
            points.push(Point::new(port.x, grid.rect.y));
            return port.x;
        }
        let line = self.grid_line(vpc, anchor, Side::Top) + offset;
        let exit = grid.gutter_near(port.x, grid.rect.y, line) + offset;
        points.push(Point::new(port.x, line));
        points.push(Point::new(exit, line));
        points.push(Point::new(exit, grid.rect.y));
        exit
    }

    /// Points from an anchor's port up to the top of the item that lies
    /// directly in shelf `lca`; returns the item top's x and its row.
    fn climb(
        &self,
        anchor: Anchor,
        port: Point,
        lca: usize,
        offset: f64,
        points: &mut Vec<Point>,
    ) -> (f64, usize) {
        let (mut x, mut shelf, mut row) = match anchor {
            Anchor::Tile(t) => match self.placed.homes[t] {
                Home::Grid { vpc, .. } => {
                    let x = self.climb_grid(vpc, anchor, port, offset, points);
                    let (shelf, row) = self.placed.vpc_rows[vpc];
                    (x, shelf, row)
                }
                Home::Shelf { shelf, row } => {
                    points.push(port);
                    (port.x, shelf, row)
                }
            },
            Anchor::Subnet(v, _, _) => {
                let x = self.climb_grid(v, anchor, port, offset, points);
                let (shelf, row) = self.placed.vpc_rows[v];
                (x, shelf, row)
            }
            Anchor::Vpc(v) => {
                points.push(port);
                let (shelf, row) = self.placed.vpc_rows[v];
                (port.x, shelf, row)
            }
        };
        for _ in 0..16 {
            if shelf == lca {
                break;
            }
            let layout = &self.placed.shelves[shelf];
            let Some((parent, parent_row)) = self.placed.shelf_rows[shelf] else {
                break;
            };
            // Nothing stands above the first shelf but the frame's title:
            // leave straight up. From lower shelves, go round by the side.
            if row > 0 {
                let line = layout.rows.get(row).map_or(layout.rect.y, |r| r.line) + offset;
                let side = if x - layout.left < layout.right - x {
                    layout.left
                } else {
                    layout.right
                } + offset;
                points.push(Point::new(x, line));
                points.push(Point::new(side, line));
                x = side;
            }
            points.push(Point::new(x, layout.rect.y));
            shelf = parent;
            row = parent_row;
        }
        (x, row)
    }

    fn route(
        &self,
        from: Anchor,
        to: Anchor,
        ports: (Point, Side, Point, Side),
        offset: f64,
    ) -> Vec<Point> {
        let (from_port, from_side, to_port, to_side) = ports;
        let from_scopes = self.scopes(from);
        let to_scopes = self.scopes(to);
        let lca = from_scopes
            .iter()
            .copied()
            .find(|s| to_scopes.contains(s))
            .unwrap_or(Scope::Shelf(0));
        let mut points = Vec::with_capacity(10);
        match lca {
            Scope::Grid(vpc) => {
                let grid = &self.placed.grids[vpc];
                let from_line = self.grid_line(vpc, from, from_side) + offset;
                let to_line = self.grid_line(vpc, to, to_side) + offset;
                points.push(from_port);
                points.push(Point::new(from_port.x, from_line));
                if (from_line - to_line).abs() > 1e-6 {
                    let middle = (from_port.x + to_port.x) / 2.0;
                    let gutter = grid.gutter_near(middle, from_line, to_line) + offset;
                    points.push(Point::new(gutter, from_line));
                    points.push(Point::new(gutter, to_line));
                }
                points.push(Point::new(to_port.x, to_line));
                points.push(to_port);
            }
            Scope::Shelf(shelf) => {
                let (from_x, from_row) = self.climb(from, from_port, shelf, offset, &mut points);
                let mut back = Vec::with_capacity(8);
                let (to_x, to_row) = self.climb(to, to_port, shelf, offset, &mut back);
                let layout = &self.placed.shelves[shelf];
                let line =
                    |row: usize| layout.rows.get(row).map_or(layout.rect.y, |r| r.line) + offset;
                points.push(Point::new(from_x, line(from_row)));
                if from_row != to_row {
                    let middle = (from_x + to_x) / 2.0;
                    let side = if middle - layout.left < layout.right - middle {
                        layout.left
                    } else {
                        layout.right
                    } + offset;
                    points.push(Point::new(side, line(from_row)));
                    points.push(Point::new(side, line(to_row)));
                }
                points.push(Point::new(to_x, line(to_row)));
                points.extend(back.into_iter().rev());
            }
        }
        simplify(points)
    }

    /// Which side of each end an edge uses: downward edges leave from the
    /// bottom and enter at the top, upward ones the other way round; edges
    /// that leave the VPC use the top.
    fn sides(&self, from: Anchor, to: Anchor) -> (Side, Side) {
        let from_scopes = self.scopes(from);
        let to_scopes = self.scopes(to);
        if let (Some(Scope::Grid(a)), Some(Scope::Grid(b))) =
            (from_scopes.first(), to_scopes.first())
        {
            if a == b {
                let (from_first, from_last) = self.grid_rows(from);
                let (to_first, to_last) = self.grid_rows(to);
                if from_last < to_first {
                    return (Side::Bottom, Side::Top);
                }
                if from_first > to_last {
                    return (Side::Top, Side::Bottom);
                }
            }
        }
        (Side::Top, Side::Top)
    }
}

/// Drop repeated points and the middle of straight runs.
fn simplify(points: Vec<Point>) -> Vec<Point> {
    let mut out: Vec<Point> = Vec::with_capacity(points.len());
    for point in points {
        if out
            .last()
            .is_some_and(|last| (last.x - point.x).abs() < 1e-9 && (last.y - point.y).abs() < 1e-9)
        {
            continue;
        }
        if out.len() >= 2 {
            let a = out[out.len() - 2];
            let b = out[out.len() - 1];
            let collinear = ((a.x - b.x).abs() < 1e-9 && (b.x - point.x).abs() < 1e-9)
                || ((a.y - b.y).abs() < 1e-9 && (b.y - point.y).abs() < 1e-9);
            if collinear {
                out.pop();
            }
        }
        out.push(point);
    }
    out
}

const PILL_FONT: Font = Font::regular(9.5);
const PILL_MAX_TEXT: f64 = 150.0;

/// A label pill on the longest horizontal segment (or longest segment).
fn pill(points: &[Point], label: &str) -> Option<Pill> {
    if label.is_empty() || points.len() < 2 {
        return None;
    }
    let segments = points.windows(2).map(|w| (w[0], w[1]));
    let horizontal = segments
        .clone()
        .filter(|(a, b)| (a.y - b.y).abs() < 1e-9)
        .max_by(|x, y| (x.0.x - x.1.x).abs().total_cmp(&(y.0.x - y.1.x).abs()));
    let (a, b) = horizontal.or_else(|| {
        segments.max_by(|x, y| {
            ((x.0.x - x.1.x).abs() + (x.0.y - x.1.y).abs())
                .total_cmp(&((y.0.x - y.1.x).abs() + (y.0.y - y.1.y).abs()))
        })
    })?;
    let center = Point::new((a.x + b.x) / 2.0, (a.y + b.y) / 2.0);
    let text = TextLine::fitted(label, 0.0, 0.0, PILL_FONT, PILL_MAX_TEXT);
    let w = text.width + 10.0;
    let h = 14.0;
    let rect = Rect::new(center.x - w / 2.0, center.y - h / 2.0, w, h);
    let mut text = text;
    text.shift(rect.x + 5.0, rect.y + 10.5);
    Some(Pill {
        rect,
        text,
        tooltip: crate::render::text::visible(label),
    })
}

/// Routes of every edge in the scene, in the scene's (sorted) edge order.
pub fn all(scene: &Scene, placed: &Placed) -> Vec<Route> {
    let router = Router { scene, placed };
    // Resolve anchors and sides first, so ports on each side of each
    // anchor can be spread out, ordered by where the other end is.
    struct Planned {
        edge: usize,
        from: Anchor,
        to: Anchor,
        sides: (Side, Side),
    }
    let planned: Vec<Planned> = scene
        .edges
        .iter()
        .enumerate()
        .filter_map(|(edge, spec)| {
            let from = *scene.anchors.get(&spec.from)?;
            let to = *scene.anchors.get(&spec.to)?;
            Some(Planned {
                edge,
                from,
                to,
                sides: router.sides(from, to),
            })
        })
        .collect();
    type PortKey = ((u8, usize, usize, usize), Side);
    let mut by_port: HashMap<PortKey, Vec<(f64, usize, bool)>> = HashMap::new();
    for (index, plan) in planned.iter().enumerate() {
        let to_x = router.rect(plan.to).center_x();
        let from_x = router.rect(plan.from).center_x();
        by_port
            .entry((anchor_key(plan.from), plan.sides.0))
            .or_default()
            .push((to_x, index, true));
        by_port
            .entry((anchor_key(plan.to), plan.sides.1))
            .or_default()
            .push((from_x, index, false));
    }
    // Per planned edge: the port fraction at its source and at its target.
    let mut fractions: Vec<(f64, f64)> = vec![(0.5, 0.5); planned.len()];
    for list in by_port.values_mut() {
        list.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)).then(a.2.cmp(&b.2)));
        let count = list.len() as f64;
        for (rank, &(_, index, is_from)) in list.iter().enumerate() {
            let fraction = if count <= 1.0 {
                0.5
            } else {
                rank as f64 / (count - 1.0)
            };
            if is_from {
                fractions[index].0 = fraction;
            } else {
                fractions[index].1 = fraction;
            }
        }
    }
    planned
        .iter()
        .enumerate()
        .map(|(index, plan)| {
            let spec = &scene.edges[plan.edge];
            let from_port = router.port(plan.from, plan.sides.0, fractions[index].0);
            let to_port = router.port(plan.to, plan.sides.1, fractions[index].1);
            // Parallel routes on a shared line are nudged apart.
            let offset = ((index % 5) as f64 - 2.0) * 2.5;
            let points = router.route(
                plan.from,
                plan.to,
                (from_port, plan.sides.0, to_port, plan.sides.1),
                offset,
            );
            Route {
                from: spec.from.clone(),
                to: spec.to.clone(),
                kind: spec.kind,
                label: pill(&points, &spec.label),
                points,
            }
        })
        .collect()
}
