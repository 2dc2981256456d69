//! JSON shown as text (the State region's JSON view): pretty-printed, cut with a note when
//! it is too long for the page to stay responsive.

use yew::prelude::*;

/// Props of [`JsonText`].
#[derive(Properties, PartialEq)]
pub struct JsonTextProps {
    /// The JSON text.
    pub json: AttrValue,
}

/// Longest text shown at once; the rest is cut with a note, so a huge state cannot freeze
/// the page.
pub const MAX_SHOWN_BYTES: usize = 512 * 1024;

/// The text in a `<pre>`. Payload text is rendered as text, never as HTML.
#[function_component(JsonText)]
pub fn json_text(props: &JsonTextProps) -> Html {
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
        <>
            <pre class="json state-json" tabindex="0">{ shown.to_string() }</pre>
            if cut {
                <p class="muted">{ format!("Showing the first {} KB of {} KB; use Export state for all of it.", MAX_SHOWN_BYTES / 1024, text.len() / 1024) }</p>
            }
        </>
    }
}
