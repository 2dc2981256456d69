//! Turning bytes the person gave us (a dropped file, a chosen file, the sample) into an
//! [`Action`] for the reducer. The only I/O of the page lives here.

use std::rc::Rc;

use rewind_core::{open, LoadOptions};

use crate::state::{Action, AppHandle, OpenLog};

/// The sample log bundled with the page, so a first visit is useful.
pub const SAMPLE_NAME: &str = "sample.ndjson";
/// Its text (also served as `static/sample.ndjson`).
pub const SAMPLE: &str = include_str!("../static/sample.ndjson");

/// Folds `bytes` and reports the result to the reducer.
pub fn load_bytes(handle: &AppHandle, name: String, bytes: Vec<u8>) {
    match open(bytes, &LoadOptions::default()) {
        Ok(replay) => handle.dispatch(Action::Loaded(Rc::new(OpenLog { name, replay }))),
        Err(e) => handle.dispatch(Action::Failed(format!("Could not open {name}: {e}"))),
    }
}

/// Reads a browser `File` and loads it.
pub fn load_file(handle: AppHandle, file: web_sys::File) {
    let file = gloo::file::File::from(file);
    let name = file.name();
    handle.dispatch(Action::Loading(name.clone()));
    wasm_bindgen_futures::spawn_local(async move {
        match gloo::file::futures::read_as_bytes(&file).await {
            Ok(bytes) => load_bytes(&handle, name, bytes),
            Err(e) => handle.dispatch(Action::Failed(format!("Could not read {name}: {e}"))),
        }
    });
}
