//! Fuzzes NDJSON: any bytes read as one JSON value per line load or fail with a clear
//! error; every non-blank line is an event or a reported bad line (nothing is silently
//! lost), and the state at every position is the reference fold of the events.
#![no_main]

use libfuzzer_sys::fuzz_target;
use rewind_core::{Format, LoadOptions};

fuzz_target!(|data: &[u8]| {
    let options = LoadOptions {
        format: Some(Format::Ndjson),
        ..LoadOptions::default()
    };
    let Some(replay) = rewind_core_fuzz::load_and_check(data, &options) else {
        return;
    };
    let text = data.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(data);
    let lines = text
        .split(|&b| b == b'\n')
        .filter(|l| !l.trim_ascii().is_empty())
        .count();
    assert_eq!(
        replay.len() + replay.log.bad_lines.len(),
        lines,
        "every non-blank line is an event or a bad line"
    );
});
