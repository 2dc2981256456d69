//! Causes, effects and flows as the page shows them, on the EventStoreDB export of the
//! core's flow fixtures: the Event region's Caused by, Caused and Flow, Show flow's filter,
//! the flow's tree, skipping an event with its effects, and keys chosen by the person.

use rewind_core::{open, FlowKeys, LoadOptions};
use rewind_session::{EditEntry, EditList, EventFilter, Reply, Request, Session, View};

fn session() -> Session {
    let log = include_str!("../../rewind-core/tests/fixtures/flows/eventstoredb.json");
    Session::new(open(log.as_bytes(), &LoadOptions::default()).expect("loads"))
}

fn view(position: isize) -> View {
    View {
        position,
        list_len: 20,
        ..View::default()
    }
}

#[test]
fn the_event_region_shows_cause_effects_and_flow() {
    let mut s = session();
    // The first frame goes out before the index is built, and says so.
    let first = s.frame(&view(2));
    assert!(first.flows_pending && first.event.expect("event").flow.is_none());
    let frame = s.frame(&view(2));
    assert!(!frame.flows_pending);
    let flow = frame
        .event
        .and_then(|e| e.flow)
        .expect("event 2 is in a flow");
    assert_eq!(
        flow.correlation.as_deref(),
        Some("c0ffee00-0000-4000-8000-000000000001")
    );
    let cause = flow.caused_by.expect("caused by the order");
    assert_eq!(
        (cause.position, cause.label.as_str()),
        (0, "OrderPlaced · order-1")
    );
    let caused: Vec<u32> = flow.caused.iter().map(|l| l.position).collect();
    assert_eq!(caused, [4]);
    assert_eq!(
        (flow.caused_total, flow.caused_transitively, flow.flow_count),
        (1, 4, 7)
    );
    // The first event's cause is a command, not an event of the log.
    let first = s
        .frame(&view(0))
        .event
        .and_then(|e| e.flow)
        .expect("in a flow");
    assert!(first.cause_missing && first.caused_by.is_none());
    assert_eq!(first.causation.as_deref(), Some("cmd-place-order-1"));
}

#[test]
fn show_flow_keeps_the_flow_and_the_tree_follows_causation_across_streams() {
    let mut s = session();
    s.frame(&view(2));
    let mut v = view(2);
    v.filter = EventFilter {
        flow: Some(2),
        ..EventFilter::default()
    };
    let list = s.frame(&v).list;
    let kept: Vec<u32> = list.rows.iter().map(|r| r.position).collect();
    assert_eq!(kept, [0, 2, 4, 5, 6, 7, 8]);
    let Reply::FlowTree(rows) = s.handle(Request::FlowTree {
        position: 2,
        keys: FlowKeys::default(),
    }) else {
        panic!("a tree");
    };
    let tree: Vec<(u32, usize)> = rows.iter().map(|r| (r.link.position, r.depth)).collect();
    assert_eq!(
        tree,
        [(0, 0), (2, 1), (4, 2), (5, 3), (6, 4), (7, 5), (8, 1)]
    );
    assert!(rows.iter().all(|r| !r.cycle));
}

#[test]
fn skipping_with_effects_skips_what_the_event_caused() {
    let mut s = session();
    let mut v = view(8);
    v.edits = EditList(vec![EditEntry::SkipCaused(2)]);
    let frame = s.frame(&v);
    let info = frame.edits.expect("told of the edits");
    assert_eq!(info.marks, [2, 4, 5, 6, 7]);
    assert_eq!(info.first_difference, Some(2));
    // Other keys: no causation is found, so only the event itself is skipped.
    v.flow_keys = FlowKeys {
        correlation: None,
        causation: Some("nothing".into()),
    };
    let info = s.frame(&v).edits.expect("told again");
    assert_eq!(info.marks, [2]);
}

#[test]
fn a_log_without_flows_shows_none_and_never_builds_the_index() {
    let log = r#"{"type":"A","stream":"s","data":{"n":1}}"#;
    let mut s = Session::new(open(log.as_bytes(), &LoadOptions::default()).expect("loads"));
    s.frame(&view(0));
    let frame = s.frame(&view(0));
    assert!(!frame.flows_pending);
    assert_eq!(frame.event.expect("event").flow, None);
}
