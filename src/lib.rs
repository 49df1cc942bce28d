//! strata: turn a live AWS estate into an architecture diagram.
//!
//! The pipeline, one resolved type per stage:
//! `scan` (AWS, read-only) → [`snapshot::Snapshot`] → `graph` (pure inference)
//! → [`graph::Graph`] → `layout` (geometry) → [`layout::Layout`] → `render`
//! (SVG, DOT, JSON). Only `scan` and `access` touch the network; everything
//! after the snapshot is a pure function.

// Test support shared with the integration tests names the crate `strata`.
#[cfg(test)]
extern crate self as strata;

#[cfg(feature = "scan")]
pub mod access;
pub mod cli;
pub mod commands;
pub mod cost;
pub mod diff;
pub mod graph;
pub mod layout;
pub mod output;
pub mod prices;
pub mod redact;
pub mod render;
#[cfg(feature = "scan")]
pub mod scan;
pub mod services;
pub mod snapshot;
pub mod style;
pub mod text;
