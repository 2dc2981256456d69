//! The index cache: the first command on a large log saves its index (`rewind_core::saved`)
//! in the user's cache directory, and later commands on the same log read it instead of
//! indexing the log again. An index is used only for the same file (path, size,
//! modification time, and a fingerprint of its first and last 64 KiB), read with the same
//! options by the same build; otherwise the log is indexed and the entry replaced.
//!
//! The directory is `$REWIND_CACHE_DIR`, else `$XDG_CACHE_HOME/rewind`, else
//! `~/.cache/rewind`; one file per log path. `--no-cache` neither reads nor writes it.

use std::hash::Hasher;
use std::path::{Path, PathBuf};

use rewind_core::{LoadOptions, Replay, Text};

/// Logs smaller than this load in well under a second: their index is not kept.
const MIN_BYTES: usize = 16 << 20;

/// Where a log's saved index is, and the key it must have been saved under.
pub(crate) struct Entry {
    file: PathBuf,
    key: String,
}

/// The cache directory, if one can be named.
fn directory() -> Option<PathBuf> {
    let var = |name: &str| std::env::var_os(name).filter(|v| !v.is_empty());
    if let Some(dir) = var("REWIND_CACHE_DIR") {
        return Some(PathBuf::from(dir));
    }
    if let Some(dir) = var("XDG_CACHE_HOME") {
        return Some(Path::new(&dir).join("rewind"));
    }
    var("HOME").map(|home| Path::new(&home).join(".cache").join("rewind"))
}

impl Entry {
    /// The cache entry of the log at `path` whose text is `text`, read with `options`;
    /// `None` for standard input, a small log, or when there is no cache directory.
    pub(crate) fn find(path: &str, text: &Text, options: &LoadOptions) -> Option<Entry> {
        if path == "-" || text.len() < MIN_BYTES {
            return None;
        }
        let real = std::fs::canonicalize(path).ok()?;
        let meta = std::fs::metadata(&real).ok()?;
        let modified = meta
            .modified()
            .ok()
            .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
            .map_or(0, |d| d.as_nanos());
        let mut name = rustc_hash::FxHasher::default();
        name.write(real.as_os_str().as_encoded_bytes());
        let file = directory()?.join(format!("{:016x}.index", name.finish()));
        let key = format!(
            "{}|{}|{}|{}|{options:?}",
            real.display(),
            meta.len(),
            modified,
            rewind_core::saved::fingerprint(text),
        );
        Some(Entry { file, key })
    }

    /// The saved index over `text`, when there is one for this key.
    pub(crate) fn read(&self, text: &Text) -> Option<Replay> {
        let file = std::fs::File::open(&self.file).ok()?;
        // SAFETY: as for the log (see `map_file`): read-only, and a saved index is
        // replaced by renaming a new file over it, never written in place.
        #[allow(unsafe_code)]
        let map = unsafe { memmap2::Mmap::map(&file) }.ok()?;
        rewind_core::saved::load(&map, &self.key, text.clone())
    }

    /// Saves `replay`'s index, replacing this entry (written beside it, then renamed, so
    /// that a reader never sees half of it). A cache that cannot be written is not an
    /// error: the next command indexes the log again.
    pub(crate) fn write(&self, replay: &Replay) {
        let Some(dir) = self.file.parent() else {
            return;
        };
        let partial = self
            .file
            .with_extension(format!("{}.part", std::process::id()));
        let saved = std::fs::create_dir_all(dir)
            .and_then(|()| std::fs::File::create(&partial))
            .and_then(|f| rewind_core::saved::save(replay, &self.key, std::io::BufWriter::new(f)));
        match saved {
            Ok(true) if std::fs::rename(&partial, &self.file).is_ok() => {}
            _ => {
                let _ = std::fs::remove_file(&partial);
            }
        }
    }
}
