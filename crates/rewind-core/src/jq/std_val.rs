//! jaq's standard-library value trait for [`JqValue`]: what `sort`, `floor`, `ltrimstr`,
//! `ascii_downcase`... need to know about a value.

use std::sync::Arc;

use super::num::Num;
use super::value::JqValue;
use crate::value::{Str, Value};

impl jaq_std::ValT for JqValue {
    fn into_seq<S: FromIterator<Self>>(self) -> Result<S, Self> {
        match self.0 {
            Value::Array(a) => Ok(match Arc::try_unwrap(a) {
                Ok(v) => v.into_iter().map(JqValue).collect(),
                Err(a) => a.iter().cloned().map(JqValue).collect(),
            }),
            v => Err(JqValue(v)),
        }
    }

    fn is_int(&self) -> bool {
        matches!(self.num(), Some(Num::Int(_)))
    }

    /// Integers within `isize` only: on wasm32 that is 32 bits, which is why values never
    /// go through here for arithmetic (only indices, counts and the like).
    fn as_isize(&self) -> Option<isize> {
        self.num()?.as_int().and_then(|i| isize::try_from(i).ok())
    }

    fn as_f64(&self) -> Option<f64> {
        self.num().map(Num::as_f64)
    }

    fn is_utf8_str(&self) -> bool {
        matches!(self.0, Value::String(_))
    }

    fn as_bytes(&self) -> Option<&[u8]> {
        self.as_str().map(str::as_bytes)
    }

    fn as_sub_str(&self, sub: &[u8]) -> Self {
        JqValue(Value::String(Str::from(String::from_utf8_lossy(sub))))
    }

    fn from_utf8_bytes(b: impl AsRef<[u8]> + Send + 'static) -> Self {
        JqValue(Value::String(Str::from(String::from_utf8_lossy(
            b.as_ref(),
        ))))
    }
}
