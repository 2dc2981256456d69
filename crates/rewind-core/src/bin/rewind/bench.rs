//! `rewind bench`: load, seek and diff timings and peak memory, measured on a real log.

use std::time::Instant;

use rewind_core::{open, LoadOptions};
use serde::Serialize;

/// What `rewind bench` prints (SPEC §5 keys, plus context).
#[derive(Serialize)]
pub struct Report {
    events: usize,
    bytes: usize,
    streams: usize,
    snapshot_interval: usize,
    snapshots: usize,
    load_ms: f64,
    seeks: usize,
    seek_p50_ms: f64,
    seek_p99_ms: f64,
    seek_max_ms: f64,
    diff_p50_ms: f64,
    diff_p99_ms: f64,
    step_p99_ms: f64,
    peak_rss_mb: f64,
}

/// Deterministic positions spread over the log (SplitMix64), so runs compare.
fn positions(n: usize, len: usize) -> Vec<usize> {
    let mut s: u64 = 0x5EED;
    (0..n)
        .map(|_| {
            s = s.wrapping_add(0x9E37_79B9_7F4A_7C15);
            let mut z = s;
            z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
            z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
            ((z ^ (z >> 31)) % len.max(1) as u64) as usize
        })
        .collect()
}

fn percentile(sorted_ms: &[f64], p: f64) -> f64 {
    if sorted_ms.is_empty() {
        return 0.0;
    }
    let i = ((sorted_ms.len() - 1) as f64 * p).round() as usize;
    sorted_ms[i]
}

fn time_each(items: &[usize], mut f: impl FnMut(usize)) -> Vec<f64> {
    let mut out: Vec<f64> = items
        .iter()
        .map(|&p| {
            let t = Instant::now();
            f(p);
            t.elapsed().as_secs_f64() * 1000.0
        })
        .collect();
    out.sort_by(f64::total_cmp);
    out
}

/// Peak resident memory of this process in MB (Linux `VmHWM`), 0 where unknown.
fn peak_rss_mb() -> f64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines().find(|l| l.starts_with("VmHWM:")).and_then(|l| {
                l.split_whitespace()
                    .nth(1)
                    .and_then(|kb| kb.parse::<f64>().ok())
            })
        })
        .map_or(0.0, |kb| kb / 1024.0)
}

/// Loads `bytes` (timed as a whole: parse, fold, snapshots), then times random seeks,
/// diffs of single events and single steps.
pub fn run(
    bytes: Vec<u8>,
    options: &LoadOptions,
    seeks: usize,
    interval: Option<usize>,
) -> Result<Report, String> {
    let options = LoadOptions {
        snapshot_interval: interval.or(options.snapshot_interval),
        ..options.clone()
    };
    let size = bytes.len();
    let t = Instant::now();
    let replay = open(bytes, &options).map_err(|e| e.to_string())?;
    let load_ms = t.elapsed().as_secs_f64() * 1000.0;
    let len = replay.len();
    let ps = positions(seeks, len);

    // Random seek: a fresh cursor each time (no help from the previous state).
    let seek = time_each(&ps, |p| {
        let mut c = replay.cursor();
        replay.seek(&mut c, p as isize);
        std::hint::black_box(c.state());
    });
    // Diff of one event at a random position.
    let diff = time_each(&ps, |p| {
        std::hint::black_box(replay.event_diff(p));
    });
    // Stepping forward by one from a computed state (what ← / → do).
    let mut cursor = replay.cursor();
    let step = time_each(&ps, |p| {
        replay.seek(&mut cursor, p as isize);
        replay.seek(&mut cursor, p as isize + 1);
    });
    Ok(Report {
        events: len,
        bytes: size,
        streams: replay.log.streams.len(),
        snapshot_interval: replay.timeline.interval(),
        snapshots: replay.timeline.snapshot_count(),
        load_ms,
        seeks,
        seek_p50_ms: percentile(&seek, 0.5),
        seek_p99_ms: percentile(&seek, 0.99),
        seek_max_ms: seek.last().copied().unwrap_or(0.0),
        diff_p50_ms: percentile(&diff, 0.5),
        diff_p99_ms: percentile(&diff, 0.99),
        step_p99_ms: percentile(&step, 0.99),
        peak_rss_mb: peak_rss_mb(),
    })
}
