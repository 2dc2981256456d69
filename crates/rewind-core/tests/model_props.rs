//! Read models' invariants: the state at every position is the same whatever the
//! snapshot budget (and so the interval) and the order of seeks, and equals a naive fold
//! that compiles the handlers anew and runs them event by event from the start.

use std::sync::Arc;

use proptest::prelude::*;
use rewind_core::jq::Program;
use rewind_core::model::{event_value, ModelTimeline, ReadModel};
use rewind_core::{open, Cursor, LoadOptions, Log, Pointer, States, Value};
use serde_json::json;

/// A global model with a failing branch and a partitioned one.
const MODELS: [&str; 2] = [
    r#"{"name": "global", "init": {"sum": 0, "by": {}},
        "when": {"A": ".sum += $e.data.n | .by[$e.stream] += 1",
                 "B": "if $e.data.n % 3 == 0 then error(\"three\") else .by[$e.stream] = $e.data.n end",
                 "C": "if $e.data.n > 5 then empty else .last = $e.position end"}}"#,
    r#"{"name": "cards", "partition": "stream", "init": {"c": 0},
        "when": {"A,C": ".c += $e.data.n | .last = $e.type", "B": "if $e.data.n == 0 then error(\"zero\") else .b = $e.data.n end"}}"#,
];

fn log() -> impl Strategy<Value = Vec<(u8, u8, i64)>> {
    prop::collection::vec((0u8..3, 0u8..4, 0i64..10), 1..120)
}

fn load(events: &[(u8, u8, i64)]) -> Log {
    let mut text = String::new();
    for &(t, s, n) in events {
        let kind = ["A", "B", "C"][t as usize];
        text.push_str(
            &json!({"type": kind, "stream": format!("s{s}"), "data": {"n": n}}).to_string(),
        );
        text.push('\n');
    }
    let replay = open(text.into_bytes(), &LoadOptions::default()).expect("generated log loads");
    Arc::try_unwrap(replay.log).unwrap_or_else(|shared| (*shared).clone())
}

/// The model folded event by event with freshly compiled handlers: the states after each
/// event (the first entry is the state before any).
fn naive(source: &str, log: &Log) -> Vec<Value> {
    let spec: serde_json::Value = serde_json::from_str(source).expect("model JSON");
    let init = Value::from(spec.get("init").cloned().unwrap_or(serde_json::Value::Null));
    let partitioned = spec.get("partition").is_some();
    let when = spec["when"].as_object().expect("when").clone();
    let mut state = if partitioned {
        Value::empty_object()
    } else {
        init.clone()
    };
    let mut out = vec![state.clone()];
    for p in 0..log.len() {
        let kind = log.type_name(p);
        let code = when
            .iter()
            .find(|(k, _)| k.split(',').any(|t| t == kind))
            .map(|(_, v)| v.as_str().expect("handler text").to_string());
        if let Some(code) = code {
            let program = Program::compile(&code).expect("handler compiles");
            let event = event_value(log, p);
            if partitioned {
                let key = log.stream_name(p).expect("stream").to_string();
                let ptr = Pointer::root().child(&key);
                let before = ptr.get(&state).cloned().unwrap_or_else(|| init.clone());
                let after = match program.run(before.clone(), &event).output {
                    Ok(Some(v)) => v,
                    _ => before,
                };
                let mut obj = state.as_object().cloned().unwrap_or_default();
                obj.insert(key.into(), after);
                state = Value::Object(obj);
            } else if let Ok(Some(v)) = program.run(state.clone(), &event).output {
                state = v;
            }
        }
        out.push(state.clone());
    }
    out
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn a_models_states_do_not_depend_on_budget_or_seek_order(
        events in log(),
        order in prop::collection::vec(any::<prop::sample::Index>(), 0..200),
    ) {
        let log = load(&events);
        for source in MODELS {
            let model = Arc::new(ReadModel::parse(source).expect("model compiles"));
            let expected = naive(source, &log);
            for budget in [0, 2_000, usize::MAX] {
                let mut t = ModelTimeline::new(model.clone(), budget);
                // Folded in uneven parts, as the page folds while it answers.
                let mut until = 0;
                while until < log.len() {
                    until = (until + 7).min(log.len());
                    t.fold(&log, until, &mut |_| {});
                }
                for (p, want) in expected.iter().enumerate() {
                    let p = p as isize - 1;
                    prop_assert_eq!(t.state_at(&log, p).to_json(), want.to_json(), "budget {} at {}", budget, p);
                }
                // One cursor moved to positions in random order.
                let mut cursor = Cursor::new();
                for i in &order {
                    let p = i.index(expected.len()) as isize - 1;
                    t.seek(&log, &mut cursor, p);
                    prop_assert_eq!(cursor.state().to_json(), expected[(p + 1) as usize].to_json());
                }
            }
        }
    }
}
