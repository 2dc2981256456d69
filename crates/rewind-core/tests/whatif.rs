//! What-if fixtures (SPEC §8): each edit kind on logs of several shapes and folds, and on
//! read models, with the state, the diff and `whatif`'s answer written by hand in
//! `fixtures/whatif/cases.json`.

use std::path::PathBuf;
use std::sync::Arc;

use rewind_core::model::{ModelTimeline, ReadModel};
use rewind_core::whatif::{Edits, WhatIf};
use rewind_core::{
    json_patch, open, FlowIndex, FlowKeys, LoadOptions, Mode, Pointer, Replay, Timeline,
};
use serde_json::Value as Json;

fn dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/whatif")
}

/// The log of a case, through its read model when it names one.
fn original(case: &Json) -> Replay {
    let path = dir().join(case["log"].as_str().expect("log"));
    let bytes = std::fs::read(&path).expect("fixture log");
    let options = LoadOptions {
        mode: case["mode"].as_str().and_then(Mode::from_name),
        ..LoadOptions::default()
    };
    let replay = open(bytes, &options).expect("fixture loads");
    let Some(model) = case["model"].as_str() else {
        return replay;
    };
    let source = std::fs::read_to_string(dir().join(model)).expect("model file");
    let model = Arc::new(ReadModel::parse(&source).expect("model parses"));
    let timeline = ModelTimeline::fold_log(model, &replay.log);
    Replay {
        log: replay.log,
        timeline: Timeline::from(timeline),
    }
}

#[test]
fn fixtures() {
    let text = std::fs::read_to_string(dir().join("cases.json")).expect("cases");
    let cases: Vec<Json> = serde_json::from_str(&text).expect("cases JSON");
    assert!(cases.len() >= 12);
    for case in &cases {
        let name = case["name"].as_str().expect("name");
        let original = original(case);
        let edits = Edits::parse(&case["edits"].to_string()).expect("edits parse");
        let flows = FlowIndex::build(&original.log, &FlowKeys::default());
        let edited = original
            .with_edits(&edits, &|p| flows.caused_transitively(p))
            .unwrap_or_else(|e| panic!("{name}: {e}"));
        if let Some(skipped) = case.get("skipped") {
            let got: Vec<usize> = (0..edited.len())
                .filter(|&p| edited.log.is_skipped_by_edit(p))
                .collect();
            assert_eq!(
                &serde_json::to_value(got).expect("JSON"),
                skipped,
                "{name}: skipped"
            );
        }
        let at = case["at"].as_i64().expect("at") as isize;

        let state = edited.state_at(at);
        let shown = match case["pointer"].as_str() {
            Some(p) => Pointer::parse(p).expect("pointer").get(&state).cloned(),
            None => Some(state),
        };
        assert_eq!(
            shown.map(|v| v.to_json()).as_ref(),
            Some(&case["state"]),
            "{name}: state"
        );

        let diff_at = case["diff_at"].as_u64().expect("diff_at") as usize;
        let diff = json_patch(&edited.event_diff(diff_at)).to_json();
        assert_eq!(diff, case["diff"], "{name}: diff of event {diff_at}");

        let whatif = serde_json::to_value(WhatIf::at(&original, &edited, at)).expect("JSON");
        assert_eq!(whatif, case["whatif"], "{name}: whatif at {at}");
        if let Some(end) = case.get("whatif_at_end") {
            let last = original.len() as isize - 1;
            let whatif = serde_json::to_value(WhatIf::at(&original, &edited, last)).expect("JSON");
            assert_eq!(&whatif, end, "{name}: whatif at the end");
        }
        if let Some(failed) = case.get("failed") {
            let before = serde_json::to_value(original.failed_positions()).expect("JSON");
            assert_eq!(&before, &case["failed_before"], "{name}: failures before");
            let after = serde_json::to_value(edited.failed_positions()).expect("JSON");
            assert_eq!(&after, failed, "{name}: failures after");
        }
        if let Some(types) = case["types"].as_object() {
            let stats = edited.stats();
            for (kind, count) in types {
                let n = stats
                    .types
                    .iter()
                    .find(|t| &t.kind == kind)
                    .map_or(0, |t| t.count);
                assert_eq!(
                    Some(n as u64),
                    count.as_u64(),
                    "{name}: events of type {kind}"
                );
            }
        }
    }
}

#[test]
fn mistakes_in_an_edits_file_are_told_with_the_edit_they_are_in() {
    let replay = original(&serde_json::json!({"log": "../models/shop.ndjson"}));
    let error = |text: &str| {
        let edits =
            Edits::parse(text).and_then(|e| replay.with_edits(&e, &|_| Vec::new()).map(|_| ()));
        edits.expect_err(text).to_string()
    };
    assert_eq!(
        error("[{\"op\": \"skip\", \"at\": 3},\n {\"op\": \"skip\"}]"),
        "edit 2: it has no \"at\" (the event's position)"
    );
    assert_eq!(
        error("[{\"op\": \"skip\", \"at\": 10}]"),
        "edit 1: position 10 is past the log's last event (9)"
    );
    assert_eq!(
        error("[{\"op\": \"drop\", \"at\": 1}]"),
        "edit 1: unknown op \"drop\"; use skip, replace or skip-caused"
    );
    assert!(error("[{\"op\": \"skip\", \"at\": -1}]")
        .starts_with("edit 1: \"at\" must be an event position"));
    assert!(error("{\"op\": \"skip\"}").starts_with("the edits must be a JSON array"));
    assert_eq!(
        error("[{\"op\": \"replace\", \"at\": 1, \"event\": {\"stream\": \"x\"}}]"),
        "edit 1: a replace changes the event's \"type\" and \"data\" only (its stream, time and id stay); remove \"stream\""
    );
    assert!(error("[\n {\"op\": \"skip\", \"at\": 1,}\n]")
        .starts_with("the edits are not valid JSON at line 2"));
}

#[test]
fn a_log_of_recorded_states_cannot_be_replayed_without_an_event() {
    let path =
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/logs/redux-lifted.json");
    let replay = open(
        std::fs::read(path).expect("fixture"),
        &LoadOptions::default(),
    )
    .expect("loads");
    assert_eq!(replay.log.mode, Mode::Recorded);
    let edits = Edits::parse("[{\"op\": \"skip\", \"at\": 0}]").expect("parses");
    let e = replay
        .with_edits(&edits, &|_| Vec::new())
        .expect_err("recorded refuses");
    assert!(e.to_string().contains("mode recorded"), "{e}");
}

#[test]
fn edits_round_trip_through_their_file() {
    let text = r#"[{"op": "skip", "at": 3}, {"op": "replace", "at": 1, "event": {"type": "X", "data": {"a": [1, 2]}}}, {"op": "skip-caused", "at": 0}]"#;
    let edits = Edits::parse(text).expect("parses");
    assert_eq!(edits.0.len(), 3);
    assert_eq!(
        Edits::parse(&edits.to_json()).expect("written edits parse"),
        edits
    );
}
