//! The page: header with the open controls and exports, messages, the timeline, and the
//! Events, State, Event, Diff and History regions.

use std::rc::Rc;

use gloo::events::EventListener;
use rewind_core::to_json_patch;
use wasm_bindgen::JsCast;
use yew::prelude::*;

use crate::components::alert::Alert;
use crate::components::diff_view::{changes_shown, DiffView};
use crate::components::event_detail::EventDetail;
use crate::components::event_list::EventList;
use crate::components::history_view::HistoryView;
use crate::components::open_controls::OpenControls;
use crate::components::state_tree::StateTree;
use crate::components::timeline::{key_action, Timeline};
use crate::download::download;
use crate::loader::{load_bytes, load_file};
use crate::state::{Action, AppHandle, AppState, DEFAULT_SPEED};
use crate::url::Fragment;

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
    let dispatch = {
        let handle = handle.clone();
        Callback::from(move |a: Action| handle.dispatch(a))
    };

    // The URL fragment asks for a position and a selection; keyboard shortcuts work
    // anywhere but in text boxes; pasted text opens as a log.
    {
        let handle = handle.clone();
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
                    load_bytes(&handle, "pasted text".into(), text.into_bytes());
                }
            });
            move || drop((on_hash, keys, paste))
        });
    }

    // Playing: one event every 1/speed seconds.
    {
        let handle = handle.clone();
        let speed = if handle.speed == 0 {
            DEFAULT_SPEED
        } else {
            handle.speed
        };
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

    // The URL follows the position and the selection.
    {
        let position = handle.time.map(|t| t.display_number());
        let selected = handle.selected.clone();
        use_effect_with((position, selected), move |(position, selected)| {
            if let Some(e) = position {
                let hash = Fragment {
                    event: Some(*e),
                    pointer: selected.clone(),
                }
                .to_hash();
                if let Ok(history) = gloo::utils::window().history() {
                    let _ = history.replace_state_with_url(
                        &wasm_bindgen::JsValue::NULL,
                        "",
                        Some(&hash),
                    );
                }
            }
        });
    }

    // What the current event changed: highlighted in the tree and listed in the Diff.
    let event_changes = use_memo(
        (handle.log.clone(), handle.time.map(|t| t.position())),
        |(log, position)| match (log, position) {
            (Some(log), Some(p)) if *p >= 0 => Rc::new(log.replay.event_diff(*p as usize)),
            _ => Rc::new(Vec::new()),
        },
    );
    let hits = use_memo(
        (handle.log.clone(), handle.filter.clone()),
        |(log, filter)| match log {
            Some(log) => rewind_core::filter::matching(&log.replay, filter),
            None => Ok(Vec::new()),
        },
    );

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
        let dragging = dragging.clone();
        Callback::from(move |e: DragEvent| {
            e.prevent_default();
            dragging.set(false);
            if let Some(file) = e
                .data_transfer()
                .and_then(|dt| dt.files())
                .and_then(|f| f.get(0))
            {
                load_file(handle.clone(), file);
            }
        })
    };
    let ondismiss = dispatch.reform(|_| Action::Dismiss);

    let report = {
        let dispatch = dispatch.clone();
        move |r: Result<(), String>| {
            if let Err(e) = r {
                dispatch.emit(Action::Failed(format!("Could not export: {e}")));
            }
        }
    };

    let body = match (&handle.log, handle.time) {
        (Some(log), Some(time)) => {
            let position = time.position();
            let replay = &log.replay;
            let event_type = (position >= 0)
                .then(|| AttrValue::from(replay.log.type_name(position as usize).to_string()));
            let (rows, filter_error) = match &*hits {
                Ok(rows) => (Rc::new(rows.clone()), None),
                Err(e) => (
                    Rc::new((0..replay.len() as u32).collect::<Vec<_>>()),
                    Some(AttrValue::from(e.clone())),
                ),
            };
            let export_state = {
                let log = log.clone();
                let report = report.clone();
                Callback::from(move |_: MouseEvent| {
                    let text = log.replay.state_at(position).to_pretty_string();
                    report(download(
                        &format!("state-event-{}.json", position + 1),
                        "application/json",
                        &text,
                    ));
                })
            };
            let export_diff = {
                let log = log.clone();
                let report = report.clone();
                let from = handle.compare_from;
                Callback::from(move |_: ()| {
                    let patch = to_json_patch(&changes_shown(&log, position, from));
                    let text = serde_json::to_string_pretty(&patch).unwrap_or_default();
                    let name = match from {
                        Some(f) => format!("diff-{}-to-{}.json", f + 1, position + 1),
                        None => format!("diff-event-{}.json", position + 1),
                    };
                    report(download(&name, "application/json-patch+json", &text));
                })
            };
            let export_events = {
                let log = log.clone();
                let rows = rows.clone();
                let report = report.clone();
                Callback::from(move |_: ()| {
                    let mut text = String::new();
                    for &p in rows.iter() {
                        text.push_str(&log.replay.events_ndjson(p as usize, p as usize));
                    }
                    report(download("events.ndjson", "application/x-ndjson", &text));
                })
            };
            html! {
                <>
                    <div class="log-bar">
                        <p class="file-name">{ format!("{} · {} events · {} · {} fold", log.name, replay.len(), replay.log.format.name(), replay.log.mode.name()) }</p>
                        <button type="button" class="button small" onclick={export_state}>{ "Export state" }</button>
                    </div>
                    <Timeline {time} {event_type} log={Some(log.clone())} hits={if handle.filter.is_empty() { Rc::new(Vec::new()) } else { rows.clone() }}
                        playing={handle.playing} speed={if handle.speed == 0 { DEFAULT_SPEED } else { handle.speed }}
                        oncommand={dispatch.clone()} />
                    <div class="columns">
                        <EventList log={log.clone()} rows={rows.clone()} filter={handle.filter.clone()} {filter_error}
                            {position} oncommand={dispatch.clone()} onexport={export_events} />
                        <StateTree log={log.clone()} {position} expanded={handle.expanded.clone()}
                            selected={handle.selected.clone()} focus={handle.filter.stream.clone()}
                            shown={handle.shown.clone()} changes={(*event_changes).clone()} oncommand={dispatch.clone()} />
                        <div class="side">
                            <DiffView log={log.clone()} {position} compare_from={handle.compare_from}
                                event_changes={(*event_changes).clone()} oncommand={dispatch.clone()} onexport={export_diff} />
                            if let Some(pointer) = &handle.selected {
                                <HistoryView log={log.clone()} pointer={pointer.clone()} {position} oncommand={dispatch.clone()} />
                            }
                            <EventDetail log={log.clone()} {position} />
                        </div>
                    </div>
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
            <div class={classes!("page", dragging.then_some("dragging"))} {ondragover} {ondragleave} {ondrop}>
                <header class="top">
                    <h1>{ "Rewind" }<span class="tagline">{ "time-travel debugger for event logs" }</span></h1>
                    <OpenControls />
                </header>
                if let Some(name) = &handle.loading {
                    <p class="loading" role="status">{ format!("Reading {name}…") }</p>
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
        </ContextProvider<AppHandle>>
    }
}
