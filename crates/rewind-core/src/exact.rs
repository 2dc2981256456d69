//! A second JSON reader for the few texts serde_json cannot read faithfully. It accepts
//! what `JSON.parse` accepts (RFC 8259), nesting up to serde_json's limit, and keeps:
//!
//! * numbers exactly as written ([`Number::from_text`]): integers beyond 64 bits, digits
//!   beyond an `f64`, `1e400`, `-0`;
//! * lone surrogate escapes (`"\ud800"`), which Rust strings cannot hold: each becomes
//!   U+FFFD followed by the escape written out in lower case (`"\ud800"` reads as the
//!   seven characters `�\ud800`), so it shows, and two different ones stay different;
//! * the last value of a key written twice, at every depth.
//!
//! It is slower than serde_json, so the fast reader goes first and this one reads only
//! what it flagged or refused (see [`crate::value::parse`]).

use std::sync::Arc;

use crate::number::Number;
use crate::value::{Interner, Str, Value};

/// Deepest nesting read, as serde_json (deeper is refused, never overflows the stack).
const MAX_DEPTH: usize = 128;

/// Reads one JSON value (surrounded by whitespace only); `None` when it is not JSON.
pub(crate) fn parse(text: &[u8], interner: &mut Interner) -> Option<Value> {
    let mut r = Reader {
        b: text,
        i: 0,
        interner,
    };
    r.ws();
    let v = r.value(0)?;
    r.ws();
    (r.i == r.b.len()).then_some(v)
}

struct Reader<'a, 'i> {
    b: &'a [u8],
    i: usize,
    interner: &'i mut Interner,
}

impl Reader<'_, '_> {
    fn ws(&mut self) {
        while matches!(self.b.get(self.i), Some(b' ' | b'\t' | b'\n' | b'\r')) {
            self.i += 1;
        }
    }

    fn eat(&mut self, c: u8) -> Option<()> {
        (self.b.get(self.i) == Some(&c)).then(|| self.i += 1)
    }

    fn literal(&mut self, word: &[u8], v: Value) -> Option<Value> {
        self.b[self.i..].starts_with(word).then(|| {
            self.i += word.len();
            v
        })
    }

    fn value(&mut self, depth: usize) -> Option<Value> {
        match *self.b.get(self.i)? {
            b'{' => self.object(depth + 1),
            b'[' => self.array(depth + 1),
            b'"' => {
                let s = self.string()?;
                Some(Value::String(if s.len() <= 12 {
                    self.interner.intern(&s)
                } else {
                    Str::from(s)
                }))
            }
            b't' => self.literal(b"true", Value::Bool(true)),
            b'f' => self.literal(b"false", Value::Bool(false)),
            b'n' => self.literal(b"null", Value::Null),
            _ => self.number(),
        }
    }

    fn object(&mut self, depth: usize) -> Option<Value> {
        if depth >= MAX_DEPTH {
            return None;
        }
        self.i += 1;
        let mut members = Vec::new();
        self.ws();
        if self.eat(b'}').is_none() {
            loop {
                self.ws();
                if self.b.get(self.i) != Some(&b'"') {
                    return None;
                }
                let key = self.string()?;
                let key = self.interner.intern(&key);
                self.ws();
                self.eat(b':')?;
                self.ws();
                let v = self.value(depth)?;
                members.push((key, v));
                self.ws();
                if self.eat(b',').is_none() {
                    self.eat(b'}')?;
                    break;
                }
            }
        }
        // Collecting keeps the last of equal keys.
        Some(Value::Object(members.into_iter().collect()))
    }

    fn array(&mut self, depth: usize) -> Option<Value> {
        if depth >= MAX_DEPTH {
            return None;
        }
        self.i += 1;
        let mut items = Vec::new();
        self.ws();
        if self.eat(b']').is_none() {
            loop {
                self.ws();
                items.push(self.value(depth)?);
                self.ws();
                if self.eat(b',').is_none() {
                    self.eat(b']')?;
                    break;
                }
            }
        }
        Some(Value::Array(Arc::new(items)))
    }

    fn number(&mut self) -> Option<Value> {
        let start = self.i;
        while matches!(
            self.b.get(self.i),
            Some(b'0'..=b'9' | b'-' | b'+' | b'.' | b'e' | b'E')
        ) {
            self.i += 1;
        }
        let text = std::str::from_utf8(&self.b[start..self.i]).ok()?;
        Number::from_text(text).map(Value::Number)
    }

    fn hex4(&mut self) -> Option<u16> {
        let digits = self.b.get(self.i..self.i + 4)?;
        let text = std::str::from_utf8(digits).ok()?;
        if !digits.iter().all(u8::is_ascii_hexdigit) {
            return None;
        }
        self.i += 4;
        u16::from_str_radix(text, 16).ok()
    }

    /// A string starting at the opening quote.
    fn string(&mut self) -> Option<String> {
        self.i += 1;
        let mut out = String::new();
        loop {
            // Copy the run up to the next quote, backslash or control character at once.
            let run = self.b[self.i..]
                .iter()
                .position(|&c| c == b'"' || c == b'\\' || c < 0x20)?;
            out.push_str(std::str::from_utf8(&self.b[self.i..self.i + run]).ok()?);
            self.i += run;
            match self.b[self.i] {
                b'"' => {
                    self.i += 1;
                    return Some(out);
                }
                b'\\' => {
                    self.i += 1;
                    let c = *self.b.get(self.i)?;
                    self.i += 1;
                    match c {
                        b'"' => out.push('"'),
                        b'\\' => out.push('\\'),
                        b'/' => out.push('/'),
                        b'b' => out.push('\u{8}'),
                        b'f' => out.push('\u{c}'),
                        b'n' => out.push('\n'),
                        b'r' => out.push('\r'),
                        b't' => out.push('\t'),
                        b'u' => self.unicode_escape(&mut out)?,
                        _ => return None,
                    }
                }
                // A raw control character, which JSON forbids in strings.
                _ => return None,
            }
        }
    }

    /// The code unit after `\u` (and its pair, for a surrogate pair).
    fn unicode_escape(&mut self, out: &mut String) -> Option<()> {
        let unit = self.hex4()?;
        if (0xD800..0xDC00).contains(&unit) && self.b[self.i..].starts_with(b"\\u") {
            let save = self.i;
            self.i += 2;
            match self.hex4() {
                Some(low @ 0xDC00..=0xDFFF) => {
                    let c =
                        0x10000 + ((u32::from(unit) - 0xD800) << 10) + (u32::from(low) - 0xDC00);
                    out.push(char::from_u32(c)?);
                    return Some(());
                }
                _ => self.i = save,
            }
        }
        match char::from_u32(u32::from(unit)) {
            Some(c) => out.push(c),
            None => {
                out.push('\u{FFFD}');
                out.push_str(&format!("\\u{unit:04x}"));
            }
        }
        Some(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(text: &str) -> Option<Value> {
        parse(text.as_bytes(), &mut Interner::default())
    }

    #[test]
    fn reads_what_json_parse_reads() {
        let v =
            read(r#" {"a": [1, -2.5e3, true, false, null, "x\n\u00e9\ud83d\ude00"], "b": {}} "#)
                .expect("JSON");
        assert_eq!(
            v.to_compact_string(),
            r#"{"a":[1,-2500.0,true,false,null,"x\né😀"],"b":{}}"#
        );
    }

    #[test]
    fn refuses_what_json_parse_refuses() {
        for bad in [
            "",
            "{",
            "[1,]",
            "{\"a\":1,}",
            "01",
            "1.",
            "'a'",
            "\"a\tb\"",
            "\"\\x\"",
            "tru",
            "{\"a\" 1}",
            "[1 2]",
            "1 2",
            "\"\\u12\"",
            "{1:2}",
            "nul",
        ] {
            assert!(read(bad).is_none(), "{bad:?}");
        }
    }

    #[test]
    fn lone_surrogates_show_and_stay_distinct() {
        let a = read(r#""a\ud800b""#).expect("JSON");
        let b = read(r#""a\uDC01b""#).expect("JSON");
        assert_eq!(a.as_str(), Some("a\u{FFFD}\\ud800b"));
        assert_eq!(b.as_str(), Some("a\u{FFFD}\\udc01b"));
        // A high surrogate followed by an escape that is not a low one.
        let c = read(r#""\ud800\u0041""#).expect("JSON");
        assert_eq!(c.as_str(), Some("\u{FFFD}\\ud800A"));
    }

    #[test]
    fn the_last_of_a_repeated_key_wins_at_every_depth() {
        let v = read(r#"{"a": 1, "b": {"c": 1, "c": 2}, "a": 3}"#).expect("JSON");
        assert_eq!(v.to_compact_string(), r#"{"a":3,"b":{"c":2}}"#);
    }

    #[test]
    fn nesting_is_limited_where_serde_json_limits_it() {
        for depth in [MAX_DEPTH - 1, MAX_DEPTH, MAX_DEPTH + 1, 5000] {
            let text = format!("{}{}", "[".repeat(depth), "]".repeat(depth));
            let serde = serde_json::from_str::<serde_json::Value>(&text).is_ok();
            assert_eq!(read(&text).is_some(), serde, "depth {depth}");
        }
    }
}
