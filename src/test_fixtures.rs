//! Recorded upstream responses for unit tests: the demo recordings bundled
//! in `demo/upstream/`, and the shared fixtures they came from.
use std::path::PathBuf;

/// A file under `demo/upstream/`, e.g. `mdapi/rawhide/pkg/python3-requre.json`.
pub fn read(path: &str) -> String {
    let full = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("demo/upstream").join(path);
    std::fs::read_to_string(&full).unwrap_or_else(|e| panic!("fixture {}: {e}", full.display()))
}

/// A file under `tests/fixtures/upstream/` (copies of `shared/fixtures/upstream`).
pub fn read_shared(path: &str) -> String {
    let full = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/upstream").join(path);
    std::fs::read_to_string(&full).unwrap_or_else(|e| panic!("fixture {}: {e}", full.display()))
}
