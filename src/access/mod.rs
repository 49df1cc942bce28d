//! Credentials and accounts: the base credential chain, assumed roles with
//! external ids, the `--accounts` file, and the IAM policy and role templates
//! generated from the scanners' action table.

pub mod accounts;
pub mod assume;
pub mod check;
pub mod credentials;
pub mod names;
pub mod policy;
pub mod role;
pub mod targets;
