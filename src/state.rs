//! The page's state: which log is open, where the timeline is, and what went wrong.
//! Changed only through [`Action`]s by the [`Reducible`] below; no I/O happens here.

use std::rc::Rc;

use rewind_core::Replay;
use yew::prelude::*;

use crate::time_control::{TimeCommand, TimeControl};

/// An opened log.
pub struct OpenLog {
    /// The file's name, as the person knows it.
    pub name: String,
    /// The folded log.
    pub replay: Replay,
}

/// Everything the page shows that is not derived from the core.
#[derive(Clone, Default)]
pub struct AppState {
    /// The open log, if any.
    pub log: Option<Rc<OpenLog>>,
    /// Where the timeline is.
    pub time: Option<TimeControl>,
    /// A message for the person (load errors), shown in an alert.
    pub error: Option<String>,
    /// Lines that could not be read, shown until dismissed.
    pub notice: Option<String>,
    /// A file is being read.
    pub loading: Option<String>,
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
    /// Close the error or the notice.
    Dismiss,
}

impl PartialEq for AppState {
    fn eq(&self, other: &Self) -> bool {
        let same_log = match (&self.log, &other.log) {
            (Some(a), Some(b)) => Rc::ptr_eq(a, b),
            (None, None) => true,
            _ => false,
        };
        same_log
            && self.time == other.time
            && self.error == other.error
            && self.notice == other.notice
            && self.loading == other.loading
    }
}

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
