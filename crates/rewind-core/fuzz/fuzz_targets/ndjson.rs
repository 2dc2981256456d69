//! Fuzzes NDJSON: any bytes read as one JSON value per line load or fail with a clear
//! error; every non-blank line is an event or a reported bad line (nothing is silently
//! lost), and the state at every position is the reference fold of the events. Loaded
//! index-only in parts (the page's mode for logs larger than memory), it is the same log.
#![no_main]

use std::sync::Arc;

use libfuzzer_sys::fuzz_target;
use rewind_core::{Format, LoadOptions, NdjsonStream, Text};

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
    // Index-only in parts (the page's mode for logs larger than memory) gives what the same
    // parts give held in memory. (Not always what the whole text gives: a stream detects
    // the producer from its first part.)
    let head = &data[..data.len() / 2];
    let chunked = |mut stream: NdjsonStream| {
        for part in data[head.len()..].chunks(7) {
            stream.push(part.len(), |dst| dst.copy_from_slice(part));
        }
        stream.finish().map_err(|e| e.to_string())
    };
    let Some(in_memory) = NdjsonStream::start(head, data.len(), &options) else {
        return;
    };
    let in_memory = chunked(in_memory);
    let file = Arc::new(Text::from(data));
    let index_only = NdjsonStream::start_index_only(head, data.len() as u64, &options, file)
        .expect("starts where the in-memory stream starts");
    let (a, b) = match (in_memory, chunked(index_only)) {
        (Ok(a), Ok(b)) => (a, b),
        (a, b) => {
            assert_eq!(a.err(), b.err(), "the same failure");
            return;
        }
    };
    assert_eq!(b.len(), a.len(), "events");
    assert_eq!(b.log.bad_lines, a.log.bad_lines, "bad lines");
    for p in 0..a.len() {
        assert_eq!(b.log.raw_text(p), a.log.raw_text(p), "text of {p}");
    }
    let last = a.len() as isize - 1;
    assert_eq!(b.state_at(last), a.state_at(last), "last state");
});
