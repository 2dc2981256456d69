//! Loading NDJSON chunk by chunk (as the browser does) gives the same log and the same
//! states as loading the whole file, wherever the chunks are cut; and a lazy load (the
//! browser's, which skims payloads and folds streams on first read) gives the same log,
//! bad lines and states as an eager one.

use proptest::prelude::*;
use rewind_core::{open, LoadOptions, NdjsonStream, Replay};

/// Loads `text` in chunks of the given sizes (cycled).
fn streamed(text: &[u8], sizes: &[usize]) -> Option<Result<Replay, rewind_core::LoadError>> {
    streamed_with(text, sizes, &LoadOptions::default())
}

fn lazy() -> LoadOptions {
    LoadOptions {
        lazy: true,
        ..LoadOptions::default()
    }
}

/// Loads `text` in chunks of the given sizes (cycled), with `options`.
fn streamed_with(
    text: &[u8],
    sizes: &[usize],
    options: &LoadOptions,
) -> Option<Result<Replay, rewind_core::LoadError>> {
    let head = &text[..sizes[0].min(text.len())];
    let mut stream = NdjsonStream::start(head, text.len(), options)?;
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

#[test]
fn a_lazy_load_reads_every_line_as_an_eager_one() {
    let mut bytes = generated(300, 5).into_bytes();
    for line in [
        // Payloads a skim must reject exactly as a full read does.
        &b"{\"type\":\"A\",\"stream\":\"s1\",\"data\":{\"n\":1e400}}"[..],
        b"{\"type\":\"A\",\"stream\":\"s1\",\"data\":{\"t\":\"\xff\xfe\"}}",
        b"{\"type\":\"A\",\"stream\":\"s1\",\"data\":{\"t\":\"\\ud800\"}}",
        b"{\"type\":\"A\",\"stream\":\"s1\",\"data\":{\"\\q\":1}}",
        b"{\"type\":\"A\",\"stream\":\"s1\",\"data\":[1,}",
        // Payloads that are there, or not, by rank.
        b"{\"type\":\"B\",\"stream\":\"s2\",\"data\":null,\"payload\":{\"p\":1}}",
        b"{\"type\":\"B\",\"stream\":\"s2\",\"payload\":{\"q\":2},\"data\":{\"d\":3}}",
        b"{\"type\":\"B\",\"stream\":\"s2\",\"data\":null}",
        b"{\"type\":\"B\",\"stream\":\"s2\",\"data\":7}",
        b"{\"type\":\"B\",\"stream\":\"s2\",\"data\":{\"d\":null}}",
        // Root merges, one removing a stream.
        b"{\"type\":\"C\",\"data\":{\"s1\":{\"r\":1},\"s3\":[1]}}",
        b"{\"type\":\"C\",\"data\":{\"s2\":null}}",
    ] {
        bytes.extend_from_slice(line);
        bytes.push(b'\n');
    }
    let eager = open(&bytes[..], &LoadOptions::default()).expect("loads");
    assert!(eager.log.bad_lines.len() >= 5, "{:?}", eager.log.bad_lines);
    for sizes in [&[bytes.len()][..], &[9000, 7, 5000]] {
        let lazy = streamed_with(&bytes, sizes, &lazy())
            .expect("NDJSON")
            .expect("loads");
        assert_eq!(lazy.timeline.kind_name(), "columns");
        same(&eager, &lazy);
        let n = lazy.len() as isize;
        for p in (n - 14)..n {
            assert_eq!(
                lazy.event_diff(p as usize),
                eager.event_diff(p as usize),
                "diff of {p}"
            );
        }
    }
}

#[test]
fn a_lazy_load_gives_way_to_snapshots_as_an_eager_one() {
    let text = "{\"type\":\"A\",\"stream\":\"s1\",\"data\":{\"x\":1}}\n".repeat(30)
        + "{\"type\":\"Reset\",\"data\":5}\n"
        + "{\"type\":\"C\",\"stream\":\"s1\",\"data\":{\"x\":3}}\n";
    let eager = open(text.as_bytes(), &LoadOptions::default()).expect("loads");
    let lazy = streamed_with(text.as_bytes(), &[200, 10], &lazy())
        .expect("NDJSON")
        .expect("loads");
    assert_eq!(lazy.timeline.kind_name(), "snapshots");
    same(&eager, &lazy);
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
        if let Some(lazy) = streamed_with(text.as_bytes(), &sizes, &lazy()) {
            same(&whole, &lazy.expect("loads"));
        }
    }
}
