//! The column timeline, for the merge fold: the history of each top-level key (stream)
//! on its own.
//!
//! In the merge fold an event changes only its stream (or, without a stream, the top-level
//! keys its data names). So instead of snapshotting the whole state every K events, which
//! copies the path to every stream touched in between, each key keeps the positions of
//! the events that touched it and a checkpoint of its value every [`DEFAULT_CHECKPOINT`]
//! of its events. The value of a key at any position is its checkpoint plus at most
//! `checkpoint - 1` of its own events; a key whose last event is at or before the position
//! is read straight from its final value. Memory stays near the size of the final state,
//! and reading one stream at any position costs microseconds however long the log.
//!
//! A key's checkpoints and final value are its *fold*. An eager timeline folds every key
//! while the log loads. A lazy one only records which events touched which key, and folds
//! a key the first time it is read, by replaying that key's own events from the log: a
//! million-event log is then ready to scrub as soon as it is indexed, and a stream nobody
//! opens is never folded. Both give the same states (a property test checks it).

mod read;
mod saved;

use std::sync::OnceLock;

use crate::log::{Log, NO_STREAM};
use crate::merge::merge_patch;
use crate::value::{Interner, Object, Str, Value};

/// Events of one key between its checkpoints. Chosen by measurement: see BENCHMARKS.md.
pub const DEFAULT_CHECKPOINT: usize = 8;

/// One top-level key's history (the positions of the events that touched it are in
/// [`ColumnTimeline::events`]).
#[derive(Clone, Debug, Default)]
struct Column {
    /// The key's fold: set while loading (eager), or on first read (lazy).
    fold: OnceLock<Box<ColumnFold>>,
}

/// A key's values at its checkpoints and after its last event.
#[derive(Clone, Debug, Default)]
struct ColumnFold {
    /// `checkpoints[j]` is the value after the key's `(j + 1) * checkpoint`-th event.
    checkpoints: Vec<Option<Value>>,
    /// The value after the key's last event (`None`: absent).
    last: Option<Value>,
}

/// What the events of the tail of a log touched (see [`ColumnTimeline::touches`]).
#[derive(Clone, Debug, Default, serde::Serialize, serde::Deserialize)]
pub struct TailTouches {
    /// For each event: it merged a payload into its stream.
    pub(crate) stream: Vec<bool>,
    /// Keys named by the events without a stream, by position.
    pub(crate) root: Vec<(u32, Str)>,
    /// Keys some event removed.
    pub(crate) removable: Vec<Str>,
}

/// Why a log cannot use the column timeline (it then uses snapshots).
#[derive(Debug)]
pub struct NotColumnar;

/// Per-key histories of a merge fold.
#[derive(Clone, Debug)]
pub struct ColumnTimeline {
    checkpoint: usize,
    /// Keys are folded on first read rather than while loading.
    lazy: bool,
    names: Vec<Str>,
    index: crate::names::NameIndex,
    columns: Vec<Column>,
    /// For each key: some event removed it (a `null` member of a root merge), so being
    /// touched before a position does not prove it present there.
    removable: Vec<bool>,
    /// While loading: each `(key id, position)` an event touched, in position order, and
    /// how many events touched each key so far. Noting a touch is then a push to one list,
    /// not to one of 300,000 lists; [`finish`](Self::finish) sorts them by key at once.
    touched: Vec<(u32, u32)>,
    counts: Vec<u32>,
    /// While loading: bit `p` is set when event `p` merged a payload not read yet into its
    /// stream's key (a lazy load's usual event, noted in a bit instead of a pair; its key
    /// is found from its stream when finishing).
    stream_touches: Vec<u64>,
    /// Once finished: the positions of the events that touched key `id` are
    /// `positions[offsets[id]..offsets[id + 1]]`, ascending.
    offsets: Vec<u32>,
    positions: Vec<u32>,
    /// Column key id of each stream id (`u32::MAX`: none yet), so that stream events find
    /// their column without hashing the name again.
    stream_keys: Vec<u32>,
    /// Key ids in key order, for listing and materialising the root.
    sorted: Vec<u32>,
    /// For each entry of `sorted`: one more than the position from which the key exists
    /// (0: in the initial state; `u32::MAX`: never), and whether it can be removed again.
    /// A dense table of 8 bytes a key, so listing the keys at a position is a quick scan.
    sorted_presence: Vec<(u32, bool)>,
    initial: Object,
    len: usize,
}

/// What one event does to one key.
enum KeyChange<'a> {
    /// Merge this patch into the key's value (stream events, non-null root members).
    Merge(&'a Value),
    /// Remove the key (a `null` member of a root merge).
    Remove,
}

fn apply_change(value: &mut Option<Value>, change: &KeyChange<'_>) {
    match change {
        KeyChange::Merge(patch) => {
            let v = value.get_or_insert(Value::Null);
            merge_patch(v, patch);
        }
        KeyChange::Remove => *value = None,
    }
}

/// The changes an event makes, key by key: its stream, or the members of its data.
fn changes<'a>(
    stream: Option<&'a str>,
    input: &'a Value,
) -> Result<Vec<(&'a str, KeyChange<'a>)>, NotColumnar> {
    if input.is_null() {
        return Ok(Vec::new());
    }
    if let Some(s) = stream {
        return Ok(vec![(s, KeyChange::Merge(input))]);
    }
    let Value::Object(members) = input else {
        return Err(NotColumnar);
    };
    Ok(members
        .iter()
        .map(|(k, v)| {
            (
                k.as_ref(),
                if v.is_null() {
                    KeyChange::Remove
                } else {
                    KeyChange::Merge(v)
                },
            )
        })
        .collect())
}

impl ColumnTimeline {
    /// An empty timeline starting from `initial`, folding keys on first read when `lazy`;
    /// `NotColumnar` when the initial state is not an object.
    pub fn new(initial: &Value, checkpoint: usize, lazy: bool) -> Result<Self, NotColumnar> {
        let Value::Object(initial) = initial else {
            return Err(NotColumnar);
        };
        let mut t = ColumnTimeline {
            checkpoint: checkpoint.max(1),
            lazy,
            names: Vec::new(),
            index: crate::names::NameIndex::default(),
            stream_keys: Vec::new(),
            columns: Vec::new(),
            removable: Vec::new(),
            touched: Vec::new(),
            counts: Vec::new(),
            stream_touches: Vec::new(),
            offsets: Vec::new(),
            positions: Vec::new(),
            sorted: Vec::new(),
            sorted_presence: Vec::new(),
            initial: initial.clone(),
            len: 0,
        };
        for (k, _) in initial.iter() {
            t.key_id(k);
        }
        Ok(t)
    }

    /// The id of the top-level key `name`, if any: by binary search in the keys' sorted
    /// order once every key is in it (a finished or saved timeline, which keeps no table
    /// of names: 12 bytes a key less, and nothing to build when one is read back), else
    /// through the table.
    fn find_key(&self, name: &str) -> Option<u32> {
        if !self.names.is_empty() && self.sorted.len() == self.names.len() {
            let at = self
                .sorted
                .binary_search_by(|&id| self.names[id as usize].as_ref().cmp(name))
                .ok()?;
            return self.sorted.get(at).copied();
        }
        self.index.get(&self.names, name)
    }

    fn key_id(&mut self, name: &str) -> u32 {
        self.key_made(name, || Str::from(name))
    }

    /// [`key_id`](Self::key_id) of a name the log keeps already (a stream's), sharing it.
    fn key_id_shared(&mut self, name: &Str) -> u32 {
        self.key_made(name, || name.clone())
    }

    /// The id of key `name`, given a column (its name made by `make`) when it is new.
    fn key_made(&mut self, name: &str, make: impl FnOnce() -> Str) -> u32 {
        if self.index.is_empty() && !self.names.is_empty() {
            // Dropped once the keys were sorted (see `finish`): a key came after.
            self.index = crate::names::NameIndex::of(&self.names);
        }
        let (id, fresh) = self.index.id_of(&mut self.names, name, make);
        if fresh {
            let column = Column::default();
            if !self.lazy {
                // Folded as events arrive, from the key's initial value.
                let _ = column.fold.set(Box::new(ColumnFold {
                    checkpoints: Vec::new(),
                    last: self.initial.get(name).cloned(),
                }));
            }
            self.columns.push(column);
            self.removable.push(false);
            self.counts.push(0);
        }
        id
    }

    /// Notes that the event at `position` touched key `id`; how many events touched it.
    fn note(&mut self, id: u32, position: u32) -> u32 {
        self.touched.push((id, position));
        let count = &mut self.counts[id as usize];
        *count += 1;
        *count
    }

    /// Positions of the events that touched key `id`, ascending (once finished).
    fn events(&self, id: usize) -> &[u32] {
        match (self.offsets.get(id), self.offsets.get(id + 1)) {
            (Some(&a), Some(&b)) => &self.positions[a as usize..b as usize],
            _ => &[],
        }
    }

    /// Folds the next event, given its stream as `(stream id, name)` and what it merges
    /// (in a lazy timeline only the keys it names are noted). `NotColumnar` when its data
    /// would replace the whole state.
    pub fn push(&mut self, stream: Option<(u32, &Str)>, input: &Value) -> Result<(), NotColumnar> {
        let position = u32::try_from(self.len).map_err(|_| NotColumnar)?;
        match (stream, input) {
            (_, Value::Null) => {}
            // The common case, one stream: no list of changes to build.
            (Some((sid, name)), patch) => {
                let id = self.stream_key(sid, name);
                self.record(id, position, &KeyChange::Merge(patch));
            }
            (None, _) => {
                for (key, change) in changes(None, input)? {
                    let id = self.key_id(key);
                    self.record(id, position, &change);
                }
            }
        }
        self.len += 1;
        Ok(())
    }

    /// Notes the next event of a lazy timeline: it merges a payload (not read yet) into
    /// its stream.
    pub fn touch(&mut self, stream: (u32, &Str)) {
        debug_assert!(self.lazy, "an eager timeline needs the payload");
        let Ok(position) = u32::try_from(self.len) else {
            return;
        };
        self.stream_key(stream.0, stream.1);
        self.touch_bit(position);
        self.len += 1;
    }

    /// Notes that the event at `position` merged into its stream's key.
    fn touch_bit(&mut self, position: u32) {
        let (word, bit) = (position as usize / 64, position % 64);
        if self.stream_touches.len() <= word {
            self.stream_touches.resize(word + 1, 0);
        }
        self.stream_touches[word] |= 1 << bit;
    }

    /// True when the event at `position` merged into its stream's key, noted by a bit.
    fn touched_bit(&self, position: usize) -> bool {
        self.stream_touches
            .get(position / 64)
            .is_some_and(|w| w & (1 << (position % 64)) != 0)
    }

    /// True when keys are folded on first read; loading then need not read payloads of
    /// stream events (see [`touch`](Self::touch)).
    pub fn is_lazy(&self) -> bool {
        self.lazy
    }

    /// Notes one change to key `id` at `position`, and folds it unless lazy.
    fn record(&mut self, id: u32, position: u32, change: &KeyChange<'_>) {
        let count = self.note(id, position) as usize;
        self.removable[id as usize] |= matches!(change, KeyChange::Remove);
        let column = &mut self.columns[id as usize];
        if let Some(fold) = column.fold.get_mut() {
            apply_change(&mut fold.last, change);
            if count % self.checkpoint == 0 {
                fold.checkpoints.push(fold.last.clone());
            }
        }
    }

    fn stream_key(&mut self, stream: u32, name: &Str) -> u32 {
        let slot = stream as usize;
        if let Some(&id) = self.stream_keys.get(slot).filter(|&&id| id != u32::MAX) {
            return id;
        }
        let id = self.key_id_shared(name);
        if self.stream_keys.len() <= slot {
            self.stream_keys.resize(slot + 1, u32::MAX);
        }
        self.stream_keys[slot] = id;
        id
    }

    /// What the events of a lazy timeline touched, as a [`TailIndex`](crate::TailIndex)
    /// carries it: for each event, whether it merged into its stream (its `streams` entry,
    /// `NO_STREAM` when it has none); the `(position, key)` pairs of events without a
    /// stream, by position; and the keys some event removed.
    pub(crate) fn touches(&self, streams: &[u32]) -> TailTouches {
        let mut out = TailTouches {
            stream: vec![false; self.len],
            root: Vec::new(),
            removable: Vec::new(),
        };
        for (name, &removable) in self.names.iter().zip(&self.removable) {
            if removable {
                out.removable.push(name.clone());
            }
        }
        for p in 0..self.len {
            if self.touched_bit(p) {
                out.stream[p] = true;
            }
        }
        // In position order already.
        for &(id, p) in &self.touched {
            match streams.get(p as usize) {
                Some(&s) if s != NO_STREAM => out.stream[p as usize] = true,
                _ => out.root.push((p, self.names[id as usize].clone())),
            }
        }
        out
    }

    /// Appends the events of the tail of the log, indexed elsewhere: `streams[i]` is the
    /// stream of the tail's event `i` (by id and name, as this log names it), `touches`
    /// what they touched; their positions count from `base`. Only for lazy timelines:
    /// nothing is folded.
    pub(crate) fn absorb(
        &mut self,
        base: u32,
        streams: &[Option<(u32, &Str)>],
        touches: &TailTouches,
    ) {
        debug_assert!(self.lazy, "an eager timeline folds what it takes");
        let mut root = touches.root.iter().peekable();
        for (i, stream) in streams.iter().enumerate() {
            let position = base + i as u32;
            while let Some((_, key)) = root.next_if(|&&(p, _)| p as usize == i) {
                let id = self.key_id(key);
                self.note(id, position);
            }
            // (The index comes from another worker: read it without trusting its lengths.)
            if let (Some((sid, name)), Some(true)) = (stream, touches.stream.get(i)) {
                self.stream_key(*sid, name);
                self.touch_bit(position);
            }
        }
        for key in &touches.removable {
            let id = self.key_id(key) as usize;
            self.removable[id] = true;
        }
        self.len += streams.len();
    }

    /// Finishes loading: sorts the touches by key, and orders the keys. `streams` are the
    /// stream ids of the events, by position.
    pub fn finish(mut self, streams: &[u32]) -> Self {
        self.sort_touches(streams);
        // Keys are found in their sorted order from now on (`find_key`): the table that
        // found them while they came goes before the sort needs its room.
        self.index = crate::names::NameIndex::default();
        // Sorted by the first 16 bytes as a number first: far fewer string comparisons
        // for 300,000 stream names that share a prefix.
        let prefix = |name: &str| {
            let mut b = [0u8; 16];
            let n = name.len().min(16);
            b[..n].copy_from_slice(&name.as_bytes()[..n]);
            u128::from_be_bytes(b)
        };
        let mut keyed: Vec<(u128, u32)> = (0..self.names.len())
            .map(|id| (prefix(&self.names[id]), id as u32))
            .collect();
        keyed.sort_unstable_by(|a, b| {
            a.0.cmp(&b.0)
                .then_with(|| self.names[a.1 as usize].cmp(&self.names[b.1 as usize]))
        });
        let sorted: Vec<u32> = keyed.into_iter().map(|(_, id)| id).collect();
        self.sorted_presence = sorted
            .iter()
            .map(|&id| {
                let from = if self.initial.get(&self.names[id as usize]).is_some() {
                    0
                } else {
                    self.events(id as usize)
                        .first()
                        .map_or(u32::MAX, |&q| q.saturating_add(1))
                };
                (from, self.removable[id as usize])
            })
            .collect();
        self.sorted = sorted;
        self
    }

    /// Sorts [`touched`](Self::touched) and the [`stream_touches`](Self::stream_touches)
    /// by key into `offsets` and `positions` (a counting sort: two passes, and positions
    /// stay ascending within each key).
    fn sort_touches(&mut self, streams: &[u32]) {
        let stream_key = |p: usize| {
            let sid = *streams.get(p)? as usize;
            self.stream_keys
                .get(sid)
                .copied()
                .filter(|&id| id != u32::MAX)
        };
        let mut counts = std::mem::take(&mut self.counts);
        counts.resize(self.columns.len(), 0);
        let bits = (0..self.len).filter(|&p| self.touched_bit(p));
        for id in bits.clone().filter_map(stream_key) {
            counts[id as usize] += 1;
        }
        let mut offsets = vec![0u32; self.columns.len() + 1];
        for (id, &count) in counts.iter().enumerate() {
            offsets[id + 1] = offsets[id] + count;
        }
        let mut next = offsets.clone();
        let total = offsets.last().copied().unwrap_or(0) as usize;
        let mut positions = vec![0u32; total];
        let mut place = |id: u32, p: u32| {
            let slot = &mut next[id as usize];
            positions[*slot as usize] = p;
            *slot += 1;
        };
        // Both lists in position order, merged.
        let mut pairs = self.touched.iter().peekable();
        for p in bits {
            while let Some(&(id, q)) = pairs.next_if(|&&(_, q)| (q as usize) < p) {
                place(id, q);
            }
            if let Some(id) = stream_key(p) {
                place(id, p as u32);
            }
        }
        for &(id, q) in pairs {
            place(id, q);
        }
        self.offsets = offsets;
        self.positions = positions;
        self.touched = Vec::new();
        self.stream_touches = Vec::new();
    }

    /// This timeline over an edited log whose edited events are `edited`, each with the
    /// key (stream) it merges into: those keys are folded again on their first read,
    /// every other key is kept as it is. An edit can remove a key (a skipped first event),
    /// so these keys' presence is checked against their values. `None` when an edited
    /// event is not among its key's events (its data was null when loaded, so it was not
    /// noted): the edited log must then be folded anew.
    pub(crate) fn with_keys_refolded(&self, edited: &[(usize, Str)]) -> Option<ColumnTimeline> {
        let mut t = self.clone();
        for (position, name) in edited {
            let id = t.find_key(name)?;
            t.events(id as usize)
                .binary_search(&u32::try_from(*position).ok()?)
                .ok()?;
            t.columns[id as usize].fold = OnceLock::new();
            t.removable[id as usize] = true;
            if let Some(i) = t.sorted.iter().position(|&k| k == id) {
                t.sorted_presence[i].1 = true;
            }
        }
        Some(t)
    }

    /// Number of events folded.
    pub fn len(&self) -> usize {
        self.len
    }

    /// True when no event was folded.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// Events of a key between its checkpoints.
    pub fn checkpoint_interval(&self) -> usize {
        self.checkpoint
    }

    /// Number of checkpoints kept over all keys (of the keys folded so far, when lazy).
    pub fn checkpoint_count(&self) -> usize {
        self.columns
            .iter()
            .filter_map(|c| c.fold.get())
            .map(|f| f.checkpoints.len())
            .sum()
    }
}
