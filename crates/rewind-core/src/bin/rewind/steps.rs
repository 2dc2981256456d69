//! `rewind steps`: a read model event by event, as Marten's and EventStoreDB's projection
//! debuggers show it: before and after each event, which handler ran, its error and
//! `debug` output.

use std::io::Write;

use rewind_core::model::ModelTimeline;
use rewind_core::{Cursor, Log, Pointer, States, Value};
use serde::Serialize;

/// One line of `rewind steps`.
#[derive(Serialize)]
struct Step<'a> {
    position: usize,
    #[serde(rename = "type")]
    kind: &'a str,
    handled: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    handler: Option<&'a str>,
    /// The partition the event went to (partitioned models); before and after are then
    /// that partition's value.
    #[serde(skip_serializing_if = "Option::is_none")]
    partition: Option<&'a str>,
    before: Option<Value>,
    after: Option<Value>,
    #[serde(skip_serializing_if = "Option::is_none")]
    error: Option<&'a str>,
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    no_output: bool,
    debug: &'a [String],
}

/// Prints one JSON line per event from `from` to `to` (the last event when `None`).
pub fn print(
    out: &mut impl Write,
    log: &Log,
    model: &ModelTimeline,
    from: usize,
    to: Option<usize>,
) -> Result<(), String> {
    if log.is_empty() {
        return Err("the log has no event".into());
    }
    let last = log.len() - 1;
    let to = to.unwrap_or(last);
    if from > to || to > last {
        return Err(format!(
            "--from {from} --to {to} is not a range of the log: use positions 0 to {last}"
        ));
    }
    let mut cursor = Cursor::new();
    let mut before = model.state_at(log, from as isize - 1);
    for p in from..=to {
        let note = model.note(p);
        let partition = model.partition_of(p);
        let (b, a) = match partition {
            Some(key) => {
                let ptr = Pointer::root().child(key);
                (
                    model.value_at(log, p as isize - 1, &ptr),
                    model.value_at(log, p as isize, &ptr),
                )
            }
            None if model.model().partition.is_some() => (None, None),
            None => {
                model.seek(log, &mut cursor, p as isize);
                let after = cursor.state().clone();
                let b = std::mem::replace(&mut before, after.clone());
                (Some(b), Some(after))
            }
        };
        let step = Step {
            position: p,
            kind: log.type_name(p),
            handled: model.handles(log, p)
                && (partition.is_some() || model.model().partition.is_none()),
            handler: model.handler_key(log, p),
            partition,
            before: b,
            after: a,
            error: note.and_then(|n| n.error.as_deref()),
            no_output: note.is_some_and(|n| n.no_output),
            debug: note.map_or(&[], |n| n.messages.as_slice()),
        };
        let line = serde_json::to_string(&step).map_err(|e| format!("cannot print JSON: {e}"))?;
        writeln!(out, "{line}").map_err(|e| format!("cannot write output: {e}"))?;
    }
    Ok(())
}
