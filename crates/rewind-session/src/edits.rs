//! What-if edits as the page holds them ([`EditList`]): what the person pressed (Skip this
//! event, Edit event, Skip with its effects), sent with every view, so that the worker that
//! folds the log and the one that folds the read models apply the same edits. Turned into
//! the core's [`Edits`] here, where a replaced event's text is read, with its line and
//! column when it is not JSON.

use rewind_core::whatif::{Edit, Edits};
use serde::{Deserialize, Serialize};

use crate::models::ModelProblem;

/// Edited positions listed for the timeline's marks at most.
pub const MARKS_SHOWN: usize = 5000;

/// One edit the person made.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum EditEntry {
    /// **Skip this event**.
    Skip(u32),
    /// **Skip with its effects**: the event and every event it caused.
    SkipCaused(u32),
    /// **Edit event**: the text of the editor, `{"type": T, "data": D}`.
    Replace(u32, String),
}

impl EditEntry {
    /// The position it edits.
    pub fn at(&self) -> u32 {
        match self {
            EditEntry::Skip(p) | EditEntry::SkipCaused(p) | EditEntry::Replace(p, _) => *p,
        }
    }
}

/// The edits the person made, in the order made.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct EditList(pub Vec<EditEntry>);

impl EditList {
    /// No edit.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Whether the event at `at` is skipped (by itself or with its effects).
    pub fn skips(&self, at: u32) -> bool {
        self.0
            .iter()
            .any(|e| matches!(e, EditEntry::Skip(p) | EditEntry::SkipCaused(p) if *p == at))
    }

    /// Whether the event at `at` is replaced.
    pub fn replaces(&self, at: u32) -> bool {
        self.0
            .iter()
            .any(|e| matches!(e, EditEntry::Replace(p, _) if *p == at))
    }

    /// Skips the event at `at`, or stops skipping it (with its effects too).
    pub fn toggle_skip(&mut self, at: u32) {
        if self.skips(at) {
            self.0.retain(
                |e| !matches!(e, EditEntry::Skip(p) | EditEntry::SkipCaused(p) if *p == at),
            );
        } else {
            self.0.push(EditEntry::Skip(at));
        }
    }

    /// Skips the event at `at` and everything it caused, or stops.
    pub fn toggle_skip_caused(&mut self, at: u32) {
        let had = self
            .0
            .iter()
            .any(|e| matches!(e, EditEntry::SkipCaused(p) if *p == at));
        self.0
            .retain(|e| !matches!(e, EditEntry::Skip(p) | EditEntry::SkipCaused(p) if *p == at));
        if !had {
            self.0.push(EditEntry::SkipCaused(at));
        }
    }

    /// Replaces the event at `at` with the editor's `text` (an earlier replacement of it
    /// is dropped).
    pub fn replace(&mut self, at: u32, text: String) {
        self.unreplace(at);
        self.0.push(EditEntry::Replace(at, text));
    }

    /// Gives the event at `at` back its own type and data.
    pub fn unreplace(&mut self, at: u32) {
        self.0
            .retain(|e| !matches!(e, EditEntry::Replace(p, _) if *p == at));
    }

    /// The core's edits; the first replacement whose text cannot be read, with where.
    pub fn to_edits(&self) -> Result<Edits, (u32, ModelProblem)> {
        let mut out = Vec::with_capacity(self.0.len());
        for e in &self.0 {
            out.push(match e {
                EditEntry::Skip(p) => Edit::Skip { at: *p as usize },
                EditEntry::SkipCaused(p) => Edit::SkipCaused { at: *p as usize },
                EditEntry::Replace(p, text) => replacement(*p, text).map_err(|e| (*p, e))?,
            });
        }
        Ok(Edits(out))
    }
}

/// The replace edit the editor's `text` asks for at `at`; what is wrong with it, placed
/// at its line and column when the text is not JSON.
pub fn replacement(at: u32, text: &str) -> Result<Edit, ModelProblem> {
    let wrapped = format!("[{{\"op\": \"replace\", \"at\": {at}, \"event\": \n{text}\n}}]");
    let parsed = rewind_core::value::parse(wrapped.as_bytes()).map_err(|e| {
        // The text starts on the wrapper's second line.
        let line = e.line().saturating_sub(1).max(1);
        let message = e.to_string();
        let message = message
            .rfind(" at line ")
            .map_or(message.as_str(), |i| &message[..i])
            .to_string();
        ModelProblem {
            line: Some(line),
            column: Some(e.column().max(1)),
            message: format!("not valid JSON: {message}"),
        }
    })?;
    let edits = Edits::from_value(&parsed).map_err(|e| ModelProblem {
        line: None,
        column: None,
        message: e.to_string().trim_start_matches("edit 1: ").to_string(),
    })?;
    edits.0.into_iter().next().ok_or_else(|| ModelProblem {
        line: None,
        column: None,
        message: "nothing to replace".into(),
    })
}

/// What the page is told of the edits, whenever they change.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct EditsInfo {
    /// The edits these figures are for.
    pub list: EditList,
    /// Events the edits change (a skip-caused edit's effects included).
    pub changed: usize,
    /// The first [`MARKS_SHOWN`] of their positions, for the timeline's marks.
    pub marks: Vec<u32>,
    /// The first position where the edited log's state differs from the original's.
    pub first_difference: Option<usize>,
    /// Why the edits could not be applied (the log is then shown as it is).
    pub problem: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn skips_toggle_and_replacements_replace() {
        let mut list = EditList::default();
        list.toggle_skip(3);
        assert!(list.skips(3));
        list.toggle_skip(3);
        assert!(list.is_empty());
        list.toggle_skip_caused(4);
        assert!(list.skips(4));
        list.toggle_skip(4);
        assert!(
            !list.skips(4),
            "a skip with effects is undone by Skip this event too"
        );
        list.replace(2, "{\"type\": \"A\"}".into());
        list.replace(2, "{\"type\": \"B\"}".into());
        assert_eq!(
            list.0,
            vec![EditEntry::Replace(2, "{\"type\": \"B\"}".into())]
        );
        let edits = list.to_edits().expect("readable");
        assert_eq!(
            edits.0,
            vec![Edit::Replace {
                at: 2,
                kind: Some("B".into()),
                data: None
            }]
        );
    }

    #[test]
    fn a_replacement_that_is_not_json_is_placed_at_its_line() {
        let problem = replacement(7, "{\n  \"type\": \"A\",\n  \"data\": {\"x\": }\n}")
            .expect_err("not JSON");
        assert_eq!(problem.line, Some(3));
        assert!(problem.message.starts_with("not valid JSON"), "{problem}");
        let problem = replacement(7, "{\"stream\": \"s\"}").expect_err("not a replacement");
        assert_eq!(problem.line, None);
        assert!(
            problem.message.contains("\"type\" and \"data\" only"),
            "{problem}"
        );
    }
}
