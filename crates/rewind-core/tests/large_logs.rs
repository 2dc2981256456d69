//! Logs large enough to take the fast paths (parsing on a second thread, per-stream
//! columns) give exactly the answers of the plain snapshot fold.

use rewind_core::timeline::TimelineKind;
use rewind_core::{open, to_json_patch, LoadOptions, Pointer, Replay};

fn generated(events: usize) -> String {
    let mut text = String::new();
    rewind_core::generate::ecommerce_ndjson(events, 7, &mut text);
    text
}

fn load(text: &str, timeline: TimelineKind) -> Replay {
    let options = LoadOptions {
        timeline,
        snapshot_interval: Some(100),
        ..LoadOptions::default()
    };
    open(text.as_bytes(), &options).expect("generated log loads")
}

#[test]
fn columns_and_snapshots_agree_on_a_generated_log() {
    let text = generated(30_000);
    let columns = load(&text, TimelineKind::Auto);
    let snapshots = load(&text, TimelineKind::Snapshots);
    assert_eq!(columns.timeline.kind_name(), "columns");
    assert_eq!(snapshots.timeline.kind_name(), "snapshots");
    assert_eq!(columns.len(), 30_000);
    for p in [-1isize, 0, 1, 99, 100, 101, 4_567, 12_345, 29_998, 29_999] {
        assert_eq!(columns.state_at(p), snapshots.state_at(p), "state at {p}");
        if p >= 0 {
            let p = p as usize;
            assert_eq!(
                to_json_patch(&columns.event_diff(p)),
                to_json_patch(&snapshots.event_diff(p)),
                "diff of {p}"
            );
            let stream = columns
                .log
                .stream_name(p)
                .expect("generated events have streams");
            let ptr = Pointer::root().child(stream);
            assert_eq!(
                columns.get(p as isize, &ptr),
                ptr.get(&snapshots.state_at(p as isize)).cloned()
            );
        }
    }
    assert_eq!(
        to_json_patch(&columns.diff_between(1_000, 20_000)),
        to_json_patch(&snapshots.diff_between(1_000, 20_000))
    );
    let stream = columns.log.stream_name(12_345).expect("stream");
    let ptr = Pointer::parse(&format!("/{stream}/status")).expect("pointer");
    let a: Vec<usize> = columns.history(&ptr).iter().map(|h| h.position).collect();
    let b: Vec<usize> = snapshots.history(&ptr).iter().map(|h| h.position).collect();
    assert_eq!(a, b);
    assert!(!a.is_empty());
}

#[test]
fn a_bad_line_in_a_large_log_is_reported_and_the_rest_loads() {
    let mut lines: Vec<String> = generated(25_000).lines().map(str::to_string).collect();
    lines[20_000] = "{\"type\": \"Torn\", \"data\": {".to_string();
    lines[20_001] = String::new();
    let replay = load(&lines.join("\n"), TimelineKind::Auto);
    assert_eq!(replay.len(), 24_998);
    let bad = &replay.log.bad_lines;
    assert_eq!(bad.len(), 1);
    assert_eq!(bad[0].line, 20_001);
    assert_eq!(bad[0].before_position, 20_000);
    assert_eq!(
        replay.log.events.get(20_000).expect("an event").line,
        20_003
    );
}

/// A log loaded whole (scanned by helper threads, in parts, each helper forgetting its
/// names now and then) has the same events, names and states as the same log loaded as it
/// arrives (one thread, in order).
#[test]
fn helpers_scanning_in_parts_name_everything_as_one_thread_does() {
    // Many more streams than a helper keeps names for, some seen again far apart, a few
    // bad lines, events without a stream or a type, and times that are not whole ms.
    let mut text = String::new();
    for i in 0..300_000usize {
        let stream = if i % 7 == 0 { i % 1000 } else { i };
        let line = match i % 5_003 {
            17 => "{\"type\": \"Torn\", \"data\": {".to_string(),
            29 => format!("{{\"data\": {{\"root{i}\": {i}}}}}"),
            _ => format!(
                "{{\"type\": \"T{}\", \"stream\": \"s-{stream}\", \"time\": {}.5, \"data\": {{\"n\": {i}}}}}",
                i % 13,
                1_700_000_000_000u64 + i as u64
            ),
        };
        text.push_str(&line);
        text.push('\n');
    }
    let options = LoadOptions {
        lazy: true,
        ..LoadOptions::default()
    };
    let whole = open(text.as_bytes(), &options).expect("loads");
    // The whole text as the head: it is all read as it arrives, on this thread.
    let arriving =
        rewind_core::NdjsonStream::start(text.as_bytes(), text.len(), &options).expect("NDJSON");
    let arriving = arriving.finish().expect("loads");
    assert_eq!(whole.log.types, arriving.log.types);
    assert_eq!(whole.log.streams, arriving.log.streams);
    assert_eq!(whole.log.events.len(), arriving.log.events.len());
    for (p, (a, b)) in whole
        .log
        .events
        .iter()
        .zip(arriving.log.events.iter())
        .enumerate()
    {
        assert_eq!(format!("{a:?}"), format!("{b:?}"), "event {p}");
    }
    assert_eq!(whole.log.bad_lines, arriving.log.bad_lines);
    assert!(whole.log.streams.len() > 250_000);
    for p in [0usize, 5_000, 77_777, 159_000, 271_828, whole.len() - 1] {
        assert_eq!(
            whole.log.raw_text(p),
            arriving.log.raw_text(p),
            "text of {p}"
        );
        assert_eq!(whole.event_diff(p), arriving.event_diff(p), "diff of {p}");
    }
    assert_eq!(
        whole.state_at(-1 + whole.len() as isize),
        arriving.state_at(-1 + arriving.len() as isize)
    );
}
