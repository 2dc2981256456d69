//! Causes, effects and flows (SPEC §9): which event caused which, across streams, and which
//! events belong to one flow.
//!
//! Systems that write events record two things beside each one: its **correlation** (the
//! flow it belongs to: one order, one conversation, one trace) and its **causation** (the
//! id of the event that caused it). Rewind reads them from the conventions of those systems
//! (`$correlationId` / `$causationId` and their spellings, NServiceBus headers,
//! `traceparent`), in the event's metadata and at its top level, or from the keys a person
//! names ([`FlowKeys`]). [`FlowIndex`] then answers, for any event, what caused it, what it
//! caused, and which events share its flow, in a few bytes per event.
//!
//! Correlation and causation values are only ever compared as text: nothing in them is
//! run, followed outside the log, or trusted to be acyclic.

mod build;
mod index;
pub(crate) mod keys;
mod skim;
mod tree;

#[cfg(test)]
mod tests;

use serde::{Deserialize, Serialize};

pub use index::FlowIndex;

/// Which keys name an event's correlation and causation; `None` means the conventions
/// (see [`FlowKeys::describe`]). A key may be a dotted path (`context.conversation`) and
/// matches whatever the case of its letters, in the event's metadata and at its top level.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FlowKeys {
    /// The key of the correlation (the flow an event belongs to).
    pub correlation: Option<String>,
    /// The key of the causation (the id of the event that caused it).
    pub causation: Option<String>,
}

impl FlowKeys {
    /// What is looked for, in words, for a message to a person who found nothing:
    /// `"$correlationId, …" for the correlation and "…" for the causation`.
    pub fn describe(&self) -> String {
        let named = |key: &Option<String>, conventions: &[&str]| match key {
            Some(k) => k.clone(),
            None => conventions.join(", "),
        };
        format!(
            "{} for the correlation and {} for the causation",
            named(&self.correlation, &keys::CORRELATION_SPELLINGS),
            named(&self.causation, &keys::CAUSATION_SPELLINGS),
        )
    }
}

/// One row of a causation tree ([`FlowIndex::tree`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct TreeRow {
    /// The event's position.
    pub position: usize,
    /// How many causes above it in the tree (roots are 0).
    pub depth: usize,
    /// This row closes a causation cycle: the event is already shown above it, and its
    /// effects are not listed again.
    pub cycle: bool,
}

/// What `rewind flow` prints of one event: its id, correlation and causation, the event
/// that caused it, the events it caused and the events of its flow.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct FlowReport {
    /// The event's position.
    pub position: usize,
    /// Its id, as the log reads it.
    pub id: Option<String>,
    /// The flow it belongs to.
    pub correlation: Option<String>,
    /// The id its causation names, as written.
    pub causation: Option<String>,
    /// The position of the event its causation names (the first with that id).
    pub caused_by: Option<usize>,
    /// The events whose causation names it, in log order.
    pub causes: Vec<usize>,
    /// The events sharing its correlation, in log order (itself included; empty when it
    /// has no correlation).
    pub flow: Vec<usize>,
    /// Its causation names an id that no event of the log has.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub cause_missing: bool,
    /// Following its causes back comes round to an event already met: the causation links
    /// form a cycle, which is reported and never followed round again.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub cycle: bool,
}
