//! Searching the state's keys and values: Enter asks the worker for the matches, ↑ / ↓
//! reveal the previous and next one.

use rewind_session::{Reply, Request};
use web_sys::HtmlInputElement;
use yew::prelude::*;

use crate::backend::Backend;
use crate::state::Action;

/// Props of [`TreeSearch`].
#[derive(Properties, PartialEq)]
pub struct TreeSearchProps {
    /// The position whose state is searched.
    pub position: isize,
    /// Sends an action to the page (a match is revealed).
    pub oncommand: Callback<Action>,
}

/// The last search: its words, the pointers found, and which of them is shown.
#[derive(Clone, Default, PartialEq)]
struct Hits {
    query: String,
    found: Vec<String>,
    shown: usize,
}

/// The search box, its ↑ / ↓ buttons and how many matched.
#[function_component(TreeSearch)]
pub fn tree_search(props: &TreeSearchProps) -> Html {
    let backend = use_context::<Backend>();
    let hits = use_state(Hits::default);
    let position = props.position;
    let onsearch = {
        let hits = hits.clone();
        let cb = props.oncommand.clone();
        Callback::from(move |e: KeyboardEvent| {
            if e.key() != "Enter" {
                return;
            }
            let input: HtmlInputElement = e.target_unchecked_into();
            let query = input.value();
            let Some(backend) = &backend else { return };
            let (hits, cb) = (hits.clone(), cb.clone());
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
                hits.set(Hits {
                    query,
                    found,
                    shown: 0,
                });
            });
        })
    };
    let step = |delta: isize| {
        let hits = hits.clone();
        let cb = props.oncommand.clone();
        Callback::from(move |_: MouseEvent| {
            let mut next = (*hits).clone();
            if next.found.is_empty() {
                return;
            }
            let n = next.found.len() as isize;
            next.shown = ((next.shown as isize + delta).rem_euclid(n)) as usize;
            cb.emit(Action::Reveal(next.found[next.shown].clone()));
            hits.set(next);
        })
    };
    let Hits {
        query,
        found,
        shown,
    } = &*hits;
    html! {
        <div class="tree-search">
            <input type="search" placeholder="Search keys and values, then Enter" aria-label="Search state" onkeydown={onsearch} />
            <button type="button" class="button small" onclick={step(-1)} disabled={found.is_empty()} aria-label="Previous match">{ "↑" }</button>
            <button type="button" class="button small" onclick={step(1)} disabled={found.is_empty()} aria-label="Next match">{ "↓" }</button>
            if !query.is_empty() {
                <span class="muted hits" aria-live="polite">{
                    if found.is_empty() { "no match".to_string() } else { format!("{} of {}{}", shown + 1, found.len(), if found.len() >= 1000 { "+" } else { "" }) }
                }</span>
            }
        </div>
    }
}
