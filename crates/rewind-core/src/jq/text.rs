//! String filters: the regular expressions behind `test`, `match`, `capture`, `splits`,
//! `sub` and `gsub` (by `regex-lite`, already in the web bundle; compiled regexes are
//! cached per thread, since a handler runs the same few patterns for every event), and the
//! formats `@html`, `@uri`, `@base64`, `@base64d`, `@csv`, `@tsv`.

use std::cell::RefCell;
use std::fmt::Write as _;

use jaq_core::native::{bome, v, Filter};
use jaq_core::{Cv, RunPtr};
use regex_lite::{Regex, RegexBuilder};

use super::data::Data;
use super::value::{Error, JqValue, ValR};
use crate::value::{Str, Value};

/// Compiled regexes kept per thread.
const REGEX_CACHE: usize = 32;

thread_local! {
    static REGEXES: RefCell<Vec<(String, String, Regex)>> = const { RefCell::new(Vec::new()) };
}

/// The regex `re` with jq's `flags`; whether to skip empty matches (`n`) and to find all
/// matches (`g`).
fn regex(re: &str, flags: &str) -> Result<(Regex, bool, bool), Error> {
    let (global, skip_empty) = (flags.contains('g'), flags.contains('n'));
    if let Some(c) = flags.chars().find(|c| !"gnimsxlp".contains(*c)) {
        return Err(JqValue::fail(format_args!(
            "{flags} is not a valid modifier string ({c})"
        )));
    }
    let cached = REGEXES.with(|c| {
        c.borrow()
            .iter()
            .find(|(r, f, _)| r == re && f == flags)
            .map(|(.., x)| x.clone())
    });
    if let Some(x) = cached {
        return Ok((x, global, skip_empty));
    }
    let has = |c| flags.contains(c);
    let x = RegexBuilder::new(re)
        .case_insensitive(has('i'))
        .multi_line(has('m') || has('p'))
        .dot_matches_new_line(has('s') || has('p'))
        .swap_greed(has('l'))
        .ignore_whitespace(has('x'))
        .build()
        .map_err(|e| JqValue::fail(format_args!("{re} (at offset 0) is not a valid regex: {e}")))?;
    REGEXES.with(|c| {
        let mut c = c.borrow_mut();
        if c.len() >= REGEX_CACHE {
            c.remove(0);
        }
        c.push((re.to_string(), flags.to_string(), x.clone()));
    });
    Ok((x, global, skip_empty))
}

/// A match or capture as jq describes it: offset and length in characters, the string, and
/// the group's name for captures (`offset` -1 and `string` null for a group that did not
/// take part).
fn match_object(s: &str, m: Option<regex_lite::Match<'_>>, name: Option<Option<&str>>) -> Value {
    let mut members: Vec<(Str, Value)> = Vec::with_capacity(4);
    let n = |i: usize| JqValue::from(i).0;
    match m {
        Some(m) => {
            members.push((Str::from("offset"), n(s[..m.start()].chars().count())));
            members.push((Str::from("length"), n(m.as_str().chars().count())));
            members.push((Str::from("string"), Value::String(Str::from(m.as_str()))));
        }
        None => {
            members.push((Str::from("offset"), JqValue::from(-1i64).0));
            members.push((Str::from("length"), n(0)));
            members.push((Str::from("string"), Value::Null));
        }
    }
    if let Some(name) = name {
        let name = name.map_or(Value::Null, |x| Value::String(Str::from(x)));
        members.push((Str::from("name"), name));
    }
    Value::Object(members.into_iter().collect())
}

/// The pieces of the input for jaq-std's regex definitions: with `mismatches`, the text
/// between matches (as strings); with `matches`, each match as an array of the whole match
/// then its groups.
fn pieces(mut cv: Cv<'_, Data>, mismatches: bool, matches: bool) -> ValR {
    let flags = cv.0.pop_var();
    let re = cv.0.pop_var();
    let s = cv.1.as_str().ok_or_else(|| cv.1.type_error("a string"))?;
    let re_text = re
        .as_str()
        .ok_or_else(|| re.type_error("a string (regex)"))?;
    let flags = match &flags.0 {
        Value::Null => "",
        _ => flags
            .as_str()
            .ok_or_else(|| flags.type_error("a string (flags)"))?,
    };
    let (x, global, skip_empty) = regex(re_text, flags)?;
    let mut out = Vec::new();
    let mut last = 0;
    for caps in x.captures_iter(s) {
        let Some(whole) = caps.get(0) else { continue };
        if skip_empty && whole.as_str().is_empty() {
            continue;
        }
        if mismatches {
            out.push(Value::String(Str::from(&s[last..whole.start()])));
            last = whole.end();
        }
        if matches {
            let mut groups = vec![match_object(s, Some(whole), None)];
            let names = x.capture_names().skip(1);
            for (i, name) in names.enumerate() {
                groups.push(match_object(s, caps.get(i + 1), Some(name)));
            }
            out.push(JqValue::array(groups).0);
        }
        if !global {
            break;
        }
    }
    if mismatches {
        out.push(Value::String(Str::from(&s[last..])));
    }
    Ok(JqValue::array(out))
}

/// `@html`: escapes `<>&'"`.
fn escape_html(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '\'' => out.push_str("&#39;"),
            '"' => out.push_str("&quot;"),
            c => out.push(c),
        }
    }
    out
}

/// `@uri`: percent-encodes every byte but the unreserved characters.
fn encode_uri(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"-_.~".contains(&b) {
            out.push(char::from(b));
        } else {
            let _ = write!(out, "%{b:02X}");
        }
    }
    out
}

/// `@base64`: standard base64 with padding.
fn encode_base64(s: &str) -> String {
    const DIGITS: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(s.len().div_ceil(3) * 4);
    for chunk in s.as_bytes().chunks(3) {
        let b = [
            chunk[0],
            *chunk.get(1).unwrap_or(&0),
            *chunk.get(2).unwrap_or(&0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(char::from(DIGITS[(n >> (18 - 6 * i)) as usize & 63]));
            } else {
                out.push('=');
            }
        }
    }
    out
}

/// A row of `@csv` or `@tsv`: strings through `quote`, numbers and booleans as they print.
fn row(v: &JqValue, format: &str, quote: fn(&str) -> String, sep: &str) -> ValR {
    let Value::Array(a) = &v.0 else {
        return Err(v.type_error(&format!("an array (for {format})")));
    };
    let mut cells = Vec::with_capacity(a.len());
    for x in a.iter() {
        cells.push(match x {
            Value::Null => String::new(),
            Value::Bool(_) | Value::Number(_) => x.to_string(),
            Value::String(s) => quote(s),
            other => {
                return Err(JqValue::fail(format_args!(
                    "{} is not valid in a {format} row",
                    JqValue(other.clone()).described()
                )))
            }
        });
    }
    Ok(JqValue::from(cells.join(sep)))
}

/// A string filter `f(.)`.
fn on_str(v: &JqValue, f: fn(&str) -> String) -> ValR {
    let s = v.as_str().ok_or_else(|| v.type_error("a string"))?;
    Ok(JqValue::from(f(s)))
}

/// The regex and format filters.
pub(crate) fn funs() -> Box<[Filter<RunPtr<Data>>]> {
    let vv = || v(2);
    Box::new([
        ("matches", vv(), |cv| bome(pieces(cv, false, true))),
        ("split_matches", vv(), |cv| bome(pieces(cv, true, true))),
        ("split_", vv(), |cv| bome(pieces(cv, true, false))),
        ("escape_html", v(0), |cv| bome(on_str(&cv.1, escape_html))),
        ("encode_uri", v(0), |cv| bome(on_str(&cv.1, encode_uri))),
        ("encode_base64", v(0), |cv| {
            bome(on_str(&cv.1, encode_base64))
        }),
        ("decode_base64", v(0), |cv| {
            bome(
                cv.1.as_str()
                    .ok_or_else(|| cv.1.type_error("a string"))
                    .and_then(|s| {
                        crate::base64::decode_or_why(s)
                            .map(|b| JqValue::from(String::from_utf8_lossy(&b).into_owned()))
                            .map_err(|e| {
                                JqValue::fail(format_args!("{s} is not valid base64 data: {e}"))
                            })
                    }),
            )
        }),
        ("@csv", v(0), |cv| {
            bome(row(
                &cv.1,
                "@csv",
                |s| format!("\"{}\"", s.replace('"', "\"\"")),
                ",",
            ))
        }),
        ("@tsv", v(0), |cv| {
            bome(row(
                &cv.1,
                "@tsv",
                |s| {
                    s.replace('\\', "\\\\")
                        .replace('\t', "\\t")
                        .replace('\n', "\\n")
                        .replace('\r', "\\r")
                },
                "\t",
            ))
        }),
    ])
}
