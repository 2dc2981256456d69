//! What is read of one read model's fold, with the state before the first event taken
//! from the same model unfolded.
//!
//! The core's fold without partitions (`model/global.rs`) does not return when asked for
//! position -1 once it has folded an event: its replay loop runs from 0 to `-1 as usize`.
//! So the state at -1 is read from the model with nothing folded, the first event's
//! changes are diffed here, and a field's history steps through the events here too.
//! (Once the core is fixed, [`Model::at`] can hand every position to the fold.)

use rewind_core::diff::{diff, Change, Op};
use rewind_core::pointer::Pointer;
use rewind_core::{Replay, Value};

use super::Model;
use crate::messages::{History, HistoryRow, HISTORY_SHOWN};
use crate::session::short;

impl Model {
    /// The replay and position to read for the state at `position`, clamped to the events
    /// folded so far.
    pub(super) fn at(&self, position: isize) -> (&Replay, isize) {
        match self.clamp(position) {
            p if p < 0 && self.global => (&self.before, -1),
            p => (&self.replay, p),
        }
    }

    /// The whole state at `position` (clamped to what is folded).
    pub(super) fn state_at(&self, position: isize) -> Value {
        let (replay, at) = self.at(position);
        replay.state_at(at)
    }

    /// What the event at `position` (folded) changed in the model.
    pub(super) fn event_diff(&self, position: usize) -> Vec<Change> {
        if position > 0 || !self.global {
            return self.replay.event_diff(position);
        }
        let Some(t) = self.timeline() else {
            return Vec::new();
        };
        let failed = t.note(0).is_some_and(|n| n.error.is_some());
        if failed || t.handler_key(&self.replay.log, 0).is_none() {
            return Vec::new();
        }
        diff(&self.before.state_at(-1), &self.replay.state_at(0))
    }

    /// Every event folded so far that changed the field at `pointer`, as the History
    /// region lists them.
    pub(super) fn history(&self, pointer: &str) -> History {
        if !self.global {
            return crate::session::history(&self.replay, pointer);
        }
        let mut rows = Vec::new();
        let mut total = 0;
        if let Ok(ptr) = Pointer::parse(pointer) {
            let mut before = self.before.get(-1, &ptr);
            let mut cursor = self.replay.cursor();
            for position in 0..self.folded() {
                self.replay.seek(&mut cursor, position as isize);
                let after = ptr.get(cursor.state()).cloned();
                let op = match (&before, &after) {
                    (Some(a), Some(b)) if a == b => None,
                    (None, None) => None,
                    (None, Some(_)) => Some(Op::Add),
                    (Some(_), None) => Some(Op::Remove),
                    (Some(_), Some(_)) => Some(Op::Replace),
                };
                if let Some(op) = op {
                    total += 1;
                    if rows.len() < HISTORY_SHOWN {
                        let text = |v: &Option<Value>| v.as_ref().map_or_else(|| "—".into(), short);
                        rows.push(HistoryRow {
                            position,
                            kind: self.replay.log.type_name(position).to_string(),
                            op,
                            old: text(&before),
                            new: text(&after),
                        });
                    }
                }
                before = after;
            }
        }
        History {
            pointer: pointer.to_string(),
            total,
            rows,
        }
    }
}
