//! Outputs. Rendering cannot fail on a valid layout or graph: every function
//! here returns the document, and writing it is the caller's business.

pub mod dot;
pub mod drawio;
pub mod graphview;
pub mod html;
pub mod json;
pub mod png;
pub mod svg;
#[cfg(test)]
pub(crate) mod testing;
