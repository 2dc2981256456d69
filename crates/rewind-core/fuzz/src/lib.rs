//! What the fuzz targets check of every log they manage to load: the state at every
//! position equals a reference fold of the loaded events (built here from the RFC 7396
//! and RFC 6902 functions, without the snapshots, columns and cursors under test), each
//! event's diff is a JSON Patch from the state before it to the state after it, and
//! decoding jsan stays linear in the document.

use std::collections::BTreeSet;

use rewind_core::log::NO_STREAM;
use rewind_core::merge::merge_patch;
use rewind_core::patch::apply_patch;
use rewind_core::value::{Object, Str};
use rewind_core::{diff::json_patch, jsan, open, LoadOptions, Mode, Replay, Value};

/// Positions compared with the reference fold; a longer log is only loaded past them.
const STATES_CHECKED: usize = 256;
/// Positions whose diff is replayed as a patch.
const DIFFS_CHECKED: usize = 64;

/// Loads `bytes` with `options` (which must not panic, whatever they hold) and, when
/// they load, checks the loaded log.
pub fn load_and_check(bytes: &[u8], options: &LoadOptions) -> Option<Replay> {
    let replay = open(bytes, options).ok()?;
    check_states(&replay);
    check_diffs(&replay);
    Some(replay)
}

/// The state at every position is the reference fold of the events before it; a patch
/// that fails is reported as a failed event and changes nothing.
pub fn check_states(replay: &Replay) {
    let log = &replay.log;
    let failed: BTreeSet<usize> = replay
        .stats()
        .failed_events
        .iter()
        .map(|f| f.position)
        .collect();
    let mut state = log.initial_state.clone();
    assert_eq!(
        replay.state_at(-1),
        state,
        "the state before the first event"
    );
    for p in 0..replay.len().min(STATES_CHECKED) {
        let input = log.fold_input(p).unwrap_or(Value::Null);
        match log.mode {
            Mode::Merge => {
                let stream = (log.events.get(p).expect("an event").stream != NO_STREAM)
                    .then(|| log.stream_name(p))
                    .flatten();
                merge_into(&mut state, stream, &input);
            }
            Mode::Patch => {
                let mut next = state.clone();
                let applied = apply_patch(&mut next, &input).is_ok();
                assert_eq!(!applied, failed.contains(&p), "event {p} failed or not");
                if applied {
                    state = next;
                }
            }
            Mode::Recorded => state = input,
        }
        assert_eq!(replay.state_at(p as isize), state, "the state at {p}");
    }
}

/// `state[stream] = merge_patch(state[stream], data)`, or the root without a stream;
/// `null` data changes nothing.
fn merge_into(state: &mut Value, stream: Option<&str>, data: &Value) {
    if data.is_null() {
        return;
    }
    let Some(stream) = stream else {
        merge_patch(state, data);
        return;
    };
    let mut members = match state {
        Value::Object(o) => o.clone(),
        _ => Object::new(),
    };
    let mut member = members.get(stream).cloned().unwrap_or(Value::Null);
    merge_patch(&mut member, data);
    members.insert(Str::from(stream), member);
    *state = Value::Object(members);
}

/// Each event's diff, exported as a JSON Patch, turns the state before it into the
/// state after it.
pub fn check_diffs(replay: &Replay) {
    for p in 0..replay.len().min(DIFFS_CHECKED) {
        let patch = json_patch(&replay.event_diff(p));
        let mut state = replay.state_at(p as isize - 1);
        let applied = apply_patch(&mut state, &patch);
        assert!(
            applied.is_ok(),
            "the diff of event {p} applies: {applied:?}"
        );
        assert_eq!(state, replay.state_at(p as isize), "the diff of event {p}");
    }
}

/// Decoding the jsan of `text` (when it is JSON) takes work linear in it and gives a
/// value with no more distinct nodes than the document has.
pub fn check_jsan(text: &[u8]) {
    let Ok(doc) = rewind_core::value::parse(text) else {
        return;
    };
    let nodes = jsan::distinct_nodes(&doc);
    let (decoded, work) = jsan::decode_counted(&doc);
    assert!(
        work <= 2 * nodes + text.len(),
        "{work} steps for {nodes} nodes"
    );
    let distinct = jsan::distinct_nodes(&decoded);
    assert!(distinct <= nodes, "{distinct} values from {nodes} nodes");
}

/// The most values a state or action taken from the Redux export `doc` may show, shared
/// parts counted each time: the repeat budget, and each distinct part once.
pub fn repeat_bound(doc: &Value) -> u64 {
    let nodes = jsan::distinct_nodes(doc) as u64;
    jsan::RepeatLimit::for_document(doc).budget() + 2 * nodes + 2
}

/// No state unrolls its shared parts past `bound` values.
pub fn check_state_sizes(replay: &Replay, bound: u64) {
    for p in -1..replay.len().min(STATES_CHECKED) as isize {
        assert!(
            tree_size_within(&replay.state_at(p), bound),
            "the state at {p} shows more than {bound} values"
        );
    }
}

/// True when `v`, with shared parts counted each time they appear, has at most `bound`
/// values (stops counting past it).
fn tree_size_within(v: &Value, bound: u64) -> bool {
    fn count(v: &Value, left: &mut u64) -> bool {
        if *left == 0 {
            return false;
        }
        *left -= 1;
        match v {
            Value::Array(a) => a.iter().all(|c| count(c, left)),
            Value::Object(o) => o.iter().all(|(_, c)| count(c, left)),
            _ => true,
        }
    }
    let mut left = bound;
    count(v, &mut left)
}
