//! A lazy column timeline written to a saved index and read back: the positions of each
//! key's events and the order of the keys, none of their folds (a key is folded on its
//! first read, as after a load).

use std::io::{self, Write};

use super::*;
use crate::saved::bin::{In, Out};

impl ColumnTimeline {
    /// True when this timeline can be saved: lazy, finished, nothing folded into it that
    /// a read did not fold.
    pub(crate) fn can_save(&self) -> bool {
        self.lazy && self.touched.is_empty() && self.stream_touches.is_empty()
    }

    /// Writes this timeline; `streams` are the log's stream names, which the stream keys
    /// share (they are not written twice).
    pub(crate) fn save<W: Write>(&self, out: &mut Out<W>) -> io::Result<()> {
        out.num(self.checkpoint as u64)?;
        out.num(self.len as u64)?;
        out.nums(&self.stream_keys)?;
        // The keys that are no stream's (keys of events without a stream, or of the
        // initial state), by id.
        let mut of_stream = vec![false; self.names.len()];
        for &id in &self.stream_keys {
            if let Some(slot) = of_stream.get_mut(id as usize) {
                *slot = true;
            }
        }
        let (ids, names): (Vec<u32>, Vec<Str>) = self
            .names
            .iter()
            .enumerate()
            .filter(|(id, _)| !of_stream[*id])
            .map(|(id, name)| (id as u32, name.clone()))
            .unzip();
        out.nums(&ids)?;
        out.names(&names)?;
        out.nums_of(self.removable.iter().map(|&r| u8::from(r)))?;
        out.nums(&self.offsets)?;
        out.nums(&self.positions)?;
        out.nums(&self.sorted)?;
        // As `pairs` writes them: the first positions, then the flags.
        let presence = &self.sorted_presence;
        out.nums_of(presence.iter().map(|&(from, _)| from))?;
        out.nums_of(presence.iter().map(|&(_, removable)| u8::from(removable)))?;
        out.json(&Value::Object(self.initial.clone()))
    }

    /// Reads a timeline written by [`save`](Self::save) over a log whose stream names
    /// are `streams`; `None` unless its tables agree with each other.
    pub(crate) fn load(input: &mut In<'_>, streams: &[Str]) -> Option<Self> {
        let checkpoint = usize::try_from(input.num::<u64>()?).ok()?.max(1);
        let len = usize::try_from(input.num::<u64>()?).ok()?;
        let stream_keys: Vec<u32> = input.nums()?;
        let ids: Vec<u32> = input.nums()?;
        let own: Vec<Str> = input.names()?;
        let removable: Vec<u8> = input.nums()?;
        let n = removable.len();
        let mut names: Vec<Option<Str>> = vec![None; n];
        for (sid, &id) in stream_keys.iter().enumerate() {
            if id != u32::MAX {
                *names.get_mut(id as usize)? = Some(streams.get(sid)?.clone());
            }
        }
        if ids.len() != own.len() {
            return None;
        }
        for (&id, name) in ids.iter().zip(own) {
            *names.get_mut(id as usize)? = Some(name);
        }
        let names: Vec<Str> = names.into_iter().collect::<Option<_>>()?;
        let offsets: Vec<u32> = input.nums()?;
        let positions: Vec<u32> = input.nums()?;
        let sorted: Vec<u32> = input.nums()?;
        let presence: Vec<(u32, u8)> = input.pairs()?;
        let Value::Object(initial) = input.json::<Value>()? else {
            return None;
        };
        // Every read below trusts these tables: check them once here.
        let offsets_fit = offsets.len() == n + 1
            && offsets.first() == Some(&0)
            && offsets.windows(2).all(|w| w[0] <= w[1])
            && offsets
                .last()
                .is_some_and(|&e| e as usize == positions.len());
        let fits = offsets_fit
            && positions.iter().all(|&p| (p as usize) < len)
            && sorted.len() == n
            && sorted.iter().all(|&id| (id as usize) < n)
            && presence.len() == n;
        if !fits {
            return None;
        }
        let columns = (0..n).map(|_| Column::default()).collect();
        Some(ColumnTimeline {
            checkpoint,
            lazy: true,
            names,
            // Keys are found in their sorted order (`find_key`).
            index: crate::names::NameIndex::default(),
            columns,
            removable: removable.into_iter().map(|r| r != 0).collect(),
            touched: Vec::new(),
            counts: Vec::new(),
            stream_touches: Vec::new(),
            offsets,
            positions,
            stream_keys,
            sorted,
            sorted_presence: presence.into_iter().map(|(f, r)| (f, r != 0)).collect(),
            initial,
            len,
        })
    }
}
