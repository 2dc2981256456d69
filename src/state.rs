//! The page's state: which log is open, where the timeline is, what is expanded and
//! selected, how the event list is filtered, and what went wrong. Changed only through
//! [`Action`]s by the [`Reducible`] below; no I/O happens here.

use std::collections::HashSet;
use std::rc::Rc;

use rewind_session::Bucket;
use rewind_session::EventFilter;
use rewind_session::{Frame, History, ModelsView, Summary, View};
use yew::prelude::*;

pub use self::models::{Editor, ModelAction, ModelStatus, ModelsState, PageModel};
pub use self::whatif::{WhatIf, WhatIfAction};
use crate::protocol::{After, Progress};
use crate::time_control::{TimeCommand, TimeControl};
use crate::url::Fragment;

/// A log being loaded, and how far it is.
#[derive(Clone, Debug, PartialEq)]
pub struct Loading {
    /// The file's name.
    pub name: String,
    /// How far it is, once the worker says.
    pub progress: Option<Progress>,
    /// The same log opened again (with other fields): the person's place is kept.
    pub again: bool,
}

/// Rows of the event list shown before the list says how many fit.
const LIST_ROWS: usize = 40;

/// Everything the page shows. The log itself lives in a worker: the page keeps what it
/// asked for (position, expanded nodes, filter...) and the last [`Frame`] it got back.
#[derive(Clone, PartialEq)]
pub struct AppState {
    /// The open log, if any (with `partial`: the start of the log loading).
    pub log: Option<Rc<Summary>>,
    /// What the worker last sent for the screen.
    pub frame: Option<Rc<Frame>>,
    /// The density strip, as last sent.
    pub density: Rc<Vec<Bucket>>,
    /// The selected field's history, as last sent.
    pub history: Option<Rc<History>>,
    /// Where the timeline is.
    pub time: Option<TimeControl>,
    /// Expanded nodes of the state tree, by JSON Pointer.
    pub expanded: Rc<HashSet<String>>,
    /// Children listed under nodes where the person asked for more than the default.
    pub shown: Rc<rewind_session::Shown>,
    /// The selected field (its history is listed), by JSON Pointer.
    pub selected: Option<String>,
    /// How the event list is filtered.
    pub filter: EventFilter,
    /// The position the current state is compared with, when comparing.
    pub compare_from: Option<isize>,
    /// Playing forward through time.
    pub playing: bool,
    /// Events per second while playing.
    pub speed: u32,
    /// A message for the person (load errors), shown in an alert.
    pub error: Option<String>,
    /// Lines that could not be read, shown until dismissed.
    pub notice: Option<String>,
    /// The open log's file could not be read again, and the person was told (once: the
    /// alert stays dismissed).
    pub file_error_said: bool,
    /// A log is being loaded.
    pub loading: Option<Loading>,
    /// Position and selection asked for by the URL, applied when a log opens.
    pub pending: Option<Fragment>,
    /// The event list's rows in view: first index and count.
    pub list_window: (usize, usize),
    /// The read models and their editor.
    pub models: ModelsState,
    /// The what-if edits.
    pub whatif: WhatIf,
    /// Where events name their correlation and causation (chosen in the Fields dialog).
    pub flow_keys: rewind_core::FlowKeys,
    /// The person asked for causes and flows to be indexed (a log read from its file
    /// leaves them until asked).
    pub index_flows: bool,
}

impl Default for AppState {
    fn default() -> Self {
        AppState {
            log: None,
            frame: None,
            density: Rc::default(),
            history: None,
            time: None,
            expanded: Rc::default(),
            shown: Rc::default(),
            selected: None,
            filter: EventFilter::default(),
            compare_from: None,
            playing: false,
            speed: DEFAULT_SPEED,
            error: None,
            notice: None,
            file_error_said: false,
            loading: None,
            pending: None,
            list_window: (0, LIST_ROWS),
            models: ModelsState::default(),
            whatif: WhatIf::default(),
            flow_keys: rewind_core::FlowKeys::default(),
            index_flows: false,
        }
    }
}

/// What can happen to the page.
pub enum Action {
    /// Reading a file began.
    Loading {
        /// The file's name.
        name: String,
        /// It is the open log's file again (its fields chosen anew): the place is kept.
        again: bool,
    },
    /// Loading made progress.
    Progress(Progress),
    /// A log, or the start of one still loading (`partial`), is open.
    Loaded(Rc<Summary>),
    /// Loading stopped without a log, or a log could not be exported.
    Failed {
        /// Why, in words (`None`: loading was cancelled).
        message: Option<String>,
        /// Which log is open now.
        after: After,
    },
    /// What is on screen, from the worker.
    Frame(Rc<Frame>),
    /// The event list's rows in view changed.
    ListWindow {
        /// Index of the first row in view.
        first: usize,
        /// Rows in view.
        count: usize,
    },
    /// Move through time.
    Time(TimeCommand),
    /// Expand or collapse a node of the state tree.
    Toggle(String),
    /// List more children of a node of the state tree.
    ShowMore(String),
    /// Select a field (shows its history).
    Select(String),
    /// Select a field and expand everything above it, so it is in view.
    Reveal(String),
    /// Change the event list's filter (applied to the filter as it is now, so that edits
    /// made in quick succession all count).
    EditFilter(Rc<dyn Fn(&mut EventFilter)>),
    /// Compare the current state with this position (`None`: stop comparing).
    Compare(Option<isize>),
    /// Start or stop playing.
    TogglePlay,
    /// Events per second while playing.
    Speed(u32),
    /// One step of playing: the next event, or stop at the end.
    Tick,
    /// The URL asked for a position and a selection.
    Fragment(Fragment),
    /// Close the error or the notice.
    Dismiss,
    /// Something happened to the read models.
    Models(ModelAction),
    /// Something happened to the what-if edits.
    WhatIf(WhatIfAction),
    /// Jump to the first position where the edited log differs from the original.
    FirstDifference,
    /// The keys of correlation and causation chosen in the Fields dialog.
    FlowKeys(rewind_core::FlowKeys),
    /// Index causes and flows (a log read from its file leaves them until asked).
    IndexFlows,
}

/// Default playing speed, in events per second.
pub const DEFAULT_SPEED: u32 = 4;

/// Every ancestor of `pointer` (and the root), so that a selected field is visible.
fn ancestors(pointer: &str) -> Vec<String> {
    let mut out = vec![String::new()];
    let mut at = 0;
    while let Some(i) = pointer[at + 1..].find('/') {
        at += i + 1;
        out.push(pointer[..at].to_string());
    }
    out
}

impl AppState {
    /// Starts afresh on a log just opened: its first event, nothing expanded but the root.
    fn show_new_log(&mut self, log: &Summary) {
        self.time = Some(TimeControl::opened(log.events));
        self.frame = None;
        self.density = Rc::default();
        self.history = None;
        self.expanded = Rc::new([String::new()].into_iter().collect());
        self.shown = Rc::default();
        self.selected = None;
        self.filter = EventFilter::default();
        self.compare_from = None;
        self.playing = false;
        self.index_flows = false;
        self.whatif.forget();
    }

    /// Applies a URL fragment: position (counted from 1), selection and what-if edits.
    fn apply_fragment(&mut self, f: &Fragment) {
        if let Some(edits) = &f.edits {
            self.whatif.edits = edits.clone();
        }
        if let (Some(time), Some(e)) = (self.time.as_mut(), f.event) {
            let _ = time.apply(TimeCommand::SetPosition(e as isize - 1));
        }
        if let Some(p) = &f.pointer {
            let mut expanded = (*self.expanded).clone();
            expanded.extend(ancestors(p));
            self.expanded = Rc::new(expanded);
            self.selected = Some(p.clone());
        }
    }
}

impl AppState {
    /// A file began loading (`again`: the open log's own file, read with other fields).
    fn loading_started(&mut self, name: String, again: bool) {
        self.loading = Some(Loading {
            name,
            progress: None,
            again,
        });
        self.error = None;
    }

    /// A log, or the start of one still loading, is open. The whole of a log whose start
    /// was shown, or the open log read again with other fields, keeps the person's place;
    /// any other log opens at its first event. A position asked for by the URL is applied
    /// (and forgotten once the whole log is open).
    fn loaded(&mut self, log: Rc<Summary>) {
        let continued = self.loading.is_some()
            && !log.partial
            && self
                .log
                .as_ref()
                .is_some_and(|l| l.partial && l.name == log.name);
        let again = self.loading.as_ref().is_some_and(|l| l.again) && self.log.is_some();
        if continued || again {
            let position = self.time.map_or(0, |t| t.position());
            let mut time = TimeControl::opened(log.events);
            let _ = time.apply(TimeCommand::SetPosition(position));
            self.time = Some(time);
            if again {
                // The types and streams may be others now: the filter starts afresh.
                self.filter = EventFilter::default();
                self.compare_from = None;
            }
        } else {
            self.show_new_log(&log);
        }
        self.notice = log.notice.clone();
        self.error = None;
        self.file_error_said = false;
        if !log.partial {
            self.loading = None;
            // The models are folded again over the whole log.
            self.models.log_changed();
        }
        let pending = if log.partial {
            self.pending.clone()
        } else {
            self.pending.take()
        };
        self.log = Some(log);
        if let Some(f) = pending {
            self.apply_fragment(&f);
        }
    }

    /// Loading stopped (or an export failed) with `message`; `after` says which log is open.
    fn failed(&mut self, message: Option<String>, after: After) {
        self.error = message;
        self.loading = None;
        match after {
            After::Kept => {}
            After::Restored(log) => {
                self.show_new_log(&log);
                self.notice = log.notice.clone();
                self.log = Some(log);
            }
            After::Gone => {
                self.log = None;
                self.frame = None;
                self.time = None;
            }
        }
    }

    /// What the worker sent for the screen; the density strip and the history come only
    /// when they changed.
    fn show_frame(&mut self, frame: Rc<Frame>) {
        if let Some(why) = frame.file_error.as_ref().filter(|_| !self.file_error_said) {
            self.error = Some(why.clone());
            self.file_error_said = true;
        }
        if let Some(d) = &frame.density {
            self.density = Rc::new(d.clone());
        }
        if let Some(h) = &frame.history {
            self.history = Some(Rc::new(h.clone()));
        }
        if let Some(info) = &frame.edits {
            self.whatif.apply(WhatIfAction::Info(info.clone()));
        }
        self.frame = Some(frame);
    }

    /// Expands a collapsed node of the state tree, or collapses an expanded one.
    fn toggle(&mut self, pointer: String) {
        let mut expanded = (*self.expanded).clone();
        if !expanded.remove(&pointer) {
            expanded.insert(pointer);
        }
        self.expanded = Rc::new(expanded);
    }

    /// Lists more children of the node at `pointer`.
    fn show_more(&mut self, pointer: String) {
        let mut shown = (*self.shown).clone();
        let now = shown
            .get(&pointer)
            .copied()
            .unwrap_or(rewind_session::CHILDREN_SHOWN);
        shown.insert(pointer, now + rewind_session::CHILDREN_SHOWN);
        self.shown = Rc::new(shown);
    }

    /// Starts or stops playing; playing from the end starts again from the beginning.
    fn toggle_play(&mut self) {
        self.playing = !self.playing && self.time.is_some();
        if let Some(time) = self.time.as_mut().filter(|_| self.playing) {
            if time.position() == time.len() as isize - 1 {
                let _ = time.apply(TimeCommand::Start);
            }
        }
    }

    /// Applies `action`; false when nothing changed (the page is then not drawn again).
    fn apply(&mut self, action: Action) -> bool {
        match action {
            Action::Loading { name, again } => self.loading_started(name, again),
            Action::Progress(progress) => {
                if let Some(l) = self.loading.as_mut() {
                    l.progress = Some(progress);
                }
            }
            Action::Loaded(log) => self.loaded(log),
            Action::Failed { message, after } => self.failed(message, after),
            Action::Frame(frame) => self.show_frame(frame),
            Action::ListWindow { first, count } => {
                if self.list_window == (first, count) {
                    return false;
                }
                self.list_window = (first, count);
            }
            Action::Time(command) => {
                return self.time.as_mut().is_some_and(|t| t.apply(command).0);
            }
            Action::Toggle(pointer) => self.toggle(pointer),
            Action::ShowMore(pointer) => self.show_more(pointer),
            Action::Select(pointer) => self.selected = Some(pointer),
            Action::Reveal(pointer) => self.apply_fragment(&Fragment {
                pointer: Some(pointer),
                ..Fragment::default()
            }),
            Action::EditFilter(edit) => edit(&mut self.filter),
            Action::Compare(from) => self.compare_from = from,
            Action::TogglePlay => self.toggle_play(),
            Action::Speed(speed) => self.speed = speed.max(1),
            Action::Tick => match self.time.as_mut() {
                // At the end, playing stops.
                Some(time) if self.playing => {
                    if !time.apply(TimeCommand::Step(1)).0 {
                        self.playing = false;
                    }
                }
                _ => return false,
            },
            Action::Fragment(f) => {
                if let Some(sources) = f.models.clone() {
                    self.models.apply(ModelAction::Restore(sources));
                }
                if self.log.is_some() {
                    self.apply_fragment(&f);
                } else {
                    self.pending = Some(f);
                }
            }
            Action::Dismiss => {
                self.error = None;
                self.notice = None;
            }
            Action::Models(action) => return self.models.apply(action),
            Action::WhatIf(action) => return self.whatif.apply(action),
            Action::FlowKeys(keys) => {
                if self.flow_keys == keys {
                    return false;
                }
                self.flow_keys = keys;
                // Keys chosen for them are a request for causes and flows.
                self.index_flows = true;
            }
            Action::IndexFlows => self.index_flows = true,
            Action::FirstDifference => {
                let first = self.whatif.current_info().and_then(|i| i.first_difference);
                match (self.time.as_mut(), first) {
                    (Some(time), Some(p)) => {
                        return time.apply(TimeCommand::SetPosition(p as isize)).0
                    }
                    _ => return false,
                }
            }
        }
        true
    }
}

impl Reducible for AppState {
    type Action = Action;

    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        let mut next = (*self).clone();
        if next.apply(action) {
            Rc::new(next)
        } else {
            self
        }
    }
}

/// The reducer handle, shared with every component through a context.
pub type AppHandle = UseReducerHandle<AppState>;

impl AppState {
    /// What to ask the worker for, to show this state.
    pub fn view(&self) -> Option<View> {
        let time = self.time?;
        self.log.as_ref()?;
        Some(View {
            position: time.position(),
            expanded: self.expanded.iter().cloned().collect(),
            shown: self.shown.iter().map(|(k, v)| (k.clone(), *v)).collect(),
            focus: self.filter.stream.clone(),
            selected: self.selected.clone(),
            compare_from: self.compare_from,
            filter: self.filter.clone(),
            list_start: self.list_window.0,
            list_len: self.list_window.1,
            edits: self.whatif.edits.clone(),
            compare_original: self.whatif.compare && self.whatif.active(),
            flow_keys: self.flow_keys.clone(),
            index_flows: self.index_flows,
        })
    }

    /// What to ask the models worker for, to show the read models.
    pub fn models_view(&self) -> Option<ModelsView> {
        let time = self.time?;
        self.log.as_ref()?;
        let mut view = self.models.view(time.position())?;
        view.edits = self.whatif.edits.clone();
        view.compare_original = self.whatif.compare && self.whatif.active();
        view.flow_keys = self.flow_keys.clone();
        Some(view)
    }
}

pub mod models;
pub mod whatif;

#[cfg(test)]
mod tests;
