//! A partitioned read model: one state per partition key, each with its own history, like
//! the column timeline's streams. A partition's value at any position is its checkpoint
//! plus at most [`CHECKPOINT`]` - 1` of its own events; the state is never copied whole.

use std::collections::{BTreeMap, HashMap};

use crate::log::Log;
use crate::model::step::{Note, Stepper};
use crate::value::{FastHash, Object, Str, Value};

/// A partition's events between its checkpoints.
pub(crate) const CHECKPOINT: usize = 8;

/// No partition: the event was not handled.
const NONE: u32 = u32::MAX;

/// One partition's history.
#[derive(Clone, Debug, Default)]
struct Part {
    /// Positions of its handled events, ascending.
    positions: Vec<u32>,
    /// `checkpoints[j]`: its value after its `(j + 1) * CHECKPOINT`-th event.
    checkpoints: Vec<Value>,
    /// Its value after its last event.
    last: Value,
}

/// The fold of a partitioned read model.
#[derive(Clone, Debug)]
pub(crate) struct PartitionedModel {
    pub(crate) stepper: Stepper,
    names: Vec<Str>,
    index: HashMap<Str, u32, FastHash>,
    parts: Vec<Part>,
    /// Partition id of each event folded ([`NONE`] when it has none).
    part_of: Vec<u32>,
    /// Partition ids in key order.
    sorted: Vec<u32>,
    pub(crate) notes: BTreeMap<usize, Note>,
    pub(crate) handled: usize,
}

impl PartitionedModel {
    pub(crate) fn new(stepper: Stepper) -> Self {
        PartitionedModel {
            stepper,
            names: Vec::new(),
            index: HashMap::default(),
            parts: Vec::new(),
            part_of: Vec::new(),
            sorted: Vec::new(),
            notes: BTreeMap::new(),
            handled: 0,
        }
    }

    pub(crate) fn len(&self) -> usize {
        self.part_of.len()
    }

    pub(crate) fn checkpoint_count(&self) -> usize {
        self.parts.iter().map(|p| p.checkpoints.len()).sum()
    }

    /// Folds events `self.len()..until` of `log`, calling `on_event` before each.
    pub(crate) fn fold(&mut self, log: &Log, until: usize, on_event: &mut dyn FnMut(usize)) {
        let added = self.names.len();
        self.stepper.learn_types(log);
        while self.len() < until.min(log.len()) {
            let p = self.len();
            on_event(p);
            self.part_of.push(NONE);
            if let Some((h, event, id)) = self.partition(log, p) {
                self.handled += 1;
                self.part_of[p] = id;
                self.apply(log, id, p, h, &event);
            }
        }
        if self.names.len() > added {
            self.sort_names();
        }
    }

    /// The handler, `$e` and partition of the event at `position`; `None` when it has no
    /// handler or no partition (a failing partition expression is noted).
    fn partition(&mut self, log: &Log, position: usize) -> Option<(usize, Value, u32)> {
        let h = self.stepper.handler(log, position)?;
        let (event, key) = self.stepper.event(log, position);
        match key {
            Ok(Some(k)) => Some((h, event, self.part_id(&k))),
            Ok(None) => None,
            Err(note) => {
                self.notes.insert(position, note);
                None
            }
        }
    }

    /// Runs handler `h` on the event at `position` (its `$e` is `event`) for partition
    /// `id`, whose events so far come before it.
    fn apply(&mut self, log: &Log, id: u32, position: usize, h: usize, event: &Value) {
        // The partition's state is handed over and updated in place; when the handler
        // fails or gives nothing, it is rebuilt from the partition's checkpoint.
        let part = &mut self.parts[id as usize];
        let before = if part.positions.is_empty() {
            self.stepper.model.init.clone()
        } else {
            std::mem::take(&mut part.last)
        };
        let outcome = self.stepper.run_owned(h, before, event);
        let state = match outcome.state {
            Some(s) => s,
            None => self.rebuild(log, id),
        };
        let part = &mut self.parts[id as usize];
        part.last = state;
        part.positions.push(position as u32);
        if part.positions.len() % CHECKPOINT == 0 {
            part.checkpoints.push(part.last.clone());
        }
        if let Some(n) = outcome.note {
            self.notes.insert(position, n);
        }
    }

    fn sort_names(&mut self) {
        let names = &self.names;
        self.sorted = (0..names.len() as u32).collect();
        self.sorted
            .sort_by(|&a, &b| names[a as usize].cmp(&names[b as usize]));
    }

    /// Folds again, over `log` (this model's log with the events `edited` changed), only
    /// the partitions those events were in or are now in, each from its checkpoint before
    /// its first changed event. The model must be folded to the end of the log.
    pub(crate) fn refold_edited(&mut self, log: &Log, edited: &[usize]) {
        let added = self.names.len();
        self.stepper.learn_types(log);
        let mut reached = std::collections::BTreeSet::new();
        for &p in edited {
            let Some(&old) = self.part_of.get(p) else {
                continue;
            };
            self.notes.remove(&p);
            let new = self.partition(log, p).map_or(NONE, |(_, _, id)| id);
            self.handled = self.handled + usize::from(new != NONE) - usize::from(old != NONE);
            self.part_of[p] = new;
            reached.extend([old, new].into_iter().filter(|&id| id != NONE));
        }
        for id in reached {
            self.refold_part(log, id, edited);
        }
        if self.names.len() > added {
            self.sort_names();
        }
    }

    /// Folds partition `id` again from its checkpoint before the first of its events that
    /// an edit changed, moved in or moved out (`part_of` already says where each event is).
    fn refold_part(&mut self, log: &Log, id: u32, edited: &[usize]) {
        let part = &self.parts[id as usize];
        let mut positions: Vec<u32> = part
            .positions
            .iter()
            .copied()
            .filter(|&q| self.part_of[q as usize] == id)
            .collect();
        positions.extend(
            edited
                .iter()
                .filter(|&&p| self.part_of.get(p) == Some(&id))
                .map(|&p| p as u32),
        );
        positions.sort_unstable();
        positions.dedup();
        let first = edited.iter().copied().min().unwrap_or(0) as u32;
        let changed = positions
            .iter()
            .zip(&part.positions)
            .position(|(a, b)| a != b || *a >= first)
            .unwrap_or(positions.len().min(part.positions.len()));
        let keep = changed / CHECKPOINT * CHECKPOINT;
        let rest = positions.split_off(keep);
        let part = &mut self.parts[id as usize];
        part.checkpoints.truncate(keep / CHECKPOINT);
        part.last = match keep / CHECKPOINT {
            0 => self.stepper.model.init.clone(),
            j => part.checkpoints[j - 1].clone(),
        };
        part.positions = positions;
        for q in rest {
            let q = q as usize;
            let Some(h) = self.stepper.handler(log, q) else {
                continue;
            };
            self.notes.remove(&q);
            let (event, _) = self.stepper.event(log, q);
            self.apply(log, id, q, h, &event);
        }
    }

    /// Takes every partition back to its value before `from` (see
    /// [`ModelTimeline::truncate`]).
    ///
    /// [`ModelTimeline::truncate`]: crate::model::ModelTimeline::truncate
    pub(crate) fn truncate(&mut self, log: &Log, from: usize) {
        if from >= self.len() {
            return;
        }
        let touched: std::collections::BTreeSet<u32> = self.part_of[from..]
            .iter()
            .copied()
            .filter(|&id| id != NONE)
            .collect();
        self.part_of.truncate(from);
        self.notes.split_off(&from);
        for id in touched {
            let part = &self.parts[id as usize];
            let n = part.positions.partition_point(|&q| (q as usize) < from);
            let last = match n {
                0 => self.stepper.model.init.clone(),
                _ => self.after_events(log, part, n),
            };
            let part = &mut self.parts[id as usize];
            part.positions.truncate(n);
            part.checkpoints.truncate(n / CHECKPOINT);
            part.last = last;
        }
        self.handled = self.part_of.iter().filter(|&&id| id != NONE).count();
    }

    /// Partition `id`'s value after its events so far, from its last checkpoint.
    fn rebuild(&self, log: &Log, id: u32) -> Value {
        let part = &self.parts[id as usize];
        self.after_events(log, part, part.positions.len())
    }

    /// `part`'s value after its first `n` events: its checkpoint at or before them, then
    /// the rest replayed.
    fn after_events(&self, log: &Log, part: &Part, n: usize) -> Value {
        let (mut state, from) = match n / CHECKPOINT {
            0 => (self.stepper.model.init.clone(), 0),
            j => (part.checkpoints[j - 1].clone(), j * CHECKPOINT),
        };
        for &q in &part.positions[from..n] {
            self.stepper
                .replay(log, q as usize, &mut state, &self.notes);
        }
        state
    }

    fn part_id(&mut self, key: &Str) -> u32 {
        if let Some(&id) = self.index.get(key) {
            return id;
        }
        let id = self.names.len() as u32;
        self.names.push(key.clone());
        self.index.insert(key.clone(), id);
        self.parts.push(Part::default());
        id
    }

    /// The partition named `key` at `position`, if it exists there.
    pub(crate) fn part_at(&self, log: &Log, key: &str, position: isize) -> Option<Value> {
        let &id = self.index.get(key)?;
        self.value_of(log, id, position)
    }

    fn value_of(&self, log: &Log, id: u32, position: isize) -> Option<Value> {
        let part = self.parts.get(id as usize)?;
        let n = part
            .positions
            .partition_point(|&q| (q as isize) <= position);
        if n == 0 {
            return None;
        }
        if n == part.positions.len() {
            return Some(part.last.clone());
        }
        Some(self.after_events(log, part, n))
    }

    /// The partition key of the event at `position`, if it was handled.
    pub(crate) fn key_of(&self, position: usize) -> Option<&Str> {
        let id = *self.part_of.get(position)?;
        self.names.get(id as usize)
    }

    /// Whether partition `id` exists at `position`.
    fn exists(&self, id: u32, position: isize) -> bool {
        self.parts[id as usize]
            .positions
            .first()
            .is_some_and(|&q| (q as isize) <= position)
    }

    /// The whole state at `position`: every partition that exists there.
    pub(crate) fn state_at(&self, log: &Log, position: isize) -> Value {
        let members: Vec<(Str, Value)> = self
            .sorted
            .iter()
            .filter(|&&id| self.exists(id, position))
            .filter_map(|&id| {
                Some((
                    self.names[id as usize].clone(),
                    self.value_of(log, id, position)?,
                ))
            })
            .collect();
        Value::Object(members.into_iter().collect::<Object>())
    }

    /// Partition keys at `position`, in key order: `limit` from `offset`, and how many.
    pub(crate) fn keys_at(
        &self,
        position: isize,
        offset: usize,
        limit: usize,
    ) -> (Vec<Str>, usize) {
        let mut total = 0;
        let mut keys = Vec::new();
        for &id in &self.sorted {
            if self.exists(id, position) {
                if total >= offset && keys.len() < limit {
                    keys.push(self.names[id as usize].clone());
                }
                total += 1;
            }
        }
        (keys, total)
    }

    /// Positions of partition `key`'s handled events.
    pub(crate) fn positions(&self, key: &str) -> &[u32] {
        self.index
            .get(key)
            .map_or(&[], |&id| &self.parts[id as usize].positions)
    }

    /// Partition ids of the events in `from + 1 ..= to`, each once.
    pub(crate) fn keys_between(&self, from: isize, to: isize) -> Vec<Str> {
        let lo = usize::try_from(from + 1).unwrap_or(0);
        let hi = usize::try_from(to + 1).unwrap_or(0).min(self.len());
        let mut ids: Vec<u32> = self.part_of[lo.min(hi)..hi]
            .iter()
            .copied()
            .filter(|&id| id != NONE)
            .collect();
        ids.sort_unstable();
        ids.dedup();
        ids.into_iter()
            .map(|id| self.names[id as usize].clone())
            .collect()
    }
}
