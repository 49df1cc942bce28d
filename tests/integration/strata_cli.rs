//! `strata` itself, built inside the emulator tests' package so they can
//! spawn it (`env!("CARGO_BIN_EXE_strata-cli")`).

fn main() -> std::process::ExitCode {
    strata::cli::main()
}
