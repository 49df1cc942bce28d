//! The `strata` binary; the command line itself is [`strata::cli`].

fn main() -> std::process::ExitCode {
    strata::cli::main()
}
