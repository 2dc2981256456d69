//! `rewind bench`: load, seek and diff timings and peak memory, measured on a real log.

use std::time::Instant;

use rewind_core::{open, LoadOptions, Pointer};
use serde::Serialize;

/// What `rewind bench` prints: its timings, and what they were measured on.
#[derive(Serialize)]
pub struct Report {
    events: usize,
    bytes: usize,
    streams: usize,
    timeline: &'static str,
    snapshot_interval: usize,
    snapshots: usize,
    /// Until the log can be scrubbed: the same as `load_ms`, unless loaded lazily.
    ready_ms: f64,
    load_ms: f64,
    seeks: usize,
    seek_p50_ms: f64,
    seek_p99_ms: f64,
    seek_max_ms: f64,
    diff_p50_ms: f64,
    diff_p99_ms: f64,
    full_state_p50_ms: f64,
    /// What-if: skipping the event at a random position (the log edited and its timeline
    /// folded again where the skip reaches), then reading its stream there, as the page
    /// does when **Skip this event** is pressed.
    whatif_skip_p50_ms: f64,
    whatif_skip_max_ms: f64,
    /// Peak resident memory (`VmHWM`). The log is mapped, so its resident pages count
    /// here as the copy read into memory counted before the CLI mapped it.
    peak_rss_mb: f64,
    /// Private memory (`RssAnon`) when `peak_rss_mb` is read: what the index, the folds and
    /// the snapshots take, without the mapped file.
    rss_anon_mb: f64,
    /// Building the causes-and-flows index (SPEC §9), after the rest (not in `peak_rss_mb`).
    flow_index_ms: f64,
    /// One event's flow report, median over random positions.
    flow_report_ms: f64,
    flow_index_bytes: usize,
    /// The read model's figures, when `--model` is given.
    #[serde(skip_serializing_if = "Option::is_none")]
    model: Option<ModelReport>,
}

/// What `rewind bench --model` adds: the model's fold and its queries.
#[derive(Serialize)]
pub struct ModelReport {
    name: String,
    timeline: &'static str,
    handled: usize,
    failed: usize,
    snapshot_interval: usize,
    snapshots: usize,
    /// Folding the model over the whole log (the log already loaded).
    fold_ms: f64,
    /// Microseconds per event handled.
    fold_us_per_handled: f64,
    /// A partition's value (partitioned) or the whole state (global) at random positions.
    seek_p50_ms: f64,
    seek_p99_ms: f64,
    /// One step forward from the state at a random position, as playing does.
    step_p50_ms: f64,
    step_p99_ms: f64,
    /// The state one event back from a random position just read (← after a seek).
    back_p50_ms: f64,
    back_p99_ms: f64,
    /// The diff of the event at random positions, in the model.
    diff_p50_ms: f64,
    diff_p99_ms: f64,
    /// Resident memory the fold added (MB), and the snapshots' own estimate.
    rss_added_mb: f64,
    snapshot_estimate_mb: f64,
    /// What-if: skipping the event at a random position and folding the model again from
    /// there to the end (from the snapshot before it, for a global model).
    whatif_skip_p50_ms: f64,
    whatif_skip_max_ms: f64,
}

/// Deterministic positions spread over the log (SplitMix64), so runs compare.
fn positions(n: usize, len: usize) -> Vec<usize> {
    let mut rng = rewind_core::generate::Rng(0x5EED);
    (0..n).map(|_| rng.below(len as u64) as usize).collect()
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

/// A memory figure of this process in MB from Linux's `/proc/self/status` (`VmHWM`,
/// `VmRSS`, `RssAnon`), 0 where unknown.
fn status_mb(field: &str) -> f64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            let l = s
                .lines()
                .find(|l| l.strip_prefix(field).is_some_and(|r| r.starts_with(':')))?;
            l.split_whitespace().nth(1)?.parse::<f64>().ok()
        })
        .map_or(0.0, |kb| kb / 1024.0)
}

/// Peak resident memory of this process in MB (Linux `VmHWM`), 0 where unknown.
fn peak_rss_mb() -> f64 {
    status_mb("VmHWM")
}

/// Reads and loads the log (timed as a whole: read, parse, fold, snapshots), then times random seeks,
/// diffs of single events and whole-state reads.
pub fn run(
    read: impl FnOnce() -> Result<rewind_core::Text, String>,
    options: &LoadOptions,
    seeks: usize,
    model: &crate::model::ModelArgs,
) -> Result<Report, String> {
    let t = Instant::now();
    let bytes = read()?;
    let size = bytes.len();
    let replay = open(bytes, options).map_err(|e| e.to_string())?;
    let ready_ms = t.elapsed().as_secs_f64() * 1000.0;
    // A lazy load has not folded the streams yet: fold them all, so that `load_ms` means
    // the same whichever way the log was loaded, and seeks are timed on folded streams.
    replay.timeline.fold_all(&replay.log);
    let load_ms = t.elapsed().as_secs_f64() * 1000.0;
    let len = replay.len();
    let ps = positions(seeks, len);

    // Random seek: the state at a random position, as far as a screen needs it: the
    // stream the event there belongs to (the whole state for logs without streams).
    let pointers: Vec<Pointer> = ps
        .iter()
        .map(|&p| {
            replay
                .log
                .stream_name(p)
                .map_or_else(Pointer::root, |s| Pointer::root().child(s))
        })
        .collect();
    let mut k = 0;
    let seek = time_each(&ps, |p| {
        std::hint::black_box(replay.get(p as isize, &pointers[k]));
        k += 1;
    });
    // Diff of one event at a random position.
    let diff = time_each(&ps, |p| {
        std::hint::black_box(replay.event_diff(p));
    });
    // The whole state at a random position (what `rewind state` prints), on fewer samples.
    let full = time_each(&ps[..ps.len().min(20)], |p| {
        std::hint::black_box(replay.state_at(p as isize));
    });
    let model = match &model.model {
        Some(path) => Some(bench_model(
            &replay,
            path,
            model.timeout.handler_timeout,
            &ps,
        )?),
        None => None,
    };
    let peak_rss_mb = peak_rss_mb();
    let rss_anon_mb = status_mb("RssAnon");
    let model = model.map(|(mut report, modelled)| {
        whatif_model(&mut report, &modelled, &ps);
        report
    });
    // Timed after the peak is read, so that `peak_rss_mb` means what it meant before.
    let whatif = time_each(&ps[..ps.len().min(20)], |p| {
        std::hint::black_box(skip_and_read(&replay, p, &pointers[0]));
    });
    let t = Instant::now();
    let flows = rewind_core::FlowIndex::build(&replay.log, &rewind_core::FlowKeys::default());
    let flow_index_ms = t.elapsed().as_secs_f64() * 1000.0;
    let reports = time_each(&ps[..ps.len().min(200)], |p| {
        std::hint::black_box(flows.report(&replay.log, p));
    });
    Ok(Report {
        model,
        events: len,
        bytes: size,
        streams: replay.log.streams.len(),
        timeline: replay.timeline.kind_name(),
        snapshot_interval: replay.timeline.interval(),
        snapshots: replay.timeline.snapshot_count(),
        ready_ms,
        load_ms,
        seeks,
        seek_p50_ms: percentile(&seek, 0.5),
        seek_p99_ms: percentile(&seek, 0.99),
        seek_max_ms: seek.last().copied().unwrap_or(0.0),
        diff_p50_ms: percentile(&diff, 0.5),
        diff_p99_ms: percentile(&diff, 0.99),
        full_state_p50_ms: percentile(&full, 0.5),
        whatif_skip_p50_ms: percentile(&whatif, 0.5),
        whatif_skip_max_ms: whatif.last().copied().unwrap_or(0.0),
        peak_rss_mb,
        rss_anon_mb,
        flow_index_ms,
        flow_report_ms: percentile(&reports, 0.5),
        flow_index_bytes: flows.bytes(),
    })
}

/// Skips the event at `p` and reads the edited state there at `pointer` (the stream of the
/// event, or the whole state without streams).
fn skip_and_read(
    replay: &rewind_core::Replay,
    p: usize,
    pointer: &Pointer,
) -> Option<rewind_core::Value> {
    let edits = rewind_core::whatif::Edits(vec![rewind_core::whatif::Edit::Skip { at: p }]);
    let edited = replay.with_edits(&edits, &|_| Vec::new()).ok()?;
    let pointer = replay
        .log
        .stream_name(p)
        .map_or_else(|| pointer.clone(), |s| Pointer::root().child(s));
    edited.get(p as isize, &pointer)
}

/// Resident memory of this process now in MB (Linux `VmRSS`), 0 where unknown.
fn rss_mb() -> f64 {
    status_mb("VmRSS")
}

/// Folds the read model in `path` over the loaded log and times its queries at `ps`.
fn bench_model(
    replay: &rewind_core::Replay,
    path: &str,
    timeout: f64,
    ps: &[usize],
) -> Result<(ModelReport, rewind_core::Replay), String> {
    use rewind_core::{Cursor, States};
    let m = crate::model::read(path)?;
    let before = rss_mb();
    let t = Instant::now();
    let model = crate::model::fold(replay, m, path, timeout);
    let fold_ms = t.elapsed().as_secs_f64() * 1000.0;
    let rss_added_mb = rss_mb() - before;
    let log = &replay.log;
    let partitioned = model.model().partition.is_some();
    // A partitioned model is read a partition at a time (the one its event at p went to,
    // or the nearest handled event's); a global one is read whole.
    let pointers: Vec<Pointer> = ps
        .iter()
        .map(|&p| {
            (p..log.len())
                .chain(0..p)
                .find_map(|q| model.partition_of(q))
                .map_or_else(Pointer::root, |k| Pointer::root().child(k))
        })
        .collect();
    let samples = if partitioned {
        ps
    } else {
        &ps[..ps.len().min(200)]
    };
    let mut k = 0;
    let seek = time_each(samples, |p| {
        if partitioned {
            std::hint::black_box(model.value_at(log, p as isize, &pointers[k]));
        } else {
            std::hint::black_box(model.state_at(log, p as isize));
        }
        k += 1;
    });
    // A step forward: a global model's cursor replays one event; a partitioned model is
    // read a partition at a time, so stepping is reading that partition one event later.
    let step = if partitioned {
        let mut k = 0;
        time_each(samples, |p| {
            std::hint::black_box(model.value_at(log, p as isize + 1, &pointers[k]));
            k += 1;
        })
    } else {
        let mut cursors: Vec<Cursor> = samples
            .iter()
            .map(|&p| {
                let mut c = Cursor::new();
                model.seek(log, &mut c, p as isize);
                c
            })
            .collect();
        let mut k = 0;
        time_each(samples, |p| {
            model.seek(log, &mut cursors[k], p as isize + 1);
            k += 1;
        })
    };
    let back = if partitioned {
        Vec::new()
    } else {
        let mut out: Vec<f64> = samples
            .iter()
            .map(|&p| {
                std::hint::black_box(model.state_at(log, p as isize));
                let t = Instant::now();
                std::hint::black_box(model.state_at(log, p as isize - 1));
                t.elapsed().as_secs_f64() * 1000.0
            })
            .collect();
        out.sort_by(f64::total_cmp);
        out
    };
    let diff = time_each(ps, |p| {
        std::hint::black_box(model.event_diff(log, p));
    });
    let report = ModelReport {
        // Timed later (see `whatif_model`), after the peak memory is read.
        whatif_skip_p50_ms: 0.0,
        whatif_skip_max_ms: 0.0,
        back_p50_ms: percentile(&back, 0.5),
        back_p99_ms: percentile(&back, 0.99),
        name: model.model().name.clone(),
        timeline: model.kind_name(),
        handled: model.handled(),
        failed: model.failed_positions().len(),
        snapshot_interval: model.interval(),
        snapshots: model.snapshot_count(),
        fold_ms,
        fold_us_per_handled: fold_ms * 1000.0 / model.handled().max(1) as f64,
        seek_p50_ms: percentile(&seek, 0.5),
        seek_p99_ms: percentile(&seek, 0.99),
        step_p50_ms: percentile(&step, 0.5),
        step_p99_ms: percentile(&step, 0.99),
        diff_p50_ms: percentile(&diff, 0.5),
        diff_p99_ms: percentile(&diff, 0.99),
        rss_added_mb,
        snapshot_estimate_mb: model.snapshot_bytes() as f64 / 1048576.0,
    };
    let modelled = rewind_core::Replay {
        log: replay.log.clone(),
        timeline: rewind_core::Timeline::from(model),
    };
    Ok((report, modelled))
}

/// Times skipping an event of the model's fold at a few of `ps`, folding the model again
/// from there, into `report`.
fn whatif_model(report: &mut ModelReport, modelled: &rewind_core::Replay, ps: &[usize]) {
    let whatif = time_each(&ps[..ps.len().min(5)], |p| {
        std::hint::black_box(skip_and_read(modelled, p, &Pointer::root()));
    });
    report.whatif_skip_p50_ms = percentile(&whatif, 0.5);
    report.whatif_skip_max_ms = whatif.last().copied().unwrap_or(0.0);
}
