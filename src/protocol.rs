//! What the page and its worker say to each other. Requests and replies are postcard
//! bytes (small: only what is on screen); a log to open is posted as `[kind, blob, name]`,
//! since a `Blob` is passed by reference.

use rewind_core::session::{Reply, Request, Summary};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use wasm_bindgen::{JsCast, JsValue};

/// `message` as bytes to post.
pub fn encode<T: Serialize>(message: &T) -> Option<JsValue> {
    let bytes = postcard::to_allocvec(message).ok()?;
    Some(js_sys::Uint8Array::from(&bytes[..]).into())
}

/// A posted message, if it is one of ours.
pub fn decode<T: DeserializeOwned>(data: &JsValue) -> Option<T> {
    let bytes = data.dyn_ref::<js_sys::Uint8Array>()?.to_vec();
    postcard::from_bytes(&bytes).ok()
}

/// `kind` of an open message: load the whole log.
pub const OPEN: &str = "open";
/// `kind` of an open message: load the start of the log, to show while the rest loads.
pub const PREVIEW: &str = "preview";

/// From the page to a worker (besides opening a log).
#[derive(Debug, Serialize, Deserialize)]
pub struct ToWorker {
    /// Matches the reply to the request.
    pub id: u64,
    /// The question.
    pub request: Request,
}

/// How far a load is.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub enum Phase {
    /// Copying the file into memory (bytes).
    Reading,
    /// Folding the events (events).
    Folding,
    /// Reading NDJSON and folding each part as it arrives (bytes), with the events folded.
    Streaming(u64),
}

/// From a worker to the page.
#[derive(Debug, Serialize, Deserialize)]
pub enum FromWorker {
    /// The worker is listening.
    Ready,
    /// `done` of `total` bytes read, or events folded.
    Progress {
        /// What is being done.
        phase: Phase,
        /// How much is done.
        done: u64,
        /// Out of.
        total: u64,
    },
    /// The log is open.
    Loaded(Summary),
    /// The log could not be opened; the message says why, in words.
    Failed(String),
    /// The answer to a request.
    Reply {
        /// The request's id.
        id: u64,
        /// The answer.
        reply: Reply,
    },
}
