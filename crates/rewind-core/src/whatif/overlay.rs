//! The log as edited: the same events and positions, with the skipped ones changing
//! nothing and the replaced ones read from a new body. The edited log shares the original's
//! text; only the edited events are held anew.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

use crate::fields;
use crate::log::{EventMeta, Format, Log, Mode};
use crate::value::{Object, Str, Value};
use crate::whatif::edits::{Edit, EditError, Edits};

/// What the edits did to a log, event by event.
#[derive(Clone, Debug, Default)]
pub struct Overlay {
    /// The edits as asked.
    pub(crate) edits: Edits,
    /// Events that change nothing (a skip-caused edit's effects included).
    pub(crate) skipped: BTreeSet<usize>,
    /// Events read from a new body.
    pub(crate) replaced: BTreeMap<usize, Value>,
}

impl Overlay {
    /// The edits as asked (skip-caused not yet expanded).
    pub fn edits(&self) -> &Edits {
        &self.edits
    }

    /// Every position an edit changed, ascending.
    pub fn positions(&self) -> Vec<usize> {
        let mut all: Vec<usize> = self
            .skipped
            .iter()
            .chain(self.replaced.keys())
            .copied()
            .collect();
        all.sort_unstable();
        all.dedup();
        all
    }
}

/// What a skipped event gives the fold: nothing to merge, an empty patch.
pub(crate) fn skip_input(mode: Mode) -> Value {
    match mode {
        Mode::Patch => Value::Array(Default::default()),
        Mode::Merge | Mode::Recorded => Value::Null,
    }
}

impl Log {
    /// This log (an original one, without edits) with `edits` applied; `caused(p)` gives the events event `p` caused,
    /// transitively (for skip-caused). Positions, streams and times stay; a replaced
    /// event's type and data are written at the keys the log reads them from, so that
    /// exporting the edited log gives a log of the same shape.
    pub fn with_edits(
        &self,
        edits: &Edits,
        caused: &dyn Fn(usize) -> Vec<usize>,
    ) -> Result<Log, EditError> {
        edits.check(self)?;
        let mut overlay = Overlay {
            edits: edits.clone(),
            ..Overlay::default()
        };
        let mut edited = self.clone();
        for edit in &edits.0 {
            match edit {
                Edit::Skip { at } => {
                    overlay.skipped.insert(*at);
                }
                Edit::SkipCaused { at } => {
                    overlay.skipped.insert(*at);
                    overlay.skipped.extend(caused(*at));
                }
                Edit::Replace { at, kind, data } => {
                    let body = replaced_body(self, *at, kind.as_deref(), data.as_ref());
                    if let Some(k) = kind {
                        let id = type_id(&mut edited.types, k);
                        if let Some(meta) = edited.events.get(*at) {
                            edited.events.set(
                                *at,
                                EventMeta {
                                    kind: id,
                                    payload_problem: false,
                                    ..meta
                                },
                            );
                        }
                    }
                    overlay.replaced.insert(*at, body);
                }
            }
        }
        edited.edited = (!edits.is_empty()).then(|| Arc::new(overlay));
        Ok(edited)
    }

    /// The edits applied to this log, when it is an edited one.
    pub fn overlay(&self) -> Option<&Overlay> {
        self.edited.as_deref()
    }

    /// True when an edit makes the event at `position` change nothing.
    pub fn is_skipped_by_edit(&self, position: usize) -> bool {
        self.edited
            .as_ref()
            .is_some_and(|o| o.skipped.contains(&position))
    }

    /// True when an edit gave the event at `position` another type or data.
    pub fn is_replaced_by_edit(&self, position: usize) -> bool {
        self.edited
            .as_ref()
            .is_some_and(|o| o.replaced.contains_key(&position))
    }

    /// The new body an edit gave the event at `position`.
    pub(crate) fn replaced_body(&self, position: usize) -> Option<&Value> {
        self.edited.as_ref()?.replaced.get(&position)
    }
}

/// The index of type `name` in `types`, added when new.
fn type_id(types: &mut Vec<Str>, name: &str) -> u32 {
    match types.iter().position(|t| t.as_ref() == name) {
        Some(i) => i as u32,
        None => {
            types.push(Str::from(name));
            (types.len() - 1) as u32
        }
    }
}

/// The body of the event at `position` with its type and/or data replaced, each written
/// where the log reads it from.
fn replaced_body(log: &Log, position: usize, kind: Option<&str>, data: Option<&Value>) -> Value {
    let body = log.body(position).unwrap_or(Value::Null);
    let mut obj = body.as_object().cloned().unwrap_or_default();
    match log.format {
        Format::ReduxActions | Format::ReduxLifted => {
            // An action is its type beside its data's members.
            let mut action = match data {
                Some(Value::Object(d)) => d.clone(),
                Some(other) => {
                    let mut o = Object::new();
                    o.insert("payload".into(), other.clone());
                    o
                }
                None => obj.clone(),
            };
            action.remove("type");
            let kind = kind
                .map(|k| Value::String(Str::from(k)))
                .or_else(|| obj.get("type").cloned());
            if let Some(k) = kind {
                action.insert("type".into(), k);
            }
            return Value::Object(action);
        }
        Format::CloudEvents => {
            if let Some(d) = data {
                obj.remove("data_base64");
                obj.insert("data".into(), d.clone());
            }
        }
        _ => {}
    }
    if log.keys().text_payloads {
        // A payload given as JSON text is written back as JSON, so that the type inside
        // it can be read and set.
        let key = key_used(&obj, &log.keys().data);
        if let Some(text @ Value::String(_)) = fields::lookup(&obj, &key).cloned() {
            set_dotted(&mut obj, &key, fields::decode_text_payload(text));
        }
    }
    // The keys the event's own type and data were read from.
    let type_key = key_used(&obj, &log.keys().kind);
    let data_key = key_used(&obj, &log.keys().data);
    if let (Some(d), false) = (data, log.format == Format::CloudEvents) {
        set_dotted(&mut obj, &data_key, d.clone());
    }
    // New data may hold the type (a Kafka payload's `type`): keep the event's own then.
    let own = log.type_name(position);
    let kind = kind.or_else(|| (data.is_some() && own != crate::log::UNTYPED).then_some(own));
    if let Some(k) = kind {
        set_dotted(&mut obj, &type_key, Value::String(Str::from(k)));
    }
    Value::Object(obj)
}

/// The key among `keys` the object has (the first present), else the first of them.
fn key_used(obj: &Object, keys: &[String]) -> String {
    fields::first(obj, keys)
        .map(|(k, _)| k.to_string())
        .or_else(|| keys.first().cloned())
        .unwrap_or_else(|| "data".to_string())
}

/// Sets `key` in `obj`: the member of that name whatever its case, or, for a dotted key
/// whose first part names an object, the rest of it inside that object.
fn set_dotted(obj: &mut Object, key: &str, value: Value) {
    let existing = obj
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case(key))
        .map(|(k, _)| k.clone());
    if let Some(k) = existing {
        obj.insert(k, value);
        return;
    }
    for (i, _) in key.match_indices('.') {
        let head = obj
            .iter()
            .find(|(k, v)| k.eq_ignore_ascii_case(&key[..i]) && v.as_object().is_some())
            .map(|(k, _)| k.clone());
        if let Some(head) = head {
            if let Some(Value::Object(inner)) = obj.get_mut(&head) {
                set_dotted(inner, &key[i + 1..], value);
                return;
            }
        }
    }
    obj.insert(Str::from(key), value);
}
