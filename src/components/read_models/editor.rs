//! The read model editor: a dialog with the model's file in a text box labelled **Read
//! model**, a **Template** list of the common shapes (which fills the text box with jq
//! the person edits), a few lines of help, and **Apply**. A file that cannot be used is
//! said in an alert with its line and column, and the text box selects that line.

use std::rc::Rc;

use rewind_session::models::templates::Template;
use rewind_session::{ModelProblem, Summary};
use web_sys::{HtmlDialogElement, HtmlSelectElement, HtmlTextAreaElement};
use yew::prelude::*;

use crate::state::{Editor, ModelAction};

/// Props of [`ModelEditor`].
#[derive(Properties, PartialEq)]
pub struct ModelEditorProps {
    /// The editor's state.
    pub editor: Editor,
    /// The open log (its types and keys fill the templates).
    pub log: Rc<Summary>,
    /// Sends what the person does.
    pub oncommand: Callback<ModelAction>,
}

/// The UTF-16 offsets (as a text box counts) of the start and end of line `line` (from 1)
/// of `text`.
pub fn line_span(text: &str, line: usize) -> (u32, u32) {
    let mut start = 0u32;
    for (i, l) in text.split('\n').enumerate() {
        let len = l.encode_utf16().count() as u32;
        if i + 1 == line.max(1) {
            return (start, start + len);
        }
        start += len + 1;
    }
    (start.saturating_sub(1), start.saturating_sub(1))
}

/// When a problem has a place, the text box `text` selects its line.
#[hook]
pub fn use_select_line(text: &NodeRef, problem: Option<ModelProblem>) {
    let text = text.clone();
    use_effect_with(problem, move |problem| {
        if let (Some(t), Some(line)) = (
            text.cast::<HtmlTextAreaElement>(),
            problem.as_ref().and_then(|p| p.line),
        ) {
            let (start, end) = line_span(&t.value(), line);
            let _ = t.focus();
            let _ = t.set_selection_range(start, end);
        }
    });
}

/// What the alert says of a problem.
fn problem_text(problem: &ModelProblem) -> String {
    format!("This read model cannot be used. {problem}")
}

/// The dialog (open while the editor is).
#[function_component(ModelEditor)]
pub fn model_editor(props: &ModelEditorProps) -> Html {
    let dialog = use_node_ref();
    let text = use_node_ref();
    // Opened, and filled with the editor's text, once drawn.
    {
        let (dialog, text) = (dialog.clone(), text.clone());
        use_effect_with(props.editor.source.clone(), move |source| {
            if let Some(t) = text.cast::<HtmlTextAreaElement>() {
                t.set_value(source);
            }
            if let Some(d) = dialog.cast::<HtmlDialogElement>() {
                if !d.open() {
                    let _ = d.show_modal();
                }
            }
            if let Some(t) = text.cast::<HtmlTextAreaElement>() {
                let _ = t.focus();
            }
        });
    }
    use_select_line(&text, props.editor.problem.clone());
    let ontemplate = {
        let (text, log) = (text.clone(), props.log.clone());
        Callback::from(move |e: Event| {
            let select: HtmlSelectElement = e.target_unchecked_into();
            let chosen = select.value().parse::<usize>().ok();
            if let (Some(t), Some(template)) = (
                text.cast::<HtmlTextAreaElement>(),
                chosen.and_then(|i| Template::ALL.get(i)),
            ) {
                t.set_value(&template.source(&log));
            }
        })
    };
    let onsubmit = {
        let (text, oncommand) = (text.clone(), props.oncommand.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            if let Some(t) = text.cast::<HtmlTextAreaElement>() {
                oncommand.emit(ModelAction::Apply(t.value()));
            }
        })
    };
    let oncancel = props
        .oncommand
        .reform(|_: MouseEvent| ModelAction::CloseEditor);
    // Escape closes the dialog: the editor closes with it.
    let onclose = props.oncommand.reform(|_: Event| ModelAction::CloseEditor);
    let waiting = props.editor.pending.is_some();
    html! {
        <dialog ref={dialog} class="fields-dialog model-editor" aria-labelledby="model-editor-title" {onclose}>
            <form {onsubmit}>
                <h2 id="model-editor-title">{ if props.editor.replacing.is_some() { "Edit read model" } else { "Add read model" } }</h2>
                <div class="field-row">
                    <label for="model-template">{ "Template" }</label>
                    <select id="model-template" onchange={ontemplate}>
                        <option value="" selected=true>{ "Choose a shape…" }</option>
                        { for Template::ALL.iter().enumerate().map(|(i, t)| html! {
                            <option value={i.to_string()}>{ t.label() }</option>
                        }) }
                    </select>
                </div>
                <label for="model-source" class="model-source-label">{ "Read model" }</label>
                <textarea id="model-source" ref={text} class="model-source" rows="12" spellcheck="false"
                    aria-describedby="model-help" />
                if let Some(problem) = &props.editor.problem {
                    <p class="model-problem" role="alert">{ problem_text(problem) }</p>
                }
                <div id="model-help" class="muted model-help">
                    <p>{ "A JSON file: " }<code>{ "name" }</code>{ ", " }<code>{ "init" }</code>{ " (the state before the first event), optionally " }
                        <code>{ "\"partition\": \"stream\"" }</code>{ " (one state per stream), and " }<code>{ "when" }</code>
                        { ": event types (comma-separated, or " }<code>{ "$any" }</code>{ ") to jq handlers." }</p>
                    <p>{ "In a handler " }<code>{ "." }</code>{ " is the model's state and " }<code>{ "$e" }</code>
                        { " the event: " }<code>{ "{position, id, type, stream, time, data, metadata}" }</code>
                        { ". Updating inside null creates the objects, as jq does (" }<code>{ ".count[$e.type] += 1" }</code>
                        { " works on an empty state). " }<code>{ "now" }</code>{ ", " }<code>{ "env" }</code>{ " and " }<code>{ "input" }</code>
                        { " are refused, so a model gives the same state every time; " }<code>{ "debug" }</code>{ " output is shown with its event." }</p>
                </div>
                <div class="dialog-buttons">
                    <button type="button" class="button" onclick={oncancel}>{ "Cancel" }</button>
                    <button type="submit" class="button primary" disabled={waiting}>{ if waiting { "Reading…" } else { "Apply" } }</button>
                </div>
            </form>
        </dialog>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_line_is_found_in_utf16_offsets() {
        let text = "{\n  \"é\": 1,\n  \"x\"\n}";
        assert_eq!(line_span(text, 1), (0, 1));
        assert_eq!(line_span(text, 2), (2, 11));
        assert_eq!(line_span(text, 3), (12, 17));
        assert_eq!(line_span(text, 9), (19, 19));
    }
}
