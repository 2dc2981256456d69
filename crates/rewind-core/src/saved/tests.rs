//! A saved index reads back as the log it was saved from, over the same text, and is not
//! used for another key, another text or damaged bytes.

use crate::load::LoadOptions;
use crate::pointer::Pointer;
use crate::replay::Replay;
use crate::text::Text;
use crate::to_json_patch;

fn lazy() -> LoadOptions {
    LoadOptions {
        lazy: true,
        ..LoadOptions::default()
    }
}

fn saved(replay: &Replay, key: &str) -> Vec<u8> {
    let mut bytes = Vec::new();
    assert!(super::save(replay, key, &mut bytes).expect("writes"));
    bytes
}

/// Everything a person can ask of the two is the same.
fn same(a: &Replay, b: &Replay) {
    assert_eq!(a.len(), b.len());
    assert_eq!(format!("{:?}", a.log.events), format!("{:?}", b.log.events));
    assert_eq!(a.log.types, b.log.types);
    assert_eq!(a.log.streams, b.log.streams);
    assert_eq!(a.log.bad_lines, b.log.bad_lines);
    assert_eq!(a.log.format, b.log.format);
    assert_eq!(a.log.producer, b.log.producer);
    assert_eq!(
        serde_json::to_string(&a.stats()).expect("json"),
        serde_json::to_string(&b.stats()).expect("json")
    );
    for p in (0..a.len()).step_by(97).chain([a.len() - 1]) {
        assert_eq!(a.log.raw_text(p), b.log.raw_text(p), "text of {p}");
        assert_eq!(
            a.state_at(p as isize),
            b.state_at(p as isize),
            "state at {p}"
        );
        assert_eq!(
            to_json_patch(&a.event_diff(p)),
            to_json_patch(&b.event_diff(p)),
            "diff of {p}"
        );
        if let Some(stream) = a.log.stream_name(p) {
            let pointer = Pointer::parse(&format!("/{stream}")).expect("pointer");
            assert_eq!(
                serde_json::to_string(&a.history(&pointer)).expect("json"),
                serde_json::to_string(&b.history(&pointer)).expect("json"),
                "history of {stream}"
            );
        }
    }
    assert_eq!(a.state_at(-1), b.state_at(-1));
}

fn generated(events: usize) -> String {
    let mut text = String::new();
    crate::generate::ecommerce_ndjson(events, 3, &mut text);
    text
}

#[test]
fn a_saved_index_reads_back_as_the_log() {
    // A generated log, with a bad line, an event without a stream (root keys) and one
    // that removes a root key.
    let mut text = generated(3_000);
    text.push_str("{\"type\": \"Torn\", \"data\": {\n");
    text.push_str("{\"type\": \"Config\", \"data\": {\"flags\": {\"a\": 1}, \"mode\": \"x\"}}\n");
    text.push_str("{\"type\": \"Config\", \"data\": {\"mode\": null}}\n");
    text.push_str(&generated(500));
    let loaded = crate::open(text.as_bytes(), &lazy()).expect("loads");
    let bytes = saved(&loaded, "k");
    let back = super::load(&bytes, "k", Text::from(text.as_bytes())).expect("reads back");
    same(&loaded, &back);
}

#[test]
fn a_saved_index_is_not_used_for_another_key_text_or_damaged_bytes() {
    let text = generated(2_000);
    let loaded = crate::open(text.as_bytes(), &lazy()).expect("loads");
    let bytes = saved(&loaded, "k");
    assert!(super::load(&bytes, "other", Text::from(text.as_bytes())).is_none());
    // A shorter text than the spans reach.
    let short = &text.as_bytes()[..text.len() / 2];
    assert!(super::load(&bytes, "k", Text::from(short)).is_none());
    // Cut short anywhere, or a byte changed in its tables: refused or read as something
    // consistent, never a panic.
    for cut in (0..bytes.len()).step_by(bytes.len() / 97 + 1) {
        assert!(super::load(&bytes[..cut], "k", Text::from(text.as_bytes())).is_none());
    }
    for at in (0..bytes.len()).step_by(bytes.len() / 211 + 1) {
        let mut damaged = bytes.clone();
        damaged[at] ^= 0x5a;
        if let Some(r) = super::load(&damaged, "k", Text::from(text.as_bytes())) {
            let _ = r.state_at(r.len() as isize - 1);
        }
    }
}

#[test]
fn only_lazy_text_logs_are_saved() {
    let text = generated(500);
    let eager = crate::open(text.as_bytes(), &LoadOptions::default()).expect("loads");
    assert!(!super::save(&eager, "k", &mut Vec::new()).expect("writes"));
    let doc = "{\"events\": [{\"type\": \"A\", \"stream\": \"s\", \"data\": {\"n\": 1}}]}";
    let wrapped = crate::open(doc.as_bytes(), &lazy()).expect("loads");
    assert!(!super::save(&wrapped, "k", &mut Vec::new()).expect("writes"));
}
