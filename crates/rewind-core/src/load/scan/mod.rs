//! Reading what the fold and the index need of one event (type, stream, time, payload) in a
//! single pass over its JSON text, skipping everything else (ids, metadata) without
//! building it. The same answers come from an already parsed event object, so both paths
//! agree by construction.

use std::collections::HashMap;
use std::fmt;

use serde::de::{self, DeserializeSeed, IgnoredAny, MapAccess, Visitor};

use crate::error::json_error_parts;
use crate::fields::{self, FieldKeys};
use crate::names::{Names, NO_STREAM, UNTYPED};
mod seed;

use seed::EventSeed;

use crate::value::{FastHash, Interner, Object, Str, Value, ValueSeed, ValueVisitor};

/// What a top-level key of an event object is used for (with its rank among the keys of
/// the same field: lower wins).
#[derive(Clone, Copy, Debug, Default)]
struct Roles {
    kind: Option<u8>,
    stream: Option<u8>,
    time: Option<u8>,
    data: Option<u8>,
    /// `patch` (patch mode) / `state` (recorded mode) / `data_base64` and
    /// `datacontentencoding` (CloudEvents).
    special: Option<Special>,
    /// The first segment of a dotted key such as `action.type`.
    outer: bool,
    /// This key's bit in the set of keys seen in one event (keys with a role are few),
    /// so that a key written twice is noticed.
    bit: u64,
}

impl Roles {
    /// The roles of two spellings of one key (the better rank of each field).
    fn union(self, other: Roles) -> Roles {
        let best = |a: Option<u8>, b: Option<u8>| match (a, b) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        };
        Roles {
            kind: best(self.kind, other.kind),
            stream: best(self.stream, other.stream),
            time: best(self.time, other.time),
            data: best(self.data, other.data),
            special: self.special.or(other.special),
            outer: self.outer || other.outer,
            bit: self.bit | other.bit,
        }
    }

    /// The key can only be the payload, so skimming it loses nothing else.
    fn payload_only(&self) -> bool {
        self.data.is_some()
            && self.kind.is_none()
            && self.stream.is_none()
            && self.time.is_none()
            && self.special.is_none()
            && !self.outer
    }

    /// The key is only a type, stream or time (not the payload, not a special member, not
    /// the start of a dotted key): its value is needed as text, never as a [`Value`].
    fn envelope_only(&self) -> bool {
        (self.kind.is_some() || self.stream.is_some() || self.time.is_some())
            && self.data.is_none()
            && self.special.is_none()
            && !self.outer
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Special {
    Patch,
    State,
    DataBase64,
    /// CloudEvents 0.3: `base64` says `data` is base64 text.
    ContentEncoding,
}

/// Field roles by top-level key, built once per log from its [`FieldKeys`].
#[derive(Debug)]
pub(crate) struct Scanner {
    roles: HashMap<String, Roles, FastHash>,
    keys: FieldKeys,
}

/// The fields of one event.
#[derive(Default)]
pub(crate) struct Scanned {
    pub(crate) kind: Option<Str>,
    pub(crate) stream: Option<Str>,
    pub(crate) time_ms: Option<f64>,
    /// A time key holds something that is not a time, and no other time key holds one.
    pub(crate) time_invalid: bool,
    /// The payload could not be read as sent (see `formats::cloud_event_payload`).
    pub(crate) payload_problem: bool,
    /// The payload (`data`, `payload`...), or the whole event when it is not an object.
    pub(crate) data: Option<Value>,
    pub(crate) patch: Option<Value>,
    pub(crate) state: Option<Value>,
    /// Index of `kind` in the log's type names (set by [`Namer::name`]).
    pub(crate) kind_id: u32,
    /// Index of `stream` in the log's stream names, or [`NO_STREAM`].
    pub(crate) stream_id: u32,
    /// The payload is there and not `null`, but was skipped unread ([`Payload::Skim`]):
    /// `data` is `None` and [`Log::fold_input`](crate::log::Log::fold_input) reads it.
    pub(crate) unread: bool,
}

/// How much of an event's payload a scan reads.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Payload {
    /// Build the payload as a [`Value`].
    Read,
    /// Only check that the payload is there and not `null` (a lazy merge fold reads it
    /// when the stream is first looked at); keys that also name the type, stream or time
    /// are still read.
    Skim,
}

/// Gives type and stream names dense ids, in event order (on whichever thread parses).
#[derive(Default)]
pub(crate) struct Namer {
    pub(crate) types: Names,
    pub(crate) streams: Names,
}

impl Namer {
    /// Sets the ids of `scanned`'s type and stream (for an event read from a parsed value;
    /// one read from text is named while it is scanned, see [`Scanner::scan_text`]).
    pub(crate) fn name(&mut self, scanned: &mut Scanned) {
        let kind = scanned.kind.take().map(Text::Shared);
        let stream = scanned.stream.take().map(Text::Shared);
        (
            (scanned.kind_id, scanned.kind),
            (scanned.stream_id, scanned.stream),
        ) = self.ids(kind, stream);
    }

    /// The ids of a type and a stream, with the shared copies of their names (an absent
    /// type is named [`UNTYPED`]; an absent stream is [`NO_STREAM`]).
    fn ids(&mut self, kind: Option<Text<'_>>, stream: Option<Text<'_>>) -> (Named, Named) {
        (
            named(&mut self.types, kind, Some(UNTYPED)),
            named(&mut self.streams, stream, None),
        )
    }
}

/// A type or stream name (or an object key) as an event gives it: borrowed from the line
/// when it has no escapes, so that a name seen before costs a lookup and no allocation.
enum Text<'de> {
    Borrowed(&'de str),
    Shared(Str),
}

impl Text<'_> {
    fn as_str(&self) -> &str {
        match self {
            Text::Borrowed(s) => s,
            Text::Shared(s) => s,
        }
    }

    fn into_str(self) -> Str {
        match self {
            Text::Borrowed(s) => Str::from(s),
            Text::Shared(s) => s,
        }
    }
}

/// A name's id, and the shared copy of the name (`None` when it was absent).
type Named = (u32, Option<Str>);

/// The id in `names` of `text` (of `absent` when there is none; [`NO_STREAM`] when neither),
/// and the shared copy of `text`.
fn named(names: &mut Names, text: Option<Text<'_>>, absent: Option<&str>) -> Named {
    let Some(name) = text.as_ref().map(Text::as_str).or(absent) else {
        return (NO_STREAM, None);
    };
    let id = names.id(name);
    let shared = text.and_then(|_| names.list.get(id as usize).cloned());
    (id, shared)
}

struct Best<T> {
    rank: u8,
    value: Option<T>,
}

impl<T> Default for Best<T> {
    fn default() -> Self {
        Best {
            rank: 0,
            value: None,
        }
    }
}

impl<T> Best<T> {
    fn offer(&mut self, rank: u8, value: Option<T>) {
        if value.is_some() && (self.value.is_none() || rank < self.rank) {
            self.rank = rank;
            self.value = value;
        }
    }
}

impl Scanner {
    pub(crate) fn new(keys: &FieldKeys) -> Self {
        let mut roles: HashMap<String, Roles, FastHash> = HashMap::default();
        let mut add = |list: &[String], set: fn(&mut Roles, u8)| {
            for (i, k) in list.iter().enumerate() {
                let rank = u8::try_from(i).unwrap_or(u8::MAX);
                match k.split_once('.') {
                    Some((outer, _)) => roles.entry(outer.to_string()).or_default().outer = true,
                    None => set(roles.entry(k.clone()).or_default(), rank),
                }
            }
        };
        add(&keys.kind, |r, i| r.kind = Some(i));
        add(&keys.stream, |r, i| r.stream = Some(i));
        add(&keys.time, |r, i| r.time = Some(i));
        add(&keys.data, |r, i| r.data = Some(i));
        roles.entry("patch".into()).or_default().special = Some(Special::Patch);
        roles.entry("state".into()).or_default().special = Some(Special::State);
        roles.entry("data_base64".into()).or_default().special = Some(Special::DataBase64);
        roles
            .entry("datacontentencoding".into())
            .or_default()
            .special = Some(Special::ContentEncoding);
        // Keys match whatever their case: each key is also listed in lower case, where a
        // key of the log that is not found as written is looked up ([`Scanner::roles`]).
        let lower: Vec<(String, Roles)> = roles
            .iter()
            .map(|(k, r)| (k.to_ascii_lowercase(), *r))
            .filter(|(k, _)| !roles.contains_key(k))
            .collect();
        for (k, r) in lower {
            let entry = roles.entry(k).or_default();
            *entry = entry.union(r);
        }
        // Keys past the 64th share the last bit: a false alarm only costs a slower read.
        for (i, r) in roles.values_mut().enumerate() {
            r.bit = 1 << i.min(63);
        }
        Scanner {
            roles,
            keys: keys.clone(),
        }
    }

    /// What `key` is used for, whatever its case. A key found as written costs one lookup;
    /// a miss costs a second only when the key has capitals (the lower-case spellings are
    /// in the same table).
    #[inline]
    fn roles(&self, key: &str) -> Option<&Roles> {
        if let Some(r) = self.roles.get(key) {
            return Some(r);
        }
        if !key.bytes().any(|b| b.is_ascii_uppercase()) {
            return None;
        }
        self.roles.get(key.to_ascii_lowercase().as_str())
    }

    /// Reads an event from its JSON text; with a `namer`, its type and stream ids are set
    /// too (from the text, without copying names seen before).
    ///
    /// serde_json reads the line in one pass. The few lines it cannot read faithfully (a
    /// number it could only read as an `f64`, a lone surrogate escape, a key with a role
    /// written twice, a CloudEvents 0.3 encoded `data`) are read again whole by the exact reader
    /// ([`crate::value::parse_with`]); when that fails too, serde_json's error stands.
    pub(crate) fn scan_text(
        &self,
        text: &[u8],
        interner: &mut Interner,
        mut namer: Option<&mut Namer>,
        payload: Payload,
    ) -> Result<Scanned, serde_json::Error> {
        interner.inexact = false;
        let seed = EventSeed {
            scanner: self,
            interner: &mut *interner,
            namer: namer.as_deref_mut(),
            payload,
        };
        // Checking the line's UTF-8 once, in one quick pass, spares the parser checking each
        // string it reads. A line that is not UTF-8 throughout is read as bytes, so that
        // bad bytes in a part that is skipped unread (an id, metadata) lose no event.
        let fast = match std::str::from_utf8(text) {
            Ok(text) => seed.read(serde_json::Deserializer::from_str(text)),
            Err(_) => seed.read(serde_json::Deserializer::from_slice(text)),
        };
        if fast.is_ok() && (!interner.inexact || crate::number::all_fit_f64(text)) {
            return fast;
        }
        let Some(body) = crate::exact::parse(text, interner) else {
            return fast;
        };
        let mut scanned = self
            .scan_value(&body)
            .map_err(<serde_json::Error as de::Error>::custom)?;
        if let Some(namer) = namer {
            namer.name(&mut scanned);
        }
        Ok(scanned)
    }

    /// Reads an event that is already parsed; anything but an object is refused with the
    /// reason, as [`scan_text`](Self::scan_text) refuses it.
    pub(crate) fn scan_value(&self, body: &Value) -> Result<Scanned, String> {
        let Some(obj) = body.as_object() else {
            return Err(not_an_event_reason(body.kind_phrase()));
        };
        let mut acc = Accumulator::default();
        for (k, v) in obj.iter() {
            if let Some(roles) = self.roles(k.as_ref()) {
                acc.offer(roles, Some(k), v.clone());
            }
        }
        Ok(acc.finish(&self.keys, None))
    }
}

#[derive(Default)]
struct Accumulator<'de> {
    kind: Best<Text<'de>>,
    stream: Best<Text<'de>>,
    time: Best<f64>,
    /// A time key held something that is not a time.
    time_invalid: bool,
    /// The payload; `Some(None)` when it was skipped unread.
    data: Best<Option<Value>>,
    patch: Option<Value>,
    state: Option<Value>,
    data_base64: Option<Value>,
    content_encoding: Option<Value>,
    outer: Vec<(Str, Value)>,
}

impl<'de> Accumulator<'de> {
    fn offer(&mut self, roles: &Roles, key: Option<&Str>, v: Value) {
        if v.is_null() {
            return;
        }
        if let Some(r) = roles.kind {
            self.kind.offer(r, fields::scalar_str(&v).map(Text::Shared));
        }
        if let Some(r) = roles.stream {
            self.stream
                .offer(r, fields::scalar_str(&v).map(Text::Shared));
        }
        if let Some(r) = roles.time {
            self.offer_time(r, fields::time_millis(&v));
        }
        match roles.special {
            Some(Special::Patch) => self.patch = Some(v.clone()),
            Some(Special::State) => self.state = Some(v.clone()),
            Some(Special::DataBase64) => self.data_base64 = Some(v.clone()),
            Some(Special::ContentEncoding) => self.content_encoding = Some(v.clone()),
            None => {}
        }
        if let (true, Some(key)) = (roles.outer, key) {
            self.outer.push((key.clone(), v.clone()));
        }
        if let Some(r) = roles.data {
            self.data.offer(r, Some(Some(v)));
        }
    }

    /// [`offer`](Self::offer) for a string without escapes, of a key that is only a type,
    /// stream or time ([`Roles::envelope_only`]): read where it lies.
    fn offer_text(&mut self, roles: &Roles, s: &'de str) {
        if let Some(r) = roles.kind {
            self.kind.offer(r, Some(Text::Borrowed(s)));
        }
        if let Some(r) = roles.stream {
            self.stream.offer(r, Some(Text::Borrowed(s)));
        }
        if let Some(r) = roles.time {
            self.offer_time(r, fields::text_time_millis(s));
        }
    }

    /// A time key's value, read (`None`: present but not a time).
    fn offer_time(&mut self, rank: u8, ms: Option<f64>) {
        self.time_invalid |= ms.is_none();
        self.time.offer(rank, ms);
    }

    /// Offers the values of the dotted keys (`action.type`), read in the members whose
    /// keys are their first segments; they rank after the plain keys listed before them.
    fn offer_dotted(&mut self, keys: &FieldKeys) {
        if self.outer.is_empty() {
            return;
        }
        let outer: Object = self
            .outer
            .drain(..)
            .map(|(k, v)| match keys.text_payloads {
                true => (k, fields::decode_text_payload(v)),
                false => (k, v),
            })
            .collect();
        let lists: [(&[String], u8); 4] = [
            (&keys.kind, 0),
            (&keys.stream, 1),
            (&keys.time, 2),
            (&keys.data, 3),
        ];
        for (list, field) in lists {
            for (i, k) in list.iter().enumerate() {
                if !k.contains('.') {
                    continue;
                }
                let rank = u8::try_from(i).unwrap_or(u8::MAX);
                let v = fields::lookup(&outer, k).filter(|v| !v.is_null());
                match field {
                    0 => self
                        .kind
                        .offer(rank, v.and_then(fields::scalar_str).map(Text::Shared)),
                    1 => self
                        .stream
                        .offer(rank, v.and_then(fields::scalar_str).map(Text::Shared)),
                    2 => {
                        if let Some(v) = v {
                            self.offer_time(rank, fields::time_millis(v));
                        }
                    }
                    _ => self.data.offer(rank, v.cloned().map(Some)),
                }
            }
        }
    }

    /// The event's fields, from the best-ranked key of each; names it with `namer` when
    /// given.
    fn finish(mut self, keys: &FieldKeys, namer: Option<&mut Namer>) -> Scanned {
        self.offer_dotted(keys);
        let unread = matches!(self.data.value, Some(None));
        let mut data = match keys.text_payloads {
            true => self.data.value.flatten().map(fields::decode_text_payload),
            false => self.data.value.flatten(),
        };
        let mut payload_problem = false;
        // A CloudEvent's encoded payload (never skimmed: see `EventSeed::visit_map`).
        let encoded = match (data.take(), self.content_encoding) {
            (d, Some(encoding)) => Some([("data", d), ("datacontentencoding", Some(encoding))]),
            (None, None) if !unread => self
                .data_base64
                .map(|b| [("data_base64", Some(b)), ("", None)]),
            (d, None) => {
                data = d;
                None
            }
        };
        if let Some(members) = encoded {
            let o: Object = members
                .into_iter()
                .filter_map(|(k, v)| Some((Str::from(k), v?)))
                .collect();
            let (decoded, problem) = crate::load::cloud_events::cloud_event_payload(&o);
            data = Some(decoded);
            payload_problem = problem.is_some();
        }
        let ((kind_id, kind), (stream_id, stream)) = match namer {
            Some(namer) => namer.ids(self.kind.value, self.stream.value),
            None => (
                (0, self.kind.value.map(Text::into_str)),
                (NO_STREAM, self.stream.value.map(Text::into_str)),
            ),
        };
        Scanned {
            kind,
            stream,
            time_invalid: self.time_invalid && self.time.value.is_none(),
            payload_problem,
            time_ms: self.time.value,
            data,
            patch: self.patch,
            state: self.state,
            kind_id,
            stream_id,
            unread,
        }
    }
}

/// How the reason given for a value that is not an event object ends.
pub(crate) const NOT_AN_EVENT: &str = ", not an event object";

/// The reason given for a value that is not an event object (`what` says what it is).
pub(crate) fn not_an_event_reason(what: &str) -> String {
    format!("{what}{NOT_AN_EVENT}")
}

fn not_an_event<E: de::Error>(what: &str) -> E {
    E::custom(not_an_event_reason(what))
}

/// Reads one NDJSON line (or array element) and names its type and stream; a bad line's
/// reason is short and says the column.
///
/// Never inlined, nor is [`Ingest::add`](crate::load::ingest::Ingest::add): in the browser, a function runs in the baseline
/// compiler's code until its optimised code is ready, which happens only on its next call
/// (wasm has no on-stack replacement). Inlined into the loop over a 16 MB part, the work of
/// a line would stay unoptimised for the whole part; called per line, it is optimised
/// within milliseconds.
#[inline(never)]
pub(crate) fn scan_line(
    scanner: &Scanner,
    line: &[u8],
    interner: &mut Interner,
    namer: &mut Namer,
    payload: Payload,
) -> Result<Scanned, String> {
    scanner
        .scan_text(line, interner, Some(namer), payload)
        .map_err(|e| {
            let (_, column, reason) = json_error_parts(&e);
            if reason.ends_with(NOT_AN_EVENT) {
                reason
            } else if let Some(nuls) = nul_run(line) {
                format!("{nuls} NUL bytes (padding left where a crash cut the log)")
            } else if !starts_like_json(line) {
                format!(
                    "not JSON: it starts with ‘{}’, so it was cut short (the file may start mid-line, or the line was written only in part)",
                    preview(line)
                )
            } else if std::str::from_utf8(line).is_err() {
                "not valid UTF-8 text".to_string()
            } else {
                format!("{reason} (column {column})")
            }
        })
}

/// The number of NUL bytes in `line`, when it holds any.
fn nul_run(line: &[u8]) -> Option<usize> {
    let n = line.iter().filter(|&&b| b == 0).count();
    (n > 0).then_some(n)
}

/// True when `line` starts as a JSON value can.
fn starts_like_json(line: &[u8]) -> bool {
    matches!(line.first(), Some(b'{' | b'[' | b'"' | b'-' | b'0'..=b'9'))
        || [&b"true"[..], b"false", b"null"]
            .iter()
            .any(|word| line.starts_with(word))
}

/// The first characters of a line, for a message.
fn preview(line: &[u8]) -> String {
    let text = String::from_utf8_lossy(&line[..line.len().min(24)]);
    let mut shown: String = text.chars().take(16).collect();
    if line.len() > shown.len() {
        shown.push('…');
    }
    shown
}
