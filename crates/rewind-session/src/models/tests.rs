//! Read models over the shop fixture, folded in chunks as the worker folds them.

use std::sync::Arc;

use super::*;
use crate::edits::EditEntry;
use crate::messages::Comparison;
use rewind_core::{open, LoadOptions};

const FIXTURES: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../rewind-core/tests/fixtures/models/"
);

fn fixture(name: &str) -> String {
    std::fs::read_to_string(format!("{FIXTURES}{name}")).expect("fixture")
}

/// The shop log (ten events), loaded as the worker loads it.
fn shop() -> Arc<Log> {
    let options = LoadOptions {
        lazy: true,
        ..LoadOptions::default()
    };
    open(fixture("shop.ndjson").as_bytes(), &options)
        .expect("loads")
        .log
}

/// `models` with `model` applied as id 1 and folded whole, three events at a time.
fn folded(model: &str) -> Models {
    let mut models = Models::new(shop());
    models.apply(1, &fixture(model)).expect("applies");
    while models.folding() {
        models.fold(3, &mut |_, _| {});
    }
    models
}

fn view(position: isize, selected: Option<&str>) -> ModelsView {
    ModelsView {
        position,
        models: vec![ModelView {
            id: 1,
            expanded: vec![String::new(), "/count".into(), "/status".into()],
            shown: Vec::new(),
            selected: selected.map(str::to_string),
        }],
        ..ModelsView::default()
    }
}

fn export(models: &mut Models, position: isize) -> serde_json::Value {
    match models.handle(ModelRequest::Export { id: 1, position }) {
        ModelReply::Text(Some(text)) => serde_json::from_str(&text).expect("JSON"),
        other => panic!("not a text: {other:?}"),
    }
}

fn panel(models: &mut Models, position: isize) -> ModelPanel {
    models
        .frame(&view(position, None))
        .models
        .pop()
        .expect("a panel")
}

#[test]
fn a_model_that_does_not_compile_is_placed_at_its_line() {
    let mut models = Models::new(shop());
    let source =
        "{\n  \"name\": \"broken\",\n  \"when\": {\n    \"OrderPlaced\": \".status[\"\n  }\n}";
    match models.handle(ModelRequest::Apply {
        id: 4,
        source: source.into(),
    }) {
        ModelReply::Invalid { id, problem } => {
            assert_eq!(id, 4);
            assert_eq!(problem.line, Some(4), "{problem}");
            assert!(problem.column.is_some(), "{problem}");
            assert!(problem.to_string().starts_with("Line 4, column "));
        }
        other => panic!("applied: {other:?}"),
    }
    assert!(!models.folding());
    let not_json = models.apply(5, "{\"name\": \"x\",\n \"when\": {]}");
    assert_eq!(not_json.map_err(|p| p.line), Err(Some(2)));
}

#[test]
fn a_model_folded_in_chunks_shows_the_states_of_the_fixture() {
    let mut models = folded("orders-by-status.json");
    assert_eq!(
        models.progress(),
        [ModelProgress {
            id: 1,
            folded: 10,
            total: 10
        }]
    );
    let cases = serde_json::from_str::<serde_json::Value>(&fixture("cases.json")).expect("JSON");
    let states = &cases[0]["states"];
    for (p, want) in states.as_object().expect("states") {
        let p: isize = p.parse().expect("a position");
        assert_eq!(&export(&mut models, p), want, "state at {p}");
    }
    let panel = panel(&mut models, 3);
    assert_eq!(panel.name, "orders-by-status");
    assert_eq!((panel.handled, panel.failed), (10, 0));
    let row = |pointer: &str| {
        panel
            .tree
            .iter()
            .find(|r| r.pointer == pointer)
            .cloned()
            .unwrap_or_else(|| panic!("no row {pointer}"))
    };
    assert_eq!(row("/count/paid").summary, "1");
    assert!(row("/count/paid").changed && row("/status").changed);
    assert!(!row("/status/order-2").changed);
    let step = panel.step.expect("a step");
    assert_eq!(
        step.handler.as_deref(),
        Some("OrderPlaced,OrderPaid,OrderShipped,OrderCancelled")
    );
    let paths: Vec<&str> = step.changes.iter().map(|c| c.path.as_str()).collect();
    assert_eq!(paths, ["/count/paid", "/count/placed", "/status/order-1"]);
    assert_eq!(step.changes[2].old.as_deref(), Some("\"placed\""));
    assert_eq!(step.changes[2].new.as_deref(), Some("\"paid\""));
}

#[test]
fn positions_beyond_the_folded_prefix_show_its_last_event() {
    let mut models = Models::new(shop());
    models
        .apply(1, &fixture("orders-by-status.json"))
        .expect("applies");
    let progress = models.fold(4, &mut |_, _| {});
    assert_eq!(progress[0].folded, 4);
    assert!(models.folding());
    let panel = panel(&mut models, 8);
    assert_eq!((panel.position, panel.folded, panel.total), (3, 4, 10));
    assert!(panel.step.is_none(), "the event at 8 is not folded yet");
    assert_eq!(
        export(&mut models, 8),
        serde_json::json!({"status": {"order-1": "paid", "order-2": "placed"}, "count": {"paid": 1, "placed": 1}})
    );
}

#[test]
fn every_event_is_told_before_it_is_folded() {
    let mut models = Models::new(shop());
    models
        .apply(1, &fixture("orders-by-status.json"))
        .expect("applies");
    models
        .apply(2, &fixture("revenue-by-customer.json"))
        .expect("applies");
    let mut told = Vec::new();
    models.fold(6, &mut |id, p| told.push((id, p)));
    models.fold(6, &mut |id, p| told.push((id, p)));
    // Only the events a model has a handler for need telling; they come in order.
    let of = |id| {
        told.iter()
            .filter(|t| t.0 == id)
            .map(|t| t.1)
            .collect::<Vec<_>>()
    };
    assert!(of(1).windows(2).all(|w| w[0] < w[1]), "{told:?}");
    assert!(of(2).contains(&7), "{told:?}");
    assert!(!models.folding());
    assert!(models.remove(2));
    assert!(!models.remove(2));
    assert_eq!(models.progress().len(), 1);
}

#[test]
fn a_failed_event_shows_its_error_and_is_marked_on_the_strip() {
    let mut models = folded("revenue-by-customer.json");
    let first = panel(&mut models, 7);
    assert_eq!(first.failed, 1);
    let step = first.step.expect("a step");
    assert_eq!(step.handler.as_deref(), Some("OrderPaid"));
    assert!(
        step.error.as_deref().is_some_and(|e| e.contains("ten")),
        "{step:?}"
    );
    assert!(step.changes.is_empty());
    let failures = first.failures.expect("the strip's failures");
    assert_eq!(failures.len(), 10);
    assert_eq!(failures.iter().sum::<u32>(), 1);
    assert_eq!(failures[7], 1);
    // Sent again only when they change.
    assert!(panel(&mut models, 8).failures.is_none());
    // An event the model has no handler for.
    let step = panel(&mut models, 0).step.expect("a step");
    assert_eq!(step.handler, None);
    let mut models = folded("orders-by-status.json");
    let first = panel(&mut models, 0);
    let step = first.step.expect("a step");
    assert_eq!(step.handler.as_deref(), Some("$any"));
    assert!(step.changes.is_empty());
    let before = panel(&mut models, -1);
    assert!(before.step.is_none());
    assert_eq!(before.tree[0].summary, "{2 keys}");
    let mut models = folded("revenue-by-customer.json");
    let step = panel(&mut models, 0).step.expect("a step");
    assert_eq!(step.handler, None);
    assert!(step.changes.is_empty() && step.error.is_none());
}

#[test]
fn debug_output_and_no_output_are_told_with_their_event() {
    let mut models = folded("shipping-debug.json");
    let step = panel(&mut models, 6).step.expect("a step");
    assert_eq!(step.messages.len(), 1, "{step:?}");
    assert!(step.messages[0].contains("shipping order-1"), "{step:?}");
    let mut models = folded("paid-numbers.json");
    let step = panel(&mut models, 7).step.expect("a step");
    assert!(step.no_output && step.error.is_none(), "{step:?}");
    assert!(!panel(&mut models, 8).step.expect("a step").no_output);
}

#[test]
fn a_partitioned_model_names_the_partition_and_pages_its_keys() {
    let mut models = folded("latest-per-stream.json");
    let panel = panel(&mut models, 4);
    let step = panel.step.expect("a step");
    assert_eq!(step.partition.as_deref(), Some("customer-2"));
    assert_eq!(step.handler.as_deref(), Some("$any"));
    assert!(step
        .changes
        .iter()
        .all(|c| c.path.starts_with("/customer-2")));
    let keys: Vec<&str> = panel
        .tree
        .iter()
        .filter(|r| r.depth == 1)
        .map(|r| r.key.as_str())
        .collect();
    assert_eq!(keys, ["customer-1", "customer-2", "order-1", "order-2"]);
    assert_eq!(panel.tree[0].summary, "{4 keys}");
}

#[test]
fn the_history_of_a_field_is_sent_when_it_changes() {
    let mut models = folded("orders-by-status.json");
    let first = models.frame(&view(9, Some("/count/placed")));
    let history = first.models[0].history.clone().expect("a history");
    let positions: Vec<usize> = history.rows.iter().map(|r| r.position).collect();
    assert_eq!(positions, [1, 2, 3, 5, 7, 8]);
    assert!(first.models[0].selected_exists);
    let again = models.frame(&view(5, Some("/count/placed")));
    assert!(again.models[0].history.is_none());
    let other = models.frame(&view(5, Some("/status/order-3")));
    assert!(other.models[0].history.is_some());
}

#[test]
fn search_copy_and_missing_models_answer() {
    let mut models = folded("orders-by-status.json");
    let found = models.handle(ModelRequest::Search {
        id: 1,
        position: 9,
        query: "cancel".into(),
    });
    assert_eq!(
        found,
        ModelReply::Pointers(vec!["/count/cancelled".into(), "/status/order-3".into()])
    );
    let value = models.handle(ModelRequest::ValueJson {
        id: 1,
        position: 9,
        pointer: "/count".into(),
    });
    let ModelReply::Text(Some(text)) = value else {
        panic!("no text: {value:?}")
    };
    assert_eq!(
        serde_json::from_str::<serde_json::Value>(&text).expect("JSON"),
        serde_json::json!({"cancelled": 1, "paid": 1, "placed": 0, "shipped": 1})
    );
    assert!(matches!(
        models.handle(ModelRequest::Export { id: 9, position: 0 }),
        ModelReply::Error(_)
    ));
    // A frame leaves out the models it does not know.
    let mut v = view(3, None);
    v.models[0].id = 9;
    assert!(models.frame(&v).models.is_empty());
}

#[test]
fn failures_are_counted_in_the_slices_of_the_density_strip() {
    assert_eq!(
        failure_counts(&[0, 1, 9], 10),
        [1, 1, 0, 0, 0, 0, 0, 0, 0, 1]
    );
    let counts = failure_counts(&[0, 479, 480, 999_999], 1_000_000);
    assert_eq!(counts.len(), DENSITY_BUCKETS);
    assert_eq!(counts[0], 3);
    assert_eq!(counts[DENSITY_BUCKETS - 1], 1);
    assert!(failure_counts(&[], 0).iter().all(|&c| c == 0));
}

/// Each model folded over the shop log with `edits`, in chunks: its state at every
/// position, and what comparing with the original shows at `at`.
fn edited(
    model: &str,
    edits: &EditList,
    at: isize,
) -> (Vec<serde_json::Value>, Option<Comparison>) {
    let mut models = folded(model);
    let mut v = view(at, None);
    v.edits = edits.clone();
    v.compare_original = true;
    models.frame(&v);
    while models.folding() {
        models.fold(3, &mut |_, _| {});
    }
    let compare = models.frame(&v).models.remove(0).compare;
    let states = (-1..10).map(|p| export(&mut models, p)).collect();
    (states, compare)
}

#[test]
fn whatif_edits_fold_each_model_over_the_edited_log_and_compare_with_the_original() {
    let log = shop();
    let skip = EditList(vec![
        EditEntry::Skip(5),
        EditEntry::Replace(
            7,
            "{\"data\": {\"status\": \"paid\", \"amount\": 1000}}".into(),
        ),
    ]);
    let edits = skip.to_edits().expect("edits");
    let edited_log = Arc::new(log.with_edits(&edits, &|_| Vec::new()).expect("applies"));
    for model in [
        "orders-by-status.json",
        "card-per-customer.json",
        "revenue-by-customer.json",
    ] {
        let (states, compare) = edited(model, &skip, 9);
        // The same as folding the model over the edited log from the start.
        let mut fresh = Models::new(edited_log.clone());
        fresh.apply(1, &fixture(model)).expect("applies");
        while fresh.folding() {
            fresh.fold(1000, &mut |_, _| {});
        }
        let want: Vec<serde_json::Value> = (-1..10).map(|p| export(&mut fresh, p)).collect();
        assert_eq!(states, want, "{model}");
        let original = folded(model);
        let compare = compare.expect("compared");
        let mut original = original;
        let differs = export(&mut original, 9) != want[10];
        assert_eq!(compare.total > 0, differs, "{model}: {compare:?}");
    }
    // No edits again: the models as loaded.
    let mut models = folded("revenue-by-customer.json");
    let before = export(&mut models, 9);
    let mut v = view(9, None);
    v.edits = skip;
    models.frame(&v);
    while models.folding() {
        models.fold(5, &mut |_, _| {});
    }
    assert_ne!(export(&mut models, 9), before);
    v.edits = EditList::default();
    let panel = models.frame(&v).models.remove(0);
    assert_eq!(panel.compare, None);
    assert_eq!(export(&mut models, 9), before);
}
