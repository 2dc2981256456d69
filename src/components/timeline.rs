//! The timeline: the density strip, the slider over every position, play/pause with a
//! speed, a position box and a time box.

use std::rc::Rc;

use rewind_session::Bucket;
use rewind_session::{Reply, Request, Summary};
use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

use crate::backend::Backend;
use crate::components::density::Density;
use crate::components::draft::{on_type, use_draft};
use crate::state::Action;
use crate::time_control::{TimeCommand, TimeControl};

/// Props of [`Timeline`].
#[derive(Properties, PartialEq)]
pub struct TimelineProps {
    /// Where the timeline is.
    pub time: TimeControl,
    /// Type of the current event, if any.
    pub event_type: Option<AttrValue>,
    /// The open log (for the density strip); absent in component tests.
    #[prop_or_default]
    pub log: Option<Rc<Summary>>,
    /// The density strip.
    #[prop_or_default]
    pub density: Rc<Vec<Bucket>>,
    /// The read models' failed events per slice of the density strip.
    #[prop_or_default]
    pub model_failures: Rc<Vec<u32>>,
    /// Positions of the events the what-if edits change.
    #[prop_or_default]
    pub edited: Rc<Vec<u32>>,
    /// Playing forward.
    #[prop_or_default]
    pub playing: bool,
    /// Events per second while playing.
    #[prop_or(crate::state::DEFAULT_SPEED)]
    pub speed: u32,
    /// Sends an action to the page.
    pub oncommand: Callback<Action>,
}

/// What a key pressed on the timeline does: ←/→ one event, Shift ten, PgUp/PgDn a
/// hundred, Home/End the ends, Space play or pause.
pub fn key_action(key: &str, shift: bool) -> Option<Action> {
    let step = |n: isize| Some(Action::Time(TimeCommand::Step(n)));
    match key {
        "ArrowRight" if shift => step(10),
        "ArrowLeft" if shift => step(-10),
        "ArrowRight" => step(1),
        "ArrowLeft" => step(-1),
        "PageDown" => step(100),
        "PageUp" => step(-100),
        "Home" => Some(Action::Time(TimeCommand::Start)),
        "End" => Some(Action::Time(TimeCommand::End)),
        " " => Some(Action::TogglePlay),
        _ => None,
    }
}

/// The "Jump to time" box's change: the worker finds the last event at or before the
/// time typed; a time that does not read as one says so, with `example`.
#[hook]
fn use_jump_to_time(oncommand: &Callback<Action>, example: &str) -> Callback<Event> {
    let backend = use_context::<Backend>();
    let cb = oncommand.clone();
    let example = example.to_string();
    Callback::from(move |e: Event| {
        let input: HtmlInputElement = e.target_unchecked_into();
        let text = input.value();
        let Some(backend) = &backend else { return };
        match rewind_core::fields::parse_rfc3339_millis(text.trim()) {
            Some(ms) => {
                let cb = cb.clone();
                backend.ask(Request::PositionAtTime(ms), move |reply| {
                    if let Reply::Position(p) = reply {
                        cb.emit(Action::Time(TimeCommand::SetPosition(p)));
                    }
                })
            }
            None => input.set_custom_validity(&format!("Use a date and time such as {example}")),
        }
        input.report_validity();
        input.set_custom_validity("");
    })
}

/// The slider labelled "Timeline" (value 0 = before the first event, N = the last event).
#[function_component(Timeline)]
pub fn timeline(props: &TimelineProps) -> Html {
    let time = props.time;
    let oninput = props.oncommand.reform(|e: InputEvent| {
        let input: HtmlInputElement = e.target_unchecked_into();
        let shown: isize = input.value().parse().unwrap_or(0);
        Action::Time(TimeCommand::SetPosition(shown - 1))
    });
    let onkeydown = {
        let cb = props.oncommand.clone();
        Callback::from(move |e: KeyboardEvent| {
            if let Some(action) = key_action(&e.key(), e.shift_key()) {
                // The slider's own steps differ (PgUp/PgDn move 10%): ours are documented.
                e.prevent_default();
                e.stop_propagation();
                cb.emit(action);
            }
        })
    };
    let onplay = props.oncommand.reform(|_: MouseEvent| Action::TogglePlay);
    let onspeed = props.oncommand.reform(|e: Event| {
        let select: HtmlSelectElement = e.target_unchecked_into();
        Action::Speed(
            select
                .value()
                .parse()
                .unwrap_or(crate::state::DEFAULT_SPEED),
        )
    });
    let goto = use_draft(time.display_number().to_string());
    let ongoto = props.oncommand.reform(|e: Event| {
        let input: HtmlInputElement = e.target_unchecked_into();
        let shown: isize = input.value().trim().parse().unwrap_or(0);
        Action::Time(TimeCommand::SetPosition(shown - 1))
    });
    // A time inside the log shows what to type (its first event's time).
    let example = props
        .log
        .as_ref()
        .and_then(|l| l.time_hint.clone())
        .unwrap_or_else(|| "2026-03-01 12:00".to_string());
    let onjump = use_jump_to_time(&props.oncommand, &example);
    let label = format!("Event {} of {}", time.display_number(), time.len());
    let speeds = [1u32, 4, 10, 50, 200];
    html! {
        <section class="timeline" aria-label="Timeline">
            <div class="timeline-head">
                <output class="position" aria-live="polite">{ label.clone() }</output>
                if let Some(t) = &props.event_type {
                    <span class="event-type">{ t.clone() }</span>
                } else {
                    <span class="event-type muted">{ "before the first event" }</span>
                }
                <span class="spacer"></span>
                <button type="button" class="button small" onclick={onplay} aria-pressed={props.playing.to_string()}
                    title="Play or pause (Space)">
                    { if props.playing { "Pause" } else { "Play" } }
                </button>
                <label class="inline">{ "Speed " }
                    <select onchange={onspeed} aria-label="Speed">
                        { for speeds.iter().map(|&s| html! {
                            <option value={s.to_string()} selected={s == props.speed}>{ format!("{s} events/s") }</option>
                        }) }
                    </select>
                </label>
                <label class="inline">{ "Go to event " }
                    <input type="number" class="goto" min="0" max={time.len().to_string()}
                        value={(*goto).clone()} oninput={on_type(&goto)} onchange={ongoto} aria-label="Go to event" />
                </label>
                <label class="inline">{ "Jump to time " }
                    <input type="text" class="jump" placeholder={example} onchange={onjump} aria-label="Jump to time" />
                </label>
            </div>
            if let Some(log) = &props.log {
                <Density log={log.clone()} buckets={props.density.clone()} model_failures={props.model_failures.clone()} edited={props.edited.clone()} position={time.position()} oncommand={props.oncommand.clone()} />
            }
            <input type="range" class="slider" aria-label="Timeline" aria-valuetext={label}
                min="0" max={time.len().to_string()} step="1"
                value={time.display_number().to_string()} {oninput} {onkeydown} />
            <p class="keys muted">{ "← → one event · Shift ten · PgUp PgDn a hundred · Home End · Space plays" }</p>
        </section>
    }
}
