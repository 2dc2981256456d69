//! Redux DevTools exports: the action list with its preloaded state, and the lifted state
//! with the state DevTools computed after each action. Both nest JSON as text, in jsan.

use std::sync::Arc;

use super::Extracted;
use crate::error::{json_error_parts, LoadError};
use crate::load::jsan::RepeatLimit;
use crate::log::{Format, Mode};
use crate::value::{Object, Value};

/// Parses JSON text embedded in a string member (Redux DevTools exports nest JSON as text)
/// and decodes its jsan; the limit bounds what each value taken from it repeats.
fn embedded_json(text: &str, what: &str) -> Result<(Value, RepeatLimit), LoadError> {
    let value: Value = crate::value::parse(text.as_bytes()).map_err(|e| {
        let (line, column, reason) = json_error_parts(&e);
        LoadError::Json {
            line,
            column,
            reason: format!("in {what}: {reason}"),
        }
    })?;
    Ok((
        crate::load::jsan::decode(&value),
        RepeatLimit::for_document(&value),
    ))
}

/// An action-list export: the actions are the JSON text in `payload`, the state before
/// them the JSON text in `preloadedState`, if any.
pub(super) fn actions(o: &Object) -> Result<Extracted, LoadError> {
    let payload = o.get("payload").and_then(Value::as_str).ok_or_else(|| {
        LoadError::NotAnEventLog("a Redux DevTools export needs a string \"payload\"".into())
    })?;
    // One budget for all the actions: the state merges them all.
    let (actions, mut limit) = embedded_json(payload, "\"payload\"")?;
    let actions = match limit.apply(&actions) {
        Value::Array(a) => a.to_vec(),
        other => {
            return Err(LoadError::NotAnEventLog(format!(
                "the Redux DevTools \"payload\" holds {}, not an array of actions",
                other.kind()
            )))
        }
    };
    let mut ex = Extracted::values(Format::ReduxActions, actions);
    if let Some(pre) = o.get("preloadedState").and_then(Value::as_str) {
        let (state, mut limit) = embedded_json(pre, "\"preloadedState\"")?;
        ex.initial_state = limit.apply(&state);
    }
    Ok(ex)
}

/// A lifted-state export: the actions staged in `stagedActionIds`, from `actionsById`,
/// each with the state DevTools computed after it (`computedStates`), which the
/// recorded fold replays.
pub(super) fn lifted(o: &Object) -> Result<Extracted, LoadError> {
    let encoded = Value::Object(o.clone());
    let mut limit = RepeatLimit::for_document(&encoded);
    let o = match crate::load::jsan::decode(&encoded) {
        Value::Object(decoded) => decoded,
        _ => o.clone(),
    };
    let by_id = o.get("actionsById").and_then(Value::as_object);
    let staged: Vec<Value> = match o.get("stagedActionIds") {
        Some(Value::Array(a)) => a.to_vec(),
        _ => by_id
            .map(|m| m.iter().map(|(k, _)| Value::String(k.clone())).collect())
            .unwrap_or_default(),
    };
    let states = match o.get("computedStates") {
        Some(Value::Array(a)) => a.clone(),
        _ => Arc::new(Vec::new()),
    };
    let skipped_ids: std::collections::HashSet<String> = match o.get("skippedActionIds") {
        Some(Value::Array(a)) => a.iter().filter_map(crate::fields::scalar_text).collect(),
        _ => Default::default(),
    };
    let mut actions = Vec::with_capacity(staged.len());
    let mut recorded = crate::log::Recorded::default();
    let mut skipped = Vec::with_capacity(staged.len());
    let mut times = Vec::with_capacity(staged.len());
    let mut previous = Value::empty_object();
    for (i, id) in staged.iter().enumerate() {
        let id_text = crate::fields::scalar_text(id).unwrap_or_default();
        let lifted = by_id
            .and_then(|m| m.get(&id_text))
            .and_then(Value::as_object);
        let member = |key: &str| lifted.and_then(|l| l.get(key));
        let action = member("action").map_or(Value::Null, |a| limit.apply(a));
        let time = member("timestamp")
            .and_then(crate::fields::time_millis)
            .unwrap_or(f64::NAN);
        let state = match computed_state(states.get(i)) {
            Ok(state) => limit.apply(state),
            Err(reason) => {
                recorded.failures.insert(i, reason);
                previous.clone()
            }
        };
        previous = state.clone();
        actions.push(action);
        recorded.states.push(state);
        skipped.push(skipped_ids.contains(&id_text));
        times.push(time);
    }
    if actions.is_empty() {
        return Err(LoadError::NotAnEventLog(
            "the Redux DevTools export has no staged actions".into(),
        ));
    }
    let mut ex = Extracted::values(Format::ReduxLifted, actions);
    ex.recorded_states = Some(recorded);
    ex.skipped = skipped;
    ex.times_ms = Some(times);
    ex.forced_mode = Some(Mode::Recorded);
    Ok(ex)
}

/// The state a lifted export computed for one action (`computedStates[i]`), or why there
/// is none: the reducer threw (DevTools then keeps the state before the action, and every
/// later action says it was interrupted), or the export stops short of this action.
fn computed_state(entry: Option<&Value>) -> Result<&Value, String> {
    let entry = entry.and_then(Value::as_object);
    match entry.and_then(|e| e.get("error")) {
        None | Some(Value::Null) => {}
        Some(Value::String(error)) => return Err(format!("the reducer threw: {error}")),
        Some(error) => return Err(format!("the reducer threw: {}", error.to_compact_string())),
    }
    entry
        .and_then(|e| e.get("state"))
        .ok_or_else(|| "the export has no computed state for this action".to_string())
}
