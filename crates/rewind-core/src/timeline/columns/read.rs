//! Reading a column timeline: a key's value at a position (from its nearest checkpoint),
//! the keys present at a position, what an event or a range changed, and a key's history;
//! and [`States`] for the column timeline.

use super::*;

use crate::diff::{diff_at, Change};
use crate::pointer::Pointer;
use crate::timeline::{history_by_states, sorted_unique, Cursor, Record, States};

impl ColumnTimeline {
    /// Folds every key not folded yet, so that no later read has to.
    pub fn fold_all(&self, log: &Log) {
        // One interner for all keys, so that their values share key strings.
        let mut interner = Interner::default();
        for id in 0..self.columns.len() {
            self.columns[id]
                .fold
                .get_or_init(|| Box::new(self.replay_column(log, id, &mut interner)));
        }
    }

    /// The key's fold, replaying its events the first time.
    fn fold_of(&self, log: &Log, id: usize) -> &ColumnFold {
        self.columns[id]
            .fold
            .get_or_init(|| Box::new(self.replay_column(log, id, &mut Interner::default())))
    }

    /// Folds key `id` from its initial value through all its events.
    fn replay_column(&self, log: &Log, id: usize, interner: &mut Interner) -> ColumnFold {
        let name = &self.names[id];
        let mut value = self.initial.get(name).cloned();
        let mut checkpoints = Vec::new();
        for (i, &q) in self.events(id).iter().enumerate() {
            self.replay_key(log, name, q as usize, &mut value, interner);
            if (i + 1) % self.checkpoint == 0 {
                checkpoints.push(value.clone());
            }
        }
        ColumnFold {
            checkpoints,
            last: value,
        }
    }

    /// The state after the last event.
    pub fn last_state(&self, log: &Log) -> Value {
        self.fold_all(log);
        let members = self.sorted.iter().filter_map(|&id| {
            Some((
                self.names[id as usize].clone(),
                self.fold_of(log, id as usize).last.clone()?,
            ))
        });
        Value::Object(members.collect())
    }

    /// The value of the top-level key `name` at `position` (`None`: absent).
    pub fn key_value(&self, log: &Log, name: &str, position: isize) -> Option<Value> {
        let id = self.find_key(name)?;
        self.value_of(log, id, position)
    }

    fn value_of(&self, log: &Log, id: u32, position: isize) -> Option<Value> {
        let id = id as usize;
        let events = self.events(id);
        let name = &self.names[id];
        let n = events.partition_point(|&q| (q as isize) <= position);
        if n == events.len() {
            // No later event touches this key: its value now is its final value.
            return self.fold_of(log, id).last.clone();
        }
        let j = n / self.checkpoint;
        // Before the key's first checkpoint the fold is not needed (nor built, if lazy).
        let mut value = match j {
            0 => self.initial.get(name).cloned(),
            _ => self.fold_of(log, id).checkpoints[j - 1].clone(),
        };
        let mut interner = Interner::default();
        for &q in &events[j * self.checkpoint..n] {
            self.replay_key(log, name, q as usize, &mut value, &mut interner);
        }
        value
    }

    /// Applies what the event at `position` does to the key `name`.
    fn replay_key(
        &self,
        log: &Log,
        name: &str,
        position: usize,
        value: &mut Option<Value>,
        interner: &mut Interner,
    ) {
        let Some(input) = log.fold_input_with(position, interner) else {
            return;
        };
        let stream = log.stream_name(position);
        if let Ok(list) = changes(stream, &input) {
            for (key, change) in list {
                if key == name {
                    apply_change(value, &change);
                }
            }
        }
    }

    /// The value of `name` before and after the event at `position` (for diffs).
    pub fn around(&self, log: &Log, name: &str, position: usize) -> (Option<Value>, Option<Value>) {
        let before = self.key_value(log, name, position as isize - 1);
        let mut after = before.clone();
        self.replay_key(log, name, position, &mut after, &mut Interner::default());
        (before, after)
    }

    /// Top-level keys touched by some event in `from+1 ..= to`.
    pub fn keys_touched_between(&self, from: isize, to: isize) -> Vec<Str> {
        self.sorted
            .iter()
            .filter(|&&id| {
                let events = self.events(id as usize);
                let i = events.partition_point(|&q| (q as isize) <= from);
                events.get(i).is_some_and(|&q| (q as isize) <= to)
            })
            .map(|&id| self.names[id as usize].clone())
            .collect()
    }

    /// Every event that touched `name`, with the key's value before and after it.
    pub fn key_history(&self, log: &Log, name: &str) -> Vec<(usize, Option<Value>, Option<Value>)> {
        let Some(id) = self.find_key(name) else {
            return Vec::new();
        };
        let mut value = self.initial.get(name).cloned();
        let mut out = Vec::new();
        let mut interner = Interner::default();
        for &q in self.events(id as usize) {
            let before = value.clone();
            self.replay_key(log, name, q as usize, &mut value, &mut interner);
            out.push((q as usize, before, value.clone()));
        }
        out
    }

    /// The top-level keys that exist at `position`, in key order: `limit` of them from
    /// `offset`, and how many there are in all.
    pub fn keys_at(
        &self,
        log: &Log,
        position: isize,
        offset: usize,
        limit: usize,
    ) -> (Vec<Str>, usize) {
        let mut total = 0;
        let mut page = Vec::new();
        for (&id, &(from, removable)) in self.sorted.iter().zip(&self.sorted_presence) {
            let present = i64::from(from) <= position as i64 + 1
                && from != u32::MAX
                && (!removable || self.value_of(log, id, position).is_some());
            if present {
                if total >= offset && page.len() < limit {
                    page.push(self.names[id as usize].clone());
                }
                total += 1;
            }
        }
        (page, total)
    }

    /// The whole state at `position`.
    pub fn state_at(&self, log: &Log, position: isize) -> Value {
        if position >= self.len as isize - 1 {
            return self.last_state(log);
        }
        // Nearly every key needs its fold: build the missing ones in one pass.
        self.fold_all(log);
        let members: Vec<(Str, Value)> = self
            .sorted
            .iter()
            .filter_map(|&id| {
                Some((
                    self.names[id as usize].clone(),
                    self.value_of(log, id, position)?,
                ))
            })
            .collect();
        Value::Object(members.into_iter().collect())
    }
}

impl States for ColumnTimeline {
    fn kind_name(&self) -> &'static str {
        "columns"
    }

    fn len(&self) -> usize {
        self.len
    }

    fn interval(&self) -> usize {
        self.checkpoint
    }

    fn snapshot_count(&self) -> usize {
        self.checkpoint_count()
    }

    fn fold_all(&self, log: &Log) {
        ColumnTimeline::fold_all(self, log);
    }

    fn state_at(&self, log: &Log, position: isize) -> Value {
        ColumnTimeline::state_at(self, log, position)
    }

    /// Reads only the top-level key the pointer goes through.
    fn value_at(&self, log: &Log, position: isize, pointer: &Pointer) -> Option<Value> {
        match pointer.tokens().split_first() {
            Some((top, rest)) => {
                let value = self.key_value(log, top, position)?;
                rest.iter()
                    .try_fold(&value, |v, t| crate::pointer::step(v, t))
                    .cloned()
            }
            None => pointer.get(&self.state_at(log, position)).cloned(),
        }
    }

    /// Builds the state at `position` (keys are read from their checkpoints, so there is
    /// nothing for the cursor to reuse).
    fn seek(&self, log: &Log, cursor: &mut Cursor, position: isize) -> usize {
        let p = position.clamp(-1, self.len as isize - 1);
        cursor.set(p, ColumnTimeline::state_at(self, log, p));
        0
    }

    fn root_keys(
        &self,
        log: &Log,
        position: isize,
        offset: usize,
        limit: usize,
    ) -> Option<(Vec<Str>, usize)> {
        Some(self.keys_at(log, position, offset, limit))
    }

    /// Looks only at the keys the event names (in a column timeline every event does).
    fn event_diff(&self, log: &Log, position: usize) -> Vec<Change> {
        let mut out = Vec::new();
        for k in sorted_unique(log.touched_keys(position).unwrap_or_default()) {
            let (before, after) = self.around(log, &k, position);
            diff_at(
                before.as_ref(),
                after.as_ref(),
                &Pointer::root().child(&k),
                &mut out,
            );
        }
        out
    }

    /// Looks only at the keys some event in between touched.
    fn diff_between(&self, log: &Log, from: isize, to: isize) -> Vec<Change> {
        let mut out = Vec::new();
        for k in self.keys_touched_between(from.min(to), from.max(to)) {
            let a = self.key_value(log, &k, from);
            let b = self.key_value(log, &k, to);
            diff_at(a.as_ref(), b.as_ref(), &Pointer::root().child(&k), &mut out);
        }
        out
    }

    /// Only the events that touched the top-level key can change what is below it.
    fn history(&self, log: &Log, pointer: &Pointer, record: &mut Record<'_>) {
        let Some((top, rest)) = pointer.tokens().split_first() else {
            return history_by_states(self, log, pointer, record);
        };
        let below = |v: &Option<Value>| -> Option<Value> {
            rest.iter()
                .try_fold(v.as_ref()?, |v, t| crate::pointer::step(v, t))
                .cloned()
        };
        for (position, before, after) in self.key_history(log, top) {
            record(position, below(&before).as_ref(), below(&after).as_ref());
        }
    }
}
