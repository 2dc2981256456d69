//! Loading NDJSON chunk by chunk (as the browser does) gives the same log and the same
//! states as loading the whole file, wherever the chunks are cut.

use proptest::prelude::*;
use rewind_core::{open, LoadOptions, NdjsonStream, Replay};

/// Loads `text` in chunks of the given sizes (cycled).
fn streamed(text: &[u8], sizes: &[usize]) -> Option<Result<Replay, rewind_core::LoadError>> {
    let head = &text[..sizes[0].min(text.len())];
    let mut stream = NdjsonStream::start(head, text.len(), &LoadOptions::default())?;
    let mut at = head.len();
    let mut k = 1;
    while at < text.len() {
        let len = sizes[k % sizes.len()].max(1).min(text.len() - at);
        stream.push(len, |dst| dst.copy_from_slice(&text[at..at + len]));
        at += len;
        k += 1;
    }
    assert_eq!(stream.bytes(), text.len());
    Some(stream.finish())
}

fn same(a: &Replay, b: &Replay) {
    assert_eq!(a.len(), b.len());
    assert_eq!(a.log.mode, b.log.mode);
    assert_eq!(a.log.types, b.log.types);
    assert_eq!(a.log.streams, b.log.streams);
    assert_eq!(a.log.bad_lines, b.log.bad_lines);
    for p in 0..a.len() {
        assert_eq!(
            a.log.event(p).map(|e| e.data),
            b.log.event(p).map(|e| e.data),
            "event {p}"
        );
    }
    let n = a.len() as isize;
    for p in [-1, 0, n / 3, n / 2, n - 1] {
        assert_eq!(a.state_at(p), b.state_at(p), "state at {p}");
    }
}

fn generated(events: usize, seed: u64) -> String {
    let mut text = String::new();
    rewind_core::generate::ecommerce_ndjson(events, seed, &mut text);
    text
}

#[test]
fn a_generated_log_streams_to_the_same_replay_for_any_chunking() {
    let text = generated(3000, 7);
    let whole = open(text.as_bytes(), &LoadOptions::default()).expect("loads");
    for sizes in [
        &[4096usize][..],
        &[100_000],
        &[5000, 1, 17, 333],
        &[text.len()],
    ] {
        let streamed = streamed(text.as_bytes(), sizes)
            .expect("NDJSON")
            .expect("loads");
        same(&whole, &streamed);
    }
}

#[test]
fn bad_lines_blank_lines_crlf_a_bom_and_no_final_newline_are_read_the_same() {
    let mut text = String::from("\u{feff}");
    text.push_str(&generated(200, 3).replace('\n', "\r\n"));
    text.push_str("\r\n\r\n{not json}\r\n   \r\n");
    text.push_str(&generated(50, 4));
    text.push_str("{\"type\":\"Last\",\"stream\":\"s\",\"data\":{\"a\":1}}");
    let whole = open(text.as_bytes(), &LoadOptions::default()).expect("loads");
    assert_eq!(whole.log.bad_lines.len(), 1);
    // The first chunk must hold a whole first line and the start of a second.
    assert!(streamed(text.as_bytes(), &[64]).is_none());
    for sizes in [&[9000usize, 3, 1000][..], &[9000]] {
        let streamed = streamed(text.as_bytes(), sizes)
            .expect("NDJSON")
            .expect("loads");
        same(&whole, &streamed);
    }
}

#[test]
fn logs_that_may_not_be_ndjson_are_left_to_open() {
    let options = LoadOptions::default();
    assert!(NdjsonStream::start(b"[{\"type\":\"A\"},\n{\"type\":\"B\"}]", 30, &options).is_none());
    assert!(NdjsonStream::start(b"{\n \"events\": []\n}", 20, &options).is_none());
    assert!(NdjsonStream::start(b"{\"type\":\"only one line\"}", 30, &options).is_none());
    assert!(NdjsonStream::start(b"", 0, &options).is_none());
    assert!(NdjsonStream::start(b"\xff\xfe{", 3, &options).is_none());
}

#[test]
fn a_log_whose_later_lines_are_all_bad_fails_or_loads_as_open_does() {
    for text in [
        &b"{\"type\":\"A\",\"data\":{}}\n{bad}\n{worse}\n"[..],
        b"5\n{bad}\n",
    ] {
        let streamed = streamed(text, &[text.len()]).expect("starts as NDJSON");
        let whole = open(text, &LoadOptions::default());
        assert_eq!(
            streamed
                .as_ref()
                .map(|r| r.log.bad_lines.clone())
                .map_err(|e| e.to_string()),
            whole
                .as_ref()
                .map(|r| r.log.bad_lines.clone())
                .map_err(|e| e.to_string())
        );
    }
}

#[test]
fn a_state_replacing_event_mid_stream_switches_timelines_as_open_does() {
    // The third event has no stream and a non-object payload: the column timeline gives
    // way to snapshots, which re-folds the events before it from the text.
    let text = "{\"type\":\"A\",\"stream\":\"s1\",\"data\":{\"x\":1}}\n\
                {\"type\":\"B\",\"stream\":\"s2\",\"data\":{\"y\":2}}\n\
                {\"type\":\"Reset\",\"data\":5}\n\
                {\"type\":\"C\",\"stream\":\"s1\",\"data\":{\"x\":3}}\n";
    let whole = open(text.as_bytes(), &LoadOptions::default()).expect("loads");
    let streamed = streamed(text.as_bytes(), &[50, 10])
        .expect("NDJSON")
        .expect("loads");
    same(&whole, &streamed);
    assert_eq!(whole.timeline.kind_name(), streamed.timeline.kind_name());
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(32))]
    #[test]
    fn any_chunking_of_any_generated_log_gives_the_same_replay(
        events in 1usize..400,
        seed in any::<u64>(),
        sizes in proptest::collection::vec(1usize..5000, 1..6),
    ) {
        let text = generated(events, seed);
        let whole = open(text.as_bytes(), &LoadOptions::default()).expect("loads");
        if let Some(streamed) = streamed(text.as_bytes(), &sizes) {
            same(&whole, &streamed.expect("loads"));
        }
    }
}
