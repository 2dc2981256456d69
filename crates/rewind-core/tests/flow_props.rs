//! The flow index's invariants on random small logs with random causation links (to
//! earlier, later, missing and the same events, with repeated ids), written in every
//! spelling of the conventions, in metadata or at the top level: what it answers equals a
//! naive reading of the same links, and nothing loops on a cycle.

use std::collections::{BTreeSet, VecDeque};

use proptest::prelude::*;
use rewind_core::{open, FlowIndex, FlowKeys, LoadOptions, Log};
use serde_json::{json, Map, Value};

const CORRELATIONS: [&str; 5] = [
    "$correlationId",
    "correlation_id",
    "CorrelationId",
    "correlationid",
    "NServiceBus.ConversationId",
];
const CAUSATIONS: [&str; 5] = [
    "$causationId",
    "causation_id",
    "CausationId",
    "causationid",
    "NServiceBus.RelatedTo",
];
const PLACES: [&str; 3] = ["metadata", "headers", ""];

/// One event: its id, correlation and causation (small numbers, so that they repeat and
/// name each other), and how they are written.
#[derive(Clone, Debug)]
struct Spec {
    id: Option<u8>,
    numeric_id: bool,
    correlation: Option<u8>,
    causation: Option<u8>,
    spelling: usize,
    place: usize,
}

fn spec() -> impl Strategy<Value = Spec> {
    (
        prop::option::weighted(0.9, 0u8..30),
        any::<bool>(),
        prop::option::weighted(0.7, 0u8..4),
        prop::option::weighted(0.7, 0u8..34),
        0..CORRELATIONS.len(),
        0..PLACES.len(),
    )
        .prop_map(
            |(id, numeric_id, correlation, causation, spelling, place)| Spec {
                id,
                numeric_id,
                correlation,
                causation,
                spelling,
                place,
            },
        )
}

fn id_text(s: &Spec) -> Option<String> {
    s.id.map(|i| match s.numeric_id {
        true => i.to_string(),
        false => format!("e{i}"),
    })
}

/// The event `s` at position `p` as JSON.
fn event(p: usize, s: &Spec) -> Value {
    let mut links = Map::new();
    if let Some(c) = s.correlation {
        links.insert(CORRELATIONS[s.spelling].into(), json!(format!("flow-{c}")));
    }
    if let Some(c) = s.causation {
        // Causations name ids written either way (`e3` or `3`).
        let named = match c % 2 {
            0 => json!(format!("e{}", c / 2)),
            _ => json!(c / 2),
        };
        links.insert(CAUSATIONS[s.spelling].into(), named);
    }
    let mut e = json!({"type": "T", "stream": format!("s-{}", p % 3), "data": {"n": p}});
    let obj = e.as_object_mut().expect("object");
    if let Some(id) = s.id {
        obj.insert(
            "id".into(),
            if s.numeric_id {
                json!(id)
            } else {
                json!(format!("e{id}"))
            },
        );
    }
    match PLACES[s.place] {
        "" => obj.extend(links),
        place => {
            obj.insert(place.into(), Value::Object(links));
        }
    }
    e
}

fn causation_text(s: &Spec) -> Option<String> {
    s.causation.map(|c| match c % 2 {
        0 => format!("e{}", c / 2),
        _ => (c / 2).to_string(),
    })
}

/// The links as a naive reader sees them: each event's cause is the first event whose id
/// its causation names.
fn naive_causes(specs: &[Spec]) -> Vec<Option<usize>> {
    specs
        .iter()
        .map(|s| {
            let named = causation_text(s)?;
            specs
                .iter()
                .position(|t| id_text(t).as_ref() == Some(&named))
        })
        .collect()
}

fn load(specs: &[Spec], as_array: bool) -> Log {
    let events: Vec<Value> = specs.iter().enumerate().map(|(p, s)| event(p, s)).collect();
    let text = match as_array {
        true => Value::Array(events).to_string(),
        false => events.iter().map(|e| format!("{e}\n")).collect(),
    };
    let replay = open(text.into_bytes(), &LoadOptions::default()).expect("log loads");
    (*replay.log).clone()
}

fn positions(ps: &[u32]) -> Vec<usize> {
    ps.iter().map(|&p| p as usize).collect()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn the_index_answers_as_a_naive_reading_does(specs in prop::collection::vec(spec(), 1..40)) {
        let log = load(&specs, false);
        let index = FlowIndex::build(&log, &FlowKeys::default());
        let causes = naive_causes(&specs);
        let n = specs.len();
        for p in 0..n {
            prop_assert_eq!(index.caused_by(p), causes[p], "cause of {}", p);
            prop_assert_eq!(
                index.cause_missing(p),
                specs[p].causation.is_some() && causes[p].is_none()
            );
            let effects: Vec<usize> = (0..n).filter(|&q| causes[q] == Some(p)).collect();
            prop_assert_eq!(positions(index.causes(p)), effects, "effects of {}", p);
            let correlation = specs[p].correlation.map(|c| format!("flow-{c}"));
            prop_assert_eq!(index.correlation(p).map(str::to_string), correlation.clone());
            let flow: Vec<usize> = match specs[p].correlation {
                Some(c) => (0..n).filter(|&q| specs[q].correlation == Some(c)).collect(),
                None => Vec::new(),
            };
            prop_assert_eq!(positions(index.flow(p)), flow.clone(), "flow of {}", p);
            // Everything p caused, breadth first with a set of events met.
            let mut met = BTreeSet::new();
            let mut queue: VecDeque<usize> = VecDeque::from([p]);
            while let Some(q) = queue.pop_front() {
                for e in (0..n).filter(|&e| causes[e] == Some(q)) {
                    if met.insert(e) {
                        queue.push_back(e);
                    }
                }
            }
            met.remove(&p);
            let transitive: Vec<usize> = met.into_iter().collect();
            prop_assert_eq!(index.caused_transitively(p), transitive.clone());
            // Following causes back comes round to an event already met.
            let mut seen = BTreeSet::from([p]);
            let mut at = p;
            let mut cycle = false;
            while let Some(c) = causes[at] {
                if !seen.insert(c) {
                    cycle = true;
                    break;
                }
                at = c;
            }
            prop_assert_eq!(index.cycle(p), cycle, "cycle from {}", p);
            let report = index.report(&log, p);
            prop_assert_eq!(report.id, id_text(&specs[p]));
            prop_assert_eq!(report.causation, causation_text(&specs[p]));
            prop_assert_eq!(report.cycle, cycle);
            // The tree holds each event of the flow (or of the chain through p) once,
            // each under its cause, and a row that closes a cycle only repeats one above.
            let members: BTreeSet<usize> = match correlation {
                Some(_) => flow.into_iter().collect(),
                None => {
                    let mut chain: BTreeSet<usize> = transitive.into_iter().collect();
                    chain.insert(p);
                    let mut at = p;
                    while let Some(c) = causes[at] {
                        if !chain.insert(c) {
                            break;
                        }
                        at = c;
                    }
                    chain
                }
            };
            let rows = index.tree(p, usize::MAX);
            let shown: Vec<usize> = rows.iter().filter(|r| !r.cycle).map(|r| r.position).collect();
            prop_assert_eq!(shown.len(), members.len(), "rows {:?}", rows);
            prop_assert_eq!(shown.iter().copied().collect::<BTreeSet<_>>(), members);
            for (i, row) in rows.iter().enumerate() {
                if row.cycle {
                    prop_assert!(rows[..i].iter().any(|r| r.position == row.position && !r.cycle));
                }
                if row.depth > 0 {
                    let parent = rows[..i].iter().rev().find(|r| r.depth == row.depth - 1);
                    prop_assert_eq!(parent.map(|r| r.position), causes[row.position]);
                }
            }
            let limit = rows.len() / 2;
            prop_assert_eq!(&index.tree(p, limit)[..], &rows[..limit]);
        }
    }

    #[test]
    fn text_and_parsed_logs_index_alike(specs in prop::collection::vec(spec(), 1..25)) {
        let (text, parsed) = (load(&specs, false), load(&specs, true));
        let (a, b) = (
            FlowIndex::build(&text, &FlowKeys::default()),
            FlowIndex::build(&parsed, &FlowKeys::default()),
        );
        for p in 0..specs.len() {
            prop_assert_eq!(a.report(&text, p), b.report(&parsed, p));
        }
    }
}
