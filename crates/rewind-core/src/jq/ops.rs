//! jq's arithmetic operators on [`JqValue`]: `+ - * / %` and negation, with jq's meaning
//! for each kind (null is `+`'s identity, strings concatenate and split, arrays concatenate
//! and remove, objects merge) and jq's messages.

use std::ops::{Add, Div, Mul, Neg, Rem, Sub};
use std::sync::Arc;

use super::num::{self, Num};
use super::value::{compare, JqValue, ValR};
use crate::value::{Object, Str, Value};

/// Longest string `*` builds, so that a typo cannot exhaust memory.
const MAX_REPEAT_BYTES: usize = 1 << 28;

/// The error of `a op b` for kinds that do not combine (`verb`: "added", "divided"...).
fn cannot(a: &JqValue, b: &JqValue, verb: &str) -> jaq_core::Error<JqValue> {
    JqValue::fail(format_args!(
        "{} and {} cannot be {verb}",
        a.described(),
        b.described()
    ))
}

impl Add for JqValue {
    type Output = ValR;
    fn add(self, rhs: Self) -> ValR {
        match (self.0, rhs.0) {
            (Value::Null, x) | (x, Value::Null) => Ok(JqValue(x)),
            (Value::Number(a), Value::Number(b)) => {
                Ok(JqValue(num::add(Num::of(&a), Num::of(&b)).into_value()))
            }
            (Value::String(a), Value::String(b)) => {
                let mut s = String::with_capacity(a.len() + b.len());
                s.push_str(&a);
                s.push_str(&b);
                Ok(JqValue::from(s))
            }
            (Value::Array(mut a), Value::Array(b)) => {
                if a.is_empty() {
                    return Ok(JqValue(Value::Array(b)));
                }
                Arc::make_mut(&mut a).extend(b.iter().cloned());
                Ok(JqValue(Value::Array(a)))
            }
            (Value::Object(mut a), Value::Object(b)) => {
                if a.is_empty() {
                    return Ok(JqValue(Value::Object(b)));
                }
                for (k, v) in b.iter() {
                    a.insert(k.clone(), v.clone());
                }
                Ok(JqValue(Value::Object(a)))
            }
            (a, b) => Err(cannot(&JqValue(a), &JqValue(b), "added")),
        }
    }
}

impl Sub for JqValue {
    type Output = ValR;
    fn sub(self, rhs: Self) -> ValR {
        match (self.0, rhs.0) {
            (Value::Number(a), Value::Number(b)) => {
                Ok(JqValue(num::sub(Num::of(&a), Num::of(&b)).into_value()))
            }
            (Value::Array(mut a), Value::Array(b)) => {
                Arc::make_mut(&mut a).retain(|x| !b.iter().any(|y| compare(x, y).is_eq()));
                Ok(JqValue(Value::Array(a)))
            }
            (a, b) => Err(cannot(&JqValue(a), &JqValue(b), "subtracted")),
        }
    }
}

/// `a * b` on objects: members of `b` replace those of `a`, except objects, which merge.
fn deep_merge(mut a: Object, b: &Object) -> Object {
    for (k, v) in b.iter() {
        let merged = match (a.get(k), v) {
            (Some(Value::Object(x)), Value::Object(y)) => Value::Object(deep_merge(x.clone(), y)),
            _ => v.clone(),
        };
        a.insert(k.clone(), merged);
    }
    a
}

/// `s * n`: `s` repeated (jq rounds `n` up); `null` when `n <= 0`.
fn repeat(s: &str, n: Num) -> ValR {
    let n = n.as_f64();
    if n.is_nan() || n <= 0.0 {
        return Ok(JqValue(Value::Null));
    }
    let count = n.ceil();
    if count * s.len() as f64 > MAX_REPEAT_BYTES as f64 {
        return Err(JqValue::fail("repeat string result too long"));
    }
    Ok(JqValue::from(s.repeat(count as usize)))
}

impl Mul for JqValue {
    type Output = ValR;
    fn mul(self, rhs: Self) -> ValR {
        match (self.0, rhs.0) {
            (Value::Number(a), Value::Number(b)) => {
                Ok(JqValue(num::mul(Num::of(&a), Num::of(&b)).into_value()))
            }
            (Value::String(s), Value::Number(n)) | (Value::Number(n), Value::String(s)) => {
                repeat(&s, Num::of(&n))
            }
            (Value::Object(a), Value::Object(b)) => Ok(JqValue(Value::Object(deep_merge(a, &b)))),
            (a, b) => Err(cannot(&JqValue(a), &JqValue(b), "multiplied")),
        }
    }
}

/// `s / sep`: the parts of `s` between occurrences of `sep` (its characters for `""`).
pub(crate) fn split(s: &str, sep: &str) -> JqValue {
    let part = |p: &str| Value::String(Str::from(p));
    if s.is_empty() {
        return JqValue::array(Vec::new());
    }
    if sep.is_empty() {
        let mut buf = [0u8; 4];
        return JqValue::array(s.chars().map(|c| part(c.encode_utf8(&mut buf))).collect());
    }
    JqValue::array(s.split(sep).map(part).collect())
}

impl Div for JqValue {
    type Output = ValR;
    fn div(self, rhs: Self) -> ValR {
        match (&self.0, &rhs.0) {
            (Value::Number(a), Value::Number(b)) => match num::div(Num::of(a), Num::of(b)) {
                Some(q) => Ok(JqValue(q.into_value())),
                None => Err(cannot(&self, &rhs, "divided because the divisor is zero")),
            },
            (Value::String(a), Value::String(b)) => Ok(split(a, b)),
            _ => Err(cannot(&self, &rhs, "divided")),
        }
    }
}

impl Rem for JqValue {
    type Output = ValR;
    fn rem(self, rhs: Self) -> ValR {
        match (&self.0, &rhs.0) {
            (Value::Number(a), Value::Number(b)) => match num::rem(Num::of(a), Num::of(b)) {
                Some(r) => Ok(JqValue(r.into_value())),
                None => Err(cannot(&self, &rhs, "divided because the divisor is zero")),
            },
            _ => Err(cannot(&self, &rhs, "divided")),
        }
    }
}

impl Neg for JqValue {
    type Output = ValR;
    fn neg(self) -> ValR {
        match &self.0 {
            Value::Number(n) => Ok(JqValue(num::neg(Num::of(n)).into_value())),
            _ => Err(JqValue::fail(format_args!(
                "{} cannot be negated",
                self.described()
            ))),
        }
    }
}
