//! The payload of a CloudEvent: `data` as sent, or decoded from base64. The scanner reads
//! it while loading, and the log again when an event is looked at or replayed.

use crate::value::{Object, Str, Value};

/// A CloudEvent's payload, and why it is not the payload as sent when it cannot be.
///
/// The payload is `data`; or `data_base64` decoded (CloudEvents 1.0), or `data` decoded
/// when `datacontentencoding` is `base64` (CloudEvents 0.3). Decoded bytes are JSON when
/// they parse as JSON, else UTF-8 text. Bytes that are neither (an image, protobuf) are
/// shown as the placeholder `(binary, N bytes)`, and text that is not base64 folds as
/// `null` (nothing changes): either way the reason comes back, so the event is listed
/// with the failed ones rather than folded as if its payload were that text.
pub(crate) fn cloud_event_payload(o: &Object) -> (Value, Option<String>) {
    let base64_data = o
        .get("datacontentencoding")
        .and_then(Value::as_str)
        .is_some_and(|e| e.eq_ignore_ascii_case("base64"));
    let (key, encoded) = match (o.get("data"), base64_data) {
        (Some(Value::String(s)), true) => ("data", s),
        (Some(Value::Null), true) => return (Value::Null, None),
        (Some(other), true) => {
            let why = format!(
                "datacontentencoding is base64, and data is {}, not base64 text",
                other.kind_phrase()
            );
            return (Value::Null, Some(why));
        }
        (Some(d), false) => return (d.clone(), None),
        (None, _) => match o.get("data_base64") {
            None | Some(Value::Null) => return (Value::Null, None),
            Some(Value::String(s)) => ("data_base64", s),
            Some(other) => {
                let why = format!("data_base64 is {}, not base64 text", other.kind_phrase());
                return (Value::Null, Some(why));
            }
        },
    };
    let bytes = match crate::base64::decode_or_why(encoded) {
        Ok(bytes) => bytes,
        Err(why) => return (Value::Null, Some(format!("{key} is not base64: {why}"))),
    };
    if let Ok(v) = crate::value::parse(&bytes) {
        return (v, None);
    }
    match String::from_utf8(bytes) {
        Ok(text) => (Value::String(Str::from(text)), None),
        Err(e) => {
            let n = e.as_bytes().len();
            let placeholder = format!("(binary, {n} bytes)");
            let why = format!("{key} holds {n} bytes of binary data (neither JSON nor UTF-8 text), shown as {placeholder}");
            (Value::String(Str::from(placeholder)), Some(why))
        }
    }
}
