//! Decoding of jsan, the encoding Redux DevTools uses for values JSON cannot hold.
//!
//! `{"$jsan": "$.a.b"}` refers to an earlier node of the same document, `"d<ms>"` is a date,
//! `"u"` undefined, `"r…"` a regular expression, `"f…"` a function and `"e…"` an error.
//! References and dates are decoded; the rest become readable placeholder strings.
//! `{data, __serializedType__}` wrappers (Immutable.js collections) become their `data`.

use crate::value::{Object, Str, Value};

/// Decodes every jsan value in `doc`, resolving references against `doc` itself.
pub fn decode(doc: &Value) -> Value {
    if !contains_jsan(doc) {
        return doc.clone();
    }
    decode_in(doc, doc, 0)
}

fn contains_jsan(v: &Value) -> bool {
    match v {
        Value::Object(o) => {
            o.get("$jsan").is_some()
                || o.get("__serializedType__").is_some()
                || o.iter().any(|(_, v)| contains_jsan(v))
        }
        Value::Array(a) => a.iter().any(contains_jsan),
        _ => false,
    }
}

/// References may point at other references; this bounds the chain.
const MAX_REFERENCE_DEPTH: usize = 32;

fn decode_in(v: &Value, root: &Value, depth: usize) -> Value {
    match v {
        Value::Object(o) => {
            if o.len() == 1 {
                if let Some(Value::String(code)) = o.get("$jsan") {
                    return decode_code(code, root, depth);
                }
            }
            if o.get("__serializedType__").is_some() {
                if let Some(data) = o.get("data") {
                    return decode_in(data, root, depth);
                }
            }
            Value::Object(
                o.iter()
                    .map(|(k, v)| (k.clone(), decode_in(v, root, depth)))
                    .collect::<Object>(),
            )
        }
        Value::Array(a) => Value::Array(std::sync::Arc::new(
            a.iter().map(|v| decode_in(v, root, depth)).collect(),
        )),
        other => other.clone(),
    }
}

fn placeholder(text: String) -> Value {
    Value::String(Str::from(text))
}

fn decode_code(code: &str, root: &Value, depth: usize) -> Value {
    let mut chars = code.chars();
    match chars.next() {
        Some('$') => {
            if depth >= MAX_REFERENCE_DEPTH {
                return placeholder(format!("(circular reference {code})"));
            }
            match resolve(code, root) {
                Some(target) => decode_in(target, root, depth + 1),
                None => placeholder(format!("(unresolved reference {code})")),
            }
        }
        // JavaScript writes dates as whole milliseconds since the epoch.
        Some('d') => match chars.as_str().parse::<i64>() {
            Ok(ms) => placeholder(crate::fields::format_rfc3339(ms as f64)),
            Err(_) => placeholder(format!("(date {})", chars.as_str())),
        },
        Some('u') => placeholder("(undefined)".into()),
        Some('r') => placeholder(format!(
            "(regexp {})",
            chars.as_str().trim_start_matches(',')
        )),
        Some('f') => placeholder(format!(
            "(function {})",
            chars.as_str().trim_start_matches(',')
        )),
        Some('e') => placeholder(format!(
            "(error {})",
            chars.as_str().trim_start_matches(',')
        )),
        _ => placeholder(format!("(jsan {code})")),
    }
}

/// Follows a jsan path (`$`, `$.a.b`, `$.list[0]`, `$["odd key"]`) from `root`.
fn resolve<'a>(path: &str, root: &'a Value) -> Option<&'a Value> {
    let mut rest = path.strip_prefix('$')?;
    let mut cur = root;
    while !rest.is_empty() {
        if let Some(r) = rest.strip_prefix('.') {
            let end = r.find(['.', '[']).unwrap_or(r.len());
            cur = crate::pointer::step(cur, &r[..end])?;
            rest = &r[end..];
        } else if let Some(r) = rest.strip_prefix('[') {
            let end = r.find(']')?;
            let inner = &r[..end];
            let key = serde_json::from_str::<String>(inner).unwrap_or_else(|_| inner.to_string());
            cur = crate::pointer::step(cur, &key)?;
            rest = &r[end + 1..];
        } else {
            return None;
        }
    }
    Some(cur)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn references_and_dates_are_decoded() {
        let doc = Value::from(json!({
            "user": {"name": "ada"},
            "copy": {"$jsan": "$.user"},
            "first": {"$jsan": "$.list[0]"},
            "list": ["x"],
            "at": {"$jsan": "d0"},
            "gone": {"$jsan": "u"},
            "imm": {"data": {"k": 1}, "__serializedType__": "ImmutableMap"}
        }));
        let out = decode(&doc).to_json();
        assert_eq!(out["copy"], json!({"name": "ada"}));
        assert_eq!(out["first"], json!("x"));
        assert_eq!(out["at"], json!("1970-01-01T00:00:00.000Z"));
        assert_eq!(out["gone"], json!("(undefined)"));
        assert_eq!(out["imm"], json!({"k": 1}));
    }

    #[test]
    fn circular_references_end_in_a_placeholder() {
        let doc = Value::from(json!({"a": {"$jsan": "$.a"}}));
        let out = decode(&doc).to_json();
        assert!(
            out["a"].as_str().is_some_and(|s| s.contains("circular")),
            "{out}"
        );
    }
}
