//! Running the built `strata` as a user does, for the render-only tests.

use std::path::Path;
use std::process::{Command, Output};

/// Run strata with a cache directory of its own, so no test sees a price
/// file a developer refreshed.
pub fn strata(cache: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_strata"))
        .args(args)
        .env("XDG_CACHE_HOME", cache)
        .env_remove("HOME")
        .env_remove("RUST_LOG")
        .output()
        .expect("strata runs")
}
