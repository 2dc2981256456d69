//! The page's side of its workers. A log is loaded by a worker and stays there; the page
//! asks it for what is on screen, one frame at a time (a newer view replaces one that has
//! not been sent yet, so a fast drag never queues work). While a large NDJSON log loads,
//! a second worker loads its first megabytes, so the page can show them at once.
//!
//! Which worker does what is decided by [`roles::Roles`], a state machine with no I/O;
//! this module starts the workers, posts to them and carries out what the roles say.
//! Cancelling, or opening another log, terminates the workers involved: their memory is
//! freed at once, whatever they were doing.

mod channel;
mod models;
pub mod plan;
pub mod roles;
pub mod watchdog;

use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::{Rc, Weak};

use rewind_session::FieldNames;
use rewind_session::{Reply, Request, View};
use web_sys::Blob;
use yew::Callback;

use self::channel::Channel;
use self::plan::{index_only, plan};
use self::roles::{Effect, Heard, Helper, Load, Roles, WorkerId};
use crate::protocol::{Ask, EncodedTail, FromWorker, Note, OpenLog, Role, ToWorker};

/// Idle workers kept started, so that opening a log does not wait for one to start (a
/// large log takes three on a machine with processors to spare: the loading one, the
/// preview and the helper).
const SPARES: usize = 3;

/// How long after a load the spare workers used by it are replaced.
const SPARES_DELAY_MS: u32 = 1500;

/// What to do with the answer to a question.
type Then = Box<dyn FnOnce(Reply)>;

/// The workers and what the page waits for from them.
#[derive(Default)]
struct Inner {
    /// Which worker does what.
    roles: Roles,
    /// The workers with a role, by id.
    workers: HashMap<WorkerId, Channel>,
    /// Idle workers, started ahead of need.
    spares: Vec<Channel>,
    /// Starts spare workers again after a load.
    spares_timer: Option<gloo::timers::callback::Timeout>,
    /// Name of the log loading (for the message when the browser stops its worker).
    loading_name: String,
    /// The file of the log last asked to open, its name and the fields chosen: opened
    /// again when the person chooses its fields, and by the models worker.
    file: Option<(Blob, String, FieldNames)>,
    /// The models worker and what the page waits for from it.
    models: models::ModelsSide,
    /// The last id given to a worker or a request.
    last_id: u64,
    /// What to do with the answers to questions asked, by request id.
    replies: HashMap<u64, Then>,
    /// The frame request in flight, if any.
    frame_in_flight: Option<u64>,
    /// The view to ask for once the frame in flight is answered.
    frame_next: Option<View>,
    /// The view of the frame in flight (asked for again when its answer says so).
    frame_asked: Option<View>,
    /// Hears what the workers say.
    notes: Option<Callback<Note>>,
}

/// The workers, shared by the page's components.
#[derive(Clone)]
pub struct Backend(Rc<RefCell<Inner>>);

impl PartialEq for Backend {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.0, &other.0)
    }
}

impl Inner {
    fn next_id(&mut self) -> u64 {
        self.last_id += 1;
        self.last_id
    }

    /// An idle worker, or a new one.
    fn new_channel(&mut self, me: &Weak<RefCell<Inner>>) -> Option<Channel> {
        self.spares.pop().or_else(|| {
            let id = self.next_id();
            Channel::spawn(me, id)
        })
    }

    /// [`keep_spares`](Self::keep_spares) in a moment: starting workers right after a
    /// load would take the processor from the page's drawing of the log.
    fn keep_spares_soon(&mut self, me: &Weak<RefCell<Inner>>) {
        let me = me.clone();
        self.spares_timer = Some(gloo::timers::callback::Timeout::new(
            SPARES_DELAY_MS,
            move || {
                if let Some(rc) = me.upgrade() {
                    rc.borrow_mut().keep_spares(&me);
                }
            },
        ));
    }

    fn keep_spares(&mut self, me: &Weak<RefCell<Inner>>) {
        while self.spares.len() < SPARES {
            let id = self.next_id();
            match Channel::spawn(me, id) {
                Some(c) => self.spares.push(c),
                None => break,
            }
        }
    }

    /// Posts `message` to worker `to`, if it has a role.
    fn post(&mut self, to: WorkerId, message: ToWorker) {
        if let Some(channel) = self.workers.get_mut(&to) {
            channel.post(message);
        }
    }

    /// Asks the serving worker `request`; the id its reply will carry.
    fn request(&mut self, request: Request) -> Option<u64> {
        let serving = self.roles.serving()?;
        let id = self.next_id();
        self.workers
            .get_mut(&serving)?
            .post(ToWorker::Ask(Ask { id, request }));
        Some(id)
    }

    fn send_frame(&mut self) {
        if self.frame_in_flight.is_some() {
            return;
        }
        if let Some(view) = self.frame_next.take() {
            self.frame_asked = Some(view.clone());
            self.frame_in_flight = self.request(Request::Frame(Box::new(view)));
        }
    }

    /// Worker `from` is listening: what waited for it is posted.
    fn ready(&mut self, from: WorkerId) {
        self.models.ready(from);
        let spares = self.spares.iter_mut();
        if let Some(c) = self
            .workers
            .values_mut()
            .chain(spares)
            .find(|c| c.id == from)
        {
            c.ready();
        }
    }

    /// The serving worker's answer to request `id`: a frame (and the next one is asked
    /// for), or the reply a question waits for, with what to do with it.
    fn reply(&mut self, id: u64, reply: Reply, notes: &mut Vec<Note>) -> Option<(Then, Reply)> {
        if self.frame_in_flight == Some(id) {
            self.frame_in_flight = None;
            if let Reply::Frame(frame) = reply {
                // A log's first frame goes out before its flow index is built: the same
                // view is asked for again (unless another waits already).
                if frame.flows_pending && self.frame_next.is_none() {
                    self.frame_next = self.frame_asked.take();
                }
                notes.push(Note::Frame(Rc::new(*frame)));
            }
            self.send_frame();
            None
        } else {
            self.replies.remove(&id).map(|f| (f, reply))
        }
    }

    /// Carries out what the roles say; `tail` is the tail index just heard, if any.
    fn apply(
        &mut self,
        me: &Weak<RefCell<Inner>>,
        effects: Vec<Effect>,
        mut tail: Option<EncodedTail>,
        notes: &mut Vec<Note>,
    ) {
        for effect in effects {
            match effect {
                // Dropping the channel terminates the worker.
                Effect::Terminate(id) => drop(self.workers.remove(&id)),
                Effect::ServingChanged => {
                    self.frame_in_flight = None;
                    self.replies.clear();
                }
                Effect::PassTail(to) => {
                    if let Some(tail) = tail.take() {
                        self.post(to, ToWorker::TailIndex(tail));
                    }
                }
                Effect::NoTail(to) => self.post(to, ToWorker::TailIndex(EncodedTail::none())),
                Effect::Tell(note) => {
                    if matches!(&note, Note::Loaded(s) if !s.partial) {
                        self.models_log_open(me);
                    }
                    notes.push(note)
                }
                Effect::KeepSpares => self.keep_spares(me),
                Effect::KeepSparesSoon => self.keep_spares_soon(me),
            }
        }
    }
}

/// Passes `notes` to the page, once no borrow of the workers' state is held (the page may
/// ask for something at once).
fn tell(rc: &Rc<RefCell<Inner>>, notes: Vec<Note>) {
    let out = rc.borrow().notes.clone();
    if let Some(out) = out {
        for n in notes {
            out.emit(n);
        }
    }
}

/// Handles one message from worker `from`.
fn receive(rc: &Rc<RefCell<Inner>>, from: WorkerId, message: FromWorker) {
    if rc.borrow().models.worker() == Some(from) {
        let mut notes = Vec::new();
        if matches!(message, FromWorker::Ready) {
            rc.borrow_mut().models.ready(from);
        }
        let callback = rc.borrow_mut().models_heard(message, &mut notes);
        tell(rc, notes);
        if let Some((f, reply)) = callback {
            f(reply);
        }
        return;
    }
    let me = Rc::downgrade(rc);
    let mut notes = Vec::new();
    let mut callback = None;
    {
        let mut inner = rc.borrow_mut();
        let mut tail = None;
        let heard = match message {
            FromWorker::Ready => {
                inner.ready(from);
                None
            }
            FromWorker::Reply { id, reply } => {
                if inner.roles.serving() == Some(from) {
                    callback = inner.reply(id, reply, &mut notes);
                }
                None
            }
            FromWorker::Progress(p) => Some(Heard::Progress(p)),
            FromWorker::Loaded(summary) => Some(Heard::Loaded(Rc::new(*summary))),
            FromWorker::Failed(message) => Some(Heard::Failed(message)),
            FromWorker::NoPreview(_) => Some(Heard::NoPreview),
            FromWorker::TailIndex(index) => {
                tail = Some(index);
                Some(Heard::TailIndex)
            }
            FromWorker::ModelReply { .. }
            | FromWorker::ModelProgress(_)
            | FromWorker::ModelFolding { .. } => None,
        };
        if let Some(heard) = heard {
            let effects = inner.roles.heard(from, heard);
            inner.apply(&me, effects, tail, &mut notes);
        }
    }
    tell(rc, notes);
    if let Some((f, reply)) = callback {
        f(reply);
    }
}

/// True when the page's address asks for every NDJSON log to be loaded index-only
/// (`?index-only`), as logs past [`IN_MEMORY_MAX_BYTES`](crate::protocol::IN_MEMORY_MAX_BYTES)
/// are: to try that mode on a small log, and for the browser tests.
pub fn index_only_asked() -> bool {
    gloo::utils::window().location().search().is_ok_and(|q| {
        q.trim_start_matches('?')
            .split('&')
            .any(|p| p.split('=').next() == Some("index-only"))
    })
}

impl Backend {
    /// Starts the idle workers; `notes` hears what they say.
    pub fn new(notes: Callback<Note>) -> Self {
        let rc = Rc::new(RefCell::new(Inner {
            notes: Some(notes),
            ..Inner::default()
        }));
        rc.borrow_mut().keep_spares(&Rc::downgrade(&rc));
        Backend(rc)
    }

    /// Opens the file of the log last opened again, reading its fields from the keys in
    /// `fields`; `None` when no log was opened.
    pub fn reopen(&self, fields: &FieldNames) -> Option<Result<String, String>> {
        let (file, name, _) = self.0.borrow().file.clone()?;
        Some(self.open(file, &name, fields).map(|()| name))
    }

    /// Opens a log: the whole of it in one worker and, when it is large, its start in
    /// another; its fields are read from the keys in `fields` where they name one. The log
    /// open until now answers until the new one (or its start) is open.
    pub fn open(&self, file: Blob, name: &str, fields: &FieldNames) -> Result<(), String> {
        let size = file.size();
        let me = Rc::downgrade(&self.0);
        let cores = gloo::utils::window().navigator().hardware_concurrency();
        let plan = plan(
            size,
            name,
            !fields.is_empty(),
            cores,
            index_only(size, index_only_asked()),
        );
        let mut notes = Vec::new();
        {
            let mut inner = self.0.borrow_mut();
            let loading = inner
                .new_channel(&me)
                .ok_or("Could not start a worker to read the log")?;
            let preview = plan.preview.then(|| inner.new_channel(&me)).flatten();
            let helper = plan
                .tail_from
                .and_then(|from| Some((inner.new_channel(&me)?, from)));
            let load = Load {
                loading: loading.id,
                preview: preview.as_ref().map(|c| c.id),
                helper: helper.as_ref().map(|(c, from)| Helper {
                    id: c.id,
                    tail_from: *from,
                }),
            };
            // The load under way gives way first, so its memory is free for this one.
            let effects = inner.roles.start(load);
            inner.apply(&me, effects, None, &mut notes);
            inner.loading_name = name.to_string();
            inner.file = Some((file.clone(), name.to_string(), fields.clone()));
            inner.models_log_changed();
            let tail_from = load.helper.map(|h| h.tail_from);
            let open = |role: Role, tail_from: Option<u64>| ToWorker::Open {
                log: OpenLog {
                    role,
                    name: name.to_string(),
                    tail_from,
                    fields: fields.clone(),
                    index_only: plan.index_only,
                },
                file: file.clone(),
            };
            let mut started = vec![(loading, open(Role::Load, tail_from))];
            started.extend(preview.map(|c| (c, open(Role::Preview, None))));
            started.extend(helper.map(|(c, _)| (c, open(Role::Tail, tail_from))));
            for (mut channel, message) in started {
                channel.post(message);
                inner.workers.insert(channel.id, channel);
            }
        }
        tell(&self.0, notes);
        Ok(())
    }

    /// Stops loading. The log open before (if any) stays.
    pub fn cancel(&self) {
        let mut notes = Vec::new();
        {
            let mut inner = self.0.borrow_mut();
            let effects = inner.roles.cancel();
            inner.apply(&Rc::downgrade(&self.0), effects, None, &mut notes);
        }
        tell(&self.0, notes);
    }

    /// Asks for what is on screen; replaces a view not yet sent.
    pub fn frame(&self, view: View) {
        let mut inner = self.0.borrow_mut();
        inner.frame_next = Some(view);
        inner.send_frame();
    }

    /// Asks one question; `then` hears the answer (not if the log changes first).
    pub fn ask(&self, request: Request, then: impl FnOnce(Reply) + 'static) {
        let mut inner = self.0.borrow_mut();
        if let Some(id) = inner.request(request) {
            inner.replies.insert(id, Box::new(then));
        }
    }
}
