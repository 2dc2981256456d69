//! A CloudEvent's encoded payload is decoded faithfully or the event says why not: text
//! that is not base64 folds as nothing and binary data as a placeholder, and either event
//! is listed with the failed ones (stats, the Event region, the density strip).

use rewind_core::{open, LoadOptions, Pointer, Replay};

/// The events, one per line: a plain payload; text that is not base64; the bytes
/// 89 50 4e 47 00 ff (neither JSON nor UTF-8 text); base64 of `{"status":"paid"}`; base64
/// of `hello`; CloudEvents 0.3 with `data` base64 of `{"a":1}`; and 0.3 with `data` that
/// is not base64.
fn events() -> Vec<&'static str> {
    include_str!("fixtures/logs/cloudevents-payloads.ndjson")
        .lines()
        .collect()
}

fn loads() -> Vec<(String, Replay)> {
    let array = format!("[{}]", events().join(",\n"));
    let ndjson = events().join("\n");
    let wrapped = format!("{{\"events\": [{}]}}", events().join(","));
    let lazy = LoadOptions {
        lazy: true,
        ..LoadOptions::default()
    };
    let mut out = Vec::new();
    for (name, text, options) in [
        ("array", &array, LoadOptions::default()),
        ("ndjson", &ndjson, LoadOptions::default()),
        ("ndjson lazy", &ndjson, lazy),
        ("wrapped", &wrapped, LoadOptions::default()),
    ] {
        let replay = open(text.as_bytes(), &options).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(replay.len(), events().len(), "{name}");
        out.push((name.to_string(), replay));
    }
    out
}

fn at(replay: &Replay, position: isize, pointer: &str) -> Option<String> {
    let p = Pointer::parse(pointer).expect("pointer");
    replay.get(position, &p).map(|v| v.to_compact_string())
}

#[test]
fn text_that_is_not_base64_fails_the_event_and_changes_nothing() {
    for (name, replay) in loads() {
        let reason = replay
            .failure(1)
            .unwrap_or_else(|| panic!("{name}: not failed"));
        assert!(
            reason.contains("data_base64 is not base64"),
            "{name}: {reason}"
        );
        assert!(reason.contains("'!' at character 10"), "{name}: {reason}");
        assert!(replay.event_diff(1).is_empty(), "{name}");
        assert_eq!(
            at(&replay, 1, "/order-1").as_deref(),
            Some(r#"{"status":"placed"}"#),
            "{name}"
        );
    }
}

#[test]
fn binary_data_is_a_placeholder_and_a_failure_with_its_size() {
    for (name, replay) in loads() {
        let reason = replay
            .failure(2)
            .unwrap_or_else(|| panic!("{name}: not flagged"));
        assert!(
            reason.contains("6 bytes of binary data"),
            "{name}: {reason}"
        );
        assert_eq!(
            at(&replay, 2, "/blob-1").as_deref(),
            Some(r#""(binary, 6 bytes)""#),
            "{name}"
        );
        let event = replay.log.event(2).expect("event");
        assert_eq!(event.data.as_str(), Some("(binary, 6 bytes)"), "{name}");
    }
}

#[test]
fn base64_json_and_text_decode_without_a_failure() {
    for (name, replay) in loads() {
        assert_eq!(replay.failure(3), None, "{name}");
        assert_eq!(
            at(&replay, 3, "/order-1/status").as_deref(),
            Some(r#""paid""#)
        );
        assert_eq!(replay.failure(4), None, "{name}");
        assert_eq!(at(&replay, 4, "/note-1").as_deref(), Some(r#""hello""#));
    }
}

#[test]
fn cloudevents_0_3_base64_data_is_decoded() {
    for (name, replay) in loads() {
        assert_eq!(replay.failure(5), None, "{name}");
        assert_eq!(
            at(&replay, 5, "/order-2").as_deref(),
            Some(r#"{"a":1}"#),
            "{name}"
        );
        let event = replay.log.event(5).expect("event");
        assert_eq!(event.data.to_compact_string(), r#"{"a":1}"#, "{name}");
        let reason = replay
            .failure(6)
            .unwrap_or_else(|| panic!("{name}: not failed"));
        assert!(reason.contains("data is not base64"), "{name}: {reason}");
        assert_eq!(
            at(&replay, 6, "/order-2").as_deref(),
            Some(r#"{"a":1}"#),
            "{name}"
        );
    }
}

#[test]
fn stats_list_the_failed_events() {
    for (name, replay) in loads() {
        let failed: Vec<usize> = replay
            .stats()
            .failed_events
            .iter()
            .map(|f| f.position)
            .collect();
        assert_eq!(failed, [1, 2, 6], "{name}");
        assert_eq!(replay.failed_positions(), [1, 2, 6], "{name}");
    }
}
