//! Walking causes: everything an event caused, however indirectly, and the causation tree
//! of its flow. Every walk keeps the events it met, so a causation cycle is reported once
//! and never followed round again.

use std::collections::HashSet;

use crate::value::FastHash;

use super::index::{FlowIndex, NONE};
use super::TreeRow;

impl FlowIndex {
    /// The events the event at `p` caused, the events those caused, and so on, ascending;
    /// `p` itself is left out even when a cycle leads back to it.
    pub fn caused_transitively(&self, p: usize) -> Vec<usize> {
        let mut seen: HashSet<u32, FastHash> = HashSet::default();
        let mut to_visit: Vec<u32> = self.causes(p).to_vec();
        let mut out = Vec::new();
        while let Some(q) = to_visit.pop() {
            if q as usize == p || !seen.insert(q) {
                continue;
            }
            out.push(q as usize);
            to_visit.extend_from_slice(self.causes(q as usize));
        }
        out.sort_unstable();
        out
    }

    /// The causation tree of the flow of the event at `p` (or, when it has no correlation,
    /// of the chain of causes and effects through it), at most `limit` rows: its roots
    /// (events whose cause is not in it) in log order, each followed depth-first by its
    /// effects in log order. Events that only a cycle leads to come last, from an event of
    /// the cycle; the row that comes back round is marked [`TreeRow::cycle`] and not
    /// followed.
    pub fn tree(&self, p: usize, limit: usize) -> Vec<TreeRow> {
        let mut rows = Vec::new();
        let Some(&c) = self.correlation.get(p) else {
            return rows;
        };
        let chain = match c {
            NONE => self.chain(p),
            _ => Vec::new(),
        };
        let members: &[u32] = match c {
            NONE => &chain,
            _ => self.flow(p),
        };
        let inside = |q: usize| match c {
            NONE => chain.binary_search(&(q as u32)).is_ok(),
            _ => self.correlation.get(q) == Some(&c),
        };
        let is_root = |q: u32| {
            self.caused_by(q as usize)
                .is_none_or(|cause| !inside(cause))
        };
        let mut seen: HashSet<u32, FastHash> = HashSet::default();
        let roots = members.iter().copied().filter(|&q| is_root(q));
        for root in roots {
            if rows.len() >= limit {
                return rows;
            }
            self.walk(root, &inside, &mut seen, &mut rows, limit);
        }
        // What is left hangs from a cycle: start from the cycle itself.
        for &q in members {
            if rows.len() >= limit {
                break;
            }
            if !seen.contains(&q) {
                let start = self.on_cycle(q, &inside);
                self.walk(start, &inside, &mut seen, &mut rows, limit);
            }
        }
        rows
    }

    /// The events of the chain through `p`: its causes back to the first (or round a
    /// cycle), itself, and everything it caused; ascending.
    fn chain(&self, p: usize) -> Vec<u32> {
        let mut out: Vec<u32> = self
            .caused_transitively(p)
            .into_iter()
            .map(|q| q as u32)
            .collect();
        out.push(p as u32);
        let mut met: HashSet<usize, FastHash> = HashSet::default();
        met.insert(p);
        let mut q = p;
        while let Some(cause) = self.caused_by(q) {
            if !met.insert(cause) {
                break;
            }
            out.push(cause as u32);
            q = cause;
        }
        out.sort_unstable();
        out.dedup();
        out
    }

    /// An event of the cycle that following causes back from `q` (inside the tree's
    /// events) comes round to.
    fn on_cycle(&self, q: u32, inside: &impl Fn(usize) -> bool) -> u32 {
        let mut met: HashSet<u32, FastHash> = HashSet::default();
        let mut at = q;
        while met.insert(at) {
            match self.caused_by(at as usize) {
                Some(cause) if inside(cause) => at = cause as u32,
                _ => return at,
            }
        }
        at
    }

    /// Adds the rows of `start` and what it caused (inside the tree's events), depth-first.
    fn walk(
        &self,
        start: u32,
        inside: &impl Fn(usize) -> bool,
        seen: &mut HashSet<u32, FastHash>,
        rows: &mut Vec<TreeRow>,
        limit: usize,
    ) {
        let mut to_visit = vec![(start, 0usize)];
        while let Some((q, depth)) = to_visit.pop() {
            if rows.len() >= limit {
                return;
            }
            let first_time = seen.insert(q);
            rows.push(TreeRow {
                position: q as usize,
                depth,
                cycle: !first_time,
            });
            if first_time {
                let effects = self.causes(q as usize).iter().rev();
                to_visit.extend(
                    effects
                        .filter(|&&e| inside(e as usize))
                        .map(|&e| (e, depth + 1)),
                );
            }
        }
    }
}
