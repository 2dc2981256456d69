//! Field detection: which member of an event object is its type, stream, time, id, data
//! and metadata. The first key present wins; keys match whatever their case, and a key may
//! be a dotted path (`repo.name`); well-known producers get their own keys
//! ([`crate::load::producers`]); every key can be overridden.

use crate::value::{Object, Value};

/// Keys tried, in order, for each field of an event object.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct FieldKeys {
    /// Event type (`OrderPlaced`). `action.type` is tried last, for Redux actions.
    pub kind: Vec<String>,
    /// Stream (aggregate) the event belongs to.
    pub stream: Vec<String>,
    /// When the event happened.
    pub time: Vec<String>,
    /// Event id.
    pub id: Vec<String>,
    /// The payload folded into state.
    pub data: Vec<String>,
    /// Explicit metadata members (every other top-level key is metadata too).
    pub metadata: Vec<String>,
    /// A payload given as JSON text (a Kafka message, an SQS body, an SNS message) or as
    /// base64 of JSON text (a Kinesis record) is decoded, and dotted keys reach into it.
    pub text_payloads: bool,
}

fn strings(keys: &[&str]) -> Vec<String> {
    keys.iter().map(|k| k.to_string()).collect()
}

impl Default for FieldKeys {
    fn default() -> Self {
        FieldKeys {
            kind: strings(&[
                "type",
                "eventType",
                "event_type",
                "event",
                "name",
                "kind",
                "action.type",
            ]),
            stream: strings(&[
                "stream",
                "streamId",
                "stream_id",
                "aggregateId",
                "aggregate_id",
                "subject",
                "source",
                // EventStoreDB / Kurrent exports and message-db rows.
                "eventStreamId",
                "stream_name",
            ]),
            time: strings(&[
                "time",
                "timestamp",
                "ts",
                "created",
                "createdAt",
                "created_at",
                "occurredAt",
                "occurred_at",
                "recordedAt",
            ]),
            id: strings(&["id", "eventId", "event_id"]),
            data: strings(&["data", "payload", "body", "event_data"]),
            metadata: strings(&["metadata", "meta", "headers"]),
            text_payloads: false,
        }
    }
}

/// Overrides for field detection: a key given here is the only one tried for its field.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct FieldOverrides {
    /// Key of the event type.
    pub kind: Option<String>,
    /// Key of the stream.
    pub stream: Option<String>,
    /// Key of the time.
    pub time: Option<String>,
    /// Key of the data.
    pub data: Option<String>,
}

impl FieldKeys {
    /// The default keys with `overrides` applied.
    pub fn with_overrides(overrides: &FieldOverrides) -> Self {
        FieldKeys::default().overridden(overrides)
    }

    /// These keys with `overrides` applied.
    pub fn overridden(mut self, overrides: &FieldOverrides) -> Self {
        let keys = &mut self;
        let set = |slot: &mut Vec<String>, o: &Option<String>| {
            if let Some(k) = o {
                *slot = vec![k.clone()];
            }
        };
        set(&mut keys.kind, &overrides.kind);
        set(&mut keys.stream, &overrides.stream);
        set(&mut keys.time, &overrides.time);
        set(&mut keys.data, &overrides.data);
        self
    }
}

/// The member of `obj` named `key`, whatever the case of its letters (an exact match wins).
pub fn member<'a>(obj: &'a Object, key: &str) -> Option<&'a Value> {
    obj.get(key).or_else(|| {
        obj.iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(key))
            .map(|(_, v)| v)
    })
}

/// Looks up `key` in `obj`, whatever its case; a dotted key (`repo.name`,
/// `s3.bucket.name`) reaches down through objects when no member has that whole name.
pub fn lookup<'a>(obj: &'a Object, key: &str) -> Option<&'a Value> {
    if let Some(v) = member(obj, key) {
        return Some(v);
    }
    key.match_indices('.').find_map(|(i, _)| {
        let outer = member(obj, &key[..i])?.as_object()?;
        lookup(outer, &key[i + 1..])
    })
}

/// A payload given as text, decoded: JSON text holding an object or an array is parsed,
/// and so is base64 of such text; anything else is returned unchanged.
pub fn decode_text_payload(v: Value) -> Value {
    let Value::String(text) = &v else {
        return v;
    };
    let parse = |bytes: &[u8]| match serde_json::from_slice::<Value>(bytes) {
        Ok(parsed @ (Value::Object(_) | Value::Array(_))) => Some(parsed),
        _ => None,
    };
    let trimmed = text.trim_start();
    if trimmed.starts_with(['{', '[']) {
        return parse(trimmed.as_bytes()).unwrap_or(v);
    }
    crate::base64::decode(text)
        .and_then(|bytes| parse(&bytes))
        .unwrap_or(v)
}

/// The first of `keys` present (and not null) in `obj`, with the key that matched.
pub fn first<'a, 'k>(obj: &'a Object, keys: &'k [String]) -> Option<(&'k str, &'a Value)> {
    keys.iter().find_map(|k| {
        lookup(obj, k)
            .filter(|v| !v.is_null())
            .map(|v| (k.as_str(), v))
    })
}

/// A scalar as display text: strings as they are, numbers and booleans printed.
pub fn scalar_text(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.to_string()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

/// Like [`scalar_text`], sharing the string's allocation when the value is a string.
pub fn scalar_str(v: &Value) -> Option<crate::value::Str> {
    match v {
        Value::String(s) => Some(s.clone()),
        other => scalar_text(other).map(crate::value::Str::from),
    }
}

/// The earliest time an event can have: 0000-01-01T00:00:00Z, in milliseconds since the
/// Unix epoch. Times are RFC 3339 instants, whose years are 0000 to 9999; a time outside
/// them is a mistake in the log (`1e300`), not a date to show.
pub const MIN_TIME_MS: f64 = -62_167_219_200_000.0;
/// The latest time an event can have: 9999-12-31T23:59:59.999Z (see [`MIN_TIME_MS`]).
pub const MAX_TIME_MS: f64 = 253_402_300_799_999.0;

/// Event time in milliseconds since the Unix epoch, from an RFC 3339 string or an epoch
/// number (seconds below 1e11, else milliseconds); `None` when the value is not a time
/// between [`MIN_TIME_MS`] and [`MAX_TIME_MS`] ([`time_problem`] says why).
pub fn time_millis(v: &Value) -> Option<f64> {
    match v {
        Value::Number(n) => epoch_millis(n.as_f64()),
        Value::String(s) => text_time_millis(s),
        _ => None,
    }
}

/// [`time_millis`] of a string value.
pub fn text_time_millis(s: &str) -> Option<f64> {
    match parse_rfc3339(s) {
        Ok(ms) => Some(ms),
        Err(TimeError::NotADate) => s.trim().parse().ok().and_then(epoch_millis),
        Err(_) => None,
    }
}

/// Why `v`, given as an event's time, is not one (`None` when it is a time, or `null`):
/// "no such day", "outside the years 0000 to 9999"...
pub fn time_problem(v: &Value) -> Option<String> {
    if v.is_null() || time_millis(v).is_some() {
        return None;
    }
    const OUT_OF_RANGE: &str = "outside the years 0000 to 9999";
    Some(match v {
        Value::Number(_) => OUT_OF_RANGE.to_string(),
        Value::String(s) => match parse_rfc3339(s) {
            Err(TimeError::NotADate) if s.trim().parse::<f64>().is_ok() => OUT_OF_RANGE.into(),
            Err(TimeError::NotADate) => "neither a date nor an epoch number".into(),
            Err(TimeError::OutOfRange) => OUT_OF_RANGE.into(),
            Err(TimeError::Impossible(what)) => format!("no such {what}"),
            Ok(_) => return None,
        },
        other => format!("{}, not a date or an epoch number", other.kind_phrase()),
    })
}

/// An epoch number in milliseconds: seconds below 1e11, else milliseconds already; `None`
/// outside the years 0000 to 9999 (and for NaN and infinities).
fn epoch_millis(x: f64) -> Option<f64> {
    let ms = if x.abs() < 1e11 { x * 1000.0 } else { x };
    (MIN_TIME_MS..=MAX_TIME_MS).contains(&ms).then_some(ms)
}

/// Why a string is not an RFC 3339 time.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum TimeError {
    /// It is not shaped as a date (it may be an epoch number written as text).
    NotADate,
    /// Shaped as a date, with a field that cannot be: "day", "month", "hour"...
    Impossible(&'static str),
    /// A valid date and offset that land outside the years 0000 to 9999.
    OutOfRange,
}

/// Parses `YYYY-MM-DD[T ]hh:mm[:ss[.fff]][Z|±hh:mm]` (RFC 3339 and its common relaxations;
/// no zone means UTC) into milliseconds since the Unix epoch. A date that does not exist
/// (`2024-02-30`, month 13, hour 25) is `None`, never rolled over into another date.
pub fn parse_rfc3339_millis(s: &str) -> Option<f64> {
    parse_rfc3339(s).ok()
}

fn parse_rfc3339(s: &str) -> Result<f64, TimeError> {
    use TimeError::NotADate;
    let b = s.trim().as_bytes();
    let year = digits(b, 0..4)?;
    if b.get(4) != Some(&b'-') || b.get(7) != Some(&b'-') {
        return Err(NotADate);
    }
    let month = digits(b, 5..7)?;
    let day = digits(b, 8..10)?;
    let (mut hour, mut minute, mut second, mut frac_ms) = (0, 0, 0, 0.0);
    let mut i = 10;
    if matches!(b.get(10), Some(b'T' | b't' | b' ')) {
        hour = digits(b, 11..13)?;
        if b.get(13) != Some(&b':') {
            return Err(NotADate);
        }
        minute = digits(b, 14..16)?;
        i = 16;
        if b.get(16) == Some(&b':') {
            second = digits(b, 17..19)?;
            i = 19;
            if b.get(19) == Some(&b'.') {
                (frac_ms, i) = fraction_ms(b, 20)?;
            }
        }
    }
    let offset_min = zone_offset_min(b, i)?;
    check_fields(year, month, day, hour, minute, second)?;
    let days = days_from_civil(year, month, day);
    let secs = days * 86_400 + hour * 3600 + minute * 60 + second - offset_min * 60;
    let ms = secs as f64 * 1000.0 + frac_ms;
    if (MIN_TIME_MS..=MAX_TIME_MS).contains(&ms) {
        Ok(ms)
    } else {
        Err(TimeError::OutOfRange)
    }
}

/// The number the ASCII digits `b[r]` write; not a date when there are none or another
/// character. Fields are a few digits: they are read by hand (this runs once per event,
/// so it and the other parts of [`parse_rfc3339`] are inlined into it).
#[inline(always)]
fn digits(b: &[u8], r: std::ops::Range<usize>) -> Result<i64, TimeError> {
    let t = b
        .get(r)
        .filter(|t| !t.is_empty())
        .ok_or(TimeError::NotADate)?;
    t.iter()
        .try_fold(0i64, |acc, &c| {
            c.is_ascii_digit().then(|| acc * 10 + i64::from(c - b'0'))
        })
        .ok_or(TimeError::NotADate)
}

/// The fraction of a second whose digits start at `b[start]`, in milliseconds ("5" is
/// 500 ms, "123456" 123.456 ms; digits past nanoseconds do not count), and where it ends.
#[inline(always)]
fn fraction_ms(b: &[u8], start: usize) -> Result<(f64, usize), TimeError> {
    let mut end = start;
    while b.get(end).is_some_and(u8::is_ascii_digit) {
        end += 1;
    }
    if end == start {
        return Err(TimeError::NotADate);
    }
    let digits = &b[start..end.min(start + 9)];
    let value = digits
        .iter()
        .fold(0u64, |acc, &c| acc * 10 + u64::from(c - b'0'));
    // Exact powers of ten (no `powi`, which is a libm call in wasm).
    const TENS: [u64; 7] = [1, 10, 100, 1_000, 10_000, 100_000, 1_000_000];
    let ms = match digits.len() {
        n @ 0..=3 => (value * TENS[3 - n]) as f64,
        n => value as f64 / TENS[n - 3] as f64,
    };
    Ok((ms, end))
}

/// The zone offset written from `b[i]` to the end, in minutes east of UTC: nothing and `Z`
/// are UTC, else `±hh:mm` or `±hhmm`.
#[inline(always)]
fn zone_offset_min(b: &[u8], i: usize) -> Result<i64, TimeError> {
    match b.get(i) {
        None => Ok(0),
        Some(b'Z' | b'z') if i + 1 == b.len() => Ok(0),
        Some(sign @ (b'+' | b'-')) => {
            let oh = digits(b, i + 1..i + 3)?;
            let (om, end) = if b.get(i + 3) == Some(&b':') {
                (digits(b, i + 4..i + 6)?, i + 6)
            } else {
                (digits(b, i + 3..i + 5)?, i + 5)
            };
            if end != b.len() {
                return Err(TimeError::NotADate);
            }
            if oh > 23 || om > 59 {
                return Err(TimeError::Impossible("zone offset"));
            }
            let total = oh * 60 + om;
            Ok(if *sign == b'+' { total } else { -total })
        }
        _ => Err(TimeError::NotADate),
    }
}

/// Checks that each field of a date and time is one that exists (60 seconds is a leap
/// second); the first that is not is named.
#[inline(always)]
fn check_fields(
    year: i64,
    month: i64,
    day: i64,
    hour: i64,
    minute: i64,
    second: i64,
) -> Result<(), TimeError> {
    use TimeError::Impossible;
    if !(1..=12).contains(&month) {
        return Err(Impossible("month"));
    }
    if !(1..=days_in_month(year, month)).contains(&day) {
        return Err(Impossible("day"));
    }
    if hour > 23 {
        return Err(Impossible("hour"));
    }
    if minute > 59 {
        return Err(Impossible("minute"));
    }
    if second > 60 {
        return Err(Impossible("second"));
    }
    Ok(())
}

/// Days in `month` (1-12) of `year`, in the proleptic Gregorian calendar.
fn days_in_month(year: i64, month: i64) -> i64 {
    match month {
        4 | 6 | 9 | 11 => 30,
        2 if year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) => 29,
        2 => 28,
        _ => 31,
    }
}

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = if y >= 0 { y } else { y - 399 } / 400;
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// Formats milliseconds since the epoch as RFC 3339 UTC (`2026-03-01T12:00:00.000Z`).
pub fn format_rfc3339(ms: f64) -> String {
    let total_ms = ms.round() as i64;
    let secs = total_ms.div_euclid(1000);
    let millis = total_ms.rem_euclid(1000);
    let days = secs.div_euclid(86_400);
    let rem = secs.rem_euclid(86_400);
    let (y, m, d) = civil_from_days(days);
    if !(0..=9999).contains(&y) {
        return format!(
            "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}.{millis:03}Z",
            rem / 3600,
            rem % 3600 / 60,
            rem % 60
        );
    }
    // Digit by digit: this runs for every row of the event list and every event a read
    // model reads, and `format!` costs ten times as much.
    let mut out = String::with_capacity(24);
    let fields = [
        (y, 4, '-'),
        (m, 2, '-'),
        (d, 2, 'T'),
        (rem / 3600, 2, ':'),
        (rem % 3600 / 60, 2, ':'),
        (rem % 60, 2, '.'),
        (millis, 3, 'Z'),
    ];
    for (n, width, after) in fields {
        for k in (0..width).rev() {
            let digit = (n / 10i64.pow(k)) % 10;
            out.push(char::from(b'0' + digit as u8));
        }
        out.push(after);
    }
    out
}

fn civil_from_days(z: i64) -> (i64, i64, i64) {
    let z = z + 719_468;
    let era = if z >= 0 { z } else { z - 146_096 } / 146_097;
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    (if m <= 2 { y + 1 } else { y }, m, d)
}

#[cfg(test)]
mod tests;
