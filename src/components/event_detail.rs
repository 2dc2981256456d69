//! The Event region: the current event's id, time, stream, type, data and metadata.

use std::rc::Rc;

use yew::prelude::*;

use crate::state::OpenLog;

/// Props of [`EventDetail`].
#[derive(Properties, PartialEq)]
pub struct EventDetailProps {
    /// The open log.
    pub log: Rc<OpenLog>,
    /// Current position.
    pub position: isize,
}

/// The event's fields.
#[function_component(EventDetail)]
pub fn event_detail(props: &EventDetailProps) -> Html {
    let event = (props.position >= 0)
        .then(|| props.log.replay.log.event(props.position as usize))
        .flatten();
    let failure = match &props.log.replay.timeline {
        rewind_core::Timeline::Snapshots(s) if props.position >= 0 => {
            s.failures().get(&(props.position as usize)).cloned()
        }
        _ => None,
    };
    html! {
        <section class="panel event" aria-label="Event">
            <h2>{ "Event" }</h2>
            if let Some(e) = event {
                <dl class="fields">
                    <dt>{ "type" }</dt><dd>{ e.kind.clone() }</dd>
                    <dt>{ "id" }</dt><dd>{ e.id.clone().unwrap_or_else(|| "—".into()) }</dd>
                    <dt>{ "time" }</dt><dd>{ e.time.as_ref().map(|t| t.as_str().map(str::to_string).unwrap_or_else(|| t.to_compact_string())).unwrap_or_else(|| "—".into()) }</dd>
                    <dt>{ "stream" }</dt><dd>{ e.stream.clone().unwrap_or_else(|| "—".into()) }</dd>
                    if e.skipped { <dt>{ "skipped" }</dt><dd>{ "yes (Redux DevTools)" }</dd> }
                </dl>
                if let Some(reason) = failure {
                    <p class="failed-note">{ format!("This event failed to apply: {reason}") }</p>
                }
                <h3>{ "data" }</h3>
                <pre class="json">{ e.data.to_pretty_string() }</pre>
                <h3>{ "metadata" }</h3>
                <pre class="json">{ e.metadata.to_pretty_string() }</pre>
            } else {
                <p class="muted">{ "Before the first event." }</p>
            }
        </section>
    }
}
