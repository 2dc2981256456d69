//! jq arithmetic on the core's [`Number`]: integers stay exact 64-bit integers (checked;
//! on overflow the result is the `f64` jq would give), everything else is `f64`. No
//! `isize` is involved, so results are the same natively and in wasm32.

use std::cmp::Ordering;

use crate::value::{Number, Value};

/// 2^53: below it every integer is an exact `f64`.
const EXACT_F64: f64 = 9_007_199_254_740_992.0;

/// A number as jq computes with it.
#[derive(Clone, Copy, Debug)]
pub(crate) enum Num {
    /// An integer that fits an `i64`.
    Int(i64),
    /// Anything else, as the nearest `f64`.
    Float(f64),
}

impl Num {
    /// The number `n` holds. Integral values below 2^53 are read from the `f64` (cheap);
    /// larger ones from the text, so that `9007199254740993` stays exact.
    pub(crate) fn of(n: &Number) -> Num {
        let x = n.as_f64();
        if x.fract() != 0.0 || !x.is_finite() {
            return Num::Float(x);
        }
        if x.abs() < EXACT_F64 {
            return Num::Int(x as i64);
        }
        // Rare: a large integer. Its text says whether it is one exactly.
        match n.to_string().parse::<i64>() {
            Ok(i) => Num::Int(i),
            Err(_) => Num::Float(x),
        }
    }

    /// The nearest `f64`.
    pub(crate) fn as_f64(self) -> f64 {
        match self {
            Num::Int(i) => i as f64,
            Num::Float(x) => x,
        }
    }

    /// The integer, when the number is one.
    pub(crate) fn as_int(self) -> Option<i64> {
        match self {
            Num::Int(i) => Some(i),
            Num::Float(_) => None,
        }
    }

    /// As a value: integers exactly; a float that is integral and exact prints as an integer
    /// (`6 / 2` is `3`, as in jq); NaN becomes `null` and infinities the largest finite
    /// numbers, as jq writes them.
    pub(crate) fn into_value(self) -> Value {
        match self {
            Num::Int(i) => Value::Number(Number::from(i)),
            Num::Float(x) => float_value(x),
        }
    }

    /// jq's order on numbers (NaN below everything, as in jq).
    pub(crate) fn order(self, other: Num) -> Ordering {
        match (self, other) {
            (Num::Int(a), Num::Int(b)) => a.cmp(&b),
            (a, b) => {
                let (a, b) = (a.as_f64(), b.as_f64());
                a.partial_cmp(&b)
                    .unwrap_or_else(|| a.is_nan().cmp(&b.is_nan()).reverse())
            }
        }
    }
}

/// An `f64` result as a value (see [`Num::into_value`]).
pub(crate) fn float_value(x: f64) -> Value {
    if x.is_nan() {
        return Value::Null;
    }
    let x = x.clamp(f64::MIN, f64::MAX);
    if x.fract() == 0.0 && x.abs() < EXACT_F64 && !(x == 0.0 && x.is_sign_negative()) {
        return Value::Number(Number::from(x as i64));
    }
    Number::from_f64(x).map_or(Value::Null, Value::Number)
}

/// `a + b`.
pub(crate) fn add(a: Num, b: Num) -> Num {
    match (a, b) {
        (Num::Int(x), Num::Int(y)) => x
            .checked_add(y)
            .map_or(Num::Float(x as f64 + y as f64), Num::Int),
        _ => Num::Float(a.as_f64() + b.as_f64()),
    }
}

/// `a - b`.
pub(crate) fn sub(a: Num, b: Num) -> Num {
    match (a, b) {
        (Num::Int(x), Num::Int(y)) => x
            .checked_sub(y)
            .map_or(Num::Float(x as f64 - y as f64), Num::Int),
        _ => Num::Float(a.as_f64() - b.as_f64()),
    }
}

/// `a * b`.
pub(crate) fn mul(a: Num, b: Num) -> Num {
    match (a, b) {
        (Num::Int(x), Num::Int(y)) => x
            .checked_mul(y)
            .map_or(Num::Float(x as f64 * y as f64), Num::Int),
        _ => Num::Float(a.as_f64() * b.as_f64()),
    }
}

/// `a / b`: an integer when exact, else a float; `None` when dividing by zero.
pub(crate) fn div(a: Num, b: Num) -> Option<Num> {
    if b.as_f64() == 0.0 {
        return None;
    }
    Some(match (a, b) {
        (Num::Int(x), Num::Int(y)) if x.checked_rem(y) == Some(0) => x
            .checked_div(y)
            .map_or(Num::Float(x as f64 / y as f64), Num::Int),
        _ => Num::Float(a.as_f64() / b.as_f64()),
    })
}

/// `a % b` on the integer parts, as jq does; `None` when the divisor is zero.
pub(crate) fn rem(a: Num, b: Num) -> Option<Num> {
    let int = |n: Num| match n {
        Num::Int(i) => i,
        // Saturating, and NaN is 0, as a C cast in jq would give for the common cases.
        Num::Float(x) => x as i64,
    };
    let (x, y) = (int(a), int(b));
    if y == 0 {
        return None;
    }
    Some(Num::Int(x.wrapping_rem(y)))
}

/// `-a`.
pub(crate) fn neg(a: Num) -> Num {
    match a {
        Num::Int(x) => x.checked_neg().map_or(Num::Float(-(x as f64)), Num::Int),
        Num::Float(x) => Num::Float(-x),
    }
}

/// A number literal of a program, or a number read by `tonumber`: integers exactly, other
/// values as [`Number::from_text`] keeps them; `None` when `text` is not a number.
pub(crate) fn parse(text: &str) -> Option<Value> {
    if let Ok(i) = text.parse::<i64>() {
        return Some(Value::Number(Number::from(i)));
    }
    if let Ok(u) = text.parse::<u64>() {
        return Some(Value::Number(Number::from(u)));
    }
    if let Some(n) = Number::from_text(text) {
        return Some(Value::Number(n));
    }
    // jq also reads forms JSON does not (`.5`, `1.`, `+1`, `nan`): as an `f64`.
    let x: f64 = text.trim().parse().ok()?;
    Some(float_value(x))
}
