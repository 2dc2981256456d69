//! RFC 7396 JSON Merge Patch over persistent values.

use crate::value::{Object, Value};

/// Applies `patch` to `target` in place (RFC 7396 §2): objects merge recursively, a `null`
/// member deletes that member, anything else replaces the target.
pub fn merge_patch(target: &mut Value, patch: &Value) {
    let Value::Object(patch_members) = patch else {
        *target = patch.clone();
        return;
    };
    let Value::Object(members) = target else {
        *target = fresh(patch);
        return;
    };
    for (key, p) in patch_members.iter() {
        if p.is_null() {
            members.remove(key);
        } else if let Some(existing) = members.get_mut(key) {
            merge_patch(existing, p);
        } else {
            members.insert(key.clone(), fresh(p));
        }
    }
}

/// `merge_patch(null, patch)`: the patch without its `null` members. A patch without any
/// is shared as it is, not copied.
fn fresh(patch: &Value) -> Value {
    match patch {
        Value::Object(members) if has_null_member(patch) => Value::Object(
            members
                .iter()
                .filter(|(_, v)| !v.is_null())
                .map(|(k, v)| (k.clone(), fresh(v)))
                .collect::<Object>(),
        ),
        other => other.clone(),
    }
}

fn has_null_member(v: &Value) -> bool {
    match v {
        Value::Object(members) => members
            .iter()
            .any(|(_, m)| m.is_null() || has_null_member(m)),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    /// RFC 7396 Appendix A, every example.
    #[test]
    fn rfc_7396_appendix_a() {
        let cases = [
            (json!({"a":"b"}), json!({"a":"c"}), json!({"a":"c"})),
            (json!({"a":"b"}), json!({"b":"c"}), json!({"a":"b","b":"c"})),
            (json!({"a":"b"}), json!({"a":null}), json!({})),
            (
                json!({"a":"b","b":"c"}),
                json!({"a":null}),
                json!({"b":"c"}),
            ),
            (json!({"a":["b"]}), json!({"a":"c"}), json!({"a":"c"})),
            (json!({"a":"c"}), json!({"a":["b"]}), json!({"a":["b"]})),
            (
                json!({"a":{"b":"c"}}),
                json!({"a":{"b":"d","c":null}}),
                json!({"a":{"b":"d"}}),
            ),
            (json!({"a":[{"b":"c"}]}), json!({"a":[1]}), json!({"a":[1]})),
            (json!(["a", "b"]), json!(["c", "d"]), json!(["c", "d"])),
            (json!({"a":"b"}), json!(["c"]), json!(["c"])),
            (json!({"a":"foo"}), json!(null), json!(null)),
            (json!({"a":"foo"}), json!("bar"), json!("bar")),
            (json!({"e":null}), json!({"a":1}), json!({"e":null,"a":1})),
            (json!([1, 2]), json!({"a":"b","c":null}), json!({"a":"b"})),
            (
                json!({}),
                json!({"a":{"bb":{"ccc":null}}}),
                json!({"a":{"bb":{}}}),
            ),
        ];
        for (target, patch, expected) in cases {
            let mut t = Value::from(&target);
            merge_patch(&mut t, &Value::from(&patch));
            assert_eq!(t.to_json(), expected, "{target} + {patch}");
        }
    }

    #[test]
    fn merging_a_clone_leaves_the_original_untouched() {
        let original = Value::from(json!({"a": {"b": 1}, "c": 2}));
        let mut next = original.clone();
        merge_patch(&mut next, &Value::from(json!({"a": {"b": 5}})));
        assert_eq!(original.to_json(), json!({"a": {"b": 1}, "c": 2}));
        assert_eq!(next.to_json(), json!({"a": {"b": 5}, "c": 2}));
    }
}
