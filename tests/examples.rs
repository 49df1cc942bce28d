//! The bundled examples are reference images: each `examples/NAME.json`
//! snapshot (regenerated from the emulator by `examples/regenerate.sh`) has
//! its rendered `NAME.svg` and `NAME.dot` beside it, and rendering the
//! snapshot today must give exactly those bytes. A change to the drawing
//! shows up here as a diff to review, not as a silent change to the README's
//! picture.

use std::path::{Path, PathBuf};

use strata::output::{self, Costing, Format, View};
use strata::snapshot::Snapshot;

fn example_snapshots() -> Vec<PathBuf> {
    let directory = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples");
    let mut snapshots: Vec<PathBuf> = std::fs::read_dir(&directory)
        .expect("the examples directory")
        .map(|entry| entry.expect("a directory entry").path())
        .filter(|path| path.extension().is_some_and(|e| e == "json"))
        .collect();
    snapshots.sort();
    assert!(
        !snapshots.is_empty(),
        "no example snapshots in {}",
        directory.display()
    );
    snapshots
}

#[test]
fn every_example_renders_to_its_committed_diagrams() {
    for snapshot_path in example_snapshots() {
        let snapshot = Snapshot::read(&snapshot_path).expect("a bundled example reads");
        for (extension, format) in [("svg", Format::Svg), ("dot", Format::Dot)] {
            let reference = snapshot_path.with_extension(extension);
            let expected = std::fs::read(&reference).unwrap_or_else(|error| {
                panic!(
                    "{}: {error}; run examples/regenerate.sh",
                    reference.display()
                )
            });
            let rendered =
                output::produce(&snapshot, format, View::Architecture, Costing::bundled())
                    .expect("an example renders");
            assert!(
                rendered == expected,
                "{} is not what strata draws from {} today; review the change, then run examples/regenerate.sh",
                reference.display(),
                snapshot_path.display()
            );
        }
    }
}
