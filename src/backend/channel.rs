//! One worker as the page holds it: messages wait until it says it is ready, and dropping
//! it terminates the worker, freeing its memory at once.

use std::cell::RefCell;
use std::rc::Weak;

use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{ErrorEvent, MessageEvent, Worker};

use super::roles::WorkerId;
use super::{receive, Inner};
use crate::protocol::{FromWorker, Posted, ToWorker, CLI, IN_MEMORY_MAX_BYTES};

/// The worker's script (`static/rewind-worker-loader.js`, which starts
/// `src/bin/rewind-worker.rs`).
const WORKER_SCRIPT: &str = "rewind-worker-loader.js";

/// A worker and what waits for it.
pub(super) struct Channel {
    pub(super) id: WorkerId,
    worker: Worker,
    ready: bool,
    outbox: Vec<Posted>,
    _on_message: Closure<dyn FnMut(MessageEvent)>,
    _on_error: Closure<dyn FnMut(ErrorEvent)>,
}

impl Channel {
    /// Starts worker `id`; what it says goes to `inner`.
    pub(super) fn spawn(inner: &Weak<RefCell<Inner>>, id: WorkerId) -> Option<Channel> {
        let worker = Worker::new(WORKER_SCRIPT).ok()?;
        let on_message = {
            let inner = inner.clone();
            Closure::<dyn FnMut(MessageEvent)>::new(move |e: MessageEvent| {
                if let (Some(inner), Some(message)) =
                    (inner.upgrade(), FromWorker::from_js(&e.data()))
                {
                    receive(&inner, id, message);
                }
            })
        };
        let on_error = {
            let inner = inner.clone();
            Closure::<dyn FnMut(ErrorEvent)>::new(move |e: ErrorEvent| {
                e.prevent_default();
                if let Some(inner) = inner.upgrade() {
                    let message = stopped(&inner.borrow().loading_name);
                    receive(&inner, id, FromWorker::Failed(message));
                }
            })
        };
        worker.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
        worker.set_onerror(Some(on_error.as_ref().unchecked_ref()));
        Some(Channel {
            id,
            worker,
            ready: false,
            outbox: Vec::new(),
            _on_message: on_message,
            _on_error: on_error,
        })
    }

    /// Posts `message` now, or once the worker is ready.
    pub(super) fn post(&mut self, message: ToWorker) {
        let Some(posted) = message.to_js() else {
            return;
        };
        if self.ready {
            self.send(&posted);
        } else {
            self.outbox.push(posted);
        }
    }

    /// The worker said it listens: what waited is posted.
    pub(super) fn ready(&mut self) {
        self.ready = true;
        for posted in std::mem::take(&mut self.outbox) {
            self.send(&posted);
        }
    }

    fn send(&self, posted: &Posted) {
        let _ = self
            .worker
            .post_message_with_transfer(&posted.message, &posted.transfer);
    }
}

impl Drop for Channel {
    fn drop(&mut self) {
        self.worker.terminate();
    }
}

/// Why the browser stopped a worker loading `name`, in words.
fn stopped(name: &str) -> String {
    format!(
        "Could not open {name}: the browser stopped the worker folding it, most likely \
         because it ran out of memory (a log held in memory needs about twice its size; \
         an NDJSON log past {} MB keeps only its index). {CLI}",
        (IN_MEMORY_MAX_BYTES / 1e6) as u64
    )
}
