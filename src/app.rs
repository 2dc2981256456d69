//! The page: header with the open controls, messages, timeline and state.

use yew::prelude::*;

use crate::components::alert::Alert;
use crate::components::open_controls::OpenControls;
use crate::components::state_view::StateView;
use crate::components::timeline::Timeline;
use crate::loader::load_file;
use crate::state::{Action, AppHandle, AppState};

/// The whole page. A file dropped anywhere on it is opened.
#[function_component(App)]
pub fn app() -> Html {
    let handle = use_reducer(AppState::default);
    let dragging = use_state(|| false);

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
    let dispatch = {
        let handle = handle.clone();
        Callback::from(move |a: Action| handle.dispatch(a))
    };
    let ondismiss = dispatch.reform(|_| Action::Dismiss);

    let body = match (&handle.log, handle.time) {
        (Some(log), Some(time)) => {
            let position = time.position();
            let replay = &log.replay;
            let state = replay.state_at(position);
            let event_type = (position >= 0)
                .then(|| AttrValue::from(replay.log.type_name(position as usize).to_string()));
            let caption = if position < 0 {
                "before the first event".to_string()
            } else {
                format!("after event {}", position + 1)
            };
            html! {
                <>
                    <p class="file-name">{ format!("{} · {} events · {} fold", log.name, replay.len(), replay.log.mode.name()) }</p>
                    <Timeline {time} {event_type} oncommand={dispatch.clone()} />
                    <StateView json={AttrValue::from(state.to_pretty_string())} caption={AttrValue::from(caption)} />
                </>
            }
        }
        _ => html! {
            <section class="welcome" aria-label="Welcome">
                <h2>{ "Drop an event log anywhere on this page" }</h2>
                <p>{ "JSON array, NDJSON, CloudEvents or a Redux DevTools export. Rewind folds the events into state; scrub the timeline to see the state at any point." }</p>
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
