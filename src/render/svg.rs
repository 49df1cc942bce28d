//! The architecture view as SVG: draws a [`Layout`] exactly where it says,
//! and owns the look (palette, stroke styles, icons from
//! `templates/icons/`, embedded in the binary). Every piece of text goes
//! through quick-xml's writer, which escapes it; the layout has already
//! replaced characters XML cannot carry. Numbers are written with at most
//! one decimal, so output is byte-identical for the same layout.

use std::borrow::Cow;

use quick_xml::events::{BytesEnd, BytesStart, BytesText, Event};
use quick_xml::Writer;

use crate::graph::{EdgeKind, NodeKind};
use crate::layout::text::{xml_safe, FONT_FAMILY};
use crate::layout::{Badge, BadgeBox, Category, Container, Frame, Layout, Rect, TextLine, Tile};

/// Icons, one per drawable resource kind, in one visual language: a
/// rounded square in the category colour with a white line glyph.
const ICONS: &[(NodeKind, &str)] = &[
    (
        NodeKind::Internet,
        include_str!("../../templates/icons/internet.svg"),
    ),
    (
        NodeKind::Cidr,
        include_str!("../../templates/icons/cidr.svg"),
    ),
    (
        NodeKind::InternetGateway,
        include_str!("../../templates/icons/internet-gateway.svg"),
    ),
    (
        NodeKind::NatGateway,
        include_str!("../../templates/icons/nat-gateway.svg"),
    ),
    (
        NodeKind::EgressOnlyInternetGateway,
        include_str!("../../templates/icons/egress-only-internet-gateway.svg"),
    ),
    (
        NodeKind::VpcEndpoint,
        include_str!("../../templates/icons/vpc-endpoint.svg"),
    ),
    (
        NodeKind::VpcPeeringConnection,
        include_str!("../../templates/icons/vpc-peering-connection.svg"),
    ),
    (
        NodeKind::TransitGateway,
        include_str!("../../templates/icons/transit-gateway.svg"),
    ),
    (
        NodeKind::Ec2Instance,
        include_str!("../../templates/icons/ec2-instance.svg"),
    ),
    (
        NodeKind::NetworkInterface,
        include_str!("../../templates/icons/network-interface.svg"),
    ),
    (
        NodeKind::EbsVolume,
        include_str!("../../templates/icons/ebs-volume.svg"),
    ),
    (
        NodeKind::ElasticIp,
        include_str!("../../templates/icons/elastic-ip.svg"),
    ),
    (
        NodeKind::SecurityGroup,
        include_str!("../../templates/icons/security-group.svg"),
    ),
    (
        NodeKind::LoadBalancer,
        include_str!("../../templates/icons/load-balancer.svg"),
    ),
    (
        NodeKind::TargetGroup,
        include_str!("../../templates/icons/target-group.svg"),
    ),
    (
        NodeKind::RdsInstance,
        include_str!("../../templates/icons/rds-instance.svg"),
    ),
    (
        NodeKind::RdsCluster,
        include_str!("../../templates/icons/rds-cluster.svg"),
    ),
];

/// The colour of a category, shared by icons and legend.
pub fn category_colour(category: Category) -> &'static str {
    match category {
        Category::Compute => "#ED7100",
        Category::Networking => "#8C4FFF",
        Category::Database => "#C925D1",
        Category::Storage => "#7AA116",
        Category::Security => "#DD344C",
        Category::External => "#232F3E",
    }
}

/// Stroke colour, width and dash pattern of an edge kind.
fn edge_style(kind: EdgeKind) -> (&'static str, &'static str, Option<&'static str>) {
    match kind {
        EdgeKind::Allows => ("#232F3E", "1.4", None),
        EdgeKind::Targets => ("#147EBA", "1.6", None),
        EdgeKind::Forwards => ("#147EBA", "1.4", Some("6 3")),
        EdgeKind::Routes => ("#879596", "1.3", Some("2 3")),
        EdgeKind::Peers => ("#8C4FFF", "1.8", Some("8 4")),
        EdgeKind::Attaches => ("#7AA116", "1.6", Some("8 4")),
        EdgeKind::Replicates => ("#C925D1", "1.6", Some("6 4")),
        EdgeKind::Member => ("#C925D1", "1.2", Some("2 3")),
    }
}

/// Stroke, dash, fill and title colour of a frame.
fn frame_style(
    frame: Frame,
) -> (
    &'static str,
    &'static str,
    Option<&'static str>,
    &'static str,
) {
    match frame {
        Frame::Account => ("#232F3E", "1.3", None, "none"),
        Frame::Region => ("#00A4A6", "1.5", Some("6 4"), "none"),
        Frame::Vpc => ("#8C4FFF", "2", None, "#FFFFFF"),
        Frame::Zone => ("#147EBA", "1.2", Some("5 4"), "none"),
        Frame::Public => ("#7AA116", "1", None, "#F2F8EA"),
        Frame::Private => ("#00A4A6", "1", None, "#E8F6F7"),
        Frame::Isolated => ("#879596", "1", None, "#F2F3F3"),
        Frame::Subnet => ("#AAB7B8", "1", None, "#FAFAFA"),
    }
}

/// Fill and text colour of a badge.
fn badge_style(badge: Badge) -> (&'static str, &'static str) {
    match badge {
        Badge::Stopped => ("#545B64", "#FFFFFF"),
        Badge::Failed => ("#D13212", "#FFFFFF"),
        Badge::Unhealthy => ("#D13212", "#FFFFFF"),
        Badge::Pending => ("#FF9900", "#16191F"),
        Badge::Standby => ("#879596", "#FFFFFF"),
    }
}

/// A coordinate with at most one decimal and no negative zero. Written
/// from the value in tenths: float formatting dominated render time.
fn num(value: f64) -> String {
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
        let (colour, width, dash) = edge_style(route.kind);
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
            ("stroke", colour.into()),
            ("stroke-width", width.into()),
            ("marker-end", format!("url(#arrow-{})", route.kind).into()),
        ];
        if let Some(dash) = dash {
            attributes.push(("stroke-dasharray", dash.into()));
        }
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
        let (colour, _, _) = edge_style(route.kind);
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
        let (colour, _, _) = edge_style(kind);
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
    for (kind, document) in ICONS {
        if !used.contains(kind) {
            continue;
        }
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
    let (stroke, width, dash, fill) = frame_style(container.frame);
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
    let mut attributes: Vec<(&str, Cow<'_, str>)> = vec![
        ("rx", "4".into()),
        ("fill", fill.into()),
        ("stroke", stroke.into()),
        ("stroke-width", width.into()),
    ];
    if let Some(dash) = dash {
        attributes.push(("stroke-dasharray", dash.into()));
    }
    svg.rect(&container.rect, &attributes);
    if container.frame == Frame::Vpc {
        // The VPC's name sits in a filled tab on its top-left corner.
        let tab = Rect::new(
            container.rect.x,
            container.rect.y,
            container.title.width + 16.0,
            22.0,
        );
        svg.rect(&tab, &[("fill", stroke.into())]);
        svg.line(&container.title, "#FFFFFF", &[]);
    } else {
        svg.line(&container.title, "#16191F", &[]);
    }
    svg.close("g");
}

fn draw_badge(svg: &mut Svg, badge: &BadgeBox) {
    let (fill, text) = badge_style(badge.badge);
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
    let (stroke, stroke_width) = match badge {
        Some(Badge::Failed | Badge::Unhealthy) => ("#D13212", "2"),
        Some(Badge::Pending) => ("#FF9900", "1.6"),
        _ => ("#D5DBDB", "1.2"),
    };
    let mut outline: Vec<(&str, Cow<'_, str>)> = vec![
        ("rx", "8".into()),
        ("fill", "#FFFFFF".into()),
        ("stroke", stroke.into()),
        ("stroke-width", stroke_width.into()),
    ];
    if badge.is_some_and(Badge::dims) {
        outline.push(("stroke-dasharray", "4 3".into()));
    }
    svg.rect(&tile.rect, &outline);
    // Dim the content, not the frame: a stopped tile still reads as a tile.
    let dimmed = badge.is_some_and(Badge::dims);
    if dimmed {
        svg.open("g", &[("opacity", "0.5".into())]);
    }
    if ICONS.iter().any(|(kind, _)| *kind == tile.kind) {
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
    } else {
        svg.rect(
            &tile.icon,
            &[
                ("rx", "7".into()),
                ("fill", category_colour(Category::of(tile.kind)).into()),
            ],
        );
    }
    svg.line(&tile.name, "#16191F", &[]);
    svg.line(&tile.detail, "#545B64", &[]);
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
        let (colour, width, dash) = edge_style(entry.kind);
        let mut attributes: Vec<(&str, Cow<'_, str>)> = vec![
            (
                "points",
                format!(
                    "{},{} {},{}",
                    num(entry.from.x),
                    num(entry.from.y),
                    num(entry.to.x),
                    num(entry.to.y)
                )
                .into(),
            ),
            ("stroke", colour.into()),
            ("stroke-width", width.into()),
            ("marker-end", format!("url(#arrow-{})", entry.kind).into()),
        ];
        if let Some(dash) = dash {
            attributes.push(("stroke-dasharray", dash.into()));
        }
        svg.empty("polyline", &attributes);
        svg.line(&entry.text, "#16191F", &[]);
    }
    for swatch in &legend.swatches {
        svg.rect(
            &swatch.swatch,
            &[
                ("rx", "3".into()),
                ("fill", category_colour(swatch.category).into()),
            ],
        );
        svg.line(&swatch.text, "#16191F", &[]);
    }
    for badge in &legend.badges {
        draw_badge(svg, badge);
    }
    for note in &legend.notes {
        svg.line(note, "#545B64", &[]);
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
        for (kind, document) in ICONS {
            let parsed = resvg::usvg::roxmltree::Document::parse(document)
                .unwrap_or_else(|e| panic!("{kind}: {e}"));
            assert_eq!(parsed.root_element().tag_name().name(), "svg", "{kind}");
            assert!(
                document.contains(category_colour(Category::of(*kind))),
                "{kind} is not in its category colour"
            );
            assert!(!icon_body(document).is_empty());
        }
    }
}
