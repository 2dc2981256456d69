//! One step of the fold: how a single event changes the state. Pure.

use crate::log::Mode;
use crate::merge::merge_patch;
use crate::patch::apply_patch;
use crate::value::{Object, Str, Value};

/// Applies one event's fold input to `state`.
///
/// * merge: `state[stream] = merge_patch(state[stream], data)`, or the root without a
///   stream; missing or `null` data changes nothing.
/// * patch: the input is an RFC 6902 patch for the root; on failure the state is unchanged
///   and the reason is returned, so the caller can mark the event failed.
/// * recorded: the input is the state after the event.
pub fn apply(
    mode: Mode,
    state: &mut Value,
    stream: Option<&str>,
    input: &Value,
) -> Result<(), String> {
    match mode {
        Mode::Merge => {
            if input.is_null() {
                return Ok(());
            }
            match stream {
                Some(stream) => {
                    if !matches!(state, Value::Object(_)) {
                        *state = Value::Object(Object::new());
                    }
                    if let Value::Object(root) = state {
                        match root.get_mut(stream) {
                            Some(existing) => merge_patch(existing, input),
                            None => {
                                let mut fresh = Value::Null;
                                merge_patch(&mut fresh, input);
                                root.insert(Str::from(stream), fresh);
                            }
                        }
                    }
                }
                None => merge_patch(state, input),
            }
            Ok(())
        }
        Mode::Patch => apply_patch(state, input).map_err(|e| e.to_string()),
        Mode::Recorded => {
            *state = input.clone();
            Ok(())
        }
    }
}
