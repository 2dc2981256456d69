//! The page's worker: it reads the log's file, folds it and answers the page's requests,
//! so that neither a million-event load nor a query ever runs on the page's thread. It
//! runs as a module of its own (`src/bin/rewind-worker.rs`). What it is asked to do with a
//! log is its [`Role`]: load it whole, load its start (the preview), index its tail for
//! the worker loading it (the helper), or keep its events for the read models
//! ([`models`]).

mod file_text;
mod gzip;
mod models;
mod read;
mod tail;

use std::cell::RefCell;
use std::rc::Rc;
use std::sync::Arc;

use rewind_core::gzip::is_gzip;
use rewind_core::log::Format;
use rewind_core::{open, open_with_progress, LoadOptions, NdjsonStream, Replay};
use rewind_session::FieldNames;
use rewind_session::{Reply, Session};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{Blob, DedicatedWorkerGlobalScope, MessageEvent};

use self::file_text::FileText;
use self::gzip::{gunzip_start, load_gzip};
use self::read::{finish_read, read, read_parts, start_read, FIRST_PART_BYTES};
use crate::protocol::{Ask, FromWorker, OpenLog, Progress, Role, ToWorker};
use crate::protocol::{CLI, MAX_FILE_BYTES, PREVIEW_BYTES};

/// Wasm memory past which an index-only load stops and says why, rather than be stopped by
/// the browser when the 4 GiB a tab's WebAssembly has run out (folding after the last
/// part needs room too).
const INDEX_MEMORY_LIMIT: u64 = 3 << 30;

/// Posts `message` to the page.
fn post(scope: &DedicatedWorkerGlobalScope, message: FromWorker) {
    if let Some(posted) = message.to_js() {
        let _ = scope.post_message_with_transfer(&posted.message, &posted.transfer);
    }
}

/// Tells the page how far the load is.
fn post_progress(scope: &DedicatedWorkerGlobalScope, progress: Progress) {
    post(scope, FromWorker::Progress(progress));
}

/// Says how far folding is, given events folded and the events in the log.
fn say_folding(scope: &DedicatedWorkerGlobalScope) -> impl FnMut(usize, usize) + '_ {
    move |done, total| {
        post_progress(
            scope,
            Progress::Folding {
                events_folded: done as u64,
                events: total as u64,
            },
        )
    }
}

/// Says how far reading NDJSON is.
fn post_streamed(scope: &DedicatedWorkerGlobalScope, stream: &NdjsonStream, size: u64) {
    post_progress(
        scope,
        Progress::Streaming {
            bytes_read: stream.bytes(),
            file_bytes: size,
            events_read: stream.events() as u64,
        },
    );
}

/// Bytes of memory this worker's wasm instance holds.
fn memory_bytes() -> Option<u64> {
    #[cfg(target_arch = "wasm32")]
    {
        Some(core::arch::wasm32::memory_size(0) as u64 * 65536)
    }
    #[cfg(not(target_arch = "wasm32"))]
    {
        None
    }
}

/// Loads the whole log, reporting progress, and keeps it for the requests that follow
/// (telling the page why not, if it cannot). NDJSON is folded part by part while the
/// browser reads the next part; a gzip log is decompressed as it is read; other formats
/// are read whole, then folded.
///
/// With `tail_from`, a helper indexes the lines after that byte meanwhile (see
/// [`tail::index_tail`]), and this worker appends the helper's index once it has read the
/// rest. An NDJSON log opened `index_only` keeps only its index, and reads its events back
/// from the file when asked.
async fn load(scope: &DedicatedWorkerGlobalScope, blob: &Blob, log: &OpenLog) -> Option<Session> {
    let size = blob.size();
    let options = load_options(&log.fields);
    let first = (FIRST_PART_BYTES as f64).min(size) as usize;
    let folded = match finish_read(start_read(blob, 0, first)).await {
        Err(e) => Err(e),
        Ok(head) => {
            let head = head.to_vec();
            let stream = (!is_gzip(&head))
                .then(|| start_ndjson(blob, &head, &options, log))
                .flatten();
            match stream {
                _ if is_gzip(&head) => load_gzip(scope, blob, head, &options).await,
                Some(stream) => load_ndjson(scope, blob, stream, log.tail_from.is_some())
                    .await
                    .map(|replay| (replay, None)),
                None if size > MAX_FILE_BYTES => Err(format!(
                    "it is {} MB and not NDJSON (one event a line), and this page reads logs \
                     of other formats whole, up to {} MB. {CLI}",
                    (size / 1e6) as u64,
                    (MAX_FILE_BYTES / 1e6) as u64
                )),
                None => load_whole(scope, blob, &head, &options).map(|replay| (replay, None)),
            }
        }
    };
    match folded {
        Ok((replay, damage)) => Some(opened(scope, replay, log, false, damage)),
        Err(e) => {
            let message = format!("Could not open {}: {e}", log.name);
            post(scope, FromWorker::Failed(message));
            None
        }
    }
}

/// Starts loading a log whose first bytes are `head` as NDJSON, index-only when `log` says
/// so (reading its events back from `blob`), or leaving its tail to a helper when `log`
/// says where; `None` when it is not certainly NDJSON.
fn start_ndjson(
    blob: &Blob,
    head: &[u8],
    options: &LoadOptions,
    log: &OpenLog,
) -> Option<NdjsonStream> {
    if log.index_only {
        // (A browser that cannot read a file in a worker again loads it in memory.)
        if let Some(file) = FileText::new(blob) {
            let size = blob.size() as u64;
            return NdjsonStream::start_index_only(head, size, options, Arc::new(file));
        }
    }
    let size = blob.size() as usize;
    let tail_from = log.tail_from.map(|f| f as usize);
    NdjsonStream::start_leaving_tail(head, size, options, tail_from)
}

/// Reads the rest of an NDJSON log after the bytes `stream` has, indexing each part while
/// the next one is read; with `shared`, the helper's index of the tail is appended. Stops
/// with the figures when the index outgrows what a tab's memory can hold.
async fn load_ndjson(
    scope: &DedicatedWorkerGlobalScope,
    blob: &Blob,
    mut stream: NdjsonStream,
    shared: bool,
) -> Result<Replay, String> {
    let size = blob.size() as u64;
    post_streamed(scope, &stream, size);
    let mut full = None;
    read_parts(blob, stream.bytes(), |part| {
        stream.push(part.length() as usize, |dst| part.copy_to(dst));
        post_streamed(scope, &stream, size);
        full = out_of_room(&stream, size);
        full.is_none()
    })
    .await?;
    if let Some(why) = full {
        return Err(why);
    }
    let replay = if shared {
        stream.finish_with_tail(tail::next().await).map(|(r, _)| r)
    } else {
        stream.finish()
    };
    replay.map_err(|e| e.to_string())
}

/// Why a load must stop, once `stream`'s index takes more than [`INDEX_MEMORY_LIMIT`].
fn out_of_room(stream: &NdjsonStream, size: u64) -> Option<String> {
    index_too_large(memory_bytes()?, stream.bytes(), size, stream.events())
}

/// Why a load that took `memory` bytes for the first `read` of `size` bytes (`events`
/// events) must stop, when that is past [`INDEX_MEMORY_LIMIT`]: how much it took for how
/// much of the file, and about how much the whole would take.
fn index_too_large(memory: u64, read: u64, size: u64, events: usize) -> Option<String> {
    if memory <= INDEX_MEMORY_LIMIT {
        return None;
    }
    let read = read.max(1) as f64;
    let whole = memory as f64 * size as f64 / read;
    Some(format!(
        "its index does not fit in a browser tab: it took {} MB of memory for the first {}% \
         of the file ({events} events), so about {} MB for all of it, and a tab's \
         WebAssembly has 4096 MB. {CLI}",
        memory >> 20,
        (read * 100.0 / size.max(1) as f64) as u64,
        (whole / (1u64 << 20) as f64) as u64,
    ))
}

/// Reads a log that is not NDJSON whole, after its first part `head`, then folds it.
fn load_whole(
    scope: &DedicatedWorkerGlobalScope,
    blob: &Blob,
    head: &[u8],
    options: &LoadOptions,
) -> Result<Replay, String> {
    let bytes = read(blob, usize::MAX, head, |bytes_read, file_bytes| {
        post_progress(
            scope,
            Progress::Reading {
                bytes_read,
                file_bytes,
            },
        )
    })
    .map_err(|e| format!("{e}."))?;
    open_with_progress(bytes, options, &mut say_folding(scope)).map_err(|e| e.to_string())
}

/// Keeps a folded log for the page's requests and tells the page it is open: loaded with
/// the fields the person chose, and with `damage` (why a compressed file could not be
/// read to its end) told before any other notice.
fn opened(
    scope: &DedicatedWorkerGlobalScope,
    replay: Replay,
    log: &OpenLog,
    partial: bool,
    damage: Option<String>,
) -> Session {
    let name = &log.name;
    let session = Session::new(replay);
    let mut summary = session.summary(name, partial);
    summary.memory_bytes = memory_bytes();
    summary.fields.chosen = log.fields.clone();
    if let Some(damage) = damage {
        summary.notice = Some(match summary.notice.take() {
            Some(other) => format!("{name}: {damage}. {other}"),
            None => format!("{name}: {damage}."),
        });
    }
    post(scope, FromWorker::Loaded(Box::new(summary)));
    session
}

/// How the worker loads: streams are folded when first looked at, so a log is ready to
/// scrub once it is indexed (a merge fold; other folds are eager); the fields are read
/// from the keys the person chose, if any.
fn load_options(fields: &FieldNames) -> LoadOptions {
    LoadOptions {
        lazy: true,
        fields: fields.overrides(),
        ..LoadOptions::default()
    }
}

/// Loads the start of an NDJSON log, cut after its last whole line, so the page has
/// something to show while the whole log loads. Other formats cannot be cut: the page is
/// told there is no preview.
fn preview(scope: &DedicatedWorkerGlobalScope, blob: &Blob, log: &OpenLog) -> Option<Session> {
    let no_preview = |why: &str| {
        post(scope, FromWorker::NoPreview(why.into()));
        None
    };
    let Ok(mut bytes) = read(blob, PREVIEW_BYTES, &[], |_, _| {}) else {
        return no_preview("unreadable");
    };
    if is_gzip(&bytes) {
        bytes = gunzip_start(&bytes, PREVIEW_BYTES);
    }
    let Some(last_newline) = bytes.iter().rposition(|&b| b == b'\n') else {
        return no_preview("no whole line");
    };
    bytes.truncate(last_newline + 1);
    match open(bytes, &load_options(&log.fields)) {
        Ok(replay) if replay.log.format == Format::Ndjson && replay.log.bad_lines.is_empty() => {
            Some(opened(scope, replay, log, true, None))
        }
        _ => no_preview("not NDJSON"),
    }
}

/// Does what the page asks: opens a log in its role, answers a question about the open
/// one, or hands a helper's tail index to the load waiting for it.
fn handle(
    scope: &DedicatedWorkerGlobalScope,
    session: &Rc<RefCell<Option<Session>>>,
    held: &Rc<models::Held>,
    message: ToWorker,
) {
    match message {
        ToWorker::Models(ask) => models::handle(scope, held, ask),
        ToWorker::Ask(Ask { id, request }) => {
            let reply = match session.borrow_mut().as_mut() {
                Some(s) => s.handle(request),
                None => Reply::Error("no log is open".into()),
            };
            post(scope, FromWorker::Reply { id, reply });
        }
        ToWorker::TailIndex(index) => tail::arrived(index),
        ToWorker::Open { log, file } => {
            // The old log goes first, so that its memory is free for the new one.
            session.borrow_mut().take();
            let (scope, session) = (scope.clone(), session.clone());
            match log.role {
                Role::Load => {
                    tail::forget();
                    wasm_bindgen_futures::spawn_local(async move {
                        let loaded = load(&scope, &file, &log).await;
                        *session.borrow_mut() = loaded;
                    });
                }
                Role::Preview => *session.borrow_mut() = preview(&scope, &file, &log),
                Role::Tail => wasm_bindgen_futures::spawn_local(async move {
                    let from = log.tail_from.unwrap_or(0) as usize;
                    tail::index_tail(&scope, &file, from).await;
                }),
                // Only the events are kept, for the read models to fold.
                Role::Models => {
                    let held = held.clone();
                    wasm_bindgen_futures::spawn_local(async move {
                        if let Some(loaded) = load(&scope, &file, &log).await {
                            models::loaded(&held, loaded.replay().log.clone());
                        }
                    });
                }
            }
        }
    }
}

/// Runs this instance as the worker: answers messages until the page terminates it.
pub fn run(scope: DedicatedWorkerGlobalScope) {
    let session: Rc<RefCell<Option<Session>>> = Rc::default();
    let held: Rc<models::Held> = Rc::default();
    let listener = {
        let scope = scope.clone();
        Closure::<dyn FnMut(MessageEvent)>::new(move |e: MessageEvent| {
            if let Some(message) = ToWorker::from_js(&e.data()) {
                handle(&scope, &session, &held, message);
            }
        })
    };
    scope.set_onmessage(Some(listener.as_ref().unchecked_ref()));
    listener.forget();
    post(&scope, FromWorker::Ready);
}

#[cfg(test)]
mod tests {
    use super::*;

    /// An index past the limit stops the load with the figures a person can act on.
    #[test]
    fn an_index_too_large_for_a_tab_is_refused_with_its_figures() {
        assert_eq!(index_too_large(2 << 30, 1 << 30, 4 << 30, 1_000), None);
        let why = index_too_large(INDEX_MEMORY_LIMIT + 1, 6 << 30, 12 << 30, 25_000_000)
            .expect("refused");
        assert!(
            why.starts_with(
                "its index does not fit in a browser tab: it took 3072 MB of memory for the \
                 first 50% of the file (25000000 events), so about 6144 MB for all of it"
            ),
            "{why}"
        );
        assert!(why.ends_with(CLI), "{why}");
    }
}
