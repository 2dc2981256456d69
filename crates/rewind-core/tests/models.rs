//! Read models, data-driven: each case of `fixtures/models/cases.json` names a model file
//! and a log, and the states, diffs, failures, warnings and `debug` output expected at
//! positions of it. Every case is checked through `Replay`, the same queries the CLI and
//! the page use for the log's own fold.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use rewind_core::model::{ModelTimeline, ReadModel};
use rewind_core::patch::apply_patch;
use rewind_core::{json_patch, open, LoadOptions, Replay, Timeline};
use serde::Deserialize;

#[derive(Deserialize)]
struct Case {
    model: String,
    log: String,
    handled: usize,
    states: BTreeMap<isize, serde_json::Value>,
    #[serde(default)]
    diffs: BTreeMap<usize, serde_json::Value>,
    failed: BTreeMap<usize, String>,
    #[serde(default)]
    no_output: Vec<usize>,
    #[serde(default)]
    debug: BTreeMap<usize, String>,
}

fn dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/models")
}

/// The log of a case, answered through its read model.
fn replay(case: &Case) -> (Replay, ModelTimeline) {
    let log = std::fs::read(dir().join(&case.log)).expect("fixture log");
    let replay = open(log, &LoadOptions::default()).expect("fixture log loads");
    let source = std::fs::read_to_string(dir().join(&case.model)).expect("fixture model");
    let model = Arc::new(ReadModel::parse(&source).expect("fixture model compiles"));
    let timeline = ModelTimeline::fold_log(model, &replay.log);
    let answered = Replay {
        log: replay.log,
        timeline: Timeline::from(timeline.clone()),
    };
    (answered, timeline)
}

#[test]
fn every_case_gives_its_expected_states_diffs_and_notes() {
    let cases: Vec<Case> = serde_json::from_str(
        &std::fs::read_to_string(dir().join("cases.json")).expect("cases.json"),
    )
    .expect("cases.json parses");
    assert!(cases.len() >= 9);
    for case in &cases {
        let name = &case.model;
        let (replay, model) = replay(case);
        assert_eq!(model.handled(), case.handled, "{name}: events handled");
        for (&p, expected) in &case.states {
            assert_eq!(
                &replay.state_at(p).to_json(),
                expected,
                "{name}: state at {p}"
            );
        }
        for (&p, expected) in &case.diffs {
            let patch = serde_json::to_value(json_patch(&replay.event_diff(p))).expect("patch");
            assert_eq!(&patch, expected, "{name}: diff of event {p}");
        }
        let failed: Vec<usize> = replay.failed_positions();
        assert_eq!(
            failed,
            case.failed.keys().copied().collect::<Vec<_>>(),
            "{name}: failed events"
        );
        for (&p, needle) in &case.failed {
            let reason = replay.failure(p).unwrap_or_default();
            assert!(
                reason.contains(needle),
                "{name}: failure at {p} is {reason:?}"
            );
        }
        let no_output: Vec<usize> = (0..replay.len())
            .filter(|&p| model.note(p).is_some_and(|n| n.no_output))
            .collect();
        assert_eq!(no_output, case.no_output, "{name}: events without output");
        for (&p, needle) in &case.debug {
            let messages = model
                .note(p)
                .map(|n| n.messages.join("\n"))
                .unwrap_or_default();
            assert!(
                messages.contains(needle),
                "{name}: debug at {p} is {messages:?}"
            );
        }
        // The diff between the first and last positions turns one state into the other.
        let (a, b) = (-1, replay.len() as isize - 1);
        let mut state = replay.state_at(a);
        apply_patch(&mut state, &json_patch(&replay.diff_between(a, b))).expect("the diff applies");
        assert_eq!(
            state.to_json(),
            replay.state_at(b).to_json(),
            "{name}: diff from {a} to {b}"
        );
    }
}
