//! The State region: a collapsible tree of the state at the current position. Only
//! expanded nodes are built; the nodes the current event changed are highlighted; a
//! selected field can be copied as JSON or as a pointer.

use std::rc::Rc;

use rewind_core::view::{changed_nodes, search, subtree_rows};
use rewind_core::{Change, Pointer};
use web_sys::HtmlInputElement;
use yew::prelude::*;

use crate::components::json_text::JsonText;
use crate::state::{Action, OpenLog};

/// Props of [`StateTree`].
#[derive(Properties, PartialEq)]
pub struct StateTreeProps {
    /// The open log.
    pub log: Rc<OpenLog>,
    /// Current position.
    pub position: isize,
    /// Expanded pointers.
    pub expanded: Rc<std::collections::HashSet<String>>,
    /// Selected pointer.
    pub selected: Option<String>,
    /// What the current event changed (highlighted).
    pub changes: Rc<Vec<Change>>,
    /// Children listed per node where more were asked for.
    #[prop_or_default]
    pub shown: Rc<rewind_core::view::Shown>,
    /// Show only this stream's state (the event list's stream filter).
    #[prop_or_default]
    pub focus: Option<String>,
    /// Sends an action to the page.
    pub oncommand: Callback<Action>,
}

/// Writes `text` to the clipboard (the browser asks nothing for a click's own copy).
fn copy(text: String) {
    let clipboard = gloo::utils::window().navigator().clipboard();
    let _ = clipboard.write_text(&text);
}

/// The state tree.
#[function_component(StateTree)]
pub fn state_tree(props: &StateTreeProps) -> Html {
    let as_json = use_state(|| false);
    let changed = use_memo(props.changes.clone(), |changes| changed_nodes(changes));
    let rows = use_memo(
        (
            props.log.clone(),
            props.position,
            props.expanded.clone(),
            changed.clone(),
            props.focus.clone(),
            props.shown.clone(),
        ),
        |(log, p, expanded, changed, focus, shown)| {
            let root = focus
                .as_deref()
                .map_or_else(Pointer::root, |s| Pointer::root().child(s));
            let mut expanded = (**expanded).clone();
            expanded.insert(root.to_string());
            subtree_rows(&log.replay, *p, &root, &expanded, changed, shown)
        },
    );
    // Search in keys and values: hits and which one is shown.
    let hits = use_state(|| (String::new(), Vec::<String>::new(), 0usize));
    let onsearch = {
        let hits = hits.clone();
        let log = props.log.clone();
        let position = props.position;
        let cb = props.oncommand.clone();
        Callback::from(move |e: KeyboardEvent| {
            if e.key() != "Enter" {
                return;
            }
            let input: HtmlInputElement = e.target_unchecked_into();
            let query = input.value();
            let found = search(&log.replay.state_at(position), &query, 1000);
            if let Some(first) = found.first() {
                cb.emit(Action::Reveal(first.clone()));
            }
            hits.set((query, found, 0));
        })
    };
    let step_hit = |delta: isize| {
        let hits = hits.clone();
        let cb = props.oncommand.clone();
        Callback::from(move |_: MouseEvent| {
            let (query, found, i) = (*hits).clone();
            if found.is_empty() {
                return;
            }
            let n = found.len() as isize;
            let next = ((i as isize + delta).rem_euclid(n)) as usize;
            cb.emit(Action::Reveal(found[next].clone()));
            hits.set((query, found, next));
        })
    };
    let (query, found, hit) = (*hits).clone();
    {
        // Bring the selected node into view (after a search or a URL).
        let selected = props.selected.clone();
        use_effect_with((selected, rows.clone()), move |(selected, _)| {
            if let Some(p) = selected {
                let selector = format!(
                    "[data-pointer=\"{}\"]",
                    p.replace('\\', "\\\\").replace('"', "\\\"")
                );
                if let Ok(Some(el)) = gloo::utils::document().query_selector(&selector) {
                    let options = web_sys::ScrollIntoViewOptions::new();
                    options.set_block(web_sys::ScrollLogicalPosition::Nearest);
                    el.scroll_into_view_with_scroll_into_view_options(&options);
                }
            }
        });
    }
    let caption = if props.position < 0 {
        "before the first event".to_string()
    } else {
        format!("after event {}", props.position + 1)
    };
    let selected_value = props.selected.as_ref().and_then(|s| {
        let ptr = Pointer::parse(s).ok()?;
        props.log.replay.get(props.position, &ptr)
    });
    let copy_json = {
        let text = selected_value
            .as_ref()
            .map(|v| v.to_pretty_string())
            .unwrap_or_default();
        Callback::from(move |_: MouseEvent| copy(text.clone()))
    };
    let copy_pointer = {
        let text = props.selected.clone().unwrap_or_default();
        Callback::from(move |_: MouseEvent| copy(text.clone()))
    };
    let show_tree = {
        let as_json = as_json.clone();
        Callback::from(move |_: MouseEvent| as_json.set(false))
    };
    let show_json = {
        let as_json = as_json.clone();
        Callback::from(move |_: MouseEvent| as_json.set(true))
    };
    let json_text = as_json
        .then(|| AttrValue::from(props.log.replay.state_at(props.position).to_pretty_string()));
    html! {
        <section class="panel state" aria-label="State">
            <h2>{ "State " }<span class="muted">{ caption }</span>
                <span class="spacer"></span>
                <span class="segmented" role="group" aria-label="State view">
                    <button type="button" class="button small" aria-pressed={(!*as_json).to_string()} onclick={show_tree}>{ "Tree" }</button>
                    <button type="button" class="button small" aria-pressed={as_json.to_string()} onclick={show_json}>{ "JSON" }</button>
                </span>
            </h2>
            <div class="tree-search">
                <input type="search" placeholder="Search keys and values, then Enter" aria-label="Search state" onkeydown={onsearch} />
                <button type="button" class="button small" onclick={step_hit(-1)} disabled={found.is_empty()} aria-label="Previous match">{ "↑" }</button>
                <button type="button" class="button small" onclick={step_hit(1)} disabled={found.is_empty()} aria-label="Next match">{ "↓" }</button>
                if !query.is_empty() {
                    <span class="muted hits" aria-live="polite">{
                        if found.is_empty() { "no match".to_string() } else { format!("{} of {}{}", hit + 1, found.len(), if found.len() >= 1000 { "+" } else { "" }) }
                    }</span>
                }
            </div>
            if let Some(json) = json_text {
                <JsonText {json} />
            } else {
            <div class="tree-tools">
                if let Some(sel) = &props.selected {
                    <code class="selected-pointer" title="Selected field">{ if sel.is_empty() { "(root)" } else { sel.as_str() } }</code>
                    <button type="button" class="button small" onclick={copy_json} disabled={selected_value.is_none()}>{ "Copy JSON" }</button>
                    <button type="button" class="button small" onclick={copy_pointer}>{ "Copy pointer" }</button>
                } else {
                    <span class="muted">{ "Click a field to see every event that changed it." }</span>
                }
            </div>
            <div class="tree" role="tree" aria-label="State tree">
                { for rows.iter().map(|row| {
                    let indent = format!("padding-left: {}px", row.depth * 16);
                    if let Some(hidden) = row.more {
                        let onmore = props.oncommand.reform({ let p = row.pointer.clone(); move |_: MouseEvent| Action::ShowMore(p.clone()) });
                        return html! {
                            <div class="row more" style={indent}>
                                <button type="button" class="button small" onclick={onmore}>
                                    { format!("Show {} more ({hidden} not shown)", rewind_core::view::CHILDREN_SHOWN.min(hidden)) }
                                </button>
                            </div>
                        };
                    }
                    let pointer = row.pointer.clone();
                    let ontoggle = props.oncommand.reform({ let p = pointer.clone(); move |_: MouseEvent| Action::Toggle(p.clone()) });
                    let onselect = props.oncommand.reform({ let p = pointer.clone(); move |_: MouseEvent| Action::Select(p.clone()) });
                    let selected = props.selected.as_deref() == Some(pointer.as_str());
                    html! {
                        <div class={classes!("row", row.changed.then_some("changed"), selected.then_some("selected"))}
                            role="treeitem" aria-expanded={row.expandable.then(|| row.expanded.to_string())}
                            aria-selected={selected.to_string()} data-pointer={pointer.clone()} style={indent}>
                            if row.expandable {
                                <button type="button" class="twisty" onclick={ontoggle}
                                    aria-label={format!("{} {}", if row.expanded { "Collapse" } else { "Expand" }, row.key)}>
                                    { if row.expanded { "▾" } else { "▸" } }
                                </button>
                            } else {
                                <span class="twisty"></span>
                            }
                            <button type="button" class="key" onclick={onselect}>{ row.key.clone() }</button>
                            <span class="summary">{ row.summary.clone() }</span>
                        </div>
                    }
                }) }
            </div>
            }
        </section>
    }
}
