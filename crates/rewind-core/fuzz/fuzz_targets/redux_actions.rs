//! Fuzzes Redux DevTools action-list exports: the input is the `payload` text, then
//! (after a NUL byte, if any) the `preloadedState` text, both possibly holding jsan.
//! Decoding the jsan takes linear work, no state unrolls shared parts past the repeat
//! budget (when they are merged), and the state at every position is the reference fold
//! of the actions.
#![no_main]

use libfuzzer_sys::fuzz_target;
use rewind_core::{Format, LoadOptions, Mode};
use rewind_core_fuzz::{check_jsan, check_state_sizes, load_and_check, repeat_bound};

fuzz_target!(|data: &[u8]| {
    // The texts as the export holds them: JSON strings, so any bytes become UTF-8.
    let (payload, preloaded) = match data.iter().position(|&b| b == 0) {
        Some(i) => (&data[..i], Some(&data[i + 1..])),
        None => (data, None),
    };
    let payload = String::from_utf8_lossy(payload);
    let preloaded = preloaded.map(String::from_utf8_lossy);
    let mut export = serde_json::Map::new();
    export.insert("payload".into(), payload.as_ref().into());
    if let Some(pre) = &preloaded {
        export.insert("preloadedState".into(), pre.as_ref().into());
    }
    for text in std::iter::once(&payload).chain(&preloaded) {
        check_jsan(text.as_bytes());
    }
    let bytes = serde_json::Value::Object(export).to_string();
    let options = LoadOptions {
        format: Some(Format::ReduxActions),
        ..LoadOptions::default()
    };
    let Some(replay) = load_and_check(bytes.as_bytes(), &options) else {
        return;
    };
    // A merge never repeats a part (a patch's `copy` may, as often as it is told to).
    if replay.log.mode == Mode::Merge {
        let bound: u64 = std::iter::once(&payload)
            .chain(&preloaded)
            .filter_map(|text| rewind_core::value::parse(text.as_bytes()).ok())
            .map(|doc| repeat_bound(&doc))
            .sum();
        check_state_sizes(&replay, bound);
    }
});
