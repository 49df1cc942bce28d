//! The architecture view as SVG: draws a [`Layout`] exactly where it says,
//! with the colours and strokes of the style table and each kind's icon
//! (compiled in from `templates/icons/`). Every piece of text goes
//! through quick-xml's writer, which escapes it; the layout has already
//! replaced characters XML cannot carry. Numbers are written with at most
//! one decimal, so output is byte-identical for the same layout.

use std::borrow::Cow;

use quick_xml::events::{BytesEnd, BytesStart, BytesText, Event};
use quick_xml::Writer;

use crate::graph::{EdgeKind, NodeKind};
use crate::layout::{BadgeBox, Container, CostText, Frame, Layout, Rect, Status, TextLine, Tile};
use crate::services::Drawn;
use crate::style::{self, Stroke, INK, INK_SOFT};
use crate::text::{xml_safe, FONT_FAMILY};

/// The icon document of a kind drawn as a tile.
fn icon(kind: NodeKind) -> Option<&'static str> {
    match kind.look().drawn {
        Drawn::Tile { icon, .. } => Some(icon.svg),
        Drawn::Frame(_) | Drawn::Never => None,
    }
}

/// A coordinate with at most one decimal and no negative zero. Written
/// from the value in tenths: float formatting dominated render time.
pub(crate) fn num(value: f64) -> String {
    let tenths = (value * 10.0).round();
    if !tenths.is_finite() || tenths == 0.0 {
        return "0".to_string();
    }
    let tenths = tenths as i64;
    let (whole, fraction) = (tenths.abs() / 10, tenths.abs() % 10);
    let sign = if tenths < 0 { "-" } else { "" };
    if fraction == 0 {
        format!("{sign}{whole}")
    } else {
        format!("{sign}{whole}.{fraction}")
    }
}

fn bbox(rect: &Rect) -> String {
    format!(
        "{} {} {} {}",
        num(rect.x),
        num(rect.y),
        num(rect.w),
        num(rect.h)
    )
}

/// `stroke`, `stroke-width`, the arrowhead of an edge kind and, when
/// dashed, `stroke-dasharray`.
fn push_stroke<'a>(
    attributes: &mut Vec<(&str, Cow<'a, str>)>,
    stroke: &Stroke,
    arrow: Option<EdgeKind>,
) {
    attributes.push(("stroke", stroke.colour.into()));
    attributes.push(("stroke-width", stroke.width.into()));
    if let Some(kind) = arrow {
        attributes.push(("marker-end", format!("url(#arrow-{kind})").into()));
    }
    if let Some(dash) = stroke.dash {
        attributes.push(("stroke-dasharray", dash.into()));
    }
}

struct Svg {
    writer: Writer<Vec<u8>>,
}

impl Svg {
    // Writing into a Vec<u8> cannot fail; the io::Result is an artefact of
    // the generic writer.
    fn event(&mut self, event: Event<'_>) {
        let _ = self.writer.write_event(event);
    }

    fn element(name: &str, attributes: &[(&str, Cow<'_, str>)]) -> BytesStart<'static> {
        let mut start = BytesStart::new(name.to_string());
        for (key, value) in attributes {
            start.push_attribute((*key, xml_safe(value).as_ref()));
        }
        start
    }

    fn empty(&mut self, name: &str, attributes: &[(&str, Cow<'_, str>)]) {
        self.event(Event::Empty(Svg::element(name, attributes)));
    }

    fn open(&mut self, name: &str, attributes: &[(&str, Cow<'_, str>)]) {
        self.event(Event::Start(Svg::element(name, attributes)));
    }

    fn close(&mut self, name: &str) {
        self.event(Event::End(BytesEnd::new(name.to_string())));
    }

    fn text(&mut self, text: &str) {
        self.event(Event::Text(BytesText::new(&xml_safe(text))));
    }

    fn title(&mut self, text: &str) {
        self.open("title", &[]);
        self.text(text);
        self.close("title");
    }

    fn line(&mut self, line: &TextLine, fill: &str, extra: &[(&str, Cow<'_, str>)]) {
        if line.text.is_empty() {
            return;
        }
        let mut attributes: Vec<(&str, Cow<'_, str>)> = vec![
            ("x", num(line.x).into()),
            ("y", num(line.y).into()),
            ("font-size", num(line.font.size).into()),
            ("fill", fill.into()),
        ];
        if line.font.bold {
            attributes.push(("font-weight", "bold".into()));
        }
        attributes.extend(extra.iter().cloned());
        self.open("text", &attributes);
        self.text(&line.text);
        self.close("text");
    }

    fn rect(&mut self, rect: &Rect, extra: &[(&str, Cow<'_, str>)]) {
        let mut attributes: Vec<(&str, Cow<'_, str>)> = vec![
            ("x", num(rect.x).into()),
            ("y", num(rect.y).into()),
            ("width", num(rect.w).into()),
            ("height", num(rect.h).into()),
        ];
        attributes.extend(extra.iter().cloned());
        self.empty("rect", &attributes);
    }
}

/// The inside of an icon document (what lies between its `<svg>` tags).
fn icon_body(document: &str) -> &str {
    let start = document.find('>').map_or(0, |i| i + 1);
    let end = document.rfind("</svg>").unwrap_or(document.len());
    document.get(start..end).unwrap_or_default()
}

/// Draw a layout as a standalone SVG document.
pub fn render(layout: &Layout) -> String {
    let mut svg = Svg {
        writer: Writer::new(Vec::with_capacity(1024 + layout.tiles.len() * 900)),
    };
    svg.open(
        "svg",
        &[
            ("xmlns", "http://www.w3.org/2000/svg".into()),
            (
                "viewBox",
                format!("0 0 {} {}", num(layout.width), num(layout.height)).into(),
            ),
            ("width", num(layout.width).into()),
            ("height", num(layout.height).into()),
            ("font-family", FONT_FAMILY.into()),
        ],
    );
    defs(&mut svg, layout);
    svg.rect(
        &Rect::new(0.0, 0.0, layout.width, layout.height),
        &[("fill", "#FAFAFA".into())],
    );
    header(&mut svg, layout);
    for container in &layout.containers {
        frame(&mut svg, container);
    }
    for route in &layout.routes {
        let stroke = style::edge(route.kind);
        let points: Vec<String> = route
            .points
            .iter()
            .map(|p| format!("{},{}", num(p.x), num(p.y)))
            .collect();
        let mut attributes: Vec<(&str, Cow<'_, str>)> = vec![
            ("data-from", route.from.as_str().into()),
            ("data-to", route.to.as_str().into()),
            ("data-kind", route.kind.as_str().into()),
            ("points", points.join(" ").into()),
            ("fill", "none".into()),
        ];
        push_stroke(&mut attributes, &stroke, Some(route.kind));
        svg.open("polyline", &attributes);
        let label = route.label.as_ref().map_or("", |p| p.tooltip.as_str());
        svg.title(&format!(
            "{} → {} ({}) {label}",
            route.from, route.to, route.kind
        ));
        svg.close("polyline");
    }
    for tile in &layout.tiles {
        draw_tile(&mut svg, tile);
    }
    for route in &layout.routes {
        let Some(pill) = &route.label else { continue };
        let colour = style::edge(route.kind).colour;
        svg.open(
            "g",
            &[(
                "data-label-of",
                format!("{} {} {}", route.from, route.to, route.kind).into(),
            )],
        );
        svg.title(&pill.tooltip);
        svg.rect(
            &pill.rect,
            &[
                ("rx", "7".into()),
                ("fill", "#FFFFFF".into()),
                ("stroke", colour.into()),
                ("stroke-width", "0.9".into()),
            ],
        );
        svg.line(&pill.text, colour, &[]);
        svg.close("g");
    }
    legend(&mut svg, layout);
    svg.close("svg");
    // quick-xml writes what it is given as UTF-8, and every string given
    // is a Rust string.
    String::from_utf8(svg.writer.into_inner()).unwrap_or_default()
}

fn defs(svg: &mut Svg, layout: &Layout) {
    svg.open("defs", &[]);
    for &kind in EdgeKind::ALL {
        let colour = style::edge(kind).colour;
        svg.open(
            "marker",
            &[
                ("id", format!("arrow-{kind}").into()),
                ("viewBox", "0 0 10 10".into()),
                ("refX", "9".into()),
                ("refY", "5".into()),
                ("markerWidth", "7".into()),
                ("markerHeight", "7".into()),
                ("orient", "auto-start-reverse".into()),
            ],
        );
        svg.empty(
            "path",
            &[("d", "M0 0L10 5L0 10z".into()), ("fill", colour.into())],
        );
        svg.close("marker");
    }
    let mut used: Vec<NodeKind> = layout.tiles.iter().map(|t| t.kind).collect();
    used.sort();
    used.dedup();
    for kind in used {
        let Some(document) = icon(kind) else { continue };
        svg.open(
            "symbol",
            &[
                ("id", format!("icon-{kind}").into()),
                ("viewBox", "0 0 36 36".into()),
            ],
        );
        // Our own icon files, compiled in: trusted markup, written as is.
        svg.event(Event::Text(BytesText::from_escaped(icon_body(document))));
        svg.close("symbol");
    }
    svg.close("defs");
}

fn header(svg: &mut Svg, layout: &Layout) {
    let header = &layout.header;
    svg.open(
        "g",
        &[
            ("data-kind", "header".into()),
            ("data-bbox", bbox(&header.rect).into()),
        ],
    );
    svg.title(&header.tooltip);
    svg.rect(&header.rect, &[("fill", "#232F3E".into())]);
    svg.line(&header.title, "#FFFFFF", &[]);
    svg.line(&header.summary, "#D5DBDB", &[]);
    svg.line(
        &header.access,
        if header.limited { "#FF9900" } else { "#7AA116" },
        &[],
    );
    svg.close("g");
}

fn frame(svg: &mut Svg, container: &Container) {
    let look = style::frame(container.frame);
    svg.open(
        "g",
        &[
            ("data-id", container.id.as_str().into()),
            ("data-kind", container.kind.as_str().into()),
            ("data-bbox", bbox(&container.rect).into()),
            (
                "data-parent",
                container.parent.as_deref().unwrap_or_default().into(),
            ),
        ],
    );
    svg.title(&container.tooltip);
    let mut attributes: Vec<(&str, Cow<'_, str>)> =
        vec![("rx", "4".into()), ("fill", look.fill.into())];
    push_stroke(&mut attributes, &look.stroke, None);
    svg.rect(&container.rect, &attributes);
    if container.frame == Frame::Vpc {
        // The VPC's name sits in a filled tab on its top-left corner.
        let tab = Rect::new(
            container.rect.x,
            container.rect.y,
            container.title.width + 16.0,
            22.0,
        );
        svg.rect(&tab, &[("fill", look.stroke.colour.into())]);
        svg.line(&container.title, "#FFFFFF", &[]);
    } else {
        svg.line(&container.title, INK, &[]);
    }
    if let Some(cost) = &container.cost {
        draw_cost(svg, cost);
    }
    svg.close("g");
}

fn draw_cost(svg: &mut Svg, cost: &CostText) {
    svg.line(
        &cost.line,
        style::cost_ink(cost.priced),
        &[("class", "cost".into())],
    );
}

fn draw_badge(svg: &mut Svg, badge: &BadgeBox) {
    let (fill, text) = badge.badge.badge();
    svg.rect(&badge.rect, &[("rx", "7".into()), ("fill", fill.into())]);
    svg.line(&badge.text, text, &[]);
}

fn draw_tile(svg: &mut Svg, tile: &Tile) {
    let badge = tile.badge.as_ref().map(|b| b.badge);
    let mut attributes: Vec<(&str, Cow<'_, str>)> = vec![
        ("data-id", tile.id.as_str().into()),
        ("data-kind", tile.kind.as_str().into()),
        ("data-bbox", bbox(&tile.rect).into()),
        (
            "data-parent",
            tile.parent.as_deref().unwrap_or_default().into(),
        ),
    ];
    if let Some(badge) = badge {
        attributes.push(("data-status", badge.as_str().into()));
    }
    svg.open("g", &attributes);
    svg.title(&tile.tooltip);
    let mut outline: Vec<(&str, Cow<'_, str>)> =
        vec![("rx", "8".into()), ("fill", "#FFFFFF".into())];
    push_stroke(&mut outline, &badge.unwrap_or_default().outline(), None);
    svg.rect(&tile.rect, &outline);
    // Dim the content, not the frame: a stopped tile still reads as a tile.
    let dimmed = badge.is_some_and(Status::dims);
    if dimmed {
        svg.open("g", &[("opacity", "0.5".into())]);
    }
    svg.empty(
        "use",
        &[
            ("href", format!("#icon-{}", tile.kind).into()),
            ("x", num(tile.icon.x).into()),
            ("y", num(tile.icon.y).into()),
            ("width", num(tile.icon.w).into()),
            ("height", num(tile.icon.h).into()),
        ],
    );
    svg.line(&tile.name, INK, &[]);
    svg.line(&tile.detail, INK_SOFT, &[]);
    if let Some(cost) = &tile.cost {
        draw_cost(svg, cost);
    }
    if dimmed {
        svg.close("g");
    }
    if let Some(badge) = &tile.badge {
        draw_badge(svg, badge);
    }
    svg.close("g");
}

fn legend(svg: &mut Svg, layout: &Layout) {
    let legend = &layout.legend;
    svg.open(
        "g",
        &[
            ("data-kind", "legend".into()),
            ("data-bbox", bbox(&legend.rect).into()),
        ],
    );
    svg.rect(
        &legend.rect,
        &[
            ("rx", "6".into()),
            ("fill", "#FFFFFF".into()),
            ("stroke", "#D5DBDB".into()),
        ],
    );
    for entry in &legend.edges {
        let mut attributes: Vec<(&str, Cow<'_, str>)> = vec![(
            "points",
            format!(
                "{},{} {},{}",
                num(entry.from.x),
                num(entry.from.y),
                num(entry.to.x),
                num(entry.to.y)
            )
            .into(),
        )];
        push_stroke(&mut attributes, &style::edge(entry.kind), Some(entry.kind));
        svg.empty("polyline", &attributes);
        svg.line(&entry.text, INK, &[]);
    }
    for swatch in &legend.swatches {
        svg.rect(
            &swatch.swatch,
            &[
                ("rx", "3".into()),
                ("fill", swatch.category.colour().into()),
            ],
        );
        svg.line(&swatch.text, INK, &[]);
    }
    for badge in &legend.badges {
        draw_badge(svg, badge);
    }
    for note in &legend.notes {
        svg.line(note, INK_SOFT, &[]);
    }
    svg.close("g");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_have_one_decimal_and_no_negative_zero() {
        assert_eq!(num(12.0), "12");
        assert_eq!(num(12.34), "12.3");
        assert_eq!(num(-0.01), "0");
        assert_eq!(num(-3.25), "-3.3");
    }

    #[test]
    fn every_icon_is_one_svg_in_its_category_colour() {
        for kind in NodeKind::all() {
            let Some(document) = icon(kind) else { continue };
            let parsed = resvg::usvg::roxmltree::Document::parse(document)
                .unwrap_or_else(|e| panic!("{kind}: {e}"));
            assert_eq!(parsed.root_element().tag_name().name(), "svg", "{kind}");
            assert!(
                document.contains(kind.look().category.colour()),
                "{kind} is not in its category colour"
            );
            assert!(!icon_body(document).is_empty());
        }
    }
}
