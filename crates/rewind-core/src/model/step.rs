//! One event through a read model: which handler takes it, which partition it goes to,
//! and what the handler made of the state.

use std::sync::Arc;

use crate::log::Log;
use crate::model::event::event_value_with;
use crate::model::spec::{Partition, ReadModel};
use crate::value::Interner;
use crate::value::{Str, Value};

/// What happened to one event in a read model, when there is anything to say: it failed,
/// it left the state unchanged for want of output, or it printed `debug` messages.
#[derive(Clone, Debug, Default, PartialEq, serde::Serialize)]
pub struct Note {
    /// The key of the handler that ran.
    pub handler: String,
    /// jq's error: the event failed for this read model, and changed nothing.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    /// The handler gave no output, so the state was left as it was.
    pub no_output: bool,
    /// What `debug` and `stderr` printed.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub messages: Vec<String>,
}

impl Note {
    /// The failure as one line, naming the handler.
    pub fn failure(&self) -> Option<String> {
        self.error
            .as_ref()
            .map(|e| format!("handler {:?}: {e}", self.handler))
    }
}

/// No handler for a type.
const NONE: u32 = u32::MAX;

/// Runs events through a read model's handlers.
#[derive(Clone, Debug)]
pub(crate) struct Stepper {
    pub(crate) model: Arc<ReadModel>,
    /// Handler index for each of the log's type ids ([`NONE`]: no handler), extended as
    /// the log gains types.
    dispatch: Vec<u32>,
    /// Key strings shared by every event read (and so by the model's states).
    interner: Shared,
}

/// An [`Interner`] that clones of a stepper share (reads take it for one event).
#[derive(Clone, Default)]
struct Shared(Arc<std::sync::Mutex<Interner>>);

impl std::fmt::Debug for Shared {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Interner")
    }
}

/// What a handler did to one event's state.
pub(crate) struct Outcome {
    /// The new state, or `None` when it is unchanged (no output, or an error).
    pub(crate) state: Option<Value>,
    /// Anything worth telling about the event.
    pub(crate) note: Option<Note>,
}

impl Stepper {
    pub(crate) fn new(model: Arc<ReadModel>) -> Self {
        Stepper {
            model,
            dispatch: Vec::new(),
            interner: Shared::default(),
        }
    }

    /// Notes the handler of every type `log` has so far, so that finding an event's
    /// handler is a table lookup.
    pub(crate) fn learn_types(&mut self, log: &Log) {
        while self.dispatch.len() < log.types.len() {
            let name = &log.types[self.dispatch.len()];
            let h = self.model.handler_for(name).map_or(NONE, |h| h as u32);
            self.dispatch.push(h);
        }
    }

    /// The handler index for the event at `position`, if its type has one.
    pub(crate) fn handler(&self, log: &Log, position: usize) -> Option<usize> {
        if log.is_skipped_by_edit(position) {
            return None;
        }
        let kind = log.events.kind(position)? as usize;
        match self.dispatch.get(kind) {
            Some(&NONE) => None,
            Some(&h) => Some(h as usize),
            None => self.model.handler_for(log.types.get(kind)?),
        }
    }

    /// Reads the event at `position` as `$e`, and its partition key when the model is
    /// partitioned (`Err` with a note when the partition expression fails; `Ok(None)`
    /// for an event in no partition).
    pub(crate) fn event(&self, log: &Log, position: usize) -> (Value, Result<Option<Str>, Note>) {
        let event = match self.interner.0.lock() {
            Ok(mut interner) => event_value_with(log, position, &mut interner, self.model.needs),
            Err(_) => event_value_with(log, position, &mut Interner::default(), self.model.needs),
        };
        let key = match &self.model.partition {
            None => Ok(None),
            Some(Partition::Stream) => Ok(log.stream_name(position).map(Str::from)),
            Some(Partition::Expr(program)) => {
                let run = program.run(event.clone(), &event);
                match run.output {
                    Ok(Some(Value::String(s))) => Ok(Some(s)),
                    Ok(Some(Value::Null) | None) => Ok(None),
                    Ok(Some(other)) => Ok(Some(Str::from(other.to_compact_string()))),
                    Err(e) => Err(Note {
                        handler: "partition".into(),
                        error: Some(e),
                        no_output: false,
                        messages: run.messages,
                    }),
                }
            }
        };
        (event, key)
    }

    /// Replays the event at `position` on `state`, as folding did (the fold is
    /// deterministic).
    pub(crate) fn replay(
        &self,
        log: &Log,
        position: usize,
        state: &mut Value,
        notes: &std::collections::BTreeMap<usize, Note>,
    ) {
        // An event that failed or gave no output then changed nothing.
        if notes
            .get(&position)
            .is_some_and(|n| n.error.is_some() || n.no_output)
        {
            return;
        }
        if let Some(h) = self.handler(log, position) {
            let (event, _) = self.event(log, position);
            // It gave a state when folded, so it gives one now: the state can be handed
            // over and updated in place.
            let before = std::mem::take(state);
            *state = self.run_owned(h, before, &event).state.unwrap_or_default();
        }
    }

    /// Runs handler `handler` on `state` for `event`.
    pub(crate) fn run(&self, handler: usize, state: &Value, event: &Value) -> Outcome {
        self.run_owned(handler, state.clone(), event)
    }

    /// [`run`](Self::run), given the state to update in place where nothing else holds it.
    pub(crate) fn run_owned(&self, handler: usize, state: Value, event: &Value) -> Outcome {
        let Some(h) = self.model.handlers.get(handler) else {
            return Outcome {
                state: None,
                note: None,
            };
        };
        let run = h.program.run(state, event);
        let mut note = Note {
            handler: h.key.clone(),
            messages: run.messages,
            ..Note::default()
        };
        let state = match run.output {
            Ok(Some(v)) => Some(v),
            Ok(None) => {
                note.no_output = true;
                None
            }
            Err(e) => {
                note.error = Some(e);
                None
            }
        };
        let worth = note.error.is_some() || note.no_output || !note.messages.is_empty();
        Outcome {
            state,
            note: worth.then_some(note),
        }
    }
}
