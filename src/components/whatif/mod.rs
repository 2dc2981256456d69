//! What-if on the page: the bar that says plainly that the log is shown as edited (with
//! Compare with original, First difference, Export edited log and Reset what-if), the
//! comparison with the original at the current position, and the Edit event dialog.

mod compare;
mod editor;

pub use compare::Compared;
pub use editor::EventEditor;

use rewind_session::Request;
use yew::prelude::*;

use crate::download::Export;
use crate::state::{Action, WhatIf, WhatIfAction};

/// Props of [`WhatIfBar`].
#[derive(Properties, PartialEq)]
pub struct WhatIfBarProps {
    /// The edits, and what the worker said of them.
    pub whatif: WhatIf,
    /// Sends an action to the page.
    pub oncommand: Callback<Action>,
    /// Downloads a file the worker writes.
    pub onexport: Callback<Export>,
}

/// "n edits" in words.
fn plural(n: usize, one: &str) -> String {
    format!("{n} {one}{}", if n == 1 { "" } else { "s" })
}

/// Shown while any edit exists: what is edited, and what can be done about it.
#[function_component(WhatIfBar)]
pub fn whatif_bar(props: &WhatIfBarProps) -> Html {
    let w = &props.whatif;
    if !w.active() {
        return Html::default();
    }
    let info = w.current_info();
    let edits = w.edits.0.len();
    let summary = match info {
        Some(i) if i.problem.is_none() => format!(
            "What-if: {} {} {}. The states, diffs and read models show the log as edited, not as the file has it.",
            plural(edits, "edit"),
            if edits == 1 { "changes" } else { "change" },
            plural(i.changed, "event"),
        ),
        Some(_) => format!("What-if: {} could not be applied; the log is shown as the file has it.", plural(edits, "edit")),
        None => format!("What-if: applying {}…", plural(edits, "edit")),
    };
    let first = info.and_then(|i| i.first_difference);
    let compare = w.compare;
    let oncompare = props
        .oncommand
        .reform(move |_: MouseEvent| Action::WhatIf(WhatIfAction::Compare(!compare)));
    let onfirst = props
        .oncommand
        .reform(|_: MouseEvent| Action::FirstDifference);
    let onreset = props
        .oncommand
        .reform(|_: MouseEvent| Action::WhatIf(WhatIfAction::Reset));
    let onexport = props.onexport.reform(|_: MouseEvent| Export {
        request: Request::ExportEdited,
        file_name: "edited.ndjson".into(),
        mime: "application/x-ndjson",
    });
    let onexport_edits = props.onexport.reform(|_: MouseEvent| Export {
        request: Request::ExportEdits,
        file_name: "edits.json".into(),
        mime: "application/json",
    });
    html! {
        <section class="whatif-bar" aria-label="What-if">
            <p class="whatif-summary" role="status">{ summary }</p>
            if let Some(problem) = info.and_then(|i| i.problem.clone()) {
                <p class="model-problem" role="alert">{ problem }</p>
            }
            <div class="tools">
                <button type="button" class="button small" aria-pressed={compare.to_string()} onclick={oncompare}>{ "Compare with original" }</button>
                <button type="button" class="button small" disabled={first.is_none()} onclick={onfirst}
                    title="Go to the first event after which the state differs from the original">
                    { match first { Some(p) => format!("First difference: event {}", p + 1), None => "No difference".to_string() } }
                </button>
                <button type="button" class="button small" onclick={onexport}>{ "Export edited log" }</button>
                <button type="button" class="button small" onclick={onexport_edits}>{ "Export edits" }</button>
                <button type="button" class="button small" onclick={onreset}>{ "Reset what-if" }</button>
            </div>
        </section>
    }
}
