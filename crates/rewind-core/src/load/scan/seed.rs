//! The serde visitors that read an event's text in one pass: the event object, with each
//! key read as its role asks ([`EventSeed`]), a payload only checked for presence
//! ([`Presence`]), and a type, stream or time borrowed from the line when it can be
//! ([`EnvelopeSeed`]).

use super::*;

/// Reads one event from its text, each key as its roles ask (see [`Scanner::scan_text`]).
pub(super) struct EventSeed<'a, 'i> {
    pub(super) scanner: &'a Scanner,
    pub(super) interner: &'i mut Interner,
    pub(super) namer: Option<&'i mut Namer>,
    pub(super) payload: Payload,
}

impl EventSeed<'_, '_> {
    /// Reads the one event `de` holds, and nothing after it.
    pub(super) fn read<'de, R: serde_json::de::Read<'de>>(
        self,
        mut de: serde_json::Deserializer<R>,
    ) -> Result<Scanned, serde_json::Error> {
        let scanned = self.deserialize(&mut de)?;
        de.end()?;
        Ok(scanned)
    }
}

impl<'de> DeserializeSeed<'de> for EventSeed<'_, '_> {
    type Value = Scanned;
    fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<Scanned, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for EventSeed<'_, '_> {
    type Value = Scanned;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON event")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Scanned, A::Error> {
        let mut acc = Accumulator::default();
        let mut seen = 0u64;
        while let Some(key) = map.next_key::<Text<'de>>()? {
            let roles = self.scanner.roles(key.as_str());
            if let Some(roles) = roles {
                // The last value of a repeated key wins, and a CloudEvents 0.3 encoding
                // applies to a `data` that may come before it: the exact reader reads
                // such an event whole (see `Scanner::scan_text`).
                if seen & roles.bit != 0 || roles.special == Some(Special::ContentEncoding) {
                    return Err(de::Error::custom(READ_WHOLE));
                }
                seen |= roles.bit;
            }
            match roles {
                Some(roles) if self.payload == Payload::Skim && roles.payload_only() => {
                    if map.next_value_seed(Presence)? {
                        if let Some(r) = roles.data {
                            acc.data.offer(r, Some(None));
                        }
                    }
                }
                Some(roles) if roles.envelope_only() => {
                    // A time is read as an `f64` anyway; a type or stream keeps its digits.
                    let names = roles.kind.is_some() || roles.stream.is_some();
                    match map.next_value_seed(EnvelopeSeed(&mut *self.interner, names))? {
                        Envelope::Text(s) => acc.offer_text(roles, s),
                        Envelope::Value(v) => acc.offer(roles, None, v),
                    }
                }
                Some(roles) => {
                    let v = map.next_value_seed(ValueSeed(&mut *self.interner))?;
                    // The key itself is kept only for dotted names (`action.type`).
                    let k = roles.outer.then(|| self.interner.intern(key.as_str()));
                    acc.offer(roles, k.as_ref(), v);
                }
                None => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        Ok(acc.finish(&self.scanner.keys, self.namer))
    }

    // Anything but an object is not an event: it has no type or stream of its own, and
    // must never be counted under another event's. The caller reports it as a bad line.
    fn visit_bool<E: de::Error>(self, _: bool) -> Result<Scanned, E> {
        Err(not_an_event("a boolean"))
    }
    fn visit_i64<E: de::Error>(self, _: i64) -> Result<Scanned, E> {
        Err(not_an_event("a number"))
    }
    fn visit_u64<E: de::Error>(self, _: u64) -> Result<Scanned, E> {
        Err(not_an_event("a number"))
    }
    fn visit_f64<E: de::Error>(self, _: f64) -> Result<Scanned, E> {
        Err(not_an_event("a number"))
    }
    fn visit_str<E: de::Error>(self, _: &str) -> Result<Scanned, E> {
        Err(not_an_event("a string"))
    }
    fn visit_unit<E: de::Error>(self) -> Result<Scanned, E> {
        Err(not_an_event("null"))
    }
    fn visit_seq<A: de::SeqAccess<'de>>(self, _: A) -> Result<Scanned, A::Error> {
        Err(not_an_event("an array"))
    }
}

/// Reads a value without building it, telling whether it is anything but `null`. It
/// visits every string and number as [`ValueSeed`] does, so it accepts and rejects exactly
/// the same text (ignoring would let through invalid UTF-8 or out-of-range numbers).
struct Presence;

impl<'de> DeserializeSeed<'de> for Presence {
    type Value = bool;
    fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<bool, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Presence {
    type Value = bool;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON value")
    }
    fn visit_unit<E: de::Error>(self) -> Result<bool, E> {
        Ok(false)
    }
    fn visit_bool<E: de::Error>(self, _: bool) -> Result<bool, E> {
        Ok(true)
    }
    fn visit_i64<E: de::Error>(self, _: i64) -> Result<bool, E> {
        Ok(true)
    }
    fn visit_u64<E: de::Error>(self, _: u64) -> Result<bool, E> {
        Ok(true)
    }
    fn visit_f64<E: de::Error>(self, _: f64) -> Result<bool, E> {
        Ok(true)
    }
    fn visit_str<E: de::Error>(self, _: &str) -> Result<bool, E> {
        Ok(true)
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<bool, A::Error> {
        while map.next_key_seed(Presence)?.is_some() {
            map.next_value_seed(Presence)?;
        }
        Ok(true)
    }
    fn visit_seq<A: de::SeqAccess<'de>>(self, mut seq: A) -> Result<bool, A::Error> {
        while seq.next_element_seed(Presence)?.is_some() {}
        Ok(true)
    }
}

/// The value of a type, stream or time key: a string without escapes is borrowed from the
/// line; anything else is read as [`ValueSeed`] reads it (so the same text is rejected).
enum Envelope<'de> {
    Text(&'de str),
    Value(Value),
}

/// With `true`, a number read as an `f64` marks the line for the exact reader.
struct EnvelopeSeed<'i>(&'i mut Interner, bool);

impl<'de> DeserializeSeed<'de> for EnvelopeSeed<'_> {
    type Value = Envelope<'de>;
    fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<Envelope<'de>, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for EnvelopeSeed<'_> {
    type Value = Envelope<'de>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON value")
    }
    fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Envelope<'de>, E> {
        Ok(Envelope::Text(v))
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Envelope<'de>, E> {
        ValueVisitor(self.0).visit_str(v).map(Envelope::Value)
    }
    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Envelope<'de>, E> {
        ValueVisitor(self.0).visit_bool(v).map(Envelope::Value)
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Envelope<'de>, E> {
        ValueVisitor(self.0).visit_i64(v).map(Envelope::Value)
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Envelope<'de>, E> {
        ValueVisitor(self.0).visit_u64(v).map(Envelope::Value)
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Envelope<'de>, E> {
        let names = self.1;
        let inexact = self.0.inexact;
        let value = ValueVisitor(&mut *self.0).visit_f64(v);
        self.0.inexact = inexact || names;
        value.map(Envelope::Value)
    }
    fn visit_unit<E: de::Error>(self) -> Result<Envelope<'de>, E> {
        ValueVisitor(self.0).visit_unit().map(Envelope::Value)
    }
    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Envelope<'de>, A::Error> {
        ValueVisitor(self.0).visit_map(map).map(Envelope::Value)
    }
    fn visit_seq<A: de::SeqAccess<'de>>(self, seq: A) -> Result<Envelope<'de>, A::Error> {
        ValueVisitor(self.0).visit_seq(seq).map(Envelope::Value)
    }
}

/// The error that sends an event to the exact reader, which reads it whole.
const READ_WHOLE: &str = "read the event whole";

/// An object key is read as [`Text`] too.
impl<'de> serde::Deserialize<'de> for Text<'de> {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Text<'de>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an object key")
            }
            fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Text<'de>, E> {
                Ok(Text::Borrowed(v))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Text<'de>, E> {
                Ok(Text::Shared(Str::from(v)))
            }
        }
        d.deserialize_str(V)
    }
}
