//! The one style table every output reads — SVG (and so PNG), Graphviz DOT
//! and the graph view — so they agree: category colours, edge strokes,
//! frame tints and status classes with their colours.
//!
//! Owns colours, widths and dash patterns. It does not know which kind
//! belongs to which category (each service's look says that) nor which
//! status word means what (the services classify their own states).

use crate::graph::EdgeKind;

/// What a resource is, for colour: one hue per category, as AWS's own
/// architecture icons use them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Category {
    Compute,
    Networking,
    Database,
    Storage,
    Security,
    External,
}

impl Category {
    pub const ALL: [Category; 6] = [
        Category::Compute,
        Category::Networking,
        Category::Database,
        Category::Storage,
        Category::Security,
        Category::External,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Category::Compute => "compute",
            Category::Networking => "networking",
            Category::Database => "database",
            Category::Storage => "storage",
            Category::Security => "security",
            Category::External => "external",
        }
    }

    /// The strong colour: icon squares, outlines, legend swatches.
    pub fn colour(self) -> &'static str {
        match self {
            Category::Compute => "#ED7100",
            Category::Networking => "#8C4FFF",
            Category::Database => "#C925D1",
            Category::Storage => "#7AA116",
            Category::Security => "#DD344C",
            Category::External => "#232F3E",
        }
    }

    /// A light fill of the same hue, for boxes drawn in that colour.
    pub fn tint(self) -> &'static str {
        match self {
            Category::Compute => "#FDF0E3",
            Category::Networking => "#F1EAFF",
            Category::Database => "#F9E8FA",
            Category::Storage => "#F0F6E4",
            Category::Security => "#FBE8EB",
            Category::External => "#F2F3F3",
        }
    }
}

/// How a line is drawn.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Stroke {
    pub colour: &'static str,
    /// SVG user units (Graphviz points).
    pub width: &'static str,
    /// SVG `stroke-dasharray`; `None` is a solid line.
    pub dash: Option<&'static str>,
}

impl Stroke {
    /// The Graphviz `style` that comes closest to the dash pattern.
    pub fn dot_style(&self) -> &'static str {
        match self.dash {
            None => "solid",
            Some(DOTTED) => "dotted",
            Some(_) => "dashed",
        }
    }
}

const DOTTED: &str = "2 3";

/// The stroke of an edge kind.
pub fn edge(kind: EdgeKind) -> Stroke {
    let stroke = |colour, width, dash| Stroke {
        colour,
        width,
        dash,
    };
    match kind {
        EdgeKind::Allows => stroke("#232F3E", "1.4", None),
        EdgeKind::Targets => stroke("#147EBA", "1.6", None),
        EdgeKind::Forwards => stroke("#147EBA", "1.4", Some("6 3")),
        EdgeKind::Routes => stroke("#879596", "1.3", Some(DOTTED)),
        EdgeKind::Peers => stroke("#8C4FFF", "1.8", Some("8 4")),
        EdgeKind::Attaches => stroke("#7AA116", "1.6", Some("8 4")),
        EdgeKind::Replicates => stroke("#C925D1", "1.6", Some("6 4")),
        EdgeKind::Member => stroke("#C925D1", "1.2", Some(DOTTED)),
    }
}

/// Graphviz arrow attributes of an edge kind (beyond the default arrowhead).
pub fn dot_arrows(kind: EdgeKind) -> &'static str {
    match kind {
        EdgeKind::Peers => ", dir=both",
        EdgeKind::Member => ", arrowhead=odiamond",
        EdgeKind::Attaches => ", arrowhead=dot",
        EdgeKind::Allows
        | EdgeKind::Targets
        | EdgeKind::Forwards
        | EdgeKind::Routes
        | EdgeKind::Replicates => "",
    }
}

/// How a container frame is tinted: by container kind, subnets by tier.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Frame {
    Account,
    Region,
    Vpc,
    Zone,
    Public,
    Private,
    Isolated,
    /// A subnet whose tier the graph did not say.
    Subnet,
}

/// Border and fill of a frame.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct FrameStyle {
    pub stroke: Stroke,
    /// `none` for frames that only outline.
    pub fill: &'static str,
}

pub fn frame(frame: Frame) -> FrameStyle {
    let style = |colour, width, dash, fill| FrameStyle {
        stroke: Stroke {
            colour,
            width,
            dash,
        },
        fill,
    };
    match frame {
        Frame::Account => style("#232F3E", "1.3", None, "none"),
        Frame::Region => style("#00A4A6", "1.5", Some("6 4"), "none"),
        Frame::Vpc => style("#8C4FFF", "2", None, "#FFFFFF"),
        Frame::Zone => style("#147EBA", "1.2", Some("5 4"), "none"),
        Frame::Public => style("#7AA116", "1", None, "#F2F8EA"),
        Frame::Private => style("#00A4A6", "1", None, "#E8F6F7"),
        Frame::Isolated => style("#879596", "1", None, "#F2F3F3"),
        Frame::Subnet => style("#AAB7B8", "1", None, "#FAFAFA"),
    }
}

/// What a resource's live status means for a reader. Each service sorts its
/// own status words into these; every output draws them the same way.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Status {
    /// Running, available, healthy, or nothing worth a mark.
    #[default]
    Normal,
    /// Not running: stopped, terminated, deleted, inactive.
    Stopped,
    /// Failed or impaired.
    Failed,
    /// A load-balancer target failing its health checks.
    Unhealthy,
    /// On its way somewhere: pending, creating, modifying.
    Pending,
    /// A Multi-AZ standby (drawn, not serving).
    Standby,
}

impl Status {
    /// Every status that carries a badge, in legend order.
    pub const MARKED: [Status; 5] = [
        Status::Stopped,
        Status::Failed,
        Status::Unhealthy,
        Status::Pending,
        Status::Standby,
    ];

    /// The badge word; empty for [`Status::Normal`].
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Normal => "",
            Status::Stopped => "stopped",
            Status::Failed => "failed",
            Status::Unhealthy => "unhealthy",
            Status::Pending => "pending",
            Status::Standby => "standby",
        }
    }

    /// What the badge means, in the legend.
    pub fn meaning(self) -> &'static str {
        match self {
            Status::Normal => "",
            Status::Stopped => "not running",
            Status::Failed => "failed / impaired",
            Status::Unhealthy => "failing health checks",
            Status::Pending => "changing state",
            Status::Standby => "Multi-AZ standby",
        }
    }

    /// Whether the resource should read as "not serving" (dimmed, dashed).
    pub fn dims(self) -> bool {
        matches!(self, Status::Stopped | Status::Standby)
    }

    /// Whether a reader must notice it: not running or not healthy.
    pub fn is_degraded(self) -> bool {
        matches!(self, Status::Stopped | Status::Failed | Status::Unhealthy)
    }

    /// Fill and text colour of the badge.
    pub fn badge(self) -> (&'static str, &'static str) {
        match self {
            Status::Normal => ("#FFFFFF", "#16191F"),
            Status::Stopped => ("#545B64", "#FFFFFF"),
            Status::Failed | Status::Unhealthy => ("#D13212", "#FFFFFF"),
            Status::Pending => ("#FF9900", "#16191F"),
            Status::Standby => ("#879596", "#FFFFFF"),
        }
    }

    /// The outline of a tile (or node) in this status.
    pub fn outline(self) -> Stroke {
        match self {
            Status::Failed | Status::Unhealthy => Stroke {
                colour: "#D13212",
                width: "2",
                dash: None,
            },
            Status::Pending => Stroke {
                colour: "#FF9900",
                width: "1.6",
                dash: None,
            },
            Status::Stopped | Status::Standby => Stroke {
                colour: "#D5DBDB",
                width: "1.2",
                dash: Some("4 3"),
            },
            Status::Normal => Stroke {
                colour: "#D5DBDB",
                width: "1.2",
                dash: None,
            },
        }
    }
}

/// Text colours shared by every output.
pub const INK: &str = "#16191F";
pub const INK_SOFT: &str = "#545B64";
/// Cost figures: quieter than the detail line, as in the design sketch.
pub const INK_COST: &str = "#687078";
/// A figure that leaves something unpriced: it must not read as cheap.
pub const INK_UNPRICED: &str = "#B7410E";

/// The colour of a cost figure.
pub fn cost_ink(priced: bool) -> &'static str {
    if priced {
        INK_COST
    } else {
        INK_UNPRICED
    }
}
