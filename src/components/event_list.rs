//! The Events region: a virtualised list of every event (only the rows in view are in the
//! page, so a million rows scroll smoothly), filtered by type, stream, text or regular
//! expression, with negation. A click jumps to the event.

use std::cell::RefCell;
use std::rc::Rc;

use rewind_session::EventFilter;
use rewind_session::{ListWindow, Summary};
use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;
use web_sys::{HtmlElement, HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

use crate::components::density::type_colour;
use crate::components::draft::{on_type, use_draft};
use crate::components::soon::use_soon;
use crate::state::Action;
use crate::time_control::TimeCommand;

/// Height of one row in CSS pixels (the stylesheet uses the same).
pub const ROW_PX: f64 = 24.0;
/// Tallest scroll area used; longer lists map the scroll position proportionally, since
/// browsers cap element heights (Firefox near 17.9 million pixels).
pub const MAX_SCROLL_PX: f64 = 4_000_000.0;
/// Shortest time between two scrolls that follow the current event.
const FOLLOW_MS: f64 = 100.0;
/// Rows rendered beyond those in view.
const OVERSCAN: usize = 6;

/// The height of the scrolled area of a list of `count` rows.
fn scroll_height(count: usize) -> f64 {
    (count as f64 * ROW_PX).min(MAX_SCROLL_PX)
}

/// The largest scroll position of a list of `count` rows in a viewport `view_px` tall.
fn max_scroll(count: usize, view_px: f64) -> f64 {
    (scroll_height(count) - view_px).max(0.0)
}

/// True when a list of `count` rows is taller than [`MAX_SCROLL_PX`]: its scroll range
/// then maps onto the rows proportionally.
fn capped(count: usize) -> bool {
    count as f64 * ROW_PX > MAX_SCROLL_PX
}

/// Rows a capped list's scroll range covers, to a fraction of a row: at the end of the
/// range, this many rows are above the viewport. [`window`] and [`scroll_for`] both map
/// through it, so that one undoes the other.
fn scrolled_rows(count: usize, view_px: f64) -> f64 {
    (count as f64 - view_px / ROW_PX).max(0.0)
}

/// Which rows to draw for a scroll position: the first index, the end, and where the first
/// row goes (its top, in the scrolled area's pixels).
pub fn window(count: usize, scroll_top: f64, view_px: f64) -> (usize, usize, f64) {
    let visible = (view_px / ROW_PX).ceil() as usize + 1;
    if !capped(count) {
        let first = ((scroll_top / ROW_PX).floor() as usize).min(count);
        (
            first,
            (first + visible + OVERSCAN).min(count),
            first as f64 * ROW_PX,
        )
    } else {
        // The scroll range maps onto the rows proportionally, to a fraction of a row: at
        // its end, the last row ends at the viewport's bottom.
        let fraction = (scroll_top / max_scroll(count, view_px).max(1.0)).clamp(0.0, 1.0);
        let exact = scrolled_rows(count, view_px) * fraction;
        let first = (exact.floor() as usize).min(count);
        (
            first,
            (first + visible + OVERSCAN).min(count),
            scroll_top - (exact - first as f64) * ROW_PX,
        )
    }
}

/// The scroll position that shows row `index` at the top, or as near as the list scrolls
/// (the last rows cannot be at the top).
pub fn scroll_for(count: usize, index: usize, view_px: f64) -> f64 {
    let max = max_scroll(count, view_px);
    let top = if capped(count) {
        index as f64 / scrolled_rows(count, view_px).max(1.0) * max
    } else {
        index as f64 * ROW_PX
    };
    top.clamp(0.0, max)
}

/// Space left under the list, in CSS pixels: the panel's padding and border, and a margin.
const BELOW_LIST_PX: f64 = 28.0;
/// The list is never shorter than this, however little room the window leaves.
const MIN_LIST_PX: f64 = 220.0;

/// Makes the list end just above the window's bottom edge (when the page is scrolled to
/// its top), wherever the filters above it end: in a narrow panel they take more lines,
/// and a list of fixed height then ran below the window, hiding its last rows.
fn fit_to_window(el: &HtmlElement) {
    let window = gloo::utils::window();
    let Some(height) = window.inner_height().ok().and_then(|h| h.as_f64()) else {
        return;
    };
    let top = el.get_bounding_client_rect().top() + window.scroll_y().unwrap_or(0.0);
    let fit = (height - top - BELOW_LIST_PX).max(MIN_LIST_PX).round();
    let _ = el.style().set_property("height", &format!("{fit}px"));
}

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

/// Props of [`StreamOptions`].
#[derive(Properties, PartialEq)]
pub struct StreamOptionsProps {
    /// The open log.
    pub log: Rc<Summary>,
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
    let followed = use_mut_ref(|| 0.0f64);
    let count = props.list.count;
    let (scroll_top, view_px) = *scroll;
    let (first, last, top) = window(count, scroll_top, view_px);
    {
        // Ask for the rows in view whenever they change.
        let cb = props.oncommand.clone();
        use_effect_with((first, last), move |(first, last)| {
            cb.emit(Action::ListWindow(*first, last - first));
        });
    }
    {
        // Keep the current event in view when the position changes (once the worker has
        // said where it is in the list), at most every FOLLOW_MS: scrolling lays the page
        // out, which a drag across a million events must not pay at every frame. The
        // scroll and height kept in `scroll` are used, not read from the page.
        let viewport = viewport.clone();
        let scroll = scroll.clone();
        let followed = followed.clone();
        let scrolled_here = scrolled_here.clone();
        let position = props.position;
        use_effect_with((props.list.position_row, count), move |(index, count)| {
            let (index, count) = (*index, *count);
            let last_follow = followed.clone();
            let follow = move || {
                let (scroll_top, view) = *scroll;
                if let Some(el) = viewport.cast::<HtmlElement>() {
                    let (first, _, _) = window(count, scroll_top, view);
                    let shown = (view / ROW_PX) as usize;
                    if index < first || index >= first + shown.saturating_sub(1) {
                        let top = scroll_for(count, index.saturating_sub(shown / 3), view);
                        // No scroll event comes when the list is already there.
                        *scrolled_here.borrow_mut() = (top - scroll_top).abs() >= 1.0;
                        el.set_scroll_top(top as i32);
                        scroll.set((top, view));
                    }
                }
                *last_follow.borrow_mut() = js_sys::Date::now();
            };
            let last = *followed.borrow();
            let wait = FOLLOW_MS - (js_sys::Date::now() - last);
            let timer = match (position >= 0, wait > 0.0) {
                (false, _) => None,
                (true, false) => {
                    follow();
                    None
                }
                (true, true) => Some(gloo::timers::callback::Timeout::new(wait as u32, follow)),
            };
            move || drop(timer)
        });
    }
    {
        // The list's height, once it is on the page and whenever the window is resized;
        // read just after the first frame that shows it, when the page is laid out already
        // (reading it before would lay out the whole new page once more, in the same task).
        let viewport = viewport.clone();
        let scroll = scroll.clone();
        use_effect_with((), move |_| {
            let measure = Rc::new(move || {
                if let Some(el) = viewport.cast::<HtmlElement>() {
                    fit_to_window(&el);
                    scroll.set((
                        f64::from(el.scroll_top()),
                        f64::from(el.client_height()).max(ROW_PX),
                    ));
                }
            });
            let first = {
                let measure = measure.clone();
                let after_frame = Rc::new(RefCell::new(None));
                let keep = after_frame.clone();
                let frame = gloo::render::request_animation_frame(move |_| {
                    *after_frame.borrow_mut() =
                        Some(gloo::timers::callback::Timeout::new(0, move || measure()));
                });
                (frame, keep)
            };
            let resize = {
                let measure = measure.clone();
                gloo::events::EventListener::new(&gloo::utils::window(), "resize", move |_| {
                    measure()
                })
            };
            // What is above the list comes and goes (the progress bar, a notice): the
            // page's size changes, and the list is fitted again, in the next frame (a
            // change of size made while the browser reports sizes is an error). Fitting is
            // idempotent, so the change it makes itself ends there.
            let pending = Rc::new(RefCell::new(None));
            let relaid = {
                let pending = pending.clone();
                Closure::<dyn FnMut()>::new(move || {
                    let measure = measure.clone();
                    *pending.borrow_mut() =
                        Some(gloo::render::request_animation_frame(move |_| measure()));
                })
            };
            let observer = web_sys::ResizeObserver::new(relaid.as_ref().unchecked_ref()).ok();
            if let Some(o) = &observer {
                o.observe(&gloo::utils::body());
            }
            move || {
                if let Some(o) = observer {
                    o.disconnect();
                }
                drop((first, resize, relaid, pending.take()))
            }
        });
    }
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
    let num_width = format!("min-width: {}ch", log.events.to_string().len() + 1);

    let set = |f: fn(&mut EventFilter, &Event)| {
        let cb = props.oncommand.clone();
        Callback::from(move |e: Event| {
            let e = Rc::new(e);
            cb.emit(Action::EditFilter(Rc::new(
                move |filter: &mut EventFilter| f(filter, &e),
            )));
        })
    };
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
    html! {
        <section class="panel events" aria-label="Events">
            <h2>{ "Events " }<span class="muted">{ format!("{count} of {}", log.events) }</span></h2>
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
            </div>
            if let Some(err) = &props.filter_error {
                <p class="filter-error" role="alert">{ err.clone() }</p>
            }
            <div class="list-viewport" ref={viewport} {onscroll} tabindex="0" role="list" aria-label="Event list">
                <div class="list-spacer" style={format!("height: {}px", height.round() as i64)}>
                    { for props.list.rows.iter().filter(|_| rows_shown).enumerate().map(|(k, row)| {
                        // Rows are placed by their index, so rows of a window asked for a
                        // moment ago still land where they belong.
                        let i = props.list.start + k;
                        let p = row.position as usize;
                        let current = p as isize == props.position;
                        let onclick = props.oncommand.reform(move |_: MouseEvent| Action::Time(TimeCommand::SetPosition(p as isize)));
                        html! {
                            <div key={i % slots} class={classes!("event-row", current.then_some("current"))} role="listitem"
                                style={format!("top: {}px", (top + (i as f64 - first as f64) * ROW_PX).round() as i64)}
                                aria-current={current.then_some("step")}>
                                <button type="button" {onclick}>
                                    <span class="num" style={num_width.clone()}>{ p + 1 }</span>
                                    <span class="swatch" style={format!("background: {}", type_colour(row.kind))}></span>
                                    <span class="event-type" title={row.type_name.clone()}>{ row.type_name.clone() }</span>
                                    <span class="stream muted" title={row.stream.clone()}>{ row.stream.clone() }</span>
                                    <span class="time muted">{ row.time.clone() }</span>
                                </button>
                            </div>
                        }
                    }) }
                </div>
            </div>
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_short_list_scrolls_row_by_row() {
        let (first, last, top) = window(100, 240.0, 480.0);
        assert_eq!(first, 10);
        assert!(last > first + 20 && last <= 100);
        assert_eq!(top, 240.0);
        assert_eq!(scroll_for(100, 10, 480.0), 240.0);
    }

    /// Rows `index` down to the viewport's bottom are drawn, and the window's rows land
    /// in view (no gap at the top) when the list is scrolled for `index`.
    fn assert_shows(count: usize, index: usize, view: f64) {
        let top = scroll_for(count, index, view);
        assert!(top <= max_scroll(count, view), "{top} scrolls past the end");
        let (first, last, first_top) = window(count, top, view);
        assert!(
            first <= index && index < last,
            "row {index} not in {first}..{last}"
        );
        assert!(
            first_top <= top + 0.5,
            "a gap above the first row: {first_top} > {top}"
        );
        let row_top = first_top + (index - first) as f64 * ROW_PX;
        assert!(
            row_top + ROW_PX <= top + view + 0.5,
            "row {index} below the viewport"
        );
        let bottom = first_top + (last - first) as f64 * ROW_PX;
        assert!(
            bottom >= top + view - 0.5,
            "rows end above the viewport's bottom"
        );
    }

    #[test]
    fn the_last_rows_show_in_short_and_capped_lists() {
        for count in [100, 1_000_000] {
            for index in [0, 1, count / 2, count - 20, count - 2, count - 1] {
                assert_shows(count, index, 390.0);
                assert_shows(count, index, 480.0);
            }
        }
    }

    #[test]
    fn a_million_rows_fit_in_a_capped_scroll_area_and_reach_the_end() {
        let n = 1_000_000;
        assert!(n as f64 * ROW_PX > MAX_SCROLL_PX);
        let (first, last, _) = window(n, MAX_SCROLL_PX - 480.0, 480.0);
        assert_eq!(last, n);
        assert!(first > n - 40);
        let (first, _, _) = window(n, scroll_for(n, 500_000, 480.0), 480.0);
        assert!((first as i64 - 500_000).abs() <= 1, "{first}");
    }
}
