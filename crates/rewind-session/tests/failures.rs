//! Failed events wherever the page shows them: the density strip above the timeline and
//! the Event region. CloudEvents payloads that cannot be read as sent, and Redux DevTools
//! actions whose reducer threw (the logs of the core's tests).

use rewind_core::{open, LoadOptions, Replay};
use rewind_session::{density, Session, View};

const EVENTS: [&str; 7] = [
    r#"{"specversion":"1.0","type":"placed","source":"/shop","id":"0","subject":"order-1","data":{"status":"placed"}}"#,
    // Not base64.
    r#"{"specversion":"1.0","type":"paid","source":"/shop","id":"1","subject":"order-1","data_base64":"not base64!"}"#,
    // The bytes 89 50 4e 47 00 ff: neither JSON nor UTF-8 text.
    r#"{"specversion":"1.0","type":"image","source":"/shop","id":"2","subject":"blob-1","data_base64":"iVBORwD/"}"#,
    // {"status":"paid"}
    r#"{"specversion":"1.0","type":"paid","source":"/shop","id":"3","subject":"order-1","data_base64":"eyJzdGF0dXMiOiJwYWlkIn0="}"#,
    // hello
    r#"{"specversion":"1.0","type":"note","source":"/shop","id":"4","subject":"note-1","data_base64":"aGVsbG8="}"#,
    // CloudEvents 0.3: data is base64 of {"a":1}.
    r#"{"specversion":"0.3","type":"old","source":"/shop","id":"5","subject":"order-2","data":"eyJhIjoxfQ==","datacontentencoding":"base64"}"#,
    r#"{"specversion":"0.3","type":"old","source":"/shop","id":"6","datacontentencoding":"BASE64","subject":"order-2","data":"%%%"}"#,
];

fn loads() -> Vec<(String, Replay)> {
    let array = format!("[{}]", EVENTS.join(",\n"));
    let ndjson = EVENTS.join("\n");
    let wrapped = format!("{{\"events\": [{}]}}", EVENTS.join(","));
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
        assert_eq!(replay.len(), EVENTS.len(), "{name}");
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
        let buckets = density(&replay, EVENTS.len(), &[]);
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
