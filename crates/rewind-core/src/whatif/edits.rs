//! The edits file (SPEC §8): a JSON array of `{"op": "skip", "at": P}`,
//! `{"op": "replace", "at": P, "event": {"type": T, "data": D}}` and
//! `{"op": "skip-caused", "at": P}`. Reading it checks every edit against the log, so that
//! a mistake is told with the edit it is in, never applied half-way.

use crate::log::{Log, Mode};
use crate::value::{Object, Str, Value};

/// One change to the log. Positions never shift: a skipped event stays in the log and
/// changes nothing.
#[derive(Clone, Debug, PartialEq)]
pub enum Edit {
    /// The event at `at` changes nothing.
    Skip {
        /// Its position.
        at: usize,
    },
    /// The event at `at` has another type and/or data.
    Replace {
        /// Its position.
        at: usize,
        /// The new type, or `None` to keep the event's own.
        kind: Option<String>,
        /// The new data, or `None` to keep the event's own.
        data: Option<Value>,
    },
    /// The event at `at` and every event it caused, transitively (by causation, §9),
    /// change nothing.
    SkipCaused {
        /// Its position.
        at: usize,
    },
}

impl Edit {
    /// The position the edit is at.
    pub fn at(&self) -> usize {
        match self {
            Edit::Skip { at } | Edit::Replace { at, .. } | Edit::SkipCaused { at } => *at,
        }
    }

    /// The edit as a member of an edits file.
    pub fn to_value(&self) -> Value {
        let mut o = Object::new();
        let at = Value::Number((self.at() as u64).into());
        let op = match self {
            Edit::Skip { .. } => "skip",
            Edit::SkipCaused { .. } => "skip-caused",
            Edit::Replace { kind, data, .. } => {
                let mut event = Object::new();
                if let Some(k) = kind {
                    event.insert("type".into(), Value::String(Str::from(k.as_str())));
                }
                if let Some(d) = data {
                    event.insert("data".into(), d.clone());
                }
                o.insert("event".into(), Value::Object(event));
                "replace"
            }
        };
        o.insert("op".into(), Value::String(op.into()));
        o.insert("at".into(), at);
        Value::Object(o)
    }
}

/// Why an edits file cannot be applied, said with the edit it is in.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EditError {
    /// Not well-formed JSON.
    #[error("the edits are not valid JSON at line {line}, column {column}: {reason}")]
    Json {
        /// 1-based line.
        line: usize,
        /// 1-based column.
        column: usize,
        /// What the parser expected.
        reason: String,
    },
    /// Well-formed, but not an edits file, or one edit is wrong.
    #[error("{0}")]
    Invalid(String),
    /// The log's fold cannot be replayed with an event changed.
    #[error("this log records the state after each event (mode recorded) instead of folding events, so there is nothing to replay without an event; open it with --mode merge or --mode patch to fold its events")]
    Recorded,
}

/// The edits asked of a log, in the order given.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Edits(pub Vec<Edit>);

impl Edits {
    /// No edit.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Reads an edits file. Positions are checked against a log by [`check`](Self::check).
    pub fn parse(text: &str) -> Result<Edits, EditError> {
        let value = crate::value::parse(text.as_bytes()).map_err(|e| {
            let (line, column, reason) = crate::error::json_error_parts(&e);
            EditError::Json {
                line,
                column,
                reason,
            }
        })?;
        Edits::from_value(&value)
    }

    /// Reads edits from a parsed edits file.
    pub fn from_value(value: &Value) -> Result<Edits, EditError> {
        let Value::Array(items) = value else {
            return Err(EditError::Invalid(format!(
                "the edits must be a JSON array of {{\"op\": \"skip\", \"at\": P}}, {{\"op\": \"replace\", \"at\": P, \"event\": {{\"type\": T, \"data\": D}}}} or {{\"op\": \"skip-caused\", \"at\": P}}; this is {}",
                value.kind_phrase()
            )));
        };
        items
            .iter()
            .enumerate()
            .map(|(i, item)| {
                edit_of(item).map_err(|why| EditError::Invalid(format!("edit {}: {why}", i + 1)))
            })
            .collect::<Result<Vec<_>, _>>()
            .map(Edits)
    }

    /// The edits file: a JSON array, one edit per line.
    pub fn to_json(&self) -> String {
        let lines: Vec<String> = self
            .0
            .iter()
            .map(|e| format!("  {}", e.to_value().to_compact_string()))
            .collect();
        if lines.is_empty() {
            "[]".to_string()
        } else {
            format!("[\n{}\n]", lines.join(",\n"))
        }
    }

    /// Checks that every edit is at a position of `log` and that its fold can be
    /// replayed.
    pub fn check(&self, log: &Log) -> Result<(), EditError> {
        if self.is_empty() {
            return Ok(());
        }
        if log.mode == Mode::Recorded {
            return Err(EditError::Recorded);
        }
        for (i, e) in self.0.iter().enumerate() {
            if e.at() >= log.len() {
                return Err(EditError::Invalid(format!(
                    "edit {}: position {} is past the log's last event ({})",
                    i + 1,
                    e.at(),
                    log.len() as isize - 1
                )));
            }
        }
        Ok(())
    }

    /// The edits with the one at `at` of the same kind toggled: a skip is removed if there
    /// is one, else added (what the page's **Skip this event** does).
    pub fn toggle_skip(&mut self, at: usize) {
        let before = self.0.len();
        self.0
            .retain(|e| !matches!(e, Edit::Skip { at: a } if *a == at));
        if self.0.len() == before {
            self.0.push(Edit::Skip { at });
        }
    }

    /// The edits with the event at `at` replaced (an earlier replacement of it is dropped).
    pub fn set_replace(&mut self, at: usize, kind: Option<String>, data: Option<Value>) {
        self.0
            .retain(|e| !matches!(e, Edit::Replace { at: a, .. } if *a == at));
        self.0.push(Edit::Replace { at, kind, data });
    }
}

/// One edit from its JSON object; the reason when it is not one.
fn edit_of(item: &Value) -> Result<Edit, String> {
    let Some(o) = item.as_object() else {
        return Err(format!("expected an object, found {}", item.kind_phrase()));
    };
    let op = o
        .get("op")
        .and_then(Value::as_str)
        .ok_or("it has no \"op\" (skip, replace or skip-caused)")?;
    let at = match o.get("at") {
        Some(Value::Number(n)) => n
            .to_serde()
            .and_then(|n| n.as_u64())
            .and_then(|n| usize::try_from(n).ok())
            .ok_or_else(|| format!("\"at\" must be an event position (0 or more), not {n}"))?,
        Some(other) => {
            return Err(format!(
                "\"at\" must be an event position, not {}",
                other.kind_phrase()
            ))
        }
        None => return Err("it has no \"at\" (the event's position)".to_string()),
    };
    match op {
        "skip" => Ok(Edit::Skip { at }),
        "skip-caused" => Ok(Edit::SkipCaused { at }),
        "replace" => {
            let event = match o.get("event") {
                Some(Value::Object(e)) => e,
                Some(other) => {
                    return Err(format!(
                        "\"event\" must be an object with \"type\" and/or \"data\", not {}",
                        other.kind_phrase()
                    ))
                }
                None => {
                    return Err("a replace needs an \"event\" with \"type\" and/or \"data\"".into())
                }
            };
            replacement(at, event)
        }
        other => Err(format!(
            "unknown op {other:?}; use skip, replace or skip-caused"
        )),
    }
}

/// A replace edit from its `event` member: `type` (a string) and `data` (any JSON).
fn replacement(at: usize, event: &Object) -> Result<Edit, String> {
    let mut kind = None;
    let mut data = None;
    for (k, v) in event.iter() {
        match k.as_ref() {
            "type" => match v {
                Value::String(s) => kind = Some(s.to_string()),
                other => {
                    return Err(format!(
                        "the event's \"type\" must be a string, not {}",
                        other.kind_phrase()
                    ))
                }
            },
            "data" => data = Some(v.clone()),
            other => {
                return Err(format!(
                    "a replace changes the event's \"type\" and \"data\" only (its stream, time and id stay); remove {other:?}"
                ))
            }
        }
    }
    if kind.is_none() && data.is_none() {
        return Err("the event names neither \"type\" nor \"data\": nothing to replace".into());
    }
    Ok(Edit::Replace { at, kind, data })
}
