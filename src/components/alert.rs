//! Load errors and bad-line notices, announced to screen readers and dismissable.

use yew::prelude::*;

/// What an alert says: something went wrong, or something to know.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Tone {
    /// A load or an export failed.
    Error,
    /// The log loaded, with something to know (lines that could not be read).
    Notice,
}

impl Tone {
    /// The class the stylesheet colours it by.
    fn class(self) -> &'static str {
        match self {
            Tone::Error => "error",
            Tone::Notice => "notice",
        }
    }
}

/// Props of [`Alert`].
#[derive(Properties, PartialEq)]
pub struct AlertProps {
    /// The message, shown as text.
    pub message: AttrValue,
    /// Error or notice, for the colour.
    pub tone: Tone,
    /// Closes the message.
    pub ondismiss: Callback<()>,
}

/// A message in an element with `role=alert`.
#[function_component(Alert)]
pub fn alert(props: &AlertProps) -> Html {
    let ondismiss = props.ondismiss.reform(|_: MouseEvent| ());
    html! {
        <div class={classes!("alert", props.tone.class())} role="alert">
            <span class="alert-text">{ props.message.clone() }</span>
            <button type="button" class="dismiss" aria-label="Dismiss message" onclick={ondismiss}>{ "×" }</button>
        </div>
    }
}
