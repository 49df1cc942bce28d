#!/usr/bin/env bash
# Regenerates the bundled example snapshots: starts moto, seeds it through
# the AWS API with the reference fixture in two regions (plus an S3 gateway
# endpoint and a stopped instance per region), scans it, and writes
# examples/two-region.json, then draws every example snapshot as SVG, DOT and
# PNG beside it (tests/examples.rs checks the SVG and DOT are what strata
# draws today). Never edit these files by hand; run this.
#
#   examples/regenerate.sh     # needs moto: run tests/run once, or set STRATA_TEST_PYTHON
set -euo pipefail
cd "$(dirname "$0")/.."
export STRATA_TEST_PYTHON="${STRATA_TEST_PYTHON:-$PWD/.venv/bin/python}"
export STRATA_EXAMPLES_DIR="$PWD/examples"
unset AWS_PROFILE AWS_DEFAULT_PROFILE AWS_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY AWS_SESSION_TOKEN AWS_ENDPOINT_URL
cargo test -p strata-emulator-tests --test integration -- --ignored --exact scan::regenerate_examples
for snapshot in examples/*.json; do
  for extension in svg dot png; do
    cargo run --quiet --no-default-features -- render "$snapshot" -o "${snapshot%.json}.$extension"
  done
  echo "wrote $snapshot and its diagrams" >&2
done
