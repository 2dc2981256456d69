//! Native filters that depend on the value type (what jaq-json provides for its own
//! values): `length`, `tojson`, `fromjson`, `tonumber`, `has`, `contains`, `indices`, and
//! `debug`/`stderr`, which write to the run's messages instead of printing.

use jaq_core::native::{bome, unary, v, Filter};
use jaq_core::RunPtr;

use super::data::{Data, Fun};
use super::num::{self, Num};
use super::value::{compare, JqValue, ValR};
use crate::value::Value;

/// Every native filter of read-model programs, in the order the compiler looks them up.
pub(crate) fn all() -> impl Iterator<Item = Fun> {
    let core = jaq_core::funs::<Data>();
    // `halt` stops the process: refused (see `compile`), so not offered.
    let std = jaq_std::base_funs::<Data>().filter(|(name, ..)| *name != "halt");
    let own: [Box<[Filter<RunPtr<Data>>]>; 4] = [
        values(),
        super::math::funs(),
        super::text::funs(),
        super::time::funs(),
    ];
    let own = own
        .into_iter()
        .flat_map(<[_]>::into_vec)
        .map(jaq_core::native::run::<Data>);
    core.chain(std).chain(own)
}

/// `length`: 0 for null, the absolute value of a number, characters of a string, members
/// of an array or object; booleans have none.
fn length(v: &JqValue) -> ValR {
    Ok(match &v.0 {
        Value::Null => JqValue::from(0usize),
        Value::Bool(_) => {
            return Err(JqValue::fail(format_args!(
                "{} has no length",
                v.described()
            )))
        }
        Value::Number(n) => match Num::of(n) {
            Num::Int(i) if i >= 0 => v.clone(),
            n => JqValue(num::neg(n).into_value()),
        },
        Value::String(s) => JqValue::from(s.chars().count()),
        Value::Array(a) => JqValue::from(a.len()),
        Value::Object(o) => JqValue::from(o.len()),
    })
}

/// `has($k)`: an object's key or an array's index.
fn has(v: &JqValue, k: &JqValue) -> ValR {
    match (&v.0, &k.0) {
        (Value::Object(o), Value::String(k)) => Ok(JqValue::from(o.get(k).is_some())),
        (Value::Array(a), Value::Number(n)) => {
            let x = Num::of(n).as_f64();
            Ok(JqValue::from(x >= 0.0 && x < a.len() as f64))
        }
        _ => Err(JqValue::fail(format_args!(
            "cannot check whether {} has a {} key",
            v.kind(),
            k.kind()
        ))),
    }
}

/// `contains(b)`: substrings, elements contained in some element, members contained in
/// the member of the same key, or equality (false for values of different kinds).
fn contains(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::String(a), Value::String(b)) => a.contains(&**b),
        (Value::Array(a), Value::Array(b)) => b.iter().all(|y| a.iter().any(|x| contains(x, y))),
        (Value::Object(a), Value::Object(b)) => b
            .iter()
            .all(|(k, y)| a.get(k).is_some_and(|x| contains(x, y))),
        _ => a.kind() == b.kind() && compare(a, b).is_eq(),
    }
}

/// `contains(b)` as called: the kinds must agree, as in jq.
fn contains_checked(a: &JqValue, b: &JqValue) -> ValR {
    if a.kind() != b.kind() {
        return Err(JqValue::fail(format_args!(
            "{} and {} cannot have their containment checked",
            a.described(),
            b.described()
        )));
    }
    Ok(JqValue::from(contains(&a.0, &b.0)))
}

/// Where the array `b` occurs in the array `a` (`a | .[b]`).
pub(crate) fn array_indices(a: &[Value], b: &[Value]) -> JqValue {
    if b.is_empty() {
        return JqValue::array(Vec::new());
    }
    let found = a
        .windows(b.len())
        .enumerate()
        .filter(|(_, w)| w.iter().zip(b).all(|(x, y)| compare(x, y).is_eq()))
        .map(|(i, _)| JqValue::from(i).0);
    JqValue::array(found.collect())
}

/// `indices($x)`: character offsets of a substring, offsets of a sub-array or an element.
fn indices(v: &JqValue, x: &JqValue) -> ValR {
    match (&v.0, &x.0) {
        (Value::Null, _) | (_, Value::Null) => Ok(JqValue(Value::Null)),
        (Value::String(s), Value::String(t)) => {
            if t.is_empty() {
                return Ok(JqValue(Value::Null));
            }
            let found = s
                .char_indices()
                .enumerate()
                .filter(|(_, (b, _))| s[*b..].starts_with(&**t))
                .map(|(i, _)| JqValue::from(i).0);
            Ok(JqValue::array(found.collect()))
        }
        (Value::Array(a), Value::Array(b)) => Ok(array_indices(a, b)),
        (Value::Array(a), _) => Ok(array_indices(a, std::slice::from_ref(&x.0))),
        _ => Err(JqValue::fail(format_args!(
            "cannot search {} for {}",
            v.kind(),
            x.kind()
        ))),
    }
}

/// `fromjson`: the JSON text's value, numbers exact.
fn fromjson(v: &JqValue) -> ValR {
    let s = v.as_str().ok_or_else(|| v.type_error("a string"))?;
    crate::value::parse(s.as_bytes())
        .map(JqValue)
        .map_err(|e| JqValue::fail(format_args!("{e} (while parsing '{s}')")))
}

/// `tonumber`: numbers as they are, strings read as numbers.
fn tonumber(v: &JqValue) -> ValR {
    match &v.0 {
        Value::Number(_) => Ok(v.clone()),
        Value::String(s) => num::parse(s.trim())
            .map(JqValue)
            .ok_or_else(|| JqValue::fail(format_args!("cannot parse '{s}' as a number"))),
        _ => Err(JqValue::fail(format_args!(
            "{} cannot be parsed as a number",
            v.described()
        ))),
    }
}

/// The filters on values of any kind.
fn values() -> Box<[Filter<RunPtr<Data>>]> {
    Box::new([
        ("length", v(0), |cv| bome(length(&cv.1))),
        ("tojson", v(0), |cv| {
            bome(Ok(JqValue::from(cv.1.to_string())))
        }),
        ("fromjson", v(0), |cv| bome(fromjson(&cv.1))),
        ("tonumber", v(0), |cv| bome(tonumber(&cv.1))),
        ("has", v(1), |cv| unary(cv, |v, k| has(&v, &k))),
        ("contains", v(1), |cv| {
            unary(cv, |a, b| contains_checked(&a, &b))
        }),
        ("indices", v(1), |cv| unary(cv, |v, x| indices(&v, &x))),
        ("debug_empty", v(0), |cv| {
            cv.0.data().log(&cv.1);
            Box::new(std::iter::empty())
        }),
        ("stderr_empty", v(0), |cv| {
            cv.0.data().log(&cv.1);
            Box::new(std::iter::empty())
        }),
    ])
}
