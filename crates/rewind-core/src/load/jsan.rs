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
//! * `(nested too deeply: reference to $.a)`: expanding it would nest the value more than
//!   [`MAX_HEIGHT`] levels deep.
//!
//! Shared values keep the decoded document small, but a value that repeats a shared part
//! many times over is still large to print or walk: levels that each refer twice to the
//! level before double at each level. [`RepeatLimit`] bounds what one value shown (one
//! state, one action) repeats.

use std::collections::{HashMap, HashSet};

use crate::value::{FastHash, Object, Str, Value};

/// The deepest a decoded value may nest: references can nest a value deeper than its
/// text does, and every reader of a value (diffs, the tree, printing) recurses into it.
pub const MAX_HEIGHT: u32 = 256;

/// Values a value may always repeat of its shared parts (see [`RepeatLimit`]); values of
/// a large document may repeat [`REPEATS_PER_NODE`] times the document's nodes.
const MIN_REPEATS: u64 = 1 << 20;
/// See [`MIN_REPEATS`].
const REPEATS_PER_NODE: u64 = 16;

/// Decodes every jsan value in `doc`, resolving references against `doc` itself.
pub fn decode(doc: &Value) -> Value {
    decode_counted(doc).0
}

/// [`decode`], and how many steps it took: one per node visited and one per step of a
/// reference's path. Every container, reference and wrapper is decoded once, so this is
/// at most twice the document's nodes plus the length of its reference paths, whatever
/// the references do.
pub fn decode_counted(doc: &Value) -> (Value, usize) {
    let (_, has_jsan) = survey(doc);
    if !has_jsan {
        return (doc.clone(), 0);
    }
    let mut spans = HashMap::default();
    number(doc, 0, &mut spans);
    let mut decoder = Decoder {
        root: doc,
        spans,
        done: HashMap::default(),
        open: HashSet::default(),
        targets: HashMap::default(),
        resolving: HashSet::default(),
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
/// Two large objects where one was made from the other by a change may share the part
/// holding their first member; values read from one document never do.
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

/// Numbers the containers of `v` in document order from `next`, recording in `spans` each
/// one's number and the number after its descendants; returns the next number.
fn number(v: &Value, next: u32, spans: &mut HashMap<usize, (u32, u32), FastHash>) -> u32 {
    let children: Box<dyn Iterator<Item = &Value>> = match v {
        Value::Array(a) => Box::new(a.iter()),
        Value::Object(o) => Box::new(o.iter().map(|(_, c)| c)),
        _ => return next,
    };
    let end = children.fold(next + 1, |n, c| number(c, n, spans));
    spans.insert(addr(v), (next, end));
    end
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
    /// Levels of nesting: 1 for a scalar.
    height: u32,
}

impl Decoded {
    fn leaf(value: Value) -> Self {
        Decoded { value, height: 1 }
    }

    fn marker(text: String) -> Self {
        Decoded::leaf(Value::String(Str::from(text)))
    }
}

/// What is known of a container while its members are decoded.
struct Built {
    height: u32,
    /// Some member decoded to something else than it was written as.
    changed: bool,
}

struct Decoder<'a> {
    root: &'a Value,
    /// Every container's place in the document: its number in document order and the
    /// number after its last descendant, by address.
    spans: HashMap<usize, (u32, u32), FastHash>,
    /// Decoded containers, references and wrappers, by address.
    done: HashMap<usize, Decoded, FastHash>,
    /// Containers and references being decoded: the ancestors of the current node,
    /// through the references followed to reach it.
    open: HashSet<usize, FastHash>,
    /// The node each reference leads to (`None`: unresolved), by the reference's address.
    targets: HashMap<usize, Option<&'a Value>, FastHash>,
    /// References whose path is being followed, to stop a path that runs through itself.
    resolving: HashSet<usize, FastHash>,
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
                    if let Some(d) = self.done.get(&addr(v)) {
                        return d.clone();
                    }
                    let d = self.node(data, depth, via);
                    self.done.insert(addr(v), d.clone());
                    return d;
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
            // A cycle through references that are not inside their targets (jsan never
            // writes one, but a file may hold one).
            return match via {
                Some(code) => circular(code),
                None => Decoded::marker("(circular reference)".into()),
            };
        }
        if depth >= MAX_HEIGHT {
            return too_deep(via);
        }
        self.open.insert(key);
        let mut out = Built {
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
            height: out.height,
        };
        self.done.insert(key, decoded.clone());
        decoded
    }

    /// Decodes `child`, a member or element of the container at `depth` being built into
    /// `out`.
    fn place(&mut self, child: &'a Value, depth: u32, out: &mut Built) -> Value {
        let d = self.child(child, depth);
        out.height = out.height.max(d.height + 1);
        out.changed |= !(d.value.ptr_eq(child) || is_scalar(child));
        d.value
    }

    /// Decodes a member or element of a container at `depth`, replacing it with a marker
    /// where it would nest too deeply.
    fn child(&mut self, child: &'a Value, depth: u32) -> Decoded {
        let d = self.node(child, depth + 1, None);
        if depth + 1 + d.height > MAX_HEIGHT {
            return too_deep(child.as_object().and_then(jsan_code));
        }
        d
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
            // `r<flags>,<source>`.
            Some('r') => Decoded::marker(match chars.as_str().split_once(',') {
                Some((flags, source)) => format!("(regexp /{source}/{flags})"),
                None => format!("(regexp {})", chars.as_str()),
            }),
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
            // The target holds the reference: what jsan writes for circular state. Deciding
            // this by the document, not by the order of decoding, gives every node the same
            // value whichever reference reaches it first.
            Some(t) if self.encloses(t, v) => circular(code),
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

    /// True when `outer` is `inner` or one of its ancestors in the document.
    fn encloses(&self, outer: &Value, inner: &Value) -> bool {
        match (self.spans.get(&addr(outer)), self.spans.get(&addr(inner))) {
            (Some(&(start, end)), Some(&(at, _))) => start <= at && at < end,
            _ => false,
        }
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
            // References leading to references: a chain that comes back on itself (a
            // reference to itself, or two to each other) leads nowhere.
            let mut followed = 0;
            while let Some(code) = cur.as_object().and_then(jsan_code) {
                followed += 1;
                if !code.starts_with('$') || followed > MAX_HEIGHT {
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

/// Bounds how much of their shared parts the values shown from one decoded document
/// (each state, each action) repeat, so that printing or walking one stays proportional
/// to the document.
///
/// A value within its budget is returned as it is (the common case: states share parts
/// with other states, and rarely repeat a part within themselves). Otherwise it is
/// rebuilt in document order: each part is kept whole while the budget lasts; a part met
/// again once the budget is spent becomes `(repeated value: N values not shown)`. Every
/// distinct part is still shown once, so nothing is lost that the document holds only once.
pub struct RepeatLimit {
    budget: u64,
    /// Values in each shared part, counting repeats, by [`identity`].
    sizes: HashMap<usize, u64, FastHash>,
}

impl RepeatLimit {
    /// The limit for values of `doc` (before or after decoding).
    pub fn for_document(doc: &Value) -> Self {
        let nodes = survey(doc).0 as u64;
        RepeatLimit {
            budget: MIN_REPEATS.max(REPEATS_PER_NODE.saturating_mul(nodes)),
            sizes: HashMap::default(),
        }
    }

    /// Values a value may repeat of its shared parts; one rebuilt to fit shows at most
    /// this many plus, once each, its distinct parts and a marker or scalar per member.
    pub fn budget(&self) -> u64 {
        self.budget
    }

    /// `v`, bounded. `v` must stay alive while this limit is used: parts are known by
    /// address.
    pub fn apply(&mut self, v: &Value) -> Value {
        if self.size(v) <= self.budget {
            return v.clone();
        }
        let mut left = self.budget;
        self.rebuild(v, &mut left, &mut HashSet::default())
    }

    /// Values in `v`, counting repeats (saturating).
    fn size(&mut self, v: &Value) -> u64 {
        let Some(id) = identity(v) else { return 1 };
        if let Some(&n) = self.sizes.get(&id) {
            return n;
        }
        let n = match v {
            Value::Array(a) => a.iter().fold(1u64, |n, c| n.saturating_add(self.size(c))),
            Value::Object(o) => o
                .iter()
                .fold(1u64, |n, (_, c)| n.saturating_add(self.size(c))),
            _ => 1,
        };
        self.sizes.insert(id, n);
        n
    }

    fn rebuild(
        &mut self,
        v: &Value,
        left: &mut u64,
        opened: &mut HashSet<usize, FastHash>,
    ) -> Value {
        let size = self.size(v);
        if size <= *left {
            *left -= size;
            return v.clone();
        }
        let Some(id) = identity(v) else {
            return v.clone();
        };
        if !opened.insert(id) {
            return Value::String(Str::from(format!(
                "(repeated value: {size} values not shown)"
            )));
        }
        match v {
            Value::Array(a) => Value::Array(std::sync::Arc::new(
                a.iter().map(|c| self.rebuild(c, left, opened)).collect(),
            )),
            Value::Object(o) => Value::Object(
                o.iter()
                    .map(|(k, c)| (k.clone(), self.rebuild(c, left, opened)))
                    .collect(),
            ),
            _ => v.clone(),
        }
    }
}

#[cfg(test)]
mod tests;
