//! One read model's panel: its name and how far it is folded, its state at the current
//! position as a tree (changed nodes lit, search, copy, a field's history), the current
//! event in it, and Remove, Edit and Export read model.

use rewind_session::{ModelReply, ModelRequest};
use yew::prelude::*;

use super::step::StepView;
use crate::backend::Backend;
use crate::components::history_view::HistoryView;
use crate::components::progress::grouped;
use crate::components::state_tree::{tree_lines, SelectedTools, Tree, TreeCommand, TreeSearch};
use crate::components::whatif::Compared;
use crate::download::download;
use crate::state::{Action, ModelAction, ModelStatus, PageModel};

/// Props of [`ModelPanelView`].
#[derive(Properties, PartialEq)]
pub struct ModelPanelProps {
    /// The model.
    pub model: PageModel,
    /// The timeline's position.
    pub position: isize,
    /// Sends an action to the page.
    pub dispatch: Callback<Action>,
}

/// What the panel says of how far the model is folded, and of the position shown.
fn folding_line(model: &PageModel, position: isize) -> Option<String> {
    let p = model.progress?;
    let shown = model
        .panel
        .as_ref()
        .map_or(position, |panel| panel.position);
    let mut words = Vec::new();
    if !p.done() {
        words.push(format!(
            "Folded {} of {} events",
            grouped(p.folded as u64),
            grouped(p.total as u64)
        ));
    }
    if shown < position {
        words.push(format!(
            "showing event {}, the last folded so far",
            shown + 1
        ));
    }
    (!words.is_empty()).then(|| words.join(": "))
}

/// The panel.
#[function_component(ModelPanelView)]
pub fn model_panel(props: &ModelPanelProps) -> Html {
    let backend = use_context::<Backend>();
    let model = &props.model;
    let id = model.id;
    let name = model.name().to_string();
    let at = model.panel.as_ref().map_or(props.position, |p| p.position);
    let models = props.dispatch.reform(Action::Models);
    let tree_command = use_callback(models.clone(), move |c: TreeCommand, models| {
        models.emit(match c {
            TreeCommand::Toggle(p) => ModelAction::Toggle(id, p),
            TreeCommand::More(p) => ModelAction::ShowMore(id, p),
            TreeCommand::Select(p) => ModelAction::Select(id, p),
        })
    });
    let onremove = models.reform(move |_: MouseEvent| ModelAction::Remove(id));
    let onedit = {
        let source = model.source.to_string();
        models.reform(move |_: MouseEvent| ModelAction::OpenEditor {
            source: source.clone(),
            replacing: Some(id),
        })
    };
    let onexport = {
        let (backend, name, dispatch) = (backend.clone(), name.clone(), props.dispatch.clone());
        Callback::from(move |_: MouseEvent| {
            let Some(backend) = &backend else { return };
            let file = format!("{name}-event-{}.json", at + 1);
            let dispatch = dispatch.clone();
            backend.ask_models(ModelRequest::Export { id, position: at }, move |reply| {
                let done = match reply {
                    ModelReply::Text(Some(text)) => download(&file, "application/json", &text),
                    ModelReply::Error(e) => Err(e),
                    _ => Err("nothing to export".into()),
                };
                if let Err(e) = done {
                    dispatch.emit(Action::Failed {
                        message: Some(format!("Could not export the read model: {e}")),
                        after: crate::protocol::After::Kept,
                    });
                }
            });
        })
    };
    let find = {
        let backend = backend.clone();
        Callback::from(move |(query, then): (String, Callback<Vec<String>>)| {
            if let Some(backend) = &backend {
                let request = ModelRequest::Search {
                    id,
                    position: at,
                    query,
                };
                backend.ask_models(request, move |reply| {
                    if let ModelReply::Pointers(found) = reply {
                        then.emit(found);
                    }
                });
            }
        })
    };
    let fetch = Callback::from(move |(pointer, then): (String, Callback<String>)| {
        if let Some(backend) = &backend {
            let request = ModelRequest::ValueJson {
                id,
                position: at,
                pointer,
            };
            backend.ask_models(request, move |reply| {
                if let ModelReply::Text(Some(text)) = reply {
                    then.emit(text);
                }
            });
        }
    });
    let onreveal = models.reform(move |p: String| ModelAction::Reveal(id, p));
    let counts = model.panel.as_ref().map(|p| {
        format!(
            "{} handled · {} failed",
            grouped(p.handled as u64),
            grouped(p.failed as u64)
        )
    });
    html! {
        <article class="model-panel" aria-label={format!("Read model {name}")}>
            <h3 class="model-name">{ name.clone() }
                if let Some(c) = counts { <span class="muted">{ c }</span> }
                <span class="spacer"></span>
                <button type="button" class="button small" onclick={onedit}>{ "Edit" }</button>
                <button type="button" class="button small" onclick={onexport} disabled={model.panel.is_none()}>{ "Export read model" }</button>
                <button type="button" class="button small" onclick={onremove} aria-label={format!("Remove {name}")}>{ "Remove" }</button>
            </h3>
            {
                match &model.status {
                    ModelStatus::Stopped(message) => html! { <p class="model-problem" role="alert">{ message.clone() }</p> },
                    ModelStatus::Invalid(problem) => html! { <p class="model-problem" role="alert">{ format!("This read model cannot be used. {problem}") }</p> },
                    _ => Html::default(),
                }
            }
            if let Some(line) = folding_line(model, props.position) {
                <p class="muted model-progress" role="status">{ line }</p>
            }
            if let Some(panel) = &model.panel {
                <TreeSearch {find} {onreveal} label={AttrValue::from(format!("Search read model {name}"))} />
                <SelectedTools selected={model.selected.clone()} exists={panel.selected_exists} {fetch} />
                { tree_lines(&Tree::Model(panel.clone()), &format!("{name} tree"), model.selected.as_deref(), &tree_command) }
                if let Some(step) = &panel.step {
                    <StepView step={step.clone()} />
                }
                if let Some(comparison) = &panel.compare {
                    <Compared comparison={comparison.clone()} position={panel.position} of={AttrValue::from(name.clone())} />
                }
                if let Some(pointer) = &model.selected {
                    <HistoryView history={model.history.clone()} pointer={pointer.clone()} position={props.position}
                        oncommand={props.dispatch.clone()} label={AttrValue::from(format!("History in {name}"))} />
                }
            } else if matches!(model.status, ModelStatus::Applying | ModelStatus::Applied { .. }) {
                <p class="muted">{ "Folding…" }</p>
            }
        </article>
    }
}
