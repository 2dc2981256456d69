//! The density strip above the slider: where each event type occurs (colour by dominant
//! type), where failed events are (red mark below), where events failed in a read model
//! (purple mark above), where filter hits are (dot), where lines could not be read (a
//! gap mark) and where what-if edits change events (an amber frame).

use std::rc::Rc;

use rewind_session::Bucket;
use rewind_session::Summary;
use yew::prelude::*;

use crate::components::soon::use_soon;
use crate::state::Action;
use crate::time_control::TimeCommand;

/// Props of [`Density`].
#[derive(Properties, PartialEq)]
pub struct DensityProps {
    /// The open log.
    pub log: Rc<Summary>,
    /// The strip's slices, from the worker.
    pub buckets: Rc<Vec<Bucket>>,
    /// The read models' failed events in each slice.
    #[prop_or_default]
    pub model_failures: Rc<Vec<u32>>,
    /// Positions of the events the what-if edits change, ascending.
    #[prop_or_default]
    pub edited: Rc<Vec<u32>>,
    /// Current position.
    pub position: isize,
    /// Sends an action to the page (a click jumps there).
    pub oncommand: Callback<Action>,
}

/// A stable colour for a type index, spread around the hue circle.
pub fn type_colour(type_index: u32) -> String {
    let hue = (type_index as u64 * 137 + 200) % 360;
    format!("hsl({hue} 65% 52%)")
}

/// How wide a slice is drawn (its CSS `flex-grow`): its share of the `n` events, and at
/// least a sliver.
fn width(b: &Bucket, n: usize) -> usize {
    b.count * 1000 / n + 1
}

/// The strip, and a mark at the current position.
#[function_component(Density)]
pub fn density_strip(props: &DensityProps) -> Html {
    // The mark goes where the position falls in its slice.
    let n = props.log.events.max(1);
    let grow = |b: &Bucket| width(b, n) as f64;
    let total: f64 = props.buckets.iter().map(grow).sum();
    let p = props.position.max(0) as usize;
    let before: f64 = props
        .buckets
        .iter()
        .map(|b| {
            if p >= b.start + b.count {
                grow(b)
            } else if p >= b.start {
                grow(b) * (p - b.start) as f64 / b.count.max(1) as f64
            } else {
                0.0
            }
        })
        .sum();
    let left = (before / total.max(1.0) * 1000.0).round() as i64;
    html! {
        <div class="density-wrap">
            <DensityBars log={props.log.clone()} buckets={props.buckets.clone()} model_failures={props.model_failures.clone()} edited={props.edited.clone()} oncommand={props.oncommand.clone()} />
            <span class="density-mark" aria-hidden="true" style={format!("left: calc({}.{}% - 1px)", left / 10, left % 10)}></span>
        </div>
    }
}

/// Props of [`DensityBars`].
#[derive(Properties, PartialEq)]
struct DensityBarsProps {
    log: Rc<Summary>,
    buckets: Rc<Vec<Bucket>>,
    model_failures: Rc<Vec<u32>>,
    edited: Rc<Vec<u32>>,
    oncommand: Callback<Action>,
}

/// The slices; drawn again only when they change (not at every position). One click
/// handler for the strip reads which slice was clicked, so a redraw registers no handler
/// per slice.
#[function_component(DensityBars)]
fn density_bars(props: &DensityBarsProps) -> Html {
    let n = props.log.events.max(1);
    // The 240 slices are drawn just after the strip first appears, in a task of their own.
    if !use_soon() {
        return html! { <div class="density" aria-hidden="true"></div> };
    }
    let onclick = {
        let oncommand = props.oncommand.clone();
        Callback::from(move |e: MouseEvent| {
            let start = e
                .target_dyn_into::<web_sys::Element>()
                .and_then(|el| el.get_attribute("data-start"))
                .and_then(|s| s.parse::<isize>().ok());
            if let Some(start) = start {
                oncommand.emit(Action::Time(TimeCommand::SetPosition(start)));
            }
        })
    };
    html! {
        <div class="density" aria-hidden="true" {onclick}>
            { for props.buckets.iter().enumerate().map(|(i, b)| {
                let in_models = props.model_failures.get(i).copied().unwrap_or(0);
                let edited = {
                    let from = props.edited.partition_point(|&p| (p as usize) < b.start);
                    props.edited.get(from).is_some_and(|&p| (p as usize) < b.start + b.count)
                };
                let title = format!("events {}–{}: mostly {}{}{}{}{}", b.start + 1, b.start + b.count,
                    props.log.types.get(b.kind as usize).map_or("(untyped)", String::as_str),
                    if b.failed { " · has failed events" } else { "" },
                    if in_models > 0 { format!(" · {in_models} failed in read models") } else { String::new() },
                    if b.gap { " · has lines that could not be read" } else { "" },
                    if edited { " · has events edited by what-if" } else { "" });
                html! {
                    <span class={classes!("bucket", b.failed.then_some("failed"), b.hit.then_some("hit"), b.gap.then_some("gap"), (in_models > 0).then_some("model-failed"), edited.then_some("edited"))}
                        style={format!("flex-grow: {}; background: {}", width(b, n), type_colour(b.kind))}
                        data-start={b.start.to_string()}
                        {title}></span>
                }
            }) }
        </div>
    }
}
