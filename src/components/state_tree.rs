//! The State region: a collapsible tree of the state at the current position. Only
//! expanded nodes are built; the nodes the current event changed are highlighted; a
//! selected field can be copied as JSON or as a pointer.

use std::rc::Rc;

use rewind_session::{Frame, Reply, Request};
use web_sys::HtmlInputElement;
use yew::prelude::*;

use crate::backend::Backend;
use crate::components::json_text::JsonText;
use crate::state::Action;
use crate::state::AppHandle;

/// Props of [`StateTree`].
#[derive(Properties, PartialEq)]
pub struct StateTreeProps {
    /// What is on screen (its position and tree rows).
    pub frame: Rc<Frame>,
    /// Selected pointer.
    pub selected: Option<String>,
    /// Sends an action to the page.
    pub oncommand: Callback<Action>,
}

/// Writes `text` to the clipboard (the browser asks nothing for a click's own copy).
/// Then says so in `done` (a person sees "JSON copied").
fn copy(text: String, what: &'static str, done: UseStateHandle<Option<&'static str>>) {
    let clipboard = gloo::utils::window().navigator().clipboard();
    let written = clipboard.write_text(&text);
    wasm_bindgen_futures::spawn_local(async move {
        let ok = wasm_bindgen_futures::JsFuture::from(written).await.is_ok();
        done.set(Some(if ok { what } else { "Could not copy" }));
    });
}

/// The state tree.
#[function_component(StateTree)]
pub fn state_tree(props: &StateTreeProps) -> Html {
    let as_json = use_state(|| false);
    // The whole state as text, with the position and the log it is of (a log opened
    // again with other fields has other states): only shown for those.
    let json = use_state(|| None::<((isize, usize), AttrValue)>);
    let backend = use_context::<Backend>();
    let position = props.frame.position;
    let log_id = use_context::<AppHandle>()
        .and_then(|h| h.log.as_ref().map(|l| Rc::as_ptr(l) as usize))
        .unwrap_or_default();
    let of = (position, log_id);
    let rows = &props.frame.tree;
    {
        // The JSON view asks for the whole state, only while it is shown.
        let json = json.clone();
        let backend = backend.clone();
        use_effect_with((*as_json, of), move |(as_json, of)| {
            let of = *of;
            if let (true, Some(backend)) = (*as_json, backend) {
                backend.ask(Request::StateJson { position: of.0 }, move |reply| {
                    if let Reply::Text(Some(text)) = reply {
                        json.set(Some((of, AttrValue::from(text))));
                    }
                });
            }
        });
    }
    // Search in keys and values: hits and which one is shown.
    let hits = use_state(|| (String::new(), Vec::<String>::new(), 0usize));
    let onsearch = {
        let hits = hits.clone();
        let backend = backend.clone();
        let cb = props.oncommand.clone();
        Callback::from(move |e: KeyboardEvent| {
            if e.key() != "Enter" {
                return;
            }
            let input: HtmlInputElement = e.target_unchecked_into();
            let query = input.value();
            let Some(backend) = &backend else { return };
            let hits = hits.clone();
            let cb = cb.clone();
            let request = Request::Search {
                position,
                query: query.clone(),
            };
            backend.ask(request, move |reply| {
                let Reply::Pointers(found) = reply else {
                    return;
                };
                if let Some(first) = found.first() {
                    cb.emit(Action::Reveal(first.clone()));
                }
                hits.set((query, found, 0));
            });
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
        use_effect_with((selected, props.frame.clone()), move |(selected, _)| {
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
    let caption = if position < 0 {
        "before the first event".to_string()
    } else {
        format!("after event {}", position + 1)
    };
    let copied = use_state(|| None::<&'static str>);
    {
        let copied = copied.clone();
        use_effect_with(props.selected.clone(), move |_| copied.set(None));
    }
    let copy_json = {
        let selected = props.selected.clone();
        let copied = copied.clone();
        Callback::from(move |_: MouseEvent| {
            if let (Some(backend), Some(pointer)) = (&backend, &selected) {
                let request = Request::ValueJson {
                    position,
                    pointer: pointer.clone(),
                };
                let copied = copied.clone();
                backend.ask(request, move |reply| {
                    if let Reply::Text(Some(text)) = reply {
                        copy(text, "JSON copied", copied);
                    }
                });
            }
        })
    };
    let copy_pointer = {
        let text = props.selected.clone().unwrap_or_default();
        let copied = copied.clone();
        Callback::from(move |_: MouseEvent| copy(text.clone(), "Pointer copied", copied.clone()))
    };
    let show_tree = {
        let as_json = as_json.clone();
        Callback::from(move |_: MouseEvent| as_json.set(false))
    };
    let show_json = {
        let as_json = as_json.clone();
        Callback::from(move |_: MouseEvent| as_json.set(true))
    };
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
            if *as_json {
                if let Some((_, json)) = (*json).clone().filter(|(o, _)| *o == of) {
                    <JsonText {json} />
                } else {
                    <p class="muted">{ "Reading…" }</p>
                }
            } else {
            <div class="tree-tools">
                if let Some(sel) = &props.selected {
                    <code class="selected-pointer" title="Selected field">{ if sel.is_empty() { "(root)" } else { sel.as_str() } }</code>
                    <button type="button" class="button small" onclick={copy_json} disabled={!props.frame.selected_exists}>{ "Copy JSON" }</button>
                    <button type="button" class="button small" onclick={copy_pointer}>{ "Copy pointer" }</button>
                    if let Some(what) = *copied {
                        <span class="muted" role="status">{ what }</span>
                    }
                } else {
                    <span class="muted">{ "Click a field to see every event that changed it." }</span>
                }
            </div>
            <div class="tree" role="tree" aria-label="State tree">
                // Rows are not keyed: the tree at another position is drawn over the rows
                // already on the page, and a row whose line did not change is not drawn.
                { for (0..rows.len()).map(|index| html! {
                    <TreeLine frame={props.frame.clone()} {index}
                        selected={props.selected.as_deref() == Some(rows[index].pointer.as_str())}
                        oncommand={props.oncommand.clone()} />
                }) }
            </div>
            }
        </section>
    }
}

/// Props of [`TreeLine`]: the frame and which of its rows (the frame is shared, not copied).
#[derive(Properties)]
struct TreeLineProps {
    frame: Rc<Frame>,
    index: usize,
    selected: bool,
    oncommand: Callback<Action>,
}

impl PartialEq for TreeLineProps {
    /// Equal when the line shows the same: a new frame whose row reads the same is not
    /// drawn again, so a drag redraws only the lines that changed.
    fn eq(&self, other: &Self) -> bool {
        self.selected == other.selected
            && self.oncommand == other.oncommand
            && self.frame.tree.get(self.index) == other.frame.tree.get(other.index)
    }
}

/// One line of the state tree: a node (twisty, key, summary) or a "Show more" button.
#[function_component(TreeLine)]
fn tree_line(props: &TreeLineProps) -> Html {
    let Some(row) = props.frame.tree.get(props.index) else {
        return Html::default();
    };
    let indent = format!("padding-left: {}px", row.depth * 16);
    if let Some(hidden) = row.more {
        let onmore = props.oncommand.reform({
            let p = row.pointer.clone();
            move |_: MouseEvent| Action::ShowMore(p.clone())
        });
        return html! {
            <div class="row more" style={indent}>
                <button type="button" class="button small" onclick={onmore}>
                    { format!("Show {} more ({hidden} not shown)", rewind_session::CHILDREN_SHOWN.min(hidden)) }
                </button>
            </div>
        };
    }
    let pointer = row.pointer.clone();
    let ontoggle = props.oncommand.reform({
        let p = pointer.clone();
        move |_: MouseEvent| Action::Toggle(p.clone())
    });
    let onselect = props.oncommand.reform({
        let p = pointer.clone();
        move |_: MouseEvent| Action::Select(p.clone())
    });
    let selected = props.selected;
    html! {
        <div class={classes!("row", row.changed.then_some("changed"), selected.then_some("selected"))}
            role="treeitem" aria-expanded={row.expandable.then(|| row.expanded.to_string())}
            aria-selected={selected.to_string()} data-pointer={pointer} style={indent}>
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
}
