//! The density strip above the slider: where each event type occurs (colour by dominant
//! type), where failed events are (red mark) and where filter hits are (dot).

use std::rc::Rc;

use rewind_core::session::Summary;
use rewind_core::view::Bucket;
use yew::prelude::*;

use crate::state::Action;
use crate::time_control::TimeCommand;

/// Props of [`Density`].
#[derive(Properties, PartialEq)]
pub struct DensityProps {
    /// The open log.
    pub log: Rc<Summary>,
    /// The strip's slices, from the worker.
    pub buckets: Rc<Vec<Bucket>>,
    /// Current position.
    pub position: isize,
    /// Sends an action to the page (a click jumps there).
    pub oncommand: Callback<Action>,
}

/// A stable colour for a type index, spread around the hue circle.
pub fn type_colour(kind: u32) -> String {
    let hue = (kind as u64 * 137 + 200) % 360;
    format!("hsl({hue} 65% 52%)")
}

/// The strip.
#[function_component(Density)]
pub fn density_strip(props: &DensityProps) -> Html {
    let buckets = &props.buckets;
    let n = props.log.events.max(1);
    html! {
        <div class="density" aria-hidden="true">
            { for buckets.iter().map(|b| {
                let current = props.position >= b.start as isize && (props.position as usize) < b.start + b.count;
                let title = format!("events {}–{}: mostly {}{}", b.start + 1, b.start + b.count,
                    props.log.types.get(b.kind as usize).map_or("(untyped)", String::as_str),
                    if b.failed { " · has failed events" } else { "" });
                let start = b.start as isize;
                let onclick = props.oncommand.reform(move |_: MouseEvent| Action::Time(TimeCommand::SetPosition(start)));
                html! {
                    <span class={classes!("bucket", b.failed.then_some("failed"), b.hit.then_some("hit"), current.then_some("current"))}
                        style={format!("flex-grow: {}; background: {}", b.count * 1000 / n + 1, type_colour(b.kind))}
                        {title} {onclick}></span>
                }
            }) }
        </div>
    }
}
