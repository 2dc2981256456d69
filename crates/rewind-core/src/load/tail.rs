//! Loading one NDJSON log on two threads without shared memory (the browser's two
//! workers): the loading thread reads every byte but indexes only the lines before the
//! middle of the file, while a helper indexes the lines after it into a [`TailIndex`]. The
//! loading thread then appends that index to its own ([`NdjsonStream::finish_with_tail`]).
//!
//! This works for a lazy merge fold, whose load only records which events touched which
//! stream: nothing of the tail depends on the events before it. The helper assumes that
//! fold; when the log turns out to need another (its first events decide), the loading
//! thread ignores the index and reads the tail itself. The result is the same
//! [`Replay`](crate::Replay) as loading the file in one piece; tests check it.

use serde::{Deserialize, Serialize};

use crate::load::arriving::NdjsonStream;
use crate::load::LoadOptions;
use crate::log::{BadLine, EventMeta, Mode};
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

/// Lines a helper reads before giving up on a tail with no event in it (the file is then
/// most likely not NDJSON, and the loading thread will read it another way).
const GIVE_UP_LINES: usize = 256;

/// Indexes the tail of an NDJSON log in a helper thread: give it the file's bytes from
/// [`TailIndexer::read_from`] to the end.
pub struct TailIndexer {
    /// The file offset where the tail may start (its first line starts at or after it).
    from: usize,
    size: usize,
    /// Bytes read before the tail's start was found.
    pending: Vec<u8>,
    /// The tail's start, and its lines being indexed.
    stream: Option<(usize, NdjsonStream)>,
    gave_up: bool,
}

impl TailIndexer {
    /// A helper for the lines of a `size`-byte file that start at or after byte `from`.
    pub fn new(from: usize, size: usize) -> Self {
        TailIndexer {
            from,
            size,
            pending: Vec::new(),
            stream: None,
            gave_up: false,
        }
    }

    /// The byte of the file to start reading at (the one before `from`, to see whether a
    /// line starts at `from`).
    pub fn read_from(&self) -> usize {
        self.from.saturating_sub(1)
    }

    /// Bytes of the tail taken so far.
    pub fn bytes(&self) -> usize {
        self.stream.as_ref().map_or(0, |(_, s)| s.bytes())
    }

    /// Events of the tail indexed so far.
    pub fn events(&self) -> usize {
        self.stream.as_ref().map_or(0, |(_, s)| s.events())
    }

    /// Takes the next `len` bytes of the file, written by `fill`. False once the helper has
    /// given up (no event in the first lines): read no more.
    pub fn push(&mut self, len: usize, fill: impl FnOnce(&mut [u8])) -> bool {
        if self.gave_up {
            return false;
        }
        if let Some((_, stream)) = &mut self.stream {
            stream.push(len, fill);
            return self.keep_going();
        }
        let at = self.pending.len();
        self.pending.resize(at + len, 0);
        fill(&mut self.pending[at..]);
        let read_from = self.read_from();
        let whole = read_from + self.pending.len() >= self.size;
        let start = line_start_from(&self.pending, self.from - read_from, whole);
        if let Some(start) = start {
            let head = &self.pending[start..];
            let options = LoadOptions {
                mode: Some(Mode::Merge),
                lazy: true,
                ..LoadOptions::default()
            };
            let tail_start = read_from + start;
            let stream = NdjsonStream::new(head, self.size - tail_start, &options, 0, None);
            self.stream = Some((tail_start, stream));
            self.pending = Vec::new();
        }
        self.keep_going()
    }

    fn keep_going(&mut self) -> bool {
        if let Some((_, stream)) = &self.stream {
            self.gave_up = !stream.read_any() && stream.bad_lines() >= GIVE_UP_LINES;
        }
        !self.gave_up
    }

    /// The index of the tail, or `None` when it cannot be appended to a lazy merge fold
    /// (the loading thread then reads the tail itself).
    pub fn finish(self) -> Option<TailIndex> {
        if self.gave_up {
            return None;
        }
        let (start, stream) = self.stream?;
        stream.into_tail(start)
    }
}
