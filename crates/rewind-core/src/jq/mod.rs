//! jq programs over the core's [`Value`]: the language of read-model handlers (SPEC §7).
//!
//! A [`Program`] is compiled once and run per event with `.` = the input and `$e` = the
//! event. Programs cannot read the outside world (`now`, `env`, `input` and the like are
//! refused when compiling), and `debug`/`stderr` messages are captured per run.

use std::fmt;

use crate::value::Value;

/// A compiled jq program.
#[derive(Clone)]
pub struct Program {
    _private: (),
}

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
        let _ = code;
        Err(CompileError {
            line: 1,
            column: 1,
            message: "jq is not built yet".into(),
        })
    }

    /// Runs the program with `.` = `input` and `$e` = `event`.
    pub fn run(&self, input: Value, event: &Value) -> Run {
        let _ = (input, event);
        Run {
            output: Err("jq is not built yet".into()),
            messages: Vec::new(),
        }
    }
}
