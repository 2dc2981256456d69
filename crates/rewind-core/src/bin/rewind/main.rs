//! `rewind`: the replay core on the command line. JSON on stdout, errors on
//! stderr with a non-zero exit code.

mod bench;
mod cache;
mod flow;
mod model;
mod steps;
mod whatif;

/// Loading allocates and frees millions of small values; mimalloc does that markedly
/// faster than the system allocator (see BENCHMARKS.md). The browser build is unaffected.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

use std::io::{IsTerminal, Read, Write};
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand};
use model::ModelArgs;
use rewind_core::{
    json_patch, open, Format, LoadOptions, Mode, Pointer, Replay, Text, TimelineKind,
};

/// Time-travel debugger for event logs: state, diffs and history from the command line.
#[derive(Parser)]
#[command(name = "rewind", version, about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Format, mode, events, streams, types, time range and bad lines.
    Stats(LogArgs),
    /// JSON state at position P (-1 = before the first event).
    State {
        #[command(flatten)]
        log: LogArgs,
        /// Position, 0-based; -1 is before the first event.
        #[arg(long, allow_hyphen_values = true)]
        at: isize,
        /// Print only the value at this JSON Pointer.
        #[arg(long)]
        pointer: Option<String>,
        #[command(flatten)]
        model: ModelArgs,
    },
    /// RFC 6902 patch of event P, or from state A to state B.
    Diff {
        #[command(flatten)]
        log: LogArgs,
        /// The event whose changes to print (-1, before the first event, changes nothing).
        #[arg(long, allow_hyphen_values = true, conflicts_with_all = ["from", "to"])]
        at: Option<isize>,
        /// Start position (with --to).
        #[arg(long, allow_hyphen_values = true, requires = "to")]
        from: Option<isize>,
        /// End position (with --from).
        #[arg(long, allow_hyphen_values = true, requires = "from")]
        to: Option<isize>,
        #[command(flatten)]
        model: ModelArgs,
    },
    /// One JSON line per event that changed the value at PTR or below it.
    History {
        #[command(flatten)]
        log: LogArgs,
        /// JSON Pointer of the field, e.g. /order-17/status.
        #[arg(long)]
        pointer: String,
        #[command(flatten)]
        model: ModelArgs,
    },
    /// One JSON line per event from A to B: a read model before and after it, its
    /// handler, error and debug output.
    Steps {
        #[command(flatten)]
        log: LogArgs,
        /// The read model (a JSON file with jq handlers).
        #[arg(long)]
        model: String,
        /// First position.
        #[arg(long, default_value_t = 0)]
        from: usize,
        /// Last position (default: the last event).
        #[arg(long)]
        to: Option<usize>,
        #[command(flatten)]
        timeout: model::TimeoutArgs,
    },
    /// Load, seek and diff timings and peak memory, as JSON.
    Bench {
        #[command(flatten)]
        log: LogArgs,
        /// Number of random seeks and diffs to time.
        #[arg(long, default_value_t = 10_000)]
        seeks: usize,
        /// Events between whole-state snapshots (snapshot timeline).
        #[arg(long)]
        interval: Option<usize>,
        /// Events of one stream between its checkpoints (column timeline).
        #[arg(long)]
        checkpoint: Option<usize>,
        /// Timeline to build: auto (columns for the merge fold) or snapshots.
        #[arg(long, default_value = "auto")]
        timeline: String,
        /// Load as the browser does: index the events, fold each stream on first read.
        /// `ready_ms` is then the time until the log can be scrubbed, and `load_ms` adds
        /// folding every stream.
        #[arg(long)]
        lazy: bool,
        #[command(flatten)]
        model: ModelArgs,
    },
    /// What edits (skip or replace events, SPEC §8) change at position P: the patch from
    /// the original state to the edited one, and the first position where they differ.
    Whatif {
        #[command(flatten)]
        log: LogArgs,
        /// Position, 0-based; -1 is before the first event.
        #[arg(long, allow_hyphen_values = true)]
        at: isize,
        #[command(flatten)]
        model: ModelArgs,
    },
    /// Write a deterministic e-commerce NDJSON log (for benchmarks and demos).
    Generate {
        /// Number of events.
        #[arg(long, default_value_t = 1_000_000)]
        events: usize,
        /// Random seed.
        #[arg(long, default_value_t = 42)]
        seed: u64,
        /// Link each order's events in a flow across streams ($correlationId, $causationId).
        #[arg(long)]
        flows: bool,
    },
    /// The event's cause, the events it caused and the events of its flow, as JSON.
    Flow {
        #[command(flatten)]
        log: LogArgs,
        /// Position of the event, 0-based.
        #[arg(long, allow_hyphen_values = true)]
        at: isize,
    },
}

#[derive(Args)]
pub(crate) struct LogArgs {
    /// The event log file, or - for standard input.
    log: String,
    /// Input format (json-array, ndjson, wrapped, cloud-events, redux-actions, redux-lifted).
    #[arg(long)]
    format: Option<String>,
    /// Fold mode (merge, patch, recorded).
    #[arg(long)]
    mode: Option<String>,
    /// Key of the event type (instead of type, eventType, ...).
    #[arg(long)]
    type_key: Option<String>,
    /// Key of the stream (instead of stream, streamId, aggregateId, ...).
    #[arg(long)]
    stream_key: Option<String>,
    /// Key of the event time (instead of time, timestamp, ...).
    #[arg(long)]
    time_key: Option<String>,
    /// Key of the payload (instead of data, payload, body, ...).
    #[arg(long)]
    data_key: Option<String>,
    /// Ask the log as edited by this edits file (a JSON array of skip, replace and
    /// skip-caused edits, SPEC §8).
    #[arg(long)]
    edits: Option<String>,
    /// Neither use nor save the index of the log kept in the cache directory (a log of
    /// 16 MB or more is indexed once, and later commands read its saved index).
    #[arg(long)]
    no_cache: bool,
    #[command(flatten)]
    flow: flow::FlowArgs,
}

impl LogArgs {
    fn options(&self) -> Result<LoadOptions, String> {
        let format = match &self.format {
            Some(f) => Some(Format::from_name(f).ok_or_else(|| {
                let names: Vec<_> = Format::ALL.iter().map(|f| f.name()).collect();
                format!("unknown format {f:?}; use one of {}", names.join(", "))
            })?),
            None => None,
        };
        let mode = match &self.mode {
            Some(m) => Some(
                Mode::from_name(m)
                    .ok_or_else(|| format!("unknown mode {m:?}; use merge, patch or recorded"))?,
            ),
            None => None,
        };
        let fields = rewind_core::fields::FieldOverrides {
            kind: self.type_key.clone(),
            stream: self.stream_key.clone(),
            time: self.time_key.clone(),
            data: self.data_key.clone(),
        };
        // Index the events and fold each stream when first read: a question about one
        // stream (`state --pointer`, `history`, a diff) folds only that stream, and the
        // whole state folds every stream once. The same states either way (a property
        // test checks it).
        Ok(LoadOptions {
            format,
            mode,
            fields,
            lazy: true,
            ..LoadOptions::default()
        })
    }

    /// The log's text. A file is mapped, not read: the operating system brings in its
    /// pages as the events are read, so a log larger than memory can be opened. A
    /// gzip-compressed log is decompressed; if it is damaged or cut short, a warning says
    /// so on stderr and the text before the damage is used.
    fn read(&self) -> Result<Text, String> {
        let bytes = if self.log == "-" {
            let mut buf = Vec::new();
            std::io::stdin()
                .read_to_end(&mut buf)
                .map_err(|e| format!("cannot read standard input: {e}"))?;
            Text::from(buf)
        } else {
            map_file(&self.log)?
        };
        if !rewind_core::gzip::is_gzip(&bytes) {
            return Ok(bytes);
        }
        let (text, damage) = rewind_core::gzip::decompress(&bytes);
        if let Some(e) = damage {
            eprintln!("rewind: warning: {}: {e}", self.log);
        }
        Ok(Text::from(text))
    }

    /// The log as loaded, with the edits of `--edits` applied when given.
    fn open(&self) -> Result<Replay, String> {
        let replay = self.open_original()?;
        match &self.edits {
            Some(path) => whatif::apply(&replay, path, &self.flow),
            None => Ok(replay),
        }
    }

    /// The log as loaded, without its edits. A large log loaded while a person watches
    /// (standard error is a terminal) shows a progress bar there.
    fn open_original(&self) -> Result<Replay, String> {
        let options = self.options()?;
        let bytes = self.read()?;
        let cached = match self.no_cache {
            true => None,
            false => cache::Entry::find(&self.log, &bytes, &options),
        };
        if let Some(replay) = cached.as_ref().and_then(|c| c.read(&bytes)) {
            return Ok(replay);
        }
        let loaded = match progress_bar(bytes.len()) {
            Some(bar) => {
                let loaded = rewind_core::open_with_progress(bytes, &options, &mut |done, all| {
                    bar.set_length(all as u64);
                    bar.set_position(done as u64);
                });
                bar.finish_and_clear();
                loaded
            }
            None => open(bytes, &options),
        };
        let replay = loaded.map_err(|e| format!("{}: {e}", self.log))?;
        if let Some(entry) = cached {
            let saved = entry.write(&replay);
            // Say where the disk space went, to a person at a terminal (never in a pipe).
            if let (Some(bytes), true) = (saved, std::io::stderr().is_terminal()) {
                eprintln!(
                    "rewind: saved the index of {} ({:.0} MB) in {}; later commands on it start at once (--no-cache: neither read nor save it)",
                    self.log,
                    bytes as f64 / 1e6,
                    entry.file().display()
                );
            }
        }
        Ok(replay)
    }
}

/// The bytes of the file at `path`, mapped into memory when it is a non-empty regular file
/// (read otherwise: a pipe, an empty file). A log and a saved index are both read so.
fn map_file(path: impl AsRef<std::path::Path>) -> Result<Text, String> {
    let path = path.as_ref();
    let cannot = |e: std::io::Error| format!("cannot read {}: {e}", path.display());
    let file = std::fs::File::open(path).map_err(cannot)?;
    let meta = file.metadata().map_err(cannot)?;
    if !meta.is_file() || meta.len() == 0 {
        return std::fs::read(path).map(Text::from).map_err(cannot);
    }
    // SAFETY: the map is read-only and private to this process. If another process
    // shrinks the file while it is mapped, reading a page past its new end faults (as
    // with every tool that maps its input); a log being appended to is read as it was.
    #[allow(unsafe_code)]
    let map = unsafe { memmap2::Mmap::map(&file) }.map_err(cannot)?;
    Ok(Text::shared(map))
}

/// Logs at least this large get a progress bar while they load.
const PROGRESS_BYTES: usize = 64 << 20;

/// A progress bar of events read, on standard error, for a log of `bytes` bytes: only for
/// large logs, and only when standard error is a terminal (never in a pipe or a file).
fn progress_bar(bytes: usize) -> Option<indicatif::ProgressBar> {
    if bytes < PROGRESS_BYTES || !std::io::stderr().is_terminal() {
        return None;
    }
    let bar = indicatif::ProgressBar::new(0);
    if let Ok(style) = indicatif::ProgressStyle::with_template(
        "reading {bar:40} {human_pos}/{human_len} events, {eta} left",
    ) {
        bar.set_style(style);
    }
    Some(bar)
}

pub(crate) fn check_position(replay: &Replay, p: isize) -> Result<(), String> {
    let last = replay.len() as isize - 1;
    if p < -1 || p > last {
        return Err(format!("position {p} is outside the log: use -1 to {last}"));
    }
    Ok(())
}

fn print_json(out: &mut impl Write, v: &impl serde::Serialize, pretty: bool) -> Result<(), String> {
    let text = if pretty {
        serde_json::to_string_pretty(v)
    } else {
        serde_json::to_string(v)
    }
    .map_err(|e| format!("cannot print JSON: {e}"))?;
    writeln!(out, "{text}").map_err(|e| format!("cannot write output: {e}"))
}

/// `rewind diff`: the patch of event `at`, or from state `from` to state `to`.
fn diff(
    out: &mut impl Write,
    log: &LogArgs,
    at: Option<isize>,
    from: Option<isize>,
    to: Option<isize>,
    model: &ModelArgs,
) -> Result<(), String> {
    let replay = model::apply(log.open()?, model)?;
    let changes = match (at, from, to) {
        (Some(p), _, _) => {
            check_position(&replay, p)?;
            match usize::try_from(p) {
                Ok(p) => replay.event_diff(p),
                Err(_) => {
                    eprintln!(
                        "rewind: position -1 is before the first event: nothing changed there"
                    );
                    Vec::new()
                }
            }
        }
        (None, Some(a), Some(b)) => {
            check_position(&replay, a)?;
            check_position(&replay, b)?;
            replay.diff_between(a, b)
        }
        _ => return Err("give --at P, or --from A --to B".into()),
    };
    print_json(out, &json_patch(&changes), true)
}

/// `rewind history`: one JSON line per event that changed `pointer`; when none did, why,
/// on standard error.
fn history(
    out: &mut impl Write,
    log: &LogArgs,
    pointer: &str,
    model: &ModelArgs,
) -> Result<(), String> {
    let ptr = Pointer::parse(pointer).map_err(|e| e.to_string())?;
    let replay = model::apply(log.open()?, model)?;
    let history = replay.history(&ptr);
    if history.is_empty() {
        // Nothing on standard output, and why on standard error.
        let initially = ptr.get(&replay.state_at(-1)).is_some();
        eprintln!(
            "rewind: no event changed {pointer}: {}",
            if initially {
                "it keeps its initial value throughout the log"
            } else {
                "it never exists in this log"
            }
        );
    }
    for entry in history {
        print_json(out, &entry, false)?;
    }
    Ok(())
}

fn run(cli: Cli) -> Result<(), String> {
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    match cli.command {
        Command::Stats(log) => print_json(&mut out, &log.open()?.stats(), true)?,
        Command::State {
            log,
            at,
            pointer,
            model,
        } => {
            let replay = model::apply(log.open()?, &model)?;
            check_position(&replay, at)?;
            match pointer {
                // Only what the pointer goes through is read (one stream of a merge fold).
                Some(p) => {
                    let ptr = Pointer::parse(&p).map_err(|e| e.to_string())?;
                    let v = replay
                        .get(at, &ptr)
                        .ok_or_else(|| format!("{p} does not exist at position {at}"))?;
                    print_json(&mut out, &v, true)?
                }
                None => print_json(&mut out, &replay.state_at(at), true)?,
            }
        }
        Command::Diff {
            log,
            at,
            from,
            to,
            model,
        } => diff(&mut out, &log, at, from, to, &model)?,
        Command::History {
            log,
            pointer,
            model,
        } => history(&mut out, &log, &pointer, &model)?,
        Command::Steps {
            log,
            model,
            from,
            to,
            timeout,
        } => {
            let replay = log.open()?;
            let m = model::read(&model)?;
            let timeline = model::fold(&replay, m, &model, timeout.handler_timeout);
            steps::print(&mut out, &replay.log, &timeline, from, to)?
        }
        Command::Bench {
            log,
            seeks,
            interval,
            checkpoint,
            timeline,
            lazy,
            model,
        } => {
            let timeline = match timeline.as_str() {
                "auto" => TimelineKind::Auto,
                "snapshots" => TimelineKind::Snapshots,
                other => return Err(format!("unknown timeline {other:?}; use auto or snapshots")),
            };
            let options = LoadOptions {
                snapshot_interval: interval,
                checkpoint_interval: checkpoint,
                timeline,
                lazy,
                ..log.options()?
            };
            let report = bench::run(|| log.read(), &options, seeks, &model)?;
            print_json(&mut out, &report, true)?
        }
        Command::Whatif { log, at, model } => {
            let report = whatif::run(&log, at, &model)?;
            print_json(&mut out, &report, true)?
        }
        Command::Generate {
            events,
            seed,
            flows,
        } => {
            // Written as it is made: a log of any size, in little memory.
            let mut streamed = Streamed {
                out: &mut out,
                error: None,
            };
            match flows {
                true => rewind_core::generate::ecommerce_flows_ndjson(events, seed, &mut streamed),
                false => rewind_core::generate::ecommerce_ndjson(events, seed, &mut streamed),
            }
            if let Some(e) = streamed.error {
                return Err(format!("cannot write output: {e}"));
            }
        }
        Command::Flow { log, at } => flow::print(&mut out, &log, at, &log.flow)?,
    }
    out.flush().map_err(|e| format!("cannot write output: {e}"))
}

/// Text written to `out` as it comes, keeping the first error (`fmt::Write` has none).
struct Streamed<W: Write> {
    out: W,
    error: Option<std::io::Error>,
}

impl<W: Write> std::fmt::Write for Streamed<W> {
    fn write_str(&mut self, s: &str) -> std::fmt::Result {
        self.out.write_all(s.as_bytes()).map_err(|e| {
            self.error = Some(e);
            std::fmt::Error
        })
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("rewind: {e}");
            ExitCode::FAILURE
        }
    }
}
