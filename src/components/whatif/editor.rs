//! The Edit event dialog: the event's type and data as JSON in a text box labelled
//! **Event**, Apply and Cancel (and Restore event when it is edited already). Text that is
//! not JSON, or not a type and data, is said in an alert with its line, which the text box
//! selects; nothing is applied until the worker finds the text good.

use rewind_session::{ModelProblem, Reply, Request};
use web_sys::{HtmlDialogElement, HtmlTextAreaElement};
use yew::prelude::*;

use crate::backend::Backend;
use crate::components::read_models::editor::use_select_line;
use crate::state::{Action, WhatIfAction};

/// Props of [`EventEditor`].
#[derive(Properties, PartialEq)]
pub struct EventEditorProps {
    /// The event edited.
    pub at: u32,
    /// The event is edited already.
    pub replaced: bool,
    /// Sends an action to the page.
    pub oncommand: Callback<Action>,
}

/// The dialog (open while drawn).
#[function_component(EventEditor)]
pub fn event_editor(props: &EventEditorProps) -> Html {
    let backend = use_context::<Backend>();
    let dialog = use_node_ref();
    let text = use_node_ref();
    let problem = use_state(|| None::<ModelProblem>);
    // Opened once drawn, and filled with the event's type and data from the worker.
    {
        let (dialog, text, backend) = (dialog.clone(), text.clone(), backend.clone());
        use_effect_with(props.at, move |&at| {
            if let Some(d) = dialog.cast::<HtmlDialogElement>() {
                if !d.open() {
                    let _ = d.show_modal();
                }
            }
            if let Some(backend) = backend {
                backend.ask(Request::EditText(at as isize), move |reply| {
                    if let (Reply::Text(Some(t)), Some(area)) =
                        (reply, text.cast::<HtmlTextAreaElement>())
                    {
                        area.set_value(&t);
                        let _ = area.focus();
                    }
                });
            }
        });
    }
    use_select_line(&text, (*problem).clone());
    let onsubmit = {
        let (text, problem, oncommand, at) = (
            text.clone(),
            problem.clone(),
            props.oncommand.clone(),
            props.at,
        );
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let (Some(area), Some(backend)) = (text.cast::<HtmlTextAreaElement>(), backend.clone())
            else {
                return;
            };
            let value = area.value();
            let (problem, oncommand) = (problem.clone(), oncommand.clone());
            backend.ask(
                Request::CheckReplace {
                    at,
                    text: value.clone(),
                },
                move |reply| match reply {
                    Reply::Checked(None) => {
                        oncommand.emit(Action::WhatIf(WhatIfAction::Replace(at, value)))
                    }
                    Reply::Checked(Some(p)) => problem.set(Some(p)),
                    _ => problem.set(Some(ModelProblem {
                        line: None,
                        column: None,
                        message: "the worker could not read it".into(),
                    })),
                },
            );
        })
    };
    let oncancel = props
        .oncommand
        .reform(|_: MouseEvent| Action::WhatIf(WhatIfAction::CloseEditor));
    let onrestore = {
        let at = props.at;
        props
            .oncommand
            .reform(move |_: MouseEvent| Action::WhatIf(WhatIfAction::Unreplace(at)))
    };
    let onclose = props
        .oncommand
        .reform(|_: Event| Action::WhatIf(WhatIfAction::CloseEditor));
    html! {
        <dialog ref={dialog} class="fields-dialog model-editor" aria-labelledby="event-editor-title" {onclose}>
            <form {onsubmit}>
                <h2 id="event-editor-title">{ format!("Edit event {}", props.at + 1) }</h2>
                <label for="event-source" class="model-source-label">{ "Event" }</label>
                <textarea id="event-source" ref={text} class="model-source" rows="12" spellcheck="false"
                    aria-describedby="event-help" />
                if let Some(p) = &*problem {
                    <p class="model-problem" role="alert">{ format!("This cannot replace the event. {p}") }</p>
                }
                <p id="event-help" class="muted model-help">
                    { "The event's " }<code>{ "type" }</code>{ " and " }<code>{ "data" }</code>
                    { " as JSON; its stream, time and id stay. The log is folded again from this event, as if it had said this; the file is not changed." }
                </p>
                <div class="dialog-buttons">
                    if props.replaced {
                        <button type="button" class="button" onclick={onrestore}>{ "Restore event" }</button>
                    }
                    <button type="button" class="button" onclick={oncancel}>{ "Cancel" }</button>
                    <button type="submit" class="button primary">{ "Apply" }</button>
                </div>
            </form>
        </dialog>
    }
}
