//! Fuzzes Redux DevTools lifted-state exports (`actionsById`, `stagedActionIds`,
//! `computedStates`, jsan anywhere): decoding the jsan takes linear work, no state
//! unrolls shared parts past the repeat budget, failed actions keep the state before
//! them, and the state at every position is the recorded one.
#![no_main]

use libfuzzer_sys::fuzz_target;
use rewind_core::{Format, LoadOptions};
use rewind_core_fuzz::{check_jsan, check_state_sizes, load_and_check, repeat_bound};

fuzz_target!(|data: &[u8]| {
    check_jsan(data);
    let options = LoadOptions {
        format: Some(Format::ReduxLifted),
        ..LoadOptions::default()
    };
    let Some(replay) = load_and_check(data, &options) else {
        return;
    };
    if let Ok(doc) = rewind_core::value::parse(data) {
        check_state_sizes(&replay, repeat_bound(&doc));
    }
    for failed in replay.stats().failed_events {
        let p = failed.position as isize;
        assert_eq!(
            replay.state_at(p),
            replay.state_at(p - 1),
            "failed action {p}"
        );
    }
});
