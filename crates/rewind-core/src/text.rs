//! The bytes a log's events are read from: owned (the browser, standard input, a
//! decompressed log) or mapped from a file by the caller (the CLI), so that a log larger
//! than memory is read by the operating system page by page instead of copied.

use std::fmt;
use std::ops::Deref;
use std::sync::Arc;

/// A log's bytes, cheap to clone (shared), read as a `[u8]`.
#[derive(Clone)]
pub enum Text {
    /// Bytes in memory.
    Owned(Arc<Vec<u8>>),
    /// Bytes kept by something else, such as a memory map of the file.
    Shared(Arc<dyn AsRef<[u8]> + Send + Sync>),
}

impl Text {
    /// Bytes held by `owner` (a memory map, say), read without copying them.
    pub fn shared(owner: impl AsRef<[u8]> + Send + Sync + 'static) -> Self {
        Text::Shared(Arc::new(owner))
    }
}

impl Default for Text {
    fn default() -> Self {
        Text::Owned(Arc::default())
    }
}

impl Deref for Text {
    type Target = [u8];

    fn deref(&self) -> &[u8] {
        match self {
            Text::Owned(bytes) => bytes,
            Text::Shared(owner) => (**owner).as_ref(),
        }
    }
}

impl fmt::Debug for Text {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let how = match self {
            Text::Owned(_) => "owned",
            Text::Shared(_) => "shared",
        };
        write!(f, "Text({how}, {} bytes)", self.len())
    }
}

impl From<Vec<u8>> for Text {
    fn from(bytes: Vec<u8>) -> Self {
        Text::Owned(Arc::new(bytes))
    }
}

impl From<Arc<Vec<u8>>> for Text {
    fn from(bytes: Arc<Vec<u8>>) -> Self {
        Text::Owned(bytes)
    }
}

impl From<String> for Text {
    fn from(text: String) -> Self {
        Text::from(text.into_bytes())
    }
}

impl From<&str> for Text {
    fn from(text: &str) -> Self {
        Text::from(text.as_bytes().to_vec())
    }
}

impl From<&[u8]> for Text {
    fn from(bytes: &[u8]) -> Self {
        Text::from(bytes.to_vec())
    }
}

impl From<&Vec<u8>> for Text {
    fn from(bytes: &Vec<u8>) -> Self {
        Text::from(bytes.clone())
    }
}

impl From<&String> for Text {
    fn from(text: &String) -> Self {
        Text::from(text.as_str())
    }
}
