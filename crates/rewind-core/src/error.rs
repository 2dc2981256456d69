//! Errors that stop a log from loading. Each says what is wrong in words a person can act on.

/// Why a file could not be read as an event log at all.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LoadError {
    /// Zero bytes, or only whitespace.
    #[error("the file is empty: an event log holds JSON events (a JSON array, or one JSON object per line)")]
    Empty,
    /// NUL bytes or other binary content.
    #[error("this looks like a binary file (byte {offset} is 0x{byte:02x}), not an event log in JSON text")]
    Binary {
        /// Byte offset of the first binary byte.
        offset: usize,
        /// The byte.
        byte: u8,
    },
    /// UTF-16 or other encodings.
    #[error("the text is {0}; save the log as UTF-8 and open it again")]
    Encoding(&'static str),
    /// Bytes that are not valid UTF-8.
    #[error("the text is not valid UTF-8 at line {line}, column {column}")]
    NotUtf8 {
        /// 1-based line.
        line: usize,
        /// 1-based column (in bytes).
        column: usize,
    },
    /// The document is not well-formed JSON.
    #[error("malformed JSON at line {line}, column {column}: {reason}")]
    Json {
        /// 1-based line of the error.
        line: usize,
        /// 1-based column of the error.
        column: usize,
        /// What the parser expected.
        reason: String,
    },
    /// Well-formed JSON that holds no events.
    #[error("not an event log: {0}")]
    NotAnEventLog(String),
    /// Every line of an NDJSON file was malformed.
    #[error("no line could be read as JSON ({bad} malformed lines; the first, line {first_line}: {first_reason})")]
    NoGoodLines {
        /// Number of malformed lines.
        bad: usize,
        /// Line number of the first.
        first_line: usize,
        /// Why the first failed.
        first_reason: String,
    },
    /// The log is larger than this build can hold.
    #[error("the log is too large to load here ({0})")]
    TooLarge(String),
}

/// Turns a serde_json error into line, column and a short reason.
pub(crate) fn json_error_parts(e: &serde_json::Error) -> (usize, usize, String) {
    let full = e.to_string();
    // serde_json appends " at line L column C"; keep the reason only.
    let reason = match full.rfind(" at line ") {
        Some(i) => full[..i].to_string(),
        None => full,
    };
    let reason = if reason.contains("recursion limit exceeded") {
        "nested too deeply (more than 128 levels)".to_string()
    } else {
        reason
    };
    (e.line().max(1), e.column().max(1), reason)
}
