//! Recorded upstream responses for unit tests: the demo recordings bundled
//! in `demo/upstream/`, and the shared fixtures they came from.
use std::path::PathBuf;

/// The project's root (this crate's manifest is in `crates/core`).
pub fn project_root() -> PathBuf {
    PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../.."))
}

/// A file under `demo/upstream/`, e.g. `mdapi/rawhide/pkg/python3-requre.json`.
pub fn read(path: &str) -> String {
    let full = project_root().join("demo/upstream").join(path);
    std::fs::read_to_string(&full).unwrap_or_else(|e| panic!("fixture {}: {e}", full.display()))
}

/// A file under `tests/fixtures/upstream/` (copies of `shared/fixtures/upstream`).
pub fn read_shared(path: &str) -> String {
    let full = project_root().join("tests/fixtures/upstream").join(path);
    std::fs::read_to_string(&full).unwrap_or_else(|e| panic!("fixture {}: {e}", full.display()))
}
