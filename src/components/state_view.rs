//! The state at the current position, as pretty-printed JSON.

use yew::prelude::*;

/// Props of [`StateView`].
#[derive(Properties, PartialEq)]
pub struct StateViewProps {
    /// The state as pretty-printed JSON.
    pub json: AttrValue,
    /// Shown above the JSON (which position this is).
    pub caption: AttrValue,
}

/// Longest text shown at once; the rest is cut with a note, so a huge state cannot freeze
/// the page.
pub const MAX_SHOWN_BYTES: usize = 512 * 1024;

/// The State region. Payload text is rendered as text, never as HTML.
#[function_component(StateView)]
pub fn state_view(props: &StateViewProps) -> Html {
    let text = props.json.as_str();
    let (shown, cut) = if text.len() > MAX_SHOWN_BYTES {
        let mut end = MAX_SHOWN_BYTES;
        while !text.is_char_boundary(end) {
            end -= 1;
        }
        (&text[..end], true)
    } else {
        (text, false)
    };
    html! {
        <section class="panel state" aria-label="State">
            <h2>{ "State " }<span class="muted">{ props.caption.clone() }</span></h2>
            <pre class="json" tabindex="0">{ shown.to_string() }</pre>
            if cut {
                <p class="muted">{ format!("Showing the first {} KB of {} KB.", MAX_SHOWN_BYTES / 1024, text.len() / 1024) }</p>
            }
        </section>
    }
}
