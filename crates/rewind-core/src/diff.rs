//! Structural diffs between two states, as change lists and RFC 6902 patches.
//!
//! Subtrees that are the same shared allocation in both states are skipped without being
//! walked, so diffing two nearby states of a persistent timeline costs in proportion to
//! what changed, not to the size of the state.

use serde::Serialize;

use crate::pointer::Pointer;
use imbl::ordmap::DiffItem;

use crate::value::{Object, Str, Value};

/// What happened at one path.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Op {
    /// The path did not exist and now does.
    Add,
    /// The path existed and no longer does.
    Remove,
    /// The value at the path changed.
    Replace,
}

/// One change: `{op, path, old?, new?}`.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Change {
    /// Add, remove or replace.
    pub op: Op,
    /// RFC 6901 pointer of the changed value.
    #[serde(serialize_with = "serialize_display")]
    pub path: Pointer,
    /// The value before (absent for `add`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub old: Option<Value>,
    /// The value after (absent for `remove`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub new: Option<Value>,
}

fn serialize_display<S: serde::Serializer>(p: &Pointer, s: S) -> Result<S::Ok, S::Error> {
    s.collect_str(p)
}

/// All changes that turn `old` into `new`, in document order.
pub fn diff(old: &Value, new: &Value) -> Vec<Change> {
    let mut out = Vec::new();
    diff_into(old, new, &Pointer::root(), &mut out);
    out
}

/// The changes from `old` to `new` below `at` (the values given are those at `at`).
pub fn diff_at(old: Option<&Value>, new: Option<&Value>, at: &Pointer, out: &mut Vec<Change>) {
    match (old, new) {
        (None, None) => {}
        (None, Some(n)) => out.push(Change {
            op: Op::Add,
            path: at.clone(),
            old: None,
            new: Some(n.clone()),
        }),
        (Some(o), None) => out.push(Change {
            op: Op::Remove,
            path: at.clone(),
            old: Some(o.clone()),
            new: None,
        }),
        (Some(o), Some(n)) => diff_into(o, n, at, out),
    }
}

fn diff_into(old: &Value, new: &Value, path: &Pointer, out: &mut Vec<Change>) {
    if old.ptr_eq(new) {
        return;
    }
    match (old, new) {
        (Value::Object(a), Value::Object(b)) => {
            if a.ptr_eq(b) {
                return;
            }
            if let (Object::Large(ma), Object::Large(mb)) = (a, b) {
                // Persistent B-trees: walk only the nodes the two do not share.
                for item in ma.diff(mb) {
                    match item {
                        DiffItem::Add(k, v) => out.push(added(path.child(k), v)),
                        DiffItem::Remove(k, v) => out.push(removed(path.child(k), v)),
                        DiffItem::Update { old, new } => {
                            diff_into(old.1, new.1, &path.child(old.0), out)
                        }
                    }
                }
                // The walk meets keys in order, as the slice walk below does.
                return;
            }
            let mut ia = a.iter().peekable();
            let mut ib = b.iter().peekable();
            loop {
                match (ia.peek(), ib.peek()) {
                    (None, None) => break,
                    (Some((ka, va)), Some((kb, vb))) if ka == kb => {
                        diff_into(va, vb, &path.child(ka), out);
                        ia.next();
                        ib.next();
                    }
                    (Some((ka, va)), Some((kb, _))) if ka < kb => {
                        out.push(removed(path.child(ka), va));
                        ia.next();
                    }
                    (Some((ka, va)), None) => {
                        out.push(removed(path.child(ka), va));
                        ia.next();
                    }
                    (_, Some((kb, vb))) => {
                        out.push(added(path.child(kb), vb));
                        ib.next();
                    }
                }
            }
        }
        (Value::Array(a), Value::Array(b)) => {
            let common = a.len().min(b.len());
            for i in 0..common {
                diff_into(&a[i], &b[i], &path.child(&i.to_string()), out);
            }
            for (i, v) in b.iter().enumerate().skip(common) {
                out.push(added(path.child(&i.to_string()), v));
            }
            // Remove from the end so that every index is valid when applied in order.
            for i in (common..a.len()).rev() {
                out.push(removed(path.child(&i.to_string()), &a[i]));
            }
        }
        _ if old == new => {}
        _ => out.push(Change {
            op: Op::Replace,
            path: path.clone(),
            old: Some(old.clone()),
            new: Some(new.clone()),
        }),
    }
}

fn added(path: Pointer, v: &Value) -> Change {
    Change {
        op: Op::Add,
        path,
        old: None,
        new: Some(v.clone()),
    }
}

fn removed(path: Pointer, v: &Value) -> Change {
    Change {
        op: Op::Remove,
        path,
        old: Some(v.clone()),
        new: None,
    }
}

/// The changes as an RFC 6902 JSON Patch document, as a `serde_json::Value` (numbers
/// beyond an `f64` become the nearest one: [`json_patch`] keeps every digit).
pub fn to_json_patch(changes: &[Change]) -> serde_json::Value {
    json_patch(changes).to_json()
}

/// The changes as an RFC 6902 JSON Patch document, with every value exactly as in the
/// states (what the CLI prints and the page downloads).
pub fn json_patch(changes: &[Change]) -> Value {
    let ops = changes
        .iter()
        .map(|c| {
            let name = match c.op {
                Op::Add => "add",
                Op::Remove => "remove",
                Op::Replace => "replace",
            };
            let mut op = vec![
                (Str::from("op"), Value::String(Str::from(name))),
                (
                    Str::from("path"),
                    Value::String(Str::from(c.path.to_string())),
                ),
            ];
            if let Some(v) = &c.new {
                op.push((Str::from("value"), v.clone()));
            }
            Value::Object(op.into_iter().collect())
        })
        .collect();
    Value::Array(std::sync::Arc::new(ops))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::patch::apply_patch;
    use serde_json::json;

    #[test]
    fn patch_from_diff_turns_old_into_new() {
        let old = Value::from(json!({"a": 1, "b": [1, 2, 3], "c": {"d": "x"}, "e": true}));
        let new = Value::from(json!({"a": 2, "b": [1, 5], "c": {"f": null}, "g": "new"}));
        let patch = Value::from(to_json_patch(&diff(&old, &new)));
        let mut doc = old.clone();
        apply_patch(&mut doc, &patch).expect("diff must produce an applicable patch");
        assert_eq!(doc, new);
    }

    #[test]
    fn diff_lists_old_and_new_values() {
        let changes = diff(
            &Value::from(json!({"s": "placed"})),
            &Value::from(json!({"s": "paid"})),
        );
        assert_eq!(changes.len(), 1);
        assert_eq!(changes[0].op, Op::Replace);
        assert_eq!(changes[0].path.to_string(), "/s");
        assert_eq!(
            changes[0].old.as_ref().map(Value::to_json),
            Some(json!("placed"))
        );
        assert_eq!(
            changes[0].new.as_ref().map(Value::to_json),
            Some(json!("paid"))
        );
    }
}
