//! One row of the event list: its number, type (with its colour), stream and time; a
//! click jumps to the event.

use rewind_session::{ListRow, RowEdit};
use yew::prelude::*;

use crate::components::density::type_colour;
use crate::state::Action;
use crate::time_control::TimeCommand;

/// Props of [`EventRow`].
#[derive(Properties, PartialEq)]
pub struct EventRowProps {
    /// The event.
    pub row: ListRow,
    /// Where the row goes in the scrolled area, in CSS pixels.
    pub top_px: i64,
    /// It is the current event.
    pub current: bool,
    /// The number column's style: as wide as the largest number, no more.
    pub num_width: AttrValue,
    /// Sends an action to the page.
    pub oncommand: Callback<Action>,
}

/// The row.
#[function_component(EventRow)]
pub fn event_row(props: &EventRowProps) -> Html {
    let row = &props.row;
    let position = row.position as isize;
    let onclick = props
        .oncommand
        .reform(move |_: MouseEvent| Action::Time(TimeCommand::SetPosition(position)));
    let current = props.current;
    let (edit_class, edit_note) = match row.edit {
        Some(RowEdit::Skipped) => (Some("skipped-edit"), " (skipped by what-if)"),
        Some(RowEdit::Replaced) => (Some("replaced-edit"), " (edited by what-if)"),
        None => (None, ""),
    };
    html! {
        <div class={classes!("event-row", current.then_some("current"), edit_class)} role="listitem"
            style={format!("top: {}px", props.top_px)}
            aria-current={current.then_some("step")}>
            <button type="button" {onclick}>
                <span class="num" style={props.num_width.clone()}>{ row.position as usize + 1 }</span>
                <span class="swatch" style={format!("background: {}", type_colour(row.kind))}></span>
                <span class="event-type" title={format!("{}{edit_note}", row.type_name)}>{ row.type_name.clone() }</span>
                if !edit_note.is_empty() { <span class="visually-hidden">{ edit_note }</span> }
                <span class="stream muted" title={row.stream.clone()}>{ row.stream.clone() }</span>
                <span class="time muted">{ row.time.clone() }</span>
            </button>
        </div>
    }
}
