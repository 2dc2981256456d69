//! The Events region: a virtualised list of every event (only the rows in view are in the
//! page, so a million rows scroll smoothly), filtered by type, stream, text or regular
//! expression, with negation. A click jumps to the event.

use std::rc::Rc;

use rewind_core::filter::EventFilter;
use web_sys::{HtmlElement, HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

use crate::components::density::type_colour;
use crate::state::{Action, OpenLog};
use crate::time_control::TimeCommand;

/// Height of one row in CSS pixels (the stylesheet uses the same).
pub const ROW_PX: f64 = 24.0;
/// Tallest scroll area used; longer lists map the scroll position proportionally, since
/// browsers cap element heights (Firefox near 17.9 million pixels).
pub const MAX_SCROLL_PX: f64 = 4_000_000.0;
/// Rows rendered beyond those in view.
const OVERSCAN: usize = 6;

/// Which rows to draw for a scroll position: the first index and the top offset of each.
pub fn window(count: usize, scroll_top: f64, view_px: f64) -> (usize, usize, f64) {
    let visible = (view_px / ROW_PX).ceil() as usize + 1;
    let total = count as f64 * ROW_PX;
    if total <= MAX_SCROLL_PX {
        let first = ((scroll_top / ROW_PX).floor() as usize).min(count);
        (
            first,
            (first + visible + OVERSCAN).min(count),
            first as f64 * ROW_PX,
        )
    } else {
        let range = (MAX_SCROLL_PX - view_px).max(1.0);
        let fraction = (scroll_top / range).clamp(0.0, 1.0);
        let first = ((count.saturating_sub(visible)) as f64 * fraction).round() as usize;
        (first, (first + visible + OVERSCAN).min(count), scroll_top)
    }
}

/// The scroll position that shows row `index` at the top.
pub fn scroll_for(count: usize, index: usize, view_px: f64) -> f64 {
    let total = count as f64 * ROW_PX;
    if total <= MAX_SCROLL_PX {
        index as f64 * ROW_PX
    } else {
        let visible = (view_px / ROW_PX).ceil() as usize + 1;
        let range = (MAX_SCROLL_PX - view_px).max(1.0);
        index as f64 / count.saturating_sub(visible).max(1) as f64 * range
    }
}

/// Props of [`EventList`].
#[derive(Properties, PartialEq)]
pub struct EventListProps {
    /// The open log.
    pub log: Rc<OpenLog>,
    /// Positions the filter keeps.
    pub rows: Rc<Vec<u32>>,
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
    let scroll = use_state(|| (0.0f64, 480.0f64));
    let count = props.rows.len();
    {
        // Keep the current event in view when the position changes.
        let viewport = viewport.clone();
        let rows = props.rows.clone();
        let scroll = scroll.clone();
        use_effect_with((props.position, rows.len()), move |(position, _)| {
            if let (Some(el), Ok(p)) = (viewport.cast::<HtmlElement>(), u32::try_from(*position)) {
                let index = rows.partition_point(|&r| r < p);
                let view = f64::from(el.client_height()).max(ROW_PX);
                let (first, _, _) = window(rows.len(), f64::from(el.scroll_top()), view);
                let shown = (view / ROW_PX) as usize;
                if index < first || index >= first + shown.saturating_sub(1) {
                    let top = scroll_for(rows.len(), index.saturating_sub(shown / 3), view);
                    el.set_scroll_top(top as i32);
                    scroll.set((top, view));
                }
            }
        });
    }
    let onscroll = {
        let scroll = scroll.clone();
        Callback::from(move |e: Event| {
            let el: HtmlElement = e.target_unchecked_into();
            scroll.set((f64::from(el.scroll_top()), f64::from(el.client_height())));
        })
    };
    let (scroll_top, view_px) = *scroll;
    let (first, last, top) = window(count, scroll_top, view_px);
    let height = (count as f64 * ROW_PX).min(MAX_SCROLL_PX);
    let replay = &props.log.replay;
    // Event numbers take the width of the largest one, no more.
    let num_width = format!("min-width: {}ch", replay.len().to_string().len() + 1);

    let set = |f: fn(&mut EventFilter, &Event)| {
        let cb = props.oncommand.clone();
        Callback::from(move |e: Event| {
            let e = Rc::new(e);
            cb.emit(Action::EditFilter(Rc::new(
                move |filter: &mut EventFilter| f(filter, &e),
            )));
        })
    };
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
            <h2>{ "Events " }<span class="muted">{ format!("{count} of {}", replay.len()) }</span></h2>
            <div class="filters">
                <input type="search" placeholder="Filter: text in the event" aria-label="Filter events"
                    value={props.filter.text.clone()} onchange={ontext} />
                <label class="inline"><input type="checkbox" checked={props.filter.regex} onchange={onregex} />{ " regex" }</label>
                <label class="inline"><input type="checkbox" checked={props.filter.negate} onchange={onnegate} />{ " not" }</label>
                <select aria-label="Event type" onchange={ontype}>
                    <option value="" selected={selected_type.is_empty()}>{ "All types" }</option>
                    { for replay.log.types.iter().map(|t| html! {
                        <option value={t.to_string()} selected={selected_type == t.as_ref()}>{ t.to_string() }</option>
                    }) }
                </select>
                <input type="text" placeholder="Stream" aria-label="Stream" list="streams"
                    value={props.filter.stream.clone().unwrap_or_default()} onchange={onstream} />
                <datalist id="streams">
                    { for replay.log.streams.iter().take(2000).map(|s| html! { <option value={s.to_string()} /> }) }
                </datalist>
                <button type="button" class="button small" onclick={onexport}>{ "Export events" }</button>
            </div>
            if let Some(err) = &props.filter_error {
                <p class="filter-error" role="alert">{ err.clone() }</p>
            }
            <div class="list-viewport" ref={viewport} {onscroll} tabindex="0" role="list" aria-label="Event list">
                <div class="list-spacer" style={format!("height: {height}px")}>
                    { for (first..last).map(|i| {
                        let p = props.rows[i] as usize;
                        let meta = &replay.log.events[p];
                        let current = p as isize == props.position;
                        let onclick = props.oncommand.reform(move |_: MouseEvent| Action::Time(TimeCommand::SetPosition(p as isize)));
                        let time = if meta.time_ms.is_finite() { rewind_core::fields::format_rfc3339(meta.time_ms)[11..19].to_string() } else { String::new() };
                        html! {
                            <div class={classes!("event-row", current.then_some("current"))} role="listitem"
                                style={format!("top: {}px", top + (i - first) as f64 * ROW_PX)}
                                aria-current={current.then_some("step")}>
                                <button type="button" {onclick}>
                                    <span class="num" style={num_width.clone()}>{ p + 1 }</span>
                                    <span class="swatch" style={format!("background: {}", type_colour(meta.kind))}></span>
                                    <span class="event-type">{ replay.log.type_name(p).to_string() }</span>
                                    <span class="stream muted">{ replay.log.stream_name(p).unwrap_or("").to_string() }</span>
                                    <span class="time muted">{ time }</span>
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
