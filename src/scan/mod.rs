//! Reading a live AWS estate, read-only, into a [`Snapshot`](crate::snapshot::Snapshot).
//!
//! This is the only module (with `access`) that talks to AWS. One submodule
//! per service; each declares, next to its calls, the IAM action it needs
//! (see [`action`]).

pub mod action;
