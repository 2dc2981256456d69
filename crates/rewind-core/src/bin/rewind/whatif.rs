//! `--edits E` and `rewind whatif`: the log as edited (SPEC §8), and what the edits change
//! against the original.

use rewind_core::whatif::{Edit, Edits, WhatIf};
use rewind_core::{FlowIndex, Replay};

use crate::flow::FlowArgs;
use crate::model::{self, ModelArgs};
use crate::LogArgs;

/// Reads the edits file at `path`.
pub fn read(path: &str) -> Result<Edits, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("cannot read {path}: {e}"))?;
    Edits::parse(&text).map_err(|e| format!("{path}: {e}"))
}

/// `replay` with the edits in the file `path` applied; a skip-caused edit follows the
/// causation read with `flow`'s keys.
pub fn apply(replay: &Replay, path: &str, flow: &FlowArgs) -> Result<Replay, String> {
    let edits = read(path)?;
    let caused = edits
        .0
        .iter()
        .any(|e| matches!(e, Edit::SkipCaused { .. }))
        .then(|| {
            flow.checked_keys()
                .map(|k| FlowIndex::build(&replay.log, &k))
        })
        .transpose()?;
    replay
        .with_edits(&edits, &|p| {
            caused
                .as_ref()
                .map_or_else(Vec::new, |f| f.caused_transitively(p))
        })
        .map_err(|e| format!("{path}: {e}"))
}

/// `rewind whatif`: the original and the edited fold (or read model) compared at `at`.
pub fn run(log: &LogArgs, at: isize, model: &ModelArgs) -> Result<WhatIf, String> {
    let Some(path) = &log.edits else {
        return Err("give the edits to try with --edits E (a JSON array of {\"op\": \"skip\", \"at\": P} and the like)".into());
    };
    let original = model::apply(log.open_original()?, model)?;
    crate::check_position(&original, at)?;
    let edited = apply(&original, path, &log.flow)?;
    Ok(WhatIf::at(&original, &edited, at))
}
