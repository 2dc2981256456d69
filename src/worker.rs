//! The page's worker: it reads the log's file, folds it and answers the page's requests,
//! so that neither a million-event load nor a query ever runs on the page's thread. The
//! same wasm module runs as the page and as this worker; `main` picks the role.

use std::cell::RefCell;
use std::rc::Rc;

use rewind_core::log::Format;
use rewind_core::session::{Reply, Session};
use rewind_core::{open, open_with_progress, LoadOptions};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{Blob, DedicatedWorkerGlobalScope, FileReaderSync, MessageEvent};

use crate::protocol::{decode, encode, FromWorker, Phase, ToWorker, OPEN, PREVIEW};

/// Bytes copied from the file at a time (one progress step).
const CHUNK_BYTES: usize = 32 << 20;
/// Bytes of the start of a log loaded for the preview.
pub const PREVIEW_BYTES: usize = 4 << 20;

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

/// Copies `blob[..limit]` into memory, `CHUNK_BYTES` at a time, reporting each step.
fn read(blob: &Blob, limit: usize, mut progress: impl FnMut(u64, u64)) -> Result<Vec<u8>, String> {
    let size = (blob.size() as usize).min(limit);
    let mut bytes = Vec::new();
    bytes.try_reserve_exact(size).map_err(|_| {
        format!(
            "it is too large to hold in this tab's memory ({} MB)",
            size >> 20
        )
    })?;
    let reader = FileReaderSync::new().map_err(|_| "this browser cannot read files in a worker")?;
    let mut at = 0;
    while at < size {
        let end = (at + CHUNK_BYTES).min(size);
        let part = blob
            .slice_with_f64_and_f64(at as f64, end as f64)
            .map_err(|_| "the file could not be read")?;
        let buffer = reader
            .read_as_array_buffer(&part)
            .map_err(|_| "the file could not be read (was it moved or deleted?)")?;
        let chunk = js_sys::Uint8Array::new(&buffer);
        let start = bytes.len();
        bytes.resize(start + chunk.length() as usize, 0);
        chunk.copy_to(&mut bytes[start..]);
        at = end;
        progress(at as u64, size as u64);
    }
    Ok(bytes)
}

/// Loads the whole log, reporting progress, and keeps it for the requests that follow.
fn load(scope: &DedicatedWorkerGlobalScope, blob: &Blob, name: &str) -> Option<Session> {
    let bytes = read(blob, usize::MAX, |done, total| {
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
        Err(e) => {
            post(
                scope,
                &FromWorker::Failed(format!("Could not open {name}: {e}.")),
            );
            return None;
        }
    };
    let folded = open_with_progress(bytes, &LoadOptions::default(), &mut |done, total| {
        post(
            scope,
            &FromWorker::Progress {
                phase: Phase::Folding,
                done: done as u64,
                total: total as u64,
            },
        )
    });
    match folded {
        Ok(replay) => {
            let session = Session::new(replay);
            let mut summary = session.summary(name, false);
            summary.memory_bytes = memory_bytes();
            post(scope, &FromWorker::Loaded(summary));
            Some(session)
        }
        Err(e) => {
            post(
                scope,
                &FromWorker::Failed(format!("Could not open {name}: {e}")),
            );
            None
        }
    }
}

/// Loads the start of an NDJSON log, cut after its last whole line, so the page has
/// something to show while the whole log loads. Other formats cannot be cut: no preview.
fn preview(scope: &DedicatedWorkerGlobalScope, blob: &Blob, name: &str) -> Option<Session> {
    let quiet = |why: &str| {
        post(scope, &FromWorker::Failed(format!("no preview: {why}")));
        None
    };
    let Ok(mut bytes) = read(blob, PREVIEW_BYTES, |_, _| {}) else {
        return quiet("unreadable");
    };
    let Some(last_newline) = bytes.iter().rposition(|&b| b == b'\n') else {
        return quiet("no whole line");
    };
    bytes.truncate(last_newline + 1);
    match open(bytes, &LoadOptions::default()) {
        Ok(replay) if replay.log.format == Format::Ndjson && replay.log.bad_lines.is_empty() => {
            let session = Session::new(replay);
            let mut summary = session.summary(name, true);
            summary.memory_bytes = memory_bytes();
            post(scope, &FromWorker::Loaded(summary));
            Some(session)
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
                let Ok(blob) = message.get(1).dyn_into::<Blob>() else {
                    return;
                };
                let name = message.get(2).as_string().unwrap_or_default();
                // The old log goes first, so that its memory is free for the new one.
                session.borrow_mut().take();
                let loaded = match kind.as_str() {
                    OPEN => load(&scope, &blob, &name),
                    PREVIEW => preview(&scope, &blob, &name),
                    _ => None,
                };
                *session.borrow_mut() = loaded;
            }
        })
    };
    scope.set_onmessage(Some(listener.as_ref().unchecked_ref()));
    listener.forget();
    post(&scope, &FromWorker::Ready);
}
