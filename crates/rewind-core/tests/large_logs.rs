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
