//! RFC 6901 JSON Pointers: `/order-17/lines/SKU-0042/qty`.

use crate::value::Value;

/// A parsed JSON Pointer: its unescaped reference tokens.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Default)]
pub struct Pointer(Vec<String>);

/// Why a text is not a JSON Pointer.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PointerError {
    /// A non-empty pointer must start with `/`.
    #[error("a JSON Pointer must be empty or start with '/': {0:?}")]
    NoLeadingSlash(String),
    /// `~` must be followed by `0` or `1`.
    #[error("bad escape in JSON Pointer {0:?}: '~' must be followed by 0 or 1")]
    BadEscape(String),
}

impl Pointer {
    /// The pointer to the whole document (`""`).
    pub fn root() -> Self {
        Pointer(Vec::new())
    }

    /// Parses pointer text.
    pub fn parse(text: &str) -> Result<Self, PointerError> {
        if text.is_empty() {
            return Ok(Pointer::root());
        }
        let Some(rest) = text.strip_prefix('/') else {
            return Err(PointerError::NoLeadingSlash(text.to_string()));
        };
        rest.split('/')
            .map(|t| unescape(t).ok_or_else(|| PointerError::BadEscape(text.to_string())))
            .collect::<Result<Vec<_>, _>>()
            .map(Pointer)
    }

    /// The unescaped tokens.
    pub fn tokens(&self) -> &[String] {
        &self.0
    }

    /// True for the whole-document pointer.
    pub fn is_root(&self) -> bool {
        self.0.is_empty()
    }

    /// This pointer with one more token.
    pub fn child(&self, token: &str) -> Pointer {
        let mut t = self.0.clone();
        t.push(token.to_string());
        Pointer(t)
    }

    /// The parent pointer and the last token, unless this is the root.
    pub fn split_last(&self) -> Option<(Pointer, &str)> {
        let (last, parent) = self.0.split_last()?;
        Some((Pointer(parent.to_vec()), last.as_str()))
    }

    /// True when `self` equals `other` or lies below it.
    pub fn starts_with(&self, other: &Pointer) -> bool {
        self.0.starts_with(&other.0)
    }

    /// The value at this pointer in `root`.
    pub fn get<'a>(&self, root: &'a Value) -> Option<&'a Value> {
        self.0.iter().try_fold(root, |v, t| step(v, t))
    }
}

/// The child of `v` named by one reference token.
pub fn step<'a>(v: &'a Value, token: &str) -> Option<&'a Value> {
    match v {
        Value::Object(o) => o.get(token),
        Value::Array(a) => array_index(token, a.len()).and_then(|i| a.get(i)),
        _ => None,
    }
}

/// An RFC 6901 array index (`0`, `17`; no leading zeros, no sign), if below `len`.
pub fn array_index(token: &str, len: usize) -> Option<usize> {
    if token.is_empty() || (token.len() > 1 && token.starts_with('0')) {
        return None;
    }
    if !token.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    token.parse::<usize>().ok().filter(|&i| i < len)
}

impl std::fmt::Display for Pointer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        for t in &self.0 {
            f.write_str("/")?;
            f.write_str(&escape(t))?;
        }
        Ok(())
    }
}

impl std::str::FromStr for Pointer {
    type Err = PointerError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Pointer::parse(s)
    }
}

/// Escapes one token: `~` → `~0`, `/` → `~1`.
pub fn escape(token: &str) -> std::borrow::Cow<'_, str> {
    if token.contains(['~', '/']) {
        token.replace('~', "~0").replace('/', "~1").into()
    } else {
        token.into()
    }
}

fn unescape(token: &str) -> Option<String> {
    if !token.contains('~') {
        return Some(token.to_string());
    }
    let mut out = String::with_capacity(token.len());
    let mut chars = token.chars();
    while let Some(c) = chars.next() {
        if c == '~' {
            match chars.next() {
                Some('0') => out.push('~'),
                Some('1') => out.push('/'),
                _ => return None,
            }
        } else {
            out.push(c);
        }
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_prints_escaped_tokens() {
        let p = Pointer::parse("/a~1b/m~0n/0").expect("valid pointer");
        assert_eq!(p.tokens(), ["a/b", "m~n", "0"]);
        assert_eq!(p.to_string(), "/a~1b/m~0n/0");
    }

    #[test]
    fn rejects_pointer_without_slash_and_bad_escape() {
        assert!(Pointer::parse("a").is_err());
        assert!(Pointer::parse("/a~2").is_err());
    }

    #[test]
    fn array_indices_follow_rfc_6901() {
        assert_eq!(array_index("0", 3), Some(0));
        assert_eq!(array_index("01", 3), None);
        assert_eq!(array_index("3", 3), None);
        assert_eq!(array_index("-", 3), None);
    }
}
