//! What the CLI tests share: running the `rewind` binary, reading its JSON, the fixtures
//! and temporary files. (Each test file uses some of it.)
#![allow(dead_code)]

use std::process::{Command, Output};

/// The path of `name` under `tests/fixtures/`.
pub fn fixture(name: &str) -> String {
    format!("{}/tests/fixtures/{name}", env!("CARGO_MANIFEST_DIR"))
}

/// Runs `rewind ARGS...`.
pub fn rewind(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_rewind"))
        .args(args)
        .output()
        .expect("run rewind")
}

/// Its standard output as JSON, failing with its standard error when it failed.
pub fn json(out: &Output) -> serde_json::Value {
    assert!(
        out.status.success(),
        "rewind failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("stdout is JSON")
}

/// Its standard output as JSON lines (`history`, `steps`), one value a line.
pub fn json_lines(out: &Output) -> Vec<serde_json::Value> {
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).expect("JSON line"))
        .collect()
}

/// Writes `text` to a file named `name` in a temporary folder of this test binary
/// (`tag` names it); its path.
pub fn temp_file(tag: &str, name: &str, text: &str) -> String {
    let dir = std::env::temp_dir().join(format!("rewind-{tag}-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let path = dir.join(name);
    std::fs::write(&path, text).expect("write file");
    path.to_str().expect("path").to_string()
}
