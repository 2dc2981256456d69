//! The page: header with the open controls, the progress of a load, messages, and the open
//! log (or a welcome). What the page does besides drawing is in [`hooks`].

pub mod hooks;

use yew::prelude::*;

use self::hooks::{
    use_backend, use_dispatch, use_frames, use_models, use_page_keys, use_paste_opens, use_playing,
    use_url_fragment,
};
use crate::backend::Backend;
use crate::components::alert::{Alert, Tone};
use crate::components::drop_zone::DropZone;
use crate::components::log_view::LogView;
use crate::components::open_controls::OpenControls;
use crate::components::progress::ProgressBar;
use crate::components::welcome::Welcome;
use crate::state::{Action, AppHandle, AppState};

/// The whole page. A file dropped anywhere on it is opened.
#[function_component(App)]
pub fn app() -> Html {
    let handle = use_reducer(AppState::default);
    let backend = use_backend(&handle);
    let dispatch = use_dispatch(&handle);
    use_frames(&handle, &backend);
    use_models(&handle, &backend);
    use_url_fragment(&handle);
    use_page_keys(&handle);
    use_paste_opens(&handle, &backend);
    use_playing(&handle);

    let ondismiss = dispatch.reform(|_| Action::Dismiss);
    let oncancel = {
        let backend = backend.clone();
        Callback::from(move |_: ()| backend.cancel())
    };
    // Events of the log's start on screen while the rest loads.
    let shown = handle.log.as_ref().filter(|l| l.partial).map(|l| l.events);
    let open = handle.log.is_some() && handle.time.is_some();
    html! {
        <ContextProvider<AppHandle> context={handle.clone()}>
        <ContextProvider<Backend> context={backend}>
            <DropZone>
                <header class="top">
                    <h1>{ "Rewind" }<span class="tagline">{ "time-travel debugger for event logs" }</span></h1>
                    <OpenControls />
                </header>
                if let Some(loading) = &handle.loading {
                    <ProgressBar loading={loading.clone()} {shown} {oncancel} />
                }
                if let Some(error) = &handle.error {
                    <Alert tone={Tone::Error} message={AttrValue::from(error.clone())} ondismiss={ondismiss.clone()} />
                }
                if let Some(notice) = &handle.notice {
                    <Alert tone={Tone::Notice} message={AttrValue::from(notice.clone())} ondismiss={ondismiss.clone()} />
                }
                <main>
                    if open {
                        <LogView {dispatch} />
                    } else {
                        <Welcome />
                    }
                </main>
            </DropZone>
        </ContextProvider<Backend>>
        </ContextProvider<AppHandle>>
    }
}
