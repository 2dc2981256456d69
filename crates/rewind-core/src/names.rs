//! How a log names its event types and streams: dense ids in the order they first appear,
//! and the ids and names that stand for an absent type or stream. Shared by the scanner,
//! which names events as it reads them, and the log, which keeps the names.

use std::collections::HashMap;

use crate::value::Str;

/// Marks "no stream" in [`EventMeta::stream`](crate::log::EventMeta::stream).
pub const NO_STREAM: u32 = u32::MAX;

/// The name shown for events without a type.
pub const UNTYPED: &str = "(untyped)";

/// Interns names (types, streams) into dense indices.
#[derive(Default)]
pub(crate) struct Names {
    pub(crate) list: Vec<Str>,
    index: HashMap<Str, u32, crate::value::FastHash>,
}

impl Names {
    /// The id of `name`, giving it the next one when it is new.
    pub(crate) fn id(&mut self, name: &str) -> u32 {
        if let Some(&i) = self.index.get(name) {
            return i;
        }
        let s = Str::from(name);
        let i = u32::try_from(self.list.len()).unwrap_or(u32::MAX - 1);
        self.list.push(s.clone());
        self.index.insert(s, i);
        i
    }
}
