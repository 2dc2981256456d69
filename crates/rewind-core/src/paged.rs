//! A log's bytes read from their file when asked for, not held: the page's index-only
//! mode for logs larger than a tab's memory keeps each event's place in the file and reads
//! its text back (in the browser, `File.slice` with `FileReaderSync`), with the most
//! recent blocks kept so that scrubbing and folding a stream do not read the file each
//! time.

use std::borrow::Cow;
use std::sync::{Arc, Mutex, OnceLock};

use rustc_hash::FxHashMap;

/// Something a log's bytes can be read from at any offset, such as the file it was loaded
/// from.
pub trait ReadAt: Send + Sync {
    /// The bytes `at..at + len`, fewer at the end of the source; why not, when they cannot
    /// be read (the file was moved or changed).
    fn read_at(&self, at: u64, len: usize) -> Result<Vec<u8>, String>;
}

impl ReadAt for crate::text::Text {
    fn read_at(&self, at: u64, len: usize) -> Result<Vec<u8>, String> {
        let start = usize::try_from(at).unwrap_or(usize::MAX).min(self.len());
        Ok(self[start..start.saturating_add(len).min(self.len())].to_vec())
    }
}

/// Why a read of the source came back short: it no longer holds what the index says.
const SHORTER: &str = "it is shorter than when it was opened (it changed)";

/// Bytes a block holds; blocks start at multiples of it.
const BLOCK_BYTES: usize = 64 << 10;
/// Blocks kept (16 MiB).
const KEPT_BLOCKS: usize = 256;
/// Blocks read at once when reads go forward block after block (a pass over the whole log,
/// such as a text filter or the flow index): fewer, larger reads.
const READ_AHEAD_BLOCKS: usize = 16;

/// Bytes read from a [`ReadAt`] on demand, the recent blocks kept. Cheap to clone (the
/// clones share the source and the kept blocks).
#[derive(Clone)]
pub struct Paged {
    source: Arc<dyn ReadAt>,
    kept: Arc<Mutex<Kept>>,
    /// Why the source could not be read, the first time it could not: whatever was
    /// folded from then on may be wrong, which the page must say.
    failed: Arc<OnceLock<String>>,
}

/// The blocks read lately, each with when it was last used.
#[derive(Default)]
struct Kept {
    blocks: FxHashMap<u64, (Arc<[u8]>, u64)>,
    clock: u64,
    /// The last block that had to be read, to tell a pass going forward.
    last_missed: Option<u64>,
}

impl Paged {
    /// Bytes read from `source` when asked for.
    pub fn new(source: Arc<dyn ReadAt>) -> Self {
        Paged {
            source,
            kept: Arc::default(),
            failed: Arc::default(),
        }
    }

    /// Why the source could not be read, if it ever could not (the first reason).
    pub fn failure(&self) -> Option<&str> {
        self.failed.get().map(String::as_str)
    }

    /// `read`'s bytes, noting why not when it fails.
    fn noted(&self, read: Result<Vec<u8>, String>) -> Option<Vec<u8>> {
        read.map_err(|why| self.failed.get_or_init(|| why)).ok()
    }

    /// The bytes `start..start + len`, or `None` when they cannot be read in full.
    pub fn get(&self, start: u64, len: usize) -> Option<Cow<'_, [u8]>> {
        if len == 0 {
            return Some(Cow::Borrowed(&[]));
        }
        let end = start.checked_add(len as u64)?;
        let block_bytes = BLOCK_BYTES as u64;
        let (first, last) = (start / block_bytes, (end - 1) / block_bytes);
        if last - first >= READ_AHEAD_BLOCKS as u64 {
            // A body larger than what is kept: read on its own.
            let bytes = self.noted(self.source.read_at(start, len))?;
            return self.whole(bytes, len).map(Cow::Owned);
        }
        let mut out = Vec::with_capacity(len);
        for block in first..=last {
            let bytes = self.block(block)?;
            let at = block * block_bytes;
            // Both within this block, so they fit in a usize.
            let from = start.saturating_sub(at) as usize;
            let to = ((end - at) as usize).min(BLOCK_BYTES).min(bytes.len());
            out.extend_from_slice(bytes.get(from..to).unwrap_or_default());
        }
        self.whole(out, len).map(Cow::Owned)
    }

    /// `bytes` when they are the `len` asked for. Fewer mean the file is shorter than the
    /// index says: it changed since it was loaded, which is noted as a failure.
    fn whole(&self, bytes: Vec<u8>, len: usize) -> Option<Vec<u8>> {
        if bytes.len() == len {
            return Some(bytes);
        }
        self.failed.get_or_init(|| SHORTER.into());
        None
    }

    /// Block `block`, kept or read (with the blocks after it, when reads go forward).
    fn block(&self, block: u64) -> Option<Arc<[u8]>> {
        let mut kept = self.kept.lock().unwrap_or_else(|e| e.into_inner());
        kept.clock += 1;
        let now = kept.clock;
        if let Some((bytes, used)) = kept.blocks.get_mut(&block) {
            *used = now;
            return Some(bytes.clone());
        }
        let count = if kept.last_missed.is_some_and(|last| last + 1 == block) {
            READ_AHEAD_BLOCKS
        } else {
            1
        };
        kept.last_missed = Some(block + count as u64 - 1);
        let at = block * BLOCK_BYTES as u64;
        let bytes = self.noted(self.source.read_at(at, count * BLOCK_BYTES))?;
        if kept.blocks.len() + count > KEPT_BLOCKS {
            kept.forget_oldest(count);
        }
        let mut wanted = None;
        for (i, chunk) in bytes.chunks(BLOCK_BYTES).enumerate() {
            let chunk: Arc<[u8]> = chunk.into();
            if i == 0 {
                wanted = Some(chunk.clone());
            }
            kept.blocks.insert(block + i as u64, (chunk, now));
        }
        if wanted.is_none() {
            // Nothing at all where the index has text: the file is shorter now.
            self.failed.get_or_init(|| SHORTER.into());
        }
        wanted
    }
}

impl Kept {
    /// Forgets the least recently used blocks, leaving room for `room` more; a quarter of
    /// what is kept at once, so that this runs rarely.
    fn forget_oldest(&mut self, room: usize) {
        let forget = room.max(KEPT_BLOCKS / 4).min(self.blocks.len());
        let mut ages: Vec<u64> = self.blocks.values().map(|(_, used)| *used).collect();
        ages.sort_unstable();
        if let Some(&cut) = ages.get(forget.saturating_sub(1)) {
            self.blocks.retain(|_, (_, used)| *used > cut);
        }
    }
}

impl std::fmt::Debug for Paged {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let kept = self.kept.lock().map_or(0, |k| k.blocks.len());
        write!(f, "Paged({kept} blocks kept)")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::Text;
    use proptest::prelude::*;
    use std::sync::atomic::{AtomicUsize, Ordering};

    /// A source that counts its reads.
    struct Counting(Text, AtomicUsize);

    impl ReadAt for Counting {
        fn read_at(&self, at: u64, len: usize) -> Result<Vec<u8>, String> {
            self.1.fetch_add(1, Ordering::Relaxed);
            self.0.read_at(at, len)
        }
    }

    fn bytes(n: usize) -> Vec<u8> {
        (0..n).map(|i| (i * 7 % 251) as u8).collect()
    }

    proptest! {
        /// Any range reads back as the bytes are, whatever was read before it; a range
        /// past the end is `None`.
        #[test]
        fn every_range_reads_back_as_it_is(
            size in 0usize..600_000,
            asks in prop::collection::vec((0usize..700_000, 0usize..300_000), 1..40),
        ) {
            let all = bytes(size);
            let paged = Paged::new(Arc::new(Text::from(all.clone())));
            for (start, len) in asks {
                let got = paged.get(start as u64, len);
                match all.get(start..start.saturating_add(len)) {
                    Some(want) => prop_assert_eq!(got.as_deref(), Some(want)),
                    None => prop_assert!(got.is_none()),
                }
            }
        }
    }

    /// Reading the same events again reads nothing from the source, and a pass forward
    /// reads in large parts.
    #[test]
    fn recent_blocks_are_kept_and_a_pass_reads_ahead() {
        let all = bytes(8 << 20);
        let source = Arc::new(Counting(Text::from(all.clone()), AtomicUsize::new(0)));
        let paged = Paged::new(source.clone());
        let reads = || source.1.load(Ordering::Relaxed);
        assert_eq!(paged.get(100, 50).as_deref(), Some(&all[100..150]));
        assert_eq!(paged.get(120, 500).as_deref(), Some(&all[120..620]));
        assert!(paged.get(u64::MAX - 10, 20).is_none(), "past any file");
        assert_eq!(reads(), 1, "one block read, then kept");
        for at in (0..all.len() - 300).step_by(300) {
            assert_eq!(
                paged.get(at as u64, 300).as_deref(),
                Some(&all[at..at + 300])
            );
        }
        let blocks = all.len() / BLOCK_BYTES;
        assert!(
            reads() < 2 + blocks / READ_AHEAD_BLOCKS * 2,
            "{} reads for {blocks} blocks",
            reads()
        );
        let kept = paged.kept.lock().map(|k| k.blocks.len()).unwrap_or(0);
        assert!(kept <= KEPT_BLOCKS, "{kept} blocks kept");
    }

    /// A source that fails gives `None`, not a panic or wrong bytes.
    #[test]
    fn an_unreadable_source_gives_none() {
        struct Gone;
        impl ReadAt for Gone {
            fn read_at(&self, _: u64, _: usize) -> Result<Vec<u8>, String> {
                Err("moved".into())
            }
        }
        let paged = Paged::new(Arc::new(Gone));
        assert_eq!(paged.failure(), None);
        assert!(paged.get(0, 10).is_none());
        assert!(paged.get(0, 10 << 20).is_none());
        assert_eq!(paged.failure(), Some("moved"));
    }

    /// A file shorter than the index says is a failure too, said once.
    #[test]
    fn a_file_that_shrank_is_a_failure() {
        let paged = Paged::new(Arc::new(Text::from(bytes(1000))));
        assert_eq!(paged.get(900, 100).as_deref(), Some(&bytes(1000)[900..]));
        assert_eq!(paged.failure(), None);
        assert!(paged.get(950, 100).is_none());
        assert!(paged.failure().is_some_and(|why| why.contains("shorter")));
        // Wholly past its end, in a block it no longer has: said too.
        let paged = Paged::new(Arc::new(Text::from(bytes(1000))));
        assert!(paged.get(200_000, 10).is_none());
        assert_eq!(paged.failure(), Some(SHORTER));
    }
}
