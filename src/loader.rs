//! Turning what the person gives us (a dropped or chosen file, pasted text, the sample)
//! into a log loading in a worker. The page never holds the log's bytes: a `File` is a
//! handle the worker reads itself.

use crate::backend::{After, Backend};
use crate::state::{Action, AppHandle};

/// The sample log bundled with the page, so a first visit is useful.
pub const SAMPLE_NAME: &str = "sample.ndjson";
/// Its text (also served as `static/sample.ndjson`).
pub const SAMPLE: &str = include_str!("../static/sample.ndjson");

/// Starts loading `blob` (a `File`, or text made into a `Blob`).
pub fn load_blob(backend: &Backend, handle: &AppHandle, name: String, blob: web_sys::Blob) {
    match backend.open(blob, &name) {
        Ok(()) => handle.dispatch(Action::Loading(name)),
        Err(e) => handle.dispatch(Action::Failed(Some(e), After::Kept)),
    }
}

/// Starts loading text the person pasted (or the sample).
pub fn load_text(backend: &Backend, handle: &AppHandle, name: String, text: &str) {
    let parts = js_sys::Array::of1(&wasm_bindgen::JsValue::from_str(text));
    match web_sys::Blob::new_with_str_sequence(&parts) {
        Ok(blob) => load_blob(backend, handle, name, blob),
        Err(_) => handle.dispatch(Action::Failed(
            Some(format!(
                "Could not open {name}: the browser could not hold the text"
            )),
            After::Kept,
        )),
    }
}
