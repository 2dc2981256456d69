//! Turning what the person gives us (a dropped or chosen file, pasted text, the sample)
//! into a log loading in a worker. The page never holds the log's bytes: a `File` is a
//! handle the worker reads itself.

use rewind_session::FieldNames;

use crate::backend::Backend;
use crate::protocol::After;
use crate::state::{Action, AppHandle};
use crate::url::{fields_text, parse_fields};

/// Prefix of the browser-storage key that keeps the fields chosen for a file, by name.
const FIELDS_KEY: &str = "rewind.fields.";

/// The fields last chosen for a file named `name`, as the browser keeps them.
pub fn stored_fields(name: &str) -> FieldNames {
    let storage = gloo::utils::window().local_storage().ok().flatten();
    storage
        .and_then(|s| s.get_item(&format!("{FIELDS_KEY}{name}")).ok().flatten())
        .map(|text| parse_fields(&text))
        .unwrap_or_default()
}

/// Keeps the fields chosen for a file named `name` (forgets them when none is chosen),
/// so that opening the file again reads it the same way.
pub fn store_fields(name: &str, fields: &FieldNames) {
    let Some(storage) = gloo::utils::window().local_storage().ok().flatten() else {
        return;
    };
    let key = format!("{FIELDS_KEY}{name}");
    let _ = if fields.is_empty() {
        storage.remove_item(&key)
    } else {
        storage.set_item(&key, &fields_text(fields))
    };
}

/// The sample log bundled with the page, so a first visit is useful.
pub const SAMPLE_NAME: &str = "sample.ndjson";
/// Its text (also served as `static/sample.ndjson`).
pub const SAMPLE: &str = include_str!("../static/sample.ndjson");

/// Starts loading `blob` (a `File`, or text made into a `Blob`). Its fields are read from
/// the keys a shared URL names, else from those last chosen for a file of this name.
pub fn load_blob(backend: &Backend, handle: &AppHandle, name: String, blob: web_sys::Blob) {
    let fields = handle
        .pending
        .as_ref()
        .map(|f| f.fields.clone())
        .filter(|f| !f.is_empty())
        .unwrap_or_else(|| stored_fields(&name));
    match backend.open(blob, &name, &fields) {
        Ok(()) => handle.dispatch(Action::Loading { name, again: false }),
        Err(e) => handle.dispatch(failed(e)),
    }
}

/// Opens the open log's file again with its fields read from the keys in `fields`, keeping
/// the person's place, and remembers the choice for files of that name.
pub fn reopen_with(backend: &Backend, handle: &AppHandle, fields: &FieldNames) {
    match backend.reopen(fields) {
        Some(Ok(name)) => {
            store_fields(&name, fields);
            handle.dispatch(Action::Loading { name, again: true });
        }
        Some(Err(e)) => handle.dispatch(failed(e)),
        None => {}
    }
}

/// Starts loading text the person pasted (or the sample).
pub fn load_text(backend: &Backend, handle: &AppHandle, name: String, text: &str) {
    let parts = js_sys::Array::of1(&wasm_bindgen::JsValue::from_str(text));
    match web_sys::Blob::new_with_str_sequence(&parts) {
        Ok(blob) => load_blob(backend, handle, name, blob),
        Err(_) => handle.dispatch(failed(format!(
            "Could not open {name}: the browser could not hold the text"
        ))),
    }
}

/// A file that could not be opened: the log on screen stays.
fn failed(message: String) -> Action {
    Action::Failed {
        message: Some(message),
        after: After::Kept,
    }
}
