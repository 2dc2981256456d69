//! [`FlowIndex`]: every event's correlation and cause, the events each one caused and the
//! events of each flow, in about 20 bytes per event.
//!
//! Building it ([`super::build`]) reads each event once: from its text, only the members
//! that can name its id, correlation or causation ([`super::skim`]). Ids are matched to
//! causations through tables that live only while building; what stays is a few `u32` per
//! event and the text of each correlation (see [`FlowIndex`]'s fields).

use std::borrow::Cow;

use crate::log::Log;

use super::build::{self, read_event};
use super::keys::Rules;
use super::{FlowKeys, FlowReport};

pub(super) use super::build::{MISSING, NONE};

/// Causes, effects and flows of a log's events (SPEC §9). Build it once per log (and per
/// [`FlowKeys`]); every question then costs a lookup or a binary search.
#[derive(Clone, Debug)]
pub struct FlowIndex {
    rules: Rules,
    /// Each event's correlation: where it starts in `names`, or [`NONE`].
    pub(super) correlation: Vec<u32>,
    /// Each event's cause: a position, [`NONE`] or [`MISSING`].
    pub(super) cause: Vec<u32>,
    /// The events that have a cause in the log, ordered by (cause, position): the effects
    /// of one event are a run of it, found by binary search.
    effects: Vec<u32>,
    /// The events that have a correlation, ordered by (correlation, position).
    flows: Vec<u32>,
    /// The correlations, each as its length (LEB128) and its UTF-8 text, in order of first
    /// appearance: an event's correlation is where its correlation starts in here, so the
    /// flows, ordered by correlation, are in order of first appearance too.
    names: Vec<u8>,
    /// One bit per event: following its causes back comes round to an event already met.
    cyclic: Vec<u64>,
    /// Some event has a correlation or a causation.
    any: bool,
}

impl FlowIndex {
    /// Reads every event of `log` for its id, correlation and causation (named by `keys`,
    /// else by the conventions) and links each causation to the first event with that id.
    pub fn build(log: &Log, keys: &FlowKeys) -> FlowIndex {
        let rules = Rules::new(log.keys(), keys);
        // Positions are `u32`, two values of which say "none" and "missing".
        let n = log.len().min(MISSING as usize);
        let built = build::build(log, &rules, n);
        let any =
            built.correlation.iter().any(|&c| c != NONE) || built.cause.iter().any(|&c| c != NONE);
        let effects = group(&built.cause, n);
        let flows = group(&built.correlation, built.names.starts.len());
        let cyclic = cycles(&built.cause);
        // An event keeps where its correlation starts in the names: numbered in order of
        // first appearance, they start in that order too, so the flows stay ordered.
        let starts = &built.names.starts;
        let correlation: Vec<u32> = built
            .correlation
            .iter()
            .map(|&c| starts.get(c as usize).copied().unwrap_or(NONE))
            .collect();
        let mut names = built.names.bytes;
        names.shrink_to_fit();
        FlowIndex {
            rules,
            correlation,
            cause: built.cause,
            effects,
            flows,
            names,
            cyclic,
            any,
        }
    }

    /// Whether any of the events at `positions` names a correlation or a causation (with
    /// `keys`, else by the conventions): a quick look at a few events, to know whether a
    /// log uses flows at all before indexing all of it.
    pub fn any_named(
        log: &Log,
        keys: &FlowKeys,
        positions: impl IntoIterator<Item = usize>,
    ) -> bool {
        let rules = Rules::new(log.keys(), keys);
        positions.into_iter().any(|p| {
            read_event(log, &rules, p, |f| {
                f.correlation.is_some() || f.causation.is_some()
            })
            .unwrap_or(false)
        })
    }

    /// Number of events indexed.
    pub fn len(&self) -> usize {
        self.correlation.len()
    }

    /// True when no event is indexed.
    pub fn is_empty(&self) -> bool {
        self.correlation.is_empty()
    }

    /// Some event has a correlation or a causation (when none has, the log does not use
    /// the keys looked for: [`FlowKeys::describe`] says which they were).
    pub fn has_any(&self) -> bool {
        self.any
    }

    /// The keys this index was built with.
    pub fn keys(&self) -> &FlowKeys {
        self.rules.keys()
    }

    /// The correlation of the event at `p`.
    pub fn correlation(&self, p: usize) -> Option<&str> {
        match *self.correlation.get(p)? {
            NONE => None,
            at => build::name_at(&self.names, at),
        }
    }

    /// The causation of the event at `p`, as written (the id of its cause). It is read
    /// again from the event: the index keeps where it leads, not its text.
    pub fn causation(&self, log: &Log, p: usize) -> Option<String> {
        read_event(log, &self.rules, p, |f| f.causation.map(Cow::into_owned))?
    }

    /// The id of the event at `p`, as the log reads it ([`crate::Event::id`]).
    pub fn id(&self, log: &Log, p: usize) -> Option<String> {
        read_event(log, &self.rules, p, |f| f.id.map(Cow::into_owned))?
    }

    /// The position of the event that caused the event at `p`: the first event whose id
    /// its causation names.
    pub fn caused_by(&self, p: usize) -> Option<usize> {
        let c = *self.cause.get(p)?;
        (c < MISSING).then_some(c as usize)
    }

    /// The event at `p` has a causation that names an id no event of the log has.
    pub fn cause_missing(&self, p: usize) -> bool {
        self.cause.get(p) == Some(&MISSING)
    }

    /// Following causes back from the event at `p` comes round to an event already met.
    pub fn cycle(&self, p: usize) -> bool {
        p < self.len() && self.cyclic[p / 64] & (1 << (p % 64)) != 0
    }

    /// The events the event at `p` caused (whose causation names it), ascending.
    pub fn causes(&self, p: usize) -> &[u32] {
        let Ok(p) = u32::try_from(p) else {
            return &[];
        };
        run_of(&self.effects, |e| self.cause[e as usize], p)
    }

    /// The events sharing the correlation of the event at `p`, ascending (itself
    /// included); empty when it has none.
    pub fn flow(&self, p: usize) -> &[u32] {
        match self.correlation.get(p) {
            Some(&c) if c != NONE => run_of(&self.flows, |f| self.correlation[f as usize], c),
            _ => &[],
        }
    }

    /// What `rewind flow` prints of the event at `p` (all empty when there is no such
    /// event).
    pub fn report(&self, log: &Log, p: usize) -> FlowReport {
        let (id, causation) = read_event(log, &self.rules, p, |f| {
            (f.id.map(Cow::into_owned), f.causation.map(Cow::into_owned))
        })
        .unwrap_or_default();
        let positions = |ps: &[u32]| ps.iter().map(|&q| q as usize).collect();
        FlowReport {
            position: p,
            id,
            correlation: self.correlation(p).map(str::to_string),
            causation,
            caused_by: self.caused_by(p),
            causes: positions(self.causes(p)),
            flow: positions(self.flow(p)),
            cause_missing: self.cause_missing(p),
            cycle: self.cycle(p),
        }
    }

    /// The memory the index holds, in bytes.
    pub fn bytes(&self) -> usize {
        let u32s = self.correlation.capacity()
            + self.cause.capacity()
            + self.effects.capacity()
            + self.flows.capacity();
        std::mem::size_of::<Self>() + u32s * 4 + self.names.capacity() + self.cyclic.capacity() * 8
    }
}

/// The run of `sorted` (ascending by `key`) whose key is `k`.
fn run_of(sorted: &[u32], key: impl Fn(u32) -> u32, k: u32) -> &[u32] {
    let start = sorted.partition_point(|&x| key(x) < k);
    let len = sorted[start..].partition_point(|&x| key(x) == k);
    &sorted[start..start + len]
}

/// The positions whose `of` is below `groups`, ordered by (`of`, position): a counting
/// sort, so that each group is a run in position order.
fn group(of: &[u32], groups: usize) -> Vec<u32> {
    let mut starts = vec![0u32; groups + 1];
    for &g in of.iter().filter(|&&g| (g as usize) < groups) {
        starts[g as usize + 1] += 1;
    }
    for i in 1..starts.len() {
        starts[i] += starts[i - 1];
    }
    let mut out = vec![0u32; starts[groups] as usize];
    for (p, &g) in of.iter().enumerate() {
        if let Some(next) = starts.get_mut(g as usize).filter(|_| (g as usize) < groups) {
            out[*next as usize] = p as u32;
            *next += 1;
        }
    }
    out
}

/// One bit per event: following causes back from it comes round to an event already met.
/// Each event has at most one cause, so every walk back either ends or enters a cycle;
/// each event is walked once.
fn cycles(cause: &[u32]) -> Vec<u64> {
    const NEW: u8 = 0;
    const ON_PATH: u8 = 1;
    let n = cause.len();
    let mut bits = vec![0u64; n.div_ceil(64)];
    let mut state = vec![NEW; n];
    let mut path = Vec::new();
    for start in 0..n {
        if state[start] != NEW {
            continue;
        }
        let mut q = start;
        let cyclic = loop {
            state[q] = ON_PATH;
            path.push(q);
            let c = cause[q] as usize;
            if c >= n {
                break false;
            }
            match state[c] {
                NEW => q = c,
                ON_PATH => break true,
                _ => break bits[c / 64] & (1 << (c % 64)) != 0,
            }
        };
        for q in path.drain(..) {
            state[q] = 2;
            if cyclic {
                bits[q / 64] |= 1 << (q % 64);
            }
        }
    }
    bits
}
