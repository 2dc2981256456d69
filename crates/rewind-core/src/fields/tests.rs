//! Field detection, dotted keys, text payloads and times.

use super::*;
use serde_json::json;

#[test]
fn rfc3339_with_offset_and_fraction() {
    assert_eq!(parse_rfc3339_millis("1970-01-01T00:00:00Z"), Some(0.0));
    assert_eq!(
        parse_rfc3339_millis("1970-01-01T01:00:00.250+01:00"),
        Some(250.0)
    );
    assert_eq!(
        parse_rfc3339_millis("2026-03-01T12:00:00Z"),
        Some(1_772_366_400_000.0)
    );
    assert_eq!(parse_rfc3339_millis("yesterday"), None);
}

#[test]
fn epoch_numbers_are_seconds_below_1e11() {
    assert_eq!(
        time_millis(&Value::from(json!(1_700_000_000))),
        Some(1_700_000_000_000.0)
    );
    assert_eq!(
        time_millis(&Value::from(json!(1_700_000_000_123_i64))),
        Some(1_700_000_000_123.0)
    );
}

#[test]
fn impossible_dates_are_not_times_and_say_why() {
    for (text, why) in [
        ("2024-02-30T00:00:00Z", "day"),
        ("2023-02-29", "day"),
        ("2024-04-31T10:00:00Z", "day"),
        ("2024-13-01T00:00:00Z", "month"),
        ("2024-00-10", "month"),
        ("2024-01-01T25:00:00Z", "hour"),
        ("2024-01-01T10:60:00Z", "minute"),
        ("2024-01-01T10:00:61Z", "second"),
        ("2024-01-01T10:00:00+24:00", "zone offset"),
    ] {
        let v = Value::String(text.into());
        assert_eq!(time_millis(&v), None, "{text}");
        let problem = time_problem(&v).unwrap_or_default();
        assert_eq!(problem, format!("no such {why}"), "{text}");
    }
    // Leap days that exist.
    assert!(parse_rfc3339_millis("2024-02-29T00:00:00Z").is_some());
    assert!(parse_rfc3339_millis("2000-02-29").is_some());
    assert_eq!(parse_rfc3339_millis("1900-02-29"), None);
}

#[test]
fn times_outside_the_years_0000_to_9999_are_not_times() {
    assert_eq!(format_rfc3339(MIN_TIME_MS), "0000-01-01T00:00:00.000Z");
    assert_eq!(format_rfc3339(MAX_TIME_MS), "9999-12-31T23:59:59.999Z");
    for v in [
        json!(1e300),
        json!(-1e300),
        json!("1e300"),
        json!("NaN"),
        json!("inf"),
        json!("-infinity"),
    ] {
        let v = Value::from(v);
        assert_eq!(time_millis(&v), None, "{v}");
        assert!(time_problem(&v).is_some(), "{v}");
    }
    let past_the_end = Value::from(json!("9999-12-31T23:59:59-01:00"));
    assert_eq!(time_millis(&past_the_end), None);
    assert_eq!(
        time_problem(&past_the_end).as_deref(),
        Some("outside the years 0000 to 9999")
    );
    assert_eq!(
        parse_rfc3339_millis("0000-01-01T00:00:00Z"),
        Some(MIN_TIME_MS)
    );
    assert_eq!(
        time_millis(&Value::from(json!(MAX_TIME_MS))),
        Some(MAX_TIME_MS)
    );
}

#[test]
fn values_that_are_not_times_say_what_they_are() {
    let problem = |v| time_problem(&Value::from(v)).unwrap_or_default();
    assert_eq!(
        problem(json!(true)),
        "a boolean, not a date or an epoch number"
    );
    assert_eq!(
        problem(json!({"s": 1})),
        "an object, not a date or an epoch number"
    );
    assert_eq!(
        problem(json!("yesterday")),
        "neither a date nor an epoch number"
    );
    assert_eq!(time_problem(&Value::Null), None);
    assert_eq!(time_problem(&Value::from(json!("2024-01-01"))), None);
}

#[test]
fn formats_back_to_rfc3339() {
    assert_eq!(
        format_rfc3339(1_772_366_400_000.0),
        "2026-03-01T12:00:00.000Z"
    );
}

#[test]
fn first_key_present_wins_and_dotted_keys_reach_down() {
    let v = Value::from(json!({"eventType": "A", "name": "B", "action": {"type": "C"}}));
    let o = v.as_object().expect("object");
    let keys = FieldKeys::default();
    assert_eq!(first(o, &keys.kind).map(|(k, _)| k), Some("eventType"));
    assert_eq!(lookup(o, "action.type").and_then(Value::as_str), Some("C"));
}

#[test]
fn keys_match_whatever_their_case_and_dotted_paths_reach_any_depth() {
    let v = Value::from(json!({
        "EventType": "A",
        "s3": {"Bucket": {"name": "photos"}},
        "a.b": "literal",
        "a": {"b": "nested"}
    }));
    let o = v.as_object().expect("object");
    let keys = FieldKeys::default();
    assert_eq!(first(o, &keys.kind).map(|(k, _)| k), Some("eventType"));
    assert_eq!(
        lookup(o, "S3.bucket.NAME").and_then(Value::as_str),
        Some("photos")
    );
    // A member whose name holds the dot wins over the path.
    assert_eq!(lookup(o, "a.b").and_then(Value::as_str), Some("literal"));
    assert_eq!(lookup(o, "s3.bucket.size"), None);
}

#[test]
fn text_payloads_are_decoded_from_json_text_and_base64() {
    let text = Value::from(json!("{\"orderId\": 7}"));
    assert_eq!(decode_text_payload(text).to_json(), json!({"orderId": 7}));
    // base64 of {"n":1}
    let b64 = Value::from(json!("eyJuIjoxfQ=="));
    assert_eq!(decode_text_payload(b64).to_json(), json!({"n": 1}));
    for plain in [json!("hello world"), json!("{not json"), json!(12)] {
        assert_eq!(
            decode_text_payload(Value::from(plain.clone())).to_json(),
            plain
        );
    }
}
