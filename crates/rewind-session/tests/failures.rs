//! Failed events wherever the page shows them: the density strip above the timeline and
//! the Event region. CloudEvents payloads that cannot be read as sent, and Redux DevTools
//! actions whose reducer threw (the logs of the core's tests).

use rewind_core::{open, LoadOptions, Replay};
use rewind_session::{density, Session, View};

/// The events, one per line: a plain payload; text that is not base64; the bytes
/// 89 50 4e 47 00 ff (neither JSON nor UTF-8 text); base64 of `{"status":"paid"}`; base64
/// of `hello`; CloudEvents 0.3 with `data` base64 of `{"a":1}`; and 0.3 with `data` that
/// is not base64.
fn events() -> Vec<&'static str> {
    include_str!("../../rewind-core/tests/fixtures/logs/cloudevents-payloads.ndjson")
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

fn fixture(name: &str) -> Replay {
    let path = format!(
        "{}/../rewind-core/tests/fixtures/logs/{name}",
        env!("CARGO_MANIFEST_DIR")
    );
    let bytes = std::fs::read(&path).expect("fixture exists");
    open(bytes, &LoadOptions::default()).expect("fixture loads")
}

#[test]
fn the_density_strip_marks_the_cloudevents_that_failed() {
    for (name, replay) in loads() {
        let buckets = density(&replay, events().len(), &[]);
        let marked: Vec<usize> = buckets
            .iter()
            .filter(|b| b.failed)
            .map(|b| b.start)
            .collect();
        assert_eq!(marked, [1, 2, 6], "{name}");
    }
}

#[test]
fn the_event_region_and_the_density_strip_show_the_failure() {
    let replay = fixture("redux-lifted-reducer-error.json");
    let buckets = density(&replay, 4, &[]);
    let flags: Vec<bool> = buckets.iter().map(|b| b.failed).collect();
    assert_eq!(flags, [false, false, true, true]);
    let mut session = Session::new(replay);
    let at = |session: &mut Session, position| {
        let view = View {
            position,
            ..View::default()
        };
        session.frame(&view).event.expect("an event").failure
    };
    assert_eq!(at(&mut session, 1), None);
    assert_eq!(
        at(&mut session, 3).as_deref(),
        Some("the reducer threw: Interrupted by an error up the chain")
    );
}
