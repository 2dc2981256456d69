//! `--edits E` and `rewind whatif`: the log as edited (SPEC §8), and what the edits change
//! against the original.

use rewind_core::whatif::{Edits, WhatIf};
use rewind_core::Replay;

use crate::model::{self, ModelArgs};
use crate::LogArgs;

/// Reads the edits file at `path`.
pub fn read(path: &str) -> Result<Edits, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("cannot read {path}: {e}"))?;
    Edits::parse(&text).map_err(|e| format!("{path}: {e}"))
}

/// `replay` with the edits in the file `path` applied.
pub fn apply(replay: &Replay, path: &str) -> Result<Replay, String> {
    let edits = read(path)?;
    replay
        .with_edits(&edits, &|_| Vec::new())
        .map_err(|e| format!("{path}: {e}"))
}

/// `rewind whatif`: the original and the edited fold (or read model) compared at `at`.
pub fn run(log: &LogArgs, at: isize, model: &ModelArgs) -> Result<WhatIf, String> {
    let Some(path) = &log.edits else {
        return Err("give the edits to try with --edits E (a JSON array of {\"op\": \"skip\", \"at\": P} and the like)".into());
    };
    let original = model::apply(log.open_original()?, model)?;
    crate::check_position(&original, at)?;
    let edited = apply(&original, path)?;
    Ok(WhatIf::at(&original, &edited, at))
}
