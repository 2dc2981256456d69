//! The State region: a collapsible tree of the state at the current position. Only
//! expanded nodes are built; the nodes the current event changed are highlighted; a
//! selected field can be copied as JSON or as a pointer; the whole state can be read as
//! JSON text instead.

mod line;
mod search;
mod tools;

use std::rc::Rc;

use rewind_session::{Frame, ModelPanel, Reply, Request, TreeRow};
use yew::prelude::*;

use self::line::TreeLine;
pub use self::search::{Find, TreeSearch};
pub use self::tools::{FetchJson, SelectedTools};
use crate::backend::Backend;
use crate::components::json_text::JsonText;
use crate::state::{Action, AppHandle};

/// The rows of a state tree, as the worker sent them (shared, not copied): the log's
/// state, or a read model's.
#[derive(Clone)]
pub enum Tree {
    /// The State region's tree.
    Log(Rc<Frame>),
    /// A read model's tree.
    Model(Rc<ModelPanel>),
}

impl Tree {
    /// The visible rows.
    pub fn rows(&self) -> &[TreeRow] {
        match self {
            Tree::Log(f) => &f.tree,
            Tree::Model(p) => &p.tree,
        }
    }
}

/// What a click on a tree's line asks.
#[derive(Clone, Debug, PartialEq)]
pub enum TreeCommand {
    /// Expand or collapse a node.
    Toggle(String),
    /// List more children of a node.
    More(String),
    /// Select a field.
    Select(String),
}

/// The lines of `tree`, labelled `label`; `selected` is the selected field.
pub fn tree_lines(
    tree: &Tree,
    label: &str,
    selected: Option<&str>,
    oncommand: &Callback<TreeCommand>,
) -> Html {
    let rows = tree.rows();
    html! {
        <div class="tree" role="tree" aria-label={label.to_string()}>
            // Rows are not keyed: the tree at another position is drawn over the rows
            // already on the page, and a row whose line did not change is not drawn.
            { for (0..rows.len()).map(|index| html! {
                <TreeLine tree={tree.clone()} {index}
                    selected={selected == Some(rows[index].pointer.as_str())}
                    oncommand={oncommand.clone()} />
            }) }
        </div>
    }
}

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

/// Which state a JSON text is of: its position, and the log it is of (a log opened again
/// with other fields has other states), by the address of its summary.
type StateOf = (isize, usize);

/// The whole state as text, asked of the worker only while `shown`: the text, and which
/// state it is of.
#[hook]
fn use_state_json(shown: bool, of: StateOf) -> Option<(StateOf, AttrValue)> {
    let json = use_state(|| None::<(StateOf, AttrValue)>);
    let backend = use_context::<Backend>();
    {
        let json = json.clone();
        use_effect_with((shown, of), move |&(shown, of)| {
            if let (true, Some(backend)) = (shown, backend) {
                backend.ask(Request::StateJson { position: of.0 }, move |reply| {
                    if let Reply::Text(Some(text)) = reply {
                        json.set(Some((of, AttrValue::from(text))));
                    }
                });
            }
        });
    }
    (*json).clone()
}

/// Brings the selected node into view (after a search or a URL), once it is drawn.
#[hook]
fn use_selected_in_view(selected: Option<String>, frame: Rc<Frame>) {
    use_effect_with((selected, frame), move |(selected, _)| {
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

/// The state tree, or the state as JSON text.
#[function_component(StateTree)]
pub fn state_tree(props: &StateTreeProps) -> Html {
    let as_json = use_state(|| false);
    let position = props.frame.position;
    let log_id = use_context::<AppHandle>()
        .and_then(|h| h.log.as_ref().map(|l| Rc::as_ptr(l) as usize))
        .unwrap_or_default();
    let of = (position, log_id);
    let json = use_state_json(*as_json, of).filter(|(o, _)| *o == of);
    use_selected_in_view(props.selected.clone(), props.frame.clone());
    let caption = if position < 0 {
        "before the first event".to_string()
    } else {
        format!("after event {}", position + 1)
    };
    let show = |json: bool| {
        let as_json = as_json.clone();
        Callback::from(move |_: MouseEvent| as_json.set(json))
    };
    let tree_command = use_callback(props.oncommand.clone(), |c: TreeCommand, oncommand| {
        oncommand.emit(match c {
            TreeCommand::Toggle(p) => Action::Toggle(p),
            TreeCommand::More(p) => Action::ShowMore(p),
            TreeCommand::Select(p) => Action::Select(p),
        })
    });
    let backend = use_context::<Backend>();
    let find = {
        let backend = backend.clone();
        Callback::from(move |(query, then): (String, Callback<Vec<String>>)| {
            if let Some(backend) = &backend {
                backend.ask(Request::Search { position, query }, move |reply| {
                    if let Reply::Pointers(found) = reply {
                        then.emit(found);
                    }
                });
            }
        })
    };
    let fetch = Callback::from(move |(pointer, then): (String, Callback<String>)| {
        if let Some(backend) = &backend {
            backend.ask(Request::ValueJson { position, pointer }, move |reply| {
                if let Reply::Text(Some(text)) = reply {
                    then.emit(text);
                }
            });
        }
    });
    let onreveal = props.oncommand.reform(Action::Reveal);
    html! {
        <section class="panel state" aria-label="State">
            <h2>{ "State " }<span class="muted">{ caption }</span>
                <span class="spacer"></span>
                <span class="segmented" role="group" aria-label="State view">
                    <button type="button" class="button small" aria-pressed={(!*as_json).to_string()} onclick={show(false)}>{ "Tree" }</button>
                    <button type="button" class="button small" aria-pressed={as_json.to_string()} onclick={show(true)}>{ "JSON" }</button>
                </span>
            </h2>
            <TreeSearch {find} {onreveal} />
            if *as_json {
                if let Some((_, json)) = json {
                    <JsonText {json} />
                } else {
                    <p class="muted">{ "Reading…" }</p>
                }
            } else {
                <SelectedTools selected={props.selected.clone()} exists={props.frame.selected_exists} {fetch} />
                { tree_lines(&Tree::Log(props.frame.clone()), "State tree", props.selected.as_deref(), &tree_command) }
            }
        </section>
    }
}
