//! `rewind` with edits (SPEC §8): `--edits` on state, diff, history and stats, and
//! `rewind whatif`, with and without a read model; a bad edits file.

mod common;

use common::{json, json_lines, rewind};

fn edits_file(name: &str, text: &str) -> String {
    common::temp_file("cli-whatif", name, text)
}

fn fixture(name: &str) -> String {
    common::fixture(name)
}

#[test]
fn edits_change_state_diff_history_and_stats() {
    let log = fixture("models/shop.ndjson");
    let edits = edits_file(
        "skip-pay.json",
        r#"[{"op": "skip", "at": 3}, {"op": "replace", "at": 9, "event": {"type": "OrderRefunded"}}]"#,
    );
    let state = json(&rewind(&[
        "state",
        &log,
        "--at",
        "6",
        "--pointer",
        "/order-1",
        "--edits",
        &edits,
    ]));
    assert_eq!(
        state,
        serde_json::json!({"status": "shipped", "customer": "customer-1", "total": 4900, "carrier": "DHL"})
    );
    let diff = json(&rewind(&["diff", &log, "--at", "3", "--edits", &edits]));
    assert_eq!(diff, serde_json::json!([]));
    let original = json(&rewind(&["diff", &log, "--at", "3"]));
    assert_ne!(original, serde_json::json!([]));

    let history = rewind(&[
        "history",
        &log,
        "--pointer",
        "/order-1/status",
        "--edits",
        &edits,
    ]);
    let lines = json_lines(&history);
    let positions: Vec<u64> = lines
        .iter()
        .map(|l| l["position"].as_u64().expect("position"))
        .collect();
    assert_eq!(
        positions,
        [1, 6],
        "the skipped payment no longer touches the status"
    );

    let stats = json(&rewind(&["stats", &log, "--edits", &edits]));
    let types = stats["types"].as_array().expect("types");
    assert!(types
        .iter()
        .any(|t| t["type"] == "OrderRefunded" && t["count"] == 1));
    assert!(!types
        .iter()
        .any(|t| t["type"] == "OrderCancelled" && t["count"] != 0));
}

#[test]
fn whatif_prints_the_patch_and_the_first_difference() {
    let log = fixture("models/shop.ndjson");
    let edits = edits_file("skip-order.json", r#"[{"op": "skip", "at": 5}]"#);
    let at_six = json(&rewind(&["whatif", &log, "--edits", &edits, "--at", "6"]));
    assert_eq!(
        at_six,
        serde_json::json!({"patch": [{"op": "remove", "path": "/order-3"}], "first_difference": 5})
    );
    // Through a read model whose counts differ, then agree again at the end.
    let model = fixture("models/orders-by-status.json");
    let at_end = json(&rewind(&[
        "whatif", &log, "--edits", &edits, "--at", "9", "--model", &model,
    ]));
    assert_eq!(
        at_end,
        serde_json::json!({"patch": [], "first_difference": 5})
    );
    let before = json(&rewind(&[
        "whatif", &log, "--edits", &edits, "--at", "4", "--model", &model,
    ]));
    assert_eq!(
        before,
        serde_json::json!({"patch": [], "first_difference": 5})
    );
}

#[test]
fn a_bad_edits_file_is_refused_with_where_and_why() {
    let log = fixture("models/shop.ndjson");
    let out = rewind(&[
        "state",
        &log,
        "--at",
        "1",
        "--edits",
        &edits_file("far.json", r#"[{"op": "skip", "at": 99}]"#),
    ]);
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("edit 1: position 99 is past the log's last event (9)"),
        "{err}"
    );

    let out = rewind(&[
        "whatif",
        &log,
        "--edits",
        &edits_file("broken.json", "[\n{\"op\": \"skip\" \"at\": 1}]"),
        "--at",
        "1",
    ]);
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("not valid JSON at line 2"), "{err}");

    let out = rewind(&["whatif", &log, "--at", "1"]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("--edits"));
}

#[test]
fn skip_caused_follows_causation_read_with_the_flow_keys() {
    let log = fixture("flows/eventstoredb.json");
    let edits = edits_file("caused.json", r#"[{"op": "skip-caused", "at": 2}]"#);
    let whatif = json(&rewind(&["whatif", &log, "--edits", &edits, "--at", "8"]));
    assert_eq!(whatif["first_difference"], 2);
    let removed: Vec<&str> = whatif["patch"]
        .as_array()
        .expect("patch")
        .iter()
        .map(|c| c["path"].as_str().expect("path"))
        .collect();
    assert_eq!(removed, ["/order-1/status", "/payment-1", "/shipment-1"]);
    // With a causation key no event has, the event alone is skipped.
    let alone = json(&rewind(&[
        "whatif",
        &log,
        "--edits",
        &edits,
        "--at",
        "8",
        "--causation-key",
        "nothing",
    ]));
    assert_eq!(
        alone["patch"],
        serde_json::json!([{"op": "remove", "path": "/payment-1/amount"}])
    );
}
