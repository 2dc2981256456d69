//! The edited fold against the original: what the edits changed at a position, and the
//! first position where the two differ.

use serde::Serialize;

use crate::diff::{diff, diff_at, Change};
use crate::pointer::Pointer;
use crate::replay::Replay;
use crate::value::{Str, Value};

/// What `rewind whatif` prints: the RFC 6902 patch from the original state at a position to
/// the edited one, and the first position where the two folds differ.
#[derive(Clone, Debug, Serialize)]
pub struct WhatIf {
    /// From the original state to the edited one.
    pub patch: Value,
    /// The first position whose states differ, or `None` when the edits change nothing.
    pub first_difference: Option<usize>,
}

impl WhatIf {
    /// Compares `edited` (`original` with edits) with `original` at `at`.
    pub fn at(original: &Replay, edited: &Replay, at: isize) -> WhatIf {
        WhatIf {
            patch: crate::diff::json_patch(&patch_at(original, edited, at)),
            first_difference: first_difference(original, edited),
        }
    }
}

/// The top-level keys where the states can differ after the edited events `positions`:
/// the keys those events name in either fold (the streams of the column timeline, the
/// partitions of a partitioned read model); `None` when they may differ anywhere.
fn reach(original: &Replay, edited: &Replay, positions: &[usize]) -> Option<Vec<Str>> {
    let mut keys = Vec::new();
    match (original.timeline.model(), edited.timeline.model()) {
        (Some(a), Some(b)) => {
            // A model without partitions has one state, which any event can change.
            a.model().partition.as_ref()?;
            for &p in positions {
                keys.extend(
                    [a.partition_of(p), b.partition_of(p)]
                        .into_iter()
                        .flatten()
                        .map(Str::from),
                );
            }
        }
        _ => {
            for &p in positions {
                keys.extend(original.log.touched_keys(p)?);
                keys.extend(edited.log.touched_keys(p)?);
            }
        }
    }
    keys.sort();
    keys.dedup();
    Some(keys)
}

/// The changes from the original state at `at` to the edited one, reading only the
/// top-level keys the edits up to `at` can reach where that is known.
pub fn patch_at(original: &Replay, edited: &Replay, at: isize) -> Vec<Change> {
    let positions: Vec<usize> = edited_positions(edited)
        .into_iter()
        .filter(|&p| p as isize <= at)
        .collect();
    if positions.is_empty() {
        return Vec::new();
    }
    match reach(original, edited, &positions) {
        Some(keys) => {
            let mut out = Vec::new();
            for k in keys {
                let pointer = Pointer::root().child(&k);
                let a = original.get(at, &pointer);
                let b = edited.get(at, &pointer);
                diff_at(a.as_ref(), b.as_ref(), &pointer, &mut out);
            }
            out
        }
        None => diff(&original.state_at(at), &edited.state_at(at)),
    }
}

/// The first position where the edited fold's state differs from the original's.
///
/// The two folds read the same events before the first edit, and a fold is deterministic,
/// so two states equal before an unedited event are equal after it: the first difference
/// is at an edited event, and only those are compared.
pub fn first_difference(original: &Replay, edited: &Replay) -> Option<usize> {
    edited_positions(edited).into_iter().find(|&p| {
        let at = p as isize;
        match reach(original, edited, &[p]) {
            Some(keys) => keys.iter().any(|k| {
                let pointer = Pointer::root().child(k);
                original.get(at, &pointer) != edited.get(at, &pointer)
            }),
            None => original.state_at(at) != edited.state_at(at),
        }
    })
}

/// The positions the edits of `edited` changed, ascending.
fn edited_positions(edited: &Replay) -> Vec<usize> {
    edited
        .log
        .overlay()
        .map(|o| o.positions())
        .unwrap_or_default()
}
