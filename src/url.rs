//! The URL fragment that shares a position: `#e=1234&p=/order-17` (`e` counted from 1, as
//! displayed; `p` a JSON Pointer, percent-encoded), and the keys chosen for the log's
//! fields, if any: `&type=kind&stream=entity&time=at&data=body` (dotted paths allowed); and
//! the read models applied, if any: `&m=…`, their files as written, joined by NUL (which
//! no JSON text holds) and encoded as base64url; and the what-if edits, if any: `&w=…`,
//! one entry per edit (`s12` skips event 12, counted from 0; `c12` skips it with its
//! effects; `r12:` followed by the Edit event dialog's text replaces it), joined and
//! encoded as the read models are.

use rewind_session::{EditEntry, EditList, FieldNames};

/// Position, selection and chosen fields carried by the URL.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Fragment {
    /// Event number as displayed (1-based; 0 = before the first event).
    pub event: Option<usize>,
    /// Selected field.
    pub pointer: Option<String>,
    /// Keys chosen for the type, stream, time and data (none: detected).
    pub fields: FieldNames,
    /// The read models' files (`None`: the link carries none).
    pub models: Option<Vec<String>>,
    /// The what-if edits (`None`: the link carries none).
    pub edits: Option<EditList>,
}

/// The what-if edits as the fragment carries them.
pub fn encode_edits(edits: &EditList) -> String {
    let entries: Vec<String> = edits
        .0
        .iter()
        .map(|e| match e {
            EditEntry::Skip(p) => format!("s{p}"),
            EditEntry::SkipCaused(p) => format!("c{p}"),
            EditEntry::Replace(p, text) => format!("r{p}:{text}"),
        })
        .collect();
    encode_models(&entries)
}

/// The what-if edits in `text` written by [`encode_edits`] (entries that are not edits are
/// left out); `None` when it is not such text.
pub fn decode_edits(text: &str) -> Option<EditList> {
    let entries = decode_models(text)?;
    Some(EditList(
        entries
            .iter()
            .filter_map(|e| {
                let (kind, rest) = e.split_at_checked(1)?;
                let (number, text) = rest.split_once(':').unwrap_or((rest, ""));
                let p = number.parse().ok()?;
                match kind {
                    "s" => Some(EditEntry::Skip(p)),
                    "c" => Some(EditEntry::SkipCaused(p)),
                    "r" => Some(EditEntry::Replace(p, text.to_string())),
                    _ => None,
                }
            })
            .collect(),
    ))
}

/// The names of the fields in the fragment, with the slot each fills.
fn field_slots(f: &mut FieldNames) -> [(&'static str, &mut Option<String>); 4] {
    [
        ("type", &mut f.kind),
        ("stream", &mut f.stream),
        ("time", &mut f.time),
        ("data", &mut f.data),
    ]
}

/// `fields` as `type=…&stream=…` (only those chosen), as the fragment and the browser's
/// storage hold them.
pub fn fields_text(fields: &FieldNames) -> String {
    let mut fields = fields.clone();
    field_slots(&mut fields)
        .into_iter()
        .filter_map(|(name, slot)| slot.as_ref().map(|k| format!("{name}={}", encode(k))))
        .collect::<Vec<_>>()
        .join("&")
}

/// The fields in `type=…&stream=…` text (unknown names ignored).
pub fn parse_fields(text: &str) -> FieldNames {
    let mut fields = FieldNames::default();
    for pair in text.trim_start_matches('#').split('&') {
        let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
        if let Some((_, slot)) = field_slots(&mut fields).into_iter().find(|(n, _)| *n == k) {
            *slot = decode(v).filter(|v| !v.trim().is_empty());
        }
    }
    fields
}

impl Fragment {
    /// Reads `#e=…&p=…` (the leading `#` is optional; unknown keys are ignored).
    pub fn parse(hash: &str) -> Fragment {
        let mut f = Fragment::default();
        for pair in hash.trim_start_matches('#').split('&') {
            let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
            match k {
                "e" => f.event = v.parse().ok(),
                "p" => f.pointer = decode(v).filter(|p| p.is_empty() || p.starts_with('/')),
                "m" => f.models = decode_models(v),
                "w" => f.edits = decode_edits(v),
                _ => {}
            }
        }
        f.fields = parse_fields(hash);
        f
    }

    /// Writes the fragment, with the `#`.
    pub fn to_hash(&self) -> String {
        let mut parts = Vec::new();
        if let Some(e) = self.event {
            parts.push(format!("e={e}"));
        }
        if let Some(p) = &self.pointer {
            parts.push(format!("p={}", encode(p)));
        }
        if !self.fields.is_empty() {
            parts.push(fields_text(&self.fields));
        }
        if let Some(models) = self.models.as_ref().filter(|m| !m.is_empty()) {
            parts.push(format!("m={}", encode_models(models)));
        }
        if let Some(edits) = self.edits.as_ref().filter(|e| !e.is_empty()) {
            parts.push(format!("w={}", encode_edits(edits)));
        }
        format!("#{}", parts.join("&"))
    }
}

/// The base64url alphabet (RFC 4648 §5), written without padding.
const BASE64URL: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/// Read models' files as the fragment carries them (also what the browser remembers).
pub fn encode_models(sources: &[String]) -> String {
    let bytes = sources.join("\0").into_bytes();
    let mut out = String::with_capacity(bytes.len() * 4 / 3 + 3);
    for chunk in bytes.chunks(3) {
        let n = chunk
            .iter()
            .enumerate()
            .fold(0u32, |n, (i, &b)| n | (b as u32) << (16 - 8 * i));
        for i in 0..=chunk.len() {
            out.push(BASE64URL[(n >> (18 - 6 * i) & 63) as usize] as char);
        }
    }
    out
}

/// The read models' files in `text` written by [`encode_models`]; `None` when it is not.
pub fn decode_models(text: &str) -> Option<Vec<String>> {
    let mut bytes = Vec::with_capacity(text.len() * 3 / 4);
    let (mut n, mut bits) = (0u32, 0);
    for c in text.bytes() {
        let v = BASE64URL.iter().position(|&a| a == c)? as u32;
        n = n << 6 | v;
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            bytes.push((n >> bits) as u8);
            n &= (1 << bits) - 1;
        }
    }
    let text = String::from_utf8(bytes).ok()?;
    Some(if text.is_empty() {
        Vec::new()
    } else {
        text.split('\0').map(str::to_string).collect()
    })
}

/// Percent-encodes what a fragment cannot hold as it is (keeps `/` readable).
fn encode(s: &str) -> String {
    let mut out = String::new();
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"-_.~/:@!$'()*+,;".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

fn decode(s: &str) -> Option<String> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = s.get(i + 1..i + 3)?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_position_and_pointer() {
        let f = Fragment {
            event: Some(1234),
            pointer: Some("/order 17/a~1b/é".into()),
            fields: FieldNames::default(),
            models: None,
            edits: None,
        };
        let hash = f.to_hash();
        assert_eq!(Fragment::parse(&hash), f);
        assert!(hash.starts_with("#e=1234&p=/order%2017/"));
    }

    #[test]
    fn round_trips_the_chosen_fields() {
        let f = Fragment {
            event: Some(3),
            pointer: None,
            fields: FieldNames {
                kind: Some("kind_of_thing".into()),
                stream: Some("detail.order id".into()),
                time: None,
                data: Some("body&more".into()),
            },
            models: None,
            edits: None,
        };
        let hash = f.to_hash();
        assert_eq!(
            hash,
            "#e=3&type=kind_of_thing&stream=detail.order%20id&data=body%26more"
        );
        assert_eq!(Fragment::parse(&hash), f);
        assert_eq!(parse_fields(&fields_text(&f.fields)), f.fields);
        assert_eq!(fields_text(&FieldNames::default()), "");
        // A blank key is no choice.
        assert_eq!(
            Fragment::parse("#type=&stream=%20").fields,
            FieldNames::default()
        );
    }

    #[test]
    fn round_trips_the_read_models() {
        let models = vec![
            "{\"name\": \"a\", \"when\": {\"$any\": \".n += 1\"}}".to_string(),
            "{\"name\": \"é ü\"}\n".to_string(),
        ];
        for n in 0..=models.len() {
            let some = models[..n].to_vec();
            assert_eq!(decode_models(&encode_models(&some)), Some(some.clone()));
        }
        let f = Fragment {
            event: Some(4),
            models: Some(models),
            ..Fragment::default()
        };
        let hash = f.to_hash();
        assert!(hash.starts_with("#e=4&m="), "{hash}");
        assert!(hash[7..]
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_'));
        assert_eq!(Fragment::parse(&hash), f);
        assert_eq!(decode_models("not base64!"), None);
        // Three bytes make four letters.
        assert_eq!(encode_models(&["abc".into()]), "YWJj");
        assert_eq!(encode_models(&["ab".into()]), "YWI");
    }

    #[test]
    fn round_trips_the_whatif_edits() {
        let edits = EditList(vec![
            EditEntry::Skip(12),
            EditEntry::Replace(3, "{\"type\": \"A:B\",\n \"data\": {\"é\": 1}}".into()),
            EditEntry::SkipCaused(0),
        ]);
        let f = Fragment {
            event: Some(4),
            edits: Some(edits),
            ..Fragment::default()
        };
        let hash = f.to_hash();
        assert!(hash.starts_with("#e=4&w="), "{hash}");
        assert_eq!(Fragment::parse(&hash), f);
        // Entries that are not edits are left out; text that is not base64url is none.
        assert_eq!(
            decode_edits(&encode_models(&["s1".into(), "x2".into(), "s".into()])),
            Some(EditList(vec![EditEntry::Skip(1)]))
        );
        assert_eq!(decode_edits("not base64!"), None);
    }

    #[test]
    fn reads_the_documented_form_and_ignores_junk() {
        let f = Fragment::parse("#e=7&p=/order-17&x=1");
        assert_eq!(f.event, Some(7));
        assert_eq!(f.pointer.as_deref(), Some("/order-17"));
        assert_eq!(Fragment::parse("#e=abc&p=nope"), Fragment::default());
    }
}
