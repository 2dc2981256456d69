//! jq programs over the core's [`Value`]: the language of read-model handlers (SPEC §7).
//!
//! A [`Program`] is compiled once and run per event with `.` = the input and `$e` = the
//! event. Programs cannot read the outside world (`now`, `env`, `input` and the like are
//! refused when compiling), and `debug`/`stderr` messages are captured per run.
//!
//! jq runs on the core's persistent [`Value`] itself (through [`JqValue`]), never on a
//! copy: an update such as `.status[$k] = "paid"` copies only the path to the change, so
//! the states a read model keeps share everything else. Integers are exact 64-bit values
//! (natively and in wasm32 alike), falling back to `f64` on overflow as jq does.
//!
//! The files: `value` (the value type and jq's order), `num` (arithmetic), `ops` (the
//! operators), `access` (indexing and updating), `std_val` (what jaq's standard library
//! needs), `funs`/`math`/`text`/`time` (native filters), `data` (what a run carries),
//! `compile` (the prelude, refusals and error positions), `early.jq`/`late.jq` (jq
//! definitions).

use std::cell::RefCell;
use std::fmt;
use std::sync::Arc;

use jaq_core::{Ctx, Vars};

use crate::value::Value;

mod access;
mod compile;
mod data;
mod funs;
mod math;
mod num;
mod ops;
mod std_val;
mod text;
mod time;
mod value;

#[cfg(test)]
mod tests;

pub use value::JqValue;

/// A compiled jq program.
#[derive(Clone)]
pub struct Program {
    /// The compiled filter, shared by clones.
    filter: Arc<data::Filter>,
}

/// Compiled programs are shared between threads (the native workers fold in parallel).
const _: () = {
    const fn send_sync<T: Send + Sync>() {}
    send_sync::<Program>();
};

impl fmt::Debug for Program {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Program")
    }
}

/// Why a program did not compile, and where (1-based, in the program's text).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CompileError {
    /// Line of the problem, from 1.
    pub line: usize,
    /// Column of the problem (in characters), from 1.
    pub column: usize,
    /// What is wrong.
    pub message: String,
}

impl fmt::Display for CompileError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "line {}, column {}: {}",
            self.line, self.column, self.message
        )
    }
}

/// What one run of a program gave.
#[derive(Clone, Debug, PartialEq)]
pub struct Run {
    /// The first output (`Ok(None)` when there was none), or jq's error message.
    pub output: Result<Option<Value>, String>,
    /// What `debug` and `stderr` printed during the run, in order.
    pub messages: Vec<String>,
}

impl Program {
    /// Compiles `code`, where `$e` is defined.
    pub fn compile(code: &str) -> Result<Program, CompileError> {
        let filter = compile::compile(code)?;
        Ok(Program {
            filter: Arc::new(filter),
        })
    }

    /// Runs the program with `.` = `input` and `$e` = `event`.
    ///
    /// Only the first output is computed; an error before any output is the run's error.
    pub fn run(&self, input: Value, event: &Value) -> Run {
        let messages = RefCell::new(Vec::new());
        let output = {
            let data = data::RunData {
                lut: &self.filter.lut,
                messages: &messages,
            };
            let ctx = Ctx::<data::Data>::new(data, Vars::new([JqValue(event.clone())]));
            let mut outputs = self.filter.id.run((ctx, JqValue(input)));
            match outputs.next() {
                None => Ok(None),
                Some(Ok(v)) => Ok(Some(v.0)),
                Some(Err(e)) => Err(error_message(e)),
            }
        };
        Run {
            output,
            messages: messages.into_inner(),
        }
    }
}

/// jq's message of an error: a string error is its text, any other value its JSON.
fn error_message(e: jaq_core::Exn<'_, JqValue>) -> String {
    match e.get_err() {
        Ok(e) => {
            let v = e.into_val();
            match v.as_str() {
                Some(s) => s.to_string(),
                None => v.to_string(),
            }
        }
        // Only `halt` (which is refused) and jaq's internal control flow end up here.
        Err(_) => "the program stopped without a value or an error".into(),
    }
}
