//! The Diff region: what the current event changed, or the changes between two positions.

use std::rc::Rc;

use rewind_core::Op;
use rewind_session::{ChangeRow, Frame, CHANGES_SHOWN};
use yew::prelude::*;

use crate::state::Action;

/// Props of [`DiffView`].
#[derive(Properties, PartialEq)]
pub struct DiffViewProps {
    /// What is on screen (its position and changes).
    pub frame: Rc<Frame>,
    /// Compare with this position instead of showing the current event's changes.
    pub compare_from: Option<isize>,
    /// Sends an action to the page.
    pub oncommand: Callback<Action>,
    /// Downloads the changes as a JSON Patch.
    pub onexport: Callback<()>,
}

/// The diff list.
#[function_component(DiffView)]
pub fn diff_view(props: &DiffViewProps) -> Html {
    let changes = &props.frame.changes;
    let position = props.frame.position;
    let title = match props.compare_from {
        Some(from) => format!("from event {} to event {}", from + 1, position + 1),
        None if position >= 0 => format!("of event {}", position + 1),
        None => "before the first event".to_string(),
    };
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
                    { for changes.iter().map(|c| {
                        let (sym, class) = op_mark(c.op);
                        let path = c.path.clone();
                        html! {
                            <li class={classes!("change", class)}>
                                <span class="op" title={class}>{ sym }</span>
                                <button type="button" class="pointer" onclick={onselect(path.clone())}>{ path.clone() }</button>
                                { change_values(c) }
                            </li>
                        }
                    }) }
                </ul>
                if props.frame.changes_total > CHANGES_SHOWN {
                    <p class="muted">{ format!("and {} more (Export diff has them all)", props.frame.changes_total - CHANGES_SHOWN) }</p>
                }
            }
        </section>
    }
}

/// The mark and class of a change's kind: `+` add, `−` remove, `~` replace.
pub fn op_mark(op: Op) -> (&'static str, &'static str) {
    match op {
        Op::Add => ("+", "add"),
        Op::Remove => ("−", "remove"),
        Op::Replace => ("~", "replace"),
    }
}

/// A change's values: old → new, or the one it has.
pub fn change_values(c: &ChangeRow) -> Html {
    html! {
        <span class="values">
            if let Some(old) = &c.old { <span class="old">{ old.clone() }</span> }
            if c.old.is_some() && c.new.is_some() { <span class="arrow">{ " → " }</span> }
            if let Some(new) = &c.new { <span class="new">{ new.clone() }</span> }
        </span>
    }
}
