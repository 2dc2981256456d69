//! The History region: every event that changed the selected field, with old → new.

use std::rc::Rc;

use rewind_core::{Op, Pointer};
use yew::prelude::*;

use crate::state::{Action, OpenLog};
use crate::time_control::TimeCommand;

/// Props of [`HistoryView`].
#[derive(Properties, PartialEq)]
pub struct HistoryViewProps {
    /// The open log.
    pub log: Rc<OpenLog>,
    /// The selected field.
    pub pointer: String,
    /// Current position (its row is highlighted).
    pub position: isize,
    /// Sends an action to the page (a click jumps there).
    pub oncommand: Callback<Action>,
}

/// The list.
#[function_component(HistoryView)]
pub fn history_view(props: &HistoryViewProps) -> Html {
    let entries = use_memo((props.log.clone(), props.pointer.clone()), |(log, p)| {
        Pointer::parse(p)
            .map(|ptr| log.replay.history(&ptr))
            .unwrap_or_default()
    });
    let shown = if props.pointer.is_empty() {
        "(root)"
    } else {
        props.pointer.as_str()
    };
    html! {
        <section class="panel history" aria-label="History">
            <h2>{ "History of " }<code>{ shown.to_string() }</code></h2>
            if entries.is_empty() {
                <p class="muted">{ "No event changed this field." }</p>
            } else {
                <p class="muted">{ format!("{} event{} changed it", entries.len(), if entries.len() == 1 { "" } else { "s" }) }</p>
                <ol class="history-list">
                    { for entries.iter().take(1000).map(|h| {
                        let p = h.position as isize;
                        let onclick = props.oncommand.reform(move |_: MouseEvent| Action::Time(TimeCommand::SetPosition(p)));
                        let current = p == props.position;
                        let op = match h.op { Op::Add => "added", Op::Remove => "removed", Op::Replace => "changed" };
                        html! {
                            <li class={classes!(current.then_some("current"))}>
                                <button type="button" class="history-entry" {onclick} aria-current={current.then_some("step")}>
                                    <span class="num">{ format!("Event {}", h.position + 1) }</span>
                                    <span class="event-type">{ h.kind.clone() }</span>
                                    <span class="muted">{ op }</span>
                                    <span class="values">
                                        { h.old.as_ref().map(|v| v.to_compact_string()).unwrap_or_else(|| "—".into()) }
                                        { " → " }
                                        { h.new.as_ref().map(|v| v.to_compact_string()).unwrap_or_else(|| "—".into()) }
                                    </span>
                                </button>
                            </li>
                        }
                    }) }
                </ol>
            }
        </section>
    }
}
