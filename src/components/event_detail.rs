//! The Event region: the current event's id, time, stream, type, data and metadata, and
//! the what-if buttons: **Skip this event** and **Edit event**.

use std::rc::Rc;

use rewind_session::{EventFilter, FlowLink, FlowView, Frame};
use yew::prelude::*;

use crate::state::{Action, WhatIfAction};
use crate::time_control::TimeCommand;

/// Props of [`EventDetail`].
#[derive(Properties, PartialEq)]
pub struct EventDetailProps {
    /// What is on screen (its event).
    pub frame: Rc<Frame>,
    /// Sends an action to the page.
    pub oncommand: Callback<Action>,
    /// The event list shows only the flow of the event at this position (Show flow).
    #[prop_or_default]
    pub showing_flow: Option<u32>,
    /// The event is skipped with its effects.
    #[prop_or_default]
    pub skipped_with_effects: bool,
    /// Causes and flows were asked for and are being indexed.
    #[prop_or_default]
    pub indexing_flows: bool,
}

/// The event's fields.
#[function_component(EventDetail)]
pub fn event_detail(props: &EventDetailProps) -> Html {
    let event = props.frame.event.as_ref();
    let at = props.frame.position.max(0) as u32;
    let onskip = props
        .oncommand
        .reform(move |_: MouseEvent| Action::WhatIf(WhatIfAction::ToggleSkip(at)));
    let onedit = props
        .oncommand
        .reform(move |_: MouseEvent| Action::WhatIf(WhatIfAction::Edit(at)));
    html! {
        <section class="panel event" aria-label="Event">
            <h2>{ "Event" }</h2>
            if let Some(e) = event {
                <div class="tools">
                    <button type="button" class="button small" aria-pressed={e.skipped_by_edit.to_string()} onclick={onskip}
                        title="What if this event had not happened? It stays in the list and changes nothing.">{ "Skip this event" }</button>
                    <button type="button" class="button small" onclick={onedit}
                        title="What if this event had said something else?">{ "Edit event" }</button>
                </div>
                if e.skipped_by_edit {
                    <p class="whatif-note">{ "What-if: this event is skipped; it changes nothing." }</p>
                }
                if e.replaced {
                    <p class="whatif-note">{ "What-if: this event's type and data are edited." }</p>
                }
                <dl class="fields">
                    <dt>{ "type" }</dt><dd>{ e.kind.clone() }</dd>
                    <dt>{ "id" }</dt><dd>{ e.id.clone().unwrap_or_else(|| "—".into()) }</dd>
                    <dt>{ "time" }</dt><dd>{ e.time.clone().unwrap_or_else(|| "—".into()) }</dd>
                    <dt>{ "stream" }</dt><dd>{ e.stream.clone().unwrap_or_else(|| "—".into()) }</dd>
                    if e.skipped { <dt>{ "skipped" }</dt><dd>{ "yes (Redux DevTools)" }</dd> }
                </dl>
                if let Some(reason) = &e.failure {
                    <p class="failed-note">{ format!("This event failed to apply: {reason}") }</p>
                }
                if let Some(flow) = &e.flow {
                    { flow_section(flow, at, props) }
                } else if props.frame.flows_deferred {
                    { deferred_flows(props) }
                }
                <h3>{ "data" }</h3>
                <pre class="json">{ e.data.clone() }</pre>
                <h3>{ "metadata" }</h3>
                <pre class="json">{ e.metadata.clone() }</pre>
            } else {
                <p class="muted">{ "Before the first event." }</p>
            }
        </section>
    }
}

/// What stands for **Caused by**, **Caused** and **Flow** while a log read from its file
/// has not indexed them: why, and a button that does (it takes a while: every event is
/// read again).
fn deferred_flows(props: &EventDetailProps) -> Html {
    let asked = props.indexing_flows;
    let onclick = props.oncommand.reform(|_: MouseEvent| Action::IndexFlows);
    html! {
        <div class="flow">
            <p class="muted">{ "Causes and flows are indexed when asked for: this log is read from its file, and indexing reads every event of it again." }</p>
            <button type="button" class="button small" {onclick} disabled={asked}>
                { if asked { "Indexing causes and flows…" } else { "Index causes and flows" } }
            </button>
        </div>
    }
}

/// A link that moves the timeline to another event.
fn link(l: &FlowLink, oncommand: &Callback<Action>) -> Html {
    let p = l.position as isize;
    let onclick = oncommand.reform(move |_: MouseEvent| Action::Time(TimeCommand::SetPosition(p)));
    html! {
        <button type="button" class="link" {onclick}>{ format!("event {} · {}", p + 1, l.label) }</button>
    }
}

/// **Caused by**, **Caused**, **Flow** with **Show flow**, and **Skip with its effects**.
fn flow_section(flow: &FlowView, at: u32, props: &EventDetailProps) -> Html {
    let oncommand = &props.oncommand;
    let showing = props.showing_flow.is_some();
    let onshow = oncommand.reform(move |_: MouseEvent| {
        Action::EditFilter(std::rc::Rc::new(move |f: &mut EventFilter| {
            f.flow = if f.flow.is_some() { None } else { Some(at) };
        }))
    });
    let onskip =
        oncommand.reform(move |_: MouseEvent| Action::WhatIf(WhatIfAction::ToggleSkipCaused(at)));
    let caused_by = match (&flow.caused_by, &flow.causation) {
        (Some(l), _) => link(l, oncommand),
        (None, Some(id)) if flow.cause_missing => html! {
            <span class="muted">{ format!("{id} (not in this log)") }</span>
        },
        _ => html! { <span class="muted">{ "—" }</span> },
    };
    html! {
        <div class="flow" aria-label="Flow of this event">
            <h3>{ "Flow" }</h3>
            <dl class="fields">
                <dt>{ "Caused by" }</dt><dd>{ caused_by }</dd>
                <dt>{ "Caused" }</dt>
                <dd>
                    if flow.caused.is_empty() {
                        <span class="muted">{ "—" }</span>
                    } else {
                        <ul class="caused">
                            { for flow.caused.iter().map(|l| html! { <li>{ link(l, oncommand) }</li> }) }
                        </ul>
                        if flow.caused_total > flow.caused.len() {
                            <span class="muted">{ format!("and {} more", flow.caused_total - flow.caused.len()) }</span>
                        }
                    }
                </dd>
                <dt>{ "Flow" }</dt>
                <dd>
                    { match &flow.correlation {
                        Some(c) => format!("{} event{} · {c}", flow.flow_count, if flow.flow_count == 1 { "" } else { "s" }),
                        None => "no correlation".to_string(),
                    } }
                </dd>
            </dl>
            if flow.cycle {
                <p class="failed-note">{ "Its causes lead round in a cycle: the log names an event as its own cause, directly or through others." }</p>
            }
            <div class="tools">
                <button type="button" class="button small" aria-pressed={showing.to_string()} onclick={onshow}
                    title="List only the events of this flow, and show its causation tree">{ "Show flow" }</button>
                if flow.caused_transitively > 0 {
                    <button type="button" class="button small" aria-pressed={props.skipped_with_effects.to_string()} onclick={onskip}
                        title="What if this event, and everything it caused, had not happened?">
                        { format!("Skip with its effects ({} more)", flow.caused_transitively) }
                    </button>
                }
            </div>
        </div>
    }
}
