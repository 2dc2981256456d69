//! Gzip-compressed logs in the worker: decompressed part by part as the file is read,
//! NDJSON text indexed as it comes out.

use rewind_core::gzip::Inflater;
use rewind_core::{open_with_progress, LoadOptions, NdjsonStream, Replay};
use web_sys::{Blob, DedicatedWorkerGlobalScope};

use super::read::read_parts;
use super::{post_progress, say_folding};
use crate::protocol::{Progress, CLI, MAX_FILE_BYTES};

/// Compressed bytes of a gzip log decompressed at a time: the text of one step is then
/// some megabytes, handed on at once rather than held in a second copy.
const GZIP_STEP_BYTES: usize = 1 << 20;
/// Text of a gzip log gathered before telling whether it is NDJSON.
const GZIP_DECIDE_BYTES: usize = 1 << 20;

/// A gzip log being decompressed part by part: NDJSON text is indexed as it comes out,
/// other formats are gathered whole and folded at the end.
struct Unzipping {
    inflater: Inflater,
    /// Text not given to `stream`: until it is known to be NDJSON, or all of it if not.
    text: Vec<u8>,
    stream: Option<NdjsonStream>,
    /// Whether the text is NDJSON is known.
    decided: bool,
    options: LoadOptions,
}

impl Unzipping {
    fn new(options: &LoadOptions) -> Self {
        Unzipping {
            inflater: Inflater::new(),
            text: Vec::new(),
            stream: None,
            decided: false,
            options: options.clone(),
        }
    }

    /// Decompresses the next part of the file; false once the rest cannot be read (the
    /// data is damaged: the damage is reported by `finish`).
    fn push(&mut self, part: &[u8]) -> bool {
        for step in part.chunks(GZIP_STEP_BYTES) {
            let going = self.inflater.push(step);
            let text = self.inflater.take();
            self.text_out(text);
            if !going {
                return false;
            }
        }
        true
    }

    fn text_out(&mut self, text: Vec<u8>) {
        match &mut self.stream {
            Some(stream) => stream.push(text.len(), |dst| dst.copy_from_slice(&text)),
            None if self.text.is_empty() => self.text = text,
            None => self.text.extend_from_slice(&text),
        }
        if !self.decided && self.text.len() >= GZIP_DECIDE_BYTES {
            self.decide();
        }
    }

    fn decide(&mut self) {
        self.decided = true;
        self.stream = NdjsonStream::start(&self.text, self.text.len(), &self.options);
        if self.stream.is_some() {
            self.text = Vec::new();
        }
    }

    /// How far the load is after `done` of `file_bytes` compressed bytes.
    fn progress(&self, bytes_read: u64, file_bytes: u64) -> Progress {
        match &self.stream {
            Some(stream) => Progress::Streaming {
                bytes_read,
                file_bytes,
                events_read: stream.events() as u64,
            },
            None => Progress::Reading {
                bytes_read,
                file_bytes,
            },
        }
    }

    /// The folded log, and why the file could not be read to its end, if it could not.
    fn finish(
        mut self,
        progress: &mut dyn FnMut(usize, usize),
    ) -> Result<(Replay, Option<String>), String> {
        let (rest, damage) = std::mem::take(&mut self.inflater).finish();
        self.text_out(rest);
        if !self.decided {
            self.decide();
        }
        let replay = match self.stream {
            Some(stream) => stream.finish(),
            None => open_with_progress(self.text, &self.options, progress),
        };
        let replay = replay.map_err(|e| match &damage {
            Some(d) => format!("{e} ({d})"),
            None => e.to_string(),
        })?;
        Ok((replay, damage.map(|d| d.to_string())))
    }
}

/// Loads a gzip-compressed log whose first part is `head`, decompressing each part as it
/// arrives; progress counts compressed bytes. A damaged or cut-short file keeps the events
/// before the damage, which is returned in words.
pub async fn load_gzip(
    scope: &DedicatedWorkerGlobalScope,
    blob: &Blob,
    head: Vec<u8>,
    options: &LoadOptions,
) -> Result<(Replay, Option<String>), String> {
    let size = blob.size() as u64;
    let mut unzipping = Unzipping::new(options);
    let mut too_large = false;
    let mut step = |unzipping: &mut Unzipping, part: &[u8], done: u64| -> bool {
        let going = unzipping.push(part);
        too_large = unzipping.inflater.text_bytes() as f64 > MAX_FILE_BYTES;
        post_progress(scope, unzipping.progress(done, size));
        going && !too_large
    };
    let at = head.len() as u64;
    if step(&mut unzipping, &head, at) && at < size {
        let mut done = at;
        read_parts(blob, at, |part| {
            done += u64::from(part.length());
            step(&mut unzipping, &part.to_vec(), done)
        })
        .await?;
    }
    if too_large {
        return Err(format!(
            "decompressed, it is more than {} MB, and this page holds compressed logs up to \
             that size (a compressed log cannot be read back from its file by position, so \
             it is held in memory, and folding needs about twice that). Decompressed, an \
             NDJSON log opens here up to 4 GB. {CLI}",
            (MAX_FILE_BYTES / 1e6) as u64
        ));
    }
    unzipping.finish(&mut say_folding(scope))
}

/// The start of a gzip log's text, about `limit` bytes of it.
pub fn gunzip_start(compressed: &[u8], limit: usize) -> Vec<u8> {
    let mut inflater = Inflater::new();
    let mut text = Vec::new();
    for step in compressed.chunks(64 << 10) {
        let going = inflater.push(step);
        text.extend_from_slice(&inflater.take());
        if !going || text.len() >= limit {
            break;
        }
    }
    text.truncate(limit);
    text
}
