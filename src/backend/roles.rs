//! Which worker does what, as a state machine with no I/O: the page's side of its workers
//! ([`Backend`](super::Backend)) tells it what it started and what the workers said, and
//! carries out the [`Effect`]s it answers with (terminating workers, passing a tail
//! index on, telling the page).
//!
//! The roles: the worker *serving* answers the page's requests (the open log, or the start
//! of the one loading); the *loading* worker loads the whole log; the *preview* worker
//! loads its start, which serves as soon as it is open; the log served before that start
//! is kept as the *previous* log, brought back on Cancel; the *helper* indexes the tail of
//! a large log for the loading worker.

use std::rc::Rc;

use rewind_session::Summary;

use crate::protocol::{After, Note, Progress};

/// A worker, as the page numbers them.
pub type WorkerId = u64;

/// The workers a load starts with.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Load {
    /// Loads the whole log.
    pub loading: WorkerId,
    /// Loads the start of the log, to show meanwhile.
    pub preview: Option<WorkerId>,
    /// Indexes the tail of the log for the loading worker.
    pub helper: Option<Helper>,
}

/// A helper and its share of the log.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Helper {
    /// The helper.
    pub id: WorkerId,
    /// The byte where its share starts (the loading worker indexes the lines before).
    pub tail_from: u64,
}

/// What a worker said, as far as its role is concerned.
#[derive(Clone, Debug, PartialEq)]
pub enum Heard {
    /// How far its load is.
    Progress(Progress),
    /// Its log (or the start of it) is open.
    Loaded(Rc<Summary>),
    /// It could not open its log, or it stopped; why, in words.
    Failed(String),
    /// It has no start of the log to show.
    NoPreview,
    /// Its index of the tail is ready.
    TailIndex,
}

/// What the page's side of the workers must do.
#[derive(Clone, Debug, PartialEq)]
pub enum Effect {
    /// Terminate this worker: it has no role any more (its memory is freed at once).
    Terminate(WorkerId),
    /// Another worker serves (or none): requests in flight will not be answered.
    ServingChanged,
    /// Pass the tail index just heard from the helper on to this (loading) worker.
    PassTail(WorkerId),
    /// Tell this (loading) worker that no tail index comes: it reads those lines itself.
    NoTail(WorkerId),
    /// Tell the page.
    Tell(Note),
    /// Start idle workers again, up to the number kept.
    KeepSpares,
    /// The same in a moment, not to take the processor from the page drawing a new log.
    KeepSparesSoon,
}

/// The worker serving the page.
#[derive(Clone, Debug)]
struct Serving {
    id: WorkerId,
    /// What it said when it opened its log; `None` while it is a preview.
    summary: Option<Rc<Summary>>,
}

/// How far the loading worker and the helper are on a log they share.
#[derive(Clone, Copy, Debug, Default)]
struct Split {
    tail_from: u64,
    /// The loading worker's bytes read, events read and file size, once it says.
    loading: Option<(u64, u64, u64)>,
    /// The helper's bytes read and events read.
    helper: (u64, u64),
}

/// Which worker does what.
#[derive(Clone, Debug, Default)]
pub struct Roles {
    serving: Option<Serving>,
    /// The log served before the start of the one loading replaced it: back on Cancel.
    previous: Option<(WorkerId, Rc<Summary>)>,
    loading: Option<WorkerId>,
    preview: Option<WorkerId>,
    helper: Option<WorkerId>,
    split: Option<Split>,
}

impl Roles {
    /// The worker answering requests, if any.
    pub fn serving(&self) -> Option<WorkerId> {
        self.serving.as_ref().map(|s| s.id)
    }

    /// True while a log loads.
    pub fn loading(&self) -> bool {
        self.loading.is_some()
    }

    /// A load starts with the workers in `load`; the load under way, if any, gives way to
    /// it. The log served until now serves until the new one (or its start) is open.
    pub fn start(&mut self, load: Load) -> Vec<Effect> {
        let mut effects = Vec::new();
        let after = self.abandon(&mut effects);
        if let After::Restored(_) = after {
            effects.push(Effect::Tell(Note::Failed {
                message: None,
                after,
            }));
        }
        self.loading = Some(load.loading);
        self.preview = load.preview;
        self.helper = load.helper.map(|h| h.id);
        self.split = load.helper.map(|h| Split {
            tail_from: h.tail_from,
            ..Split::default()
        });
        effects.push(Effect::KeepSpares);
        effects
    }

    /// The person cancelled the load: the log open before it (if any) serves again.
    pub fn cancel(&mut self) -> Vec<Effect> {
        let mut effects = Vec::new();
        let after = self.abandon(&mut effects);
        effects.push(Effect::Tell(Note::Failed {
            message: None,
            after,
        }));
        effects.push(Effect::KeepSpares);
        effects
    }

    /// Worker `from` said `heard`. What a worker with no role says is ignored.
    pub fn heard(&mut self, from: WorkerId, heard: Heard) -> Vec<Effect> {
        let is = |role: Option<WorkerId>| role == Some(from);
        match heard {
            Heard::Progress(p) if is(self.loading) => self.loading_progress(p),
            Heard::Progress(Progress::Streaming {
                bytes_read,
                events_read,
                ..
            }) if is(self.helper) => {
                if let Some(split) = self.split.as_mut() {
                    split.helper = (bytes_read, events_read);
                }
                self.split_progress().into_iter().collect()
            }
            Heard::Loaded(summary) if is(self.loading) => self.loaded(from, summary),
            Heard::Loaded(summary) if is(self.preview) => self.preview_loaded(from, summary),
            Heard::Failed(message) if is(self.loading) => self.load_failed(message, Vec::new()),
            Heard::Failed(message) if is(self.serving()) => self.serving_failed(message),
            Heard::Failed(_) | Heard::NoPreview if is(self.preview) => {
                self.preview = None;
                vec![Effect::Terminate(from)]
            }
            // The helper stopped (out of memory): the loading worker reads the tail itself.
            Heard::Failed(_) if is(self.helper) => {
                self.helper = None;
                let mut effects = vec![Effect::Terminate(from)];
                effects.extend(self.loading.map(Effect::NoTail));
                effects
            }
            Heard::TailIndex if is(self.helper) => {
                self.helper = None;
                let mut effects = vec![Effect::Terminate(from)];
                effects.extend(self.loading.map(Effect::PassTail));
                effects
            }
            _ => Vec::new(),
        }
    }

    /// Stops the load under way (terminating its workers) and says which log serves now:
    /// when the start of the loading log was shown, the log served before it comes back.
    fn abandon(&mut self, effects: &mut Vec<Effect>) -> After {
        let workers = [self.loading.take(), self.preview.take(), self.helper.take()];
        effects.extend(workers.into_iter().flatten().map(Effect::Terminate));
        self.split = None;
        match self.serving.take() {
            Some(Serving { id, summary: None }) => {
                effects.push(Effect::Terminate(id));
                effects.push(Effect::ServingChanged);
                match self.previous.take() {
                    Some((id, summary)) => {
                        self.serving = Some(Serving {
                            id,
                            summary: Some(summary.clone()),
                        });
                        After::Restored(summary)
                    }
                    None => After::Gone,
                }
            }
            Some(serving) => {
                self.serving = Some(serving);
                After::Kept
            }
            None => After::Gone,
        }
    }

    /// The loading worker's progress, combined with the helper's when they share the log.
    fn loading_progress(&mut self, progress: Progress) -> Vec<Effect> {
        match (progress, self.split.as_mut()) {
            (
                Progress::Streaming {
                    bytes_read,
                    file_bytes,
                    events_read,
                },
                Some(split),
            ) => {
                split.loading = Some((bytes_read, events_read, file_bytes));
                self.split_progress().into_iter().collect()
            }
            _ => vec![Effect::Tell(Note::Progress(progress))],
        }
    }

    /// The progress of a log shared by the loading worker and the helper: the loading
    /// worker indexes the lines before `tail_from`, the helper those after.
    fn split_progress(&self) -> Option<Effect> {
        let split = self.split?;
        let (bytes, events, file_bytes) = split.loading?;
        let (helper_bytes, helper_events) = split.helper;
        Some(Effect::Tell(Note::Progress(Progress::Streaming {
            bytes_read: (bytes.min(split.tail_from) + helper_bytes).min(file_bytes),
            file_bytes,
            events_read: events + helper_events,
        })))
    }

    /// The whole log is open: its worker serves, every other worker of the load and the
    /// log kept for Cancel are done.
    fn loaded(&mut self, from: WorkerId, summary: Rc<Summary>) -> Vec<Effect> {
        self.loading = None;
        self.split = None;
        let done = [
            self.preview.take(),
            self.helper.take(),
            self.previous.take().map(|(id, _)| id),
        ];
        let mut effects: Vec<_> = done.into_iter().flatten().map(Effect::Terminate).collect();
        let old = self.serving.replace(Serving {
            id: from,
            summary: Some(summary.clone()),
        });
        effects.extend(old.map(|s| Effect::Terminate(s.id)));
        effects.extend([
            Effect::ServingChanged,
            Effect::KeepSparesSoon,
            Effect::Tell(Note::Loaded(summary)),
        ]);
        effects
    }

    /// The start of the log is open: it serves while the rest loads, and the log served
    /// until now waits, in case the load is cancelled.
    fn preview_loaded(&mut self, from: WorkerId, summary: Rc<Summary>) -> Vec<Effect> {
        let mut effects = Vec::new();
        self.preview = None;
        match self.serving.take() {
            Some(Serving {
                id,
                summary: Some(shown),
            }) => self.previous = Some((id, shown)),
            Some(other) => effects.push(Effect::Terminate(other.id)),
            None => {}
        }
        self.serving = Some(Serving {
            id: from,
            summary: None,
        });
        effects.extend([Effect::ServingChanged, Effect::Tell(Note::Loaded(summary))]);
        effects
    }

    /// The serving worker stopped (out of memory in a request): its log is gone, and so is
    /// the load under way; if it served the start of that load, the log before comes back.
    fn serving_failed(&mut self, message: String) -> Vec<Effect> {
        let mut effects = Vec::new();
        if self.serving.as_ref().is_some_and(|s| s.summary.is_some()) {
            effects.extend(self.serving.take().map(|s| Effect::Terminate(s.id)));
            effects.push(Effect::ServingChanged);
        }
        self.load_failed(message, effects)
    }

    /// The load under way failed with `message`: it is abandoned (after `effects`), the
    /// page is told which log is open now, and spare workers are started again.
    fn load_failed(&mut self, message: String, mut effects: Vec<Effect>) -> Vec<Effect> {
        let after = self.abandon(&mut effects);
        effects.push(Effect::Tell(Note::Failed {
            message: Some(message),
            after,
        }));
        effects.push(Effect::KeepSpares);
        effects
    }
}

#[cfg(test)]
mod tests;
