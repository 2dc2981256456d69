//! The URL fragment that shares a position: `#e=1234&p=/order-17` (`e` counted from 1, as
//! displayed; `p` a JSON Pointer, percent-encoded).

/// Position and selection carried by the URL.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Fragment {
    /// Event number as displayed (1-based; 0 = before the first event).
    pub event: Option<usize>,
    /// Selected field.
    pub pointer: Option<String>,
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
                _ => {}
            }
        }
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
        format!("#{}", parts.join("&"))
    }
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
        };
        let hash = f.to_hash();
        assert_eq!(Fragment::parse(&hash), f);
        assert!(hash.starts_with("#e=1234&p=/order%2017/"));
    }

    #[test]
    fn reads_the_documented_form_and_ignores_junk() {
        let f = Fragment::parse("#e=7&p=/order-17&x=1");
        assert_eq!(f.event, Some(7));
        assert_eq!(f.pointer.as_deref(), Some("/order-17"));
        assert_eq!(Fragment::parse("#e=abc&p=nope"), Fragment::default());
    }
}
