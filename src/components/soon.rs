//! Drawing the larger parts of a panel a moment after the panel first appears: the page's
//! first drawing of a log is its longest task, and splitting it keeps each under 50 ms.

use yew::prelude::*;

/// False at the component's first drawing, true from a task of its own just after.
#[hook]
pub fn use_soon() -> bool {
    let shown = use_state_eq(|| false);
    {
        let shown = shown.clone();
        use_effect_with((), move |_| {
            let timer = gloo::timers::callback::Timeout::new(0, move || shown.set(true));
            move || drop(timer)
        });
    }
    *shown
}

/// Props of [`Soon`].
#[derive(Properties, PartialEq)]
pub struct SoonProps {
    /// What to draw just after the first drawing.
    pub children: Html,
}

/// Draws its children in a task of their own, just after the page's first drawing of them.
#[function_component(Soon)]
pub fn soon(props: &SoonProps) -> Html {
    if use_soon() {
        props.children.clone()
    } else {
        Html::default()
    }
}
