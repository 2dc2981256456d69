//! **Compare with original**: what the edits changed in the state at the current
//! position, listed as the Diff region lists changes.

use rewind_session::{Comparison, CHANGES_SHOWN};
use yew::prelude::*;

use crate::components::diff_view::{change_values, op_mark};

/// Props of [`Compared`].
#[derive(Properties, PartialEq)]
pub struct ComparedProps {
    /// The changes from the original state to the edited one.
    pub comparison: Comparison,
    /// The position shown.
    pub position: isize,
    /// Whose state is compared ("State", or a read model's name).
    #[prop_or(AttrValue::Static("State"))]
    pub of: AttrValue,
}

/// The comparison's changes, or that there is none.
#[function_component(Compared)]
pub fn compared(props: &ComparedProps) -> Html {
    let c = &props.comparison;
    let at = if props.position >= 0 {
        format!("after event {}", props.position + 1)
    } else {
        "before the first event".to_string()
    };
    html! {
        <div class="whatif-compare" aria-label={format!("{} compared with the original", props.of)}>
            <h3>{ format!("{} as edited, against the original, {at}", props.of) }</h3>
            if c.changes.is_empty() {
                <p class="muted">{ "No difference here." }</p>
            } else {
                <ul class="changes">
                    { for c.changes.iter().map(|row| {
                        let (sym, class) = op_mark(row.op);
                        html! {
                            <li class={classes!("change", class)}>
                                <span class="op" title={class}>{ sym }</span>
                                <span class="pointer">{ row.path.clone() }</span>
                                { change_values(row) }
                            </li>
                        }
                    }) }
                </ul>
                if c.total > CHANGES_SHOWN {
                    <p class="muted">{ format!("and {} more", c.total - CHANGES_SHOWN) }</p>
                }
            }
        </div>
    }
}
