//! Running the real Graphviz on a DOT document, for every test that checks
//! Graphviz reads what strata writes (the crate's unit tests include this
//! file too). Fails loudly when Graphviz is missing or exits with failure:
//! a test that needs it never passes without it.

use std::io::Write;
use std::process::{Command, Stdio};

/// What a Graphviz run wrote.
pub struct Ran {
    pub stdout: Vec<u8>,
    pub stderr: String,
}

/// Run `command` (`["neato", "-n2", "-Tjson"]`) with `dot` on its stdin.
pub fn run(command: &[&str], dot: &str) -> Ran {
    let mut child = Command::new(command[0])
        .args(&command[1..])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|error| {
            panic!(
                "Graphviz `{}` is required for this test ({error}): install the `graphviz` package (tests/run does)",
                command[0]
            )
        });
    let mut stdin = child.stdin.take().expect("piped stdin");
    let input = dot.to_string();
    // Graphviz may write before it has read everything: feed it from a thread.
    let writer = std::thread::spawn(move || stdin.write_all(input.as_bytes()));
    let output = child.wait_with_output().expect("Graphviz runs to the end");
    writer
        .join()
        .expect("writer thread")
        .expect("Graphviz reads its input");
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    assert!(
        output.status.success(),
        "{command:?} refuses the DOT ({}): {stderr}\n{dot}",
        output.status
    );
    Ran {
        stdout: output.stdout,
        stderr,
    }
}
