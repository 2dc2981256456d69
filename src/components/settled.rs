//! Drawing a part of the page only once what it shows has stopped changing, while that
//! matters: during a large load, the page's thread shares two processors with the workers,
//! and redrawing the side panels at every frame of a drag made frames of 55–65 ms.

use gloo::timers::callback::Timeout;
use yew::prelude::*;

/// How long the children must stay the same before they are drawn, while lagging.
const REST_MS: u32 = 120;

/// Props of [`Settled`].
#[derive(Properties, PartialEq)]
pub struct SettledProps {
    /// Draw the children only once they have rested for a moment (otherwise at once).
    pub lagging: bool,
    /// What to draw.
    pub children: Html,
}

/// Draws its children as they last were for [`REST_MS`] while `lagging`, and at once
/// otherwise: while a log loads, dragging the slider redraws the list and the tree, and the
/// side panels follow when the drag pauses.
#[function_component(Settled)]
pub fn settled(props: &SettledProps) -> Html {
    // What was last drawn: the children when not lagging, else what rested.
    let shown = use_mut_ref(|| props.children.clone());
    let redraw = use_force_update();
    let timer = use_mut_ref(|| None::<Timeout>);
    {
        let shown = shown.clone();
        let children = props.children.clone();
        use_effect_with(
            (props.children.clone(), props.lagging),
            move |(_, lagging)| {
                // A newer change replaces the one waiting; dropping a timeout cancels it.
                *timer.borrow_mut() = lagging.then(|| {
                    Timeout::new(REST_MS, move || {
                        *shown.borrow_mut() = children;
                        redraw.force_update();
                    })
                });
            },
        );
    }
    if props.lagging {
        shown.borrow().clone()
    } else {
        *shown.borrow_mut() = props.children.clone();
        props.children.clone()
    }
}
