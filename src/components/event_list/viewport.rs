//! The list's viewport on the page: its height fitted to the window, and the scroll that
//! keeps the current event in view. The scroll position and height are kept in a state of
//! the list (`(scroll_top, view_px)`), so that drawing never reads them from the page.

use std::cell::RefCell;
use std::rc::Rc;

use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;
use web_sys::HtmlElement;
use yew::prelude::*;

use super::scroll::{scroll_for, window, ROW_PX};

/// Shortest time between two scrolls that follow the current event.
const FOLLOW_MS: f64 = 100.0;
/// Space left under the list, in CSS pixels: the panel's padding and border, and a margin.
const BELOW_LIST_PX: f64 = 28.0;
/// The list is never shorter than this, however little room the window leaves.
const MIN_LIST_PX: f64 = 220.0;

/// Makes the list end just above the window's bottom edge (when the page is scrolled to
/// its top), wherever the filters above it end: in a narrow panel they take more lines,
/// and a list of fixed height would run below the window, hiding its last rows.
fn fit_to_window(el: &HtmlElement) {
    let window = gloo::utils::window();
    let Some(height) = window.inner_height().ok().and_then(|h| h.as_f64()) else {
        return;
    };
    let top = el.get_bounding_client_rect().top() + window.scroll_y().unwrap_or(0.0);
    let fit = (height - top - BELOW_LIST_PX).max(MIN_LIST_PX).round();
    let _ = el.style().set_property("height", &format!("{fit}px"));
}

/// Keeps the current event (row `index` of `count`) in view when the position changes,
/// at most every [`FOLLOW_MS`]: scrolling lays the page out, which a drag across a
/// million events must not pay at every frame. `scrolled_here` is set when this scrolls
/// the list, so the scroll event that follows needs no reading back.
#[hook]
pub fn use_follow_current(
    viewport: &NodeRef,
    scroll: &UseStateHandle<(f64, f64)>,
    scrolled_here: &Rc<RefCell<bool>>,
    position: isize,
    index: usize,
    count: usize,
) {
    let followed = use_mut_ref(|| 0.0f64);
    let (viewport, scroll, scrolled_here) =
        (viewport.clone(), scroll.clone(), scrolled_here.clone());
    use_effect_with((index, count), move |&(index, count)| {
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

/// Fits the list to the window and keeps its height in `scroll`: once it is on the page
/// and whenever the window is resized, or what is above it comes and goes. Read just after
/// the first frame that shows it, when the page is laid out already (reading it before
/// would lay out the whole new page once more, in the same task).
#[hook]
pub fn use_fitted_viewport(viewport: &NodeRef, scroll: &UseStateHandle<(f64, f64)>) {
    let (viewport, scroll) = (viewport.clone(), scroll.clone());
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
            gloo::events::EventListener::new(&gloo::utils::window(), "resize", move |_| measure())
        };
        // What is above the list comes and goes (the progress bar, a notice): the page's
        // size changes, and the list is fitted again, in the next frame (a change of size
        // made while the browser reports sizes is an error). Fitting is idempotent, so the
        // change it makes itself ends there.
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
