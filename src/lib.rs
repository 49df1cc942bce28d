//! strata: turn a live AWS estate into an architecture diagram.
//!
//! The pipeline, one resolved type per stage:
//! `scan` (AWS, read-only) → [`snapshot::Snapshot`] → `graph` (pure inference)
//! → [`graph::Graph`] → `layout` (geometry) → [`layout::Layout`] → `render`
//! (SVG, DOT, JSON). Only `scan` and `access` touch the network; everything
//! after the snapshot is a pure function.

#[cfg(feature = "scan")]
pub mod access;
pub mod commands;
pub mod graph;
pub mod layout;
pub mod output;
pub mod render;
#[cfg(feature = "scan")]
pub mod scan;
pub mod snapshot;
