//! Which members of an event name its id, correlation and causation: the conventions of
//! the systems that write events, the normalisation that matches their spellings, W3C
//! `traceparent`, and the one reading ([`Rules::read`]) that both a parsed event and a
//! skimmed one ([`super::skim`]) go through, so that both give the same answers.

use std::borrow::Cow;

use crate::fields::FieldKeys;
use crate::value::{Object, Value};

use super::FlowKeys;

/// How the correlation conventions are written (for messages); every one normalises to
/// `correlationid` or `nservicebusconversationid`.
pub(crate) const CORRELATION_SPELLINGS: [&str; 6] = [
    "$correlationId",
    "correlationid",
    "CorrelationId",
    "correlation_id",
    "NServiceBus.ConversationId",
    "traceparent (its trace id)",
];

/// How the causation conventions are written (for messages).
pub(crate) const CAUSATION_SPELLINGS: [&str; 5] = [
    "$causationId",
    "causationid",
    "CausationId",
    "causation_id",
    "NServiceBus.RelatedTo",
];

/// What a member named by a convention gives, with its rank among the conventions of the
/// same field (lower wins when an event has two).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Convention {
    Correlation(u8),
    Causation(u8),
    Traceparent,
}

/// The convention `key` names, whatever its case and punctuation: `$correlationId`,
/// `correlation_id`, `Correlation-Id` and `correlationid` all normalise to `correlationid`.
#[inline]
pub(crate) fn convention(key: &str) -> Option<Convention> {
    // Every convention has at least 11 letters: most keys are passed over here.
    if key.len() < 11 {
        return None;
    }
    let mut buf = [0u8; 32];
    let mut n = 0;
    for b in key.bytes().filter(u8::is_ascii_alphanumeric) {
        *buf.get_mut(n)? = b.to_ascii_lowercase();
        n += 1;
    }
    match &buf[..n] {
        b"correlationid" => Some(Convention::Correlation(0)),
        b"nservicebusconversationid" => Some(Convention::Correlation(1)),
        b"causationid" => Some(Convention::Causation(0)),
        b"nservicebusrelatedto" => Some(Convention::Causation(1)),
        b"traceparent" => Some(Convention::Traceparent),
        _ => None,
    }
}

/// The trace id of a W3C `traceparent` (`00-<32 hex trace id>-<16 hex parent id>-<2 hex
/// flags>`), in lower case; `None` when the value is not one (an all-zero trace id is
/// invalid, and so is version `ff`). A later version may add fields after the flags.
pub(crate) fn trace_id(value: &str) -> Option<Cow<'_, str>> {
    let hex = |s: &str, len: usize| s.len() == len && s.bytes().all(|b| b.is_ascii_hexdigit());
    let mut parts = value.trim().split('-');
    let (version, trace, parent, flags) =
        (parts.next()?, parts.next()?, parts.next()?, parts.next()?);
    let more = parts.next().is_some();
    let valid = hex(version, 2)
        && !version.eq_ignore_ascii_case("ff")
        && !(version == "00" && more)
        && hex(trace, 32)
        && trace.bytes().any(|b| b != b'0')
        && hex(parent, 16)
        && hex(flags, 2);
    if !valid {
        return None;
    }
    Some(match trace.bytes().any(|b| b.is_ascii_uppercase()) {
        true => Cow::Owned(trace.to_ascii_lowercase()),
        false => Cow::Borrowed(trace),
    })
}

/// A JSON object as the reading sees it: a parsed [`Object`], or the few members of an
/// event's text that a skim kept ([`super::skim::Kept`]).
pub(crate) trait Members {
    type Member: Member<Members = Self>;
    /// Every member, in any order, each key once.
    fn members(&self) -> impl Iterator<Item = (&str, &Self::Member)>;
    /// The member named exactly `key`.
    fn exact(&self, key: &str) -> Option<&Self::Member> {
        self.members().find(|(k, _)| *k == key).map(|(_, v)| v)
    }
}

/// A JSON value as the reading sees it.
pub(crate) trait Member {
    type Members: Members<Member = Self>;
    fn object(&self) -> Option<&Self::Members>;
    fn is_null(&self) -> bool;
    /// A string as it is, a number as written; `None` for anything else.
    fn text(&self) -> Option<Cow<'_, str>>;
    fn boolean(&self) -> Option<bool>;
}

impl Members for Object {
    type Member = Value;
    fn members(&self) -> impl Iterator<Item = (&str, &Value)> {
        self.iter().map(|(k, v)| (k.as_ref(), v))
    }
    fn exact(&self, key: &str) -> Option<&Value> {
        self.get(key)
    }
}

impl Member for Value {
    type Members = Object;
    fn object(&self) -> Option<&Object> {
        self.as_object()
    }
    fn is_null(&self) -> bool {
        Value::is_null(self)
    }
    fn text(&self) -> Option<Cow<'_, str>> {
        match self {
            Value::String(s) => Some(Cow::Borrowed(s)),
            Value::Number(n) => Some(Cow::Owned(n.to_string())),
            _ => None,
        }
    }
    fn boolean(&self) -> Option<bool> {
        match self {
            Value::Bool(b) => Some(*b),
            _ => None,
        }
    }
}

/// The member of `obj` named `key`, whatever its case (an exact match wins, then the
/// smallest key): [`crate::fields::member`] for either kind of object.
fn member<'a, O: Members>(obj: &'a O, key: &str) -> Option<&'a O::Member> {
    obj.exact(key).or_else(|| {
        obj.members()
            .filter(|(k, _)| k.eq_ignore_ascii_case(key))
            .min_by(|a, b| a.0.cmp(b.0))
            .map(|(_, v)| v)
    })
}

/// [`crate::fields::lookup`] for either kind of object: `key` whatever its case, or a
/// dotted path down through objects when no member has that whole name.
fn lookup<'a, O: Members>(obj: &'a O, key: &str) -> Option<&'a O::Member> {
    if let Some(v) = member(obj, key) {
        return Some(v);
    }
    key.match_indices('.').find_map(|(i, _)| {
        let outer = member(obj, &key[..i])?.object()?;
        lookup(outer, &key[i + 1..])
    })
}

/// A correlation or causation value: a string or a number, not empty.
fn usable<M: Member>(v: &M) -> Option<Cow<'_, str>> {
    v.text().filter(|t| !t.is_empty())
}

/// What one event says of itself.
#[derive(Debug, Default, PartialEq, Eq)]
pub(crate) struct Found<'a> {
    pub(crate) id: Option<Cow<'a, str>>,
    pub(crate) correlation: Option<Cow<'a, str>>,
    pub(crate) causation: Option<Cow<'a, str>>,
}

/// Where a log's events name their id, correlation and causation.
#[derive(Clone, Debug)]
pub(crate) struct Rules {
    /// The log's id keys ([`FieldKeys::id`]), first present wins.
    id: Vec<String>,
    /// The members that hold metadata ([`FieldKeys::metadata`]), searched in this order
    /// before the top level.
    metadata: Vec<String>,
    keys: FlowKeys,
    /// Top-level keys whose whole value the reading may look into: the id keys, the
    /// overrides, and each dotted prefix of them (`a.b.c` needs `a` and `a.b`).
    whole_top: Vec<String>,
    /// Keys inside metadata whose whole value the reading may look into: the overrides and
    /// their prefixes.
    whole_meta: Vec<String>,
}

/// What a skim keeps of a member.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Keep {
    /// Its whole value.
    Whole,
    /// Only the members inside it that [`Rules::keep_in_metadata`] keeps (a metadata object).
    Metadata,
    /// Nothing.
    Skip,
}

/// `key` and each of its dotted prefixes (`a.b.c`, `a`, `a.b`).
fn with_prefixes(key: &str) -> impl Iterator<Item = String> + '_ {
    key.match_indices('.')
        .map(|(i, _)| key[..i].to_string())
        .chain(std::iter::once(key.to_string()))
}

impl Rules {
    pub(crate) fn new(fields: &FieldKeys, keys: &FlowKeys) -> Rules {
        let overrides = || keys.correlation.iter().chain(&keys.causation);
        let whole_meta: Vec<String> = overrides().flat_map(|k| with_prefixes(k)).collect();
        let whole_top = fields
            .id
            .iter()
            .flat_map(|k| with_prefixes(k))
            .chain(whole_meta.iter().cloned())
            .collect();
        Rules {
            id: fields.id.clone(),
            metadata: fields.metadata.clone(),
            keys: keys.clone(),
            whole_top,
            whole_meta,
        }
    }

    /// The keys these rules were made with.
    pub(crate) fn keys(&self) -> &FlowKeys {
        &self.keys
    }

    /// What the reading may need of the top-level member `key`.
    pub(crate) fn keep_at_top(&self, key: &str) -> Keep {
        let named = |list: &[String]| list.iter().any(|k| k.eq_ignore_ascii_case(key));
        if named(&self.whole_top) || convention(key).is_some() {
            Keep::Whole
        } else if named(&self.metadata) {
            Keep::Metadata
        } else {
            Keep::Skip
        }
    }

    /// Whether the reading may need the member `key` of a metadata object.
    pub(crate) fn keep_in_metadata(&self, key: &str) -> bool {
        convention(key).is_some() || self.whole_meta.iter().any(|k| k.eq_ignore_ascii_case(key))
    }

    /// The id, correlation and causation of the event whose top-level members are `top`.
    ///
    /// The id is read as [`crate::Log::event`] reads it. The correlation and causation are
    /// looked for in each metadata object (in the order of [`FieldKeys::metadata`]), then at
    /// the top level; the first place that has a usable one (a string or number, not
    /// empty) gives it. In one place, an earlier convention wins over a later one, then the
    /// smaller key. `traceparent`'s trace id is the correlation only when no place has a
    /// correlation key. An override replaces the conventions of its field.
    pub(crate) fn read<'a, O: Members>(&self, top: &'a O) -> Found<'a> {
        let id = self
            .id
            .iter()
            .find_map(|k| lookup(top, k).filter(|v| !v.is_null()))
            .and_then(|v| {
                v.text()
                    .or_else(|| v.boolean().map(|b| Cow::Owned(b.to_string())))
            });
        // The metadata objects, then the top level (an iterator, not a list: this runs for
        // every event, and the metadata objects are few).
        let places = || {
            let metadata = self.metadata.iter();
            metadata
                .filter_map(|m| member(top, m)?.object())
                .chain(std::iter::once(top))
        };
        let by_key = |key: &str| places().find_map(|o| usable(lookup(o, key)?));
        let correlation = match &self.keys.correlation {
            Some(k) => by_key(k),
            None => places()
                .find_map(|o| by_convention(o, |c| matches!(c, Convention::Correlation(_))))
                .or_else(|| {
                    places().find_map(|o| {
                        let (_, v) = best(o, |c| c == Convention::Traceparent)?;
                        match v {
                            Cow::Borrowed(s) => trace_id(s),
                            Cow::Owned(s) => trace_id(&s).map(|t| Cow::Owned(t.into_owned())),
                        }
                    })
                }),
        };
        let causation = match &self.keys.causation {
            Some(k) => by_key(k),
            None => {
                places().find_map(|o| by_convention(o, |c| matches!(c, Convention::Causation(_))))
            }
        };
        Found {
            id: id.filter(|t| !t.is_empty()),
            correlation,
            causation,
        }
    }
}

/// The usable value of the best member of `obj` whose convention `wanted` accepts.
fn by_convention<O: Members>(obj: &O, wanted: impl Fn(Convention) -> bool) -> Option<Cow<'_, str>> {
    best(obj, wanted).map(|(_, v)| v)
}

/// The member of `obj` with a usable value whose convention `wanted` accepts, best first
/// (the earlier convention, then the smaller key), with its key.
fn best<O: Members>(obj: &O, wanted: impl Fn(Convention) -> bool) -> Option<(&str, Cow<'_, str>)> {
    let rank = |c: Convention| match c {
        Convention::Correlation(r) | Convention::Causation(r) => r,
        Convention::Traceparent => 0,
    };
    obj.members()
        .filter_map(|(k, v)| {
            let c = convention(k).filter(|c| wanted(*c))?;
            Some(((rank(c), k), usable(v)?))
        })
        .min_by(|a, b| a.0.cmp(&b.0))
        .map(|((_, k), v)| (k, v))
}
