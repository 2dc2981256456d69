//! [`JqValue`]: the core's persistent [`Value`] as a jaq value, with jq's order,
//! conversions and printing. Nothing is converted per run: jq works on the state itself,
//! and what a program leaves untouched stays shared with the input.

use std::cmp::Ordering;
use std::fmt;
use std::sync::Arc;

use jaq_core::val::Range;

use super::num::{self, Num};
use crate::value::{Number, Object, Str, Value};

/// A [`Value`] that jaq runs on (a newtype, so that jaq's traits can be implemented).
/// Converting either way is free: it is the same value, shared.
#[derive(Clone, Debug, Default)]
pub struct JqValue(
    /// The value itself.
    pub Value,
);

/// A jq error over [`JqValue`].
pub(crate) type Error = jaq_core::Error<JqValue>;
/// A value or a jq error.
pub(crate) type ValR = jaq_core::ValR<JqValue>;

impl JqValue {
    /// An array value.
    pub(crate) fn array(items: Vec<Value>) -> JqValue {
        JqValue(Value::Array(Arc::new(items)))
    }

    /// The number, if this is one.
    pub(crate) fn num(&self) -> Option<Num> {
        match &self.0 {
            Value::Number(n) => Some(Num::of(n)),
            _ => None,
        }
    }

    /// The string, if this is one.
    pub(crate) fn as_str(&self) -> Option<&str> {
        self.0.as_str()
    }

    /// jq's name of the value's type, for messages (`number`, `object`...).
    pub(crate) fn kind(&self) -> &'static str {
        self.0.kind()
    }

    /// jq's `type (value)` form in messages: `number (1)`, `string ("a")`.
    pub(crate) fn described(&self) -> String {
        let text = self.to_string();
        let text = match text.char_indices().nth(30) {
            Some((i, _)) => format!("{}...", &text[..i]),
            None => text,
        };
        format!("{} ({text})", self.kind())
    }

    /// An error with a plain message.
    pub(crate) fn fail(message: impl fmt::Display) -> Error {
        Error::str(message)
    }

    /// The error of using this value where a `what` is needed.
    pub(crate) fn type_error(&self, what: &str) -> Error {
        JqValue::fail(format_args!("{} is not {what}", self.described()))
    }
}

impl fmt::Display for JqValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.0, f)
    }
}

impl From<Value> for JqValue {
    fn from(v: Value) -> Self {
        JqValue(v)
    }
}

impl From<bool> for JqValue {
    fn from(b: bool) -> Self {
        JqValue(Value::Bool(b))
    }
}

/// Only for the small integers jaq makes (indices, lengths, counters): values are `i64`.
impl From<isize> for JqValue {
    fn from(i: isize) -> Self {
        JqValue(Value::Number(Number::from(i as i64)))
    }
}

impl From<usize> for JqValue {
    fn from(i: usize) -> Self {
        JqValue(Value::Number(Number::from(i as u64)))
    }
}

impl From<i64> for JqValue {
    fn from(i: i64) -> Self {
        JqValue(Value::Number(Number::from(i)))
    }
}

impl From<f64> for JqValue {
    fn from(x: f64) -> Self {
        JqValue(num::float_value(x))
    }
}

impl From<String> for JqValue {
    fn from(s: String) -> Self {
        JqValue(Value::String(Str::from(s)))
    }
}

/// A range `{"start": s, "end": e}`, as jq writes a slice in a path.
impl From<Range<JqValue>> for JqValue {
    fn from(r: Range<JqValue>) -> Self {
        let members = [("start", r.start), ("end", r.end)]
            .into_iter()
            .filter_map(|(k, v)| Some((Str::from(k), v?.0)));
        JqValue(Value::Object(members.collect()))
    }
}

impl FromIterator<JqValue> for JqValue {
    fn from_iter<I: IntoIterator<Item = JqValue>>(iter: I) -> Self {
        JqValue::array(iter.into_iter().map(|v| v.0).collect())
    }
}

/// jq's order of kinds: null < false < true < numbers < strings < arrays < objects.
fn rank(v: &Value) -> u8 {
    match v {
        Value::Null => 0,
        Value::Bool(false) => 1,
        Value::Bool(true) => 2,
        Value::Number(_) => 3,
        Value::String(_) => 4,
        Value::Array(_) => 5,
        Value::Object(_) => 6,
    }
}

/// jq's total order on values.
pub(crate) fn compare(a: &Value, b: &Value) -> Ordering {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => Num::of(x).order(Num::of(y)),
        (Value::String(x), Value::String(y)) => x.cmp(y),
        (Value::Array(x), Value::Array(y)) => {
            if Arc::ptr_eq(x, y) {
                return Ordering::Equal;
            }
            let mut ys = y.iter();
            for x in x.iter() {
                match ys.next() {
                    None => return Ordering::Greater,
                    Some(y) => match compare(x, y) {
                        Ordering::Equal => {}
                        o => return o,
                    },
                }
            }
            if ys.next().is_some() {
                Ordering::Less
            } else {
                Ordering::Equal
            }
        }
        (Value::Object(x), Value::Object(y)) => compare_objects(x, y),
        _ => rank(a).cmp(&rank(b)),
    }
}

/// Objects: first their sorted keys, then their values in key order (as jq).
fn compare_objects(x: &Object, y: &Object) -> Ordering {
    if x.ptr_eq(y) {
        return Ordering::Equal;
    }
    let keys = x.iter().map(|(k, _)| k).cmp(y.iter().map(|(k, _)| k));
    keys.then_with(|| {
        x.iter()
            .zip(y.iter())
            .map(|((_, a), (_, b))| compare(a, b))
            .find(|o| o.is_ne())
            .unwrap_or(Ordering::Equal)
    })
}

impl PartialEq for JqValue {
    fn eq(&self, other: &Self) -> bool {
        compare(&self.0, &other.0).is_eq()
    }
}

impl Eq for JqValue {}

impl PartialOrd for JqValue {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for JqValue {
    fn cmp(&self, other: &Self) -> Ordering {
        compare(&self.0, &other.0)
    }
}
