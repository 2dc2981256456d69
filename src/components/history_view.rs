//! The History region: every event that changed the selected field, with old → new.

use std::rc::Rc;

use rewind_core::Op;
use rewind_session::{History, HISTORY_SHOWN};
use yew::prelude::*;

use crate::state::Action;
use crate::time_control::TimeCommand;

/// Props of [`HistoryView`].
#[derive(Properties, PartialEq)]
pub struct HistoryViewProps {
    /// The selected field's history (`None`: not received yet).
    pub history: Option<Rc<History>>,
    /// The selected field.
    pub pointer: String,
    /// Current position (its row is highlighted).
    pub position: isize,
    /// Sends an action to the page (a click jumps there).
    pub oncommand: Callback<Action>,
    /// The region's accessible name.
    #[prop_or(AttrValue::Static("History"))]
    pub label: AttrValue,
}

/// The list.
#[function_component(HistoryView)]
pub fn history_view(props: &HistoryViewProps) -> Html {
    let history = props
        .history
        .as_ref()
        .filter(|h| h.pointer == props.pointer);
    let shown = if props.pointer.is_empty() {
        "(root)"
    } else {
        props.pointer.as_str()
    };
    html! {
        <section class="panel history" aria-label={props.label.clone()}>
            <h2>{ "History of " }<code>{ shown.to_string() }</code></h2>
            if let Some(history) = history {
            if history.rows.is_empty() {
                <p class="muted">{ "No event changed this field." }</p>
            } else {
                <p class="muted">{ format!("{} event{} changed it{}", history.total, if history.total == 1 { "" } else { "s" },
                    if history.total > HISTORY_SHOWN { format!(" (the first {HISTORY_SHOWN} are listed)") } else { String::new() }) }</p>
                <ol class="history-list">
                    { for history.rows.iter().map(|h| {
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
                                    <span class="values">{ format!("{} → {}", h.old, h.new) }</span>
                                </button>
                            </li>
                        }
                    }) }
                </ol>
            }
            } else {
                <p class="muted">{ "Reading…" }</p>
            }
        </section>
    }
}
