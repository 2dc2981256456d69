//! What can be done with the selected field: copy its JSON or its pointer.

use yew::prelude::*;

/// Asks the worker for the JSON of the value at a pointer, and hands it to the callback.
pub type FetchJson = Callback<(String, Callback<String>)>;

/// Props of [`SelectedTools`].
#[derive(Properties, PartialEq)]
pub struct SelectedToolsProps {
    /// The selected field, by JSON Pointer.
    pub selected: Option<String>,
    /// It exists at this position (else there is no JSON to copy).
    pub exists: bool,
    /// Fetches the selected value's JSON, to copy it.
    pub fetch: FetchJson,
}

/// Writes `text` to the clipboard (the browser asks nothing for a click's own copy).
/// Then says so in `done` (a person sees "JSON copied").
fn copy(text: String, what: &'static str, done: UseStateHandle<Option<&'static str>>) {
    let clipboard = gloo::utils::window().navigator().clipboard();
    let written = clipboard.write_text(&text);
    wasm_bindgen_futures::spawn_local(async move {
        let ok = wasm_bindgen_futures::JsFuture::from(written).await.is_ok();
        done.set(Some(if ok { what } else { "Could not copy" }));
    });
}

/// The selected pointer and the copy buttons, or a hint when nothing is selected.
#[function_component(SelectedTools)]
pub fn selected_tools(props: &SelectedToolsProps) -> Html {
    let copied = use_state(|| None::<&'static str>);
    {
        let copied = copied.clone();
        use_effect_with(props.selected.clone(), move |_| copied.set(None));
    }
    let copy_json = {
        let selected = props.selected.clone();
        let copied = copied.clone();
        let fetch = props.fetch.clone();
        Callback::from(move |_: MouseEvent| {
            if let Some(pointer) = &selected {
                let copied = copied.clone();
                fetch.emit((
                    pointer.clone(),
                    Callback::from(move |text: String| copy(text, "JSON copied", copied.clone())),
                ));
            }
        })
    };
    let copy_pointer = {
        let text = props.selected.clone().unwrap_or_default();
        let copied = copied.clone();
        Callback::from(move |_: MouseEvent| copy(text.clone(), "Pointer copied", copied.clone()))
    };
    html! {
        <div class="tree-tools">
            if let Some(sel) = &props.selected {
                <code class="selected-pointer" title="Selected field">{ if sel.is_empty() { "(root)" } else { sel.as_str() } }</code>
                <button type="button" class="button small" onclick={copy_json} disabled={!props.exists}>{ "Copy JSON" }</button>
                <button type="button" class="button small" onclick={copy_pointer}>{ "Copy pointer" }</button>
                if let Some(what) = *copied {
                    <span class="muted" role="status">{ what }</span>
                }
            } else {
                <span class="muted">{ "Click a field to see every event that changed it." }</span>
            }
        </div>
    }
}
