//! Gzip-compressed logs: recognised by their first two bytes and decompressed as they
//! arrive, so that a `.gz` log opens as if it were not compressed. Every member of a
//! multi-member file is read (as `zcat` does). A damaged or cut-short file keeps the text
//! decompressed before the damage, and says what happened in words.

use std::io::Write;

use flate2::write::MultiGzDecoder;

/// The first two bytes of every gzip file.
pub const MAGIC: [u8; 2] = [0x1f, 0x8b];

/// True when `bytes` start like a gzip file.
pub fn is_gzip(bytes: &[u8]) -> bool {
    bytes.starts_with(&MAGIC)
}

/// Why a gzip file could not be read to its end. The text before the damage is kept.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum GzipError {
    /// The compressed data ends before the gzip stream does.
    #[error(
        "the gzip file ends early (it was cut short, perhaps by an interrupted copy); \
         the {} of text before the cut are read",
        size_text(*text)
    )]
    Truncated {
        /// Bytes of text decompressed before the end.
        text: usize,
    },
    /// The compressed data is not valid gzip from some point on.
    #[error(
        "the gzip file is damaged near byte {offset} ({reason}); \
         the {} of text before the damage are read",
        size_text(*text)
    )]
    Damaged {
        /// Offset in the compressed file of the part where the damage was found.
        offset: usize,
        /// What the decompressor said.
        reason: String,
        /// Bytes of text decompressed before the damage.
        text: usize,
    },
}

/// A size as a person reads it: `812 bytes`, `238 KB`, `41.5 MB`.
fn size_text(bytes: usize) -> String {
    match bytes {
        0..1_000 => format!("{bytes} bytes"),
        1_000..1_000_000 => format!("{} KB", bytes / 1_000),
        _ => format!("{:.1} MB", bytes as f64 / 1e6),
    }
}

/// Decompresses a gzip file given part by part: [`push`](Self::push) each part in order,
/// [`take`](Self::take) the text decompressed so far whenever wanted, then
/// [`finish`](Self::finish).
pub struct Inflater {
    decoder: MultiGzDecoder<Vec<u8>>,
    /// Compressed bytes pushed so far.
    read: usize,
    /// Text bytes handed out by `take` so far.
    taken: usize,
    /// The last compressed bytes pushed: a whole file ends with its last member's trailer.
    tail: [u8; 8],
    error: Option<GzipError>,
}

impl Default for Inflater {
    fn default() -> Self {
        Self::new()
    }
}

impl Inflater {
    /// A decompressor at the start of a file.
    pub fn new() -> Self {
        Inflater {
            decoder: MultiGzDecoder::new(Vec::new()),
            read: 0,
            taken: 0,
            tail: [0; 8],
            error: None,
        }
    }

    /// Compressed bytes pushed so far.
    pub fn compressed_bytes(&self) -> usize {
        self.read
    }

    /// Text bytes decompressed so far.
    pub fn text_bytes(&self) -> usize {
        self.taken + self.decoder.get_ref().len()
    }

    /// Decompresses the next part of the file. Once the data is found damaged, the rest
    /// is ignored (the damage is reported by [`finish`](Self::finish)); false then.
    pub fn push(&mut self, part: &[u8]) -> bool {
        if self.error.is_some() {
            return false;
        }
        let at = self.read;
        self.read += part.len();
        let keep = part.len().min(8);
        self.tail.rotate_left(keep);
        self.tail[8 - keep..].copy_from_slice(&part[part.len() - keep..]);
        if let Err(e) = self.decoder.write_all(part) {
            self.error = Some(GzipError::Damaged {
                offset: at,
                reason: reason(&e),
                text: self.text_bytes(),
            });
            return false;
        }
        true
    }

    /// The text decompressed since the last call.
    pub fn take(&mut self) -> Vec<u8> {
        let out = std::mem::take(self.decoder.get_mut());
        self.taken += out.len();
        out
    }

    /// The rest of the text, and why the file could not be read to its end, if it could
    /// not: damaged data, or a file that stops in the middle of its gzip stream.
    pub fn finish(mut self) -> (Vec<u8>, Option<GzipError>) {
        if self.error.is_none() && self.decoder.try_finish().is_err() {
            let text = self.text_bytes();
            // A trailer that gives the text's length (modulo 2^32) is whole: then the data
            // is wrong, not short. (For a file of several members, the length is the last
            // member's, so damage there reads as a cut.)
            let [.., a, b, c, d] = self.tail;
            self.error = Some(if u32::from_le_bytes([a, b, c, d]) == text as u32 {
                GzipError::Damaged {
                    offset: self.read.saturating_sub(8),
                    reason: "its checksum does not match the text".into(),
                    text,
                }
            } else {
                GzipError::Truncated { text }
            });
        }
        let error = self.error.take();
        (self.take(), error)
    }
}

/// The decompressor's complaint, without the generic wrapping.
fn reason(e: &std::io::Error) -> String {
    let text = e.to_string();
    if text.is_empty() {
        "invalid data".into()
    } else {
        text
    }
}

/// Decompresses a whole gzip file: its text, and why it could not be read to its end, if
/// it could not (the text before the damage is kept).
pub fn decompress(compressed: &[u8]) -> (Vec<u8>, Option<GzipError>) {
    let mut inflater = Inflater::new();
    // Parts of a megabyte, so the text grows as it would when read from a file.
    let mut text = Vec::new();
    for part in compressed.chunks(1 << 20) {
        let going = inflater.push(part);
        text.extend_from_slice(&inflater.take());
        if !going {
            break;
        }
    }
    let (rest, error) = inflater.finish();
    text.extend_from_slice(&rest);
    (text, error)
}

#[cfg(test)]
mod tests {
    use super::*;
    use flate2::write::GzEncoder;
    use flate2::Compression;

    fn gzip(text: &[u8]) -> Vec<u8> {
        let mut e = GzEncoder::new(Vec::new(), Compression::default());
        e.write_all(text).expect("compress");
        e.finish().expect("compress")
    }

    fn lines(n: usize) -> Vec<u8> {
        (0..n)
            .map(|i| {
                format!(
                    "{{\"type\":\"T{}\",\"stream\":\"s-{i}\",\"data\":{{\"n\":{i}}}}}\n",
                    i % 7
                )
            })
            .collect::<String>()
            .into_bytes()
    }

    #[test]
    fn recognises_gzip_by_its_first_bytes() {
        assert!(is_gzip(&gzip(b"{}")));
        assert!(!is_gzip(b"{\"type\":\"A\"}"));
        assert!(!is_gzip(&[0x1f]));
        assert!(!is_gzip(b""));
    }

    #[test]
    fn any_split_into_parts_gives_the_text_back() {
        let text = lines(300);
        // Two members, as `cat a.gz b.gz` makes: both are read.
        let mut file = gzip(&text[..5000]);
        file.extend(gzip(&text[5000..]));
        for cut in (0..file.len())
            .step_by(97)
            .chain([1, 2, 9, 10, 11, file.len() - 1])
        {
            let mut inflater = Inflater::new();
            let mut out = Vec::new();
            assert!(inflater.push(&file[..cut]));
            out.extend(inflater.take());
            assert!(inflater.push(&file[cut..]));
            assert_eq!(inflater.compressed_bytes(), file.len());
            let (rest, error) = inflater.finish();
            out.extend(rest);
            assert_eq!(error, None, "cut at {cut}");
            assert_eq!(out, text, "cut at {cut}");
        }
        assert_eq!(decompress(&file), (text, None));
    }

    #[test]
    fn a_cut_short_file_keeps_the_text_before_the_cut() {
        let text = lines(5000);
        let file = gzip(&text);
        let (out, error) = decompress(&file[..file.len() / 2]);
        assert!(!out.is_empty() && out.len() < text.len());
        assert_eq!(out[..], text[..out.len()]);
        assert_eq!(error, Some(GzipError::Truncated { text: out.len() }));
        let message = error.map(|e| e.to_string()).unwrap_or_default();
        assert!(
            message.contains("gzip") && message.contains("ends early"),
            "{message}"
        );
        // Cut inside the trailer (its checksum): the text is whole, yet the file is not.
        let (out, error) = decompress(&file[..file.len() - 3]);
        assert_eq!(out, text);
        assert!(matches!(error, Some(GzipError::Truncated { .. })));
    }

    #[test]
    fn damaged_data_keeps_the_text_before_the_damage() {
        let text = lines(5000);
        let mut file = gzip(&text);
        let at = file.len() / 2;
        for b in &mut file[at..at + 64] {
            *b ^= 0x5a;
        }
        let (out, error) = decompress(&file);
        assert!(error.is_some());
        let good = out.iter().zip(&text).take_while(|(a, b)| a == b).count();
        assert!(
            good > text.len() / 4,
            "most of the first half survives: {good}"
        );
        let message = error.map(|e| e.to_string()).unwrap_or_default();
        assert!(message.contains("gzip"), "{message}");
    }
}
