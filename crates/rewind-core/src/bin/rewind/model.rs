//! `--model M`: the read model of a file, folded over a loaded log, with a watchdog that
//! stops a handler running longer than `--handler-timeout`.

use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use clap::Args;
use rewind_core::model::{ModelTimeline, ReadModel, SNAPSHOT_BUDGET};
use rewind_core::{Replay, Timeline};

/// The read-model flags of `state`, `diff`, `history` and `bench`.
#[derive(Args, Clone)]
pub struct ModelArgs {
    /// Ask this read model (a JSON file with jq handlers, SPEC §7) instead of the log's fold.
    #[arg(long)]
    pub model: Option<String>,
    #[command(flatten)]
    pub timeout: TimeoutArgs,
}

/// How long one handler may run.
#[derive(Args, Clone)]
pub struct TimeoutArgs {
    /// Seconds one handler may run on one event before the command stops.
    #[arg(long, default_value_t = 10.0)]
    pub handler_timeout: f64,
}

/// Reads and compiles the read model in the file `path`.
pub fn read(path: &str) -> Result<Arc<ReadModel>, String> {
    let source = std::fs::read_to_string(path).map_err(|e| format!("cannot read {path}: {e}"))?;
    ReadModel::parse(&source)
        .map(Arc::new)
        .map_err(|e| format!("{path}: {e}"))
}

/// Watches a fold: if the event being folded does not change for `timeout`, says which
/// handler ran too long on which event, and ends the process (a jq program cannot be
/// interrupted from outside).
pub struct Watchdog {
    position: Arc<AtomicUsize>,
    done: Arc<AtomicBool>,
}

impl Watchdog {
    /// Starts watching; `describe(position)` names the handler and event for the message.
    pub fn start(
        timeout: f64,
        path: String,
        describe: impl Fn(usize) -> String + Send + 'static,
    ) -> Watchdog {
        let position = Arc::new(AtomicUsize::new(usize::MAX));
        let done = Arc::new(AtomicBool::new(false));
        let (p, d) = (position.clone(), done.clone());
        let limit = Duration::from_secs_f64(timeout.max(0.001));
        std::thread::spawn(move || {
            let mut seen = (usize::MAX, Instant::now());
            while !d.load(Ordering::Relaxed) {
                std::thread::sleep(Duration::from_millis(20).min(limit));
                let now = p.load(Ordering::Relaxed);
                if now != seen.0 {
                    seen = (now, Instant::now());
                } else if now != usize::MAX
                    && seen.1.elapsed() >= limit
                    && !d.load(Ordering::Relaxed)
                {
                    eprintln!(
                        "rewind: {path}: {} ran longer than {timeout} s and was stopped (an endless loop or recursion?); raise --handler-timeout if it is only slow",
                        describe(now)
                    );
                    std::process::exit(3);
                }
            }
        });
        Watchdog { position, done }
    }

    /// Notes that the event at `position` is being folded.
    pub fn at(&self, position: usize) {
        self.position.store(position, Ordering::Relaxed);
    }
}

impl Drop for Watchdog {
    fn drop(&mut self) {
        self.done.store(true, Ordering::Relaxed);
    }
}

/// Folds `model` over `replay`'s log under a watchdog.
pub fn fold(replay: &Replay, model: Arc<ReadModel>, path: &str, timeout: f64) -> ModelTimeline {
    let log = &replay.log;
    // The watchdog's thread names the event from copies of the types (the log stays here).
    let kinds: Vec<String> = log.types.iter().map(|t| t.to_string()).collect();
    let events: Vec<u32> = log.events.iter().map(|e| e.kind).collect();
    let described = model.clone();
    let dog = Watchdog::start(timeout, path.to_string(), move |p| {
        let kind = events
            .get(p)
            .and_then(|&k| kinds.get(k as usize))
            .map_or("(untyped)", String::as_str);
        let handler = described
            .handler_for(kind)
            .and_then(|h| described.handlers.get(h))
            .map_or("the partition", |h| h.key.as_str());
        format!("handler {handler:?} on event {p} ({kind})")
    });
    let mut t = ModelTimeline::new(model, SNAPSHOT_BUDGET);
    t.fold(log, log.len(), &mut |p| dog.at(p));
    t
}

/// `replay` answered through the read model in `args`, if one is given.
pub fn apply(replay: Replay, args: &ModelArgs) -> Result<Replay, String> {
    let Some(path) = &args.model else {
        return Ok(replay);
    };
    let model = read(path)?;
    let timeline = fold(&replay, model, path, args.timeout.handler_timeout);
    Ok(Replay {
        log: replay.log,
        timeline: Timeline::from(timeline),
    })
}
