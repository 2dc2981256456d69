//! The page's state: which log is open, where the timeline is, what is expanded and
//! selected, how the event list is filtered, and what went wrong. Changed only through
//! [`Action`]s by the [`Reducible`] below; no I/O happens here.

use std::collections::HashSet;
use std::rc::Rc;

use rewind_session::Bucket;
use rewind_session::EventFilter;
use rewind_session::{Frame, History, Summary, View};
use yew::prelude::*;

use crate::backend::After;
use crate::protocol::Phase;
use crate::time_control::{TimeCommand, TimeControl};
use crate::url::Fragment;

/// A log being loaded, and how far it is.
#[derive(Clone, Debug, PartialEq)]
pub struct Loading {
    /// The file's name.
    pub name: String,
    /// Reading or folding, once the worker says.
    pub phase: Option<Phase>,
    /// Bytes read or events folded.
    pub done: u64,
    /// Out of.
    pub total: u64,
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
    /// A log is being loaded.
    pub loading: Option<Loading>,
    /// Position and selection asked for by the URL, applied when a log opens.
    pub pending: Option<Fragment>,
    /// The event list's rows in view: first index and count.
    pub list_window: (usize, usize),
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
            loading: None,
            pending: None,
            list_window: (0, LIST_ROWS),
        }
    }
}

/// What can happen to the page.
pub enum Action {
    /// Reading a file began; `true` when it is the open log's file again (its fields
    /// chosen anew), whose place is kept.
    Loading(String, bool),
    /// Loading made progress.
    Progress(Phase, u64, u64),
    /// A log, or the start of one still loading (`partial`), is open.
    Loaded(Rc<Summary>),
    /// A file could not be read as an event log (`None`: loading was cancelled), and
    /// which log is open now.
    Failed(Option<String>, After),
    /// What is on screen, from the worker.
    Frame(Rc<Frame>),
    /// The event list's rows in view changed: first index and count.
    ListWindow(usize, usize),
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
    }

    /// Applies a URL fragment: position (counted from 1) and selection.
    fn apply_fragment(&mut self, f: &Fragment) {
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

impl Reducible for AppState {
    type Action = Action;

    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        let mut next = (*self).clone();
        match action {
            Action::Loading(name, again) => {
                next.loading = Some(Loading {
                    name,
                    phase: None,
                    done: 0,
                    total: 0,
                    again,
                });
                next.error = None;
            }
            Action::Progress(phase, done, total) => {
                if let Some(l) = next.loading.as_mut() {
                    l.phase = Some(phase);
                    l.done = done;
                    l.total = total;
                }
            }
            Action::Loaded(log) => {
                // The whole log after its start: keep the person's place.
                let continued = next.loading.is_some()
                    && !log.partial
                    && next
                        .log
                        .as_ref()
                        .is_some_and(|l| l.partial && l.name == log.name);
                let again = next.loading.as_ref().is_some_and(|l| l.again) && next.log.is_some();
                if continued || again {
                    let position = next.time.map_or(0, |t| t.position());
                    let mut time = TimeControl::opened(log.events);
                    let _ = time.apply(TimeCommand::SetPosition(position));
                    next.time = Some(time);
                    if again {
                        // The types and streams may be others now: the filter starts afresh.
                        next.filter = EventFilter::default();
                        next.compare_from = None;
                    }
                } else {
                    next.show_new_log(&log);
                }
                next.notice = log.notice.clone();
                next.error = None;
                if !log.partial {
                    next.loading = None;
                }
                let pending = if log.partial {
                    next.pending.clone()
                } else {
                    next.pending.take()
                };
                next.log = Some(log);
                if let Some(f) = pending {
                    next.apply_fragment(&f);
                }
            }
            Action::Failed(message, after) => {
                next.error = message;
                next.loading = None;
                match after {
                    After::Kept => {}
                    After::Restored(log) => {
                        next.show_new_log(&log);
                        next.notice = log.notice.clone();
                        next.log = Some(log);
                    }
                    After::Gone => {
                        next.log = None;
                        next.frame = None;
                        next.time = None;
                    }
                }
            }
            Action::Frame(frame) => {
                if let Some(d) = &frame.density {
                    next.density = Rc::new(d.clone());
                }
                if let Some(h) = &frame.history {
                    next.history = Some(Rc::new(h.clone()));
                }
                next.frame = Some(frame);
            }
            Action::ListWindow(first, count) => {
                if next.list_window == (first, count) {
                    return self;
                }
                next.list_window = (first, count);
            }
            Action::Time(command) => match next.time.as_mut() {
                Some(time) => {
                    if !time.apply(command).0 {
                        return self;
                    }
                }
                None => return self,
            },
            Action::Toggle(pointer) => {
                let mut expanded = (*next.expanded).clone();
                if !expanded.remove(&pointer) {
                    expanded.insert(pointer);
                }
                next.expanded = Rc::new(expanded);
            }
            Action::ShowMore(pointer) => {
                let mut shown = (*next.shown).clone();
                let now = shown
                    .get(&pointer)
                    .copied()
                    .unwrap_or(rewind_session::CHILDREN_SHOWN);
                shown.insert(pointer, now + rewind_session::CHILDREN_SHOWN);
                next.shown = Rc::new(shown);
            }
            Action::Select(pointer) => next.selected = Some(pointer),
            Action::Reveal(pointer) => next.apply_fragment(&Fragment {
                pointer: Some(pointer),
                ..Fragment::default()
            }),
            Action::EditFilter(edit) => edit(&mut next.filter),
            Action::Compare(from) => next.compare_from = from,
            Action::TogglePlay => {
                next.playing = !next.playing && next.time.is_some();
                if next.playing {
                    // Playing from the end starts again from the beginning.
                    if let Some(time) = next.time.as_mut() {
                        if time.position() == time.len() as isize - 1 {
                            let _ = time.apply(TimeCommand::Start);
                        }
                    }
                }
            }
            Action::Speed(speed) => next.speed = speed.max(1),
            Action::Tick => match next.time.as_mut() {
                Some(time) if next.playing => {
                    if !time.apply(TimeCommand::Step(1)).0 {
                        next.playing = false;
                    }
                }
                _ => return self,
            },
            Action::Fragment(f) => {
                if next.log.is_some() {
                    next.apply_fragment(&f);
                } else {
                    next.pending = Some(f);
                }
            }
            Action::Dismiss => {
                next.error = None;
                next.notice = None;
            }
        }
        Rc::new(next)
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
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ancestors_of_a_pointer_include_the_root() {
        assert_eq!(
            ancestors("/order-17/lines/SKU-1"),
            ["", "/order-17", "/order-17/lines"]
        );
        assert_eq!(ancestors("/a"), [""]);
    }
}
