//! Geometry only: where every container, tile, edge route and label of the
//! architecture view goes, in absolute user units. Knows nothing of SVG or
//! colours; `render::svg` draws a [`Layout`] with the style table.
//!
//! The stages: [`scene`] decides what is drawn (which nodes are tiles, which
//! are folded into others, which edges remain), [`grid`] lays a VPC out as
//! zone columns × tier rows, [`shelf`] packs VPCs, regions and accounts
//! towards a screen-like shape, [`route`] draws edges orthogonally along the
//! clear channels those two leave between tiles, and [`chrome`] adds the
//! header and legend.

mod chrome;
mod grid;
mod route;
mod scene;
mod shelf;

use crate::graph::{EdgeKind, Graph, NodeKind};
pub use crate::style::{Category, Frame, Status};
pub use crate::text::Font;

/// An axis-aligned rectangle in user units.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Rect {
    pub x: f64,
    pub y: f64,
    pub w: f64,
    pub h: f64,
}

impl Rect {
    pub fn new(x: f64, y: f64, w: f64, h: f64) -> Rect {
        Rect { x, y, w, h }
    }

    pub fn right(&self) -> f64 {
        self.x + self.w
    }

    pub fn bottom(&self) -> f64 {
        self.y + self.h
    }

    pub fn center_x(&self) -> f64 {
        self.x + self.w / 2.0
    }

    /// Whether `inner` lies within this rectangle (edges may touch).
    pub fn contains(&self, inner: &Rect) -> bool {
        const EPS: f64 = 1e-6;
        inner.x >= self.x - EPS
            && inner.y >= self.y - EPS
            && inner.right() <= self.right() + EPS
            && inner.bottom() <= self.bottom() + EPS
    }

    /// Whether the interiors of the two rectangles intersect.
    pub fn overlaps(&self, other: &Rect) -> bool {
        self.x < other.right()
            && other.x < self.right()
            && self.y < other.bottom()
            && other.y < self.bottom()
    }

    fn shifted(&self, dx: f64, dy: f64) -> Rect {
        Rect::new(self.x + dx, self.y + dy, self.w, self.h)
    }
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Point {
    pub x: f64,
    pub y: f64,
}

impl Point {
    pub fn new(x: f64, y: f64) -> Point {
        Point { x, y }
    }
}

/// One line of text, already shortened to fit and made displayable.
#[derive(Debug, Clone, PartialEq)]
pub struct TextLine {
    pub text: String,
    /// Left end of the baseline.
    pub x: f64,
    /// Baseline.
    pub y: f64,
    pub font: Font,
    /// Measured width of `text`.
    pub width: f64,
}

impl TextLine {
    /// `raw` shortened to `max_width`, its baseline starting at `(x, y)`.
    pub fn fitted(raw: &str, x: f64, y: f64, font: Font, max_width: f64) -> TextLine {
        let text = font.fit(&crate::text::visible(raw), max_width);
        let width = font.measure(&text);
        TextLine {
            text,
            x,
            y,
            font,
            width,
        }
    }

    fn shift(&mut self, dx: f64, dy: f64) {
        self.x += dx;
        self.y += dy;
    }
}

/// A monthly cost figure as drawn: `$74/mo`, or `no price`.
#[derive(Debug, Clone, PartialEq)]
pub struct CostText {
    pub line: TextLine,
    /// Everything in it has a price (otherwise it reads `no price`, or a
    /// frame's subtotal says how many resources it leaves out).
    pub priced: bool,
}

/// A drawn container: account, region, VPC, availability zone or subnet.
#[derive(Debug, Clone, PartialEq)]
pub struct Container {
    /// Graph node id (zone columns built from subnet attributes get
    /// `VPC-ID/zone/ZONE`).
    pub id: String,
    pub kind: NodeKind,
    /// The drawn container this one lies in.
    pub parent: Option<String>,
    pub frame: Frame,
    pub rect: Rect,
    pub title: TextLine,
    /// Subtotal of an account, region or VPC frame, right-aligned in its
    /// title row, when the graph is priced.
    pub cost: Option<CostText>,
    pub tooltip: String,
}

/// A badge with its place.
#[derive(Debug, Clone, PartialEq)]
pub struct BadgeBox {
    pub badge: Status,
    pub rect: Rect,
    pub text: TextLine,
}

/// A drawn resource.
#[derive(Debug, Clone, PartialEq)]
pub struct Tile {
    /// Graph node id; a Multi-AZ standby is drawn as `ID#standby`.
    pub id: String,
    pub kind: NodeKind,
    /// The drawn container it lies in (`None` at the top level).
    pub parent: Option<String>,
    pub rect: Rect,
    pub icon: Rect,
    pub name: TextLine,
    pub detail: TextLine,
    pub badge: Option<BadgeBox>,
    /// Its monthly figure, right-aligned on the detail line, when the graph
    /// is priced and AWS charges for it.
    pub cost: Option<CostText>,
    /// Full name, id, type, status and what was folded into the tile.
    pub tooltip: String,
}

/// A label on an edge, in a pill.
#[derive(Debug, Clone, PartialEq)]
pub struct Pill {
    pub rect: Rect,
    pub text: TextLine,
    pub tooltip: String,
}

/// A drawn edge: an orthogonal polyline from `from` to `to`.
#[derive(Debug, Clone, PartialEq)]
pub struct Route {
    pub from: String,
    pub to: String,
    pub kind: EdgeKind,
    pub points: Vec<Point>,
    pub label: Option<Pill>,
}

/// The header bar.
#[derive(Debug, Clone, PartialEq)]
pub struct Header {
    pub rect: Rect,
    pub title: TextLine,
    pub summary: TextLine,
    pub access: TextLine,
    /// Some actions were refused or regions failed: the picture is partial.
    pub limited: bool,
    pub tooltip: String,
}

/// One legend entry for an edge kind: a sample stroke and its meaning.
#[derive(Debug, Clone, PartialEq)]
pub struct LegendEdge {
    pub kind: EdgeKind,
    pub from: Point,
    pub to: Point,
    pub text: TextLine,
}

/// One legend entry for a category colour.
#[derive(Debug, Clone, PartialEq)]
pub struct LegendSwatch {
    pub category: Category,
    pub swatch: Rect,
    pub text: TextLine,
}

/// The legend box below the picture.
#[derive(Debug, Clone, PartialEq)]
pub struct Legend {
    pub rect: Rect,
    pub edges: Vec<LegendEdge>,
    pub swatches: Vec<LegendSwatch>,
    pub badges: Vec<BadgeBox>,
    pub notes: Vec<TextLine>,
}

/// A resolved drawing: absolute coordinates for everything drawn.
#[derive(Debug, Clone, PartialEq)]
pub struct Layout {
    pub width: f64,
    pub height: f64,
    pub header: Header,
    /// Outermost first, so drawing in order paints parents under children.
    pub containers: Vec<Container>,
    pub tiles: Vec<Tile>,
    pub routes: Vec<Route>,
    pub legend: Legend,
}

/// Lay out the architecture view of a graph.
pub fn architecture(graph: &Graph) -> Layout {
    let scene = scene::Scene::of(graph);
    let placed = shelf::place(&scene);
    let routes = route::all(&scene, &placed);
    let (header, legend, width, height) = chrome::frame(&scene, &placed, graph);
    Layout {
        width,
        height,
        header,
        containers: placed.containers,
        tiles: placed.tiles,
        routes,
        legend,
    }
}
