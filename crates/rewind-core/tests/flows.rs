//! Causes, effects and flows (SPEC §9), data-driven: each case of
//! `fixtures/flows/cases.json` names a log written the way one system writes them
//! (EventStoreDB, CloudEvents, Marten, Rails Event Store, NServiceBus) and the reports,
//! trees and transitive effects expected of it, written by hand.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use rewind_core::flow::TreeRow;
use rewind_core::{open, FlowIndex, FlowKeys, LoadOptions, Log};
use serde::Deserialize;

#[derive(Deserialize)]
struct Case {
    log: String,
    #[serde(default)]
    keys: FlowKeys,
    has_any: bool,
    reports: BTreeMap<usize, serde_json::Value>,
    #[serde(default)]
    transitive: BTreeMap<usize, Vec<usize>>,
    #[serde(default)]
    trees: Vec<Tree>,
}

#[derive(Deserialize)]
struct Tree {
    at: usize,
    limit: usize,
    /// `[position, depth, cycle]`.
    rows: Vec<(usize, usize, bool)>,
}

fn dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/flows")
}

fn load(name: &str) -> Log {
    let bytes = std::fs::read(dir().join(name)).expect("fixture log");
    let replay = open(bytes, &LoadOptions::default()).expect("fixture log loads");
    (*replay.log).clone()
}

fn cases() -> Vec<Case> {
    let text = std::fs::read_to_string(dir().join("cases.json")).expect("cases.json");
    serde_json::from_str(&text).expect("cases.json parses")
}

#[test]
fn every_case_gives_its_expected_reports_trees_and_effects() {
    let cases = cases();
    assert!(cases.len() >= 10);
    for case in &cases {
        let name = format!("{} with {:?}", case.log, case.keys);
        let log = load(&case.log);
        let index = FlowIndex::build(&log, &case.keys);
        assert_eq!(index.len(), log.len(), "{name}: events indexed");
        assert_eq!(index.has_any(), case.has_any, "{name}: has_any");
        for (&p, expected) in &case.reports {
            let report = serde_json::to_value(index.report(&log, p)).expect("report JSON");
            assert_eq!(&report, expected, "{name}: report of {p}");
        }
        for (&p, expected) in &case.transitive {
            assert_eq!(
                &index.caused_transitively(p),
                expected,
                "{name}: caused by {p}, transitively"
            );
        }
        for tree in &case.trees {
            let rows: Vec<(usize, usize, bool)> = index
                .tree(tree.at, tree.limit)
                .into_iter()
                .map(
                    |TreeRow {
                         position,
                         depth,
                         cycle,
                     }| (position, depth, cycle),
                )
                .collect();
            assert_eq!(rows, tree.rows, "{name}: tree of {}", tree.at);
        }
    }
}

/// What the index says of every event agrees with itself, and its ids are the ids the log
/// shows for its events.
#[test]
fn every_event_of_every_fixture_is_consistent() {
    for case in cases() {
        let log = load(&case.log);
        let index = FlowIndex::build(&log, &case.keys);
        for p in 0..log.len() {
            let event = log.event(p).expect("event");
            assert_eq!(index.id(&log, p), event.id, "{}: id of {p}", case.log);
            for &q in index.causes(p) {
                assert_eq!(index.caused_by(q as usize), Some(p), "{}: {q}", case.log);
            }
            if let Some(c) = index.caused_by(p) {
                assert!(index.causes(c).contains(&(p as u32)), "{}: {p}", case.log);
                assert!(index.causation(&log, p).is_some());
            }
            let flow = index.flow(p);
            assert_eq!(
                flow.contains(&(p as u32)),
                index.correlation(p).is_some(),
                "{}: {p} in its own flow",
                case.log
            );
            for &q in flow {
                assert_eq!(index.correlation(q as usize), index.correlation(p));
            }
        }
        assert!(index.report(&log, log.len()).flow.is_empty());
        assert_eq!(index.caused_by(log.len()), None);
    }
}

/// The same events read from NDJSON text (skimmed) and from a JSON array (parsed whole)
/// give the same answers.
#[test]
fn text_and_parsed_events_give_the_same_reports() {
    for case in cases().into_iter().filter(|c| c.log.ends_with(".ndjson")) {
        let text = std::fs::read_to_string(dir().join(&case.log)).expect("fixture");
        let lines: Vec<&str> = text.lines().collect();
        let array = format!("[{}]", lines.join(",\n"));
        let as_text = load(&case.log);
        let parsed = open(array.into_bytes(), &LoadOptions::default()).expect("array loads");
        let a = FlowIndex::build(&as_text, &case.keys);
        let b = FlowIndex::build(&parsed.log, &case.keys);
        for p in 0..as_text.len() {
            assert_eq!(
                a.report(&as_text, p),
                b.report(&parsed.log, p),
                "{}: {p}",
                case.log
            );
        }
    }
}

/// The generated shop with `--flows`: every causation names an event of the log, each
/// order's flow crosses streams, and its shipment was caused, through its payment, by the
/// order being placed.
#[test]
fn the_generated_flows_link_orders_payments_and_shipments() {
    let mut text = String::new();
    rewind_core::generate::ecommerce_flows_ndjson(20_000, 42, &mut text);
    let replay = open(text.into_bytes(), &LoadOptions::default()).expect("generated log");
    let log = &replay.log;
    let index = FlowIndex::build(log, &FlowKeys::default());
    let mut shipped = 0;
    for p in 0..log.len() {
        assert!(!index.cause_missing(p), "cause of {p}");
        assert!(!index.cycle(p));
        if log.type_name(p) != "OrderShipped" {
            continue;
        }
        shipped += 1;
        let mut chain = vec![log.type_name(p)];
        let mut q = p;
        while let Some(c) = index.caused_by(q) {
            chain.push(log.type_name(c));
            q = c;
        }
        assert_eq!(
            chain,
            [
                "OrderShipped",
                "ShipmentScheduled",
                "OrderPaid",
                "PaymentRequested",
                "OrderPlaced"
            ]
        );
        let streams: std::collections::BTreeSet<&str> = index
            .flow(p)
            .iter()
            .filter_map(|&f| log.stream_name(f as usize))
            .map(|s| s.split('-').next().unwrap_or(s))
            .collect();
        assert_eq!(streams, ["order", "payment", "shipment"].into());
        assert!(index.caused_transitively(q).contains(&p));
    }
    assert!(shipped > 100, "{shipped} orders shipped");
}
