//! One line of a state tree: a node (twisty, key, summary) or a "Show more" button.

use yew::prelude::*;

use super::{Tree, TreeCommand};

/// Props of [`TreeLine`]: the tree and which of its rows (the tree is shared, not copied).
#[derive(Properties)]
pub struct TreeLineProps {
    /// What is on screen.
    pub tree: Tree,
    /// Which of its rows this line shows.
    pub index: usize,
    /// The line's field is the selected one.
    pub selected: bool,
    /// Hears a node toggled, selected or asked for more children.
    pub oncommand: Callback<TreeCommand>,
}

impl PartialEq for TreeLineProps {
    /// Equal when the line shows the same: a new frame whose row reads the same is not
    /// drawn again, so a drag redraws only the lines that changed.
    fn eq(&self, other: &Self) -> bool {
        self.selected == other.selected
            && self.oncommand == other.oncommand
            && self.tree.rows().get(self.index) == other.tree.rows().get(other.index)
    }
}

/// One line of the state tree: a node (twisty, key, summary) or a "Show more" button.
#[function_component(TreeLine)]
pub fn tree_line(props: &TreeLineProps) -> Html {
    let Some(row) = props.tree.rows().get(props.index) else {
        return Html::default();
    };
    let indent = format!("padding-left: {}px", row.depth * 16);
    if let Some(hidden) = row.more {
        let onmore = props.oncommand.reform({
            let p = row.pointer.clone();
            move |_: MouseEvent| TreeCommand::More(p.clone())
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
        move |_: MouseEvent| TreeCommand::Toggle(p.clone())
    });
    let onselect = props.oncommand.reform({
        let p = pointer.clone();
        move |_: MouseEvent| TreeCommand::Select(p.clone())
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
