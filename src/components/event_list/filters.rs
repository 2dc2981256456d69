//! The event list's toolbar: text or regular expression (with "not"), type and stream
//! filters, and Export events.

use std::rc::Rc;

use rewind_session::EventFilter;
use rewind_session::Summary;
use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

use crate::components::draft::{on_type, use_draft};
use crate::state::Action;

/// Props of [`EventFilters`].
#[derive(Properties, PartialEq)]
pub struct EventFiltersProps {
    /// The open log (its types and streams).
    pub log: Rc<Summary>,
    /// The filter.
    pub filter: EventFilter,
    /// Sends an action to the page.
    pub oncommand: Callback<Action>,
    /// Downloads the listed events as NDJSON.
    pub onexport: Callback<()>,
}

/// Props of [`StreamOptions`].
#[derive(Properties, PartialEq)]
struct StreamOptionsProps {
    log: Rc<Summary>,
}

/// Suggestions for the stream filter: up to 2,000 options, drawn again only when another
/// log opens (not every frame with the list).
#[function_component(StreamOptions)]
fn stream_options(props: &StreamOptionsProps) -> Html {
    html! {
        <datalist id="streams">
            { for props.log.streams.iter().map(|s| html! { <option value={s.clone()} /> }) }
        </datalist>
    }
}

/// A callback that edits the filter with `edit`, given the input's change event.
fn editing(oncommand: &Callback<Action>, edit: fn(&mut EventFilter, &Event)) -> Callback<Event> {
    let cb = oncommand.clone();
    Callback::from(move |e: Event| {
        let e = Rc::new(e);
        cb.emit(Action::EditFilter(Rc::new(
            move |filter: &mut EventFilter| edit(filter, &e),
        )));
    })
}

/// The filters' row.
#[function_component(EventFilters)]
pub fn event_filters(props: &EventFiltersProps) -> Html {
    let set = |edit| editing(&props.oncommand, edit);
    let text = use_draft(props.filter.text.clone());
    let stream = use_draft(props.filter.stream.clone().unwrap_or_default());
    let ontext = set(|f, e| f.text = e.target_unchecked_into::<HtmlInputElement>().value());
    let onregex = set(|f, e| f.regex = e.target_unchecked_into::<HtmlInputElement>().checked());
    let onnegate = set(|f, e| f.negate = e.target_unchecked_into::<HtmlInputElement>().checked());
    let ontype = set(|f, e| {
        let v = e.target_unchecked_into::<HtmlSelectElement>().value();
        f.types = if v.is_empty() {
            Default::default()
        } else {
            [v].into()
        };
    });
    // Stream suggestions are put on the page once the stream box is first used: a log
    // opens faster without thousands of options nobody has asked for yet.
    let suggest = use_state(|| false);
    let onfocus = {
        let suggest = suggest.clone();
        Callback::from(move |_: FocusEvent| {
            if !*suggest {
                suggest.set(true);
            }
        })
    };
    let onstream = set(|f, e| {
        let v = e.target_unchecked_into::<HtmlInputElement>().value();
        f.stream = (!v.trim().is_empty()).then(|| v.trim().to_string());
    });
    let onexport = props.onexport.reform(|_: MouseEvent| ());
    let selected_type = props
        .filter
        .types
        .iter()
        .next()
        .cloned()
        .unwrap_or_default();
    let log = &props.log;
    html! {
        <div class="filters">
            <input type="search" placeholder="Filter: text in the event" aria-label="Filter events"
                value={(*text).clone()} oninput={on_type(&text)} onchange={ontext} />
            <label class="inline"><input type="checkbox" checked={props.filter.regex} onchange={onregex} />{ " regex" }</label>
            <label class="inline"><input type="checkbox" checked={props.filter.negate} onchange={onnegate} />{ " not" }</label>
            <select aria-label="Event type" onchange={ontype}>
                <option value="" selected={selected_type.is_empty()}>{ "All types" }</option>
                { for log.types.iter().map(|t| html! {
                    <option value={t.clone()} selected={&selected_type == t}>{ t.clone() }</option>
                }) }
            </select>
            <input type="text" placeholder="Stream" aria-label="Stream" list="streams"
                value={(*stream).clone()} oninput={on_type(&stream)} onchange={onstream} {onfocus} />
            if *suggest {
                <StreamOptions log={log.clone()} />
            } else {
                <datalist id="streams"></datalist>
            }
            <button type="button" class="button small" onclick={onexport}>{ "Export events" }</button>
            if let Some(of) = props.filter.flow {
                <span class="flow-chip">{ format!("Flow of event {}", of + 1) }
                    <button type="button" class="button small" aria-label="Stop showing the flow" onclick={props.oncommand.reform(|_: MouseEvent| Action::EditFilter(Rc::new(|f: &mut EventFilter| f.flow = None)))}>{ "×" }</button>
                </span>
            }
        </div>
    }
}
