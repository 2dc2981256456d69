//! Reading the log's file from the worker: whole, or part by part while this thread folds
//! the parts already read.

use std::collections::VecDeque;

use wasm_bindgen_futures::JsFuture;
use web_sys::{Blob, FileReaderSync};

/// Why a part of the file could not be read.
const UNREADABLE: &str = "the file could not be read (was it moved or deleted?)";

/// Bytes copied from the file at a time (one progress step).
const CHUNK_BYTES: usize = 16 << 20;
/// Bytes of the first part read: small, so that indexing starts soon after the drop.
pub const FIRST_PART_BYTES: usize = 4 << 20;
/// Parts being read at once: the browser reads the next ones while this thread indexes
/// one (with one, this thread waited for the browser about a third of a load).
const READS_IN_FLIGHT: usize = 2;

/// Copies `blob[..limit]` into memory, `CHUNK_BYTES` at a time, reporting each step
/// (bytes read, of how many); its first bytes are `head`, read already.
pub fn read(
    blob: &Blob,
    limit: usize,
    head: &[u8],
    mut progress: impl FnMut(u64, u64),
) -> Result<Vec<u8>, String> {
    let size = (blob.size() as usize).min(limit);
    // Allocated zeroed in one piece: fresh memory is zero already, so this costs no pass
    // over it. (If the tab has no room, the worker stops and the page says so.)
    let mut bytes = vec![0u8; size];
    let at_head = head.len().min(size);
    bytes[..at_head].copy_from_slice(&head[..at_head]);
    let reader = FileReaderSync::new().map_err(|_| "this browser cannot read files in a worker")?;
    let mut at = at_head;
    while at < size {
        let buffer = reader
            .read_as_array_buffer(&part_at(blob, at as u64, CHUNK_BYTES.min(size - at))?)
            .map_err(|_| UNREADABLE)?;
        let chunk = js_sys::Uint8Array::new(&buffer);
        let len = (chunk.length() as usize).min(size - at);
        chunk
            .subarray(0, len as u32)
            .copy_to(&mut bytes[at..at + len]);
        at += len;
        progress(at as u64, size as u64);
        if len == 0 {
            break;
        }
    }
    bytes.truncate(at);
    Ok(bytes)
}

/// The part `blob[at..at + len]` (offsets past 4 GiB too: they are counted in 64 bits).
pub fn part_at(blob: &Blob, at: u64, len: usize) -> Result<Blob, String> {
    blob.slice_with_f64_and_f64(at as f64, (at + len as u64) as f64)
        .map_err(|_| "the file could not be read".to_string())
}

/// Starts reading `blob[at..at + len]` (the browser reads while this thread folds).
pub fn start_read(blob: &Blob, at: u64, len: usize) -> Result<js_sys::Promise, String> {
    part_at(blob, at, len).map(|part| part.array_buffer())
}

/// The bytes a read started by [`start_read`] gives.
pub async fn finish_read(
    reading: Result<js_sys::Promise, String>,
) -> Result<js_sys::Uint8Array, String> {
    let buffer = JsFuture::from(reading?)
        .await
        .map_err(|_| UNREADABLE.to_string())?;
    Ok(js_sys::Uint8Array::new(&buffer))
}

/// Reads `blob[at..]` part by part, [`READS_IN_FLIGHT`] parts ahead of `each`, which takes
/// them in order; stops early when `each` says false, or after a part shorter than asked
/// (the file shrank meanwhile).
pub async fn read_parts(
    blob: &Blob,
    at: u64,
    mut each: impl FnMut(js_sys::Uint8Array) -> bool,
) -> Result<(), String> {
    let size = blob.size() as u64;
    let mut reading = VecDeque::new();
    let mut planned = at;
    let mut read_ahead = |reading: &mut VecDeque<_>| {
        while reading.len() < READS_IN_FLIGHT && planned < size {
            let len = (CHUNK_BYTES as u64).min(size - planned) as usize;
            reading.push_back((len, start_read(blob, planned, len)));
            planned += len as u64;
        }
    };
    read_ahead(&mut reading);
    while let Some((asked, started)) = reading.pop_front() {
        let part = finish_read(started).await?;
        let whole = part.length() as usize == asked;
        if whole {
            read_ahead(&mut reading);
        }
        if !each(part) || !whole {
            break;
        }
    }
    Ok(())
}
