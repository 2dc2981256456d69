//! A log's file read back part by part (`File.slice` with `FileReaderSync`): the text of an
//! index-only log, whose bytes are not kept in the worker's memory.

use std::cell::RefCell;

use rewind_core::paged::ReadAt;
use web_sys::{Blob, FileReaderSync};

use super::read::part_at;

thread_local! {
    /// The files being read back, by [`FileText::id`]. A `Blob` belongs to this worker's
    /// thread, so the core (which may share a log between threads natively) holds an id.
    static FILES: RefCell<Vec<Option<(Blob, FileReaderSync)>>> = const { RefCell::new(Vec::new()) };
}

/// A file the core reads an index-only log's events from, as [`ReadAt`].
pub struct FileText {
    id: usize,
}

impl FileText {
    /// Reads `blob` back when asked; `None` when this browser cannot read files in a worker.
    pub fn new(blob: &Blob) -> Option<Self> {
        let reader = FileReaderSync::new().ok()?;
        let id = FILES.with(|files| {
            let mut files = files.borrow_mut();
            files.push(Some((blob.clone(), reader)));
            files.len() - 1
        });
        Some(FileText { id })
    }
}

impl ReadAt for FileText {
    fn read_at(&self, at: u64, len: usize) -> Result<Vec<u8>, String> {
        FILES.with(|files| {
            let files = files.borrow();
            let Some(Some((blob, reader))) = files.get(self.id) else {
                return Err("it is closed".into());
            };
            let end = at.saturating_add(len as u64).min(blob.size() as u64);
            let part = part_at(blob, at, end.saturating_sub(at) as usize)?;
            let buffer = reader.read_as_array_buffer(&part).map_err(|_| {
                "the browser could not read it (was it moved, changed or deleted?)".to_string()
            })?;
            Ok(js_sys::Uint8Array::new(&buffer).to_vec())
        })
    }
}

impl Drop for FileText {
    fn drop(&mut self) {
        FILES.with(|files| {
            if let Some(file) = files.borrow_mut().get_mut(self.id) {
                *file = None;
            }
        });
    }
}
