//! What-if replay (SPEC §8): the log with events skipped or replaced, folded again from
//! the earliest edit only, and compared with the original at any position.
//!
//! Edits keep positions: a skipped event stays in the log and changes nothing; a replaced
//! one keeps its stream, time and id. The edited log ([`Log::with_edits`]) shares the
//! original's text; its timeline ([`Timeline::refold_edited`]) is folded again only where
//! the edits reach.
//!
//! [`Timeline::refold_edited`]: crate::timeline::Timeline::refold_edited

mod compare;
mod edits;
pub(crate) mod overlay;

use std::sync::Arc;

pub use compare::{first_difference, patch_at, WhatIf};
pub use edits::{Edit, EditError, Edits};
pub use overlay::Overlay;

use crate::log::Log;
use crate::replay::Replay;

impl Replay {
    /// This replay with `edits` applied, folded again where they reach; `caused(p)` gives
    /// the events event `p` caused, transitively (for skip-caused edits).
    pub fn with_edits(
        &self,
        edits: &Edits,
        caused: &dyn Fn(usize) -> Vec<usize>,
    ) -> Result<Replay, EditError> {
        let log: Log = self.log.with_edits(edits, caused)?;
        let timeline = self.timeline.refold_edited(&log);
        Ok(Replay {
            log: Arc::new(log),
            timeline,
        })
    }

    /// The events as edited, as NDJSON: each event as the log has it, a replaced one as
    /// its new body; skipped events are left out (they change nothing). Positions in the
    /// exported log therefore shift after a skipped event; the edits file exported beside
    /// it keeps the original positions.
    pub fn edited_ndjson(&self) -> String {
        let mut out = String::new();
        for p in 0..self.len() {
            if self.log.is_skipped_by_edit(p) {
                continue;
            }
            self.push_event_line(p, &mut out);
        }
        out
    }
}
