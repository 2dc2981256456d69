//! The page's worker: it reads the log's file, folds it and answers the page's requests,
//! so that neither a million-event load nor a query ever runs on the page's thread. It
//! runs as a module of its own (`src/bin/rewind-worker.rs`).

use std::cell::RefCell;
use std::collections::VecDeque;
use std::rc::Rc;

use rewind_core::gzip::{is_gzip, Inflater};
use rewind_core::log::Format;
use rewind_core::{
    open, open_with_progress, LoadOptions, NdjsonStream, Replay, TailIndex, TailIndexer,
};
use rewind_session::FieldNames;
use rewind_session::{Reply, Session};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::{Blob, DedicatedWorkerGlobalScope, FileReaderSync, MessageEvent};

use crate::backend::MAX_FILE_BYTES;
use crate::protocol::{
    decode, encode, open_fields, tail_index, tail_message, transfer_list, FromWorker, Phase,
    ToWorker, OPEN, PREVIEW, TAIL, TAIL_INDEX,
};

/// Why a part of the file could not be read.
const UNREADABLE: &str = "the file could not be read (was it moved or deleted?)";

/// Bytes copied from the file at a time (one progress step).
const CHUNK_BYTES: usize = 16 << 20;
/// Bytes of the first part read: small, so that indexing starts soon after the drop.
const FIRST_PART_BYTES: usize = 4 << 20;
/// Parts being read at once: the browser reads the next ones while this thread indexes
/// one (with one, this thread waited for the browser about a third of a load).
const READS_IN_FLIGHT: usize = 2;
/// Bytes of the start of a log loaded for the preview.
pub const PREVIEW_BYTES: usize = 4 << 20;
/// Compressed bytes of a gzip log decompressed at a time: the text of one step is then
/// some megabytes, handed on at once rather than held in a second copy.
const GZIP_STEP_BYTES: usize = 1 << 20;
/// Text of a gzip log gathered before telling whether it is NDJSON.
const GZIP_DECIDE_BYTES: usize = 1 << 20;

fn post(scope: &DedicatedWorkerGlobalScope, message: &FromWorker) {
    if let Some(bytes) = encode(message) {
        let _ = scope.post_message(&bytes);
    }
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

/// Copies `blob[..limit]` into memory, `CHUNK_BYTES` at a time, reporting each step; its
/// first bytes are `head`, read already.
fn read(
    blob: &Blob,
    limit: usize,
    head: &[u8],
    mut progress: impl FnMut(u64, u64),
) -> Result<Vec<u8>, String> {
    let size = (blob.size() as usize).min(limit);
    // Allocated zeroed in one piece: fresh memory is zero already, so this costs no pass
    // over it. (If the tab has no room, the worker stops and the page says so.)
    let mut bytes = vec![0u8; size];
    let at_head = head.len().min(size);
    bytes[..at_head].copy_from_slice(&head[..at_head]);
    let reader = FileReaderSync::new().map_err(|_| "this browser cannot read files in a worker")?;
    let mut at = at_head;
    while at < size {
        let buffer = reader
            .read_as_array_buffer(&part_at(blob, at, CHUNK_BYTES.min(size - at))?)
            .map_err(|_| UNREADABLE)?;
        let chunk = js_sys::Uint8Array::new(&buffer);
        let len = (chunk.length() as usize).min(size - at);
        chunk
            .subarray(0, len as u32)
            .copy_to(&mut bytes[at..at + len]);
        at += len;
        progress(at as u64, size as u64);
        if len == 0 {
            break;
        }
    }
    bytes.truncate(at);
    Ok(bytes)
}

/// Loads the whole log, reporting progress, and keeps it for the requests that follow.
/// NDJSON is folded part by part while the browser reads the next part; other formats are
/// read whole, then folded.
///
/// With `tail_from`, a helper indexes the lines after that byte meanwhile (see
/// [`index_tail`]), and this worker appends the helper's index once it has read the rest.
async fn load(
    scope: &DedicatedWorkerGlobalScope,
    blob: &Blob,
    name: &str,
    tail_from: Option<usize>,
    fields: &FieldNames,
) -> Option<Session> {
    let failed = |e: String| {
        post(
            scope,
            &FromWorker::Failed(format!("Could not open {name}: {e}")),
        );
        None
    };
    let size = blob.size() as usize;
    let options = lazy(fields);
    let mut damage = None;
    let folded = match finish_read(start_read(blob, 0, FIRST_PART_BYTES.min(size))).await {
        Err(e) => return failed(e),
        Ok(head) => {
            let head = head.to_vec();
            let gzip = is_gzip(&head);
            let stream = (!gzip)
                .then(|| NdjsonStream::start_leaving_tail(&head, size, &options, tail_from))
                .flatten();
            match stream {
                _ if gzip => load_gzip(scope, blob, head, &options)
                    .await
                    .map(|(replay, d)| {
                        damage = d;
                        replay
                    }),
                Some(stream) => {
                    post_streamed(scope, &stream, size);
                    match stream_rest(scope, blob, stream, head.len()).await {
                        Err(e) => Err(e),
                        Ok(stream) => match tail_from {
                            Some(_) => stream
                                .finish_with_tail(next_tail().await)
                                .map(|(replay, _)| replay),
                            None => stream.finish(),
                        }
                        .map_err(|e| e.to_string()),
                    }
                }
                None => {
                    // Not NDJSON: the rest is read after the part read already, then folded.
                    let bytes = read(blob, usize::MAX, &head, |done, total| {
                        post(
                            scope,
                            &FromWorker::Progress {
                                phase: Phase::Reading,
                                done,
                                total,
                            },
                        )
                    });
                    let bytes = match bytes {
                        Ok(b) => b,
                        Err(e) => return failed(format!("{e}.")),
                    };
                    open_with_progress(bytes, &options, &mut |done, total| {
                        post(
                            scope,
                            &FromWorker::Progress {
                                phase: Phase::Folding,
                                done: done as u64,
                                total: total as u64,
                            },
                        )
                    })
                    .map_err(|e| e.to_string())
                }
            }
        }
    };
    match folded {
        Ok(replay) => Some(opened(scope, replay, name, false, fields, damage)),
        Err(e) => failed(e),
    }
}

/// A gzip log being decompressed part by part: NDJSON text is indexed as it comes out,
/// other formats are gathered whole and folded at the end.
struct Unzipping {
    inflater: Inflater,
    /// Text not given to `stream`: until it is known to be NDJSON, or all of it if not.
    text: Vec<u8>,
    stream: Option<NdjsonStream>,
    /// Whether the text is NDJSON is known.
    decided: bool,
    options: LoadOptions,
}

impl Unzipping {
    fn new(options: &LoadOptions) -> Self {
        Unzipping {
            inflater: Inflater::new(),
            text: Vec::new(),
            stream: None,
            decided: false,
            options: options.clone(),
        }
    }

    /// Decompresses the next part of the file; false once the rest cannot be read (the
    /// data is damaged: the damage is reported by `finish`).
    fn push(&mut self, part: &[u8]) -> bool {
        for step in part.chunks(GZIP_STEP_BYTES) {
            let going = self.inflater.push(step);
            let text = self.inflater.take();
            self.text_out(text);
            if !going {
                return false;
            }
        }
        true
    }

    fn text_out(&mut self, text: Vec<u8>) {
        match &mut self.stream {
            Some(stream) => stream.push(text.len(), |dst| dst.copy_from_slice(&text)),
            None if self.text.is_empty() => self.text = text,
            None => self.text.extend_from_slice(&text),
        }
        if !self.decided && self.text.len() >= GZIP_DECIDE_BYTES {
            self.decide();
        }
    }

    fn decide(&mut self) {
        self.decided = true;
        self.stream = NdjsonStream::start(&self.text, self.text.len(), &self.options);
        if self.stream.is_some() {
            self.text = Vec::new();
        }
    }

    /// Events indexed so far (NDJSON only).
    fn events(&self) -> usize {
        self.stream.as_ref().map_or(0, NdjsonStream::events)
    }

    /// The folded log, and why the file could not be read to its end, if it could not.
    fn finish(
        mut self,
        progress: &mut dyn FnMut(usize, usize),
    ) -> Result<(Replay, Option<String>), String> {
        let (rest, damage) = std::mem::take(&mut self.inflater).finish();
        self.text_out(rest);
        if !self.decided {
            self.decide();
        }
        let replay = match self.stream {
            Some(stream) => stream.finish(),
            None => open_with_progress(self.text, &self.options, progress),
        };
        let replay = replay.map_err(|e| match &damage {
            Some(d) => format!("{e} ({d})"),
            None => e.to_string(),
        })?;
        Ok((replay, damage.map(|d| d.to_string())))
    }
}

/// Loads a gzip-compressed log whose first part is `head`, decompressing each part as it
/// arrives; progress counts compressed bytes. A damaged or cut-short file keeps the events
/// before the damage, which is returned in words.
async fn load_gzip(
    scope: &DedicatedWorkerGlobalScope,
    blob: &Blob,
    head: Vec<u8>,
    options: &LoadOptions,
) -> Result<(Replay, Option<String>), String> {
    let size = blob.size() as usize;
    let mut unzipping = Unzipping::new(options);
    let mut too_large = false;
    let mut step = |unzipping: &mut Unzipping, part: &[u8], done: usize| -> bool {
        let going = unzipping.push(part);
        too_large = unzipping.inflater.text_bytes() as f64 > MAX_FILE_BYTES;
        let phase = match unzipping.stream {
            Some(_) => Phase::Streaming(unzipping.events() as u64),
            None => Phase::Reading,
        };
        post(
            scope,
            &FromWorker::Progress {
                phase,
                done: done as u64,
                total: size as u64,
            },
        );
        going && !too_large
    };
    let at = head.len();
    if step(&mut unzipping, &head, at) && at < size {
        let mut done = at;
        read_parts(blob, at, |part| {
            done += part.length() as usize;
            step(&mut unzipping, &part.to_vec(), done)
        })
        .await?;
    }
    if too_large {
        return Err(format!(
            "decompressed, it is more than {} MB, and this page holds logs up to that size \
             (folding needs about twice the log in memory, and a browser tab has 4 GB). \
             The rewind command-line tool reads logs of any size.",
            (MAX_FILE_BYTES / 1e6) as u64
        ));
    }
    unzipping.finish(&mut |done, total| {
        post(
            scope,
            &FromWorker::Progress {
                phase: Phase::Folding,
                done: done as u64,
                total: total as u64,
            },
        )
    })
}

/// Keeps a folded log for the page's requests and tells the page it is open: loaded with
/// the `fields` the person chose, and with `damage` (why a compressed file could not be
/// read to its end) told before any other notice.
fn opened(
    scope: &DedicatedWorkerGlobalScope,
    replay: Replay,
    name: &str,
    partial: bool,
    fields: &FieldNames,
    damage: Option<String>,
) -> Session {
    let session = Session::new(replay);
    let mut summary = session.summary(name, partial);
    summary.memory_bytes = memory_bytes();
    summary.fields.chosen = fields.clone();
    if let Some(damage) = damage {
        summary.notice = Some(match summary.notice.take() {
            Some(other) => format!("{name}: {damage}. {other}"),
            None => format!("{name}: {damage}."),
        });
    }
    post(scope, &FromWorker::Loaded(Box::new(summary)));
    session
}

/// The part `blob[at..at + len]`.
fn part_at(blob: &Blob, at: usize, len: usize) -> Result<Blob, String> {
    blob.slice_with_f64_and_f64(at as f64, (at + len) as f64)
        .map_err(|_| "the file could not be read".to_string())
}

/// Starts reading `blob[at..at + len]` (the browser reads while this thread folds).
fn start_read(blob: &Blob, at: usize, len: usize) -> Result<js_sys::Promise, String> {
    part_at(blob, at, len).map(|part| part.array_buffer())
}

/// The bytes a read started by [`start_read`] gives.
async fn finish_read(
    reading: Result<js_sys::Promise, String>,
) -> Result<js_sys::Uint8Array, String> {
    let buffer = JsFuture::from(reading?)
        .await
        .map_err(|_| UNREADABLE.to_string())?;
    Ok(js_sys::Uint8Array::new(&buffer))
}

/// Says how far a streamed load is.
fn post_streamed(scope: &DedicatedWorkerGlobalScope, stream: &NdjsonStream, size: usize) {
    post_streaming(scope, stream.events(), stream.bytes(), size);
}

/// Says that `events` are read from `done` of `total` bytes.
fn post_streaming(scope: &DedicatedWorkerGlobalScope, events: usize, done: usize, total: usize) {
    post(
        scope,
        &FromWorker::Progress {
            phase: Phase::Streaming(events as u64),
            done: done as u64,
            total: total as u64,
        },
    );
}

/// Reads `blob[at..]` part by part, [`READS_IN_FLIGHT`] parts ahead of `each`, which takes
/// them in order; stops early when `each` says false, or after a part shorter than asked
/// (the file shrank meanwhile).
async fn read_parts(
    blob: &Blob,
    at: usize,
    mut each: impl FnMut(js_sys::Uint8Array) -> bool,
) -> Result<(), String> {
    let size = blob.size() as usize;
    let mut reading = VecDeque::new();
    let mut planned = at;
    let mut read_ahead = |reading: &mut VecDeque<_>| {
        while reading.len() < READS_IN_FLIGHT && planned < size {
            let len = CHUNK_BYTES.min(size - planned);
            reading.push_back((len, start_read(blob, planned, len)));
            planned += len;
        }
    };
    read_ahead(&mut reading);
    while let Some((asked, started)) = reading.pop_front() {
        let part = finish_read(started).await?;
        let whole = part.length() as usize == asked;
        if whole {
            read_ahead(&mut reading);
        }
        if !each(part) || !whole {
            break;
        }
    }
    Ok(())
}

/// Reads the rest of an NDJSON log after its first `at` bytes, folding each part while the
/// next one is read.
async fn stream_rest(
    scope: &DedicatedWorkerGlobalScope,
    blob: &Blob,
    mut stream: NdjsonStream,
    at: usize,
) -> Result<NdjsonStream, String> {
    let size = blob.size() as usize;
    read_parts(blob, at, |part| {
        stream.push(part.length() as usize, |dst| part.copy_to(dst));
        post_streamed(scope, &stream, size);
        true
    })
    .await?;
    Ok(stream)
}

thread_local! {
    /// The helper's tail index if it came before this worker asked for it, or how to hand
    /// it over when it comes.
    static TAIL_SLOT: RefCell<(Option<JsValue>, Option<js_sys::Function>)> =
        const { RefCell::new((None, None)) };
}

/// Hands the helper's `[TAIL_INDEX, ...]` message (passed on by the page) to the load
/// waiting for it; whichever of the two comes first is kept until the other comes.
fn tail_meet(message: Option<JsValue>, waiter: Option<js_sys::Function>) {
    TAIL_SLOT.with(|slot| {
        let mut slot = slot.borrow_mut();
        slot.0 = message.or(slot.0.take());
        slot.1 = waiter.or(slot.1.take());
        if let (Some(message), Some(waiter)) = &*slot {
            let _ = waiter.call1(&JsValue::NULL, message);
            *slot = (None, None);
        }
    });
}

/// The helper's index of the tail (`None` if it found none, or failed).
async fn next_tail() -> Option<TailIndex> {
    let promise = js_sys::Promise::new(&mut |resolve, _| tail_meet(None, Some(resolve)));
    let message = JsFuture::from(promise).await.ok()?;
    tail_index(&js_sys::Array::from(&message).get(1))
}

/// Indexes the lines of the log after byte `from` for the worker loading it, and posts the
/// index (or null, when the lines are not NDJSON or cannot be read).
async fn index_tail(scope: &DedicatedWorkerGlobalScope, blob: &Blob, from: usize) {
    let size = blob.size() as usize;
    let mut indexer = TailIndexer::new(from, size);
    let read = read_parts(blob, indexer.read_from(), |part| {
        let going = indexer.push(part.length() as usize, |dst| part.copy_to(dst));
        if going {
            post_streaming(scope, indexer.events(), indexer.bytes(), size - from);
        }
        going
    })
    .await;
    let index = read.ok().and_then(|()| indexer.finish());
    let message = tail_message(index.as_ref());
    let _ = scope.post_message_with_transfer(&message, &transfer_list(&message));
}

/// How the worker loads: streams are folded when first looked at, so a log is ready to
/// scrub once it is indexed (a merge fold; other folds load as before); the fields are
/// read from the keys the person chose, if any.
fn lazy(fields: &FieldNames) -> LoadOptions {
    LoadOptions {
        lazy: true,
        fields: fields.overrides(),
        ..LoadOptions::default()
    }
}

/// The start of a gzip log's text, about `limit` bytes of it.
fn gunzip_start(compressed: &[u8], limit: usize) -> Vec<u8> {
    let mut inflater = Inflater::new();
    let mut text = Vec::new();
    for step in compressed.chunks(64 << 10) {
        let going = inflater.push(step);
        text.extend_from_slice(&inflater.take());
        if !going || text.len() >= limit {
            break;
        }
    }
    text.truncate(limit);
    text
}

/// Loads the start of an NDJSON log, cut after its last whole line, so the page has
/// something to show while the whole log loads. Other formats cannot be cut: no preview.
fn preview(
    scope: &DedicatedWorkerGlobalScope,
    blob: &Blob,
    name: &str,
    fields: &FieldNames,
) -> Option<Session> {
    let quiet = |why: &str| {
        post(scope, &FromWorker::Failed(format!("no preview: {why}")));
        None
    };
    let Ok(mut bytes) = read(blob, PREVIEW_BYTES, &[], |_, _| {}) else {
        return quiet("unreadable");
    };
    if is_gzip(&bytes) {
        bytes = gunzip_start(&bytes, PREVIEW_BYTES);
    }
    let Some(last_newline) = bytes.iter().rposition(|&b| b == b'\n') else {
        return quiet("no whole line");
    };
    bytes.truncate(last_newline + 1);
    match open(bytes, &lazy(fields)) {
        Ok(replay) if replay.log.format == Format::Ndjson && replay.log.bad_lines.is_empty() => {
            Some(opened(scope, replay, name, true, fields, None))
        }
        _ => quiet("not NDJSON"),
    }
}

/// Runs this instance as the worker: answers messages until the page terminates it.
pub fn run(scope: DedicatedWorkerGlobalScope) {
    let session: Rc<RefCell<Option<Session>>> = Rc::default();
    let listener = {
        let scope = scope.clone();
        Closure::<dyn FnMut(MessageEvent)>::new(move |e: MessageEvent| {
            let data = e.data();
            if let Some(ToWorker { id, request }) = decode(&data) {
                let reply = match session.borrow_mut().as_mut() {
                    Some(s) => s.handle(request),
                    None => Reply::Error("no log is open".into()),
                };
                post(&scope, &FromWorker::Reply { id, reply });
            } else if let Ok(message) = data.dyn_into::<js_sys::Array>() {
                let kind = message.get(0).as_string().unwrap_or_default();
                if kind == TAIL_INDEX {
                    tail_meet(Some(message.into()), None);
                    return;
                }
                let Ok(blob) = message.get(1).dyn_into::<Blob>() else {
                    return;
                };
                let name = message.get(2).as_string().unwrap_or_default();
                let tail_from = message.get(3).as_f64().map(|f| f as usize);
                let fields = open_fields(&message);
                // The old log goes first, so that its memory is free for the new one.
                session.borrow_mut().take();
                match kind.as_str() {
                    OPEN => {
                        TAIL_SLOT.with(|slot| *slot.borrow_mut() = (None, None));
                        let (scope, session) = (scope.clone(), session.clone());
                        wasm_bindgen_futures::spawn_local(async move {
                            let loaded = load(&scope, &blob, &name, tail_from, &fields).await;
                            *session.borrow_mut() = loaded;
                        });
                    }
                    PREVIEW => *session.borrow_mut() = preview(&scope, &blob, &name, &fields),
                    TAIL => {
                        let scope = scope.clone();
                        wasm_bindgen_futures::spawn_local(async move {
                            index_tail(&scope, &blob, tail_from.unwrap_or(0)).await;
                        });
                    }
                    _ => {}
                }
            }
        })
    };
    scope.set_onmessage(Some(listener.as_ref().unchecked_ref()));
    listener.forget();
    post(&scope, &FromWorker::Ready);
}
