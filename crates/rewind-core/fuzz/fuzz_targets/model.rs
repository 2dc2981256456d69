//! Fuzzes read-model files: any text is read and compiled, or refused with a problem
//! placed inside the text (a line and column that exist); never a panic. Programs are
//! only compiled, not run: a jq program may loop for ever by design, and the watchdog
//! of the CLI and the page stops those.
#![no_main]

use libfuzzer_sys::fuzz_target;
use rewind_core::jq::Program;
use rewind_core::model::ReadModel;

/// The line and column exist in `text` (the column may be one past the line's end).
fn placed(text: &str, line: usize, column: usize) -> bool {
    text.split('\n')
        .nth(line.saturating_sub(1))
        .is_some_and(|l| line >= 1 && column >= 1 && column <= l.chars().count() + 1)
}

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    // The text as a whole model file.
    if let Err(e) = ReadModel::parse(&text) {
        if let (Some(line), Some(column)) = (e.line, e.column) {
            assert!(placed(&text, line, column), "{e} is outside the file");
        }
    }
    // The text as one handler's program.
    if let Err(e) = Program::compile(&text) {
        assert!(placed(&text, e.line, e.column), "{e} is outside the program");
    }
});
