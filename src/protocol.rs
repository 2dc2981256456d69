//! What the page and its worker say to each other. Requests and replies are postcard
//! bytes (small: only what is on screen); a log to open is posted as
//! `[kind, blob, name, tail_from or null, fields?]`, since a `Blob` is passed by
//! reference; `fields` (postcard bytes of [`FieldNames`]) names the keys the person chose
//! for the type, stream, time and data instead of detection.
//!
//! A large NDJSON log is indexed by two workers: the loading one leaves the lines after
//! byte `tail_from` to a helper (sent `[TAIL, blob, name, tail_from]`). The helper posts
//! `[TAIL_INDEX, bytes or null]`, postcard bytes of a [`TailIndex`], and the page passes
//! that message on to the loading worker as it is.

use rewind_core::TailIndex;
use rewind_session::FieldNames;
use rewind_session::{Reply, Request, Summary};
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
/// `kind` of an open message: index the lines after `tail_from`, for the loading worker.
pub const TAIL: &str = "tail";
/// `kind` of the helper's answer to [`TAIL`]: the tail's index, or null.
pub const TAIL_INDEX: &str = "tail-index";

/// The `[kind, blob, name, tail_from, fields]` message that opens a log.
pub fn open_message(
    kind: &str,
    blob: &web_sys::Blob,
    name: &str,
    tail_from: Option<f64>,
    fields: &FieldNames,
) -> JsValue {
    let m = js_sys::Array::of3(&JsValue::from_str(kind), blob, &JsValue::from_str(name));
    m.push(&tail_from.map_or(JsValue::NULL, JsValue::from_f64));
    if !fields.is_empty() {
        m.push(&encode(fields).unwrap_or(JsValue::NULL));
    }
    m.into()
}

/// The fields chosen in an open message (none chosen when it has none).
pub fn open_fields(message: &js_sys::Array) -> FieldNames {
    decode(&message.get(4)).unwrap_or_default()
}

/// The `[TAIL_INDEX, ...]` message for `index` (null when there is none).
pub fn tail_message(index: Option<&TailIndex>) -> JsValue {
    let bytes = index
        .and_then(|i| postcard::to_allocvec(i).ok())
        .map_or(JsValue::NULL, |b| js_sys::Uint8Array::from(&b[..]).into());
    js_sys::Array::of2(&JsValue::from_str(TAIL_INDEX), &bytes).into()
}

/// What a `[TAIL_INDEX, bytes]` message can hand over rather than copy: its bytes' buffer
/// (the page passes the message on, and copying megabytes would hold up its thread).
pub fn transfer_list(message: &JsValue) -> js_sys::Array {
    let list = js_sys::Array::new();
    if let Some(bytes) = message
        .dyn_ref::<js_sys::Array>()
        .and_then(|m| m.get(1).dyn_into::<js_sys::Uint8Array>().ok())
    {
        list.push(&bytes.buffer());
    }
    list
}

/// The tail index in a `[TAIL_INDEX, ...]` message.
pub fn tail_index(bytes: &JsValue) -> Option<TailIndex> {
    decode(bytes)
}

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
    Loaded(Box<Summary>),
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
    use rewind_session::{Session, View};

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
        let bytes =
            postcard::to_allocvec(&FromWorker::Loaded(Box::new(summary.clone()))).expect("encodes");
        assert!(matches!(postcard::from_bytes(&bytes), Ok(FromWorker::Loaded(s)) if *s == summary));
        let request = ToWorker {
            id: 8,
            request: Request::Frame(view),
        };
        let bytes = postcard::to_allocvec(&request).expect("encodes");
        let back: ToWorker = postcard::from_bytes(&bytes).expect("decodes");
        assert_eq!(back.request, request.request);
    }

    /// A helper's index of the tail of a log crosses as postcard, times (NaN when an event
    /// has none) and all, and the loading worker appends it as if it had read the lines.
    #[test]
    fn a_tail_index_survives_postcard() {
        let mut text = String::new();
        rewind_core::generate::ecommerce_ndjson(300, 1, &mut text);
        text.push_str("{\"type\":\"NoTime\",\"stream\":\"s\",\"data\":{\"a\":1}}\n{bad}\n");
        let from = text.len() / 2;
        let mut helper = rewind_core::TailIndexer::new(from, text.len());
        let at = helper.read_from();
        assert!(helper.push(text.len() - at, |dst| dst
            .copy_from_slice(&text.as_bytes()[at..])));
        let index = helper.finish().expect("a tail");
        let bytes = postcard::to_allocvec(&index).expect("encodes");
        let back: TailIndex = postcard::from_bytes(&bytes).expect("decodes");
        let options = rewind_core::LoadOptions {
            lazy: true,
            ..Default::default()
        };
        let stream = rewind_core::NdjsonStream::start_leaving_tail(
            text.as_bytes(),
            text.len(),
            &options,
            Some(from),
        )
        .expect("NDJSON");
        let (split, taken) = stream.finish_with_tail(Some(back)).expect("loads");
        assert!(taken);
        let whole = rewind_core::open(text.as_bytes(), &Default::default()).expect("loads");
        assert_eq!(split.len(), whole.len());
        assert_eq!(split.log.bad_lines, whole.log.bad_lines);
        assert_eq!(
            split.state_at(-2 + whole.len() as isize),
            whole.state_at(-2 + whole.len() as isize)
        );
    }
}
