//! A persistent JSON value: cloning one is a pointer copy, and changing a clone copies only
//! the path to the change. Snapshots of the state are therefore cheap.
//!
//! Objects keep their members sorted by key, so output and the tree in the UI never jump
//! around while scrubbing. Small objects (the common case: one aggregate's fields) are a
//! shared sorted slice, which costs exactly its members; objects that grow past
//! [`LARGE_OBJECT`] members become an [`imbl::OrdMap`] (a persistent B-tree), so that a root
//! holding 300,000 streams is updated in O(log n) without copying it.

use std::fmt;
use std::sync::Arc;

use serde::de::{self, DeserializeSeed, MapAccess, SeqAccess, Visitor};
use serde::ser::{SerializeMap, SerializeSeq};
use serde::{Deserialize, Serialize};

pub use crate::number::Number;

/// A shared, immutable string (keys and string values).
pub type Str = Arc<str>;

/// Members above which an object switches from a sorted vector to a persistent B-tree.
pub const LARGE_OBJECT: usize = 64;

/// A JSON value with structural sharing.
#[derive(Clone, Debug, Default)]
pub enum Value {
    /// `null`, and the state before the first event is an empty object, not this.
    #[default]
    Null,
    /// `true` or `false`.
    Bool(bool),
    /// Any JSON number, with its exact value (see [`Number`]).
    Number(Number),
    /// A string.
    String(Str),
    /// An array; changing one element copies the element pointers (arrays in event
    /// payloads are short).
    Array(Arc<Vec<Value>>),
    /// An object with sorted keys.
    Object(Object),
}

/// The members of a JSON object, sorted by key.
#[derive(Clone)]
pub enum Object {
    /// Up to [`LARGE_OBJECT`] members in a shared sorted slice of exactly their size.
    Small(Arc<[(Str, Value)]>),
    /// More members, in a persistent B-tree.
    Large(imbl::OrdMap<Str, Value>),
}

impl Default for Object {
    fn default() -> Self {
        Object::Small(Arc::from(Vec::new()))
    }
}

impl fmt::Debug for Object {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_map().entries(self.iter()).finish()
    }
}

impl Object {
    /// An empty object.
    pub fn new() -> Self {
        Self::default()
    }

    /// Number of members.
    pub fn len(&self) -> usize {
        match self {
            Object::Small(v) => v.len(),
            Object::Large(m) => m.len(),
        }
    }

    /// True when the object has no member.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The member named `key`.
    pub fn get(&self, key: &str) -> Option<&Value> {
        match self {
            Object::Small(v) => v
                .binary_search_by(|(k, _)| k.as_ref().cmp(key))
                .ok()
                .map(|i| &v[i].1),
            Object::Large(m) => m.get(key),
        }
    }

    /// Members in key order.
    pub fn iter(&self) -> ObjectIter<'_> {
        match self {
            Object::Small(v) => ObjectIter::Small(v.iter()),
            Object::Large(m) => ObjectIter::Large(m.iter()),
        }
    }

    /// The `n`-th member in key order, for paging through a large object.
    pub fn nth(&self, n: usize) -> Option<(&Str, &Value)> {
        match self {
            Object::Small(v) => v.get(n).map(|(k, v)| (k, v)),
            Object::Large(m) => m.iter().nth(n),
        }
    }

    /// Sets `key` to `value`, copying only what is shared with other versions.
    pub fn insert(&mut self, key: Str, value: Value) {
        match self {
            Object::Small(v) => match v.binary_search_by(|(k, _)| k.as_ref().cmp(&key)) {
                Ok(i) => Arc::make_mut(v)[i].1 = value,
                Err(i) => {
                    let mut members = Vec::with_capacity(v.len() + 1);
                    members.extend_from_slice(&v[..i]);
                    members.push((key, value));
                    members.extend_from_slice(&v[i..]);
                    *self = if members.len() > LARGE_OBJECT {
                        Object::Large(members.into_iter().collect())
                    } else {
                        Object::Small(Arc::from(members))
                    };
                }
            },
            Object::Large(m) => {
                m.insert(key, value);
            }
        }
    }

    /// Removes `key`, returning its value.
    pub fn remove(&mut self, key: &str) -> Option<Value> {
        match self {
            Object::Small(v) => {
                let i = v.binary_search_by(|(k, _)| k.as_ref().cmp(key)).ok()?;
                let removed = v[i].1.clone();
                let members: Vec<(Str, Value)> = v
                    .iter()
                    .enumerate()
                    .filter(|&(j, _)| j != i)
                    .map(|(_, m)| m.clone())
                    .collect();
                *v = Arc::from(members);
                Some(removed)
            }
            Object::Large(m) => m.remove(key),
        }
    }

    /// A mutable reference to the member `key`, copying the shared path to it.
    pub fn get_mut(&mut self, key: &str) -> Option<&mut Value> {
        match self {
            Object::Small(v) => {
                let i = v.binary_search_by(|(k, _)| k.as_ref().cmp(key)).ok()?;
                Some(&mut Arc::make_mut(v)[i].1)
            }
            Object::Large(m) => m.get_mut(key),
        }
    }

    /// True when both objects are the same shared allocation (so certainly equal).
    pub fn ptr_eq(&self, other: &Object) -> bool {
        match (self, other) {
            (Object::Small(a), Object::Small(b)) => Arc::ptr_eq(a, b),
            (Object::Large(a), Object::Large(b)) => a.ptr_eq(b),
            _ => false,
        }
    }
}

/// Iterator over an object's members in key order.
pub enum ObjectIter<'a> {
    /// Over a small object.
    Small(std::slice::Iter<'a, (Str, Value)>),
    /// Over a large object.
    Large(imbl::ordmap::Iter<'a, Str, Value, imbl::shared_ptr::DefaultSharedPtr>),
}

impl<'a> Iterator for ObjectIter<'a> {
    type Item = (&'a Str, &'a Value);
    fn next(&mut self) -> Option<Self::Item> {
        match self {
            ObjectIter::Small(it) => it.next().map(|(k, v)| (k, v)),
            ObjectIter::Large(it) => it.next(),
        }
    }
}

impl FromIterator<(Str, Value)> for Object {
    fn from_iter<I: IntoIterator<Item = (Str, Value)>>(iter: I) -> Self {
        let mut members: Vec<(Str, Value)> = iter.into_iter().collect();
        // Stable sort, then keep the last of equal keys (JSON's "last one wins").
        members.sort_by(|a, b| a.0.cmp(&b.0));
        let mut deduped: Vec<(Str, Value)> = Vec::with_capacity(members.len());
        for (k, v) in members {
            match deduped.last_mut() {
                Some(last) if last.0 == k => last.1 = v,
                _ => deduped.push((k, v)),
            }
        }
        if deduped.len() > LARGE_OBJECT {
            Object::Large(deduped.into_iter().collect())
        } else {
            Object::Small(Arc::from(deduped))
        }
    }
}

impl PartialEq for Object {
    fn eq(&self, other: &Self) -> bool {
        self.ptr_eq(other) || (self.len() == other.len() && self.iter().eq(other.iter()))
    }
}

impl PartialEq for Value {
    fn eq(&self, other: &Self) -> bool {
        match (self, other) {
            (Value::Null, Value::Null) => true,
            (Value::Bool(a), Value::Bool(b)) => a == b,
            (Value::Number(a), Value::Number(b)) => a == b,
            (Value::String(a), Value::String(b)) => a == b,
            (Value::Array(a), Value::Array(b)) => Arc::ptr_eq(a, b) || a == b,
            (Value::Object(a), Value::Object(b)) => a == b,
            _ => false,
        }
    }
}

impl Value {
    /// An empty object: the state before the first event.
    pub fn empty_object() -> Self {
        Value::Object(Object::new())
    }

    /// The object's members, if this is an object.
    pub fn as_object(&self) -> Option<&Object> {
        match self {
            Value::Object(o) => Some(o),
            _ => None,
        }
    }

    /// The string, if this is a string.
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Value::String(s) => Some(s),
            _ => None,
        }
    }

    /// True for `null`.
    pub fn is_null(&self) -> bool {
        matches!(self, Value::Null)
    }

    /// True when both are the same shared allocation or the same scalar.
    pub fn ptr_eq(&self, other: &Value) -> bool {
        match (self, other) {
            (Value::Array(a), Value::Array(b)) => Arc::ptr_eq(a, b),
            (Value::Object(a), Value::Object(b)) => a.ptr_eq(b),
            (Value::String(a), Value::String(b)) => Arc::ptr_eq(a, b),
            _ => false,
        }
    }

    /// A short name of the JSON type, for messages.
    pub fn kind(&self) -> &'static str {
        match self {
            Value::Null => "null",
            Value::Bool(_) => "boolean",
            Value::Number(_) => "number",
            Value::String(_) => "string",
            Value::Array(_) => "array",
            Value::Object(_) => "object",
        }
    }

    /// What kind of value this is, as a message says it: `null`, `a boolean`, `a number`,
    /// `a string`, `an array` or `an object`.
    pub fn kind_phrase(&self) -> &'static str {
        match self {
            Value::Null => "null",
            Value::Bool(_) => "a boolean",
            Value::Number(_) => "a number",
            Value::String(_) => "a string",
            Value::Array(_) => "an array",
            Value::Object(_) => "an object",
        }
    }

    /// Converts to a `serde_json::Value` (keys in sorted order). A number that no `f64`
    /// holds becomes the nearest one (or `null` beyond the `f64` range), since
    /// `serde_json::Number` cannot hold more: print with [`Value::to_compact_string`] to
    /// keep every digit.
    pub fn to_json(&self) -> serde_json::Value {
        match self {
            Value::Null => serde_json::Value::Null,
            Value::Bool(b) => serde_json::Value::Bool(*b),
            Value::Number(n) => n
                .to_serde()
                .map_or(serde_json::Value::Null, serde_json::Value::Number),
            Value::String(s) => serde_json::Value::String(s.to_string()),
            Value::Array(a) => serde_json::Value::Array(a.iter().map(Value::to_json).collect()),
            Value::Object(o) => serde_json::Value::Object(
                o.iter()
                    .map(|(k, v)| (k.to_string(), v.to_json()))
                    .collect(),
            ),
        }
    }

    /// Pretty-printed JSON text with two-space indentation.
    pub fn to_pretty_string(&self) -> String {
        serde_json::to_string_pretty(self).unwrap_or_else(|e| format!("<unprintable: {e}>"))
    }

    /// Compact JSON text.
    pub fn to_compact_string(&self) -> String {
        serde_json::to_string(self).unwrap_or_else(|e| format!("<unprintable: {e}>"))
    }
}

impl From<&serde_json::Value> for Value {
    fn from(v: &serde_json::Value) -> Self {
        match v {
            serde_json::Value::Null => Value::Null,
            serde_json::Value::Bool(b) => Value::Bool(*b),
            serde_json::Value::Number(n) => Value::Number(Number::from(n.clone())),
            serde_json::Value::String(s) => Value::String(Str::from(s.as_str())),
            serde_json::Value::Array(a) => {
                Value::Array(Arc::new(a.iter().map(Value::from).collect()))
            }
            serde_json::Value::Object(o) => Value::Object(
                o.iter()
                    .map(|(k, v)| (Str::from(k.as_str()), Value::from(v)))
                    .collect(),
            ),
        }
    }
}

impl From<serde_json::Value> for Value {
    fn from(v: serde_json::Value) -> Self {
        Value::from(&v)
    }
}

impl Serialize for Value {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            Value::Null => s.serialize_unit(),
            Value::Bool(b) => s.serialize_bool(*b),
            Value::Number(n) => serialize_number(n, s),
            Value::String(v) => s.serialize_str(v),
            Value::Array(a) => {
                let mut seq = s.serialize_seq(Some(a.len()))?;
                for v in a.iter() {
                    seq.serialize_element(v)?;
                }
                seq.end()
            }
            Value::Object(o) => {
                let mut map = s.serialize_map(Some(o.len()))?;
                for (k, v) in o.iter() {
                    map.serialize_entry(k.as_ref(), v)?;
                }
                map.end()
            }
        }
    }
}

/// A number through any serializer: as a machine number when one holds it; otherwise as
/// JSON text that serde_json writes as it is (`-0`, `12345678901234567890123`, `1e400`).
fn serialize_number<S: serde::Serializer>(n: &Number, s: S) -> Result<S::Ok, S::Error> {
    if let Some(text) = n.raw_text() {
        let raw = serde_json::value::RawValue::from_string(text.to_string())
            .map_err(serde::ser::Error::custom)?;
        return raw.serialize(s);
    }
    match n.to_serde() {
        Some(n) => n.serialize(s),
        None => s.serialize_unit(),
    }
}

/// Reads JSON text straight into a [`Value`], without an intermediate tree. Through this
/// trait the parser hands over numbers as `f64` where they are not 64-bit integers, so
/// digits beyond an `f64` are lost and `1e400` is refused: [`parse`] keeps them.
impl<'de> Deserialize<'de> for Value {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        ValueSeed(&mut Interner::default()).deserialize(d)
    }
}

/// Reads one JSON value from `text`, keeping everything `JSON.parse` keeps: numbers exactly
/// as written, lone surrogate escapes, the last value of a repeated key.
pub fn parse(text: &[u8]) -> Result<Value, serde_json::Error> {
    parse_with(text, &mut Interner::default())
}

/// [`parse`], sharing keys through `interner`. serde_json reads first (fast); the few
/// texts it cannot read faithfully (a number it read as an `f64`, a lone surrogate, a
/// number beyond the `f64` range) are read again by the exact reader. When neither
/// reads the text, serde_json's error says where and why.
pub fn parse_with(text: &[u8], interner: &mut Interner) -> Result<Value, serde_json::Error> {
    interner.inexact = false;
    let fast = match std::str::from_utf8(text) {
        Ok(s) => read_one(serde_json::Deserializer::from_str(s), interner),
        Err(_) => read_one(serde_json::Deserializer::from_slice(text), interner),
    };
    match fast {
        Ok(v) if !interner.inexact || crate::number::all_fit_f64(text) => Ok(v),
        Ok(v) => Ok(crate::exact::parse(text, interner).unwrap_or(v)),
        Err(e) => crate::exact::parse(text, interner).ok_or(e),
    }
}

fn read_one<'de, R: serde_json::de::Read<'de>>(
    mut de: serde_json::Deserializer<R>,
    interner: &mut Interner,
) -> Result<Value, serde_json::Error> {
    let v = ValueSeed(interner).deserialize(&mut de)?;
    de.end()?;
    Ok(v)
}

/// Shares the allocations of repeated object keys (`status`, `qty`, `SKU-0042`...) across
/// every value parsed with it: a log of a million events repeats a few hundred keys.
#[derive(Default)]
pub struct Interner {
    keys: std::collections::HashSet<Str, FastHash>,
    /// Set when a number was read as an `f64` (a fraction, an exponent, `-0`, or an
    /// integer beyond 64 bits), whose text may hold more than the `f64` does: the reader
    /// that has the text then reads it again exactly (see [`parse`]).
    pub(crate) inexact: bool,
}

/// Keys longer than this are not interned (ids used as keys are rarely repeated).
const INTERN_MAX_LEN: usize = 32;
/// String values up to this length are interned too.
const INTERN_VALUE_MAX_LEN: usize = 12;
/// Bound on distinct interned keys, so logs keyed by unique ids cannot grow the table.
const INTERN_MAX_KEYS: usize = 1 << 16;

impl Interner {
    /// The shared copy of `key`.
    pub fn intern(&mut self, key: &str) -> Str {
        if key.len() > INTERN_MAX_LEN {
            return Str::from(key);
        }
        if let Some(k) = self.keys.get(key) {
            return k.clone();
        }
        let k = Str::from(key);
        if self.keys.len() < INTERN_MAX_KEYS {
            self.keys.insert(k.clone());
        }
        k
    }
}

/// The hasher of the core's tables of names and keys: rustc's Fx hash, fast for short
/// keys (no HashDoS concern: the keys come from the person's own file).
pub type FastHash = rustc_hash::FxBuildHasher;

/// Parses one JSON value into a [`Value`], interning object keys.
pub struct ValueSeed<'i>(pub &'i mut Interner);

impl<'de> DeserializeSeed<'de> for ValueSeed<'_> {
    type Value = Value;
    fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        d.deserialize_any(ValueVisitor(self.0))
    }
}

/// Builds a [`Value`] from whatever the deserializer holds, interning keys.
pub(crate) struct ValueVisitor<'i>(pub(crate) &'i mut Interner);

impl<'de> Visitor<'de> for ValueVisitor<'_> {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON value")
    }
    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Value, E> {
        Ok(Value::Bool(v))
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Value, E> {
        Ok(Value::Number(v.into()))
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Value, E> {
        Ok(Value::Number(v.into()))
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Value, E> {
        self.0.inexact = true;
        Ok(Number::from_f64(v).map_or(Value::Null, Value::Number))
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Value, E> {
        // Short strings repeat (statuses, currencies, flags): share them.
        if v.len() <= INTERN_VALUE_MAX_LEN {
            return Ok(Value::String(self.0.intern(v)));
        }
        Ok(Value::String(Str::from(v)))
    }
    fn visit_unit<E: de::Error>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_none<E: de::Error>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut items = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(1024));
        while let Some(v) = seq.next_element_seed(ValueSeed(&mut *self.0))? {
            items.push(v);
        }
        Ok(Value::Array(Arc::new(items)))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let mut members: Vec<(Str, Value)> = Vec::new();
        while let Some(k) = map.next_key_seed(KeySeed(&mut *self.0))? {
            let v = map.next_value_seed(ValueSeed(&mut *self.0))?;
            members.push((k, v));
        }
        Ok(Value::Object(members.into_iter().collect()))
    }
}

/// Reads an object key straight into an interned [`Str`].
struct KeySeed<'i>(&'i mut Interner);

impl<'de> DeserializeSeed<'de> for KeySeed<'_> {
    type Value = Str;
    fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<Str, D::Error> {
        d.deserialize_str(self)
    }
}

impl<'de> Visitor<'de> for KeySeed<'_> {
    type Value = Str;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an object key")
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Str, E> {
        Ok(self.0.intern(v))
    }
}

impl fmt::Display for Value {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_compact_string())
    }
}
