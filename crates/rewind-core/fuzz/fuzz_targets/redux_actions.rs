//! Fuzzes Redux DevTools action-list exports: the input is the `payload` text, then
//! (after a NUL byte, if any) the `preloadedState` text, both possibly holding jsan.
//! Decoding the jsan takes linear work, no state unrolls shared parts past the repeat
//! budget (when they are merged), and the state at every position is the reference fold
//! of the actions.
#![no_main]

use libfuzzer_sys::fuzz_target;
use rewind_core::{Format, LoadOptions, Mode, Value};
use rewind_core_fuzz::{check_jsan, check_state_sizes, load_and_check, repeat_bound};

fuzz_target!(|data: &[u8]| {
    let (payload, preloaded) = match data.iter().position(|&b| b == 0) {
        Some(i) => (&data[..i], Some(&data[i + 1..])),
        None => (data, None),
    };
    check_jsan(payload);
    let mut export = serde_json::Map::new();
    let text = |bytes: &[u8]| serde_json::Value::from(String::from_utf8_lossy(bytes));
    export.insert("payload".into(), text(payload));
    if let Some(pre) = preloaded {
        check_jsan(pre);
        export.insert("preloadedState".into(), text(pre));
    }
    let bytes = serde_json::Value::Object(export).to_string();
    let options = LoadOptions {
        format: Some(Format::ReduxActions),
        ..LoadOptions::default()
    };
    let Some(replay) = load_and_check(bytes.as_bytes(), &options) else {
        return;
    };
    let bound =
        |bytes: &[u8]| serde_json::from_slice::<Value>(bytes).map_or(0, |doc| repeat_bound(&doc));
    // A merge never repeats a part (a patch's `copy` may, as often as it is told to).
    if replay.log.mode == Mode::Merge {
        check_state_sizes(&replay, bound(payload) + preloaded.map_or(0, bound));
    }
});
