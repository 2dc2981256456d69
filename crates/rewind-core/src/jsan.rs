//! Decoding of jsan, the encoding Redux DevTools uses for values JSON cannot hold.
//!
//! `{"$jsan": "$.a.b"}` refers to an earlier node of the same document, `"d<ms>"` is a date,
//! `"u"` undefined, `"r…"` a regular expression, `"f…"` a function, `"e…"` an error and
//! `"s…"`/`"g…"` a symbol. References and dates are decoded; the rest become readable
//! placeholder strings. `{data, __serializedType__}` wrappers (Immutable.js collections)
//! become their `data`.
//!
//! jsan writes every object or array it meets a second time as a reference to the path of
//! its first occurrence, so a Redux state that holds the same object twice, or holds its
//! own ancestor, is written with references. Decoding follows each reference once: a
//! referenced node is decoded once and every reference to it shares the result (cloning a
//! [`Value`] copies a pointer), so the work and the memory are linear in the document,
//! however many paths lead through it. What cannot be expanded becomes a marker string:
//!
//! * `(circular reference to $.a)`: the target holds the reference itself (it is an
//!   ancestor of it, possibly through other references), so expanding it would never end;
//! * `(unresolved reference to $.x)`: the path leads nowhere in the document;
//! * `(shared reference to $.a, not repeated: N values)`: the expanded target is larger
//!   than the document could hold without references many times over (only documents
//!   built to explode get there), so repeating it would make a single value too large to
//!   show;
//! * `(nested too deeply: reference to $.a)`: expanding it would nest the value more than
//!   [`MAX_HEIGHT`] levels deep.

use std::collections::{HashMap, HashSet};

use crate::value::{FastHash, Object, Str, Value};

/// The deepest a decoded value may nest: references can nest a value deeper than its
/// text does, and every reader of a value (diffs, the tree, printing) recurses into it.
pub const MAX_HEIGHT: u32 = 256;

/// Expanded size (in values) a shared reference may always reach; documents with many
/// nodes may reach [`EXPANSION_PER_NODE`] times their node count.
const MIN_EXPANSION: u64 = 1 << 20;
/// See [`MIN_EXPANSION`].
const EXPANSION_PER_NODE: u64 = 16;

/// Decodes every jsan value in `doc`, resolving references against `doc` itself.
pub fn decode(doc: &Value) -> Value {
    decode_counted(doc).0
}

/// [`decode`], and how many steps it took: one per node visited and one per step of a
/// reference's path. It is at most twice the document's nodes plus the length of its
/// reference paths, whatever the references do.
pub fn decode_counted(doc: &Value) -> (Value, usize) {
    let (nodes, has_jsan) = survey(doc);
    if !has_jsan {
        return (doc.clone(), 0);
    }
    let mut decoder = Decoder {
        root: doc,
        done: HashMap::default(),
        open: HashSet::default(),
        targets: HashMap::default(),
        resolving: HashSet::default(),
        max_expansion: MIN_EXPANSION.max(EXPANSION_PER_NODE.saturating_mul(nodes as u64)),
        work: 0,
    };
    let decoded = decoder.node(doc, 0, None);
    (decoded.value, decoder.work)
}

/// The nodes of `v` (every object, array and scalar, each shared subtree counted once),
/// so that a decoded value's real size can be compared with its text.
pub fn distinct_nodes(v: &Value) -> usize {
    fn walk(v: &Value, seen: &mut HashSet<usize, FastHash>) -> usize {
        if let Some(id) = identity(v) {
            if !seen.insert(id) {
                return 0;
            }
        }
        1 + match v {
            Value::Array(a) => a.iter().map(|c| walk(c, seen)).sum(),
            Value::Object(o) => o.iter().map(|(_, c)| walk(c, seen)).sum(),
            _ => 0,
        }
    }
    walk(v, &mut HashSet::default())
}

/// The address of a container's shared allocation (an object's first member lives in it).
fn identity(v: &Value) -> Option<usize> {
    match v {
        Value::Array(a) if !a.is_empty() => Some(a.as_ptr() as usize),
        Value::Object(o) => o.iter().next().map(|(k, _)| k as *const Str as usize),
        _ => None,
    }
}

/// The number of nodes of `v` as written, and whether any of them is jsan.
fn survey(v: &Value) -> (usize, bool) {
    match v {
        Value::Object(o) => {
            let own = o.get("$jsan").is_some() || o.get("__serializedType__").is_some();
            o.iter().fold((1, own), |(n, j), (_, c)| {
                let (cn, cj) = survey(c);
                (n + cn, j || cj)
            })
        }
        Value::Array(a) => a.iter().fold((1, false), |(n, j), c| {
            let (cn, cj) = survey(c);
            (n + cn, j || cj)
        }),
        _ => (1, false),
    }
}

/// The code of a jsan value: an object whose only member is the string `$jsan`.
fn jsan_code(o: &Object) -> Option<&str> {
    match (o.len(), o.get("$jsan")) {
        (1, Some(Value::String(code))) => Some(code),
        _ => None,
    }
}

/// The `data` of an Immutable.js wrapper.
fn wrapped_data(o: &Object) -> Option<&Value> {
    o.get("__serializedType__").and(o.get("data"))
}

/// A node's address in the document being decoded, which does not move while decoding.
fn addr(v: &Value) -> usize {
    v as *const Value as usize
}

/// A decoded node, with what its placement needs to know.
#[derive(Clone)]
struct Decoded {
    value: Value,
    /// Values in it, counting shared ones every time they appear (saturating).
    size: u64,
    /// Levels of nesting: 1 for a scalar.
    height: u32,
}

impl Decoded {
    fn leaf(value: Value) -> Self {
        Decoded {
            value,
            size: 1,
            height: 1,
        }
    }

    fn marker(text: String) -> Self {
        Decoded::leaf(Value::String(Str::from(text)))
    }
}

/// What is known of a container while its members are decoded.
struct Built {
    size: u64,
    height: u32,
    /// Some member decoded to something else than it was written as.
    changed: bool,
}

struct Decoder<'a> {
    root: &'a Value,
    /// Decoded containers and references, by address.
    done: HashMap<usize, Decoded, FastHash>,
    /// Containers and references being decoded: the ancestors of the current node,
    /// through the references followed to reach it.
    open: HashSet<usize, FastHash>,
    /// The node each reference leads to (`None`: unresolved), by the reference's address.
    targets: HashMap<usize, Option<&'a Value>, FastHash>,
    /// References whose path is being followed, to stop a path that runs through itself.
    resolving: HashSet<usize, FastHash>,
    /// The largest expanded size a reference may be repeated with.
    max_expansion: u64,
    work: usize,
}

impl<'a> Decoder<'a> {
    /// Decodes `v`, found `depth` levels (of nesting and references followed) below the
    /// root; `via` is the reference that led to it, if one did.
    fn node(&mut self, v: &'a Value, depth: u32, via: Option<&'a str>) -> Decoded {
        self.work += 1;
        match v {
            Value::Object(o) => {
                if let Some(code) = jsan_code(o) {
                    return self.code(v, code, depth);
                }
                if let Some(data) = wrapped_data(o) {
                    return self.node(data, depth, via);
                }
                self.container(v, depth, via)
            }
            Value::Array(_) => self.container(v, depth, via),
            _ => Decoded::leaf(v.clone()),
        }
    }

    fn container(&mut self, v: &'a Value, depth: u32, via: Option<&'a str>) -> Decoded {
        let key = addr(v);
        if let Some(d) = self.done.get(&key) {
            return d.clone();
        }
        if self.open.contains(&key) {
            return circular(via.unwrap_or("$"));
        }
        if depth >= MAX_HEIGHT {
            return too_deep(via);
        }
        self.open.insert(key);
        let mut out = Built {
            size: 1,
            height: 1,
            changed: false,
        };
        let value = match v {
            Value::Array(a) => {
                let items: Vec<Value> = a.iter().map(|c| self.place(c, depth, &mut out)).collect();
                Value::Array(std::sync::Arc::new(items))
            }
            Value::Object(o) => {
                let mut members = Vec::with_capacity(o.len());
                for (k, c) in o.iter() {
                    // jsan writes a member that is really named `$jsan` as a one-element array.
                    let c = match c {
                        Value::Array(a) if k.as_ref() == "$jsan" && a.len() == 1 => {
                            out.changed = true;
                            &a[0]
                        }
                        _ => c,
                    };
                    members.push((k.clone(), self.place(c, depth, &mut out)));
                }
                Value::Object(members.into_iter().collect::<Object>())
            }
            _ => v.clone(),
        };
        self.open.remove(&key);
        let decoded = Decoded {
            // Nothing inside changed: keep sharing the original.
            value: if out.changed { value } else { v.clone() },
            size: out.size,
            height: out.height,
        };
        self.done.insert(key, decoded.clone());
        decoded
    }

    /// Decodes `child`, a member or element of the container at `depth` being built into
    /// `out`.
    fn place(&mut self, child: &'a Value, depth: u32, out: &mut Built) -> Value {
        let d = self.child(child, depth);
        out.size = out.size.saturating_add(d.size);
        out.height = out.height.max(d.height + 1);
        out.changed |= !(d.value.ptr_eq(child) || is_scalar(child));
        d.value
    }

    /// Decodes a member or element of a container at `depth`, replacing it with a marker
    /// where it would nest too deeply or repeat too much.
    fn child(&mut self, child: &'a Value, depth: u32) -> Decoded {
        let d = self.node(child, depth + 1, None);
        let code = child.as_object().and_then(jsan_code);
        if depth + 1 + d.height > MAX_HEIGHT {
            return too_deep(code);
        }
        match code {
            Some(code) if d.size > self.max_expansion => Decoded::marker(format!(
                "(shared reference to {code}, not repeated: {} values)",
                d.size
            )),
            _ => d,
        }
    }

    fn code(&mut self, v: &'a Value, code: &'a str, depth: u32) -> Decoded {
        let mut chars = code.chars();
        let rest = || code.get(1..).unwrap_or("").trim_start_matches(',');
        match chars.next() {
            Some('$') => self.reference(v, code, depth),
            // JavaScript writes dates as whole milliseconds since the epoch.
            Some('d') => match chars.as_str().parse::<i64>() {
                Ok(ms) => Decoded::marker(crate::fields::format_rfc3339(ms as f64)),
                Err(_) => Decoded::marker(format!("(date {})", chars.as_str())),
            },
            Some('u') => Decoded::marker("(undefined)".into()),
            Some('r') => Decoded::marker(format!("(regexp {})", rest())),
            Some('f') => Decoded::marker(format!("(function {})", rest())),
            Some('e') => Decoded::marker(format!("(error {})", rest())),
            Some('s' | 'g') => Decoded::marker(format!("(symbol {})", rest())),
            _ => Decoded::marker(format!("(jsan {code})")),
        }
    }

    fn reference(&mut self, v: &'a Value, code: &'a str, depth: u32) -> Decoded {
        let key = addr(v);
        if let Some(d) = self.done.get(&key) {
            return d.clone();
        }
        if self.open.contains(&key) {
            return circular(code);
        }
        if depth >= MAX_HEIGHT {
            return too_deep(Some(code));
        }
        let decoded = match self.target(v, code, 0) {
            None => Decoded::marker(format!("(unresolved reference to {code})")),
            Some(t) => {
                self.open.insert(key);
                let d = self.node(t, depth + 1, Some(code));
                self.open.remove(&key);
                d
            }
        };
        self.done.insert(key, decoded.clone());
        decoded
    }

    /// The node the reference `r` (with path `code`) leads to, found once. `hops` counts
    /// the references being resolved to reach it, which bounds the recursion.
    fn target(&mut self, r: &'a Value, code: &'a str, hops: u32) -> Option<&'a Value> {
        let key = addr(r);
        if let Some(&t) = self.targets.get(&key) {
            return t;
        }
        if hops >= MAX_HEIGHT || !self.resolving.insert(key) {
            return None;
        }
        let t = self.walk(code, hops);
        self.resolving.remove(&key);
        self.targets.insert(key, t);
        t
    }

    /// Follows a path from the root; a reference met on the way is followed too (jsan
    /// never writes one there, but a path through one still has a meaning).
    fn walk(&mut self, path: &'a str, hops: u32) -> Option<&'a Value> {
        let mut cur = self.root;
        let mut rest = path.strip_prefix('$')?;
        while !rest.is_empty() {
            self.work += 1;
            let (key, after) = next_step(rest)?;
            rest = after;
            while let Some(code) = cur.as_object().and_then(jsan_code) {
                if !code.starts_with('$') {
                    return None;
                }
                cur = self.target(cur, code, hops + 1)?;
            }
            cur = match crate::pointer::step(cur, &key) {
                Some(next) => next,
                // A path written before the wrapper was taken off may skip its `data`.
                None => crate::pointer::step(cur.as_object().and_then(wrapped_data)?, &key)?,
            };
        }
        Some(cur)
    }
}

fn is_scalar(v: &Value) -> bool {
    !matches!(v, Value::Array(_) | Value::Object(_))
}

fn circular(code: &str) -> Decoded {
    Decoded::marker(format!("(circular reference to {code})"))
}

fn too_deep(code: Option<&str>) -> Decoded {
    Decoded::marker(match code {
        Some(code) => format!("(nested too deeply: reference to {code})"),
        None => "(nested too deeply)".into(),
    })
}

/// The first step of a jsan path (`.key`, `[3]` or `["odd key"]`) and what follows it.
fn next_step(path: &str) -> Option<(String, &str)> {
    if let Some(r) = path.strip_prefix('.') {
        let end = r.find(['.', '[']).unwrap_or(r.len());
        return Some((r[..end].to_string(), &r[end..]));
    }
    let r = path.strip_prefix('[')?;
    if r.starts_with('"') {
        // A JSON string: find its closing quote, skipping escaped characters.
        let mut escaped = false;
        let close = r.char_indices().skip(1).find_map(|(i, c)| {
            let end = !escaped && c == '"';
            escaped = !escaped && c == '\\';
            end.then_some(i)
        })?;
        let quoted = &r[..=close];
        let after = r[close + 1..].strip_prefix(']')?;
        let key = serde_json::from_str::<String>(quoted)
            .unwrap_or_else(|_| quoted[1..quoted.len() - 1].replace("\\\"", "\""));
        return Some((key, after));
    }
    let end = r.find(']')?;
    Some((r[..end].to_string(), &r[end + 1..]))
}

#[cfg(test)]
mod tests;
