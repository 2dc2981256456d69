//! The page's side of the models worker: a worker of its own, started when the first
//! read model is applied, which loads the same file with the same fields and folds the
//! models over its events, so that the worker serving the log is never held up by them.
//!
//! The page says which models it wants ([`ModelsSide::wanted`]); this side posts what the
//! worker lacks, asks for the panels one frame at a time, and watches the folding
//! ([`Watchdog`]): a worker silent for 5 s while folding is stopped, the page is told
//! which model's handler ran too long, and a fresh worker folds the others.

use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::{Rc, Weak};

use rewind_session::{FieldNames, ModelId, ModelReply, ModelRequest, ModelsView};
use web_sys::Blob;

use super::channel::Channel;
use super::roles::WorkerId;
use super::watchdog::Watchdog;
use super::Inner;
use crate::protocol::{FromWorker, ModelAsk, Note, OpenLog, Role, ToWorker};

/// How often the watchdog looks (milliseconds).
const WATCH_EVERY_MS: u32 = 500;

/// What to do with the answer to a question about the models.
pub(super) type ThenModel = Box<dyn FnOnce(ModelReply)>;

/// The models worker and what the page waits for from it.
#[derive(Default)]
pub(super) struct ModelsSide {
    /// The worker, while models are wanted and a log is open.
    channel: Option<Channel>,
    /// Its log is loaded: questions can be posted.
    loaded: bool,
    /// Questions waiting for the log to load.
    waiting: Vec<ModelAsk>,
    /// The models the page wants folded, with their files.
    wanted: Vec<(ModelId, Rc<str>)>,
    /// The person opened the editor: the worker loads the log while they write, so that
    /// the first model starts folding at once.
    prepared: bool,
    /// The files the worker was sent, by model.
    sent: HashMap<ModelId, Rc<str>>,
    /// Tells a handler that never returns.
    watchdog: Watchdog,
    /// Looks at the watchdog while the worker lives.
    watch_timer: Option<gloo::timers::callback::Interval>,
    /// The frame request in flight, if any.
    frame_in_flight: Option<u64>,
    /// The view to ask for once the frame in flight is answered.
    frame_next: Option<ModelsView>,
    /// What to do with the answers to questions asked, by request id.
    replies: HashMap<u64, ThenModel>,
}

impl ModelsSide {
    /// The models worker's id, if one runs.
    pub(super) fn worker(&self) -> Option<WorkerId> {
        self.channel.as_ref().map(|c| c.id)
    }

    /// The worker is told it is ready, if it is this side's.
    pub(super) fn ready(&mut self, from: WorkerId) {
        if let Some(c) = self.channel.as_mut().filter(|c| c.id == from) {
            c.ready();
        }
    }

    /// Stops the worker (its memory is freed at once); the models wanted stay wanted.
    pub(super) fn stop(&mut self) {
        self.channel = None;
        self.loaded = false;
        self.waiting.clear();
        self.sent.clear();
        self.watchdog.reset();
        self.watch_timer = None;
        self.frame_in_flight = None;
        self.replies.clear();
    }
}

impl Inner {
    /// Posts a question to the models worker, or keeps it until the worker's log is in.
    fn post_models(&mut self, ask: ModelAsk) {
        let side = &mut self.models;
        match side.channel.as_mut() {
            Some(c) if side.loaded => c.post(ToWorker::Models(ask)),
            Some(_) => side.waiting.push(ask),
            None => {}
        }
    }

    /// Asks the models worker `request`; the id its reply will carry.
    fn request_models(&mut self, request: ModelRequest) -> Option<u64> {
        self.models.channel.as_ref()?;
        let id = self.next_id();
        self.post_models(ModelAsk { id, request });
        Some(id)
    }

    /// Starts the models worker on the open log's file, and its watchdog.
    fn start_models(&mut self, me: &Weak<RefCell<Inner>>) {
        let Some((file, name, fields)) = self.file.clone() else {
            return;
        };
        let id = self.next_id();
        // Without a worker (the browser refused one) the panels say they are waiting.
        let Some(mut channel) = Channel::spawn(me, id) else {
            return;
        };
        channel.post(open_models(file, name, fields));
        self.models.stop();
        self.models.channel = Some(channel);
        let me = me.clone();
        self.models.watch_timer = Some(gloo::timers::callback::Interval::new(
            WATCH_EVERY_MS,
            move || {
                if let Some(rc) = me.upgrade() {
                    watch(&rc);
                }
            },
        ));
    }

    /// Brings the models worker in line with the models wanted: started when the first is
    /// wanted, stopped when none is, sent the files it lacks and told of those removed.
    pub(super) fn sync_models(&mut self, me: &Weak<RefCell<Inner>>) {
        if (self.models.wanted.is_empty() && !self.models.prepared) || self.file.is_none() {
            self.models.stop();
            return;
        }
        if self.models.channel.is_none() {
            self.start_models(me);
        }
        let wanted = self.models.wanted.clone();
        let gone: Vec<ModelId> = self
            .models
            .sent
            .keys()
            .filter(|id| !wanted.iter().any(|(w, _)| w == *id))
            .copied()
            .collect();
        for id in gone {
            self.models.sent.remove(&id);
            self.request_models(ModelRequest::Remove(id));
        }
        for (id, source) in wanted {
            if self.models.sent.get(&id) != Some(&source) {
                self.models.sent.insert(id, source.clone());
                self.request_models(ModelRequest::Apply {
                    id,
                    source: source.to_string(),
                });
            }
        }
    }

    /// A new log is opening: the models worker of the old one stops; a new one starts once
    /// the new log is open ([`Inner::models_log_open`]).
    pub(super) fn models_log_changed(&mut self) {
        self.models.stop();
        self.models.prepared = false;
    }

    /// The log is open whole: the models wanted are folded over it.
    pub(super) fn models_log_open(&mut self, me: &Weak<RefCell<Inner>>) {
        if self.models.channel.is_none() {
            self.sync_models(me);
        }
    }

    fn send_models_frame(&mut self) {
        if self.models.frame_in_flight.is_some() {
            return;
        }
        if let Some(view) = self.models.frame_next.take() {
            self.models.frame_in_flight = self.request_models(ModelRequest::Frame(view));
        }
    }

    /// Handles one message from the models worker; what to do with a reply, if anything
    /// waits for it.
    pub(super) fn models_heard(
        &mut self,
        message: FromWorker,
        notes: &mut Vec<Note>,
    ) -> Option<(ThenModel, ModelReply)> {
        let now = js_sys::Date::now();
        self.models.watchdog.heard(now);
        match message {
            FromWorker::Ready => {}
            FromWorker::Loaded(_) => {
                self.models.loaded = true;
                for ask in std::mem::take(&mut self.models.waiting) {
                    self.post_models(ask);
                }
                self.send_models_frame();
            }
            FromWorker::Failed(message) => {
                self.models.stop();
                notes.push(Note::ModelsFailed(format!(
                    "The read models stopped: {message}"
                )));
            }
            FromWorker::ModelFolding { model, position } => {
                self.models.watchdog.folding_at(now, model, position)
            }
            FromWorker::ModelProgress(progress) => {
                self.models.watchdog.progress(now, &progress);
                notes.push(Note::ModelProgress(progress));
            }
            FromWorker::ModelReply { id, reply } => match reply {
                ModelReply::Applied { id, name } => {
                    self.models.watchdog.applied(now);
                    notes.push(Note::ModelApplied { id, name });
                }
                ModelReply::Invalid { id, problem } => {
                    self.models.sent.remove(&id);
                    notes.push(Note::ModelInvalid { id, problem });
                }
                ModelReply::Frame(frame) if self.models.frame_in_flight == Some(id) => {
                    self.models.frame_in_flight = None;
                    notes.push(Note::ModelsFrame(Rc::new(*frame)));
                    self.send_models_frame();
                }
                other => return self.models.replies.remove(&id).map(|f| (f, other)),
            },
            FromWorker::Progress(_)
            | FromWorker::NoPreview(_)
            | FromWorker::Reply { .. }
            | FromWorker::TailIndex(_) => {}
        }
        None
    }
}

/// The message opening the log in the models worker (index-only as the page's load is).
fn open_models(file: Blob, name: String, fields: FieldNames) -> ToWorker {
    let index_only = super::plan::index_only(file.size(), super::index_only_asked());
    ToWorker::Open {
        log: OpenLog {
            role: Role::Models,
            name,
            tail_from: None,
            fields,
            index_only,
        },
        file,
    }
}

/// Looks at the watchdog: a handler stuck for too long stops the worker; the page is
/// told, and the other models are folded by a fresh worker.
fn watch(rc: &Rc<RefCell<Inner>>) {
    let me = Rc::downgrade(rc);
    let mut notes = Vec::new();
    {
        let mut inner = rc.borrow_mut();
        let Some(stuck) = inner.models.watchdog.check(js_sys::Date::now()) else {
            return;
        };
        inner.models.stop();
        inner.models.wanted.retain(|(id, _)| *id != stuck.model);
        notes.push(Note::ModelStopped {
            id: stuck.model,
            near: Some(stuck.near),
        });
        inner.sync_models(&me);
    }
    super::tell(rc, notes);
}

impl super::Backend {
    /// The read models the page wants folded (id and file), in its order: the models
    /// worker is started, told or stopped to match.
    pub fn want_models(&self, wanted: Vec<(ModelId, Rc<str>)>) {
        let me = Rc::downgrade(&self.0);
        let mut inner = self.0.borrow_mut();
        if inner.models.wanted == wanted {
            return;
        }
        inner.models.wanted = wanted;
        inner.sync_models(&me);
    }

    /// The person is writing a read model: the models worker starts loading the log now,
    /// not when the model is applied.
    pub fn prepare_models(&self) {
        let me = Rc::downgrade(&self.0);
        let mut inner = self.0.borrow_mut();
        if !inner.models.prepared {
            inner.models.prepared = true;
            inner.sync_models(&me);
        }
    }

    /// Asks for the read models' panels; replaces a view not yet sent.
    pub fn models_frame(&self, view: ModelsView) {
        let mut inner = self.0.borrow_mut();
        inner.models.frame_next = Some(view);
        if inner.models.loaded {
            inner.send_models_frame();
        }
    }

    /// Asks one question about the read models; `then` hears the answer.
    pub fn ask_models(&self, request: ModelRequest, then: impl FnOnce(ModelReply) + 'static) {
        let mut inner = self.0.borrow_mut();
        if let Some(id) = inner.request_models(request) {
            inner.models.replies.insert(id, Box::new(then));
        }
    }
}
