//! The whole page as a drop target: a file dropped anywhere on it is opened, and the page
//! says so while one is dragged over it.

use yew::prelude::*;

use crate::backend::Backend;
use crate::loader::load_blob;
use crate::state::AppHandle;

/// Props of [`DropZone`].
#[derive(Properties, PartialEq)]
pub struct DropZoneProps {
    /// The page.
    pub children: Html,
}

/// The page's outer element, which takes dropped files.
#[function_component(DropZone)]
pub fn drop_zone(props: &DropZoneProps) -> Html {
    let dragging = use_state(|| false);
    let handle = use_context::<AppHandle>();
    let backend = use_context::<Backend>();
    let ondragover = {
        let dragging = dragging.clone();
        Callback::from(move |e: DragEvent| {
            e.prevent_default();
            if !*dragging {
                dragging.set(true);
            }
        })
    };
    let ondragleave = {
        let dragging = dragging.clone();
        Callback::from(move |_: DragEvent| dragging.set(false))
    };
    let ondrop = {
        let dragging = dragging.clone();
        Callback::from(move |e: DragEvent| {
            e.prevent_default();
            dragging.set(false);
            let file = e
                .data_transfer()
                .and_then(|dt| dt.files())
                .and_then(|f| f.get(0));
            if let (Some(file), Some(handle), Some(backend)) = (file, &handle, &backend) {
                load_blob(backend, handle, file.name(), file.into());
            }
        })
    };
    html! {
        <div class={classes!("page", dragging.then_some("dragging"))} {ondragover} {ondragleave} {ondrop}>
            { props.children.clone() }
            <div class="drop-overlay" aria-hidden="true">{ "Drop the log to open it" }</div>
        </div>
    }
}
