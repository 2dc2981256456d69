//! Data-driven fixtures: each case in `tests/fixtures/cases.json` names a log in
//! `tests/fixtures/logs/` and what must hold of it (format, mode, counts, states at
//! positions, diffs as JSON Patch, history positions, bad lines, failed events).

use std::path::PathBuf;

use rewind_core::{open, to_json_patch, LoadOptions, Pointer, Replay, TimelineKind};
use serde::Deserialize;
use serde_json::Value as Json;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Case {
    log: String,
    format: Option<String>,
    mode: Option<String>,
    events: usize,
    streams: Option<usize>,
    types: Option<Vec<String>>,
    time_range: Option<[String; 2]>,
    #[serde(default)]
    states: Vec<StateAt>,
    #[serde(default)]
    diffs: Vec<DiffAt>,
    #[serde(default)]
    history: Vec<History>,
    bad_lines: Option<Vec<usize>>,
    failed: Option<Vec<usize>>,
    skipped: Option<usize>,
    event: Option<EventCheck>,
}

#[derive(Deserialize)]
struct StateAt {
    at: isize,
    state: Json,
}

#[derive(Deserialize)]
struct DiffAt {
    at: usize,
    patch: Json,
}

#[derive(Deserialize)]
struct History {
    pointer: String,
    positions: Vec<usize>,
}

#[derive(Deserialize)]
struct EventCheck {
    at: usize,
    metadata: serde_json::Map<String, Json>,
}

fn dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

fn check(case: &Case, replay: &Replay) {
    let name = &case.log;
    let stats = replay.stats();
    if let Some(f) = &case.format {
        assert_eq!(stats.format.name(), f, "{name}: format");
    }
    if let Some(m) = &case.mode {
        assert_eq!(stats.mode.name(), m, "{name}: mode");
    }
    assert_eq!(stats.events, case.events, "{name}: events");
    if let Some(s) = case.streams {
        assert_eq!(stats.streams, s, "{name}: streams");
    }
    if let Some(types) = &case.types {
        let mut got: Vec<_> = stats.types.iter().map(|t| t.kind.clone()).collect();
        let mut want = types.clone();
        got.sort();
        want.sort();
        assert_eq!(got, want, "{name}: types");
    }
    if let Some(range) = &case.time_range {
        assert_eq!(stats.time_range.as_ref(), Some(range), "{name}: time range");
    }
    for s in &case.states {
        assert_eq!(
            replay.state_at(s.at).to_json(),
            s.state,
            "{name}: state at {}",
            s.at
        );
    }
    for d in &case.diffs {
        assert_eq!(
            to_json_patch(&replay.event_diff(d.at)),
            d.patch,
            "{name}: diff of event {}",
            d.at
        );
    }
    for h in &case.history {
        let ptr = Pointer::parse(&h.pointer).expect("fixture pointer");
        let got: Vec<usize> = replay.history(&ptr).iter().map(|e| e.position).collect();
        assert_eq!(got, h.positions, "{name}: history of {}", h.pointer);
    }
    if let Some(lines) = &case.bad_lines {
        let got: Vec<usize> = stats.bad_lines.iter().map(|b| b.line).collect();
        assert_eq!(&got, lines, "{name}: bad lines");
        assert!(
            stats.bad_lines.iter().all(|b| !b.reason.is_empty()),
            "{name}: every bad line has a reason"
        );
    }
    if let Some(failed) = &case.failed {
        let got: Vec<usize> = stats.failed_events.iter().map(|f| f.position).collect();
        assert_eq!(&got, failed, "{name}: failed events");
    }
    if let Some(skipped) = case.skipped {
        assert_eq!(stats.skipped_events, skipped, "{name}: skipped events");
    }
    if let Some(e) = &case.event {
        let event = replay.log.event(e.at).expect("event exists");
        let meta = event.metadata.to_json();
        for (k, v) in &e.metadata {
            assert_eq!(
                meta.get(k),
                Some(v),
                "{name}: metadata {k} of event {}",
                e.at
            );
        }
    }
}

#[test]
fn every_fixture_case_holds() {
    let text = std::fs::read_to_string(dir().join("cases.json")).expect("read cases.json");
    let cases: Vec<Case> = serde_json::from_str(&text).expect("cases.json is valid");
    assert!(cases.len() >= 10);
    for case in &cases {
        let bytes = std::fs::read(dir().join("logs").join(&case.log)).expect("read fixture log");
        let replay =
            open(bytes, &LoadOptions::default()).unwrap_or_else(|e| panic!("{}: {e}", case.log));
        check(case, &replay);
        // The same answers with a snapshot at every event and with a single snapshot.
        for interval in [1, 2, 1_000_000] {
            for timeline in [TimelineKind::Auto, TimelineKind::Snapshots] {
                let bytes =
                    std::fs::read(dir().join("logs").join(&case.log)).expect("read fixture log");
                let options = LoadOptions {
                    snapshot_interval: Some(interval),
                    checkpoint_interval: Some(interval),
                    timeline,
                    ..LoadOptions::default()
                };
                check(case, &open(bytes, &options).expect("loads"));
            }
        }
    }
}
