//! Searching a state's keys and values: Enter asks the worker for the matches, ↑ / ↓
//! reveal the previous and next one.

use web_sys::HtmlInputElement;
use yew::prelude::*;

/// Asks the worker for the pointers matching a text, and hands them to the callback.
pub type Find = Callback<(String, Callback<Vec<String>>)>;

/// Props of [`TreeSearch`].
#[derive(Properties, PartialEq)]
pub struct TreeSearchProps {
    /// Finds the matches in the state shown.
    pub find: Find,
    /// Reveals a match (selects it and expands what is above it).
    pub onreveal: Callback<String>,
    /// The search box's accessible name.
    #[prop_or(AttrValue::Static("Search state"))]
    pub label: AttrValue,
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
    let hits = use_state(Hits::default);
    let onsearch = {
        let hits = hits.clone();
        let cb = props.onreveal.clone();
        let find = props.find.clone();
        Callback::from(move |e: KeyboardEvent| {
            if e.key() != "Enter" {
                return;
            }
            let input: HtmlInputElement = e.target_unchecked_into();
            let query = input.value();
            let (hits, cb) = (hits.clone(), cb.clone());
            let asked = query.clone();
            find.emit((
                asked,
                Callback::from(move |found: Vec<String>| {
                    if let Some(first) = found.first() {
                        cb.emit(first.clone());
                    }
                    hits.set(Hits {
                        query: query.clone(),
                        found,
                        shown: 0,
                    });
                }),
            ));
        })
    };
    let step = |delta: isize| {
        let hits = hits.clone();
        let cb = props.onreveal.clone();
        Callback::from(move |_: MouseEvent| {
            let mut next = (*hits).clone();
            if next.found.is_empty() {
                return;
            }
            let n = next.found.len() as isize;
            next.shown = ((next.shown as isize + delta).rem_euclid(n)) as usize;
            cb.emit(next.found[next.shown].clone());
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
            <input type="search" placeholder="Search keys and values, then Enter" aria-label={props.label.clone()} onkeydown={onsearch} />
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
