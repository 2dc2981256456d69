//! RFC 6902 JSON Patch over persistent values.
//!
//! A patch is applied to a clone of the document (a pointer copy), so a failing operation
//! leaves the original untouched: the event is marked failed and the fold goes on.

use std::sync::Arc;

use crate::pointer::{array_index, Pointer};
use crate::value::{Str, Value};

/// Why a JSON Patch could not be applied.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("operation {index} ({op}): {reason}")]
pub struct PatchError {
    /// 0-based index of the failing operation.
    pub index: usize,
    /// The operation's `op`, or `?` when missing.
    pub op: String,
    /// What went wrong, in words.
    pub reason: String,
}

/// Applies the JSON Patch document `patch` (an array of operations) to `doc`.
/// On error `doc` is unchanged.
pub fn apply_patch(doc: &mut Value, patch: &Value) -> Result<(), PatchError> {
    let Value::Array(ops) = patch else {
        return Err(PatchError {
            index: 0,
            op: "?".into(),
            reason: format!(
                "a JSON Patch must be an array of operations, not {}",
                patch.kind()
            ),
        });
    };
    let mut work = doc.clone();
    for (index, op) in ops.iter().enumerate() {
        let name = op
            .as_object()
            .and_then(|o| o.get("op"))
            .and_then(Value::as_str)
            .unwrap_or("?")
            .to_string();
        apply_op(&mut work, op).map_err(|reason| PatchError {
            index,
            op: name,
            reason,
        })?;
    }
    *doc = work;
    Ok(())
}

fn member<'a>(op: &'a Value, name: &str) -> Result<&'a Value, String> {
    op.as_object()
        .and_then(|o| o.get(name))
        .ok_or_else(|| format!("missing \"{name}\""))
}

fn pointer_member(op: &Value, name: &str) -> Result<Pointer, String> {
    let text = member(op, name)?
        .as_str()
        .ok_or_else(|| format!("\"{name}\" must be a string"))?;
    Pointer::parse(text).map_err(|e| e.to_string())
}

fn apply_op(doc: &mut Value, op: &Value) -> Result<(), String> {
    if op.as_object().is_none() {
        return Err(format!("an operation must be an object, not {}", op.kind()));
    }
    let name = member(op, "op")?
        .as_str()
        .ok_or("\"op\" must be a string")?;
    let path = pointer_member(op, "path")?;
    match name {
        "add" => add(doc, &path, member(op, "value")?.clone()),
        "remove" => remove(doc, &path).map(drop),
        "replace" => {
            let value = member(op, "value")?.clone();
            let target = get_mut(doc, &path)?;
            *target = value;
            Ok(())
        }
        "move" => {
            let from = pointer_member(op, "from")?;
            if path.starts_with(&from) && path != from {
                return Err(format!("cannot move {from} into its own child {path}"));
            }
            let value = remove(doc, &from)?;
            add(doc, &path, value)
        }
        "copy" => {
            let from = pointer_member(op, "from")?;
            let value = from
                .get(doc)
                .cloned()
                .ok_or_else(|| format!("\"from\" {from} does not exist"))?;
            add(doc, &path, value)
        }
        "test" => {
            let expected = member(op, "value")?;
            let actual = path
                .get(doc)
                .ok_or_else(|| format!("path {path} does not exist"))?;
            if actual == expected {
                Ok(())
            } else {
                Err(format!("test failed: {path} is {actual}, not {expected}"))
            }
        }
        other => Err(format!("unknown op {other:?}")),
    }
}

/// The value at `path`, for changing it; copies the shared path.
fn get_mut<'a>(doc: &'a mut Value, path: &Pointer) -> Result<&'a mut Value, String> {
    let mut cur = doc;
    for token in path.tokens() {
        cur = match cur {
            Value::Object(o) => o.get_mut(token),
            Value::Array(a) => {
                let len = a.len();
                array_index(token, len).map(|i| &mut Arc::make_mut(a)[i])
            }
            _ => None,
        }
        .ok_or_else(|| format!("path {path} does not exist"))?;
    }
    Ok(cur)
}

fn add(doc: &mut Value, path: &Pointer, value: Value) -> Result<(), String> {
    let Some((parent, last)) = path.split_last() else {
        *doc = value;
        return Ok(());
    };
    match get_mut(doc, &parent)? {
        Value::Object(o) => {
            o.insert(Str::from(last), value);
            Ok(())
        }
        Value::Array(a) => {
            let len = a.len();
            // `-` appends; otherwise an index up to and including the length.
            let at = if last == "-" {
                len
            } else {
                array_index(last, len + 1)
                    .ok_or_else(|| format!("index {last:?} is out of bounds in {parent}"))?
            };
            Arc::make_mut(a).insert(at, value);
            Ok(())
        }
        other => Err(format!("cannot add to {} at {parent}", other.kind())),
    }
}

fn remove(doc: &mut Value, path: &Pointer) -> Result<Value, String> {
    let Some((parent, last)) = path.split_last() else {
        return Ok(std::mem::take(doc));
    };
    match get_mut(doc, &parent)? {
        Value::Object(o) => o
            .remove(last)
            .ok_or_else(|| format!("path {path} does not exist")),
        Value::Array(a) => {
            let i =
                array_index(last, a.len()).ok_or_else(|| format!("path {path} does not exist"))?;
            Ok(Arc::make_mut(a).remove(i))
        }
        other => Err(format!("cannot remove from {} at {parent}", other.kind())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn failing_operation_leaves_document_unchanged() {
        let mut doc = Value::from(json!({"a": 1}));
        let patch = Value::from(json!([
            {"op": "add", "path": "/b", "value": 2},
            {"op": "test", "path": "/a", "value": 5}
        ]));
        let err = apply_patch(&mut doc, &patch).expect_err("test op must fail");
        assert_eq!(err.index, 1);
        assert_eq!(doc.to_json(), json!({"a": 1}));
    }

    #[test]
    fn move_into_own_child_is_refused() {
        let mut doc = Value::from(json!({"a": {"b": 1}}));
        let patch = Value::from(json!([{"op": "move", "from": "/a", "path": "/a/b/c"}]));
        assert!(apply_patch(&mut doc, &patch).is_err());
    }
}
