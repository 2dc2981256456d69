//! Recognising a file's format (SPEC §2) and turning it into event bodies.

use std::sync::Arc;

use crate::error::{json_error_parts, LoadError};
use crate::jsan::RepeatLimit;
use crate::log::{Bodies, Format, Mode};
use crate::value::{Object, Str, Value};

/// What a format yields before folding: the event bodies and what the file says about them.
pub(crate) struct Extracted {
    pub(crate) format: Format,
    pub(crate) bodies: Bodies,
    /// 1-based line of each body, when known.
    pub(crate) lines: Vec<u32>,
    pub(crate) bad_lines: Vec<crate::log::BadLine>,
    pub(crate) initial_state: Value,
    pub(crate) recorded_states: Option<crate::log::Recorded>,
    pub(crate) skipped: Vec<bool>,
    pub(crate) times_ms: Option<Vec<f64>>,
    pub(crate) forced_mode: Option<Mode>,
}

impl Extracted {
    /// Bodies with their lines, and nothing else known yet.
    fn new(format: Format, bodies: Bodies, lines: Vec<u32>) -> Self {
        let n = lines.len();
        Extracted {
            format,
            bodies,
            lines,
            bad_lines: Vec::new(),
            initial_state: Value::empty_object(),
            recorded_states: None,
            skipped: vec![false; n],
            times_ms: None,
            forced_mode: None,
        }
    }

    fn values(format: Format, values: Vec<Value>) -> Self {
        let lines = vec![0; values.len()];
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
    if let Some(offset) = head.iter().position(|&b| b == 0) {
        return Err(LoadError::Binary { offset, byte: 0 });
    }
    Ok(bytes)
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
/// up to date, so a text can be split as it arrives.
pub(crate) fn split_lines(
    text: &[u8],
    mut start: usize,
    end: usize,
    line_no: &mut usize,
    spans: &mut Vec<(usize, u32)>,
    lines: &mut Vec<u32>,
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
            spans.push((start + lead, len));
            lines.push(u32::try_from(*line_no).unwrap_or(u32::MAX));
        }
        start = stop + 1;
    }
    Ok(())
}

/// True when `head`, the start of a log, is certainly NDJSON: readable text whose first
/// line is a JSON value of its own, followed by another line. (Then the whole file is not
/// one JSON document, and [`extract`] reads it as NDJSON too.)
pub(crate) fn starts_ndjson(head: &[u8]) -> bool {
    let Ok(text) = sniff(head) else {
        return false;
    };
    let mut lines = text
        .split(|&b| b == b'\n')
        .map(<[u8]>::trim_ascii)
        .filter(|l| !l.is_empty());
    let (Some(first), Some(_)) = (lines.next(), lines.next()) else {
        return false;
    };
    first.first() != Some(&b'[') && serde_json::from_slice::<serde::de::IgnoredAny>(first).is_ok()
}

/// Recognises the format and extracts the event bodies.
pub(crate) fn extract(bytes: Vec<u8>, forced: Option<Format>) -> Result<Extracted, LoadError> {
    let text = sniff(&bytes)?;
    let offset = bytes.len() - text.len();
    if forced == Some(Format::Ndjson) {
        return ndjson(bytes, offset);
    }
    let first = text.iter().find(|b| !b.is_ascii_whitespace()).copied();
    let array_ok = matches!(forced, None | Some(Format::JsonArray | Format::CloudEvents))
        && first == Some(b'[')
        && std::str::from_utf8(text).is_ok()
        && serde_json::from_slice::<serde::de::IgnoredAny>(text).is_ok();
    if array_ok {
        // A valid top-level array: keep its text and the span of each element, like the
        // lines of NDJSON, instead of a parsed tree of the whole log.
        return json_array(bytes, offset);
    }
    match serde_json::from_slice::<Value>(text) {
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

/// True when several lines each hold a JSON value of their own: the first line does, or
/// it is a broken one-line object (not a lone `{` opening a pretty-printed document) and
/// one of the next lines is an object of its own.
fn looks_like_ndjson(text: &[u8]) -> bool {
    let mut lines = text
        .split(|&b| b == b'\n')
        .map(<[u8]>::trim_ascii)
        .filter(|l| !l.is_empty());
    let Some(first) = lines.next() else {
        return false;
    };
    let parses = |l: &[u8]| serde_json::from_slice::<serde::de::IgnoredAny>(l).is_ok();
    let mut rest = lines.take(7).peekable();
    if rest.peek().is_none() {
        return false;
    }
    parses(first)
        || (first.len() > 1 && first[0] == b'{' && rest.any(|l| l[0] == b'{' && parses(l)))
}

/// One JSON value per line: the spans of the non-blank lines. They are parsed (and bad
/// ones reported) while folding, so each line is read once.
fn ndjson(bytes: Vec<u8>, offset: usize) -> Result<Extracted, LoadError> {
    let mut spans = Vec::new();
    let mut lines = Vec::new();
    let mut line_no = 0usize;
    split_lines(
        &bytes,
        offset,
        bytes.len(),
        &mut line_no,
        &mut spans,
        &mut lines,
    )?;
    let text = Arc::new(bytes);
    Ok(Extracted::new(
        Format::Ndjson,
        Bodies::Text { text, spans },
        lines,
    ))
}

/// The elements of a valid top-level JSON array, as spans of the text with their lines.
fn json_array(bytes: Vec<u8>, offset: usize) -> Result<Extracted, LoadError> {
    let text = &bytes[..];
    let mut spans = Vec::new();
    let mut lines = Vec::new();
    let mut line = 1u32 + text[..offset].iter().filter(|&&b| b == b'\n').count() as u32;
    let mut i = offset + text[offset..].iter().position(|&b| b == b'[').unwrap_or(0) + 1;
    let (mut depth, mut in_string, mut escaped) = (0usize, false, false);
    let mut start: Option<(usize, u32)> = None;
    let push = |start: Option<(usize, u32)>,
                end: usize,
                spans: &mut Vec<(usize, u32)>,
                lines: &mut Vec<u32>| {
        if let Some((s, l)) = start {
            let trimmed = text[s..end].trim_ascii_end().len();
            if trimmed > 0 {
                spans.push((s, u32::try_from(trimmed).unwrap_or(u32::MAX)));
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
    let first = &text[spans[0].0..spans[0].0 + spans[0].1 as usize];
    let cloud = serde_json::from_slice::<Value>(first).is_ok_and(|v| is_cloud_event(&v));
    let format = if cloud {
        Format::CloudEvents
    } else {
        Format::JsonArray
    };
    let text = Arc::new(bytes);
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
    let detected = forced.or_else(|| detect_document(&doc));
    match (detected, doc) {
        (Some(Format::ReduxActions), Value::Object(o)) => redux_actions(&o),
        (Some(Format::ReduxLifted), Value::Object(o)) => redux_lifted(&o),
        (Some(Format::CloudEvents), v @ Value::Object(_)) => Ok(Extracted::values(Format::CloudEvents, vec![v])),
        (Some(Format::Wrapped), Value::Object(o)) => {
            let (_, events) = wrapped_events(&o).ok_or_else(|| {
                LoadError::NotAnEventLog("no array under \"events\", \"records\", \"items\" or \"data\"".into())
            })?;
            let mut ex = Extracted::values(Format::Wrapped, events.to_vec());
            ex.format = if events.first().is_some_and(is_cloud_event) { Format::CloudEvents } else { Format::Wrapped };
            Ok(ex)
        }
        (Some(Format::Ndjson), _) => Err(LoadError::NotAnEventLog("expected one JSON value per line".into())),
        (Some(f), other) => Err(LoadError::NotAnEventLog(format!(
            "the {} format needs {}, and this file holds {}",
            f.name(),
            if f == Format::JsonArray { "an array" } else { "an object" },
            other.kind()
        ))),
        (None, Value::Object(o)) if looks_like_event(&o) => {
            Ok(Extracted::values(Format::JsonArray, vec![Value::Object(o)]))
        }
        (None, other) => Err(LoadError::NotAnEventLog(format!(
            "this JSON {} holds no events (expected an array of events, an object with an \"events\" array, CloudEvents or a Redux DevTools export)",
            other.kind()
        ))),
    }
}

fn looks_like_event(o: &Object) -> bool {
    let keys = crate::fields::FieldKeys::default();
    crate::fields::first(o, &keys.kind).is_some() || crate::fields::first(o, &keys.data).is_some()
}

fn detect_document(doc: &Value) -> Option<Format> {
    match doc {
        Value::Object(o) => {
            if o.get("specversion").is_some() {
                Some(Format::CloudEvents)
            } else if o.get("actionsById").is_some() && o.get("computedStates").is_some() {
                Some(Format::ReduxLifted)
            } else if o.get("payload").and_then(Value::as_str).is_some() {
                Some(Format::ReduxActions)
            } else if wrapped_events(o).is_some() {
                Some(Format::Wrapped)
            } else {
                None
            }
        }
        _ => None,
    }
}

fn wrapped_events(o: &Object) -> Option<(&'static str, &Arc<Vec<Value>>)> {
    ["events", "records", "items", "data"]
        .into_iter()
        .find_map(|k| match o.get(k) {
            Some(Value::Array(a)) => Some((k, a)),
            _ => None,
        })
}

/// Parses JSON text embedded in a string member (Redux DevTools exports nest JSON as text)
/// and decodes its jsan; the limit bounds what each value taken from it repeats.
fn embedded_json(text: &str, what: &str) -> Result<(Value, RepeatLimit), LoadError> {
    let value: Value = serde_json::from_str(text).map_err(|e| {
        let (line, column, reason) = json_error_parts(&e);
        LoadError::Json {
            line,
            column,
            reason: format!("in {what}: {reason}"),
        }
    })?;
    Ok((
        crate::jsan::decode(&value),
        RepeatLimit::for_document(&value),
    ))
}

fn redux_actions(o: &Object) -> Result<Extracted, LoadError> {
    let payload = o.get("payload").and_then(Value::as_str).ok_or_else(|| {
        LoadError::NotAnEventLog("a Redux DevTools export needs a string \"payload\"".into())
    })?;
    // One budget for all the actions: the state merges them all.
    let (actions, mut limit) = embedded_json(payload, "\"payload\"")?;
    let actions = match limit.apply(&actions) {
        Value::Array(a) => a.to_vec(),
        other => {
            return Err(LoadError::NotAnEventLog(format!(
                "the Redux DevTools \"payload\" holds {}, not an array of actions",
                other.kind()
            )))
        }
    };
    let mut ex = Extracted::values(Format::ReduxActions, actions);
    if let Some(pre) = o.get("preloadedState").and_then(Value::as_str) {
        let (state, mut limit) = embedded_json(pre, "\"preloadedState\"")?;
        ex.initial_state = limit.apply(&state);
    }
    Ok(ex)
}

fn redux_lifted(o: &Object) -> Result<Extracted, LoadError> {
    let encoded = Value::Object(o.clone());
    let mut limit = RepeatLimit::for_document(&encoded);
    let o = match crate::jsan::decode(&encoded) {
        Value::Object(decoded) => decoded,
        _ => o.clone(),
    };
    let by_id = o.get("actionsById").and_then(Value::as_object);
    let staged: Vec<Value> = match o.get("stagedActionIds") {
        Some(Value::Array(a)) => a.to_vec(),
        _ => by_id
            .map(|m| m.iter().map(|(k, _)| Value::String(k.clone())).collect())
            .unwrap_or_default(),
    };
    let states = match o.get("computedStates") {
        Some(Value::Array(a)) => a.clone(),
        _ => Arc::new(Vec::new()),
    };
    let skipped_ids: std::collections::HashSet<String> = match o.get("skippedActionIds") {
        Some(Value::Array(a)) => a.iter().filter_map(crate::fields::scalar_text).collect(),
        _ => Default::default(),
    };
    let mut actions = Vec::with_capacity(staged.len());
    let mut recorded = crate::log::Recorded::default();
    let mut skipped = Vec::with_capacity(staged.len());
    let mut times = Vec::with_capacity(staged.len());
    let mut previous = Value::empty_object();
    for (i, id) in staged.iter().enumerate() {
        let id_text = crate::fields::scalar_text(id).unwrap_or_default();
        let lifted = by_id
            .and_then(|m| m.get(&id_text))
            .and_then(Value::as_object);
        let member = |key: &str| lifted.and_then(|l| l.get(key));
        let action = member("action").map_or(Value::Null, |a| limit.apply(a));
        let time = member("timestamp")
            .and_then(crate::fields::time_millis)
            .unwrap_or(f64::NAN);
        let state = match computed_state(states.get(i)) {
            Ok(state) => limit.apply(state),
            Err(reason) => {
                recorded.failures.insert(i, reason);
                previous.clone()
            }
        };
        previous = state.clone();
        actions.push(action);
        recorded.states.push(state);
        skipped.push(skipped_ids.contains(&id_text));
        times.push(time);
    }
    if actions.is_empty() {
        return Err(LoadError::NotAnEventLog(
            "the Redux DevTools export has no staged actions".into(),
        ));
    }
    let mut ex = Extracted::values(Format::ReduxLifted, actions);
    ex.recorded_states = Some(recorded);
    ex.skipped = skipped;
    ex.times_ms = Some(times);
    ex.forced_mode = Some(Mode::Recorded);
    Ok(ex)
}

/// The state a lifted export computed for one action (`computedStates[i]`), or why there
/// is none: the reducer threw (DevTools then keeps the state before the action, and every
/// later action says it was interrupted), or the export stops short of this action.
fn computed_state(entry: Option<&Value>) -> Result<&Value, String> {
    let entry = entry.and_then(Value::as_object);
    match entry.and_then(|e| e.get("error")) {
        None | Some(Value::Null) => {}
        Some(Value::String(error)) => return Err(format!("the reducer threw: {error}")),
        Some(error) => return Err(format!("the reducer threw: {}", error.to_compact_string())),
    }
    entry
        .and_then(|e| e.get("state"))
        .ok_or_else(|| "the export has no computed state for this action".to_string())
}

/// A CloudEvent's payload: `data`, or `data_base64` decoded (JSON if it parses, else text).
pub(crate) fn cloud_event_data(o: &Object) -> Value {
    if let Some(d) = o.get("data") {
        return d.clone();
    }
    let Some(encoded) = o.get("data_base64").and_then(Value::as_str) else {
        return Value::Null;
    };
    match crate::base64::decode(encoded) {
        Some(bytes) => serde_json::from_slice::<Value>(&bytes)
            .unwrap_or_else(|_| Value::String(Str::from(String::from_utf8_lossy(&bytes).as_ref()))),
        None => Value::String(Str::from(format!("(invalid base64: {encoded})"))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn array_elements_are_split_with_their_lines_whatever_their_strings_hold() {
        let doc = b"[\n {\"a\":\"x,] \\\" }\"},\n 2 , [3,{\"b\":[]}]\n]".to_vec();
        let ex = extract(doc.clone(), None).expect("valid array");
        assert_eq!(ex.format, Format::JsonArray);
        let Bodies::Text { text, spans } = &ex.bodies else {
            panic!("array kept as text")
        };
        let parts: Vec<&str> = spans
            .iter()
            .map(|&(s, l)| std::str::from_utf8(&text[s..s + l as usize]).expect("utf-8"))
            .collect();
        assert_eq!(parts, [r#"{"a":"x,] \" }"}"#, "2", r#"[3,{"b":[]}]"#]);
        assert_eq!(ex.lines, [2, 3, 3]);
    }
}
