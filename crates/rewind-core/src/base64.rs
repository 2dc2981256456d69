//! Standard base64 decoding (RFC 4648), for CloudEvents' `data_base64`.

/// Decodes standard or URL-safe base64, ignoring whitespace and padding.
/// Returns `None` on any other character or an impossible length.
pub fn decode(text: &str) -> Option<Vec<u8>> {
    decode_or_why(text).ok()
}

/// [`decode`], saying why the text is not base64: the first character that cannot be
/// in it (with its 0-based character index), or a length that leaves a lone character.
pub fn decode_or_why(text: &str) -> Result<Vec<u8>, String> {
    let mut out = Vec::with_capacity(text.len() / 4 * 3);
    let (mut acc, mut bits) = (0u32, 0u32);
    for (i, c) in text.chars().enumerate() {
        let b = u8::try_from(c).unwrap_or(0xFF);
        let v = match b {
            b'A'..=b'Z' => b - b'A',
            b'a'..=b'z' => b - b'a' + 26,
            b'0'..=b'9' => b - b'0' + 52,
            b'+' | b'-' => 62,
            b'/' | b'_' => 63,
            b'=' | b' ' | b'\n' | b'\r' | b'\t' => continue,
            _ => return Err(format!("{c:?} at character {i} cannot be in base64")),
        };
        acc = (acc << 6) | u32::from(v);
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
            acc &= (1 << bits) - 1;
        }
    }
    if bits >= 6 {
        return Err("it ends with a lone character (its length is impossible)".into());
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    #[test]
    fn decodes_rfc_4648_test_vectors() {
        for (enc, dec) in [
            ("", ""),
            ("Zg==", "f"),
            ("Zm8=", "fo"),
            ("Zm9v", "foo"),
            ("Zm9vYmFy", "foobar"),
        ] {
            assert_eq!(super::decode(enc).as_deref(), Some(dec.as_bytes()));
        }
        assert_eq!(super::decode("Z"), None);
        assert_eq!(super::decode("Zm9v!"), None);
    }

    #[test]
    fn says_why_text_is_not_base64() {
        assert_eq!(
            super::decode_or_why("Zm9v!").expect_err("not base64"),
            "'!' at character 4 cannot be in base64"
        );
        assert_eq!(
            super::decode_or_why("é").expect_err("not base64"),
            "'é' at character 0 cannot be in base64"
        );
        assert!(super::decode_or_why("Zm9vY")
            .expect_err("not base64")
            .contains("lone character"));
    }
}
