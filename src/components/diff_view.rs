//! The Diff region: what the current event changed, or the changes between two positions.

use std::rc::Rc;

use rewind_core::{Change, Op};
use yew::prelude::*;

use crate::state::{Action, OpenLog};

/// Props of [`DiffView`].
#[derive(Properties, PartialEq)]
pub struct DiffViewProps {
    /// The open log.
    pub log: Rc<OpenLog>,
    /// Current position.
    pub position: isize,
    /// Compare with this position instead of showing the current event's changes.
    pub compare_from: Option<isize>,
    /// What the current event changed (computed once for the page).
    pub event_changes: Rc<Vec<Change>>,
    /// Sends an action to the page.
    pub oncommand: Callback<Action>,
    /// Downloads the changes as a JSON Patch.
    pub onexport: Callback<()>,
}

/// The changes shown: the current event's, or from `compare_from` to the position.
pub fn changes_shown(log: &OpenLog, position: isize, compare_from: Option<isize>) -> Vec<Change> {
    match compare_from {
        Some(from) => log.replay.diff_between(from, position),
        None if position >= 0 => log.replay.event_diff(position as usize),
        None => Vec::new(),
    }
}

/// The diff list.
#[function_component(DiffView)]
pub fn diff_view(props: &DiffViewProps) -> Html {
    let changes = use_memo(
        (
            props.log.clone(),
            props.position,
            props.compare_from,
            props.event_changes.clone(),
        ),
        |(log, p, from, event_changes)| match from {
            Some(from) => Rc::new(log.replay.diff_between(*from, *p)),
            None => event_changes.clone(),
        },
    );
    let title = match props.compare_from {
        Some(from) => format!("from event {} to event {}", from + 1, props.position + 1),
        None if props.position >= 0 => format!("of event {}", props.position + 1),
        None => "before the first event".to_string(),
    };
    let position = props.position;
    let oncompare = props
        .oncommand
        .reform(move |_: MouseEvent| Action::Compare(Some(position)));
    let onstop = props
        .oncommand
        .reform(|_: MouseEvent| Action::Compare(None));
    let onexport = props.onexport.reform(|_: MouseEvent| ());
    let onselect = |p: String| {
        props
            .oncommand
            .reform(move |_: MouseEvent| Action::Select(p.clone()))
    };
    html! {
        <section class="panel diff" aria-label="Diff">
            <h2>{ "Diff " }<span class="muted">{ title }</span></h2>
            <div class="tools">
                if props.compare_from.is_some() {
                    <button type="button" class="button small" onclick={onstop}>{ "Stop comparing" }</button>
                } else {
                    <button type="button" class="button small" onclick={oncompare}
                        title="Keep this position, then move the timeline to compare">{ "Compare from here" }</button>
                }
                <button type="button" class="button small" onclick={onexport}>{ "Export diff" }</button>
            </div>
            if changes.is_empty() {
                <p class="muted">{ "No changes." }</p>
            } else {
                <ul class="changes">
                    { for changes.iter().take(500).map(|c| {
                        let (sym, class) = match c.op { Op::Add => ("+", "add"), Op::Remove => ("−", "remove"), Op::Replace => ("~", "replace") };
                        let path = c.path.to_string();
                        html! {
                            <li class={classes!("change", class)}>
                                <span class="op" title={class}>{ sym }</span>
                                <button type="button" class="pointer" onclick={onselect(path.clone())}>{ path.clone() }</button>
                                <span class="values">
                                    if let Some(old) = &c.old { <span class="old">{ old.to_compact_string() }</span> }
                                    if c.old.is_some() && c.new.is_some() { <span class="arrow">{ " → " }</span> }
                                    if let Some(new) = &c.new { <span class="new">{ new.to_compact_string() }</span> }
                                </span>
                            </li>
                        }
                    }) }
                </ul>
                if changes.len() > 500 { <p class="muted">{ format!("and {} more", changes.len() - 500) }</p> }
            }
        </section>
    }
}
