//! `$e`: the event as a read model's handlers see it, whatever the log's format.

use crate::fields::format_rfc3339;
use crate::log::{Format, Log, Mode};
use crate::model::spec::Needs;
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
    let all = Needs {
        data: true,
        body: true,
    };
    event_value_with(log, position, &mut Interner::default(), all)
}

/// [`event_value`] with only the members in `needs` read from the event's body (the
/// others are null), sharing key strings through `interner`.
pub(crate) fn event_value_with(
    log: &Log,
    position: usize,
    interner: &mut Interner,
    needs: Needs,
) -> Value {
    let plain = matches!(
        log.format,
        Format::Ndjson | Format::JsonArray | Format::Wrapped
    ) && log.mode == Mode::Merge;
    if !needs.body && plain {
        let Some(meta) = log.events.get(position) else {
            return Value::Null;
        };
        let data = if needs.data {
            log.fold_input_with(position, interner)
                .unwrap_or(Value::Null)
        } else {
            Value::Null
        };
        let text = |s: Option<&str>| s.map_or(Value::Null, |s| Value::String(Str::from(s)));
        return members(
            position,
            data,
            Value::Null,
            Value::Null,
            text(log.stream_name(position)),
            time(meta.time_ms),
            Value::String(log.types[meta.kind as usize].clone()),
        );
    }
    let Some(e) = log.event_with(position, interner) else {
        return Value::Null;
    };
    let time = time(log.events.time_ms(position).unwrap_or(f64::NAN));
    let text = |s: Option<String>| s.map_or(Value::Null, |s| Value::String(Str::from(s)));
    members(
        position,
        e.data,
        text(e.id),
        e.metadata,
        text(e.stream),
        time,
        Value::String(Str::from(e.kind)),
    )
}

/// The time member: RFC 3339 text, or null when the event has no valid time.
fn time(ms: f64) -> Value {
    if ms.is_finite() {
        Value::String(rfc3339(ms).into())
    } else {
        Value::Null
    }
}

/// `$e` from its members.
fn members(
    position: usize,
    data: Value,
    id: Value,
    metadata: Value,
    stream: Value,
    time: Value,
    kind: Value,
) -> Value {
    let members: Vec<(Str, Value)> = vec![
        ("data".into(), data),
        ("id".into(), id),
        ("metadata".into(), metadata),
        ("position".into(), Value::Number((position as u64).into())),
        ("stream".into(), stream),
        ("time".into(), time),
        ("type".into(), kind),
    ];
    Value::Object(Object::Small(members.into()))
}
