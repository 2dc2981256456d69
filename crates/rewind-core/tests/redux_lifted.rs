//! Redux DevTools lifted-state exports as DevTools writes them when something went wrong:
//! a reducer that threw, an export that stops short of its actions, circular state and
//! references that would explode if unrolled. Each failed action is a failed event with
//! its reason, wherever failures are shown (stats, the Event region, the density strip: those
//! two are checked in the rewind-session crate).

use rewind_core::{open, LoadOptions, Replay};
use serde_json::{json, Value as Json};

fn fixture(name: &str) -> Replay {
    let path = format!("{}/tests/fixtures/logs/{name}", env!("CARGO_MANIFEST_DIR"));
    let bytes = std::fs::read(&path).expect("fixture exists");
    open(bytes, &LoadOptions::default()).expect("fixture loads")
}

fn failed(replay: &Replay) -> Vec<(usize, String)> {
    replay
        .stats()
        .failed_events
        .into_iter()
        .map(|f| (f.position, f.reason))
        .collect()
}

fn state(replay: &Replay, position: isize) -> Json {
    replay.state_at(position).to_json()
}

#[test]
fn a_reducer_that_threw_fails_its_action_and_every_interrupted_one() {
    let replay = fixture("redux-lifted-reducer-error.json");
    assert_eq!(replay.stats().format.name(), "redux-lifted");
    assert_eq!(
        failed(&replay),
        [
            (
                2,
                "the reducer threw: TypeError: Cannot read properties of null (reading 'sku')"
                    .to_string()
            ),
            (
                3,
                "the reducer threw: Interrupted by an error up the chain".to_string()
            ),
        ]
    );
    for p in [2, 3] {
        assert_eq!(
            state(&replay, p),
            json!({"counter": 1, "cart": []}),
            "at {p}"
        );
        assert!(
            replay.event_diff(p as usize).is_empty(),
            "event {p} changes nothing"
        );
    }
}

#[test]
fn actions_past_the_last_computed_state_keep_the_state_before_them_and_fail() {
    let replay = fixture("redux-lifted-short.json");
    assert_eq!(replay.len(), 4);
    let reason = "the export has no computed state for this action".to_string();
    assert_eq!(failed(&replay), [(2, reason.clone()), (3, reason)]);
    let milk = json!({"todos": [{"text": "milk", "done": false}]});
    assert_eq!(state(&replay, 1), milk);
    assert_eq!(state(&replay, 2), milk, "not null");
    assert_eq!(state(&replay, 3), milk, "not null");
    // Whichever way a position is reached, the state is the same.
    let mut cursor = replay.cursor();
    for p in [3, 0, 2, 1, 3] {
        replay.seek(&mut cursor, p);
        assert_eq!(cursor.state().to_json(), state(&replay, p), "seek to {p}");
    }
}

#[test]
fn circular_state_shows_a_reference_where_the_cycle_closes() {
    let replay = fixture("redux-lifted-circular.json");
    assert!(failed(&replay).is_empty());
    let leaf =
        json!({"name": "leaf", "parent": "(circular reference to $.computedStates[1].state.tree)"});
    let s = state(&replay, 1);
    assert_eq!(s["tree"]["children"][0], leaf);
    assert_eq!(s["selected"], leaf);
    assert_eq!(s["added"], json!({"name": "leaf"}));
}

/// A lifted export whose first state holds `levels` levels that each refer twice to the
/// level before: about 40 bytes a level.
fn doubling_export(levels: usize) -> String {
    let mut state = String::from(r#"{"l0":{"x":1}"#);
    for k in 1..=levels {
        let prev = format!("$.computedStates[0].state.l{}", k - 1);
        state.push_str(&format!(
            r#","l{k}":[{{"$jsan":"{prev}"}},{{"$jsan":"{prev}"}}]"#
        ));
    }
    state.push('}');
    format!(
        r#"{{"actionsById":{{"0":{{"action":{{"type":"@@INIT"}}}}}},"stagedActionIds":[0],"computedStates":[{{"state":{state}}}]}}"#
    )
}

#[test]
fn references_that_double_at_each_level_load_with_their_values_shared() {
    let text = doubling_export(60);
    let replay = open(text.clone().into_bytes(), &LoadOptions::default()).expect("loads");
    let s = replay.state_at(0);
    assert!(
        rewind_core::jsan::distinct_nodes(&s) < text.len(),
        "{} values for {} bytes",
        rewind_core::jsan::distinct_nodes(&s),
        text.len()
    );
    let l1 = s.as_object().and_then(|o| o.get("l1")).expect("l1");
    assert_eq!(l1.to_json(), json!([{"x": 1}, {"x": 1}]));
}

#[test]
fn an_action_list_export_decodes_its_payload_and_preloaded_state() {
    let payload = r#"[{"type":"a","ref":{"$jsan":"$[1].obj"}},{"type":"b","obj":{"self":{"$jsan":"$[1].obj"}}}]"#;
    let doc = json!({"payload": payload, "preloadedState": r#"{"n":{"$jsan":"u"}}"#});
    let replay = open(doc.to_string().into_bytes(), &LoadOptions::default()).expect("loads");
    assert_eq!(replay.stats().format.name(), "redux-actions");
    assert_eq!(state(&replay, -1), json!({"n": "(undefined)"}));
    let circular = json!({"self": "(circular reference to $[1].obj)"});
    let event = replay.log.event(0).expect("event 0");
    assert_eq!(event.data.to_json(), json!({"ref": circular}));
}

#[test]
fn rewind_stats_lists_the_failed_actions() {
    let path = format!(
        "{}/tests/fixtures/logs/redux-lifted-short.json",
        env!("CARGO_MANIFEST_DIR")
    );
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_rewind"))
        .args(["stats", &path])
        .output()
        .expect("run rewind");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let stats: Json = serde_json::from_slice(&out.stdout).expect("stats are JSON");
    let reason = "the export has no computed state for this action";
    assert_eq!(
        stats["failed_events"],
        json!([{"position": 2, "reason": reason}, {"position": 3, "reason": reason}])
    );
}
