//! A JSON number that keeps its exact value: integers of any size, decimals with more
//! digits than an `f64` holds, exponents beyond its range, and `-0`.
//!
//! Integers that fit 64 bits and decimals that an `f64` holds exactly are stored as
//! machine numbers (no allocation: 16 bytes); anything else keeps the text it was
//! written as. Two numbers are equal when their values are, as `===` compares the numbers
//! `JSON.parse` gives: `1`, `1.0` and `1e0` are equal, and so are `0` and `-0`. Unlike
//! `JSON.parse`, digits beyond an `f64`'s precision count, so `12345678901234567890123`
//! and `12345678901234567890124` differ.

use std::cmp::Ordering;
use std::fmt;
use std::sync::Arc;

/// A JSON number (see the module documentation).
#[derive(Clone)]
pub struct Number(Repr);

#[derive(Clone)]
enum Repr {
    /// A non-negative integer.
    Pos(u64),
    /// A negative integer.
    Neg(i64),
    /// A finite decimal that this `f64` holds exactly (`-0.0` for `-0`).
    Float(f64),
    /// Valid JSON number text whose value no machine number holds.
    Text(Arc<String>),
}

impl From<u64> for Number {
    fn from(v: u64) -> Self {
        Number(Repr::Pos(v))
    }
}

impl From<i64> for Number {
    fn from(v: i64) -> Self {
        match u64::try_from(v) {
            Ok(u) => Number(Repr::Pos(u)),
            Err(_) => Number(Repr::Neg(v)),
        }
    }
}

impl Number {
    /// A finite `f64` (`None` for NaN and infinities, which JSON cannot write).
    pub fn from_f64(v: f64) -> Option<Number> {
        v.is_finite().then_some(Number(Repr::Float(v)))
    }

    /// The number written as `text`, kept exactly; `None` when `text` is not a JSON number.
    pub fn from_text(text: &str) -> Option<Number> {
        let parts = Decimal::parse(text)?;
        if !parts.fraction_or_exponent {
            // An integer: a machine integer when it fits (`-0` is the float `-0.0`).
            if text == "-0" {
                return Some(Number(Repr::Float(-0.0)));
            }
            if let Ok(u) = text.parse::<u64>() {
                return Some(Number(Repr::Pos(u)));
            }
            if let Ok(i) = text.parse::<i64>() {
                return Some(Number(Repr::Neg(i)));
            }
        }
        if let Ok(x) = text.parse::<f64>() {
            if x.is_finite() && Decimal::of_f64(x).same_value(&parts) {
                return Some(Number(Repr::Float(x)));
            }
        }
        Some(Number(Repr::Text(Arc::new(text.to_string()))))
    }

    /// The nearest `f64` (infinite for a value beyond its range).
    pub fn as_f64(&self) -> f64 {
        match &self.0 {
            Repr::Pos(u) => *u as f64,
            Repr::Neg(i) => *i as f64,
            Repr::Float(x) => *x,
            Repr::Text(t) => t.parse().unwrap_or(f64::NAN),
        }
    }

    /// The number as JSON text, when no serializer number type holds it exactly
    /// (`-0`, and values kept as text).
    pub(crate) fn raw_text(&self) -> Option<&str> {
        match &self.0 {
            Repr::Float(x) if *x == 0.0 && x.is_sign_negative() => Some("-0"),
            Repr::Text(t) => Some(t),
            _ => None,
        }
    }

    /// The value as a `serde_json` number: exact for machine numbers, the nearest `f64`
    /// otherwise (`serde_json::Number` cannot hold more), `None` beyond the `f64` range.
    pub fn to_serde(&self) -> Option<serde_json::Number> {
        match &self.0 {
            Repr::Pos(u) => Some((*u).into()),
            Repr::Neg(i) => Some((*i).into()),
            Repr::Float(x) => serde_json::Number::from_f64(*x),
            Repr::Text(_) => serde_json::Number::from_f64(self.as_f64()),
        }
    }

    fn decimal(&self) -> Decimal {
        match &self.0 {
            Repr::Pos(u) => Decimal::of_text(&u.to_string()),
            Repr::Neg(i) => Decimal::of_text(&i.to_string()),
            Repr::Float(x) => Decimal::of_f64(*x),
            Repr::Text(t) => Decimal::of_text(t),
        }
    }
}

/// True when every number written in `text` (a JSON text serde_json read) is one that
/// serde_json reads into an `f64` exactly: at most 15 significant digits and a power of
/// ten within ±22, so that the `f64` is the one nearest the decimal, and its shortest
/// form has the decimal's value. Then the exact reader has nothing to add.
///
/// Numbers are found without telling strings apart: a number-like run inside a string
/// (`"12:00:00.263"`) is judged too, which at worst sends the text to the exact reader.
pub(crate) fn all_fit_f64(text: &[u8]) -> bool {
    let mut i = 0;
    while i < text.len() {
        let c = text[i];
        if !c.is_ascii_digit() {
            i += 1;
            continue;
        }
        // The whole run of number characters around this digit.
        let mut start = i;
        while start > 0 && is_number_byte(text[start - 1]) {
            start -= 1;
        }
        let mut end = i;
        while end < text.len() && is_number_byte(text[end]) {
            end += 1;
        }
        if !fits_f64(&text[start..end]) {
            return false;
        }
        i = end;
    }
    true
}

fn is_number_byte(c: u8) -> bool {
    matches!(c, b'0'..=b'9' | b'-' | b'+' | b'.' | b'e' | b'E')
}

/// True unless `run` is a JSON number that serde_json may read inexactly (a run that is
/// not a JSON number is part of a string). Runs once per number of an event with a float:
/// no allocation.
fn fits_f64(run: &[u8]) -> bool {
    let mut i = usize::from(run.first() == Some(&b'-'));
    let digits = |i: usize| run[i..].iter().take_while(|c| c.is_ascii_digit()).count();
    let int_len = digits(i);
    if int_len == 0 || (int_len > 1 && run[i] == b'0') {
        return true;
    }
    let int = &run[i..i + int_len];
    i += int_len;
    let mut frac: &[u8] = &[];
    if run.get(i) == Some(&b'.') {
        let n = digits(i + 1);
        if n == 0 {
            return true;
        }
        frac = &run[i + 1..i + 1 + n];
        i += 1 + n;
    }
    let mut exp = 0i64;
    let float = !frac.is_empty() || matches!(run.get(i), Some(b'e' | b'E'));
    if matches!(run.get(i), Some(b'e' | b'E')) {
        i += 1;
        let negative = run.get(i) == Some(&b'-');
        i += usize::from(matches!(run.get(i), Some(b'+' | b'-')));
        let n = digits(i);
        if n == 0 {
            return true;
        }
        exp = run[i..i + n].iter().fold(0i64, |acc, &c| {
            acc.saturating_mul(10).saturating_add(i64::from(c - b'0'))
        });
        if negative {
            exp = -exp;
        }
        i += n;
    }
    if i != run.len() {
        return true;
    }
    // The integer serde_json makes of the digits from the first significant one on
    // (trailing zeros included), the power of ten it applies, and the digits that count.
    let (mut significand, mut significant, mut zeros) = (Some(0u64), 0usize, 0usize);
    for &c in int.iter().chain(frac).skip_while(|&&c| c == b'0') {
        significand = significand
            .and_then(|s| s.checked_mul(10))
            .and_then(|s| s.checked_add(u64::from(c - b'0')));
        zeros = if c == b'0' { zeros + 1 } else { 0 };
        significant += 1;
    }
    let Some(significand) = significand else {
        return false;
    };
    if !float {
        // Integers: serde_json reads 64-bit ones exactly; longer ones only as an f64.
        return run[0] != b'-' || significand <= 1 << 63;
    }
    if significant == 0 {
        return true;
    }
    let power = exp.saturating_sub(frac.len() as i64);
    significant - zeros <= 15 && significand < 1 << 53 && (-22..=22).contains(&power)
}

impl From<serde_json::Number> for Number {
    fn from(n: serde_json::Number) -> Self {
        if let Some(u) = n.as_u64() {
            Number::from(u)
        } else if let Some(i) = n.as_i64() {
            Number::from(i)
        } else {
            Number(Repr::Float(n.as_f64().unwrap_or(0.0)))
        }
    }
}

impl PartialEq for Number {
    fn eq(&self, other: &Self) -> bool {
        match (&self.0, &other.0) {
            (Repr::Pos(a), Repr::Pos(b)) => a == b,
            (Repr::Neg(a), Repr::Neg(b)) => a == b,
            (Repr::Pos(_), Repr::Neg(_)) | (Repr::Neg(_), Repr::Pos(_)) => false,
            (Repr::Float(a), Repr::Float(b)) => a == b,
            // Integers against floats: exactly, through i128 (an f64 holding an integer
            // this large holds it exactly).
            (Repr::Pos(i), Repr::Float(x)) | (Repr::Float(x), Repr::Pos(i)) => {
                float_equals_int(*x, i128::from(*i))
            }
            (Repr::Neg(i), Repr::Float(x)) | (Repr::Float(x), Repr::Neg(i)) => {
                float_equals_int(*x, i128::from(*i))
            }
            // Values kept as text are rare: compare their digits.
            _ => self.decimal().same_value(&other.decimal()),
        }
    }
}

fn float_equals_int(x: f64, i: i128) -> bool {
    x.fract() == 0.0 && x.abs() < 1.7e38 && x as i128 == i
}

impl fmt::Display for Number {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(text) = self.raw_text() {
            return f.write_str(text);
        }
        match &self.0 {
            Repr::Pos(u) => write!(f, "{u}"),
            Repr::Neg(i) => write!(f, "{i}"),
            // As serde_json prints an f64 (`1.5`, `1.0`, `1e300`).
            Repr::Float(x) => match serde_json::Number::from_f64(*x) {
                Some(n) => write!(f, "{n}"),
                None => write!(f, "{x}"),
            },
            Repr::Text(t) => f.write_str(t),
        }
    }
}

impl fmt::Debug for Number {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Number({self})")
    }
}

/// A decimal's value as significant digits and a power of ten: `0.digits × 10^point`,
/// with no leading or trailing zero digit (zero has no digits).
#[derive(Debug)]
struct Decimal {
    negative: bool,
    digits: Vec<u8>,
    point: i64,
    /// The text had a fraction or an exponent (it was not written as an integer).
    fraction_or_exponent: bool,
}

impl Decimal {
    /// Reads JSON number text (`-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?`).
    fn parse(text: &str) -> Option<Decimal> {
        let b = text.as_bytes();
        let mut i = 0;
        let negative = b.first() == Some(&b'-');
        if negative {
            i += 1;
        }
        let digits_from = |i: usize| b[i..].iter().take_while(|c| c.is_ascii_digit()).count();
        let int_len = digits_from(i);
        if int_len == 0 || (int_len > 1 && b[i] == b'0') {
            return None;
        }
        let mut mantissa: Vec<u8> = b[i..i + int_len].to_vec();
        let mut point = int_len as i64;
        i += int_len;
        let mut fraction_or_exponent = false;
        if b.get(i) == Some(&b'.') {
            let n = digits_from(i + 1);
            if n == 0 {
                return None;
            }
            mantissa.extend_from_slice(&b[i + 1..i + 1 + n]);
            i += 1 + n;
            fraction_or_exponent = true;
        }
        if matches!(b.get(i), Some(b'e' | b'E')) {
            i += 1;
            let exp_negative = b.get(i) == Some(&b'-');
            if matches!(b.get(i), Some(b'+' | b'-')) {
                i += 1;
            }
            let n = digits_from(i);
            if n == 0 {
                return None;
            }
            // Saturates: an exponent this large is beyond any comparison that matters.
            let exp = b[i..i + n].iter().fold(0i64, |acc, &c| {
                acc.saturating_mul(10).saturating_add(i64::from(c - b'0'))
            });
            point = if exp_negative {
                point.saturating_sub(exp)
            } else {
                point.saturating_add(exp)
            };
            i += n;
            fraction_or_exponent = true;
        }
        if i != b.len() {
            return None;
        }
        let lead = mantissa.iter().take_while(|&&c| c == b'0').count();
        mantissa.drain(..lead);
        point = point.saturating_sub(lead as i64);
        while mantissa.last() == Some(&b'0') {
            mantissa.pop();
        }
        if mantissa.is_empty() {
            point = 0;
        }
        Some(Decimal {
            negative,
            digits: mantissa,
            point,
            fraction_or_exponent,
        })
    }

    /// Of text already known to be a valid number.
    fn of_text(text: &str) -> Decimal {
        Decimal::parse(text).unwrap_or(Decimal {
            negative: false,
            digits: Vec::new(),
            point: 0,
            fraction_or_exponent: false,
        })
    }

    /// Of the shortest decimal that reads back as `x` (what `x` holds exactly, once
    /// rounded to the digits that matter).
    fn of_f64(x: f64) -> Decimal {
        let text = format!("{x:e}");
        Decimal::of_text(&text)
    }

    /// Same value (zeros equal whatever their sign).
    fn same_value(&self, other: &Decimal) -> bool {
        if self.digits.is_empty() || other.digits.is_empty() {
            return self.digits.is_empty() && other.digits.is_empty();
        }
        self.negative == other.negative
            && self.point == other.point
            && self.digits.cmp(&other.digits) == Ordering::Equal
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn n(text: &str) -> Number {
        Number::from_text(text).expect("a JSON number")
    }

    #[test]
    fn every_digit_of_a_long_integer_is_kept() {
        let a = n("12345678901234567890123");
        let b = n("12345678901234567890124");
        assert_ne!(a, b);
        assert_eq!(a.to_string(), "12345678901234567890123");
        assert_eq!(
            n("-98765432109876543210").to_string(),
            "-98765432109876543210"
        );
        // Both round to the same f64, and still differ.
        assert_eq!(a.as_f64(), b.as_f64());
    }

    #[test]
    fn decimals_beyond_f64_precision_and_range_are_kept() {
        assert_ne!(n("0.1000000000000000000001"), n("0.1"));
        assert_eq!(
            n("0.1000000000000000000001").to_string(),
            "0.1000000000000000000001"
        );
        assert_eq!(n("1e400").to_string(), "1e400");
        assert_ne!(n("1e400"), n("1e401"));
        assert_eq!(n("1e-400").to_string(), "1e-400");
        assert_ne!(n("1e-400"), n("0"));
    }

    #[test]
    fn minus_zero_prints_as_written_and_equals_zero() {
        assert_eq!(n("-0").to_string(), "-0");
        assert_eq!(n("-0"), n("0"));
        assert!(n("-0").as_f64().is_sign_negative());
    }

    #[test]
    fn numbers_written_differently_compare_by_value() {
        assert_eq!(n("1"), n("1.0"));
        assert_eq!(n("100"), n("1e2"));
        assert_eq!(n("1.50"), n("1.5"));
        assert_eq!(
            n("12345678901234567890123"),
            n("1.2345678901234567890123e22")
        );
        assert_eq!(n("18446744073709551616"), n("1.8446744073709551616e19"));
        assert_ne!(n("9007199254740993"), n("9007199254740992.0"));
        assert_ne!(n("-1"), n("1"));
    }

    #[test]
    fn machine_numbers_are_used_where_they_are_exact() {
        assert!(matches!(n("18446744073709551615").0, Repr::Pos(u64::MAX)));
        assert!(matches!(n("-9223372036854775808").0, Repr::Neg(i64::MIN)));
        assert!(matches!(n("19.99").0, Repr::Float(_)));
        assert!(matches!(n("18446744073709551616").0, Repr::Text(_)));
        assert!(matches!(n("3.14159265358979323846").0, Repr::Text(_)));
    }

    #[test]
    fn a_number_is_no_larger_than_serde_jsons() {
        assert!(std::mem::size_of::<Number>() <= 16);
        assert!(std::mem::size_of::<crate::value::Value>() <= 24);
    }

    #[test]
    fn texts_whose_numbers_an_f64_holds_need_no_exact_reading() {
        for text in [
            r#"{"p":19.99,"q":-0.001,"r":1.5e10,"s":-0.0,"t":"2026-03-01T12:00:00.263Z"}"#,
            r#"[123456789012345.0, 1e22, 1e-22, 0.000000000000000000001, 18446744073709551615]"#,
            r#"{"id":"evt-00000001","n":-9223372036854775808,"b":true,"e":1E+2}"#,
        ] {
            assert!(all_fit_f64(text.as_bytes()), "{text}");
        }
        for text in [
            r#"{"n":12345678901234567890123}"#,
            r#"{"n":1.0000000000000001}"#,
            r#"{"n":1e23}"#,
            r#"{"n":1e400}"#,
            r#"{"n":1.5e-300}"#,
            r#"{"n":0.1000000000000000000001}"#,
            r#"[-9223372036854775809]"#,
        ] {
            assert!(!all_fit_f64(text.as_bytes()), "{text}");
        }
    }

    proptest::proptest! {
        /// Where the quick check says serde_json's `f64` is exact, it is the `f64` the exact
        /// reader keeps, bit for bit.
        #[test]
        fn the_quick_check_agrees_with_the_exact_reader(
            negative in proptest::bool::ANY,
            int in "(0|[1-9][0-9]{0,19})",
            frac in proptest::option::of("[0-9]{1,12}"),
            exp in proptest::option::of(-40i32..40),
        ) {
            let mut text = format!("{}{int}", if negative { "-" } else { "" });
            if let Some(f) = frac {
                text.push('.');
                text.push_str(&f);
            }
            if let Some(e) = exp {
                text.push_str(&format!("e{e}"));
            }
            // (Integers reach a `Value` as 64-bit integers, not through an `f64`.)
            let float = text.contains(['.', 'e']);
            if float && all_fit_f64(text.as_bytes()) {
                let exact = n(&text);
                if let Ok(x) = serde_json::from_str::<f64>(&text) {
                    let fast = Number::from_f64(x).expect("finite");
                    proptest::prop_assert_eq!(&fast, &exact, "{}", text);
                    proptest::prop_assert_eq!(fast.to_string(), exact.to_string(), "{}", text);
                }
            }
        }
    }

    #[test]
    fn text_that_is_not_a_json_number_is_refused() {
        for bad in [
            "", "-", "01", "1.", ".5", "1e", "+1", "1e+", "NaN", "0x10", "1 ",
        ] {
            assert!(Number::from_text(bad).is_none(), "{bad:?}");
        }
    }
}
