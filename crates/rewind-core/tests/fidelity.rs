//! Whatever `JSON.parse` accepts keeps its meaning: numbers keep every digit, `1e400`,
//! `-0` and lone surrogate escapes load, and the last value of a repeated key wins at
//! every depth. Each case is loaded as NDJSON, as a JSON array and as a wrapped document,
//! since these are read by different paths (the line scanner, and parsed values).

use rewind_core::{open, LoadOptions, Pointer, Replay};

/// The same events as NDJSON, as a top-level array, and under `events`.
fn layouts(lines: &[&str]) -> Vec<(&'static str, String)> {
    vec![
        ("ndjson", lines.join("\n")),
        ("array", format!("[\n{}\n]", lines.join(",\n"))),
        ("wrapped", format!("{{\"events\": [{}]}}", lines.join(","))),
    ]
}

fn each_layout(lines: &[&str], check: impl Fn(&str, &Replay)) {
    for (layout, text) in layouts(lines) {
        let replay = open(text.as_bytes(), &LoadOptions::default())
            .unwrap_or_else(|e| panic!("{layout}: {e}"));
        assert!(
            replay.log.bad_lines.is_empty(),
            "{layout}: {:?}",
            replay.log.bad_lines
        );
        check(layout, &replay);
    }
}

fn pointer(text: &str) -> Pointer {
    Pointer::parse(text).expect("pointer")
}

#[test]
fn a_change_in_the_23rd_digit_of_an_integer_is_a_change() {
    each_layout(
        &[
            r#"{"type":"Set","stream":"s","data":{"n":12345678901234567890123}}"#,
            r#"{"type":"Set","stream":"s","data":{"n":12345678901234567890124}}"#,
        ],
        |layout, replay| {
            let diff = replay.event_diff(1);
            assert_eq!(diff.len(), 1, "{layout}");
            assert_eq!(diff[0].path.to_string(), "/s/n");
            let history: Vec<usize> = replay
                .history(&pointer("/s/n"))
                .iter()
                .map(|h| h.position)
                .collect();
            assert_eq!(history, [0, 1], "{layout}");
            assert_eq!(
                replay.state_at(1).to_compact_string(),
                r#"{"s":{"n":12345678901234567890124}}"#,
                "{layout}"
            );
            let event = replay.log.event(0).expect("event");
            assert_eq!(
                event.data.to_compact_string(),
                r#"{"n":12345678901234567890123}"#
            );
            // The JSON Patch export keeps the digits too.
            assert_eq!(
                rewind_core::json_patch(&replay.event_diff(1)).to_compact_string(),
                r#"[{"op":"replace","path":"/s/n","value":12345678901234567890124}]"#
            );
        },
    );
}

#[test]
fn decimals_beyond_an_f64_keep_their_digits() {
    each_layout(
        &[
            r#"{"type":"Set","stream":"s","data":{"pi":3.14159265358979323846264338}}"#,
            r#"{"type":"Set","stream":"s","data":{"pi":3.14159265358979323846264339}}"#,
        ],
        |layout, replay| {
            assert_eq!(replay.event_diff(1).len(), 1, "{layout}");
            assert_eq!(
                replay.state_at(0).to_compact_string(),
                r#"{"s":{"pi":3.14159265358979323846264338}}"#
            );
        },
    );
}

#[test]
fn numbers_beyond_the_f64_range_load_as_written() {
    each_layout(
        &[
            r#"{"type":"Set","stream":"s","data":{"big":1e400,"tiny":1e-400}}"#,
            r#"{"type":"Set","stream":"s","data":{"big":2e400,"tiny":0}}"#,
        ],
        |layout, replay| {
            assert_eq!(replay.len(), 2, "{layout}");
            assert_eq!(
                replay.state_at(0).to_compact_string(),
                r#"{"s":{"big":1e400,"tiny":1e-400}}"#,
                "{layout}"
            );
            // 1e-400 is not zero, whatever an f64 makes of it.
            assert_eq!(replay.event_diff(1).len(), 2, "{layout}");
        },
    );
}

#[test]
fn minus_zero_prints_as_minus_zero() {
    each_layout(
        &[r#"{"type":"Set","stream":"s","data":{"z":-0,"f":-0.0,"i":0}}"#],
        |layout, replay| {
            let text = replay.state_at(0).to_compact_string();
            assert_eq!(text, r#"{"s":{"f":-0,"i":0,"z":-0}}"#, "{layout}");
            assert!(replay
                .state_at(0)
                .to_pretty_string()
                .contains("\"z\": -0\n"));
        },
    );
}

#[test]
fn numbers_equal_in_value_are_no_change_as_in_javascript() {
    // `JSON.parse` gives the same number for 1, 1.0 and 1e0, and 0 === -0.
    each_layout(
        &[
            r#"{"type":"Set","stream":"s","data":{"a":1,"b":0,"c":100}}"#,
            r#"{"type":"Set","stream":"s","data":{"a":1.0,"b":-0,"c":1e2}}"#,
        ],
        |layout, replay| {
            assert!(replay.event_diff(1).is_empty(), "{layout}");
        },
    );
}

#[test]
fn lone_surrogate_escapes_load_visibly_and_stay_distinct() {
    each_layout(
        &[
            r#"{"type":"Set","stream":"s","data":{"t":"a\ud800"}}"#,
            r#"{"type":"Set","stream":"s","data":{"t":"a\udbff"}}"#,
            r#"{"type":"Set","stream":"s","data":{"t":"a\udbff","u":"\ud83d\ude00"}}"#,
        ],
        |layout, replay| {
            assert_eq!(replay.len(), 3, "{layout}");
            let t = |p: isize| {
                replay
                    .get(p, &pointer("/s/t"))
                    .and_then(|v| v.as_str().map(str::to_string))
            };
            assert_eq!(t(0).as_deref(), Some("a\u{FFFD}\\ud800"), "{layout}");
            assert_eq!(t(1).as_deref(), Some("a\u{FFFD}\\udbff"), "{layout}");
            assert_eq!(replay.event_diff(1).len(), 1, "{layout}");
            // A proper pair is one character.
            let u = replay.get(2, &pointer("/s/u"));
            assert_eq!(u.as_ref().and_then(|v| v.as_str()), Some("😀"));
        },
    );
}

#[test]
fn a_lone_surrogate_in_a_type_or_stream_keeps_the_event() {
    each_layout(
        &[r#"{"type":"Bad\udc00Name","stream":"s\ud800","data":{"x":1}}"#],
        |layout, replay| {
            assert_eq!(
                replay.log.type_name(0),
                "Bad\u{FFFD}\\udc00Name",
                "{layout}"
            );
            assert_eq!(
                replay.log.stream_name(0),
                Some("s\u{FFFD}\\ud800"),
                "{layout}"
            );
        },
    );
}

#[test]
fn the_last_value_of_a_repeated_key_wins_at_the_top_level() {
    each_layout(
        &[
            r#"{"type":"First","type":"Last","stream":"a","stream":"b","data":{"x":1},"data":{"x":2}}"#,
            r#"{"type":"Gone","type":null,"stream":"b","data":{"y":1},"data":null}"#,
        ],
        |layout, replay| {
            assert_eq!(replay.log.type_name(0), "Last", "{layout}");
            assert_eq!(replay.log.stream_name(0), Some("b"), "{layout}");
            assert_eq!(replay.log.type_name(1), "(untyped)", "{layout}");
            assert_eq!(
                replay.state_at(1).to_compact_string(),
                r#"{"b":{"x":2}}"#,
                "{layout}"
            );
            let event = replay.log.event(0).expect("event");
            assert_eq!(event.kind, "Last");
            assert_eq!(event.data.to_compact_string(), r#"{"x":2}"#);
        },
    );
}

#[test]
fn the_last_value_of_a_repeated_key_wins_when_nested() {
    each_layout(
        &[
            r#"{"type":"Set","stream":"s","data":{"a":{"b":1,"b":2},"c":[{"d":1,"d":3}],"a":{"b":4,"e":5,"e":6}}}"#,
        ],
        |layout, replay| {
            assert_eq!(
                replay.state_at(0).to_compact_string(),
                r#"{"s":{"a":{"b":4,"e":6},"c":[{"d":3}]}}"#,
                "{layout}"
            );
        },
    );
}

#[test]
fn a_lazy_load_reads_exact_numbers_too() {
    let text = [
        r#"{"type":"Set","stream":"s","data":{"n":12345678901234567890123}}"#,
        r#"{"type":"Set","stream":"s","data":{"n":12345678901234567890124}}"#,
    ]
    .join("\n");
    let options = LoadOptions {
        lazy: true,
        ..LoadOptions::default()
    };
    let replay = open(text.as_bytes(), &options).expect("loads");
    assert_eq!(replay.history(&pointer("/s/n")).len(), 2);
    assert_eq!(replay.event_diff(1).len(), 1);
}
