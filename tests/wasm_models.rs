//! Read models in wasm32, where jaq's machine integers are 32 bits: the fixture of big
//! integers (epoch milliseconds, ids beyond 2^53) gives the same state in the browser as
//! natively (`crates/rewind-core/tests/models.rs` checks the same expectations there).
#![cfg(target_arch = "wasm32")]

use std::sync::Arc;

use rewind_core::model::{ModelTimeline, ReadModel};
use rewind_core::{open, LoadOptions, States};
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

const LOG: &str = include_str!("../crates/rewind-core/tests/fixtures/models/bigints.ndjson");
const MODEL: &str = include_str!("../crates/rewind-core/tests/fixtures/models/big-integers.json");
const CASES: &str = include_str!("../crates/rewind-core/tests/fixtures/models/cases.json");

#[wasm_bindgen_test]
fn big_integers_fold_in_the_browser_as_natively() {
    let replay = open(LOG.as_bytes().to_vec(), &LoadOptions::default()).expect("fixture loads");
    let model = Arc::new(ReadModel::parse(MODEL).expect("fixture compiles"));
    let timeline = ModelTimeline::fold_log(model, &replay.log);
    let cases: serde_json::Value = serde_json::from_str(CASES).expect("cases parse");
    let case = cases
        .as_array()
        .and_then(|c| c.iter().find(|c| c["model"] == "big-integers.json"))
        .expect("the big-integers case");
    let states = case["states"].as_object().expect("states");
    assert_eq!(states.len(), 2);
    for (p, expected) in states {
        let p: isize = p.parse().expect("position");
        assert_eq!(
            &timeline.state_at(&replay.log, p).to_json(),
            expected,
            "at {p}"
        );
    }
}
