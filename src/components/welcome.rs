//! What the page shows before a log is open: how to open one.

use yew::prelude::*;

/// The welcome, with the ways to open a log and the promise that it stays in the tab.
#[function_component(Welcome)]
pub fn welcome() -> Html {
    html! {
        <section class="welcome" aria-label="Welcome">
            <h2>{ "Drop an event log anywhere on this page" }</h2>
            <p>{ "JSON array, NDJSON, CloudEvents or a Redux DevTools export — or paste it, or press “Open event log”. Rewind folds the events into state; scrub the timeline to see the state at any point, what each event changed, and which events touched a field." }</p>
            <p>{ "New here? Press “Open sample” to try it on a small shop's orders." }</p>
            <p class="muted">{ "Your log never leaves this machine: everything runs in this tab." }</p>
        </section>
    }
}
