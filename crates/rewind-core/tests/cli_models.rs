//! `rewind` with read models: `--model` on state, diff, history and bench, `rewind steps`,
//! a model that does not compile, and a handler that never ends.

use std::process::Output;
use std::time::{Duration, Instant};

mod common;

use common::{json, rewind};

fn fixture(name: &str) -> String {
    common::fixture(&format!("models/{name}"))
}

fn stdout(out: &Output) -> String {
    assert!(
        out.status.success(),
        "rewind failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// Writes a model file named `name` holding `text` in a temporary folder; its path.
fn model_file(name: &str, text: &str) -> String {
    common::temp_file("cli-models", name, text)
}

/// `rewind state` of the shop log at 1 through the model file `path`.
fn state_with(path: &str) -> Output {
    rewind(&[
        "state",
        &fixture("shop.ndjson"),
        "--at",
        "1",
        "--model",
        path,
    ])
}

#[test]
fn state_diff_and_history_answer_for_the_model() {
    let (log, model) = (fixture("shop.ndjson"), fixture("orders-by-status.json"));
    let state = json(&rewind(&["state", &log, "--at", "3", "--model", &model]));
    assert_eq!(
        state,
        serde_json::json!({"status": {"order-1": "paid", "order-2": "placed"}, "count": {"paid": 1, "placed": 1}})
    );
    let placed = json(&rewind(&[
        "state",
        &log,
        "--at",
        "8",
        "--model",
        &model,
        "--pointer",
        "/count/placed",
    ]));
    assert_eq!(placed, serde_json::json!(0));
    let diff = json(&rewind(&["diff", &log, "--at", "6", "--model", &model]));
    assert_eq!(
        diff,
        serde_json::json!([
            {"op": "replace", "path": "/count/paid", "value": 0},
            {"op": "add", "path": "/count/shipped", "value": 1},
            {"op": "replace", "path": "/status/order-1", "value": "shipped"}
        ])
    );
    let history = stdout(&rewind(&[
        "history",
        &log,
        "--pointer",
        "/status/order-1",
        "--model",
        &model,
    ]));
    let positions: Vec<u64> = history
        .lines()
        .map(|l| {
            serde_json::from_str::<serde_json::Value>(l).expect("JSON line")["position"]
                .as_u64()
                .expect("position")
        })
        .collect();
    assert_eq!(positions, [1, 3, 6]);
}

#[test]
fn steps_print_each_event_before_and_after_with_errors() {
    let (log, model) = (fixture("shop.ndjson"), fixture("revenue-by-customer.json"));
    let text = stdout(&rewind(&[
        "steps", &log, "--model", &model, "--from", "6", "--to", "8",
    ]));
    let lines: Vec<serde_json::Value> = text
        .lines()
        .map(|l| serde_json::from_str(l).expect("JSON line"))
        .collect();
    assert_eq!(lines.len(), 3);
    assert_eq!(lines[0]["position"], 6);
    assert_eq!(lines[0]["handled"], false);
    assert_eq!(lines[0]["before"], lines[0]["after"]);
    assert_eq!(lines[1]["handler"], "OrderPaid");
    assert!(lines[1]["error"]
        .as_str()
        .is_some_and(|e| e.contains("ten")));
    assert_eq!(lines[1]["before"], lines[1]["after"]);
    assert_eq!(lines[2]["after"]["revenue"]["customer-1"], 7400);
    assert_eq!(lines[2]["before"]["revenue"]["customer-1"], 4900);
    // A partitioned model's steps show the partition's value.
    let cards = fixture("card-per-customer.json");
    let text = stdout(&rewind(&[
        "steps", &log, "--model", &cards, "--from", "5", "--to", "5",
    ]));
    let line: serde_json::Value = serde_json::from_str(text.trim()).expect("JSON line");
    assert_eq!(line["partition"], "customer-2");
    assert_eq!(line["before"], serde_json::Value::Null);
    assert_eq!(
        line["after"],
        serde_json::json!({"orders": 1, "total": 1000, "last": 5})
    );
}

#[test]
fn a_model_that_does_not_compile_is_placed_in_its_file() {
    let path = model_file(
        "broken.json",
        "{\n  \"name\": \"broken\",\n  \"when\": {\n    \"OrderPaid\": \".paid += \"\n  }\n}\n",
    );
    let out = state_with(&path);
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("line 4"), "{err}");
    assert!(err.contains("OrderPaid"), "{err}");
    let now = model_file("now.json", r#"{"when": {"$any": ".t = now"}}"#);
    let out = state_with(&now);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("now"));
}

#[test]
fn a_handler_that_never_ends_is_stopped_and_named() {
    let path = model_file(
        "loop.json",
        r#"{"when": {"OrderPaid": "last(range(1e15))"}}"#,
    );
    let started = Instant::now();
    let out = rewind(&[
        "state",
        &fixture("shop.ndjson"),
        "--at",
        "9",
        "--model",
        &path,
        "--handler-timeout",
        "0.5",
    ]);
    assert!(started.elapsed() < Duration::from_secs(20));
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("OrderPaid") && err.contains("event 3"),
        "{err}"
    );
}

#[test]
fn bench_reports_the_models_figures() {
    let report = json(&rewind(&[
        "bench",
        &fixture("shop.ndjson"),
        "--seeks",
        "50",
        "--model",
        &fixture("orders-by-status.json"),
    ]));
    let model = &report["model"];
    assert_eq!(model["name"], "orders-by-status");
    assert_eq!(model["handled"], 10);
    for key in [
        "fold_ms",
        "seek_p50_ms",
        "seek_p99_ms",
        "diff_p50_ms",
        "diff_p99_ms",
        "step_p99_ms",
    ] {
        assert!(model[key].as_f64().is_some(), "{key}");
    }
}
