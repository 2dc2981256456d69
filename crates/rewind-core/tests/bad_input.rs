//! Bad input is normal input: every malformed file gets a clear error (or loads what can
//! be read), and nothing panics, hangs or overflows the stack.

use rewind_core::{open, LoadError, LoadOptions};

fn load(bytes: &[u8]) -> Result<rewind_core::Replay, LoadError> {
    open(bytes, &LoadOptions::default())
}

#[test]
fn empty_and_blank_files_say_empty() {
    for bytes in [&b""[..], b"   \n\n\t"] {
        let e = load(bytes).expect_err("refused");
        assert_eq!(e, LoadError::Empty);
        assert!(e.to_string().contains("empty"));
    }
}

#[test]
fn binary_files_say_binary() {
    let png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR";
    let e = load(png).expect_err("refused");
    assert!(matches!(e, LoadError::Binary { .. }), "{e}");
    assert!(e.to_string().contains("binary"));
}

#[test]
fn utf16_and_non_utf8_text_are_named() {
    let e = load(b"\xff\xfe[\x00]\x00").expect_err("refused");
    assert!(e.to_string().contains("UTF-16"), "{e}");
    let e = load(b"[{\"type\": \"caf\xe9\"}]").expect_err("refused");
    assert!(matches!(e, LoadError::NotUtf8 { line: 1, .. }), "{e}");
}

#[test]
fn a_non_utf8_ndjson_line_is_a_bad_line_and_the_rest_loads() {
    let log = b"{\"type\":\"A\",\"data\":{\"x\":1}}\n{\"type\":\"caf\xe9\"}\n{\"type\":\"B\",\"data\":{\"y\":2}}\n";
    let replay = load(log).expect("good lines load");
    assert_eq!(replay.len(), 2);
    assert_eq!(replay.log.bad_lines[0].line, 2);
    assert!(replay.log.bad_lines[0].reason.contains("UTF-8"));
}

#[test]
fn bytes_that_are_not_utf8_in_a_part_never_read_lose_no_event() {
    // The metadata is skipped unread; the event's type, stream and data are fine.
    let log = b"{\"type\":\"A\",\"stream\":\"s0\",\"data\":{\"x\":0}}\n{\"type\":\"A\",\"stream\":\"s\\u0031\",\"data\":{\"x\":1},\"meta\":\"caf\xe9\"}\n";
    let replay = load(log).expect("loads");
    assert_eq!(replay.len(), 2, "{:?}", replay.log.bad_lines);
    assert_eq!(replay.log.stream_name(1), Some("s1"));
    assert_eq!(
        replay.state_at(1).to_json(),
        serde_json::json!({"s0": {"x": 0}, "s1": {"x": 1}})
    );
}

#[test]
fn a_broken_json_document_reports_line_and_column() {
    let e = load(b"[\n  {\"type\": \"A\"},\n  {\"type\": \"B\",,}\n]").expect_err("refused");
    match e {
        LoadError::Json { line, column, .. } => assert_eq!((line, column), (3, 16)),
        other => panic!("expected a JSON error, got {other}"),
    }
}

#[test]
fn thousands_of_levels_of_nesting_are_refused_not_overflowed() {
    let deep = "[".repeat(100_000);
    let e = load(deep.as_bytes()).expect_err("refused");
    assert!(e.to_string().contains("nested too deeply"), "{e}");
    let deep_line = format!(
        "{{\"type\":\"A\",\"data\":{}}}\n{{\"type\":\"B\"}}\n",
        "{\"a\":".repeat(50_000)
    );
    let replay = load(deep_line.as_bytes()).expect("the good line loads");
    assert_eq!(replay.len(), 1);
    assert!(replay.log.bad_lines[0].reason.contains("nested too deeply"));
}

#[test]
fn a_gigantic_single_line_loads() {
    let big = "x".repeat(20 * 1024 * 1024);
    let log = format!("{{\"type\":\"Blob\",\"stream\":\"s\",\"data\":{{\"blob\":\"{big}\"}}}}\n");
    let replay = load(log.as_bytes()).expect("one huge event loads");
    assert_eq!(replay.len(), 1);
}

#[test]
fn json_that_holds_no_events_is_not_an_event_log() {
    for doc in [&b"42"[..], b"\"text\"", b"[]", b"{\"hello\": \"world\"}"] {
        let e = load(doc).expect_err("refused");
        assert!(
            matches!(e, LoadError::NotAnEventLog(_)),
            "{}: {e}",
            String::from_utf8_lossy(doc)
        );
    }
}

#[test]
fn plain_text_is_malformed_json_with_a_position() {
    let e = load(b"hello, this is not JSON").expect_err("refused");
    assert!(
        matches!(
            e,
            LoadError::Json {
                line: 1,
                column: 1,
                ..
            }
        ),
        "{e}"
    );
}

#[test]
fn payload_text_is_kept_as_text() {
    let log = br#"{"type":"X","stream":"s","data":{"html":"<script>alert(1)</script>"}}"#;
    let replay = load(log).expect("loads");
    assert_eq!(
        replay.state_at(0).to_json()["s"]["html"],
        "<script>alert(1)</script>"
    );
}
