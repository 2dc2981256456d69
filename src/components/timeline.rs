//! The timeline: a slider over every position and the current position in words.

use web_sys::HtmlInputElement;
use yew::prelude::*;

use crate::state::Action;
use crate::time_control::{TimeCommand, TimeControl};

/// Props of [`Timeline`].
#[derive(Properties, PartialEq)]
pub struct TimelineProps {
    /// Where the timeline is.
    pub time: TimeControl,
    /// Type of the current event, if any.
    pub event_type: Option<AttrValue>,
    /// Sends a time command.
    pub oncommand: Callback<Action>,
}

/// The slider labelled "Timeline" (value 0 = before the first event, N = the last event).
#[function_component(Timeline)]
pub fn timeline(props: &TimelineProps) -> Html {
    let time = props.time;
    let oninput = props.oncommand.reform(|e: InputEvent| {
        let input: HtmlInputElement = e.target_unchecked_into();
        let shown: isize = input.value().parse().unwrap_or(0);
        Action::Time(TimeCommand::SetPosition(shown - 1))
    });
    let label = format!("Event {} of {}", time.display_number(), time.len());
    html! {
        <section class="timeline" aria-label="Timeline">
            <div class="timeline-head">
                <output class="position" aria-live="polite">{ label.clone() }</output>
                if let Some(t) = &props.event_type {
                    <span class="event-type">{ t.clone() }</span>
                } else {
                    <span class="event-type muted">{ "before the first event" }</span>
                }
            </div>
            <input type="range" class="slider" aria-label="Timeline" aria-valuetext={label}
                min="0" max={time.len().to_string()} step="1"
                value={time.display_number().to_string()} {oninput} />
        </section>
    }
}
