//! Searching a state for keys and values, for the State region's search box.

use rewind_core::pointer::escape;
use rewind_core::Value;

/// Pointers of the nodes in `state` whose key or scalar value contains `query`
/// (case-insensitive), in document order, at most `limit` of them.
pub fn search(state: &Value, query: &str, limit: usize) -> Vec<String> {
    fn walk(v: &Value, at: &str, q: &str, limit: usize, out: &mut Vec<String>) {
        if out.len() >= limit {
            return;
        }
        match v {
            Value::Object(o) => {
                for (k, child) in o.iter() {
                    if out.len() >= limit {
                        return;
                    }
                    let p = format!("{at}/{}", escape(k));
                    if k.to_lowercase().contains(q) || scalar_matches(child, q) {
                        out.push(p.clone());
                        if out.len() >= limit {
                            return;
                        }
                    }
                    walk(child, &p, q, limit, out);
                }
            }
            Value::Array(a) => {
                for (i, child) in a.iter().enumerate() {
                    if out.len() >= limit {
                        return;
                    }
                    let p = format!("{at}/{i}");
                    if scalar_matches(child, q) {
                        out.push(p.clone());
                        if out.len() >= limit {
                            return;
                        }
                    }
                    walk(child, &p, q, limit, out);
                }
            }
            _ => {}
        }
    }
    fn scalar_matches(v: &Value, q: &str) -> bool {
        match v {
            Value::Object(_) | Value::Array(_) => false,
            Value::String(s) => s.to_lowercase().contains(q),
            other => other.to_compact_string().contains(q),
        }
    }
    let mut out = Vec::new();
    let q = query.to_lowercase();
    if !q.is_empty() {
        walk(state, "", &q, limit, &mut out);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn finds_keys_and_values_in_document_order() {
        let v = Value::from(
            json!({"order-1": {"status": "PAID", "note": "x"}, "paid": true, "n": [1, "unpaid"]}),
        );
        assert_eq!(search(&v, "paid", 10), ["/n/1", "/order-1/status", "/paid"]);
        assert_eq!(search(&v, "paid", 1), ["/n/1"]);
        assert!(search(&v, "", 10).is_empty());
    }
}
