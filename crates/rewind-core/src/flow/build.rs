//! Building a [`FlowIndex`](super::FlowIndex) in three passes, the first two spread over
//! threads natively:
//!
//! 1. each range of events is read ([`read_event`]): its ids, causations and correlations
//!    are hashed, and its correlations numbered in order of first appearance;
//! 2. each share of the hashes (by hash) gets its own table of ids, in which the
//!    causations of that share are looked up;
//! 3. the ranges' correlations are numbered for the whole log.
//!
//! A hash only finds a candidate: texts are always compared, and texts whose hashes
//! collide are kept apart. The texts and tables live only while building.

use std::borrow::Cow;
use std::collections::HashMap;
use std::hash::{BuildHasher, BuildHasherDefault, Hasher};
use std::ops::Range;

use crate::log::{Bodies, Log};
use crate::value::{FastHash, Value};

use super::keys::{Found, Rules};
use super::skim;

/// No correlation, or no causation.
pub(super) const NONE: u32 = u32::MAX;
/// A causation that names an id no event of the log has.
pub(super) const MISSING: u32 = u32::MAX - 1;

/// Logs at least this long are read on several threads (natively).
#[cfg(not(target_arch = "wasm32"))]
const PARALLEL_MIN_EVENTS: usize = 50_000;

/// What pass 3 gives: each event's correlation (numbered in order of first appearance, or
/// [`NONE`]), the correlations' texts, and each event's cause.
pub(super) struct Built {
    pub(super) correlation: Vec<u32>,
    pub(super) names: Names,
    pub(super) cause: Vec<u32>,
}

/// The correlations, each as its length (LEB128) and its UTF-8 text, end to end, and
/// where each starts.
#[derive(Default)]
pub(super) struct Names {
    pub(super) bytes: Vec<u8>,
    pub(super) starts: Vec<u32>,
}

impl Names {
    /// Adds `text`; its number, or `None` past 4 GB of names (no log comes near).
    fn push(&mut self, text: &str) -> Option<u32> {
        let start = u32::try_from(self.bytes.len())
            .ok()
            .filter(|&s| s < MISSING)?;
        let number = u32::try_from(self.starts.len())
            .ok()
            .filter(|&c| c < MISSING)?;
        self.starts.push(start);
        let mut len = text.len();
        while len >= 0x80 {
            self.bytes.push(0x80 | (len & 0x7F) as u8);
            len >>= 7;
        }
        self.bytes.push(len as u8);
        self.bytes.extend_from_slice(text.as_bytes());
        Some(number)
    }

    /// The text of the correlation numbered `c`.
    fn get(&self, c: u32) -> Option<&str> {
        name_at(&self.bytes, *self.starts.get(c as usize)?)
    }
}

/// The correlation whose length starts at `names[at]` (see [`Names`]).
pub(super) fn name_at(names: &[u8], at: u32) -> Option<&str> {
    let mut at = at as usize;
    let (mut len, mut shift) = (0usize, 0);
    loop {
        let b = *names.get(at)?;
        at += 1;
        len |= usize::from(b & 0x7F) << shift;
        shift += 7;
        if b < 0x80 {
            break;
        }
    }
    std::str::from_utf8(names.get(at..at.checked_add(len)?)?).ok()
}

/// Reads the first `n` events of `log` and links them.
pub(super) fn build(log: &Log, rules: &Rules, n: usize) -> Built {
    let threads = threads(n);
    let chunk = n.div_ceil(threads).max(1);
    let parts = parallel(threads, |t| {
        read_part(log, rules, t * chunk..((t + 1) * chunk).min(n))
    });
    let id_text = |p: u32| {
        let i = (p as usize / chunk).min(parts.len().saturating_sub(1));
        parts.get(i)?.ids.get(p as usize - parts[i].start)
    };
    let shares = parallel(threads, |share| {
        let mut ids = FirstOf::with_capacity(n / threads + 1);
        for part in &parts {
            for (i, &h) in part.id_hash.iter().enumerate() {
                if h != 0 && h % threads as u64 == share as u64 {
                    let text = part.ids.get(i).unwrap_or_default();
                    ids.insert(h, text, (part.start + i) as u32, id_text);
                }
            }
        }
        let mut causes = Vec::new();
        for part in &parts {
            for (i, &h) in part.cause_hash.iter().enumerate() {
                if h != 0 && h % threads as u64 == share as u64 {
                    let text = part.causations.get(i).unwrap_or_default();
                    let cause = ids.get(h, text, id_text).unwrap_or(MISSING);
                    causes.push(((part.start + i) as u32, cause));
                }
            }
        }
        causes
    });
    let mut cause = vec![NONE; n];
    for (p, c) in shares.into_iter().flatten() {
        cause[p as usize] = c;
    }
    let mut names = Names::default();
    let mut global = FirstOf::with_capacity(parts.iter().map(|p| p.names.len()).sum());
    let mut correlation = Vec::with_capacity(n);
    for part in &parts {
        let local_to_global: Vec<u32> = (0..part.names.len())
            .map(|l| {
                let text = part.names.get(l).unwrap_or_default();
                let next = names.starts.len() as u32;
                let (g, new) = global.insert(part.name_hash[l], text, next, |g| names.get(g));
                match new {
                    true => names.push(text),
                    false => Some(g),
                }
                .unwrap_or(NONE)
            })
            .collect();
        correlation.extend(
            part.correlation
                .iter()
                .map(|&l| local_to_global.get(l as usize).copied().unwrap_or(NONE)),
        );
    }
    Built {
        correlation,
        names,
        cause,
    }
}

/// Texts end to end, one per event (an empty one is none).
#[derive(Default)]
struct Texts {
    text: String,
    ends: Vec<usize>,
}

impl Texts {
    /// Room for `n` texts of about `size` bytes.
    fn with_capacity(n: usize, size: usize) -> Self {
        Texts {
            text: String::with_capacity(n * size),
            ends: Vec::with_capacity(n),
        }
    }

    fn push(&mut self, t: Option<&str>) {
        self.text.push_str(t.unwrap_or_default());
        self.ends.push(self.text.len());
    }

    fn len(&self) -> usize {
        self.ends.len()
    }

    fn get(&self, i: usize) -> Option<&str> {
        let start = match i {
            0 => 0,
            _ => *self.ends.get(i - 1)?,
        };
        let end = *self.ends.get(i)?;
        self.text.get(start..end).filter(|t| !t.is_empty())
    }
}

/// What a range of events says of itself (pass 1).
#[derive(Default)]
struct Part {
    /// The position of its first event.
    start: usize,
    ids: Texts,
    /// Each event's id hash (0: no id).
    id_hash: Vec<u64>,
    causations: Texts,
    cause_hash: Vec<u64>,
    /// Each event's correlation, numbered within the part, or [`NONE`].
    correlation: Vec<u32>,
    /// The part's correlations, in order of first appearance, and their hashes.
    names: Texts,
    name_hash: Vec<u64>,
}

/// The hash of a text; never 0, which means "none".
fn hash(text: &str) -> u64 {
    FastHash::default().hash_one(text).max(1)
}

/// Reads the events in `range`.
fn read_part(log: &Log, rules: &Rules, range: Range<usize>) -> Part {
    // Room for what most logs hold (sizes are guesses: growing costs more than a spare).
    let n = range.len();
    let mut part = Part {
        start: range.start,
        ids: Texts::with_capacity(n, 16),
        id_hash: Vec::with_capacity(n),
        causations: Texts::with_capacity(n, 16),
        cause_hash: Vec::with_capacity(n),
        correlation: Vec::with_capacity(n),
        names: Texts::with_capacity(n / 4, 24),
        name_hash: Vec::with_capacity(n / 4),
    };
    let mut local = FirstOf::with_capacity(n / 2);
    for p in range {
        let found = read_event(log, rules, p, |f| {
            let text_hash = |t: &Option<Cow<'_, str>>| t.as_deref().map_or(0, hash);
            part.id_hash.push(text_hash(&f.id));
            part.ids.push(f.id.as_deref());
            part.cause_hash.push(text_hash(&f.causation));
            part.causations.push(f.causation.as_deref());
            let correlation = f.correlation.as_deref().map_or(NONE, |c| {
                let h = hash(c);
                let next = part.names.len() as u32;
                let (l, new) = local.insert(h, c, next, |l| part.names.get(l as usize));
                if new {
                    part.names.push(Some(c));
                    part.name_hash.push(h);
                }
                l
            });
            part.correlation.push(correlation);
        });
        if found.is_none() {
            part.ids.push(None);
            part.id_hash.push(0);
            part.causations.push(None);
            part.cause_hash.push(0);
            part.correlation.push(NONE);
        }
    }
    part
}

/// A hasher for keys that are hashes already.
#[derive(Default)]
struct Prehashed(u64);

impl Hasher for Prehashed {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = self.0.rotate_left(8) ^ u64::from(b);
        }
    }
    fn write_u64(&mut self, h: u64) {
        self.0 = h;
    }
}

/// The first number given with each text, found by the text's hash; the texts stay where
/// they are (`text_of` reads them), except those whose hash another text had first.
struct FirstOf {
    by_hash: HashMap<u64, u32, BuildHasherDefault<Prehashed>>,
    collided: HashMap<String, u32, FastHash>,
}

impl FirstOf {
    fn with_capacity(n: usize) -> Self {
        FirstOf {
            by_hash: HashMap::with_capacity_and_hasher(n, BuildHasherDefault::default()),
            collided: HashMap::default(),
        }
    }

    /// The number of `text` (whose hash is `h`): the one it was first given, else `value`
    /// (then `true`).
    fn insert<'t>(
        &mut self,
        h: u64,
        text: &str,
        value: u32,
        text_of: impl Fn(u32) -> Option<&'t str>,
    ) -> (u32, bool) {
        let first = *self.by_hash.entry(h).or_insert(value);
        if first == value {
            return (value, true);
        }
        if text_of(first) == Some(text) {
            return (first, false);
        }
        let kept = *self.collided.entry(text.to_string()).or_insert(value);
        (kept, kept == value)
    }

    /// The number `text` (whose hash is `h`) was first given.
    fn get<'t>(&self, h: u64, text: &str, text_of: impl Fn(u32) -> Option<&'t str>) -> Option<u32> {
        let first = *self.by_hash.get(&h)?;
        if text_of(first) == Some(text) {
            return Some(first);
        }
        self.collided.get(text).copied()
    }
}

/// How many threads to read `n` events on.
fn threads(n: usize) -> usize {
    #[cfg(not(target_arch = "wasm32"))]
    if n >= PARALLEL_MIN_EVENTS {
        return std::thread::available_parallelism().map_or(1, |t| t.get().min(8));
    }
    let _ = n;
    1
}

/// `task(0)` to `task(tasks - 1)`, on a thread each natively (on this one when no thread
/// can be had, and always in the browser).
fn parallel<R: Send>(tasks: usize, task: impl Fn(usize) -> R + Sync) -> Vec<R> {
    #[cfg(not(target_arch = "wasm32"))]
    if tasks > 1 {
        let task = &task;
        return std::thread::scope(|scope| {
            let spawned: Vec<_> = (0..tasks)
                .map(|t| {
                    std::thread::Builder::new()
                        .name("rewind-flows".into())
                        .spawn_scoped(scope, move || task(t))
                })
                .collect();
            spawned
                .into_iter()
                .enumerate()
                .map(|(t, spawned)| match spawned {
                    Ok(handle) => handle
                        .join()
                        .unwrap_or_else(|panic| std::panic::resume_unwind(panic)),
                    Err(_) => task(t),
                })
                .collect()
        });
    }
    (0..tasks).map(task).collect()
}

/// Calls `f` with what the event at `p` says of itself (`None` when there is no such
/// event). Its text is skimmed; a text the skim cannot read faithfully (a number only the
/// exact reader keeps, a lone surrogate) is parsed whole.
pub(super) fn read_event<R>(
    log: &Log,
    rules: &Rules,
    p: usize,
    f: impl FnOnce(Found<'_>) -> R,
) -> Option<R> {
    match &log.bodies {
        Bodies::Values(values) => match values.get(p)? {
            Value::Object(o) => Some(f(rules.read(o))),
            _ => Some(f(Found::default())),
        },
        bodies => {
            let line = bodies.text_of(p)?;
            if let Some(kept) = skim::skim(&line, rules) {
                return Some(f(rules.read(&kept)));
            }
            match crate::value::parse(&line) {
                Ok(Value::Object(o)) => Some(f(rules.read(&o))),
                _ => Some(f(Found::default())),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::FirstOf;

    /// Texts whose hashes collide keep their own numbers, and each is found again.
    #[test]
    fn colliding_hashes_never_mix_texts_up() {
        let texts = ["a", "b", "c"];
        let text_of = |v: u32| texts.get(v as usize).copied();
        let mut first = FirstOf::with_capacity(4);
        assert_eq!(first.insert(7, "a", 0, text_of), (0, true));
        assert_eq!(first.insert(7, "b", 1, text_of), (1, true));
        assert_eq!(first.insert(7, "a", 2, text_of), (0, false));
        assert_eq!(first.insert(7, "b", 2, text_of), (1, false));
        assert_eq!(first.insert(9, "c", 2, text_of), (2, true));
        assert_eq!(first.get(7, "a", text_of), Some(0));
        assert_eq!(first.get(7, "b", text_of), Some(1));
        assert_eq!(first.get(7, "c", text_of), None);
        assert_eq!(first.get(8, "a", text_of), None);
        assert_eq!(first.get(9, "c", text_of), Some(2));
    }
}
