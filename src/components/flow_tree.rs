//! The flow's causation tree, across streams: shown while the event list shows a flow
//! (**Show flow**). A compact indented tree (ARIA `tree`): ↑ ↓ move between its events,
//! → ← between an event and its first effect or its cause, Enter goes to the event.

use rewind_core::FlowKeys;
use rewind_session::{EventFilter, FlowTreeRow, Reply, Request};
use web_sys::HtmlElement;
use yew::prelude::*;

use crate::backend::Backend;
use crate::state::Action;
use crate::time_control::TimeCommand;

/// Props of [`FlowTree`].
#[derive(Properties, PartialEq)]
pub struct FlowTreeProps {
    /// The event whose flow is shown.
    pub of: u32,
    /// The current position (its row is marked).
    pub position: isize,
    /// Where events name their correlation and causation.
    pub keys: FlowKeys,
    /// Sends an action to the page.
    pub oncommand: Callback<Action>,
}

/// Which row a key moves to from row `i`: the next or previous, the parent or the first
/// child.
fn move_to(rows: &[FlowTreeRow], i: usize, key: &str) -> Option<usize> {
    match key {
        "ArrowDown" => (i + 1 < rows.len()).then_some(i + 1),
        "ArrowUp" => i.checked_sub(1),
        "Home" => Some(0),
        "End" => rows.len().checked_sub(1),
        "ArrowRight" => rows
            .get(i + 1)
            .filter(|r| r.depth == rows[i].depth + 1)
            .map(|_| i + 1),
        "ArrowLeft" => (0..i).rev().find(|&j| rows[j].depth + 1 == rows[i].depth),
        _ => None,
    }
}

/// The panel.
#[function_component(FlowTree)]
pub fn flow_tree(props: &FlowTreeProps) -> Html {
    let backend = use_context::<Backend>();
    let rows = use_state(Vec::<FlowTreeRow>::new);
    let focused = use_state(|| None::<usize>);
    let list = use_node_ref();
    {
        let (rows, backend) = (rows.clone(), backend.clone());
        use_effect_with((props.of, props.keys.clone()), move |(of, keys)| {
            if let Some(backend) = backend {
                let request = Request::FlowTree {
                    position: *of as isize,
                    keys: keys.clone(),
                };
                backend.ask(request, move |reply| {
                    if let Reply::FlowTree(r) = reply {
                        rows.set(r);
                    }
                });
            }
        });
    }
    let current = rows
        .iter()
        .position(|r| r.link.position as isize == props.position);
    let active = focused.or(current).unwrap_or(0);
    let onkeydown = {
        let (rows, focused, list, oncommand) = (
            rows.clone(),
            focused.clone(),
            list.clone(),
            props.oncommand.clone(),
        );
        Callback::from(move |e: KeyboardEvent| {
            if e.key() == "Enter" || e.key() == " " {
                if let Some(r) = rows.get(active) {
                    e.prevent_default();
                    oncommand.emit(Action::Time(TimeCommand::SetPosition(
                        r.link.position as isize,
                    )));
                }
                return;
            }
            if let Some(next) = move_to(&rows, active, &e.key()) {
                e.prevent_default();
                focused.set(Some(next));
                if let Some(el) = list
                    .cast::<HtmlElement>()
                    .and_then(|l| {
                        l.query_selector(&format!("[data-row=\"{next}\"]"))
                            .ok()
                            .flatten()
                    })
                    .and_then(|el| wasm_bindgen::JsCast::dyn_into::<HtmlElement>(el).ok())
                {
                    let _ = el.focus();
                }
            }
        })
    };
    let onclose = props.oncommand.reform(|_: MouseEvent| {
        Action::EditFilter(std::rc::Rc::new(|f: &mut EventFilter| f.flow = None))
    });
    html! {
        <section class="panel flow-tree" aria-label="Flow">
            <h2>{ "Flow " }<span class="muted">{ format!("of event {}", props.of + 1) }</span></h2>
            <div class="tools">
                <button type="button" class="button small" onclick={onclose}>{ "Stop showing flow" }</button>
            </div>
            if rows.is_empty() {
                <p class="muted">{ "This event has no cause or effect in the log." }</p>
            } else {
                <ul role="tree" aria-label="Causation tree" ref={list} {onkeydown}>
                    { for rows.iter().enumerate().map(|(i, r)| {
                        let p = r.link.position as isize;
                        let onclick = {
                            let (oncommand, focused) = (props.oncommand.clone(), focused.clone());
                            Callback::from(move |_: MouseEvent| {
                                focused.set(Some(i));
                                oncommand.emit(Action::Time(TimeCommand::SetPosition(p)));
                            })
                        };
                        let is_current = p == props.position;
                        html! {
                            <li role="treeitem" aria-level={(r.depth + 1).to_string()} aria-selected={is_current.to_string()}
                                tabindex={if i == active { "0" } else { "-1" }} data-row={i.to_string()}
                                class={classes!("flow-row", is_current.then_some("current"))}
                                style={format!("padding-left: {}em", r.depth as f64 * 1.2)} {onclick}>
                                { format!("{} · {}", p + 1, r.link.label) }
                                if r.cycle { <span class="muted">{ " (back round a cycle: not followed)" }</span> }
                            </li>
                        }
                    }) }
                </ul>
            }
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rewind_session::FlowLink;

    fn row(depth: usize) -> FlowTreeRow {
        FlowTreeRow {
            link: FlowLink {
                position: 0,
                label: String::new(),
            },
            depth,
            cycle: false,
        }
    }

    #[test]
    fn keys_move_between_rows_causes_and_effects() {
        let rows = [row(0), row(1), row(2), row(1), row(0)];
        assert_eq!(move_to(&rows, 0, "ArrowDown"), Some(1));
        assert_eq!(move_to(&rows, 4, "ArrowDown"), None);
        assert_eq!(move_to(&rows, 0, "ArrowUp"), None);
        assert_eq!(move_to(&rows, 1, "ArrowRight"), Some(2));
        assert_eq!(move_to(&rows, 2, "ArrowRight"), None);
        assert_eq!(move_to(&rows, 3, "ArrowLeft"), Some(0));
        assert_eq!(move_to(&rows, 2, "ArrowLeft"), Some(1));
        assert_eq!(move_to(&rows, 0, "End"), Some(4));
    }
}
