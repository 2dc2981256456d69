//! Fuzzes CloudEvents (one event, an array or a batch; `data` or `data_base64`): they
//! load or fail with a clear error, every event reads back (payload decoded), and the
//! state at every position is the reference fold.
#![no_main]

use libfuzzer_sys::fuzz_target;
use rewind_core::{Format, LoadOptions};

fuzz_target!(|data: &[u8]| {
    let options = LoadOptions {
        format: Some(Format::CloudEvents),
        ..LoadOptions::default()
    };
    let Some(replay) = rewind_core_fuzz::load_and_check(data, &options) else {
        return;
    };
    for p in 0..replay.len().min(64) {
        let _ = replay.log.event(p);
    }
});
