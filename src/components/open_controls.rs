//! The ways to open a log besides dropping it: the file dialog and the sample.

use web_sys::HtmlInputElement;
use yew::prelude::*;

use crate::backend::Backend;
use crate::loader::{load_blob, load_text, SAMPLE, SAMPLE_NAME};
use crate::state::AppHandle;

/// "Open event log" (a file input) and "Open sample".
#[function_component(OpenControls)]
pub fn open_controls() -> Html {
    let handle = use_context::<AppHandle>();
    let backend = use_context::<Backend>();
    let (Some(handle), Some(backend)) = (handle, backend) else {
        return html! {};
    };
    let onchange = {
        let handle = handle.clone();
        let backend = backend.clone();
        Callback::from(move |e: Event| {
            let input: HtmlInputElement = e.target_unchecked_into();
            if let Some(file) = input.files().and_then(|files| files.get(0)) {
                load_blob(&backend, &handle, file.name(), file.into());
            }
            // Choosing the same file again must load it again.
            input.set_value("");
        })
    };
    let onsample = Callback::from(move |_: MouseEvent| {
        load_text(&backend, &handle, SAMPLE_NAME.to_string(), SAMPLE);
    });
    html! {
        <div class="open-controls">
            <label class="button primary" for="open-log">{ "Open event log" }</label>
            <input id="open-log" class="visually-hidden" type="file"
                accept=".json,.ndjson,.jsonl,.log,.txt,.gz,application/json,application/gzip" {onchange} />
            <button type="button" class="button" onclick={onsample}>{ "Open sample" }</button>
        </div>
    }
}
