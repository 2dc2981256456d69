//! A loaded log's index saved as bytes and read back (the CLI keeps it in a cache file
//! beside nothing but its key, SPEC §10): the events' packed metadata and spans, the
//! names, and the lazy column timeline's positions. The log's text is not in it: the index
//! is read back over the same text, so the second command on a large log starts without
//! reading it through.
//!
//! What is saved is keyed: the caller's key (the file's size, time and fingerprint, and
//! the options it was read with) and this build's version. A saved index with another key,
//! or whose tables do not agree, is not used.

pub(crate) mod bin;

use std::io::{self, Write};
use std::sync::Arc;

use serde::{Deserialize, Serialize};

use crate::events::{Events, Spans};
use crate::fields::FieldKeys;
use crate::load::producers::Producer;
use crate::log::{BadLine, Bodies, Format, Log, Mode};
use crate::replay::Replay;
use crate::text::Text;
use crate::timeline::{ColumnTimeline, Timeline};
use crate::value::Value;
use bin::{In, Out};

/// The first bytes of a saved index.
const MAGIC: &[u8; 8] = b"RWINDEX\x01";

/// What a saved index was written by: another build may save something else.
const VERSION: &str = concat!(env!("CARGO_PKG_VERSION"), "/2");

/// The small parts of a log.
#[derive(Serialize, Deserialize)]
struct Header {
    format: String,
    mode: String,
    producer: Option<Producer>,
    keys: FieldKeys,
    bad_lines: Vec<BadLine>,
    initial_state: Value,
}

/// A fingerprint of a log's text: a hash of its first and last 64 KiB and its length.
/// With the file's size and modification time it tells a log changed since its index was
/// saved without reading it through.
pub fn fingerprint(text: &[u8]) -> String {
    use std::hash::Hasher;
    const EDGE: usize = 64 << 10;
    let mut head = rustc_hash::FxHasher::default();
    head.write(&text[..text.len().min(EDGE)]);
    let mut tail = rustc_hash::FxHasher::default();
    tail.write(&text[text.len().saturating_sub(EDGE)..]);
    format!(
        "{}:{:016x}:{:016x}",
        text.len(),
        head.finish(),
        tail.finish()
    )
}

/// Writes `replay`'s index under `key`. `Ok(false)` when this kind of log is not saved
/// (only a text log folded lazily into columns is: the others are read whole anyway).
pub fn save(replay: &Replay, key: &str, w: impl Write) -> io::Result<bool> {
    let log = &replay.log;
    let (Bodies::Text { spans, .. }, Some(columns)) = (&log.bodies, replay.timeline.columns())
    else {
        return Ok(false);
    };
    if log.recorded_states.is_some() || log.edited.is_some() || !columns.can_save() {
        return Ok(false);
    }
    let mut out = Out::new(w);
    out.raw(MAGIC)?;
    out.json(&(VERSION, key))?;
    out.json(&Header {
        format: log.format.name().into(),
        mode: log.mode.name().into(),
        producer: log.producer,
        keys: log.keys.clone(),
        bad_lines: log.bad_lines.clone(),
        initial_state: log.initial_state.clone(),
    })?;
    out.names(&log.types)?;
    out.names(&log.streams)?;
    log.events.save(&mut out)?;
    spans.save(&mut out)?;
    columns.save(&mut out)?;
    out.into_inner().flush()?;
    Ok(true)
}

/// Reads an index written by [`save`] under the same `key` over `text`, the log's text.
/// `None` when it was saved under another key or by another build, or does not fit the
/// text.
pub fn load(bytes: &[u8], key: &str, text: Text) -> Option<Replay> {
    let mut input = In::new(bytes);
    if input.raw(MAGIC.len())? != MAGIC {
        return None;
    }
    let (version, saved_key): (String, String) = input.json()?;
    if version != VERSION || saved_key != key {
        return None;
    }
    let header: Header = input.json()?;
    let types = input.names()?;
    let streams = input.names()?;
    let events = Events::load(&mut input)?;
    let spans = Spans::load(&mut input)?;
    let columns = ColumnTimeline::load(&mut input, &streams)?;
    let n = events.len();
    let fits = input.at_end()
        && spans.len() == n
        && columns.len() == n
        && events.ids_below(types.len(), streams.len())
        && spans.end_within(text.len());
    if !fits || n == 0 {
        return None;
    }
    let keys = header.keys;
    let log = Log {
        format: Format::from_name(&header.format)?,
        mode: Mode::from_name(&header.mode)?,
        events,
        types,
        streams,
        bad_lines: header.bad_lines,
        initial_state: header.initial_state,
        producer: header.producer,
        bodies: Bodies::Text { text, spans },
        scanner: Arc::new(crate::load::scan::Scanner::new(&keys)),
        keys,
        recorded_states: None,
        edited: None,
    };
    Some(Replay {
        log: Arc::new(log),
        timeline: Timeline::from_columns(columns),
    })
}

#[cfg(test)]
mod tests;
