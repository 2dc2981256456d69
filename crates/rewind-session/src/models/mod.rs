//! Read models over the open log (SPEC §7), as the page sees them: each model is a
//! [`Replay`] of the same shared [`Log`] with the model's own timeline, folded a chunk at a
//! time (so that a worker can answer frames between chunks), and shown as panels already
//! rendered to text: its state tree, the current event's step in it, the history of a
//! field and where its failed events are.
//!
//! Positions beyond what is folded so far are shown at the last event folded: the panel
//! says how far folding is.

mod messages;
mod step;
pub mod templates;

use std::collections::HashSet;
use std::sync::Arc;

use rewind_core::model::{ModelTimeline, ReadModel, SNAPSHOT_BUDGET};
use rewind_core::pointer::Pointer;
use rewind_core::{Log, Replay, States, Timeline};

pub use self::messages::*;
use crate::edits::{EditEntry, EditList};
use crate::messages::{DENSITY_BUCKETS, SEARCH_LIMIT};
use crate::search::search;
use crate::session::history;
use crate::tree::{changed_nodes, subtree_rows, Shown};

/// Events each model folds before the worker hears from it again.
pub const FOLD_CHUNK: usize = 20_000;

/// One read model and what was last sent about it.
struct Model {
    id: ModelId,
    name: String,
    /// Its fold over the log shown: as loaded, or with the what-if edits.
    replay: Replay,
    /// Its fold over the log as loaded, kept while what-if edits exist (to compare with,
    /// and to edit again from).
    original: Option<Replay>,
    /// Positions of its failed events so far, ascending.
    failed: Vec<usize>,
    /// The field whose history was last sent, and whether the model was folded whole then.
    history_sent: Option<(String, bool)>,
    /// How many failed events the last density sent counted.
    failures_sent: Option<usize>,
}

impl Model {
    /// Events folded so far.
    fn folded(&self) -> usize {
        self.replay.timeline.len()
    }

    fn timeline(&self) -> Option<&ModelTimeline> {
        self.replay.timeline.model()
    }

    fn progress(&self) -> ModelProgress {
        ModelProgress {
            id: self.id,
            folded: self.folded(),
            total: self.replay.len(),
        }
    }

    /// `position` clamped to the events folded so far.
    fn clamp(&self, position: isize) -> isize {
        position.clamp(-1, self.folded() as isize - 1)
    }

    /// Folds up to `chunk` more events (of the original fold too, while it is kept),
    /// telling `on_event` each position first.
    fn fold(&mut self, chunk: usize, on_event: &mut dyn FnMut(ModelId, usize)) {
        let id = self.id;
        if let Some(original) = self.original.as_mut() {
            fold_chunk(original, chunk, &mut |p| on_event(id, p));
        }
        fold_chunk(&mut self.replay, chunk, &mut |p| on_event(id, p));
        if let Some(t) = self.replay.timeline.model() {
            let mut failed = States::failed_positions(t);
            failed.sort_unstable();
            self.failed = failed;
        }
    }

    /// Shows the model over `edited` (the log with the edits at `positions`; `None`: the
    /// log as loaded). The edited fold starts from the original one: a partitioned model
    /// folded whole folds again only the partitions the edits reach; otherwise the fold
    /// goes back to before the first edit, and folding goes on from there a chunk at a
    /// time.
    fn set_edited(&mut self, edited: Option<(&Arc<Log>, &[usize])>) {
        let original = self.original.take().unwrap_or_else(|| self.replay.clone());
        let Some((log, positions)) = edited else {
            self.replay = original;
            self.history_sent = None;
            self.failures_sent = None;
            return;
        };
        let mut timeline = original.timeline.clone();
        if let (Some(t), Some(&from)) = (timeline.model_mut(), positions.iter().min()) {
            let whole = t.len() == log.len();
            if whole && t.model().partition.is_some() {
                t.refold_edited(log, positions);
            } else {
                t.truncate(log, from);
            }
        }
        self.replay = Replay {
            log: log.clone(),
            timeline,
        };
        self.original = Some(original);
        self.history_sent = None;
        self.failures_sent = None;
        self.fold(0, &mut |_, _| {});
    }

    /// What the edits changed in this model's state at `position` (as far as both folds
    /// reach).
    fn comparison(&self, position: isize) -> Option<crate::messages::Comparison> {
        let original = self.original.as_ref()?;
        let reach = self.folded().min(original.timeline.len()) as isize - 1;
        let changes = rewind_core::whatif::patch_at(original, &self.replay, position.min(reach));
        Some(crate::messages::Comparison {
            total: changes.len(),
            changes: changes
                .iter()
                .take(crate::messages::CHANGES_SHOWN)
                .map(crate::session::change_row)
                .collect(),
        })
    }
}

/// Folds up to `chunk` more events of a model's `replay`.
fn fold_chunk(replay: &mut Replay, chunk: usize, on_event: &mut dyn FnMut(usize)) {
    let until = replay
        .timeline
        .len()
        .saturating_add(chunk)
        .min(replay.len());
    let log = replay.log.clone();
    if let Some(t) = replay.timeline.model_mut() {
        t.fold(&log, until, on_event);
    }
}

/// The read models over one log.
pub struct Models {
    log: Arc<Log>,
    models: Vec<Model>,
    /// The what-if edits applied, the log with them and the positions they change.
    edits: EditList,
    edited: Option<(Arc<Log>, Vec<usize>)>,
    /// The keys the edits' causation was read with, and the flow index (on first use).
    flow_keys: rewind_core::FlowKeys,
    flows: crate::flows::Flows,
}

impl Models {
    /// No read model yet, over `log`.
    pub fn new(log: Arc<Log>) -> Self {
        Models {
            log,
            models: Vec::new(),
            edits: EditList::default(),
            edited: None,
            flow_keys: rewind_core::FlowKeys::default(),
            flows: crate::flows::Flows::default(),
        }
    }

    /// The log the models fold.
    pub fn log(&self) -> &Arc<Log> {
        &self.log
    }

    fn get(&self, id: ModelId) -> Option<&Model> {
        self.models.iter().find(|m| m.id == id)
    }

    /// Reads and compiles a model's file and starts folding it as `id` (replacing the
    /// model of that id); its name, or why it cannot be used and where.
    pub fn apply(&mut self, id: ModelId, source: &str) -> Result<String, ModelProblem> {
        let model = ReadModel::parse(source).map_err(|e| ModelProblem {
            line: e.line,
            column: e.column,
            message: e.message,
        })?;
        let name = model.name.clone();
        let timeline = ModelTimeline::new(Arc::new(model), SNAPSHOT_BUDGET);
        let mut model = Model {
            id,
            name: name.clone(),
            replay: Replay {
                log: self.log.clone(),
                timeline: Timeline::from(timeline),
            },
            original: None,
            failed: Vec::new(),
            history_sent: None,
            failures_sent: None,
        };
        if let Some((log, positions)) = &self.edited {
            model.set_edited(Some((log, positions)));
        }
        match self.models.iter_mut().find(|m| m.id == id) {
            Some(old) => *old = model,
            None => self.models.push(model),
        }
        Ok(name)
    }

    /// Forgets the model `id`; false when there was none.
    pub fn remove(&mut self, id: ModelId) -> bool {
        let before = self.models.len();
        self.models.retain(|m| m.id != id);
        self.models.len() != before
    }

    /// Some model still has events to fold.
    pub fn folding(&self) -> bool {
        self.models.iter().any(|m| !m.progress().done())
    }

    /// How far each model is folded.
    pub fn progress(&self) -> Vec<ModelProgress> {
        self.models.iter().map(Model::progress).collect()
    }

    /// Folds up to `chunk` more events of every model still folding, telling `on_event`
    /// (model, position) before each event (a worker notes how far it is, in case a
    /// handler never returns); how far each model is then.
    pub fn fold(
        &mut self,
        chunk: usize,
        on_event: &mut dyn FnMut(ModelId, usize),
    ) -> Vec<ModelProgress> {
        for m in self.models.iter_mut().filter(|m| !m.progress().done()) {
            m.fold(chunk, on_event);
        }
        self.progress()
    }

    /// Answers one request.
    pub fn handle(&mut self, request: ModelRequest) -> ModelReply {
        let missing = |id: ModelId| ModelReply::Error(format!("no read model {id}"));
        match request {
            ModelRequest::Apply { id, source } => match self.apply(id, &source) {
                Ok(name) => ModelReply::Applied { id, name },
                Err(problem) => ModelReply::Invalid { id, problem },
            },
            ModelRequest::Remove(id) => {
                self.remove(id);
                ModelReply::Removed(id)
            }
            ModelRequest::Frame(view) => ModelReply::Frame(Box::new(self.frame(&view))),
            ModelRequest::Export { id, position } => match self.get(id) {
                Some(m) => ModelReply::Text(Some(
                    m.replay.state_at(m.clamp(position)).to_pretty_string(),
                )),
                None => missing(id),
            },
            ModelRequest::Search {
                id,
                position,
                query,
            } => match self.get(id) {
                Some(m) => ModelReply::Pointers(search(
                    &m.replay.state_at(m.clamp(position)),
                    &query,
                    SEARCH_LIMIT,
                )),
                None => missing(id),
            },
            ModelRequest::ValueJson {
                id,
                position,
                pointer,
            } => match (self.get(id), Pointer::parse(&pointer)) {
                (Some(m), Ok(ptr)) => ModelReply::Text(
                    m.replay
                        .get(m.clamp(position), &ptr)
                        .map(|v| v.to_pretty_string()),
                ),
                (None, _) => missing(id),
                (_, Err(e)) => ModelReply::Error(e.to_string()),
            },
        }
    }

    /// Every model's panel for `view`.
    pub fn frame(&mut self, view: &ModelsView) -> ModelsFrame {
        self.set_edits(&view.edits, &view.flow_keys);
        let position = view.position.clamp(-1, self.log.len() as isize - 1);
        let models = view
            .models
            .iter()
            .filter_map(|v| {
                let m = self.models.iter_mut().find(|m| m.id == v.id)?;
                let mut panel = panel(m, position, v);
                if view.compare_original {
                    panel.compare = m.comparison(panel.position);
                }
                Some(panel)
            })
            .collect();
        ModelsFrame { position, models }
    }

    /// Applies the what-if edits `list` when they differ from those applied: every model
    /// is shown over the log as edited (or as loaded, without edits). Edits that cannot be
    /// applied leave the log as loaded (the log's own worker says why).
    pub fn set_edits(&mut self, list: &EditList, keys: &rewind_core::FlowKeys) {
        let caused = list.0.iter().any(|e| matches!(e, EditEntry::SkipCaused(_)));
        if &self.edits == list && (!caused || &self.flow_keys == keys) {
            return;
        }
        self.edits = list.clone();
        self.flow_keys = keys.clone();
        let flows = match caused {
            true => self.flows.index(&self.log, keys),
            false => None,
        };
        let caused = |p: usize| flows.map_or_else(Vec::new, |f| f.caused_transitively(p));
        let edited = list
            .to_edits()
            .ok()
            .filter(|e| !e.is_empty())
            .and_then(|e| self.log.with_edits(&e, &caused).ok())
            .map(|log| {
                let positions = log.overlay().map(|o| o.positions()).unwrap_or_default();
                (Arc::new(log), positions)
            });
        self.edited = edited;
        for m in &mut self.models {
            m.set_edited(self.edited.as_ref().map(|(l, p)| (l, p.as_slice())));
        }
    }
}

/// One model's panel at the timeline's `position`.
fn panel(m: &mut Model, position: isize, view: &ModelView) -> ModelPanel {
    let shown_at = m.clamp(position);
    let replay = &m.replay;
    let event_changes = match usize::try_from(shown_at) {
        Ok(p) => replay.event_diff(p),
        Err(_) => Vec::new(),
    };
    let changed = changed_nodes(&event_changes);
    let mut expanded: HashSet<String> = view.expanded.iter().cloned().collect();
    expanded.insert(String::new());
    let shown: Shown = view.shown.iter().cloned().collect();
    let tree = subtree_rows(
        replay,
        shown_at,
        &Pointer::root(),
        &expanded,
        &changed,
        &shown,
    );
    let selected_exists = view
        .selected
        .as_deref()
        .and_then(|s| Pointer::parse(s).ok())
        .is_some_and(|ptr| replay.get(shown_at, &ptr).is_some());
    let step = (shown_at == position)
        .then(|| usize::try_from(position).ok())
        .flatten()
        .and_then(|p| step::step(replay, p, event_changes));
    let progress = m.progress();
    let history = match &view.selected {
        Some(p) if m.history_sent.as_ref() != Some(&(p.clone(), progress.done())) => {
            m.history_sent = Some((p.clone(), progress.done()));
            Some(history(&m.replay, p))
        }
        _ => None,
    };
    let failures = (m.failures_sent != Some(m.failed.len())).then(|| {
        m.failures_sent = Some(m.failed.len());
        failure_counts(&m.failed, m.replay.len())
    });
    ModelPanel {
        id: m.id,
        name: m.name.clone(),
        folded: progress.folded,
        total: progress.total,
        handled: m.timeline().map_or(0, ModelTimeline::handled),
        failed: m.failed.len(),
        position: shown_at,
        tree,
        selected_exists,
        step,
        history,
        failures,
        compare: None,
    }
}

/// How many of the `failed` positions (ascending) fall in each slice of a log of `n`
/// events, sliced as the density strip is.
pub fn failure_counts(failed: &[usize], n: usize) -> Vec<u32> {
    let buckets = DENSITY_BUCKETS.clamp(1, n.max(1));
    (0..buckets)
        .map(|b| (b * n / buckets, (b + 1) * n / buckets))
        .filter(|(start, end)| end > start)
        .map(|(start, end)| {
            let from = failed.partition_point(|&p| p < start);
            let to = failed.partition_point(|&p| p < end);
            (to - from) as u32
        })
        .collect()
}

#[cfg(test)]
mod tests;
