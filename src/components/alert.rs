//! Load errors and bad-line notices, announced to screen readers and dismissable.

use yew::prelude::*;

/// Props of [`Alert`].
#[derive(Properties, PartialEq)]
pub struct AlertProps {
    /// The message, shown as text.
    pub message: AttrValue,
    /// `error` or `notice`, for the colour.
    pub kind: AttrValue,
    /// Closes the message.
    pub ondismiss: Callback<()>,
}

/// A message in an element with `role=alert`.
#[function_component(Alert)]
pub fn alert(props: &AlertProps) -> Html {
    let ondismiss = props.ondismiss.reform(|_: MouseEvent| ());
    html! {
        <div class={classes!("alert", props.kind.to_string())} role="alert">
            <span class="alert-text">{ props.message.clone() }</span>
            <button type="button" class="dismiss" aria-label="Dismiss message" onclick={ondismiss}>{ "×" }</button>
        </div>
    }
}
