//! The current event in one read model: which handler took it (or none), its partition,
//! what it changed (before → after, as the Diff region lists changes), its error, "no
//! output" and its `debug` messages.

use rewind_session::{ModelStep, CHANGES_SHOWN};
use yew::prelude::*;

use crate::components::diff_view::{change_values, op_mark};

/// Props of [`StepView`].
#[derive(Properties, PartialEq)]
pub struct StepViewProps {
    /// The event in the model.
    pub step: ModelStep,
}

/// The step, under the model's tree.
#[function_component(StepView)]
pub fn step_view(props: &StepViewProps) -> Html {
    let s = &props.step;
    let handled = match &s.handler {
        Some(key) => html! { <>{ "handler " }<code>{ key.clone() }</code></> },
        None => html! { { "not handled: the model ignores this event" } },
    };
    html! {
        <div class="model-step">
            <h4>{ format!("Event {}", s.position + 1) }<span class="muted">{ " · " }{ handled }
                if let Some(p) = &s.partition { { " · partition " }<code>{ p.clone() }</code> }
            </span></h4>
            if let Some(error) = &s.error {
                <p class="failed-note">{ format!("Failed in this model: {error}. The state is unchanged.") }</p>
            }
            if s.no_output {
                <p class="notice-note">{ "No output: the state is unchanged." }</p>
            }
            if s.changes.is_empty() {
                if s.handler.is_some() && s.error.is_none() && !s.no_output {
                    <p class="muted">{ "No changes." }</p>
                }
            } else {
                <ul class="changes">
                    { for s.changes.iter().map(|c| {
                        let (sym, class) = op_mark(c.op);
                        html! {
                            <li class={classes!("change", class)}>
                                <span class="op" title={class}>{ sym }</span>
                                <code class="path">{ c.path.clone() }</code>
                                { change_values(c) }
                            </li>
                        }
                    }) }
                </ul>
                if s.changes_total > CHANGES_SHOWN {
                    <p class="muted">{ format!("and {} more", s.changes_total - CHANGES_SHOWN) }</p>
                }
            }
            if !s.messages.is_empty() {
                <h5>{ "debug" }</h5>
                <pre class="json model-debug">{ s.messages.join("\n") }</pre>
            }
        </div>
    }
}
