//! `$e`: the event as a read model's handlers see it, whatever the log's format.

use crate::fields::format_rfc3339;
use crate::log::Log;
use crate::value::{Interner, Object, Str, Value};

/// RFC 3339 UTC text of `ms`, without milliseconds when there are none, so that jq's
/// `fromdate` reads it.
fn rfc3339(ms: f64) -> String {
    let text = format_rfc3339(ms);
    match text.strip_suffix(".000Z") {
        Some(whole) => format!("{whole}Z"),
        None => text,
    }
}

/// The event at `position` as `{position, id, type, stream, time, data, metadata}`:
/// `time` as RFC 3339 text (null when the event has no valid time), `data` the payload
/// as the fold reads it, `metadata` everything else.
pub fn event_value(log: &Log, position: usize) -> Value {
    event_value_with(log, position, &mut Interner::default())
}

/// [`event_value`], sharing key strings through `interner`.
pub(crate) fn event_value_with(log: &Log, position: usize, interner: &mut Interner) -> Value {
    let Some(e) = log.event_with(position, interner) else {
        return Value::Null;
    };
    let time = log
        .events
        .get(position)
        .filter(|m| m.time_ms.is_finite())
        .map_or(Value::Null, |m| Value::String(rfc3339(m.time_ms).into()));
    let text = |s: Option<String>| s.map_or(Value::Null, |s| Value::String(Str::from(s)));
    let members: Vec<(Str, Value)> = vec![
        ("data".into(), e.data),
        ("id".into(), text(e.id)),
        ("metadata".into(), e.metadata),
        ("position".into(), Value::Number((position as u64).into())),
        ("stream".into(), text(e.stream)),
        ("time".into(), time),
        ("type".into(), Value::String(Str::from(e.kind))),
    ];
    Value::Object(members.into_iter().collect::<Object>())
}
