//! A read model's file (SPEC §7): its name, initial state, partition and handlers, read
//! and compiled before anything runs, with every problem placed at its line and column
//! in the file.

use std::fmt;

use crate::jq::{CompileError, Program};
use crate::value::Value;

/// Handlers' key for the events whose type has no handler of its own.
pub const ANY: &str = "$any";

/// A compiled read model, ready to fold.
#[derive(Clone, Debug)]
pub struct ReadModel {
    /// Its name, as the file gives it.
    pub name: String,
    /// The state before the first event (of each partition, when partitioned).
    pub init: Value,
    /// How events are split into partitions, if they are.
    pub partition: Option<Partition>,
    /// Handlers in file order; `$any` last when present.
    pub handlers: Vec<Handler>,
    /// The file as given (kept so the model can be saved and shared as written).
    pub source: String,
    /// The members of `$e` the handlers read.
    pub needs: Needs,
}

/// The members of `$e` a model's programs read, found in their text: reading an event's
/// `metadata` means reading its whole body, which most models never look at.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Needs {
    /// `$e.data`.
    pub data: bool,
    /// `$e.metadata`, `$e.id`, or `$e` as a whole (`$e | keys`, `"\($e)"`, `$e[$k]`).
    pub body: bool,
}

impl Needs {
    /// What the program text `code` reads of `$e` (conservatively: anything but
    /// `$e.<name>` reads the whole event).
    pub fn of(code: &str) -> Needs {
        let mut needs = Needs::default();
        let mut rest = code;
        while let Some(i) = rest.find("$e") {
            let after = &rest[i + 2..];
            rest = after;
            if after.starts_with(|c: char| c.is_alphanumeric() || c == '_') {
                continue; // another variable, such as `$event`
            }
            let member: String = after
                .strip_prefix('.')
                .map(|m| {
                    m.chars()
                        .take_while(|c| c.is_alphanumeric() || *c == '_')
                        .collect()
                })
                .unwrap_or_default();
            match member.as_str() {
                "position" | "type" | "stream" | "time" => {}
                "data" => needs.data = true,
                _ => needs.body = true,
            }
        }
        needs
    }

    fn and(self, other: Needs) -> Needs {
        Needs {
            data: self.data || other.data,
            body: self.body || other.body,
        }
    }
}

/// What decides an event's partition.
#[derive(Clone, Debug)]
pub enum Partition {
    /// The event's stream.
    Stream,
    /// A jq expression over `$e` (also its input); its text output is the key.
    Expr(Program),
}

/// One handler: the types it takes and its program.
#[derive(Clone, Debug)]
pub struct Handler {
    /// The key it was written under (`OrderPaid,OrderShipped`, or `$any`).
    pub key: String,
    /// The types named in the key (empty for `$any`).
    pub types: Vec<String>,
    /// The compiled program.
    pub program: Program,
}

/// Why a read model cannot be used, and where in its file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ModelError {
    /// Line in the file, from 1, when the problem has a place.
    pub line: Option<usize>,
    /// Column in the file, from 1, when the problem has a place.
    pub column: Option<usize>,
    /// What is wrong.
    pub message: String,
}

impl fmt::Display for ModelError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (self.line, self.column) {
            (Some(l), Some(c)) => write!(f, "line {l}, column {c}: {}", self.message),
            (Some(l), None) => write!(f, "line {l}: {}", self.message),
            _ => f.write_str(&self.message),
        }
    }
}

impl std::error::Error for ModelError {}

fn error(message: impl Into<String>) -> ModelError {
    ModelError {
        line: None,
        column: None,
        message: message.into(),
    }
}

impl ReadModel {
    /// Reads and compiles the read model in `source` (its JSON file).
    pub fn parse(source: &str) -> Result<ReadModel, ModelError> {
        if source.trim().is_empty() {
            return Err(error(
                "the read model is empty: write a JSON object with \"name\", \"init\" and \"when\"",
            ));
        }
        let file: serde_json::Value = serde_json::from_str(source).map_err(|e| {
            // serde_json counts columns in bytes, and an end of text's from 0.
            let line = e.line().max(1);
            let text = source.split('\n').nth(line - 1).unwrap_or("");
            let mut byte = e.column().saturating_sub(1).min(text.len());
            while !text.is_char_boundary(byte) {
                byte -= 1;
            }
            ModelError {
                line: Some(line),
                column: Some(text[..byte].chars().count() + 1),
                message: format!(
                    "the read model is not JSON: {}",
                    e.to_string()
                        .strip_suffix(&format!(" at line {} column {}", e.line(), e.column()))
                        .map_or_else(|| e.to_string(), str::to_string)
                ),
            }
        })?;
        let serde_json::Value::Object(file) = file else {
            return Err(error(
                "a read model is a JSON object with \"name\", \"init\" and \"when\"",
            ));
        };
        if let Some(unknown) = file
            .keys()
            .find(|k| !["name", "init", "partition", "when"].contains(&k.as_str()))
        {
            return Err(error(format!(
                "unknown member {unknown:?}: a read model has \"name\", \"init\", \"partition\" and \"when\""
            )));
        }
        let name = match file.get("name") {
            None => "read model".to_string(),
            Some(serde_json::Value::String(s)) if !s.trim().is_empty() => s.clone(),
            Some(_) => return Err(error("\"name\" must be a non-empty string")),
        };
        let init = file.get("init").map(Value::from).unwrap_or(Value::Null);
        let partition = match file.get("partition") {
            None | Some(serde_json::Value::Null) => None,
            Some(serde_json::Value::String(s)) if s == "stream" => Some(Partition::Stream),
            Some(serde_json::Value::String(code)) => Some(Partition::Expr(
                Program::compile(code).map_err(|e| place(source, "partition", code, &e))?,
            )),
            Some(_) => {
                return Err(error(
                    "\"partition\" is \"stream\" or a jq expression over $e, as a string",
                ))
            }
        };
        let Some(serde_json::Value::Object(when)) = file.get("when") else {
            return Err(error(
                "\"when\" is missing: an object from event types (comma-separated) or \"$any\" to jq programs",
            ));
        };
        let mut handlers = Vec::new();
        let mut any = None;
        let mut seen: Vec<String> = Vec::new();
        for (key, code) in when {
            let serde_json::Value::String(code) = code else {
                return Err(located(
                    source,
                    key,
                    format!("the handler for {key:?} must be a jq program as a string"),
                ));
            };
            let program = Program::compile(code).map_err(|e| place(source, key, code, &e))?;
            if key == ANY {
                any = Some(Handler {
                    key: key.clone(),
                    types: Vec::new(),
                    program,
                });
                continue;
            }
            let types: Vec<String> = key
                .split(',')
                .map(str::trim)
                .filter(|t| !t.is_empty())
                .map(String::from)
                .collect();
            if types.is_empty() {
                return Err(located(source, key, "a handler's key names no event type"));
            }
            if let Some(t) = types.iter().find(|t| seen.contains(t)) {
                return Err(located(
                    source,
                    key,
                    format!("{t:?} has two handlers: name each type once"),
                ));
            }
            seen.extend(types.iter().cloned());
            handlers.push(Handler {
                key: key.clone(),
                types,
                program,
            });
        }
        handlers.extend(any);
        if handlers.is_empty() {
            return Err(error(
                "\"when\" has no handler: this read model would never change",
            ));
        }
        let mut needs = handlers
            .iter()
            .filter_map(|h| when.get(&h.key).and_then(|c| c.as_str()))
            .fold(Needs::default(), |n, code| n.and(Needs::of(code)));
        if let Some(serde_json::Value::String(code)) = file.get("partition") {
            needs = needs.and(Needs::of(code));
        }
        Ok(ReadModel {
            needs,
            name,
            init,
            partition,
            handlers,
            source: source.to_string(),
        })
    }

    /// The handler for events of type `kind`: its own, else `$any`, else none.
    pub fn handler_for(&self, kind: &str) -> Option<usize> {
        self.handlers
            .iter()
            .position(|h| h.types.iter().any(|t| t == kind))
            .or_else(|| self.handlers.iter().position(|h| h.key == ANY))
    }
}

/// Where the member `key` is written in `source`: its line and column, from 1, and the
/// byte offset just after its key.
fn find_member(source: &str, key: &str) -> Option<(usize, usize, usize)> {
    let quoted = serde_json::to_string(key).ok()?;
    let mut from = 0;
    while let Some(i) = source[from..].find(&quoted) {
        let start = from + i;
        let after = start + quoted.len();
        if source[after..].trim_start().starts_with(':') {
            let (line, column) = line_column(source, start);
            return Some((line, column, after));
        }
        from = after;
    }
    None
}

/// Line and column (in characters), from 1, of byte `offset` of `text`.
fn line_column(text: &str, offset: usize) -> (usize, usize) {
    let before = &text[..offset.min(text.len())];
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, column)
}

/// A problem with the member `key`, placed at its key.
fn located(source: &str, key: &str, message: impl Into<String>) -> ModelError {
    let at = find_member(source, key);
    ModelError {
        line: at.map(|a| a.0),
        column: at.map(|a| a.1),
        message: message.into(),
    }
}

/// A compile error of the program `code` written under `key`, placed in the file: the
/// program is a JSON string there, so the error's offset in the program is the length of
/// the program's text before it, written as JSON.
fn place(source: &str, key: &str, code: &str, e: &CompileError) -> ModelError {
    let what = if key == "partition" {
        "the partition".to_string()
    } else {
        format!("the handler for {key:?}")
    };
    let message = format!(
        "{what} does not compile (its line {}, column {}): {}",
        e.line, e.column, e.message
    );
    let placed = (|| {
        let (_, _, after) = find_member(source, key)?;
        let quoted = serde_json::to_string(code).ok()?;
        let start = after + source[after..].find(&quoted)?;
        let offset = offset_of(code, e.line, e.column)?;
        let written = serde_json::to_string(code.get(..offset)?).ok()?;
        // The written prefix ends with its closing quote, which is not in the file there.
        Some(line_column(source, start + written.len() - 1))
    })();
    match placed {
        Some((line, column)) => ModelError {
            line: Some(line),
            column: Some(column),
            message,
        },
        None => located(source, key, message),
    }
}

/// Byte offset in `text` of 1-based `line` and `column` (in characters).
fn offset_of(text: &str, line: usize, column: usize) -> Option<usize> {
    let mut start = 0;
    for _ in 1..line {
        start += text[start..].find('\n')? + 1;
    }
    let rest = &text[start..];
    let within = rest
        .char_indices()
        .nth(column.saturating_sub(1))
        .map_or(rest.len(), |(i, _)| i);
    Some(start + within)
}
