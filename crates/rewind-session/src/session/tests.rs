//! The session answering as the page asks.

use super::*;
use rewind_core::{open, LoadOptions};

fn session() -> Session {
    let log = br#"{"type":"Placed","stream":"order-1","data":{"status":"placed","total":10}}
{"type":"Paid","stream":"order-1","data":{"status":"paid"}}
{"type":"Placed","stream":"order-2","data":{"status":"placed"}}"#;
    Session::new(open(&log[..], &LoadOptions::default()).expect("loads"))
}

fn frame(s: &mut Session, view: View) -> Frame {
    match s.handle(Request::Frame(Box::new(view))) {
        Reply::Frame(f) => *f,
        other => panic!("not a frame: {other:?}"),
    }
}

#[test]
fn the_summary_suggests_a_time_inside_the_log_and_the_fields_in_use() {
    assert_eq!(session().summary("a", false).time_hint, None);
    let log = br#"{"type":"A","stream":"s","data":{}}
{"type":"B","stream":"s","timestamp":1462356123000,"data":{}}
{"type":"C","stream":"s","timestamp":1462359999000,"data":{}}"#;
    let s = Session::new(open(&log[..], &LoadOptions::default()).expect("loads"));
    let summary = s.summary("a", false);
    let hint = summary.time_hint.expect("a time");
    assert_eq!(hint, "2016-05-04 10:02");
    // The hint is read back as the time of the first event that has one, to the minute.
    let ms = rewind_core::fields::parse_rfc3339_millis(&hint).expect("parses");
    assert_eq!(s.replay.position_at_time(ms + 60_000.0), 1);
    assert_eq!(summary.fields.in_use.kind.as_deref(), Some("type"));
    assert_eq!(summary.fields.in_use.time.as_deref(), Some("timestamp"));
    assert_eq!(summary.fields.keys, ["data", "stream", "timestamp", "type"]);
}

#[test]
fn a_frame_holds_the_tree_diff_event_and_list_rows_in_view() {
    let mut s = session();
    let f = frame(
        &mut s,
        View {
            position: 1,
            expanded: vec!["".into(), "/order-1".into()],
            list_start: 1,
            list_len: 5,
            ..View::default()
        },
    );
    assert_eq!(f.position, 1);
    assert_eq!(f.event_type.as_deref(), Some("Paid"));
    let status = f.tree.iter().find(|r| r.pointer == "/order-1/status");
    assert_eq!(
        status.map(|r| (r.summary.as_str(), r.changed)),
        Some(("\"paid\"", true))
    );
    assert_eq!(f.changes.len(), 1);
    assert_eq!(f.changes[0].path, "/order-1/status");
    assert_eq!(f.changes[0].old.as_deref(), Some("\"placed\""));
    assert_eq!(f.list.count, 3);
    assert_eq!(
        f.list.rows.iter().map(|r| r.position).collect::<Vec<_>>(),
        [1, 2]
    );
    assert_eq!(f.list.position_row, 1);
    assert_eq!(f.event.map(|e| e.stream), Some(Some("order-1".into())));
}

#[test]
fn density_and_history_are_sent_again_only_when_they_change() {
    let mut s = session();
    let view = View {
        position: 2,
        selected: Some("/order-1/status".into()),
        ..View::default()
    };
    let first = frame(&mut s, view.clone());
    let history = first.history.expect("history sent first");
    assert_eq!(history.total, 2);
    assert_eq!(history.rows[1].new, "\"paid\"");
    assert!(first.density.is_some());
    let again = frame(
        &mut s,
        View {
            position: 0,
            ..view.clone()
        },
    );
    assert!(again.history.is_none() && again.density.is_none());
    let filtered = frame(
        &mut s,
        View {
            filter: EventFilter {
                stream: Some("order-2".into()),
                ..EventFilter::default()
            },
            ..view
        },
    );
    assert_eq!(filtered.list.count, 1);
    let density = filtered.density.expect("density follows the filter");
    assert!(density.iter().any(|b| b.hit));
}

#[test]
fn a_bad_regex_lists_every_event_and_says_why() {
    let mut s = session();
    let f = frame(
        &mut s,
        View {
            filter: EventFilter {
                text: "(".into(),
                regex: true,
                ..EventFilter::default()
            },
            list_len: 10,
            ..View::default()
        },
    );
    assert_eq!(f.list.count, 3);
    assert!(f
        .filter_error
        .is_some_and(|e| e.contains("regular expression")));
}

#[test]
fn the_event_region_says_why_a_time_or_a_payload_is_not_what_it_seems() {
    let log = br#"{"type":"A","stream":"s","time":"2024-02-30T10:00:00Z","data":{"x":1}}
{"specversion":"1.0","type":"B","source":"/s","id":"1","subject":"s","data_base64":"%"}"#;
    let mut s = Session::new(open(&log[..], &LoadOptions::default()).expect("loads"));
    let event = |s: &mut Session, position| {
        frame(
            s,
            View {
                position,
                ..View::default()
            },
        )
        .event
        .expect("an event")
    };
    let first = event(&mut s, 0);
    assert_eq!(
        first.time.as_deref(),
        Some("2024-02-30T10:00:00Z (not a time: no such day)")
    );
    assert_eq!(first.failure, None);
    let second = event(&mut s, 1);
    let failure = second.failure.expect("failed");
    assert!(
        failure.starts_with("data_base64 is not base64"),
        "{failure}"
    );
}

#[test]
fn requests_round_trip_through_json_and_answer() {
    let mut s = session();
    let request = Request::ExportDiff {
        position: 2,
        from: Some(-1),
    };
    let text = serde_json::to_string(&request).expect("serialises");
    let back: Request = serde_json::from_str(&text).expect("parses");
    let Reply::Text(Some(patch)) = s.handle(back) else {
        panic!("no patch")
    };
    let patch: serde_json::Value = serde_json::from_str(&patch).expect("JSON");
    assert_eq!(patch.as_array().map(Vec::len), Some(2));
    let reply = s.handle(Request::Search {
        position: 2,
        query: "paid".into(),
    });
    assert_eq!(reply, Reply::Pointers(vec!["/order-1/status".into()]));
    let frame = s.handle(Request::Frame(Box::default()));
    let json = serde_json::to_string(&frame).expect("serialises");
    assert_eq!(serde_json::from_str::<Reply>(&json).expect("parses"), frame);
}

/// A file that can be taken away, as a person may move or change a log while it is open.
struct Movable(rewind_core::Text, std::sync::atomic::AtomicBool);

impl rewind_core::paged::ReadAt for Movable {
    fn read_at(&self, at: u64, len: usize) -> Result<Vec<u8>, String> {
        if self.1.load(std::sync::atomic::Ordering::Relaxed) {
            return Err("moved".into());
        }
        self.0.read_at(at, len)
    }
}

#[test]
fn an_index_only_log_whose_file_is_gone_says_so_in_every_frame() {
    let mut text = String::new();
    // Many blocks of the file: the last events are not among those read for the first.
    rewind_core::generate::ecommerce_ndjson(2000, 3, &mut text);
    let file = std::sync::Arc::new(Movable(text.as_str().into(), false.into()));
    let options = LoadOptions {
        lazy: true,
        ..LoadOptions::default()
    };
    let stream = rewind_core::NdjsonStream::start_index_only(
        text.as_bytes(),
        text.len() as u64,
        &options,
        file.clone(),
    );
    let mut s = Session::new(stream.expect("NDJSON").finish().expect("loads"));
    let view = |position| View {
        position,
        expanded: vec!["".into()],
        ..View::default()
    };
    let first = frame(&mut s, view(10));
    assert_eq!(first.file_error, None);
    assert!(first.event.is_some());
    file.1.store(true, std::sync::atomic::Ordering::Relaxed);
    // Streams not folded yet, and the event itself, must be read from the file now.
    let after = frame(&mut s, view(1999));
    let why = after.file_error.expect("the failure is said");
    assert!(
        why.starts_with("Could not read the log's file again: moved."),
        "{why}"
    );
    assert!(
        frame(&mut s, view(0)).file_error.is_some(),
        "and said again"
    );
    assert!(s.summary("log", false).index_only);
}
