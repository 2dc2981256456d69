//! What-if replay's invariants, on random logs and random edits, for both timelines (the
//! column timeline and snapshots) and for read models (global and partitioned):
//!
//! * no edit gives the original at every position;
//! * the edited fold equals the fold of a log written with the edits already in it
//!   (a skipped event written as an event of no type that changes nothing), however much
//!   of it the edit folded again;
//! * skipping event p gives the fold of the log without p;
//! * `whatif`'s patch applied to the original state gives the edited state, and its first
//!   difference is the first position where the two folds differ.

use std::sync::Arc;

use proptest::prelude::*;
use rewind_core::model::{ModelTimeline, ReadModel};
use rewind_core::patch::apply_patch;
use rewind_core::whatif::{first_difference, patch_at, Edit, Edits};
use rewind_core::{json_patch, open, LoadOptions, Replay, Timeline, TimelineKind, Value};
use serde_json::json;

/// One random event: type, stream (4 = none: a root merge naming keys in its data), n.
type Ev = (u8, u8, i64);

const MODELS: [&str; 3] = [
    r#"{"name": "global", "init": {"sum": 0, "by": {}},
        "when": {"A": ".sum += ($e.data.n // 0) | .by[$e.stream // \"-\"] += 1",
                 "B": "if ($e.data.n // 0) % 3 == 0 then error(\"three\") else .last = $e.data.n end"}}"#,
    r#"{"name": "cards", "partition": "$e.stream", "init": {"c": 0},
        "when": {"A,C": ".c += ($e.data.n // 1) | .t = $e.type"}}"#,
    // An edit can move an event to another partition, or out of every partition.
    r#"{"name": "parity", "partition": "if $e.data.n == 5 then null else ($e.data.n // 0) % 2 | tostring end", "init": [],
        "when": {"A,B": "if $e.data.n == 4 then error(\"four\") else . + [$e.position] end"}}"#,
];

fn events() -> impl Strategy<Value = Vec<Ev>> {
    prop::collection::vec((0u8..3, 0u8..5, -1i64..6), 1..60)
}

/// Random edits: (op 0 skip / 1 replace, position seed, new type, new n).
fn edits() -> impl Strategy<Value = Vec<(u8, usize, u8, i64)>> {
    prop::collection::vec((0u8..2, 0usize..1000, 0u8..4, -1i64..6), 0..5)
}

fn data(stream: u8, n: i64) -> serde_json::Value {
    match (stream, n) {
        (_, -1) => serde_json::Value::Null,
        (4, n) if n % 4 == 0 => json!({ format!("k{}", n % 3): null }),
        (4, n) => json!({ format!("k{}", n % 3): n }),
        (_, n) => json!({ "n": n, "m": n * 2 }),
    }
}

fn line(kind: &str, stream: u8, data: serde_json::Value) -> String {
    let mut e = json!({"type": kind, "data": data});
    if stream < 4 {
        e["stream"] = json!(format!("s{stream}"));
    }
    e.to_string()
}

fn text(lines: &[String]) -> Vec<u8> {
    lines.join("\n").into_bytes()
}

fn load(lines: &[String], kind: TimelineKind) -> Replay {
    let options = LoadOptions {
        timeline: kind,
        ..LoadOptions::default()
    };
    open(text(lines), &options).expect("generated log loads")
}

/// The log's lines, the edits, and the lines of the same log with the edits written in.
fn scenario(evs: &[Ev], raw: &[(u8, usize, u8, i64)]) -> (Vec<String>, Edits, Vec<String>) {
    let kinds = ["A", "B", "C", "D"];
    let lines: Vec<String> = evs
        .iter()
        .map(|&(t, s, n)| line(kinds[t as usize], s, data(s, n)))
        .collect();
    let mut edited = lines.clone();
    let mut skipped = vec![false; evs.len()];
    let mut list = Vec::new();
    for &(op, seed, t, n) in raw {
        let at = seed % evs.len();
        let stream = evs[at].1;
        if op == 0 {
            list.push(Edit::Skip { at });
            skipped[at] = true;
        } else {
            let kind = kinds[t as usize].to_string();
            list.push(Edit::Replace {
                at,
                kind: Some(kind.clone()),
                data: Some(Value::from(data(stream, n))),
            });
            edited[at] = line(&kind, stream, data(stream, n));
        }
    }
    for (at, s) in skipped.iter().enumerate() {
        if *s {
            edited[at] = line("Skipped", evs[at].1, serde_json::Value::Null);
        }
    }
    (lines, Edits(list), edited)
}

fn states(r: &Replay) -> Vec<Value> {
    (-1..r.len() as isize).map(|p| r.state_at(p)).collect()
}

fn with_model(r: &Replay, source: &str) -> Replay {
    let model = Arc::new(ReadModel::parse(source).expect("model parses"));
    Replay {
        log: r.log.clone(),
        timeline: Timeline::from(ModelTimeline::fold_log(model, &r.log)),
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    #[test]
    fn no_edit_is_the_original(evs in events()) {
        let (lines, _, _) = scenario(&evs, &[]);
        for kind in [TimelineKind::Auto, TimelineKind::Snapshots] {
            let original = load(&lines, kind);
            let edited = original.with_edits(&Edits::default(), &|_| Vec::new()).expect("no edit applies");
            prop_assert_eq!(states(&original), states(&edited));
            prop_assert_eq!(first_difference(&original, &edited), None);
        }
    }

    #[test]
    fn edited_fold_is_the_fold_of_the_edited_log(evs in events(), raw in edits()) {
        let (lines, edits, written) = scenario(&evs, &raw);
        for kind in [TimelineKind::Auto, TimelineKind::Snapshots] {
            let original = load(&lines, kind);
            let expected = load(&written, kind);
            let edited = original.with_edits(&edits, &|_| Vec::new()).expect("edits apply");
            let want = states(&expected);
            prop_assert_eq!(&states(&edited), &want);
            // Diffs and history of the edited fold come from the same timeline.
            for p in 0..edited.len() {
                prop_assert_eq!(edited.event_diff(p), expected.event_diff(p), "diff at {}", p);
            }
            for (i, source) in MODELS.iter().enumerate() {
                let m_original = with_model(&original, source);
                let m_edited = m_original.with_edits(&edits, &|_| Vec::new()).expect("edits apply");
                let m_expected = with_model(&expected, source);
                prop_assert_eq!(states(&m_edited), states(&m_expected), "model {}", i);
                check_compare(&m_original, &m_edited)?;
            }
            check_compare(&original, &edited)?;
        }
    }

    #[test]
    fn skipping_an_event_is_the_log_without_it(evs in events(), seed in 0usize..1000) {
        let (lines, _, _) = scenario(&evs, &[]);
        let at = seed % evs.len();
        let mut without = lines.clone();
        without.remove(at);
        let original = load(&lines, TimelineKind::Auto);
        let edited = original
            .with_edits(&Edits(vec![Edit::Skip { at }]), &|_| Vec::new())
            .expect("skip applies");
        let empty = Value::empty_object();
        let shorter: Vec<Value> = if without.is_empty() {
            vec![empty]
        } else {
            states(&load(&without, TimelineKind::Auto))
        };
        for q in -1..edited.len() as isize {
            // Up to p the states are the same; after it, one event less.
            let i = if q < at as isize { q + 1 } else { q } as usize;
            prop_assert_eq!(&edited.state_at(q), &shorter[i], "at {}", q);
        }
    }
}

/// `patch_at` turns the original state into the edited one at every position, and the
/// first difference is the first position whose states differ.
fn check_compare(original: &Replay, edited: &Replay) -> Result<(), TestCaseError> {
    let mut first = None;
    for q in -1..original.len() as isize {
        let (a, b) = (original.state_at(q), edited.state_at(q));
        if first.is_none() && a != b {
            first = Some(q as usize);
        }
        let mut patched = a.clone();
        apply_patch(&mut patched, &json_patch(&patch_at(original, edited, q)))
            .map_err(|e| TestCaseError::fail(format!("patch at {q} does not apply: {e}")))?;
        prop_assert_eq!(patched, b, "patch at {}", q);
    }
    prop_assert_eq!(first_difference(original, edited), first);
    Ok(())
}
