//! The Event region: the current event's id, time, stream, type, data and metadata, and
//! the what-if buttons: **Skip this event** and **Edit event**.

use std::rc::Rc;

use rewind_session::Frame;
use yew::prelude::*;

use crate::state::{Action, WhatIfAction};

/// Props of [`EventDetail`].
#[derive(Properties, PartialEq)]
pub struct EventDetailProps {
    /// What is on screen (its event).
    pub frame: Rc<Frame>,
    /// Sends an action to the page.
    pub oncommand: Callback<Action>,
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
