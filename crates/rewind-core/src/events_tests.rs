//! Every event and span reads back as it was given, whatever the pattern breaks.

use proptest::prelude::*;

use super::{Events, Spans};
use crate::log::EventMeta;

/// Times as logs give them: whole milliseconds close together, far apart, fractional,
/// missing, or not finite.
fn time() -> impl Strategy<Value = f64> {
    prop_oneof![
        6 => (0i64..5_000).prop_map(|d| 1.7e12 + d as f64),
        1 => (0i64..i64::MAX / 4).prop_map(|d| d as f64),
        1 => any::<f64>(),
        1 => Just(f64::NAN),
        1 => (0u32..1000).prop_map(|d| 1.7e12 + f64::from(d) / 7.0),
    ]
}

fn meta() -> impl Strategy<Value = EventMeta> {
    (
        prop_oneof![9 => 0u32..20, 1 => any::<u32>()],
        any::<u32>(),
        time(),
        prop_oneof![8 => Just(None), 2 => (0u32..100).prop_map(Some)],
        any::<[bool; 3]>(),
    )
        .prop_map(|(kind, stream, time_ms, line, [a, b, c])| EventMeta {
            kind,
            stream,
            time_ms,
            time_invalid: a && b,
            // `None`: the line after the previous event's (the usual case).
            line: line.unwrap_or(u32::MAX),
            skipped: b && c,
            payload_problem: a && c,
        })
}

/// The metas with each `u32::MAX` line made the line after the one before.
fn with_lines(mut metas: Vec<EventMeta>) -> Vec<EventMeta> {
    let mut line = 1u32;
    for m in &mut metas {
        if m.line == u32::MAX {
            m.line = line;
        }
        line = m.line.saturating_add(1);
    }
    metas
}

fn same(a: &EventMeta, b: &EventMeta) -> bool {
    a.time_ms.to_bits() == b.time_ms.to_bits()
        && EventMeta { time_ms: 0.0, ..*a } == EventMeta { time_ms: 0.0, ..*b }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn events_read_back_as_given(
        metas in prop::collection::vec(meta(), 0..300).prop_map(with_lines),
        edits in prop::collection::vec((any::<prop::sample::Index>(), meta()), 0..8),
    ) {
        let mut events: Events = metas.iter().copied().collect();
        let mut expected = metas.clone();
        prop_assert_eq!(events.len(), expected.len());
        for (i, m) in expected.iter().enumerate() {
            let got = events.get(i).expect("in range");
            prop_assert!(same(&got, m), "at {}: {:?} != {:?}", i, got, m);
        }
        if !expected.is_empty() {
            for (at, m) in edits {
                let p = at.index(expected.len());
                let m = EventMeta { line: if m.line == u32::MAX { 7 } else { m.line }, ..m };
                events.set(p, m);
                expected[p] = m;
            }
        }
        for (i, (got, m)) in events.iter().zip(&expected).enumerate() {
            prop_assert!(same(&got, m), "iter at {}: {:?} != {:?}", i, got, m);
            prop_assert!(same(&events.get(i).expect("in range"), m), "get at {}", i);
        }
        prop_assert_eq!(events.iter().count(), expected.len());
        let kinds = expected.iter().map(|m| m.kind as usize + 1).max().unwrap_or(0);
        let none = crate::log::NO_STREAM;
        let streams = expected.iter().filter(|m| m.stream != none).map(|m| m.stream as usize + 1).max().unwrap_or(0);
        prop_assert!(events.ids_below(kinds, streams));
        prop_assert!(kinds == 0 || !events.ids_below(kinds - 1, streams));
        let from = expected.len() / 2;
        for (got, m) in events.iter_from(from).zip(&expected[from..]) {
            prop_assert!(same(&got, m));
        }
    }

    #[test]
    fn spans_read_back_as_given(
        steps in prop::collection::vec((prop_oneof![9 => 0u64..300, 1 => 0u64..(1 << 34)], any::<u32>()), 0..300),
    ) {
        let mut start = 0u64;
        let mut given = Vec::new();
        for (gap, len) in steps {
            start += gap;
            given.push((start, len));
        }
        let spans: Spans = given.iter().copied().collect();
        prop_assert_eq!(spans.len(), given.len());
        for (i, s) in given.iter().enumerate() {
            prop_assert_eq!(spans.get(i), Some(*s));
        }
        let end = given.iter().map(|&(s, l)| s + u64::from(l)).max().unwrap_or(0);
        let end = usize::try_from(end).unwrap_or(usize::MAX);
        prop_assert!(spans.end_within(end));
        prop_assert!(end == 0 || !spans.end_within(end - 1));
        prop_assert_eq!(spans.iter().collect::<Vec<_>>(), given);
    }
}

#[test]
fn a_plain_log_costs_ten_bytes_an_event() {
    let events: Events = (0..10_000u32)
        .map(|p| EventMeta {
            kind: p % 8,
            stream: p / 3,
            time_ms: 1.7e12 + f64::from(p) * 37.0,
            time_invalid: false,
            line: p + 1,
            skipped: false,
            payload_problem: false,
        })
        .collect();
    let mut events = events;
    events.shrink_to_fit();
    let per_event = events.bytes() as f64 / 10_000.0;
    assert!(per_event < 11.0, "{per_event} bytes an event");
    let mut spans: Spans = (0..10_000u64).map(|p| (p * 240, 239)).collect();
    spans.shrink_to_fit();
    let per_span = spans.bytes() as f64 / 10_000.0;
    assert!(per_span < 8.5, "{per_span} bytes a span");
}
