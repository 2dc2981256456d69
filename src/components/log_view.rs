//! The open log: its file line, the timeline, and the Events, State, Diff, History and
//! Event regions.

use std::rc::Rc;

use rewind_session::{Frame, Request, Summary};
use yew::prelude::*;

use crate::backend::Backend;
use crate::components::diff_view::DiffView;
use crate::components::event_detail::EventDetail;
use crate::components::event_list::EventList;
use crate::components::flow_tree::FlowTree;
use crate::components::history_view::HistoryView;
use crate::components::log_bar::LogBar;
use crate::components::read_models::ReadModels;
use crate::components::settled::Settled;
use crate::components::soon::Soon;
use crate::components::state_tree::StateTree;
use crate::components::timeline::Timeline;
use crate::components::whatif::{Compared, EventEditor, WhatIfBar};
use crate::download::{use_export, Export};
use crate::state::{Action, AppHandle, AppState};

/// Props of [`LogView`].
#[derive(Properties, PartialEq)]
pub struct LogViewProps {
    /// Sends an action to the page (the same callback for the page's lifetime).
    pub dispatch: Callback<Action>,
}

/// The open log, as the page's state (from its context) shows it.
#[function_component(LogView)]
pub fn log_view(props: &LogViewProps) -> Html {
    let (Some(handle), Some(backend)) = (use_context::<AppHandle>(), use_context::<Backend>())
    else {
        return Html::default();
    };
    let export = use_export(&backend, &props.dispatch);
    // Stable while the filter is, so the event list is not drawn again for nothing.
    let export_events = use_callback(
        (handle.filter.clone(), export.clone()),
        |_: (), (filter, export)| {
            export.emit(Export {
                request: Request::ExportEvents(filter.clone()),
                file_name: "events.ndjson".into(),
                mime: "application/x-ndjson",
            })
        },
    );
    let (Some(log), Some(time)) = (&handle.log, handle.time) else {
        return Html::default();
    };
    let position = time.position();
    let event_type = handle
        .frame
        .as_ref()
        .filter(|f| f.position == position)
        .and_then(|f| f.event_type.clone())
        .map(AttrValue::from);
    let dispatch = &props.dispatch;
    html! {
        <>
            <LogBar log={log.clone()} {position} onexport={export.clone()} />
            <WhatIfBar whatif={handle.whatif.clone()} oncommand={dispatch.clone()} onexport={export.clone()} />
            if let Some(at) = handle.whatif.editing {
                <EventEditor {at} replaced={handle.whatif.edits.replaces(at)} oncommand={dispatch.clone()} />
            }
            <Timeline {time} {event_type} log={Some(log.clone())} density={handle.density.clone()}
                model_failures={model_failures(&handle)} edited={edit_marks(&handle)}
                playing={handle.playing} speed={handle.speed}
                oncommand={dispatch.clone()} />
            if let Some(frame) = &handle.frame {
                { regions(&handle, log, frame, position, dispatch, &export, &export_events) }
            } else {
                <p class="muted reading" role="status">{ "Reading the first events…" }</p>
            }
        </>
    }
}

/// The read models' failed events per slice of the density strip, all models together.
fn model_failures(state: &AppState) -> Rc<Vec<u32>> {
    let mut sum: Vec<u32> = Vec::new();
    for m in state.models.list.iter().filter(|m| m.wanted()) {
        if sum.len() < m.failures.len() {
            sum.resize(m.failures.len(), 0);
        }
        for (s, f) in sum.iter_mut().zip(m.failures.iter()) {
            *s += f;
        }
    }
    Rc::new(sum)
}

/// The positions of the events the what-if edits change, for the density strip.
fn edit_marks(state: &AppState) -> Rc<Vec<u32>> {
    Rc::new(
        state
            .whatif
            .current_info()
            .map(|i| i.marks.clone())
            .unwrap_or_default(),
    )
}

/// The Events and State regions, and beside them Diff, History and Event, for the
/// timeline at `position` (the frame may be of the position before, until the worker
/// answers).
fn regions(
    state: &AppState,
    log: &Rc<Summary>,
    frame: &Rc<Frame>,
    position: isize,
    dispatch: &Callback<Action>,
    export: &Callback<Export>,
    export_events: &Callback<()>,
) -> Html {
    let from = state.compare_from;
    let export_diff = export.reform(move |_: ()| Export {
        request: Request::ExportDiff { position, from },
        file_name: match from {
            Some(f) => format!("diff-{}-to-{}.json", f + 1, position + 1),
            None => format!("diff-event-{}.json", position + 1),
        },
        mime: "application/json-patch+json",
    });
    html! {
        <div class="columns">
            <EventList log={log.clone()} list={Rc::new(frame.list.clone())} filter={state.filter.clone()}
                filter_error={frame.filter_error.clone().map(AttrValue::from)}
                {position} oncommand={dispatch.clone()} onexport={export_events.clone()} />
            <StateTree frame={frame.clone()} selected={state.selected.clone()} oncommand={dispatch.clone()} />
            <div class="side">
                if let (Some(comparison), true) = (&frame.whatif, state.whatif.compare) {
                    <section class="panel" aria-label="Compared with original">
                        <h2>{ "Compared with original" }</h2>
                        <Compared comparison={comparison.clone()} position={frame.position} />
                    </section>
                }
                <ReadModels models={state.models.clone()} log={log.clone()} {position} dispatch={dispatch.clone()} />
                // The side panels follow the list and the tree by a task, so that the page's
                // first drawing of a log is split in two; while a log loads, they follow the
                // position once it rests.
                <Soon>
                <Settled lagging={state.loading.is_some()} rest_key={frame.position as i64}>
                <DiffView frame={frame.clone()} compare_from={state.compare_from}
                    oncommand={dispatch.clone()} onexport={export_diff} />
                if let Some(pointer) = &state.selected {
                    <HistoryView history={state.history.clone()} pointer={pointer.clone()} {position} oncommand={dispatch.clone()} />
                }
                <EventDetail frame={frame.clone()} oncommand={dispatch.clone()} showing_flow={state.filter.flow}
                    skipped_with_effects={state.whatif.edits.0.iter().any(|e| *e == rewind_session::EditEntry::SkipCaused(frame.position.max(0) as u32))}
                    indexing_flows={state.index_flows} />
                if let Some(of) = state.filter.flow {
                    <FlowTree {of} {position} keys={state.flow_keys.clone()} oncommand={dispatch.clone()} />
                }
                </Settled>
                </Soon>
            </div>
        </div>
    }
}
