//! How a log names its event types and streams: dense ids in the order they first appear,
//! and the ids and names that stand for an absent type or stream. Shared by the scanner,
//! which names events as it reads them, and the log, which keeps the names.

use crate::value::Str;

/// Marks "no stream" in [`EventMeta::stream`](crate::log::EventMeta::stream).
pub const NO_STREAM: u32 = u32::MAX;

/// The name shown for events without a type.
pub const UNTYPED: &str = "(untyped)";

/// Interns names (types, streams) into dense indices.
#[derive(Default)]
pub(crate) struct Names {
    pub(crate) list: Vec<Str>,
    index: NameIndex,
}

impl Names {
    /// The id of `name`, giving it the next one when it is new.
    pub(crate) fn id(&mut self, name: &str) -> u32 {
        if let Some(i) = self.index.get(&self.list, name) {
            return i;
        }
        let i = u32::try_from(self.list.len()).unwrap_or(u32::MAX - 1);
        self.list.push(Str::from(name));
        self.index.insert(&self.list, i);
        i
    }
}

/// Finds the id of a name in a list of names: a table of ids hashed by the names they
/// stand for, so that a name is kept once (in the list) and costs the table 4 bytes.
#[derive(Clone, Debug, Default)]
pub(crate) struct NameIndex {
    table: hashbrown::HashTable<u32>,
}

fn hash(name: &str) -> u64 {
    use std::hash::BuildHasher;
    crate::value::FastHash::default().hash_one(name)
}

impl NameIndex {
    /// An index of all of `list`.
    pub(crate) fn of(list: &[Str]) -> Self {
        let mut index = NameIndex {
            table: hashbrown::HashTable::with_capacity(list.len()),
        };
        for id in 0..list.len() {
            index.insert(list, id as u32);
        }
        index
    }

    /// The id of `name`, when `list` (the names this index was built over) has it.
    pub(crate) fn get(&self, list: &[Str], name: &str) -> Option<u32> {
        let same = |&id: &u32| list.get(id as usize).is_some_and(|n| n.as_ref() == name);
        self.table.find(hash(name), same).copied()
    }

    /// Indexes `list[id]` (not indexed yet).
    pub(crate) fn insert(&mut self, list: &[Str], id: u32) {
        let Some(name) = list.get(id as usize) else {
            return;
        };
        let rehash = |&id: &u32| list.get(id as usize).map_or(0, |n| hash(n));
        self.table.insert_unique(hash(name), id, rehash);
    }
}
