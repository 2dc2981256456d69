//! The current event in one read model: which handler took it, which partition it went
//! to, what it changed (as the Diff region lists changes), and what went wrong or was
//! printed.

use rewind_core::diff::Change;
use rewind_core::Replay;

use super::messages::ModelStep;
use crate::messages::CHANGES_SHOWN;
use crate::session::change_row;

/// The event at `position` (folded already) in the model `replay` folds, given its
/// `changes`; `None` when `replay` is not a read model's.
pub(super) fn step(replay: &Replay, position: usize, changes: Vec<Change>) -> Option<ModelStep> {
    let timeline = replay.timeline.model()?;
    let note = timeline.note(position);
    Some(ModelStep {
        position,
        handler: timeline
            .handler_key(&replay.log, position)
            .map(str::to_string),
        partition: timeline.partition_of(position).map(str::to_string),
        changes_total: changes.len(),
        changes: changes.iter().take(CHANGES_SHOWN).map(change_row).collect(),
        error: note.and_then(|n| n.error.clone()),
        no_output: note.is_some_and(|n| n.no_output),
        messages: note.map(|n| n.messages.clone()).unwrap_or_default(),
    })
}
