//! The line above the timeline: the open log's name and shape, its Fields, and Export
//! state.

use std::rc::Rc;

use rewind_session::FieldNames;
use rewind_session::{Request, Summary};
use yew::prelude::*;

use crate::backend::Backend;
use crate::components::fields_dialog::FieldsDialog;
use crate::download::Export;
use crate::loader::reopen_with;
use crate::state::AppHandle;

/// Props of [`LogBar`].
#[derive(Properties, PartialEq)]
pub struct LogBarProps {
    /// The open log.
    pub log: Rc<Summary>,
    /// Current position (the state exported).
    pub position: isize,
    /// Offers a file for download.
    pub onexport: Callback<Export>,
}

/// What the line says of a log: name, events, format, fold and, once the whole log is
/// in, the memory it takes (while its start is shown, that would be the preview's), and
/// whether its events are read back from the file (a log too large to hold).
fn describe(log: &Summary) -> String {
    let read_back = if log.index_only {
        " (the index; events are read from the file)"
    } else {
        ""
    };
    let memory = log
        .memory_bytes
        .filter(|_| !log.partial)
        .map(|b| format!(" · {} MB in memory{read_back}", b >> 20))
        .unwrap_or_default();
    let so_far = if log.partial { " so far" } else { "" };
    format!(
        "{} · {} events{so_far} · {} · {} fold{memory}",
        log.name, log.events, log.format, log.mode
    )
}

/// The file line.
#[function_component(LogBar)]
pub fn log_bar(props: &LogBarProps) -> Html {
    let handle = use_context::<AppHandle>();
    let flow_handle = handle.clone();
    let backend = use_context::<Backend>();
    let position = props.position;
    let export_state = props.onexport.reform(move |_: MouseEvent| Export {
        request: Request::ExportState { position },
        file_name: format!("state-event-{}.json", position + 1),
        mime: "application/json",
    });
    // The log is read again with the fields chosen, at the same place.
    let onfields = Callback::from(move |fields: FieldNames| {
        if let (Some(backend), Some(handle)) = (&backend, &handle) {
            reopen_with(backend, handle, &fields);
        }
    });
    let flow_keys = flow_handle
        .as_ref()
        .map(|h| h.flow_keys.clone())
        .unwrap_or_default();
    let onflowkeys = {
        let handle = flow_handle.clone();
        Callback::from(move |keys: rewind_core::FlowKeys| {
            if let Some(h) = &handle {
                h.dispatch(crate::state::Action::FlowKeys(keys));
            }
        })
    };
    let log = &props.log;
    html! {
        <div class="log-bar">
            <p class="file-name">{ describe(log) }</p>
            if let Some(why) = &log.fields.fixed {
                <button type="button" class="button small" disabled=true title={why.clone()}>{ "Fields" }</button>
            } else {
                <FieldsDialog choices={log.fields.clone()} onapply={onfields} {flow_keys} {onflowkeys} />
            }
            if log.fields.needs_choice() {
                <span class="field-hint">{ "No type or data found: choose the Fields" }</span>
            }
            <span class="spacer"></span>
            <button type="button" class="button small" onclick={export_state}>{ "Export state" }</button>
        </div>
    }
}
