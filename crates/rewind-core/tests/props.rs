//! Property tests of the fold's invariants:
//! * the state at every position is the same whatever the snapshot interval and whatever
//!   order positions are visited in, and equals a naive reference fold;
//! * applying the patch of diff(a, b) to the state at a gives the state at b;
//! * a lazy fold (streams folded on first read) answers every question as an eager one,
//!   whatever order the questions come in, and so does its index saved and read back
//!   (the CLI's index cache).

use proptest::prelude::*;
use rewind_core::patch::apply_patch;
use rewind_core::{diff, open, to_json_patch, LoadOptions, Replay, TimelineKind, Value};
use serde_json::{json, Map, Value as Json};

/// Small JSON values; objects use few keys so that merges overlap and delete.
fn json_value() -> impl Strategy<Value = Json> {
    let leaf = prop_oneof![
        Just(Json::Null),
        any::<bool>().prop_map(Json::Bool),
        (-5i64..50).prop_map(|n| json!(n)),
        "[a-c]{0,3}".prop_map(Json::String),
    ];
    leaf.prop_recursive(3, 24, 4, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(Json::Array),
            prop::collection::btree_map("[a-d]", inner, 0..4)
                .prop_map(|m| Json::Object(m.into_iter().collect())),
        ]
    })
}

fn data_object() -> impl Strategy<Value = Json> {
    prop::collection::btree_map("[a-d]", json_value(), 0..4)
        .prop_map(|m| Json::Object(m.into_iter().collect()))
}

/// An event: optional stream, a type, object data (sometimes null).
fn event() -> impl Strategy<Value = Json> {
    (
        prop::option::of("s[0-3]"),
        "[A-C]",
        prop::option::weighted(0.9, data_object()),
    )
        .prop_map(|(stream, ty, data)| {
            let mut e = Map::new();
            e.insert("type".into(), json!(ty));
            if let Some(s) = stream {
                e.insert("stream".into(), json!(s));
            }
            e.insert("data".into(), data.unwrap_or(Json::Null));
            Json::Object(e)
        })
}

fn log() -> impl Strategy<Value = Vec<Json>> {
    prop::collection::vec(event(), 1..40)
}

fn ndjson(events: &[Json]) -> Vec<u8> {
    events
        .iter()
        .map(|e| format!("{e}\n"))
        .collect::<String>()
        .into_bytes()
}

/// RFC 7396 on serde_json values, written independently of the core's.
fn reference_merge(target: &mut Json, patch: &Json) {
    let Json::Object(p) = patch else {
        *target = patch.clone();
        return;
    };
    if !target.is_object() {
        *target = Json::Object(Map::new());
    }
    if let Json::Object(t) = target {
        for (k, v) in p {
            if v.is_null() {
                t.remove(k);
            } else {
                reference_merge(t.entry(k.clone()).or_insert(Json::Null), v);
            }
        }
    }
}

/// The states after each event by the plain definition of the merge fold.
fn reference_fold(events: &[Json]) -> Vec<Json> {
    let mut state = json!({});
    let mut out = Vec::new();
    for e in events {
        let data = &e["data"];
        if !data.is_null() {
            match e.get("stream").and_then(Json::as_str) {
                Some(s) => {
                    let obj = state.as_object_mut().expect("root stays an object");
                    reference_merge(obj.entry(s.to_string()).or_insert(Json::Null), data);
                }
                None => reference_merge(&mut state, data),
            }
        }
        out.push(state.clone());
    }
    out
}

fn load(events: &[Json], interval: usize) -> Replay {
    load_as(events, interval, TimelineKind::Auto)
}

fn load_as(events: &[Json], interval: usize, timeline: TimelineKind) -> Replay {
    let options = LoadOptions {
        snapshot_interval: Some(interval),
        checkpoint_interval: Some(interval),
        timeline,
        ..LoadOptions::default()
    };
    open(ndjson(events), &options).expect("generated logs load")
}

fn load_lazy(events: &[Json], interval: usize) -> Replay {
    let options = LoadOptions {
        checkpoint_interval: Some(interval),
        lazy: true,
        ..LoadOptions::default()
    };
    open(ndjson(events), &options).expect("generated logs load")
}

/// `a` answers as `b` the questions of `order`: `(position, stream, question)`, where the
/// question is the value at `/s{stream}`, the event's diff, the stream's history or the
/// whole state.
fn answers_agree(
    a: &Replay,
    b: &Replay,
    order: &[(isize, usize, u8)],
) -> Result<(), TestCaseError> {
    let last = b.len() as isize - 1;
    for &(p, s, question) in order {
        let p = p.min(last);
        let pointer = rewind_core::Pointer::parse(&format!("/s{s}")).expect("pointer");
        let history = |r: &Replay| {
            r.history(&pointer)
                .iter()
                .map(|h| (h.position, h.new.clone()))
                .collect::<Vec<_>>()
        };
        match question {
            0 => prop_assert_eq!(
                a.get(p, &pointer),
                b.get(p, &pointer),
                "get {} at {}",
                pointer,
                p
            ),
            1 => prop_assert_eq!(
                a.event_diff(p.max(0) as usize),
                b.event_diff(p.max(0) as usize),
                "diff of {}",
                p
            ),
            2 => prop_assert_eq!(history(a), history(b), "history of {}", pointer),
            _ => prop_assert_eq!(
                a.state_at(p).to_json(),
                b.state_at(p).to_json(),
                "state at {}",
                p
            ),
        }
    }
    Ok(())
}

/// The same states as a patch-mode log: each event's patch is the reference diff.
fn as_patch_log(events: &[Json]) -> Vec<Json> {
    let mut before = Value::from(json!({}));
    reference_fold(events)
        .into_iter()
        .map(|state| {
            let after = Value::from(&state);
            let patch = to_json_patch(&diff(&before, &after));
            before = after;
            json!({"type": "P", "patch": patch})
        })
        .collect()
}

fn patch_applies(
    from: &Value,
    to: &Value,
    changes: &[rewind_core::Change],
) -> Result<(), TestCaseError> {
    let mut doc = from.clone();
    apply_patch(&mut doc, &Value::from(to_json_patch(changes)))
        .map_err(|e| TestCaseError::fail(format!("patch does not apply: {e}")))?;
    prop_assert_eq!(doc.to_json(), to.to_json());
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn state_is_the_same_for_every_interval_and_equals_the_reference(events in log()) {
        let expected = reference_fold(&events);
        for (interval, kind) in [1, 2, 3, 7, 64].into_iter().flat_map(|i| [(i, TimelineKind::Auto), (i, TimelineKind::Snapshots)]) {
            let replay = load_as(&events, interval, kind);
            prop_assert_eq!(replay.state_at(-1).to_json(), json!({}));
            for (p, want) in expected.iter().enumerate() {
                prop_assert_eq!(&replay.state_at(p as isize).to_json(), want, "interval {} position {}", interval, p);
            }
        }
    }

    #[test]
    fn patch_logs_fold_to_the_same_states_in_any_seek_order(events in log(), order in prop::collection::vec(-1isize..40, 1..60)) {
        let expected = reference_fold(&events);
        for interval in [1, 3, 16] {
            let replay = load(&as_patch_log(&events), interval);
            prop_assert_eq!(replay.log.mode, rewind_core::Mode::Patch);
            let mut cursor = replay.cursor();
            for &p in &order {
                let p = p.min(replay.len() as isize - 1);
                replay.seek(&mut cursor, p);
                let want = if p < 0 { json!({}) } else { expected[p as usize].clone() };
                prop_assert_eq!(cursor.state().to_json(), want, "interval {} position {}", interval, p);
            }
        }
    }

    #[test]
    fn seek_order_does_not_change_the_state(events in log(), order in prop::collection::vec(-1isize..40, 1..60)) {
        let replay = load(&events, 4);
        let mut cursor = replay.cursor();
        for p in order {
            let p = p.min(replay.len() as isize - 1);
            replay.seek(&mut cursor, p);
            prop_assert_eq!(cursor.state().to_json(), replay.state_at(p).to_json(), "position {}", p);
        }
    }

    #[test]
    fn diff_between_positions_applied_to_a_gives_b(events in log(), a in -1isize..40, b in -1isize..40) {
        let replay = load(&events, 3);
        let last = replay.len() as isize - 1;
        let (a, b) = (a.min(last), b.min(last));
        patch_applies(&replay.state_at(a), &replay.state_at(b), &replay.diff_between(a, b))?;
    }

    #[test]
    fn event_diff_applied_to_the_previous_state_gives_the_next(events in log()) {
        let replay = load(&events, 5);
        for p in 0..replay.len() {
            let before = replay.state_at(p as isize - 1);
            let after = replay.state_at(p as isize);
            patch_applies(&before, &after, &replay.event_diff(p))?;
        }
    }

    #[test]
    fn a_lazy_fold_answers_as_an_eager_one_in_any_order(
        events in log(),
        interval in 1usize..5,
        order in prop::collection::vec((-1isize..40, 0usize..4, 0u8..4), 1..40),
    ) {
        let eager = load(&events, interval);
        let lazy = load_lazy(&events, interval);
        prop_assert_eq!(lazy.timeline.kind_name(), "columns");
        answers_agree(&lazy, &eager, &order)?;
    }

    #[test]
    fn a_saved_index_read_back_answers_as_an_eager_fold(
        events in log(),
        interval in 1usize..5,
        order in prop::collection::vec((-1isize..40, 0usize..4, 0u8..4), 1..40),
    ) {
        let eager = load(&events, interval);
        let text = ndjson(&events);
        let mut saved = Vec::new();
        let lazy = load_lazy(&events, interval);
        // A log of one line reads as one JSON document, whose index is not saved.
        let kept = rewind_core::saved::save(&lazy, "key", &mut saved).expect("writes");
        prop_assert!(kept || events.len() == 1);
        prop_assume!(kept);
        let back = rewind_core::saved::load(&saved, "key", text.into()).expect("reads back");
        answers_agree(&back, &eager, &order)?;
    }

    #[test]
    fn a_log_loaded_index_only_answers_as_an_eager_fold(
        events in log(),
        interval in 1usize..5,
        lazy in any::<bool>(),
        order in prop::collection::vec((-1isize..40, 0usize..4, 0u8..4), 1..40),
    ) {
        let eager = load(&events, interval);
        let text = ndjson(&events);
        let options = LoadOptions {
            checkpoint_interval: Some(interval),
            snapshot_interval: Some(interval),
            lazy,
            ..LoadOptions::default()
        };
        let file = std::sync::Arc::new(rewind_core::Text::from(text.clone()));
        // A log of one line reads as one JSON document, which is not streamed.
        let stream = rewind_core::NdjsonStream::start_index_only(&text, text.len() as u64, &options, file);
        prop_assert!(stream.is_some() || events.len() == 1);
        prop_assume!(stream.is_some());
        let index_only = stream.expect("streams").finish().expect("loads");
        answers_agree(&index_only, &eager, &order)?;
    }

    #[test]
    fn diff_of_any_two_values_applied_gives_the_second(a in json_value(), b in json_value()) {
        let (a, b) = (Value::from(&a), Value::from(&b));
        patch_applies(&a, &b, &diff(&a, &b))?;
    }

    #[test]
    fn history_lists_exactly_the_events_whose_diff_touches_the_path(events in log(), stream in "s[0-3]", key in "[a-d]") {
        let replay = load(&events, 3);
        let pointer = rewind_core::Pointer::parse(&format!("/{stream}/{key}")).expect("pointer");
        let got: Vec<usize> = replay.history(&pointer).iter().map(|h| h.position).collect();
        let want: Vec<usize> = (0..replay.len())
            .filter(|&p| pointer.get(&replay.state_at(p as isize - 1)) != pointer.get(&replay.state_at(p as isize)))
            .collect();
        prop_assert_eq!(got, want);
    }
}
