//! The page's state: which log is open, where the timeline is, what is expanded and
//! selected, how the event list is filtered, and what went wrong. Changed only through
//! [`Action`]s by the [`Reducible`] below; no I/O happens here.

use std::collections::HashSet;
use std::rc::Rc;

use rewind_core::filter::EventFilter;
use rewind_core::Replay;
use yew::prelude::*;

use crate::time_control::{TimeCommand, TimeControl};
use crate::url::Fragment;

/// An opened log.
pub struct OpenLog {
    /// The file's name, as the person knows it.
    pub name: String,
    /// The folded log.
    pub replay: Replay,
}

/// Everything the page shows that is not derived from the core.
#[derive(Clone, Default, PartialEq)]
pub struct AppState {
    /// The open log, if any.
    pub log: Option<Rc<OpenLog>>,
    /// Where the timeline is.
    pub time: Option<TimeControl>,
    /// Expanded nodes of the state tree, by JSON Pointer.
    pub expanded: Rc<HashSet<String>>,
    /// Children listed under nodes where the person asked for more than the default.
    pub shown: Rc<rewind_core::view::Shown>,
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
    /// A file is being read.
    pub loading: Option<String>,
    /// Position and selection asked for by the URL, applied when a log opens.
    pub pending: Option<Fragment>,
}

impl PartialEq for OpenLog {
    fn eq(&self, other: &Self) -> bool {
        std::ptr::eq(self, other)
    }
}

/// What can happen to the page.
pub enum Action {
    /// Reading a file began.
    Loading(String),
    /// A log was read and folded.
    Loaded(Rc<OpenLog>),
    /// A file could not be read as an event log.
    Failed(String),
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

fn bad_lines_notice(replay: &Replay) -> Option<String> {
    let bad = &replay.log.bad_lines;
    let first = bad.first()?;
    let more = if bad.len() > 1 {
        format!(" and {} more", bad.len() - 1)
    } else {
        String::new()
    };
    Some(format!(
        "{} line{} could not be read and {} skipped; every other line loaded. Line {}: {}{more}.",
        bad.len(),
        if bad.len() == 1 { "" } else { "s" },
        if bad.len() == 1 { "was" } else { "were" },
        first.line,
        first.reason
    ))
}

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
            Action::Loading(name) => {
                next.loading = Some(name);
                next.error = None;
            }
            Action::Loaded(log) => {
                next.time = Some(TimeControl::opened(log.replay.len()));
                next.notice = bad_lines_notice(&log.replay);
                next.log = Some(log);
                next.error = None;
                next.loading = None;
                next.expanded = Rc::new([String::new()].into_iter().collect());
                next.shown = Rc::default();
                next.selected = None;
                next.filter = EventFilter::default();
                next.compare_from = None;
                next.playing = false;
                if let Some(f) = next.pending.take() {
                    next.apply_fragment(&f);
                }
            }
            Action::Failed(message) => {
                next.error = Some(message);
                next.loading = None;
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
                    .unwrap_or(rewind_core::view::CHILDREN_SHOWN);
                shown.insert(pointer, now + rewind_core::view::CHILDREN_SHOWN);
                next.shown = Rc::new(shown);
            }
            Action::Select(pointer) => next.selected = Some(pointer),
            Action::Reveal(pointer) => next.apply_fragment(&Fragment {
                event: None,
                pointer: Some(pointer),
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
