//! Loading an NDJSON log while its bytes arrive: each chunk's whole lines are read and
//! folded at once, so reading the rest of the file overlaps with folding (in the browser,
//! the file is read by the browser while the worker folds). The result is the same
//! [`Replay`] as [`open`](crate::open) gives for the whole file; tests check it.

use std::sync::Arc;

use crate::error::LoadError;
use crate::events::{Events, Spans};
use crate::fields::FieldKeys;
use crate::load::formats::{split_lines, starts_ndjson};
use crate::load::ingest::{detect_mode, finish, Candidates, Ingest, MODE_SAMPLE};
use crate::load::scan::{scan_line, Namer, Payload, Scanned, Scanner};
use crate::load::tail::{line_start_from, TailIndex};
use crate::load::LoadOptions;
use crate::log::{BadLine, Bodies, EventMeta, Format, Log, Mode};
use crate::paged::{Paged, ReadAt};
use crate::replay::Replay;
use crate::text::Text;
use crate::value::{Interner, Str, Value};

/// Gives `log` the text its events are read from, keeping the spans of its events.
fn set_text(log: &mut Log, text: Arc<Vec<u8>>) {
    let spans = match std::mem::replace(&mut log.bodies, Bodies::Values(Vec::new())) {
        Bodies::Text { spans, .. } | Bodies::Paged { spans, .. } => spans,
        Bodies::Values(_) => Spans::default(),
    };
    log.bodies = Bodies::Text {
        text: Text::Owned(text),
        spans,
    };
}

/// Events an index-only load makes room for at most before they arrive (about 860 MB of
/// per-event tables).
const MAX_RESERVED: usize = 48_000_000;

/// An NDJSON log being loaded chunk by chunk.
pub struct NdjsonStream {
    options: LoadOptions,
    /// Room for the whole file, zeroed when allocated (fresh memory, so that costs
    /// nothing); or, index-only (`paged`), the bytes not split into lines yet and room for
    /// the next part.
    bytes: Vec<u8>,
    /// Offset in the file of `bytes[0]` (0 unless index-only; past 4 GiB in a 32-bit
    /// browser).
    base: u64,
    /// Bytes of `bytes` that have arrived.
    filled: usize,
    /// Index-only: where the events' text is read from once its bytes here are dropped.
    paged: Option<Paged>,
    /// Where in `bytes` the first byte not yet split into lines is.
    cut: usize,
    line_no: usize,
    /// The non-blank lines split and not yet in the log: their spans and numbers.
    spans: Spans,
    lines: crate::events::Lines,
    /// Lines read before the fold mode is decided.
    first: Vec<(usize, Result<Scanned, String>)>,
    /// The next line to read.
    next: usize,
    log: Log,
    ingest: Option<Ingest>,
    interner: Interner,
    namer: Namer,
    /// Lines from the first line start at or after this offset are left to a helper
    /// (see [`start_leaving_tail`](Self::start_leaving_tail)).
    tail_from: Option<usize>,
}

impl NdjsonStream {
    /// Starts loading a log whose first bytes are `head`, when they are certainly NDJSON
    /// and no format is forced; `None` otherwise (load the whole file with `open`).
    /// `size` is the file's size, so its bytes are held without copying them again.
    pub fn start(head: &[u8], size: usize, options: &LoadOptions) -> Option<Self> {
        Self::start_leaving_tail(head, size, options, None)
    }

    /// [`start`](Self::start), index-only: the bytes of each part are dropped once its
    /// lines are indexed, and the log reads its events' text from `file` (the same `size`
    /// bytes) when asked, so that a log larger than memory can be opened. Folding may
    /// read earlier events from `file` while the log loads.
    pub fn start_index_only(
        head: &[u8],
        size: u64,
        options: &LoadOptions,
        file: Arc<dyn ReadAt>,
    ) -> Option<Self> {
        let cut = Self::starts(head, options)?;
        let paged = Some(Paged::new(file));
        let mut stream = Self::new(head, head.len(), options, cut, None, paged);
        // Room for the events the file holds if its lines are as long as its head's, so
        // that the per-event tables do not double (and copy) as they fill: a large log's
        // memory at its peak is then about what it keeps. Bounded, in case the head is
        // not like the rest: no event is shorter than `{}` and its newline, and past
        // MAX_RESERVED events the tables grow as they come.
        let lines = head.iter().filter(|&&b| b == b'\n').count() as f64;
        let expected = (lines * size as f64 / head.len().max(1) as f64 * 1.02)
            .min(size as f64 / 3.0)
            .min(MAX_RESERVED as f64);
        let room = (expected as usize).saturating_sub(stream.log.events.len());
        stream.log.events.reserve(room);
        if let Some(spans) = stream.log.bodies.spans_mut() {
            spans.reserve(room);
        }
        Some(stream)
    }

    /// Where a log whose first bytes are `head` starts being read as NDJSON (past a
    /// byte-order mark), when it certainly is NDJSON and no format is forced.
    fn starts(head: &[u8], options: &LoadOptions) -> Option<usize> {
        if options.format.is_some_and(|f| f != Format::Ndjson) || !starts_ndjson(head) {
            return None;
        }
        Some(if head.starts_with(&[0xEF, 0xBB, 0xBF]) {
            3
        } else {
            0
        })
    }

    /// [`start`](Self::start), leaving the lines from the first line start at or after
    /// byte `tail_from` (when given) to a helper that indexes them meanwhile
    /// ([`TailIndexer`](crate::TailIndexer)). This stream still takes every byte;
    /// [`finish_with_tail`](Self::finish_with_tail) then appends what the helper found,
    /// or reads those lines itself.
    pub fn start_leaving_tail(
        head: &[u8],
        size: usize,
        options: &LoadOptions,
        tail_from: Option<usize>,
    ) -> Option<Self> {
        let cut = Self::starts(head, options)?;
        Some(Self::new(
            head,
            size,
            options,
            cut,
            tail_from.filter(|&f| f > cut),
            None,
        ))
    }

    /// Starts loading lines that are certainly NDJSON (the tail of a log), from byte `cut`
    /// of `head`; index-only when `paged` says where to read the text back.
    pub(crate) fn new(
        head: &[u8],
        size: usize,
        options: &LoadOptions,
        cut: usize,
        tail_from: Option<usize>,
        paged: Option<Paged>,
    ) -> Self {
        let producer = crate::load::producers::detect_in_texts(
            head[cut..]
                .split(|&b| b == b'\n')
                .map(<[u8]>::trim_ascii)
                .filter(|l| !l.is_empty()),
        );
        let keys = producer
            .map_or_else(FieldKeys::default, |p| p.keys())
            .overridden(&options.fields);
        let scanner = Arc::new(Scanner::new(&keys));
        // Allocated zeroed in one piece: fresh memory is zero already, so this costs no
        // pass over it (growing the buffer part by part zeroed every byte first).
        let room = if paged.is_some() { head.len() } else { size };
        let mut bytes = vec![0u8; room.max(head.len())];
        bytes[..head.len()].copy_from_slice(head);
        let bodies = match &paged {
            Some(pages) => Bodies::Paged {
                pages: pages.clone(),
                spans: Spans::default(),
            },
            None => Bodies::Text {
                text: Text::default(),
                spans: Spans::default(),
            },
        };
        let mut stream = NdjsonStream {
            options: options.clone(),
            bytes,
            base: 0,
            filled: head.len(),
            paged,
            cut,
            line_no: 0,
            spans: Spans::default(),
            lines: crate::events::Lines::default(),
            first: Vec::new(),
            next: 0,
            log: Log {
                format: Format::Ndjson,
                mode: Mode::Merge,
                events: Events::default(),
                types: Vec::new(),
                streams: Vec::new(),
                bad_lines: Vec::new(),
                initial_state: Value::empty_object(),
                producer,
                bodies,
                keys,
                scanner,
                recorded_states: None,
                edited: None,
            },
            ingest: None,
            interner: Interner::default(),
            namer: Namer::default(),
            tail_from,
        };
        stream.fold_whole_lines();
        stream
    }

    /// Where the lines left to a helper start, once the bytes up to it have arrived.
    fn tail_start(&self) -> Option<usize> {
        let from = self.tail_from?;
        // Index-only loads leave no tail (their bytes start at `base`, not 0).
        if self.paged.is_some() {
            return None;
        }
        line_start_from(
            &self.bytes[..self.filled],
            from,
            self.filled == self.bytes.len(),
        )
    }

    /// Bytes received so far.
    pub fn bytes(&self) -> u64 {
        self.base + self.filled as u64
    }

    /// Events folded so far.
    pub fn events(&self) -> usize {
        self.log.events.len()
    }

    /// Takes the next chunk: `fill` writes its `len` bytes. Its whole lines are folded.
    pub fn push(&mut self, len: usize, fill: impl FnOnce(&mut [u8])) {
        let start = self.filled;
        if self.bytes.len() < start + len {
            // More than the size given at the start (the file grew), or the next part of
            // an index-only load: make room.
            self.bytes.resize(start + len, 0);
        }
        fill(&mut self.bytes[start..start + len]);
        self.filled += len;
        self.fold_whole_lines();
    }

    /// Folds the lines that end in the bytes received so far (and before the tail).
    fn fold_whole_lines(&mut self) {
        let end = match (self.tail_from, self.tail_start()) {
            (_, Some(start)) => start,
            // Lines ending before `from - 1` certainly end before the tail.
            (Some(from), None) => self.filled.min(from - 1),
            (None, None) => self.filled,
        };
        if end <= self.cut {
            return;
        }
        let window = &self.bytes[self.cut..end];
        if let Some(last) = window.iter().rposition(|&b| b == b'\n') {
            self.split_to(self.cut + last + 1);
            self.fold();
        }
    }

    fn split_to(&mut self, end: usize) {
        let split = split_lines(
            &self.bytes,
            self.base,
            self.cut,
            end,
            &mut self.line_no,
            &mut self.spans,
            &mut self.lines,
        );
        if let Err(e) = split {
            // Only a line over 4 GiB fails; it stays unread, like a bad line.
            self.log.bad_lines.push(crate::log::BadLine {
                line: self.line_no,
                reason: e.to_string(),
                before_position: self.log.events.len(),
            });
        }
        self.cut = end;
    }

    /// Reads and folds the lines split so far.
    fn fold(&mut self) {
        // The log reads its text while folding (a state-replacing event re-folds the ones
        // before it): lend it the bytes, and take them back after.
        // Index-only, the log reads earlier events from the file instead.
        let text = Arc::new(std::mem::take(&mut self.bytes));
        if self.paged.is_none() {
            set_text(&mut self.log, text.clone());
        }
        while self.next < self.spans.len() {
            let i = self.next;
            self.next += 1;
            let payload = self.ingest.as_ref().map_or(Payload::Read, Ingest::payload);
            let (start, len) = self.spans.get(i).unwrap_or_default();
            let here = usize::try_from(start - self.base).unwrap_or(usize::MAX);
            let line = here
                .checked_add(len as usize)
                .and_then(|end| text.get(here..end))
                .unwrap_or_default();
            let scanned = scan_line(
                &self.log.scanner,
                line,
                &mut self.interner,
                &mut self.namer,
                payload,
            );
            match &mut self.ingest {
                Some(ingest) => ingest.add(
                    &mut self.log,
                    &Candidates::ndjson(&self.spans, &self.lines),
                    i,
                    scanned,
                ),
                None => {
                    self.first.push((i, scanned));
                    let good = self.first.iter().filter(|(_, r)| r.is_ok()).count();
                    if good >= MODE_SAMPLE {
                        self.decide_mode();
                    }
                }
            }
        }
        if self.paged.is_none() {
            set_text(&mut self.log, Arc::default());
        }
        self.bytes = Arc::try_unwrap(text).unwrap_or_else(|shared| (*shared).clone());
        if self.paged.is_some() {
            // Every line before `cut` is indexed: its bytes are read from the file now.
            // The rest moves to the front; the buffer keeps its length (its bytes past
            // `filled` are room for the next part, so they are not zeroed again).
            self.bytes.copy_within(self.cut..self.filled, 0);
            self.filled -= self.cut;
            self.base += self.cut as u64;
            self.cut = 0;
        }
        if self.ingest.is_some() {
            // Every candidate so far is in the log (its span, or its bad line): their
            // spans and line numbers are not needed again.
            self.spans = Spans::default();
            self.lines = crate::events::Lines::default();
            self.next = 0;
        }
    }

    /// Picks the fold mode from the lines read so far, then folds them.
    fn decide_mode(&mut self) {
        let scanned = self.first.iter().filter_map(|(_, r)| r.as_ref().ok());
        self.log.mode = self
            .options
            .mode
            .unwrap_or_else(|| detect_mode(scanned, Format::Ndjson));
        let mut ingest = Ingest::new(&self.log, &self.options);
        for (i, r) in std::mem::take(&mut self.first) {
            ingest.add(
                &mut self.log,
                &Candidates::ndjson(&self.spans, &self.lines),
                i,
                r,
            );
        }
        self.ingest = Some(ingest);
    }

    /// Folds the last line (if the file does not end with a newline) and gives the log.
    /// Lines left to a helper are read here.
    pub fn finish(self) -> Result<Replay, LoadError> {
        let (log, ingest, namer) = self.read_to_end();
        match ingest {
            Some(ingest) => finish(log, ingest, namer),
            None => Err(LoadError::Empty),
        }
    }

    /// Reads the lines not read yet (all of them), and gives what was built.
    fn read_to_end(mut self) -> (Log, Option<Ingest>, Namer) {
        self.tail_from = None;
        self.bytes.truncate(self.filled);
        let end = self.filled;
        self.split_to(end);
        self.fold();
        if self.ingest.is_none() {
            self.decide_mode();
        }
        let NdjsonStream {
            bytes,
            mut log,
            ingest,
            namer,
            paged,
            ..
        } = self;
        if paged.is_none() {
            set_text(&mut log, Arc::new(bytes));
        }
        (log, ingest, namer)
    }

    /// The index of these lines, as the tail of a log ([`TailIndexer`](crate::TailIndexer)):
    /// `None` unless they were indexed for a lazy merge fold.
    pub(crate) fn into_tail(self, start: usize) -> Option<TailIndex> {
        let (log, ingest, namer) = self.read_to_end();
        let columns = ingest?.into_lazy_columns()?;
        let streams: Vec<u32> = log.events.streams().to_vec();
        let touches = columns.touches(&streams);
        let (Bodies::Text { spans, .. } | Bodies::Paged { spans, .. }) = log.bodies else {
            return None;
        };
        Some(TailIndex {
            start: start as u64,
            events: log.events.iter().collect(),
            spans: spans.iter().collect(),
            types: namer.types.list,
            streams: namer.streams.list,
            bad_lines: log.bad_lines,
            touches,
            fields: log.keys,
        })
    }

    /// [`finish`](Self::finish), appending the tail a helper indexed (see
    /// [`start_leaving_tail`](Self::start_leaving_tail)) when it fits this log: same start, and a lazy merge
    /// fold decided before the tail. Otherwise the tail's lines are read here. Says
    /// whether the tail's index was used.
    pub fn finish_with_tail(
        mut self,
        tail: Option<TailIndex>,
    ) -> Result<(Replay, bool), LoadError> {
        let taken = tail.is_some_and(|tail| self.append_tail(tail));
        // What was not appended (everything, if the tail did not fit) is read here.
        self.finish().map(|replay| (replay, taken))
    }

    /// Appends the tail's index after the lines before it, if it fits; false otherwise
    /// (nothing of the tail is then taken).
    fn append_tail(&mut self, tail: TailIndex) -> bool {
        let whole = self.paged.is_none() && self.filled == self.bytes.len();
        let start = self
            .tail_from
            .and_then(|from| line_start_from(&self.bytes[..self.filled], from, whole))
            .filter(|&s| {
                whole
                    && self.ingest.is_some()
                    && Some(s) == usize::try_from(tail.start).ok()
                    && tail.fields == self.log.keys
            });
        let Some(start) = start else {
            return false;
        };
        // Everything before the tail.
        self.split_to(start);
        self.fold();
        let base = self.log.events.len();
        let (Ok(base32), Some(ingest)) = (u32::try_from(base), self.ingest.as_mut()) else {
            return false;
        };
        let Some(columns) = ingest.lazy_columns() else {
            return false;
        };
        let kinds: Vec<u32> = tail.types.iter().map(|t| self.namer.types.id(t)).collect();
        let streams: Vec<u32> = tail
            .streams
            .iter()
            .map(|s| self.namer.streams.id(s))
            .collect();
        let names = &self.namer.streams.list;
        let event_streams: Vec<Option<(u32, &Str)>> = tail
            .events
            .iter()
            .map(|e| {
                let sid = *streams.get(e.stream as usize)?;
                Some((sid, names.get(sid as usize)?))
            })
            .collect();
        columns.absorb(base32, &event_streams, &tail.touches);
        let lines_before = u32::try_from(self.line_no).unwrap_or(u32::MAX);
        self.log
            .events
            .extend(tail.events.iter().map(|e| EventMeta {
                kind: kinds.get(e.kind as usize).copied().unwrap_or(e.kind),
                stream: streams.get(e.stream as usize).copied().unwrap_or(e.stream),
                line: e.line.saturating_add(lines_before),
                ..*e
            }));
        if let Some(spans) = self.log.bodies.spans_mut() {
            spans.extend(tail.spans.iter().map(|&(s, l)| (start as u64 + s, l)));
        }
        self.log
            .bad_lines
            .extend(tail.bad_lines.into_iter().map(|b| BadLine {
                line: b.line + self.line_no,
                before_position: b.before_position + base,
                ..b
            }));
        // Nothing is left to read.
        self.cut = self.filled;
        true
    }

    /// Lines that could not be read so far.
    pub(crate) fn bad_lines(&self) -> usize {
        self.log.bad_lines.len() + self.first.iter().filter(|(_, r)| r.is_err()).count()
    }

    /// True once some line was read as an event.
    pub(crate) fn read_any(&self) -> bool {
        !self.log.events.is_empty() || self.first.iter().any(|(_, r)| r.is_ok())
    }
}
