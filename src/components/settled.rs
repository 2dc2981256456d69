//! Drawing a part of the page only once what it shows has stopped changing, while that
//! matters: during a large load, the page's thread shares two processors with the workers,
//! and redrawing the side panels at every frame of a drag made frames of 55–65 ms.

use gloo::timers::callback::Timeout;
use yew::prelude::*;

/// How long `rest_key` must stay the same before the children for it are drawn, while
/// lagging.
const REST_MS: u32 = 120;

/// Props of [`Settled`].
#[derive(Properties, PartialEq)]
pub struct SettledProps {
    /// Wait for `rest_key` to rest before drawing (otherwise draw at once).
    pub lagging: bool,
    /// What the children show (the position): while lagging, a new one is drawn only once
    /// it has stayed the same for [`REST_MS`]. Other changes are drawn at once.
    pub rest_key: i64,
    /// What to draw.
    pub children: Html,
}

/// Draws its children at once, or, while `lagging`, once `rest_key` has rested: while a log
/// loads, dragging the slider redraws the list and the tree, and the side panels follow
/// when the drag pauses.
#[function_component(Settled)]
pub fn settled(props: &SettledProps) -> Html {
    // The key drawn last, and what was drawn for it.
    let drawn = use_mut_ref(|| (props.rest_key, props.children.clone()));
    let redraw = use_force_update();
    let timer = use_mut_ref(|| None::<Timeout>);
    {
        let drawn = drawn.clone();
        use_effect_with((props.rest_key, props.lagging), move |&(key, lagging)| {
            // A newer key replaces the one waiting; dropping a timeout cancels it.
            *timer.borrow_mut() = (lagging && drawn.borrow().0 != key).then(|| {
                Timeout::new(REST_MS, move || {
                    drawn.borrow_mut().0 = key;
                    redraw.force_update();
                })
            });
        });
    }
    let mut drawn = drawn.borrow_mut();
    if props.lagging && drawn.0 != props.rest_key {
        return drawn.1.clone();
    }
    *drawn = (props.rest_key, props.children.clone());
    props.children.clone()
}
