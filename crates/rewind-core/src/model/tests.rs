//! What a model reads of `$e`, and that reading less gives the same members.

use super::event::event_value_with;
use super::{event_value, Needs};
use crate::value::{Interner, Value};
use crate::{open, LoadOptions};

#[test]
fn needs_are_read_from_the_programs_text() {
    let of = Needs::of;
    assert_eq!(of(".n += 1"), Needs::default());
    assert_eq!(
        of(".[$e.stream] = $e.type | .t = $e.time | .p = $e.position"),
        Needs::default()
    );
    assert_eq!(
        of(".x = $e.data.total"),
        Needs {
            data: true,
            body: false
        }
    );
    for whole in [
        "$e.metadata.user",
        "$e.id",
        "$e | keys",
        "\"\\($e)\"",
        "$e[\"data\"]",
        "[$e]",
    ] {
        assert!(of(whole).body, "{whole}");
    }
    // Another variable whose name starts with `e` is not `$e`.
    assert_eq!(of("$event.metadata as $x | ."), Needs::default());
}

#[test]
fn reading_only_what_is_needed_gives_the_same_members() {
    let text = std::fs::read(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/models/shop.ndjson"
    ))
    .expect("fixture");
    let replay = open(text, &LoadOptions::default()).expect("fixture loads");
    let mut interner = Interner::default();
    let data_only = Needs {
        data: true,
        body: false,
    };
    for p in 0..replay.len() {
        let full = event_value(&replay.log, p).to_json();
        let mut fast = event_value_with(&replay.log, p, &mut interner, data_only).to_json();
        assert_eq!(fast["id"], serde_json::Value::Null);
        assert_eq!(fast["metadata"], serde_json::Value::Null);
        for member in ["id", "metadata"] {
            fast[member] = full[member].clone();
        }
        assert_eq!(fast, full, "event {p}");
        assert!(matches!(
            event_value_with(&replay.log, p, &mut interner, Needs::default()),
            Value::Object(_)
        ));
    }
}

#[test]
fn a_file_that_is_not_json_is_placed_in_characters() {
    use super::ReadModel;
    let empty = ReadModel::parse("  \n").expect_err("empty");
    assert_eq!((empty.line, empty.column), (None, None));
    assert!(empty.message.contains("empty"));
    // "é" is two bytes: the column counts it as one character.
    let e = ReadModel::parse("{\"name\": \"é\" \"when\": {}}").expect_err("no comma");
    assert_eq!((e.line, e.column), (Some(1), Some(14)));
    assert!(!e.message.contains("column"), "{}", e.message);
    let e = ReadModel::parse("{\"when\": {\"A\": \".x[\"}}").expect_err("does not compile");
    assert_eq!(e.line, Some(1));
    assert!(e.message.contains("\"A\""), "{}", e.message);
}
