//! The index cache: the first command on a large log saves its index (`rewind_core::saved`)
//! in the user's cache directory, and later commands on the same log read it instead of
//! indexing the log again. An index is used only for the same file (path, size,
//! modification time, and a fingerprint of its first and last 64 KiB), read with the same
//! options by the same build; otherwise the log is indexed and the entry replaced.
//!
//! The directory is `$REWIND_CACHE_DIR`, else `$XDG_CACHE_HOME/rewind`, else
//! `~/.cache/rewind`; one file per log path. It is kept under [`MAX_BYTES`]: the entries
//! used least recently go first. `--no-cache` neither reads nor writes it.

use std::hash::Hasher;
use std::path::{Path, PathBuf};

use rewind_core::{LoadOptions, Replay, Text};

/// Logs smaller than this load in well under a second: their index is not kept.
const MIN_BYTES: usize = 16 << 20;

/// The cache directory's size past which the entries used least recently are deleted
/// (an index is about 14% of its log: this keeps those of about 60 GB of logs).
const MAX_BYTES: u64 = 8 << 30;

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
        // Mapped as the log is; a saved index is replaced by renaming a new file over it,
        // never written in place.
        let saved = crate::map_file(&self.file).ok()?;
        let replay = rewind_core::saved::load(&saved, &self.key, text.clone())?;
        // Used now: the last to be deleted when the cache is full.
        let touched = std::fs::File::open(&self.file);
        let _ = touched.and_then(|f| f.set_modified(std::time::SystemTime::now()));
        Some(replay)
    }

    /// Saves `replay`'s index, replacing this entry (written beside it, then renamed, so
    /// that a reader never sees half of it). A cache that cannot be written is not an
    /// error: the next command indexes the log again.
    pub(crate) fn write(&self, replay: &Replay) -> Option<u64> {
        let dir = self.file.parent()?;
        let partial = self
            .file
            .with_extension(format!("{}.part", std::process::id()));
        let saved = std::fs::create_dir_all(dir)
            .and_then(|()| std::fs::File::create(&partial))
            .and_then(|f| rewind_core::saved::save(replay, &self.key, std::io::BufWriter::new(f)));
        match saved {
            Ok(true) if std::fs::rename(&partial, &self.file).is_ok() => {
                prune(dir, &self.file);
                std::fs::metadata(&self.file).ok().map(|m| m.len())
            }
            _ => {
                let _ = std::fs::remove_file(&partial);
                None
            }
        }
    }

    /// The file the index is saved in.
    pub(crate) fn file(&self) -> &Path {
        &self.file
    }
}

/// Deletes the entries of `dir` used least recently (never `keep`) until the directory's
/// entries take no more than [`MAX_BYTES`].
fn prune(dir: &Path, keep: &Path) {
    let Ok(listing) = std::fs::read_dir(dir) else {
        return;
    };
    let mut entries: Vec<(std::time::SystemTime, u64, PathBuf)> = listing
        .filter_map(|e| {
            let e = e.ok()?;
            let path = e.path();
            let meta = e.metadata().ok()?;
            let index = path.extension().is_some_and(|x| x == "index");
            let used = meta.modified().ok()?;
            (index && meta.is_file()).then_some((used, meta.len(), path))
        })
        .collect();
    let mut total: u64 = entries.iter().map(|e| e.1).sum();
    entries.sort();
    for (_, len, path) in entries {
        if total <= MAX_BYTES {
            break;
        }
        if path != keep && std::fs::remove_file(&path).is_ok() {
            total = total.saturating_sub(len);
        }
    }
}
