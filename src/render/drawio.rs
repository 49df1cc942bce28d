//! The architecture view as a draw.io (diagrams.net) file: one uncompressed
//! mxGraph model whose cells sit exactly where the [`Layout`] puts the
//! SVG's frames, tiles, edges and pills, so the file opens as the same
//! picture and stays editable.
//!
//! Owns the mapping of a layout onto mxGraph cells and draw.io's AWS
//! shapes: frames become container cells (`mxgraph.aws4.group`, children
//! placed relative to their parent), tiles become cells holding their icon
//! (`mxgraph.aws4.resourceIcon` with the stencil of the kind's
//! [`Icon`](crate::services::Icon)), detail line and badge, and edges
//! become edge cells joined to the cells of their two ends, with strata's
//! route as waypoints and the pill as the label. Header and legend are on a
//! layer of their own. It lays nothing out and picks no colour: geometry
//! comes from the layout, colours and dashes from the style table.
//!
//! Labels are plain text (no `html=1`), so names are never read as markup;
//! every string goes through quick-xml's escaping.

use std::collections::HashMap;

use quick_xml::events::{BytesEnd, BytesStart, Event};
use quick_xml::Writer;

use crate::graph::{Graph, NodeKind};
use crate::layout::{BadgeBox, Container, Frame, Layout, Point, Rect, TextLine, Tile};
use crate::render::svg::num;
use crate::services::Drawn;
use crate::style::{self, Stroke, INK, INK_SOFT};
use crate::text::{xml_safe, FONT_FAMILY};

/// The cell that holds every other one, and the two layers.
const ROOT: &str = "0";
const DIAGRAM_LAYER: &str = "1";
const CHROME_LAYER: &str = "2";

/// The draw.io group shape of a frame: the AWS 2021 library's groups
/// (`Sidebar-AWS4.js`), in strata's frame colours. draw.io draws an
/// availability zone as a plain dashed box, so strata does too.
fn frame_style(frame: Frame) -> String {
    let look = style::frame(frame);
    let group = |icon: &str| {
        format!("shape=mxgraph.aws4.group;grIcon=mxgraph.aws4.{icon};align=left;spacingLeft=30;")
    };
    let shape = match frame {
        Frame::Account => group("group_aws_cloud_alt"),
        Frame::Region => group("group_region"),
        Frame::Vpc => group("group_vpc2"),
        Frame::Zone => "align=center;".to_string(),
        // draw.io's public and private subnet groups: the padlock icon
        // without its own border.
        Frame::Public | Frame::Private | Frame::Isolated | Frame::Subnet => {
            group("group_security_group") + "grStroke=0;"
        }
    };
    format!(
        "{shape}{}fillColor={};verticalAlign=top;container=1;collapsible=0;recursiveResize=0;",
        stroke_style(&look.stroke),
        look.fill,
    )
}

/// mxGraph's spelling of a stroke. `fixDash=1` keeps the dash lengths in
/// user units, as the SVG's `stroke-dasharray` is.
fn stroke_style(stroke: &Stroke) -> String {
    let dash = match stroke.dash {
        Some(pattern) => format!("dashed=1;fixDash=1;dashPattern={pattern};"),
        None => "dashed=0;".to_string(),
    };
    format!(
        "strokeColor={};strokeWidth={};{dash}",
        stroke.colour, stroke.width
    )
}

fn font_style(line: &TextLine, colour: &str) -> String {
    format!(
        "fontFamily={FONT_FAMILY};fontSize={};fontStyle={};fontColor={colour};",
        num(line.font.size),
        u8::from(line.font.bold),
    )
}

/// The box a line of text occupies, from its baseline: mxGraph places
/// text by its top, about one font size above the baseline.
fn text_box(line: &TextLine) -> Rect {
    let size = line.font.size;
    Rect::new(line.x, line.y - size, line.width.max(1.0), size * 1.3)
}

/// The cell drawing a frame or tile, and its absolute rectangle.
struct Placed<'l> {
    cell: String,
    rect: &'l Rect,
}

struct Drawio {
    writer: Writer<Vec<u8>>,
    next_id: usize,
}

/// An attribute value as XML writes it. quick-xml escapes `<`, `>`, `&`
/// and quotes; line breaks and tabs are written as character references
/// too, since a parser turns literal ones in an attribute into spaces and
/// tooltips are several lines.
fn attribute_value(value: &str) -> String {
    quick_xml::escape::escape(xml_safe(value).as_ref())
        .replace('\n', "&#10;")
        .replace('\r', "&#13;")
        .replace('\t', "&#9;")
}

impl Drawio {
    // Writing into a Vec<u8> cannot fail; the io::Result is an artefact of
    // the generic writer.
    fn event(&mut self, event: Event<'_>) {
        let _ = self.writer.write_event(event);
    }

    fn element(name: &str, attributes: &[(&str, &str)]) -> BytesStart<'static> {
        let mut start = BytesStart::new(name.to_string());
        for (key, value) in attributes {
            let value = attribute_value(value);
            start.push_attribute(quick_xml::events::attributes::Attribute::from((
                key.as_bytes(),
                value.as_bytes(),
            )));
        }
        start
    }

    fn open(&mut self, name: &str, attributes: &[(&str, &str)]) {
        self.event(Event::Start(Drawio::element(name, attributes)));
    }

    fn empty(&mut self, name: &str, attributes: &[(&str, &str)]) {
        self.event(Event::Empty(Drawio::element(name, attributes)));
    }

    fn close(&mut self, name: &str) {
        self.event(Event::End(BytesEnd::new(name.to_string())));
    }

    fn new_id(&mut self) -> String {
        self.next_id += 1;
        self.next_id.to_string()
    }

    fn geometry(&mut self, rect: &Rect, origin: Point) {
        self.empty(
            "mxGeometry",
            &[
                ("x", &num(rect.x - origin.x)),
                ("y", &num(rect.y - origin.y)),
                ("width", &num(rect.w)),
                ("height", &num(rect.h)),
                ("as", "geometry"),
            ],
        );
    }

    /// A vertex with properties (draw.io's `<object>`): what a user sees
    /// under Edit Data and as the tooltip.
    fn object_vertex(
        &mut self,
        properties: &[(&str, &str)],
        style: &str,
        parent: &str,
        rect: &Rect,
        origin: Point,
    ) -> String {
        let id = self.new_id();
        let mut attributes = vec![("id", id.as_str())];
        // An empty property is no property: draw.io lists them all.
        attributes.extend(
            properties
                .iter()
                .filter(|(key, value)| *key == "label" || !value.is_empty()),
        );
        self.open("object", &attributes);
        self.open(
            "mxCell",
            &[("style", style), ("vertex", "1"), ("parent", parent)],
        );
        self.geometry(rect, origin);
        self.close("mxCell");
        self.close("object");
        id
    }

    /// A vertex that is only decoration: no properties, never an edge end.
    fn vertex(&mut self, value: &str, style: &str, parent: &str, rect: &Rect, origin: Point) {
        let id = self.new_id();
        self.open(
            "mxCell",
            &[
                ("id", &id),
                ("value", value),
                ("style", &format!("{style}connectable=0;")),
                ("vertex", "1"),
                ("parent", parent),
            ],
        );
        self.geometry(rect, origin);
        self.close("mxCell");
    }

    fn text(&mut self, line: &TextLine, colour: &str, parent: &str, origin: Point) {
        if line.text.is_empty() {
            return;
        }
        let style = format!(
            "text;fillColor=none;strokeColor=none;align=left;verticalAlign=top;spacing=0;whiteSpace=nowrap;{}",
            font_style(line, colour)
        );
        self.vertex(&line.text, &style, parent, &text_box(line), origin);
    }

    fn badge(&mut self, badge: &BadgeBox, parent: &str, origin: Point) {
        let (fill, text) = badge.badge.badge();
        let style = format!(
            "rounded=1;absoluteArcSize=1;arcSize=14;fillColor={fill};strokeColor=none;align=center;verticalAlign=middle;spacing=0;{}",
            font_style(&badge.text, text)
        );
        self.vertex(&badge.text.text, &style, parent, &badge.rect, origin);
    }
}

/// Draw a layout as a draw.io file. `graph` supplies what a user editing
/// the diagram wants to read beside the picture (status, ARN); the
/// geometry is the layout's alone.
pub fn render(graph: &Graph, layout: &Layout) -> String {
    let mut drawio = Drawio {
        writer: Writer::new_with_indent(
            Vec::with_capacity(4096 + layout.tiles.len() * 1500),
            b' ',
            1,
        ),
        next_id: 2,
    };
    let size = [num(layout.width), num(layout.height)];
    drawio.open("mxfile", &[("host", "strata")]);
    drawio.open(
        "diagram",
        &[("id", "architecture"), ("name", "Architecture")],
    );
    drawio.open(
        "mxGraphModel",
        &[
            ("dx", "0"),
            ("dy", "0"),
            ("grid", "0"),
            ("gridSize", "10"),
            ("guides", "1"),
            ("tooltips", "1"),
            ("connect", "1"),
            ("arrows", "1"),
            ("fold", "0"),
            ("page", "0"),
            ("pageScale", "1"),
            ("pageWidth", &size[0]),
            ("pageHeight", &size[1]),
            ("background", "#FAFAFA"),
            ("math", "0"),
            ("shadow", "0"),
        ],
    );
    drawio.open("root", &[]);
    drawio.empty("mxCell", &[("id", ROOT)]);
    drawio.empty(
        "mxCell",
        &[
            ("id", DIAGRAM_LAYER),
            ("value", "Architecture"),
            ("parent", ROOT),
        ],
    );
    drawio.empty(
        "mxCell",
        &[
            ("id", CHROME_LAYER),
            ("value", "Header and legend"),
            ("parent", ROOT),
        ],
    );

    let mut placed: HashMap<&str, Placed> = HashMap::new();
    for container in &layout.containers {
        let (parent, origin) = parent_of(&placed, container.parent.as_deref());
        let cell = frame(&mut drawio, graph, container, &parent, origin);
        placed.insert(
            &container.id,
            Placed {
                cell,
                rect: &container.rect,
            },
        );
    }
    for tile in &layout.tiles {
        let (parent, origin) = parent_of(&placed, tile.parent.as_deref());
        let cell = draw_tile(&mut drawio, graph, tile, &parent, origin);
        placed.insert(
            &tile.id,
            Placed {
                cell,
                rect: &tile.rect,
            },
        );
    }
    for route in &layout.routes {
        let (Some(from), Some(to)) = (
            placed.get(route.from.as_str()),
            placed.get(route.to.as_str()),
        ) else {
            continue;
        };
        edge(&mut drawio, route, from, to);
    }
    chrome(&mut drawio, layout);

    drawio.close("root");
    drawio.close("mxGraphModel");
    drawio.close("diagram");
    drawio.close("mxfile");
    let mut text = String::from_utf8(drawio.writer.into_inner()).unwrap_or_default();
    text.push('\n');
    text
}

/// The cell a layout element lies in and the absolute origin its geometry
/// is measured from (mxGraph places children relative to their parent).
fn parent_of(placed: &HashMap<&str, Placed>, parent: Option<&str>) -> (String, Point) {
    match parent.and_then(|id| placed.get(id)) {
        Some(parent) => (
            parent.cell.clone(),
            Point::new(parent.rect.x, parent.rect.y),
        ),
        None => (DIAGRAM_LAYER.to_string(), Point::new(0.0, 0.0)),
    }
}

/// The status and ARN of the graph node a layout element draws (a
/// standby tile is `ID#standby`).
fn status_and_arn<'g>(graph: &'g Graph, id: &str) -> (&'g str, &'g str) {
    let node = graph
        .node(id)
        .or_else(|| id.strip_suffix("#standby").and_then(|id| graph.node(id)));
    (
        node.and_then(|n| n.status.as_deref()).unwrap_or_default(),
        node.and_then(|n| n.arn.as_deref()).unwrap_or_default(),
    )
}

fn frame(
    drawio: &mut Drawio,
    graph: &Graph,
    container: &Container,
    parent: &str,
    origin: Point,
) -> String {
    let (status, arn) = status_and_arn(graph, &container.id);
    let style = format!(
        "{}{}",
        frame_style(container.frame),
        font_style(
            &container.title,
            style::frame(container.frame).stroke.colour
        )
    );
    let cell = drawio.object_vertex(
        &[
            ("label", &container.title.text),
            ("tooltip", &container.tooltip),
            ("node", &container.id),
            ("kind", container.kind.as_str()),
            ("status", status),
            ("arn", arn),
        ],
        &style,
        parent,
        &container.rect,
        origin,
    );
    if let Some(cost) = &container.cost {
        let inner = Point::new(container.rect.x, container.rect.y);
        drawio.text(&cost.line, style::cost_ink(cost.priced), &cell, inner);
    }
    cell
}

fn tile_icon(kind: NodeKind) -> &'static str {
    match kind.look().drawn {
        Drawn::Tile { icon, .. } => icon.drawio,
        Drawn::Frame(_) | Drawn::Never => "",
    }
}

fn draw_tile(
    drawio: &mut Drawio,
    graph: &Graph,
    tile: &Tile,
    parent: &str,
    origin: Point,
) -> String {
    let badge = tile.badge.as_ref().map(|b| b.badge);
    let outline = badge.unwrap_or_default().outline();
    let name_box = text_box(&tile.name);
    let style = format!(
        "rounded=1;absoluteArcSize=1;arcSize=16;fillColor=#FFFFFF;{}align=left;verticalAlign=top;spacing=0;spacingLeft={};spacingTop={};whiteSpace=nowrap;overflow=hidden;{}container=1;collapsible=0;recursiveResize=0;dropTarget=0;",
        stroke_style(&outline),
        num(name_box.x - tile.rect.x),
        num(name_box.y - tile.rect.y),
        font_style(&tile.name, INK),
    );
    let (status, arn) = status_and_arn(graph, &tile.id);
    let cell = drawio.object_vertex(
        &[
            ("label", &tile.name.text),
            ("tooltip", &tile.tooltip),
            ("node", &tile.id),
            ("kind", tile.kind.as_str()),
            ("status", status),
            ("arn", arn),
        ],
        &style,
        parent,
        &tile.rect,
        origin,
    );
    let inner = Point::new(tile.rect.x, tile.rect.y);
    let dimmed = if badge.is_some_and(style::Status::dims) {
        "opacity=50;"
    } else {
        ""
    };
    let icon_style = format!(
        "shape=mxgraph.aws4.resourceIcon;resIcon={};fillColor={};strokeColor=#FFFFFF;aspect=fixed;{dimmed}",
        tile_icon(tile.kind),
        tile.kind.look().category.colour(),
    );
    drawio.vertex("", &icon_style, &cell, &tile.icon, inner);
    drawio.text(&tile.detail, INK_SOFT, &cell, inner);
    if let Some(cost) = &tile.cost {
        drawio.text(&cost.line, style::cost_ink(cost.priced), &cell, inner);
    }
    if let Some(badge) = &tile.badge {
        drawio.badge(badge, &cell, inner);
    }
    cell
}

/// Where on `rect` (as fractions of its size) a route leaves or enters it.
fn port(rect: &Rect, point: Point) -> (String, String) {
    let fraction = |offset: f64, size: f64| {
        let value = if size > 0.0 { offset / size } else { 0.5 };
        format!("{:.4}", value.clamp(0.0, 1.0))
    };
    (
        fraction(point.x - rect.x, rect.w),
        fraction(point.y - rect.y, rect.h),
    )
}

/// Where along a polyline the point nearest `target` lies, as mxGraph's
/// relative label position (-1 at the start, 1 at the end), and the offset
/// from that point to `target`.
fn label_position(points: &[Point], target: Point) -> (f64, Point) {
    let total: f64 = points
        .windows(2)
        .map(|s| (s[1].x - s[0].x).abs() + (s[1].y - s[0].y).abs())
        .sum();
    let mut best = (f64::INFINITY, 0.0, Point::new(0.0, 0.0));
    let mut walked = 0.0;
    for segment in points.windows(2) {
        let (a, b) = (segment[0], segment[1]);
        let length = (b.x - a.x).abs() + (b.y - a.y).abs();
        let along = if length > 0.0 {
            (((target.x - a.x) * (b.x - a.x) + (target.y - a.y) * (b.y - a.y)) / (length * length))
                .clamp(0.0, 1.0)
        } else {
            0.0
        };
        let nearest = Point::new(a.x + (b.x - a.x) * along, a.y + (b.y - a.y) * along);
        let distance = (target.x - nearest.x).hypot(target.y - nearest.y);
        if distance < best.0 {
            best = (distance, walked + length * along, nearest);
        }
        walked += length;
    }
    let relative = if total > 0.0 {
        2.0 * best.1 / total - 1.0
    } else {
        0.0
    };
    (
        relative,
        Point::new(target.x - best.2.x, target.y - best.2.y),
    )
}

fn edge(drawio: &mut Drawio, route: &crate::layout::Route, from: &Placed, to: &Placed) {
    let stroke = style::edge(route.kind);
    let (Some(&first), Some(&last)) = (route.points.first(), route.points.last()) else {
        return;
    };
    let (exit_x, exit_y) = port(from.rect, first);
    let (entry_x, entry_y) = port(to.rect, last);
    let label = route.label.as_ref();
    let label_font = label.map_or_else(String::new, |pill| font_style(&pill.text, stroke.colour));
    let style = format!(
        "edgeStyle=none;rounded=0;html=0;endArrow=block;endFill=1;endSize=6;{}exitX={exit_x};exitY={exit_y};exitPerimeter=0;entryX={entry_x};entryY={entry_y};entryPerimeter=0;labelBackgroundColor=#FFFFFF;labelBorderColor={};{label_font}",
        stroke_style(&stroke),
        stroke.colour,
    );
    let id = drawio.new_id();
    drawio.open(
        "object",
        &[
            ("id", &id),
            ("label", label.map_or("", |pill| pill.text.text.as_str())),
            (
                "tooltip",
                &format!(
                    "{} → {} ({}) {}",
                    route.from,
                    route.to,
                    route.kind,
                    label.map_or("", |p| p.tooltip.as_str())
                ),
            ),
            ("from", &route.from),
            ("to", &route.to),
            ("kind", route.kind.as_str()),
        ],
    );
    drawio.open(
        "mxCell",
        &[
            ("style", &style),
            ("edge", "1"),
            ("parent", DIAGRAM_LAYER),
            ("source", &from.cell),
            ("target", &to.cell),
        ],
    );
    let position = label.map(|pill| {
        let centre = Point::new(pill.rect.center_x(), pill.rect.y + pill.rect.h / 2.0);
        label_position(&route.points, centre)
    });
    let relative = position.map_or_else(|| "0".to_string(), |(x, _)| format!("{x:.4}"));
    drawio.open(
        "mxGeometry",
        &[("x", &relative), ("relative", "1"), ("as", "geometry")],
    );
    if let Some((_, offset)) = position {
        drawio.empty(
            "mxPoint",
            &[
                ("x", &num(offset.x)),
                ("y", &num(offset.y)),
                ("as", "offset"),
            ],
        );
    }
    let bends = &route.points[1..route.points.len() - 1];
    if !bends.is_empty() {
        drawio.open("Array", &[("as", "points")]);
        for point in bends {
            drawio.empty("mxPoint", &[("x", &num(point.x)), ("y", &num(point.y))]);
        }
        drawio.close("Array");
    }
    drawio.close("mxGeometry");
    drawio.close("mxCell");
    drawio.close("object");
}

/// The header bar and the legend, on their own layer so a user can hide
/// or move them without touching the diagram.
fn chrome(drawio: &mut Drawio, layout: &Layout) {
    let origin = Point::new(0.0, 0.0);
    let header = &layout.header;
    drawio.object_vertex(
        &[("label", ""), ("tooltip", &header.tooltip)],
        "rounded=0;fillColor=#232F3E;strokeColor=none;",
        CHROME_LAYER,
        &header.rect,
        origin,
    );
    drawio.text(&header.title, "#FFFFFF", CHROME_LAYER, origin);
    drawio.text(&header.summary, "#D5DBDB", CHROME_LAYER, origin);
    drawio.text(
        &header.access,
        if header.limited { "#FF9900" } else { "#7AA116" },
        CHROME_LAYER,
        origin,
    );
    let legend = &layout.legend;
    drawio.vertex(
        "",
        "rounded=1;absoluteArcSize=1;arcSize=12;fillColor=#FFFFFF;strokeColor=#D5DBDB;",
        CHROME_LAYER,
        &legend.rect,
        origin,
    );
    for entry in &legend.edges {
        let id = drawio.new_id();
        let style = format!(
            "edgeStyle=none;rounded=0;endArrow=block;endFill=1;endSize=6;{}",
            stroke_style(&style::edge(entry.kind))
        );
        drawio.open(
            "mxCell",
            &[
                ("id", &id),
                ("style", &style),
                ("edge", "1"),
                ("parent", CHROME_LAYER),
            ],
        );
        drawio.open("mxGeometry", &[("relative", "1"), ("as", "geometry")]);
        for (point, role) in [(entry.from, "sourcePoint"), (entry.to, "targetPoint")] {
            drawio.empty(
                "mxPoint",
                &[("x", &num(point.x)), ("y", &num(point.y)), ("as", role)],
            );
        }
        drawio.close("mxGeometry");
        drawio.close("mxCell");
        drawio.text(&entry.text, INK, CHROME_LAYER, origin);
    }
    for swatch in &legend.swatches {
        let style = format!(
            "rounded=1;absoluteArcSize=1;arcSize=6;fillColor={};strokeColor=none;",
            swatch.category.colour()
        );
        drawio.vertex("", &style, CHROME_LAYER, &swatch.swatch, origin);
        drawio.text(&swatch.text, INK, CHROME_LAYER, origin);
    }
    for badge in &legend.badges {
        drawio.badge(badge, CHROME_LAYER, origin);
    }
    for note in &legend.notes {
        drawio.text(note, INK_SOFT, CHROME_LAYER, origin);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn attribute_values_keep_line_breaks_and_escape_markup() {
        assert_eq!(
            attribute_value("a<b> & \"c\"\nd\te"),
            "a&lt;b&gt; &amp; &quot;c&quot;&#10;d&#9;e"
        );
    }

    #[test]
    fn a_label_sits_where_along_the_route_its_pill_is() {
        let route = [
            Point::new(0.0, 0.0),
            Point::new(0.0, 100.0),
            Point::new(100.0, 100.0),
        ];
        let (along, offset) = label_position(&route, Point::new(5.0, 50.0));
        assert_eq!((along, offset.x, offset.y), (-0.5, 5.0, 0.0));
        let (along, offset) = label_position(&route, Point::new(100.0, 90.0));
        assert_eq!((along, offset.x, offset.y), (1.0, 0.0, -10.0));
    }
}
