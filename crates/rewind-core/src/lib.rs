//! # rewind-core
//!
//! The replay core of Rewind, a time-travel debugger for event logs. It reads an event log
//! (JSON array, NDJSON, wrapped, CloudEvents, Redux DevTools exports), folds the events into
//! state (RFC 7396 merge, RFC 6902 patch, or recorded states), and answers: what was the
//! state at position `p`, what did event `p` change, and which events ever touched a field.
//! It has no web dependency: the same code runs in the `rewind` CLI and in the browser.
//!
//! ```
//! use rewind_core::{open, LoadOptions, Pointer};
//!
//! let log = br#"{"type":"OrderPlaced","stream":"order-1","data":{"status":"placed","total":10}}
//! {"type":"OrderPaid","stream":"order-1","data":{"status":"paid"}}"#;
//! let replay = open(&log[..], &LoadOptions::default()).unwrap();
//! assert_eq!(replay.len(), 2);
//! let state = replay.state_at(1);
//! assert_eq!(state.to_json(), serde_json::json!({"order-1": {"status": "paid", "total": 10}}));
//!
//! // What event 1 changed, and every event that touched /order-1/status.
//! let diff = replay.event_diff(1);
//! assert_eq!(diff[0].path.to_string(), "/order-1/status");
//! let history = replay.history(&Pointer::parse("/order-1/status").unwrap());
//! assert_eq!(history.len(), 2);
//! ```

pub mod base64;
pub mod diff;
pub mod error;
pub mod events;
mod exact;
pub mod fields;
pub mod flow;
pub mod generate;
pub mod jq;
pub mod load;
pub mod log;
pub mod merge;
pub mod model;
mod names;
mod number;
pub mod paged;
pub mod patch;
pub mod pointer;
pub mod replay;
pub mod saved;
pub mod text;
pub mod timeline;
pub mod value;
pub mod whatif;

pub use load::{gzip, jsan, producers};
pub use timeline::fold;

pub use diff::{diff, json_patch, to_json_patch, Change, Op};
pub use error::LoadError;
pub use flow::{FlowIndex, FlowKeys};
pub use load::arriving::NdjsonStream;
pub use load::tail::TailIndex;
pub use load::tail_indexer::TailIndexer;
pub use load::{open, open_with_progress, LoadOptions};
pub use log::{BadLine, Event, Format, Log, Mode};
pub use pointer::Pointer;
pub use producers::Producer;
pub use replay::{HistoryEntry, Replay, Stats};
pub use text::Text;
pub use timeline::{Cursor, States, Timeline, TimelineKind};
pub use value::Value;
