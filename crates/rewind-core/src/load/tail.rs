//! Loading one NDJSON log on two threads without shared memory (the browser's two
//! workers): the loading thread reads every byte but indexes only the lines before the
//! middle of the file, while a helper ([`TailIndexer`](crate::TailIndexer)) indexes the
//! lines after it into a [`TailIndex`]. The loading thread then appends that index to its
//! own ([`NdjsonStream::finish_with_tail`](crate::NdjsonStream::finish_with_tail)).
//!
//! This works for a lazy merge fold, whose load only records which events touched which
//! stream: nothing of the tail depends on the events before it. The helper assumes that
//! fold; when the log turns out to need another (its first events decide), the loading
//! thread ignores the index and reads the tail itself. The result is the same
//! [`Replay`](crate::Replay) as loading the file in one piece; tests check it.

use serde::{Deserialize, Serialize};

use crate::log::{BadLine, EventMeta};
use crate::timeline::columns::TailTouches;
use crate::value::Str;

/// The start of the first line that begins at or after byte `from` of `bytes` (all of the
/// file when `whole`, else its start): just after the first newline at or after
/// `from - 1`. `None` while the bytes read so far do not tell.
pub(crate) fn line_start_from(bytes: &[u8], from: usize, whole: bool) -> Option<usize> {
    if from == 0 {
        return Some(0);
    }
    match bytes
        .get(from - 1..)
        .and_then(|rest| rest.iter().position(|&b| b == b'\n'))
    {
        Some(i) => Some(from + i),
        None => whole.then_some(bytes.len()),
    }
}

/// What a helper found in the tail of a log: the events from a line start on, indexed for
/// a lazy merge fold. Positions, lines and offsets count from the tail's start.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct TailIndex {
    /// Byte offset of the tail's first line in the file.
    pub(crate) start: u64,
    pub(crate) events: Vec<EventMeta>,
    pub(crate) spans: Vec<(u64, u32)>,
    pub(crate) types: Vec<Str>,
    pub(crate) streams: Vec<Str>,
    pub(crate) bad_lines: Vec<BadLine>,
    /// Which keys the events touched.
    pub(crate) touches: TailTouches,
    /// The field keys the events were read with: the index fits only a log read with the
    /// same keys.
    pub(crate) fields: crate::fields::FieldKeys,
}
