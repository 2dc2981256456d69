//! What a log keeps of every event in memory, packed: the index a log is judged by (SPEC
//! §10). An event costs about 10 bytes here and 8 in [`Spans`], however large it is:
//!
//! * its type id in two bytes (four once a log has more than 65,535 types) and its stream
//!   id in four;
//! * its time as whole milliseconds from its block's first time, in four bytes; a time
//!   that is not a whole number of milliseconds from it is kept exactly on the side;
//! * its line, its flags, and the offsets of its text only where they break the pattern of
//!   the events before them (a log's lines follow each other; a skipped or failed event is
//!   rare).
//!
//! Every event reads back as the [`EventMeta`] it was given (property tests check it).

use crate::log::EventMeta;

/// Events per block: each block of times and offsets has its own base.
const BLOCK: usize = 64;

/// A time delta that says the event has no time (NaN).
const NO_TIME: i32 = i32::MIN;
/// A time delta that says the time is in [`Events::exact_times`].
const EXACT_TIME: i32 = i32::MIN + 1;

const TIME_INVALID: u8 = 1;
const SKIPPED: u8 = 2;
const PAYLOAD_PROBLEM: u8 = 4;

/// The type ids of the events: two bytes each until an id needs more.
#[derive(Clone, Debug)]
enum Kinds {
    Narrow(Vec<u16>),
    Wide(Vec<u32>),
}

impl Default for Kinds {
    fn default() -> Self {
        Kinds::Narrow(Vec::new())
    }
}

impl Kinds {
    fn get(&self, p: usize) -> Option<u32> {
        match self {
            Kinds::Narrow(v) => v.get(p).map(|&k| u32::from(k)),
            Kinds::Wide(v) => v.get(p).copied(),
        }
    }

    fn push(&mut self, kind: u32) {
        if let Kinds::Narrow(v) = self {
            match u16::try_from(kind) {
                Ok(k) => return v.push(k),
                Err(_) => *self = Kinds::Wide(v.iter().map(|&k| u32::from(k)).collect()),
            }
        }
        if let Kinds::Wide(v) = self {
            v.push(kind);
        }
    }

    fn set(&mut self, p: usize, kind: u32) {
        if let Kinds::Narrow(v) = self {
            match (u16::try_from(kind), v.get_mut(p)) {
                (Ok(k), Some(slot)) => return *slot = k,
                (Ok(_), None) => return,
                (Err(_), _) => *self = Kinds::Wide(v.iter().map(|&k| u32::from(k)).collect()),
            }
        }
        if let Kinds::Wide(v) = self {
            if let Some(slot) = v.get_mut(p) {
                *slot = kind;
            }
        }
    }

    fn bytes(&self) -> usize {
        match self {
            Kinds::Narrow(v) => v.capacity() * 2,
            Kinds::Wide(v) => v.capacity() * 4,
        }
    }
}

/// The metadata of a log's events, by position, packed (see the module's documentation).
#[derive(Clone, Default)]
pub struct Events {
    kinds: Kinds,
    streams: Vec<u32>,
    /// For each block: the time its deltas count from (NaN until an event of it has one).
    time_bases: Vec<f64>,
    /// Each event's time in whole milliseconds from its block's base, or [`NO_TIME`], or
    /// [`EXACT_TIME`].
    time_deltas: Vec<i32>,
    /// The times no delta holds, by position (ascending).
    exact_times: Vec<(u32, f64)>,
    /// The line each event starts at.
    lines: Lines,
    /// The events with a flag set, by position (ascending).
    flags: Vec<(u32, u8)>,
}

fn flags_of(meta: &EventMeta) -> u8 {
    let bit = |set: bool, bit: u8| if set { bit } else { 0 };
    bit(meta.time_invalid, TIME_INVALID)
        | bit(meta.skipped, SKIPPED)
        | bit(meta.payload_problem, PAYLOAD_PROBLEM)
}

/// Position `p` as stored (a log has fewer than 2^32 events: its ids are `u32` too).
fn pos32(p: usize) -> u32 {
    u32::try_from(p).unwrap_or(u32::MAX)
}

/// The line of event `p` under the line entry `(position, line)`.
fn line_from(entry: (u32, u32), p: usize) -> u32 {
    match entry {
        (_, 0) => 0,
        (from, line) => line.saturating_add(pos32(p).saturating_sub(from)),
    }
}

/// Sets `map[p]` to `value` in a list sorted by position, or removes it when `None`.
fn set_sparse<T: Copy>(map: &mut Vec<(u32, T)>, p: u32, value: Option<T>) {
    let i = map.partition_point(|&(q, _)| q < p);
    let here = map.get(i).is_some_and(|&(q, _)| q == p);
    match (here, value) {
        (true, Some(v)) => map[i].1 = v,
        (true, None) => {
            map.remove(i);
        }
        (false, Some(v)) => map.insert(i, (p, v)),
        (false, None) => {}
    }
}

fn get_sparse<T: Copy>(map: &[(u32, T)], p: u32) -> Option<T> {
    let i = map.partition_point(|&(q, _)| q < p);
    map.get(i).filter(|&&(q, _)| q == p).map(|&(_, v)| v)
}

impl Events {
    /// Number of events.
    pub fn len(&self) -> usize {
        self.streams.len()
    }

    /// True when there is no event.
    pub fn is_empty(&self) -> bool {
        self.streams.is_empty()
    }

    /// Room for `n` more events.
    pub fn reserve(&mut self, n: usize) {
        self.streams.reserve(n);
        self.time_deltas.reserve(n);
        match &mut self.kinds {
            Kinds::Narrow(v) => v.reserve(n),
            Kinds::Wide(v) => v.reserve(n),
        }
    }

    /// The type id of event `p`.
    pub fn kind(&self, p: usize) -> Option<u32> {
        self.kinds.get(p)
    }

    /// The stream id of event `p` ([`NO_STREAM`](crate::log::NO_STREAM) when it has none).
    pub fn stream(&self, p: usize) -> Option<u32> {
        self.streams.get(p).copied()
    }

    /// The stream ids of all events, by position.
    pub fn streams(&self) -> &[u32] {
        &self.streams
    }

    /// The time of event `p` in milliseconds since the epoch (NaN: none).
    pub fn time_ms(&self, p: usize) -> Option<f64> {
        let delta = *self.time_deltas.get(p)?;
        Some(match delta {
            NO_TIME => f64::NAN,
            EXACT_TIME => get_sparse(&self.exact_times, pos32(p)).unwrap_or(f64::NAN),
            d => self.time_bases.get(p / BLOCK).copied().unwrap_or(f64::NAN) + f64::from(d),
        })
    }

    /// Everything kept of event `p`.
    pub fn get(&self, p: usize) -> Option<EventMeta> {
        let kind = self.kind(p)?;
        let flags = get_sparse(&self.flags, pos32(p)).unwrap_or(0);
        Some(self.meta(p, kind, flags, self.lines.get(p).unwrap_or(0)))
    }

    fn meta(&self, p: usize, kind: u32, flags: u8, line: u32) -> EventMeta {
        EventMeta {
            kind,
            stream: self.streams[p],
            time_ms: self.time_ms(p).unwrap_or(f64::NAN),
            time_invalid: flags & TIME_INVALID != 0,
            line,
            skipped: flags & SKIPPED != 0,
            payload_problem: flags & PAYLOAD_PROBLEM != 0,
        }
    }

    /// The events in order.
    pub fn iter(&self) -> Iter<'_> {
        self.iter_from(0)
    }

    /// The events from position `from` on, in order.
    pub fn iter_from(&self, from: usize) -> Iter<'_> {
        let from32 = pos32(from);
        Iter {
            events: self,
            next: from,
            line: self.lines.entry_after(from),
            flag: self.flags.partition_point(|&(q, _)| q < from32),
        }
    }

    /// The encoded delta of `time` for event `p` (whose block base may be set now), and
    /// whether it must be kept exactly.
    fn encode_time(&mut self, p: usize, time: f64) -> i32 {
        if time.is_nan() {
            return NO_TIME;
        }
        if !time.is_finite() {
            return EXACT_TIME;
        }
        let Some(base) = self.time_bases.get_mut(p / BLOCK) else {
            return EXACT_TIME;
        };
        if base.is_nan() {
            *base = time;
        }
        let d = time - *base;
        let fits = d.fract() == 0.0 && d > f64::from(EXACT_TIME) && d <= f64::from(i32::MAX);
        match fits {
            // `d` is whole and in range, so the cast is exact; check the sum is too.
            #[allow(clippy::cast_possible_truncation)]
            true if (*base + f64::from(d as i32)).to_bits() == time.to_bits() => d as i32,
            _ => EXACT_TIME,
        }
    }

    /// Appends an event.
    pub fn push(&mut self, meta: EventMeta) {
        let p = self.len();
        let p32 = pos32(p);
        if p % BLOCK == 0 {
            self.time_bases.push(f64::NAN);
        }
        let delta = self.encode_time(p, meta.time_ms);
        if delta == EXACT_TIME {
            self.exact_times.push((p32, meta.time_ms));
        }
        self.time_deltas.push(delta);
        self.lines.push(meta.line);
        let flags = flags_of(&meta);
        if flags != 0 {
            self.flags.push((p32, flags));
        }
        self.kinds.push(meta.kind);
        self.streams.push(meta.stream);
    }

    /// Replaces what is kept of event `p` (an edited event's new type, say).
    pub fn set(&mut self, p: usize, meta: EventMeta) {
        let Some(old) = self.get(p) else {
            return;
        };
        let p32 = pos32(p);
        self.kinds.set(p, meta.kind);
        self.streams[p] = meta.stream;
        let old_bits = old.time_ms.to_bits();
        if meta.time_ms.to_bits() != old_bits {
            let delta = self.encode_time(p, meta.time_ms);
            self.time_deltas[p] = delta;
            let exact = (delta == EXACT_TIME).then_some(meta.time_ms);
            set_sparse(&mut self.exact_times, p32, exact);
        }
        self.lines.set(p, meta.line);
        let flags = flags_of(&meta);
        set_sparse(&mut self.flags, p32, (flags != 0).then_some(flags));
    }

    /// Gives back the room reserved for events that did not come.
    pub fn shrink_to_fit(&mut self) {
        match &mut self.kinds {
            Kinds::Narrow(v) => v.shrink_to_fit(),
            Kinds::Wide(v) => v.shrink_to_fit(),
        }
        self.streams.shrink_to_fit();
        self.time_bases.shrink_to_fit();
        self.time_deltas.shrink_to_fit();
        self.exact_times.shrink_to_fit();
        self.lines.entries.shrink_to_fit();
        self.flags.shrink_to_fit();
    }

    /// Bytes held (the capacity of every table).
    pub fn bytes(&self) -> usize {
        self.kinds.bytes()
            + self.streams.capacity() * 4
            + self.time_bases.capacity() * 8
            + self.time_deltas.capacity() * 4
            + self.exact_times.capacity() * 16
            + self.lines.entries.capacity() * 8
            + self.flags.capacity() * 8
    }
}

impl Extend<EventMeta> for Events {
    fn extend<I: IntoIterator<Item = EventMeta>>(&mut self, iter: I) {
        for meta in iter {
            self.push(meta);
        }
    }
}

impl FromIterator<EventMeta> for Events {
    fn from_iter<I: IntoIterator<Item = EventMeta>>(iter: I) -> Self {
        let mut events = Events::default();
        events.extend(iter);
        events
    }
}

impl std::fmt::Debug for Events {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_list().entries(self.iter()).finish()
    }
}

impl PartialEq for Events {
    fn eq(&self, other: &Self) -> bool {
        self.len() == other.len() && self.iter().zip(other.iter()).all(|(a, b)| same(&a, &b))
    }
}

/// Equal metadata, NaN times included.
fn same(a: &EventMeta, b: &EventMeta) -> bool {
    a.time_ms.to_bits() == b.time_ms.to_bits() || a == b
}

/// The events of [`Events`] in order, reading the side tables with cursors rather than
/// searching them for each event.
pub struct Iter<'a> {
    events: &'a Events,
    next: usize,
    line: usize,
    flag: usize,
}

impl Iterator for Iter<'_> {
    type Item = EventMeta;

    fn next(&mut self) -> Option<EventMeta> {
        let e = self.events;
        let p = self.next;
        let kind = e.kind(p)?;
        let p32 = pos32(p);
        let entries = &e.lines.entries;
        while entries.get(self.line).is_some_and(|&(q, _)| q <= p32) {
            self.line += 1;
        }
        let line = self
            .line
            .checked_sub(1)
            .map_or(0, |i| line_from(entries[i], p));
        let flags = match e.flags.get(self.flag) {
            Some(&(q, f)) if q == p32 => {
                self.flag += 1;
                f
            }
            _ => 0,
        };
        self.next += 1;
        Some(e.meta(p, kind, flags, line))
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        let left = self.events.len().saturating_sub(self.next);
        (left, Some(left))
    }
}

impl ExactSizeIterator for Iter<'_> {}

/// Line numbers by index, kept only where they break the pattern of one line after
/// another: the lines of a log's events, and of the candidate events of a file while it
/// loads.
#[derive(Clone, Debug, Default)]
pub struct Lines {
    /// From `index` on, entry `i` is `line + (i - index)` (or 0, unknown, when `line` is
    /// 0), until the next entry.
    entries: Vec<(u32, u32)>,
    len: usize,
}

impl Lines {
    /// Number of lines.
    pub fn len(&self) -> usize {
        self.len
    }

    /// True when there is none.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// Appends a line number.
    pub fn push(&mut self, line: u32) {
        let i = self.len;
        let expected = self.entries.last().map(|&e| line_from(e, i));
        if expected != Some(line) {
            self.entries.push((pos32(i), line));
        }
        self.len += 1;
    }

    /// Line number `i`.
    pub fn get(&self, i: usize) -> Option<u32> {
        if i >= self.len {
            return None;
        }
        let k = self.entry_after(i);
        Some(
            k.checked_sub(1)
                .map_or(0, |k| line_from(self.entries[k], i)),
        )
    }

    /// The first entry that starts after index `i`.
    fn entry_after(&self, i: usize) -> usize {
        self.entries.partition_point(|&(q, _)| q <= pos32(i))
    }

    /// Makes line number `i` `line`, the others staying as they are.
    fn set(&mut self, i: usize, line: u32) {
        let Some(old) = self.get(i) else {
            return;
        };
        if line == old {
            return;
        }
        // The next index keeps its line: pin it before changing this one's.
        if let Some(next) = self.get(i + 1) {
            set_sparse(&mut self.entries, pos32(i + 1), Some(next));
        }
        set_sparse(&mut self.entries, pos32(i), Some(line));
    }

    /// The line numbers in order.
    pub fn to_vec(&self) -> Vec<u32> {
        (0..self.len).filter_map(|i| self.get(i)).collect()
    }
}

impl FromIterator<u32> for Lines {
    fn from_iter<I: IntoIterator<Item = u32>>(iter: I) -> Self {
        let mut lines = Lines::default();
        for line in iter {
            lines.push(line);
        }
        lines
    }
}

/// A sentinel offset that says the start is in [`Spans::far`].
const FAR: u32 = u32::MAX;

/// Where each event's text is in the log's bytes, `(start, len)` by position: a start is
/// kept as four bytes from its block's first start.
#[derive(Clone, Default)]
pub struct Spans {
    bases: Vec<u64>,
    starts: Vec<u32>,
    lens: Vec<u32>,
    /// Starts more than 4 GiB after their block's base, by position (ascending).
    far: Vec<(u32, u64)>,
}

impl Spans {
    /// Number of spans.
    pub fn len(&self) -> usize {
        self.lens.len()
    }

    /// True when there is no span.
    pub fn is_empty(&self) -> bool {
        self.lens.is_empty()
    }

    /// The span of event `p`: its start in the text (a file past 4 GiB, in a 32-bit
    /// browser, too) and its length.
    pub fn get(&self, p: usize) -> Option<(u64, u32)> {
        let len = *self.lens.get(p)?;
        let start = match self.starts[p] {
            FAR => get_sparse(&self.far, pos32(p))?,
            rel => self.bases.get(p / BLOCK)? + u64::from(rel),
        };
        Some((start, len))
    }

    /// The text of event `p` in `text`, the log's bytes in memory (`None` when the span
    /// is not within them).
    pub fn text_in<'t>(&self, text: &'t [u8], p: usize) -> Option<&'t [u8]> {
        let (start, len) = self.get(p)?;
        let start = usize::try_from(start).ok()?;
        text.get(start..start.checked_add(len as usize)?)
    }

    /// Appends a span.
    pub fn push(&mut self, (start, len): (u64, u32)) {
        let p = self.len();
        if p % BLOCK == 0 {
            self.bases.push(start);
        }
        let base = self.bases.last().copied().unwrap_or(0);
        let rel = start
            .checked_sub(base)
            .and_then(|r| u32::try_from(r).ok())
            .filter(|&r| r != FAR);
        match rel {
            Some(r) => self.starts.push(r),
            None => {
                self.starts.push(FAR);
                self.far.push((pos32(p), start));
            }
        }
        self.lens.push(len);
    }

    /// Room for `n` more spans.
    pub fn reserve(&mut self, n: usize) {
        self.starts.reserve(n);
        self.lens.reserve(n);
    }

    /// The spans in order.
    pub fn iter(&self) -> impl ExactSizeIterator<Item = (u64, u32)> + '_ {
        (0..self.len()).map(|p| self.get(p).unwrap_or((0, 0)))
    }

    /// Gives back the room reserved for spans that did not come.
    pub fn shrink_to_fit(&mut self) {
        self.bases.shrink_to_fit();
        self.starts.shrink_to_fit();
        self.lens.shrink_to_fit();
        self.far.shrink_to_fit();
    }

    /// Bytes held.
    pub fn bytes(&self) -> usize {
        self.bases.capacity() * 8
            + self.starts.capacity() * 4
            + self.lens.capacity() * 4
            + self.far.capacity() * 12
    }
}

impl Extend<(u64, u32)> for Spans {
    fn extend<I: IntoIterator<Item = (u64, u32)>>(&mut self, iter: I) {
        for span in iter {
            self.push(span);
        }
    }
}

impl FromIterator<(u64, u32)> for Spans {
    fn from_iter<I: IntoIterator<Item = (u64, u32)>>(iter: I) -> Self {
        let mut spans = Spans::default();
        spans.extend(iter);
        spans
    }
}

impl std::fmt::Debug for Spans {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_list().entries(self.iter()).finish()
    }
}

/// Blocks of [`BLOCK`] events needed for `n` events.
fn blocks(n: usize) -> usize {
    n.div_ceil(BLOCK)
}

impl Events {
    /// Writes these events to a saved index.
    pub(crate) fn save<W: std::io::Write>(
        &self,
        out: &mut crate::saved::bin::Out<W>,
    ) -> std::io::Result<()> {
        match &self.kinds {
            Kinds::Narrow(v) => {
                out.num(0u8)?;
                out.nums(v)?;
            }
            Kinds::Wide(v) => {
                out.num(1u8)?;
                out.nums(v)?;
            }
        }
        out.nums(&self.streams)?;
        out.nums(&self.time_bases)?;
        out.nums(&self.time_deltas)?;
        out.pairs(&self.exact_times)?;
        out.pairs(&self.lines.entries)?;
        out.pairs(&self.flags)
    }

    /// True when every event's type id is below `types` and its stream id below `streams`
    /// (or none): a check of a saved index, one pass over two tables.
    pub(crate) fn ids_below(&self, types: usize, streams: usize) -> bool {
        let kinds_ok = match &self.kinds {
            Kinds::Narrow(v) => v.iter().all(|&k| usize::from(k) < types),
            Kinds::Wide(v) => v.iter().all(|&k| (k as usize) < types),
        };
        let none = crate::log::NO_STREAM;
        kinds_ok
            && self
                .streams
                .iter()
                .all(|&s| s == none || (s as usize) < streams)
    }

    /// Reads events written by [`save`](Self::save); `None` unless their tables agree.
    pub(crate) fn load(input: &mut crate::saved::bin::In<'_>) -> Option<Self> {
        let kinds = match input.num::<u8>()? {
            0 => Kinds::Narrow(input.nums()?),
            1 => Kinds::Wide(input.nums()?),
            _ => return None,
        };
        let mut events = Events {
            kinds,
            streams: input.nums()?,
            time_bases: input.nums()?,
            time_deltas: input.nums()?,
            exact_times: input.pairs()?,
            lines: Lines {
                entries: input.pairs()?,
                len: 0,
            },
            flags: input.pairs()?,
        };
        let n = events.len();
        events.lines.len = n;
        let kinds_len = match &events.kinds {
            Kinds::Narrow(v) => v.len(),
            Kinds::Wide(v) => v.len(),
        };
        (kinds_len == n && events.time_deltas.len() == n && events.time_bases.len() == blocks(n))
            .then_some(events)
    }
}

impl Spans {
    /// Writes these spans to a saved index.
    pub(crate) fn save<W: std::io::Write>(
        &self,
        out: &mut crate::saved::bin::Out<W>,
    ) -> std::io::Result<()> {
        out.nums(&self.bases)?;
        out.nums(&self.starts)?;
        out.nums(&self.lens)?;
        out.pairs(&self.far)
    }

    /// True when every span ends within `len` bytes: a check of a saved index, block by
    /// block.
    pub(crate) fn end_within(&self, len: usize) -> bool {
        let len = len as u64;
        let near = self.starts.chunks(BLOCK).zip(self.lens.chunks(BLOCK));
        let blocks_ok = near.zip(&self.bases).all(|((starts, lens), &base)| {
            let end = starts
                .iter()
                .zip(lens)
                .filter(|(&rel, _)| rel != FAR)
                .map(|(&rel, &l)| u64::from(rel) + u64::from(l))
                .max()
                .unwrap_or(0);
            base.checked_add(end).is_some_and(|e| e <= len)
        });
        blocks_ok
            && self.far.iter().all(|&(p, start)| {
                let l = self.lens.get(p as usize).copied().unwrap_or(u32::MAX);
                start.checked_add(u64::from(l)).is_some_and(|e| e <= len)
            })
    }

    /// Reads spans written by [`save`](Self::save); `None` unless their tables agree.
    pub(crate) fn load(input: &mut crate::saved::bin::In<'_>) -> Option<Self> {
        let spans = Spans {
            bases: input.nums()?,
            starts: input.nums()?,
            lens: input.nums()?,
            far: input.pairs()?,
        };
        let n = spans.lens.len();
        (spans.starts.len() == n && spans.bases.len() == blocks(n)).then_some(spans)
    }
}

#[cfg(test)]
#[path = "events_tests.rs"]
mod tests;
