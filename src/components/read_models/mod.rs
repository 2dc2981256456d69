//! The **Read models** region, beside State: **Add read model** (which opens the
//! [`editor`]), and a [`panel`] per model applied, each showing the model's state at the
//! current position, the current event in it, and how far it is folded.

pub(crate) mod editor;
mod panel;
mod step;

use std::rc::Rc;

use rewind_session::Summary;
use yew::prelude::*;

use self::editor::ModelEditor;
use self::panel::ModelPanelView;
use crate::state::{Action, ModelAction, ModelsState};

pub use self::editor::line_span;

/// Props of [`ReadModels`].
#[derive(Properties, PartialEq)]
pub struct ReadModelsProps {
    /// The read models and their editor.
    pub models: ModelsState,
    /// The open log.
    pub log: Rc<Summary>,
    /// The timeline's position.
    pub position: isize,
    /// Sends an action to the page.
    pub dispatch: Callback<Action>,
}

/// The region.
#[function_component(ReadModels)]
pub fn read_models(props: &ReadModelsProps) -> Html {
    let models = props.dispatch.reform(Action::Models);
    let backend = use_context::<crate::backend::Backend>();
    let open_editor = models.reform(|_: MouseEvent| ModelAction::OpenEditor {
        source: String::new(),
        replacing: None,
    });
    let onadd = Callback::from(move |e: MouseEvent| {
        // The models worker loads the log while the person writes the model.
        if let Some(b) = &backend {
            b.prepare_models();
        }
        open_editor.emit(e);
    });
    let list = &props.models.list;
    html! {
        <section class="panel read-models" aria-label="Read models">
            <h2>{ "Read models" }
                <span class="spacer"></span>
                <button type="button" class="button small" onclick={onadd} aria-haspopup="dialog">{ "Add read model" }</button>
            </h2>
            if let Some(error) = &props.models.error {
                <p class="model-problem" role="alert">{ error.clone() }</p>
            }
            if list.is_empty() {
                <p class="muted">{ "A read model folds the same events into the state one question needs (orders by status, revenue per customer), with jq handlers per event type." }</p>
            }
            { for list.iter().map(|m| html! {
                <ModelPanelView key={m.id} model={m.clone()} position={props.position} dispatch={props.dispatch.clone()} />
            }) }
            if let Some(editor) = &props.models.editor {
                <ModelEditor editor={editor.clone()} log={props.log.clone()} oncommand={models.clone()} />
            }
        </section>
    }
}
