//! Fuzzes the JSON array format: a valid array gives one event or one reported bad
//! element per element, and the state at every position is the reference fold.
#![no_main]

use libfuzzer_sys::fuzz_target;
use rewind_core::{Format, LoadOptions};

fuzz_target!(|data: &[u8]| {
    let options = LoadOptions {
        format: Some(Format::JsonArray),
        ..LoadOptions::default()
    };
    let Some(replay) = rewind_core_fuzz::load_and_check(data, &options) else {
        return;
    };
    if let Ok(serde_json::Value::Array(elements)) = serde_json::from_slice(data) {
        assert_eq!(
            replay.len() + replay.log.bad_lines.len(),
            elements.len(),
            "every element is an event or a bad line"
        );
    }
});
