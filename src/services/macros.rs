//! The two macros that tie a service into strata: [`kinds!`] inside a
//! service module declares its resource kinds and their typed attributes;
//! [`registry!`] in `services/mod.rs` lists the services and derives the
//! crate-wide kind and detail types from them. Nothing here knows any
//! particular service.

/// A service's resource kinds: `Variant(AttrsType) => "kind-name"`, in the
/// order snapshots sort them. Declares `Kind`, `Detail` (one variant per
/// kind, holding its typed attributes) and an [`Attrs`](crate::services::Attrs)
/// impl per attribute type, so graph rules ask the inventory for
/// `inventory.all::<VpcAttrs>()`.
macro_rules! kinds {
    ($( $(#[$meta:meta])* $variant:ident($attrs:ident) => $name:literal ),+ $(,)?) => {
        /// The kinds of resource this service scans.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum Kind {
            $( $(#[$meta])* $variant, )+
        }

        impl Kind {
            pub const ALL: &'static [Kind] = &[$( Kind::$variant, )+];

            /// The name a snapshot and the graph JSON use.
            pub fn as_str(self) -> &'static str {
                match self { $( Kind::$variant => $name, )+ }
            }

            pub fn parse(name: &str) -> Option<Kind> {
                match name {
                    $( $name => Some(Kind::$variant), )+
                    _ => None,
                }
            }
        }

        /// A resource's kind with its typed attributes. Variants differ in
        /// size (an instance holds far more than a zone); they are read in
        /// place by every rule, and a snapshot holds one per resource, so
        /// boxing the large ones would buy little and cost an indirection.
        #[derive(Debug, Clone, PartialEq)]
        #[allow(clippy::large_enum_variant)]
        pub enum Detail {
            $( $variant($attrs), )+
        }

        impl Detail {
            pub fn kind(&self) -> Kind {
                match self { $( Detail::$variant(_) => Kind::$variant, )+ }
            }

            /// A resource of this kind with every attribute at its default.
            pub fn default_for(kind: Kind) -> Detail {
                match kind { $( Kind::$variant => Detail::$variant(Default::default()), )+ }
            }

            pub(crate) fn serialize_attrs<S: serde::Serializer>(
                &self,
                serializer: S,
            ) -> Result<S::Ok, S::Error> {
                use serde::Serialize as _;
                match self { $( Detail::$variant(attrs) => attrs.serialize(serializer), )+ }
            }

            pub(crate) fn deserialize_attrs<'de, D: serde::Deserializer<'de>>(
                kind: Kind,
                deserializer: D,
            ) -> Result<Detail, D::Error> {
                use serde::Deserialize as _;
                match kind {
                    $( Kind::$variant => $attrs::deserialize(deserializer).map(Detail::$variant), )+
                }
            }
        }

        $(
            impl From<$attrs> for $crate::services::Detail {
                fn from(attrs: $attrs) -> $crate::services::Detail {
                    Detail::$variant(attrs).into()
                }
            }

            impl $crate::services::Attrs for $attrs {
                fn kind() -> $crate::services::ResourceKind {
                    Kind::$variant.into()
                }

                fn of(detail: &$crate::services::Detail) -> Option<&$attrs> {
                    match <Detail as $crate::services::ServiceDetail>::of(detail)? {
                        Detail::$variant(attrs) => Some(attrs),
                        #[allow(unreachable_patterns)]
                        _ => None,
                    }
                }

                fn of_mut(detail: &mut $crate::services::Detail) -> Option<&mut $attrs> {
                    match <Detail as $crate::services::ServiceDetail>::of_mut(detail)? {
                        Detail::$variant(attrs) => Some(attrs),
                        #[allow(unreachable_patterns)]
                        _ => None,
                    }
                }
            }
        )+
    };
}

/// The registry: `Variant => module` per service, in snapshot order (a
/// service's kinds sort after those of the services above it). Declares the
/// modules and derives [`ResourceKind`](crate::services::ResourceKind),
/// [`Detail`](crate::services::Detail) and [`ALL`](crate::services::ALL).
macro_rules! registry {
    ($( $variant:ident => $module:ident ),+ $(,)?) => {
        $( pub mod $module; )+

        /// The kind of a scanned resource: its service and the service's kind.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum ResourceKind {
            $( $variant($module::Kind), )+
        }

        impl ResourceKind {
            /// Every kind of every service, in snapshot order.
            pub fn all() -> impl Iterator<Item = ResourceKind> {
                std::iter::empty()
                    $( .chain($module::Kind::ALL.iter().map(|kind| ResourceKind::$variant(*kind))) )+
            }

            pub fn as_str(self) -> &'static str {
                match self { $( ResourceKind::$variant(kind) => kind.as_str(), )+ }
            }

            pub fn parse(name: &str) -> Option<ResourceKind> {
                $( if let Some(kind) = $module::Kind::parse(name) {
                    return Some(ResourceKind::$variant(kind));
                } )+
                None
            }

            /// How resources of this kind look, wherever they are drawn.
            pub fn look(self) -> $crate::services::Look {
                match self { $( ResourceKind::$variant(kind) => $module::look(kind), )+ }
            }

            /// How resources of this kind are billed.
            pub fn pricing(self) -> $crate::cost::Pricing {
                match self { $( ResourceKind::$variant(kind) => $module::cost::pricing(kind), )+ }
            }

            fn deserialize_attrs<'de, D: serde::Deserializer<'de>>(
                self,
                deserializer: D,
            ) -> Result<Detail, D::Error> {
                match self {
                    $( ResourceKind::$variant(kind) =>
                        $module::Detail::deserialize_attrs(kind, deserializer).map(Detail::$variant), )+
                }
            }
        }

        $(
            impl From<$module::Kind> for ResourceKind {
                fn from(kind: $module::Kind) -> ResourceKind {
                    ResourceKind::$variant(kind)
                }
            }

            impl From<$module::Detail> for Detail {
                fn from(detail: $module::Detail) -> Detail {
                    Detail::$variant(detail)
                }
            }

            impl ServiceDetail for $module::Detail {
                fn of(detail: &Detail) -> Option<&$module::Detail> {
                    match detail {
                        Detail::$variant(inner) => Some(inner),
                        #[allow(unreachable_patterns)]
                        _ => None,
                    }
                }

                fn of_mut(detail: &mut Detail) -> Option<&mut $module::Detail> {
                    match detail {
                        Detail::$variant(inner) => Some(inner),
                        #[allow(unreachable_patterns)]
                        _ => None,
                    }
                }
            }
        )+

        /// A resource's kind-specific attributes, typed by service and kind.
        #[derive(Debug, Clone, PartialEq)]
        pub enum Detail {
            $( $variant($module::Detail), )+
        }

        impl Detail {
            pub fn kind(&self) -> ResourceKind {
                match self { $( Detail::$variant(detail) => ResourceKind::$variant(detail.kind()), )+ }
            }

            /// A resource of this kind with every attribute at its default.
            pub fn default_for(kind: ResourceKind) -> Detail {
                match kind {
                    $( ResourceKind::$variant(kind) => Detail::$variant($module::Detail::default_for(kind)), )+
                }
            }

            fn serialize_attrs<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                match self { $( Detail::$variant(detail) => detail.serialize_attrs(serializer), )+ }
            }
        }

        /// One resource's cost, by its service's pricing rules.
        pub(crate) fn cost(
            resource: &$crate::snapshot::Resource,
            prices: &$crate::prices::PriceBook,
            context: &$crate::cost::Context,
        ) -> $crate::cost::Cost {
            match &resource.detail {
                $( Detail::$variant(detail) => $module::cost::cost(resource, detail, prices, context), )+
            }
        }

        /// One resource's kind-specific attributes with every identifier
        /// replaced, by its service's field-by-field rules.
        pub(crate) fn redact_detail(detail: &mut Detail, redactor: &$crate::redact::Redactor) {
            match detail {
                $( Detail::$variant(detail) => $module::redact::redact(detail, redactor), )+
            }
        }

        /// Every service, in registry order.
        #[cfg(feature = "scan")]
        pub(crate) const ALL: &[&dyn Service] = &[$( &$module::SERVICE, )+];

        /// Every call of one region's scan, service by service.
        #[cfg(feature = "scan")]
        pub(crate) fn calls() -> Vec<&'static $crate::scan::action::Call> {
            let mut calls = Vec::new();
            $( calls.extend($module::scan::CALLS.iter()); )+
            calls
        }

        /// Scan every service of one region, concurrently.
        #[cfg(feature = "scan")]
        pub(crate) async fn scan_region(
            context: &$crate::scan::RegionContext,
        ) -> anyhow::Result<Vec<$crate::snapshot::Resource>> {
            let ($( $module, )+) = tokio::join!(
                $( context.service(stringify!($module), $module::scan::scan(context)), )+
            );
            let mut resources = Vec::new();
            $( resources.extend($module?); )+
            Ok(resources)
        }

        /// Every service's graph rules, in registry order: the order the
        /// graph phases run them in.
        pub(crate) const RULES: &[&dyn $crate::graph::rules::Rules] = &[$( &$module::SERVICE, )+];
    };
}

/// The icon of a kind in every format: its SVG document in
/// `templates/icons/`, compiled in (a kind whose icon file is missing does
/// not build), and the draw.io AWS stencil that stands for it
/// (`mxgraph.aws4.<drawio>`; a kind without one does not build either).
macro_rules! icon {
    ($name:literal, drawio: $drawio:literal) => {
        $crate::services::Icon {
            svg: include_str!(concat!(
                env!("CARGO_MANIFEST_DIR"),
                "/templates/icons/",
                $name,
                ".svg"
            )),
            drawio: concat!("mxgraph.aws4.", $drawio),
        }
    };
}
