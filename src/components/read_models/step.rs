//! The current event in one read model: which handler took it (or none), its partition,
//! what it changed (before → after, as the Diff region lists changes), its error, "no
//! output" and its `debug` messages.

use rewind_core::Op;
use rewind_session::{ModelStep, CHANGES_SHOWN};
use yew::prelude::*;

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
                        let (sym, class) = match c.op { Op::Add => ("+", "add"), Op::Remove => ("−", "remove"), Op::Replace => ("~", "replace") };
                        html! {
                            <li class={classes!("change", class)}>
                                <span class="op" title={class}>{ sym }</span>
                                <code class="path">{ c.path.clone() }</code>
                                <span class="values">
                                    if let Some(old) = &c.old { <span class="old">{ old.clone() }</span> }
                                    if c.old.is_some() && c.new.is_some() { <span class="arrow">{ " → " }</span> }
                                    if let Some(new) = &c.new { <span class="new">{ new.clone() }</span> }
                                </span>
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
