//! What the page and its workers say to each other, and the one place where their
//! messages become bytes and back.
//!
//! Every message is typed: [`ToWorker`] from the page, [`FromWorker`] from a worker. On
//! the wire each is a JS array `[header, beside]`: `header` is the postcard bytes of the
//! message's data (small: only what is on screen), and `beside` what postcard cannot carry
//! — the log's `File`, passed by reference, or a helper's tail index, passed on by the page
//! without being decoded and with its buffer transferred rather than copied. Only
//! [`ToWorker::to_js`], [`ToWorker::from_js`], [`FromWorker::to_js`] and
//! [`FromWorker::from_js`] read or write that array.
//!
//! A large NDJSON log is indexed by two workers: the loading one leaves the lines after
//! byte `tail_from` to a helper ([`Role::Tail`]); the helper posts
//! [`FromWorker::TailIndex`], which the page passes on to the loading worker as
//! [`ToWorker::TailIndex`].
//!
//! Below the wire messages are [`Note`] and [`After`]: what the page's side of its workers
//! (`backend`) tells the page's state about them.

use std::rc::Rc;

use rewind_core::TailIndex;
use rewind_session::FieldNames;
use rewind_session::{Frame, Reply, Request, Summary};
use rewind_session::{ModelId, ModelProblem, ModelProgress, ModelReply, ModelRequest, ModelsFrame};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use wasm_bindgen::{JsCast, JsValue};
use web_sys::Blob;

/// Bytes of the start of a log loaded for the preview: the page asks for a preview only
/// of a file larger than this, and the preview worker reads no more.
pub const PREVIEW_BYTES: usize = 4 << 20;

/// Largest log the page holds whole in memory (a log in another format than NDJSON, or a
/// compressed one once decompressed): folding needs about twice the log in memory, and a
/// tab's wasm memory ends at 4 GiB. Larger NDJSON logs are read index-only instead.
pub const MAX_FILE_BYTES: f64 = 1.5 * (1u64 << 30) as f64;

/// NDJSON logs larger than this are loaded index-only: each event's place in the file is
/// kept, not its bytes, and its text is read back from the file when needed. Smaller ones
/// are held in memory, which makes folding a stream faster.
pub const IN_MEMORY_MAX_BYTES: f64 = (1u64 << 30) as f64;

/// Where a log too large for the page is sent, in words.
pub const CLI: &str = "The rewind command-line tool reads logs of any size from the disk \
                       (`rewind stats LOG`, `rewind state LOG --at N`).";

/// What a worker does with a log it is asked to open.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Role {
    /// Load the whole log and keep it for the page's requests.
    Load,
    /// Load the start of the log ([`PREVIEW_BYTES`]), to show while the rest loads.
    Preview,
    /// Index the lines after `tail_from`, for the worker loading the log.
    Tail,
    /// Load the log's events (without folding them for the page) and fold the read
    /// models the page applies over them, answering [`ToWorker::Models`].
    Models,
}

/// Which log to open, and how (its file travels beside this, see [`ToWorker::Open`]).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct OpenLog {
    /// What the worker does with it.
    pub role: Role,
    /// The file's name, for messages and the summary.
    pub name: String,
    /// Where the helper's share of the log starts (bytes): with [`Role::Load`], the
    /// loading worker leaves the lines after it to the helper; with [`Role::Tail`], the
    /// helper indexes them.
    pub tail_from: Option<u64>,
    /// The keys the person chose for the type, stream, time and data (empty: detected).
    pub fields: FieldNames,
    /// Keep only the index of an NDJSON log, reading its events back from the file
    /// ([`IN_MEMORY_MAX_BYTES`]).
    pub index_only: bool,
}

/// A question about the open log, with the id its reply carries.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Ask {
    /// Matches the reply to the request.
    pub id: u64,
    /// The question.
    pub request: Request,
}

/// A question about the read models, with the id its reply carries.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ModelAsk {
    /// Matches the reply to the request.
    pub id: u64,
    /// The question.
    pub request: ModelRequest,
}

/// A helper's index of the tail of a log (or `None`: it found none, or failed), still in
/// postcard bytes: the page passes it from the helper to the loading worker without
/// decoding it, and hands its buffer over instead of copying megabytes.
#[derive(Clone, Debug)]
pub struct EncodedTail(Option<js_sys::Uint8Array>);

impl EncodedTail {
    /// Encodes `index` (`None`: the loading worker reads those lines itself).
    pub fn encode(index: Option<&TailIndex>) -> Self {
        let bytes = index.and_then(|i| postcard::to_allocvec(i).ok());
        EncodedTail(bytes.map(|b| js_sys::Uint8Array::from(&b[..])))
    }

    /// No index: the loading worker reads the tail itself.
    pub fn none() -> Self {
        EncodedTail(None)
    }

    /// The index, if there is one and it decodes.
    pub fn decode(&self) -> Option<TailIndex> {
        postcard::from_bytes(&self.0.as_ref()?.to_vec()).ok()
    }

    fn to_js(&self) -> JsValue {
        self.0.as_ref().map_or(JsValue::NULL, |b| b.clone().into())
    }

    fn from_js(value: JsValue) -> Self {
        EncodedTail(value.dyn_into().ok())
    }
}

/// From the page to a worker.
#[derive(Debug)]
pub enum ToWorker {
    /// Open a log from its file (which the worker reads itself).
    Open {
        /// Which log, and what to do with it.
        log: OpenLog,
        /// Its file: a `File` chosen or dropped, or pasted text made into a `Blob`.
        file: Blob,
    },
    /// A question about the open log.
    Ask(Ask),
    /// The helper's index of the tail, for the worker loading the log.
    TailIndex(EncodedTail),
    /// A question about the read models (to the worker in [`Role::Models`]).
    Models(ModelAsk),
}

/// The postcard part of a [`ToWorker`].
#[derive(Serialize, Deserialize)]
enum ToWorkerHeader {
    Open(OpenLog),
    Ask(Ask),
    TailIndex,
    Models(ModelAsk),
}

/// How far a load is; each phase counts in its own units.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Progress {
    /// Copying the file into memory, before folding it.
    Reading {
        /// Bytes of the file read so far.
        bytes_read: u64,
        /// The file's size in bytes.
        file_bytes: u64,
    },
    /// Folding the events of a log read whole.
    Folding {
        /// Events folded so far.
        events_folded: u64,
        /// Events in the log.
        events: u64,
    },
    /// Reading NDJSON and indexing each part as it arrives (a gzip log: its compressed
    /// bytes).
    Streaming {
        /// Bytes of the file (or of a helper's share of it) read so far.
        bytes_read: u64,
        /// The file's (or the helper's share's) size in bytes.
        file_bytes: u64,
        /// Events indexed so far.
        events_read: u64,
    },
}

/// From a worker to the page.
#[derive(Debug)]
pub enum FromWorker {
    /// The worker is listening.
    Ready,
    /// Loading made progress.
    Progress(Progress),
    /// The log (or, with `partial`, its start) is open.
    Loaded(Box<Summary>),
    /// The log could not be opened, or the worker stopped; the message says why, in words.
    Failed(String),
    /// A preview worker has no start of the log to show (the log is not NDJSON, or its
    /// start has no whole line); the words say why, for debugging. Not a failure: the
    /// whole log is still loading.
    NoPreview(String),
    /// The answer to a request.
    Reply {
        /// The request's id.
        id: u64,
        /// The answer.
        reply: Reply,
    },
    /// A helper's index of the tail of the log.
    TailIndex(EncodedTail),
    /// The answer to a question about the read models.
    ModelReply {
        /// The request's id.
        id: u64,
        /// The answer.
        reply: ModelReply,
    },
    /// How far each read model is folded, after a chunk of folding.
    ModelProgress(Vec<ModelProgress>),
    /// The models worker is folding this model at about this position (posted now and
    /// then while folding, so that the page can tell a handler that never returns).
    ModelFolding {
        /// The model.
        model: ModelId,
        /// The position (0-based) of an event it is about to fold.
        position: u64,
    },
}

/// The postcard part of a [`FromWorker`].
#[derive(Serialize, Deserialize)]
enum FromWorkerHeader {
    Ready,
    Progress(Progress),
    Loaded(Box<Summary>),
    Failed(String),
    NoPreview(String),
    Reply { id: u64, reply: Reply },
    TailIndex,
    ModelReply { id: u64, reply: ModelReply },
    ModelProgress(Vec<ModelProgress>),
    ModelFolding { model: ModelId, position: u64 },
}

/// A message ready to post: the value, and the buffers handed over rather than copied.
pub struct Posted {
    /// What `postMessage` sends.
    pub message: JsValue,
    /// What it hands over (its transfer list).
    pub transfer: js_sys::Array,
}

/// The `[header, beside]` array of a message; a tail index's buffer is handed over.
fn to_js(header: &impl Serialize, beside: JsValue) -> Option<Posted> {
    let bytes = postcard::to_allocvec(header).ok()?;
    let transfer = js_sys::Array::new();
    if let Some(b) = beside.dyn_ref::<js_sys::Uint8Array>() {
        transfer.push(&b.buffer());
    }
    let header: JsValue = js_sys::Uint8Array::from(&bytes[..]).into();
    Some(Posted {
        message: js_sys::Array::of2(&header, &beside).into(),
        transfer,
    })
}

/// The header and what is beside it in a posted `[header, beside]` array, if it is one of
/// ours.
fn from_js<H: DeserializeOwned>(data: &JsValue) -> Option<(H, JsValue)> {
    let pair = data.dyn_ref::<js_sys::Array>()?;
    let bytes = pair.get(0).dyn_into::<js_sys::Uint8Array>().ok()?.to_vec();
    Some((postcard::from_bytes(&bytes).ok()?, pair.get(1)))
}

impl ToWorker {
    /// The message as posted.
    pub fn to_js(self) -> Option<Posted> {
        match self {
            ToWorker::Open { log, file } => to_js(&ToWorkerHeader::Open(log), file.into()),
            ToWorker::Ask(ask) => to_js(&ToWorkerHeader::Ask(ask), JsValue::UNDEFINED),
            ToWorker::TailIndex(tail) => to_js(&ToWorkerHeader::TailIndex, tail.to_js()),
            ToWorker::Models(ask) => to_js(&ToWorkerHeader::Models(ask), JsValue::UNDEFINED),
        }
    }

    /// A posted message, if it is one of ours.
    pub fn from_js(data: &JsValue) -> Option<Self> {
        let (header, beside) = from_js(data)?;
        Some(match header {
            ToWorkerHeader::Open(log) => ToWorker::Open {
                log,
                file: beside.dyn_into().ok()?,
            },
            ToWorkerHeader::Ask(ask) => ToWorker::Ask(ask),
            ToWorkerHeader::TailIndex => ToWorker::TailIndex(EncodedTail::from_js(beside)),
            ToWorkerHeader::Models(ask) => ToWorker::Models(ask),
        })
    }
}

impl FromWorker {
    /// The message as posted.
    pub fn to_js(self) -> Option<Posted> {
        let none = JsValue::UNDEFINED;
        match self {
            FromWorker::Ready => to_js(&FromWorkerHeader::Ready, none),
            FromWorker::Progress(p) => to_js(&FromWorkerHeader::Progress(p), none),
            FromWorker::Loaded(s) => to_js(&FromWorkerHeader::Loaded(s), none),
            FromWorker::Failed(m) => to_js(&FromWorkerHeader::Failed(m), none),
            FromWorker::NoPreview(m) => to_js(&FromWorkerHeader::NoPreview(m), none),
            FromWorker::Reply { id, reply } => to_js(&FromWorkerHeader::Reply { id, reply }, none),
            FromWorker::TailIndex(tail) => to_js(&FromWorkerHeader::TailIndex, tail.to_js()),
            FromWorker::ModelReply { id, reply } => {
                to_js(&FromWorkerHeader::ModelReply { id, reply }, none)
            }
            FromWorker::ModelProgress(p) => to_js(&FromWorkerHeader::ModelProgress(p), none),
            FromWorker::ModelFolding { model, position } => {
                to_js(&FromWorkerHeader::ModelFolding { model, position }, none)
            }
        }
    }

    /// A posted message, if it is one of ours.
    pub fn from_js(data: &JsValue) -> Option<Self> {
        let (header, beside) = from_js(data)?;
        Some(match header {
            FromWorkerHeader::Ready => FromWorker::Ready,
            FromWorkerHeader::Progress(p) => FromWorker::Progress(p),
            FromWorkerHeader::Loaded(s) => FromWorker::Loaded(s),
            FromWorkerHeader::Failed(m) => FromWorker::Failed(m),
            FromWorkerHeader::NoPreview(m) => FromWorker::NoPreview(m),
            FromWorkerHeader::Reply { id, reply } => FromWorker::Reply { id, reply },
            FromWorkerHeader::TailIndex => FromWorker::TailIndex(EncodedTail::from_js(beside)),
            FromWorkerHeader::ModelReply { id, reply } => FromWorker::ModelReply { id, reply },
            FromWorkerHeader::ModelProgress(p) => FromWorker::ModelProgress(p),
            FromWorkerHeader::ModelFolding { model, position } => {
                FromWorker::ModelFolding { model, position }
            }
        })
    }
}

/// What the page's side of its workers tells the page.
#[derive(Clone, Debug, PartialEq)]
pub enum Note {
    /// Loading made progress.
    Progress(Progress),
    /// A log (or, with `partial`, its start) is open and answers requests.
    Loaded(Rc<Summary>),
    /// Loading failed or was cancelled.
    Failed {
        /// Why, in words (`None`: cancelled).
        message: Option<String>,
        /// Which log answers requests now.
        after: After,
    },
    /// What is on screen.
    Frame(Rc<Frame>),
    /// A read model was read and is folding.
    ModelApplied {
        /// Its id.
        id: ModelId,
        /// Its name.
        name: String,
    },
    /// A read model's file cannot be used.
    ModelInvalid {
        /// Its id.
        id: ModelId,
        /// Why, and where in the file.
        problem: ModelProblem,
    },
    /// How far the read models are folded.
    ModelProgress(Vec<ModelProgress>),
    /// The read models' panels.
    ModelsFrame(Rc<ModelsFrame>),
    /// A handler of a read model ran too long: its worker was stopped, and the other
    /// models are folded again by a fresh one.
    ModelStopped {
        /// The model.
        id: ModelId,
        /// The position (0-based) it was folding near.
        near: Option<u64>,
    },
    /// The read models cannot be folded (their worker failed): why, in words.
    ModelsFailed(String),
}

/// What is open after a load failed or was cancelled.
#[derive(Clone, Debug, PartialEq)]
pub enum After {
    /// The log shown until now.
    Kept,
    /// The log open before the load, whose start had replaced it on screen.
    Restored(Rc<Summary>),
    /// No log.
    Gone,
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
        let reply = session.handle(Request::Frame(Box::new(view.clone())));
        let bytes = postcard::to_allocvec(&FromWorkerHeader::Reply {
            id: 7,
            reply: reply.clone(),
        })
        .expect("encodes");
        match postcard::from_bytes::<FromWorkerHeader>(&bytes).expect("decodes") {
            FromWorkerHeader::Reply { id, reply: back } => assert_eq!((id, back), (7, reply)),
            _ => panic!("not a reply"),
        }
        let summary = session.summary("sample.ndjson", true);
        let bytes = postcard::to_allocvec(&FromWorkerHeader::Loaded(Box::new(summary.clone())))
            .expect("encodes");
        assert!(
            matches!(postcard::from_bytes(&bytes), Ok(FromWorkerHeader::Loaded(s)) if *s == summary)
        );
        let ask = Ask {
            id: 8,
            request: Request::Frame(Box::new(view)),
        };
        let bytes = postcard::to_allocvec(&ToWorkerHeader::Ask(ask.clone())).expect("encodes");
        match postcard::from_bytes::<ToWorkerHeader>(&bytes).expect("decodes") {
            ToWorkerHeader::Ask(back) => assert_eq!(back, ask),
            _ => panic!("not a request"),
        }
    }

    /// An open message keeps its role, name, offset and chosen fields.
    #[test]
    fn an_open_message_survives_postcard() {
        let log = OpenLog {
            role: Role::Tail,
            name: "big.ndjson".into(),
            tail_from: Some(113_000_000),
            fields: FieldNames {
                kind: Some("detail.kind".into()),
                ..FieldNames::default()
            },
            index_only: true,
        };
        let bytes = postcard::to_allocvec(&ToWorkerHeader::Open(log.clone())).expect("encodes");
        match postcard::from_bytes::<ToWorkerHeader>(&bytes).expect("decodes") {
            ToWorkerHeader::Open(back) => assert_eq!(back, log),
            _ => panic!("not an open message"),
        }
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
