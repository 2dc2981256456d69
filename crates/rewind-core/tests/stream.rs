//! Loading NDJSON chunk by chunk (as the browser does) gives the same log and the same
//! states as loading the whole file, wherever the chunks are cut; and a lazy load (the
//! browser's, which skims payloads and folds streams on first read) gives the same log,
//! bad lines and states as an eager one. Each chunked load is also made index-only (the
//! page's mode for logs larger than memory, reading events back from the file), which must
//! give the same.

use std::sync::Arc;

use proptest::prelude::*;
use rewind_core::{open, LoadOptions, NdjsonStream, Replay, TailIndexer, Text};

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

/// Loads `text` in chunks of the given sizes (cycled), with `options`: in memory, and
/// index-only (its text read back from a copy of `text`), which must agree.
fn streamed_with(
    text: &[u8],
    sizes: &[usize],
    options: &LoadOptions,
) -> Option<Result<Replay, rewind_core::LoadError>> {
    let head = &text[..sizes[0].min(text.len())];
    let in_memory = chunked(text, sizes, NdjsonStream::start(head, text.len(), options)?);
    let file = Arc::new(Text::from(text));
    let index_only = NdjsonStream::start_index_only(head, text.len() as u64, options, file)
        .expect("index-only starts where the in-memory load does");
    let index_only = chunked(text, sizes, index_only);
    match (&in_memory, &index_only) {
        (Ok(a), Ok(b)) => {
            same(a, b);
            assert_eq!(a.timeline.kind_name(), b.timeline.kind_name());
        }
        (a, b) => assert_eq!(
            a.as_ref().err().map(ToString::to_string),
            b.as_ref().err().map(ToString::to_string),
        ),
    }
    Some(index_only)
}

/// Gives `stream` the rest of `text` after its head, in chunks of `sizes` (cycled).
fn chunked(
    text: &[u8],
    sizes: &[usize],
    mut stream: NdjsonStream,
) -> Result<Replay, rewind_core::LoadError> {
    let mut at = stream.bytes() as usize;
    let mut k = 1;
    while at < text.len() {
        let len = sizes[k % sizes.len()].max(1).min(text.len() - at);
        stream.push(len, |dst| dst.copy_from_slice(&text[at..at + len]));
        at += len;
        k += 1;
    }
    assert_eq!(stream.bytes(), text.len() as u64);
    stream.finish()
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
        assert_eq!(a.log.raw_text(p), b.log.raw_text(p), "text of {p}");
    }
    let n = a.len() as isize;
    for p in [-1, 0, n / 3, n / 2, n - 1] {
        assert_eq!(a.state_at(p), b.state_at(p), "state at {p}");
    }
}

/// Streaming `text` in chunks of each of `chunkings` gives `whole`.
fn streams_as_whole(text: &[u8], whole: &Replay, chunkings: &[&[usize]]) {
    for sizes in chunkings {
        let streamed = streamed(text, sizes).expect("NDJSON").expect("loads");
        same(whole, &streamed);
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
    streams_as_whole(
        text.as_bytes(),
        &whole,
        &[&[4096], &[100_000], &[5000, 1, 17, 333], &[text.len()]],
    );
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
    streams_as_whole(text.as_bytes(), &whole, &[&[9000, 3, 1000], &[9000]]);
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
        b"5\n{bad}\n{\"type\":\"A\"}\n",
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
        // Payloads a skim must read, or reject, exactly as a full read does (`JSON.parse`
        // accepts the first and the third; the others are bad lines).
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
        // Escapes in the stream's name; bytes that are not UTF-8 where nothing is read.
        b"{\"type\":\"A\",\"stream\":\"s\\u0031\",\"data\":{\"e\":1},\"meta\":\"\xff\"}",
        // Root merges, one removing a stream.
        b"{\"type\":\"C\",\"data\":{\"s1\":{\"r\":1},\"s3\":[1]}}",
        b"{\"type\":\"C\",\"data\":{\"s2\":null}}",
    ] {
        bytes.extend_from_slice(line);
        bytes.push(b'\n');
    }
    let eager = open(&bytes[..], &LoadOptions::default()).expect("loads");
    assert_eq!(eager.log.bad_lines.len(), 3, "{:?}", eager.log.bad_lines);
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

/// Loads `text` as the browser does with two workers: one reads every byte but indexes
/// only the lines before `from`, a helper indexes the rest, and the first appends the
/// helper's index (says whether it did). Parts of `part` bytes.
fn split_load(text: &[u8], from: usize, part: usize) -> Option<(Replay, bool)> {
    let part = part.max(1);
    let mut helper = TailIndexer::new(from, text.len());
    let mut at = helper.read_from();
    while at < text.len() {
        let len = part.min(text.len() - at);
        if !helper.push(len, |dst| dst.copy_from_slice(&text[at..at + len])) {
            break;
        }
        at += len;
    }
    let tail = helper.finish();
    let head = &text[..part.min(text.len())];
    let mut stream = NdjsonStream::start_leaving_tail(head, text.len(), &lazy(), Some(from))?;
    let mut at = head.len();
    while at < text.len() {
        let len = part.min(text.len() - at);
        stream.push(len, |dst| dst.copy_from_slice(&text[at..at + len]));
        at += len;
    }
    Some(stream.finish_with_tail(tail).expect("loads"))
}

/// The same log, to the line numbers and text of every event.
fn same_log(a: &Replay, b: &Replay) {
    same(a, b);
    assert_eq!(format!("{:?}", a.log.events), format!("{:?}", b.log.events));
    for p in 0..a.len() {
        assert_eq!(a.log.raw_text(p), b.log.raw_text(p), "text of {p}");
    }
    for p in 0..a.len() {
        assert_eq!(a.event_diff(p), b.event_diff(p), "diff of {p}");
    }
}

#[test]
fn a_log_split_between_two_workers_loads_as_one_piece() {
    let mut text = generated(400, 9).into_bytes();
    text.extend_from_slice(b"{bad line}\n\n{\"type\":\"C\",\"data\":{\"customer-000001\":null}}\n");
    text.extend_from_slice(generated(200, 10).as_bytes());
    text.extend_from_slice(b"{\"type\":\"Last\",\"stream\":\"s\",\"data\":{\"a\":1}}");
    let whole = open(&text[..], &LoadOptions::default()).expect("loads");
    for from in [
        1,
        500,
        text.len() / 3,
        text.len() / 2,
        text.len() - 20,
        text.len() - 1,
        text.len(),
    ] {
        for part in [7000, 100_000] {
            let (split, taken) = split_load(&text, from, part).expect("NDJSON");
            // The loading worker decides the fold from its first 20 events.
            assert_eq!(taken, from > 500, "from {from}");
            same_log(&whole, &split);
        }
    }
}

#[test]
fn a_tail_that_does_not_fit_is_read_by_the_loading_worker() {
    // The tail replaces the whole state: the helper's index is no use.
    let head = generated(300, 2);
    let text = format!(
        "{head}{{\"type\":\"Reset\",\"data\":5}}\n{}",
        generated(100, 3)
    );
    let whole = open(text.as_bytes(), &LoadOptions::default()).expect("loads");
    let (split, taken) = split_load(text.as_bytes(), head.len() + 5, 4096).expect("NDJSON");
    assert!(!taken);
    assert_eq!(split.timeline.kind_name(), "snapshots");
    same_log(&whole, &split);
    // A patch log: the helper assumed a merge fold.
    let patch =
        "{\"type\":\"P\",\"patch\":[{\"op\":\"add\",\"path\":\"/a\",\"value\":1}]}\n".repeat(100);
    let whole = open(patch.as_bytes(), &LoadOptions::default()).expect("loads");
    let (split, taken) = split_load(patch.as_bytes(), patch.len() / 2, 1000).expect("NDJSON");
    assert!(!taken);
    assert_eq!(split.log.mode, rewind_core::Mode::Patch);
    same_log(&whole, &split);
}

#[test]
fn a_helper_gives_up_on_a_tail_that_is_not_ndjson() {
    let junk = "  \"not\": \"an event\",\n".repeat(1000);
    let mut helper = TailIndexer::new(10, junk.len() + 10);
    let bytes = format!("{{{junk}");
    let at = helper.read_from();
    assert!(!helper.push(bytes.len() - at, |dst| dst
        .copy_from_slice(&bytes.as_bytes()[at..])));
    assert!(helper.finish().is_none());
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]
    #[test]
    fn any_split_of_any_generated_log_loads_as_one_piece(
        events in 1usize..300,
        seed in any::<u64>(),
        from_permille in 0usize..1000,
        part in 1usize..20_000,
    ) {
        let text = generated(events, seed);
        let whole = open(text.as_bytes(), &LoadOptions::default()).expect("loads");
        let from = text.len() * from_permille / 1000;
        if let Some((split, taken)) = split_load(text.as_bytes(), from, part) {
            // The loading worker decides the fold from its first 20 events: it takes the
            // helper's index when it has them.
            let before = text.as_bytes()[..from.saturating_sub(1)].iter().filter(|&&b| b == b'\n').count() + 1;
            prop_assert_eq!(taken, from > 0 && before >= 20);
            same_log(&whole, &split);
        }
    }
}
