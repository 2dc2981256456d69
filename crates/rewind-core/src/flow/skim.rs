//! Reading, from an event's JSON text, only the members that can name its id, correlation
//! or causation ([`Rules::keep_at_top`]): the payload and everything else are skipped
//! unread, and strings without escapes are borrowed from the text. What is kept reads as a
//! parsed object does ([`Members`]), so [`Rules::read`] gives the same answers either way.

use std::borrow::Cow;
use std::cell::Cell;
use std::fmt;

use serde::de::{self, DeserializeSeed, IgnoredAny, MapAccess, SeqAccess, Visitor};

use super::keys::{Keep, Member, Members, Rules};

/// A value as the skim keeps it.
#[derive(Debug)]
pub(crate) enum Kept<'de> {
    Null,
    Bool(bool),
    /// A string, or a number's text.
    Text(Cow<'de, str>),
    Object(KeptObject<'de>),
    /// An array (never looked into), or a metadata member that is not an object.
    Other,
}

/// The kept members of an object, each key once (a repeated key keeps its last value, as
/// `JSON.parse` does).
#[derive(Debug, Default)]
pub(crate) struct KeptObject<'de>(Vec<(Cow<'de, str>, Kept<'de>)>);

impl<'de> KeptObject<'de> {
    fn keep(&mut self, key: Cow<'de, str>, value: Kept<'de>) {
        match self.0.iter_mut().find(|(k, _)| *k == key) {
            Some(slot) => slot.1 = value,
            None => self.0.push((key, value)),
        }
    }
}

impl<'de> Members for KeptObject<'de> {
    type Member = Kept<'de>;
    fn members(&self) -> impl Iterator<Item = (&str, &Kept<'de>)> {
        self.0.iter().map(|(k, v)| (k.as_ref(), v))
    }
}

impl<'de> Member for Kept<'de> {
    type Members = KeptObject<'de>;
    fn object(&self) -> Option<&KeptObject<'de>> {
        match self {
            Kept::Object(o) => Some(o),
            _ => None,
        }
    }
    fn is_null(&self) -> bool {
        matches!(self, Kept::Null)
    }
    fn text(&self) -> Option<Cow<'_, str>> {
        match self {
            Kept::Text(t) => Some(Cow::Borrowed(t)),
            _ => None,
        }
    }
    fn boolean(&self) -> Option<bool> {
        match self {
            Kept::Bool(b) => Some(*b),
            _ => None,
        }
    }
}

/// What the visitors share: the rules, and whether a kept number was read as an `f64`
/// (whose text it may not hold exactly: the caller then reads the event whole).
struct Ctx<'r> {
    rules: &'r Rules,
    inexact: Cell<bool>,
}

/// The members of the event `text` that the reading may need; `None` when the text is not
/// a JSON object, or holds a kept number that only the exact reader reads faithfully.
pub(crate) fn skim<'de>(text: &'de [u8], rules: &Rules) -> Option<KeptObject<'de>> {
    let ctx = Ctx {
        rules,
        inexact: Cell::new(false),
    };
    let kept = match std::str::from_utf8(text) {
        Ok(s) => read(serde_json::Deserializer::from_str(s), &ctx),
        Err(_) => read(serde_json::Deserializer::from_slice(text), &ctx),
    };
    kept.filter(|_| !ctx.inexact.get())
}

fn read<'de, R: serde_json::de::Read<'de>>(
    mut de: serde_json::Deserializer<R>,
    ctx: &Ctx<'_>,
) -> Option<KeptObject<'de>> {
    let kept = de::Deserializer::deserialize_map(&mut de, TopVisitor(ctx)).ok()?;
    de.end().ok()?;
    Some(kept)
}

/// A key or string value, borrowed from the text when it has no escapes.
struct CowStr<'de>(Cow<'de, str>);

impl<'de> de::Deserialize<'de> for CowStr<'de> {
    fn deserialize<D: de::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = CowStr<'de>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a string")
            }
            fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<CowStr<'de>, E> {
                Ok(CowStr(Cow::Borrowed(v)))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<CowStr<'de>, E> {
                Ok(CowStr(Cow::Owned(v.to_string())))
            }
        }
        d.deserialize_str(V)
    }
}

/// The event object: each member kept as [`Rules::keep_at_top`] says.
struct TopVisitor<'c, 'r>(&'c Ctx<'r>);

impl<'de> Visitor<'de> for TopVisitor<'_, '_> {
    type Value = KeptObject<'de>;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an event object")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<KeptObject<'de>, A::Error> {
        let mut kept = KeptObject::default();
        while let Some(CowStr(key)) = map.next_key()? {
            match self.0.rules.keep_at_top(&key) {
                Keep::Whole => {
                    let v = map.next_value_seed(Whole(self.0))?;
                    kept.keep(key, v);
                }
                Keep::Metadata => {
                    let v = map.next_value_seed(Metadata(self.0))?;
                    kept.keep(key, v);
                }
                Keep::Skip => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        Ok(kept)
    }
}

/// A metadata member: when it is an object, the members of it that
/// [`Rules::keep_in_metadata`] keeps; anything else is [`Kept::Other`].
struct Metadata<'c, 'r>(&'c Ctx<'r>);

impl<'de> DeserializeSeed<'de> for Metadata<'_, '_> {
    type Value = Kept<'de>;
    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<Kept<'de>, D::Error> {
        let visitor = WholeVisitor {
            ctx: self.0,
            filter: true,
        };
        match d.deserialize_any(visitor)? {
            Kept::Object(o) => Ok(Kept::Object(o)),
            Kept::Null => Ok(Kept::Null),
            _ => Ok(Kept::Other),
        }
    }
}

/// A whole value (arrays are skipped unread: the reading never looks into them).
#[derive(Clone, Copy)]
struct Whole<'c, 'r>(&'c Ctx<'r>);

impl<'de> DeserializeSeed<'de> for Whole<'_, '_> {
    type Value = Kept<'de>;
    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<Kept<'de>, D::Error> {
        d.deserialize_any(WholeVisitor {
            ctx: self.0,
            filter: false,
        })
    }
}

/// Builds a [`Kept`]; with `filter`, an object keeps only the members a metadata object
/// may need.
struct WholeVisitor<'c, 'r> {
    ctx: &'c Ctx<'r>,
    filter: bool,
}

impl<'de> Visitor<'de> for WholeVisitor<'_, '_> {
    type Value = Kept<'de>;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON value")
    }
    fn visit_unit<E: de::Error>(self) -> Result<Kept<'de>, E> {
        Ok(Kept::Null)
    }
    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Kept<'de>, E> {
        Ok(Kept::Bool(v))
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Kept<'de>, E> {
        Ok(Kept::Text(Cow::Owned(v.to_string())))
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Kept<'de>, E> {
        Ok(Kept::Text(Cow::Owned(v.to_string())))
    }
    fn visit_f64<E: de::Error>(self, _: f64) -> Result<Kept<'de>, E> {
        self.ctx.inexact.set(true);
        Ok(Kept::Other)
    }
    fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Kept<'de>, E> {
        Ok(Kept::Text(Cow::Borrowed(v)))
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Kept<'de>, E> {
        Ok(Kept::Text(Cow::Owned(v.to_string())))
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Kept<'de>, A::Error> {
        while seq.next_element::<IgnoredAny>()?.is_some() {}
        Ok(Kept::Other)
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Kept<'de>, A::Error> {
        let mut kept = KeptObject::default();
        while let Some(CowStr(key)) = map.next_key()? {
            if self.filter && !self.ctx.rules.keep_in_metadata(&key) {
                map.next_value::<IgnoredAny>()?;
                continue;
            }
            let v = map.next_value_seed(Whole(self.ctx))?;
            kept.keep(key, v);
        }
        Ok(Kept::Object(kept))
    }
}
