//! jq's math functions, computed by the pure-Rust `libm` so that they give the same bits
//! natively and in wasm32 (a read model's state must not depend on where it is folded).

use jaq_core::native::{bome, v, Filter};
use jaq_core::RunPtr;

use super::data::Data;
use super::value::{JqValue, ValR};

/// The input as a number, or jq's error.
fn number(v: &JqValue) -> Result<f64, jaq_core::Error<JqValue>> {
    v.num()
        .map(super::num::Num::as_f64)
        .ok_or_else(|| v.type_error("a number"))
}

/// `f(.)` for a one-argument function.
fn unary(v: &JqValue, f: fn(f64) -> f64) -> ValR {
    Ok(JqValue::from(f(number(v)?)))
}

/// `f($a; $b)` for a two-argument function (jq's `pow(a; b)` ignores `.`).
fn binary(mut cv: jaq_core::Cv<'_, Data>, f: fn(f64, f64) -> f64) -> ValR {
    let b = cv.0.pop_var();
    let a = cv.0.pop_var();
    Ok(JqValue::from(f(number(&a)?, number(&b)?)))
}

/// One-argument functions by name.
macro_rules! unaries {
    ($($name:ident),*) => {
        [$((stringify!($name), v(0), (|cv| bome(unary(&cv.1, libm::$name))) as RunPtr<Data>)),*]
    };
}

/// Two-argument functions by name.
macro_rules! binaries {
    ($($name:ident),*) => {
        [$((stringify!($name), v(2), (|cv| bome(binary(cv, libm::$name))) as RunPtr<Data>)),*]
    };
}

/// The math filters.
pub(crate) fn funs() -> Box<[Filter<RunPtr<Data>>]> {
    let one = unaries!(
        sqrt, cbrt, exp, exp2, exp10, expm1, log, log2, log10, log1p, fabs, trunc, sin, cos, tan,
        asin, acos, atan, sinh, cosh, tanh, asinh, acosh, atanh, tgamma, lgamma
    );
    let two = binaries!(pow, atan2, fmin, fmax, fmod, hypot, copysign, fdim);
    one.into_iter().chain(two).collect()
}
