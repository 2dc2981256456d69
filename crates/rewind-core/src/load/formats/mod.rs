//! Recognising a file's format and turning it into event bodies.

mod redux;

use crate::error::{json_error_parts, LoadError};
use crate::events::{Lines, Spans};
use crate::log::{Bodies, Format, Mode};
use crate::text::Text;
use crate::value::{Object, Value};
use std::sync::Arc;

/// What a format yields before folding: the event bodies and what the file says about them.
pub(crate) struct Extracted {
    pub(crate) format: Format,
    pub(crate) bodies: Bodies,
    /// 1-based line of each body, when known.
    pub(crate) lines: Lines,
    pub(crate) bad_lines: Vec<crate::log::BadLine>,
    pub(crate) initial_state: Value,
    pub(crate) recorded_states: Option<crate::log::Recorded>,
    pub(crate) skipped: Vec<bool>,
    pub(crate) times_ms: Option<Vec<f64>>,
    pub(crate) forced_mode: Option<Mode>,
}

impl Extracted {
    /// Bodies with their lines, and nothing else known yet.
    fn new(format: Format, bodies: Bodies, lines: Lines) -> Self {
        Extracted {
            format,
            bodies,
            lines,
            bad_lines: Vec::new(),
            initial_state: Value::empty_object(),
            recorded_states: None,
            skipped: Vec::new(),
            times_ms: None,
            forced_mode: None,
        }
    }

    /// Parsed event bodies, with no lines known.
    pub(super) fn values(format: Format, values: Vec<Value>) -> Self {
        let lines = std::iter::repeat_n(0, values.len()).collect();
        Extracted::new(format, Bodies::Values(values), lines)
    }
}

/// Checks the bytes are text we can read: not empty, not binary, not UTF-16.
pub(crate) fn sniff(bytes: &[u8]) -> Result<&[u8], LoadError> {
    if bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]) {
        return Err(LoadError::Encoding("UTF-16"));
    }
    let (bytes, bom) = match bytes.strip_prefix(&[0xEF, 0xBB, 0xBF]) {
        Some(rest) => (rest, true),
        None => (bytes, false),
    };
    if bytes.iter().all(u8::is_ascii_whitespace) {
        if bom {
            return Err(LoadError::Json {
                line: 1,
                column: 1,
                reason: "only a byte order mark, no JSON value".into(),
            });
        }
        return Err(LoadError::Empty);
    }
    let head = &bytes[..bytes.len().min(8192)];
    if looks_utf16(head) {
        return Err(LoadError::Encoding("UTF-16"));
    }
    // Many control bytes that text never holds mean a binary file (compressed or random
    // bytes are about one in ten); a few are one bad line of a log (a terminal escape
    // written by a logger). NUL bytes do not count: a crash leaves runs of them in a log,
    // and the lines around them still load (the padded line is reported as bad).
    let control = |b: u8| matches!(b, 0x01..=0x08 | 0x0e..=0x1f);
    let controls = head.iter().filter(|&&b| control(b)).count();
    if controls * BINARY_ONE_IN > head.len() {
        let offset = head.iter().position(|&b| control(b)).unwrap_or(0);
        return Err(LoadError::Binary {
            offset,
            byte: head[offset],
        });
    }
    if head.iter().all(|&b| b == 0 || b.is_ascii_whitespace()) {
        let offset = head.iter().position(|&b| b == 0).unwrap_or(0);
        return Err(LoadError::Binary { offset, byte: 0 });
    }
    Ok(bytes)
}

/// A file whose first 8 KB hold more than one control byte in this many is binary.
const BINARY_ONE_IN: usize = 50;

/// True when `head` reads as UTF-16 text without a byte order mark: ASCII characters with
/// a NUL byte beside each.
fn looks_utf16(head: &[u8]) -> bool {
    let pairs = head.chunks_exact(2).take(64);
    let n = pairs.len();
    let (mut le, mut be) = (0, 0);
    for p in pairs {
        le += usize::from(p[0] != 0 && p[1] == 0);
        be += usize::from(p[0] == 0 && p[1] != 0);
    }
    n >= 4 && (le * 10 >= n * 9 || be * 10 >= n * 9)
}

fn line_col(bytes: &[u8], offset: usize) -> (usize, usize) {
    let before = &bytes[..offset.min(bytes.len())];
    let line = before.iter().filter(|&&b| b == b'\n').count() + 1;
    let col = offset
        - before
            .iter()
            .rposition(|&b| b == b'\n')
            .map_or(0, |i| i + 1)
        + 1;
    (line, col)
}

/// Appends the spans and 1-based numbers of the non-blank lines of `text[start..end]` (each
/// ends at a newline or at `end`); `line_no` counts the lines before `start` and is kept
/// up to date, so a text can be split as it arrives. `text` starts at byte `base` of the
/// log, which the spans count from.
pub(crate) fn split_lines(
    text: &[u8],
    base: u64,
    mut start: usize,
    end: usize,
    line_no: &mut usize,
    spans: &mut Spans,
    lines: &mut Lines,
) -> Result<(), LoadError> {
    while start < end {
        *line_no += 1;
        let stop = memchr_newline(&text[start..end]).map_or(end, |i| start + i);
        let line = &text[start..stop];
        let lead = line.iter().take_while(|b| b.is_ascii_whitespace()).count();
        let trail = line[lead..]
            .iter()
            .rev()
            .take_while(|b| b.is_ascii_whitespace())
            .count();
        let len = line.len() - lead - trail;
        if len > 0 {
            let len = u32::try_from(len)
                .map_err(|_| LoadError::TooLarge(format!("line {line_no} is longer than 4 GiB")))?;
            spans.push((base + (start + lead) as u64, len));
            lines.push(u32::try_from(*line_no).unwrap_or(u32::MAX));
        }
        start = stop + 1;
    }
    Ok(())
}

/// True when `head`, the start of a log, is certainly NDJSON (see [`looks_like_ndjson`]; the
/// last line of `head` may be cut, so it is not judged). [`extract`] then reads the whole
/// file as NDJSON too.
pub(crate) fn starts_ndjson(head: &[u8]) -> bool {
    let Ok(text) = sniff(head) else {
        return false;
    };
    let complete = match text.iter().rposition(|&b| b == b'\n') {
        Some(end) => &text[..end],
        None => return false,
    };
    let more = !text[complete.len()..].trim_ascii().is_empty();
    ndjson_verdict(complete, more)
}

/// Lines judged to tell NDJSON from one JSON document spread over lines.
const NDJSON_SAMPLE: usize = 64;

/// True when the lines of `text` are one JSON object each (see [`ndjson_verdict`]).
fn looks_like_ndjson(text: &[u8]) -> bool {
    ndjson_verdict(text, false)
}

/// True when several lines each hold a JSON object of their own: some line is an object,
/// and at least half of the lines judged are one-line values (any JSON value, or an object
/// broken but opened and closed on its line). A log is judged by most of its lines, so a first line cut in
/// half, NUL padding or a stray value is one bad line, not a verdict; the lines of a JSON
/// document spread over lines (`{`, `"a": 1,`, `},`) are not one-line objects. One line
/// is enough when `more` text follows it (a start of a log cut where its second line is).
fn ndjson_verdict(text: &[u8], more: bool) -> bool {
    let (mut judged, mut objects, mut one_line) = (0usize, 0usize, 0usize);
    for line in text
        .split(|&b| b == b'\n')
        .map(<[u8]>::trim_ascii)
        .filter(|l| !l.is_empty())
        .take(NDJSON_SAMPLE)
    {
        judged += 1;
        let opened_and_closed = line.len() > 1 && line[0] == b'{' && line[line.len() - 1] == b'}';
        let parses = serde_json::from_slice::<serde::de::IgnoredAny>(line).is_ok();
        objects += usize::from(opened_and_closed && parses);
        one_line += usize::from(opened_and_closed || parses);
    }
    (judged >= 2 || more) && objects >= 1 && one_line * 2 >= judged
}

/// Recognises the format and extracts the event bodies.
pub(crate) fn extract(bytes: Text, forced: Option<Format>) -> Result<Extracted, LoadError> {
    let text = sniff(&bytes)?;
    let offset = bytes.len() - text.len();
    if forced == Some(Format::Ndjson) {
        // One JSON document spread over lines is not NDJSON, whatever is forced: say what
        // it is instead of reporting each of its lines as bad.
        if text.trim_ascii().contains(&b'\n') && !looks_like_ndjson(text) {
            if let Ok(doc) = crate::value::parse(text) {
                return from_document(doc, forced);
            }
        }
        return ndjson(bytes, offset);
    }
    let first = text.iter().find(|b| !b.is_ascii_whitespace()).copied();
    let array_ok = matches!(forced, None | Some(Format::JsonArray | Format::CloudEvents))
        && first == Some(b'[')
        && std::str::from_utf8(text).is_ok()
        && (serde_json::from_slice::<serde::de::IgnoredAny>(text).is_ok()
            || crate::value::parse(text).is_ok());
    if array_ok {
        // A valid top-level array: keep its text and the span of each element, like the
        // lines of NDJSON, instead of a parsed tree of the whole log.
        return json_array(bytes, offset);
    }
    match crate::value::parse(text) {
        Ok(doc) => from_document(doc, forced),
        Err(e) => {
            // Several values on lines of their own: NDJSON (a malformed line further down
            // is reported by the NDJSON reader, and the other lines load).
            if forced.is_none() && looks_like_ndjson(text) {
                return ndjson(bytes, offset);
            }
            if let Err(utf) = std::str::from_utf8(text) {
                let (line, column) = line_col(text, utf.valid_up_to());
                return Err(LoadError::NotUtf8 { line, column });
            }
            let (line, column, mut reason) = json_error_parts(&e);
            let first = text.iter().find(|b| !b.is_ascii_whitespace()).copied();
            if !matches!(first, Some(b'{' | b'[')) {
                reason = format!(
                    "{reason}; this is not an event log (expected a JSON array of events, or one JSON object per line)"
                );
            }
            Err(LoadError::Json {
                line,
                column,
                reason,
            })
        }
    }
}

/// One JSON value per line: the spans of the non-blank lines. They are parsed (and bad
/// ones reported) while folding, so each line is read once.
fn ndjson(bytes: Text, offset: usize) -> Result<Extracted, LoadError> {
    let mut spans = Spans::default();
    let mut lines = Lines::default();
    let mut line_no = 0usize;
    split_lines(
        &bytes,
        0,
        offset,
        bytes.len(),
        &mut line_no,
        &mut spans,
        &mut lines,
    )?;
    let text = bytes;
    Ok(Extracted::new(
        Format::Ndjson,
        Bodies::Text { text, spans },
        lines,
    ))
}

/// The elements of a valid top-level JSON array, as spans of the text with their lines.
fn json_array(bytes: Text, offset: usize) -> Result<Extracted, LoadError> {
    let text = &bytes[..];
    let mut spans = Spans::default();
    let mut lines = Lines::default();
    let mut line = 1u32 + text[..offset].iter().filter(|&&b| b == b'\n').count() as u32;
    let mut i = offset + text[offset..].iter().position(|&b| b == b'[').unwrap_or(0) + 1;
    let (mut depth, mut in_string, mut escaped) = (0usize, false, false);
    let mut start: Option<(usize, u32)> = None;
    let push = |start: Option<(usize, u32)>, end: usize, spans: &mut Spans, lines: &mut Lines| {
        if let Some((s, l)) = start {
            let trimmed = text[s..end].trim_ascii_end().len();
            if trimmed > 0 {
                spans.push((s as u64, u32::try_from(trimmed).unwrap_or(u32::MAX)));
                lines.push(l);
            }
        }
    };
    while i < text.len() {
        let b = text[i];
        if in_string {
            match (escaped, b) {
                (true, _) => escaped = false,
                (false, b'\\') => escaped = true,
                (false, b'"') => in_string = false,
                _ => {}
            }
        } else {
            match b {
                b'\n' => {}
                b' ' | b'\t' | b'\r' => {}
                b',' | b']' if depth == 0 => {
                    push(start.take(), i, &mut spans, &mut lines);
                    if b == b']' {
                        break;
                    }
                }
                _ => {
                    if start.is_none() {
                        start = Some((i, line));
                    }
                    match b {
                        b'"' => in_string = true,
                        b'{' | b'[' => depth += 1,
                        b'}' | b']' => depth = depth.saturating_sub(1),
                        _ => {}
                    }
                }
            }
        }
        if b == b'\n' {
            line += 1;
        }
        i += 1;
    }
    if spans.is_empty() {
        return Err(LoadError::NotAnEventLog(
            "the array is empty: there are no events".into(),
        ));
    }
    let first = spans.text_in(text, 0).unwrap_or_default();
    let cloud = crate::value::parse(first).is_ok_and(|v| is_cloud_event(&v));
    let format = if cloud {
        Format::CloudEvents
    } else {
        Format::JsonArray
    };
    let text = bytes;
    Ok(Extracted::new(format, Bodies::Text { text, spans }, lines))
}

/// Index of the first `\n`, eight bytes at a time. Never inlined, so that the browser
/// optimises it while a part's lines are split (see `replay::scan_line`).
#[inline(never)]
fn memchr_newline(hay: &[u8]) -> Option<usize> {
    const LO: u64 = 0x0101_0101_0101_0101;
    const HI: u64 = 0x8080_8080_8080_8080;
    const NL: u64 = LO * b'\n' as u64;
    let mut i = 0;
    while i + 8 <= hay.len() {
        let mut word = [0u8; 8];
        word.copy_from_slice(&hay[i..i + 8]);
        let x = u64::from_le_bytes(word) ^ NL;
        if (x.wrapping_sub(LO) & !x & HI) != 0 {
            break;
        }
        i += 8;
    }
    hay[i..].iter().position(|&b| b == b'\n').map(|p| i + p)
}

fn is_cloud_event(v: &Value) -> bool {
    v.as_object()
        .is_some_and(|o| o.get("specversion").is_some())
}

/// A whole JSON object: wrapped, CloudEvents, Redux DevTools, or one event. (Top-level
/// arrays never get here: [`json_array`] keeps them as text.)
fn from_document(doc: Value, forced: Option<Format>) -> Result<Extracted, LoadError> {
    match forced {
        // A forced format that does not fit says which one the file looks like.
        Some(_) => {
            let hint = looks_like(&doc);
            document_as(doc, forced).map_err(|e| match e {
                LoadError::NotAnEventLog(why) if !why.contains("looks like") => {
                    LoadError::NotAnEventLog(format!("{why}{hint}"))
                }
                other => other,
            })
        }
        None => document_as(doc, None),
    }
}

/// [`from_document`], in the format forced or detected.
fn document_as(doc: Value, forced: Option<Format>) -> Result<Extracted, LoadError> {
    let detected = forced.or_else(|| detect_document(&doc));
    match (detected, doc) {
        (Some(Format::ReduxActions), Value::Object(o)) => redux::actions(&o),
        (Some(Format::ReduxLifted), Value::Object(o)) => redux::lifted(&o),
        (Some(Format::CloudEvents), v @ Value::Object(_)) => Ok(Extracted::values(Format::CloudEvents, vec![v])),
        (Some(Format::Wrapped), Value::Object(o)) => {
            let (_, events) = wrapped_events(&o).ok_or_else(|| {
                LoadError::NotAnEventLog(format!(
                    "no array under \"events\", \"records\", \"items\" or \"data\" (keys found: {})",
                    key_list(&o)
                ))
            })?;
            let mut ex = Extracted::values(Format::Wrapped, events.to_vec());
            ex.format = if events.first().is_some_and(is_cloud_event) { Format::CloudEvents } else { Format::Wrapped };
            Ok(ex)
        }
        (Some(Format::Ndjson), other) => Err(LoadError::NotAnEventLog(format!(
            "expected one JSON value per line, and this file is one JSON {} spread over lines{}",
            other.kind(),
            looks_like(&other)
        ))),
        (Some(f), other) => Err(LoadError::NotAnEventLog(format!(
            "the {} format needs {}, and this file holds {}{}",
            f.name(),
            if f == Format::JsonArray { "an array" } else { "an object" },
            other.kind(),
            looks_like(&other)
        ))),
        (None, Value::Object(o)) if looks_like_event(&o) => {
            Ok(Extracted::values(Format::JsonArray, vec![Value::Object(o)]))
        }
        (None, Value::Object(o)) => Err(LoadError::NotAnEventLog(format!(
            "this JSON object is not a shape Rewind knows (keys found: {}); if it is one event, choose its fields with --type-key, --stream-key, --time-key and --data-key (the Fields button on the page)",
            key_list(&o)
        ))),
        (None, other) => Err(LoadError::NotAnEventLog(format!(
            "this JSON {} holds no events (expected an array of events, an object with an \"events\" array, CloudEvents or a Redux DevTools export)",
            other.kind()
        ))),
    }
}

/// ` (it looks like FORMAT)` when the document is of a format Rewind knows, for the
/// message about a forced format that does not fit.
fn looks_like(doc: &Value) -> String {
    let detected = match doc {
        Value::Array(_) => Some(Format::JsonArray),
        other => detect_document(other),
    };
    detected.map_or_else(String::new, |f| {
        format!(
            "; it looks like {} (leave the format to detection, or choose --format {})",
            f.name(),
            f.name()
        )
    })
}

/// The first keys of `o`, for messages about shapes Rewind does not know.
fn key_list(o: &Object) -> String {
    const SHOWN: usize = 12;
    let mut keys: Vec<String> = o
        .iter()
        .take(SHOWN)
        .map(|(k, _)| format!("\"{k}\""))
        .collect();
    if o.len() > SHOWN {
        keys.push(format!("and {} more", o.len() - SHOWN));
    }
    if keys.is_empty() {
        return "none".into();
    }
    keys.join(", ")
}

/// True when one object is an event by itself: it has a type or a payload under one of
/// the default keys, or a well-known producer wrote it.
fn looks_like_event(o: &Object) -> bool {
    let keys = crate::fields::FieldKeys::default();
    crate::fields::first(o, &keys.kind).is_some()
        || crate::fields::first(o, &keys.data).is_some()
        || crate::load::producers::Producer::detect([o]).is_some()
}

/// The format of a whole JSON document. An object that is one event (it has a type) is
/// left to [`looks_like_event`] even when its payload is an array or a string, which would
/// otherwise read as a wrapper (unless the array is under `events`, `records` or `items`
/// and holds objects) or a Redux DevTools export.
fn detect_document(doc: &Value) -> Option<Format> {
    let Value::Object(o) = doc else {
        return None;
    };
    let typed = crate::fields::first(o, &crate::fields::FieldKeys::default().kind).is_some();
    if o.get("specversion").is_some() {
        Some(Format::CloudEvents)
    } else if o.get("actionsById").is_some() && o.get("computedStates").is_some() {
        Some(Format::ReduxLifted)
    } else if !typed && o.get("payload").and_then(Value::as_str).is_some() {
        Some(Format::ReduxActions)
    } else if wrapped_events(o).is_some_and(|(key, events)| {
        // A typed object with an array under `data` is one event whose payload is a list.
        !typed || (key != "data" && events.iter().any(|e| e.as_object().is_some()))
    }) {
        Some(Format::Wrapped)
    } else {
        None
    }
}

/// The array of events under a wrapper's key (`events`, `records` — AWS writes
/// `Records` —, `items` or `data`, whatever the case).
fn wrapped_events(o: &Object) -> Option<(&'static str, &Arc<Vec<Value>>)> {
    ["events", "records", "items", "data"]
        .into_iter()
        .find_map(|k| match crate::fields::member(o, k) {
            Some(Value::Array(a)) => Some((k, a)),
            _ => None,
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn array_elements_are_split_with_their_lines_whatever_their_strings_hold() {
        let doc = b"[\n {\"a\":\"x,] \\\" }\"},\n 2 , [3,{\"b\":[]}]\n]".to_vec();
        let ex = extract(doc.clone().into(), None).expect("valid array");
        assert_eq!(ex.format, Format::JsonArray);
        let Bodies::Text { text, spans } = &ex.bodies else {
            panic!("array kept as text")
        };
        let parts: Vec<&str> = (0..spans.len())
            .map(|p| {
                std::str::from_utf8(spans.text_in(text, p).expect("in memory")).expect("utf-8")
            })
            .collect();
        assert_eq!(parts, [r#"{"a":"x,] \" }"}"#, "2", r#"[3,{"b":[]}]"#]);
        assert_eq!(ex.lines.to_vec(), [2, 3, 3]);
    }
}
