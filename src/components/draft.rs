//! Text boxes that keep what the person types. Yew sets an input's value from its props at
//! every redraw, and the page redraws at every frame the worker sends: a box bound to the
//! committed value would lose text being typed. The draft holds it until it is committed,
//! and follows the committed value when that changes elsewhere (another log, a reset).

use web_sys::HtmlInputElement;
use yew::prelude::*;

/// The text in a box: what is typed, or `committed` since it last changed.
#[hook]
pub fn use_draft(committed: String) -> UseStateHandle<String> {
    let draft = use_state_eq(|| committed.clone());
    {
        let draft = draft.clone();
        use_effect_with(committed, move |c| draft.set(c.clone()));
    }
    draft
}

/// Keeps the draft up to date as the person types.
pub fn on_type(draft: &UseStateHandle<String>) -> Callback<InputEvent> {
    let draft = draft.clone();
    Callback::from(move |e: InputEvent| {
        draft.set(e.target_unchecked_into::<HtmlInputElement>().value());
    })
}
