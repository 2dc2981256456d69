//! `rewind flow` and `rewind generate --flows`: the report of one event, the keys chosen
//! with `--correlation-key` / `--causation-key`, a position outside the log, and a log
//! that names no flows at all.

use std::process::Output;

mod common;

use common::{json, rewind};

fn fixture(name: &str) -> String {
    common::fixture(&format!("flows/{name}"))
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

#[test]
fn flow_prints_the_cause_effects_and_flow_of_an_event() {
    let out = rewind(&["flow", &fixture("eventstoredb.json"), "--at", "2"]);
    assert_eq!(
        json(&out),
        serde_json::json!({
            "position": 2,
            "id": "a1f0c7e2-0002-4c5e-9a10-6c1f00000002",
            "correlation": "c0ffee00-0000-4000-8000-000000000001",
            "causation": "a1f0c7e2-0001-4c5e-9a10-6c1f00000001",
            "caused_by": 0,
            "causes": [4],
            "flow": [0, 2, 4, 5, 6, 7, 8]
        })
    );
    assert_eq!(stderr(&out), "", "no hint when the log has flows");
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    assert_eq!(stdout.lines().count(), 1, "one JSON object on one line");
}

#[test]
fn flow_reports_a_missing_cause_and_a_cycle() {
    let missing = json(&rewind(&[
        "flow",
        &fixture("rails-missing-cause.ndjson"),
        "--at",
        "4",
    ]));
    assert_eq!(missing["cause_missing"], true);
    assert_eq!(missing["caused_by"], serde_json::Value::Null);
    assert_eq!(missing["causation"], "nowhere");
    let cycle = json(&rewind(&["flow", &fixture("cycle.ndjson"), "--at", "1"]));
    assert_eq!(cycle["cycle"], true);
    assert_eq!(cycle["caused_by"], 0);
    assert!(cycle.get("cause_missing").is_none());
}

#[test]
fn flow_keys_override_the_conventions() {
    let log = fixture("overrides.ndjson");
    let chosen = json(&rewind(&[
        "flow",
        &log,
        "--at",
        "3",
        "--correlation-key",
        "conversation",
        "--causation-key",
        "context.inReplyTo",
    ]));
    assert_eq!(
        chosen,
        serde_json::json!({
            "position": 3, "id": "o-4", "correlation": "conv-1", "causation": "o-2",
            "caused_by": 1, "causes": [], "flow": [0, 1, 3]
        })
    );
    // Only the causation chosen: the correlation is read by the conventions.
    let one = json(&rewind(&[
        "flow",
        &log,
        "--at",
        "0",
        "--causation-key",
        "context.inReplyTo",
    ]));
    assert_eq!(one["correlation"], "decoy-1");
    assert_eq!(one["causes"], serde_json::json!([1]));
    let conventions = json(&rewind(&["flow", &log, "--at", "3"]));
    assert_eq!(conventions["causation"], "o-3");
    assert_eq!(conventions["caused_by"], 2);
    let empty = rewind(&["flow", &log, "--at", "0", "--correlation-key", ""]);
    assert!(!empty.status.success());
    assert!(
        stderr(&empty).contains("--correlation-key needs a key"),
        "{}",
        stderr(&empty)
    );
}

#[test]
fn a_position_outside_the_log_is_an_error() {
    for at in ["9", "-1", "1000000000000"] {
        let out = rewind(&["flow", &fixture("cloudevents.ndjson"), "--at", at]);
        assert!(!out.status.success(), "--at {at} succeeded");
        assert!(out.stdout.is_empty());
        let err = stderr(&out);
        assert!(
            err.contains(&format!("position {at} is outside the log: use 0 to 4")),
            "{err}"
        );
    }
}

#[test]
fn a_log_without_flows_gets_the_report_and_a_hint() {
    let out = rewind(&["flow", &fixture("plain.ndjson"), "--at", "1"]);
    assert_eq!(
        json(&out),
        serde_json::json!({
            "position": 1, "id": "p-2", "correlation": null, "causation": null,
            "caused_by": null, "causes": [], "flow": []
        })
    );
    let hint = stderr(&out);
    assert_eq!(hint.lines().count(), 1, "{hint}");
    for needle in [
        "$correlationId",
        "NServiceBus.RelatedTo",
        "traceparent",
        "metadata",
        "--correlation-key",
        "--causation-key",
    ] {
        assert!(hint.contains(needle), "{needle} missing from {hint}");
    }
    let chosen = rewind(&[
        "flow",
        &fixture("plain.ndjson"),
        "--at",
        "0",
        "--correlation-key",
        "tenant",
    ]);
    assert!(
        stderr(&chosen).contains("looked for tenant for the correlation"),
        "{}",
        stderr(&chosen)
    );
}

#[test]
fn generate_flows_writes_linked_events_and_leaves_the_default_log_alone() {
    let plain = rewind(&["generate", "--events", "300"]);
    assert!(plain.status.success());
    let plain = String::from_utf8_lossy(&plain.stdout).into_owned();
    assert!(!plain.contains("causationId") && !plain.contains("$correlationId"));
    let flows = rewind(&["generate", "--events", "3000", "--flows"]);
    assert!(flows.status.success());
    let text = String::from_utf8_lossy(&flows.stdout).into_owned();
    let again = rewind(&["generate", "--events", "3000", "--flows"]);
    assert_eq!(again.stdout, flows.stdout, "deterministic");
    let dir = std::env::temp_dir().join(format!("rewind-cli-flows-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let path = dir.join("flows.ndjson");
    std::fs::write(&path, &text).expect("write log");
    let path = path.to_str().expect("path");
    let p = text
        .lines()
        .position(|l| l.contains(r#""type":"ShipmentScheduled""#))
        .expect("a shipment is scheduled");
    let report = json(&rewind(&["flow", path, "--at", &p.to_string()]));
    let cause = report["caused_by"].as_u64().expect("caused by the payment") as usize;
    assert!(text
        .lines()
        .nth(cause)
        .is_some_and(|l| l.contains(r#""type":"OrderPaid""#)));
    let flow = report["flow"].as_array().expect("flow");
    assert!(flow.len() >= 4, "{report}");
}
