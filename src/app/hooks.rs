//! What the page does besides drawing: starting its workers and hearing them, asking for
//! the frame on screen, reading and writing the URL fragment, the keyboard shortcuts,
//! pasting a log, and playing.

use gloo::events::EventListener;
use wasm_bindgen::JsCast;
use yew::prelude::*;

use crate::backend::Backend;
use crate::components::timeline::key_action;
use crate::loader::load_text;
use crate::protocol::Note;
use crate::state::{Action, AppHandle, ModelAction};
use crate::url::Fragment;

/// How long the position must rest before the URL shows it.
const URL_DELAY_MS: u32 = 150;

/// One callback for the page's lifetime, so that components whose other props did not
/// change are not drawn again.
#[hook]
pub fn use_dispatch(handle: &AppHandle) -> Callback<Action> {
    let dispatcher = handle.dispatcher();
    let callback = use_memo((), move |_| {
        Callback::from(move |a: Action| dispatcher.dispatch(a))
    });
    (*callback).clone()
}

/// The page's workers, started once; what they say becomes actions.
#[hook]
pub fn use_backend(handle: &AppHandle) -> Backend {
    let dispatcher = handle.dispatcher();
    let backend = use_memo((), move |_| {
        Backend::new(Callback::from(move |note: Note| {
            dispatcher.dispatch(match note {
                Note::Progress(progress) => Action::Progress(progress),
                Note::Loaded(summary) => Action::Loaded(summary),
                Note::Failed { message, after } => Action::Failed { message, after },
                Note::Frame(frame) => Action::Frame(frame),
                Note::ModelApplied { id, name } => {
                    Action::Models(ModelAction::Applied { id, name })
                }
                Note::ModelInvalid { id, problem } => {
                    Action::Models(ModelAction::Invalid { id, problem })
                }
                Note::ModelProgress(p) => Action::Models(ModelAction::Progress(p)),
                Note::ModelsFrame(frame) => Action::Models(ModelAction::Frame(frame)),
                Note::ModelStopped { id, near } => {
                    Action::Models(ModelAction::Stopped { id, near })
                }
                Note::ModelsFailed(message) => Action::Models(ModelAction::Failed(message)),
            })
        }))
    });
    (*backend).clone()
}

/// Whatever the page shows changed: the worker is asked for the new frame.
#[hook]
pub fn use_frames(handle: &AppHandle, backend: &Backend) {
    let backend = backend.clone();
    use_effect_with((handle.log.clone(), handle.view()), move |(_, view)| {
        if let Some(view) = view {
            backend.frame(view.clone());
        }
    });
}

/// The browser's storage key of the read models applied (per page, not per file).
const MODELS_KEY: &str = "rewind.models";

/// The read models: restored when the page opens (from the link, else from what the
/// browser remembers), folded by the models worker as they change (which is told what
/// is wanted), shown by asking for their panels whenever the view or the folding moves,
/// and remembered by the browser.
#[hook]
pub fn use_models(handle: &AppHandle, backend: &Backend) {
    {
        let handle = handle.clone();
        use_effect_with((), move |_| {
            let hash = gloo::utils::window().location().hash().unwrap_or_default();
            if Fragment::parse(&hash).models.is_none() {
                let stored = gloo::utils::window()
                    .local_storage()
                    .ok()
                    .flatten()
                    .and_then(|s| s.get_item(MODELS_KEY).ok().flatten())
                    .and_then(|text| crate::url::decode_models(&text));
                if let Some(sources) = stored.filter(|s| !s.is_empty()) {
                    handle.dispatch(Action::Models(ModelAction::Restore(sources)));
                }
            }
        });
    }
    {
        let backend = backend.clone();
        use_effect_with(handle.models.wanted(), move |wanted| {
            backend.want_models(wanted.clone())
        });
    }
    {
        let sources = handle.models.sources();
        use_effect_with(sources, move |sources| {
            if let Ok(Some(storage)) = gloo::utils::window().local_storage() {
                let _ = storage.set_item(MODELS_KEY, &crate::url::encode_models(sources));
            }
        });
    }
    let backend = backend.clone();
    // Folding moves the panels on: they are asked for again after each chunk.
    let folded: Vec<usize> = handle
        .models
        .list
        .iter()
        .map(|m| m.progress.map_or(0, |p| p.folded))
        .collect();
    use_effect_with(
        (handle.log.clone(), handle.models_view(), folded),
        move |(_, view, _)| {
            if let Some(view) = view {
                backend.models_frame(view.clone());
            }
        },
    );
}

/// True when keys typed into `target` belong to it (text boxes, selects), not to the page.
fn typing_into(target: Option<web_sys::EventTarget>) -> bool {
    let Some(el) = target.and_then(|t| t.dyn_into::<web_sys::Element>().ok()) else {
        return false;
    };
    match el.tag_name().as_str() {
        "TEXTAREA" | "SELECT" => true,
        "INPUT" => {
            el.get_attribute("type").as_deref() != Some("range")
                && el.get_attribute("type").as_deref() != Some("checkbox")
        }
        _ => false,
    }
}

/// True when `target` is inside an open dialog, whose keys are its own.
fn in_dialog(target: Option<web_sys::EventTarget>) -> bool {
    target
        .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
        .and_then(|el| el.closest("dialog[open]").ok().flatten())
        .is_some()
}

/// The timeline's keyboard shortcuts work anywhere on the page but in text boxes and
/// dialogs, while a log is open.
#[hook]
pub fn use_page_keys(handle: &AppHandle) {
    let handle = handle.clone();
    use_effect_with((), move |_| {
        let keys = EventListener::new(&gloo::utils::document(), "keydown", move |e| {
            let Some(e) = e.dyn_ref::<web_sys::KeyboardEvent>() else {
                return;
            };
            if typing_into(e.target()) || e.ctrl_key() || e.meta_key() || e.alt_key() {
                return;
            }
            if in_dialog(e.target()) {
                return;
            }
            if let Some(action) = key_action(&e.key(), e.shift_key()) {
                if handle.log.is_some() {
                    e.prevent_default();
                    handle.dispatch(action);
                }
            }
        });
        move || drop(keys)
    });
}

/// Text pasted anywhere but in a text box opens as a log.
#[hook]
pub fn use_paste_opens(handle: &AppHandle, backend: &Backend) {
    let (handle, backend) = (handle.clone(), backend.clone());
    use_effect_with((), move |_| {
        let paste = EventListener::new(&gloo::utils::document(), "paste", move |e| {
            let Some(e) = e.dyn_ref::<web_sys::ClipboardEvent>() else {
                return;
            };
            if typing_into(e.target()) {
                return;
            }
            let text = e
                .clipboard_data()
                .and_then(|d| d.get_data("text").ok())
                .unwrap_or_default();
            if !text.trim().is_empty() {
                e.prevent_default();
                load_text(&backend, &handle, "pasted text".into(), &text);
            }
        });
        move || drop(paste)
    });
}

/// The URL fragment asks for a position and a selection (when the page opens and when it
/// changes); the URL follows the position, the selection and the chosen fields once they
/// rest for a moment: rewriting it at every frame of a drag costs more than the frame.
#[hook]
pub fn use_url_fragment(handle: &AppHandle) {
    {
        let handle = handle.clone();
        use_effect_with((), move |_| {
            let read_hash = move || {
                let hash = gloo::utils::window().location().hash().unwrap_or_default();
                if !hash.is_empty() {
                    handle.dispatch(Action::Fragment(Fragment::parse(&hash)));
                }
            };
            read_hash();
            let on_hash =
                EventListener::new(&gloo::utils::window(), "hashchange", move |_| read_hash());
            move || drop(on_hash)
        });
    }
    let fragment = handle.time.map(|t| Fragment {
        event: Some(t.display_number()),
        pointer: handle.selected.clone(),
        fields: handle
            .log
            .as_ref()
            .map(|l| l.fields.chosen.clone())
            .unwrap_or_default(),
        models: Some(handle.models.sources()).filter(|m| !m.is_empty()),
        edits: Some(handle.whatif.edits.clone()).filter(|e| !e.is_empty()),
    });
    use_effect_with(fragment, move |fragment| {
        let timer = fragment.as_ref().map(|f| {
            let hash = f.to_hash();
            gloo::timers::callback::Timeout::new(URL_DELAY_MS, move || {
                if let Ok(history) = gloo::utils::window().history() {
                    let _ = history.replace_state_with_url(
                        &wasm_bindgen::JsValue::NULL,
                        "",
                        Some(&hash),
                    );
                }
            })
        });
        move || drop(timer)
    });
}

/// Playing: one event every 1/speed seconds.
#[hook]
pub fn use_playing(handle: &AppHandle) {
    let dispatcher = handle.dispatcher();
    // The reducer keeps the speed at 1 or more (DEFAULT_SPEED at first).
    use_effect_with((handle.playing, handle.speed), move |(playing, speed)| {
        let interval = playing.then(|| {
            gloo::timers::callback::Interval::new(1000 / speed.max(&1), move || {
                dispatcher.dispatch(Action::Tick)
            })
        });
        move || drop(interval)
    });
}
