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

#[cfg(test)]
mod tests {
    use super::*;
    use rewind_core::session::{Session, View};

    /// postcard writes no field names: a field skipped when serialising would shift every
    /// later one. Whole frames of the sample must come back as they left.
    #[test]
    fn frames_summaries_and_requests_survive_postcard() {
        let replay = rewind_core::open(crate::loader::SAMPLE.as_bytes(), &Default::default())
            .expect("the sample loads");
        let mut session = Session::new(replay);
        let view = View {
            position: 9,
            expanded: vec![String::new(), "/order-17".into()],
            selected: Some("/order-17/total".into()),
            list_len: 30,
            ..View::default()
        };
        let reply = session.handle(Request::Frame(view.clone()));
        let bytes = postcard::to_allocvec(&FromWorker::Reply {
            id: 7,
            reply: reply.clone(),
        })
        .expect("encodes");
        match postcard::from_bytes::<FromWorker>(&bytes).expect("decodes") {
            FromWorker::Reply { id, reply: back } => assert_eq!((id, back), (7, reply)),
            other => panic!("not a reply: {other:?}"),
        }
        let summary = session.summary("sample.ndjson", true);
        let bytes = postcard::to_allocvec(&FromWorker::Loaded(summary.clone())).expect("encodes");
        assert!(matches!(postcard::from_bytes(&bytes), Ok(FromWorker::Loaded(s)) if s == summary));
        let request = ToWorker {
            id: 8,
            request: Request::Frame(view),
        };
        let bytes = postcard::to_allocvec(&request).expect("encodes");
        let back: ToWorker = postcard::from_bytes(&bytes).expect("decodes");
        assert_eq!(back.request, request.request);
    }
}
