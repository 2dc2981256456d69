//! The `rewind` binary as a script uses it: JSON on stdout, errors on stderr with a
//! non-zero exit code, `-` for standard input, every command on every format.

use std::io::Write;
use std::process::{Command, Stdio};

mod common;

use common::{json, json_lines, rewind};

fn fixture(name: &str) -> String {
    common::fixture(&format!("logs/{name}"))
}

#[test]
fn every_command_answers_on_every_format() {
    let logs = [
        "orders.ndjson",
        "cloudevents-batch.json",
        "cloudevent-single.json",
        "wrapped.json",
        "redux-actions.json",
        "redux-lifted.json",
        "patch.json",
        "recorded.ndjson",
    ];
    for name in logs {
        let log = fixture(name);
        let stats = json(&rewind(&["stats", &log]));
        let events = stats["events"].as_u64().expect("events") as i64;
        assert!(events > 0, "{name}");
        let last = (events - 1).to_string();
        assert!(
            json(&rewind(&["state", &log, "--at", &last])).is_object() || name == "recorded.ndjson",
            "{name}"
        );
        assert!(
            json(&rewind(&["state", &log, "--at", "-1"])).is_object(),
            "{name}"
        );
        assert!(
            json(&rewind(&["diff", &log, "--at", "0"])).is_array(),
            "{name}"
        );
        assert!(
            json(&rewind(&["diff", &log, "--from", "-1", "--to", &last])).is_array(),
            "{name}"
        );
        let history = rewind(&["history", &log, "--pointer", ""]);
        assert!(history.status.success(), "{name}");
        for line in String::from_utf8_lossy(&history.stdout).lines() {
            serde_json::from_str::<serde_json::Value>(line).expect("history lines are JSON");
        }
    }
}

#[test]
fn state_matches_the_fixture_and_pointer_narrows_it() {
    let log = fixture("orders.ndjson");
    assert_eq!(
        json(&rewind(&[
            "state",
            &log,
            "--at",
            "1",
            "--pointer",
            "/order-17/total"
        ])),
        4900
    );
    let history = rewind(&["history", &log, "--pointer", "/order-17/total"]);
    let lines = json_lines(&history);
    let positions: Vec<u64> = lines
        .iter()
        .map(|l| l["position"].as_u64().expect("position"))
        .collect();
    assert_eq!(positions, [0, 1, 3]);
    assert_eq!(lines[2]["old"], 4900);
    assert_eq!(lines[2]["new"], 0);
}

#[test]
fn standard_input_is_read_with_a_dash() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_rewind"))
        .args(["state", "-", "--at", "0"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn rewind");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(b"{\"type\":\"A\",\"stream\":\"s\",\"data\":{\"n\":1}}\n")
        .expect("write stdin");
    let out = child.wait_with_output().expect("wait");
    assert_eq!(json(&out), serde_json::json!({"s": {"n": 1}}));
}

#[test]
fn errors_go_to_stderr_with_a_non_zero_exit() {
    for args in [
        vec!["stats", "/no/such/file.ndjson"],
        vec!["state", "/dev/null", "--at", "0"],
        vec!["state", &fixture("orders.ndjson"), "--at", "99"],
        vec![
            "state",
            &fixture("orders.ndjson"),
            "--at",
            "0",
            "--pointer",
            "no-slash",
        ],
        vec!["stats", &fixture("orders.ndjson"), "--format", "yaml"],
    ] {
        let out = rewind(&args);
        assert!(!out.status.success(), "{args:?} should fail");
        assert!(out.stdout.is_empty(), "{args:?} printed to stdout");
        assert!(
            String::from_utf8_lossy(&out.stderr).starts_with("rewind: "),
            "{args:?}"
        );
    }
}

#[test]
fn field_detection_can_be_overridden() {
    let dir = std::env::temp_dir().join(format!("rewind-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let log = dir.join("custom.ndjson");
    std::fs::write(
        &log,
        "{\"kind\":\"A\",\"type\":\"ignored\",\"entity\":\"e-1\",\"body\":{\"n\":1}}\n",
    )
    .expect("write");
    let log = log.to_string_lossy().to_string();
    let stats = json(&rewind(&[
        "stats",
        &log,
        "--type-key",
        "kind",
        "--stream-key",
        "entity",
    ]));
    assert_eq!(stats["types"][0]["type"], "A");
    assert_eq!(stats["streams"], 1);
    assert_eq!(
        json(&rewind(&[
            "state",
            &log,
            "--at",
            "0",
            "--stream-key",
            "entity"
        ])),
        serde_json::json!({"e-1": {"n": 1}})
    );
}

#[test]
fn diff_at_minus_one_is_an_empty_patch_like_the_state_before_the_first_event() {
    let out = rewind(&["diff", &fixture("orders.ndjson"), "--at", "-1"]);
    assert_eq!(json(&out), serde_json::json!([]));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("before the first event"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn history_of_a_path_no_event_changed_says_why_on_stderr() {
    let out = rewind(&[
        "history",
        &fixture("orders.ndjson"),
        "--pointer",
        "/no-such-stream/total",
    ]);
    assert!(out.status.success());
    assert!(out.stdout.is_empty());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("never exists"), "{stderr}");
}

#[test]
fn a_forced_format_that_does_not_fit_names_what_the_file_looks_like() {
    let out = rewind(&[
        "stats",
        &fixture("wrapped.json"),
        "--format",
        "redux-actions",
    ]);
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("looks like wrapped"), "{stderr}");
}
