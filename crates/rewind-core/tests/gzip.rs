//! Gzip-compressed logs open as if they were not compressed, in the core and in the CLI;
//! a cut-short file keeps the events before the cut and says so, naming gzip.

use std::io::Write;
use std::process::{Command, Output};

use flate2::write::GzEncoder;
use flate2::Compression;
use rewind_core::gzip::{decompress, is_gzip, GzipError};
use rewind_core::{open, LoadOptions, Replay};

const LOGS: [&str; 10] = [
    "bad-lines.ndjson",
    "cloudevent-single.json",
    "cloudevents-batch.json",
    "orders.ndjson",
    "patch.json",
    "recorded.ndjson",
    "redux-actions.json",
    "redux-lifted.json",
    "untyped.ndjson",
    "wrapped.json",
];

fn fixture(name: &str) -> String {
    format!("{}/tests/fixtures/logs/{name}", env!("CARGO_MANIFEST_DIR"))
}

fn gzip(text: &[u8]) -> Vec<u8> {
    let mut e = GzEncoder::new(Vec::new(), Compression::default());
    e.write_all(text).expect("compress");
    e.finish().expect("compress")
}

fn every_state(replay: &Replay) -> Vec<serde_json::Value> {
    (-1..replay.len() as isize)
        .map(|p| replay.state_at(p).to_json())
        .collect()
}

#[test]
fn a_gzipped_fixture_gives_the_same_log_as_the_plain_one() {
    for name in LOGS {
        let plain = std::fs::read(fixture(name)).expect("fixture");
        let compressed = gzip(&plain);
        assert!(is_gzip(&compressed) && !is_gzip(&plain), "{name}");
        let (text, damage) = decompress(&compressed);
        assert_eq!(damage, None, "{name}");
        let a = open(plain, &LoadOptions::default()).expect(name);
        let b = open(text, &LoadOptions::default()).expect(name);
        assert_eq!(a.log.format, b.log.format, "{name}");
        assert_eq!(a.log.mode, b.log.mode, "{name}");
        assert_eq!(a.log.bad_lines, b.log.bad_lines, "{name}");
        assert_eq!(every_state(&a), every_state(&b), "{name}");
    }
}

/// A log long enough that a cut in its compressed middle leaves many whole events.
fn long_log() -> String {
    let mut text = String::new();
    rewind_core::generate::ecommerce_ndjson(3000, 7, &mut text);
    text
}

#[test]
fn a_cut_short_gzip_keeps_the_events_before_the_cut() {
    let text = long_log();
    let whole = open(text.as_bytes(), &LoadOptions::default()).expect("loads");
    let compressed = gzip(text.as_bytes());
    let (cut_text, damage) = decompress(&compressed[..compressed.len() * 2 / 3]);
    assert!(matches!(damage, Some(GzipError::Truncated { text }) if text == cut_text.len()));
    let cut = open(cut_text, &LoadOptions::default()).expect("the part read loads");
    assert!(cut.len() > whole.len() / 3 && cut.len() < whole.len());
    // Every event before the cut is the one in the whole log: same states.
    let last = cut.len() as isize - 2;
    assert_eq!(cut.state_at(last), whole.state_at(last));
}

fn rewind(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_rewind"))
        .args(args)
        .output()
        .expect("run rewind")
}

#[test]
fn the_cli_reads_gzip_and_warns_of_a_cut() {
    let dir = std::env::temp_dir().join(format!("rewind-gzip-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let text = long_log();
    let compressed = gzip(text.as_bytes());
    let whole = dir.join("log.ndjson.gz");
    std::fs::write(&whole, &compressed).expect("write");
    let cut = dir.join("cut.ndjson.gz");
    std::fs::write(&cut, &compressed[..compressed.len() / 2]).expect("write");
    let plain = dir.join("log.ndjson");
    std::fs::write(&plain, &text).expect("write");
    let path = |p: &std::path::Path| p.to_string_lossy().to_string();

    for at in ["0", "1500", "2999"] {
        let a = rewind(&["state", &path(&plain), "--at", at]);
        let b = rewind(&["state", &path(&whole), "--at", at]);
        assert!(b.status.success(), "{}", String::from_utf8_lossy(&b.stderr));
        assert_eq!(a.stdout, b.stdout, "state at {at}");
        assert!(b.stderr.is_empty());
    }

    let stats = rewind(&["stats", &path(&cut)]);
    assert!(stats.status.success());
    let stderr = String::from_utf8_lossy(&stats.stderr);
    assert!(
        stderr.starts_with("rewind: warning: ") && stderr.contains("gzip"),
        "{stderr}"
    );
    let stats: serde_json::Value = serde_json::from_slice(&stats.stdout).expect("JSON");
    let events = stats["events"].as_u64().unwrap_or(0);
    assert!(
        events > 500 && events < 3000,
        "{events} events before the cut"
    );
    let _ = std::fs::remove_dir_all(&dir);
}
