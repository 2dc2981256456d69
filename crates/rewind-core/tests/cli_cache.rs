//! The index cache: the first command on a large log saves its index, the next ones read
//! it and answer the same; a changed log is indexed again; `--no-cache` leaves no trace.

mod common;

use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// Runs `rewind ARGS...` with the cache in `cache`.
fn rewind_cached(cache: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_rewind"))
        .args(args)
        .env("REWIND_CACHE_DIR", cache)
        .output()
        .expect("run rewind")
}

/// The saved indexes in `cache`, with their inode numbers (an index saved again is a new
/// file renamed over the old one).
fn entries(cache: &Path) -> Vec<(PathBuf, u64)> {
    let Ok(dir) = std::fs::read_dir(cache) else {
        return Vec::new();
    };
    let mut out: Vec<_> = dir
        .map(|e| {
            let e = e.expect("entry");
            (e.path(), e.metadata().expect("meta").ino())
        })
        .collect();
    out.sort();
    out
}

/// A generated log of 90,000 events (about 21 MB, over the size whose index is kept).
fn large_log(tag: &str) -> (PathBuf, PathBuf) {
    let dir = std::env::temp_dir().join(format!("rewind-cache-{tag}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("temp dir");
    let log = dir.join("big.ndjson");
    let out = common::rewind(&["generate", "--events", "90000", "--seed", "5"]);
    assert!(out.status.success());
    std::fs::write(&log, &out.stdout).expect("write log");
    (log, dir.join("cache"))
}

const QUESTIONS: &[&[&str]] = &[
    &["state", "--at", "89999", "--pointer", "/customer-000003"],
    &["state", "--at", "1234"],
    &["diff", "--at", "77777"],
    &["history", "--pointer", "/order-0000042"],
    &["stats"],
];

fn ask(cache: &Path, log: &Path, question: &[&str], extra: &[&str]) -> String {
    let mut args: Vec<&str> = vec![question[0], log.to_str().expect("path")];
    args.extend_from_slice(&question[1..]);
    args.extend_from_slice(extra);
    let out = rewind_cached(cache, &args);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("utf-8")
}

#[test]
fn the_second_command_reads_the_saved_index_and_answers_the_same() {
    let (log, cache) = large_log("same");
    let first = ask(&cache, &log, QUESTIONS[0], &[]);
    let saved = entries(&cache);
    assert_eq!(saved.len(), 1, "one index saved");
    for q in QUESTIONS {
        let fresh = ask(&cache, &log, q, &["--no-cache"]);
        assert_eq!(ask(&cache, &log, q, &[]), fresh, "{q:?}");
    }
    assert_eq!(ask(&cache, &log, QUESTIONS[0], &[]), first);
    // Read, never written again.
    assert_eq!(entries(&cache), saved);
}

#[test]
fn a_changed_log_is_indexed_again() {
    let (log, cache) = large_log("changed");
    ask(&cache, &log, QUESTIONS[0], &[]);
    let before = entries(&cache);
    // The same size and first and last bytes would not do: append an event for the
    // customer asked about.
    let mut text = std::fs::read_to_string(&log).expect("read log");
    text.push_str(
        "{\"type\":\"CustomerMoved\",\"stream\":\"customer-000003\",\"data\":{\"city\":\"Nowhere\"}}\n",
    );
    std::fs::write(&log, &text).expect("write log");
    let state = ask(
        &cache,
        &log,
        &[
            "state",
            "--at",
            "90000",
            "--pointer",
            "/customer-000003/city",
        ],
        &[],
    );
    assert_eq!(state.trim(), "\"Nowhere\"");
    let after = entries(&cache);
    assert_eq!(after.len(), 1);
    assert_ne!(after, before, "the entry was replaced");
}

#[test]
fn no_cache_leaves_nothing_and_small_logs_are_not_kept() {
    let (log, cache) = large_log("none");
    ask(&cache, &log, &["stats"], &["--no-cache"]);
    assert!(entries(&cache).is_empty());
    let small = common::fixture("logs/orders.ndjson");
    let out = rewind_cached(&cache, &["stats", &small]);
    assert!(out.status.success());
    assert!(entries(&cache).is_empty());
}
