//! The helper's side of loading one NDJSON log on two threads (see [`tail`](super::tail)):
//! it takes the bytes from the middle of the file on, finds the first line that starts
//! there, and indexes the lines from it as an arriving log of their own.

use crate::load::arriving::NdjsonStream;
use crate::load::tail::{line_start_from, TailIndex};
use crate::load::LoadOptions;
use crate::log::Mode;

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
    pub fn bytes(&self) -> u64 {
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
            let stream = NdjsonStream::new(head, self.size - tail_start, &options, 0, None, None);
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
