//! An impossible time is reported on its event and has no place in time: it is left out of
//! the time range and of a jump to a time, never rolled over into another date.

use rewind_core::fields::parse_rfc3339_millis;
use rewind_core::{open, LoadOptions, Replay};

fn load(lines: &[&str]) -> Replay {
    let replay = open(lines.join("\n").as_bytes(), &LoadOptions::default()).expect("loads");
    assert!(
        replay.log.bad_lines.is_empty(),
        "{:?}",
        replay.log.bad_lines
    );
    replay
}

fn ms(text: &str) -> f64 {
    parse_rfc3339_millis(text).expect("a time")
}

const BAD_TIMES: [(&str, &str); 6] = [
    (r#""2024-02-30T00:00:00Z""#, "no such day"),
    (r#""2024-13-01T00:00:00Z""#, "no such month"),
    (r#""2024-01-01T25:00:00Z""#, "no such hour"),
    ("1e300", "outside the years 0000 to 9999"),
    (r#""NaN""#, "outside the years 0000 to 9999"),
    (r#""-Infinity""#, "outside the years 0000 to 9999"),
];

fn log_with_bad_times() -> Replay {
    let mut lines = vec![
        r#"{"type":"A","stream":"s","time":"2024-01-01T00:00:00Z","data":{"n":0}}"#.to_string(),
    ];
    for (time, _) in BAD_TIMES {
        lines.push(format!(
            r#"{{"type":"A","stream":"s","time":{time},"data":{{"n":1}}}}"#
        ));
    }
    lines.push(r#"{"type":"A","stream":"s","time":"2024-06-01T00:00:00Z"}"#.to_string());
    let lines: Vec<&str> = lines.iter().map(String::as_str).collect();
    load(&lines)
}

#[test]
fn impossible_times_are_left_out_of_the_time_range_and_counted() {
    let replay = log_with_bad_times();
    let stats = replay.stats();
    assert_eq!(
        stats.time_range,
        Some([
            "2024-01-01T00:00:00.000Z".to_string(),
            "2024-06-01T00:00:00.000Z".to_string()
        ])
    );
    assert_eq!(stats.invalid_times, BAD_TIMES.len());
    for p in 1..=BAD_TIMES.len() {
        assert!(
            replay.log.events.get(p).expect("an event").time_invalid,
            "{p}"
        );
        assert!(
            replay.log.events.get(p).expect("an event").time_ms.is_nan(),
            "{p}"
        );
    }
    assert!(!replay.log.events.get(0).expect("an event").time_invalid);
}

#[test]
fn each_event_says_why_its_time_is_not_a_time() {
    let replay = log_with_bad_times();
    for (i, (written, why)) in BAD_TIMES.iter().enumerate() {
        let event = replay.log.event(i + 1).expect("event");
        assert_eq!(event.time_problem.as_deref(), Some(*why), "{written}");
        // The time is shown as written, not as another date.
        let written = rewind_core::value::parse(written.as_bytes()).expect("JSON");
        assert_eq!(event.time, Some(written));
    }
    assert_eq!(replay.log.event(0).expect("event").time_problem, None);
}

#[test]
fn a_jump_to_a_time_skips_impossible_times() {
    let replay = log_with_bad_times();
    // 2024-02-30 is not 1 March, nor is 2024-13-01 the next January.
    assert_eq!(replay.position_at_time(ms("2024-03-01T00:00:00Z")), 0);
    assert_eq!(replay.position_at_time(ms("2025-01-01T00:00:00Z")), 7);
    assert_eq!(replay.position_at_time(ms("2023-12-31T00:00:00Z")), -1);
}

#[test]
fn a_readable_time_under_a_later_key_is_the_events_time() {
    let replay = load(&[
        r#"{"type":"A","time":"2024-02-30","timestamp":"2024-01-05T00:00:00Z","data":{"n":1}}"#,
    ]);
    assert_eq!(
        replay.log.events.get(0).expect("an event").time_ms,
        ms("2024-01-05T00:00:00Z")
    );
    assert!(!replay.log.events.get(0).expect("an event").time_invalid);
    let event = replay.log.event(0).expect("event");
    assert_eq!(event.time_problem, None);
    assert_eq!(
        event.time.as_ref().and_then(|t| t.as_str()),
        Some("2024-01-05T00:00:00Z")
    );
}

#[test]
fn leap_days_and_leap_seconds_are_times() {
    let replay = load(&[
        r#"{"type":"A","time":"2024-02-29T12:00:00Z"}"#,
        r#"{"type":"A","time":"2016-12-31T23:59:60Z"}"#,
        r#"{"type":"A","time":"0000-01-01T00:00:00Z"}"#,
    ]);
    assert_eq!(replay.stats().invalid_times, 0);
}
