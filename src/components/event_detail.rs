//! The Event region: the current event's id, time, stream, type, data and metadata.

use std::rc::Rc;

use rewind_session::Frame;
use yew::prelude::*;

/// Props of [`EventDetail`].
#[derive(Properties, PartialEq)]
pub struct EventDetailProps {
    /// What is on screen (its event).
    pub frame: Rc<Frame>,
}

/// The event's fields.
#[function_component(EventDetail)]
pub fn event_detail(props: &EventDetailProps) -> Html {
    let event = props.frame.event.as_ref();
    html! {
        <section class="panel event" aria-label="Event">
            <h2>{ "Event" }</h2>
            if let Some(e) = event {
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
