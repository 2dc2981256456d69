//! The page's side of its workers. A log is loaded by a worker and stays there; the page
//! asks it for what is on screen, one frame at a time (a newer view replaces one that has
//! not been sent yet, so a fast drag never queues work). While a large NDJSON log loads,
//! a second worker loads its first megabytes, so the page can show them at once.
//!
//! Cancelling, or opening another log, terminates the workers involved: their memory is
//! freed at once, whatever they were doing.

use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::{Rc, Weak};

use rewind_session::FieldNames;
use rewind_session::{Frame, Reply, Request, Summary, View};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{Blob, ErrorEvent, MessageEvent, Worker};
use yew::Callback;

use crate::protocol::{
    decode, encode, open_message, tail_message, transfer_list, FromWorker, Phase, ToWorker, OPEN,
    PREVIEW, TAIL, TAIL_INDEX,
};
use crate::worker::PREVIEW_BYTES;

/// Largest file offered to the browser: folding needs about twice the file in memory, and
/// a tab's wasm memory ends at 4 GiB.
pub const MAX_FILE_BYTES: f64 = 1.5 * (1u64 << 30) as f64;

/// The worker's script (`static/rewind-worker-loader.js`, which starts
/// `src/bin/rewind-worker.rs`).
const WORKER_SCRIPT: &str = "rewind-worker-loader.js";

/// Why a file of `size` bytes is not opened, if it is too large for a tab.
pub fn too_large(size: f64, name: &str) -> Option<String> {
    (size > MAX_FILE_BYTES).then(|| {
        format!(
            "Could not open {name}: it is {} MB, and this page holds logs up to {} MB \
             (folding needs about twice the file in memory, and a browser tab has 4 GB). \
             The rewind command-line tool reads logs of any size.",
            (size / 1e6) as u64,
            (MAX_FILE_BYTES / 1e6) as u64
        )
    })
}

/// True when a file's name says it is gzip-compressed.
pub fn is_gzip_name(name: &str) -> bool {
    name.to_ascii_lowercase().ends_with(".gz")
}

/// Idle workers kept started, so that opening a log does not wait for one to start (a
/// large log takes three on a machine with processors to spare: the loading one, the
/// preview and the helper).
const SPARES: usize = 3;

/// Logs from this size on are indexed by two workers, each taking about half the file (the
/// loading one and a helper, see [`HEAD_SHARE`]), on machines with [`SPLIT_MIN_CORES`].
/// Below it a load takes about a second anyway.
const SPLIT_MIN_BYTES: f64 = 48e6;

/// Processors a machine needs for a log to be split between two workers: the page's thread,
/// the browser's own and both workers each need one. On two processors, measured on a
/// million events, the split loaded no faster than one worker (2.7 s against 3.0 s,
/// medians of eight alternating runs), and the page, sharing them with both, drew its
/// frames half as fast meanwhile and showed the first state 100 ms later.
const SPLIT_MIN_CORES: f64 = 4.0;

/// Whether a log of `size` bytes is split between two workers on a machine with `cores`
/// logical processors.
pub fn split(size: f64, cores: f64) -> bool {
    size >= SPLIT_MIN_BYTES && cores >= SPLIT_MIN_CORES
}

/// Share of a split log's bytes whose lines the loading worker indexes; the helper takes
/// the rest. A little under half, because the loading worker also copies the helper's
/// part of the file and then appends the helper's index: measured on a million events,
/// at one half the helper's index was ready 150-400 ms before the loading worker.
const HEAD_SHARE: f64 = 0.48;

/// How long after a load the spare workers used by it are replaced.
const SPARES_DELAY_MS: u32 = 1500;

/// What the workers tell the page.
pub enum Note {
    /// Loading made progress.
    Progress {
        /// Reading or folding.
        phase: Phase,
        /// Bytes read, or events folded.
        done: u64,
        /// Out of.
        total: u64,
    },
    /// A log (or, with `partial`, its start) is open and answers requests.
    Loaded(Rc<Summary>),
    /// Loading failed or was cancelled.
    Failed {
        /// Why, in words (`None`: cancelled).
        message: Option<String>,
        /// Which log answers requests now.
        after: After,
    },
    /// What is on screen.
    Frame(Rc<Frame>),
}

/// What is open after a load failed or was cancelled.
#[derive(Clone, Debug, PartialEq)]
pub enum After {
    /// The log shown until now.
    Kept,
    /// The log open before the load, whose start had replaced it on screen.
    Restored(Rc<Summary>),
    /// No log.
    Gone,
}

struct Channel {
    id: u64,
    worker: Worker,
    ready: bool,
    outbox: Vec<JsValue>,
    _on_message: Closure<dyn FnMut(MessageEvent)>,
    _on_error: Closure<dyn FnMut(ErrorEvent)>,
}

impl Channel {
    fn post(&mut self, message: JsValue) {
        if self.ready {
            let _ = self
                .worker
                .post_message_with_transfer(&message, &transfer_list(&message));
        } else {
            self.outbox.push(message);
        }
    }
}

impl Drop for Channel {
    fn drop(&mut self) {
        self.worker.terminate();
    }
}

#[derive(Default)]
struct Inner {
    /// Answers requests: the open log, or the start of the one loading.
    serving: Option<Channel>,
    serving_is_preview: bool,
    /// What `serving` said when it opened, unless it is a preview.
    serving_summary: Option<Rc<Summary>>,
    /// The log open before, while the start of the next one is shown: back on Cancel.
    previous: Option<(Channel, Rc<Summary>)>,
    /// Loads the whole log.
    loading: Option<Channel>,
    /// Loads the start of the log; serves once it has.
    preview: Option<Channel>,
    /// Indexes the lines of a large log after `tail_from` for `loading`.
    helper: Option<Channel>,
    /// Where the helper's share of the log starts.
    tail_from: Option<u64>,
    /// How far the loading worker is when it shares a log: bytes read, events, file size.
    loading_progress: Option<(u64, u64, u64)>,
    /// How far the helper is: bytes, events.
    helper_progress: (u64, u64),
    /// Starts spare workers again after a load.
    spares_timer: Option<gloo::timers::callback::Timeout>,
    spares: Vec<Channel>,
    /// Name of the log loading.
    name: String,
    /// The file of the log last asked to open, and its name: opened again when the person
    /// chooses its fields.
    file: Option<(Blob, String)>,
    next_id: u64,
    replies: HashMap<u64, Box<dyn FnOnce(Reply)>>,
    /// The frame request in flight, if any, and the view to ask for next.
    frame_in_flight: Option<u64>,
    frame_next: Option<View>,
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

fn spawn(inner: &Weak<RefCell<Inner>>, id: u64) -> Option<Channel> {
    let worker = Worker::new(WORKER_SCRIPT).ok()?;
    let on_message = {
        let inner = inner.clone();
        Closure::<dyn FnMut(MessageEvent)>::new(move |e: MessageEvent| {
            let Some(inner) = inner.upgrade() else {
                return;
            };
            let data = e.data();
            match decode(&data) {
                Some(message) => receive(&inner, id, message),
                None => {
                    let is_tail = data
                        .dyn_ref::<js_sys::Array>()
                        .is_some_and(|a| a.get(0).as_string().as_deref() == Some(TAIL_INDEX));
                    if is_tail {
                        inner.borrow_mut().pass_tail(id, data);
                    }
                }
            }
        })
    };
    let on_error = {
        let inner = inner.clone();
        Closure::<dyn FnMut(ErrorEvent)>::new(move |e: ErrorEvent| {
            e.prevent_default();
            if let Some(inner) = inner.upgrade() {
                let name = inner.borrow().name.clone();
                let message = format!(
                    "Could not open {name}: the browser stopped the worker folding it, most \
                     likely because it ran out of memory (a log needs about twice its size). \
                     The rewind command-line tool reads logs of any size."
                );
                receive(&inner, id, FromWorker::Failed(message));
            }
        })
    };
    worker.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    worker.set_onerror(Some(on_error.as_ref().unchecked_ref()));
    Some(Channel {
        id,
        worker,
        ready: false,
        outbox: Vec::new(),
        _on_message: on_message,
        _on_error: on_error,
    })
}

impl Inner {
    /// A new worker, with an id of its own.
    fn spawn(&mut self, me: &Weak<RefCell<Inner>>) -> Option<Channel> {
        self.next_id += 1;
        spawn(me, self.next_id)
    }

    /// An idle worker, or a new one.
    fn new_channel(&mut self, me: &Weak<RefCell<Inner>>) -> Option<Channel> {
        self.spares.pop().or_else(|| self.spawn(me))
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
            match self.spawn(me) {
                Some(c) => self.spares.push(c),
                None => break,
            }
        }
    }

    fn request(&mut self, request: Request) -> Option<u64> {
        let serving = self.serving.as_mut()?;
        self.next_id += 1;
        let id = self.next_id;
        serving.post(encode(&ToWorker { id, request })?);
        Some(id)
    }

    fn send_frame(&mut self) {
        if self.frame_in_flight.is_some() {
            return;
        }
        if let Some(view) = self.frame_next.take() {
            self.frame_in_flight = self.request(Request::Frame(view));
        }
    }

    /// Drops what was asked of the worker that served until now.
    fn switch_serving(&mut self, to: Option<Channel>, preview: bool) {
        self.serving = to;
        self.serving_is_preview = preview;
        self.frame_in_flight = None;
        self.replies.clear();
    }

    /// Passes the helper's tail index (or its failure, as a null index) to the loading
    /// worker, if it is from the helper of this load; the helper's work is done.
    fn pass_tail(&mut self, from: u64, message: JsValue) {
        if self.helper.as_ref().is_some_and(|h| h.id == from) {
            self.helper = None;
            if let Some(loading) = self.loading.as_mut() {
                loading.post(message);
            }
        }
    }

    /// The progress of a log shared by the loading worker and the helper: the loading
    /// worker indexes the lines before `tail_from`, the helper those after.
    fn split_note(&self) -> Option<Note> {
        let (done, events, total) = self.loading_progress?;
        let (bytes_b, events_b) = self.helper_progress;
        Some(Note::Progress {
            phase: Phase::Streaming(events + events_b),
            done: (done.min(self.tail_from?) + bytes_b).min(total),
            total,
        })
    }

    /// Stops the load under way; the log open before it answers again.
    fn abandon_load(&mut self, me: &Weak<RefCell<Inner>>) -> After {
        self.loading = None;
        self.preview = None;
        self.helper = None;
        let after = if self.serving_is_preview {
            match self.previous.take() {
                Some((channel, summary)) => {
                    self.switch_serving(Some(channel), false);
                    self.serving_summary = Some(summary.clone());
                    After::Restored(summary)
                }
                None => {
                    self.switch_serving(None, false);
                    After::Gone
                }
            }
        } else if self.serving.is_some() {
            After::Kept
        } else {
            After::Gone
        };
        self.keep_spares(me);
        after
    }
}

/// Passes `notes` to the page, once no borrow of the workers' state is held (the page may
/// ask for something at once).
fn tell(rc: &Rc<RefCell<Inner>>, notes: impl IntoIterator<Item = Note>) {
    let out = rc.borrow().notes.clone();
    if let Some(out) = out {
        for n in notes {
            out.emit(n);
        }
    }
}

/// Handles one message from worker `from`.
fn receive(rc: &Rc<RefCell<Inner>>, from: u64, message: FromWorker) {
    let me = Rc::downgrade(rc);
    let mut notes = Vec::new();
    let mut callback = None;
    {
        let mut guard = rc.borrow_mut();
        let inner = &mut *guard;
        let is = |c: &Option<Channel>| c.as_ref().is_some_and(|c| c.id == from);
        let from_loading = is(&inner.loading);
        let from_preview = is(&inner.preview);
        let from_serving = is(&inner.serving);
        match message {
            FromWorker::Ready => {
                let all = [
                    inner.serving.as_mut(),
                    inner.loading.as_mut(),
                    inner.preview.as_mut(),
                    inner.helper.as_mut(),
                ];
                let spares = inner.spares.iter_mut();
                for c in all.into_iter().flatten().chain(spares) {
                    if c.id == from {
                        c.ready = true;
                        for m in c.outbox.drain(..) {
                            let _ = c.worker.post_message(&m);
                        }
                    }
                }
            }
            FromWorker::Progress { phase, done, total } if from_loading => match phase {
                Phase::Streaming(events) if inner.tail_from.is_some() => {
                    inner.loading_progress = Some((done, events, total));
                    notes.extend(inner.split_note());
                }
                _ => notes.push(Note::Progress { phase, done, total }),
            },
            FromWorker::Progress {
                phase: Phase::Streaming(events),
                done,
                ..
            } if is(&inner.helper) => {
                inner.helper_progress = (done, events);
                notes.extend(inner.split_note());
            }
            FromWorker::Loaded(summary) if from_loading => {
                let full = inner.loading.take();
                let summary = Rc::new(*summary);
                inner.preview = None;
                inner.helper = None;
                inner.previous = None;
                inner.switch_serving(full, false);
                inner.serving_summary = Some(summary.clone());
                inner.keep_spares_soon(&me);
                notes.push(Note::Loaded(summary));
            }
            FromWorker::Loaded(summary) if from_preview && inner.loading.is_some() => {
                let preview = inner.preview.take();
                // The log open until now waits, in case this load is cancelled.
                if !inner.serving_is_preview {
                    if let (Some(channel), Some(old)) =
                        (inner.serving.take(), inner.serving_summary.take())
                    {
                        inner.previous = Some((channel, old));
                    }
                }
                inner.switch_serving(preview, true);
                notes.push(Note::Loaded(Rc::new(*summary)));
            }
            FromWorker::Failed(message) if from_loading => {
                let after = inner.abandon_load(&me);
                notes.push(Note::Failed {
                    message: Some(message),
                    after,
                });
            }
            // The worker holding the open log stopped (out of memory in a request).
            FromWorker::Failed(message) if from_serving => {
                inner.switch_serving(None, false);
                inner.serving_summary = None;
                let after = match inner.abandon_load(&me) {
                    After::Restored(s) => After::Restored(s),
                    _ => After::Gone,
                };
                notes.push(Note::Failed {
                    message: Some(message),
                    after,
                });
            }
            FromWorker::Failed(_) if from_preview => inner.preview = None,
            // The helper stopped (out of memory): the loading worker reads the tail itself.
            FromWorker::Failed(_) if is(&inner.helper) => inner.pass_tail(from, tail_message(None)),
            FromWorker::Reply { id, reply } if from_serving => {
                if inner.frame_in_flight == Some(id) {
                    inner.frame_in_flight = None;
                    if let Reply::Frame(frame) = reply {
                        notes.push(Note::Frame(Rc::new(*frame)));
                    }
                    inner.send_frame();
                } else {
                    callback = inner.replies.remove(&id).map(|f| (f, reply));
                }
            }
            _ => {}
        }
    }
    tell(rc, notes);
    if let Some((f, reply)) = callback {
        f(reply);
    }
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
        let (blob, name) = self.0.borrow().file.clone()?;
        Some(self.open(blob, &name, fields).map(|()| name))
    }

    /// Opens a log: the whole of it in one worker and, when it is large, its start in
    /// another; its fields are read from the keys in `fields` where they name one. The log
    /// open until now answers until the new one (or its start) is open.
    pub fn open(&self, blob: Blob, name: &str, fields: &FieldNames) -> Result<(), String> {
        if let Some(message) = too_large(blob.size(), name) {
            return Err(message);
        }
        let me = Rc::downgrade(&self.0);
        // A load under way gives way to this one (its preview too).
        let after = self.0.borrow_mut().abandon_load(&me);
        if let After::Restored(_) = after {
            tell(
                &self.0,
                [Note::Failed {
                    message: None,
                    after,
                }],
            );
        }
        let mut inner = self.0.borrow_mut();
        inner.name = name.to_string();
        inner.file = Some((blob.clone(), name.to_string()));
        let message = |kind: &str, tail_from: Option<f64>| -> JsValue {
            open_message(kind, &blob, name, tail_from, fields)
        };
        let mut loading = inner
            .new_channel(&me)
            .ok_or("Could not start a worker to read the log")?;
        if blob.size() > PREVIEW_BYTES as f64 {
            if let Some(mut preview) = inner.new_channel(&me) {
                preview.post(message(PREVIEW, None));
                inner.preview = Some(preview);
            }
        }
        let size = blob.size();
        let cores = gloo::utils::window().navigator().hardware_concurrency();
        // The helper reads the file's bytes as they are, with the fields detected: not for
        // a compressed log, nor one whose fields the person chose.
        let shareable = fields.is_empty() && !is_gzip_name(name);
        let helper = (shareable && split(size, cores))
            .then(|| inner.new_channel(&me))
            .flatten();
        let tail_from = helper.as_ref().map(|_| (size * HEAD_SHARE).floor());
        if let Some(mut helper) = helper {
            helper.post(message(TAIL, tail_from));
            inner.helper = Some(helper);
        }
        inner.tail_from = tail_from.map(|f| f as u64);
        inner.loading_progress = None;
        inner.helper_progress = (0, 0);
        loading.post(message(OPEN, tail_from));
        inner.loading = Some(loading);
        Ok(())
    }

    /// Stops loading. The log open before (if any) stays.
    pub fn cancel(&self) {
        let after = self.0.borrow_mut().abandon_load(&Rc::downgrade(&self.0));
        tell(
            &self.0,
            [Note::Failed {
                message: None,
                after,
            }],
        );
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_large_logs_on_machines_with_processors_to_spare_are_split() {
        assert!(split(237e6, 8.0));
        assert!(split(SPLIT_MIN_BYTES, SPLIT_MIN_CORES));
        assert!(!split(237e6, 2.0), "two processors: one worker");
        assert!(
            !split(SPLIT_MIN_BYTES - 1.0, 16.0),
            "a small log: one worker"
        );
    }

    #[test]
    fn a_log_too_large_for_a_tab_is_refused_in_words_and_a_large_one_is_not() {
        assert_eq!(too_large(237e6, "big.ndjson"), None);
        assert_eq!(too_large(MAX_FILE_BYTES, "edge.ndjson"), None);
        let message = too_large(2.1e9, "huge.ndjson").expect("refused");
        assert!(
            message.starts_with("Could not open huge.ndjson: it is 2100 MB"),
            "{message}"
        );
        assert!(message.contains("command-line tool"), "{message}");
    }
}
