//! The Events region: a virtualised list of every event (only the rows in view are in the
//! page, so a million rows scroll smoothly), filtered by type, stream, text or regular
//! expression, with negation. A click jumps to the event.

mod filters;
mod row;
pub mod scroll;
mod viewport;

use std::rc::Rc;

use rewind_session::EventFilter;
use rewind_session::{ListWindow, Summary};
use web_sys::HtmlElement;
use yew::prelude::*;

use self::filters::EventFilters;
use self::row::EventRow;
use self::scroll::{scroll_height, window, ROW_PX};
use self::viewport::{use_fitted_viewport, use_follow_current};
use crate::components::soon::use_soon;
use crate::state::Action;

/// Props of [`EventList`].
#[derive(Properties, PartialEq)]
pub struct EventListProps {
    /// The open log.
    pub log: Rc<Summary>,
    /// The rows in view, from the worker (with how many the filter keeps).
    pub list: Rc<ListWindow>,
    /// The filter.
    pub filter: EventFilter,
    /// Why the filter is invalid, if it is.
    pub filter_error: Option<AttrValue>,
    /// Current position.
    pub position: isize,
    /// Sends an action to the page.
    pub oncommand: Callback<Action>,
    /// Downloads the listed events as NDJSON.
    pub onexport: Callback<()>,
}

/// The list and its filter.
#[function_component(EventList)]
pub fn event_list(props: &EventListProps) -> Html {
    let viewport = use_node_ref();
    // The rows are drawn just after the list first appears, in a task of their own.
    let rows_shown = use_soon();
    let scroll = use_state_eq(|| (0.0f64, 480.0f64));
    // Set when this component scrolls the list itself: the scroll event that follows
    // needs no reading back (reading would lay the page out again).
    let scrolled_here = use_mut_ref(|| false);
    let count = props.list.count;
    let (scroll_top, view_px) = *scroll;
    let (first, last, top) = window(count, scroll_top, view_px);
    {
        // Ask for the rows in view whenever they change.
        let cb = props.oncommand.clone();
        use_effect_with((first, last), move |&(first, last)| {
            cb.emit(Action::ListWindow {
                first,
                count: last - first,
            });
        });
    }
    // Once the worker has said where the current event is in the list.
    let index = props.list.position_row;
    use_follow_current(
        &viewport,
        &scroll,
        &scrolled_here,
        props.position,
        index,
        count,
    );
    use_fitted_viewport(&viewport, &scroll);
    let onscroll = {
        let scroll = scroll.clone();
        let scrolled_here = scrolled_here.clone();
        Callback::from(move |e: Event| {
            if std::mem::take(&mut *scrolled_here.borrow_mut()) {
                return;
            }
            let el: HtmlElement = e.target_unchecked_into();
            scroll.set((f64::from(el.scroll_top()), scroll.1));
        })
    };
    let height = scroll_height(count);
    // Rows are keyed by their slot in the window, not by their event: a row that scrolls
    // out gives its elements to the row that scrolls in, so a drag across a million
    // events changes the rows' text instead of building new rows at every frame. The
    // rows are consecutive in the list, so their slots are distinct.
    let slots = (last - first).max(props.list.rows.len()).max(1);
    let log = &props.log;
    // Event numbers take the width of the largest one, no more.
    let num_width = AttrValue::from(format!("min-width: {}ch", log.events.to_string().len() + 1));
    html! {
        <section class="panel events" aria-label="Events">
            <h2>{ "Events " }<span class="muted">{ format!("{count} of {}", log.events) }</span></h2>
            <EventFilters log={log.clone()} filter={props.filter.clone()}
                oncommand={props.oncommand.clone()} onexport={props.onexport.clone()} />
            if let Some(err) = &props.filter_error {
                <p class="filter-error" role="alert">{ err.clone() }</p>
            }
            <div class="list-viewport" ref={viewport} {onscroll} tabindex="0" role="list" aria-label="Event list">
                <div class="list-spacer" style={format!("height: {}px", height.round() as i64)}>
                    { for props.list.rows.iter().filter(|_| rows_shown).enumerate().map(|(k, row)| {
                        // Rows are placed by their index, so rows of a window asked for a
                        // moment ago still land where they belong.
                        let i = props.list.start + k;
                        let top_px = (top + (i as f64 - first as f64) * ROW_PX).round() as i64;
                        html! {
                            <EventRow key={i % slots} row={row.clone()} {top_px}
                                current={row.position as isize == props.position}
                                num_width={num_width.clone()} oncommand={props.oncommand.clone()} />
                        }
                    }) }
                </div>
            </div>
        </section>
    }
}
