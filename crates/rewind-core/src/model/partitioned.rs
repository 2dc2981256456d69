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
            let Some(h) = self.stepper.handler(log, p) else {
                continue;
            };
            let (event, key) = self.stepper.event(log, p);
            let key = match key {
                Ok(Some(k)) => k,
                Ok(None) => continue,
                Err(note) => {
                    self.notes.insert(p, note);
                    continue;
                }
            };
            self.handled += 1;
            let id = self.part_id(&key);
            self.part_of[p] = id;
            // The partition's state is handed over and updated in place; when the handler
            // fails or gives nothing, it is rebuilt from the partition's checkpoint.
            let part = &mut self.parts[id as usize];
            let before = if part.positions.is_empty() {
                self.stepper.model.init.clone()
            } else {
                std::mem::take(&mut part.last)
            };
            let outcome = self.stepper.run_owned(h, before, &event);
            let state = match outcome.state {
                Some(s) => s,
                None => self.rebuild(log, id),
            };
            let part = &mut self.parts[id as usize];
            part.last = state;
            part.positions.push(p as u32);
            if part.positions.len() % CHECKPOINT == 0 {
                part.checkpoints.push(part.last.clone());
            }
            if let Some(n) = outcome.note {
                self.notes.insert(p, n);
            }
        }
        if self.names.len() > added {
            let names = &self.names;
            self.sorted = (0..names.len() as u32).collect();
            self.sorted
                .sort_by(|&a, &b| names[a as usize].cmp(&names[b as usize]));
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
