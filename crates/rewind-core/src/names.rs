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
        self.index.id_of(&mut self.list, name, || Str::from(name)).0
    }
}

/// Finds the id of a name in a list of names: a table of ids hashed by the names they
/// stand for, so that a name is kept once (in the list) and costs the table 4 bytes, and
/// 4 more for its hash (so that growing the table never reads the names again, and a name
/// is compared only with names of the same hash).
#[derive(Clone, Debug, Default)]
pub(crate) struct NameIndex {
    table: hashbrown::HashTable<u32>,
    /// The hash of each id's name.
    hashes: Vec<u32>,
}

/// A name's hash, in 32 bits.
fn hash(name: &str) -> u32 {
    use std::hash::BuildHasher;
    let h = crate::value::FastHash::default().hash_one(name);
    (h ^ (h >> 32)) as u32
}

/// True when `id` names `name`, whose hash is `h` (`hashes` and `list` by id).
fn names(hashes: &[u32], list: &[Str], id: u32, h: u32, name: &str) -> bool {
    hashes.get(id as usize) == Some(&h) && list.get(id as usize).is_some_and(|n| n.as_ref() == name)
}

/// The table's hash of a name hashed `h`: its bits spread over 64 (the table takes its
/// tags from the high ones, its slots from the low ones).
fn spread(h: u32) -> u64 {
    u64::from(h).wrapping_mul(0x9E37_79B9_7F4A_7C15)
}

impl NameIndex {
    /// An index of all of `list`.
    pub(crate) fn of(list: &[Str]) -> Self {
        let mut index = NameIndex {
            table: hashbrown::HashTable::with_capacity(list.len()),
            hashes: Vec::with_capacity(list.len()),
        };
        for id in 0..list.len() {
            index.insert(list, id as u32);
        }
        index
    }

    /// True when no name is indexed.
    pub(crate) fn is_empty(&self) -> bool {
        self.table.is_empty()
    }

    /// The id of `name`, when `list` (the names this index was built over) has it.
    pub(crate) fn get(&self, list: &[Str], name: &str) -> Option<u32> {
        let h = hash(name);
        let same = |&id: &u32| names(&self.hashes, list, id, h, name);
        self.table.find(spread(h), same).copied()
    }

    /// The id of `name` in `list`, and whether it is new: then `make()` was pushed onto
    /// `list` for it. One hash and one search either way.
    pub(crate) fn id_of(
        &mut self,
        list: &mut Vec<Str>,
        name: &str,
        make: impl FnOnce() -> Str,
    ) -> (u32, bool) {
        let h = hash(name);
        let hashes = &self.hashes;
        let same = |&id: &u32| names(hashes, list, id, h, name);
        let rehash = |&id: &u32| spread(hashes.get(id as usize).copied().unwrap_or(0));
        match self.table.entry(spread(h), same, rehash) {
            hashbrown::hash_table::Entry::Occupied(found) => (*found.get(), false),
            hashbrown::hash_table::Entry::Vacant(slot) => {
                let id = u32::try_from(list.len()).unwrap_or(u32::MAX - 1);
                slot.insert(id);
                list.push(make());
                self.note(id, h);
                (id, true)
            }
        }
    }

    /// Keeps `h` as the hash of `id`'s name.
    fn note(&mut self, id: u32, h: u32) {
        let at = id as usize;
        if self.hashes.len() <= at {
            self.hashes.resize(at + 1, 0);
        }
        self.hashes[at] = h;
    }

    /// Indexes `list[id]` (not indexed yet).
    pub(crate) fn insert(&mut self, list: &[Str], id: u32) {
        let Some(name) = list.get(id as usize) else {
            return;
        };
        let h = hash(name);
        self.note(id, h);
        let hashes = &self.hashes;
        let rehash = |&id: &u32| spread(hashes.get(id as usize).copied().unwrap_or(0));
        self.table.insert_unique(spread(h), id, rehash);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Names get dense ids in the order they come, are found again however large the
    /// table grew, and an index built over a list at once finds what one built name by
    /// name does.
    #[test]
    fn names_keep_their_ids_as_the_table_grows() {
        let mut names = Names::default();
        let all: Vec<String> = (0..50_000)
            .map(|i| format!("stream-{}", i % 20_000))
            .collect();
        let ids: Vec<u32> = all.iter().map(|n| names.id(n)).collect();
        for (n, &id) in all.iter().zip(&ids) {
            assert_eq!(names.list[id as usize].as_ref(), n.as_str());
        }
        assert_eq!(names.list.len(), 20_000);
        assert_eq!(ids[..20_000], (0..20_000).collect::<Vec<u32>>()[..]);
        assert_eq!(ids[20_000..40_000], ids[..20_000]);
        let at_once = NameIndex::of(&names.list);
        for (i, n) in names.list.iter().enumerate() {
            assert_eq!(at_once.get(&names.list, n), Some(i as u32));
            assert_eq!(names.index.get(&names.list, n), Some(i as u32));
        }
        assert_eq!(at_once.get(&names.list, "stream-20000"), None);
        assert_eq!(names.index.get(&names.list, ""), None);
    }
}
