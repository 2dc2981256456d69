//! The page: header with the open controls and exports, messages, the timeline, and the
//! Events, State, Event, Diff and History regions.

use std::rc::Rc;

use gloo::events::EventListener;
use rewind_session::{Reply, Request};
use wasm_bindgen::JsCast;
use yew::prelude::*;

use crate::backend::{After, Backend, Note};
use crate::components::alert::Alert;
use crate::components::diff_view::DiffView;
use crate::components::event_detail::EventDetail;
use crate::components::event_list::EventList;
use crate::components::fields_dialog::FieldsDialog;
use crate::components::history_view::HistoryView;
use crate::components::open_controls::OpenControls;
use crate::components::progress::ProgressBar;
use crate::components::settled::Settled;
use crate::components::soon::Soon;
use crate::components::state_tree::StateTree;
use crate::components::timeline::{key_action, Timeline};
use crate::download::download;
use crate::loader::{load_blob, load_text, reopen_with};
use crate::state::{Action, AppHandle, AppState};
use crate::url::Fragment;

/// How long the position must rest before the URL shows it.
const URL_DELAY_MS: u32 = 150;

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

/// The whole page. A file dropped anywhere on it is opened.
#[function_component(App)]
pub fn app() -> Html {
    let handle = use_reducer(AppState::default);
    let dragging = use_state(|| false);
    let backend = {
        let handle = handle.clone();
        (*use_memo((), move |_| {
            Backend::new(Callback::from(move |note: Note| {
                handle.dispatch(match note {
                    Note::Progress { phase, done, total } => Action::Progress(phase, done, total),
                    Note::Loaded(summary) => Action::Loaded(summary),
                    Note::Failed { message, after } => Action::Failed(message, after),
                    Note::Frame(frame) => Action::Frame(frame),
                })
            }))
        }))
        .clone()
    };
    // Whatever the page shows changed: ask the worker for the new frame.
    {
        let backend = backend.clone();
        use_effect_with((handle.log.clone(), handle.view()), move |(_, view)| {
            if let Some(view) = view {
                backend.frame(view.clone());
            }
        });
    }
    // One callback for the page's lifetime, so that components whose other props did not
    // change are not drawn again.
    let dispatch = {
        let dispatcher = handle.dispatcher();
        (*use_memo((), move |_| {
            Callback::from(move |a: Action| dispatcher.dispatch(a))
        }))
        .clone()
    };

    // The URL fragment asks for a position and a selection; keyboard shortcuts work
    // anywhere but in text boxes; pasted text opens as a log.
    {
        let handle = handle.clone();
        let backend = backend.clone();
        use_effect_with((), move |_| {
            let read_hash = {
                let handle = handle.clone();
                move || {
                    let hash = gloo::utils::window().location().hash().unwrap_or_default();
                    if !hash.is_empty() {
                        handle.dispatch(Action::Fragment(Fragment::parse(&hash)));
                    }
                }
            };
            read_hash();
            let document = gloo::utils::document();
            let on_hash =
                EventListener::new(&gloo::utils::window(), "hashchange", move |_| read_hash());
            let keys = {
                let handle = handle.clone();
                EventListener::new(&document, "keydown", move |e| {
                    let Some(e) = e.dyn_ref::<web_sys::KeyboardEvent>() else {
                        return;
                    };
                    if typing_into(e.target()) || e.ctrl_key() || e.meta_key() || e.alt_key() {
                        return;
                    }
                    // Keys pressed in a dialog are the dialog's.
                    let in_dialog = e
                        .target()
                        .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
                        .and_then(|el| el.closest("dialog[open]").ok().flatten())
                        .is_some();
                    if in_dialog {
                        return;
                    }
                    if let Some(action) = key_action(&e.key(), e.shift_key()) {
                        if handle.log.is_some() {
                            e.prevent_default();
                            handle.dispatch(action);
                        }
                    }
                })
            };
            let paste = EventListener::new(&document, "paste", move |e| {
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
            move || drop((on_hash, keys, paste))
        });
    }

    // Playing: one event every 1/speed seconds.
    {
        let handle = handle.clone();
        // The reducer keeps the speed at 1 or more (DEFAULT_SPEED at first).
        let speed = handle.speed;
        use_effect_with((handle.playing, speed), move |(playing, speed)| {
            let interval = playing.then(|| {
                let handle = handle.clone();
                gloo::timers::callback::Interval::new(1000 / speed.max(&1), move || {
                    handle.dispatch(Action::Tick)
                })
            });
            move || drop(interval)
        });
    }

    // The URL follows the position and the selection, once they rest for a moment:
    // rewriting it at every frame of a drag costs more than the frame itself.
    {
        let position = handle.time.map(|t| t.display_number());
        let selected = handle.selected.clone();
        let fields = handle
            .log
            .as_ref()
            .map(|l| l.fields.chosen.clone())
            .unwrap_or_default();
        use_effect_with(
            (position, selected, fields),
            move |(position, selected, fields)| {
                let hash = position.map(|e| {
                    Fragment {
                        event: Some(e),
                        pointer: selected.clone(),
                        fields: fields.clone(),
                    }
                    .to_hash()
                });
                let timer = hash.map(|hash| {
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
            },
        );
    }

    let ondragover = {
        let dragging = dragging.clone();
        Callback::from(move |e: DragEvent| {
            e.prevent_default();
            if !*dragging {
                dragging.set(true);
            }
        })
    };
    let ondragleave = {
        let dragging = dragging.clone();
        Callback::from(move |_: DragEvent| dragging.set(false))
    };
    let ondrop = {
        let handle = handle.clone();
        let backend = backend.clone();
        let dragging = dragging.clone();
        Callback::from(move |e: DragEvent| {
            e.prevent_default();
            dragging.set(false);
            if let Some(file) = e
                .data_transfer()
                .and_then(|dt| dt.files())
                .and_then(|f| f.get(0))
            {
                load_blob(&backend, &handle, file.name(), file.into());
            }
        })
    };
    let ondismiss = dispatch.reform(|_| Action::Dismiss);

    let report = {
        let dispatch = dispatch.clone();
        move |r: Result<(), String>| {
            if let Err(e) = r {
                dispatch.emit(Action::Failed(
                    Some(format!("Could not export: {e}")),
                    After::Kept,
                ));
            }
        }
    };

    // Asks the worker for a file's text, then offers it for download.
    let export = {
        let backend = backend.clone();
        let report = report.clone();
        move |request: Request, name: String, mime: &'static str| {
            let report = report.clone();
            backend.ask(request, move |reply| match reply {
                Reply::Text(Some(text)) => report(download(&name, mime, &text)),
                Reply::Error(e) => report(Err(e)),
                _ => report(Err("nothing to export".into())),
            });
        }
    };

    // Stable while the filter is, so the event list is not drawn again for nothing.
    let export_events = {
        let export = export.clone();
        use_callback(handle.filter.clone(), move |_: (), filter| {
            export(
                Request::ExportEvents(filter.clone()),
                "events.ndjson".into(),
                "application/x-ndjson",
            )
        })
    };

    let body = match (&handle.log, handle.time, &handle.frame) {
        (Some(log), Some(time), frame) => {
            let position = time.position();
            let event_type = frame
                .as_ref()
                .filter(|f| f.position == position)
                .and_then(|f| f.event_type.clone())
                .map(AttrValue::from);
            let export_state = {
                let export = export.clone();
                Callback::from(move |_: MouseEvent| {
                    export(
                        Request::ExportState { position },
                        format!("state-event-{}.json", position + 1),
                        "application/json",
                    )
                })
            };
            let export_diff = {
                let export = export.clone();
                let from = handle.compare_from;
                Callback::from(move |_: ()| {
                    let name = match from {
                        Some(f) => format!("diff-{}-to-{}.json", f + 1, position + 1),
                        None => format!("diff-event-{}.json", position + 1),
                    };
                    export(
                        Request::ExportDiff { position, from },
                        name,
                        "application/json-patch+json",
                    )
                })
            };
            // Not while the start of a log is shown: that would be the preview's memory.
            let memory = log
                .memory_bytes
                .filter(|_| !log.partial)
                .map(|b| format!(" · {} MB in memory", b >> 20))
                .unwrap_or_default();
            let onfields = {
                let backend = backend.clone();
                let handle = handle.clone();
                Callback::from(move |fields| reopen_with(&backend, &handle, &fields))
            };
            html! {
                <>
                    <div class="log-bar">
                        <p class="file-name">{ format!("{} · {} events{} · {} · {} fold{memory}", log.name, log.events,
                            if log.partial { " so far" } else { "" }, log.format, log.mode) }</p>
                        <FieldsDialog choices={log.fields.clone()} onapply={onfields} />
                        if log.fields.needs_choice() {
                            <span class="field-hint">{ "No type or data found: choose the Fields" }</span>
                        }
                        <span class="spacer"></span>
                        <button type="button" class="button small" onclick={export_state}>{ "Export state" }</button>
                    </div>
                    <Timeline {time} {event_type} log={Some(log.clone())} density={handle.density.clone()}
                        playing={handle.playing} speed={handle.speed}
                        oncommand={dispatch.clone()} />
                    if let Some(frame) = frame {
                    <div class="columns">
                        <EventList log={log.clone()} list={Rc::new(frame.list.clone())} filter={handle.filter.clone()}
                            filter_error={frame.filter_error.clone().map(AttrValue::from)}
                            {position} oncommand={dispatch.clone()} onexport={export_events} />
                        <StateTree frame={frame.clone()} selected={handle.selected.clone()} oncommand={dispatch.clone()} />
                        <div class="side">
                            // The side panels follow the list and the tree by a task, so that
                            // the page's first drawing of a log is split in two; while a log
                            // loads, they follow the position once it rests.
                            <Soon>
                            <Settled lagging={handle.loading.is_some()} rest_key={frame.position as i64}>
                            <DiffView frame={frame.clone()} compare_from={handle.compare_from}
                                oncommand={dispatch.clone()} onexport={export_diff} />
                            if let Some(pointer) = &handle.selected {
                                <HistoryView history={handle.history.clone()} pointer={pointer.clone()} {position} oncommand={dispatch.clone()} />
                            }
                            <EventDetail frame={frame.clone()} />
                            </Settled>
                            </Soon>
                        </div>
                    </div>
                    } else {
                        <p class="muted reading" role="status">{ "Reading the first events…" }</p>
                    }
                </>
            }
        }
        _ => html! {
            <section class="welcome" aria-label="Welcome">
                <h2>{ "Drop an event log anywhere on this page" }</h2>
                <p>{ "JSON array, NDJSON, CloudEvents or a Redux DevTools export — or paste it, or press “Open event log”. Rewind folds the events into state; scrub the timeline to see the state at any point, what each event changed, and which events touched a field." }</p>
                <p>{ "New here? Press “Open sample” to try it on a small shop's orders." }</p>
                <p class="muted">{ "Your log never leaves this machine: everything runs in this tab." }</p>
            </section>
        },
    };

    html! {
        <ContextProvider<AppHandle> context={handle.clone()}>
        <ContextProvider<Backend> context={backend.clone()}>
            <div class={classes!("page", dragging.then_some("dragging"))} {ondragover} {ondragleave} {ondrop}>
                <header class="top">
                    <h1>{ "Rewind" }<span class="tagline">{ "time-travel debugger for event logs" }</span></h1>
                    <OpenControls />
                </header>
                if let Some(loading) = &handle.loading {
                    <ProgressBar loading={loading.clone()} shown={handle.log.as_ref().filter(|l| l.partial).map(|l| l.events)}
                        oncancel={{ let backend = backend.clone(); Callback::from(move |_: ()| backend.cancel()) }} />
                }
                if let Some(error) = &handle.error {
                    <Alert kind="error" message={AttrValue::from(error.clone())} ondismiss={ondismiss.clone()} />
                }
                if let Some(notice) = &handle.notice {
                    <Alert kind="notice" message={AttrValue::from(notice.clone())} ondismiss={ondismiss.clone()} />
                }
                <main>{ body }</main>
                <div class="drop-overlay" aria-hidden="true">{ "Drop the log to open it" }</div>
            </div>
        </ContextProvider<Backend>>
        </ContextProvider<AppHandle>>
    }
}
