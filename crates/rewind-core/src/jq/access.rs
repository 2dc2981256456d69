//! jaq's core value trait for [`JqValue`]: reading (`.[k]`, `.[]`, `.[s:e]`) and updating
//! (`.[k] |= f`...) with jq's meaning. Updates copy only the path to the change, so the
//! rest of a large state stays shared with the input; updating inside `null` creates the
//! object or array, as jq does (`null | .a.b = 1` is `{"a":{"b":1}}`).

use std::mem;
use std::sync::Arc;

use jaq_core::box_iter::{box_once, BoxIter};
use jaq_core::path::Opt;
use jaq_core::val::Range;
use jaq_core::{Exn, ValX};

use super::num::{self, Num};
use super::value::{Error, JqValue, ValR};
use crate::value::{Object, Str, Value};

/// The error of indexing `v` with `index`, as jq words it.
fn index_error(v: &Value, index: &Value) -> Error {
    match index {
        Value::String(k) => JqValue::fail(format_args!("cannot index {} with \"{k}\"", v.kind())),
        other => JqValue::fail(format_args!(
            "cannot index {} with {}",
            v.kind(),
            other.kind()
        )),
    }
}

/// The error of iterating over `v`.
fn iterate_error(v: &JqValue) -> Error {
    JqValue::fail(format_args!("cannot iterate over {}", v.described()))
}

/// An array index (jq rounds fractions down).
fn int_index(n: Num) -> i64 {
    match n {
        Num::Int(i) => i,
        Num::Float(x) => x.floor() as i64,
    }
}

/// `i` counted from the end when negative; `None` when still before the start.
fn absolute(i: i64, len: usize) -> Option<usize> {
    if i >= 0 {
        usize::try_from(i).ok()
    } else {
        usize::try_from(i64::try_from(len).ok()?.checked_add(i)?).ok()
    }
}

/// A slice bound: `null`/absent gives `default`; a number is rounded (down for the start,
/// up for the end), counted from the end when negative and clipped to `0..=len`.
fn bound(v: Option<&JqValue>, len: usize, default: usize, end: bool) -> Result<usize, Error> {
    let n = match v.map(|v| &v.0) {
        None | Some(Value::Null) => return Ok(default),
        Some(Value::Number(n)) => Num::of(n),
        Some(_) => {
            return Err(JqValue::fail(
                "start and end indices of a slice must be numbers",
            ))
        }
    };
    let x = n.as_f64();
    let i = if end { x.ceil() } else { x.floor() };
    let i = i.clamp(-(len as f64), len as f64) as i64;
    Ok(absolute(i, len).unwrap_or(0).min(len))
}

/// The bounds of a slice of something of length `len`.
fn bounds(range: &Range<&JqValue>, len: usize) -> Result<(usize, usize), Error> {
    let from = bound(range.start, len, 0, false)?;
    let upto = bound(range.end, len, len, true)?;
    Ok((from, upto.max(from)))
}

/// The start and end of a `{"start": s, "end": e}` index.
fn object_range(o: &Object) -> (Option<JqValue>, Option<JqValue>) {
    let get = |k: &str| o.get(k).cloned().map(JqValue);
    (get("start"), get("end"))
}

/// The members of an object, owned, lazily (a large object is not copied).
fn members(o: Object) -> BoxIter<'static, (Str, Value)> {
    match o {
        Object::Small(s) => Box::new((0..s.len()).map(move |i| s[i].clone())),
        Object::Large(m) => Box::new(m.into_iter()),
    }
}

/// The elements of an array, owned, lazily.
fn elements(a: Arc<Vec<Value>>) -> BoxIter<'static, Value> {
    Box::new((0..a.len()).map(move |i| a[i].clone()))
}

/// The first output of an update function: `Some(value)`, `None` to delete.
fn first<'a, I: Iterator<Item = ValX<'a, JqValue>>>(
    mut out: I,
) -> Result<Option<Value>, Exn<'a, JqValue>> {
    out.next().transpose().map(|v| v.map(|v| v.0))
}

/// `.[k] |= f` on an object: the member is taken out (no extra reference), updated and put
/// back, or removed when `f` gives nothing.
fn update_member<'a, I: Iterator<Item = ValX<'a, JqValue>>>(
    mut o: Object,
    key: &Str,
    f: impl Fn(JqValue) -> I,
) -> ValX<'a, JqValue> {
    if let Some(slot) = o.get_mut(key) {
        let old = mem::take(slot);
        match first(f(JqValue(old)))? {
            Some(new) => *slot = new,
            None => {
                o.remove(key);
            }
        }
    } else if let Some(new) = first(f(JqValue(Value::Null)))? {
        o.insert(key.clone(), new);
    }
    Ok(JqValue(Value::Object(o)))
}

/// `.[i] |= f` on an array (`null` is an empty array): beyond the end pads with nulls.
fn update_element<'a, I: Iterator<Item = ValX<'a, JqValue>>>(
    mut a: Arc<Vec<Value>>,
    i: i64,
    f: impl Fn(JqValue) -> I,
) -> ValX<'a, JqValue> {
    let Some(i) = absolute(i, a.len()) else {
        return Err(Exn::from(JqValue::fail(
            "out of bounds negative array index",
        )));
    };
    if i < a.len() {
        let v = Arc::make_mut(&mut a);
        let old = mem::take(&mut v[i]);
        match first(f(JqValue(old)))? {
            Some(new) => v[i] = new,
            None => {
                v.remove(i);
            }
        }
    } else if let Some(new) = first(f(JqValue(Value::Null)))? {
        let v = Arc::make_mut(&mut a);
        v.resize(i, Value::Null);
        v.push(new);
    }
    Ok(JqValue(Value::Array(a)))
}

impl jaq_core::ValT for JqValue {
    fn from_num(n: &str) -> ValR {
        num::parse(n)
            .map(JqValue)
            .ok_or_else(|| JqValue::fail(format_args!("cannot parse {n} as a number")))
    }

    fn from_map<I: IntoIterator<Item = (Self, Self)>>(iter: I) -> ValR {
        let members = iter.into_iter().map(|(k, v)| match k.0 {
            Value::String(k) => Ok((k, v.0)),
            other => Err(JqValue::fail(format_args!(
                "object keys must be strings, not {}",
                JqValue(other).described()
            ))),
        });
        Ok(JqValue(Value::Object(
            members.collect::<Result<Object, _>>()?,
        )))
    }

    fn key_values(self) -> BoxIter<'static, Result<(Self, Self), Error>> {
        match self.0 {
            Value::Array(a) => Box::new(
                elements(a)
                    .enumerate()
                    .map(|(i, v)| Ok((JqValue::from(i), JqValue(v)))),
            ),
            Value::Object(o) => {
                Box::new(members(o).map(|(k, v)| Ok((JqValue(Value::String(k)), JqValue(v)))))
            }
            _ => box_once(Err(iterate_error(&self))),
        }
    }

    fn values(self) -> Box<dyn Iterator<Item = ValR>> {
        match self.0 {
            Value::Array(a) => Box::new(elements(a).map(|v| Ok(JqValue(v)))),
            Value::Object(o) => Box::new(members(o).map(|(_, v)| Ok(JqValue(v)))),
            _ => box_once(Err(iterate_error(&self))),
        }
    }

    fn index(self, index: &Self) -> ValR {
        match (&self.0, &index.0) {
            (Value::Object(o), Value::String(k)) => {
                Ok(JqValue(o.get(k).cloned().unwrap_or(Value::Null)))
            }
            (Value::Array(a), Value::Number(n)) => Ok(JqValue(
                absolute(int_index(Num::of(n)), a.len())
                    .and_then(|i| a.get(i).cloned())
                    .unwrap_or(Value::Null),
            )),
            (Value::Null, Value::String(_) | Value::Number(_) | Value::Null) => Ok(self),
            (Value::Array(a), Value::Array(b)) => Ok(super::funs::array_indices(a, b)),
            (Value::Array(_) | Value::String(_) | Value::Null, Value::Object(o)) => {
                let (start, end) = object_range(o);
                self.range(start.as_ref()..end.as_ref())
            }
            (v, i) => Err(index_error(v, i)),
        }
    }

    fn range(self, range: Range<&Self>) -> ValR {
        match &self.0 {
            Value::Null => Ok(self),
            Value::Array(a) => {
                let (from, upto) = bounds(&range, a.len())?;
                if from == 0 && upto == a.len() {
                    return Ok(self);
                }
                Ok(JqValue::array(a[from..upto].to_vec()))
            }
            Value::String(s) => {
                let len = s.chars().count();
                let (from, upto) = bounds(&range, len)?;
                Ok(JqValue::from(
                    s.chars().skip(from).take(upto - from).collect::<String>(),
                ))
            }
            v => Err(index_error(v, &Value::Object(Object::new()))),
        }
    }

    fn map_values<'a, I: Iterator<Item = ValX<'a, Self>>>(
        self,
        opt: Opt,
        f: impl Fn(Self) -> I,
    ) -> ValX<'a, Self> {
        match self.0 {
            Value::Array(a) => {
                let mut out = Vec::with_capacity(a.len());
                for v in elements(a) {
                    out.extend(first(f(JqValue(v)))?);
                }
                Ok(JqValue::array(out))
            }
            Value::Object(o) => {
                let mut out = Vec::with_capacity(o.len());
                for (k, v) in members(o) {
                    if let Some(v) = first(f(JqValue(v)))? {
                        out.push((k, v));
                    }
                }
                Ok(JqValue(Value::Object(out.into_iter().collect())))
            }
            Value::Null => Ok(self),
            _ => opt.fail(self, |v| Exn::from(iterate_error(&v))),
        }
    }

    fn map_index<'a, I: Iterator<Item = ValX<'a, Self>>>(
        self,
        index: &Self,
        opt: Opt,
        f: impl Fn(Self) -> I,
    ) -> ValX<'a, Self> {
        match (self.0, &index.0) {
            (Value::Object(o), Value::String(k)) => update_member(o, k, f),
            (Value::Null, Value::String(k)) => update_member(Object::new(), k, f).map(|v| {
                // Deleting from `null` leaves `null`.
                match &v.0 {
                    Value::Object(o) if o.is_empty() => JqValue(Value::Null),
                    _ => v,
                }
            }),
            (Value::Array(a), Value::Number(n)) => update_element(a, int_index(Num::of(n)), f),
            (Value::Null, Value::Number(n)) => {
                update_element(Arc::new(Vec::new()), int_index(Num::of(n)), f).map(|v| match &v.0 {
                    Value::Array(a) if a.is_empty() => JqValue(Value::Null),
                    _ => v,
                })
            }
            (v @ (Value::Array(_) | Value::Null | Value::String(_)), Value::Object(o)) => {
                let (start, end) = object_range(o);
                JqValue(v).map_range(start.as_ref()..end.as_ref(), opt, f)
            }
            (v, i) => {
                let e = index_error(&v, i);
                opt.fail(JqValue(v), |_| Exn::from(e))
            }
        }
    }

    fn map_range<'a, I: Iterator<Item = ValX<'a, Self>>>(
        self,
        range: Range<&Self>,
        opt: Opt,
        f: impl Fn(Self) -> I,
    ) -> ValX<'a, Self> {
        let mut a = match self.0 {
            Value::Array(a) => a,
            Value::Null => Arc::new(Vec::new()),
            v => {
                let e = JqValue::fail(format_args!("cannot update a slice of {}", v.kind()));
                return opt.fail(JqValue(v), |_| Exn::from(e));
            }
        };
        let (from, upto) = bounds(&range, a.len())?;
        let slice = JqValue::array(a[from..upto].to_vec());
        let new = match first(f(slice))? {
            None => Vec::new(),
            Some(Value::Array(new)) => new.to_vec(),
            Some(other) => {
                return Err(Exn::from(JqValue::fail(format_args!(
                    "a slice of an array can only be assigned another array, not {}",
                    JqValue(other).described()
                ))))
            }
        };
        Arc::make_mut(&mut a).splice(from..upto, new);
        Ok(JqValue(Value::Array(a)))
    }

    fn as_bool(&self) -> bool {
        !matches!(self.0, Value::Null | Value::Bool(false))
    }

    fn into_string(self) -> Self {
        match self.0 {
            Value::String(_) => self,
            _ => JqValue::from(self.to_string()),
        }
    }
}
